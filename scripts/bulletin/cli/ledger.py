"""`bulletin ledger`: 信息台账：每条信息的接报、迟报、采用、上级采用和批示."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    desk_config,
    time_option,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "ledger",
        help="信息台账：每条信息的接报、迟报、采用、上级采用和批示",
        description="从提交历史、接报记录、刊物和登记的批示、上级采用推出每条信息的经历。同一历史总得出同样的台账。",
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="text（默认）或json")
    p.add_argument("--ref", metavar="分支", help="读哪个分支上的信息、以它的历史为准（默认工作区和当前分支）")
    p.add_argument("--now", metavar="时间", help="按哪个时刻判断迟报、漏报，如2026-11-30 18:00（默认现在）")


def run(args: argparse.Namespace) -> int:
    from bulletin.core.timing import format_duration, format_time
    from bulletin.duty.ledger import build_ledger

    config = desk_config(args)
    ledger = build_ledger(config, args.ref, time_option(args.now, config.timezone, "--now"))
    if args.format == "json":
        ledger.write_json(sys.stdout)
        print()
        return EXIT_OK
    for life in ledger.lives:
        received = format_time(life.received_at, config.timezone) if life.received_at else "无接报记录"
        if life.received_by == "git":
            received += "（入库时间，无接报记录）"
        late = ""
        if life.late_minutes:
            kind = next((k for k in life.cases if k in ("迟报", "续报逾期", "约稿逾期")), "迟报")
            late = f"，{kind}{format_duration(dt.timedelta(minutes=life.late_minutes))}"
        late += f"，退改{life.sent_back}次" if life.sent_back else ""
        adopted = "、".join(a.issue + ("（综合）" if a.composite else "") for a in life.adoptions) or life.state
        extra = "".join(f"，{r.level}级采用" for r in life.upper) + "".join(
            f"，{r.by}（{r.level}）批示" for r in life.instructions
        )
        chain = ""
        if life.hops or life.relayed_at:  # forwarded by a desk below: each level's receipt time
            below = f"下级接报{format_time(life.relayed_at, config.timezone)}" if life.relayed_at else ""
            chain = "；转报：" + "；".join(x for x in (*life.hops, below) if x)
        print(f"{life.id}《{life.title}》：收到{received}{late}；采用：{adopted}{extra}{chain}")
    return EXIT_OK
