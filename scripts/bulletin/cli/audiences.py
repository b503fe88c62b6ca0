"""`bulletin audiences`: 列出读者范围：各自收到哪些刊物、最高密级."""

from __future__ import annotations

import argparse
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    desk_config,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "audiences",
        help="列出读者范围：各自收到哪些刊物、最高密级",
        description="列出bulletin.yml中配置的读者范围（audiences）。不指定读者范围的构建用权限最低的一个。",
    )
    p.add_argument("--ids", action="store_true", help="只列出各范围的id，每行一个（供发布脚本使用）")


def run(args: argparse.Namespace) -> int:
    config = desk_config(args)
    if args.ids:
        print("\n".join(a.id for a in config.audiences))
        return EXIT_OK
    if not config.audiences:
        print("bulletin.yml中没有配置读者范围（audiences）：构建的站点含全部内容，只能部署在访问受控的内网。")
        return EXIT_OK
    least = config.least_audience()
    for a in config.audiences:
        default = "（默认）" if a is least else ""
        names = "、".join(p.name for p in config.publications if p.id in a.publications)
        print(f"{a.id}　{a.name}{default}　最高密级：{a.max_classification}　刊物：{names}")
    return EXIT_OK
