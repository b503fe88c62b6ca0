"""`bulletin sync`: 从上级报送台同步上报信息的接报、采用和批示（编辑使用）."""

from __future__ import annotations

import argparse
from typing import Any

from bulletin.cli.options import EXIT_OK, desk_config


def add(sub: Any) -> None:
    p = sub.add_parser(
        "sync",
        help="从上级报送台同步上报信息的接报、采用和批示（编辑使用）",
        description=(
            "读取上级报送台（只读取，不改动上级），把本台上报的信息在上级被编入刊物（上级采用）、"
            "在上级登记的批示和上级采用，登记为本台records/下的记录，记在原报单位的信息上。"
            "只读取上次同步以来的变化；已登记的不重复登记，重复运行不改动任何文件。"
        ),
    )
    p.add_argument("--full", action="store_true", help="从头读取上级报送台的全部记录（已登记的仍不重复登记）")


def run(args: argparse.Namespace) -> int:
    from bulletin.core.timing import format_duration, format_time
    from bulletin.network.sync import sync
    from bulletin.network.upstream import require_upstream

    config = desk_config(args)
    upstream = require_upstream(config)
    done = sync(config, upstream, full=args.full)
    for rel, receipt in done.received.items():
        print(f"{upstream.name}已接报{rel}：{format_time(receipt.received_at, config.timezone)}")
    for waiting in done.unmerged:
        mine = "、".join(waiting.items) or "（本台信息编号不详）"
        what = "待审（合并请求审核中）" if waiting.state == "待审" else "未采用（合并请求已关闭，未合并）"
        print(f"{upstream.name}的{waiting.path}（本台{mine}）：{what}")
    for path in done.written:
        print(f"已登记{path.relative_to(config.root).as_posix()}")
    for case in done.late:
        delay = format_duration(case.delay) if case.delay else ""
        print(
            f"本台迟报：{case.submission}（{case.title}）{case.limit}，应于{format_time(case.due, config.timezone)}前上报，"
            f"{upstream.name}于{format_time(case.reported_at or case.due, config.timezone)}接报，迟了{delay}"
        )
    if not done.written:
        print(f"已与{upstream.name}同步，没有新的采用和批示")
    return EXIT_OK
