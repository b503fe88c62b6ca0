"""`bulletin record`: 登记领导批示或上级采用（编辑使用）."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    Parser,
    desk_config,
)
from bulletin.errors import UsageError


def add(sub: Any) -> None:
    p = sub.add_parser(
        "record",
        help="登记领导批示或上级采用（编辑使用）",
        description="登记领导批示或上级采用，写成records/下的一个小文件。",
    )
    record_sub = p.add_subparsers(dest="record_kind", metavar="类型", parser_class=Parser)
    record_sub.required = True
    for name, help_text in (("instruction", "登记领导批示"), ("adoption", "登记上级采用")):
        q = record_sub.add_parser(name, help=help_text, description=help_text + "。")
        q.add_argument("--item", metavar="信息编号", required=True, help="如xiushui/2026/1103-01")
        q.add_argument(
            "--level",
            metavar="级别",
            required=True,
            help="批示：国家/省/市/市委办/县；上级采用：省/国务院办公厅/中央办公厅",
        )
        q.add_argument("--date", metavar="日期", required=True, help="如2026-11-28")
        if name == "instruction":
            q.add_argument("--by", metavar="批示人", required=True, help="批示的领导")
            q.add_argument("--text", metavar="内容", default="", help="批示内容")
            q.add_argument(
                "--classification",
                metavar="密级",
                default="",
                help="批示内容的密级（公开/内部/秘密/机密），高于所批信息时写明；不写则同所批信息",
            )
        else:
            q.add_argument("--publication", metavar="刊物", default="", help="上级采用的刊物，如江西信息")


def run(args: argparse.Namespace) -> int:
    from bulletin.desk.records import ADOPTION, INSTRUCTION, Record, write_record

    config = desk_config(args)
    try:
        day = dt.date.fromisoformat(args.date)
    except ValueError as exc:
        raise UsageError(f"--date“{args.date}”应写成2026-11-28") from exc
    kind = INSTRUCTION if args.record_kind == "instruction" else ADOPTION
    record = Record(
        "",
        kind,
        args.item,
        day,
        args.level,
        getattr(args, "by", ""),
        getattr(args, "publication", ""),
        getattr(args, "text", ""),
        getattr(args, "classification", ""),
    )
    path = write_record(config, record)
    print(f"已登记{path.relative_to(config.root).as_posix()}：{kind}，{args.item}")
    return EXIT_OK
