"""Specifications of `bulletin check` and `bulletin fix`, written as tests.

Each rule of the registry has a file that breaks it and a minimally corrected file that
passes (the CASES table; a meta-test keeps the table complete). Further tests pin down
the behaviours the desk's rules promise: hostile input, time zones, deadlines, secrecy,
typography, the demo content and the automatic fixer.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bulletin.access.codeowners import render as render_codeowners
from bulletin.core import fields, names, typography
from bulletin.core.model import Config, Finding, Item, Severity
from bulletin.core.timing import parse_time
from bulletin.core.typography import HAN, correct_line, problems
from bulletin.desk.config import load_config
from bulletin.desk.read import FINDINGS_PER_RULE, parse_item
from bulletin.editorial.check import check_changes, check_file
from bulletin.editorial.fix import FixRefused, FixResult, fix_file
from bulletin.editorial.new import Draft, render
from bulletin.rules import RULES
from bulletin.rules import body as body_rules
from conftest import REPO_ROOT, MakeItem
from desk_helpers import git

BEIJING = ZoneInfo("Asia/Shanghai")
_HAN_RE = re.compile(f"[{HAN}]")
RECEIVED = dt.datetime(2026, 11, 28, 10, 0, tzinfo=BEIJING)
ITEM = "submissions/xiushui/2026/1128-01.md"
FIRST_REPORT = "submissions/xiushui/2026/1127-01.md"
IMAGE = "submissions/xiushui/2026/images/1128-01.jpg"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01"

BODY = (
    "11月27日，修水县召开重点项目建设推进会，通报前三季度项目建设情况，部署冬季攻坚行动。"
    "截至10月底，全县68个省市县重点项目完成投资112.6亿元，占年度计划的91.3%。"
    "会议要求各乡镇、各部门倒排工期、挂图作战，确保全年目标任务圆满完成。"
)
HEADER = {
    "标题": "修水县召开重点项目建设推进会",
    "报送单位": "xiushui",
    "信息员": "匡小平",
    "签发人": "冷德胜",
    "类别": "普遍性",
    "紧急程度": "平件",
    "密级": "内部",
    "报送对象": "[市委, 市政府]",
    "主题": "[项目建设]",
}
FIRE_BODY = (
    "11月28日8时30分许，修水县义宁镇工业园区一在建厂房发生火灾，过火面积约200平方米，"
    "无人员伤亡。火情发生后，县消防救援大队迅速出警，9时10分明火被扑灭。"
    "县委、县政府主要领导赶赴现场指挥处置，事故原因正在调查中。后续情况将及时续报。"
)


def item_text(body: str = BODY, **changes: str | None) -> str:
    """A well-formed ordinary item from 修水县; keyword arguments change (None: drop) a key."""
    header = dict(HEADER)
    for key, value in changes.items():
        if value is None:
            header.pop(key, None)
        else:
            header[key] = value
    lines = "\n".join(f"{key}: {value}" for key, value in header.items())
    return f"---\n{lines}\n---\n\n{body}\n"


def emergency_text(body: str = FIRE_BODY, **changes: str | None) -> str:
    """A well-formed 突发性、特急 item: a fire at 08:30 on 28 November."""
    base: dict[str, str | None] = {
        "标题": "修水县义宁镇一在建厂房发生火灾 无人员伤亡",
        "类别": "突发性",
        "紧急程度": "特急",
        "发生时间": "2026-11-28 08:30",
        "主题": "[安全生产]",
    }
    return item_text(body, **{**base, **changes})


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line of `text` containing `needle`."""
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def body_line(text: str) -> int:
    """The line just after the closing --- of the front matter."""
    lines = text.split("\n")
    return lines.index("---", 1) + 2


def prose(n: int) -> str:
    """n visible characters of clean Chinese prose, in paragraphs of at most 100."""
    sentence = "修水县坚持项目为王，推动重点项目建设提速增效。"
    text = (sentence * (n // len(sentence) + 1))[:n]
    return "\n\n".join(text[i : i + 100] for i in range(0, n, 100))


def at(hour: int, minute: int, day: int = 28) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=BEIJING)


def rules_of(findings: Iterable[Finding]) -> list[str]:
    return [f.rule for f in findings]


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


CheckText = Callable[..., list[Finding]]


@pytest.fixture
def check_text(demo_config: Config, make_item: MakeItem) -> CheckText:
    """Write an item into the demo desk and check it: check_text(content, rel=..., received=...)."""

    def run(content: str | bytes, rel: str = ITEM, received: dt.datetime = RECEIVED) -> list[Finding]:
        return check_file(demo_config, make_item(content, rel), received)

    return run


# ---------------------------------------------------------------- every rule: bad and good


@dataclass(frozen=True)
class Doc:
    content: str | bytes
    rel: str = ITEM
    received: dt.datetime = RECEIVED
    extra: tuple[tuple[str, bytes], ...] = ()  # other files of the desk (relative path, bytes)
    # a rule on a branch's changes (bulletin check without files): these files are committed on
    # main first, the file itself and `extra` on a branch; `author` is the pull request's account
    on_main: tuple[tuple[str, bytes], ...] | None = None
    author: str | None = None

    @property
    def on_branch(self) -> bool:
        return self.on_main is not None or self.author is not None


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    bad: Doc
    good: Doc
    line: int | range | None  # where the bad file is reported; None: the whole file

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.name}"


def _doc(d: str | bytes | Doc) -> Doc:
    return d if isinstance(d, Doc) else Doc(d)


def case(rule: str, name: str, bad: str | bytes | Doc, good: str | bytes | Doc, line: int | range | None) -> Case:
    return Case(rule, name, _doc(bad), _doc(good), line)


def _big_item() -> bytes:
    report = "全县上下认真贯彻落实市委、市政府决策部署，扎实推进各项工作。" * 3000
    return item_text(report).encode("utf-8")


BILLION_LAUGHS = 'lol0: &a ["哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈", "哈"]\n' + "\n".join(
    f"lol{i}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]" for i in range(1, 10)
)
DEEP_LIST = "标题: " + "[" * 5000 + "]" * 5000
FIRST_REPORT_FILE = ((FIRST_REPORT, item_text().encode("utf-8")),)

_TAGGED = item_text(标题='!!python/object/apply:os.system ["echo 修水"]')
_UNKNOWN_KEY = item_text().replace("标题:", "标提:")
_DUPLICATE = item_text(title="修水县推进项目")
_HASH = item_text(标题="修水县3号桥 #2桥墩加固工程完工")
_HASH_QUOTED = item_text(标题='"修水县3号桥 #2桥墩加固工程完工"')
_HASH_LIST = item_text(主题="\n  - 项目建设 #防汛")
_TITLE_AS_LIST = item_text(标题="\n  - 修水县召开重点项目建设推进会")
_RECIPIENT_MAP = item_text(报送对象="{市委: 是}")
_NO_RECIPIENT_CITY = emergency_text(报送对象="[市政府]")
_40 = "修水县深入实施“开工一批、投产一批、储备一批”行动推动全县68个重点项目提速增效"
_41 = _40.replace("全县", "全县各")
_TITLE_COMMA = item_text(标题="永修县集中签约项目22个,总投资86亿元")
_HEADINGS = item_text(
    "## 一、项目建设\n\n11月27日，修水县召开重点项目建设推进会。\n\n"
    "## 二、安全生产\n\n11月27日，修水县开展冬季安全生产大检查。"
)
_RULE_LINE = item_text("11月27日，修水县召开重点项目建设推进会。\n\n---\n\n11月27日，修水县开展安全生产大检查。")
_TWO_PARAGRAPHS = item_text("11月27日，修水县召开重点项目建设推进会。\n\n会后，修水县开展安全生产大检查。")
_ORDINALS = item_text(
    "一、项目建设\n\n全县68个重点项目完成投资112.6亿元。\n\n二、安全生产\n\n全县开展冬季安全生产大检查。"
)
_INLINE_ORDINALS = item_text(
    "11月27日，修水县召开项目建设推进会。一是抓开工，11个新建项目当年开工；二是抓投产，8个工业项目建成投产。"
)
_SCRIPT = item_text(BODY + "\n\n<script>alert('修水')</script>")
_FONT = item_text("<font color=red>重要</font>情况：" + BODY)
_SLASH_TAG = item_text(BODY + "\n\n<svg/onload=alert(1)>")  # text to markdown-it, HTML to the site's renderer
_ADMONITION = item_text(BODY + '\n\n!!! note "提示"\n\n    <script>alert(1)</script>\n')
_ANCHOR = item_text(BODY + "[详见](#read)")
_DEEP_QUOTE = item_text(BODY + "\n\n" + "> " * 900 + "原文")

