"""The site's generated pages as files: Markdown with front matter, one folder per audience and year.

    write_pages(root, audience, year)    build/pages/<audience>/<year>/…: every generated page
    generated(root, scope, year)         the same, and the desk they were made from (for the adapters)
    write_project(root, audience, year)  build/zensical/<audience>/<year>/: a whole Zensical project

The pages of the publications, their issues, the units and the topics (publish/pages.py), the
record of the reporting discipline (publish/discipline.py) and 信息写作与报送规范 (rules.md, from
the rule registry) are made here from one reading of the desk, narrowed to what the audience may
read. Nothing here depends on a site generator: the desk's MkDocs plugin (publish/plugin.py) only
adds these files to its build, and write_project lays out the same pages, beside the hand-written
docs/, for Zensical, which runs no third-party plugins (its configuration is written as
zensical.toml; this module is also the Markdown extension it names, which does to each page's body
what the MkDocs build does: its links, the sanitiser). An audience folder is `all` for the full site; a year folder is `all` when every
year is built.

Each file is written only when its content changed (so tools that look at modification times skip
it), through a temporary name in its own folder and a rename: a reader sees the old page or the
new one, never half of one. The folder is a build product, made again from the desk at will, so
the writes are not flushed to disk one by one (that would cost a build seconds); files of pages
that are no longer generated are removed.

Problems that would make a wrong page (an unknown publication, a missing source, text left to
fill in) stop the build with a Chinese message naming the file and the line (GenerateError).
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from bulletin.core import fields
from bulletin.core.model import Config, Finding, Issue, Severity
from bulletin.desk.config import load_config
from bulletin.duty.ledger import Judgings
from bulletin.editorial.assemble import SUBMISSIONS, issue_revisions
from bulletin.errors import BulletinError
from bulletin.publish.audience import EVERYTHING, Scope, restrict, scope_for
from bulletin.publish.pages import PAGE_ROWS, Desk, Page, Submission, generate, latest_issues

if TYPE_CHECKING:
    from bulletin.desk.snapshot import Snapshot

# under mkdocs a warning here fails `mkdocs build --strict`, as the plugin's own warnings do
log = logging.getLogger("mkdocs.plugins.bulletin")

PAGES_DIR = Path("build") / "pages"  # the generated pages, per audience and year
PROJECT_DIR = Path("build") / "zensical"  # the Zensical projects, per audience and year
RULES_PAGE = "rules.md"
DOCS_DIR = "docs"
LATEST_MARKER = "<!-- 最新各期 -->"  # in a hand-written page: the latest issue of each publication


class GenerateError(BulletinError):
    exit_code = 1


@dataclass
class Generated:
    """The pages of one build: where they are written, the desk they were made from, and each page's
    source path (relative to `folder`) with whether it is in the navigation."""

    folder: Path
    desk: Desk
    pages: list[Page] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # the files whose content changed this time

    @property
    def paths(self) -> list[Path]:
        return [self.folder / page.src_uri for page in self.pages]


def folder_for(root: Path, scope: Scope, year: int | None) -> Path:
    """build/pages/<audience id, or all>/<year, or all>/ of the desk at `root`."""
    return root / PAGES_DIR / _audience_name(scope) / (str(year) if year is not None else EVERYTHING)


def _audience_name(scope: Scope) -> str:
    return scope.audience.id if scope.audience is not None else EVERYTHING


def write_pages(
    root: Path,
    audience: str | None = None,
    year: int | None = None,
    *,
    use_directory_urls: bool = True,
    page_rows: int = PAGE_ROWS,
) -> list[Path]:
    """Every generated page of the site for `audience` (an id, `all`, or None: the least-privileged)
    and `year` (None: every year) as a file under build/pages/; returns their paths."""
    scope = scope_for(_config(root), audience)
    return generated(root, scope, year, use_directory_urls=use_directory_urls, page_rows=page_rows).paths


def generated(
    root: Path,
    scope: Scope,
    year: int | None = None,
    *,
    use_directory_urls: bool = True,
    page_rows: int = PAGE_ROWS,
    docs_dir: Path | None = None,
    rules_page: str = RULES_PAGE,
    snap: Snapshot | None = None,
) -> Generated:
    """Make the pages of the site for `scope` and write the changed ones (see write_pages). A page of
    `docs_dir` (default docs/) with a generated page's name is an error; a hand-written rules.md
    takes the place of the generated one."""
    from bulletin.desk.snapshot import read_desk
    from bulletin.publish.feedback import attach as attach_feedback

    if page_rows < 1:
        raise GenerateError(f"每页行数page_rows应为正整数（现为{page_rows}）：请改正mkdocs.yml中bulletin插件的设置")
    docs = docs_dir if docs_dir is not None else root / DOCS_DIR
    # one reading of the desk for the pages, the numbers and the record: the ledger, stats and notices read the same
    snap = snap or read_desk(_config(root))
    desk = load_desk(root, scope, year, snap)
    judgings = Judgings(snap)  # the unit pages and the 统计 pages judge a period once between them
    attach_feedback(desk, judgings, scope)  # 采用反馈: the duty engine's figures, as stats
    pages = list(_pages(desk, scope, judgings, use_directory_urls, page_rows, docs, rules_page))
    for page in pages:
        if page.src_uri != rules_page and (docs / page.src_uri).exists():
            raise GenerateError(f"{docs.name}/{page.src_uri}与自动生成的页面重名：请删除或改名这个文件")
    out = Generated(folder_for(root, scope, year), desk, pages)
    out.written = _sync(out.folder, {page.src_uri: page.content.encode("utf-8") for page in pages})
    return out


def _pages(
    desk: Desk, scope: Scope, judgings: Judgings, use_directory_urls: bool, page_rows: int, docs: Path, rules_page: str
) -> Iterator[Page]:
    """Every generated page: the rules, the publications, units and topics, the discipline record,
    the statistics with their charts, the 报送 page."""
    from bulletin.publish.discipline import discipline_pages
    from bulletin.report.guide import rules_markdown

    snap = judgings.snap
    if not (docs / rules_page).exists():
        yield Page(rules_page, rules_markdown(), in_nav=True)
    yield from generate(desk, use_directory_urls, page_rows)
    shown = set(desk.submissions) | set(desk.intake)  # the items this site lists, by title
    yield from discipline_pages(  # discipline.md, and the parts of its long sections
        desk.config, snap.now, lambda sub: scope.full or sub is None or sub in shown, page_rows, snap
    )
    from bulletin.publish.statistics import statistics_pages

    yield from statistics_pages(desk.config, judgings, scope, desk.year)  # 统计 and its charts (SVG files)
    from bulletin.publish.cms import submit_files

    try:
        submit = submit_files(desk.config)
    except BulletinError as exc:
        raise GenerateError(f"报送页面未能生成：{exc}") from exc
    for src, content in submit.items():  # the 报送 page and its form's data (publish/cms.py)
        if not (docs / src).exists():  # a hand-written one takes its place
            yield Page(src, content)


def _sync(folder: Path, contents: dict[str, bytes]) -> list[Path]:
    """Make `folder` hold exactly `contents` (relative path -> bytes); returns the files written."""
    written: list[Path] = []
    made: set[Path] = set()
    for rel, data in contents.items():
        path = folder / rel
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            pass
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        _put(path, data)
        written.append(path)
    wanted = {os.path.normpath(rel) for rel in contents}
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):  # a folder after what it holds
            rel = os.path.normpath(path.relative_to(folder))
            if path.is_dir() and not path.is_symlink():
                if not any(path.iterdir()):
                    path.rmdir()
            elif rel not in wanted:
                path.unlink()
    return written


def _put(path: Path, data: bytes) -> None:
    """`data` under a temporary name beside `path`, then renamed to it: the old file or the new, whole."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise GenerateError(f"{path}未能写入（{exc.strerror or exc}）：请检查build/文件夹的权限和磁盘空间") from exc


