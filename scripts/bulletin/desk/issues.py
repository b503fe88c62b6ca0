"""Issues (期) of the publications: reading issue files and drafting new ones.

An issue file is `issues/<publication>/<year>/<NNN>.md` (a supplement, 增刊: `zkNNN.md`):
front matter with the masthead facts, then the items in reading order:

    > 编者按：……                       (optional, the issue's editor's note)
    # 栏目名                           (optional, a column; 简讯 is one too)
    ## 条目标题
    来源：xiushui/2026/1103-01、wuning/2026/1114-01
    > 编者按：……                       (optional, this item's note)
    正文……
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.core import fields
from bulletin.core.levels import LEVELS
from bulletin.core.levels import level_rank as level_rank  # re-exported: callers import it from here
from bulletin.core.model import Config, Finding, Issue, IssueItem, Severity
from bulletin.desk.layout import ISSUES
from bulletin.desk.read import (
    FRONT_MATTER_MAX_NODES,
    DecodeProblem,
    YamlProblem,
    load_yaml,
    read_text,
    split_front_matter,
)

_FILE = re.compile(r"^(?P<zk>zk)?(?P<n>\d{3,4})\.md$")
_SOURCES = re.compile(r"^来源[：:]\s*(?P<list>.+?)\s*$")
_NOTE = re.compile(r"^>\s*编者按[：:]\s*(?P<text>.*)$")
_SPLIT = re.compile(r"[、，,；;\s]+")

KEYS = {
    "刊物": "publication",
    "期号": "number",
    "总期号": "total_number",
    "日期": "date",
    "责任编辑": "editor",
    "签发": "approver",
    "密级": "classification",
    "保密期限": "secrecy_term",
    "紧急程度": "urgency",
    "增刊": "supplement",
    "报": "报",
    "送": "送",
    "发": "发",
    "印数": "copies",
    "修订": "revision",
    "修订说明": "revision_note",
    "编者按": "note",
}
REQUIRED = ("刊物", "期号", "日期", "责任编辑", "签发", "密级")


class IssueProblems(Exception):
    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.message for f in findings))
        self.findings = findings


@dataclass
class _Reader:
    shown: str
    findings: list[Finding]

    def problem(self, line: int | None, message: str, rule: str = "issue-format") -> None:
        self.findings.append(Finding(self.shown, line, rule, Severity.ERROR, message))


ISSUE_MAX_BYTES = 1024 * 1024  # an issue of a dozen items is some 50 KB


def read_issue_text(path: Path, shown: str) -> str:
    """An issue file's text: a regular file of bounded size, UTF-8; else IssueProblems."""
    try:
        return read_text(path, ISSUE_MAX_BYTES)
    except DecodeProblem as exc:
        raise IssueProblems([Finding(shown, None, "issue-format", Severity.ERROR, exc.message)]) from exc


def read_issue(path: Path, shown: str) -> Issue:
    """Read an issue file; every problem comes back together in IssueProblems."""
    return parse_issue(read_issue_text(path, shown), shown, path.name)


