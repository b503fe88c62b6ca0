"""`bulletin verdict`: 把检查结论作为评论发到合并请求上（Gitea、Forgejo的工作流使用）."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from bulletin.cli.options import EXIT_OK, desk_config
from bulletin.core.model import Forge
from bulletin.errors import UsageError

OUTCOMES = ("success", "failure", "cancelled", "skipped")


def add(sub: Any) -> None:
    p = sub.add_parser(
        "verdict",
        help="把检查结论作为评论发到合并请求上（Gitea、Forgejo）",
        description="用代码托管平台的接口和工作流自带的令牌（环境变量BULLETIN_FORGE_TOKEN），把“bulletin check --summary”\n"
        "写的中文摘要作为评论发到合并请求上；每个合并请求只留一条，以后每次检查都更新这一条。\n"
        "供Gitea、Forgejo的check.yml使用（它们的workflow_run不可靠，comment.yml可能不运行）；GitHub上由comment.yml评论。\n"
        "代码托管平台取自bulletin.yml的forge一节，--api、--repo、--kind可以改写其中的一项。",
    )
    p.add_argument(
        "--api",
        metavar="网址",
        help="接口地址（默认按forge一节；工作流中为github.api_url，如https://git.example/api/v1）",
    )
    p.add_argument("--repo", metavar="仓库", help="所有者/仓库名（默认按forge一节；工作流中为github.repository）")
    p.add_argument("--pr", required=True, type=int, metavar="编号", help="合并请求的编号")
    p.add_argument(
        "--kind",
        choices=("gitea", "forgejo", "github"),
        help="代码托管平台的类型（默认按forge一节，没有forge一节时为gitea）",
    )
    p.add_argument("--summary", type=Path, metavar="文件", help="检查摘要（bulletin check --summary写的文件）")
    p.add_argument(
        "--outcome",
        action="append",
        default=[],
        metavar="结果",
        help="各检查步骤的结果（success/failure/cancelled/skipped），可写多次；都是success才算通过",
    )
    p.add_argument("--sha", default="", metavar="提交", help="被检查的提交")
    p.add_argument("--run-url", default="", metavar="网址", help="本次运行记录的网址")


def run(args: argparse.Namespace) -> int:
    from bulletin.access.forge import Client, post_verdict, verdict_body

    wrong = [o for o in args.outcome if o not in OUTCOMES]
    if wrong or not args.outcome:
        raise UsageError(
            f"--outcome应为{'/'.join(OUTCOMES)}之一，可写多次（现为“{'、'.join(args.outcome) or '未写'}”）"
        )
    summary = ""
    if args.summary is not None and args.summary.is_file():
        summary = args.summary.read_text(encoding="utf-8", errors="replace")
    forge = verdict_forge(desk_config(args).forge, args.kind, args.api, args.repo)
    client = Client(forge, os.environ.get("BULLETIN_FORGE_TOKEN", ""))
    passed = all(o == "success" for o in args.outcome)
    done = post_verdict(client, args.pr, verdict_body(summary, passed, args.sha, args.run_url))
    print(f"已{'更新' if done == 'updated' else '发布'}合并请求#{args.pr}上的检查评论")
    return EXIT_OK


def verdict_forge(forge: Forge | None, kind: str | None, api: str | None, repo: str | None) -> Forge:
    """The forge of bulletin.yml's forge section, with what the workflow gave (its API and repository)."""
    from dataclasses import replace

    if forge is None:
        if not api or not repo:
            raise UsageError("bulletin.yml中没有forge一节：请写明代码托管平台（写法见管理员指南），或给出--api和--repo")
        api = api.rstrip("/")
        forge = Forge(kind=kind or "gitea", url=api.removesuffix("/api/v1").removesuffix("/api/v3"), repo=repo, api=api)
    if kind:
        forge = replace(forge, kind=kind)
    if api:
        forge = replace(forge, api=api.rstrip("/"))
    if repo:
        forge = replace(forge, repo=repo)
    return forge
