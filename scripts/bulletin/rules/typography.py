"""Typography rules per GB/T 15834 and GB/T 15835, and what pasting from Word or WPS or a Traditional
input method leaves (the mechanics live in bulletin.core.typography; zero-width characters and soft
hyphens are the invisible-char rule's, which `bulletin fix` removes from the title and the body)."""

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
    "indent-space",
    "段首空格",
    S.WARNING,
    "typography",
    "段首不用全角空格或不换行空格缩进（从Word、WPS粘贴常带来）：刊物排版时每段自动空两字，手加的空格会多空出来。",
    "\u3000\u300011月27日，修水县召开重点项目推进会。",
    "11月27日，修水县召开重点项目推进会。",
    fixable=True,
)
define(
    "quote-marks",
    "引号",
    S.ERROR,
    "typography",
    "中文用弯引号，外层“”，里层‘’；不用半角引号\"\"''和直角引号「」『』。",
    '阻断村道"双井路"，「文明村」称号',
    "阻断村道“双井路”，“文明村”称号",
    fixable=True,
)
define(
    "ellipsis-dash",
    "省略号和破折号",
    S.ERROR,
    "typography",
    "省略号是居中的六个点“……”，不用“...”“。。。”；破折号是两个“——”，不用“--”（单个“—”是连接号，如北京—上海）。",
    "道路正在抢通...预计今晚--最迟明早通车",
    "道路正在抢通……预计今晚——最迟明早通车",
    fixable=True,
)
define(
    "traditional-char",
    "繁体字",
    S.ERROR,
    "typography",
    "信息一律用规范简体字（按OpenCC繁简转换）；须保留原样的人名、地名由信息处列入bulletin.yml的traditional_exceptions。",
    "共轉移群眾326人，無人員傷亡",
    "共转移群众326人，无人员伤亡",
    fixable=True,
)
define(
    "line-break",
    "段内断行",
    S.WARNING,
    "typography",
    "一段话写成一行，段与段之间空一行：句子中间断行，排版时会多出空格；句末换行而不空行，排版时仍连成一段。",
    "共转移群众\n326人，无人员伤亡。\n目前道路已抢通。",
    "共转移群众326人，无人员伤亡。\n\n目前道路已抢通。",
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
    for problem in typography.problems(item.body, keep=ctx.config.traditional_exceptions):
        # at most FINDINGS_PER_RULE of each rule, then one line for the rest: a text full of
        # half-width punctuation must not flood the report (`bulletin fix` corrects them all)
        counts[problem.rule] = counts.get(problem.rule, 0) + 1
        line = item.body_line + problem.line - 1
        if counts[problem.rule] <= FINDINGS_PER_RULE:
            ctx.emit(problem.rule, line, problem.message)
        elif counts[problem.rule] == FINDINGS_PER_RULE + 1:
            fixable = "（可运行“bulletin fix”自动改正）" if RULES[problem.rule].fixable else ""
            ctx.emit(problem.rule, line, f"从这一行起还有更多同样的问题，不再逐一列出：请全部改正{fixable}")
