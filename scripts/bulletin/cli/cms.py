"""`bulletin cms`: 生成信息报送表单（Decap CMS）的配置，或把表单放进已构建的站点."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bulletin.cli.options import EXIT_OK, desk_config


def add(sub: Any) -> None:
    p = sub.add_parser(
        "cms",
        help="生成信息报送表单（Decap CMS）的配置config.yml",
        description="按bulletin.yml（forge一节）和信息网络名册生成信息报送表单的配置：每个报送单位一个栏目，\n"
        "各项用中文名称和说明，类别、紧急程度、密级、报送对象、主题只能从配置的值中选，保存即发起合并请求。\n"
        "构建站点时表单已自动放进admin/，本命令供管理员审阅配置或单独更新表单。",
    )
    p.add_argument("--site", metavar="目录", type=Path, help="把表单（Decap CMS和配置）写进此站点目录下的admin/")
    p.add_argument(
        "--local",
        metavar="网址",
        help="改用本机的decap-server（git模式）作后端，如http://127.0.0.1:8081/api/v1，供试用和测试",
    )


def run(args: argparse.Namespace) -> int:
    from bulletin.publish.cms import cms_yaml, write_admin

    config = desk_config(args)
    if args.site:
        folder = write_admin(config, args.site, args.local)
        print(f"信息报送表单已写入{folder}")
        return EXIT_OK
    print(cms_yaml(config, None if args.local else config.forge, args.local), end="")
    return EXIT_OK
