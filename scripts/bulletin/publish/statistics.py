"""The site's 统计 section: each year, quarter and month at a glance, for the audiences that receive
the 通报 (the notice carries the same ranking; the full site of the office has it too).

Every figure is `bulletin stats`'s: `duty.scoring.stats` over the ledger and the duty engine's
cases on record, read from the build's one reading of the desk, judged where `bulletin stats` and
the notice judge a period (`Period.judged_at`: an ended period at its end, the running one as of the
build; the page says which and gives the command that prints the same numbers). The time series
count the same cases with the same test (`scoring.in_period`), by day, week or month; the opening
sentence is the notice's own (`editorial.notice.overview`).

Pages: statistics/index.md (the periods, newest first), statistics/<2026>/index.md, <2026-Q4>/…
and <2026-11>/…; each shows the ranking (score and 采用率 by unit, a bar chart), 迟报、漏报 and the
registered emergencies over time (a line chart), 上级采用 and 批示 by level, every chart followed by
its figures as a table. The charts are SVG files in the page's folder (ranking.svg, timeline.svg:
the same address from the page whether the site has directory URLs or not), drawn at build time
(report/charts.py, kept in build/chart-cache/ under the hash of their figures), shown at most
as wide as drawn (`charts.width_px`: its text then as large as the page's) and narrower on a phone
(the theme's max-width: 100%; the text stays legible there, tests/test_phone.py).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bulletin.core.model import Config
from bulletin.core.timing import format_time
from bulletin.desk.records import ADOPTION_LEVELS, INSTRUCTION_LEVELS
from bulletin.desk.snapshot import Snapshot
from bulletin.duty import engine as duty
from bulletin.duty import scoring
from bulletin.duty.ledger import Judgings, Ledger
from bulletin.duty.scoring import Period, UnitStats
from bulletin.editorial.notice import overview, ranking_title
from bulletin.publish.audience import Scope
from bulletin.publish.pages import Page, page_front_matter
from bulletin.report.charts import Charts, width_px

FOLDER = "statistics"
INDEX = f"{FOLDER}/index.md"
NAME = "统计"
SERIES = (duty.LATE, duty.MISSED, "突发事件")  # the line chart's lines: cases on record, registered events


def cleared(config: Config, scope: Scope) -> bool:
    """Whether this audience sees the statistics: it receives the 通报 (which ranks the units the same
    way), or it is the office's full site."""
    return scope.full or any(scope.receives(p.id) for p in config.publications if p.kind == "通报")


def site_nav(nav: list[Any], config: Config, scope: Scope) -> list[Any]:
    """The site's nav (mkdocs.yml's) for this audience: without the 统计 entry where it is not cleared
    (no page is built for it). The MkDocs plugin and the Zensical configuration both take it from here."""
    if cleared(config, scope):
        return list(nav)
    return [entry for entry in nav if not (isinstance(entry, dict) and INDEX in entry.values())]


# ---------------------------------------------------------------- periods


def _month(year: int, month: int) -> Period:
    return scoring.parse_period(f"{year}-{month:02d}")


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days)]


def steps(key: str, period: Period) -> list[Period]:
    """The parts a period's line chart counts by: a year by month, a quarter by week (Monday to
    Sunday, cut at the quarter's ends), a month by day."""
    if key.isdigit():
        return [_month(period.start.year, m) for m in range(1, 13)]
    if "Q" in key:
        starts = [d for d in _days(period.start, period.end) if d == period.start or d.weekday() == 0]
        ends = [*starts[1:], period.end]
        return [Period(f"{s.month}月{s.day}日起", s, e) for s, e in zip(starts, ends, strict=True)]
    return [Period(f"{d.day}日", d, d + dt.timedelta(days=1)) for d in _days(period.start, period.end)]


