"""Secrecy rules (密级, 保密期限). 绝密 may never enter a networked system."""

from __future__ import annotations

from bulletin.core import fields, names
from bulletin.core.levels import classification_of
from bulletin.core.model import Item
from bulletin.core.model import Severity as S
from bulletin.core.timing import TimeFormatError, parse_term
from bulletin.rules import Context, check, define

define(
    "top-secret",
    "绝密信息",
    S.ERROR,
    "secrecy",
    "绝密信息严禁通过联网的报送台报送，一律走机要渠道。",
    "密级: 绝密",
    "（绝密信息不录入本系统，按保密规定通过机要渠道报送）",
)
define(
    "classification",
    "密级",
    S.ERROR,
    "secrecy",
    "密级只能是公开、内部、秘密、机密；也可写成“秘密★1年”的标志形式。",
    "密级: 保密",
    "密级: 秘密\n保密期限: 1年",
)
define(
    "secrecy-term",
    "保密期限",
    S.ERROR,
    "secrecy",
    "秘密、机密信息须写保密期限（一年及以上以年计，不足一年以月计），秘密不超过10年、机密不超过20年；公开、内部信息不写保密期限。",
    "密级: 机密",
    "密级: 机密\n保密期限: 5年",
)


@check
def secrecy(item: Item, ctx: Context) -> None:
    level, term, conflict = classification_of(item)
    if not level:
        return
    line = item.lines.get("密级")
    if conflict:
        ctx.emit(
            "secrecy-term",
            item.lines.get("保密期限", line),
            f"密级标志中的期限“{conflict}”与保密期限“{term}”不一致：请只写一处，或改为一致",
        )
    if level == fields.TOP_SECRET:
        ctx.emit(
            "top-secret",
            line,
            "绝密信息严禁通过联网系统报送：请立即关闭此次报送（合并请求），联系信息处删除记录，并按保密规定通过机要渠道报送",
        )
        return
    if level not in fields.CLASSIFICATIONS:
        hint = names.hint(level, fields.CLASSIFICATIONS)
        ctx.emit("classification", line, f"密级“{level}”无效{hint}：只能是{'/'.join(fields.CLASSIFICATIONS)}")
        return
    term_line = item.lines.get("保密期限", line)
    if level not in fields.CLASSIFIED:
        if term:
            ctx.emit("secrecy-term", term_line, f"密级为{level}的信息不写保密期限：请删去“保密期限”，或核实密级")
        return
    if not term:
        ctx.emit(
            "secrecy-term",
            line,
            f"{level}信息须写保密期限：请加上“保密期限: 1年”之类（{level}最长{fields.MAX_TERM_YEARS[level]}年）",
        )
        return
    try:
        number, unit = parse_term(term)
    except TimeFormatError as exc:
        ctx.emit("secrecy-term", term_line, str(exc))
        return
    years = number if unit == "年" else number / 12
    if number <= 0:
        ctx.emit("secrecy-term", term_line, "保密期限须大于零")
    elif years > fields.MAX_TERM_YEARS[level]:
        ctx.emit("secrecy-term", term_line, f"{level}的保密期限不超过{fields.MAX_TERM_YEARS[level]}年，现为“{term}”")
    elif unit == "月" and number >= 12:
        ctx.emit(
            "secrecy-term",
            term_line,
            f"保密期限一年及以上以年计：“{term}”请写成“{number // 12}年”"
            if number % 12 == 0
            else f"保密期限一年及以上以年计，请改写“{term}”",
        )
