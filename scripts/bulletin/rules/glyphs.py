"""Characters no shipped font can print (issue 13, finding 8).

The PDF build refuses a character no face of its font stack has (Typst would print an empty box);
this rule says so when the item is checked, with the same coverage function (desk/fonts.py), so an
item that passes the check is printed. Rare characters of CJK Extension B and later (𠀀, 𪚥) are in
the shipped rare-character faces and pass.
"""

from __future__ import annotations

from bulletin.core.levels import text_field
from bulletin.core.model import Item
from bulletin.core.model import Severity as S
from bulletin.desk.fonts import desk_coverage, shown
from bulletin.rules import Context, check, define

define(
    "glyph-missing",
    "字体中没有的字符",
    S.ERROR,
    "file",
    "标题和正文中的每个字都要能印出来：生僻字（如𠀀、𪚥）有随报送台安装的字体可以印；"
    "私用区字符、未分配的码位和所有字体中都没有的字会印成空白方框，须改用规范汉字或常用写法。",
    "标题: 张\uf8ff同志走访群众",
    "标题: 张𪚥同志走访群众",
)

# where a character is printed: the title in 小标宋, the body in 仿宋 with 黑体 and 楷体 headings
_TITLE_ROLES: tuple[str, ...] = ("title",)
_BODY_ROLES: tuple[str, ...] = ("body", "hei", "kai")


@check
def glyphs(item: Item, ctx: Context) -> None:
    coverage = desk_coverage(ctx.config)
    places: list[tuple[int | None, str, tuple[str, ...]]] = [
        (item.line_of("标题"), text_field(item, "标题") or "", _TITLE_ROLES)
    ]
    places += [(item.body_line + n, line, _BODY_ROLES) for n, line in enumerate(item.body.split("\n"))]
    reported: set[str] = set()
    for line, text, roles in places:
        for ch, _ in coverage.missing(text, roles):  # the first line a character is on
            if ch in reported:
                continue
            reported.add(ch)
            ctx.emit(
                "glyph-missing",
                line,
                f"字符{shown(ch)}在随报送台安装的字体中都没有，印出来会是空白方框：请改用规范汉字或常用写法；"
                "确需此字的，请管理员补充含有该字的字体",
            )