EVENT_FILE = "events/2026/1109-chaisang.md"
EVENT_TEXT = (
    "---\n事件: 柴桑区沙城工业园仓库火灾\n发生时间: 2026-11-09 14:20\n等级: 一般\n"
    "责任单位: chaisang\n获知渠道: 市消防救援支队\n状态: 已终结\n---\n"
)
CALL_FILE = "calls/2026/1112-anquan.md"
CALL_TEXT = "---\n主题: 今冬明春安全生产工作进展\n约稿单位: [xiushui, wuning]\n截止时间: 2026-11-20 17:00\n---\n"
ISSUE_FILE = "issues/huiyao/2026/001.md"
ISSUE_TEXT = "---\n刊物: huiyao\n期号: 1\n---\n"


CASES: list[Case] = [
    # --- 文件与格式
    case("encoding", "gbk", item_text().encode("gbk"), item_text().encode("utf-8"), None),
    case("encoding", "invalid-bytes", item_text().encode("utf-8")[:40] + b"\xff\xfe\xfa" + b"\n", item_text(), None),
    case("file-type", "png-renamed", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), item_text(), None),
    case("file-type", "nul-in-text", item_text().encode("utf-8") + b"\x00" * 4, item_text(), None),
    case(
        "invisible-char",
        "zero-width-space-in-body",
        item_text(BODY[:20] + "\u200b" + BODY[20:]),
        item_text(),
        body_line(item_text()) + 1,
    ),
    case(
        "invisible-char", "right-to-left-override", item_text(标题="修水县召开\u202e会进推设建目项点重"), item_text(), 2
    ),
    case(
        "glyph-missing",
        "private-use-in-body",
        item_text(BODY[:20] + "\ue000" + BODY[20:]),
        item_text(BODY[:20] + "\U00020000" + BODY[20:]),  # 𠀀, Extension B: the rare-character face has it
        body_line(item_text()) + 1,
    ),
    case("empty", "zero-bytes", b"", item_text(), None),
    case("empty", "only-whitespace", "\n  \n\t\n", item_text(), None),
    case("file-size", "over-256kb", _big_item(), item_text(), None),
    case("front-matter", "python-tag", _TAGGED, item_text(), line_of(_TAGGED, "标题:")),
    case("front-matter", "billion-laughs", f"---\n{BILLION_LAUGHS}\n---\n\n{BODY}\n", item_text(), range(2, 12)),
    case("front-matter", "5000-deep-list", f"---\n{DEEP_LIST}\n---\n\n{BODY}\n", item_text(), 2),
    case("front-matter", "tab-indent", item_text().replace("\n报送单位", "\n\t报送单位"), item_text(), 3),
    case("front-matter", "unclosed", item_text().replace("\n---\n\n", "\n\n", 1), item_text(), 1),
    case("front-matter", "is-a-list", f"---\n- 标题\n- 修水县召开重点项目建设推进会\n---\n\n{BODY}\n", item_text(), 2),
    case("front-matter", "missing", BODY, item_text(), 1),
    case("unknown-key", "typo", _UNKNOWN_KEY, item_text(), line_of(_UNKNOWN_KEY, "标提:")),
    case("value-comment", "hash-after-space", _HASH, _HASH_QUOTED, line_of(_HASH, "标题:")),
    case("value-comment", "in-a-list", _HASH_LIST, item_text(), line_of(_HASH_LIST, "#防汛")),
    case("duplicate-key", "alias-and-key", _DUPLICATE, item_text(), line_of(_DUPLICATE, "title:")),
    case("file-location", "no-year-folder", Doc(item_text(), rel="submissions/xiushui/x.md"), item_text(), None),
    case(
        "file-location", "chinese-name", Doc(item_text(), rel="submissions/xiushui/2026/修水信息.md"), item_text(), None
    ),
    case(
        "file-location", "space-in-name", Doc(item_text(), rel="submissions/xiushui/2026/1128 01.md"), item_text(), None
    ),
    case(
        "file-location",
        "unknown-unit-folder",
        Doc(item_text(), rel="submissions/xiushuixian/2026/1128-01.md"),
        item_text(),
        None,
    ),
    case(
        "file-location", "bad-year-folder", Doc(item_text(), rel="submissions/xiushui/26/1128-01.md"), item_text(), None
    ),
    case(
        "protected-file",
        "receipts-edited",
        Doc("submissions/x.md\t2026-11-01T08:00:00+08:00\tx\timport\n", rel="receipts/imported.tsv"),
        item_text(),
        None,
    ),
    case("placeholder", "template-left", item_text(标题="【待填写：一句话写明核心事实】"), item_text(), 2),
    # --- 头部信息
    case("missing-field", "no-approver", item_text(签发人=None), item_text(), None),
    case("field-type", "title-as-list", _TITLE_AS_LIST, item_text(), line_of(_TITLE_AS_LIST, "标题:")),
    case("field-type", "recipients-as-mapping", _RECIPIENT_MAP, item_text(), line_of(_RECIPIENT_MAP, "报送对象:")),
    case("invalid-value", "kind", item_text(类别="经验类"), item_text(), line_of(item_text(), "类别:")),
    case(
        "invalid-value",
        "urgency",
        item_text(紧急程度="紧急"),
        item_text(紧急程度="加急"),
        line_of(item_text(), "紧急程度:"),
    ),
    case(
        "unit-unknown",
        "not-in-registry",
        item_text(报送单位="修水县政府办"),
        item_text(报送单位="修水县委办公室"),
        line_of(item_text(), "报送单位:"),
    ),
    case(
        "unit-lookalike",
        "traditional-form",
        Doc(item_text(报送单位="濂溪區"), rel="submissions/lianxi/2026/1128-01.md"),
        Doc(item_text(报送单位="濂溪区"), rel="submissions/lianxi/2026/1128-01.md"),
        line_of(item_text(), "报送单位:"),
    ),
    case(
        "unit-lookalike",
        "fullwidth-letters",
        item_text(报送单位="ｘｉｕｓｈｕｉ"),
        item_text(报送单位="xiushui"),
        line_of(item_text(), "报送单位:"),
    ),
    case(
        "unit-folder",
        "impersonation",
        Doc(item_text(报送单位="修水县"), rel="submissions/wuning/2026/1128-01.md"),
        Doc(item_text(报送单位="修水县"), rel=ITEM),
        line_of(item_text(), "报送单位:"),
    ),
    case("informant-unknown", "not-registered", item_text(信息员="张三"), item_text(), line_of(item_text(), "信息员:")),
    case(
        "recipients",
        "emergency-without-city-committee",
        _NO_RECIPIENT_CITY,
        emergency_text(),
        line_of(_NO_RECIPIENT_CITY, "报送对象:"),
    ),
    case(
        "recipients",
        "unknown-recipient",
        item_text(报送对象="[市委, 省委]"),
        item_text(),
        line_of(item_text(), "报送对象:"),
    ),
    case(
        "topic-unknown",
        "not-a-central-task",
        item_text(主题="[招商]"),
        item_text(主题="[招商引资]"),
        line_of(item_text(), "主题:"),
    ),
    case(
        "bad-reference",
        "follows-in-words",
        item_text(续报="昨天那条"),
        Doc(item_text(续报="xiushui/2026/1127-01"), extra=FIRST_REPORT_FILE),
        line_of(item_text(续报="x"), "续报:"),
    ),
    case(
        "bad-reference",
        "request-in-chinese",
        item_text(约稿="十一月约稿"),
        item_text(约稿="2026-11-03"),
        line_of(item_text(约稿="x"), "约稿:"),
    ),
    case(
        "follows-missing",
        "first-report-absent",
        item_text(续报="xiushui/2026/1127-01"),
        Doc(item_text(续报="xiushui/2026/1127-01"), extra=FIRST_REPORT_FILE),
        line_of(item_text(续报="x"), "续报:"),
    ),
    case(
        "invalid-value",
        "event-grade",
        emergency_text(事件等级="特大"),
        emergency_text(事件等级="较大"),
        line_of(emergency_text(事件等级="x"), "事件等级:"),
    ),
    case(
        "event-missing",
        "not-registered",
        item_text(事件="2026/1199-chaisang"),
        Doc(item_text(事件="2026/1109-chaisang"), extra=((EVENT_FILE, EVENT_TEXT.encode("utf-8")),)),
        line_of(item_text(事件="x"), "事件:"),
    ),
    case(
        "request-missing",
        "not-registered",
        Doc(item_text(约稿="2026/1199-anquan"), extra=((CALL_FILE, CALL_TEXT.encode("utf-8")),)),
        Doc(item_text(约稿="2026/1112-anquan"), extra=((CALL_FILE, CALL_TEXT.encode("utf-8")),)),
        line_of(item_text(约稿="x"), "约稿:"),
    ),
    # --- 密级与保密期限
    case("top-secret", "juemi", item_text(密级="绝密"), item_text(密级="内部"), line_of(item_text(), "密级:")),
    case(
        "classification",
        "not-a-level",
        item_text(密级="保密"),
        item_text(密级="秘密", 保密期限="1年"),
        line_of(item_text(), "密级:"),
    ),
    case(
        "secrecy-term",
        "secret-without-term",
        item_text(密级="秘密"),
        item_text(密级="秘密★1年"),
        line_of(item_text(), "密级:"),
    ),
    case(
        "secrecy-term",
        "confidential-25-years",
        item_text(密级="机密", 保密期限="25年"),
        item_text(密级="机密", 保密期限="20年"),
        line_of(item_text(保密期限="x"), "保密期限:"),
    ),
    case(
        "secrecy-term",
        "internal-with-term",
        item_text(保密期限="1年"),
        item_text(),
        line_of(item_text(保密期限="x"), "保密期限:"),
    ),
    case(
        "secrecy-term",
        "18-months-not-in-years",
        item_text(密级="秘密", 保密期限="18个月"),
        item_text(密级="秘密", 保密期限="6个月"),
        line_of(item_text(保密期限="x"), "保密期限:"),
    ),
    # --- 标题
    case("title-length", "41-chars", item_text(标题=_41), item_text(标题=_40), 2),
    case("title-format", "trailing-full-stop", item_text(标题="修水县召开重点项目建设推进会。"), item_text(), 2),
    case(
        "title-format",
        "three-parts",
        item_text(标题="永修县集中签约项目22个 总投资86亿元 带动就业"),
        item_text(标题="永修县集中签约项目22个 总投资86亿元"),
        2,
    ),
    case(
        "stray-space",
        "title-two-spaces",
        item_text(标题="永修县集中签约项目22个  总投资86亿元"),
        item_text(标题="永修县集中签约项目22个 总投资86亿元"),
        2,
    ),
    # --- 正文结构
    case("empty-body", "nothing-after-header", item_text(""), item_text(), body_line(item_text(""))),
    case("one-event", "two-headings", _HEADINGS, item_text(), line_of(_HEADINGS, "## 二、")),
    case("one-event", "thematic-break", _RULE_LINE, _TWO_PARAGRAPHS, body_line(_RULE_LINE) + 3),
    case("one-event", "ordinal-heading-paragraphs", _ORDINALS, _INLINE_ORDINALS, line_of(_ORDINALS, "二、")),
    case("raw-html", "script", _SCRIPT, item_text(), line_of(_SCRIPT, "<script>")),
    case("raw-html", "font", _FONT, item_text("重要情况：" + BODY), line_of(_FONT, "<font")),
    case("raw-html", "slash-tag", _SLASH_TAG, item_text(), line_of(_SLASH_TAG, "<svg")),
    case("raw-html", "script-in-admonition", _ADMONITION, item_text(), line_of(_ADMONITION, "<script>")),
    case("link-anchor", "same-page", _ANCHOR, item_text(BODY + "详见下文。"), body_line(_ANCHOR) + 1),
    case("nesting-too-deep", "quotes", _DEEP_QUOTE, item_text("> " + BODY), line_of(_DEEP_QUOTE, "> > >")),
    case(
        "external-link",
        "https-link",
        item_text(BODY + "详见[新闻报道](https://news.example.com/1.html)。"),
        item_text(),
        body_line(item_text()) + 1,
    ),
    case(
        "external-link",
        "image-from-web",
        item_text("![现场](https://img.example.com/1.jpg)\n\n" + BODY),
        item_text(),
        body_line(item_text()) + 1,
    ),
    case(
        "link-outside",
        "climbs-out",
        item_text("![现场](../../../../etc/passwd)\n\n" + BODY),
        Doc(item_text("![现场](images/1128-01.jpg)\n\n" + BODY), extra=((IMAGE, JPEG),)),
        body_line(item_text()) + 1,
    ),
    case(
        "link-outside",
        "absolute-path",
        item_text(BODY + "附件见[名单](/etc/passwd)。"),
        Doc(item_text(BODY + "附件见[名单](images/1128-01.jpg)。"), extra=((IMAGE, JPEG),)),
        body_line(item_text()) + 1,
    ),
    case(
        "link-missing",
        "image-not-committed",
        item_text("![现场](images/1128-01.jpg)\n\n" + BODY),
        Doc(item_text("![现场](images/1128-01.jpg)\n\n" + BODY), extra=((IMAGE, JPEG),)),
        body_line(item_text()) + 1,
    ),
    # --- 篇幅
    case("length", "501-chars", item_text(prose(501)), item_text(prose(500)), body_line(item_text())),
    case("length-max", "1501-chars", item_text(prose(1501)), item_text(prose(1500)), body_line(item_text())),
    # --- 标点与数字
    case(
        "halfwidth-punct",
        "comma-and-period",
        item_text("今天,我们开会."),
        item_text("今天，我们开会。"),
        body_line(item_text()) + 1,
    ),
    case(
        "halfwidth-punct",
        "comma-after-percent",
        item_text("同比增长5%,环比增长2%。"),
        item_text("同比增长5%，环比增长2%。"),
        body_line(item_text()) + 1,
    ),
    case(
        "halfwidth-punct",
        "semicolon",
        item_text("我们;他们都参加了会议。"),
        item_text("我们；他们都参加了会议。"),
        body_line(item_text()) + 1,
    ),
    case(
        "halfwidth-punct",
        "parentheses",
        item_text("他说(大意)如此。"),
        item_text("他说（大意）如此。"),
        body_line(item_text()) + 1,
    ),
    case(
        "halfwidth-punct",
        "in-title",
        _TITLE_COMMA,
        item_text(标题="永修县集中签约项目22个，总投资86亿元"),
        line_of(_TITLE_COMMA, "标题:"),
    ),
    case(
        "fullwidth-char",
        "fullwidth-digits",
        item_text("全年增长１２％。"),
        item_text("全年增长12%。"),
        body_line(item_text()) + 1,
    ),
    case(
        "stray-space",
        "spaces-between-words",
        item_text("全年 签约 22 个项目。"),
        item_text("全年签约22个项目。"),
        body_line(item_text()) + 1,
    ),
    case(
        "stray-space",
        "non-breaking-space",
        item_text("杭口镇双井村\xa0\xa0境内发生山体滑坡。"),
        item_text("杭口镇双井村境内发生山体滑坡。"),
        body_line(item_text()) + 1,
    ),
    case(
        "indent-space",
        "ideographic-indent",
        item_text("\u3000\u3000今年以来，修水县推进项目建设。"),
        item_text("今年以来，修水县推进项目建设。"),
        body_line(item_text()) + 1,
    ),
    case(
        "quote-marks",
        "ascii-quotes",
        item_text('阻断村道"双井路"，无人员伤亡。'),
        item_text("阻断村道“双井路”，无人员伤亡。"),
        body_line(item_text()) + 1,
    ),
    case(
        "ellipsis-dash",
        "three-dots",
        item_text("道路正在抢通...预计今晚通车。"),
        item_text("道路正在抢通……预计今晚通车。"),
        body_line(item_text()) + 1,
    ),
    case(
        "traditional-char",
        "traditional-body",
        item_text("共轉移群眾326人，無人員傷亡。"),
        item_text("共转移群众326人，无人员伤亡。"),
        body_line(item_text()) + 1,
    ),
    case(
        "line-break",
        "inside-a-sentence",
        item_text("共转移群众\n326人，无人员伤亡。"),
        item_text("共转移群众326人，无人员伤亡。"),
        body_line(item_text()) + 2,
    ),
    case(
        "lost-char",
        "question-mark-between-digits",
        item_text("在“11?26”九江地震中受损的房屋已全部修复。"),
        item_text("在“11·26”九江地震中受损的房屋已全部修复。"),
        body_line(item_text()) + 1,
    ),
    # --- 时限
    case(
        "time-format",
        "in-words",
        emergency_text(发生时间="昨天上午"),
        emergency_text(),
        line_of(emergency_text(), "发生时间:"),
    ),
    case(
        "occurred-at",
        "emergency-kind-without-time",
        item_text(类别="突发性", 主题="[安全生产]"),
        item_text(类别="突发性", 发生时间="2026-11-28 08:30"),
        line_of(item_text(), "类别:"),
    ),
    case(
        "occurred-at",
        "urgent-without-time",
        item_text(紧急程度="特急"),
        item_text(紧急程度="特急", 发生时间="2026-11-28 08:30"),
        line_of(item_text(), "紧急程度:"),
    ),
    case(
        "event-after-receipt",
        "occurred-in-the-future",
        item_text(发生时间="2026-11-28 10:30"),
        item_text(发生时间="2026-11-28 09:30"),
        line_of(item_text(发生时间="x"), "发生时间:"),
    ),
    case(
        "late",
        "two-hours-and-a-minute",
        Doc(emergency_text(), received=at(10, 31)),
        Doc(emergency_text(), received=at(10, 29)),
        line_of(emergency_text(), "发生时间:"),
    ),
    # --- 账号与权限（分支上的改动）
    case(
        "not-permitted",
        "another-units-folder",
        Doc(item_text(报送单位="修水县"), author="wuning-lujuan"),
        Doc(item_text(报送单位="修水县"), author="xiushui-kuangxiaoping"),
        None,
    ),
    case(
        "not-permitted",
        "unit-edits-an-issue",
        Doc(ISSUE_TEXT, rel=ISSUE_FILE, author="xiushui-kuangxiaoping"),
        Doc(ISSUE_TEXT, rel=ISSUE_FILE, author="jj-editor-lijing"),
        None,
    ),
    case(
        "not-permitted",
        "account-not-in-registry",
        Doc(item_text(), author="xiushui-someone"),
        Doc(item_text(), author="xiushui-fanjing"),
        None,
    ),
    case(
        "not-permitted",
        "editor-edits-the-code",
        Doc("print('x')\n", rel="scripts/bulletin/x.py", author="jj-editor-lijing"),
        Doc("print('x')\n", rel="scripts/bulletin/x.py", author="jj-admin-sunlixin"),
        None,
    ),
    case(
        "accepted-immutable",
        "accepted-item-edited",
        Doc(item_text(BODY + "会后，各乡镇作了表态发言。"), on_main=((ITEM, item_text().encode("utf-8")),)),
        Doc(
            item_text(续报="xiushui/2026/1128-01"),
            rel="submissions/xiushui/2026/1128-02.md",
            on_main=((ITEM, item_text().encode("utf-8")),),
        ),
        None,
    ),
    case(
        "accepted-immutable",
        "editor-edits-an-accepted-item",
        Doc(
            item_text(标题="修水县召开项目建设推进会"),
            on_main=((ITEM, item_text().encode("utf-8")),),
            author="jj-editor-lijing",
        ),
        Doc(
            item_text(),
            rel="submissions/xiushui/2026/1128-02.md",
            on_main=((ITEM, item_text().encode("utf-8")),),
            author="jj-editor-lijing",
        ),
        None,
    ),
    case(
        "codeowners",
        "edited-by-hand",
        Doc("* @someone\n", rel=".github/CODEOWNERS", on_main=()),
        Doc(render_codeowners(load_config(REPO_ROOT)), rel=".github/CODEOWNERS", on_main=()),
        None,
    ),
]


