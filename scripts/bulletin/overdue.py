"""Reporting discipline: 迟报、漏报、瞒报、误报 of emergencies, overdue 续报, and answers to calls.

The judging functions here are pure (`cases`, `open_cases`, `awaiting`, `call_cases`): they take
the desk's configuration, the registered events and calls (`bulletin.events.load_records`), the
submissions (`load_submitted`) and the receipts (`receipt_times`), plus the moment to judge at,
and return plain dataclasses. The ledger, the notices and the site call them; `bulletin overdue`
prints them.

When did the office receive a submission? Its receipt (`bulletin.receipts`: stamped on the server
side by the push hook or the pull-request workflow) decides. A submission without a receipt falls
back to the moment the file first appeared on the main branch (the committer time of the first
first-parent commit of main that adds it: usually the merge of its pull request). That is weaker
evidence: it is usually later than the real receipt (it includes the editors' time to merge), so
it can overstate a delay, and a fast-forward push of a unit's own commits carries a committer time
the unit chose. Every case says where its time came from (`source`: hook / forge / git), so a case
built on `git` can be shown as 待核实 (to be verified).

Which submissions report an event? (1) An item that names it (`事件: 2026/1109-chaisang`); (2) a
follow-up (`续报`) of an item that reports it; (3) otherwise an emergency item (突发性 or 特急) of the
event's responsible unit whose 发生时间 lies within `deadlines.match_window` (default 2 hours) of
the event's, the nearest event winning. Only the responsible unit's own reports discharge its duty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from bulletin import fields
from bulletin.events import Call, Event
from bulletin.model import Config
from bulletin.receipts import Receipt, read_receipts
from bulletin.timing import TimeFormatError, due_time, format_duration, parse_time

SUBMISSIONS = "submissions"

# kinds of case
LATE = "迟报"  # reported after the limit
MISSED = "漏报"  # no report by the limit (while still open: 漏报 so far)
CONCEALED = "瞒报"  # editors' determination after investigation (supersedes 迟报 / 漏报)
FALSE = "误报"  # editors' determination: the report was untrue (in addition to any lateness)
FOLLOW_UP = "续报逾期"  # no 续报 within `deadlines.follow_up` of the previous report while open
KINDS = (LATE, MISSED, CONCEALED, FALSE, FOLLOW_UP)

# answers to a call for information
ON_TIME = "按时"
ANSWERED_LATE = "逾期"
NOT_ANSWERED = "未报"
NOT_YET_DUE = "待报"
CALL_STATUSES = (ON_TIME, ANSWERED_LATE, NOT_ANSWERED, NOT_YET_DUE)


@dataclass(frozen=True)
class Submitted:
    """What the discipline checks need of one submission (信息); built by `submitted` or `load_submitted`."""

    id: str  # chaisang/2026/1109-01
    path: str  # submissions/chaisang/2026/1109-01.md (the key of the receipts)
    unit: str  # unit id: the folder it was filed in
    title: str = ""
    kind: str | None = None  # 类别
    urgency: str | None = None  # 紧急程度
    grade: str | None = None  # 事件等级
    occurred_at: dt.datetime | None = None  # 发生时间 (None when absent or unreadable)
    deadline: dt.datetime | None = None  # 截止时间
    event: str | None = None  # 事件: the event id it names
    follows: str | None = None  # 续报: the submission id it follows
    request: str | None = None  # 约稿: the call id it answers

    @property
    def emergency(self) -> bool:
        return self.kind == fields.EMERGENCY_KIND or self.urgency == fields.EMERGENCY_URGENCY


@dataclass(frozen=True)
class Case:
    """One case of reporting discipline: what went wrong, whose duty it was, when it was due.

    `delay` is how late: `reported_at − due`, or `now − due` while nothing has come (`open`).
    For 瞒报 / 误报 it is the lateness of the first report, or `now − due` when none came
    (None when the report was in time).
    """

    kind: str  # one of KINDS
    unit: str  # the responsible unit's id
    event: Event | None  # None: an emergency item that names no registered event
    title: str  # the event's title, or the item's
    due: dt.datetime
    limit: str  # why it was due then, in Chinese: 较大事件须在1小时内报送
    reported_at: dt.datetime | None
    submission: str | None  # the submission id that came late / the follow-up that came late
    delay: dt.timedelta | None
    source: str = ""  # where reported_at comes from: hook / forge (receipts) or git (weaker)
    reason: str | None = None  # the editors' reason, for 瞒报 / 误报

    @property
    def open(self) -> bool:
        """Still overdue now: no report has come (漏报 so far, or a 续报 not yet sent)."""
        return self.kind in (MISSED, FOLLOW_UP) and self.reported_at is None


@dataclass(frozen=True)
class Awaited:
    """A registered event whose report is not yet in, and not yet overdue."""

    event: Event
    due: dt.datetime
    limit: str
    left: dt.timedelta


@dataclass(frozen=True)
class CallCase:
    """One asked unit's answer to a call for information (约稿)."""

    call: Call
    unit: str
    status: str  # one of CALL_STATUSES
    answered_at: dt.datetime | None
    submission: str | None
    delay: dt.timedelta | None  # late answers: answered_at − deadline; unanswered past the deadline: now − deadline
    source: str = ""


