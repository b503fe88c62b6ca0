"""`bulletin rules`: 列出全部检查规则."""

from __future__ import annotations

import argparse
from typing import Any

from bulletin.cli.options import (
    EXIT_OK,
)


def add(sub: Any) -> None:
    p = sub.add_parser("rules", help="列出全部检查规则", description="列出全部检查规则：编号、级别和说明。")
    p.add_argument(
        "--format", choices=["text", "md"], default="text", help="text（默认）或md（《信息写作与报送规范》页面）"
    )


def run(args: argparse.Namespace) -> int:
    from bulletin.report.guide import rules_markdown, rules_text

    print(rules_markdown() if args.format == "md" else rules_text())
    return EXIT_OK
