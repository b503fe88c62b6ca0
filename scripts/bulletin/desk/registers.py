"""Events the office learned of through other channels (events/), and calls for information (calls/).

An event file `events/<year>/<id>.md`:

    ---
    事件: 柴桑区沙城工业园仓库火灾
    发生时间: 2026-11-09 14:20
    地点: 柴桑区沙城工业园
    等级: 一般            # 特别重大 / 重大 / 较大 / 一般（Ⅰ–Ⅳ级）
    责任单位: chaisang     # a unit id, name or alias
    获知渠道: 消防救援支队
    状态: 处置中           # 处置中 / 已终结
    认定: 瞒报             # optional, set by editors: 瞒报 / 误报
    认定理由: ……
    ---
    说明（可选）

A call for information `calls/<year>/<id>.md`:

    ---
    主题: 今冬明春安全生产工作进展
    约稿单位: [xiushui, wuning, yingji]
    截止时间: 2026-11-20 17:00
    ---
    约稿说明
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bulletin.core import names
from bulletin.core.fields import GRADES
from bulletin.core.model import Config, Finding, Severity
from bulletin.core.timing import DateMissing, TimeFormatError, field_time, formats_help
from bulletin.desk.layout import CALLS, EVENTS
from bulletin.desk.read import (
    FINDINGS_PER_RULE,
    FRONT_MATTER_MAX_NODES,
    DecodeProblem,
    YamlProblem,
    as_written,
    invisible_lines,
    invisible_message,
    load_yaml,
    long_line,
    read_text,
    split_front_matter,
)

STATES = ("处置中", "已终结")
FINDINGS = ("瞒报", "误报")


@dataclass(frozen=True)
class Event:
    id: str  # <year>/<stem>
    path: str
    title: str
    occurred_at: dt.datetime
    place: str
    grade: str
    unit: str  # unit id
    channel: str
    open: bool
    finding: str | None = None  # 瞒报 / 误报, an editor's determination
    reason: str | None = None


@dataclass(frozen=True)
class Call:
    id: str  # <year>/<stem>
    path: str
    topic: str
    units: tuple[str, ...]
    deadline: dt.datetime
    note: str = ""


@dataclass
class _Loaded:
    events: list[Event] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


RECORD_MAX_BYTES = 64 * 1024  # an event or a call is a few lines
_STEM = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,80}$")
_YEAR = re.compile(r"^\d{4}$")


def read_register(
    path: Path, shown: str, problems: list[Finding], root: Path
) -> tuple[dict[str, object], dict[str, int], str] | None:
    """The front matter (with each key's line) and text of an office's register file: events/,
    calls/ and records/ (`<year>/<id>.md`). What is wrong comes back as findings (record-format,
    with the line), the same bounded safe reading and checks for every register."""

    def problem(line: int | None, message: str, rule: str = "record-format") -> None:
        problems.append(Finding(shown, line, rule, Severity.ERROR, message))

    folder, name = path.parent.name, path.name
    if not _YEAR.match(folder) or not _STEM.match(path.stem) or names.windows_problem(name):
        why = names.windows_problem(name) or "只能用字母、数字、连字符和下划线"
        problem(None, f"文件名“{name}”不可用（{why}）：应为<四位年份>/<编号>.md，如2026/1109-chaisang.md")
        return None
    try:
        text = read_text(path, RECORD_MAX_BYTES)
    except DecodeProblem as exc:
        problem(None, exc.message)
        return None
    parts = split_front_matter(text)
    if parts is None:
        problem(1, "缺少头部信息：应以“---”开头和结束")
        return None
    fm, fm_line, body, body_line = parts
    bad = False
    for number, found in invisible_lines(text):
        problem(number, invisible_message(found), "invisible-char")
        bad = True
    if bad:
        return None
    too_long = long_line(body)
    if too_long:
        problem(body_line + too_long[0] - 1, f"这一行有{too_long[1]}个字符，过长：登记只需写明要点")
        return None
    try:
        raw, node = load_yaml(fm, max_nodes=FRONT_MATTER_MAX_NODES)
    except YamlProblem as exc:
        problem(fm_line + (exc.line or 0), exc.message)
        return None
    if not isinstance(raw, dict) or not isinstance(node, yaml.MappingNode):
        problem(fm_line, "头部信息应为“键: 值”的映射")
        return None
    from bulletin.rules.body import markup_problems  # bulletin.rules imports this module

    lines = {str(k.value): fm_line + k.start_mark.line for k, _ in node.value}
    # every value of a register is text: 截止时间: 17:00 is "17:00", not the number 1020 (base sixty)
    written = {str(k.value): v for k, v in node.value}
    raw = {key: as_written(written[key], value) if key in written else value for key, value in raw.items()}
    # what the office registers reaches the site (报送纪律) and the notices: no markup, no links out
    marked = markup_problems(body, body_line, path.parent, root)
    for key, value in raw.items():
        for text_value in value if isinstance(value, list) else [value]:
            if isinstance(text_value, str):
                marked += markup_problems(text_value, lines.get(str(key), fm_line), path.parent, root)
    for rule, line, message in marked:
        problem(line, message, rule)
    if marked:
        return None
    return raw, lines, body.strip()


def _unit_problem(config: Config, key: str, ref: str) -> str:
    """Why `ref` names no unit: the unit it only looks like, when there is one."""
    from bulletin.rules.header import resembling

    near = resembling(config, ref)
    if near is None:
        return f"{key}“{names.visible(ref)}”不在信息网络名册中"
    unit, written = near
    return (
        f"{key}“{names.visible(ref)}”看起来像名册中的“{written}”（{unit.name}），但并不相同："
        f"{names.explain(ref)}。请照名册写作“{written}”"
    )


def _stray(config: Config, base: Path, found: set[Path]) -> list[Finding]:
    """Files under events/ or calls/ that are not <year>/<id>.md (and so would be ignored)."""
    out: list[Finding] = []
    for folder, dirs, files in os.walk(base, followlinks=False):  # a link loop cannot hang it
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path in found or name.startswith("."):
                continue
            rel = path.relative_to(config.root).as_posix()
            why = names.windows_problem(name)
            message = f"文件名“{name}”在Windows上不能使用：{why}" if why else "这不是登记文件，不会被读取"
            out.append(
                Finding(
                    rel, None, "record-format", Severity.ERROR, f"{message}：应为<四位年份>/<编号>.md，请改名或删去"
                )
            )
            if len(out) >= FINDINGS_PER_RULE:
                return out
    return out


def load_records(config: Config) -> _Loaded:
    """Every event and call of the desk; problems come back as findings (rule record-format)."""
    out = _Loaded()
    for folder, kind in ((EVENTS, "event"), (CALLS, "call")):
        base = config.root / folder
        if not base.is_dir():
            continue
        paths = sorted(base.glob("*/*.md"))
        out.findings.extend(_stray(config, base, set(paths)))
        for path in paths:
            shown = path.relative_to(config.root).as_posix()
            parsed = read_register(path, shown, out.findings, config.root)
            if parsed is None:
                continue
            raw, lines, body = parsed
            record_id = f"{path.parent.name}/{path.stem}"
            before = len(out.findings)

            def problem(key: str | None, message: str, shown: str = shown, lines: dict[str, int] = lines) -> None:
                out.findings.append(Finding(shown, lines.get(key or ""), "record-format", Severity.ERROR, message))

            def text(key: str, raw: dict[str, object] = raw, problem=problem) -> str:
                value = raw.get(key)
                if value in (None, ""):
                    problem(None, f"缺少“{key}”")
                    return ""
                return str(value).strip()

            def time(key: str, raw: dict[str, object] = raw, problem=problem) -> dt.datetime:
                try:
                    return field_time(raw.get(key), config.timezone, require_clock=True)
                except DateMissing as exc:
                    problem(key, f"{key}：{exc}，请写完整的日期和时间，如{formats_help(tz=config.timezone)}")
                    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
                except TimeFormatError as exc:
                    problem(key, f"{key}：{exc}")
                    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

            if kind == "event":
                grade, state = text("等级"), text("状态") if "状态" in raw else "处置中"
                unit_ref = text("责任单位")
                unit = config.unit_by_ref(unit_ref) if unit_ref else None
                finding = str(raw["认定"]).strip() if raw.get("认定") else None
                if grade and grade not in GRADES:
                    problem("等级", f"等级“{grade}”无效：只能是{'/'.join(GRADES)}")
                if state not in STATES:
                    problem("状态", f"状态“{state}”无效：只能是{'/'.join(STATES)}")
                if unit_ref and unit is None:
                    problem("责任单位", _unit_problem(config, "责任单位", unit_ref))
                if finding and finding not in FINDINGS:
                    problem("认定", f"认定“{finding}”无效：只能是{'/'.join(FINDINGS)}")
                if finding and not raw.get("认定理由"):
                    problem("认定", "认定为瞒报、误报的，须写明“认定理由”")
                event = Event(
                    id=record_id,
                    path=shown,
                    title=text("事件"),
                    occurred_at=time("发生时间"),
                    place=str(raw.get("地点") or ""),
                    grade=grade,
                    unit=unit.id if unit else "",
                    channel=str(raw.get("获知渠道") or ""),
                    open=state == "处置中",
                    finding=finding,
                    reason=str(raw.get("认定理由") or "") or None,
                )
                if len(out.findings) == before:
                    out.events.append(event)
            else:
                units_raw = raw.get("约稿单位")
                refs = units_raw if isinstance(units_raw, list) else [units_raw] if units_raw else []
                units = []
                for ref in refs:
                    unit = config.unit_by_ref(str(ref))
                    if unit is None:
                        problem("约稿单位", _unit_problem(config, "约稿单位", str(ref)))
                    else:
                        units.append(unit.id)
                if not refs:
                    problem(None, "缺少“约稿单位”")
                call = Call(
                    id=record_id,
                    path=shown,
                    topic=text("主题"),
                    units=tuple(units),
                    deadline=time("截止时间"),
                    note=body,
                )
                if len(out.findings) == before:
                    out.calls.append(call)
    return out
