"""The search step of a site build: a Pagefind index of what this audience's site shows.

Pagefind (PyPI `pagefind` with its extended binary, which segments Chinese into words) writes a
static index into the site's pagefind/ folder, split into small chunks that a reader's browser
loads only for the words it searches, with Pagefind's own search interface beside it; nothing is
loaded from outside the site. The 搜索 page (docs/search.md, theme template search.html) runs it.

What is indexed is cut from this audience's own built pages, after the sanitiser: one record per
item of an issue (its title, weighted, and its text, without the credit line), linked to the
item's place in the issue page; one per issue with an 编者按; one per unit (who it is, not its
listing). Each record carries filters (刊物, 年份, 单位, 主题) and the issue, date and units as
result tags. Guides, listings and the discipline pages are not indexed: a reader searching
防汛 finds the items about 防汛, not the security guide. A page the audience may not read is not
in its site, so its words are in no index of that site.
"""

from __future__ import annotations

import asyncio
import html
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.core.model import Issue
from bulletin.desk.issues import cn_date
from bulletin.errors import BulletinError
from bulletin.publish.pages import Desk, issue_name, issue_src, publication_name, unit_src

INDEX_DIR = "pagefind"  # the index and Pagefind's interface, in the site's root
LANGUAGE = "zh"  # the theme's <html lang>: Pagefind's interface loads the index of the page's language
TITLE_WEIGHT = 10  # a word in an item's title counts this many times a word of its text

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
_H2 = re.compile(r'<h2 id="([^"]*)"[^>]*>', re.S)
# where an item's own text ends: the next item's marks or column, its credit line, the issue's 报尾
_ITEM_END = re.compile(
    r'<p class="bulletin-marks">|<p class="bulletin-column">|<p><strong>来源：</strong>|<div class="bulletin-footer">'
)
_NOTE = re.compile(r"<blockquote>\s*<p><strong>编者按：</strong>.*?</blockquote>", re.S)
_UNIT_LISTING = re.compile(r'<h2 id="submissions"')
_UNIT_TABLE = re.compile(r"<table>.*?</table>", re.S)


_AS_TEXT = str.maketrans({"<": "＜", ">": "＞", "&": "＆"})


class SearchError(BulletinError):
    exit_code = 1


@dataclass
class Record:
    """One search result: its address in the site (relative to the site's root, with the item's anchor),
    its title, its text as HTML."""

    url: str
    title: str
    body: str
    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    sort: str = ""

    def html(self) -> str:
        def attr(name: str, key: str, value: str) -> str:
            # Pagefind reads "key:value"; a comma would start another pair
            return f'<span {name}="{html.escape(key)}:{html.escape(value.replace(",", "，"))}"></span>'

        # Pagefind's interface writes a filter's value into the page as HTML (and decodes entities on the way
        # in): a topic a unit wrote (<img onerror=…>) keeps its brackets as full-width ones, and stays text
        tags = [
            attr("data-pagefind-filter", k, v.translate(_AS_TEXT)) for k, values in self.filters.items() for v in values
        ]
        # the link (with the item's anchor) as meta "url", which Pagefind's interface follows (search.js
        # puts the site's base in front): the record itself is a file of a temporary folder
        meta = {"title": self.title, "url": self.url, **self.meta}
        tags += [attr("data-pagefind-meta", k, v) for k, v in meta.items() if v]
        if self.sort:
            tags.append(attr("data-pagefind-sort", "date", self.sort))
        # the title after the text: weighted like the text TITLE_WEIGHT times over, yet an excerpt
        # (cut around the words found) starts in the text rather than repeating the title above it
        return (
            f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head><body>'
            f'<div>{self.body}</div><p data-pagefind-weight="{TITLE_WEIGHT}">{html.escape(self.title)}</p>'
            f"{''.join(tags)}</body></html>"
        )


