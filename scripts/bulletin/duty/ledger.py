"""The ledger (台账): every submission's life, derived from one reading of the desk (bulletin.desk.snapshot).

Pure over the snapshot, so the same history and the same `now` always yield the same ledger:
received (and by whom stamped), its state (待审, 未采用, 待编, 已采用), late or not (the duty
engine's cases, bulletin.duty.engine), adopted in which issues (综合 or not), adopted above, leaders'
instructions (批示).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any, TextIO

from bulletin.core.model import Config
from bulletin.desk.records import ADOPTION, INSTRUCTION, Record
from bulletin.desk.snapshot import Snapshot, read_desk
from bulletin.duty import engine as duty


@dataclass(frozen=True)
class Adoption:
    issue: str  # issue id, e.g. huiyao/2026/001
    date: dt.date
    composite: bool  # a 综合 item crediting several units


@dataclass(frozen=True)
class Life:
    id: str
    unit: str
    title: str
    kind: str
    urgency: str
    received_at: dt.datetime | None
    received_by: str  # hook / forge / import (receipts); git = no receipt, the time it landed on main (not judged)
    due: dt.datetime | None  # the due time of its case, else its own (bulletin.duty.engine), else its call's deadline
    late_minutes: int | None  # late by so many minutes, as its case says (迟报, 续报逾期, 约稿逾期); None when not
    accepted_at: dt.datetime | None  # when it landed on main (merge): None = pending or not adopted
    sent_back: int  # 退改: times the unit revised it on its branch before it was accepted
    state: str = ""  # 待审 / 未采用 / 待编 / 已采用 (bulletin.desk.snapshot)
    cases: tuple[str, ...] = ()  # the kinds of the cases on record that name it
    adoptions: tuple[Adoption, ...] = ()
    upper: tuple[Record, ...] = ()  # 上级采用
    instructions: tuple[Record, ...] = ()  # 批示
    relayed_at: dt.datetime | None = None  # forwarded by a desk below: when that desk received it (下级接报时间)
    hops: tuple[str, ...] = ()  # the chain below, each level's desk, item and receipt time (原报信息)

    @property
    def adopted(self) -> bool:
        """Adopted by the office's publications or above (what 采用 and 采用率 count)."""
        return bool(self.adoptions or self.upper)


@dataclass
class Ledger:
    lives: list[Life] = field(default_factory=list)

    def to_json(self) -> str:
        out = io.StringIO()
        self.write_json(out)
        return out.getvalue()

    def write_json(self, out: TextIO) -> None:
        """The ledger as JSON (a list of lives, as json.dumps(..., indent=1) would write it), one
        life at a time: a ten-year archive's ledger is never held whole as dicts or as one string."""
        if not self.lives:
            out.write("[]")
            return
        out.write("[\n")
        for n, life in enumerate(self.lives):
            text = json.dumps(asdict(life), ensure_ascii=False, indent=1, default=_json_value, sort_keys=True)
            out.write((",\n " if n else " ") + text.replace("\n", "\n "))
        out.write("\n]")


def _json_value(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    raise TypeError(type(value))


LATENESS = (duty.LATE, duty.CONCEALED, duty.FOLLOW_UP, duty.CALL_LATE)  # the cases that measure an item's delay


def derive(snap: Snapshot) -> Ledger:
    """Every received or merged submission's life, its lateness read from the duty engine's cases."""
    adoptions: dict[str, list[Adoption]] = {}
    for issue in snap.issues:
        for entry in issue.items:
            for source in dict.fromkeys(entry.sources):
                adoptions.setdefault(source, []).append(Adoption(issue.id, issue.date, len(entry.sources) > 1))
    upper: dict[str, list[Record]] = {}
    instructions: dict[str, list[Record]] = {}
    for record in sorted(snap.records, key=lambda r: (r.date, r.path)):
        (instructions if record.kind == INSTRUCTION else upper).setdefault(record.item, []).append(record)
    by_item = duty.concerning(duty.on_record(snap.cases))
    calls = {c.id: c for c in snap.calls}
    in_chain = duty.chained(snap.submissions)
    lives = []
    for sub in snap.submissions:
        path = sub.path
        receipt = snap.receipts.get(path)
        found = by_item.get(sub.id, [])
        late = next((c for c in found if c.delay is not None and c.kind in LATENESS), None)
        own = duty.item_due(snap.config, sub, sub.id in in_chain)
        call = calls.get(sub.request or "")
        due = late.due if late else own.at if own else call.deadline if call and sub.unit in call.units else None
        lives.append(
            Life(
                id=sub.id,
                unit=sub.unit,
                title=sub.title or sub.id,
                kind=sub.kind or "",
                urgency=sub.urgency or "",
                received_at=receipt.received_at if receipt else None,
                received_by=receipt.source if receipt else "",
                due=due,
                late_minutes=int(late.delay.total_seconds() // 60) if late and late.delay else None,
                accepted_at=snap.landed.get(path),
                sent_back=snap.revised.get(path, 0),
                state=snap.state(sub.id),
                cases=tuple(c.kind for c in found),
                adoptions=tuple(sorted(adoptions.get(sub.id, []), key=lambda a: (a.date, a.issue))),
                upper=tuple(upper.get(sub.id, [])),
                instructions=tuple(instructions.get(sub.id, [])),
                relayed_at=sub.relayed_at,
                hops=sub.hops,
            )
        )
    return Ledger(lives)


class Judgings:
    """One reading of the desk judged at several moments (the end of each period a page counts, or
    now while it runs), each snapshot and its ledger derived once however many pages ask for it."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self._at: dict[dt.datetime, tuple[Snapshot, Ledger]] = {}

    def at(self, moment: dt.datetime) -> tuple[Snapshot, Ledger]:
        if moment not in self._at:
            judged = self.snap if moment == self.snap.now else replace(self.snap, now=moment)
            self._at[moment] = (judged, derive(judged))
        return self._at[moment]


def build_ledger(config: Config, ref: str | None = None, now: dt.datetime | None = None) -> Ledger:
    return derive(read_desk(config, now, ref))


__all__ = ["ADOPTION", "Adoption", "Judgings", "Ledger", "Life", "build_ledger", "derive"]
