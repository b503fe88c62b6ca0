"""`bulletin new`: write a correct skeleton for a new item, in the unit's folder."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bulletin.core import fields, names
from bulletin.core.fields import PLACEHOLDER
from bulletin.core.levels import as_list
from bulletin.core.model import Config, Unit
from bulletin.core.timing import DateMissing, TimeFormatError, field_time, format_time, now, plain_time
from bulletin.desk.atomic import create_first_free
from bulletin.desk.layout import CALLS, SUBMISSIONS
from bulletin.desk.registers import Call
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
    request: str | None = None  # 约稿: the id of the call this item answers (calls/<year>/<id>.md)
    deadline: str | None = None  # 截止时间: the call's, or one a leader set
    body: str | None = None  # 正文: the 报送 page's; `bulletin new` leaves the placeholder


YAML_SPECIALS = ":#{}[],&*!|>'\"%@`"  # a value with one of these is quoted (the 报送 page gets them as data)


def _yaml_text(value: str) -> str:
    """A value safe to write after 'key: ' (quoted when YAML would misread it)."""
    if value and value == value.strip() and not any(c in value for c in YAML_SPECIALS) and value[0] not in "-?":
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# The skeleton, line by line. Each line is its forms, (condition, template): the first form whose
# condition holds is written, its {slots} filled. A condition names a slot and holds when the slot is
# not empty ("" always holds). `render` fills the table here; the 报送 page's script fills the same
# table (form.json, publish/cms.py's form_spec) with the same slots: config_slots as data, the others
# computed there as `draft_slots` computes them here. So no line of the skeleton is written twice.
Form = tuple[str, str]
SKELETON: tuple[tuple[Form, ...], ...] = (
    (("", "---"),),
    (("", "# 信息头部：# 之后是说明，可以保留。填写规范见《信息写作与报送规范》。"),),
    (
        ("title", "标题: {title}"),
        ("", "标题: {placeholder}：一句话写明核心事实，不超过{title_max}字，末尾不加句号】"),
    ),
    (("", "报送单位: {unit}              # {unit_name}；只能报送本单位的信息"),),
    (
        ("informant", "信息员: {informant}                # 执笔的信息员"),
        ("", "信息员: {placeholder}：信息员姓名】                # 执笔的信息员"),
    ),
    (
        ("approver", "签发人: {approver}                # 签发本条信息的单位领导"),
        ("", "签发人: {placeholder}：签发领导姓名】                # 签发本条信息的单位领导"),
    ),
    (("", "类别: {kind}                # {kinds}"),),
    (("", "紧急程度: {urgency}              # {urgencies}"),),
    (("", "密级: {classification}                  # {classifications}（绝密信息严禁录入本系统）"),),
    (
        ("secrecy_term", "保密期限: {secrecy_term}         # 秘密最长10年，机密最长20年"),
        ("", "# 保密期限: 1年                # 密级为秘密、机密时必填，一年及以上以年计，不足一年以月计"),
    ),
    (
        ("occurred_at", "发生时间: {occurred_at}     # 北京时间；决定报送时限（特急：事发后2小时内报市委）"),
        ("emergency", "发生时间: {placeholder}：{now}】  # 突发性、特急信息必填，北京时间，写到几时几分"),
        ("", "# 发生时间: {now}   # 突发性或特急信息必填，北京时间"),
    ),
    (("", "# 事件等级: 一般               # 突发事件的等级：特别重大/重大/较大/一般，决定报送时限"),),
    (("", "# 事件: 2026/1109-chaisang      # 信息处已登记该事件时，写事件编号"),),
    (
        (
            "",
            "报送对象: [{recipients}]      # {all_recipients}；突发性、特急信息必须报{emergency_recipient}",
        ),
    ),
    (
        ("topics", "主题: [{topics}]          # 可选：{topic_examples}等"),
        ("first_topic", "# 主题: [{first_topic}]          # 可选：{topic_examples}等"),
        ("", "# 主题: [项目建设]          # 可选：{topic_examples}等"),
    ),
    (
        ("answered_topic", "约稿: {request}      # {answered_topic}"),
        ("request", "约稿: {request}      # 所响应的约稿编号"),
        ("open_call", "# 约稿: {open_call}      # 响应约稿“{open_call_topic}”时写约稿编号"),
        ("", "# 约稿: {year}/1112-anquan      # 响应信息处约稿时写约稿编号"),
    ),
    (
        ("deadline", "截止时间: {deadline}     # 约稿或领导要求的截止时间，北京时间"),
        ("", "# 截止时间: {date} 17:00   # 约稿或领导要求了明确的截止时间时写"),
    ),
    (
        ("follows", "续报: {follows}          # 所续报的首报编号"),
        ("", "# 续报: {unit}/{year}/1112-01   # 续报时写首报的编号"),
    ),
    (("", "---"),),
    (("", ""),),
    (
        ("body", "{body}"),
        (
            "",
            "{placeholder}：正文。一事一报，开门见山写清时间、地点、事情、做法或影响，通常二三百字。"
            "突发事件写明发生时间、地点、经过、伤亡和损失、已采取的措施、到场领导，先报基本情况，再续报】",
        ),
    ),
    (("", ""),),  # the file ends with a newline
)
SLOT = re.compile(r"\{([a-z_]+)\}")  # a slot in a template (the page's script uses the same pattern)


def config_slots(config: Config) -> dict[str, str]:
    """The slots that depend on the desk's configuration alone (the 报送 page gets them as data)."""
    return {
        "placeholder": PLACEHOLDER,
        "title_max": str(config.limits.title_max_chars),
        "kinds": "/".join(fields.KINDS),
        "urgencies": "/".join(fields.URGENCIES),
        "classifications": "/".join(fields.CLASSIFICATIONS),
        "all_recipients": "、".join(config.recipients),
        "emergency_recipient": config.emergency_recipient,
        "topic_examples": "、".join(config.topics[:6]),
        "first_topic": config.topics[0] if config.topics else "",
    }