# ---------- the desk the pages are made from ----------


def _config(root: Path) -> Config:
    from bulletin.errors import ConfigError

    try:
        return load_config(root)
    except ConfigError as exc:
        raise GenerateError(f"报送台配置有误，站点未能构建：{exc}") from exc


def load_desk(root: Path, scope: Scope, year: int | None = None, snap: Snapshot | None = None) -> Desk:
    """Configuration, issues and submissions, checked enough that every page can be made,
    narrowed to what the build's audience may read (from `snap`, the one reading of the desk)."""
    from bulletin.desk.snapshot import read_desk

    snap = snap or read_desk(_config(root))
    config = snap.config
    issues, findings = snap.issues, snap.issue_findings
    if findings:
        raise GenerateError(_problems("刊物文件有误", findings))
    submissions = load_submissions(config, snap)
    if year is not None:  # one year volume (年卷): a year's build does not rebuild the past
        issues = [i for i in issues if i.year == year]
        credited = {s for i in issues for item in i.items for s in item.sources}
        submissions = {k: v for k, v in submissions.items() if k.split("/")[1] == str(year) or k in credited}
    problems = [f for issue in issues for f in _issue_problems(config, issue, submissions)]
    if problems:
        raise GenerateError(_problems("刊物文件有误", problems))
    desk = Desk.build(config, issues, submissions)
    desk.year = year
    for issue in issues:
        if issue.revision > 1:
            desk.revisions[issue.id] = issue_revisions(config, issue)
    return restrict(desk, scope)


