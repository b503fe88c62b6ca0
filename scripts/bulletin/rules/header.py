"""Front-matter rules: required keys, types, enumerations, unit, informant, recipients, topics."""

from __future__ import annotations

import datetime as dt
import re

from bulletin.core import fields, names
from bulletin.core.levels import as_list, as_text, text_field
from bulletin.core.model import Config, Item, Unit
from bulletin.core.model import Severity as S
from bulletin.core.timing import DateMissing, TimeFormatError, field_time
from bulletin.rules import Context, check, define

define(
    "missing-field",
    "缺少必填项",
    S.ERROR,
    "fields",
    "标题、报送单位、信息员、签发人、类别、紧急程度、密级、报送对象必须填写。",
    "标题: 修水县推进重点项目\n报送单位: xiushui",
    "标题: 修水县推进重点项目\n报送单位: xiushui\n信息员: 李明\n签发人: 王强\n类别: 普遍性\n紧急程度: 平件\n密级: 内部\n报送对象: [市委, 市政府]",
)
define(
    "field-type",
    "填写形式",
    S.ERROR,
    "fields",
    "每项的写法须符合要求：文字项写一行文字，报送对象、主题写成列表。",
    "标题:\n  - 修水县推进重点项目",
    "标题: 修水县推进重点项目",
)
define(
    "invalid-value",
    "取值无效",
    S.ERROR,
    "fields",
    "类别、紧急程度、密级只能取规定的值。",
    "类别: 经验类\n紧急程度: 紧急",
    "类别: 普遍性\n紧急程度: 加急",
)
define(
    "unit-unknown",
    "报送单位不在名册",
    S.ERROR,
    "fields",
    "报送单位须是信息网络名册中的单位（代号、名称或别名）。",
    "报送单位: 修水县政府办",
    "报送单位: 修水县委办公室",
)
define(
    "unit-lookalike",
    "报送单位写法混淆",
    S.ERROR,
    "fields",
    "报送单位须与名册逐字相同：不能夹带看不见的字符，不能用全角字母、部首等形近字符或繁体字，"
    "否则看起来一样的名称实际不同。",
    "报送单位: 濂溪區",
    "报送单位: 濂溪区",
)
define(
    "unit-folder",
    "报送单位与文件夹不符",
    S.ERROR,
    "fields",
    "报送单位须与文件所在的submissions/<单位代号>/文件夹一致，不能替其他单位报送。",
    "（文件在submissions/wuning/下）\n报送单位: 修水县",
    "（文件在submissions/xiushui/下）\n报送单位: 修水县",
)
define(
    "informant-unknown",
    "信息员未登记",
    S.WARNING,
    "fields",
    "信息员应是名册中本单位登记的信息员；新信息员请联系信息处登记。",
    "信息员: 张三（未登记）",
    "信息员: 李明",
)
define(
    "recipients",
    "报送对象",
    S.ERROR,
    "fields",
    "报送对象只能是市委、市政府；突发性或特急信息必须报市委，不能只报市政府。",
    "类别: 突发性\n报送对象: [市政府]",
    "类别: 突发性\n报送对象: [市委, 市政府]",
)
define(
    "topic-unknown",
    "主题不在目录",
    S.WARNING,
    "fields",
    "主题应从配置的中心工作目录中选择。",
    "主题: [招商]",
    "主题: [招商引资]",
)
define(
    "bad-reference",
    "编号写法",
    S.ERROR,
    "fields",
    "约稿、续报写编号：续报写所续信息的编号（单位代号/年份/文件名），约稿写约稿编号。",
    "续报: 昨天那条",
    "续报: xiushui/2026/1112-01",
)
define(
    "follows-missing",
    "续报对象不存在或不是本单位的",
    S.ERROR,
    "fields",
    "续报所指的首报信息应是本单位已报送的信息（先报首报，再报续报）；不接续本单位首报的信息按首报判断时限。",
    "续报: xiushui/2026/1199-01",
    "续报: xiushui/2026/1112-01",
)

_REF = re.compile(r"^[a-z0-9][a-z0-9-]*/\d{4}/[0-9A-Za-z][0-9A-Za-z_-]*$")
_REQUEST = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_/-]{0,80}$")


def resembling(config: Config, ref: str) -> tuple[Unit, str] | None:
    """The unit whose id, name or alias `ref` only looks like (same after names.fold), and that spelling."""
    folded = names.fold(ref)
    if not folded:
        return None
    for unit in config.units:
        for written in (unit.id, unit.name, *unit.aliases):
            if names.fold(written) == folded:
                return unit, written
    return None


