"""`bulletin notice`: 起草信息工作通报（排名、表扬、迟报漏报瞒报）."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    desk_config,
    period_now,
)
from bulletin.errors import UsageError


def add(sub: Any) -> None:
    p = sub.add_parser(
        "notice",
        help="起草信息工作通报（排名、表扬、迟报漏报瞒报）",
        description="起草一个时段的信息采用情况通报，写成通报类刊物的新一期（站点页面和PDF随之生成）：\n"
        "排名、表扬、每起迟报漏报瞒报按单位列出，以及信息网络管理情况。",
    )
    p.add_argument("--period", metavar="时段", required=True, help="2026-11（月）、2026-Q4（季度）或2026（年）")
    p.add_argument("--date", metavar="日期", help="通报日期（默认今天）")
    p.add_argument(
        "--now", metavar="时间", help="按哪个时刻统计，如2026-11-30 18:00（默认时段结束时，时段未结束则为现在）"
    )
    p.add_argument("--revision", action="store_true", help="这一时段已有通报时，起草新的一期作为修订稿代替它")


def run(args: argparse.Namespace) -> int:
    from bulletin.core.timing import now
    from bulletin.desk.snapshot import read_desk
    from bulletin.duty import scoring
    from bulletin.duty.ledger import derive
    from bulletin.editorial import notice

    config = desk_config(args)
    period = scoring.parse_period(args.period)
    try:
        day = dt.date.fromisoformat(args.date) if args.date else now().date()
    except ValueError as exc:
        raise UsageError(f"--date“{args.date}”应写成2026-11-28") from exc
    snap = read_desk(config, period_now(args, config, period))
    rows = scoring.stats(config, derive(snap), snap.cases, period, scoring.load_table(config.root))
    health = scoring.health_lines(config, snap, day)
    draft = notice.build_notice(config, snap, rows, period, day, health, revision=args.revision)
    rel = notice.write_notice(config, draft)
    print(f"已起草{rel}：请核对后填写签发人，按刊物流程提交；合并后站点和PDF自动生成")
    return EXIT_OK