def draft_slots(draft: Draft, config: Config, today: dt.datetime) -> dict[str, str]:
    """The slots of one draft at `today` (a minute in the desk's timezone); an empty slot is one not
    given. The 报送 page's script computes the same (submit.js's draftSlots)."""
    d = draft
    calls = open_calls(config, d.unit, today)
    answered = next((c for c in load_calls(config) if c.id == d.request), None) if d.request else None
    informant = d.informant or (d.unit.informants[0].name if d.unit.informants else "")
    approver = d.approver or d.unit.leader
    return {
        "unit": d.unit.id,
        "unit_name": d.unit.name,
        "title": _yaml_text(d.title) if d.title else "",
        "informant": _yaml_text(informant) if informant else "",
        "approver": _yaml_text(approver) if approver else "",
        "kind": d.kind,
        "urgency": d.urgency,
        "classification": d.classification,
        "secrecy_term": d.secrecy_term or "",
        "occurred_at": d.occurred_at or "",
        "emergency": "yes" if d.kind == fields.EMERGENCY_KIND or d.urgency == fields.EMERGENCY_URGENCY else "",
        "recipients": ", ".join(d.recipients or config.recipients),
        "topics": ", ".join(d.topics),
        "request": d.request or "",
        "answered_topic": answered.topic if answered else "",
        "open_call": calls[0].id if calls else "",
        "open_call_topic": calls[0].topic if calls else "",
        "deadline": d.deadline or "",
        "follows": d.follows or "",
        "body": d.body or "",
        "now": plain_time(today),
        "year": str(today.year),
        "date": f"{today:%Y-%m-%d}",
    }


def fill(table: tuple[tuple[Form, ...], ...], slots: dict[str, str]) -> str:
    """Each line's first form whose condition holds, its slots filled (a slot's value is taken as it is)."""
    lines = []
    for forms in table:
        template = next(t for condition, t in forms if not condition or slots[condition])
        lines.append(SLOT.sub(lambda m: slots[m[1]], template))
    return "\n".join(lines)


def render(draft: Draft, config: Config, today: dt.datetime | None = None) -> str:
    """The skeleton of an item; the times it shows as examples are of `today` (default: now)."""
    today = (today or now()).astimezone(config.timezone).replace(second=0, microsecond=0)
    return fill(SKELETON, {**config_slots(config), **draft_slots(draft, config, today)})


MAX_PER_DAY = 99


def _candidates(config: Config, unit_id: str, when: dt.datetime) -> list[Path]:
    folder = config.root / SUBMISSIONS / unit_id / f"{when.year}"
    return [folder / f"{when:%m%d}-{number:02d}.md" for number in range(1, MAX_PER_DAY + 1)]


def _full(config: Config, unit_id: str, when: dt.datetime) -> UsageError:
    folder = (config.root / SUBMISSIONS / unit_id / f"{when.year}").relative_to(config.root).as_posix()
    return UsageError(f"{folder}下{when:%m月%d日}的信息已有{MAX_PER_DAY}条：请检查是否重复生成")


