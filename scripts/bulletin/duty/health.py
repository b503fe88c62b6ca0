"""The health of the information network (信息网络): gaps the office must close (pure functions).

`network_health(config, submissions, receipts, now)` finds:

- 未落实信息员: a unit of the registry with no informant registered;
- 长期未报送: a unit with no submission for more than `network_health.silent_days` days as of
  `now` (per unit type: `network_health.silent_days_by_type`), or none since the records began
  more than that long ago;
- 未登记账号: a forge account that pushed submissions (the receipts' `account`) but is no
  informant's account in the registry (editors' accounts are known: the office may file an item
  taken by telephone);
- 跨单位推送: an informant's account that pushed a submission into another unit's folder.

Each problem is a `HealthProblem` with a Chinese `detail`; the site and the notices show them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bulletin.core.model import Config
from bulletin.desk.receipts import Receipt
from bulletin.duty.engine import Submitted

NO_INFORMANT = "未落实信息员"
SILENT = "长期未报送"
UNKNOWN_ACCOUNT = "未登记账号"
FOREIGN_ACCOUNT = "跨单位推送"
KINDS = (NO_INFORMANT, SILENT, UNKNOWN_ACCOUNT, FOREIGN_ACCOUNT)


@dataclass(frozen=True)
class HealthProblem:
    kind: str  # one of KINDS
    unit: str | None  # the unit concerned (for an unknown account: the folder it pushed into, if one)
    account: str | None  # the account concerned (未登记账号, 跨单位推送)
    detail: str  # one Chinese sentence for people
    last_date: dt.date | None = None  # 长期未报送: the day of the unit's latest submission (None: never)
    days: int | None = None  # 长期未报送: days since then
    paths: tuple[str, ...] = ()  # the submissions pushed by the account


def submission_date(sub: Submitted, receipts: Mapping[str, Receipt], config: Config) -> dt.date | None:
    """The day a submission came in: its stamped receipt, else the date of its file name (MMDD-NN under
    the year folder), else the day it reached the main branch (a `git` fallback receipt)."""
    receipt = receipts.get(sub.path)
    if receipt is not None and receipt.source != "git":
        return receipt.received_at.astimezone(config.timezone).date()
    _, year, stem = sub.id.split("/", 2)
    try:
        return dt.date(int(year), int(stem[:2]), int(stem[2:4]))
    except ValueError:
        return receipt.received_at.astimezone(config.timezone).date() if receipt else None


def network_health(
    config: Config,
    submissions: Iterable[Submitted],
    receipts: Mapping[str, Receipt],
    now: dt.datetime,
    since: dt.date | None = None,
) -> list[HealthProblem]:
    """Every gap in the network as of `now`, grouped by kind, then in registry order.

    `since` is when the desk's records begin (default: the day of its earliest submission): a unit
    that never reported counts as silent only once the records are longer than its limit.
    """
    subs = list(submissions)
    today = now.astimezone(config.timezone).date()
    out: list[HealthProblem] = []
    for unit in config.units:
        if not unit.informants:
            out.append(
                HealthProblem(
                    NO_INFORMANT,
                    unit.id,
                    None,
                    f"{unit.name}尚未落实信息员：请督促单位确定信息员，并登记到信息网络名册",
                )
            )
    latest: dict[str, dt.date] = {}
    for sub in subs:
        day = submission_date(sub, receipts, config)
        if day is not None and day <= today and (sub.unit not in latest or day > latest[sub.unit]):
            latest[sub.unit] = day
    if since is None and latest:
        since = min(latest.values())
    for unit in config.units:
        limit = config.network_health.silent_days_for(unit.type)
        last = latest.get(unit.id)
        if last is None:
            if since is not None and (today - since).days > limit:
                out.append(
                    HealthProblem(
                        SILENT,
                        unit.id,
                        None,
                        f"{unit.name}自{since.year}年{since.month}月{since.day}日有记录以来没有报送过信息"
                        f"（要求至少每{limit}天报送一次）",
                    )
                )
        elif (today - last).days > limit:
            days = (today - last).days
            out.append(
                HealthProblem(
                    SILENT,
                    unit.id,
                    None,
                    f"{unit.name}已{days}天没有报送信息（最近一次为{last.year}年{last.month}月{last.day}日，"
                    f"要求至少每{limit}天报送一次）",
                    last,
                    days,
                )
            )
    owner = {i.account: u.id for u in config.units for i in u.informants}
    editors = {e.account for e in config.editors}
    pushed: dict[str, list[Submitted]] = {}
    for sub in subs:
        receipt = receipts.get(sub.path)
        if receipt is not None and receipt.account and receipt.account not in editors:
            pushed.setdefault(receipt.account, []).append(sub)
    for account, items in sorted(pushed.items()):
        paths = tuple(sorted(s.path for s in items))
        folders = sorted({s.unit for s in items})
        names = "、".join(_name(config, u) for u in folders)
        if account not in owner:
            out.append(
                HealthProblem(
                    UNKNOWN_ACCOUNT,
                    folders[0] if len(folders) == 1 else None,
                    account,
                    f"账号{account}推送了{len(paths)}条信息（{names}），但不是名册中任何信息员的账号："
                    "请核实身份，是新信息员的请登记到名册",
                    paths=paths,
                )
            )
            continue
        foreign = [s for s in items if s.unit != owner[account]]
        if foreign:
            out.append(
                HealthProblem(
                    FOREIGN_ACCOUNT,
                    owner[account],
                    account,
                    f"{_name(config, owner[account])}的信息员账号{account}推送了其他单位的信息"
                    f"（{'、'.join(_name(config, u) for u in sorted({s.unit for s in foreign}))}）：请核实是否代报",
                    paths=tuple(sorted(s.path for s in foreign)),
                )
            )
    return sorted(out, key=lambda p: KINDS.index(p.kind))  # stable: registry order within a kind


def _name(config: Config, unit_id: str) -> str:
    unit = config.unit(unit_id)
    return unit.name if unit else unit_id


def render_text(config: Config, now: dt.datetime, problems: list[HealthProblem]) -> str:
    """`bulletin health`'s text: the problems grouped by kind."""
    day = now.astimezone(config.timezone).date()
    lines = [f"信息网络健康检查（截至{day.year}年{day.month}月{day.day}日）"]
    if not problems:
        lines.append("信息网络没有发现问题")
    for kind in KINDS:
        group = [p for p in problems if p.kind == kind]
        if group:
            lines.append(f"{kind}{len(group)}个：")
            lines += [f"  {p.detail}" for p in group]
    return "\n".join(lines)


def render_json(config: Config, now: dt.datetime, problems: list[HealthProblem]) -> str:
    import json

    return json.dumps(
        {
            "now": now.isoformat(),
            "problems": [
                {
                    "kind": p.kind,
                    "unit": p.unit,
                    "account": p.account,
                    "detail": p.detail,
                    "last_date": p.last_date.isoformat() if p.last_date else None,
                    "days": p.days,
                    "paths": list(p.paths),
                }
                for p in problems
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


RENDERERS = {"text": render_text, "json": render_json}