def _write_doc(desk: Path, doc: Doc, make_item: MakeItem) -> Path:
    for rel, data in doc.extra:
        make_item(data, rel)
    return make_item(doc.content, doc.rel)


def _check_doc(desk: Path, config: Config, doc: Doc, make_item: MakeItem) -> list[Finding]:
    """check_file on the file, or for a rule on a branch's changes, `bulletin check` of a real branch."""
    if not doc.on_branch:
        return check_file(config, _write_doc(desk, doc, make_item), doc.received)
    for rel, data in doc.on_main or ():
        make_item(data, rel)
    git(desk, "init", "-q", "-b", "main")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "main")
    git(desk, "checkout", "-q", "-b", "pr")
    _write_doc(desk, doc, make_item)
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "pr")
    return check_changes(config, "main", doc.received, author=doc.author).findings


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_bad_case_reports_the_rule(c: Case, demo_desk: Path, demo_config: Config, make_item: MakeItem) -> None:
    findings = _check_doc(demo_desk, demo_config, c.bad, make_item)
    reported = only(findings, c.rule)
    assert reported, f"{c.rule} not reported; got {[(f.rule, f.line, f.message) for f in findings]}"
    assert all(f.severity is RULES[c.rule].severity for f in reported)
    lines = [f.line for f in reported]
    if isinstance(c.line, range):
        assert any(line in c.line for line in lines if line is not None), lines
    else:
        assert c.line in lines, lines
    assert all(f.message for f in reported)


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_corrected_case_passes(c: Case, demo_desk: Path, demo_config: Config, make_item: MakeItem) -> None:
    findings = _check_doc(demo_desk, demo_config, c.good, make_item)
    assert c.rule not in rules_of(findings)
    assert errors(findings) == [], [(f.rule, f.line, f.message) for f in findings]


