"""采用反馈 on the site: what the duty engine says of each unit, gated for the build's audience.

Every unit page tells the unit what became of what it sent (待审, 退改, 未采用, 待编, 采用 and
where), its 上级采用 and 批示, its cases (迟报, 漏报, 瞒报 …, in the sentences of
`report.discipline.describe`) and its score for the period; the 领导批示 page lists every
recorded 批示. The figures are `duty.scoring.stats` over the same reading of the desk, judged
at the same moment as `bulletin stats --period <year>` (the end of the period, or now while it
runs), so the site shows the numbers the statistics and the 通报 show.

The period is the year volume being built (BULLETIN_YEAR), else the current year.

What an audience may read (publish/audience.py) gates everything here:
- the office's intake (items waiting, sent back, not adopted, or merged and not yet in an issue) is
  listed by title only on the sites of audiences with `intake: true` (the office's own) and the full site, and only where the
  audience is cleared for the item's 密级; other sites list what their issues carry and count the rest;
- an item's title appears only where the site lists the item; elsewhere it is named by number;
- a 批示's words (its 密级 is the item's) appear only where the audience is cleared for that 密级;
  otherwise the page says that there was one, by whom and when.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Any

from bulletin.core.levels import level_rank
from bulletin.core.model import Config, Item
from bulletin.desk.records import INSTRUCTION
from bulletin.desk.snapshot import ADOPTED
from bulletin.duty import engine as duty
from bulletin.duty import scoring
from bulletin.duty.ledger import Judgings
from bulletin.publish.audience import Scope
from bulletin.publish.pages import Desk, RecordShown, Submission
from bulletin.report import discipline as wording

_DATED = re.compile(r"^(?P<month>\d{2})(?P<day>\d{2})(?:-|$)")


def sees_intake(scope: Scope) -> bool:
    """Whether the build's audience sees the office's intake (items no issue it receives carries)."""
    return scope.audience is None or scope.audience.intake


def submission_of(config: Config, rel: str, fm: dict[str, Any]) -> Submission:
    """What the site shows of one item, from the front matter the snapshot read (never its text)."""
    from bulletin.core.levels import classification_of, item_level
    from bulletin.desk.layout import SUBMISSIONS
    from bulletin.rules.header import as_list, text_field

    path = f"{SUBMISSIONS}/{rel}.md"
    item = Item(path, config.root / path, "", fields=fm, front_matter_ok=True)
    unit_id, year, stem = rel.split("/")
    _, term, _ = classification_of(item)
    return Submission(
        id=rel,
        unit=unit_id,
        title=text_field(item, "标题") or rel,
        date=_date_of(year, stem),
        kind=text_field(item, "类别") or "",
        urgency=text_field(item, "紧急程度") or "",
        classification=item_level(item),
        secrecy_term=term,
        topics=tuple(as_list(item.fields.get("主题")) or ()),
    )


def _date_of(year: str, stem: str) -> dt.date | None:
    """An item's date from its file name, 1103-01 in 2026/ (as `bulletin new` names it)."""
    m = _DATED.match(stem)
    if not m or not year.isdigit():
        return None
    try:
        return dt.date(int(year), int(m["month"]), int(m["day"]))
    except ValueError:
        return None


def period_of(desk: Desk, now: dt.datetime) -> scoring.Period:
    """The period the unit pages count: the year volume built, else the year of `now`."""
    year = desk.year or now.astimezone(desk.config.timezone).year
    return scoring.parse_period(str(year))


def attach(desk: Desk, judgings: Judgings, scope: Scope) -> None:
    """Fill `desk` with the unit pages' feedback and the 批示 list, as `scope` may read them."""
    config = desk.config
    snap = judgings.snap
    period = period_of(desk, snap.now)
    # as `bulletin stats --period` judges: at the period's end, or now while it runs
    judged, ledger = judgings.at(period.judged_at(snap.now, config.timezone))
    table = scoring.load_table(config.root)
    desk.period, desk.period_key = period.label, str(period.start.year)
    desk.sees_intake = sees_intake(scope)
    desk.unit_stats = {row.unit: row for row in scoring.stats(config, ledger, judged.cases, period, table)}

    def in_year(item_id: str) -> bool:
        return desk.year is None or item_id.split("/")[1] == str(desk.year)

    levels: dict[str, Submission] = {}  # every item the snapshot read, as the site would show it

    def shown_as(item_id: str) -> Submission | None:
        if item_id not in levels and item_id in snap.items:
            levels[item_id] = desk.submissions.get(item_id) or submission_of(config, item_id, snap.items[item_id])
        return levels.get(item_id)

    if desk.sees_intake:
        for item_id in snap.items:
            if item_id in desk.submissions or not in_year(item_id):
                continue
            if snap.state(item_id) == ADOPTED:  # adopted in an issue this site does not receive: not its intake
                continue
            sub = shown_as(item_id)
            if sub is not None and scope.cleared(sub.classification):
                desk.intake[item_id] = sub
    listed = desk.submissions.keys() | desk.intake.keys()
    desk.states = {item_id: snap.state(item_id) for item_id in sorted(listed)}
    fates: dict[str, Counter[str]] = {}
    for life in ledger.lives:
        if life.received_at is not None and life.received_at.astimezone(config.timezone).date() in period:
            fates.setdefault(life.unit, Counter())[life.state] += 1
    desk.fates = {unit: dict(counts) for unit, counts in fates.items()}

    cases: dict[str, list[tuple[dt.datetime, str]]] = {}
    for case in duty.on_record(judged.cases):
        if not scoring.in_period(config, case, period):
            continue
        hidden = not scope.full and case.submission is not None and case.submission not in listed
        what = wording.untitled(case, "一条信息", "本站") if hidden else None
        cases.setdefault(case.unit, []).append((case.when, wording.describe(config, case, what)))
    desk.unit_cases = {
        unit: [s for _, s in sorted(rows, key=lambda r: r[0], reverse=True)] for unit, rows in cases.items()
    }

    shown: list[RecordShown] = []
    for record in judged.records:
        if desk.year is not None and record.date.year != desk.year:
            continue
        sub = shown_as(record.item)
        level = sub.classification if sub is not None else ""
        words = record.text.strip() if record.kind == INSTRUCTION else ""
        if words and record.classification and level_rank(record.classification) > level_rank(level):
            level = record.classification  # the 批示's own 密级, above the item's: its words are gated by it
        cleared = sub is not None and scope.cleared(level)
        shown.append(
            RecordShown(
                kind=record.kind,
                item=record.item,
                unit=record.item.split("/", 1)[0],
                date=record.date,
                level=record.level,
                by=record.by,
                publication=record.publication,
                title=sub.title if sub is not None and record.item in listed else None,
                classification=level or "未知",
                text=words if cleared else "",
                withheld=bool(words) and not cleared,
                in_period=record.date in period,
            )
        )
    desk.records = sorted(shown, key=lambda r: (r.date, r.item), reverse=True)