def _problems(what: str, findings: list[Finding]) -> str:
    lines = [f"  {f.path}" + (f"第{f.line}行" if f.line else "") + f"：{f.message}" for f in findings]
    return f"{what}，站点未能构建：\n" + "\n".join(lines) + "\n请改正后重新构建（可先运行“bulletin issue check”）。"


def _issue_problems(config: Config, issue: Issue, submissions: dict[str, Submission]) -> list[Finding]:
    """What would make a wrong page: an unknown publication, a missing source, text left to fill in."""
    out: list[Finding] = []

    def problem(line: int | None, message: str) -> None:
        out.append(Finding(issue.path, line, "issue-format", Severity.ERROR, message))

    if config.publication(issue.publication) is None:
        names = "、".join(p.id for p in config.publications)
        problem(None, f"刊物“{issue.publication}”不在配置中：可用的刊物为{names}")
    for item in issue.items:
        for source in item.sources:
            if source not in submissions:
                problem(item.line, f"来源{source}不存在或无法读取：请核对信息编号（submissions/下的路径，不含.md）")
        if fields.PLACEHOLDER in item.title or fields.PLACEHOLDER in item.text:
            problem(item.line, f"条目“{item.title}”中还有“{fields.PLACEHOLDER}……】”没有换成实际内容")
    return out


def load_submissions(config: Config, snap: Snapshot | None = None) -> dict[str, Submission]:
    """Every submission under submissions/<unit>/<year>/, from the front matter the snapshot read (the
    files the ledger reads: no links followed); an unreadable one is a warning (fails --strict)."""
    from bulletin.desk.snapshot import item_files, read_desk
    from bulletin.publish.feedback import submission_of

    snap = snap or read_desk(config)
    out: dict[str, Submission] = {}
    for path in item_files(config.root):
        rel = path[len(SUBMISSIONS) + 1 : -len(".md")]
        fm = snap.items.get(rel) if rel not in snap.unmerged else None
        if fm is None:
            log.warning(f"{SUBMISSIONS}/{rel}.md无法读取或头部信息有误，未列入站点：请运行“bulletin check”查看")
            continue
        out[rel] = submission_of(config, rel, fm)
    return out


def fill_latest(desk: Desk, src_uri: str, markdown: str) -> str:
    """LATEST_MARKER in a hand-written page becomes the latest issue of each publication."""
    if LATEST_MARKER not in markdown:
        return markdown
    return markdown.replace(LATEST_MARKER, "\n".join(latest_issues(desk, src_uri, level=3)))


# ---------- the same pages for Zensical ----------

ZENSICAL_CONFIG = "zensical.toml"
TEMPLATES = Path(__file__).parent / "templates"
HEADER_CSS = "assets/bulletin/header.css"  # the header's search box on Zensical's header (templates/zensical/)
OVERRIDES = "overrides"  # the project's theme folder (custom_dir)
# the mkdocs.yml settings Zensical is given as they are (the plugins are not: Zensical runs none of ours)
_CARRIED = ("site_description", "use_directory_urls", "theme", "extra", "extra_css", "markdown_extensions", "nav")


