"""Body structure: one event per file, no raw HTML, links and images stay in the repository.

The dialect: a body is judged as both Markdown parsers read it, markdown-it (CommonMark, which the
structure rules use) and Python-Markdown with the site's extensions (what mkdocs renders): raw HTML
or a link either of them would see is refused. The two disagree on slash-separated tags
(`<svg/onload=…>` is text to one, HTML to the other), on an indented block under `!!! note` (code to
one, Markdown to the admonition extension) and on a link whose address has a space. What the site
renders is sanitised as well (publish/sanitise.py); this gate tells the informant first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from bulletin.core import names
from bulletin.core.model import Item
from bulletin.core.model import Severity as S
from bulletin.desk.read import FINDINGS_PER_RULE
from bulletin.rules import Context, check, define

MAX_NESTING = 8  # quotes, lists and admonitions inside one another: the PDF's typesetter stops near 20
# the extensions mkdocs.yml gives the site's renderer (tests/test_markup_safety.py holds them equal)
SITE_EXTENSIONS = ("tables", "admonition", "toc")

if TYPE_CHECKING:
    import markdown
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

define(
    "empty-body",
    "正文为空",
    S.ERROR,
    "body",
    "头部信息之后须有正文。",
    "---\n标题: ……\n---\n",
    "---\n标题: ……\n---\n\n11月27日，修水县……",
)
define(
    "one-event",
    "一事一报",
    S.ERROR,
    "body",
    "一条信息只报一件事：正文不分多个带标题的部分，不用分隔线把几件事写在一起。",
    "## 一、项目建设\n……\n## 二、安全生产\n……",
    "（拆成两条信息，各写一件事）",
)
define(
    "raw-html",
    "不用网页代码",
    S.ERROR,
    "body",
    "正文只写文字，不得夹带HTML代码或脚本。",
    "<font color=red>重要</font>情况",
    "重要情况",
)
define(
    "external-link",
    "外部链接",
    S.ERROR,
    "body",
    "信息在内网流转，正文不得链接或引用互联网上的网址和图片。",
    "详见[新闻报道](https://news.example.com/1.html)",
    "（把要点写进正文，不附外部链接）",
)
define(
    "link-outside",
    "链接越界",
    S.ERROR,
    "body",
    "正文中的图片和链接只能指向报送台内的文件，不能用绝对路径或跳出仓库。",
    "![现场](../../../../etc/passwd)",
    "![现场](images/1128-01-现场.jpg)",
)
define(
    "link-anchor",
    "页内链接和空链接",
    S.ERROR,
    "body",
    "正文不用指向页内位置（以#开头）或没有地址的链接：刊物的网页和PDF中没有这样的位置。",
    "[详见](#read)",
    "详见下文",
)
define(
    "nesting-too-deep",
    "层次过深",
    S.ERROR,
    "body",
    f"引用（>）、列表、提示框、强调（*、_）和方括号的嵌套都不超过{MAX_NESTING}层，否则刊物无法排版。",
    ">>>>>>>>>>>>原文",
    ">原文",
)
define(
    "link-missing",
    "链接目标不存在",
    S.ERROR,
    "body",
    "正文引用的图片或附件须随信息一起提交。",
    "![现场](images/不存在.jpg)",
    "![现场](images/1128-01.jpg)",
)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """The CommonMark parser, made when first needed (plain prose never needs it)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    # see every link: markdown-it drops javascript:, vbscript: and data: links, but the site's
    # renderer (Python-Markdown) does not, so they must reach the link checks
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_SCRIPT_SCHEMES = ("javascript", "vbscript", "data")
_ORDINAL_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、[^。；！？]{1,25}$")


@lru_cache(maxsize=256)
def parse_body(body: str) -> tuple[Token, ...]:
    return tuple(_markdown().parse(body))


@dataclass(frozen=True)
class Outline:
    """What the body rules need of a Markdown body (lines 0-based within it)."""

    headings: tuple[int, ...]
    rules: tuple[int, ...]  # thematic breaks
    paragraphs: tuple[tuple[int, str], ...]  # (first line, text as written, its lines joined by \n)
    text: str  # what a reader sees (Markdown syntax removed), a line per paragraph or code block


