"""`bulletin build`: 构建站点和各期PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    desk_root,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "build",
        help="构建站点和各期PDF",
        description="构建内网站点和各期PDF（只重排有改动的各期）。先构建到临时目录，成功后再替换原站点：中断或失败时原站点不动。",
    )
    p.add_argument("--site-dir", metavar="目录", type=Path, help="输出目录（默认site/）")
    p.add_argument("--year", metavar="年份", type=int, help="只构建这一年卷（按年份分版本发布时用）")
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--audience",
        metavar="读者范围",
        help="只为这一读者范围构建（bulletin.yml的audiences中的id或名称）；不写则构建权限最低的范围；"
        "写all构建含全部内容的站点（仅供信息处内部使用）",
    )
    who.add_argument(
        "--every-audience",
        action="store_true",
        help="为每个读者范围各构建一个站点，放在site/<读者范围id>/下，由网站服务器分别设访问控制",
    )


def run(args: argparse.Namespace) -> int:
    import logging

    from bulletin.publish.build import build_audiences, build_site

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = desk_root(args)
    if args.every_audience:
        target = build_audiences(root, args.site_dir, args.year)
    else:
        target = build_site(root, args.site_dir, args.year, audience=args.audience)
    print(f"已构建：{target}")
    return EXIT_OK
