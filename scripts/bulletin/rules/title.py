"""Title rules: one line, short, no trailing full stop, at most two parts, Chinese typography."""

from __future__ import annotations

from bulletin.core import typography
from bulletin.core.model import Item
from bulletin.core.model import Severity as S
from bulletin.rules import Context, check, define
from bulletin.rules.header import text_field

define(
    "title-length",
    "标题过长",
    S.ERROR,
    "title",
    "标题一句话写明核心事实，默认不超过40字（可配置）。",
    "标题: 关于我县在推进重点项目建设工作中坚持“三个一批”工作机制有效推动重点项目建设提速增效的情况报告",
    "标题: 修水县“三个一批”推动重点项目提速增效",
)
define(
    "title-format",
    "标题格式",
    S.ERROR,
    "title",
    "标题只写一行，末尾不加句号等标点；最多分两部分，两部分之间用一个半角空格分隔（多余的空格见“多余空格”）。",
    "标题: 永修县集中签约项目22个  总投资86亿元。",
    "标题: 永修县集中签约项目22个 总投资86亿元",
)

_END_PUNCT = "。.，,；;：:、"


@check
def title(item: Item, ctx: Context) -> None:
    value = item.fields.get("标题")
    text = text_field(item, "标题")
    if not text:
        return
    line = item.value_lines.get("标题", item.lines.get("标题"))
    raw = str(value)
    if "\n" in raw.strip():
        ctx.emit("title-format", line, "标题只能写一行：请合并成一句话")
        return
    chars = len(text.replace(" ", ""))
    limit = ctx.config.limits.title_max_chars
    if chars > limit:
        ctx.emit("title-length", line, f"标题{chars}字，超过{limit}字：请砍去修饰语，只留核心事实")
    if text[-1] in _END_PUNCT:
        ctx.emit("title-format", line, f"标题末尾不加“{text[-1]}”：请删去")
    if raw != raw.strip():
        ctx.emit("title-format", line, "标题首尾有空格：请删去")
    keep = ctx.config.traditional_exceptions
    # judged as corrected: a space around a number, or a doubled or full-width space between the two
    # parts, is a spacing defect (stray-space, which fix repairs), not a third part
    parts = typography.title_parts(typography.correct_line(text, spaces=False, keep=keep))
    if parts > 2:
        ctx.emit("title-format", line, f"标题分成了{parts}部分：最多分两部分（两部分之间用一个空格分隔），请精简")
    for problem in typography.problems(text, spaces=False, keep=keep):
        ctx.emit(problem.rule, line, "标题" + problem.message)