def parse_issue(text: str, shown: str, name: str, r: _Reader | None = None) -> Issue:
    r = r or _Reader(shown, [])
    parts = split_front_matter(text)
    if parts is None:
        r.problem(1, "缺少头部信息：刊物文件应以“---”开头，写明刊物、期号、日期等，再以“---”结束")
        raise IssueProblems(r.findings)
    fm_text, fm_line, body, body_line = parts
    try:
        raw, node = load_yaml(fm_text, max_nodes=FRONT_MATTER_MAX_NODES)
    except YamlProblem as exc:
        r.problem(fm_line + (exc.line or 0), exc.message)
        raise IssueProblems(r.findings) from exc
    if not isinstance(raw, dict):
        r.problem(fm_line, "头部信息应为“键: 值”的映射")
        raise IssueProblems(r.findings)
    lines = {k.value: fm_line + k.start_mark.line for k, _ in node.value} if node is not None else {}
    for key in raw:
        if key not in KEYS:
            r.problem(lines.get(key), f"不认识的键“{key}”：可用的键为{'、'.join(KEYS)}")
    for key in REQUIRED:
        if raw.get(key) in (None, ""):
            r.problem(None, f"缺少“{key}”")
    m = _FILE.match(name)
    if not m:
        r.problem(None, f"文件名“{name}”应为三位期号，如015.md；增刊为zk001.md")
    if r.findings:
        raise IssueProblems(r.findings)

    def integer(key: str, default: int | None = None) -> int | None:
        value = raw.get(key, default)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            r.problem(lines.get(key), f"“{key}”应为正整数")
            return default
        return value

    def text_of(key: str) -> str | None:
        value = raw.get(key)
        return None if value in (None, "") else str(value).strip()

    def names(key: str) -> tuple[str, ...] | None:
        value = raw.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return tuple(v for v in _SPLIT.split(value) if v)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        r.problem(lines.get(key), f"“{key}”应为列表，如[省委办公厅]")
        return None

    try:
        date = dt.date.fromisoformat(str(raw["日期"]).strip())
    except ValueError:
        r.problem(lines.get("日期"), f"日期“{raw['日期']}”应写成2026-11-28")
        date = dt.date(1970, 1, 1)
    level = str(raw["密级"]).strip()
    if level not in LEVELS:
        r.problem(lines.get("密级"), f"密级“{level}”无效：只能是{'/'.join(LEVELS)}")
    urgency = text_of("紧急程度")
    if urgency and urgency not in fields.URGENCIES:
        r.problem(lines.get("紧急程度"), f"紧急程度“{urgency}”无效：只能是{'/'.join(fields.URGENCIES)}")
    supplement = raw.get("增刊", False)
    if not isinstance(supplement, bool):
        r.problem(lines.get("增刊"), "“增刊”应为true或false")
        supplement = False
    number = integer("期号") or 0
    if m and int(m["n"]) != number:
        r.problem(lines.get("期号"), f"期号{number}与文件名{name}不一致")
    if m and bool(m["zk"]) != supplement:
        r.problem(lines.get("增刊"), "增刊的文件名以zk开头（如zk001.md），正刊不加")
    distribution = {k: v for k in ("报", "送", "发") if (v := names(k)) is not None}
    issue = Issue(
        path=shown,
        publication=str(raw["刊物"]).strip(),
        year=date.year,
        number=number,
        total_number=integer("总期号"),
        date=date,
        editor=str(raw["责任编辑"]).strip(),
        approver=str(raw["签发"]).strip(),
        classification=level,
        secrecy_term=text_of("保密期限"),
        urgency=urgency,
        supplement=supplement,
        distribution=distribution,
        copies=integer("印数", 0) or 0,
        revision=integer("修订", 1) or 1,
        revision_note=text_of("修订说明"),
        note=text_of("编者按"),
    )
    _parse_body(issue, body, body_line, r)
    if r.findings:
        raise IssueProblems(r.findings)
    return issue


def _parse_body(issue: Issue, body: str, body_line: int, r: _Reader) -> None:
    column: str | None = None
    current: IssueItem | None = None
    buffer: list[str] = []

    def close() -> None:
        nonlocal current
        if current is not None:
            current.text = "\n".join(buffer).strip()
            if not current.text:
                r.problem(current.line, f"条目“{current.title}”没有正文")
            issue.items.append(current)
        buffer.clear()
        current = None

    for offset, line in enumerate(body.split("\n")):
        number = body_line + offset
        if line.startswith("## "):
            close()
            current = IssueItem(title=line[3:].strip(), text="", sources=(), line=number, column=column)
            continue
        if line.startswith("# "):
            close()
            column = line[2:].strip()
            continue
        note = _NOTE.match(line)
        if note:
            if current is None:
                issue.note = (issue.note + "\n" if issue.note else "") + note["text"]
            elif not current.sources or not buffer or not "".join(buffer).strip():
                current.note = note["text"]
            else:
                buffer.append(line)
            continue
        sources = _SOURCES.match(line)
        if sources and current is not None and not current.sources:
            current.sources = tuple(s for s in _SPLIT.split(sources["list"]) if s)
            continue
        if current is None:
            if line.strip():
                r.problem(number, "第一个条目标题（“## 标题”）之前只能有编者按（“> 编者按：……”）或栏目名（“# 栏目”）")
            continue
        buffer.append(line)
    close()
    if not issue.items:
        r.problem(body_line, "本期没有条目：每条以“## 标题”开头，下一行写“来源：信息编号”")


