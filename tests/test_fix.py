"""`bulletin fix` touches nothing it cannot read, and never rewrites Markdown syntax as prose.

Issue 12, findings 8 (fix rewrote headers it could not parse), 9 (fix turned an image's “!” into “！”)
and the fix-related part of 11 (UTF-32 called UTF-16; a FIFO or a link to /dev/zero called “not
found”; a registry outside the desk).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bulletin import typography
from bulletin.check import check_file
from bulletin.fix import FixResult, fix_file
from bulletin.model import Config, Item
from bulletin.read import parse_item
from bulletin.rules import RULES
from conftest import MakeItem
from test_rules import RECEIVED, item_text

HEAD = (
    "标题: 修水县召开重点项目建设推进会\n报送单位: xiushui\n信息员: 匡小平\n签发人: 冷德胜\n类别: 普遍性\n"
    "紧急程度: 平件\n密级: 内部\n报送对象: [市委, 市政府]\n主题: [项目建设]\n"
)
TYPO_BODY = "今天,我们开会.全年 签约 22 个项目.\n"


def _fix(path: Path, write: bool = True) -> FixResult:
    return fix_file(path, path.name, write=write)


def _read(data: bytes) -> Item:
    item, _ = parse_item(data, Item("x.md", Path("x.md"), ""), [])
    return item


# ---------------------------------------------------------------- finding 9: Markdown syntax is not prose


CONSTRUCTS = {
    # name: (body as written, body as fixed)
    "image-after-full-width-comma": ("事故现场如图，![现场](pic.png)", "事故现场如图，![现场](pic.png)"),
    "image-after-half-width-comma": ("事故现场如图,![现场](pic.png)", "事故现场如图，![现场](pic.png)"),
    "image-after-han": ("事故现场如图![现场](pic.png)", "事故现场如图![现场](pic.png)"),
    "link-target-with-parentheses": ("详见[说明](docs/a(1),b.md),请阅.", "详见[说明](docs/a(1),b.md)，请阅。"),
    "link-title": ('详见[说明](a.md "说明,一"),请阅.', '详见[说明](a.md "说明,一")，请阅。'),
    "inline-code": ("运行`a,b;c`命令,好.", "运行`a,b;c`命令，好。"),
    "inline-code-double-backticks": ("运行``a`b,中;文``命令,好.", "运行``a`b,中;文``命令，好。"),
    "inline-code-over-two-lines": ("运行`中,\n文;c`命令.", "运行`中,\n文;c`命令."),
    "fenced-code-backticks": ("正文。\n\n```\n中文,代码;\n```", "正文。\n\n```\n中文,代码;\n```"),
    "fenced-code-tildes": ("正文。\n\n~~~\n中文,代码;\n~~~", "正文。\n\n~~~\n中文,代码;\n~~~"),
    "fenced-code-longer-fence": (
        "````\n```\n中文,代码;\n````\n\n正文,好.",
        "````\n```\n中文,代码;\n````\n\n正文，好。",
    ),
    "fenced-code-indented-fence": ("  ```\n中文,代码;\n  ```", "  ```\n中文,代码;\n  ```"),
    "indented-code-block": ("正文,好.\n\n    中文,代码;\n\n正文,好.", "正文，好。\n\n    中文,代码;\n\n正文，好。"),
    "autolink": ("见<https://a.cn/中,文>,好.", "见<https://a.cn/中,文>，好。"),
    "bare-address": ("见https://a.cn/a,b 两处,好.", "见https://a.cn/a,b 两处，好。"),
    "html-entity": ("中文&amp;中文,好.", "中文&amp;中文，好。"),
    "numeric-entity": ("中文&#12290;中文", "中文&#12290;中文"),
    "backslash-escape": ("中文\\!中文\\,好", "中文\\!中文\\,好"),
    "reference-definition": ('见[说明][1]。\n\n[1]: a.md "说明,一"', '见[说明][1]。\n\n[1]: a.md "说明,一"'),
    "reference-label": ("见[说明][资料,一],好.\n\n[资料,一]: a.md", "见[说明][资料,一]，好。\n\n[资料,一]: a.md"),
    "html-tag": ('中文<span title="a,中">文</span>', '中文<span title="a,中">文</span>'),
}


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_fix_never_rewrites_markdown_syntax(make_item: MakeItem, name: str) -> None:
    body, fixed = CONSTRUCTS[name]
    assert typography.correct_body(body) == fixed
    path = make_item(item_text(body))
    _fix(path)
    assert path.read_text("utf-8") == item_text(fixed)


@pytest.mark.parametrize("name", sorted(CONSTRUCTS))
def test_check_reports_as_fixable_exactly_what_fix_changes(demo_config: Config, make_item: MakeItem, name: str) -> None:
    body, fixed = CONSTRUCTS[name]
    path = make_item(item_text(body))
    config = demo_config
    fixable = [f for f in check_file(config, path, RECEIVED) if RULES[f.rule].fixable]
    changed = _fix(path).written
    assert bool(fixable) == changed == (body != fixed), fixable
    assert [f for f in check_file(config, path, RECEIVED) if RULES[f.rule].fixable] == []


def test_the_issue_s_image_is_neither_reported_nor_destroyed(demo_config: Config, make_item: MakeItem) -> None:
    path = make_item(item_text("事故现场如图，![现场](pic.png)"))
    (path.parent / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert not [f for f in check_file(demo_config, path, RECEIVED) if f.rule == "halfwidth-punct"]
    before = path.read_bytes()
    result = _fix(path)
    assert path.read_bytes() == before and not result.written and result.changes == []


_MARKDOWN_PIECES = [
    *"修水县开会，。！：,.;:!?()１Ａ \t\n`*_[]<>&\\#-",
    "\n\n",
    "```\n",
    "~~~\n",
    "    ",
    "1. ",
    "１. ",
    "- ",
    "> ",
    "# ",
    "![现场](pic.png)",
    "[说明](a,b.md)",
    "[文][1]",
    "[1]: a,b.md\n",
    '[说明,一]: a.md "题,名"\n',
    "[说明,一]",
    "<http://a.cn/x,y>",
    "<b>",
    "&amp;",
    "&#12290;",
    "\\!",
    "https://x.cn/a,b ",
    "``",
]
markdown_bodies = st.lists(st.sampled_from(_MARKDOWN_PIECES), max_size=30).map("".join)


@settings(max_examples=1000, deadline=None)
@given(markdown_bodies)
@example("事故现场如图，![现场](pic.png)")
@example("见[说明,一]。\n\n[说明,一]: a.md")
@example("正文\n\n１. 项目,好")
@example("运行`中,\n文`命令")
def test_fix_never_changes_the_markdown_structure_of_a_body(body: str) -> None:
    """The blocks and their lines, link, image and reference targets, code, HTML, entities and escapes
    of a body are the same after fix as before (markdown-it, as the body rules read them)."""
    fixed = typography.correct_body(body)
    assert typography.markdown_shape(fixed) == typography.markdown_shape(body)
    assert typography.correct_body(fixed) == fixed
    fixable = [p for p in typography.problems(body) if p.rule != "lost-char"]
    assert bool(fixable) == (fixed != body)


def test_markdown_shape_sees_what_the_issue_lost() -> None:
    assert typography.markdown_shape("如图，![现场](pic.png)") != typography.markdown_shape("如图，！[现场](pic.png)")
    assert typography.markdown_shape("a &amp; b") != typography.markdown_shape("a &amp； b")
    assert typography.markdown_shape("正文,一") == typography.markdown_shape("正文，一")