def unit_hint(config: Config, ref: str) -> str:
    """The units `ref` probably means (names.suggestions over ids, names and aliases), as the end of
    a message: “，您是不是要写“修水县”（代号xiushui）”, several when it is ambiguous, or nothing."""
    choices = [(spelling, unit.id) for unit in config.units for spelling in (unit.id, unit.name, *unit.aliases)]
    shown = []
    for unit_id in names.suggestions(ref, choices):
        found = config.unit(unit_id)
        if found is not None:
            shown.append(f"“{found.name}”（代号{found.id}）")
    return f"，{names.did_you_mean(shown)}" if shown else ""


_DAY_STEM = re.compile(r"^(?P<m>\d{2})(?P<d>\d{2})(?:[-_]|$)")


def example_moment(ctx: Context) -> dt.datetime:
    """The time a message suggests writing: the item's own day (its file name, 1128-01.md in
    2026/) or else the day it is received, at the minute it is received (now, or --received-at)."""
    tz = ctx.config.timezone
    received = ctx.received_at.astimezone(tz).replace(second=0, microsecond=0)
    m = _DAY_STEM.match(ctx.location.stem) if ctx.location else None
    if ctx.location is not None and m is not None:
        try:
            return received.replace(year=int(ctx.location.year), month=int(m["m"]), day=int(m["d"]))
        except ValueError:  # 0230-01.md: not a day
            pass
    return received


def time_field(item: Item, ctx: Context, key: str, require_clock: bool = False) -> dt.datetime | None:
    """The time written under `key` (发生时间, 截止时间), or None: absent, or unreadable (then a
    time-format finding says what was written and how to write it, with the item's own day)."""
    value = item.fields.get(key)
    if value in (None, ""):
        return None
    example = example_moment(ctx)
    try:
        return field_time(value, ctx.config.timezone, require_clock, example)
    except DateMissing as exc:
        corrected = exc.corrected(example, ctx.config.timezone)
        ctx.emit("time-format", item.lines[key], f"{key}{exc}：请写明年月日和钟点，如“{key}: {corrected}”")
    except TimeFormatError as exc:
        ctx.emit("time-format", item.lines[key], f"{key}：{exc}")
    return None


def is_emergency(item: Item) -> bool:
    return text_field(item, "类别") == fields.EMERGENCY_KIND or text_field(item, "紧急程度") == fields.EMERGENCY_URGENCY


@check
def required_and_types(item: Item, ctx: Context) -> None:
    for f in fields.FIELDS:
        if f.key not in item.fields or item.fields[f.key] in (None, "", []):
            if f.required and f.key in item.fields:  # written, but with nothing (or ~, null) after it
                ctx.emit("missing-field", item.lines[f.key], f"“{f.key}”没有填写内容（{f.help}）：请在冒号后填写")
            elif f.required:
                ctx.emit("missing-field", None, f"缺少“{f.key}”（{f.help}）：请在头部信息中加上“{f.key}: ……”")
            elif f.key in item.fields:
                ctx.emit("field-type", item.lines[f.key], f"“{f.key}”没有填写内容：请填写，或删去这一行")
            continue
        value = item.fields[f.key]
        ok = as_list(value) is not None if f.shape == "list" else as_text(value) is not None
        if ok and f.shape != "list" and "\n" in str(value).strip():
            ok = False
        if not ok:
            shape = "列表，如[市委, 市政府]" if f.shape == "list" else "一行文字"
            ctx.emit("field-type", item.lines[f.key], f"“{f.key}”应写成{shape}")


@check
def enumerations(item: Item, ctx: Context) -> None:
    for key, allowed in (("类别", fields.KINDS), ("紧急程度", fields.URGENCIES)):
        value = text_field(item, key)
        if value and value not in allowed:
            hint = names.hint(value, allowed)
            ctx.emit("invalid-value", item.lines[key], f"{key}“{value}”无效{hint}：只能是{'/'.join(allowed)}")


