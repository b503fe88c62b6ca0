"""`bulletin build`: the site with every issue's PDF, replacing the last good build only when whole;
and the numbered paper copies (份号) of a classified issue (`build_copies`).

The pages and the PDFs are made by the desk's mkdocs plugin, so plain `mkdocs build`,
`mkdocs serve` and `mike deploy` make the same site; this command adds a safe swap and the
choice of audience (读者范围). The layout is always the one the web server serves (`bulletin
nginx`): every audience's site in its own folder, site/<audience>/, each behind its own access
control, and site/index.html listing them. `bulletin build` (as `make site`) builds them all and
swaps the whole folder in; `--audience <id>` rebuilds that one folder and leaves the others; the
full site (`all`, only when asked) goes beside the deployed folder, to site-all/, so that neither
the web server nor a copy of site/ to a server ever takes it along. A single
site is written straight into site/ only on a desk without audiences, and never over a site of
audiences (the mistake that once left `/` showing one audience's site without a password).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import html
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.exceptions import Abort, MkDocsException

from bulletin.core.model import Audience, Issue
from bulletin.desk.atomic import write_file
from bulletin.desk.config import load_config
from bulletin.editorial.copies import PAPER, Copy, load_register
from bulletin.errors import BulletinError
from bulletin.publish.audience import ENV, EVERYTHING, scope_for
from bulletin.publish.pdf import PdfBuilder

log = logging.getLogger("mkdocs")
# one record as each site starts and ends (attribute `site`: SiteStep), for `bulletin build`'s progress line
progress = logging.getLogger("bulletin.build")


@dataclass(frozen=True)
class SiteStep:
    """Where a build is: site `number` of `total` (1-based), for `label` (an audience's name), `done` or starting."""

    number: int
    total: int
    label: str
    done: bool = False


class BuildError(BulletinError):
    exit_code = 1


@contextlib.contextmanager
def _env(name: str, value: str | None) -> Iterator[None]:
    old = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _mkdocs(root: Path, out: Path, strict: bool, audience: str | None, step: SiteStep | None = None) -> None:
    step = step or SiteStep(1, 1, audience or "站点")
    progress.info("开始构建%s的站点", step.label, extra={"site": step})
    with _env(ENV, audience):
        cfg = load_mkdocs_config(config_file=str(root / "mkdocs.yml"), site_dir=str(out), strict=strict)
        mkdocs_build(cfg)
    progress.info("%s的站点已构建", step.label, extra={"site": replace(step, done=True)})


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE): there is no moment when
    neither is in place. False where the system cannot do it."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return bool(renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0)


