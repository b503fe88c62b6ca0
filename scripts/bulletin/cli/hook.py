"""`bulletin hook`: 服务器端钩子：登记接报时间、保护主分支（管理员使用）."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    Parser,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "hook",
        help="服务器端钩子：登记接报时间、保护主分支（管理员使用）",
        description="在自建git服务器的裸仓库中安装和运行钩子：\n"
        "pre-receive拒绝强制推送和删除主分支main，拒绝客户端推送接报记录；\n"
        "post-receive为推送新增的每条信息登记接报时间（服务器时钟）和推送账号。",
    )
    hook_sub = p.add_subparsers(dest="hook_command", metavar="操作", parser_class=Parser)
    hook_sub.required = True
    q = hook_sub.add_parser(
        "install",
        help="把钩子装入裸仓库",
        description="把pre-receive和post-receive写入裸仓库的hooks/（Gitea、Forgejo的仓库写入\n"
        "hooks/pre-receive.d/bulletin等，与平台自己的钩子并存）。钩子调用运行本命令的Python。",
    )
    q.add_argument("bare", metavar="裸仓库", type=Path, help="服务器上的裸仓库目录，如/srv/git/bulletin.desk.git")
    q.add_argument("--force", action="store_true", help="已有内容不同的钩子时替换它")
    hook_sub.add_parser("pre-receive", help="（由git调用）检查推送", description="由git在接收推送前调用。")
    hook_sub.add_parser("post-receive", help="（由git调用）登记接报时间", description="由git在接收推送后调用。")


def run(args: argparse.Namespace) -> int:
    from bulletin.access import hook

    if args.hook_command == "install":
        print(hook.install_report(hook.install(args.bare, force=args.force)))
        return EXIT_OK
    if args.hook_command == "pre-receive":
        return hook.pre_receive(sys.stdin, sys.stderr)
    return hook.post_receive(sys.stdin, sys.stdout)