def create(config: Config, draft: Draft, today: dt.datetime) -> Path:
    """Write the skeleton to a new file (never overwrites); return its path."""
    _validate(config, draft, today)
    when = today
    if draft.occurred_at:
        when = _time(config, "发生时间", draft.occurred_at, today)
    data = render(draft, config, today).encode("utf-8")
    # whole or not at all, and never over a file that appeared meanwhile: then the next number
    path = create_first_free(_candidates(config, draft.unit.id, when), data, within=config.root)
    if path is None:
        raise _full(config, draft.unit.id, when)
    return path


def load_calls(config: Config) -> list[Call]:
    """The calls for information registered in the desk (calls/), or none."""
    from bulletin.desk.registers import load_records

    return load_records(config).calls if (config.root / CALLS).is_dir() else []


def open_calls(config: Config, unit: Unit, today: dt.datetime) -> list[Call]:
    """The calls addressed to `unit` whose deadline has not passed, the soonest first."""
    return sorted(
        (c for c in load_calls(config) if unit.id in c.units and c.deadline >= today), key=lambda c: c.deadline
    )


def _validate(config: Config, d: Draft, today: dt.datetime) -> None:
    for label, value, allowed in (
        ("类别", d.kind, fields.KINDS),
        ("紧急程度", d.urgency, fields.URGENCIES),
        ("密级", d.classification, fields.CLASSIFICATIONS),
    ):
        problem = _choice_problem(label, value, allowed)
        if problem:
            raise UsageError(problem)
    for value in d.recipients:
        if value not in config.recipients:
            raise UsageError(_list_problem("报送对象", value, config.recipients))
    for key, written in (("发生时间", d.occurred_at), ("截止时间", d.deadline)):
        if written:
            _time(config, key, written, today)
    wrong = _request_problem(config, d.unit, d.request) if d.request else None
    if wrong:
        raise UsageError(wrong)


def _topic_asker(config: Config) -> Callable[[str], str | None]:
    """Any 主题 is taken (one outside the list is a warning, as at the check: topic_notes), but one
    that looks like a listed one (zsyz, 招商) is asked again once, with it as the default."""
    from bulletin.rules.header import topic_problem

    asked: set[str] = set()

    def problem(answer: str) -> str | None:
        for topic in _split(answer):
            found = topic_problem(config, topic)
            if found and "您是不是要写" in found and topic not in asked:
                asked.add(topic)
                return f"{found}；照写请再输入一次“{topic}”"
        return None

    return problem


def topic_notes(config: Config, d: Draft) -> list[str]:
    """What the check will warn of the draft's 主题 (topic-unknown), said when the file is written."""
    from bulletin.rules.header import topic_problem

    return [p for p in (topic_problem(config, t) for t in d.topics) if p]


def _choice_problem(label: str, value: str, allowed: tuple[str, ...]) -> str | None:
    if value in allowed:
        return None
    if value == fields.TOP_SECRET:
        return f"{label}“{value}”无效：只能是{'/'.join(allowed)}；绝密信息严禁录入本系统"
    return f"{label}“{value}”无效{names.hint(value, allowed)}：只能是{'/'.join(allowed)}"


def _list_problem(label: str, value: str, allowed: tuple[str, ...]) -> str:
    return f"{label}“{value}”无效{names.hint(value, allowed)}：只能是{'、'.join(allowed)}"


def _time(config: Config, label: str, value: str, today: dt.datetime) -> dt.datetime:
    try:
        return field_time(value, config.timezone, example=today)
    except DateMissing as exc:
        raise UsageError(f"{label}{exc}：请写明年月日和钟点，如“{exc.corrected(today, config.timezone)}”") from exc
    except TimeFormatError as exc:
        raise UsageError(f"{label}：{exc}") from exc


def _request_problem(config: Config, unit: Unit, request: str) -> str | None:
    """Why `request` is not the id of a call of the desk (a desk without calls/ takes any well-formed id)."""
    from bulletin.rules.events import RECORD_ID

    calls = load_calls(config)
    if RECORD_ID.match(request) and (not (config.root / CALLS).is_dir() or any(c.id == request for c in calls)):
        return None
    found = names.suggestions(request, [(c.id, c.id) for c in calls] + [(c.topic, c.id) for c in calls])
    hint = f"，{names.did_you_mean([f'“{c}”' for c in found])}" if found else ""
    mine = [c for c in calls if unit.id in c.units]
    known = "；发给本单位的约稿：" + "、".join(f"{c.id}（{c.topic}）" for c in mine) if mine else ""
    return f"约稿“{request}”不是登记的约稿编号{hint}：请照抄约稿通知上的编号（年份/编号，见{CALLS}/）{known}"


Ask = Callable[[str, str | None], str]
TRIES = 3  # a wrong answer is asked again, with what was wrong, this many times in all


