"""`bulletin codeowners`: 按名册生成.github/CODEOWNERS（管理员使用）."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bulletin.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    desk_config,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "codeowners",
        help="按名册生成.github/CODEOWNERS（管理员使用）",
        description="按信息网络名册（network.yml）生成.github/CODEOWNERS：信息、刊物、事件、约稿、登记和站点页面\n"
        "由编辑审核，其他一切（含名册和接报记录）由管理员审核。名册中的编辑、管理员调整后运行，与名册一并提交。\n"
        "退出码：0已生成或已是最新，1（--check）文件缺失或与名册不一致，2用法或配置有误。",
    )
    p.add_argument("--check", action="store_true", help="只检查文件是否存在且与名册一致，不写文件（CI用）")


def run(args: argparse.Namespace) -> int:
    from bulletin.access import codeowners

    config = desk_config(args)
    if args.check:
        problem = codeowners.problem(config)
        if problem:
            print(problem, file=sys.stderr)
            return EXIT_FINDINGS
        print(f"{codeowners.CODEOWNERS}与信息网络名册一致")
        return EXIT_OK
    if codeowners.write(config):
        print(
            f"已生成{codeowners.CODEOWNERS}（编辑{len(config.editors)}人，管理员{len(config.admins)}人）："
            "请与名册的改动一并提交"
        )
    else:
        print(f"{codeowners.CODEOWNERS}未改动（已与名册一致）")
    return EXIT_OK