def write_project(
    root: Path, audience: str | None = None, year: int | None = None, *, page_rows: int = PAGE_ROWS
) -> tuple[Path, Desk]:
    """A Zensical project for `audience` and `year` in build/zensical/<audience>/<year>/: docs/ holds the
    hand-written pages (the latest issues filled in, as the plugin does) and the generated ones,
    zensical.toml the settings of mkdocs.yml that Zensical reads, with its own search off (the site's
    search is Pagefind, made after the build by finish_site). Returns (the project folder, the desk)."""
    settings = _mkdocs_settings(root)
    use_directory_urls = bool(settings.get("use_directory_urls", True))
    scope = scope_for(_config(root), audience)
    docs = root / str(settings.get("docs_dir", DOCS_DIR))
    made = generated(root, scope, year, use_directory_urls=use_directory_urls, page_rows=page_rows, docs_dir=docs)
    project = root / PROJECT_DIR / _audience_name(scope) / (str(year) if year is not None else EVERYTHING)
    contents: dict[str, bytes] = {}
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        rel = path.relative_to(docs).as_posix()
        data = path.read_bytes()
        if path.suffix == ".md":
            data = fill_latest(made.desk, rel, data.decode("utf-8")).encode("utf-8")
        contents[rel] = data
    for page in made.pages:
        contents[page.src_uri] = page.content.encode("utf-8")
    _sync(project / DOCS_DIR, contents)
    # the desk's templates and scripts, and its partials that put the theme's inline scripts in files (the
    # site's Content-Security-Policy forbids inline scripts; Zensical's partials have the same names); then
    # the templates written for Zensical's own (templates/zensical/: its header, with the box that opens the
    # 搜索 page), in place of those written for mkdocs-material's
    overrides: dict[str, bytes] = {}
    for theme in (TEMPLATES / "theme", TEMPLATES / "zensical"):
        overrides |= {p.relative_to(theme).as_posix(): p.read_bytes() for p in theme.rglob("*") if p.is_file()}
    _sync(project / OVERRIDES, overrides)
    hidden = [p.src_uri for p in made.pages if not p.in_nav]
    nav = settings.get("nav")
    if isinstance(nav, list):  # no 统计 entry where the audience gets no 统计 page, as in MkDocs
        from bulletin.publish.statistics import site_nav

        settings = {**settings, "nav": site_nav(nav, made.desk.config, scope)}
    config = _zensical_config(settings, scope, hidden, made.desk.config.site_footer, project / DOCS_DIR)
    _sync_file(project / ZENSICAL_CONFIG, config.encode("utf-8"))
    return project, made.desk


def _mkdocs_settings(root: Path) -> dict[str, object]:
    import yaml

    path = root / "mkdocs.yml"
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GenerateError(f"{path}无法读取（{exc}）：Zensical的配置由它生成，请先改正mkdocs.yml") from exc
    if not isinstance(loaded, dict) or "site_name" not in loaded:
        raise GenerateError(f"{path}中没有site_name：Zensical的配置由它生成，请先改正mkdocs.yml")
    return loaded


def _zensical_config(settings: dict[str, object], scope: Scope, hidden: list[str], footer: str, docs: Path) -> str:
    """zensical.toml: the site's settings from mkdocs.yml, the theme overrides (the search page's template,
    the header's search box and the scripts as files), the audience in the site's name, the office's footer
    line, the generated pages kept out of the nav, each page's body as MkDocs makes it (its links, the
    sanitiser: this module as a Markdown extension, see makeExtension); no year switch (it reads
    versions.json, which only mike writes)."""
    import html

    import tomli_w

    from bulletin.publish.sitefonts import CSS

    project: dict[str, object] = {"site_name": str(settings["site_name"])}
    if scope.audience is not None:
        project["site_name"] = f"{project['site_name']}（{scope.audience.name}）"
    project |= {k: settings[k] for k in _CARRIED if k in settings}
    project |= {"docs_dir": DOCS_DIR, "site_dir": "site"}
    project["copyright"] = str(settings.get("copyright") or html.escape(footer))
    extra = {k: v for k, v in dict(settings.get("extra") or {}).items() if k != "version"}  # type: ignore[call-overload]
    project["extra"] = {**extra, "generator": False}
    css = [str(c) for c in project.get("extra_css", []) or []]  # type: ignore[attr-defined]
    project["extra_css"] = [*css, *(c for c in (CSS, HEADER_CSS) if c not in css)]
    theme = dict(settings.get("theme") or {})  # type: ignore[call-overload]
    theme["custom_dir"] = OVERRIDES
    project["theme"] = theme
    # what is not in the nav (the issues, the units' and topics' pages…): by folder, as the site's nav has them
    patterns = sorted({f"/{h.split('/')[0]}/**" if "/" in h else f"/{h}" for h in hidden})
    project["not_in_nav"] = "\n".join(patterns) + "\n"
    project["plugins"] = {"search": {"enabled": False}}
    extensions = list(project.get("markdown_extensions") or [])  # type: ignore[call-overload]
    project["markdown_extensions"] = [*extensions, {__name__: {"docs": str(docs)}}]
    return "# 由bulletin生成（publish/generate.py），请勿手改：改mkdocs.yml后重新生成\n" + tomli_w.dumps(
        {"project": project}
    )


