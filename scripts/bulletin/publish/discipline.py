"""The site's 报送纪律 page: every case on the record, calls for information, the network's gaps.

The speech demands that every 迟报、漏报、瞒报 be notified; readers of the internal site see the
record as of the build, in the same sentences `bulletin overdue` and the notices use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from bulletin import health, overdue
from bulletin.events import load_records
from bulletin.model import Config
from bulletin.timing import format_time


def discipline_page(config: Config, now: dt.datetime, visible: Callable[[str | None], bool] = lambda _: True) -> str:
    """`visible` says whether a case's submission id may appear (a site for one audience leaves
    out cases about items above its clearance, whose titles the sentences would carry)."""
    records = load_records(config)
    subs = overdue.load_submitted(config)
    receipts = overdue.receipt_times(config, subs)
    found = [c for c in overdue.cases(config, records.events, subs, receipts, now) if visible(c.submission)]
    calls = [c for c in overdue.call_cases(config, records.calls, subs, receipts, now) if visible(c.submission)]
    gaps = health.network_health(config, subs, receipts, now)
    out = [
        "# 报送纪律",
        "",
        f"截至{format_time(now, config.timezone)}（本站构建时）。迟报、漏报、瞒报、误报，每起均通报责任单位。",
        "",
        "## 仍未报送的紧急信息",
        "",
    ]
    still = overdue.open_cases(found)
    out += [f"- {overdue.describe(config, c)}" for c in still] or ["没有逾期未报的紧急信息。"]
    out += ["", "## 迟报、漏报、瞒报、误报和续报逾期记录", ""]
    closed = [c for c in found if c not in still]
    out += [f"- {overdue.describe(config, c)}" for c in closed] or ["没有记录。"]
    out += ["", "## 约稿完成情况", ""]
    out += [f"- {overdue.describe_call(config, c)}" for c in calls] or ["没有约稿。"]
    out += ["", "## 信息网络管理", ""]
    out += [f"- {p.detail}" for p in gaps] or ["信息网络没有发现问题。"]
    return "\n".join(out) + "\n"