def periods(config: Config, snap: Snapshot, ledger: Ledger, year: int | None = None) -> list[tuple[str, Period]]:
    """(key, period) of every year, quarter and month from the first to the last that holds a
    figure (a report received, an adoption, a record, a case, an event), up to the build; `year`:
    that year only (a year volume). Newest first, a year before its quarters, a quarter before its months."""
    tz = config.timezone
    days: list[dt.date] = []
    for life in ledger.lives:
        if life.received_at is not None:
            days.append(life.received_at.astimezone(tz).date())
        days += [a.date for a in life.adoptions]
        days += [r.date for r in (*life.upper, *life.instructions)]
    days += [c.when.astimezone(tz).date() for c in duty.on_record(snap.cases)]
    days += [e.occurred_at.astimezone(tz).date() for e in snap.events]
    today = snap.now.astimezone(tz).date()
    days = [d for d in days if d <= today and (year is None or d.year == year)]
    if not days:
        return []
    first, last = min(days), max(days)
    out: list[tuple[str, Period]] = []
    for y in range(last.year, first.year - 1, -1):
        out.append((str(y), scoring.parse_period(str(y))))
        for q in range(4, 0, -1):
            quarter = scoring.parse_period(f"{y}-Q{q}")
            if quarter.start > last or quarter.end <= first:
                continue
            out.append((f"{y}-Q{q}", quarter))
            for m in range(q * 3, q * 3 - 3, -1):
                month = _month(y, m)
                if month.start <= last and month.end > first:
                    out.append((f"{y}-{m:02d}", month))
    return out


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figures:
    """One period as `bulletin stats` counts it, with its cases over time."""

    key: str
    period: Period
    rows: list[UnitStats]
    cases: list[duty.Case]  # on record, in the period
    steps: list[Period]
    series: dict[str, list[int]]  # 迟报 / 漏报 / 突发事件 -> a count per step


def figures(config: Config, snap: Snapshot, ledger: Ledger, key: str, period: Period, table: scoring.Table) -> Figures:
    rows = scoring.stats(config, ledger, snap.cases, period, table)
    cases = [c for c in duty.on_record(snap.cases) if scoring.in_period(config, c, period)]
    parts = steps(key, period)
    tz = config.timezone
    events = [e.occurred_at.astimezone(tz).date() for e in snap.events]
    series = {
        duty.LATE: [sum(1 for c in cases if c.kind == duty.LATE and scoring.in_period(config, c, p)) for p in parts],
        duty.MISSED: [
            sum(1 for c in cases if c.kind == duty.MISSED and scoring.in_period(config, c, p)) for p in parts
        ],
        SERIES[2]: [sum(1 for day in events if day in p) for p in parts],
    }
    return Figures(key, period, rows, cases, parts, series)


# ---------------------------------------------------------------- pages


def _src(key: str) -> str:
    return f"{FOLDER}/{key}/index.md"


def _title(period: Period) -> str:
    return f"{period.label}统计"


def _lineage(key: str, known: set[str]) -> list[tuple[str, str]]:
    """The year and the quarter a month or a quarter belongs to: (key, name), as far as they have pages."""
    year = key[:4]
    out = [(year, f"{year}年")] if year in known and key != year else []
    if len(key) == 7 and "Q" not in key:
        quarter = f"{year}-Q{(int(key[5:]) - 1) // 3 + 1}"
        if quarter in known:
            out.append((quarter, f"第{'一二三四'[int(quarter[-1]) - 1]}季度"))
    return out


def _tick(key: str, part: Period) -> str:
    """A part's name on the line chart's time axis, short (the table below gives it whole): 1月,
    10月6日 (the week from that day), 3日."""
    return f"{part.start.month}月" if key.isdigit() else part.label.removesuffix("起")


def _img(src: str, svg: str, alt: str) -> str:
    """A chart beside its page (a file name, no markup in `alt`: the desk's own words)."""
    return f'<p class="bulletin-chart"><img src="{src}" alt="{html.escape(alt)}" width="{width_px(svg)}"></p>'


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return out


def _as_of(config: Config, f: Figures, moment: dt.datetime) -> str:
    """When the figures were judged: an ended period at its end, as its notice; a running one now."""
    when = format_time(moment, config.timezone)
    if moment == f.period.end_moment(config.timezone):
        return (
            f"按时段结束时（{when}）的情况，依考核办法（bulletin.yml的scoring）统计，"
            f"与命令“bulletin stats --period {f.key}”和这一时段的信息工作通报的数字相同。"
        )
    return (
        f"截至{when}（本站构建时），依考核办法（bulletin.yml的scoring）统计，与命令"
        f"“bulletin stats --period {f.key} --now '{moment.astimezone(config.timezone):%Y-%m-%d %H:%M}'”的数字相同。"
    )