# ---------------------------------------------------------------- reading (I/O)


def submitted(config: Config, item_id: str, item_fields: Mapping[str, object]) -> Submitted:
    """A submission from its id (`unit/year/stem`) and its front matter under canonical keys (pure)."""

    def text(key: str) -> str | None:
        value = item_fields.get(key)
        if value is None or isinstance(value, (list, dict, bool)):
            return None
        return str(value).strip() or None

    def time(key: str) -> dt.datetime | None:
        value = item_fields.get(key)
        if value in (None, ""):
            return None
        try:
            return parse_time(value, config.timezone)
        except TimeFormatError:
            return None

    return Submitted(
        id=item_id,
        path=f"{SUBMISSIONS}/{item_id}.md",
        unit=item_id.split("/", 1)[0],
        title=text("标题") or "",
        kind=text("类别"),
        urgency=text("紧急程度"),
        grade=text("事件等级"),
        occurred_at=time("发生时间"),
        deadline=time("截止时间"),
        event=text("事件"),
        follows=text("续报"),
        request=text("约稿"),
    )


def submitted_from(config: Config, items: Mapping[str, Mapping[str, object]]) -> list[Submitted]:
    """`load_submitted` from items already read (item id -> front matter), e.g. by the ledger."""
    from bulletin.check import locate

    out = []
    for item_id in sorted(items):
        location, misplaced = locate(config, f"{SUBMISSIONS}/{item_id}.md")
        if location is not None and not misplaced:
            out.append(submitted(config, location.item_id, items[item_id]))
    return out


def load_submitted(config: Config) -> list[Submitted]:
    """Every submission in the desk's work tree (submissions/<unit>/<year>/<name>.md) that can be read.

    Misplaced or unreadable files are left out: `bulletin check` reports those.
    """
    from bulletin.check import locate
    from bulletin.read import read_item

    out = []
    base = config.root / SUBMISSIONS
    for path in sorted(base.glob("*/*/*.md")) if base.is_dir() else []:
        rel = path.relative_to(config.root).as_posix()
        location, misplaced = locate(config, rel)
        if location is None or misplaced:
            continue
        item, _ = read_item(path, rel, config.limits.file_max_bytes)
        if item.front_matter_ok:
            out.append(submitted(config, location.item_id, item.fields))
    return out


def git_receipts(root: Path, paths: Iterable[str], ref: str | None = None) -> dict[str, Receipt]:
    """Fallback receipts (source "git"): when each desk path first appeared on the main branch.

    The committer time of the first commit on main's first-parent line that adds the file (for a
    merged pull request, the merge). Weaker than a real receipt: see the module's documentation.
    Paths not on the branch (uncommitted, or in an open pull request) get none. `ref` defaults to
    main, then origin/main.
    """
    import git

    from bulletin.errors import UsageError
    from bulletin.git import landed, open_repo, resolve_base

    wanted = set(paths)
    if not wanted:
        return {}
    try:
        branch = resolve_base(open_repo(root), ref)
        times = landed(root, branch, SUBMISSIONS)
    except (UsageError, git.GitCommandError):
        return {}
    return {rel: Receipt(rel, when, "", "git") for rel, when in times.items() if rel in wanted}


