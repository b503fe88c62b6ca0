"""`bulletin new`: 生成一条新信息的模板."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
    desk_config,
)
from bulletin.errors import UsageError


def add(sub: Any) -> None:
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
    p.add_argument(
        "--occurred-at", metavar="时间", help="发生时间，写到几时几分，如2026-11-28 08:30（突发性、特急必填）"
    )
    p.add_argument("--informant", metavar="姓名", help="信息员（默认为名册中本单位第一位信息员）")
    p.add_argument("--approver", metavar="姓名", help="签发人（默认为本单位分管领导）")
    p.add_argument("--recipients", metavar="对象", help="报送对象，用顿号或逗号分隔，如市委、市政府")
    p.add_argument("--topics", metavar="主题", help="主题，用顿号或逗号分隔")
    p.add_argument("--follows", metavar="编号", help="续报时所续首报的编号")
    p.add_argument(
        "--request", metavar="约稿编号", help="回应信息处约稿时，约稿的编号（年份/编号），如2026/1112-anquan"
    )
    p.add_argument("--deadline", metavar="时间", help="截止时间：约稿或领导要求的明确截止时间，如2026-11-20 17:00")
    p.add_argument("--now", metavar="时间", help="以此时刻为当前时间（文件名的日期、模板中的示例时间），默认现在")
    p.add_argument("--no-input", action="store_true", help="不询问，只用选项和默认值")


def run(args: argparse.Namespace) -> int:
    from bulletin.cli.options import time_option
    from bulletin.core.levels import as_list
    from bulletin.editorial.new import Draft, create, interactive, topic_notes
    from bulletin.rules.header import unit_hint

    config = desk_config(args)
    today = time_option(args.now, config.timezone, "--now")
    tty = sys.stdin.isatty() and not args.no_input
    unit_ref = args.unit
    if not unit_ref and tty:
        unit_ref = input("报送单位（代号、名称或别名）：").strip()
    if not unit_ref:
        raise UsageError("请用“--unit”指明报送单位，如“--unit xiushui”")
    unit = config.unit_by_ref(unit_ref)
    if unit is None:
        raise UsageError(f"报送单位“{unit_ref}”不在信息网络名册（network.yml）中{unit_hint(config, unit_ref)}")
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
        request=args.request,
        deadline=args.deadline,
    )
    if tty:

        def ask(prompt: str, default: str | None) -> str:
            shown = f"{prompt}［{default}］：" if default else f"{prompt}："
            return input(shown).strip() or (default or "")

        draft = interactive(config, unit, draft, ask, today)
    path = create(config, draft, today)
    rel = path.relative_to(config.root).as_posix()
    print(f"已生成{rel}：请把“【待填写……】”换成实际内容，写好后运行“bulletin check {rel}”")
    for note in topic_notes(config, draft):
        print(f"注意：{note}；检查时会提醒，不影响报送")
    return EXIT_OK
