"""The `bulletin` command: a thin shell over the library, every message in Chinese."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from bulletin import __version__, entry
from bulletin.core.model import Config
from bulletin.errors import BulletinError, UsageError
from bulletin.report import findings as report

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)

    def format_help(self) -> str:
        # argparse ends section headings with a half-width colon
        return super().format_help().replace("参数:\n", "参数：\n").replace("选项:\n", "选项：\n")


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese headings and errors that exit 2 with one clear line."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        translated = (
            message.replace("the following arguments are required", "缺少参数")
            .replace("unrecognized arguments", "不认识的参数")
            .replace("invalid choice", "无效的选项")
            .replace("choose from", "可选")
            .replace("expected one argument", "需要一个值")
            .replace("argument ", "参数")
            .replace(": ", "：")
        )
        self.print_usage(sys.stderr)
        command = " ".join(self.prog.split()[1:])
        sys.stderr.write(f"bulletin：{translated}（运行“bulletin {command + ' ' if command else ''}-h”查看帮助）\n")
        raise SystemExit(EXIT_USAGE)


def _parser() -> _Parser:
    parser = _Parser(
        prog="bulletin",
        description="党委信息工作报送台：检查报送的信息，生成模板，自动改正格式。",
        epilog="示例：\n  bulletin new --unit xiushui          生成一条新信息的模板\n"
        "  bulletin check                       检查本分支新增或修改的信息\n"
        "  bulletin fix submissions/xiushui/2026/1128-01.md   自动改正标点、编码等\n",
    )
    parser.add_argument("--version", action="version", version=f"bulletin {__version__}", help="显示版本号并退出")
    parser.add_argument(
        "--desk", metavar="目录", type=Path, help="报送台根目录（含bulletin.yml），默认从当前目录向上查找"
    )
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    sub.required = True

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

    p = sub.add_parser(
        "fix",
        help="自动改正标点、数字、编码和键名",
        description="自动改正：半角标点改全角、全角数字字母改半角、删去多余空格、GBK转UTF-8、英文键名改中文键名。\n"
        "只改这些，文字内容不变；先写临时文件再替换，失败时原文件不动。",
    )
    p.add_argument("paths", nargs="+", metavar="文件", type=Path, help="要改正的信息文件")
    p.add_argument("--dry-run", action="store_true", help="只显示会做的修改，不写文件")

    p = sub.add_parser(
        "new",
        help="生成一条新信息的模板",
        description="在submissions/<单位>/<年份>/下生成一条新信息，带中文填写说明。\n"
        "在终端中运行时，未用选项给出的内容会逐项询问。",
    )
    p.add_argument("--unit", metavar="单位", help="报送单位的代号、名称或别名（必填）")
    p.add_argument("--title", metavar="标题", help="标题")
    p.add_argument("--kind", metavar="类别", help="政策性/突发性/苗头性/倾向性/普遍性（默认普遍性）")
    p.add_argument("--urgency", metavar="紧急程度", help="特急/加急/平件（默认平件）")
    p.add_argument("--classification", metavar="密级", help="公开/内部/秘密/机密（默认内部）")
    p.add_argument("--secrecy-term", metavar="保密期限", help="如1年、6个月（秘密、机密必填）")
    p.add_argument("--occurred-at", metavar="时间", help="发生时间，如2026-11-28 08:30（突发性、特急必填）")
    p.add_argument("--informant", metavar="姓名", help="信息员（默认为名册中本单位第一位信息员）")
    p.add_argument("--approver", metavar="姓名", help="签发人（默认为本单位分管领导）")
    p.add_argument("--recipients", metavar="对象", help="报送对象，用顿号或逗号分隔，如市委、市政府")
    p.add_argument("--topics", metavar="主题", help="主题，用顿号或逗号分隔")
    p.add_argument("--follows", metavar="编号", help="续报时所续首报的编号")
    p.add_argument("--no-input", action="store_true", help="不询问，只用选项和默认值")

    p = sub.add_parser("issue", help="编排刊物：起草新一期、检查各期", description="编排刊物（信息处编辑使用）。")
    issue_sub = p.add_subparsers(dest="issue_command", metavar="操作", parser_class=_Parser)
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

    p = sub.add_parser(
        "build",
        help="构建站点和各期PDF",
        description="构建内网站点和各期PDF（只重排有改动的各期）。先构建到临时目录，成功后再替换原站点：中断或失败时原站点不动。",
    )
    p.add_argument("--site-dir", metavar="目录", type=Path, help="输出目录（默认site/）")
    p.add_argument("--year", metavar="年份", type=int, help="只构建这一年卷（按年份分版本发布时用）")
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--audience",
        metavar="读者范围",
        help="只为这一读者范围构建（bulletin.yml的audiences中的id或名称）；不写则构建权限最低的范围；"
        "写all构建含全部内容的站点（仅供信息处内部使用）",
    )
    who.add_argument(
        "--every-audience",
        action="store_true",
        help="为每个读者范围各构建一个站点，放在site/<读者范围id>/下，由网站服务器分别设访问控制",
    )

    p = sub.add_parser(
        "ledger",
        help="信息台账：每条信息的接报、迟报、采用、上级采用和批示",
        description="从提交历史、接报记录、刊物和登记的批示、上级采用推出每条信息的经历。同一历史总得出同样的台账。",
    )
    p.add_argument("--format", choices=["text", "json"], default="text", help="text（默认）或json")
    p.add_argument("--ref", metavar="分支", help="读哪个分支上的信息、以它的历史为准（默认工作区和当前分支）")
    p.add_argument("--now", metavar="时间", help="按哪个时刻判断迟报、漏报，如2026-11-30 18:00（默认现在）")

    p = sub.add_parser(
        "stats",
        help="各单位信息报送、采用、批示、迟报漏报和得分排名",
        description="按考核办法（bulletin.yml的scoring）统计一个时段内各单位的报送、采用、上级采用、批示、迟报、漏报、瞒报和得分排名。",
    )
    p.add_argument("--period", metavar="时段", required=True, help="2026-11（月）、2026-Q4（季度）或2026（年）")
    p.add_argument("--format", choices=["text", "json", "md"], default="text", help="text（默认）、json或md")
    p.add_argument(
        "--now", metavar="时间", help="按哪个时刻统计，如2026-11-30 18:00（默认时段结束时，时段未结束则为现在）"
    )

    p = sub.add_parser(
        "notice",
        help="起草信息工作通报（排名、表扬、迟报漏报瞒报）",
        description="起草一个时段的信息采用情况通报，写成通报类刊物的新一期（站点页面和PDF随之生成）：\n"
        "排名、表扬、每起迟报漏报瞒报按单位列出，以及信息网络管理情况。",
    )
    p.add_argument("--period", metavar="时段", required=True, help="2026-11（月）、2026-Q4（季度）或2026（年）")
    p.add_argument("--date", metavar="日期", help="通报日期（默认今天）")
    p.add_argument(
        "--now", metavar="时间", help="按哪个时刻统计，如2026-11-30 18:00（默认时段结束时，时段未结束则为现在）"
    )
    p.add_argument("--revision", action="store_true", help="这一时段已有通报时，起草新的一期作为修订稿代替它")

    p = sub.add_parser(
        "record",
        help="登记领导批示或上级采用（编辑使用）",
        description="登记领导批示或上级采用，写成records/下的一个小文件。",
    )
    record_sub = p.add_subparsers(dest="record_kind", metavar="类型", parser_class=_Parser)
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
        else:
            q.add_argument("--publication", metavar="刊物", default="", help="上级采用的刊物，如江西信息")

    p = sub.add_parser(
        "hook",
        help="服务器端钩子：登记接报时间、保护主分支（管理员使用）",
        description="在自建git服务器的裸仓库中安装和运行钩子：\n"
        "pre-receive拒绝强制推送和删除主分支main，拒绝客户端推送接报记录；\n"
        "post-receive为推送新增的每条信息登记接报时间（服务器时钟）和推送账号。",
    )
    hook_sub = p.add_subparsers(dest="hook_command", metavar="操作", parser_class=_Parser)
    hook_sub.required = True
    q = hook_sub.add_parser(
        "install",
        help="把钩子装入裸仓库",
        description="把pre-receive和post-receive写入裸仓库的hooks/（Gitea、Forgejo的仓库写入\n"
        "hooks/pre-receive.d/bulletin等，与平台自己的钩子并存）。钩子调用运行本命令的Python。",
    )
    q.add_argument("bare", metavar="裸仓库", type=Path, help="服务器上的裸仓库目录，如/srv/git/bulletin.desk.git")
    q.add_argument("--force", action="store_true", help="已有内容不同的钩子时替换它")
    hook_sub.add_parser("pre-receive", help="（由git调用）检查推送", description="由git在接收推送前调用。")
    hook_sub.add_parser("post-receive", help="（由git调用）登记接报时间", description="由git在接收推送后调用。")

    p = sub.add_parser(
        "receipt",
        help="接报记录：登记、列出",
        description="接报记录（信息处收到信息的时间）保存在仓库的git注释refs/notes/bulletin-receipts中，\n"
        "由服务器端钩子或合并请求工作流登记；每个文件以最早的一条为准，提交记录的时间不作数。",
    )
    receipt_sub = p.add_subparsers(dest="receipt_command", metavar="操作", parser_class=_Parser)
    receipt_sub.required = True
    q = receipt_sub.add_parser(
        "add",
        help="登记接报时间（工作流或管理员使用）",
        description="为尚无接报记录的信息登记接报时间，挂在给定的提交上；已有记录的不再登记。\n"
        "写入本地仓库，之后须“git push origin refs/notes/bulletin-receipts”。",
    )
    q.add_argument("paths", nargs="+", metavar="文件", help="信息在仓库中的路径，如submissions/xiushui/2026/1128-01.md")
    q.add_argument("--commit", metavar="提交", required=True, help="接报记录挂在哪个提交上（合并请求的最新提交）")
    q.add_argument("--received-at", metavar="时间", required=True, help="收到时间，如2026-11-28T09:05:00+08:00")
    q.add_argument("--account", metavar="账号", default="", help="报送账号（合并请求的发起人）")
    q.add_argument(
        "--source",
        choices=["forge", "hook"],
        default="forge",
        help="由谁登记：forge合并请求工作流（默认），hook服务器钩子",
    )
    q = receipt_sub.add_parser("list", help="列出接报记录", description="列出每个文件的接报记录（最早的一条）。")
    q.add_argument("--format", choices=["text", "json"], default="text", help="text（默认）或json")

    p = sub.add_parser(
        "overdue",
        help="紧急信息逾期检查：漏报、续报逾期（定时工作流运行）",
        description="列出此刻逾期未报的紧急信息：登记的突发事件过了报送时限仍未收到责任单位的报告（漏报），\n"
        "处置中的事件超过续报间隔没有续报（续报逾期）；另列时限内尚未报送的事件。\n"
        "收到时间以接报记录为准，没有接报记录的以合入主分支的时间代替（须核实）。\n"
        "退出码：0没有逾期，1有逾期未报，2用法或配置有误。",
    )
    p.add_argument("--now", metavar="时间", help="按哪个时刻检查，如2026-11-28 18:00（默认现在）")
    p.add_argument(
        "--format", choices=["text", "json", "md"], default="text", help="text（默认）、json或md（跟踪议题用）"
    )
    p.add_argument("--all", action="store_true", help="另列已记录在案的迟报、漏报、瞒报、误报和约稿报送情况")
    p.add_argument("--base", metavar="分支", help="没有接报记录时以哪个分支的合入时间代替（默认main）")

    p = sub.add_parser(
        "health",
        help="信息网络健康检查：未落实信息员、长期未报送、未登记账号",
        description="检查信息网络：没有登记信息员的单位，超过规定天数没有报送信息的单位，\n"
        "推送了信息却不在名册中的账号，推送其他单位信息的账号。天数在bulletin.yml的network_health中配置。",
    )
    p.add_argument("--now", metavar="时间", help="按哪一天检查，如2026-11-28（默认今天）")
    p.add_argument("--format", choices=["text", "json"], default="text", help="text（默认）或json")

    p = sub.add_parser(
        "codeowners",
        help="按名册生成.github/CODEOWNERS（管理员使用）",
        description="按信息网络名册（network.yml）生成.github/CODEOWNERS：信息、刊物、事件、约稿、登记和站点页面\n"
        "由编辑审核，其他一切（含名册和接报记录）由管理员审核。名册中的编辑、管理员调整后运行，与名册一并提交。\n"
        "退出码：0已生成或已是最新，1（--check）文件缺失或与名册不一致，2用法或配置有误。",
    )
    p.add_argument("--check", action="store_true", help="只检查文件是否存在且与名册一致，不写文件（CI用）")

    p = sub.add_parser(
        "verify",
        help="核查整个仓库的完整性：已采用的信息、已发布的刊物、接报记录、站点上的PDF",
        description="核查主分支的历史和发布的站点：已采用的信息合入后没有被改动或删除，已发布的刊物只以更正（修订加一）改动，\n"
        "接报记录只追加，每条信息都有接报记录；给出“--site”时还核查站点上的每份PDF与发布记录和刊物当前内容一致，\n"
        "且没有超出该站点读者范围的PDF。退出码：0无问题，1有问题，2用法或配置有误。",
    )
    p.add_argument("--base", metavar="分支", help="核查哪个分支（默认main，其次origin/main）")
    p.add_argument("--site", metavar="目录", type=Path, help="同时核查这个已发布的站点（“bulletin build”的输出）")
    p.add_argument(
        "--record",
        metavar="目录",
        type=Path,
        help="发布时另存的发布记录（发布工作流的制品publication-record）：站点上的记录须与它相同，并以它为准核查",
    )
    p.add_argument("--format", choices=sorted(report.PRINTERS), default="text", help="输出格式：text、json或github")

    p = sub.add_parser(
        "audiences",
        help="列出读者范围：各自收到哪些刊物、最高密级",
        description="列出bulletin.yml中配置的读者范围（audiences）。不指定读者范围的构建用权限最低的一个。",
    )
    p.add_argument("--ids", action="store_true", help="只列出各范围的id，每行一个（供发布脚本使用）")

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

    p = sub.add_parser("rules", help="列出全部检查规则", description="列出全部检查规则：编号、级别和说明。")
    p.add_argument(
        "--format", choices=["text", "md"], default="text", help="text（默认）或md（《信息写作与报送规范》页面）"
    )
    return parser


def _root(args: argparse.Namespace) -> Path:
    from bulletin.desk.config import find_root

    if args.desk:
        root = args.desk
        if not (root / "bulletin.yml").is_file():
            raise UsageError(f"{root}下没有bulletin.yml：--desk应指向报送台根目录")
    else:
        found = find_root(Path.cwd())
        if found is None:
            raise UsageError("当前目录及上级目录中找不到bulletin.yml：请在报送台中运行，或用“--desk”指定报送台目录")
        root = found
    return root.resolve()


def _config(args: argparse.Namespace) -> Config:
    from bulletin.desk.config import load_config

    return load_config(_root(args))


def _time_option(value: str | None, tz: dt.tzinfo, option: str) -> dt.datetime:
    """A time given on the command line (times without an offset in `tz`); now when not given."""
    from bulletin.core.timing import TimeFormatError, now, parse_time

    if not value:
        return now()
    try:
        return parse_time(value, tz)
    except TimeFormatError as exc:
        raise UsageError(f"{option}：{exc}") from exc


def cmd_check(args: argparse.Namespace) -> int:
    from bulletin.editorial.check import check_changes, check_paths

    if args.paths:
        if args.author is not None:
            raise UsageError("“--author”只用于检查本分支的改动：请去掉给出的文件，或去掉“--author”")
        if args.committed:
            raise UsageError("“--committed”只用于检查本分支的改动：请去掉给出的文件，或去掉“--committed”")
        config = _config(args)
        missing = [p for p in args.paths if not p.exists()]
        if missing:
            raise UsageError("找不到文件：" + "、".join(str(p) for p in missing))
        files = [f for p in args.paths for f in (_markdown_files(p) if p.is_dir() else [p])]
        result = check_paths(config, files, _time_option(args.received_at, config.timezone, "--received-at"))
    else:
        from bulletin.desk import git
        from bulletin.desk.config import CONFIG_NAME, load_config

        root = _root(args)
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
        received_at = _time_option(args.received_at, config.timezone, "--received-at")
        result = check_changes(
            config, ref, received_at, author=args.author, committed=args.committed, checkout=checkout
        )
    print(report.PRINTERS[args.format](result.findings, result.checked))
    if args.summary:
        report.append_summary(args.summary, result.findings, result.checked)
    return EXIT_FINDINGS if result.has_errors else EXIT_OK


def _markdown_files(folder: Path) -> list[Path]:
    """The .md files under `folder`, as Path.rglob finds them (links to folders not followed), but
    listed as strings first: a Path for each of 400,000 names while walking costs seconds."""
    found = [os.path.join(top, name) for top, _, names in os.walk(folder) for name in names if name.endswith(".md")]
    return [Path(name) for name in sorted(found)]


def cmd_fix(args: argparse.Namespace) -> int:
    from bulletin.editorial.check import shown_path
    from bulletin.editorial.fix import FixRefused, fix_file

    config = _config(args)
    status = EXIT_OK
    for path in args.paths:
        shown = shown_path(config, path)
        if not os.path.lexists(path):  # a FIFO, a device or a link: fix_file says what it is
            print(f"{shown}：找不到文件", file=sys.stderr)
            status = EXIT_USAGE
            continue
        try:
            result = fix_file(path, shown, write=not args.dry_run)
        except FixRefused as exc:
            print(str(exc), file=sys.stderr)
            status = max(status, EXIT_FINDINGS)
            continue
        if not result.changes:
            print(f"{shown}：无需修改")
            continue
        verb = "将修改" if args.dry_run else "已修改"
        print(f"{shown}：{verb}——" + "；".join(result.changes))
        if result.diff:
            print(result.diff, end="" if result.diff.endswith("\n") else "\n")
    return status


def cmd_new(args: argparse.Namespace) -> int:
    from bulletin.core.timing import now
    from bulletin.editorial.new import Draft, create, interactive
    from bulletin.rules.header import as_list

    config = _config(args)
    tty = sys.stdin.isatty() and not args.no_input
    unit_ref = args.unit
    if not unit_ref and tty:
        unit_ref = input("报送单位（代号、名称或别名）：").strip()
    if not unit_ref:
        raise UsageError("请用“--unit”指明报送单位，如“--unit xiushui”")
    unit = config.unit_by_ref(unit_ref)
    if unit is None:
        raise UsageError(f"报送单位“{unit_ref}”不在信息网络名册（network.yml）中")
    draft = Draft(
        unit=unit,
        title=args.title,
        informant=args.informant,
        approver=args.approver,
        kind=args.kind or "普遍性",
        urgency=args.urgency or "平件",
        classification=args.classification or "内部",
        secrecy_term=args.secrecy_term,
        occurred_at=args.occurred_at,
        recipients=tuple(as_list(args.recipients) or ()) if args.recipients else (),
        topics=tuple(as_list(args.topics) or ()) if args.topics else (),
        follows=args.follows,
    )
    if tty:

        def ask(prompt: str, default: str | None) -> str:
            shown = f"{prompt}［{default}］：" if default else f"{prompt}："
            return input(shown).strip() or (default or "")

        draft = interactive(config, unit, draft, ask)
    path = create(config, draft, now())
    rel = path.relative_to(config.root).as_posix()
    print(f"已生成{rel}：请把“【待填写……】”换成实际内容，写好后运行“bulletin check {rel}”")
    return EXIT_OK


def cmd_codeowners(args: argparse.Namespace) -> int:
    from bulletin.access import codeowners

    config = _config(args)
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


def cmd_rules(args: argparse.Namespace) -> int:
    from bulletin.report.guide import rules_markdown, rules_text

    print(rules_markdown() if args.format == "md" else rules_text())
    return EXIT_OK


def cmd_issue(args: argparse.Namespace) -> int:
    from bulletin.editorial import assemble

    config = _config(args)
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


def cmd_build(args: argparse.Namespace) -> int:
    import logging

    from bulletin.publish.build import build_audiences, build_site

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = _root(args)
    if args.every_audience:
        target = build_audiences(root, args.site_dir, args.year)
    else:
        target = build_site(root, args.site_dir, args.year, audience=args.audience)
    print(f"已构建：{target}")
    return EXIT_OK


def cmd_ledger(args: argparse.Namespace) -> int:
    from bulletin.core.timing import format_duration, format_time
    from bulletin.duty.ledger import build_ledger

    config = _config(args)
    ledger = build_ledger(config, args.ref, _time_option(args.now, config.timezone, "--now"))
    if args.format == "json":
        ledger.write_json(sys.stdout)
        print()
        return EXIT_OK
    for life in ledger.lives:
        received = format_time(life.received_at, config.timezone) if life.received_at else "无接报记录"
        if life.received_by == "git":
            received += "（入库时间，无接报记录）"
        late = ""
        if life.late_minutes:
            kind = next((k for k in life.cases if k in ("迟报", "续报逾期", "约稿逾期")), "迟报")
            late = f"，{kind}{format_duration(dt.timedelta(minutes=life.late_minutes))}"
        late += f"，退改{life.sent_back}次" if life.sent_back else ""
        adopted = "、".join(a.issue + ("（综合）" if a.composite else "") for a in life.adoptions) or life.state
        extra = "".join(f"，{r.level}级采用" for r in life.upper) + "".join(
            f"，{r.by}（{r.level}）批示" for r in life.instructions
        )
        print(f"{life.id}《{life.title}》：收到{received}{late}；采用：{adopted}{extra}")
    return EXIT_OK


def _period_now(args: argparse.Namespace, config: Config, period: Any) -> dt.datetime:
    """--now, else the end of the period (or now, while the period runs): the same figures on every run."""
    from bulletin.core.timing import now

    if args.now:
        return _time_option(args.now, config.timezone, "--now")
    return min(now(), period.end_moment(config.timezone))


def cmd_stats(args: argparse.Namespace) -> int:
    from bulletin.desk.snapshot import read_desk
    from bulletin.duty import scoring
    from bulletin.duty.ledger import derive

    config = _config(args)
    period = scoring.parse_period(args.period)
    snap = read_desk(config, _period_now(args, config, period))
    rows = scoring.stats(config, derive(snap), snap.cases, period, scoring.load_table(config.root))
    printer = {"text": scoring.stats_text, "json": scoring.stats_json, "md": scoring.stats_markdown}[args.format]
    print(printer(period, rows))
    return EXIT_OK


def cmd_notice(args: argparse.Namespace) -> int:
    from bulletin.core.timing import now
    from bulletin.desk.snapshot import read_desk
    from bulletin.duty import scoring
    from bulletin.duty.ledger import derive
    from bulletin.editorial import notice

    config = _config(args)
    period = scoring.parse_period(args.period)
    try:
        day = dt.date.fromisoformat(args.date) if args.date else now().date()
    except ValueError as exc:
        raise UsageError(f"--date“{args.date}”应写成2026-11-28") from exc
    snap = read_desk(config, _period_now(args, config, period))
    rows = scoring.stats(config, derive(snap), snap.cases, period, scoring.load_table(config.root))
    health = scoring.health_lines(config, snap, day)
    draft = notice.build_notice(config, snap, rows, period, day, health, revision=args.revision)
    rel = notice.write_notice(config, draft)
    print(f"已起草{rel}：请核对后填写签发人，按刊物流程提交；合并后站点和PDF自动生成")
    return EXIT_OK


def cmd_record(args: argparse.Namespace) -> int:
    from bulletin.desk.records import ADOPTION, INSTRUCTION, Record, write_record

    config = _config(args)
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
    )
    path = write_record(config, record)
    print(f"已登记{path.relative_to(config.root).as_posix()}：{kind}，{args.item}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from bulletin.editorial.verify import verify

    config = _config(args)
    if args.site is not None and not args.site.is_dir():
        raise UsageError(f"找不到站点目录{args.site}：请先用“bulletin build”构建，或指向网站服务器上的站点目录")
    if args.record is not None and (args.site is None or not args.record.is_dir()):
        raise UsageError("“--record”须与“--site”一起用，并指向另存的发布记录目录（解压后的制品publication-record）")
    findings, checked = verify(config, args.base, args.site, args.record)
    print(report.PRINTERS[args.format](findings, checked))
    return EXIT_FINDINGS if findings else EXIT_OK


def cmd_audiences(args: argparse.Namespace) -> int:
    config = _config(args)
    if args.ids:
        print("\n".join(a.id for a in config.audiences))
        return EXIT_OK
    if not config.audiences:
        print("bulletin.yml中没有配置读者范围（audiences）：构建的站点含全部内容，只能部署在访问受控的内网。")
        return EXIT_OK
    least = config.least_audience()
    for a in config.audiences:
        default = "（默认）" if a is least else ""
        names = "、".join(p.name for p in config.publications if p.id in a.publications)
        print(f"{a.id}　{a.name}{default}　最高密级：{a.max_classification}　刊物：{names}")
    return EXIT_OK


def cmd_nginx(args: argparse.Namespace) -> int:
    from bulletin.publish.serve import nginx_config

    print(nginx_config(_config(args), args.root, args.auth_dir, args.listen, args.server_name), end="")
    return EXIT_OK


def cmd_hook(args: argparse.Namespace) -> int:
    from bulletin.access import hook

    if args.hook_command == "install":
        print(hook.install_report(hook.install(args.bare, force=args.force)))
        return EXIT_OK
    if args.hook_command == "pre-receive":
        return hook.pre_receive(sys.stdin, sys.stderr)
    return hook.post_receive(sys.stdin, sys.stdout)


def cmd_receipt(args: argparse.Namespace) -> int:
    from bulletin.access import hook
    from bulletin.core.timing import BEIJING
    from bulletin.desk.config import find_root

    start = args.desk or Path.cwd()
    repo = hook.open_repo(start)
    if args.receipt_command == "list":
        receipts = hook.receipts_of(repo)
        print(hook.as_json(receipts) if args.format == "json" else hook.as_text(receipts))
        return EXIT_OK
    tz = _config(args).timezone if args.desk or find_root(start) else BEIJING
    when = _time_option(args.received_at, tz, "--received-at")
    print(hook.add_report(*hook.add(repo, args.commit, when, args.account, args.source, args.paths)))
    return EXIT_OK


def cmd_overdue(args: argparse.Namespace) -> int:
    from bulletin.desk.snapshot import read_desk
    from bulletin.report import discipline as overdue

    config = _config(args)
    moment = _time_option(args.now, config.timezone, "--now")
    snap = read_desk(config, moment, args.base)
    for problem in snap.findings:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        print(f"{where}: {problem.severity.label} {problem.message}（此条登记未参与检查）", file=sys.stderr)
    found = snap.cases if args.all else [c for c in snap.cases if c.call is None]
    print(
        overdue.RENDERERS[args.format](
            config,
            moment,
            found,
            snap.awaiting,
            args.all,
            snap.call_answers if args.all else [],
            overdue.pending_reports(snap),
        )
    )
    return EXIT_FINDINGS if overdue.open_cases(snap.cases) else EXIT_OK


def cmd_health(args: argparse.Namespace) -> int:
    from bulletin.desk.snapshot import read_desk
    from bulletin.duty import health

    config = _config(args)
    moment = _time_option(args.now, config.timezone, "--now")
    snap = read_desk(config, moment)
    problems = health.network_health(config, snap.submissions, snap.receipts, moment)
    print(health.RENDERERS[args.format](config, moment, problems))
    return EXIT_OK


COMMANDS = {
    "notice": cmd_notice,
    "ledger": cmd_ledger,
    "stats": cmd_stats,
    "record": cmd_record,
    "build": cmd_build,
    "check": cmd_check,
    "fix": cmd_fix,
    "new": cmd_new,
    "issue": cmd_issue,
    "rules": cmd_rules,
    "codeowners": cmd_codeowners,
    "overdue": cmd_overdue,
    "health": cmd_health,
    "hook": cmd_hook,
    "audiences": cmd_audiences,
    "verify": cmd_verify,
    "nginx": cmd_nginx,
    "receipt": cmd_receipt,
}


def _interrupted(argv: Sequence[str] | None) -> int:
    """Ctrl-C: one line, exit status 130 (see bulletin.entry)."""
    if argv is None:  # run as the command
        return entry.interrupted()
    print(entry.INTERRUPTED, file=sys.stderr)
    return 130


def main(argv: Sequence[str] | None = None) -> int:
    try:
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        sys.stderr.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    try:
        args = _parser().parse_args(argv)
    except KeyboardInterrupt:
        return _interrupted(argv)
    try:
        return COMMANDS[args.command](args)
    except BulletinError as exc:
        print(f"bulletin：{exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader stopped early (e.g. `| head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        return _interrupted(argv)
    except EOFError:
        print("bulletin：输入已结束，未生成文件", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # a bug of ours: one clear line, the details only on request
        if os.environ.get("BULLETIN_DEBUG"):
            raise
        print(
            f"bulletin：内部错误（{type(exc).__name__}: {exc}）。文件未改动。"
            "请把命令和这条信息报告给管理员；设置环境变量“BULLETIN_DEBUG=1”可看到详细信息",
            file=sys.stderr,
        )
        return EXIT_USAGE
