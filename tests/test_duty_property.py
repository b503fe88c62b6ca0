"""Property: on generated desks every output tells the same story (issue 11, one duty engine).

Random events, calls and items (emergencies, deadlines, follow-ups of the same or another unit,
answers to calls, finals), received on time or late, by a server receipt or only by landing on
main. For each desk: `bulletin check`'s `late` ⊆ the ledger's late items = the items of the cases on
record; each unit's counts in the statistics add up to its cases on record; the notice lists
exactly those cases.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.desk.config import load_config
from bulletin.desk.receipts import Receipt
from bulletin.desk.registers import Call, Event
from bulletin.desk.snapshot import Snapshot
from bulletin.duty import engine as duty
from bulletin.duty import scoring
from bulletin.duty.ledger import derive
from bulletin.editorial import notice
from bulletin.editorial.check import check_file
from desk_helpers import make_desk
from test_ledger import item

UNITS = ("xiushui", "wuning", "chaisang", "hukou")
DAY = dt.datetime(2026, 12, 10, 8, 0)
NOW_HOURS = 24 * 8


def hours(n: int) -> dt.timedelta:
    return dt.timedelta(minutes=30 * n)


item_plan = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(UNITS),
        "emergency": st.booleans(),
        "occurred": st.one_of(st.none(), st.integers(0, 20)),
        "deadline": st.one_of(st.none(), st.integers(0, 30)),
        "received": st.integers(0, 40),
        "trusted": st.booleans(),
        "follows": st.one_of(st.none(), st.integers(0, 5)),
        "event": st.one_of(st.none(), st.integers(0, 1)),
        "answers": st.booleans(),
        "final": st.booleans(),
    }
)
event_plan = st.fixed_dictionaries(
    {
        "unit": st.sampled_from(UNITS),
        "occurred": st.integers(0, 20),
        "grade": st.sampled_from(["一般", "较大", "重大"]),
        "open": st.booleans(),
        "concealed": st.booleans(),
    }
)
desk_plan = st.fixed_dictionaries(
    {
        "items": st.lists(item_plan, min_size=1, max_size=6),
        "events": st.lists(event_plan, max_size=2),
        "call_units": st.lists(st.sampled_from(UNITS), max_size=3, unique=True),
        "call_deadline": st.integers(0, 40),
    }
)

_DESK: list[Path] = []


def desk_root(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    if not _DESK:
        _DESK.append(make_desk(tmp_path_factory.mktemp("generated") / "desk", with_submissions=False))
    return _DESK[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=desk_plan)
def test_every_output_agrees_on_generated_desks(plan: dict, tmp_path_factory) -> None:  # type: ignore[type-arg, no-untyped-def]
    root = desk_root(tmp_path_factory)
    shutil.rmtree(root / "submissions", ignore_errors=True)
    config = load_config(root)
    tz = config.timezone
    start = DAY.replace(tzinfo=tz)
    now = start + dt.timedelta(hours=NOW_HOURS)
    events = [
        Event(
            id=f"2026/1210-e{n}",
            path=f"events/2026/1210-e{n}.md",
            title=f"事件{n}",
            occurred_at=start + hours(e["occurred"]),
            place="",
            grade=e["grade"],
            unit=e["unit"],
            channel="",
            open=e["open"],
            finding="瞒报" if e["concealed"] else None,
            reason="经核查" if e["concealed"] else None,
        )
        for n, e in enumerate(plan["events"])
    ]
    calls = (
        [
            Call(
                "2026/1210-call",
                "calls/2026/1210-call.md",
                "约稿",
                tuple(plan["call_units"]),
                start + hours(plan["call_deadline"]),
            )
        ]
        if plan["call_units"]
        else []
    )
    ids: list[str] = []
    items: dict[str, dict[str, object]] = {}
    receipts: dict[str, Receipt] = {}
    for n, p in enumerate(plan["items"]):
        item_id = f"{p['unit']}/2026/1210-{n + 1:02d}"
        extra = ""
        if p["occurred"] is not None:
            extra += f"发生时间: {(start + hours(p['occurred'])).strftime('%Y-%m-%d %H:%M')}\n"
        elif p["emergency"]:
            extra += f"发生时间: {start.strftime('%Y-%m-%d %H:%M')}\n"
        if p["deadline"] is not None:
            extra += f"截止时间: {(start + hours(p['deadline'])).strftime('%Y-%m-%d %H:%M')}\n"
        if p["follows"] is not None and p["follows"] < len(ids):
            extra += f"续报: {ids[p['follows']]}\n"
        if p["event"] is not None and p["event"] < len(events):
            extra += f"事件: {events[p['event']].id}\n"
        if p["answers"] and calls:
            extra += f"约稿: {calls[0].id}\n"
        if p["final"]:
            extra += "终报: 是\n"
        kind, urgency = ("突发性", "特急") if p["emergency"] else ("普遍性", "平件")
        text = item(root, p["unit"], f"第{n + 1}条信息", kind, urgency, extra)
        path = root / "submissions" / f"{item_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        from bulletin.desk.read import read_item

        read, _ = read_item(path, f"submissions/{item_id}.md", config.limits.file_max_bytes)
        assert read.front_matter_ok
        items[item_id] = read.fields
        rel = f"submissions/{item_id}.md"
        receipts[rel] = Receipt(rel, start + hours(p["received"]), "", "hook" if p["trusted"] else "git")
        ids.append(item_id)
    snap = Snapshot(
        config=config,
        now=now,
        items=items,
        receipts=receipts,
        landed={},
        revised={},
        unmerged={},
        issues=[],
        records=[],
        events=events,
        calls=calls,
    )
    lives = {life.id: life for life in derive(snap).lives}
    on_record = duty.on_record(snap.cases)

    # check's late ⊆ the ledger's late items (judged on a server receipt)
    for item_id in ids:
        rel = f"submissions/{item_id}.md"
        receipt = receipts[rel]
        findings = check_file(config, root / rel, receipt.received_at, shown=rel)
        if receipt.source in duty.TRUSTED and any(f.rule == "late" for f in findings):
            assert lives[item_id].late_minutes, (item_id, findings)

    # the ledger's late items are exactly the items its cases on record measure
    measured = {
        c.submission
        for c in on_record
        if c.submission
        and c.delay is not None
        and c.kind in (duty.LATE, duty.CONCEALED, duty.FOLLOW_UP, duty.CALL_LATE)
    }
    assert {i for i, life in lives.items() if life.late_minutes} == measured

    # the statistics count every case on record in the period, unit by unit
    period = scoring.parse_period("2026-12")
    rows = scoring.stats(config, derive(snap), snap.cases, period, scoring.Table())
    in_period = [c for c in on_record if scoring.in_period(config, c, period)]
    for row in rows:
        counted = sum(getattr(row, name) for name in scoring.COUNTERS.values())
        assert counted == sum(1 for c in in_period if c.unit == row.unit), row.unit

    # the notice lists exactly those cases, one line each
    draft = notice.build_notice(config, snap, rows, period, dt.date(2026, 12, 31))
    section = next(i.text for i in draft.items if i.title.startswith("四、"))
    listed = [line for line in section.split("\n\n") if "：" in line and not line.startswith("请以上单位")]
    assert len(listed) == len(in_period)
