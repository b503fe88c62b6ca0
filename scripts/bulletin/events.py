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
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.fields import GRADES
from bulletin.model import Config, Finding, Severity
from bulletin.read import DecodeProblem, YamlProblem, decode, load_yaml, split_front_matter
from bulletin.timing import TimeFormatError, parse_time

EVENTS = "events"
CALLS = "calls"
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


def _front(path: Path, shown: str, problems: list[Finding]) -> tuple[dict[str, object], dict[str, int], str] | None:
    def problem(line: int | None, message: str) -> None:
        problems.append(Finding(shown, line, "record-format", Severity.ERROR, message))

    try:
        text = decode(path.read_bytes()).text
    except (OSError, DecodeProblem) as exc:
        problem(None, getattr(exc, "message", None) or f"无法读取：{exc}")
        return None
    parts = split_front_matter(text)
    if parts is None:
        problem(1, "缺少头部信息：应以 --- 开头和结束")
        return None
    fm, fm_line, body, _ = parts
    try:
        raw, node = load_yaml(fm)
    except YamlProblem as exc:
        problem(fm_line + (exc.line or 0), exc.message)
        return None
    if not isinstance(raw, dict) or node is None:
        problem(fm_line, "头部信息应为“键: 值”的映射")
        return None
    lines = {str(k.value): fm_line + k.start_mark.line for k, _ in node.value}
    return raw, lines, body.strip()


def load_records(config: Config) -> _Loaded:
    """Every event and call of the desk; problems come back as findings (rule record-format)."""
    out = _Loaded()
    for folder, kind in ((EVENTS, "event"), (CALLS, "call")):
        base = config.root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.glob("*/*.md")):
            shown = path.relative_to(config.root).as_posix()
            parsed = _front(path, shown, out.findings)
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
                    return parse_time(raw.get(key), config.timezone, require_clock=True)
                except TimeFormatError as exc:
                    problem(key, f"{key}：{exc}")
                    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

            if kind == "event":
                grade, state = text("等级"), text("状态") if "状态" in raw else "处置中"
                unit_ref = text("责任单位")
                unit = config.unit_by_ref(unit_ref) if unit_ref else None
                finding = str(raw["认定"]).strip() if raw.get("认定") else None
                if grade and grade not in GRADES:
                    problem("等级", f"等级“{grade}”无效：只能是 {' / '.join(GRADES)}")
                if state not in STATES:
                    problem("状态", f"状态“{state}”无效：只能是 {' / '.join(STATES)}")
                if unit_ref and unit is None:
                    problem("责任单位", f"责任单位“{unit_ref}”不在信息网络名册中")
                if finding and finding not in FINDINGS:
                    problem("认定", f"认定“{finding}”无效：只能是 {' / '.join(FINDINGS)}")
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
                        problem("约稿单位", f"约稿单位“{ref}”不在信息网络名册中")
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
