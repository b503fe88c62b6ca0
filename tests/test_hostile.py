"""Hostile and broken input (issue 5, point 4), for every kind of file a user writes.

CASES is the table: each case writes one or more files into a fresh desk, runs the real entry
point for that kind of file (`bulletin check`, `bulletin issue check`, `bulletin overdue`, or any
command for the configuration), and expects one Chinese message naming the file, the line where
there is one, and the rule (`bulletin check` and `issue check` print rule ids; configuration errors
have none). Every case also asserts: no traceback and no internal error, the exit code, nothing
changed in or outside the desk, no file outside the desk read into the output, no code run.

Cases marked heavy (bombs, huge files, devices) run in a child process limited to 1.5 GB of
address space with a 60 s hang timeout; the others run in this process. bench/hostile_bench.py
runs every case of this table in a child process and prints the time and memory each took.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))

from desk_helpers import ITEM, git  # noqa: E402

KINDS = {
    "submission": "信息（submissions/）",
    "issue": "刊物（issues/）",
    "event": "事件登记（events/）",
    "call": "约稿（calls/）",
    "bulletin.yml": "配置（bulletin.yml）",
    "network.yml": "名册（network.yml）",
}
CATEGORIES = {
    "encoding": "错误的编码",
    "binary": "二进制文件",
    "size": "超大文件、超长行、超长值",
    "yaml": "损坏或恶意的 YAML（炸弹、语言标签、深嵌套、超长数字）",
    "markup": "网页代码与脚本",
    "links": "越出仓库或网络的链接与图片",
    "filename": "Windows 上不安全的文件名",
    "unicode": "Unicode 混淆（零宽字符、形近字、繁简混用、文字方向控制符）",
    "filesystem": "符号链接、管道与设备",
}
MEMORY_LIMIT = 1536 * 1024 * 1024  # address space of a child running a heavy case
HANG_TIMEOUT = 60  # seconds: not a time limit of the desk, only what makes a hang fail instead of wait
SECRET = "仓库以外的机密内容 7f3a"  # in outside/secret.txt: must never reach the output
NOW = "2026-11-28 10:00"
_HAN = re.compile(r"[\u4e00-\u9fff]")

SUBMISSION = "submissions/xiushui/2026/1128-01.md"
ISSUE = "issues/huiyao/2026/001.md"
EVENT = "events/2026/1109-chaisang.md"
CALL = "calls/2026/1112-anquan.md"


@dataclass(frozen=True)
class Symlink:
    to: str  # absolute, or "@/..." relative to the work folder (beside the desk)


@dataclass(frozen=True)
class Fifo:
    pass


Content = bytes | str | Callable[[Path], bytes] | Symlink | Fifo


@dataclass(frozen=True)
class Hostile:
    kind: str
    category: str
    name: str
    files: tuple[tuple[str, Content], ...]  # desk-relative path -> content; the first is the one judged
    rule: str | None  # the rule reported (None: a configuration error, which has no rule id)
    needle: str  # words the message must contain
    line: int | None = None  # the line reported, where the trouble has one
    heavy: bool = False
    at: str | None = None  # the path the finding names, when not the first file's

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.category}:{self.name}"

    @property
    def target(self) -> str:
        return self.at or self.files[0][0]


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _line(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


# ---------------------------------------------------------------- the good files the cases break

ISSUE_TEXT = """---
刊物: huiyao
期号: 1
总期号: 1
日期: 2026-11-28
责任编辑: 李静
签发: 周建国
密级: 内部
印数: 120
---

## 修水县“三个一批”推动重点项目提速增效

来源：xiushui/2026/1128-01

