"""`bulletin copies`: 秘密、机密刊物的份号——编号、登记，逐份生成PDF（编辑使用）."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bulletin.cli.options import EXIT_OK, desk_config, time_option


def add(sub: Any) -> None:
    p = sub.add_parser(
        "copies",
        help="秘密、机密刊物的份号：编号、登记、逐份生成PDF（编辑使用）",
        description="秘密、机密刊物每份编一个6位份号（GB/T 9704-2012 7.2.1），印在版头左上角第一行、密级之上；\n"
        "哪一份给了谁、何时、经办人是谁，登记在records/copies/<年份>/<刊物>-<期号>.md中，随合并请求提交。\n"
        "不写期号：列出各期秘密、机密刊物的登记情况。写期号：列出本期的登记。\n"
        "编号对象：本期报、送、发的每个收件单位（bulletin.yml中刊物的copies_per_recipient可给某单位多份），\n"
        "以及站点上能看到本期的每个读者范围和信息处的全部内容站点。\n"
        "示例：\n  bulletin copies neican/2026/001 --register      为尚未编号的收件单位编份号并登记\n"
        "  bulletin copies neican/2026/001 --pdf           为每一份纸质件生成一个PDF（build/copies/下）",
    )
    p.add_argument(
        "issue", nargs="?", metavar="期", help="刊物/年份/期号，如neican/2026/001（增刊如neican/2026/zk001）"
    )
    p.add_argument(
        "--register",
        action="store_true",
        help="为尚未编号的收件单位和站点编份号并写入登记（已登记的份号不变，新增的收件单位取下一个号）",
    )
    p.add_argument("--by", metavar="姓名", help="经办人（默认本期的责任编辑）")
    p.add_argument("--time", metavar="时间", help="登记时间，如2026-11-20 10:05（默认现在）")
    p.add_argument(
        "--pdf",
        nargs="?",
        const="build/copies",
        metavar="目录",
        type=Path,
        help="为每一份已登记的纸质件生成PDF，如001-份号000001.pdf（默认放在build/copies/下）",
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="text（默认）或json")


def run(args: argparse.Namespace) -> int:
    from bulletin.editorial import copies
    from bulletin.errors import UsageError

    config = desk_config(args)
    if args.issue is None:
        if args.register or args.pdf is not None:
            raise UsageError("--register和--pdf须写明哪一期，如“bulletin copies neican/2026/001 --register”")
        every = copies.classified_issues(config)
        if args.format == "json":
            print(json.dumps([s.as_dict() for s in every], ensure_ascii=False, indent=1))
            return EXIT_OK
        if not every:
            print("没有秘密、机密刊物，不需要份号。")
        for s in every:
            state = f"已登记{len(s.register.copies)}份" if s.register.copies else "尚未登记"
            waiting = f"，待编号{len(s.pending)}份" if s.pending else ""
            print(f"{s.issue.id}（{s.level}，{s.issue.date.isoformat()}）：{state}{waiting}，印数{s.printed}份")
        return EXIT_OK
    issue = copies.find_issue(config, args.issue)
    added: list[copies.Copy] = []
    if args.register:
        by = (args.by or issue.editor).strip()
        if not by:
            raise UsageError("请用--by写明经办人")
        _, added = copies.register_copies(config, issue, by, time_option(args.time, config.timezone, "--time"))
    built: list[Path] = []
    if args.pdf is not None:
        from bulletin.publish.build import build_copies

        out_dir = args.pdf if args.pdf.is_absolute() else config.root / args.pdf
        built = build_copies(config.root, issue, out_dir)
    s = copies.status(config, issue)
    if args.format == "json":
        record = s.as_dict() | {"added": [c.label for c in added], "pdfs": [str(p) for p in built]}
        print(json.dumps(record, ensure_ascii=False, indent=1))
        return EXIT_OK
    if not copies.numbered(s.level):
        print(f"{issue.id}的密级为{s.level}，不编份号（只有秘密、机密刊物编份号）。")
        return EXIT_OK
    if args.register:
        print(f"已登记{len(added)}份，写入{s.register.path}" if added else f"没有新的收件单位，{s.register.path}未改动")
    print(f"{issue.id}（{s.level}）份号登记：{s.register.path}" + ("" if s.register.copies else "（尚未登记）"))
    for c in s.register.copies:
        where = f"{c.recipient.kind}，读者范围{c.recipient.audience}" if c.recipient.audience else c.recipient.kind
        print(f"  {c.label}　{c.recipient.name}（{where}）　{c.at.strftime('%Y-%m-%d %H:%M')}　经办人{c.by}")
    paper = sum(c.recipient.kind in copies.PAPER for c in s.register.copies)
    print(f"共{len(s.register.copies)}份（纸质{paper}份，站点{len(s.register.copies) - paper}份），印数{s.printed}份。")
    if s.pending:
        names = "；".join(f"{r.name}（{r.kind}）" for r in s.pending)
        print(f"尚未编号{len(s.pending)}份：{names}。运行“bulletin copies {issue.id} --register”登记。")
    for path in built:
        print(f"已生成{path}")
    return EXIT_OK
