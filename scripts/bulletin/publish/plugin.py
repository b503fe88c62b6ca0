"""The desk's mkdocs plugin: pages generated from the desk itself, so `mkdocs build` just works.

A thin adapter: publish/generate.py writes the generated pages as files (信息写作与报送规范 from
the rule registry, the publications, their issues, the reporting units, the topics, the discipline
record) into build/pages/<audience>/<year>/, and on_files adds those files to the build; another
generator (Zensical, generate.write_project) builds the same files. The desk is the folder of
mkdocs.yml, which holds bulletin.yml.

Every page body is sanitised (publish/sanitise.py) before any other plugin sees it, so the search
index holds the same sanitised text; the theme's few inline scripts are replaced by files
(templates/theme/), so the site runs under a Content-Security-Policy without 'unsafe-inline' scripts.

A broken issue file stops the build with a Chinese message naming the file and the line
(a PluginError, which mkdocs prints as one error, without a traceback).
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from bulletin.desk.config import CONFIG_NAME, load_config
from bulletin.desk.issues import ISSUES
from bulletin.editorial.assemble import SUBMISSIONS
from bulletin.errors import BulletinError, ConfigError
from bulletin.publish.audience import Scope, requested_audience, scope_for
from bulletin.publish.generate import RULES_PAGE, fill_latest, generated
from bulletin.publish.pages import PAGE_ROWS, Desk

if TYPE_CHECKING:
    from bulletin.publish.search import Indexer

log = get_plugin_logger(__name__)
# overrides of the theme's partials whose inline <script>s become files (assets/bulletin/*.js)
THEME_OVERRIDES = Path(__file__).parent / "templates" / "theme"
MIKE_VERSION = "MIKE_DOCS_VERSION"  # set by `mike deploy` while it builds a version


class BulletinConfig(base.Config):
    rules_page = c.Type(str, default=RULES_PAGE)
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
    indexer: Indexer | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Which audience this build is for; its name goes into the site's name on every page."""
        try:
            desk_config = load_config(desk_root(config))
        except ConfigError as exc:
            raise PluginError(f"报送台配置有误，站点未能构建：{exc}") from exc
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
        """The generated pages (publish/generate.py writes them as files under build/pages/), added to the build."""
        try:
            made = generated(
                desk_root(config),
                self.scope or Scope(None),
                volume_year(),
                use_directory_urls=config.use_directory_urls,
                page_rows=self.config.page_rows,
                docs_dir=Path(config.docs_dir),
                rules_page=self.config.rules_page,
            )
        except BulletinError as exc:
            raise PluginError(str(exc)) from exc
        self.desk = made.desk
        from bulletin.publish.statistics import site_nav

        if config.nav is not None:
            config.nav[:] = site_nav(config.nav, made.desk.config, self.scope or Scope(None))
        if self.config.search:  # Pagefind indexes each page as it is rendered (publish/search.py)
            from bulletin.publish.search import Indexer

            self._close_index()
            self.indexer = Indexer(made.desk, Path(config.site_dir), config.use_directory_urls)
        folder = str(made.folder)
        for page in made.pages:
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File(page.src_uri, folder, config.site_dir, config.use_directory_urls, inclusion=inclusion))
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: MkDocsConfig, files: Files) -> str:
        """A hand-written page may hold LATEST_MARKER: it becomes the latest issue of each publication."""
        return fill_latest(self.desk, page.file.src_uri, markdown) if self.desk is not None else markdown

    @event_priority(100)  # before the search plugin reads the page: it indexes the sanitised body
    def on_page_content(self, html: str, page: Any, config: MkDocsConfig, files: Files) -> str:
        """Every page's body through the sanitiser: what a parser let through does not reach a browser."""
        from bulletin.publish.sanitise import sanitise

        clean = sanitise(html)
        if self.indexer is not None:
            self.indexer.add(page.file.src_uri, clean)
        return clean

    def on_build_error(self, error: Exception) -> None:
        self._close_index()

    def _close_index(self) -> None:
        if self.indexer is not None:
            self.indexer.close()
            self.indexer = None

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
        if self.indexer is not None:
            indexer, self.indexer = self.indexer, None
            try:
                log.info(f"检索索引：{indexer.finish()}条")
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
