"""Typography rules per GB/T 15834 and GB/T 15835 (the mechanics live in bulletin.core.typography)."""

from __future__ import annotations

from bulletin.core import typography
from bulletin.core.model import Item
from bulletin.core.model import Severity as S
from bulletin.desk.read import FINDINGS_PER_RULE
from bulletin.rules import RULES, Context, check, define

define(
    "halfwidth-punct",
    "半角标点",
    S.ERROR,
    "typography",
    "中文里用全角标点（，。；：！？（））；半角标点只用于外文和数字之间（如3.5）。",
    "今天,全市召开会议(视频).",
    "今天，全市召开会议（视频）。",
    fixable=True,
)
define(
    "fullwidth-char",
    "全角数字字母",
    S.ERROR,
    "typography",
    "阿拉伯数字和外文字母一律用半角（GB/T 15835）。",
    "增长１２．５％，ＧＤＰ",
    "增长12.5%，GDP",
    fixable=True,
)
define(
    "stray-space",
    "多余空格",
    S.WARNING,
    "typography",
    "公文中汉字与数字、外文字母、标点之间不加空格。",
    "全年 签约 22 个 项目",
    "全年签约22个项目",
    fixable=True,
)
define(
    "lost-char",
    "丢失的字",
    S.ERROR,
    "typography",
    "两个数字或两个汉字之间的“?”或“�”，多是编码转换时丢失的字（如“11·26”变成“11?26”），须对照原稿改回。",
    "“11?26”九江地震",
    "“11·26”九江地震",
)


@check
def body_typography(item: Item, ctx: Context) -> None:
    counts: dict[str, int] = {}
    for problem in typography.problems(item.body):
        # at most FINDINGS_PER_RULE of each rule, then one line for the rest: a text full of
        # half-width punctuation must not flood the report (`bulletin fix` corrects them all)
        counts[problem.rule] = counts.get(problem.rule, 0) + 1
        line = item.body_line + problem.line - 1
        if counts[problem.rule] <= FINDINGS_PER_RULE:
            ctx.emit(problem.rule, line, problem.message)
        elif counts[problem.rule] == FINDINGS_PER_RULE + 1:
            fixable = "（可运行“bulletin fix”自动改正）" if RULES[problem.rule].fixable else ""
            ctx.emit(problem.rule, line, f"从这一行起还有更多同样的问题，不再逐一列出：请全部改正{fixable}")