def cn_date(day: dt.date) -> str:
    """A date as printed (GB/T 15835): 2026年11月6日."""
    return f"{day.year}年{day.month}月{day.day}日"


def number_line(issue: Issue) -> str:
    """The issue line under the masthead: 2026年第1期（总第1期）; a supplement: 2026年增刊第1期."""
    if issue.supplement:
        return f"{issue.year}年增刊第{issue.number}期"
    total = f"（总第{issue.total_number}期）" if issue.total_number else ""
    return f"{issue.year}年第{issue.number}期{total}"


def is_issue_file(name: str) -> bool:
    return _FILE.match(name) is not None


NOTE_NAMES = ("README.md", "index.md")  # exactly these names: a note about the folder, not an issue


def is_note_file(parts: tuple[str, ...]) -> bool:
    """A file under issues/ that is not an issue by design: README.md or index.md at the top of
    issues/ or of a publication's folder (`parts` is its path below issues/). Nothing in a year's
    folder is: every file there must be an issue, so a misnamed issue is an error, never skipped."""
    return len(parts) <= 2 and parts[-1] in NOTE_NAMES


def issue_files(root: Path) -> list[Path]:
    folder = root / ISSUES
    return sorted(p for p in folder.glob("*/*/*.md") if _FILE.match(p.name)) if folder.is_dir() else []


def issue_path(root: Path, pub: str, year: int, number: int, supplement: bool = False) -> Path:
    return root / ISSUES / pub / str(year) / f"{'zk' if supplement else ''}{number:03d}.md"


def render_issue(issue: Issue, config: Config) -> str:
    """The issue as a file (used to draft a new issue)."""

    def quoted(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(values) + "]"

    head: dict[str, Any] = {
        "刊物": issue.publication,
        "期号": issue.number,
        "总期号": issue.total_number,
        "日期": issue.date.isoformat(),
        "责任编辑": issue.editor,
        "签发": issue.approver,
        "密级": issue.classification,
    }
    lines = ["---", "# 刊物一期：头部写报头和报尾的内容，正文按顺序写各条（## 标题，下一行“来源：”）"]
    for key, value in head.items():
        if value is not None:
            lines.append(f"{key}: {value}")
    if issue.secrecy_term:
        lines.append(f"保密期限: {issue.secrecy_term}")
    if issue.urgency:
        lines.append(f"紧急程度: {issue.urgency}")
    if issue.supplement:
        lines.append("增刊: true")
    for key in ("报", "送", "发"):
        if key in issue.distribution:
            lines.append(f"{key}: {quoted(issue.distribution[key])}")
    lines.append(f"印数: {issue.copies}")
    if issue.revision > 1:
        lines += [f"修订: {issue.revision}", f"修订说明: {issue.revision_note or ''}"]
    lines += ["---", ""]
    if issue.note:
        lines += [f"> 编者按：{issue.note}", ""]
    for item in issue.items:
        lines += [f"## {item.title}", ""]
        if item.sources:
            lines += [f"来源：{'、'.join(item.sources)}", ""]
        if item.note:
            lines += [f"> 编者按：{item.note}", ""]
        lines += [item.text.strip(), ""]
    return "\n".join(lines)