def _period_page(
    config: Config, f: Figures, charts: Charts, moment: dt.datetime, known: set[str]
) -> tuple[Page, list[Page]]:
    label = f.period.label
    ranked = f.rows
    ranking = charts.ranking(
        ranking_title(label),
        [r.name for r in ranked],
        [r.score for r in ranked],
        [r.rate for r in ranked],
    )
    timeline = charts.timeline(f"{label}迟报、漏报和突发事件", [_tick(f.key, p) for p in f.steps], f.series)
    svgs = [Page(f"{FOLDER}/{f.key}/ranking.svg", ranking), Page(f"{FOLDER}/{f.key}/timeline.svg", timeline)]
    up = [(lv, sum(r.upper.get(lv, 0) for r in ranked)) for lv in ADOPTION_LEVELS]
    told = [(lv, sum(r.instructions.get(lv, 0) for r in ranked)) for lv in INSTRUCTION_LEVELS]
    lineage = [f"[{name}](../{key}/index.md)" for key, name in _lineage(f.key, known)]
    out = [*page_front_matter(_title(f.period), searched=False), f"# {_title(f.period)}", ""]
    out += ["[统计](../index.md)" + "".join(f"　›　{link}" for link in lineage), ""]
    out += [
        _as_of(config, f, moment),
        "",
        overview(f.period, ranked, f.cases),
        "",
        "## 各单位得分和采用率",
        "",
        _img("ranking.svg", ranking, f"{label}各单位得分和采用率条形图，按名次排列，数字见下表"),
        "",
        *scoring.stats_markdown(f.period, ranked).splitlines()[2:],
        "",
        "## 迟报、漏报和突发事件",
        "",
        _img("timeline.svg", timeline, f"{label}迟报、漏报和突发事件折线图，数字见下表"),
        "",
        *_table(
            ["时间", *f.series],
            [[p.label, *(f.series[name][n] for name in f.series)] for n, p in enumerate(f.steps)]
            + [["合计", *(sum(v) for v in f.series.values())]],
        ),
        "",
        "注：迟报、漏报按迟报收到或应报的时间计入，突发事件按登记的发生时间计入（events/）。",
        "",
        "## 上级采用和批示",
        "",
        # a level a row: two columns stand on a phone's screen
        *_table(["级别", "上级采用"], [*up, ("合计", sum(n for _, n in up))]),
        "",
        *_table(["级别", "领导批示"], [*told, ("合计", sum(n for _, n in told))]),
        "",
        "各单位的上级采用和批示次数见上方“各单位得分和采用率”表。",
    ]
    return Page(_src(f.key), "\n".join(out) + "\n"), svgs


def _index(found: list[tuple[str, Period]], moment: dt.datetime, config: Config) -> Page:
    out = [*page_front_matter(NAME, searched=False), f"# {NAME}", ""]
    out += [
        "各单位信息报送、采用、上级采用、批示、迟报漏报和得分，按年、季度、月统计，"
        f"数字与命令“bulletin stats”和通报相同（截至{format_time(moment, config.timezone)}，本站构建时）。"
        "每页有条形图和折线图，图下列出同样的数字。",
        "",
    ]
    years = [key for key, _ in found if key.isdigit()]
    for year in years:
        out += [f"## {year}年", "", f"- [{year}年全年]({year}/index.md)"]
        for key, period in found:
            if key.startswith(f"{year}-Q"):
                months = [
                    f"[{p.start.month}月]({k}/index.md)"
                    for k, p in found
                    if len(k) == 7 and "Q" not in k and k.startswith(year) and p.start in period
                ]
                out.append(f"- [{period.label[len(year) + 1 :]}]({key}/index.md)：" + "、".join(months))
        out.append("")
    if not found:
        out.append("还没有可统计的报送。")
    return Page(INDEX, "\n".join(out) + "\n", in_nav=True)


def statistics_pages(config: Config, judgings: Judgings, scope: Scope, year: int | None = None) -> list[Page]:
    """The 统计 pages and their charts (SVG files) for this audience: none when it is not cleared for
    them (`cleared`; the plugin then takes the 统计 entry out of the navigation)."""
    if not cleared(config, scope):
        return []
    snap, as_of = judgings.snap, judgings.at  # a period's end: one judging for all that end then
    found = periods(config, snap, as_of(snap.now)[1], year)
    table = scoring.load_table(config.root)
    charts = Charts(config)
    known = {key for key, _ in found}
    pages = [_index(found, snap.now, config)]
    for key, period in found:
        moment = period.judged_at(snap.now, config.timezone)
        at, ledger = as_of(moment)
        page, svgs = _period_page(config, figures(config, at, ledger, key, period, table), charts, moment, known)
        pages += [page, *svgs]
    return pages
