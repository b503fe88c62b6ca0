"""通报: the periodic notice on information work, written as an issue of the notice publication.

Being an issue (of a publication whose kind is 通报), it gets its site page and its PDF in the
bulletin layout like any other issue. The speech demands that every 迟报、漏报、瞒报 case be
notified to the responsible unit: each is listed by unit with its times. Its PDF draws the ranking
table (`ranking_of`) as the same chart the site's 统计 pages show (report/charts.py).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bulletin.core.model import Config, Issue, IssueItem
from bulletin.desk.issues import level_rank
from bulletin.desk.snapshot import Snapshot
from bulletin.duty import engine as duty
from bulletin.duty.scoring import Period, UnitStats, in_period
from bulletin.editorial.assemble import write_draft
from bulletin.errors import UsageError
from bulletin.report.discipline import describe, untitled

COMMENDED = 3  # ranks commended by name (every unit tied at these ranks is named)


def overview(period: Period, rows: list[UnitStats], cases: list[duty.Case]) -> str:
    submitted = sum(r.submitted for r in rows)
    adopted = sum(r.adopted for r in rows)
    upper = sum(sum(r.upper.values()) for r in rows)
    instructions = sum(sum(r.instructions.values()) for r in rows)
    active = sum(1 for r in rows if r.submitted)
    counts = {kind: sum(1 for c in cases if c.kind == kind) for kind in duty.KINDS}
    tail = "、".join(f"{kind}{n}起" for kind, n in counts.items() if n) or "未发生迟报、漏报、瞒报，约稿均按时报送"
    return (
        f"{period.label}，全市{active}个单位共报送信息{submitted}条，被市委办公室刊物采用{adopted}条，"
        f"被上级采用{upper}次，获领导批示{instructions}次；{tail}。"
    )


def _ranking(rows: list[UnitStats]) -> str:
    """The ranking as a short table (the full statistics: `bulletin stats`)."""
    out = ["| 名次 | 单位 | 报送 | 采用 | 采用率 | 得分 |", "|---|---|---|---|---|---|"]
    out += [f"| {r.rank} | {r.name} | {r.submitted} | {r.adopted} | {r.rate:.0%} | {r.score} |" for r in rows]
    return "\n".join(out)


RANKING_HEAD = ("名次", "单位", "报送", "采用", "采用率", "得分")  # the ranking's columns, as `_ranking` writes them
_PERIOD = re.compile(r"现将(?P<label>.+?)全市党委系统信息报送和采用情况通报如下")


@dataclass(frozen=True)
class Ranking:
    """The ranking a notice prints (its section 二's table), for its chart: names, scores, 采用率."""

    title: str
    names: tuple[str, ...]
    scores: tuple[int, ...]
    rates: tuple[float, ...]


def ranking_title(period_label: str) -> str:
    """The ranking chart's title, on the site's 统计 pages and in the notice's PDF alike."""
    return f"{period_label}各单位得分和采用率"


def ranking_of(issue: Issue, item: IssueItem) -> Ranking | None:
    """The ranking table in this item of a notice, as printed (an editor's correction included); None
    when the item holds none, or a row is not one the notice writes (then the table stands alone)."""
    lines = [line.strip() for line in item.text.splitlines() if line.strip().startswith("|")]
    if len(lines) < 3 or tuple(_cells(lines[0])) != RANKING_HEAD:
        return None
    names, scores, rates = [], [], []
    for line in lines[2:]:
        cells = _cells(line)
        if len(cells) != len(RANKING_HEAD) or not re.fullmatch(r"\d{1,3}%", cells[4]):
            return None
        try:
            scores.append(int(cells[5].replace("−", "-")))
        except ValueError:
            return None
        names.append(cells[1])
        rates.append(int(cells[4][:-1]) / 100)
    opening = (issue.note or "") + "".join(i.text for i in issue.items[:1])
    found = _PERIOD.search(opening)
    return Ranking(ranking_title(found["label"] if found else ""), tuple(names), tuple(scores), tuple(rates))


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _what(case: duty.Case, level: str, classification: dict[str, str]) -> str | None:
    """How the notice names an item above its own 密级: without the title (None: as everywhere)."""
    secret = classification.get(case.submission or "", "")
    if secret and level_rank(secret) > level_rank(level):
        return untitled(case, f"一条{secret}信息", "本通报中")
    return None


def _cases_text(config: Config, cases: list[duty.Case], level: str, classification: dict[str, str]) -> str:
    """Every case on record in the period, by unit, in the sentences every output uses."""
    if not cases:
        return "本期未发生迟报、漏报、瞒报，约稿均按时报送。"
    ordered = sorted(cases, key=lambda c: (c.unit, c.when, c.kind))
    lines = [describe(config, c, _what(c, level, classification)) + "。" for c in ordered]
    return "\n\n".join(lines) + "\n\n请以上单位认真查找原因，落实整改，于5个工作日内将整改情况书面报市委办公室信息处。"


def notice_title(period: Period) -> str:
    """The notice's title (GB/T 9704-2012 7.3.1: 关于……的通报)."""
    return f"关于{period.label}全市党委系统信息报送和采用情况的通报"


def existing_notice(config: Config, snap: Snapshot, period: Period) -> Issue | None:
    """The notice already drafted for this period, if any: its opening names the period (in its
    first item; notices drafted before issue 13 said it in an 编者按)."""
    pub = next((p for p in config.publications if p.kind == "通报"), None)
    marker = f"现将{period.label}"

    def opening(issue: Issue) -> str:
        return (issue.note or "") + (issue.items[0].text if issue.items else "")

    return next(
        (i for i in snap.issues if pub and i.publication == pub.id and marker in opening(i)),
        None,
    )


def build_notice(
    config: Config,
    snap: Snapshot,
    rows: list[UnitStats],
    period: Period,
    day: dt.date,
    health: list[str] | None = None,
    revision: bool = False,
) -> Issue:
    """The notice as a new issue of the notice publication. Every unit of the network is ranked
    (ties share a rank; units that sent nothing are named); every case on record in the period is
    listed. Refused when the period already has a notice, unless `revision`."""
    pub = next((p for p in config.publications if p.kind == "通报"), None)
    if pub is None:
        raise UsageError("配置中没有通报类刊物：请在bulletin.yml的publications中加一项“kind: 通报”")
    earlier = existing_notice(config, snap, period)
    if earlier is not None and not revision:
        raise UsageError(
            f"{period.label}已有通报{earlier.path}，不重复起草：要修订时加“--revision”，起草新的一期代替它"
        )
    same = [i for i in snap.issues if i.publication == pub.id]
    numbers = [i.number for i in same if i.year == day.year and not i.supplement]
    totals = [i.total_number for i in same if i.total_number]
    cases = [c for c in duty.on_record(snap.cases) if in_period(config, c, period)]
    level = max(("内部", pub.max_classification), key=level_rank) if pub.max_classification == "公开" else "内部"
    classification = {s.id: s.classification for s in snap.submissions}
    commended = [r for r in rows if r.score > 0 and r.rank <= COMMENDED]
    silent = [r for r in rows if not r.submitted]
    silent_text = (
        f"本期未报送信息的单位（{len(silent)}个）：" + "、".join(r.name for r in silent) + "。"
        if silent
        else "本期各单位均报送了信息。"
    )
    items = [
        ("一、总体情况", overview(period, rows, cases)),
        ("二、各单位信息报送和采用情况", _ranking(rows) + "\n\n" + silent_text),
        (
            "三、通报表扬",
            ("对" + "、".join(r.name for r in commended) + "予以通报表扬。希望受表扬的单位再接再厉，其他单位学习借鉴。")
            if commended
            else "本期没有得分为正的单位。",
        ),
        ("四、迟报、漏报、瞒报和约稿情况", _cases_text(config, cases, level, classification)),
    ]
    if health:
        items.append(("五、信息网络管理", "\n\n".join(line.rstrip("。") + "。" for line in health)))
    items.append(
        (
            f"{'六' if health else '五'}、下一步要求",
            "各单位要把信息报送作为严肃的政治纪律，突发事件发生后2小时内必须报市委；坚持一事一报，"
            "围绕中心工作多报有分量的信息；落实信息员和分管领导，保持信息网络畅通。",
        )
    )
    # a 通报 has no 编者按: its title, then its opening, then the headings 一、二、…
    opening = f"现将{period.label}全市党委系统信息报送和采用情况通报如下。"
    if earlier is not None:
        opening = f"本期为修订稿，代替{earlier.path}。{opening}"
    items.insert(0, (notice_title(period), opening))
    return Issue(
        path="",
        publication=pub.id,
        year=day.year,
        number=max(numbers, default=0) + 1,
        total_number=max(totals) + 1 if totals else 1,
        date=day,
        editor=config.editors[0].name if config.editors else "信息处",
        approver="【待填写：签发领导】",
        classification=level,
        secrecy_term=None,
        urgency=None,
        supplement=False,
        distribution=dict(pub.distribution),
        copies=pub.copies,
        note=None,
        items=[IssueItem(title, text, (), 0) for title, text in items],
    )


def write_notice(config: Config, notice: Issue) -> str:
    path = write_draft(config, notice)
    return path.relative_to(config.root).as_posix()
