"""`bulletin check`: 检查信息（CI在每个合并请求上运行）."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bulletin.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    desk_config,
    desk_root,
    markdown_files,
    time_option,
)
from bulletin.errors import UsageError
from bulletin.report import findings as report


def add(sub: Any) -> None:
    p = sub.add_parser(
        "check",
        help="检查信息（CI在每个合并请求上运行）",
        description="检查信息的格式、标点、篇幅、密级和时限。不给文件时，检查本分支相对主分支新增或修改的信息，\n"
        "并检查本分支没有改动已采用的信息和接报记录、改动名册时重新生成了CODEOWNERS；\n"
        "给出“--author”时，另按主分支上的名册核对这个账号能否做出每一处改动。\n"
        "退出码：0无错误（可有警告），1有错误，2用法或配置有误。",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="文件",
        type=Path,
        help="要检查的信息文件或文件夹（文件夹即其中全部.md文件；可放在任何位置）",
    )
    p.add_argument("--base", metavar="分支", help="与哪个分支比较（默认main，其次origin/main）")
    p.add_argument(
        "--author",
        metavar="账号",
        help="合并请求发起人的账号（CI传入）：按主分支上的名册核对这个账号能否做出本分支的每一处改动；只用于不给文件时",
    )
    p.add_argument(
        "--format",
        choices=sorted(report.PRINTERS),
        default="text",
        help="输出格式：text供人阅读（默认），json供程序读取，github在合并请求的改动上显示",
    )
    p.add_argument(
        "--committed",
        action="store_true",
        help="只看本分支已提交的改动，不比较工作区、不找未加入的新文件（CI的干净检出用；仓库很大时快得多）；"
        "只用于不给文件时",
    )
    p.add_argument(
        "--received-at",
        metavar="时间",
        help="信息处收到的时间（CI传入合并请求的创建时间），决定是否迟报；已有接报记录（服务器登记）的信息以记录为准。默认为当前时间。提交记录的时间不作数",
    )
    p.add_argument(
        "--summary", metavar="文件", type=Path, help="另把中文摘要（Markdown）追加到此文件，如$GITHUB_STEP_SUMMARY"
    )


def run(args: argparse.Namespace) -> int:
    from bulletin.editorial.check import check_changes, check_paths

    if args.paths:
        if args.author is not None:
            raise UsageError("“--author”只用于检查本分支的改动：请去掉给出的文件，或去掉“--author”")
        if args.committed:
            raise UsageError("“--committed”只用于检查本分支的改动：请去掉给出的文件，或去掉“--committed”")
        config = desk_config(args)
        missing = [p for p in args.paths if not p.exists()]
        if missing:
            raise UsageError("找不到文件：" + "、".join(str(p) for p in missing))
        files = [f for p in args.paths for f in (markdown_files(p) if p.is_dir() else [p])]
        result = check_paths(config, files, time_option(args.received_at, config.timezone, "--received-at"))
    else:
        from bulletin.desk import git
        from bulletin.desk.config import CONFIG_NAME, load_config

        root = desk_root(args)
        checkout = git.Checkout.of(root)  # one for the command: git is asked each thing once
        ref, read = git.file_reader(root, args.base, checkout)
        try:
            read(CONFIG_NAME)
        except FileNotFoundError:  # the desk is being set up on this branch: nothing older to trust
            config = load_config(root)
        else:
            config = load_config(root, read, source=f"{ref}:")
        if args.author is not None and not args.author.strip():
            raise UsageError("“--author”的账号为空：CI应传入合并请求发起人的账号")
        received_at = time_option(args.received_at, config.timezone, "--received-at")
        result = check_changes(
            config, ref, received_at, author=args.author, committed=args.committed, checkout=checkout
        )
    print(report.PRINTERS[args.format](result.findings, result.checked))
    if args.summary:
        report.append_summary(args.summary, result.findings, result.checked)
    return EXIT_FINDINGS if result.has_errors else EXIT_OK
