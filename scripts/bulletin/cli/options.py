"""What every verb shares: the Chinese argument parser, exit codes, the desk, its configuration, times."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

from bulletin.core.model import Config
from bulletin.errors import UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)

    def format_help(self) -> str:
        # argparse ends section headings with a half-width colon
        return super().format_help().replace("参数:\n", "参数：\n").replace("选项:\n", "选项：\n")


class Parser(argparse.ArgumentParser):
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


def desk_root(args: argparse.Namespace) -> Path:
    """The desk's root: --desk, else the nearest folder upwards holding bulletin.yml."""
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


def desk_config(args: argparse.Namespace) -> Config:
    from bulletin.desk.config import load_config

    return load_config(desk_root(args))


def time_option(value: str | None, tz: dt.tzinfo, option: str) -> dt.datetime:
    """A time given on the command line (times without an offset in `tz`); now when not given."""
    from bulletin.core.timing import TimeFormatError, now, parse_time

    if not value:
        return now()
    try:
        return parse_time(value, tz)
    except TimeFormatError as exc:
        raise UsageError(f"{option}：{exc}") from exc


def period_now(args: argparse.Namespace, config: Config, period: Any) -> dt.datetime:
    """--now, else the end of the period (or now, while the period runs): the same figures on every run."""
    from bulletin.core.timing import now

    if args.now:
        return time_option(args.now, config.timezone, "--now")
    return period.judged_at(now(), config.timezone)


def markdown_files(folder: Path) -> list[Path]:
    """The .md files under `folder`, as Path.rglob finds them (links to folders not followed), but
    listed as strings first: a Path for each of 400,000 names while walking costs seconds."""
    found = [os.path.join(top, name) for top, _, names in os.walk(folder) for name in names if name.endswith(".md")]
    return [Path(name) for name in sorted(found)]
