"""Printers: text for people, JSON for machines, GitHub annotations for pull requests.

Printers never judge; they only format the findings they are given.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bulletin.core.model import Finding, Severity
from bulletin.errors import UsageError
from bulletin.rules import RULES


def _counts(findings: Sequence[Finding]) -> tuple[int, int]:
    c = Counter(f.severity for f in findings)
    return c[Severity.ERROR], c[Severity.WARNING]


def verdict(findings: Sequence[Finding], checked: int) -> str:
    errors, warnings = _counts(findings)
    if not checked:
        return "没有需要检查的信息文件"
    head = f"共检查{checked}个文件"
    if not errors and not warnings:
        return f"{head}，全部符合要求"
    if not errors:
        return f"{head}：{warnings}个警告，没有错误（警告不影响报送，请酌情修改）"
    return f"{head}：{errors}个错误，{warnings}个警告。有错误的须改正后才能通过检查"


def text(findings: Sequence[Finding], checked: int) -> str:
    lines = []
    for f in findings:
        where = f"{f.path}:{f.line}" if f.line else f.path
        lines.append(f"{where}: {f.severity.label} [{f.rule}] {f.message}")
    lines.append(verdict(findings, checked))
    return "\n".join(lines)


def as_json(findings: Sequence[Finding], checked: int) -> str:
    errors, warnings = _counts(findings)
    import json

    return json.dumps(
        {"checked": checked, "errors": errors, "warnings": warnings, "findings": [f.as_dict() for f in findings]},
        ensure_ascii=False,
        indent=2,
    )


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding], checked: int) -> str:
    """Workflow commands: each finding shows on the pull request's diff."""
    lines = []
    for f in findings:
        command = "error" if f.severity is Severity.ERROR else "warning"
        props = [f"file={_escape_property(f.path)}"]
        if f.line:
            props.append(f"line={f.line}")
        rule = RULES.get(f.rule)
        title = f"{f.rule}（{rule.name}）" if rule else f.rule
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{command} {','.join(props)}::{_escape_data(f.message)}")
    lines.append(verdict(findings, checked))
    return "\n".join(lines)


def summary(findings: Sequence[Finding], checked: int) -> str:
    """A Markdown summary for the job summary or a pull-request comment, in plain Chinese."""
    errors, warnings = _counts(findings)
    icon = "❌" if errors else ("⚠️" if warnings else "✅")
    out = ["<!-- bulletin-check -->", f"## {icon} 信息报送检查", "", verdict(findings, checked) + "。", ""]
    late = [f for f in findings if f.rule == "late"]
    if late:
        out += ["### 迟报", ""]
        out += [f"- **{f.path}**：{f.message}" for f in late]
        out += [""]
    rest = [f for f in findings if f.rule != "late"]
    if rest:
        out += ["| 文件 | 行 | 级别 | 规则 | 说明 |", "|---|---|---|---|---|"]
        for f in rest:
            message = f.message.replace("|", "\\|")
            out.append(f"| {f.path} | {f.line or ''} | {f.severity.label} | `{f.rule}` | {message} |")
        out += ["", "规则说明见《信息写作与报送规范》；标点、数字和编码问题可运行`bulletin fix 文件`自动改正。"]
    return "\n".join(out) + "\n"


def append_summary(path: Path, findings: Sequence[Finding], checked: int) -> None:
    """Append the summary to `path` (e.g. $GITHUB_STEP_SUMMARY, which earlier steps also write):
    in one piece, and if it cannot be written whole, the file is cut back to what it was."""
    data = summary(findings, checked).encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise UsageError(f"无法写入摘要文件{path}：{exc.strerror}") from exc
    try:
        before = os.fstat(fd).st_size
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(fd, view) :]
        except BaseException:
            os.ftruncate(fd, before)  # no half summary (the file held `before` bytes until now)
            raise
    except OSError as exc:
        raise UsageError(f"无法写入摘要文件{path}：{exc.strerror}，摘要文件未改动") from exc
    finally:
        os.close(fd)


PRINTERS = {"text": text, "json": as_json, "github": github}