def test_every_rule_has_a_bad_and_a_good_case() -> None:
    """Every rule about an item; the rules of issues, registers and verification (rules.editorial)
    are judged on those files and tested with them (test_issues, test_ledger, test_verify)."""
    item_rules = {r.id for r in RULES.values() if r.family not in ("issues", "registers", "verify")}
    assert {c.rule for c in CASES} == item_rules


def test_every_rule_is_documented_with_a_wrong_and_a_right_example() -> None:
    for rule in RULES.values():
        assert _HAN_RE.search(rule.name) and _HAN_RE.search(rule.summary), rule.id
        assert rule.wrong and rule.right and rule.wrong != rule.right, rule.id


# ---------------------------------------------------------------- encoding and reading


def test_gbk_file_is_an_encoding_error_that_names_gbk(check_text: CheckText) -> None:
    [finding] = only(check_text(item_text().encode("gbk")), "encoding")
    assert finding.severity is Severity.ERROR
    assert "GBK" in finding.message


def test_bom_and_crlf_file_is_accepted(check_text: CheckText) -> None:
    data = ("\ufeff" + item_text().replace("\n", "\r\n")).encode("utf-8")
    assert check_text(data) == []


def test_crlf_file_reports_the_right_line(check_text: CheckText) -> None:
    text = item_text("第一段正文。\n\n今天,我们开会。")
    [finding] = only(check_text(text.replace("\n", "\r\n")), "halfwidth-punct")
    assert finding.line == line_of(text, "今天,")


