"""The site's 报送纪律 page: every case on the record, calls for information, the network's gaps.

The speech demands that every 迟报、漏报、瞒报 be notified; readers of the internal site see the
record as of the build, in the same sentences `bulletin overdue` and the notices use.

The record grows with the events, so it is split the way the other listings are (pages.chunks):
each of its sections (仍未报送的紧急信息, the record of cases, 约稿完成情况) that holds more than
`page_rows` rows lists its parts on discipline.md, newest first, and each part is a page of its
own, by the month the report or the answer was due: discipline/record/2025-03.md,
discipline/open/…, discipline/calls/…. The network's gaps grow with the network, not with time:
a long list of them is split by kind into parts of `page_rows` (discipline/network/silent-1.md).
Parts stay out of the search index; discipline.md itself is searched (it is bounded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from bulletin.core.model import Config
from bulletin.core.timing import format_time
from bulletin.desk.snapshot import Snapshot, read_desk
from bulletin.duty import health
from bulletin.duty.engine import CallCase, Case
from bulletin.duty.health import HealthProblem
from bulletin.publish.pages import (
    PAGE_ROWS,
    Chunk,
    Page,
    chunk_src,
    chunks,
    page_front_matter,
    pager_links,
    parts_table,
    split_rows,
)
from bulletin.report import discipline as overdue

SRC = "discipline.md"
NAME = "报送纪律"
OPEN = "仍未报送的紧急信息"
RECORD = "迟报、漏报、瞒报、误报和续报逾期记录"
CALLS = "约稿完成情况"
NETWORK = "信息网络管理"
# a part of the network's gaps is named by its kind: discipline/network/silent-1.md
_KIND_KEYS = {
    health.NO_INFORMANT: "informants",
    health.SILENT: "silent",
    health.UNKNOWN_ACCOUNT: "accounts",
    health.FOREIGN_ACCOUNT: "foreign",
}

T = TypeVar("T")


@dataclass(frozen=True)
class Section:
    """One section of the record: its rows (sentences), newest first, in parts of at most a page."""

    key: str  # the folder of its parts: open, record, calls, network
    title: str
    parts: list[Chunk[str]]
    intro: str  # above the table of its parts: 共N起，按应报时间分页，新的在前。
    head: list[str]  # the columns of that table after 时间
    cells: Callable[[Sequence[str]], list[str]]
    lead: str  # under a part's heading, with {label} and {count}: 应报时间：{label}，共{count}起。
    empty: str  # said when the section holds nothing
    first: str = "时间"  # the head of the parts' column in that table


def discipline_pages(
    config: Config,
    now: dt.datetime,
    visible: Callable[[str | None], bool] = lambda _: True,
    page_rows: int = PAGE_ROWS,
    snap: Snapshot | None = None,
) -> list[Page]:
    """discipline.md and its parts (from `snap` when the caller has read the desk already).

    Every case is listed, as `bulletin overdue --all`, the statistics and the notices count them;
    `visible` says whether an item's title may appear on this site (a site for one audience names an
    item it does not carry by its number only: the title may be above the audience's clearance)."""
    snap = snap or read_desk(config, now)
    # the calls have their own section (every asked unit's answer, which names no item's title)
    found = [c for c in snap.cases if c.call is None]
    hidden = {c.submission for c in found if c.submission and not visible(c.submission)}
    gaps = health.network_health(config, snap.submissions, snap.receipts, now)
    return record_pages(config, now, found, snap.call_answers, gaps, page_rows, hidden)


