"""`bulletin fix`: 自动改正标点、数字、编码和键名."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from bulletin.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    desk_config,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "fix",
        help="自动改正标点、数字、空格、繁体字、编码和键名",
        description="自动改正：半角标点和引号改全角、全角数字字母改半角、删去多余空格和段首空格、繁体字改简体、"
        "段内断行接成一行、GBK转UTF-8、英文键名改中文键名。\n"
        "只改这些，文字内容不变；先写临时文件再替换，失败时原文件不动。",
    )
    p.add_argument("paths", nargs="+", metavar="文件", type=Path, help="要改正的信息文件")
    p.add_argument("--dry-run", action="store_true", help="只显示会做的修改，不写文件")


def run(args: argparse.Namespace) -> int:
    from bulletin.editorial.check import shown_path
    from bulletin.editorial.fix import FixRefused, fix_file

    config = desk_config(args)
    status = EXIT_OK
    for path in args.paths:
        shown = shown_path(config, path)
        if not os.path.lexists(path):  # a FIFO, a device or a link: fix_file says what it is
            print(f"{shown}：找不到文件", file=sys.stderr)
            status = EXIT_USAGE
            continue
        try:
            result = fix_file(path, shown, write=not args.dry_run, keep=config.traditional_exceptions)
        except FixRefused as exc:
            print(str(exc), file=sys.stderr)
            status = max(status, EXIT_FINDINGS)
            continue
        if not result.changes:
            print(f"{shown}：无需修改")
            continue
        verb = "将修改" if args.dry_run else "已修改"
        print(f"{shown}：{verb}——" + "；".join(result.changes))
        if result.diff:
            print(result.diff, end="" if result.diff.endswith("\n") else "\n")
    return status
