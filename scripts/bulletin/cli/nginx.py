"""`bulletin nginx`: 生成按读者范围分别设访问控制的nginx配置（管理员使用）."""

from __future__ import annotations

import argparse
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    desk_config,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "nginx",
        help="生成按读者范围分别设访问控制的nginx配置（管理员使用）",
        description="按bulletin.yml的读者范围生成nginx的server配置：每个范围的站点（site/<id>/）各用一个口令文件，\n"
        "其余路径一概拒绝，并禁止浏览器从外部加载任何资源。配置写到标准输出，由管理员审阅后放入nginx的配置目录。",
    )
    p.add_argument(
        "--root", default="/srv/bulletin/site", metavar="目录", help="站点所在目录（默认/srv/bulletin/site）"
    )
    p.add_argument(
        "--auth-dir", default="/etc/nginx/bulletin", metavar="目录", help="口令文件所在目录（默认/etc/nginx/bulletin）"
    )
    p.add_argument("--listen", default="443 ssl", metavar="端口", help="监听的端口（默认“443 ssl”）")
    p.add_argument(
        "--server-name", default="bulletin.internal", metavar="域名", help="服务器名（默认bulletin.internal）"
    )


def run(args: argparse.Namespace) -> int:
    from bulletin.publish.serve import nginx_config

    print(nginx_config(desk_config(args), args.root, args.auth_dir, args.listen, args.server_name), end="")
    return EXIT_OK
