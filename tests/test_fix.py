"""`bulletin fix` touches nothing it cannot read, and never rewrites Markdown syntax as prose.

Issue 12, findings 8 (fix rewrote headers it could not parse), 9 (fix turned an image's “!” into “！”)
and the fix-related part of 11 (UTF-32 called UTF-16; a FIFO or a link to /dev/zero called “not
found”; a registry outside the desk).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bulletin.core import typography
from bulletin.core.model import Config, Item
from bulletin.desk.config import load_config
from bulletin.desk.read import parse_item
from bulletin.editorial.check import check_file
from bulletin.editorial.fix import FixRefused, FixResult, _corrected_title, fix_file
from bulletin.errors import ConfigError
from bulletin.rules import RULES
from conftest import REPO_ROOT, MakeItem
from desk_helpers import make_desk, run_cli
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


# ---------------------------------------------------------------- finding 8: headers fix cannot read


BROKEN_HEADERS = {
    "blank-line-before": ("\n---\n" + HEAD + "---\n\n" + TYPO_BODY, 1, "空行"),
    "two-blank-lines-before": ("\n\n---\n" + HEAD + "---\n\n" + TYPO_BODY, 1, "空行"),
    "no-closing-fence": ("---\n" + HEAD + "\n" + TYPO_BODY, 11, "没有结束"),
    "two-dashes": ("--\n" + HEAD + "--\n\n" + TYPO_BODY, 1, "“--”"),
    "four-dashes": ("----\n" + HEAD + "----\n\n" + TYPO_BODY, 1, "“----”"),
    "two-dashes-closing": ("---\n" + HEAD + "--\n\n" + TYPO_BODY, 11, "结束线"),
    "leading-space": (" ---\n" + HEAD + "---\n\n" + TYPO_BODY, 1, "空格"),
    "yaml-directive": ("%YAML 1.2\n---\n" + HEAD + "---\n\n" + TYPO_BODY, 1, "YAML指令"),
    "no-header": (TYPO_BODY, 1, "缺少头部信息"),
    "invalid-yaml-in-fences": ("---\n" + HEAD + "备注: [甲\n---\n\n" + TYPO_BODY, 12, "方括号"),
    "tab-indent": ("---\n" + HEAD.replace("信息员", "\t信息员") + "---\n\n" + TYPO_BODY, 4, "制表符"),
    "not-a-mapping": ("---\n- 标题\n- 报送单位\n---\n\n" + TYPO_BODY, 2, "键: 值"),
    "invisible-control-char": ("---\n" + HEAD.replace("匡小平", "匡\x08小平") + "---\n\n" + TYPO_BODY, 4, "看不见"),
}


@pytest.mark.parametrize("shape", sorted(BROKEN_HEADERS))
@pytest.mark.parametrize("write", [True, False])
def test_fix_refuses_a_file_whose_header_it_cannot_read_and_leaves_its_bytes(
    make_item: MakeItem, shape: str, write: bool
) -> None:
    text, line, what = BROKEN_HEADERS[shape]
    path = make_item(text)
    before = path.read_bytes()
    with pytest.raises(FixRefused) as refused:
        _fix(path, write=write)
    assert path.read_bytes() == before
    message = str(refused.value)
    assert message.startswith(f"{path.name}：第{line}行：") and what in message, message
    assert "未作任何修改" in message and "bulletin fix" in message


def test_fix_refuses_a_body_check_cannot_read_without_blaming_the_header(make_item: MakeItem) -> None:
    path = make_item(item_text("今天,我们开会." * 300))  # one line of 2,400 characters
    before = path.read_bytes()
    with pytest.raises(FixRefused) as refused:
        _fix(path)
    assert path.read_bytes() == before
    assert "第13行" in str(refused.value) and "头部" not in str(refused.value) and "超过单行上限" in str(refused.value)


def test_fix_refuses_a_broken_header_from_the_command_line_without_a_traceback(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "desk", with_submissions=False)
    path = desk / "submissions/xiushui/2026/1128-01.md"
    path.parent.mkdir(parents=True)
    path.write_text("\n---\n" + HEAD + "---\n\n事故现场如图，![现场](pic.png)\n", encoding="utf-8")
    before = path.read_bytes()
    done = run_cli("fix", "submissions/xiushui/2026/1128-01.md", cwd=desk)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "submissions/xiushui/2026/1128-01.md：第1行：" in done.stderr and "空行" in done.stderr
    assert path.read_bytes() == before


def test_fix_still_fixes_an_item_whose_header_is_read(demo_config: Config, make_item: MakeItem) -> None:
    path = make_item("---\n" + HEAD.replace("标题", "title") + "---\n\n" + TYPO_BODY)
    result = _fix(path)
    assert result.written
    assert path.read_text("utf-8") == "---\n" + HEAD + "---\n\n今天，我们开会。全年签约22个项目。\n"
    assert check_file(demo_config, path, RECEIVED) == []


def test_fix_never_changes_a_list_value_in_the_header(make_item: MakeItem) -> None:
    path = make_item("---\n" + HEAD.replace("[项目建设]", "[项目建设, 安全生产]") + "---\n\n" + TYPO_BODY)
    _fix(path)
    assert "主题: [项目建设, 安全生产]\n" in path.read_text("utf-8")
    assert "报送对象: [市委, 市政府]\n" in path.read_text("utf-8")


_CORRUPTIONS = [*"\n -%:#[]{}\"'\t,!&*|>?@`", "---", "--", "...", "：", "，", "\u3000", "\ufeff", "\x08"]


@st.composite
def corrupted_headers(draw: st.DrawFn) -> str:
    """A valid item with one to three random edits in its header (insert, delete, replace, move a line)."""
    head = "---\n" + HEAD.replace("签发人", "approver") + "---\n"
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(head)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "line"]))
        piece = draw(st.sampled_from(_CORRUPTIONS))
        if kind == "insert":
            head = head[:where] + piece + head[where:]
        elif kind == "delete":
            head = head[:where] + head[where + draw(st.integers(1, 4)) :]
        elif kind == "replace":
            head = head[:where] + piece + head[where + 1 :]
        else:
            lines = head.split("\n")
            moved = lines.pop(draw(st.integers(0, len(lines) - 1)))
            lines.insert(draw(st.integers(0, len(lines))), moved)
            head = "\n".join(lines)
    return head + "\n" + TYPO_BODY + "事故现场如图，![现场](pic.png)\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=corrupted_headers())
@example(text="\n---\n" + HEAD + "---\n\n" + TYPO_BODY)
@example(text="---\n" + HEAD.replace("标题: 修水县", "标题: %修水县") + "---\n\n" + TYPO_BODY)
@example(text="---\n" + HEAD.replace("标题: 修水县召开", "标题: 修水县,召开") + "---\n\n" + TYPO_BODY)
def test_fix_leaves_a_corrupted_header_alone_or_keeps_every_value_check_reads(make_item: MakeItem, text: str) -> None:
    """For random corruptions of a valid header: fix leaves the file byte for byte, or writes a file
    that `bulletin check` reads with the same values (the title only corrected by the typography rules)."""
    path = make_item(text)
    data = path.read_bytes()
    before = _read(data)
    try:
        _fix(path)
    except FixRefused:
        assert path.read_bytes() == data
        return
    after_data = path.read_bytes()
    if after_data == data:
        return
    assert before.front_matter_ok  # a file whose header check cannot read is never written
    after = _read(after_data)
    assert after.front_matter_ok and after.fields.keys() == before.fields.keys()
    for key, value in before.fields.items():
        if key == "标题" and isinstance(value, str):
            assert after.fields[key] == _corrected_title(value)
        else:
            assert after.fields[key] == value, key
    # the same Markdown, but for the lines of a paragraph joined or set apart (issue 13: rebreak)
    assert typography.markdown_shape(after.body, lines=False) == typography.markdown_shape(before.body, lines=False)


TITLES = {
    # title as written in the header: as fixed
    "plain": ("修水县召开推进会,部署攻坚", "修水县召开推进会，部署攻坚"),
    "double-quoted": ('"修水县召开推进会,部署攻坚"', '"修水县召开推进会，部署攻坚"'),
    "single-quoted": ("'修水县召开推进会,部署攻坚'", "'修水县召开推进会，部署攻坚'"),
    # ASCII quotes in a Chinese title are Chinese quotes too (issue 13): the value is written anew
    "double-quoted-with-escape": (
        '"修水县召开\\"三个一批\\"推进会,部署攻坚"',
        '"修水县召开“三个一批”推进会，部署攻坚"',
    ),
    "single-quoted-doubled-quote": (
        "'修水县召开''三个一批''推进会,部署攻坚'",
        '"修水县召开“三个一批”推进会，部署攻坚"',
    ),
    "with-comment": ("修水县召开推进会,部署攻坚   # 一句话", "修水县召开推进会，部署攻坚   # 一句话"),
    "clean": ("修水县召开推进会 部署攻坚", "修水县召开推进会 部署攻坚"),
}


@pytest.mark.parametrize("name", sorted(TITLES))
def test_fix_corrects_every_title_check_reports_as_fixable(demo_config: Config, make_item: MakeItem, name: str) -> None:
    written, fixed = TITLES[name]
    path = make_item(item_text(标题=written))
    fixable = [f for f in check_file(demo_config, path, RECEIVED) if RULES[f.rule].fixable]
    assert bool(fixable) == (written != fixed)
    _fix(path)
    assert path.read_text("utf-8") == item_text(标题=fixed)
    assert [f for f in check_file(demo_config, path, RECEIVED) if RULES[f.rule].fixable] == []


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
    "admonition": ('!!! 注意 "说明,一"\n\n正文,好.', '!!! 注意 "说明,一"\n\n正文，好。'),
    "collapsible-admonition": ("??? 说明\n\n正文,好.", "??? 说明\n\n正文，好。"),
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
    # the same Markdown, but for the lines of a paragraph joined or set apart (issue 13: rebreak)
    assert typography.markdown_shape(fixed, lines=False) == typography.markdown_shape(body, lines=False)
    if not typography.line_breaks("\n".join(typography.corrected_lines(body))):
        assert typography.markdown_shape(fixed) == typography.markdown_shape(body)
    assert typography.correct_body(fixed) == fixed
    fixable = [p for p in typography.problems(body) if p.rule != "lost-char"]
    assert bool(fixable) == (fixed != body)


_TITLE_PIECES = [*"修水县开会，。！：,.;:!?()１Ａ \"'\\#`[]-", "修水县召开推进会", "  ", "１２"]
_TITLE_FORMS = ["{}", '"{}"', "'{}'"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.lists(st.sampled_from(_TITLE_PIECES), min_size=1, max_size=12).map("".join),
    form=st.sampled_from(_TITLE_FORMS),
    body=markdown_bodies,
)
@example(title="１２", form="{}", body="正文。")
@example(title="    １", form='"{}"', body="正文。")  # found by this test: the title read as indented code
def test_check_and_fix_agree_on_what_is_fixable(
    demo_config: Config, make_item: MakeItem, title: str, form: str, body: str
) -> None:
    """What check reports as fixable, fix fixes; where fix changes nothing, check reports nothing fixable."""
    path = make_item(item_text(body or "正文。", 标题=form.format(title)))
    data = path.read_bytes()
    fixable = [f for f in check_file(demo_config, path, RECEIVED) if RULES[f.rule].fixable]
    try:
        result = _fix(path)
    except FixRefused:
        assert path.read_bytes() == data
        assert not _read(data).front_matter_ok
        return
    assert bool(fixable) == result.written, (fixable, result.diff)
    assert [f for f in check_file(demo_config, path, RECEIVED) if RULES[f.rule].fixable] == []


def test_markdown_shape_sees_what_the_issue_lost() -> None:
    assert typography.markdown_shape("如图，![现场](pic.png)") != typography.markdown_shape("如图，！[现场](pic.png)")
    assert typography.markdown_shape("a &amp; b") != typography.markdown_shape("a &amp； b")
    assert typography.markdown_shape("正文,一") == typography.markdown_shape("正文，一")


# ---------------------------------------------------------------- finding 11: encodings, files, registry


def test_utf32_with_a_byte_order_mark_is_named_utf32_and_fix_converts_it(
    demo_config: Config, make_item: MakeItem
) -> None:
    path = make_item(item_text().encode("utf-32"))
    [finding] = [f for f in check_file(demo_config, path, RECEIVED) if f.rule == "encoding"]
    assert "UTF-32" in finding.message and "UTF-16" not in finding.message
    result = _fix(path)
    assert "编码由UTF-32转为UTF-8" in result.changes
    assert path.read_bytes() == item_text().encode("utf-8")
    assert check_file(demo_config, path, RECEIVED) == []


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_without_a_byte_order_mark_is_named_utf32_and_fix_converts_it(
    demo_config: Config, make_item: MakeItem, codec: str
) -> None:
    path = make_item(item_text().encode(codec))
    [finding] = [f for f in check_file(demo_config, path, RECEIVED) if f.rule == "encoding"]
    assert "UTF-32" in finding.message
    assert "编码由UTF-32转为UTF-8" in _fix(path).changes
    assert check_file(demo_config, path, RECEIVED) == []


def test_utf16_is_still_named_utf16(demo_config: Config, make_item: MakeItem) -> None:
    path = make_item(item_text().encode("utf-16"))
    [finding] = [f for f in check_file(demo_config, path, RECEIVED) if f.rule == "encoding"]
    assert "UTF-16" in finding.message


def test_a_binary_file_is_not_taken_for_utf32(demo_config: Config, make_item: MakeItem) -> None:
    path = make_item(b"\x00\x00\x00\x00" * 64)
    assert "UTF-32" not in " ".join(f.message for f in check_file(demo_config, path, RECEIVED))
    with pytest.raises(FixRefused):
        _fix(path)


@pytest.fixture
def cli_desk(tmp_path: Path) -> Path:
    desk = make_desk(tmp_path / "desk", with_submissions=False)
    (desk / "submissions/xiushui/2026").mkdir(parents=True)
    return desk


def test_fix_on_a_fifo_says_it_is_not_a_regular_file_and_does_not_block(cli_desk: Path) -> None:
    fifo = cli_desk / "submissions/xiushui/2026/1128-01.md"
    os.mkfifo(fifo)
    done = run_cli("fix", "submissions/xiushui/2026/1128-01.md", cwd=cli_desk)  # times out if it blocks
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "不是普通文件" in done.stderr and "找不到" not in done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null"])
def test_fix_on_a_link_to_a_device_says_it_is_not_a_regular_file(cli_desk: Path, target: str) -> None:
    link = cli_desk / "submissions/xiushui/2026/1128-01.md"
    link.symlink_to(target)
    done = run_cli("fix", "submissions/xiushui/2026/1128-01.md", cwd=cli_desk)  # times out if it reads forever
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "不是普通文件" in done.stderr and "设备" in done.stderr and "找不到" not in done.stderr
    assert os.readlink(link) == target


def test_fix_on_a_device_or_a_folder_says_it_is_not_a_regular_file(cli_desk: Path) -> None:
    for name in ("/dev/zero", str(cli_desk / "submissions")):
        done = run_cli("fix", name, cwd=cli_desk)
        assert done.returncode == 1 and "不是普通文件" in done.stderr and "找不到" not in done.stderr


def test_fix_on_a_missing_file_still_says_not_found(cli_desk: Path) -> None:
    done = run_cli("fix", "submissions/xiushui/2026/1128-09.md", cwd=cli_desk)
    assert done.returncode == 2 and "找不到文件" in done.stderr


def _with_registry(desk: Path, registry: str) -> None:
    config = (desk / "bulletin.yml").read_text("utf-8")
    changed = re.sub(r"(?m)^registry:.*$", lambda _: f"registry: {registry}", config)
    assert changed != config
    (desk / "bulletin.yml").write_text(changed, encoding="utf-8")


@pytest.mark.parametrize(
    ("registry", "what"),
    [
        ("../outside.yml", "“..”"),
        ("{outside}", "相对路径"),
        ("~/network.yml", "相对路径"),
        ("reg/network.yml", "符号链接"),
    ],
)
def test_a_registry_outside_the_desk_is_a_configuration_error(tmp_path: Path, registry: str, what: str) -> None:
    desk = make_desk(tmp_path / "desk", with_submissions=False)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(REPO_ROOT / "network.yml", outside / "network.yml")
    shutil.copy(REPO_ROOT / "network.yml", tmp_path / "outside.yml")
    (desk / "reg").symlink_to(outside)
    _with_registry(desk, registry.format(outside=outside / "network.yml"))
    with pytest.raises(ConfigError) as refused:
        load_config(desk)
    message = str(refused.value)
    assert "registry" in message and what in message and "报送台" in message, message
    assert re.search(r"[\u4e00-\u9fff] [!-~]|[!-~] [\u4e00-\u9fff]", message) is None
    done = run_cli("check", cwd=desk)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "registry" in done.stderr


def test_a_registry_in_a_folder_of_the_desk_is_read(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "desk", with_submissions=False)
    (desk / "config").mkdir()
    shutil.move(desk / "network.yml", desk / "config" / "network.yml")
    _with_registry(desk, "config/network.yml")
    assert load_config(desk).unit("xiushui") is not None
