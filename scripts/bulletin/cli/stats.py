"""`bulletin stats`: 各单位信息报送、采用、批示、迟报漏报和得分排名."""

from __future__ import annotations

import argparse
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    desk_config,
    period_now,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "stats",
        help="各单位信息报送、采用、批示、迟报漏报和得分排名",
        description="按考核办法（bulletin.yml的scoring）统计一个时段内各单位的报送、采用、上级采用、批示、迟报、漏报、瞒报和得分排名。",
    )
    p.add_argument("--period", metavar="时段", required=True, help="2026-11（月）、2026-Q4（季度）或2026（年）")
    p.add_argument("--format", choices=["text", "json", "md"], default="text", help="text（默认）、json或md")
    p.add_argument(
        "--now", metavar="时间", help="按哪个时刻统计，如2026-11-30 18:00（默认时段结束时，时段未结束则为现在）"
    )


def run(args: argparse.Namespace) -> int:
    from bulletin.desk.snapshot import read_desk
    from bulletin.duty import scoring
    from bulletin.duty.ledger import derive

    config = desk_config(args)
    period = scoring.parse_period(args.period)
    snap = read_desk(config, period_now(args, config, period))
    rows = scoring.stats(config, derive(snap), snap.cases, period, scoring.load_table(config.root))
    printer = {"text": scoring.stats_text, "json": scoring.stats_json, "md": scoring.stats_markdown}[args.format]
    print(printer(period, rows))
    return EXIT_OK
