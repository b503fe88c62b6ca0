"""The `bulletin` command: a thin shell over the library, every message in Chinese.

One module per verb (`bulletin.cli.<verb>`: `add(sub)` declares its options, `run(args)` does the work by
calling the library); `options` holds what they share. Only the verb asked for is imported and declared.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bulletin import __version__, entry
from bulletin.cli.options import EXIT_OK, EXIT_USAGE, Parser
from bulletin.errors import BulletinError

VERBS = (
    "check",
    "fix",
    "new",
    "issue",
    "copies",
    "build",
    "ledger",
    "stats",
    "notice",
    "record",
    "forward",
    "sync",
    "hook",
    "receipt",
    "overdue",
    "health",
    "codeowners",
    "verify",
    "audiences",
    "nginx",
    "cms",
    "verdict",
    "remind",
    "rules",
)


def _parser(verbs: Sequence[str] = VERBS) -> Parser:
    parser = Parser(
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
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    sub.required = True

    for verb in verbs:
        importlib.import_module(f"bulletin.cli.{verb}").add(sub)
    return parser


def _verb(argv: Sequence[str]) -> str | None:
    """The verb asked for, if it is one (so that only its module is imported and its options declared)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--desk":
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in VERBS else None
    return None


def _interrupted(argv: Sequence[str] | None) -> int:
    """Ctrl-C: one line, exit status 130 (see bulletin.entry)."""
    if argv is None:  # run as the command
        return entry.interrupted()
    print(entry.INTERRUPTED, file=sys.stderr)
    return 130


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    given = sys.argv[1:] if argv is None else list(argv)
    verb = _verb(given)
    return _parser((verb,) if verb else VERBS).parse_args(given)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        sys.stderr.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    try:
        args = _parse(argv)
    except KeyboardInterrupt:
        return _interrupted(argv)
    try:
        return int(importlib.import_module(f"bulletin.cli.{args.command}").run(args))
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