def receipt_times(config: Config, submissions: Iterable[Submitted], ref: str | None = None) -> dict[str, Receipt]:
    """The receipt of each submission: its stamped receipt (git notes), else the git fallback."""
    paths = [s.path for s in submissions]
    stamped = read_receipts(config.root)
    found = {p: stamped[p] for p in paths if p in stamped}
    found.update(git_receipts(config.root, [p for p in paths if p not in found], ref))
    return dict(sorted(found.items()))


# ---------------------------------------------------------------- judging (pure)


def event_due(config: Config, event: Event) -> tuple[dt.datetime, str] | None:
    """When the responsible unit's first report of an event is due, and why (None: no limit configured).

    A registered event is an emergency: the limit of its grade and the limit of 突发性 items
    both apply, the earliest counts.
    """
    deadlines = config.deadlines
    limits: list[tuple[str, dt.timedelta]] = []
    if event.grade in deadlines.by_grade:
        limits.append((f"{event.grade}事件", deadlines.by_grade[event.grade]))
    if fields.EMERGENCY_KIND in deadlines.by_kind:
        limits.append((f"{fields.EMERGENCY_KIND}事件", deadlines.by_kind[fields.EMERGENCY_KIND]))
    if not limits:
        return None
    label, limit = min(limits, key=lambda pair: pair[1])
    return event.occurred_at + limit, f"{label}须在事发后{format_duration(limit)}内报送"


def _item_due(config: Config, sub: Submitted) -> tuple[dt.datetime, str] | None:
    from bulletin.rules.deadline import item_limits

    limits = item_limits(config.deadlines, sub.urgency, sub.kind, sub.grade)
    if not limits or sub.occurred_at is None:
        return None
    due = due_time(sub.occurred_at, [limit for _, limit in limits], sub.deadline)
    assert due is not None
    label, limit = min(limits, key=lambda pair: pair[1])
    if sub.deadline is not None and due == sub.deadline and due < sub.occurred_at + limit:
        return due, "信息写明了截止时间"
    return due, f"{label}须在事发后{format_duration(limit)}内报送"


Received = tuple[Submitted, Receipt]


def _received(submissions: Iterable[Submitted], receipts: Mapping[str, Receipt], now: dt.datetime) -> list[Received]:
    """(submission, receipt) of what had reached the office by `now`, earliest first."""
    pairs = [(s, receipts[s.path]) for s in submissions if s.path in receipts]
    pairs = [(s, r) for s, r in pairs if r.received_at <= now]
    return sorted(pairs, key=lambda pair: (pair[1].received_at, pair[0].id))


def match_events(config: Config, events: Sequence[Event], submissions: Sequence[Submitted]) -> dict[str, str]:
    """Submission id -> the id of the event it reports (only those that report one)."""
    known = {e.id: e for e in events}
    by_id = {s.id: s for s in submissions}
    window = config.deadlines.match_window
    by_unit: dict[str, list[Event]] = {}
    for event in events:
        by_unit.setdefault(event.unit, []).append(event)
    memo: dict[str, str | None] = {}

    def nearest(sub: Submitted) -> str | None:
        if not sub.emergency or sub.occurred_at is None:
            return None
        occurred = sub.occurred_at
        near = [e for e in by_unit.get(sub.unit, ()) if abs(e.occurred_at - occurred) <= window]
        if not near:
            return None
        return min(near, key=lambda e: (abs(e.occurred_at - occurred), e.id)).id

    def resolve(sub: Submitted, seen: frozenset[str]) -> str | None:
        if sub.id in memo:
            return memo[sub.id]
        if sub.event:
            found = sub.event if sub.event in known else None
        elif sub.follows and sub.follows in by_id and sub.follows not in seen:
            found = resolve(by_id[sub.follows], seen | {sub.id}) or nearest(sub)
        else:
            found = nearest(sub)
        memo[sub.id] = found
        return found

    matched = {s.id: resolve(s, frozenset()) for s in submissions}
    return {sid: eid for sid, eid in matched.items() if eid is not None}