# Plain prose, the usual body, is read without the Markdown parser; it is plain when nothing in it
# could be Markdown: no character that starts inline syntax, no line that could open a block
# (indented, or starting with a list, quote, heading, rule or fence marker, or a number and . or )),
# and no line with spaces at either end (hard breaks, and what the parser would trim)
_INLINE_SYNTAX = re.compile(r"[`*_\[\]<>&\\\x00-\x08\x0b-\x1f\x7f]")
_BLOCK_START = re.compile(r"[#>+=~|-]|\d+[.)]")


@lru_cache(maxsize=256)
def outline(body: str) -> Outline:
    plain = _plain_outline(body)
    return plain if plain is not None else _parsed_outline(body)


def _parsed_outline(body: str) -> Outline:
    tokens = parse_body(body)
    paragraphs = tuple(
        (t.map[0] if t.map else 0, t.content)
        for i, t in enumerate(tokens)
        if t.type == "inline" and i and tokens[i - 1].type == "paragraph_open"
    )
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline" and token.children:
            parts.extend(child.content for child in token.children if child.type in ("text", "code_inline"))
            parts.append("\n")
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
    return Outline(
        headings=tuple(t.map[0] if t.map else 0 for t in tokens if t.type == "heading_open"),
        rules=tuple(t.map[0] if t.map else 0 for t in tokens if t.type == "hr"),
        paragraphs=paragraphs,
        text="".join(parts),
    )


def _plain_outline(body: str) -> Outline | None:
    if _INLINE_SYNTAX.search(body):
        return None
    paragraphs: list[tuple[int, str]] = []
    lines: list[str]
    start, lines = 0, []  # the paragraph being read: its first line and its lines
    for number, line in enumerate([*body.split("\n"), ""]):
        if not line.strip(" \t"):  # a blank line to the parser
            if lines:
                paragraphs.append((start, "\n".join(lines)))
                lines = []
            continue
        if line != line.strip() or _BLOCK_START.match(line):
            return None
        if not lines:
            start = number
        lines.append(line)
    text = "".join(content.replace("\n", "") + "\n" for _, content in paragraphs)
    return Outline((), (), tuple(paragraphs), text)


def body_text(body: str) -> str:
    """The text a reader sees (Markdown syntax removed)."""
    return outline(body).text


@check
def structure(item: Item, ctx: Context) -> None:
    if not item.body.strip():
        ctx.emit("empty-body", item.body_line, "头部信息之后没有正文：请写明事情的经过")
        return
    shape = outline(item.body)
    ordinals = [line for line, content in shape.paragraphs if _ORDINAL_HEADING.match(content)]
    if len(shape.headings) >= 2:
        ctx.emit(
            "one-event",
            item.body_line + shape.headings[1],
            f"正文分成了{len(shape.headings)}个带标题的部分，像是几件事写在一起：一事一报，请拆成几条信息",
        )
    elif len(ordinals) >= 2:
        ctx.emit(
            "one-event",
            item.body_line + ordinals[1],
            "正文用“一、”“二、”分成了几个部分，像是几件事写在一起：一事一报，请拆成几条信息",
        )
    for line in shape.rules:
        ctx.emit(
            "one-event", item.body_line + line, "正文用分隔线隔开了几部分，像是几件事写在一起：一事一报，请拆成几条信息"
        )


@check
def html_and_links(item: Item, ctx: Context) -> None:
    for rule, line, message in markup_problems(item.body, item.body_line, item.abspath.parent, ctx.config.root):
        ctx.emit(rule, line, message)


