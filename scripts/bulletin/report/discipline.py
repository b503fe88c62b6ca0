"""`bulletin overdue`: the alarm on emergencies not reported in time, and the sentences every output
uses for a case of reporting discipline (describe, describe_call).

The cases themselves come from the duty engine (bulletin.duty.engine) over one reading of the desk
(bulletin.desk.snapshot); this module only prints them. A report waiting in a pull request whose receipt
the server already stamped is received (已接报、待采用), never 漏报.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bulletin.core.model import Config
from bulletin.core.timing import format_duration
from bulletin.desk.snapshot import PENDING, SENT_BACK, Snapshot
from bulletin.duty.engine import (
    ANSWERED_LATE,
    CALL_LATE,
    FOLLOW_UP,
    LATE,
    MISSED,
    NOT_ANSWERED,
    ON_TIME,
    WEAK,
    Awaited,
    CallCase,
    Case,
    Received,
    match_events,
    open_cases,
)

# ---------------------------------------------------------------- printing (pure)

MARKER = "<!-- bulletin-overdue -->"  # finds the one tracking issue of the scheduled workflow


def _unit_name(config: Config, unit_id: str) -> str:
    unit = config.unit(unit_id)
    return unit.name if unit else unit_id


def _when(moment: dt.datetime | None, config: Config) -> str:
    from bulletin.core.timing import format_time

    return format_time(moment, config.timezone) if moment else ""


def untitled(case: Case, label: str, where: str) -> str | None:
    """How to name the item of a case without its title, for a reader who may not read the item
    (None: the sentence quotes no item's title: a call's topic, or a registered event's title)."""
    if case.submission is None or case.call is not None:
        return None
    if case.event is not None and case.title == case.event.title:
        return None
    return f"{label}（{case.submission}，标题不在{where}列出）"


def describe(config: Config, case: Case, what: str | None = None) -> str:
    """One Chinese sentence for a case, as `bulletin overdue`, the site and the notices print it.

    `what` names the event or item instead of its title in quotes (a notice names an item above its
    own 密级 without the title)."""
    unit = _unit_name(config, case.unit)
    if what is None:
        what = f"“{case.title}”" + (f"（事件{case.event.id}）" if case.event else f"（信息{case.submission}）")
    due = f"应于{_when(case.due, config)}前报送（{case.limit}）"
    weak = "；收到时间取自合入主分支的时间，未见接报记录，须核实" if case.source == WEAK else ""
    if case.call is not None:
        head = f"{case.kind}：{unit}约稿“{case.call.topic}”（{case.call.id}，截止{_when(case.due, config)}）"
        if case.kind == CALL_LATE:
            return (
                f"{head}，{_when(case.reported_at, config)}才收到（{case.submission}），"
                f"逾期{format_duration(case.delay or dt.timedelta(0))}{weak}"
            )
        return f"{head}，至今未报，已逾期{format_duration(case.delay or dt.timedelta(0))}"
    if case.kind == MISSED:
        return f"漏报：{unit}{what}，{due}，至今未报，已逾期{format_duration(case.delay or dt.timedelta(0))}"
    if case.kind == FOLLOW_UP and case.reported_at is None:
        return (
            f"续报逾期：{unit}{what}仍在处置中，应于{_when(case.due, config)}前续报（{case.limit}），"
            f"至今未续报，已逾期{format_duration(case.delay or dt.timedelta(0))}"
        )
    if case.kind == FOLLOW_UP:
        return (
            f"续报逾期：{unit}{what}的续报{case.submission}应于{_when(case.due, config)}前报送（{case.limit}），"
            f"{_when(case.reported_at, config)}才收到，逾期{format_duration(case.delay or dt.timedelta(0))}{weak}"
        )
    if case.kind == LATE:
        return (
            f"迟报：{unit}{what}，{due}，{_when(case.reported_at, config)}才收到（{case.submission}），"
            f"迟报{format_duration(case.delay or dt.timedelta(0))}{weak}"
        )
    reported = f"{_when(case.reported_at, config)}收到报告（{case.submission}）" if case.reported_at else "未收到报告"
    return f"{case.kind}：{unit}{what}，经认定为{case.kind}（{case.reason or '未写明理由'}）；{reported}"


def case_dict(config: Config, case: Case) -> dict[str, object]:
    """A case as JSON-ready data (times ISO 8601 with offset, delays in minutes)."""
    return {
        "kind": case.kind,
        "unit": case.unit,
        "unit_name": _unit_name(config, case.unit),
        "event": case.event.id if case.event else None,
        "title": case.title,
        "due": case.due.isoformat(),
        "limit": case.limit,
        "reported_at": case.reported_at.isoformat() if case.reported_at else None,
        "submission": case.submission,
        "delay_minutes": int(case.delay.total_seconds() // 60) if case.delay else None,
        "source": case.source,
        "reason": case.reason,
        "open": case.open,
        "text": describe(config, case),
    }


def pending_reports(snap: Snapshot) -> list[Received]:
    """Emergency reports the server has received that wait in a pull request (已接报、待采用)."""
    matched = match_events(snap.config, snap.events, snap.submissions)
    out = []
    for sub in snap.submissions:
        receipt = snap.receipts.get(sub.path)
        if snap.unmerged.get(sub.id) not in (PENDING, SENT_BACK) or receipt is None or receipt.received_at > snap.now:
            continue
        if sub.emergency or sub.grade or sub.id in matched:
            out.append((sub, receipt))
    return sorted(out, key=lambda pair: pair[1].received_at)


def _pending_text(config: Config, pair: Received) -> str:
    sub, receipt = pair
    return (
        f"已接报、待采用：{_unit_name(config, sub.unit)}“{sub.title}”（信息{sub.id}），"
        f"{_when(receipt.received_at, config)}收到，合并请求待编辑审核"
    )


def _awaited_text(config: Config, a: Awaited) -> str:
    return (
        f"{_unit_name(config, a.event.unit)}“{a.event.title}”（事件{a.event.id}）尚未报送，"
        f"须于{_when(a.due, config)}前报送（{a.limit}），还剩{format_duration(a.left)}"
    )


def render_text(
    config: Config,
    now: dt.datetime,
    found: Sequence[Case],
    waiting: Sequence[Awaited],
    show_all: bool = False,
    calls: Sequence[CallCase] = (),
    pending: Sequence[Received] = (),
) -> str:
    """`bulletin overdue`'s text: the open cases, the events still within their limit, optionally all cases."""
    still = open_cases(found)
    lines = [f"紧急信息逾期检查（截至{_when(now, config)}，北京时间）"]
    if still:
        lines.append(f"逾期未报{len(still)}件：")
        lines += [f"  {describe(config, c)}" for c in still]
    else:
        lines.append("目前没有逾期未报的紧急信息")
    if waiting:
        lines.append(f"时限内待报{len(waiting)}件：")
        lines += [f"  {_awaited_text(config, a)}" for a in waiting]
    if pending:
        lines.append(f"已接报、待采用{len(pending)}件：")
        lines += [f"  {_pending_text(config, p)}" for p in pending]
    if show_all:
        closed = [c for c in found if c not in still]
        lines.append(
            f"已记录在案{len(closed)}件：" if closed else "没有已记录在案的迟报、漏报、瞒报、误报、续报逾期和约稿逾期"
        )
        lines += [f"  {describe(config, c)}" for c in closed]
        if calls:
            lines.append("约稿报送情况：")
            lines += [f"  {describe_call(config, cc)}" for cc in calls]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def render_markdown(
    config: Config,
    now: dt.datetime,
    found: Sequence[Case],
    waiting: Sequence[Awaited],
    show_all: bool = False,
    calls: Sequence[CallCase] = (),
    pending: Sequence[Received] = (),
) -> str:
    """Markdown for the tracking issue and the job summary; starts with the hidden MARKER."""
    still = open_cases(found)
    out = [MARKER, "## 紧急信息逾期未报", ""]
    stamp = f"截至{_when(now, config)}（北京时间）"
    if still:
        out += [
            f"{stamp}，有**{len(still)}**件紧急信息逾期未报：",
            "",
            "| 情形 | 责任单位 | 事件或信息 | 应报时间 | 时限 | 已逾期 |",
            "|---|---|---|---|---|---|",
        ]
        for c in still:
            ref = c.event.id if c.event else c.submission or ""
            out.append(
                f"| {c.kind} | {_cell(_unit_name(config, c.unit))} | {_cell(c.title)}（{_cell(ref)}） "
                f"| {_when(c.due, config)} | {_cell(c.limit)} | {format_duration(c.delay or dt.timedelta(0))} |"
            )
        out += [
            "",
            "请立即督促责任单位报送（先报基本情况，详情续报）。迟报、漏报、瞒报一律记录在案并通报。",
        ]
    else:
        out.append(f"{stamp}，没有逾期未报的紧急信息。")
    if waiting:
        out += ["", "### 时限内待报", ""]
        out += [f"- {_cell(_awaited_text(config, a))}" for a in waiting]
    if pending:
        out += ["", "### 已接报、待采用", ""]
        out += [f"- {_cell(_pending_text(config, p))}" for p in pending]
    if show_all:
        closed = [c for c in found if c not in still]
        out += ["", "### 已记录在案", ""]
        out += [f"- {_cell(describe(config, c))}" for c in closed] or [
            "没有已记录在案的迟报、漏报、瞒报、误报、续报逾期和约稿逾期。"
        ]
        if calls:
            out += ["", "### 约稿报送情况", ""]
            out += [f"- {_cell(describe_call(config, cc))}" for cc in calls]
    out.append("")
    return "\n".join(out)


def render_json(
    config: Config,
    now: dt.datetime,
    found: Sequence[Case],
    waiting: Sequence[Awaited],
    show_all: bool = False,
    calls: Sequence[CallCase] = (),
    pending: Sequence[Received] = (),
) -> str:
    import json

    data: dict[str, object] = {
        "now": now.isoformat(),
        "open": [case_dict(config, c) for c in open_cases(found)],
        "awaiting": [
            {
                "event": a.event.id,
                "unit": a.event.unit,
                "title": a.event.title,
                "due": a.due.isoformat(),
                "limit": a.limit,
                "minutes_left": int(a.left.total_seconds() // 60),
            }
            for a in waiting
        ],
        "pending": [
            {"submission": sub.id, "unit": sub.unit, "title": sub.title, "received_at": r.received_at.isoformat()}
            for sub, r in pending
        ],
    }
    if show_all:
        data["cases"] = [case_dict(config, c) for c in found]
        data["calls"] = [
            {
                "call": cc.call.id,
                "topic": cc.call.topic,
                "deadline": cc.call.deadline.isoformat(),
                "unit": cc.unit,
                "status": cc.status,
                "answered_at": cc.answered_at.isoformat() if cc.answered_at else None,
                "submission": cc.submission,
                "delay_minutes": int(cc.delay.total_seconds() // 60) if cc.delay else None,
                "source": cc.source,
                "text": describe_call(config, cc),
            }
            for cc in calls
        ]
    return json.dumps(data, ensure_ascii=False, indent=2)


RENDERERS = {"text": render_text, "md": render_markdown, "json": render_json}


def describe_call(config: Config, cc: CallCase) -> str:
    """One Chinese sentence for an asked unit's answer to a call."""
    unit = _unit_name(config, cc.unit)
    head = f"约稿“{cc.call.topic}”（{cc.call.id}，截止{_when(cc.call.deadline, config)}）：{unit}"
    weak = "（收到时间取自合入主分支的时间，须核实）" if cc.source == WEAK else ""
    if cc.status == ON_TIME:
        return f"{head}按时报送（{cc.submission}，{_when(cc.answered_at, config)}收到）{weak}"
    if cc.status == ANSWERED_LATE:
        return (
            f"{head}逾期报送（{cc.submission}，{_when(cc.answered_at, config)}收到，"
            f"逾期{format_duration(cc.delay or dt.timedelta(0))}）{weak}"
        )
    if cc.status == NOT_ANSWERED:
        return f"{head}未报送，已过截止时间{format_duration(cc.delay or dt.timedelta(0))}"
    return f"{head}尚未报送，未到截止时间"