def cases(
    config: Config,
    events: Sequence[Event],
    submissions: Sequence[Submitted],
    receipts: Mapping[str, Receipt],
    now: dt.datetime,
) -> list[Case]:
    """Every case of reporting discipline as of `now`, in order of due time.

    - Each registered event (`events/`) that has happened by `now`: its responsible unit's first
      report after the limit is 迟报; no report with the limit passed is 漏报 (open while nothing
      comes). An editor's 瞒报 replaces these; an editor's 误报 is added to them.
    - While an event is open (状态 处置中), a 续报 is due `deadlines.follow_up` after the unit's
      previous report: a later one is 续报逾期, and so is none at all once that time has passed.
      Gaps between reports are judged for closed events too.
    - Emergency items (突发性 / 特急, or with a 事件等级) that report no registered event are judged by
      their own 发生时间 and limits (as `bulletin check` does): after the limit is 迟报. Follow-ups
      (续报) are not held to the first report's limit.

    Only submissions with a receipt at or before `now` count (receipts: desk path -> Receipt).
    """
    received = _received(submissions, receipts, now)
    matched = match_events(config, events, [s for s, _ in received])
    by_event: dict[str, list[tuple[Submitted, Receipt]]] = {}  # in receipt order, as `received`
    for pair in received:
        event_id = matched.get(pair[0].id)
        if event_id is not None:
            by_event.setdefault(event_id, []).append(pair)
    out: list[Case] = []
    for event in events:
        if event.occurred_at > now:
            continue
        judged = event_due(config, event)
        if judged is None:
            continue
        due, limit = judged
        own = [(s, r) for s, r in by_event.get(event.id, []) if s.unit == event.unit]
        first = own[0] if own else None

        if event.finding == CONCEALED:
            out.append(_event_case(CONCEALED, event, due, limit, first, now))
        elif first is None:
            if now > due:
                out.append(_event_case(MISSED, event, due, limit, None, now))
        elif first[1].received_at > due:
            out.append(_event_case(LATE, event, due, limit, first, now))
        if event.finding == FALSE:
            out.append(_event_case(FALSE, event, due, limit, first, now))
        out.extend(_follow_ups(config, event, own, now))
    in_events = set(matched)
    for sub, receipt in received:
        if sub.id in in_events or sub.follows:
            continue
        if not (sub.emergency or sub.grade):
            continue
        judged_item = _item_due(config, sub)
        if judged_item is None or receipt.received_at <= judged_item[0]:
            continue
        due, limit = judged_item
        out.append(
            Case(
                kind=LATE,
                unit=sub.unit,
                event=None,
                title=sub.title,
                due=due,
                limit=limit,
                reported_at=receipt.received_at,
                submission=sub.id,
                delay=receipt.received_at - due,
                source=receipt.source,
            )
        )
    return sorted(out, key=lambda c: (c.due, c.unit, KINDS.index(c.kind), c.submission or ""))


def _event_case(
    kind: str, event: Event, due: dt.datetime, limit: str, reported: Received | None, now: dt.datetime
) -> Case:
    reported_at = reported[1].received_at if reported else None
    delay = (reported_at or now) - due
    return Case(
        kind=kind,
        unit=event.unit,
        event=event,
        title=event.title,
        due=due,
        limit=limit,
        reported_at=reported_at,
        submission=reported[0].id if reported else None,
        delay=delay if delay > dt.timedelta(0) else None,
        source=reported[1].source if reported else "",
        reason=event.reason if kind in (CONCEALED, FALSE) else None,
    )


def _follow_ups(config: Config, event: Event, own: list[Received], now: dt.datetime) -> list[Case]:
    interval = config.deadlines.follow_up
    label = f"事件处置期间须每{format_duration(interval)}续报一次"
    out = []
    for previous, following in pairwise(own):
        due = previous[1].received_at + interval
        if following[1].received_at > due:
            out.append(_event_case(FOLLOW_UP, event, due, label, following, now))
    if own and event.open:
        due = own[-1][1].received_at + interval
        if now > due:
            out.append(_event_case(FOLLOW_UP, event, due, label, None, now))
    return out


