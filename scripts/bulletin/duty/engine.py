"""The duty engine: when each report is due and the cases of reporting discipline (pure, no I/O).

One implementation for every output: `bulletin check` asks `item_due` whether an item came late,
the ledger, `bulletin overdue`, the statistics, the notices and the site's 报送纪律 pages all read
the cases `judge` returns. None of them computes a deadline of its own.

What is due, and when:
- An item's own due time (`item_due`): the earliest of the limits after its 发生时间 that apply to
  its 紧急程度, 类别 and 事件等级 (bulletin.yml `deadlines`), and its 截止时间. A follow-up (续报)
  that continues a real chain (`follows_problem` finds nothing wrong) is not held to the first
  report's limit after the event; its 截止时间 still counts.
- A registered event (events/): the responsible unit's first report is due within the limit of
  the event's grade (and of 突发性 items), and no later than that report's own due time. While the
  event is open, a 续报 is due `deadlines.follow_up` after the previous report, until the event is
  closed (状态: 已终结) or the unit sends its final report (终报).
- A call for information (calls/): each asked unit's first answer by the call's 截止时间.

Which submissions count: those the office had received by `now`, merged or not (a report waiting
in a pull request was received when its receipt says). Which submissions report an event: (1) an
item that names it (`事件: 2026/1109-chaisang`); (2) a follow-up (`续报`) of an item that reports
it; (3) otherwise an emergency item (突发性 or 特急) of the event's responsible unit whose 发生时间
lies within `deadlines.match_window` of the event's, the nearest event winning.

A case is on the record (`on_record`: counted, scored, notified) when its evidence is a
server-side receipt (hook, forge, import) or when nothing came at all; a lateness measured only
on the time a file landed on main (source git) is shown as 待核实 and counted nowhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from bulletin.core import fields
from bulletin.core.model import Config, Deadlines
from bulletin.core.timing import TimeFormatError, field_time, format_duration
from bulletin.desk.layout import SUBMISSIONS
from bulletin.desk.registers import Call, Event

if TYPE_CHECKING:  # a check of one item must not import GitPython (bulletin.desk.receipts does)
    from bulletin.desk.receipts import Receipt

# kinds of case
LATE = "迟报"  # reported after the limit
MISSED = "漏报"  # no report by the limit (while still open: 漏报 so far)
CONCEALED = "瞒报"  # editors' determination after investigation (supersedes 迟报 / 漏报)
FALSE = "误报"  # editors' determination: the report was untrue (in addition to any lateness)
FOLLOW_UP = "续报逾期"  # no 续报 within `deadlines.follow_up` of the previous report while open
CALL_LATE = "约稿逾期"  # a call answered after its deadline
CALL_MISSED = "约稿未报"  # a call not answered by its deadline
KINDS = (LATE, MISSED, CONCEALED, FALSE, FOLLOW_UP, CALL_LATE, CALL_MISSED)

# answers to a call for information
ON_TIME = "按时"
ANSWERED_LATE = "逾期"
NOT_ANSWERED = "未报"
NOT_YET_DUE = "待报"
CALL_STATUSES = (ON_TIME, ANSWERED_LATE, NOT_ANSWERED, NOT_YET_DUE)

TRUSTED = ("hook", "forge", "import")  # receipts stamped on the server side
WEAK = "git"  # the time a file landed on main: not evidence against a unit

FINAL_YES = ("是", "true", "True", True)


@dataclass(frozen=True)
class Submitted:
    """What the duty engine needs of one submission (信息); built by `submitted`."""

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
    final: bool = False  # 终报: the unit's final report of the event
    classification: str = ""  # 密级 (what may quote its title)
    relayed_at: dt.datetime | None = None  # 下级接报时间: forwarded by a desk below, received there then
    hops: tuple[str, ...] = ()  # 原报信息: each level's desk, item id and receipt time, as forwarded from below

    @property
    def emergency(self) -> bool:
        return self.kind == fields.EMERGENCY_KIND or self.urgency == fields.EMERGENCY_URGENCY


def submitted(config: Config, item_id: str, item_fields: Mapping[str, object]) -> Submitted:
    """A submission from its id (`unit/year/stem`) and its front matter under canonical keys (pure).

    Times that cannot be read (the check reports them) count as absent."""

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
            return field_time(value, config.timezone)
        except TimeFormatError:
            return None

    relayed_at, hops = _provenance(config, item_id.split("/", 1)[0], item_fields, time)
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
        final=item_fields.get("终报") in FINAL_YES,
        classification=text("密级") or "",
        relayed_at=relayed_at,
        hops=hops,
    )


def _provenance(
    config: Config, unit_id: str, item_fields: Mapping[str, object], time: Callable[[str], dt.datetime | None]
) -> tuple[dt.datetime | None, tuple[str, ...]]:
    """下级接报时间 and 原报信息 (the chain an item came up, for the ledger) count only in an item of a
    desk below (network.yml `desk: true`): any other unit writing them would move its own clock (the
    check refuses them: relay-unit). None and () for every other unit."""
    unit = config.unit(unit_id)
    if unit is None or not unit.desk:
        return None, ()
    value = item_fields.get("原报信息")
    hops = tuple(str(h).strip() for h in value if isinstance(h, str) and h.strip()) if isinstance(value, list) else ()
    return time("下级接报时间"), hops


# ---------------------------------------------------------------- due times


EXPLICIT = "信息写明了截止时间"


@dataclass(frozen=True)
class Due:
    at: dt.datetime
    why: str  # in Chinese: 特急信息须在事发后2小时内报送 / 信息写明了截止时间


def item_limits(
    deadlines: Deadlines, urgency: str | None, kind: str | None, grade: str | None
) -> list[tuple[str, dt.timedelta]]:
    """Every limit after the event that applies to an item, with its label (the earliest counts)."""
    found: list[tuple[str, dt.timedelta]] = []
    if urgency in deadlines.by_urgency:
        found.append((f"{urgency}信息", deadlines.by_urgency[urgency]))
    if kind in deadlines.by_kind:
        found.append((f"{kind}信息", deadlines.by_kind[kind]))
    if grade in deadlines.by_grade:
        found.append((f"{grade}事件", deadlines.by_grade[grade]))
    return found


def item_due(config: Config, sub: Submitted, in_chain: bool = False) -> Due | None:
    """An item's own due time: the earliest limit after its 发生时间 and its 截止时间 (None: no limit).

    `in_chain`: the item continues a real chain of reports (a valid 续报), so the first report's
    limit after the event does not apply to it."""
    candidates: list[Due] = []
    limits = [] if in_chain else item_limits(config.deadlines, sub.urgency, sub.kind, sub.grade)
    if limits and sub.relayed_at is not None:  # forwarded by a desk below: its clock starts there
        label, limit = min(limits, key=lambda pair: pair[1])
        candidates.append(
            Due(sub.relayed_at + limit, f"转报的{label}须在下级报送台接报后{format_duration(limit)}内报送")
        )
    elif limits and sub.occurred_at is not None:
        label, limit = min(limits, key=lambda pair: pair[1])
        candidates.append(Due(sub.occurred_at + limit, f"{label}须在事发后{format_duration(limit)}内报送"))
    if sub.deadline is not None:
        candidates.append(Due(sub.deadline, EXPLICIT))
    return min(candidates, key=lambda d: d.at) if candidates else None  # a tie names the limit


def follows_problem(item_id: str, follows: str | None, unit_of: Mapping[str, str]) -> str | None:
    """Why a 续报 does not continue a real chain (None: it does, or it is not a follow-up).

    `unit_of` maps every known submission id to its unit. A follow-up must point at an existing
    earlier report of the same unit; otherwise it is judged as a first report."""
    if not follows:
        return None
    if follows == item_id:
        return "续报不能指向自己：请写首报的编号"
    owner = unit_of.get(follows)
    if owner is None:
        return f"续报所指的首报submissions/{follows}.md不存在：请先报首报，或核对编号"
    if owner != item_id.split("/", 1)[0]:
        return f"续报只能接续本单位的信息，{follows}是别的单位报送的：请写本单位首报的编号，或删去“续报”按首报报送"
    return None


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


# ---------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """One case of reporting discipline: what went wrong, whose duty it was, when it was due.

    `delay` is how late: `reported_at − due`, or `now − due` while nothing has come (`open`).
    For 瞒报 / 误报 it is the lateness of the first report, or `now − due` when none came
    (None when the report was in time).
    """

    kind: str  # one of KINDS
    unit: str  # the responsible unit's id
    event: Event | None  # the registered event, if any
    title: str  # the event's title, the item's, or the call's topic
    due: dt.datetime
    limit: str  # why it was due then, in Chinese: 较大事件须在1小时内报送
    reported_at: dt.datetime | None
    submission: str | None  # the submission id that came late / the follow-up that came late
    delay: dt.timedelta | None
    source: str = ""  # where reported_at comes from: hook / forge / import (receipts) or git (weaker)
    reason: str | None = None  # the editors' reason, for 瞒报 / 误报
    call: Call | None = None  # the call, for 约稿逾期 / 约稿未报

    @property
    def open(self) -> bool:
        """Still overdue now: no report has come (漏报 so far, 续报 not yet sent, call not answered)."""
        return self.kind in (MISSED, FOLLOW_UP, CALL_MISSED) and self.reported_at is None

    @property
    def on_record(self) -> bool:
        """Counted, scored and notified: proven by a server-side receipt, or nothing came at all."""
        return self.reported_at is None or self.source in TRUSTED or self.kind in (CONCEALED, FALSE)

    @property
    def when(self) -> dt.datetime:
        """The moment that places the case in a period: when the late report came, else when it was due."""
        if self.kind in (CONCEALED, FALSE) and self.event is not None:
            return self.event.occurred_at
        if self.kind in (LATE, CALL_LATE, FOLLOW_UP) and self.reported_at is not None:
            return self.reported_at
        return self.due


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


Received = tuple[Submitted, "Receipt"]


def received_by(submissions: Iterable[Submitted], receipts: Mapping[str, Receipt], now: dt.datetime) -> list[Received]:
    """(submission, receipt) of what had reached the office by `now`, earliest first."""
    pairs = [(s, receipts[s.path]) for s in submissions if s.path in receipts]
    pairs = [(s, r) for s, r in pairs if r.received_at <= now]
    return sorted(pairs, key=lambda pair: (pair[1].received_at, pair[0].id))


def chained(submissions: Sequence[Submitted]) -> set[str]:
    """Ids of the follow-ups that continue a real chain (see `follows_problem`)."""
    unit_of = {s.id: s.unit for s in submissions}
    return {s.id for s in submissions if s.follows and follows_problem(s.id, s.follows, unit_of) is None}


def match_events(config: Config, events: Sequence[Event], submissions: Sequence[Submitted]) -> dict[str, str]:
    """Submission id -> the id of the event it reports (only those that report one)."""
    known = {e.id: e for e in events}
    by_id = {s.id: s for s in submissions}
    in_chain = chained(submissions)
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
        elif sub.id in in_chain and sub.follows in by_id and sub.follows not in seen:
            found = resolve(by_id[sub.follows], seen | {sub.id}) or nearest(sub)
        else:
            found = nearest(sub)
        memo[sub.id] = found
        return found

    matched = {s.id: resolve(s, frozenset()) for s in submissions}
    return {sid: eid for sid, eid in matched.items() if eid is not None}


def judge(
    config: Config,
    events: Sequence[Event],
    calls: Sequence[Call],
    submissions: Sequence[Submitted],
    receipts: Mapping[str, Receipt],
    now: dt.datetime,
    answers: Sequence[CallCase] | None = None,
) -> list[Case]:
    """Every case of reporting discipline as of `now`, in order of due time: the events' cases, every
    received item judged by its own due time, and the calls answered late or not at all (`answers`:
    the calls' answers, when the caller has judged them already)."""
    found = event_and_item_cases(config, events, submissions, receipts, now)
    if answers is None:
        answers = call_cases(config, calls, submissions, receipts, now)
    for cc in answers:
        if cc.status == ANSWERED_LATE:
            found.append(_call_case(CALL_LATE, cc))
        elif cc.status == NOT_ANSWERED:
            found.append(_call_case(CALL_MISSED, cc))
    return sorted(found, key=_order)


def _order(c: Case) -> tuple[dt.datetime, str, int, str]:
    return (c.due, c.unit, KINDS.index(c.kind), c.submission or (c.call.id if c.call else ""))


def _call_case(kind: str, cc: CallCase) -> Case:
    return Case(
        kind=kind,
        unit=cc.unit,
        event=None,
        title=cc.call.topic,
        due=cc.call.deadline,
        limit="约稿截止时间",
        reported_at=cc.answered_at,
        submission=cc.submission,
        delay=cc.delay,
        source=cc.source,
        call=cc.call,
    )


def event_and_item_cases(
    config: Config,
    events: Sequence[Event],
    submissions: Sequence[Submitted],
    receipts: Mapping[str, Receipt],
    now: dt.datetime,
) -> list[Case]:
    """The cases of the events and of every received item's own due time (see `judge`).

    - Each registered event that has happened by `now`: its responsible unit's first report after
      the limit (or after that report's own due time, if earlier) is 迟报; no report with the limit
      passed is 漏报 (open while nothing comes). An editor's 瞒报 replaces these; 误报 is added.
    - While an event is open and the unit has sent no 终报, a 续报 is due `deadlines.follow_up`
      after the unit's previous report: a later one is 续报逾期, and so is none at all once that
      time has passed. Gaps between reports are judged for closed events too.
    - Every other received item with a due time of its own, received after it, is 迟报.
    """
    received = received_by(submissions, receipts, now)
    subs = [s for s, _ in received]
    in_chain = chained(subs)
    matched = match_events(config, events, subs)
    by_event: dict[str, list[Received]] = {}  # in receipt order, as `received`
    for pair in received:
        event_id = matched.get(pair[0].id)
        if event_id is not None:
            by_event.setdefault(event_id, []).append(pair)
    out: list[Case] = []
    judged_here: set[str] = set()
    for event in events:
        if event.occurred_at > now:
            continue
        judged = event_due(config, event)
        if judged is None:
            continue
        due, limit = judged
        own = [(s, r) for s, r in by_event.get(event.id, []) if s.unit == event.unit]
        first = own[0] if own else None
        if first is not None:
            judged_here.add(first[0].id)  # the event judges its first report (瞒报 supersedes 迟报)
            own_due = item_due(config, first[0], first[0].id in in_chain)
            if own_due is not None and own_due.at < due:
                due, limit = own_due.at, own_due.why
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
    for sub, receipt in received:
        if sub.id in judged_here:
            continue
        own_due = item_due(config, sub, sub.id in in_chain)
        if own_due is None or receipt.received_at <= own_due.at:
            continue
        out.append(
            Case(
                kind=LATE,
                unit=sub.unit,
                event=next((e for e in events if e.id == matched.get(sub.id)), None),
                title=sub.title,
                due=own_due.at,
                limit=own_due.why,
                reported_at=receipt.received_at,
                submission=sub.id,
                delay=receipt.received_at - own_due.at,
                source=receipt.source,
            )
        )
    return sorted(out, key=_order)


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
        if previous[0].final:  # after the final report (终报) nothing more is due
            break
        due = previous[1].received_at + interval
        if following[1].received_at > due:
            out.append(_event_case(FOLLOW_UP, event, due, label, following, now))
    if own and event.open and not any(s.final for s, _ in own):
        due = own[-1][1].received_at + interval
        if now > due:
            out.append(_event_case(FOLLOW_UP, event, due, label, None, now))
    return out


def forward_due(sub: Submitted, received_here: dt.datetime, limit: dt.timedelta) -> Due | None:
    """When this desk must forward an item to the desk above (上报): an emergency within `limit` (bulletin.yml
    upstream.emergency_limit) after this desk received it; other items have no forwarding limit (None)."""
    if not sub.emergency:
        return None
    return Due(received_here + limit, f"紧急信息须在本台接报后{format_duration(limit)}内上报")


def forward_case(
    sub: Submitted, received_here: dt.datetime, forwarded_at: dt.datetime, limit: dt.timedelta, unit: str
) -> Case | None:
    """This desk's own 迟报 above: an emergency forwarded later than `forward_due` (None: in time).
    `unit`: this desk's unit id in the desk above; `forwarded_at`: its receipt there (or the push)."""
    due = forward_due(sub, received_here, limit)
    if due is None or forwarded_at <= due.at:
        return None
    return Case(
        kind=LATE,
        unit=unit,
        event=None,
        title=sub.title,
        due=due.at,
        limit=due.why,
        reported_at=forwarded_at,
        submission=sub.id,
        delay=forwarded_at - due.at,
        source="hook",
    )


def open_cases(found: Iterable[Case]) -> list[Case]:
    """The cases still overdue now (漏报 so far, 续报 not yet sent): what `bulletin overdue` alarms on."""
    return [c for c in found if c.open and c.kind != CALL_MISSED]


def on_record(found: Iterable[Case]) -> list[Case]:
    return [c for c in found if c.on_record]


def awaiting(
    config: Config,
    events: Sequence[Event],
    submissions: Sequence[Submitted],
    receipts: Mapping[str, Receipt],
    now: dt.datetime,
) -> list[Awaited]:
    """Registered events whose responsible unit has not reported yet, still within the limit."""
    received = received_by(submissions, receipts, now)
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
    received = received_by(submissions, receipts, now)
    by_answer: dict[tuple[str, str], list[Received]] = {}  # (call, unit), earliest first
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


def concerning(found: Iterable[Case]) -> dict[str, list[Case]]:
    """Submission id -> the cases that name it (its lateness, as the ledger shows it)."""
    out: dict[str, list[Case]] = {}
    for case in found:
        if case.submission:
            out.setdefault(case.submission, []).append(case)
    return out
