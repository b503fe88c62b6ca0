"""`bulletin build`: 构建站点和各期PDF."""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tqdm import tqdm

    from bulletin.publish.build import SiteStep

from bulletin.cli.options import (
    EXIT_OK,
    desk_root,
)


def add(sub: Any) -> None:
    p = sub.add_parser(
        "build",
        help="构建站点和各期PDF",
        description="构建内网站点和各期PDF（只重排有改动的各期）：每个读者范围一个站点，放在site/<读者范围id>/下，"
        "site/index.html列出各范围的入口，与“make site”和“bulletin nginx”生成的网站服务器配置一致。"
        "先构建到临时目录，成功后再替换原站点：中断或失败时原站点不动。",
    )
    p.add_argument("--site-dir", metavar="目录", type=Path, help="站点目录（默认site/），每个读者范围在其中一个文件夹")
    p.add_argument("--year", metavar="年份", type=int, help="只构建这一年卷（按年份分版本发布时用）")
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--audience",
        metavar="读者范围",
        help="只重建这一读者范围的站点site/<读者范围id>/（bulletin.yml的audiences中的id或名称），其他范围的站点不动；"
        "不写则为每个读者范围各构建一个站点；写all构建含全部内容的站点到site-all/（在发布的site/之外，仅供信息处内部使用，不得发布）",
    )
    who.add_argument(
        "--every-audience",
        action="store_true",
        help="为每个读者范围各构建一个站点，放在site/<读者范围id>/下，由网站服务器分别设访问控制（不加--audience时即如此）",
    )


def run(args: argparse.Namespace) -> int:
    from bulletin.publish.build import build, build_audiences

    root = desk_root(args)
    log_file = root / LOG_FILE
    with quiet_console(log_file):
        if args.every_audience:
            target = build_audiences(root, args.site_dir, args.year)
        else:
            target = build(root, args.site_dir, args.year, audience=args.audience)
    print(f"已构建：{target}（构建日志：{LOG_FILE}）")
    return EXIT_OK


LOG_FILE = "build/logs/build.log"  # every line of the last build, the libraries' own included
_PLUGIN_PREFIX = "bulletin: "  # what mkdocs puts before a plugin's log lines
# the plugin's lines that go into the line of the site they belong to
_SUMMED = ("信息报送表单：", "检索索引：", "PDF：")


class _Console(logging.Handler):
    """What a build shows on the console: one progress line in Chinese (a bar on a terminal; in CI
    and other logs one line per site built, with its search index and PDFs), and every warning
    and error. The libraries' own lines (mkdocs, jieba, Pagefind…) go to the log file only."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.details: list[str] = []
        self.bar: tqdm[Any] | None = None
        self.terminal = sys.stderr.isatty()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage().removeprefix(_PLUGIN_PREFIX)
            step = getattr(record, "site", None)
            if record.levelno >= logging.WARNING:
                self._write(("错误：" if record.levelno >= logging.ERROR else "警告：") + message)
            elif step is not None:
                self._site(step)
            elif record.name.startswith("mkdocs.plugins.bulletin") and message.startswith(_SUMMED):
                self.details.append(message)
            elif record.name.startswith("mkdocs.plugins.bulletin") and not message.startswith("读者范围："):
                self._write(message)  # a note of the desk's own (a copy without its number …), in Chinese
        except Exception:  # a console line must never stop a build
            self.handleError(record)

    def _site(self, step: SiteStep) -> None:
        if self.terminal and self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=step.total, file=sys.stderr, bar_format="{desc} {bar} {n}/{total}个站点，已用{elapsed}"
            )
        if not step.done:
            self.details = []
            if self.bar is not None:
                self.bar.set_description_str(f"正在构建{step.label}的站点")
            return
        self._write(
            f"（{step.number}/{step.total}）{step.label}的站点已构建"
            + (f"（{'；'.join(self.details)}）" if self.details else "")
        )
        if self.bar is not None:
            self.bar.update(1)

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        super().close()


class _ToLogOnly(logging.Filter):
    """On a library's logger that brings its own console handler (jieba): its lines go to the log
    file, and no further (neither its handler nor the console)."""

    def __init__(self, file: logging.Handler) -> None:
        super().__init__()
        self.file = file

    def filter(self, record: logging.LogRecord) -> bool:
        self.file.handle(record)  # its debug lines too: what it loaded, and from where
        return False


@contextlib.contextmanager
def quiet_console(log_file: Path) -> Iterator[None]:
    """The console of a build (see _Console), every line also written to `log_file` (replaced each build)."""
    from bulletin.publish import pdfsite

    log_file.parent.mkdir(parents=True, exist_ok=True)
    file = logging.FileHandler(log_file, mode="w", encoding="utf-8")
    file.setLevel(logging.INFO)
    file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    console = _Console()
    root = logging.getLogger()
    saved = (root.level, root.handlers[:])
    root.handlers = [file, console]
    root.setLevel(logging.INFO)
    own = [logging.getLogger(name) for name in _OWN_HANDLERS]
    quiet = _ToLogOnly(file)
    for logger in own:
        logger.addFilter(quiet)
    bars, pdfsite.SHOW_PROGRESS = pdfsite.SHOW_PROGRESS, False  # one bar: the sites'
    try:
        yield
    finally:
        pdfsite.SHOW_PROGRESS = bars
        for logger in own:
            logger.removeFilter(quiet)
        console.close()
        file.close()
        root.handlers, root.level = saved[1], saved[0]


_OWN_HANDLERS = ("jieba",)  # libraries that print to the console by a handler of their own
