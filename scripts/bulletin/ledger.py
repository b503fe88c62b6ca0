"""The ledger (台账): every submission's life, derived from the git history, receipts, issues and records.

Pure over what `gather()` reads, so the same history always yields the same ledger:
received (and by whom stamped), late or not, accepted (on main) or pending, adopted in which
issues (综合 or not), adopted above, leaders' instructions (批示).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import asdict, dataclass, field
from typing import Any, TextIO

from bulletin import git as gitio
from bulletin.assemble import load_issues
from bulletin.model import Config, Issue, Item
from bulletin.read import read_item
from bulletin.receipts import Receipt, read_receipts
from bulletin.records import ADOPTION, INSTRUCTION, Record, load_records
from bulletin.rules import Context
from bulletin.rules.deadline import limits_for
from bulletin.rules.header import text_field
from bulletin.timing import TimeFormatError, due_time, parse_time

SUBMISSIONS = "submissions"


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
    received_by: str  # hook / forge (receipts); commit = no receipt, the time it landed on main (not judged)
    due: dt.datetime | None
    late_minutes: int | None  # 迟报 by so many minutes; None when on time or without a limit
    accepted_at: dt.datetime | None  # when it landed on main (merge): None = pending or not adopted
    sent_back: int  # 退改: times the unit revised it on its branch before it was accepted
    adoptions: tuple[Adoption, ...] = ()
    upper: tuple[Record, ...] = ()  # 上级采用
    instructions: tuple[Record, ...] = ()  # 批示


@dataclass
class Ledger:
    lives: list[Life] = field(default_factory=list)
    # the items it was read from (item id -> front matter), so stats and notices judge the same
    # reading instead of reading every item again; not part of the ledger's JSON
    fields: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

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


@dataclass
class Sources:
    """What the ledger is derived from (gathered once, then everything is pure)."""

    items: dict[str, Item]
    receipts: dict[str, Receipt]
    landed: dict[str, dt.datetime]  # path -> when it landed on main
    revised: dict[str, int]  # path -> changes on its branch before it landed (退改)
    issues: list[Issue]
    records: list[Record]


def gather(config: Config, ref: str = "HEAD") -> Sources:
    items: dict[str, Item] = {}
    base = config.root / SUBMISSIONS
    for path in sorted(base.glob("*/*/*.md")) if base.is_dir() else []:
        rel = path.relative_to(config.root).as_posix()
        item, _ = read_item(path, rel, config.limits.file_max_bytes)
        if item.front_matter_ok:  # only the front matter is kept: a ten-year archive's texts are gigabytes
            items[rel[len(SUBMISSIONS) + 1 : -3]] = Item(rel, path, "", item.fields, front_matter_ok=True)
    issues, _ = load_issues(config)
    records, _ = load_records(config)
    try:
        landed = gitio.landed(config.root, ref, SUBMISSIONS)
        revised = gitio.revisions_before_landing(config.root, ref, SUBMISSIONS, landed)
    except Exception:  # not a repository: nothing landed
        landed, revised = {}, {}
    return Sources(items, read_receipts(config.root), landed, revised, issues, records)


def derive(config: Config, src: Sources) -> Ledger:
    adoptions: dict[str, list[Adoption]] = {}
    for issue in src.issues:
        for entry in issue.items:
            for source in dict.fromkeys(entry.sources):
                adoptions.setdefault(source, []).append(Adoption(issue.id, issue.date, len(entry.sources) > 1))
    upper: dict[str, list[Record]] = {}
    instructions: dict[str, list[Record]] = {}
    for record in sorted(src.records, key=lambda r: (r.date, r.path)):
        (instructions if record.kind == INSTRUCTION else upper).setdefault(record.item, []).append(record)
    lives = []
    for item_id, item in sorted(src.items.items()):
        path = f"{SUBMISSIONS}/{item_id}.md"
        receipt = src.receipts.get(path)
        landed = src.landed.get(path)
        received, by = (receipt.received_at, receipt.source) if receipt else (landed, "commit" if landed else "")
        due = _due(config, item)
        late = None
        # lateness is judged only on a server-side receipt, never on a commit date
        if due is not None and receipt is not None and receipt.received_at > due:
            late = int((receipt.received_at - due).total_seconds() // 60)
        lives.append(
            Life(
                id=item_id,
                unit=item_id.split("/")[0],
                title=text_field(item, "标题") or item_id,
                kind=text_field(item, "类别") or "",
                urgency=text_field(item, "紧急程度") or "",
                received_at=received,
                received_by=by,
                due=due,
                late_minutes=late,
                accepted_at=landed,
                sent_back=src.revised.get(path, 0),
                adoptions=tuple(sorted(adoptions.get(item_id, []), key=lambda a: (a.date, a.issue))),
                upper=tuple(upper.get(item_id, [])),
                instructions=tuple(instructions.get(item_id, [])),
            )
        )
    return Ledger(lives)


def _due(config: Config, item: Item) -> dt.datetime | None:
    """The earliest deadline that applies to an item (as `bulletin check` computes it)."""
    ctx = Context(config, dt.datetime.max.replace(tzinfo=dt.UTC), None)
    ctx.item = item

    def time(key: str) -> dt.datetime | None:
        value = item.fields.get(key)
        if value in (None, ""):
            return None
        try:
            return parse_time(value, config.timezone)
        except TimeFormatError:
            return None

    limits = [] if text_field(item, "续报") else [limit for _, limit in limits_for(item, ctx)]
    return due_time(time("发生时间"), limits, time("截止时间"))


def build_ledger(config: Config, ref: str = "HEAD") -> Ledger:
    src = gather(config, ref)
    ledger = derive(config, src)
    ledger.fields = {item_id: item.fields for item_id, item in src.items.items()}
    return ledger


__all__ = ["ADOPTION", "Adoption", "Ledger", "Life", "Sources", "build_ledger", "derive", "gather"]
