"""`bulletin remind`: 在代码托管平台上打开、更新、关闭提醒议题（待报、逾期、约稿、退改），@信息员账号."""

from __future__ import annotations

import argparse
import os
from typing import Any

from bulletin.cli.options import EXIT_OK, desk_config, time_option
from bulletin.errors import UsageError


def add(sub: Any) -> None:
    p = sub.add_parser(
        "remind",
        help="在代码托管平台上打开、更新、关闭提醒议题，@各单位信息员（定时工作流运行）",
        description="按报送纪律的判断（与“bulletin overdue”相同）为每件须办的事维护一个议题：登记的突发事件待报、\n"
        "漏报或续报逾期，约稿尚未报送，信息退回修改。议题@责任单位信息员的账号（名册network.yml），\n"
        "代码托管平台的通知（邮件、手机应用）因此送到信息员；事项办结后议题自动关闭。\n"
        "代码托管平台取自bulletin.yml的forge一节，令牌取自环境变量BULLETIN_FORGE_TOKEN。",
    )
    p.add_argument("--now", metavar="时间", help="按哪个时刻判断，如2026-11-28 18:00（默认现在）")
    p.add_argument("--dry-run", action="store_true", help="只列出应有的提醒，不访问代码托管平台")
    p.add_argument("--api", metavar="网址", help="接口地址（默认按forge一节；工作流中为github.api_url）")
    p.add_argument("--repo", metavar="仓库", help="所有者/仓库名（默认按forge一节；工作流中为github.repository）")


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from bulletin.access.forge import Client
    from bulletin.desk.snapshot import read_desk
    from bulletin.editorial.remind import reminders, sync

    config = desk_config(args)
    moment = time_option(args.now, config.timezone, "--now")
    wanted = reminders(read_desk(config, moment))
    if args.dry_run:
        for r in wanted:
            print(f"== {r.title}\n{r.body}\n")
        print(f"共{len(wanted)}项提醒（未访问代码托管平台）")
        return EXIT_OK
    forge = config.forge
    if forge is None:
        raise UsageError("bulletin.yml中没有forge一节：提醒须知道代码托管平台的类型、网址和仓库，写法见管理员指南")
    if args.api:
        forge = replace(forge, api=args.api)
    if args.repo:
        forge = replace(forge, repo=args.repo)
    done = sync(Client(forge, os.environ.get("BULLETIN_FORGE_TOKEN", "")), wanted)
    print("\n".join(done) if done else "提醒议题都已是最新，没有改动")
    return EXIT_OK
