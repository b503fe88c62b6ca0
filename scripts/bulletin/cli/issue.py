"""`bulletin issue`: 编排刊物：起草新一期、检查各期."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from bulletin.cli.options import (
    EXIT_FINDINGS,
    EXIT_OK,
    Parser,
    desk_config,
)
from bulletin.errors import UsageError
from bulletin.report import findings as report


def add(sub: Any) -> None:
    p = sub.add_parser("issue", help="编排刊物：起草新一期、检查各期", description="编排刊物（信息处编辑使用）。")
    issue_sub = p.add_subparsers(dest="issue_command", metavar="操作", parser_class=Parser)
    issue_sub.required = True
    q = issue_sub.add_parser(
        "new",
        help="从已采用的信息起草下一期",
        description="起草刊物的下一期：自动编期号、总期号，带出刊物的默认报送范围和印数，按给出的顺序收入信息。\n"
        "信息编号即submissions/下的路径去掉.md，如xiushui/2026/1103-01。",
    )
    q.add_argument("publication", metavar="刊物", help="刊物代号或名称，如huiyao")
    q.add_argument("sources", nargs="*", metavar="信息编号", help="要收入本期的信息，按刊登顺序")
    q.add_argument("--date", metavar="日期", help="出刊日期，如2026-11-28（默认今天）")
    q.add_argument("--supplement", action="store_true", help="起草增刊（单独编号）")
    q = issue_sub.add_parser(
        "check",
        help="检查各期（CI在刊物的合并请求上运行）",
        description="检查全部刊物文件：来源信息是否存在并已采用、期号和总期号是否连续、密级是否相符。\n退出码：0无错误，1有错误，2用法或配置有误。",
    )
    q.add_argument("--base", metavar="分支", help="以哪个分支上的信息为已采用（默认main，其次origin/main）")
    q.add_argument("--format", choices=sorted(report.PRINTERS), default="text", help="输出格式：text、json或github")


def run(args: argparse.Namespace) -> int:
    from bulletin.editorial import assemble

    config = desk_config(args)
    if args.issue_command == "new":
        if args.date:
            try:
                day = dt.date.fromisoformat(args.date)
            except ValueError as exc:
                raise UsageError(f"--date“{args.date}”应写成2026-11-28") from exc
        else:
            from bulletin.core.timing import now

            day = now().date()
        issue = assemble.draft(config, args.publication, list(args.sources), day, args.supplement)
        path = assemble.write_draft(config, issue)
        rel = path.relative_to(config.root).as_posix()
        print(
            f"已起草{rel}（第{issue.number}期，{len(issue.items)}条）：请编辑各条文字、填写签发人，然后运行“bulletin issue check”"
        )
        return EXIT_OK
    from bulletin.desk import git
    from bulletin.desk.config import CONFIG_NAME, load_config

    ref, read = git.file_reader(config.root, args.base)
    try:
        read(CONFIG_NAME)
    except FileNotFoundError:  # the desk is being set up on this branch: nothing older to trust
        pass
    else:  # publications and secrecy as on the base, as check does: a branch cannot relax its judge
        config = load_config(config.root, read, source=f"{ref}:")

    def accepted(item_id: str) -> bool:
        try:
            read(f"submissions/{item_id}.md")
        except FileNotFoundError:
            return False
        return True

    findings = assemble.check_issues(config, accepted)
    findings += assemble.check_published(config, read, git.paths_at(config.root, ref, "issues"))
    checked = len(assemble.load_issues(config)[0])
    print(report.PRINTERS[args.format](findings, checked))
    return EXIT_FINDINGS if findings else EXIT_OK
