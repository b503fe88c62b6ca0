"""通报: the periodic notice on information work, written as an issue of the notice publication.

Being an issue (of a publication whose kind is 通报), it gets its site page and its PDF in the
bulletin layout like any other issue. The speech demands that every 迟报、漏报、瞒报 case be
notified to the responsible unit: each is listed by unit with its times.
"""

from __future__ import annotations

import datetime as dt

from bulletin.assemble import load_issues, write_draft
from bulletin.errors import UsageError
from bulletin.issue import level_rank
from bulletin.ledger import Ledger
from bulletin.model import Config, Issue, IssueItem
from bulletin.scoring import Case, Period, UnitStats
from bulletin.timing import format_time

COMMENDED = 3  # units commended by name


def _overview(period: Period, rows: list[UnitStats], cases: list[Case]) -> str:
    submitted = sum(r.submitted for r in rows)
    adopted = sum(r.adopted for r in rows)
    upper = sum(sum(r.upper.values()) for r in rows)
    instructions = sum(sum(r.instructions.values()) for r in rows)
    active = sum(1 for r in rows if r.submitted)
    counts = {kind: sum(1 for c in cases if c.kind == kind) for kind in ("迟报", "漏报", "瞒报", "误报")}
    tail = "、".join(f"{kind}{n}起" for kind, n in counts.items() if n) or "未发生迟报、漏报、瞒报"
    return (
        f"{period.label}，全市{active}个单位共报送信息{submitted}条，被市委办公室刊物采用{adopted}条，"
        f"被上级采用{upper}次，获领导批示{instructions}次；{tail}。"
    )


def _ranking(rows: list[UnitStats]) -> str:
    """The ranking as a short table (the full statistics: `bulletin stats`)."""
    out = ["| 名次 | 单位 | 报送 | 采用 | 采用率 | 得分 |", "|---|---|---|---|---|---|"]
    out += [f"| {r.rank} | {r.name} | {r.submitted} | {r.adopted} | {r.rate:.0%} | {r.score} |" for r in rows]
    return "\n".join(out)


def _cases_text(config: Config, cases: list[Case]) -> str:
    if not cases:
        return "本期未发生迟报、漏报、瞒报。"
    lines = []
    names = {u.id: u.name for u in config.units}
    for case in sorted(cases, key=lambda c: (c.unit, c.date, c.kind)):
        detail = f"，{case.detail}" if case.detail else ""
        when = {"迟报": "{}收到", "漏报": "应于{}前报送，未报"}.get(case.kind, "{}发生").format(format_time(case.date))
        lines.append(f"{names.get(case.unit, case.unit)}：{case.kind}，{case.what}（{when}）{detail}。")
    return "\n\n".join(lines) + "\n\n请以上单位认真查找原因，落实整改，于5个工作日内将整改情况书面报市委办公室信息处。"


def build_notice(
    config: Config,
    ledger: Ledger,
    rows: list[UnitStats],
    cases: list[Case],
    period: Period,
    day: dt.date,
    health: list[str] | None = None,
) -> Issue:
    pub = next((p for p in config.publications if p.kind == "通报"), None)
    if pub is None:
        raise UsageError("配置中没有通报类刊物：请在bulletin.yml的publications中加一项“kind: 通报”")
    issues, _ = load_issues(config)
    same = [i for i in issues if i.publication == pub.id]
    numbers = [i.number for i in same if i.year == day.year and not i.supplement]
    totals = [i.total_number for i in same if i.total_number]
    in_period = [c for c in cases if c.date.astimezone(config.timezone).date() in period]
    ranked = [r for r in rows if r.submitted or r.score]
    commended = [r for r in ranked if r.score > 0][:COMMENDED]
    items = [
        ("一、总体情况", _overview(period, rows, in_period)),
        ("二、各单位信息报送和采用情况", _ranking(ranked)),
        (
            "三、通报表扬",
            ("对" + "、".join(r.name for r in commended) + "予以通报表扬。希望受表扬的单位再接再厉，其他单位学习借鉴。")
            if commended
            else "本期没有得分为正的单位。",
        ),
        ("四、迟报、漏报、瞒报情况", _cases_text(config, in_period)),
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
    level = max(("内部", pub.max_classification), key=level_rank) if pub.max_classification == "公开" else "内部"
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
        note=f"现将{period.label}全市党委系统信息报送和采用情况通报如下。",
        items=[IssueItem(title, text, (), 0) for title, text in items],
    )


def write_notice(config: Config, notice: Issue) -> str:
    path = write_draft(config, notice)
    return path.relative_to(config.root).as_posix()
