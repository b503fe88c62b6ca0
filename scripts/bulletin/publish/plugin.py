"""The desk's mkdocs plugin: pages generated from the desk itself, so `mkdocs build` just works.

It generates 信息写作与报送规范 (rules.md) from the rule registry, so the guide informants
read is always the rules CI applies; and the pages of the publications, their issues, the
reporting units and the topics from issues/, submissions/ and the configuration (see pages.py).
The desk is the folder of mkdocs.yml, which holds bulletin.yml.

Every page body is sanitised (publish/sanitise.py) before any other plugin sees it, so the search
index holds the same sanitised text; the theme's few inline scripts are replaced by files
(templates/theme/), so the site runs under a Content-Security-Policy without 'unsafe-inline' scripts.

A broken issue file stops the build with a Chinese message naming the file and the line
(a PluginError, which mkdocs prints as one error, without a traceback).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bulletin.desk.snapshot import Snapshot

import html
import os
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from bulletin.core import fields
from bulletin.core.model import Config, Finding, Issue, Severity
from bulletin.desk.config import CONFIG_NAME, load_config
from bulletin.desk.issues import ISSUES
from bulletin.editorial.assemble import SUBMISSIONS, issue_revisions
from bulletin.errors import BulletinError, ConfigError
from bulletin.publish.audience import Scope, requested_audience, restrict, scope_for
from bulletin.publish.pages import PAGE_ROWS, Desk, Submission, generate, latest_issues
from bulletin.report.guide import rules_markdown

log = get_plugin_logger(__name__)
# overrides of the theme's partials whose inline <script>s become files (assets/bulletin/*.js)
THEME_OVERRIDES = Path(__file__).parent / "templates" / "theme"
LATEST_MARKER = "<!-- 最新各期 -->"
MIKE_VERSION = "MIKE_DOCS_VERSION"  # set by `mike deploy` while it builds a version


class BulletinConfig(base.Config):
    rules_page = c.Type(str, default="rules.md")
    pdf = c.Type(bool, default=True)  # build every issue's PDF into site/pdf/ after the pages
    search = c.Type(bool, default=True)  # index the built site with Pagefind into site/pagefind/ (publish/search.py)
    # the audience (读者范围) to build for; BULLETIN_AUDIENCE overrides; empty: the least-privileged
    audience = c.Type(str, default="")
    # the most rows a listing page holds (a unit's or a topic's submissions, a year of a publication);
    # longer listings are split by time, so no page grows with the desk
    page_rows = c.Type(int, default=PAGE_ROWS)


class BulletinPlugin(BasePlugin[BulletinConfig]):
    desk: Desk | None = None
    scope: Scope | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Which audience this build is for; its name goes into the site's name on every page."""
        desk_config = _config(desk_root(config))
        try:
            self.scope = scope_for(desk_config, requested_audience() or self.config.audience)
        except ConfigError as exc:
            raise PluginError(f"站点未能构建：{exc}") from exc
        # the office's own line at the foot of every page, instead of the theme's "Made with …"
        config.copyright = config.copyright or html.escape(desk_config.site_footer)
        config.extra["generator"] = False
        # the year switch reads versions.json at the root of the published site, which only mike writes:
        # a site built without mike (bulletin build, mkdocs build) would ask for it on every page and get 404
        if os.environ.get(MIKE_VERSION):
            config.extra["version"] = {"provider": "mike", **(config.extra.get("version") or {})}
        else:
            config.extra.pop("version", None)
        config.theme.dirs.insert(0, str(THEME_OVERRIDES))
        from bulletin.publish.sitefonts import CSS

        if CSS not in config.extra_css:  # the rare characters' fonts, written after the pages
            config.extra_css.append(CSS)
        if self.scope.audience is not None:
            config.site_name = f"{config.site_name}（{self.scope.audience.name}）"
        log.info(f"读者范围：{self.scope.label}")
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if files.get_file_from_path(self.config.rules_page) is None:
            files.append(File.generated(config, self.config.rules_page, content=rules_markdown()))
        from bulletin.desk.snapshot import read_desk
        from bulletin.publish.feedback import attach as attach_feedback

        # one reading of the desk for the pages, the numbers and the record: the ledger, stats and notices read the same
        snap = read_desk(_config(desk_root(config)))
        desk = self.desk = load_desk(desk_root(config), self.scope or Scope(None), volume_year(), snap)
        attach_feedback(desk, snap, self.scope or Scope(None))  # 采用反馈: the duty engine's figures, as stats
        if self.config.page_rows < 1:
            raise PluginError(f"mkdocs.yml中bulletin插件的page_rows应为正整数（现为{self.config.page_rows}）")
        for page in generate(desk, config.use_directory_urls, self.config.page_rows):
            existing = files.get_file_from_path(page.src_uri)
            if existing is not None:
                raise PluginError(f"docs/{page.src_uri}与自动生成的页面重名：请删除或改名这个文件")
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.content, inclusion=inclusion))
        from bulletin.publish.discipline import discipline_pages

        shown = set(desk.submissions) | set(desk.intake)  # the items this site lists, by title
        full = self.scope is None or self.scope.full
        record = discipline_pages(
            desk.config, snap.now, lambda sub: full or sub is None or sub in shown, self.config.page_rows, snap
        )
        from bulletin.publish.statistics import statistics_pages

        record += statistics_pages(desk.config, snap, self.scope or Scope(None), desk.year, config.nav)
        for page in record:  # discipline.md, and the parts of its long sections; 统计 and its charts
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.content, inclusion=inclusion))
        from bulletin.publish.cms import submit_files

        try:
            made = submit_files(desk.config)
        except BulletinError as exc:
            raise PluginError(f"报送页面未能生成：{exc}") from exc
        for src, content in made.items():  # the 报送 page (publish/cms.py)
            if files.get_file_from_path(src) is None:
                files.append(File.generated(config, src, content=content))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
        """A hand-written page may hold LATEST_MARKER: it becomes the latest issue of each publication."""
        if LATEST_MARKER in markdown and self.desk is not None:
            latest = "\n".join(latest_issues(self.desk, page.file.src_uri, level=3))
            markdown = markdown.replace(LATEST_MARKER, latest)
        return markdown

    @event_priority(100)  # before the search plugin reads the page: it indexes the sanitised body
    def on_page_content(self, html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
        """Every page's body through the sanitiser: what a parser let through does not reach a browser."""
        from bulletin.publish.sanitise import sanitise

        return sanitise(html)

    def on_post_build(self, config: MkDocsConfig) -> None:
        """The rare characters' fonts (publish/sitefonts.py); the search index of the built pages
        (site/pagefind/); every issue's PDF (and each earlier revision's) into site/pdf/, rebuilt
        only when changed."""
        if self.desk is not None:
            from bulletin.publish.sitefonts import write_site_fonts

            write_site_fonts(self.desk.config, Path(config.site_dir))
            from bulletin.publish.cms import admin_form

            try:
                log.info(admin_form(self.desk.config, Path(config.site_dir)))
            except BulletinError as exc:
                raise PluginError(f"信息报送表单未能生成：{exc}") from exc
        if self.config.search and self.desk is not None:
            from bulletin.publish.search import index_site

            try:
                log.info(f"检索索引：{index_site(self.desk, Path(config.site_dir), config.use_directory_urls)}条")
            except BulletinError as exc:
                raise PluginError(str(exc)) from exc
        if not self.config.pdf or self.desk is None:
            return
        from bulletin.publish.pdfsite import publish_pdfs

        try:
            built, kept = publish_pdfs(self.desk, Path(config.site_dir))
        except BulletinError as exc:
            raise PluginError(f"PDF未能生成：{exc}") from exc
        log.info(f"PDF：重排{built}份，沿用未改动的{kept}份")

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        """`mkdocs serve` rebuilds when an issue, a submission or the configuration changes."""
        root = desk_root(config)
        for name in (ISSUES, SUBMISSIONS, CONFIG_NAME, "network.yml"):
            if (root / name).exists():
                server.watch(str(root / name))
        return server


def volume_year() -> int | None:
    """The year volume to build, from BULLETIN_YEAR (set by `bulletin build --year` and for mike)."""
    value = os.environ.get("BULLETIN_YEAR", "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        raise PluginError(f"环境变量BULLETIN_YEAR“{value}”应为四位年份，如2026")
    return int(value)


def desk_root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or ".").resolve().parent


def _config(root: Path) -> Config:
    try:
        return load_config(root)
    except ConfigError as exc:
        raise PluginError(f"报送台配置有误，站点未能构建：{exc}") from exc


def load_desk(root: Path, scope: Scope, year: int | None = None, snap: Snapshot | None = None) -> Desk:
    """Configuration, issues and submissions, checked enough that every page can be made,
    narrowed to what the build's audience may read (from `snap`, the one reading of the desk)."""
    from bulletin.desk.snapshot import read_desk

    snap = snap or read_desk(_config(root))
    config = snap.config
    issues, findings = snap.issues, snap.issue_findings
    if findings:
        raise PluginError(_problems("刊物文件有误", findings))
    submissions = load_submissions(config, snap)
    if year is not None:  # one year volume (年卷): a year's build does not rebuild the past
        issues = [i for i in issues if i.year == year]
        credited = {s for i in issues for item in i.items for s in item.sources}
        submissions = {k: v for k, v in submissions.items() if k.split("/")[1] == str(year) or k in credited}
    problems = [f for issue in issues for f in _issue_problems(config, issue, submissions)]
    if problems:
        raise PluginError(_problems("刊物文件有误", problems))
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
