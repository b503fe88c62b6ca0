"""`bulletin overdue`: 紧急信息逾期检查：漏报、续报逾期（定时工作流运行）."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bulletin.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    desk_config,
    time_option,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "overdue",
        help="紧急信息逾期检查：漏报、续报逾期（定时工作流运行）",
        description="列出此刻逾期未报的紧急信息：登记的突发事件过了报送时限仍未收到责任单位的报告（漏报），\n"
        "处置中的事件超过续报间隔没有续报（续报逾期）；另列时限内尚未报送的事件。\n"
        "收到时间以接报记录为准，没有接报记录的以合入主分支的时间代替（须核实）。\n"
        "退出码：0没有逾期，1有逾期未报，2用法或配置有误。",
    )
    p.add_argument("--now", metavar="时间", help="按哪个时刻检查，如2026-11-28 18:00（默认现在）")
    p.add_argument(
        "--format", choices=["text", "json", "md"], default="text", help="text（默认）、json或md（跟踪议题用）"
    )
    p.add_argument("--all", action="store_true", help="另列已记录在案的迟报、漏报、瞒报、误报和约稿报送情况")
    p.add_argument("--base", metavar="分支", help="没有接报记录时以哪个分支的合入时间代替（默认main）")


def run(args: argparse.Namespace) -> int:
    from bulletin.desk.snapshot import read_desk
    from bulletin.report import discipline as overdue

    config = desk_config(args)
    moment = time_option(args.now, config.timezone, "--now")
    snap = read_desk(config, moment, args.base)
    for problem in snap.findings:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        print(f"{where}: {problem.severity.label} {problem.message}（此条登记未参与检查）", file=sys.stderr)
    found = snap.cases if args.all else [c for c in snap.cases if c.call is None]
    print(
        overdue.RENDERERS[args.format](
            config,
            moment,
            found,
            snap.awaiting,
            args.all,
            snap.call_answers if args.all else [],
            overdue.pending_reports(snap),
        )
    )
    return EXIT_FINDINGS if overdue.open_cases(snap.cases) else EXIT_OK
