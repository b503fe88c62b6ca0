"""`bulletin health`: 信息网络健康检查：未落实信息员、长期未报送、未登记账号."""

from __future__ import annotations

import argparse
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    desk_config,
    time_option,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "health",
        help="信息网络健康检查：未落实信息员、长期未报送、未登记账号",
        description="检查信息网络：没有登记信息员的单位，超过规定天数没有报送信息的单位，\n"
        "推送了信息却不在名册中的账号，推送其他单位信息的账号。天数在bulletin.yml的network_health中配置。",
    )
    p.add_argument("--now", metavar="时间", help="按哪一天检查，如2026-11-28（默认今天）")
    p.add_argument("--format", choices=["text", "json"], default="text", help="text（默认）或json")


def run(args: argparse.Namespace) -> int:
    from bulletin.desk.snapshot import read_desk
    from bulletin.duty import health

    config = desk_config(args)
    moment = time_option(args.now, config.timezone, "--now")
    snap = read_desk(config, moment)
    problems = health.network_health(config, snap.submissions, snap.receipts, moment)
    print(health.RENDERERS[args.format](config, moment, problems))
    return EXIT_OK
