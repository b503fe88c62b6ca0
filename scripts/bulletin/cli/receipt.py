"""`bulletin receipt`: 接报记录：登记、列出."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    Parser,
    desk_config,
    time_option,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "receipt",
        help="接报记录：登记、列出",
        description="接报记录（信息处收到信息的时间）保存在仓库的git注释refs/notes/bulletin-receipts中，\n"
        "由服务器端钩子或合并请求工作流登记；每个文件以最早的一条为准，提交记录的时间不作数。",
    )
    receipt_sub = p.add_subparsers(dest="receipt_command", metavar="操作", parser_class=Parser)
    receipt_sub.required = True
    q = receipt_sub.add_parser(
        "add",
        help="登记接报时间（工作流或管理员使用）",
        description="为尚无接报记录的信息登记接报时间，挂在给定的提交上；已有记录的不再登记。\n"
        "写入本地仓库，之后须“git push origin refs/notes/bulletin-receipts”。",
    )
    q.add_argument("paths", nargs="+", metavar="文件", help="信息在仓库中的路径，如submissions/xiushui/2026/1128-01.md")
    q.add_argument("--commit", metavar="提交", required=True, help="接报记录挂在哪个提交上（合并请求的最新提交）")
    q.add_argument("--received-at", metavar="时间", required=True, help="收到时间，如2026-11-28T09:05:00+08:00")
    q.add_argument("--account", metavar="账号", default="", help="报送账号（合并请求的发起人）")
    q.add_argument(
        "--source",
        choices=["forge", "hook"],
        default="forge",
        help="由谁登记：forge合并请求工作流（默认），hook服务器钩子",
    )
    q = receipt_sub.add_parser("list", help="列出接报记录", description="列出每个文件的接报记录（最早的一条）。")
    q.add_argument("--format", choices=["text", "json"], default="text", help="text（默认）或json")


def run(args: argparse.Namespace) -> int:
    from bulletin.core.timing import BEIJING
    from bulletin.desk import receipts
    from bulletin.desk.config import find_root
    from bulletin.desk.git import NotARepository, Repository
    from bulletin.errors import UsageError
    from bulletin.report import receipts as report

    start = args.desk or Path.cwd()
    try:
        repo = Repository.at(start, search_parents=True)
    except NotARepository as exc:
        raise UsageError(f"{start}不在git仓库中：接报记录保存在仓库的{receipts.NOTES_REF}中，请在仓库里运行") from exc
    if args.receipt_command == "list":
        found = receipts.receipts_in(repo)
        print(report.as_json(found) if args.format == "json" else report.as_text(found))
        return EXIT_OK
    tz = desk_config(args).timezone if args.desk or find_root(start) else BEIJING
    when = time_option(args.received_at, tz, "--received-at")
    print(report.added(*receipts.add(repo, args.commit, when, args.account, args.source, args.paths)))
    return EXIT_OK