def test_python_tag_in_front_matter_is_not_executed(check_text: CheckText, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = item_text(标题=f'!!python/object/apply:os.system ["touch {marker}"]')
    findings = check_text(text)
    assert "front-matter" in rules_of(findings)
    assert not marker.exists()


def test_billion_laughs_is_refused_quickly(check_text: CheckText) -> None:
    start = time.perf_counter()
    findings = check_text(f"---\n{BILLION_LAUGHS}\n---\n\n{BODY}\n")
    assert time.perf_counter() - start < 2
    assert rules_of(findings) == ["front-matter"]
    assert "别名" in findings[0].message


def test_deeply_nested_front_matter_is_an_error_not_a_crash(check_text: CheckText) -> None:
    nested_map = "标题: " + "{a: " * 5000 + "1" + "}" * 5000
    for front in (DEEP_LIST, nested_map):
        assert rules_of(check_text(f"---\n{front}\n---\n\n{BODY}\n")) == ["front-matter"]


def test_tab_indentation_message_mentions_tabs(check_text: CheckText) -> None:
    [finding] = check_text(item_text().replace("\n报送单位", "\n\t报送单位"))
    assert finding.rule == "front-matter"
    assert "制表符" in finding.message


def test_unclosed_front_matter_says_so(check_text: CheckText) -> None:
    [finding] = check_text(item_text().replace("\n---\n\n", "\n\n", 1))
    assert finding.rule == "front-matter"
    assert "没有结束" in finding.message


def test_key_typo_suggests_the_right_key(check_text: CheckText) -> None:
    findings = check_text(_UNKNOWN_KEY)
    [finding] = only(findings, "unknown-key")
    assert "“标题”" in finding.message
    assert "missing-field" in rules_of(findings)  # a misspelt key is not silently taken as the title


def test_english_key_and_chinese_key_for_the_same_field_are_duplicates(check_text: CheckText) -> None:
    text = item_text().replace("---\n标题:", "---\ntitle: 修水县推进项目\n标题:", 1)
    [finding] = only(check_text(text), "duplicate-key")
    assert finding.line == line_of(text, "标题:")


def test_english_aliases_alone_are_accepted(check_text: CheckText) -> None:
    text = (
        "---\ntitle: 修水县召开重点项目建设推进会\nunit: xiushui\ninformant: 匡小平\napprover: 冷德胜\n"
        "kind: 突发性\nurgency: 特急\nclassification: 秘密\nsecrecy_term: 6个月\n"
        "occurred_at: 2026-11-28 08:30\nrecipients: [市委]\ntopics: [项目建设]\nrequest: 2026-11-03\n"
        f"deadline: 2026-11-28 12:00\n---\n\n{BODY}\n"
    )
    assert check_text(text) == []


# ---------------------------------------------------------------- unit and place


@pytest.mark.parametrize("ref", ["xiushui", "修水县", "修水县委办公室", "修水县委办"])
def test_unit_may_be_given_by_id_name_or_alias(check_text: CheckText, ref: str) -> None:
    assert check_text(item_text(报送单位=ref)) == []


def test_item_in_another_units_folder_is_impersonation(check_text: CheckText) -> None:
    findings = check_text(item_text(报送单位="修水县"), rel="submissions/wuning/2026/1128-01.md")
    [finding] = only(findings, "unit-folder")
    assert "submissions/wuning/" in finding.message and "修水县" in finding.message


def test_township_may_not_report_in_its_county_folder(check_text: CheckText) -> None:
    findings = check_text(item_text(报送单位="义宁镇", 信息员="黎明辉", 签发人="戴国强"))
    assert "unit-folder" in rules_of(findings)


# ---------------------------------------------------------------- times and deadlines


@pytest.mark.parametrize("written", ["2026-11-28 08:30", "2026-11-28T08:30:00+08:00", "2026年11月28日8时30分"])
def test_time_formats_are_accepted_and_read_as_the_same_moment(check_text: CheckText, written: str) -> None:
    assert check_text(emergency_text(发生时间=written), received=at(10, 29)) == []
    [late] = only(check_text(emergency_text(发生时间=written), received=at(10, 31)), "late")
    assert "2026年11月28日08:30" in late.message


@pytest.mark.parametrize("written", ["2026-12-01T08:00:00+05:00", "2026-11-28T00:30:00Z", "2026-11-28T08:30:00-03:00"])
def test_a_foreign_offset_is_refused_not_read_as_another_beijing_time(check_text: CheckText, written: str) -> None:
    """Finding 12.7: +05:00 was read as 11:00 Beijing time without a word, moving the limit."""
    findings = check_text(emergency_text(发生时间=written), received=at(10, 31))
    [bad] = only(findings, "time-format")
    assert "时区" in bad.message and "+08:00" in bad.message and bad.line is not None
    assert "late" not in rules_of(findings)  # nothing is judged on a time the desk does not accept


def test_time_without_offset_is_beijing_time() -> None:
    assert parse_time("2026-11-28 08:30") == dt.datetime(2026, 11, 28, 0, 30, tzinfo=dt.UTC)
    assert parse_time("2026-11-28T00:30:00Z") == parse_time("2026-11-28 08:30")


def test_time_in_words_is_a_time_format_error(check_text: CheckText) -> None:
    [finding] = only(check_text(emergency_text(发生时间="昨天上午")), "time-format")
    # the accepted forms are shown with the item's own day (1128-01.md) at the time it is received
    assert "昨天上午" in finding.message and "2026-11-28 10:00" in finding.message


def test_urgent_item_within_two_hours_is_not_late(check_text: CheckText) -> None:
    assert "late" not in rules_of(check_text(emergency_text(), received=at(10, 29)))


def test_urgent_item_received_at_exactly_two_hours_is_not_late(check_text: CheckText) -> None:
    assert "late" not in rules_of(check_text(emergency_text(), received=at(10, 30)))


def test_late_urgent_item_is_a_warning_stating_the_delay(check_text: CheckText) -> None:
    [finding] = only(check_text(emergency_text(), received=at(10, 31)), "late")
    assert finding.severity is Severity.WARNING
    assert "迟报1分钟" in finding.message


def test_delay_is_stated_in_hours_and_minutes(check_text: CheckText) -> None:
    [finding] = only(check_text(emergency_text(), received=at(13, 45)), "late")
    assert "迟报3小时15分钟" in finding.message


def test_explicit_deadline_earlier_than_the_limit_decides(check_text: CheckText) -> None:
    text = emergency_text(截止时间="2026-11-28 09:30")
    [finding] = only(check_text(text, received=at(10, 0)), "late")
    assert "截止时间" in finding.message and "迟报30分钟" in finding.message


def test_explicit_deadline_later_than_the_limit_does_not_extend_it(check_text: CheckText) -> None:
    text = emergency_text(截止时间="2026-11-28 12:00")
    assert "late" in rules_of(check_text(text, received=at(11, 0)))


def test_explicit_deadline_alone_applies_to_an_ordinary_item(check_text: CheckText) -> None:
    text = item_text(约稿="2026-11-03", 截止时间="2026-11-27 17:00")
    assert "late" in rules_of(check_text(text, received=at(10, 0)))


def test_follow_up_report_is_not_held_to_the_two_hour_limit(check_text: CheckText, make_item: MakeItem) -> None:
    make_item(emergency_text(), FIRST_REPORT)
    follow_up = emergency_text(续报="xiushui/2026/1127-01")
    assert check_text(follow_up, received=at(16, 0)) == []


def test_follow_up_may_not_point_to_itself(check_text: CheckText) -> None:
    findings = check_text(emergency_text(续报="xiushui/2026/1128-01"))
    assert "bad-reference" in rules_of(findings)


def test_event_after_receipt_is_an_error(check_text: CheckText) -> None:
    findings = check_text(emergency_text(发生时间="2026-12-28 08:30"))
    assert "event-after-receipt" in rules_of(findings)
    assert "late" not in rules_of(findings)


def test_lateness_uses_the_received_time_given_not_file_times(check_text: CheckText, make_item: MakeItem) -> None:
    path = make_item(emergency_text())
    early = at(9, 0).timestamp()
    os.utime(path, (early, early))  # a file (or commit) date claiming it came in time
    assert "late" in rules_of(check_text(emergency_text(), received=at(12, 0)))
    assert "late" not in rules_of(check_text(emergency_text(), received=at(9, 0)))


@pytest.mark.parametrize("changes", [{"类别": "突发性"}, {"紧急程度": "特急"}])
def test_emergency_without_event_time_is_an_error(check_text: CheckText, changes: dict[str, str]) -> None:
    findings = check_text(item_text(**changes))
    assert [f.severity for f in only(findings, "occurred-at")] == [Severity.ERROR]


def test_emergency_must_be_sent_to_the_city_committee(check_text: CheckText) -> None:
    [finding] = only(check_text(emergency_text(报送对象="[市政府]")), "recipients")
    assert "市委" in finding.message


def test_ordinary_item_may_go_to_the_city_government_alone(check_text: CheckText) -> None:
    assert check_text(item_text(报送对象="[市政府]")) == []


# ---------------------------------------------------------------- secrecy


def test_top_secret_is_refused(check_text: CheckText) -> None:
    assert "top-secret" in rules_of(check_text(item_text(密级="绝密", 保密期限="30年")))


def test_top_secret_mark_form_is_refused(check_text: CheckText) -> None:
    assert "top-secret" in rules_of(check_text(item_text(密级="绝密★30年")))


@pytest.mark.parametrize(
    ("level", "term"),
    [("秘密★1年", None), ("秘密", "1年"), ("秘密", "6个月"), ("秘密", "10年"), ("机密", "20年"), ("机密★5年", None)],
)
def test_valid_secrecy_terms_are_accepted(check_text: CheckText, level: str, term: str | None) -> None:
    assert check_text(item_text(密级=level, 保密期限=term)) == []


@pytest.mark.parametrize(
    ("level", "term"),
    [
        ("秘密", None),
        ("机密", None),
        ("秘密", "11年"),
        ("机密", "25年"),
        ("秘密", "18个月"),
        ("秘密", "12个月"),
        ("秘密", "0年"),
        ("秘密", "长期"),
        ("内部", "1年"),
        ("公开", "6个月"),
    ],
)
def test_wrong_secrecy_terms_are_errors(check_text: CheckText, level: str, term: str | None) -> None:
    assert rules_of(check_text(item_text(密级=level, 保密期限=term))) == ["secrecy-term"]


# ---------------------------------------------------------------- title


def test_title_of_forty_characters_is_allowed_and_forty_one_is_not(check_text: CheckText) -> None:
    assert len(_40) == 40 and len(_41) == 41
    assert "title-length" not in rules_of(check_text(item_text(标题=_40)))
    assert "title-length" in rules_of(check_text(item_text(标题=_41)))


def test_title_may_have_one_space_between_two_parts(check_text: CheckText) -> None:
    assert check_text(item_text(标题="永修县集中签约项目22个 总投资86亿元")) == []


def test_title_with_more_than_two_parts_is_a_format_error(check_text: CheckText) -> None:
    assert "title-format" in rules_of(check_text(item_text(标题="永修县集中签约项目22个 总投资86亿元 带动就业")))


@pytest.mark.parametrize("title", ["永修县集中签约项目22个  总投资86亿元", "永修县集中签约项目22个\u3000总投资86亿元"])
def test_title_with_a_doubled_or_full_width_separator_is_a_spacing_defect(check_text: CheckText, title: str) -> None:
    [finding] = check_text(item_text(标题=title))
    assert finding.rule == "stray-space" and "bulletin fix" in finding.message


@pytest.mark.parametrize("end", ["。", "，", "；", "："])
def test_title_ending_in_punctuation_is_a_format_error(check_text: CheckText, end: str) -> None:
    assert "title-format" in rules_of(check_text(item_text(标题="修水县召开重点项目建设推进会" + end)))


def test_halfwidth_comma_in_title_is_reported_on_the_title_line(check_text: CheckText) -> None:
    [finding] = only(check_text(_TITLE_COMMA), "halfwidth-punct")
    assert finding.line == 2 and finding.message.startswith("标题")


# ---------------------------------------------------------------- body


def test_inline_first_second_points_are_one_event(check_text: CheckText) -> None:
    assert check_text(_INLINE_ORDINALS) == []


def test_single_subheading_is_one_event(check_text: CheckText) -> None:
    assert check_text(item_text("## 基本情况\n\n" + BODY)) == []


def test_thematic_break_is_reported_on_its_line(check_text: CheckText) -> None:
    [finding] = only(check_text(_RULE_LINE), "one-event")
    assert finding.line is not None and _RULE_LINE.split("\n")[finding.line - 1] == "---"


@pytest.mark.parametrize("markup", ["<script>alert('修水')</script>", "<font color=red>重要</font>情况。"])
def test_raw_html_is_an_error(check_text: CheckText, markup: str) -> None:
    assert "raw-html" in rules_of(check_text(item_text(BODY + "\n\n" + markup)))


@pytest.mark.parametrize(
    ("markup", "rule"),
    [
        ("详见[新闻报道](https://news.example.com/1.html)。", "external-link"),
        ("![现场](https://img.example.com/1.jpg)", "external-link"),
        ("详见<https://news.example.com/1.html>。", "external-link"),
        ("![现场](../../../../etc/passwd)", "link-outside"),
        ("[名单](/etc/passwd)", "link-outside"),
        ("[名单](C:/Windows/win.ini)", "link-outside"),
        ("[名单](%43:/Windows/win.ini)", "link-outside"),
        ("![现场](images/不存在.jpg)", "link-missing"),
    ],
)
def test_links_must_stay_inside_the_desk(check_text: CheckText, markup: str, rule: str) -> None:
    assert rules_of(check_text(item_text(BODY + "\n\n" + markup))) == [rule]


def test_image_next_to_the_item_is_fine(check_text: CheckText, make_item: MakeItem) -> None:
    make_item(JPEG, "submissions/xiushui/2026/1128-01-现场.jpg")
    assert check_text(item_text("![现场](1128-01-现场.jpg)\n\n" + BODY)) == []


# ---------------------------------------------------------------- length


def test_length_counts_visible_characters_only(check_text: CheckText) -> None:
    text = prose(500)
    marked = "## " + text[:20] + "\n\n**" + text[20:60] + "**\n\n- " + text[60:100] + "\n\n   " + text[100:]
    assert check_text(item_text(marked)) == []


def test_501_characters_is_a_warning(check_text: CheckText) -> None:
    [finding] = only(check_text(item_text(prose(501))), "length")
    assert finding.severity is Severity.WARNING and "501" in finding.message


def test_1501_characters_is_an_error(check_text: CheckText) -> None:
    findings = check_text(item_text(prose(1501)))
    assert rules_of(findings) == ["length-max"]
    assert findings[0].severity is Severity.ERROR


# ---------------------------------------------------------------- typography


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("今天,我们开会.", "halfwidth-punct"),
        ("同比增长5%,环比增长2%。", "halfwidth-punct"),
        ("我们;他们都参加了会议。", "halfwidth-punct"),
        ("他说(大意)如此。", "halfwidth-punct"),
        ("全市召开会议(视频).", "halfwidth-punct"),
        ("增长１２％。", "fullwidth-char"),
        ("全年增长１２．５％。", "fullwidth-char"),
        ("ＧＤＰ增长5%。", "fullwidth-char"),
        ("全年 签约 22 个项目。", "stray-space"),
        ("“11?26”九江地震。", "lost-char"),
        ("修水?县。", "lost-char"),
    ],
)
def test_typography_problem_is_reported(check_text: CheckText, line: str, rule: str) -> None:
    findings = check_text(item_text(line))
    assert rule in rules_of(findings)
    assert {f.line for f in findings} == {body_line(item_text()) + 1}