今年以来，修水县坚持“签约一批、开工一批、投产一批”，推动重点项目建设提速增效。
"""
EVENT_TEXT = (
    "---\n事件: 柴桑区沙城工业园仓库火灾\n发生时间: 2026-11-09 14:20\n等级: 一般\n"
    "责任单位: chaisang\n获知渠道: 市消防救援支队\n状态: 已终结\n---\n\n说明。\n"
)
CALL_TEXT = (
    "---\n主题: 今冬明春安全生产工作进展\n约稿单位: [xiushui, wuning]\n截止时间: 2026-11-20 17:00\n---\n\n约稿说明。\n"
)
CONFIG_TEXT = (REPO / "bulletin.yml").read_text(encoding="utf-8")
NETWORK_TEXT = (REPO / "network.yml").read_text(encoding="utf-8")
GOOD = {"submission": ITEM, "issue": ISSUE_TEXT, "event": EVENT_TEXT, "call": CALL_TEXT}
TARGET = {"submission": SUBMISSION, "issue": ISSUE, "event": EVENT, "call": CALL}
FORMAT_RULE = {"submission": "front-matter", "issue": "issue-format", "event": "record-format", "call": "record-format"}
FILE_RULE = {"submission": "file-type", "issue": "issue-format", "event": "record-format", "call": "record-format"}
SIZE_RULE = {"submission": "file-size", "issue": "issue-format", "event": "record-format", "call": "record-format"}
ENCODING_RULE = {"submission": "encoding", "issue": "issue-format", "event": "record-format", "call": "record-format"}
SIZE = {"submission": 256 * 1024, "issue": 1024 * 1024, "event": 64 * 1024, "call": 64 * 1024}

BILLION_LAUGHS = 'lol0: &a ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]\n' + "\n".join(
    f"lol{i}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]" for i in range(1, 10)
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(64)
DOCX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + b"[Content_Types].xml" + bytes(32)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


def _head(kind: str, extra: str) -> str:
    """The good file of `kind` with `extra` lines added at the end of its front matter."""
    text = GOOD[kind]
    end = text.index("\n---\n", 4)
    return text[:end] + "\n" + extra + text[end:]


def _pad(kind: str) -> Callable[[Path], bytes]:
    """The good file grown past its kind's size limit with ordinary prose."""

    def build(_: Path) -> bytes:
        paragraph = "全县上下认真贯彻落实市委、市政府决策部署，扎实推进各项工作。" * 20 + "\n\n"
        data = GOOD[kind].encode("utf-8")
        return data + paragraph.encode("utf-8") * (SIZE[kind] // len(paragraph.encode("utf-8")) + 2)

    return build


def _file_cases(kind: str) -> list[Hostile]:
    """The cases every Markdown file with a front matter shares: submissions, issues, events, calls."""
    t, good = TARGET[kind], GOOD[kind]
    fmt, enc, typ, big = FORMAT_RULE[kind], ENCODING_RULE[kind], FILE_RULE[kind], SIZE_RULE[kind]
    tagged = _head(kind, '备注: !!python/object/apply:os.system ["touch ../outside/pwned"]')
    deep = _head(kind, "备注: " + "[" * 5000 + "]" * 5000)
    huge_int = _head(kind, "备注: " + "9" * 5000)
    bomb = good.replace("---\n", "---\n" + BILLION_LAUGHS + "\n", 1)
    out = [
        Hostile(kind, "encoding", "gbk", ((t, good.encode("gbk")),), enc, "GBK"),
        Hostile(kind, "encoding", "utf-16", ((t, good.encode("utf-16")),), enc, "UTF-16"),
        Hostile(
            kind, "encoding", "broken-utf8", ((t, good.encode("utf-8")[:30] + b"\xc3\x28\xa0\xa1\n"),), enc, "UTF-8"
        ),
        Hostile(kind, "binary", "png-renamed", ((t, PNG),), typ, "PNG图片"),
        Hostile(kind, "binary", "jpeg-renamed", ((t, JPEG),), typ, "JPEG图片"),
        Hostile(kind, "binary", "docx-renamed", ((t, DOCX),), typ, "Word"),
        Hostile(kind, "binary", "pdf-renamed", ((t, PDF),), typ, "PDF"),
        Hostile(
            kind, "binary", "nul-after-text", ((t, good.encode("utf-8") + b"\x00" * 8 + b"tail\n"),), typ, "二进制"
        ),
        Hostile(kind, "size", "huge-file", ((t, _pad(kind)),), big, "过大", heavy=True),
        Hostile(kind, "yaml", "billion-laughs", ((t, bomb),), fmt, "别名", line=2, heavy=True),
        Hostile(kind, "yaml", "python-tag", ((t, tagged),), fmt, "标签", line=_line(tagged, "备注:")),
        Hostile(kind, "yaml", "5000-deep", ((t, deep),), fmt, "嵌套", line=_line(deep, "备注:")),
        Hostile(kind, "yaml", "5000-digit-number", ((t, huge_int),), fmt, "数字过长"),
        Hostile(kind, "yaml", "unclosed-quote", ((t, _head(kind, '备注: "没有结束的引号')),), fmt, "引号"),
        Hostile(kind, "filesystem", "symlink-outside", ((t, Symlink("@/outside/secret.txt")),), typ, "符号链接"),
        Hostile(kind, "filesystem", "symlink-dev-zero", ((t, Symlink("/dev/zero")),), typ, "符号链接", heavy=True),
        Hostile(kind, "filesystem", "fifo", ((t, Fifo()),), typ, "不是普通文件", heavy=True),
    ]
    return out


def _submission_cases() -> list[Hostile]:
    t = SUBMISSION
    body = _line(ITEM, "今年以来")
    script = ITEM + "\n<script>alert('修水')</script>\n"
    iframe = ITEM + '\n<iframe src="http://10.0.0.1/"></iframe>\n'
    onerror = _replace(ITEM, "今年以来，", '今年以来<img src=x onerror="alert(1)">，')
    js_link = _replace(ITEM, "今年以来，", "今年以来（[详见](javascript:alert(1))），")
    svg = ITEM + "\n<svg/onload=alert(1)>\n"
    admonition = ITEM + '\n!!! note "提示"\n\n    <script>alert(1)</script>\n'
    many_tags = ITEM + "\n" + "修水县<img/src/onerror=alert(1)>\n" * 1000
    spaced = _replace(ITEM, "今年以来，", "今年以来（[详见](http://10.0.0.1/a b)），")
    anchor = _replace(ITEM, "今年以来，", "今年以来（[详见](#read)），")
    deep = ITEM + "\n" + "> " * 900 + "原文\n"

    def link(target: str) -> str:
        return _replace(ITEM, "今年以来，", f"今年以来（[附件]({target})），")

    def image(target: str) -> str:
        return _replace(ITEM, "今年以来，", f"![现场]({target})\n\n今年以来，")

    def unit(ref: str) -> str:
        return _replace(ITEM, "报送单位: xiushui", f"报送单位: {ref}")

    unit_line = _line(ITEM, "报送单位:")
    long_line = ITEM + "\n" + "修，" * 3000 + "\n"
    long_title = _replace(ITEM, "标题: 修水县", "标题: " + "修" * 3000 + "修水县")
    big_head = ITEM.replace("---\n", "---\n" + "".join(f"# 注释{i}" + "很长" * 30 + "\n" for i in range(1200)), 1)
    many_nodes = _replace(ITEM, "主题: [项目建设]", "主题: [" + ", ".join(["项目建设"] * 3000) + "]")
    return [
        *_file_cases("submission"),
        Hostile(
            "submission",
            "size",
            "5000-character-line",
            ((t, long_line),),
            "file-size",
            "单行上限",
            line=_line(long_line, "修，修，"),
        ),
        Hostile("submission", "size", "3000-character-title", ((t, long_title),), "front-matter", "过长", line=2),
        Hostile("submission", "size", "front-matter-over-64kb", ((t, big_head),), "front-matter", "头部信息过长"),
        Hostile("submission", "yaml", "3000-values", ((t, many_nodes),), "front-matter", "内容过多"),
        Hostile(
            "submission",
            "yaml",
            "control-character",
            ((t, _replace(ITEM, "信息员: 匡小平", "信息员: 匡\x1b[31m小平")),),
            "invisible-char",
            "U+001B",
            line=4,
        ),
        Hostile(
            "submission", "markup", "script", ((t, script),), "raw-html", "网页代码", line=_line(script, "<script>")
        ),
        Hostile(
            "submission", "markup", "iframe", ((t, iframe),), "raw-html", "网页代码", line=_line(iframe, "<iframe")
        ),
        Hostile("submission", "markup", "img-onerror", ((t, onerror),), "raw-html", "onerror", line=body),
        Hostile("submission", "markup", "javascript-link", ((t, js_link),), "raw-html", "脚本", line=body),
        # issue 12, finding 1: what markdown-it reads as text or code and the site's renderer as HTML
        Hostile(
            "submission", "markup", "svg-slash-onload", ((t, svg),), "raw-html", "网页代码", line=_line(svg, "<svg")
        ),
        Hostile(
            "submission",
            "markup",
            "script-in-admonition",
            ((t, admonition),),
            "raw-html",
            "网页代码",
            line=_line(admonition, "<script>"),
        ),
        Hostile(
            "submission",
            "markup",
            "1000-slash-tags",
            ((t, many_tags),),
            "raw-html",
            "网页代码",
            line=_line(many_tags, "<img/"),
        ),
        Hostile("submission", "links", "link-with-space", ((t, spaced),), "external-link", "外部网址", line=body),
        # issue 12, finding 6: what passed the check and stopped the PDF
        Hostile("submission", "links", "anchor-link", ((t, anchor),), "link-anchor", "页内位置", line=body),
        Hostile(
            "submission",
            "markup",
            "900-deep-quote",
            ((t, deep),),
            "nesting-too-deep",
            "嵌套",
            line=_line(deep, "> > >"),
        ),
        Hostile(
            "submission",
            "links",
            "https-link",
            ((t, link("https://news.example.com/1.html")),),
            "external-link",
            "外部网址",
            line=body,
        ),
        Hostile(
            "submission",
            "links",
            "intranet-ip-image",
            ((t, image("http://10.1.2.3/a.png")),),
            "external-link",
            "外部网址",
            line=body,
        ),
        Hostile(
            "submission",
            "links",
            "protocol-relative",
            ((t, link("//cdn.example.com/x.js")),),
            "external-link",
            "外部网址",
            line=body,
        ),
        Hostile(
            "submission",
            "links",
            "unc-path",
            ((t, link("\\\\\\\\server\\\\share\\\\a.doc")),),
            "external-link",
            "外部网址",
            line=body,
        ),
        Hostile(
            "submission",
            "links",
            "climbs-out",
            ((t, image("../../../../outside/secret.txt")),),
            "link-outside",
            "以外",
            line=body,
        ),
        Hostile(
            "submission",
            "links",
            "backslash-climb",
            ((t, link("..\\\\..\\\\..\\\\..\\\\outside\\\\secret.txt")),),
            "link-outside",
            "以外",
            line=body,
        ),
        Hostile(
            "submission",
            "links",
            "percent-encoded-climb",
            ((t, link("%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside/secret.txt")),),
            "link-outside",
            "以外",
            line=body,
        ),
        Hostile(
            "submission", "links", "absolute-path", ((t, link("/etc/passwd")),), "link-outside", "绝对路径", line=body
        ),
        Hostile(
            "submission",
            "links",
            "windows-drive",
            ((t, link("C:\\\\Windows\\\\win.ini")),),
            "link-outside",
            "绝对路径",
            line=body,
        ),
        Hostile(
            "submission", "links", "file-url", ((t, link("file:///etc/passwd")),), "link-outside", "本机", line=body
        ),
        Hostile(
            "submission",
            "links",
            "symlinked-image-outside",
            (
                (t, image("images/1128-01.jpg")),
                ("submissions/xiushui/2026/images/1128-01.jpg", Symlink("@/outside/secret.txt")),
            ),
            "link-outside",
            "以外",
            line=body,
        ),
        *[
            Hostile(
                "submission",
                "filename",
                name,
                ((f"submissions/xiushui/2026/{name}", ITEM),),
                "file-location",
                "Windows",
            )
            for name in ("con.md", "NUL.md", "Com1.md", "lpt9.md", "aux.md", "PRN.md")
        ],
        Hostile(
            "submission",
            "filename",
            "differs-only-in-case",
            (("submissions/xiushui/2026/A-01.md", ITEM), ("submissions/xiushui/2026/a-01.md", ITEM)),
            "file-location",
            "大小写",
        ),
        Hostile(
            "submission",
            "filename",
            "colon-in-name",
            (("submissions/xiushui/2026/1128:01.md", ITEM),),
            "file-location",
            "只能用字母",
        ),
        Hostile(
            "submission",
            "unicode",
            "zero-width-space-in-unit",
            ((t, unit("修水县\u200b")),),
            "unit-lookalike",
            "U+200B",
            line=unit_line,
        ),
        Hostile(
            "submission",
            "unicode",
            "zero-width-space-seen",
            ((t, unit("修水县\u200b")),),
            "invisible-char",
            "U+200B",
            line=unit_line,
        ),
        Hostile(
            "submission",
            "unicode",
            "traditional-unit",
            ((t, unit("修水縣")),),
            "unit-lookalike",
            "U+7E23",
            line=unit_line,
        ),
        Hostile(
            "submission",
            "unicode",
            "traditional-other-unit",
            ((t, unit("濂溪區")),),
            "unit-lookalike",
            "濂溪区",
            line=unit_line,
        ),
        Hostile(
            "submission",
            "unicode",
            "fullwidth-letters",
            ((t, unit("ｘｉｕｓｈｕｉ")),),
            "unit-lookalike",
            "U+FF58",
            line=unit_line,
        ),
        Hostile(
            "submission",
            "unicode",
            "kangxi-radical",
            ((t, unit("修⽔县")),),
            "unit-lookalike",
            "U+2F54",
            line=unit_line,
        ),
        Hostile(
            "submission",
            "unicode",
            "traditional-in-alias",
            ((t, unit("修水县委辦公室")),),
            "unit-lookalike",
            "繁体字",
            line=unit_line,
        ),
        Hostile(
            "submission",
            "unicode",
            "cjk-compatibility",
            ((t, unit("\ufa26昌县")),),
            "unit-lookalike",
            "U+FA26",
            line=unit_line,
        ),
        Hostile(
            "submission",
            "unicode",
            "cyrillic-letter",
            ((t, unit("xіushui")),),
            "unit-lookalike",
            "U+0456",
            line=unit_line,
        ),
        Hostile(
            "submission",
            "unicode",
            "right-to-left-override",
            ((t, _replace(ITEM, "今年以来", "今年\u202e来以")),),
            "invisible-char",
            "U+202E",
            line=body,
        ),
    ]


def _issue_cases() -> list[Hostile]:
    t = ISSUE
    body = _line(ISSUE_TEXT, "今年以来")

    def text(old: str, new: str) -> str:
        return _replace(ISSUE_TEXT, old, new)

    script = ISSUE_TEXT + "\n<script>fetch('http://10.0.0.1/')</script>\n"
    title = text("## 修水县", "## <img src=x onerror=alert(1)>修水县")
    note = text("印数: 120", "印数: 120\n编者按: 请看<script>alert(1)</script>")
    long_line = ISSUE_TEXT + "\n" + "修" * 6000 + "\n"
    return [
        *_file_cases("issue"),
        Hostile(
            "issue",
            "size",
            "6000-character-line",
            ((t, long_line),),
            "issue-format",
            "单行上限",
            line=_line(long_line, "修修修"),
        ),
        Hostile("issue", "markup", "script", ((t, script),), "raw-html", "网页代码", line=_line(script, "<script>")),
        Hostile("issue", "markup", "html-in-title", ((t, title),), "raw-html", "onerror", line=_line(title, "## <img")),
        Hostile(
            "issue",
            "markup",
            "script-in-editors-note",
            ((t, note),),
            "raw-html",
            "网页代码",
            line=_line(note, "编者按:"),
        ),
        Hostile(
            "issue",
            "markup",
            "javascript-link",
            ((t, text("今年以来，", "今年以来[点此](javascript:alert(1))，")),),
            "raw-html",
            "脚本",
            line=body,
        ),
        Hostile(
            "issue",
            "links",
            "https-link",
            ((t, text("今年以来，", "今年以来[报道](https://news.example.com/)，")),),
            "external-link",
            "外部网址",
            line=body,
        ),
        Hostile(
            "issue",
            "links",
            "image-from-intranet-host",
            ((t, text("今年以来，", "![图](http://10.1.2.3/a.png)今年以来，")),),
            "external-link",
            "外部网址",
            line=body,
        ),
        Hostile(
            "issue",
            "links",
            "climbs-out",
            ((t, text("今年以来，", "今年以来[附件](../../../../outside/secret.txt)，")),),
            "link-outside",
            "以外",
            line=body,
        ),
        Hostile(
            "issue",
            "links",
            "absolute-path",
            ((t, text("今年以来，", "今年以来[附件](/etc/passwd)，")),),
            "link-outside",
            "绝对路径",
            line=body,
        ),
        Hostile(
            "issue",
            "links",
            "missing-image",
            ((t, text("今年以来，", "![图](images/没有.png)今年以来，")),),
            "link-missing",
            "不存在",
            line=body,
        ),
        Hostile(
            "issue",
            "filename",
            "con.md",
            (("issues/huiyao/2026/con.md", ISSUE_TEXT), (t, ISSUE_TEXT)),
            "issue-format",
            "Windows",
        ),
        Hostile(
            "issue",
            "filename",
            "trailing-dot-folder",
            (("issues/huiyao/2026./001.md", ISSUE_TEXT), (t, ISSUE_TEXT)),
            "issue-format",
            "Windows",
            at="issues/huiyao/2026.",
        ),
        Hostile(
            "issue",
            "filename",
            "not-an-issue-name",
            (("issues/huiyao/2026/第1期.md", ISSUE_TEXT), (t, ISSUE_TEXT)),
            "issue-format",
            "不是刊物文件",
        ),
        Hostile(
            "issue",
            "unicode",
            "zero-width-in-text",
            ((t, text("今年以来", "今年\u200b以来")),),
            "invisible-char",
            "U+200B",
            line=body,
        ),
        Hostile(
            "issue",
            "unicode",
            "bidi-override-in-title",
            ((t, text("## 修水县", "## 修水\u202e县")),),
            "invisible-char",
            "U+202E",
            line=_line(ISSUE_TEXT, "## 修水县"),
        ),
    ]


def _record_cases(kind: str) -> list[Hostile]:
    t, good = TARGET[kind], GOOD[kind]
    folder = t.rsplit("/", 1)[0]
    unit_key = "责任单位" if kind == "event" else "约稿单位"
    unit_old = "责任单位: chaisang" if kind == "event" else "约稿单位: [xiushui, wuning]"
    title_key = "事件" if kind == "event" else "主题"

    def unit(ref: str) -> str:
        return _replace(good, unit_old, f"{unit_key}: {ref}" if kind == "event" else f"{unit_key}: [{ref}, wuning]")

    script = good + "\n<script>alert(1)</script>\n"
    titled = good.replace(f"{title_key}: ", f"{title_key}: <b onclick=alert(1)>", 1)
    linked = good + "\n详见[通报](https://news.example.com/1.html)。\n"
    climbing = good + "\n详见[附件](../../../outside/secret.txt)。\n"
    lines = good.split("\n")
    return [
        *_file_cases(kind),
        Hostile(
            kind,
            "size",
            "long-line",
            ((t, good + "\n" + "修" * 3000 + "\n"),),
            "record-format",
            "过长",
            line=len(lines) + 1,
        ),
        Hostile(kind, "markup", "script", ((t, script),), "raw-html", "网页代码", line=_line(script, "<script>")),
        Hostile(kind, "markup", "html-in-title", ((t, titled),), "raw-html", "网页代码", line=2),
        Hostile(kind, "links", "https-link", ((t, linked),), "external-link", "外部网址", line=_line(linked, "详见")),
        Hostile(kind, "links", "climbs-out", ((t, climbing),), "link-outside", "以外", line=_line(climbing, "详见")),
        Hostile(kind, "filename", "con.md", ((f"{folder}/con.md", good),), "record-format", "Windows"),
        Hostile(
            kind, "filename", "space-and-chinese", ((f"{folder}/火灾 事件.md", good),), "record-format", "只能用字母"
        ),
        Hostile(kind, "filename", "trailing-dot", ((f"{folder}/1109-chaisang.md.", good),), "record-format", "句点"),
        Hostile(
            kind,
            "unicode",
            "traditional-unit",
            ((t, unit("濂溪區")),),
            "record-format",
            "U+5340",
            line=_line(good, unit_key),
        ),
        Hostile(
            kind,
            "unicode",
            "fullwidth-unit",
            ((t, unit("ｘｉｕｓｈｕｉ")),),
            "record-format",
            "U+FF58",
            line=_line(good, unit_key),
        ),
        Hostile(
            kind,
            "unicode",
            "zero-width-in-title",
            ((t, good.replace(f"{title_key}: ", f"{title_key}: \u200b", 1)),),
            "invisible-char",
            "U+200B",
            line=2,
        ),
    ]


def _config_cases(name: str) -> list[Hostile]:
    good = CONFIG_TEXT if name == "bulletin.yml" else NETWORK_TEXT
    tagged = good + '\n备注: !!python/object/apply:os.system ["touch ../outside/pwned"]\n'
    bomb = BILLION_LAUGHS + "\n" + good

    def grow(_: Path) -> bytes:
        return (good + "\n" + "".join(f"# 注释 {i}：" + "很长的说明" * 20 + "\n" for i in range(12_000))).encode(
            "utf-8"
        )

    def many(_: Path) -> bytes:
        return (good + "\n备注: [" + ", ".join(["1"] * 150_000) + "]\n").encode("utf-8")

    cases = [
        Hostile(name, "encoding", "gbk", ((name, good.encode("gbk")),), None, "GBK"),
        Hostile(name, "encoding", "utf-16", ((name, good.encode("utf-16")),), None, "UTF-16"),
        Hostile(name, "binary", "png-renamed", ((name, PNG),), None, "PNG图片"),
        Hostile(name, "binary", "nul", ((name, good.encode("utf-8") + b"\x00\x00"),), None, "二进制"),
        Hostile(name, "size", "over-1mb", ((name, grow),), None, "文件过大", heavy=True),
        Hostile(
            name, "size", "100000-digit-scalar", ((name, good + "\n备注: " + "9" * 100_000 + "\n"),), None, "数字过长"
        ),
        Hostile(name, "yaml", "billion-laughs", ((name, bomb),), None, "别名", line=1, heavy=True),
        Hostile(name, "yaml", "python-tag", ((name, tagged),), None, "标签", line=_line(tagged, "备注:")),
        Hostile(name, "yaml", "5000-deep", ((name, good + "\n备注: " + "[" * 5000 + "]" * 5000 + "\n"),), None, "嵌套"),
        Hostile(name, "yaml", "150000-values", ((name, many),), None, "内容过多", heavy=True),
        Hostile(name, "yaml", "tab-indent", ((name, good.replace("\n  ", "\n\t", 1)),), None, "制表符"),
    ]
    if name == "network.yml":
        cases += [
            Hostile(
                name,
                "unicode",
                "zero-width-in-name",
                ((name, _replace(good, "name: 浔阳区", "name: 浔阳区\u200b")),),
                None,
                "U+200B",
            ),
            Hostile(
                name,
                "unicode",
                "bidi-in-alias",
                ((name, _replace(good, "aliases: [九江市浔阳区", "aliases: [九江市\u202e区阳浔")),),
                None,
                "U+202E",
            ),
            Hostile(
                name,
                "unicode",
                "traditional-twin-of-another-unit",
                ((name, _replace(good, "name: 濂溪区", "name: 潯陽區")),),
                None,
                "只是写法不同",
            ),
            Hostile(
                name,
                "unicode",
                "fullwidth-alias",
                ((name, _replace(good, "aliases: [九江市濂溪区", "aliases: [ｘｕｎｙａｎｇ, 九江市濂溪区")),),
                None,
                "U+FF58",
            ),
            Hostile(
                name,
                "unicode",
                "kangxi-radical",
                ((name, _replace(good, "name: 柴桑区", "name: 柴桑⼖")),),
                None,
                "U+2F16",
            ),
            Hostile(
                name, "filename", "unit-id-con", ((name, _replace(good, "id: lushan", "id: con")),), None, "Windows"
            ),
            Hostile(
                name, "filename", "unit-id-lpt1", ((name, _replace(good, "id: lushan", "id: lpt1")),), None, "Windows"
            ),
        ]
    return cases


CASES: list[Hostile] = [
    *_submission_cases(),
    *_issue_cases(),
    *_record_cases("event"),
    *_record_cases("call"),
    *_config_cases("bulletin.yml"),
    *_config_cases("network.yml"),
]
# the good file of each kind, untouched: what the cases break (and the benchmark's floor)
BASELINES = {kind: Hostile(kind, "none", "good", ((TARGET[kind], GOOD[kind]),), None, "") for kind in GOOD}
BY_ID = {case.id: case for case in [*CASES, *BASELINES.values()]}
assert len(BY_ID) == len(CASES) + len(BASELINES), "case ids must be unique"


# ---------------------------------------------------------------- running a case


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    findings: list[dict[str, Any]]  # path, line, rule, message
    seconds: float  # the entry point alone
    peak_kb: int = 0  # ru_maxrss of the process that ran it (children only)


def prepare(case: Hostile, work: Path) -> Path:
    """A fresh desk in work/desk with the case's files, and work/outside beside it; returns the desk."""
    desk = work / "desk"
    for name in ("bulletin.yml", "network.yml"):
        (desk / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / name, desk / name)
    (work / "outside").mkdir(parents=True, exist_ok=True)
    (work / "outside" / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    _write(desk / SUBMISSION, ITEM)  # the configuration cases check it; the issue credits it
    if case.kind == "issue":
        git(desk, "init", "-q", "-b", "main")
        git(desk, "add", "-A")
        git(desk, "commit", "-q", "-m", "desk")
    for rel, content in case.files:
        _write(desk / rel, content, work)
    return desk


def _write(path: Path, content: Content, work: Path | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    if isinstance(content, Symlink):
        to = str(work) + content.to[1:] if content.to.startswith("@") and work else content.to
        path.symlink_to(to)
    elif isinstance(content, Fifo):
        os.mkfifo(path)
    elif isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content(work or path.parent))


def _argv(case: Hostile, desk: Path) -> list[str]:
    if case.kind == "submission":
        return ["--desk", str(desk), "check", "--format", "json", str(desk / case.target)]
    if case.kind == "issue":
        return ["--desk", str(desk), "issue", "check", "--format", "json"]
    if case.kind in ("event", "call"):
        return ["--desk", str(desk), "overdue", "--now", NOW]
    return ["--desk", str(desk), "check", "--format", "json", str(desk / SUBMISSION)]


def run_entry(case: Hostile, desk: Path) -> Outcome:
    """Run the case's entry point in this process, as the command line would."""
    from bulletin.cli import main

    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(_argv(case, desk))
        findings: list[dict[str, Any]] = []
        if case.kind in ("submission", "issue") and out.getvalue().strip():
            findings = json.loads(out.getvalue())["findings"]
        elif case.kind in ("event", "call"):  # overdue prints these without rule ids: ask the library too
            from bulletin.desk.config import load_config
            from bulletin.desk.registers import load_records

            findings = [f.as_dict() for f in load_records(load_config(desk)).findings]
    seconds = time.perf_counter() - start
    return Outcome(code, out.getvalue(), err.getvalue(), findings, seconds)


def run_isolated(case: Hostile, desk: Path) -> Outcome:
    """Run the case in a child process with bounded memory and a hang timeout."""
    result = desk.parent / "outcome.json"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    code = (
        f"import sys; sys.path.insert(0, {str(TESTS)!r}); import test_hostile as h; "
        f"h.child({case.id!r}, {str(desk)!r}, {str(result)!r})"
    )
    env = {k: v for k, v in os.environ.items() if k != "BULLETIN_DEBUG"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", code],
            preexec_fn=limit,
            capture_output=True,
            text=True,
            timeout=HANG_TIMEOUT,
            env=env,
            cwd=desk.parent,
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"{case.id}: no answer within {HANG_TIMEOUT} s (a hang)") from exc
    if not result.exists():
        raise AssertionError(f"{case.id}: child died ({done.returncode}): {done.stderr[-2000:]}")
    outcome = Outcome(**json.loads(result.read_text(encoding="utf-8")))
    result.unlink()
    return outcome


def child(case_id: str, desk: str, result: str) -> None:
    """In the child: run one case and write its outcome (with this process's peak memory)."""
    outcome = run_entry(BY_ID[case_id], Path(desk))
    outcome.peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    Path(result).write_text(json.dumps(outcome.__dict__, ensure_ascii=False), encoding="utf-8")


def snapshot(work: Path) -> dict[str, tuple[str, int, str]]:
    """Every entry under `work` (links not followed, git's own files left out): kind, size, digest."""
    out: dict[str, tuple[str, int, str]] = {}
    for folder, dirs, files in os.walk(work, followlinks=False):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(work).as_posix()
            info = path.lstat()
            if path.is_symlink():
                out[rel] = ("link", 0, os.readlink(path))
            elif path.is_file():
                out[rel] = ("file", info.st_size, hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                out[rel] = ("dir" if path.is_dir() else "other", 0, "")
    return out


def verify(case: Hostile, outcome: Outcome) -> None:
    """What every case promises, whatever its kind."""
    everything = outcome.stdout + outcome.stderr
    assert "Traceback" not in everything, everything[-3000:]
    assert "内部错误" not in outcome.stderr, outcome.stderr
    assert SECRET not in everything, "a file outside the desk reached the output"
    if case.rule is None:  # the configuration: one Chinese line naming the file, exit 2
        assert outcome.code == 2, (outcome.code, outcome.stderr)
        assert case.target in outcome.stderr and case.needle in outcome.stderr, outcome.stderr
        assert _HAN.search(outcome.stderr)
        if case.line is not None:
            assert f"第{case.line}行" in outcome.stderr, outcome.stderr
        return
    expected_code = (0, 1) if case.kind in ("event", "call") else (1,)
    assert outcome.code in expected_code, (outcome.code, outcome.stderr)
    ours = [f for f in outcome.findings if f["path"] == case.target and f["rule"] == case.rule]
    assert ours, f"{case.rule} not reported for {case.target}: {outcome.findings or outcome.stderr}"
    assert any(case.needle in f["message"] for f in ours), [f["message"] for f in ours]
    assert all(_HAN.search(f["message"]) for f in outcome.findings)
    if case.line is not None:
        assert case.line in [f["line"] for f in ours], [(f["line"], f["message"]) for f in ours]
    if case.kind in ("event", "call"):  # what the command prints names the file too
        assert case.target in outcome.stderr, outcome.stderr


# ---------------------------------------------------------------- the suite


def test_the_table_covers_every_category_for_every_kind() -> None:
    covered = {(c.kind, c.category) for c in CASES}
    for kind in ("submission", "issue", "event", "call"):
        for category in CATEGORIES:
            assert (kind, category) in covered, (kind, category)
    for kind in ("bulletin.yml", "network.yml"):  # markup, links and file names do not apply to bulletin.yml
        for category in ("encoding", "binary", "size", "yaml"):
            assert (kind, category) in covered, (kind, category)
    assert {c.category for c in CASES if c.kind == "network.yml"} >= {"unicode", "filename"}


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_the_untouched_file_of_each_kind_passes(kind: str, tmp_path: Path) -> None:
    """The baseline the cases break: without the trouble, nothing is reported."""
    case = BASELINES[kind]
    desk = prepare(case, tmp_path)
    outcome = run_entry(case, desk)
    if kind in ("event", "call"):  # overdue exits 1 for the case the good event makes (nothing reported it)
        assert outcome.code in (0, 1) and outcome.findings == [], (outcome.findings, outcome.stderr)
    else:
        assert outcome.code == 0, (outcome.stdout, outcome.stderr)
    assert [f for f in outcome.findings if f["severity"] == "error"] == []


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_gets_a_clear_chinese_error_and_no_effect(case: Hostile, tmp_path: Path) -> None:
    desk = prepare(case, tmp_path)
    before = snapshot(tmp_path)
    outcome = run_isolated(case, desk) if case.heavy else run_entry(case, desk)
    verify(case, outcome)
    assert snapshot(tmp_path) == before, "the check changed files"
    assert not (tmp_path / "outside" / "pwned").exists() and not (desk.parent / "pwned").exists()


# ---------------------------------------------------------------- properties and the fuzz target


@functools.cache
def _fuzz_target() -> Callable[[bytes], None]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("fuzz_front_matter", TESTS / "fuzz" / "fuzz_front_matter.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.one_input  # type: ignore[no-any-return]


_yamlish = st.lists(
    st.sampled_from(
        [
            "标题: ",
            "报送单位: ",
            "- ",
            "[",
            "]",
            "{",
            "}",
            "&a ",
            "*a",
            "!!python/object ",
            "'",
            '"',
            ": ",
            "\n",
            "  ",
            "\t",
            "#",
            "---",
            "...",
            "|",
            ">",
            "%YAML 1.1",
            "\u200b",
            "\u202e",
            "\x1b",
            "9" * 50,
            "修水县",
            "濂溪區",
            "<script>",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000) | _yamlish.map(lambda s: f"---\n{s}\n---\n\n正文\n".encode("utf-8", "surrogatepass")))
@example(b"\n\x10\x04\x0e\r\x0e")  # found by atheris: a lone CR is a line break
@example(("---\n备注: " + "9" * 5000 + "\n---\n").encode())  # an integer Python will not convert
def test_fuzz_target_under_hypothesis(data: bytes) -> None:
    _fuzz_target()(data)


_yaml_scalars = (
    st.text(max_size=12)
    | st.integers()
    | st.floats()
    | st.booleans()
    | st.none()
    | st.sampled_from(["0x1F", "0o17", "1_000", "1:30", ".inf", "-.NaN", "yes", "off", "~", "2026-11-28 10:00", "="])
)
_yaml_data = st.recursive(
    _yaml_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_yaml_data, st.booleans())
def test_safe_yaml_reads_the_same_data_as_the_safe_constructor(data: Any, flow: bool) -> None:
    """load_yaml builds the data itself (checking it on the way): it must be what PyYAML's safe
    constructor would have built from the same text."""
    import yaml

    from bulletin.desk import read

    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    loaded, _ = read.load_yaml(text)
    assert repr(loaded) == repr(yaml.load(text, Loader=read._Loader))  # repr: NaN is not equal to itself


@settings(max_examples=300, deadline=None)
@given(_yamlish)
def test_safe_yaml_text_it_accepts_is_read_as_the_safe_constructor_reads_it(text: str) -> None:
    import yaml

    from bulletin.desk import read

    try:
        loaded, _ = read.load_yaml(text)
    except read.YamlProblem:
        return
    assert repr(loaded) == repr(yaml.load(text, Loader=read._Loader))


_names = st.lists(
    st.sampled_from([*"修水县濂溪区縣區ｘｉxiushuⅰі⽔\ufa26\u200b\u202e\u3000 _-.:?", "COM", "con", "lpt1", ".md"]),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_names)
def test_folding_is_idempotent_and_explains_every_difference(name: str) -> None:
    from bulletin.core import names

    folded = names.fold(name)
    assert names.fold(folded) == folded
    assert not names.invisible(folded)
    if not names.differences(name):  # nothing to explain: only case and spaces differ
        assert folded == "".join(name.casefold().split())
    else:
        assert all(names.label(ch) in names.explain(name) for ch, _ in names.differences(name)[:5])


@settings(max_examples=300, deadline=None)
@given(_names)
def test_windows_safe_names_are_safe(name: str) -> None:
    from bulletin.core.names import windows_problem

    if windows_problem(name) is None:
        assert name and name[-1] not in ". " and not re.search(r'[<>:"/\\|?*\x00-\x1f]', name)
        # Windows ignores trailing ASCII spaces of the stem (not other spaces, not leading ones)
        assert name.split(".")[0].rstrip(" ").upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


@pytest.mark.parametrize("text", ["<!-- x --><![<b>", "<!-- x --><![", "<!-- x --><!x"])
def test_a_declaration_the_html_parser_cannot_read_is_raw_html_not_an_internal_error(tmp_path: Path, text: str) -> None:
    """Found by the generated test below: `<!-- x --><![<b>` stopped the check with an internal error
    (the standard HTML parser's AssertionError); it is markup the site would not show as written."""
    from bulletin.rules.body import markup_problems

    problems = markup_problems(text, 1, tmp_path, tmp_path)
    assert [rule for rule, _, _ in problems] == ["raw-html"], problems


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "<![",
                "<b>",
                "</i>",
                "<!-- x -->",
                "[a](",
                "](",
                ")",
                "![",
                "http://x.cn",
                "javascript:",
                "../",
                "..\\",
                "/etc",
                "C:\\",
                "%2e",
                "\\\\",
                "`",
                "\n",
                "\n\n",
                "修水县",
                "<",
                ">",
                "&#106;",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_markup_check_never_raises_and_names_registered_rules(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    from bulletin.rules import RULES
    from bulletin.rules.body import markup_problems

    root = tmp_path_factory.getbasetemp() / "markup-desk"
    (root / "sub").mkdir(parents=True, exist_ok=True)
    for rule, line, message in markup_problems(text, 1, root / "sub", root):
        assert rule in RULES and 1 <= line <= text.count("\n") + 1 and _HAN.search(message)


def test_a_branch_adding_a_symlink_or_a_windows_unsafe_attachment_is_refused(tmp_path: Path) -> None:
    from desk_helpers import git, init_repo, make_desk, run_cli

    desk = init_repo(make_desk(tmp_path / "desk"))
    git(desk, "checkout", "-q", "-b", "unit/xiushui")
    folder = desk / "submissions/xiushui/2026"
    (folder / "link.jpg").symlink_to("/etc/passwd")
    (folder / "con.jpg").write_bytes(b"\xff\xd8\xff\xe0 not much of a photo")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Attachments")
    done = run_cli("check", "--format", "json", cwd=desk)
    assert done.returncode == 1, done.stderr
    found = {(f["path"], f["rule"]) for f in json.loads(done.stdout)["findings"]}
    assert ("submissions/xiushui/2026/link.jpg", "file-type") in found
    assert ("submissions/xiushui/2026/con.jpg", "file-location") in found
    assert "root:" not in done.stdout  # the link's target is never read
