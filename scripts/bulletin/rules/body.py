"""Body structure: one event per file, no raw HTML, links and images stay in the repository."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bulletin.model import Item
from bulletin.model import Severity as S
from bulletin.rules import Context, check, define

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
    "正文只写文字，不得夹带 HTML 代码或脚本。",
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
    "link-missing",
    "链接目标不存在",
    S.ERROR,
    "body",
    "正文引用的图片或附件须随信息一起提交。",
    "![现场](images/不存在.jpg)",
    "![现场](images/1128-01.jpg)",
)

_md = MarkdownIt("commonmark")
_ORDINAL_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、[^。；！？]{1,25}$")


@lru_cache(maxsize=256)
def parse_body(body: str) -> tuple[Token, ...]:
    return tuple(_md.parse(body))


def body_text(body: str) -> str:
    """The text a reader sees (Markdown syntax removed)."""
    parts: list[str] = []
    for token in parse_body(body):
        if token.type == "inline" and token.children:
            parts.extend(child.content for child in token.children if child.type in ("text", "code_inline"))
            parts.append("\n")
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
    return "".join(parts)


def _line(item: Item, token: Token) -> int:
    return item.body_line + (token.map[0] if token.map else 0)


@check
def structure(item: Item, ctx: Context) -> None:
    if not item.body.strip():
        ctx.emit("empty-body", item.body_line, "头部信息之后没有正文：请写明事情的经过")
        return
    tokens = parse_body(item.body)
    headings = [t for t in tokens if t.type == "heading_open"]
    rules = [t for t in tokens if t.type == "hr"]
    ordinals = [
        t
        for i, t in enumerate(tokens)
        if t.type == "inline" and _ORDINAL_HEADING.match(t.content) and i and tokens[i - 1].type == "paragraph_open"
    ]
    if len(headings) >= 2:
        ctx.emit(
            "one-event",
            _line(item, headings[1]),
            f"正文分成了{len(headings)}个带标题的部分，像是几件事写在一起：一事一报，请拆成几条信息",
        )
    elif len(ordinals) >= 2:
        ctx.emit(
            "one-event",
            _line(item, ordinals[1]),
            "正文用“一、”“二、”分成了几个部分，像是几件事写在一起：一事一报，请拆成几条信息",
        )
    for hr in rules:
        ctx.emit("one-event", _line(item, hr), "正文用分隔线隔开了几部分，像是几件事写在一起：一事一报，请拆成几条信息")


@check
def html_and_links(item: Item, ctx: Context) -> None:
    for token in parse_body(item.body):
        if token.type == "html_block":
            ctx.emit(
                "raw-html", _line(item, token), f"正文中有网页代码“{token.content.strip()[:30]}”：请删去，只写文字"
            )
        if token.type != "inline" or not token.children:
            continue
        line = _line(item, token)
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):  # children carry no line map: count the breaks
                line += 1
            if child.type == "html_inline":
                ctx.emit("raw-html", line, f"正文中有网页代码“{child.content[:30]}”：请删去，只写文字")
            target = (
                child.attrGet("href")
                if child.type == "link_open"
                else child.attrGet("src")
                if child.type == "image"
                else None
            )
            if isinstance(target, str):
                _check_target(item, ctx, line, target)


def _check_target(item: Item, ctx: Context, line: int, target: str) -> None:
    if re.match(r"^[A-Za-z]:[\\/]", target):  # a Windows drive, which urlsplit takes for a scheme
        ctx.emit("link-outside", line, f"链接“{target[:60]}”用了绝对路径：请改为相对于本文件的路径")
        return
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        ctx.emit("external-link", line, f"链接“{target[:60]}”指向外部网址：信息在内网流转，请删去链接，把要点写进正文")
        return
    path = unquote(parts.path)
    if not path:  # a same-page anchor
        return
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        ctx.emit("link-outside", line, f"链接“{target[:60]}”用了绝对路径：请改为相对于本文件的路径")
        return
    root = ctx.config.root.resolve()
    resolved = (item.abspath.parent / path).resolve()
    if not resolved.is_relative_to(root):
        ctx.emit("link-outside", line, f"链接“{target[:60]}”指向报送台以外的位置：只能引用随信息提交的文件")
    elif not resolved.exists():
        shown = Path(path).as_posix()
        ctx.emit("link-missing", line, f"链接的文件“{shown}”不存在：请把它一并提交，或删去链接")