@contextlib.contextmanager
def _locked(folder: Path, target: Path) -> Iterator[None]:
    """One build at a time into a folder (a lock on the folder itself: no lock file to commit)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildError(f"{target}正在由另一个构建使用：请等它结束后再试") from exc
        yield
    finally:
        os.close(fd)


def _swap_in(target: Path, produce: Callable[[Path], None], replaces_audiences: bool = False) -> Path:
    """Build into a fresh folder beside the target, then swap it in: an interrupted or failed
    build leaves the last good site in place. Folders left by a killed build are removed first.
    The caller holds the lock (`_locked`) on the folder the site lives in."""
    target = target.resolve()
    if not replaces_audiences and holds_audiences(target):
        raise BuildError(
            f"{target}中是按读者范围构建的站点（每个范围一个文件夹），不能用一个站点整体替换："
            "请运行“bulletin build”重建全部读者范围，或“bulletin build --audience <读者范围>”只重建其中一个"
        )
    old = target.with_name(f".{target.name}.old")
    if not target.exists() and old.is_dir():  # killed between the two renames of the fallback swap
        old.rename(target)
    for leftover in [*target.parent.glob(f".{target.name}.building-*"), old]:
        shutil.rmtree(leftover, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(work, 0o777 & ~umask)  # mkdtemp's 0700 would keep the web server out
    try:
        produce(work)
    except MkDocsException as exc:
        shutil.rmtree(work, ignore_errors=True)
        reason = "原因见上面的错误信息" if isinstance(exc, Abort) else str(exc)
        raise BuildError(f"站点构建失败，原有站点未动：{reason}") from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if target.exists() and _exchange(work, target):
        shutil.rmtree(work, ignore_errors=True)  # now the last site
    else:
        if target.exists():
            target.rename(old)
        work.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    log.info("站点已构建到%s", target)
    return target


# site/index.html of a site of audiences says so: a build never replaces such a site with a single one
AUDIENCES_MARK = '<meta name="bulletin-site" content="audiences">'


def holds_audiences(folder: Path) -> bool:
    """Whether `folder` holds a site of audiences (site/<audience>/ and the index of them): its index
    says so, or (an older build's) it is no site itself and holds sites."""
    try:
        with (folder / "index.html").open(encoding="utf-8", errors="replace") as f:
            if AUDIENCES_MARK in f.read(4096):
                return True
        return not is_single_site(folder) and any(is_single_site(d) for d in folder.iterdir() if d.is_dir())
    except OSError:
        return False


def is_single_site(folder: Path) -> bool:
    """Whether `folder` is one built site itself (mkdocs writes its 404 page and sitemap at the top)."""
    return (folder / "404.html").is_file() or (folder / "sitemap.xml").is_file()


def build(root: Path, site_dir: Path | None = None, year: int | None = None, audience: str | None = None) -> Path:
    """What `bulletin build` does: every audience's site (`audience` None, as `make site`), or one
    audience's folder among them; on a desk without audiences, its one site."""
    config = load_config(root)
    if audience is None and config.audiences:
        return build_audiences(root, site_dir, year)
    return build_site(root, site_dir, year, audience=audience)


def build_site(
    root: Path, site_dir: Path | None = None, year: int | None = None, strict: bool = True, audience: str | None = None
) -> Path:
    """One site: for `audience` (an id or name, `all` for everything), by default the least-privileged,
    into its own folder of the site of audiences, <site_dir>/<id>/, the index of audiences beside it;
    everything goes outside the deployed folder, to <site_dir>-all/ (site-all/). The other audiences'
    folders stay as they are. A desk without audiences has one site, written to <site_dir> itself.
    Returns the folder written."""
    config = load_config(root)
    scope = scope_for(config, audience)  # an unknown audience: a plain error before anything is built
    if year is not None:
        os.environ["BULLETIN_YEAR"] = str(year)
    site = (site_dir or root / "site").resolve()
    site.parent.mkdir(parents=True, exist_ok=True)

    label = scope.audience.name if scope.audience is not None else "全部内容"

    def produce(out: Path) -> None:
        _mkdocs(root, out, strict, audience, SiteStep(1, 1, label))

    if not config.audiences:
        with _locked(site.parent, site):
            return _swap_in(site, produce)
    if scope.audience is None:  # everything: never inside the folder that is deployed
        with _locked(site.parent, site):
            target = _swap_in(everything_dir(site), produce)
            shutil.rmtree(site / EVERYTHING, ignore_errors=True)  # where earlier versions wrote it
            return target
    with _locked(site.parent, site):
        if is_single_site(site):
            raise BuildError(
                f"{site}中是旧版“bulletin build”构建的单一站点，不是每个读者范围一个文件夹："
                f"请运行“bulletin build”（不加--audience）重建全部读者范围，它会整体替换{site}"
            )
        site.mkdir(exist_ok=True)
        target = _swap_in(site / scope.audience.id, produce)
        write_file(site / "index.html", _index_page(config.desk, config.audiences).encode("utf-8"))
        return target


def everything_dir(site: Path) -> Path:
    """Where the full site (`--audience all`) goes: beside the deployed folder, never in it."""
    return site.with_name(f"{site.name}-{EVERYTHING}")


def build_audiences(root: Path, site_dir: Path | None = None, year: int | None = None, strict: bool = True) -> Path:
    """Every configured audience's site in its own folder (site/<id>/), and an index page listing
    them; all or nothing. The full site is never among them."""
    config = load_config(root)
    if not config.audiences:
        raise BuildError("bulletin.yml中没有配置读者范围（audiences）：请先配置，或不加“--every-audience”构建")
    if year is not None:
        os.environ["BULLETIN_YEAR"] = str(year)

    def produce(out: Path) -> None:
        for n, audience in enumerate(config.audiences, start=1):
            _mkdocs(root, out / audience.id, strict, audience.id, SiteStep(n, len(config.audiences), audience.name))
        (out / "index.html").write_text(_index_page(config.desk, config.audiences), encoding="utf-8")

    site = (site_dir or root / "site").resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    with _locked(site.parent, site):
        return _swap_in(site, produce, replaces_audiences=True)


_INDEX_CSS = (
    "body{margin:0;font-family:sans-serif;color:#222}"
    "h1{margin:0;padding:16px 48px;background:#c62828;color:#fff;font-size:20px;font-weight:600}"
    "p,ul{margin:24px 48px}li{margin:12px 0;line-height:1.6}a{color:#c62828;font-size:18px}"
)


def _index_page(desk: str, audiences: tuple[Audience, ...]) -> str:
    rows = "\n".join(
        f'<li><a href="{html.escape(a.id)}/">{html.escape(a.name)}</a>'
        f"（{html.escape(a.description or '')}{'，' if a.description else ''}最高密级：{html.escape(a.max_classification)}）</li>"
        for a in audiences
    )
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{AUDIENCES_MARK}'
        f"<title>{html.escape(desk)}信息报送台</title>\n<style>{_INDEX_CSS}</style></head>\n<body>\n"
        f"<h1>{html.escape(desk)}信息报送台</h1>\n<p>请进入本人所在的读者范围（须登录）：</p>\n<ul>\n{rows}\n</ul>\n"
        "</body>\n</html>\n"
    )


def copy_pdf_path(out_dir: Path, issue: Issue, copy: Copy) -> Path:
    """<out_dir>/neican/2026/001-份号000001.pdf"""
    return Path(out_dir) / f"{issue.id}-份号{copy.label}.pdf"


def build_copies(root: Path, issue: Issue, out_dir: Path, builder: PdfBuilder | None = None) -> list[Path]:
    """One PDF per registered paper copy (报/送/发) of a classified issue, each stamped with its
    own 份号, built as one batch: the item texts go through pandoc once for all the copies, the
    fonts are checked once, and each thread's warm compiler lays out one copy after another
    (Typst reuses what did not change between them)."""
    config = builder.config if builder else load_config(root)
    paper = [c for c in load_register(config, issue).copies if c.recipient.kind in PAPER]
    if not paper:
        raise BuildError(f"{issue.path}：本期还没有登记份号：请先运行“bulletin copies {issue.id} --register”")
    jobs: list[tuple[Issue, Path, str | None]] = [(issue, copy_pdf_path(out_dir, issue, c), c.label) for c in paper]
    if builder is not None:
        return [r.path for r in builder.build_many(jobs)]
    with PdfBuilder(config) as own:
        return [r.path for r in own.build_many(jobs)]