@pytest.mark.parametrize(
    "line",
    [
        "全市GDP增长3.5%，完成投资1,000万元。",
        "运行`a,b;c`命令。",
        "详见[说明](1128-01-说明.md)。",
        "“11·26”九江地震后重建的房屋已交付。",
        "```\nkey: a,b;c\n```",
    ],
)
def test_clean_text_code_and_link_targets_are_untouched(check_text: CheckText, make_item: MakeItem, line: str) -> None:
    make_item("说明。", "submissions/xiushui/2026/1128-01-说明.md")
    assert check_text(item_text(line)) == []


def test_corrector_leaves_inline_code_and_link_urls_alone() -> None:
    line = "运行`a,b;c`命令,详见[说明](docs/a,b.md)和https://example.com/a,b;c 两处."
    fixed = correct_line(line)
    assert "`a,b;c`" in fixed and "(docs/a,b.md)" in fixed and "https://example.com/a,b;c" in fixed
    assert "命令，详见" in fixed


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("今天,我们开会.", "今天，我们开会。"),
        ("同比增长5%,环比增长2%。", "同比增长5%，环比增长2%。"),
        ("我们;他们", "我们；他们"),
        ("他说(大意)如此", "他说（大意）如此"),
        ("增长１２％", "增长12%"),
        ("全年 签约 22 个", "全年签约22个"),
        ("增长3.5个百分点，1,000人参加", "增长3.5个百分点，1,000人参加"),
        ("全年增长１２．５％", "全年增长12.5%"),
        ("全市召开会议(视频).", "全市召开会议（视频）。"),
        ("修水县!今天.我们开会", "修水县！今天。我们开会"),
        ("他问:?", "他问：？"),
    ],
)
def test_corrector_produces_the_standard_form_in_one_call(wrong: str, right: str) -> None:
    assert correct_line(wrong) == right


def test_typography_findings_are_capped_per_rule_with_one_line_for_the_rest(check_text: CheckText) -> None:
    body = "\n\n".join(f"第{n}段,项目推进顺利." for n in range(1, 41))  # 80 half-width marks, 40 lines
    found = only(check_text(item_text(body)), "halfwidth-punct")
    assert len(found) == FINDINGS_PER_RULE + 1
    assert found[-1].message.startswith("从这一行起还有更多同样的问题") and "bulletin fix" in found[-1].message
    assert all("应为全角" in f.message for f in found[:-1])


@pytest.mark.parametrize(
    "line",
    [
        "## 基本情况",
        "### 一、项目建设",
        "- 修水县推进项目建设。",
        "* 修水县推进项目建设。",
        "1. 修水县推进项目建设。",
        "> 修水县推进项目建设。",
        "> - 修水县推进项目建设。",
    ],
)
def test_markdown_block_markers_and_indent_keep_their_space(line: str) -> None:
    assert correct_line(line) == line


def test_headings_lists_and_quotes_are_not_stray_spaces(check_text: CheckText) -> None:
    body = (
        "## 基本情况\n\n"
        + BODY
        + "\n\n- 开工一批，11个项目当年开工。\n- 投产一批，8个项目建成投产。\n\n> 会议要求倒排工期。"
    )
    assert check_text(item_text(body)) == []