@check
def unit(item: Item, ctx: Context) -> None:
    ref = text_field(item, "报送单位")
    if not ref:
        return
    unit = ctx.config.unit_by_ref(ref)
    line = item.lines["报送单位"]
    if unit is None:
        near = resembling(ctx.config, ref)
        if near is not None:
            resembled, written = near
            ctx.emit(
                "unit-lookalike",
                line,
                f"报送单位“{names.visible(ref)}”看起来像名册中的“{written}”（{resembled.name}，代号{resembled.id}），"
                f"但并不相同：{names.explain(ref)}。请照名册写作“{written}”",
            )
            return
        ctx.emit(
            "unit-unknown",
            line,
            f"报送单位“{names.visible(ref)}”不在信息网络名册中{unit_hint(ctx.config, ref)}："
            "请写本单位的代号、名称或别名（见network.yml）",
        )
        return
    if ctx.location and ctx.location.unit_id != unit.id:
        folder = ctx.config.unit(ctx.location.unit_id)
        folder_name = folder.name if folder else ctx.location.unit_id
        ctx.emit(
            "unit-folder",
            line,
            f"报送单位“{ref}”（{unit.name}）与文件夹submissions/{ctx.location.unit_id}/（{folder_name}）不一致："
            "只能报送本单位的信息，请把文件放到本单位的文件夹，或改正报送单位",
        )
    informant = text_field(item, "信息员")
    if informant and informant not in {i.name for i in unit.informants}:
        known = "、".join(i.name for i in unit.informants) or "（尚未登记信息员）"
        ctx.emit(
            "informant-unknown",
            item.lines["信息员"],
            f"信息员“{informant}”未在{unit.name}的名册中登记（已登记：{known}）：请联系信息处登记",
        )


@check
def recipients(item: Item, ctx: Context) -> None:
    values = as_list(item.fields.get("报送对象"))
    if not values:
        return
    line = item.lines["报送对象"]
    allowed = ctx.config.recipients
    for value in values:
        if value not in allowed:
            hint = names.hint(value, allowed)
            ctx.emit("recipients", line, f"报送对象“{value}”无效{hint}：只能是{'、'.join(allowed)}")
    must = ctx.config.emergency_recipient
    if is_emergency(item) and must not in values:
        ctx.emit(
            "recipients",
            line,
            f"突发性、特急信息必须报送{must}，不能只报{'、'.join(values)}：请在报送对象中加上“{must}”",
        )


def topic_problem(config: Config, value: str) -> str | None:
    """Why a 主题 is not one of the configured ones (a warning: `bulletin new` writes it, the check
    lets it through, both saying this)."""
    if value in config.topics:
        return None
    return f"主题“{value}”不在中心工作目录中{names.hint(value, config.topics)}（可选：{'、'.join(config.topics)}）"


@check
def topics(item: Item, ctx: Context) -> None:
    for value in as_list(item.fields.get("主题")) or []:
        problem = topic_problem(ctx.config, value)
        if problem:
            ctx.emit("topic-unknown", item.lines["主题"], problem)


def follows_problem(ctx: Context, follows: str) -> str | None:
    """Why this item's 续报 does not continue a real chain of its unit's reports (bulletin.duty.engine decides):
    the first report must be in the desk or received by the office (it may still wait in a pull request)."""
    from bulletin.desk.receipts import read_receipts
    from bulletin.duty.engine import follows_problem as judged

    assert ctx.location is not None
    rel = f"submissions/{follows}.md"
    # in the desk, or received and waiting in a pull request (the receipts are asked only then)
    known = (ctx.config.root / rel).is_file() or rel in read_receipts(ctx.config.root, [rel])
    return judged(ctx.location.item_id, follows, {follows: follows.split("/", 1)[0]} if known else {})


@check
def references(item: Item, ctx: Context) -> None:
    final = item.fields.get("终报")
    if final not in (None, "") and str(final).strip() not in ("是", "否"):
        ctx.emit("invalid-value", item.lines.get("终报"), f"终报“{final}”无效：是最后一次报告写“是”，否则不写这一行")
    follows = text_field(item, "续报")
    if follows:
        if not _REF.match(follows):
            ctx.emit(
                "bad-reference",
                item.lines["续报"],
                f"续报“{follows}”的写法不对：应写首报的编号，如xiushui/2026/1112-01",
            )
        elif ctx.location and follows == ctx.location.item_id:
            ctx.emit("bad-reference", item.lines["续报"], "续报不能指向自己：请写首报的编号")
        elif ctx.location and (problem := follows_problem(ctx, follows)):
            ctx.emit("follows-missing", item.lines["续报"], problem)
    request = text_field(item, "约稿")
    if request and not _REQUEST.match(request):
        ctx.emit(
            "bad-reference", item.lines["约稿"], f"约稿编号“{request}”的写法不对：请照抄约稿通知上的编号，如2026-11-03"
        )
