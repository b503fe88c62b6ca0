"""Scores (考核) and statistics per unit over a period, from the ledger and the cases on record.

The table is configuration (`scoring:` in bulletin.yml); the defaults follow a real county
考核办法 (shared/DOMAIN.md): adoption by the city office 10 (a 综合 item 5 per unit), by the
provincial office 20, the State Council office 30, the Central office 50; instructions by
national leaders 50, provincial 40, city 30, city office leaders 20, county 10; deductions for
迟报 100, 漏报 and 瞒报 200, 误报 50. An item scores at every level that adopts it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bulletin.core.model import Config
from bulletin.desk.read import DecodeProblem, YamlProblem, decode, load_yaml
from bulletin.desk.snapshot import Snapshot
from bulletin.duty import engine as duty
from bulletin.duty.ledger import Ledger
from bulletin.errors import ConfigError, UsageError


@dataclass(frozen=True)
class Table:
    adoption: dict[str, int] = field(default_factory=lambda: {"市": 10, "省": 20, "国务院办公厅": 30, "中央办公厅": 50})
    composite: int = 5  # a 综合 item, per credited unit, at the city level
    instruction: dict[str, int] = field(
        default_factory=lambda: {"国家": 50, "省": 40, "市": 30, "市委办": 20, "县": 10}
    )
    deduction: dict[str, int] = field(
        default_factory=lambda: {
            "迟报": 100,
            "漏报": 200,
            "瞒报": 200,
            "误报": 50,
            "续报逾期": 50,
            "约稿逾期": 20,
            "约稿未报": 50,
        }
    )


def load_table(root: Path) -> Table:
    """The `scoring:` section of bulletin.yml (missing keys keep their defaults)."""
    try:
        raw, _ = load_yaml(decode((root / "bulletin.yml").read_bytes()).text)
    except (OSError, DecodeProblem, YamlProblem) as exc:
        raise ConfigError(f"bulletin.yml：{getattr(exc, 'message', exc)}") from exc
    section = (raw or {}).get("scoring") or {}
    if not isinstance(section, dict):
        raise ConfigError("bulletin.yml：scoring应为映射")
    table = Table()
    values: dict[str, Any] = {}
    for key in ("adoption", "instruction", "deduction"):
        given = section.get(key)
        if given is None:
            continue
        if not isinstance(given, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in given.values()
        ):
            raise ConfigError(f"bulletin.yml：scoring.{key}应为“名称: 分值”的映射，分值为整数")
        values[key] = {**getattr(table, key), **{str(k): v for k, v in given.items()}}
    if "composite" in section:
        if not isinstance(section["composite"], int) or isinstance(section["composite"], bool):
            raise ConfigError("bulletin.yml：scoring.composite应为整数")
        values["composite"] = section["composite"]
    return Table(**{**asdict(table), **values})


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date  # exclusive

    def end_moment(self, tz: dt.tzinfo) -> dt.datetime:
        """The last moment of the period (the default moment to judge a period at)."""
        return dt.datetime.combine(self.end, dt.time(0), tzinfo=tz) - dt.timedelta(seconds=1)

    def judged_at(self, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
        """The moment a period is judged at: its end, or `now` while it runs. `bulletin stats`, the
        notice, the unit pages and the 统计 pages all judge it there, so they give the same figures
        on every run, and an ended month's figures are the notice's."""
        return min(now, self.end_moment(tz))

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.datetime):
            day = day.date()
        return isinstance(day, dt.date) and self.start <= day < self.end


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def parse_period(text: str) -> Period:
    text = text.strip()
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise UsageError(f"时段“{text}”的月份无效")
        end = dt.date(year + (month == 12), month % 12 + 1, 1)
        return Period(f"{year}年{month}月", dt.date(year, month, 1), end)
    if m := _QUARTER.match(text):
        year, q = int(m[1]), int(m[2])
        end = dt.date(year + (q == 4), (q * 3) % 12 + 1, 1)
        return Period(f"{year}年第{'一二三四'[q - 1]}季度", dt.date(year, q * 3 - 2, 1), end)
    if m := _YEAR.match(text):
        year = int(m[1])
        return Period(f"{year}年", dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    raise UsageError(f"时段“{text}”无法识别：请写2026-11（月）、2026-Q4（季度）或2026（年）")


@dataclass
class UnitStats:
    unit: str
    name: str
    submitted: int = 0
    adopted: int = 0  # submissions adopted at least once in the period (by the office or above)
    received_adopted: int = 0  # of the submissions received in the period, those adopted since
    by_publication: dict[str, int] = field(default_factory=dict)
    upper: dict[str, int] = field(default_factory=dict)  # adopted above, by level
    instructions: dict[str, int] = field(default_factory=dict)  # by level
    late: int = 0
    missed: int = 0
    concealed: int = 0
    false: int = 0
    follow_up: int = 0  # 续报逾期
    call_late: int = 0  # 约稿逾期
    call_missed: int = 0  # 约稿未报
    score: int = 0
    rank: int = 0

    @property
    def rate(self) -> float:
        """采用率: of what the office received in the period, the share adopted (by the office or above)."""
        return self.received_adopted / self.submitted if self.submitted else 0.0


COUNTERS = {
    duty.LATE: "late",
    duty.MISSED: "missed",
    duty.CONCEALED: "concealed",
    duty.FALSE: "false",
    duty.FOLLOW_UP: "follow_up",
    duty.CALL_LATE: "call_late",
    duty.CALL_MISSED: "call_missed",
}
PERIODS_NOTE = "报送按信息处收到的时间计入时段，采用按刊物出刊日期计入时段，迟报等按迟报收到或应报的时间计入时段"


def in_period(config: Config, case: duty.Case, period: Period) -> bool:
    return case.when.astimezone(config.timezone).date() in period


def stats(config: Config, ledger: Ledger, cases: list[duty.Case], period: Period, table: Table) -> list[UnitStats]:
    """Each unit of the network (also those that sent nothing) with its counts and score in the
    period; ranked by score, ties sharing a rank. `cases`: the duty engine's, on record."""
    units = {u.id: UnitStats(u.id, u.name) for u in config.units}
    pub_names = {p.id: p.name for p in config.publications}
    for life in ledger.lives:
        row = units.get(life.unit)
        if row is None:
            continue
        if life.received_at is not None and life.received_at.astimezone(config.timezone).date() in period:
            row.submitted += 1
            row.received_adopted += life.adopted
        adopted_here = False
        for adoption in life.adoptions:
            if adoption.date in period:
                pub = pub_names.get(adoption.issue.split("/")[0], adoption.issue.split("/")[0])
                row.by_publication[pub] = row.by_publication.get(pub, 0) + 1
                row.score += table.composite if adoption.composite else table.adoption["市"]
                adopted_here = True
        for record in life.upper:
            if record.date in period:
                row.upper[record.level] = row.upper.get(record.level, 0) + 1
                row.score += table.adoption.get(record.level, 0)
                adopted_here = True
        for record in life.instructions:
            if record.date in period:
                row.instructions[record.level] = row.instructions.get(record.level, 0) + 1
                row.score += table.instruction.get(record.level, 0)
        row.adopted += adopted_here
    for case in duty.on_record(cases):
        row = units.get(case.unit)
        if row is None or not in_period(config, case, period):
            continue
        setattr(row, COUNTERS[case.kind], getattr(row, COUNTERS[case.kind]) + 1)
        row.score -= table.deduction.get(case.kind, 0)
    ordered = sorted(units.values(), key=lambda r: (-r.score, -r.adopted, r.unit))
    rank = 0
    previous: int | None = None
    for position, row in enumerate(ordered, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        row.rank = rank
    return ordered


def stats_json(period: Period, rows: list[UnitStats]) -> str:
    return json.dumps(
        {
            "period": period.label,
            "note": PERIODS_NOTE,
            "units": [{**asdict(r), "rate": round(r.rate, 4)} for r in rows],
        },
        ensure_ascii=False,
        indent=1,
    )


def stats_markdown(period: Period, rows: list[UnitStats]) -> str:
    out = [
        f"{period.label}各单位信息报送和采用情况",
        "",
        "| 名次 | 单位 | 报送 | 采用 | 采用率 | 上级采用 | 批示 | 迟报 | 漏报 | 瞒报 | 续报逾期 | 约稿逾期 | 约稿未报 | 得分 |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r.rank} | {r.name} | {r.submitted} | {r.adopted} | {r.rate:.0%} | {sum(r.upper.values())} | "
            f"{sum(r.instructions.values())} | {r.late} | {r.missed} | {r.concealed} | {r.follow_up} | "
            f"{r.call_late} | {r.call_missed} | {r.score} |"
        )
    out += ["", f"注：{PERIODS_NOTE}。"]
    return "\n".join(out)


def stats_text(period: Period, rows: list[UnitStats]) -> str:
    out = [f"{period.label}各单位信息报送和采用情况（按得分排名；{PERIODS_NOTE}）"]
    for r in rows:
        out.append(
            f"{r.rank:>3}. {r.name}：报送{r.submitted}条，采用{r.adopted}条（{r.rate:.0%}），"
            f"上级采用{sum(r.upper.values())}次，批示{sum(r.instructions.values())}次，"
            f"迟报{r.late}、漏报{r.missed}、瞒报{r.concealed}、续报逾期{r.follow_up}、"
            f"约稿逾期{r.call_late}、约稿未报{r.call_missed}，得分{r.score}"
        )
    return "\n".join(out)


def health_lines(config: Config, snap: Snapshot, day: dt.date) -> list[str]:
    """The network's gaps in plain sentences, for the notice (bulletin.duty.health)."""
    from bulletin.duty import health

    moment = dt.datetime.combine(day, dt.time(23, 59), tzinfo=config.timezone)
    return [p.detail for p in health.network_health(config, snap.submissions, snap.receipts, moment)]