@pytest.mark.parametrize("rule_id", [r.id for r in RULES.values() if r.fixable])
def test_fixable_rule_examples_are_corrected_to_the_documented_form(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert typography.correct_body(rule.wrong) == rule.right  # a body: line-break's example has two lines


# ---------------------------------------------------------------- template and demo content


def test_new_item_skeleton_fails_with_placeholder(demo_config: Config, check_text: CheckText) -> None:
    unit = demo_config.unit("xiushui")
    assert unit is not None
    skeleton = render(Draft(unit=unit), demo_config)
    assert fields.PLACEHOLDER in skeleton
    findings = check_text(skeleton)
    assert "placeholder" in rules_of(findings)
    assert {f.line for f in only(findings, "placeholder")} == {
        n for n, line in enumerate(skeleton.split("\n"), start=1) if fields.PLACEHOLDER in line
    }


def test_filled_in_skeleton_passes(demo_config: Config, check_text: CheckText) -> None:
    unit = demo_config.unit("xiushui")
    assert unit is not None
    skeleton = render(Draft(unit=unit, title="修水县召开重点项目建设推进会", topics=("项目建设",)), demo_config)
    text = skeleton[: skeleton.rindex(fields.PLACEHOLDER)] + BODY + "\n"
    assert check_text(text) == []


DEMO_ITEMS = sorted((REPO_ROOT / "submissions").glob("*/*/*.md"))


def _demo_received(path: Path, config: Config) -> dt.datetime:
    item, _ = parse_item(path.read_bytes(), Item(path.name, path, ""), [])
    occurred = item.fields.get("发生时间")
    if occurred:
        return parse_time(occurred, config.timezone) + dt.timedelta(minutes=75)
    month, day = int(path.stem[:2]), int(path.stem[2:4])
    return dt.datetime(int(path.parent.name), month, day, 10, 0, tzinfo=config.timezone)


def test_demo_content_is_present() -> None:
    assert len(DEMO_ITEMS) >= 10


@pytest.mark.parametrize("path", DEMO_ITEMS, ids=[p.relative_to(REPO_ROOT).as_posix() for p in DEMO_ITEMS])
def test_demo_item_passes(path: Path) -> None:
    config = load_config(REPO_ROOT)
    findings = check_file(config, path, _demo_received(path, config))
    assert errors(findings) == [], [(f.rule, f.line, f.message) for f in findings]


# ---------------------------------------------------------------- properties

_INLINE_ALPHABET = list(
    "修水县今天我们开会一是二项目增长签约亿元“”‘’《》，。；：！？（）、…—·"
    ",.;:!?()%%0123456789０１２３４５６７８９％．ＡＢＧＤＰａｂabcGDP \t\u3000`[]<>/-*_#~"
)
inline_text = st.text(alphabet=st.sampled_from(_INLINE_ALPHABET), max_size=60) | st.text(max_size=40).filter(
    lambda s: "\n" not in s and "\r" not in s
)


@settings(max_examples=200, deadline=None)
@given(inline_text, st.booleans())
@example("一:?", True)  # counterexamples found while writing these tests: a change enabling another
@example("0 ．0一", True)
@example("·: :0一", True)
@example("一!一.一", True)
def test_correct_line_is_idempotent(line: str, spaces: bool) -> None:
    once = correct_line(line, spaces=spaces)
    assert correct_line(once, spaces=spaces) == once


@settings(max_examples=200, deadline=None)
@given(inline_text)
def test_corrected_line_has_no_fixable_problem_left(line: str) -> None:
    assert [p.rule for p in problems(correct_line(line)) if p.rule != "lost-char"] == []


@settings(max_examples=200, deadline=None)
@given(inline_text)
def test_correct_line_never_drops_han_characters(line: str) -> None:
    before, after = _HAN_RE.findall(line), _HAN_RE.findall(correct_line(line))
    # the same characters, but for Traditional ones made simplified (issue 13)
    assert len(after) == len(before)
    assert all(b == a or names.simplified(a) != a for a, b in zip(before, after, strict=True))


# the whole full-width block and every kind of space, beside what the shortcut lets through
_SHORTCUT_ALPHABET = _INLINE_ALPHABET + [chr(c) for c in range(0xFF01, 0xFF5F)] + list("\xa0\u2003\u200b\ufffd%.")
shortcut_text = st.text(alphabet=st.sampled_from(_SHORTCUT_ALPHABET), max_size=60)


@settings(max_examples=1000, deadline=None)
@given(shortcut_text, st.booleans())
@example("增长1.5%，达３１％", True)
@example("增长1.5%。", False)
@example("一\xa0二", True)
@example("一\ufffd", True)  # found by this test: the corrector turned a lost '\ufffd' into '?'
@example("一\ue000?二\ue000", True)
def test_shortcut_for_lines_that_cannot_change_agrees_with_the_corrector(line: str, spaces: bool) -> None:
    """correct_line skips the library on lines with nothing it could correct: never a different answer."""
    assert correct_line(line, spaces) == typography._correct_line(line, spaces)


_MARKDOWN_PIECES = [
    *"修水县一二三、。，；：“”（）\u3000 \t\n\n\n12.)#>+-=~|`*_[]<>&\\!",
    "一、项目建设",
    "二、安全生产",
    "## ",
    "---",
    "1. ",
    "    ",
    "  \n",
    "[链接](a.md)",
    "<b>",
]


_PROSE_PIECES = [
    *"修水县一二三、。，；：“”（）\u3000 \t\n\n\n12.)!?%\xa0\x0c",
    "一、项目建设",
    "二、安全生产",
    "1.5亿",
    "  \n",
]


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(_MARKDOWN_PIECES), max_size=40).map("".join)
    | st.lists(st.sampled_from(_PROSE_PIECES), max_size=40).map("".join)
)
@example("一、项目建设\n\n二、安全生产\n")
@example("正文\n\u3000\u3000第二行\n")
@example("正文\n===\n")
def test_plain_prose_is_read_as_the_markdown_parser_reads_it(body: str) -> None:
    """Bodies with nothing that could be Markdown skip the parser: the same outline either way."""
    plain = body_rules._plain_outline(body)
    if plain is not None:
        assert plain == body_rules._parsed_outline(body)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_split_counts_what_isspace_counts(text: str) -> None:
    assert len("".join(text.split())) == sum(1 for ch in text if not ch.isspace())


def test_ordinary_bodies_skip_the_markdown_parser() -> None:
    assert body_rules._plain_outline(BODY) is not None
    assert body_rules._plain_outline("一是强化调度。\n二是强化宣传。\n\n目前进展顺利。") is not None
    assert body_rules._plain_outline("## 标题\n正文") is None


def _problems_without_shortcuts(text: str, spaces: bool) -> list[typography.TypoProblem]:
    saved = typography._MAY_CHANGE, typography._MAY_CHANGE_OR_LOST
    typography._MAY_CHANGE = typography._MAY_CHANGE_OR_LOST = re.compile("")  # matches every line
    try:
        return typography.problems(text, spaces)
    finally:
        typography._MAY_CHANGE, typography._MAY_CHANGE_OR_LOST = saved


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*_SHORTCUT_ALPHABET, "\n", "```", "?"]), max_size=120).map("".join), st.booleans())
@example("一\n\n二?三\n", True)
@example("```\n一,二\n```\n三", True)
def test_problems_with_shortcuts_are_the_problems_without(text: str, spaces: bool) -> None:
    assert typography.problems(text, spaces) == _problems_without_shortcuts(text, spaces)


def test_shortcut_agrees_on_every_line_of_the_demo_desk() -> None:
    lines = {line for path in DEMO_ITEMS for line in path.read_text(encoding="utf-8").split("\n")}
    skipped = [line for line in lines if not typography._MAY_CHANGE.search(line)]
    assert len(skipped) > 20  # the shortcut is taken on ordinary prose
    for line in lines:
        for spaces in (True, False):
            assert correct_line(line, spaces) == typography._correct_line(line, spaces), line


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000) | st.binary(max_size=500).map(lambda b: b"---\n" + b + b"\n---\n\n"))
def test_parse_item_never_raises_and_explains_every_refusal(data: bytes) -> None:
    item, out = parse_item(data, Item("x.md", Path("x.md"), ""), [])
    assert item.front_matter_ok or out
    assert all(f.rule in RULES for f in out)


_keys = st.sampled_from([f.key for f in fields.FIELDS] + [f.alias for f in fields.FIELDS]) | st.text(max_size=8)
_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
_front_matter = st.dictionaries(_keys, _values, max_size=10).map(
    lambda d: yaml.safe_dump(d, allow_unicode=True)
) | st.text(max_size=300)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(front=_front_matter, body=st.text(max_size=200))
def test_check_file_never_raises_on_arbitrary_front_matter(
    demo_config: Config, make_item: MakeItem, front: str, body: str
) -> None:
    path = make_item(f"---\n{front}\n---\n\n{body}".encode("utf-8", "surrogatepass"))
    findings = check_file(demo_config, path, RECEIVED)
    for f in findings:
        assert f.rule in RULES and f.severity is RULES[f.rule].severity
        assert f.line is None or f.line >= 1


# ---------------------------------------------------------------- fix


def _fix(path: Path, write: bool = True) -> FixResult:
    return fix_file(path, path.name, write=write)


def test_fix_corrects_body_and_title(make_item: MakeItem) -> None:
    text = item_text("今天,我们开会.全年增长１２％,全年 签约 22 个项目.", 标题="永修县集中签约项目22个,总投资86亿元")
    path = make_item(text)
    _fix(path)
    fixed = path.read_text("utf-8")
    assert "今天，我们开会。全年增长12%，全年签约22个项目。" in fixed
    assert "标题: 永修县集中签约项目22个，总投资86亿元\n" in fixed


def test_fix_keeps_the_one_space_in_a_title(make_item: MakeItem) -> None:
    path = make_item(item_text(标题="永修县集中签约项目22个 总投资86亿元,带动就业"))
    _fix(path)
    assert "标题: 永修县集中签约项目22个 总投资86亿元，带动就业\n" in path.read_text("utf-8")


