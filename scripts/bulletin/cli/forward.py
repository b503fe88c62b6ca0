"""`bulletin forward`: 把一条信息上报到上级报送台（编辑使用）."""

from __future__ import annotations

import argparse
from typing import Any

from bulletin.cli.options import EXIT_OK, desk_config


def add(sub: Any) -> None:
    p = sub.add_parser(
        "forward",
        help="把一条信息上报到上级报送台（编辑使用）",
        description=(
            "把本台的一条信息作为本台在上级报送台的新信息上报：写在上级报送台中本台的文件夹里，"
            "推送到一个新分支（上级用服务器钩子时即登记接报），上级用GitHub、Gitea或Forgejo时再发起合并请求。"
            "头部信息写明原报单位、各级的信息编号和接报时间、本级签发人。"
            "密级高于bulletin.yml中upstream.max_classification的信息不上报，绝密信息一律不上报。"
        ),
    )
    p.add_argument("item", metavar="信息编号", nargs="?", help="如xiushui-yining/2026/1201-01")
    p.add_argument(
        "--issue", metavar="刊物", help="上报刊物中编辑过的一条（综合信息记在各来源单位名下），如huiyao/2026/004"
    )
    p.add_argument("--entry", metavar="第几条", type=int, help="与--issue同用：刊物中的第几条，从1数起")
    p.add_argument(
        "--approver", metavar="签发人", default="", help="本级签发人，默认为bulletin.yml中的upstream.approver"
    )


def run(args: argparse.Namespace) -> int:
    from bulletin.core.timing import format_duration, format_time, now
    from bulletin.errors import UsageError
    from bulletin.network.forward import forward
    from bulletin.network.upstream import require_upstream

    if (args.issue is None) != (args.entry is None) or (args.issue is not None and args.item):
        raise UsageError("请只给出信息编号，或同时给出“--issue 刊物/年份/期号”和“--entry 第几条”")
    config = desk_config(args)
    upstream = require_upstream(config)
    entry = (args.issue, args.entry) if args.issue is not None else None
    done = forward(config, upstream, args.item, now(), args.approver, issue=entry)
    print(f"已上报{done.item}到{upstream.name}：{done.path}（分支{done.branch}）")
    if done.pull_request is not None:
        print(f"已发起合并请求第{done.pull_request.number}号：{done.pull_request.url}")
    if done.late is not None and done.late.delay is not None:
        print(
            f"本台迟报：{done.late.limit}，应于{format_time(done.late.due, config.timezone)}前上报，"
            f"迟了{format_duration(done.late.delay)}"
        )
    return EXIT_OK