def record_pages(
    config: Config,
    now: dt.datetime,
    found: Sequence[Case],
    calls: Sequence[CallCase],
    gaps: Sequence[HealthProblem],
    page_rows: int = PAGE_ROWS,
    hidden: Collection[str] = (),
) -> list[Page]:
    """The pages of the record (pure): discipline.md first, then the parts of its long sections.
    Items in `hidden` are named by number, without their titles."""

    def day(moment: dt.datetime) -> dt.date:
        return moment.astimezone(config.timezone).date()

    def case_rows(cases: list[Case]) -> list[tuple[dt.date, str]]:
        newest = sorted(cases, key=lambda c: c.due, reverse=True)  # stable: ties keep the record's order
        return [
            (
                day(c.due),
                overdue.describe(
                    config, c, overdue.untitled(c, "一条信息", "本站") if c.submission in hidden else None
                ),
            )
            for c in newest
        ]

    still = [c for c in found if c.open]
    closed = [c for c in found if not c.open]
    answers = sorted(calls, key=lambda c: c.call.deadline, reverse=True)  # a call's units stay in their order
    sections = [
        _dated(
            "open",
            OPEN,
            case_rows(still),
            page_rows,
            f"共{len(still)}起，按应报时间分页，新的在前。",
            ["起数"],
            "应报时间：{label}，共{count}起。",
            "没有逾期未报的紧急信息。",
        ),
        _dated(
            "record",
            RECORD,
            case_rows(closed),
            page_rows,
            f"共{len(closed)}起，按应报时间分页，新的在前。",
            ["起数"],
            "应报时间：{label}，共{count}起。",
            "没有记录。",
        ),
        _dated(
            "calls",
            CALLS,
            [(day(c.call.deadline), overdue.describe_call(config, c)) for c in answers],
            page_rows,
            f"共{len({c.call.id for c in calls})}次约稿、{len(calls)}个单位次，按截止时间分页，新的在前。",
            ["单位次"],
            "截止时间：{label}，共{count}个单位次。",
            "没有约稿。",
        ),
        _network(gaps, page_rows),
    ]
    out = [
        "# 报送纪律",
        "",
        f"截至{format_time(now, config.timezone)}（本站构建时）。迟报、漏报、瞒报、误报，每起均通报责任单位。",
    ]
    pages: list[Page] = []
    for section in sections:
        out += ["", f"## {section.title}", ""]
        if not section.parts:
            out.append(section.empty)
        elif len(section.parts) == 1:
            out += [f"- {row}" for row in section.parts[0].rows]
        else:
            table = parts_table(section.parts, SRC, section.head, section.cells, section.first)
            out += [section.intro, "", *table]
            pages += [_part_page(section, n) for n in range(len(section.parts))]
    return [Page(SRC, "\n".join(out) + "\n", in_nav=True), *pages]


def _dated(
    key: str,
    title: str,
    rows: list[tuple[dt.date, str]],
    page_rows: int,
    intro: str,
    head: list[str],
    lead: str,
    empty: str,
) -> Section:
    """A section whose rows are dated (newest first): split by month, as every listing (pages.chunks)."""
    parts = [_under(key, part) for part in chunks(rows, lambda r: r[0], limit=page_rows)]
    sentences = [Chunk(p.key, p.label, tuple(sentence for _, sentence in p.rows)) for p in parts]
    return Section(key, title, sentences, intro, head, _count, lead, empty)


def _count(rows: Sequence[str]) -> list[str]:
    return [str(len(rows))]


def _under(key: str, part: Chunk[T]) -> Chunk[T]:
    """A part's page under its section's folder: discipline/record/2025-03.md."""
    return replace(part, key=f"{key}/{part.key}")


def _network(gaps: Sequence[HealthProblem], page_rows: int) -> Section:
    """The network's gaps, by kind (in registry order within one); a kind longer than a page in parts."""
    parts: list[Chunk[str]] = []
    if len(gaps) > page_rows:
        for kind in health.KINDS:
            rows = [g.detail for g in gaps if g.kind == kind]
            split = split_rows(rows, lambda _: 1, page_rows)
            for n, part in enumerate(split, start=1):
                label = kind if len(split) == 1 else f"{kind}（{n}）"
                parts.append(Chunk(f"network/{_KIND_KEYS[kind]}-{n}", label, tuple(part)))
    elif gaps:
        parts = [Chunk("network", NETWORK, tuple(g.detail for g in gaps))]
    intro = f"共{len(gaps)}个问题，按问题类别分页。"
    count = ["问题数"]
    lead = "{label}，共{count}个问题。"
    return Section("network", NETWORK, parts, intro, count, _count, lead, "信息网络没有发现问题。", "问题类别")


def _part_page(section: Section, n: int) -> Page:
    part = section.parts[n]
    src = chunk_src(SRC, part.key)
    out = [*page_front_matter(f"{NAME}：{section.title} {part.label}", searched=False), f"# {section.title}", ""]
    out += [section.lead.format(label=part.label, count=len(part.rows)), ""]
    pager = pager_links(section.parts, n, src, SRC, NAME)
    out += pager
    out += [f"- {row}" for row in part.rows]
    out += ["", *pager]
    return Page(src, "\n".join(out))