def open_cases(found: Iterable[Case]) -> list[Case]:
    """The cases still overdue now (漏报 so far, 续报 not yet sent): what `bulletin overdue` alarms on."""
    return [c for c in found if c.open]


def awaiting(
    config: Config,
    events: Sequence[Event],
    submissions: Sequence[Submitted],
    receipts: Mapping[str, Receipt],
    now: dt.datetime,
) -> list[Awaited]:
    """Registered events whose responsible unit has not reported yet, still within the limit."""
    received = _received(submissions, receipts, now)
    matched = match_events(config, events, [s for s, _ in received])
    reported = {(eid, sid.split("/", 1)[0]) for sid, eid in matched.items()}
    out = []
    for event in events:
        judged = event_due(config, event)
        if judged is None or event.occurred_at > now or (event.id, event.unit) in reported:
            continue
        due, limit = judged
        if now <= due:
            out.append(Awaited(event, due, limit, due - now))
    return sorted(out, key=lambda a: a.due)


def call_cases(
    config: Config,
    calls: Sequence[Call],
    submissions: Sequence[Submitted],
    receipts: Mapping[str, Receipt],
    now: dt.datetime,
) -> list[CallCase]:
    """Each call (约稿) and each unit it asked: answered on time, late, not at all, or not yet due.

    An item answers a call by `约稿: <call id>` and counts for the unit whose folder it is in;
    the unit's earliest answer received by `now` decides.
    """
    received = _received(submissions, receipts, now)
    by_answer: dict[tuple[str, str], list[tuple[Submitted, Receipt]]] = {}  # (call, unit), earliest first
    for pair in received:
        if pair[0].request:
            by_answer.setdefault((pair[0].request, pair[0].unit), []).append(pair)
    out = []
    for call in calls:
        for unit in call.units:
            answers = by_answer.get((call.id, unit), [])
            if answers:
                sub, receipt = answers[0]
                late = receipt.received_at > call.deadline
                out.append(
                    CallCase(
                        call=call,
                        unit=unit,
                        status=ANSWERED_LATE if late else ON_TIME,
                        answered_at=receipt.received_at,
                        submission=sub.id,
                        delay=receipt.received_at - call.deadline if late else None,
                        source=receipt.source,
                    )
                )
            elif now > call.deadline:
                out.append(CallCase(call, unit, NOT_ANSWERED, None, None, now - call.deadline))
            else:
                out.append(CallCase(call, unit, NOT_YET_DUE, None, None, None))
    return out


# ---------------------------------------------------------------- printing (pure)

MARKER = "<!-- bulletin-overdue -->"  # finds the one tracking issue of the scheduled workflow
_WEAK = "git"


def _unit_name(config: Config, unit_id: str) -> str:
    unit = config.unit(unit_id)
    return unit.name if unit else unit_id


def _when(moment: dt.datetime | None, config: Config) -> str:
    from bulletin.timing import format_time

    return format_time(moment, config.timezone) if moment else ""


def describe(config: Config, case: Case) -> str:
    """One Chinese sentence for a case, as the notices and `bulletin overdue` print it."""
    unit = _unit_name(config, case.unit)
    what = f"“{case.title}”" + (f"（事件{case.event.id}）" if case.event else f"（信息{case.submission}）")
    due = f"应于{_when(case.due, config)}前报送（{case.limit}）"
    weak = "；收到时间取自合入主分支的时间，未见接报记录，须核实" if case.source == _WEAK else ""
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
    if show_all:
        closed = [c for c in found if not c.open]
        lines.append(f"已记录在案{len(closed)}件：" if closed else "没有已记录在案的迟报、漏报、瞒报、误报")
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
    if show_all:
        closed = [c for c in found if not c.open]
        out += ["", "### 已记录在案", ""]
        out += [f"- {_cell(describe(config, c))}" for c in closed] or ["没有已记录在案的迟报、漏报、瞒报、误报。"]
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
    weak = "（收到时间取自合入主分支的时间，须核实）" if cc.source == _WEAK else ""
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