def _sync_file(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        path.parent.mkdir(parents=True, exist_ok=True)
    _put(path, data)


# ---------- a page's body under Zensical as under MkDocs: its links, the sanitiser ----------
#
# This module is also a Markdown extension, named in zensical.toml (makeExtension), which does to each
# page's body what the MkDocs build does: its links read as MkDocs reads them, then the sanitiser over
# the body Markdown made, as the plugin's on_page_content does (not over the theme's additions, such as
# the 搜索 page's <noscript> and the 报送 page's form, which the sanitiser would take apart).
#
# A link in a page is relative either to the page's file or to its address. MkDocs reads a link to a
# Markdown page or to another file of docs/ from the page's file, and leaves every other link (to a
# folder, a PDF, admin/) and every link in raw HTML as written: from the page's address
# (publications/huiyao/2026/004/ for publications/huiyao/2026/004.md). Zensical reads every relative
# link from the page's file. The pages are written for MkDocs, so under Zensical a link from the
# address took one "../" too many: a PDF link led above the site (to /pdf/… instead of
# /office/pdf/…), which only a site served at the server's root hides. The extension writes those
# links of a page that is not an index page from its file.

_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)


def from_file(url: str, src_uri: str, docs: Path | None = None) -> str:
    """`url`, a link of the page `src_uri` read from the page's address (as MkDocs leaves it), as a
    link from the page's file; a link MkDocs reads from the file (a page, a file of `docs`) as it is.
    Without `docs` (a link in raw HTML, which MkDocs never reads from the file) every relative link."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return url
    if docs is not None:
        from urllib.parse import unquote

        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), unquote(parts.path)))
        if parts.path.endswith(".md") or (not target.startswith("../") and (docs / target).is_file()):
            return url
    stem = posixpath.splitext(posixpath.basename(src_uri))[0]
    path = parts.path[3:] if parts.path.startswith("../") else f"{stem}/{parts.path}"
    return urlunsplit(parts._replace(path=path))


def makeExtension(**kwargs: Any) -> Any:  # the name Python-Markdown calls
    """The Markdown extension zensical.toml names as this module: links from the address written from
    the file, then the page's body through the sanitiser."""
    from markdown import Extension
    from markdown.postprocessors import Postprocessor
    from markdown.treeprocessors import Treeprocessor

    from bulletin.publish.sanitise import sanitise

    class FromFile(Treeprocessor):
        def __init__(self, md: Any, docs: Path) -> None:
            super().__init__(md)
            self.docs = docs

        def run(self, root: Any) -> None:
            from zensical.extensions.context import ContextPreprocessor

            context = ContextPreprocessor.from_markdown(self.md)
            if context is None or not context.config.get("use_directory_urls", True):
                return  # not under Zensical, or a page's address is its file's: nothing to change
            src = str(context.page.path)
            if posixpath.splitext(posixpath.basename(src))[0] in ("index", "README"):
                return  # an index page's address is its file's folder
            for element in root.iter():  # what Markdown made: read as MkDocs reads it
                for name in ("href", "src"):
                    value = element.get(name)
                    if value is not None:
                        element.set(name, from_file(value, src, self.docs))
            stash = self.md.htmlStash.rawHtmlBlocks  # raw HTML: MkDocs leaves it as written
            for n, block in enumerate(stash):
                if isinstance(block, str):
                    stash[n] = _URL_ATTRIBUTE.sub(lambda m: m[1] + m[2] + from_file(m[3], src) + m[2], block)

    class Sanitised(Postprocessor):
        def run(self, text: str) -> str:
            return sanitise(text)  # the last step: after the raw HTML is put back

    class AsMkdocs(Extension):
        def __init__(self, **options: Any) -> None:
            self.config = {"docs": ["", "the project's docs/ folder: which links lead to its files"]}
            super().__init__(**options)

        def extendMarkdown(self, md: Any) -> None:  # Python-Markdown's name
            md.treeprocessors.register(FromFile(md, Path(self.getConfig("docs"))), "bulletin_from_file", 0)
            md.postprocessors.register(Sanitised(md), "bulletin_sanitised", 0)

    return AsMkdocs(**kwargs)