def _ask_until(ask: Ask, prompt: str, default: str | None, problem: Callable[[str], str | None]) -> str:
    """Ask until the answer is right, saying what was wrong; what the message suggests (one
    did-you-mean, a time made whole) becomes the default of the next try: Enter takes it."""
    shown, last = prompt, ""
    for _ in range(TRIES):
        answer = ask(shown, default).strip()
        wrong = problem(answer) if answer else None
        if wrong is None:
            return answer
        meant = _MEANT.findall(wrong.split("：", 1)[0])
        whole = _WHOLE.findall(wrong)
        default = meant[0] if len(meant) == 1 else whole[0] if whole else default
        shown, last = f"{wrong}\n{prompt}", wrong
    raise UsageError(f"{last}（已问{TRIES}次，未生成文件）")


_MEANT = re.compile(r"您是不是要写“([^”]+)”")
_WHOLE = re.compile(r"请写明年月日和钟点，如“([^”]+)”")


def _call_hint(calls: list[Call], tz: dt.tzinfo) -> str:
    if not calls:
        return "没有发给本单位、尚未截止的约稿"
    return "发给本单位的约稿：" + "；".join(f"{c.id}（{c.topic}，{format_time(c.deadline, tz)}截止）" for c in calls)


def interactive(config: Config, unit: Unit, draft: Draft, ask: Ask, today: dt.datetime | None = None) -> Draft:
    """Fill what the flags left open by asking, with the defaults shown; a wrong answer is asked again
    with what is wrong (and a did-you-mean)."""
    today = today or now()
    draft.title = draft.title or ask("标题（一句话写明核心事实）", None) or None
    draft.kind = (
        _ask_until(
            ask, f"类别（{'/'.join(fields.KINDS)}）", draft.kind, lambda v: _choice_problem("类别", v, fields.KINDS)
        )
        or draft.kind
    )
    draft.urgency = (
        _ask_until(
            ask,
            f"紧急程度（{'/'.join(fields.URGENCIES)}）",
            draft.urgency,
            lambda v: _choice_problem("紧急程度", v, fields.URGENCIES),
        )
        or draft.urgency
    )
    draft.classification = (
        _ask_until(
            ask,
            f"密级（{'/'.join(fields.CLASSIFICATIONS)}）",
            draft.classification,
            lambda v: _choice_problem("密级", v, fields.CLASSIFICATIONS),
        )
        or draft.classification
    )
    if draft.classification in fields.CLASSIFIED and not draft.secrecy_term:
        draft.secrecy_term = ask("保密期限（如1年、6个月）", "1年")
    emergency = draft.kind == fields.EMERGENCY_KIND or draft.urgency == fields.EMERGENCY_URGENCY
    if emergency and not draft.occurred_at:
        draft.occurred_at = (
            _ask_until(
                ask,
                f"发生时间（北京时间，写到几时几分，如{plain_time(today.astimezone(config.timezone))}）",
                None,
                lambda v: _problem_of(lambda: _time(config, "发生时间", v, today)),
            )
            or None
        )
    if not draft.recipients:
        must = f"；突发性、特急信息必须报{config.emergency_recipient}" if emergency else ""
        answer = _ask_until(
            ask,
            f"报送对象（{'、'.join(config.recipients)}，可都写，用顿号分隔{must}）",
            "、".join(config.recipients),
            lambda v: next(
                (_list_problem("报送对象", x, config.recipients) for x in _split(v) if x not in config.recipients), None
            ),
        )
        draft.recipients = tuple(_split(answer))
    if not draft.topics and config.topics:
        answer = _ask_until(
            ask,
            f"主题（可选：{'、'.join(config.topics)}；多个用顿号分隔，可不填）",
            None,
            _topic_asker(config),
        )
        draft.topics = tuple(_split(answer))
    if not draft.request:
        calls = open_calls(config, unit, today)
        draft.request = (
            _ask_until(
                ask,
                f"约稿（回应信息处约稿时写约稿编号，否则不填；{_call_hint(calls, config.timezone)}）",
                None,
                lambda v: _request_problem(config, unit, v),
            )
            or None
        )
    if not draft.deadline:
        call = next((c for c in load_calls(config) if c.id == draft.request), None) if draft.request else None
        draft.deadline = (
            _ask_until(
                ask,
                "截止时间（约稿或领导要求了明确的截止时间时写，北京时间，否则不填）",
                plain_time(call.deadline, config.timezone) if call else None,
                lambda v: _problem_of(lambda: _time(config, "截止时间", v, today)),
            )
            or None
        )
    return draft


def _split(answer: str) -> list[str]:
    return as_list(answer) or []


def _problem_of(attempt: Callable[[], object]) -> str | None:
    try:
        attempt()
    except UsageError as exc:
        return str(exc)
    return None