def markup_problems(text: str, first_line: int, base: Path, root: Path) -> list[tuple[str, int, str]]:
    """Raw HTML and links or images that leave the desk or the network, in Markdown `text` whose
    first line is line `first_line` of its file in folder `base`: (rule, line, message) for each.

    Shared by submissions, issues and the office's registers, whatever renders them. At most
    FINDINGS_PER_RULE findings per rule, then one that sums up the rest.
    """
    out: list[tuple[str, int, str]] = []
    deep = _too_deep(text)
    if deep is not None:
        out.append(
            (
                "nesting-too-deep",
                first_line + deep[0],
                f"这一行的引用、列表、提示框、强调或方括号嵌套了{deep[1]}层，超过{MAX_NESTING}层，"
                "网页和PDF都无法排版：请去掉多余的“>”“*”“_”“[”或缩进，按段落写",
            )
        )
        return out  # the parsers stop nesting at their own depth: what they see of the rest is not the text
    for line, kind in _admonition_kinds(text, first_line)[:FINDINGS_PER_RULE]:
        message = f"提示框的类型“{_shown(kind)}”不可用，它会套用站点自己的版式（如报头）：只能用note、tip、warning等"
        out.append(("raw-html", line, message))
    if "<" not in text and "[" not in text:  # no HTML, no link, no image: nothing to look at
        return out
    counts: dict[str, int] = {}
    resolved: dict[str, tuple[str, str] | None] = {}

    def emit(rule: str, line: int, message: str) -> None:
        counts[rule] = counts.get(rule, 0) + 1
        if counts[rule] <= FINDINGS_PER_RULE:
            out.append((rule, line, message))
        elif counts[rule] == FINDINGS_PER_RULE + 1:
            out.append((rule, line, "从这一行起还有更多同样的问题，不再逐一列出：请全部改正"))

    for token in parse_body(text):
        if token.type == "html_block":
            emit("raw-html", _at(first_line, token), f"有网页代码“{_shown(token.content.strip())}”：请删去，只写文字")
        if token.type != "inline" or not token.children:
            continue
        line = _at(first_line, token)
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):  # children carry no line map: count the breaks
                line += 1
            if child.type == "html_inline":
                emit("raw-html", line, f"有网页代码“{_shown(child.content)}”：请删去，只写文字")
            target = (
                child.attrGet("href")
                if child.type == "link_open"
                else child.attrGet("src")
                if child.type == "image"
                else None
            )
            if isinstance(target, str):
                if target not in resolved:
                    resolved[target] = _target_problem(target, base, root)
                found = resolved[target]
                if found is not None:
                    emit(found[0], line, found[1])
    # what the site's renderer sees: raw HTML and links markdown-it took for text or code
    seen = {line for rule, line, _ in out if rule == "raw-html"}
    raw, targets = site_view(text)
    for chunk in raw:
        line = _line_of(text, chunk, first_line)
        if line not in seen:
            seen.add(line)
            emit("raw-html", line, f"有网页代码“{_shown(chunk.strip())}”：请删去，只写文字")
    judged = {unquote(t) for t in resolved}  # markdown-it percent-encodes what Python-Markdown leaves
    for target in targets:
        if unquote(target) in judged:  # markdown-it saw it too, and it has been judged
            continue
        judged.add(unquote(target))
        found = _target_problem(target, base, root)
        if found is not None:
            emit(found[0], _line_of(text, target, first_line), found[1])
    return out


# the admonition kinds mkdocs-material styles; any other word after !!! becomes a class of the box, and
# could dress an item in the site's own styles (a red masthead, the theme's header)
ADMONITIONS = (
    "note", "tip", "info", "warning", "abstract", "summary", "tldr", "todo", "hint", "important",
    "success", "check", "done", "question", "help", "faq", "attention", "caution", "failure", "fail",
    "missing", "danger", "error", "bug", "example", "quote", "cite",
)  # fmt: skip
_ADMONITION = re.compile(r"^[ \t>]*[!?]{3}\+?[ \t]*(?P<kinds>[^\s\"]*(?:[ \t]+[^\s\"]+)*)", re.MULTILINE)


def _admonition_kinds(text: str, first_line: int) -> list[tuple[int, str]]:
    """(line, kind) of every !!! box whose kind is not one the theme styles."""
    if "!!!" not in text:
        return []
    out = []
    for m in _ADMONITION.finditer(text):
        for kind in m["kinds"].split():
            if kind.lower() not in ADMONITIONS:
                out.append((first_line + text.count("\n", 0, m.start()), kind))
    return out


_ENTITY = re.compile(r"^&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);$")