def build_zensical(
    root: Path, audience: str | None = None, year: int | None = None, *, pdf: bool = True, search: bool = True
) -> Path:
    """The site for `audience` and `year` built by Zensical from write_project's project (every page body
    through the sanitiser as Markdown makes it: makeExtension), then what the desk's plugin does after a
    build, done here since Zensical runs no plugin: the rare characters' fonts, the browser form (admin/),
    the Pagefind search index, every issue's PDF and Word file. Returns the built site
    (build/zensical/<audience>/<year>/site/)."""
    from bulletin.publish.search import index_site
    from bulletin.publish.sitefonts import write_site_fonts

    project, desk = write_project(root, audience, year)
    site = project / "site"
    shutil.rmtree(site, ignore_errors=True)  # no page left over from an earlier build
    try:
        import zensical
    except ImportError as exc:
        raise GenerateError(
            "没有安装Zensical：请运行make test或pip install -e '.[dev]'（pyproject.toml中固定了版本）"
        ) from exc
    try:
        zensical.build(str(project / ZENSICAL_CONFIG), {"clean": True, "strict": False})
    except Exception as exc:  # Zensical's own failure (its Rust core raises RuntimeError with its message)
        raise GenerateError(f"Zensical构建{project / ZENSICAL_CONFIG}失败：{exc}") from exc
    if not (site / "index.html").exists():
        raise GenerateError(
            f"Zensical构建{project / ZENSICAL_CONFIG}后没有首页{site / 'index.html'}：请查看上面Zensical的输出"
        )
    write_site_fonts(desk.config, site)
    from bulletin.publish.cms import admin_form

    admin_form(desk.config, site)  # the browser form at admin/ (Decap CMS), as the plugin writes it
    if search:
        index_site(desk, site, bool(_mkdocs_settings(root).get("use_directory_urls", True)))
    if pdf:
        from bulletin.publish.pdfsite import publish_pdfs

        publish_pdfs(desk, site)
    return site


def main(argv: list[str] | None = None) -> int:
    """python -m bulletin.publish.generate: the generated pages, or the whole site built by Zensical."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m bulletin.publish.generate",
        description="把站点自动生成的页面写成文件（build/pages/读者范围/年份/），或用Zensical构建整个站点",
    )
    parser.add_argument("--audience", help="读者范围（bulletin.yml中audiences的id，all为全部内容；默认权限最低的）")
    parser.add_argument("--year", help="只生成这一年的年卷，四位数字（默认全部年份）")
    parser.add_argument("--zensical", action="store_true", help="用Zensical构建站点（含检索索引、PDF），而不只写页面")
    parser.add_argument("--no-pdf", action="store_true", help="用Zensical构建时不生成PDF和Word文件")
    args = parser.parse_args(argv)
    root = Path.cwd()
    if args.year is not None and not re.fullmatch(r"[0-9]{4}", args.year):  # as BULLETIN_YEAR for mkdocs
        print(f"bulletin：年份“{args.year}”应为四位数字，如2026：请改正--year", file=sys.stderr)
        return 2
    year = int(args.year) if args.year is not None else None
    try:
        if args.zensical:
            site = build_zensical(root, args.audience, year, pdf=not args.no_pdf)
            print(f"Zensical已构建站点：{site}")
        else:
            paths = write_pages(root, args.audience, year)
            print(f"已生成{len(paths)}个页面：{folder_for(root, scope_for(_config(root), args.audience), year)}")
    except BulletinError as exc:
        print(f"bulletin：{exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