def page_file(src_uri: str, use_directory_urls: bool) -> tuple[str, str]:
    """(the built file, its URL from the site root) of a generated page source such as units/xiushui.md."""
    stem = src_uri[: -len(".md")]
    if use_directory_urls:
        return f"{stem}/index.html", f"{stem}/"
    return f"{stem}.html", f"{stem}.html"


def _article(path: Path) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    found = _ARTICLE.search(text)
    return found[1] if found else None


def _issue_records(desk: Desk, issue: Issue, article: str, url: str) -> Iterator[Record]:
    config = desk.config
    name = issue_name(config, issue)
    common = {"刊物": [publication_name(config, issue.publication)], "年份": [f"{issue.date.year}年"]}
    when = cn_date(issue.date)
    heads = list(_H2.finditer(article))
    if issue.note:
        note = _NOTE.search(article[: heads[0].start()] if heads else article)
        if note:
            meta = {"刊期": name, "日期": when}
            yield Record(url, f"{name}编者按", note[0], dict(common), meta, issue.date.isoformat())
    if len(heads) < len(issue.items):  # not the page this step knows: the whole page as one record
        yield Record(url, name, article, dict(common), {"刊期": name, "日期": when}, issue.date.isoformat())
        return
    for n, item in enumerate(issue.items):
        start = heads[n].end()
        stop = heads[n + 1].start() if n + 1 < len(heads) else len(article)
        section = article[start:stop].split("</h2>", 1)[-1]
        section = section[: m.start()] if (m := _ITEM_END.search(section)) else section
        units: list[str] = []
        topics: list[str] = []
        for source in item.sources:
            unit = config.unit(source.split("/", 1)[0])
            units.append(unit.name if unit else source.split("/", 1)[0])
            sub = desk.submissions.get(source)
            topics += sub.topics if sub else ()
        units, topics = list(dict.fromkeys(units)), list(dict.fromkeys(topics))
        filters = {**common, "单位": units, "主题": topics}
        meta = {"刊期": name, "日期": when, "单位": "、".join(units)}
        yield Record(f"{url}#{heads[n][1]}", item.title, section, filters, meta, issue.date.isoformat())


def records(desk: Desk, site_dir: Path, use_directory_urls: bool = True) -> Iterator[Record]:
    """What the audience's built site shows that a reader searches: its issues' items and its units."""
    for issue in desk.issues:
        path, url = page_file(issue_src(issue), use_directory_urls)
        article = _article(site_dir / path)
        if article is None:
            raise SearchError(f"检索索引未能生成：找不到{issue.id}这一期的页面{site_dir / path}，请重新构建站点")
        yield from _issue_records(desk, issue, article, url)
    for unit in desk.config.units:
        path, url = page_file(unit_src(unit.id), use_directory_urls)
        article = _article(site_dir / path)
        if article is None:
            continue
        who = _UNIT_TABLE.search(_UNIT_LISTING.split(article, 1)[0])
        yield Record(url, unit.name, who[0] if who else "", {"单位": [unit.name]}, {"类别": "报送单位"})


async def _write(folder: Path, out: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=str(out), force_language=LANGUAGE)
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(folder))  # one request for every record (the service answers slowly)


def index_site(desk: Desk, site_dir: Path, use_directory_urls: bool = True) -> int:
    """Pagefind's index of the built site at `site_dir` into its pagefind/ folder; returns the records."""
    found = 0
    with tempfile.TemporaryDirectory(prefix="bulletin-search-") as folder:
        for n, record in enumerate(records(desk, site_dir, use_directory_urls)):
            (Path(folder) / f"{n}.html").write_text(record.html(), encoding="utf-8")
            found += 1
        try:
            asyncio.run(_write(Path(folder), (site_dir / INDEX_DIR).resolve()))
        except FileNotFoundError as exc:
            raise SearchError(
                "检索索引未能生成：没有找到Pagefind程序。请运行make site（会安装pyproject.toml中的pagefind[extended]）"
            ) from exc
        except Exception as exc:  # the Pagefind service's own failure (a message from its process)
            raise SearchError(f"检索索引未能生成：Pagefind报错：{exc}") from exc
    return found
