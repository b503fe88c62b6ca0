"""`bulletin verify`: 核查整个仓库的完整性：已采用的信息、已发布的刊物、接报记录、站点上的PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bulletin.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    desk_config,
)
from bulletin.errors import UsageError
from bulletin.report import findings as report


def add(sub: Any) -> None:
    p = sub.add_parser(
        "verify",
        help="核查整个仓库的完整性：已采用的信息、已发布的刊物、接报记录、站点上的PDF",
        description="核查主分支的历史和发布的站点：已采用的信息合入后没有被改动或删除，已发布的刊物只以更正（修订加一）改动，\n"
        "接报记录只追加，每条信息都有接报记录；给出“--site”时还核查站点上的每份PDF与发布记录和刊物当前内容一致，\n"
        "且没有超出该站点读者范围的PDF。退出码：0无问题，1有问题，2用法或配置有误。",
    )
    p.add_argument("--base", metavar="分支", help="核查哪个分支（默认main，其次origin/main）")
    p.add_argument("--site", metavar="目录", type=Path, help="同时核查这个已发布的站点（“bulletin build”的输出）")
    p.add_argument(
        "--record",
        metavar="目录",
        type=Path,
        help="发布时另存的发布记录（发布工作流的制品publication-record）：站点上的记录须与它相同，并以它为准核查",
    )
    p.add_argument("--format", choices=sorted(report.PRINTERS), default="text", help="输出格式：text、json或github")


def run(args: argparse.Namespace) -> int:
    from bulletin.editorial.verify import verify

    config = desk_config(args)
    if args.site is not None and not args.site.is_dir():
        raise UsageError(f"找不到站点目录{args.site}：请先用“bulletin build”构建，或指向网站服务器上的站点目录")
    if args.record is not None and (args.site is None or not args.record.is_dir()):
        raise UsageError("“--record”须与“--site”一起用，并指向另存的发布记录目录（解压后的制品publication-record）")
    findings, checked = verify(config, args.base, args.site, args.record)
    print(report.PRINTERS[args.format](findings, checked))
    return EXIT_FINDINGS if findings else EXIT_OK
