"""`bulletin new`: write a correct skeleton for a new item, in the unit's folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bulletin.core import fields
from bulletin.core.fields import PLACEHOLDER
from bulletin.core.model import Config, Unit
from bulletin.core.timing import TimeFormatError, field_time
from bulletin.desk.atomic import create_first_free
from bulletin.desk.layout import SUBMISSIONS
from bulletin.errors import UsageError


@dataclass
class Draft:
    unit: Unit
    title: str | None = None
    informant: str | None = None
    approver: str | None = None
    kind: str = "普遍性"
    urgency: str = "平件"
    classification: str = "内部"
    secrecy_term: str | None = None
    occurred_at: str | None = None
    recipients: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    follows: str | None = None


def _yaml_text(value: str) -> str:
    """A value safe to write after 'key: ' (quoted when YAML would misread it)."""
    specials = ":#{}[],&*!|>'\"%@`"
    if value and value == value.strip() and not any(c in value for c in specials) and value[0] not in "-?":
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(draft: Draft, config: Config) -> str:
    d = draft
    informant = d.informant or (d.unit.informants[0].name if d.unit.informants else f"{PLACEHOLDER}：信息员姓名】")
    approver = d.approver or d.unit.leader or f"{PLACEHOLDER}：签发领导姓名】"
    recipients = d.recipients or config.recipients
    term_line = (
        f"保密期限: {d.secrecy_term}         # 秘密最长10年，机密最长20年"
        if d.secrecy_term
        else "# 保密期限: 1年                # 密级为秘密、机密时必填，一年及以上以年计，不足一年以月计"
    )
    emergency = d.kind == fields.EMERGENCY_KIND or d.urgency == fields.EMERGENCY_URGENCY
    occurred_line = (
        f"发生时间: {d.occurred_at}     # 北京时间；决定报送时限（特急：事发后2小时内报市委）"
        if d.occurred_at
        else f"发生时间: {PLACEHOLDER}：2026-11-28 08:30】  # 突发性、特急信息必填，北京时间"
        if emergency
        else "# 发生时间: 2026-11-28 08:30   # 突发性或特急信息必填，北京时间"
    )
    follows_line = (
        f"续报: {d.follows}          # 所续报的首报编号"
        if d.follows
        else "# 续报: xiushui/2026/1112-01   # 续报时写首报的编号"
    )
    topic_hint = f"可选：{'、'.join(config.topics[:6])}等"
    topics_line = (
        f"主题: [{', '.join(d.topics)}]          # {topic_hint}"
        if d.topics
        else f"# 主题: [项目建设]          # {topic_hint}"
    )
    title = (
        _yaml_text(d.title)
        if d.title
        else f"{PLACEHOLDER}：一句话写明核心事实，不超过{config.limits.title_max_chars}字，末尾不加句号】"
    )
    return f"""---
# 信息头部：# 之后是说明，可以保留。填写规范见《信息写作与报送规范》。
标题: {title}
报送单位: {d.unit.id}              # {d.unit.name}；只能报送本单位的信息
信息员: {_yaml_text(informant)}                # 执笔的信息员
签发人: {_yaml_text(approver)}                # 签发本条信息的单位领导
类别: {d.kind}                # {"/".join(fields.KINDS)}
紧急程度: {d.urgency}              # {"/".join(fields.URGENCIES)}
密级: {d.classification}                  # {"/".join(fields.CLASSIFICATIONS)}（绝密信息严禁录入本系统）
{term_line}
{occurred_line}
# 事件等级: 一般               # 突发事件的等级：特别重大/重大/较大/一般，决定报送时限
# 事件: 2026/1109-chaisang      # 信息处已登记该事件时，写事件编号
报送对象: [{", ".join(recipients)}]      # 突发性、特急信息必须报{config.emergency_recipient}
{topics_line}
{follows_line}
---

{PLACEHOLDER}：正文。一事一报，开门见山写清时间、地点、事情、做法或影响，通常二三百字。突发事件写明发生时间、地点、经过、伤亡和损失、已采取的措施、到场领导，先报基本情况，再续报】
"""


MAX_PER_DAY = 99


def _candidates(config: Config, unit_id: str, when: dt.datetime) -> list[Path]:
    folder = config.root / SUBMISSIONS / unit_id / f"{when.year}"
    return [folder / f"{when:%m%d}-{number:02d}.md" for number in range(1, MAX_PER_DAY + 1)]


def _full(config: Config, unit_id: str, when: dt.datetime) -> UsageError:
    folder = (config.root / SUBMISSIONS / unit_id / f"{when.year}").relative_to(config.root).as_posix()
    return UsageError(f"{folder}下{when:%m月%d日}的信息已有{MAX_PER_DAY}条：请检查是否重复生成")


def create(config: Config, draft: Draft, today: dt.datetime) -> Path:
    """Write the skeleton to a new file (never overwrites); return its path."""
    _validate(config, draft)
    when = today
    if draft.occurred_at:
        try:
            when = field_time(draft.occurred_at, config.timezone)
        except TimeFormatError as exc:
            raise UsageError(f"发生时间：{exc}") from exc
    data = render(draft, config).encode("utf-8")
    # whole or not at all, and never over a file that appeared meanwhile: then the next number
    path = create_first_free(_candidates(config, draft.unit.id, when), data, within=config.root)
    if path is None:
        raise _full(config, draft.unit.id, when)
    return path


def _validate(config: Config, d: Draft) -> None:
    for label, value, allowed in (
        ("类别", d.kind, fields.KINDS),
        ("紧急程度", d.urgency, fields.URGENCIES),
        ("密级", d.classification, fields.CLASSIFICATIONS),
    ):
        if value not in allowed:
            hint = "；绝密信息严禁录入本系统" if value == fields.TOP_SECRET else ""
            raise UsageError(f"{label}“{value}”无效：只能是{'/'.join(allowed)}{hint}")
    for value in d.recipients:
        if value not in config.recipients:
            raise UsageError(f"报送对象“{value}”无效：只能是{'、'.join(config.recipients)}")


Ask = Callable[[str, str | None], str]


def interactive(config: Config, unit: Unit, draft: Draft, ask: Ask) -> Draft:
    """Fill what the flags left open by asking, with the defaults shown."""
    draft.title = draft.title or ask("标题（一句话写明核心事实）", None) or None
    draft.kind = ask(f"类别（{'/'.join(fields.KINDS)}）", draft.kind) or draft.kind
    draft.urgency = ask(f"紧急程度（{'/'.join(fields.URGENCIES)}）", draft.urgency) or draft.urgency
    draft.classification = (
        ask(f"密级（{'/'.join(fields.CLASSIFICATIONS)}）", draft.classification) or draft.classification
    )
    if draft.classification in fields.CLASSIFIED and not draft.secrecy_term:
        draft.secrecy_term = ask("保密期限（如1年、6个月）", "1年")
    if (draft.kind == fields.EMERGENCY_KIND or draft.urgency == fields.EMERGENCY_URGENCY) and not draft.occurred_at:
        draft.occurred_at = ask("发生时间（如2026-11-28 08:30，北京时间）", None) or None
    return draft