@lru_cache(maxsize=1)
def _site_markdown() -> markdown.Markdown:
    import importlib

    import markdown

    # the extensions' classes, not their names: a name is looked up among every installed package's
    # entry points, which costs more than the whole check of an item
    classes = {"tables": "TableExtension", "admonition": "AdmonitionExtension", "toc": "TocExtension"}
    return markdown.Markdown(
        extensions=[getattr(importlib.import_module(f"markdown.extensions.{n}"), classes[n])() for n in SITE_EXTENSIONS]
    )


@lru_cache(maxsize=64)
def site_view(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What Python-Markdown, with the site's extensions, makes of `text`: the raw HTML it would pass
    through (entities aside), and every link and image address it would write."""
    from html.parser import HTMLParser

    md = _site_markdown()
    md.reset()
    try:
        rendered = md.convert(text)
    except (RecursionError, AssertionError):  # nesting the depth check did not see, or markup Python-Markdown's
        return (text[:30],), ()  # HTML parser cannot read: judged as raw, nothing passes
    raw = tuple(str(b) for b in md.htmlStash.rawHtmlBlocks if not _ENTITY.match(str(b).strip()))
    targets: list[str] = []

    class Addresses(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                if name in ("href", "src") and value is not None:
                    targets.append(value)

    parser = Addresses(convert_charrefs=True)
    try:
        parser.feed(rendered)
        parser.close()
    except AssertionError:  # a declaration the standard parser cannot read (`<![<b>`): judged as raw
        return (*raw, rendered[:30]) if raw else (text[:30],), tuple(dict.fromkeys(targets))
    return raw, tuple(dict.fromkeys(targets))


def _line_of(text: str, needle: str, first_line: int) -> int:
    """The line of `text` where `needle` (or its first line) first stands; the first line if nowhere."""
    head = needle.strip().split("\n", 1)[0]
    at = text.find(head) if head else -1
    return first_line + (text.count("\n", 0, at) if at >= 0 else 0)


# the container marks before a line's text: quote marks, list markers, indentation
_CONTAINER = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))*[ \t]*")
_MARKS = re.compile(r">|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")


_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_ESCAPED = re.compile(r"\\[\\`*_\[\]]")
_DELIMITERS = re.compile(r"[*_]+|[\[\]]")
_SAME = re.compile(r"\*+|_+")


def _inline_too_deep(text: str) -> tuple[int, int] | None:
    """(line, depth) where emphasis (* and _) or square brackets nest deeper than MAX_NESTING within a
    paragraph, or None. pandoc nests what markdown-it takes for text: 30 brackets inside one another
    take pandoc minutes, 60 levels of *_ stop the PDF's typesetter. Counted on the text: a run of
    * or _ before a word opens a level for each * or _ of its own kind (*** opens two: strong and
    emphasis; *_*_ four), one after a word closes as many; [ opens, ] closes; code spans and escaped
    characters do not count, and a blank line ends the paragraph."""
    if "*" not in text and "_" not in text and "[" not in text:
        return None
    depth = 0
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            depth = 0
            continue
        plain = _ESCAPED.sub("", _CODE_SPAN.sub("", line))
        for run in _DELIMITERS.finditer(plain):
            mark = run.group()
            if mark == "[":
                depth += 1
            elif mark == "]":
                depth = max(depth - 1, 0)
            else:
                before = plain[run.start() - 1] if run.start() else " "
                after = plain[run.end()] if run.end() < len(plain) else " "
                levels = sum((len(same) + 1) // 2 for same in _SAME.findall(mark))
                if mark.strip("_") == "" and len(mark) >= 3:  # ___ is a blank to fill in, not emphasis
                    continue
                if after.strip() and not before.strip():
                    depth += levels
                elif before.strip() and not after.strip():
                    depth = max(depth - levels, 0)
            if depth > MAX_NESTING:
                return number, depth
    return None


def _too_deep(text: str) -> tuple[int, int] | None:
    """(line within text, depth) of the first line nested deeper than MAX_NESTING, or None.

    Counted on the text, not only by a parser (each stops nesting at its own limit, and they differ):
    each quote mark or list marker before a line's text is a level, and each four columns of the
    line's indentation (an admonition's body, a nested list's); where lists nest by indentation,
    markdown-it's own count as well."""
    lists = False
    for number, line in enumerate(text.split("\n")):
        prefix = _CONTAINER.match(line)
        chars = prefix.group() if prefix else ""
        if not chars:
            continue
        marks = _MARKS.findall(chars)
        lists = lists or any(m != ">" for m in marks)
        indent = len(chars) - len(chars.lstrip(" \t"))  # before the first mark
        depth = len(marks) + len(chars[:indent].expandtabs(4)) // 4
        if depth > MAX_NESTING:
            return number, depth
    inline = _inline_too_deep(text)
    if inline is not None:
        return inline
    if lists:
        for token in parse_body(text):
            # a list item is two levels (the list, the item); what opens inside the eighth is not nesting
            if token.nesting == 1 and token.level > MAX_NESTING * 2:
                return (token.map[0] if token.map else 0), (token.level + 1) // 2
    return None
    for number, line in enumerate(text.split("\n")):
        prefix = _CONTAINER.match(line)
        if prefix is None:
            continue
        chars = prefix.group()
        depth = chars.count(">") + len(chars.replace(">", "").expandtabs(4)) // 4
        if depth > MAX_NESTING:
            return number, depth
    for token in parse_body(text):
        if token.level > MAX_NESTING * 2:  # a list item is two levels (the list, the item)
            return (token.map[0] if token.map else 0), (token.level + 1) // 2
    return None


def _at(first_line: int, token: Token) -> int:
    return first_line + (token.map[0] if token.map else 0)


def _shown(text: str, width: int = 30) -> str:
    return names.visible(text[:width].replace("\n", " "))


def _target_problem(target: str, base: Path, root: Path) -> tuple[str, str] | None:
    shown = _shown(unquote(target), 60)
    plain = unquote(target).replace("\\", "/")  # as a browser on Windows would read it
    if re.match(r"^[A-Za-z]:/", plain):  # a Windows drive, which urlsplit takes for a scheme
        return "link-outside", f"链接“{shown}”用了绝对路径：请改为相对于本文件的路径"
    if plain.startswith("//"):  # \\server\share, //host/path
        return "external-link", f"链接“{shown}”指向外部网址：信息在内网流转，请删去链接，把要点写进正文"
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an unbalanced [ in the host part
        return "external-link", f"链接“{shown}”不是有效的地址：请删去链接，把要点写进正文"
    if parts.scheme.lower() in _SCRIPT_SCHEMES:
        return "raw-html", f"链接“{shown}”是脚本或内嵌数据，不是可用的链接：请删去"
    if parts.scheme.lower() == "file":
        return "link-outside", f"链接“{shown}”指向本机上的文件：只能引用随信息提交的文件"
    if parts.scheme or parts.netloc:
        return "external-link", f"链接“{shown}”指向外部网址：信息在内网流转，请删去链接，把要点写进正文"
    path = unquote(parts.path).replace("\\", "/")  # a browser on Windows reads \ as /
    if not path:  # neither the issue page nor the PDF has the anchors of the item, nor an empty address
        if target.startswith("#"):
            return "link-anchor", f"链接“{shown}”指向页内位置，刊物的网页和PDF中都没有这个位置：请删去链接，只留文字"
        return "link-anchor", f"链接“{shown}”没有指向任何文件，刊物的PDF无法排版：请删去链接，只留文字"
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return "link-outside", f"链接“{shown}”用了绝对路径：请改为相对于本文件的路径"
    root = root.resolve()
    try:
        resolved = (base / path).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a name the system refuses
        return "link-outside", f"链接“{shown}”指向的位置无法解析：只能引用随信息提交的文件"
    if not resolved.is_relative_to(root):
        return "link-outside", f"链接“{shown}”指向报送台以外的位置：只能引用随信息提交的文件"
    if not resolved.exists():
        return "link-missing", f"链接的文件“{_shown(Path(path).as_posix(), 60)}”不存在：请把它一并提交，或删去链接"
    return None