def test_fix_renames_english_keys_in_place_keeping_comments_and_order(make_item: MakeItem) -> None:
    before = (
        "---\n# 信息头部\ntitle: 修水县召开重点项目建设推进会   # 一句话写明核心事实\nunit: xiushui  # 修水县\n"
        "informant: 匡小平\napprover: 冷德胜\nkind: 普遍性\nurgency: 平件\nclassification: 内部\n"
        "recipients: [市委, 市政府]\ntopics: [项目建设]\n---\n\n" + BODY + "\n"
    )
    path = make_item(before)
    result = _fix(path)
    expected = (
        "---\n# 信息头部\n标题: 修水县召开重点项目建设推进会   # 一句话写明核心事实\n报送单位: xiushui  # 修水县\n"
        "信息员: 匡小平\n签发人: 冷德胜\n类别: 普遍性\n紧急程度: 平件\n密级: 内部\n"
        "报送对象: [市委, 市政府]\n主题: [项目建设]\n---\n\n" + BODY + "\n"
    )
    assert path.read_text("utf-8") == expected
    assert result.written and any("title" in change for change in result.changes)


def test_fix_leaves_an_alias_alone_when_the_chinese_key_is_also_there(make_item: MakeItem) -> None:
    text = item_text().replace("---\n标题:", "---\ntitle: 修水县推进项目\n标题:", 1)
    path = make_item(text)
    _fix(path)
    assert path.read_text("utf-8") == text


def test_fix_converts_gbk_to_utf8(demo_config: Config, make_item: MakeItem) -> None:
    path = make_item(item_text().encode("gbk"))
    result = _fix(path)
    assert path.read_bytes() == item_text().encode("utf-8")
    assert any("GBK" in change for change in result.changes)
    assert check_file(demo_config, path, RECEIVED) == []


def test_fix_keeps_crlf_line_endings(make_item: MakeItem) -> None:
    path = make_item(item_text("今天,我们开会.").replace("\n", "\r\n"))
    _fix(path)
    data = path.read_bytes()
    assert data == item_text("今天，我们开会。").replace("\n", "\r\n").encode("utf-8")


def test_fix_dry_run_changes_nothing_on_disk(make_item: MakeItem) -> None:
    path = make_item(item_text("今天,我们开会."))
    before = path.read_bytes()
    result = _fix(path, write=False)
    assert path.read_bytes() == before
    assert not result.written and result.changes and "今天，我们开会。" in result.diff


def test_fixed_file_passes_the_typography_rules(demo_config: Config, make_item: MakeItem) -> None:
    text = item_text(
        "今天,我们开会.同比增长5%,环比增长2%;他说(大意)如此.\n\n全年增长１２．５％,全年 签约 22 个项目.",
        标题="永修县集中签约项目22个,总投资86亿元",
    )
    path = make_item(text)
    _fix(path)
    findings = check_file(demo_config, path, RECEIVED)
    assert not [f for f in findings if RULES[f.rule].family == "typography"], findings


def test_fixing_twice_changes_nothing_the_second_time(make_item: MakeItem) -> None:
    path = make_item(item_text("今天,我们开会.全年增长１２％,全年 签约 22 个项目.", 标题="修水县召开推进会,部署攻坚"))
    _fix(path)
    once = path.read_bytes()
    second = _fix(path)
    assert path.read_bytes() == once
    assert not second.written and second.changes == [] and second.diff == ""


def test_fix_keeps_markdown_headings_and_lists(make_item: MakeItem) -> None:
    body = "## 基本情况\n\n- 开工一批,11个项目当年开工.\n- 投产一批,8个项目建成投产."
    path = make_item(item_text(body))
    _fix(path)
    assert path.read_text("utf-8") == item_text(
        "## 基本情况\n\n- 开工一批，11个项目当年开工。\n- 投产一批，8个项目建成投产。"
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(inline_text, max_size=5).map("\n".join), title=inline_text)
def test_fix_is_stable_and_leaves_no_typography_problem(
    demo_config: Config, make_item: MakeItem, body: str, title: str
) -> None:
    title = '"' + title.replace("\\", "").replace('"', "") + '"'
    path = make_item(item_text(body, 标题=title).encode("utf-8", "surrogatepass"))
    before = path.read_bytes()
    try:
        _fix(path)
    except FixRefused:  # what check cannot read (binary content, control characters in the header) is left alone
        assert path.read_bytes() == before
        assert not parse_item(before, Item("x.md", path, ""), [])[0].front_matter_ok
        return
    once = path.read_bytes()
    assert not _fix(path).written and path.read_bytes() == once
    findings = check_file(demo_config, path, RECEIVED)
    assert not [f for f in findings if RULES[f.rule].family == "typography" and f.rule != "lost-char"]


def test_fix_does_not_guess_a_lost_character(demo_config: Config, make_item: MakeItem) -> None:
    path = make_item(item_text("在“11?26”九江地震中受损的房屋已全部修复,群众已搬入新居."))
    _fix(path)
    fixed = path.read_text("utf-8")
    assert "“11?26”" in fixed and "？" not in fixed
    assert "lost-char" in rules_of(check_file(demo_config, path, RECEIVED))


# ---------------------------------------------------------------- review follow-ups


def test_emergency_with_a_date_but_no_clock_time_is_a_time_format_error(check_text: CheckText) -> None:
    findings = check_text(emergency_text(发生时间="2026-11-28"), received=at(9, 0))
    [finding] = only(findings, "time-format")
    assert "几时几分" in finding.message
    assert "late" not in rules_of(findings)


def test_ordinary_item_may_give_a_date_only(check_text: CheckText) -> None:
    assert "time-format" not in rules_of(check_text(item_text(发生时间="2026-11-27")))


def test_missing_event_time_points_at_the_line_that_makes_it_required(check_text: CheckText) -> None:
    text = emergency_text().replace("发生时间: 2026-11-28 08:30\n", "")
    [finding] = only(check_text(text), "occurred-at")
    assert finding.line == line_of(text, "类别:")


def test_late_by_an_explicit_deadline_points_at_the_deadline_line(check_text: CheckText) -> None:
    text = emergency_text(截止时间="2026-11-28 09:30")
    [finding] = only(check_text(text, received=at(10, 0)), "late")
    assert finding.line == line_of(text, "截止时间:")


def test_secrecy_mark_and_term_that_disagree_are_an_error(check_text: CheckText) -> None:
    findings = check_text(item_text(密级="秘密★1年", 保密期限="5年"))
    [finding] = only(findings, "secrecy-term")
    assert "不一致" in finding.message


def test_utf16_file_is_named_as_utf16_and_fix_converts_it(demo_config: Config, make_item: MakeItem) -> None:
    path = make_item(item_text().encode("utf-16"))
    [finding] = only(check_file(demo_config, path, at(10, 0)), "encoding")
    assert "UTF-16" in finding.message
    result = fix_file(path, "x.md")
    assert "编码由UTF-16转为UTF-8" in result.changes
    assert check_file(demo_config, path, at(10, 0)) == []


def test_refused_tag_is_shown_as_written(check_text: CheckText) -> None:
    [finding] = only(check_text(item_text(标题="!!python/name:os.system")), "front-matter")
    assert "!!python/name:os.system" in finding.message


def test_inline_html_and_links_are_reported_on_their_own_line_within_a_paragraph(check_text: CheckText) -> None:
    text = item_text("第一行正文。\n第二行有<font color=red>网页代码</font>。\n第三行见[报道](https://example.com/a)。")
    assert {f.line for f in only(check_text(text), "raw-html")} == {line_of(text, "第二行")}
    assert [f.line for f in only(check_text(text), "external-link")] == [line_of(text, "第三行")]


def test_every_rule_id_a_finding_can_carry_is_registered() -> None:
    """Issue 11: issue-format, issue-number, issue-published, record-format and verify-* were not
    registered, so `bulletin rules` did not list them. Every literal rule id handed to a Finding,
    an emit or an error helper in the package must be in the registry."""
    from bulletin.rules import RULES

    package = Path(__file__).resolve().parents[1] / "scripts" / "bulletin"
    handed = re.compile(
        r"(?:Finding\([^()]*?|emit\([^()]*?|_error\([^()]*?|problem\([^()]*?|rule=)\"([a-z]+(?:-[a-z]+)+)\""
    )
    used = {m[1] for path in package.rglob("*.py") for m in handed.finditer(path.read_text(encoding="utf-8"))}
    assert len(used) > 20
    assert sorted(used - set(RULES)) == []
    from desk_helpers import run_cli

    listed = run_cli("rules", cwd=Path(__file__).resolve().parents[1])
    for rule_id in ("issue-format", "issue-number", "issue-published", "record-format", "verify-pdf"):
        assert rule_id in listed.stdout
