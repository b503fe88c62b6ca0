"""The search step of a site build: a Pagefind index of what this audience's site shows.

Pagefind (PyPI `pagefind`; the desk cuts the Chinese itself, see below) writes a
static index into the site's pagefind/ folder, split into small chunks that a reader's browser
loads only for the words it searches; nothing is loaded from outside the site. The 搜索 page
(docs/search.md, theme template search.html) searches it with the desk's own interface (search.js).

What is indexed is cut from this audience's own built pages, after the sanitiser: one record per
item of an issue (its title, weighted, and its text, without the credit line), linked to the
item's place in the issue page; one per issue with an 编者按; one per unit (who it is, not its
listing). Each record carries filters (刊物, 年份, 单位, 主题) and the issue, date and units as
result tags. Guides, listings and the discipline pages are not indexed: a reader searching
防汛 finds the items about 防汛, not the security guide. A page the audience may not read is not
in its site, so its words are in no index of that site.

Chinese is cut by the desk, not by Pagefind, the same way for the index and for a query (`cut`,
and search.js's `cut` for what a reader types): every run of Chinese characters becomes one word
per character, the character and the next one of the run (武宁县 → 武宁 宁县 县x, the last one marked
with RUN_END). A query of two or more characters is cut into its pairs, and Pagefind finds the
records holding every pair; a single character finds the words it begins. Pagefind's own cutting
is switched off on both sides (the index in INDEX_LANGUAGE, the query searched as INDEX_LANGUAGE:
search.js): the indexer cut with jieba and the browser with its own dictionary, and a name cut two
ways (武宁县 as 武/宁县 in a record, 武/宁/县 in the query) found nothing, while a word no record
holds fell back to records sharing its first character. Every text Pagefind reads is cut (the
records' text and their meta), so no single character is a word of the index; search.js shows
them again as written (`uncut`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import html
import itertools
import json
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin.core.model import Issue, Unit
from bulletin.desk.issues import cn_date
from bulletin.errors import BulletinError
from bulletin.publish.pages import Desk, issue_name, issue_src, publication_name, unit_src

INDEX_DIR = "pagefind"  # the index and Pagefind's scripts, in the site's root
# the language Pagefind is told (an undetermined one): it cuts no words of its own, the desk has (cut)
INDEX_LANGUAGE = "und"
TITLE_WEIGHT = 10  # a word in an item's title counts this many times a word of its text

# Chinese characters (Unicode's Han script: the unified ideographs and their extensions, the
# compatibility ones, 〇 and 々); search.js holds the same class, tests/test_search.py compares the two
HAN = "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
RUN_END = "x"  # marks the last character of a run: a letter (Pagefind keeps letters), never after Chinese in a text
# characters written one way and searched another, folded as Unicode's NFKC does: full-width letters and
# digits (ＡＢＣ２０２６), Kangxi and supplementary radicals (⼯作, pasted from a PDF), compatibility ideographs
FOLDED = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2e80-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f"
# invisible characters that would part a run (zero-width spaces and joiners, soft hyphens, variation selectors)
INVISIBLE = "\u00ad\u200b-\u200f\u2060-\u2064\ufeff\ufe00-\ufe0f\U000e0100-\U000e01ef"
_HAN_START = re.compile(f"[{HAN}]")
_FOLD = re.compile(f"[{FOLDED}]")
_INVISIBLE = re.compile(f"[{INVISIBLE}]+")
# a run of Chinese and the marks right after it (，。“…): they stay with its last word, so that they take
# no place of their own between the words (Pagefind keeps no mark in a word, but counts every word's place)
_RUN = re.compile(f"([{HAN}]+)([^\\w\\s]*)")


def _plain(text: str) -> str:
    """`text` with folded characters as they are searched and the invisible ones left out."""
    text = _INVISIBLE.sub("", text)
    return _FOLD.sub(lambda c: unicodedata.normalize("NFKC", c[0]), text)


def cut(text: str) -> str:
    """`text` as the index holds it: each run of Chinese characters as one word per character (the
    character and the next, the last with RUN_END and the marks that follow it), set apart by spaces;
    other text as it is. A character Unicode has not assigned is left out (Pagefind keeps none)."""

    def words(run: re.Match[str]) -> str:
        # an unassigned character ends a run and is left out (丁?卯 is 丁 and 卯, not 丁卯)
        parts = [""]
        for char in run[1]:
            if unicodedata.category(char) == "Cn":
                parts.append("")
            else:
                parts[-1] += char
        out = [" ".join([a + b for a, b in itertools.pairwise(part)] + [part[-1] + RUN_END]) for part in parts if part]
        return " " + " ".join(out) + run[2] + " "

    return _RUN.sub(words, _plain(text))


def uncut(words: str) -> str:
    """The text of `cut` again, from the words the index holds (Pagefind's content or meta): a word
    that begins with a Chinese character stands for that character and the marks after its second;
    other words keep the space between them, but after a full-width mark (20；1，湖口县: GB/T 15834
    puts no space there). Spaces next to Chinese text are not restored (the desk's texts have none), nor
    invisible characters; folded ones stay folded."""
    out: list[str] = []
    after_word = False  # the last piece was a word other than Chinese: a space before the next such word
    for word in words.split():
        if _HAN_START.match(word):
            out.append(word[0] + word[2:])
            after_word = False
        else:
            out.append(" " + word if after_word else word)
            after_word = word[-1].isascii() or word[-1].isalnum()  # not after ，；） and the like
    return "".join(out)


_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>|<!--.*?-->""", re.S)
# elements that end a run of text; any other (strong, a, span…) is read through: 修水县 in bold
# before 渣津镇 is one run, 修水县渣津镇
_BLOCKS = frozenset(
    {
        "address", "article", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip


CELL_MARK, ROW_MARK = "，", "；"  # a table row as one paragraph: 1，修水县，2，2，100%，20；


def cut_html(markup: str) -> str:
    """The HTML of a record as Pagefind reads it: a paragraph of cut text for each block of `markup`
    (a run of Chinese read through the elements within a block), a table's row as one paragraph with
    its cells parted by CELL_MARK and ended by ROW_MARK (an excerpt of the 通报's ranking would run its
    cells together: 名次单位报送…, 1.柴桑区2. 2.); no attributes (an image's alt, a title, would reach the
    index uncut), no images, no comments."""
    blocks: list[str] = []
    text: list[str] = []
    cells: list[str] | None = None  # within a table's row: its cells so far

    def paragraph(words: str) -> None:
        blocks.append(f"<p>{html.escape(cut(words), quote=False)}</p>")

    def end_row() -> None:
        nonlocal cells
        if cells:
            paragraph(CELL_MARK.join(c.rstrip(CELL_MARK + ROW_MARK) for c in cells) + ROW_MARK)
        cells = None

    def flush() -> None:
        joined = "".join(text).strip()
        text.clear()
        if not joined:
            return
        if cells is not None:
            cells.append(joined)
        else:
            paragraph(joined)

    at = 0
    for tag in _TAG.finditer(markup):
        text.append(html.unescape(markup[at : tag.start()]))
        name = (tag[2] or "").lower()
        if name in _BLOCKS:
            flush()
        if name in ("tr", "table", "thead", "tbody", "tfoot"):  # a row ends (or the next begins)
            end_row()
        if name == "tr" and not tag[1]:
            cells = []
        at = tag.end()
    text.append(html.unescape(markup[at:]))
    flush()
    end_row()  # a row not closed
    return "".join(blocks)


_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
_H2 = re.compile(r'<h2 id="([^"]*)"[^>]*>', re.S)
# where an item's own text ends: the next item's marks or column, its credit line, the issue's 报尾
_ITEM_END = re.compile(
    r'<p class="bulletin-marks">|<p class="bulletin-column">|<p><strong>来源：</strong>|<div class="bulletin-footer">'
)
_NOTE = re.compile(r"<blockquote>\s*<p><strong>编者按：</strong>.*?</blockquote>", re.S)
_UNIT_LISTING = re.compile(r'<h2 id="submissions"')
_UNIT_TABLE = re.compile(r"<table>.*?</table>", re.S)
_ROW = re.compile(r"<tr>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*</tr>", re.S)


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

        # the desk's search page writes a filter's value as text; Pagefind's own interface (not deployed: see
        # UNUSED), or any other put in its place, would write it as HTML, decoding entities on the way in: a
        # topic a unit wrote (<img onerror=…>) keeps its brackets as full-width ones, text to either. Filters
        # are not searched words
        tags = [
            attr("data-pagefind-filter", k, v.translate(_AS_TEXT)) for k, values in self.filters.items() for v in values
        ]
        # the link (with the item's anchor) as meta "url", which the search page links (search.js puts
        # the site's base in front): the record itself is a file of a temporary folder. Pagefind
        # searches the meta's words too: they are cut like the text (search.js shows them uncut)
        meta = {"title": cut(self.title), **{k: cut(v) for k, v in self.meta.items()}, "url": self.url}
        tags += [attr("data-pagefind-meta", k, v) for k, v in meta.items() if v]
        if self.sort:
            tags.append(attr("data-pagefind-sort", "date", self.sort))
        # the title after the text: weighted like the text TITLE_WEIGHT times over, yet an excerpt
        # (cut around the words found) starts in the text rather than repeating the title above it
        title = html.escape(cut(self.title), quote=False)
        return (
            f'<!DOCTYPE html><html lang="{INDEX_LANGUAGE}"><head><meta charset="utf-8"></head><body>'
            f'<div>{cut_html(self.body)}</div><p data-pagefind-weight="{TITLE_WEIGHT}">{title}</p>'
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


@dataclass(frozen=True)
class Sources:
    """The pages that have records: issue pages and unit pages, by their source path."""

    issues: dict[str, Issue]
    units: dict[str, Unit]

    @classmethod
    def of(cls, desk: Desk) -> Sources:
        return cls({issue_src(i): i for i in desk.issues}, {unit_src(u.id): u for u in desk.config.units})


def page_records(desk: Desk, src_uri: str, article: str, url: str, sources: Sources | None = None) -> list[Record]:
    """The records of one page (its body, after the sanitiser): an issue's items and note, a unit; else none."""
    sources = sources or Sources.of(desk)
    issue = sources.issues.get(src_uri)
    if issue is not None:
        return list(_issue_records(desk, issue, article, url))
    unit = sources.units.get(src_uri)
    if unit is None:
        return []
    who = _UNIT_TABLE.search(_UNIT_LISTING.split(article, 1)[0])
    # the table's rows (项目, 内容) as 类型：乡镇街道；上级单位：…。: the index's words keep no space between cells
    rows = "；".join(f"{key}：{value}" for key, value in _ROW.findall(who[0])) if who else ""
    rows = f"<p>{rows}。</p>" if rows else ""
    return [Record(url, unit.name, rows, {"单位": [unit.name]}, {"类别": "报送单位"})]


def records(desk: Desk, site_dir: Path, use_directory_urls: bool = True) -> Iterator[Record]:
    """What the audience's built site shows that a reader searches: its issues' items and its units."""
    sources = Sources.of(desk)
    for src, issue in sources.issues.items():
        path, url = page_file(src, use_directory_urls)
        article = _article(site_dir / path)
        if article is None:
            raise _missing(issue, site_dir / path)
        yield from page_records(desk, src, article, url, sources)
    for src in sources.units:
        path, url = page_file(src, use_directory_urls)
        article = _article(site_dir / path)
        if article is not None:
            yield from page_records(desk, src, article, url, sources)


SEARCH_PAGE = "search.md"  # the 搜索 page (docs/search.md, theme template search.html)
_PRELOAD = re.compile(r"<!-- bulletin:search-index (\S*) -->")


# what Pagefind writes beside its index for interfaces of its own, which no page of the site loads (the
# 搜索 page runs the desk's own over pagefind.js, which itself fetches pagefind-worker.js): about 450 KB
# a site, removed once the index is written
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


def _written(site_dir: Path, use_directory_urls: bool) -> None:
    """The index just written into the site: Pagefind's unused interfaces removed, the 搜索 page told it."""
    for name in UNUSED:
        (site_dir / INDEX_DIR / name).unlink(missing_ok=True)
    preload_index(site_dir, use_directory_urls)


def preload_index(site_dir: Path, use_directory_urls: bool = True) -> None:
    """The 搜索 page told the names of the index files Pagefind fetches first, its entry and metadata,
    known once the index is written (they hold its hash): preloaded with the page's own files, and the
    hash given to search.js for Pagefind's metaCacheTag, so that the entry's address is the one preloaded
    (Pagefind otherwise adds the time to it). A page without the mark (a theme of its own) is left as is."""
    page = site_dir / page_file(SEARCH_PAGE, use_directory_urls)[0]
    try:
        text = page.read_text(encoding="utf-8")
        languages = json.loads((site_dir / INDEX_DIR / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
        (tag,) = (language["hash"] for language in languages.values())
    except (OSError, ValueError, KeyError, TypeError):
        return

    def links(mark: re.Match[str]) -> str:
        prefix, hash_ = html.escape(mark[1]), html.escape(tag)
        return (
            f'<meta name="bulletin-search-index" content="{hash_}">'
            f'<link rel="preload" href="{prefix}pagefind-entry.json?ts={hash_}" as="fetch" crossorigin>'
            f'<link rel="preload" href="{prefix}pagefind.{hash_}.pf_meta" as="fetch" crossorigin>'
        )

    marked = _PRELOAD.sub(links, text, count=1)
    if marked != text:
        page.write_text(marked, encoding="utf-8")


def _missing(issue: Issue, path: Path) -> SearchError:
    return SearchError(f"检索索引未能生成：找不到{issue.id}这一期的页面{path}，请重新构建站点")


async def _write(folder: Path, out: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=str(out), force_language=INDEX_LANGUAGE)
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(folder))  # one request for every record (the service answers slowly)


def _failed(exc: BaseException) -> SearchError:
    if isinstance(exc, FileNotFoundError):
        return SearchError(
            "检索索引未能生成：没有找到Pagefind程序。请运行make site（会安装pyproject.toml中的pagefind[extended]）"
        )
    return SearchError(f"检索索引未能生成：Pagefind报错：{exc}")  # the Pagefind service's own message


def index_site(desk: Desk, site_dir: Path, use_directory_urls: bool = True) -> int:
    """Pagefind's index of the built site at `site_dir` into its pagefind/ folder; returns the records."""
    found = 0
    with tempfile.TemporaryDirectory(prefix="bulletin-search-", dir=_scratch()) as folder:
        for n, record in enumerate(records(desk, site_dir, use_directory_urls)):
            (Path(folder) / f"{n}.html").write_text(record.html(), encoding="utf-8")
            found += 1
        try:
            _run(_write(Path(folder), (site_dir / INDEX_DIR).resolve()))
        except Exception as exc:
            raise _failed(exc) from exc
    _written(site_dir, use_directory_urls)
    return found


def _run(work: Coroutine[Any, Any, None]) -> None:
    """A coroutine run to its end from synchronous code: in this thread, or, where this thread already runs
    an event loop (a caller's own, such as Playwright's synchronous API), in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(work)
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()


def _scratch() -> str | None:
    """Where the records go for Pagefind to read: memory (/dev/shm) where there is one, else the temporary
    folder; they are read once and removed, and a disk busy with the build's own files would only slow it."""
    return _SHM if os.path.isdir(_SHM) and os.access(_SHM, os.W_OK) else None


_SHM = "/dev/shm"


class Indexer:
    """The index made while the site is built: each page's records as the page is rendered (add), handed
    to Pagefind's service in batches from a thread of its own, so that Pagefind (a process of its own)
    indexes them while the rest of the site is rendered. Once the last page with records is in (every
    issue and unit page: mkdocs renders every page's body before it lays out any page), the index is
    written (beside the records) while the pages are laid out; finish() waits for it, moves it into the
    site's pagefind/ folder and returns the records.

    The same records as index_site makes from the built pages, in the order the pages are rendered."""

    BATCH = 250  # records a request: few requests (each answer waits for the service's 0.1 s poll)

    def __init__(self, desk: Desk, site_dir: Path, use_directory_urls: bool = True) -> None:
        self.desk = desk
        self.sources = Sources.of(desk)
        self.out = (site_dir / INDEX_DIR).resolve()
        self.use_directory_urls = use_directory_urls
        self.seen: set[str] = set()
        self.count = 0
        self._expected = set(self.sources.issues) | set(self.sources.units)
        self._batch: list[Record] = []
        self._folder = tempfile.TemporaryDirectory(prefix="bulletin-search-", dir=_scratch())
        self._sent: list[concurrent.futures.Future[None]] = []
        self._written: concurrent.futures.Future[None] | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="bulletin-search", daemon=True)
        self._thread.start()
        self._index = asyncio.run_coroutine_threadsafe(self._open(), self._loop)

    async def _open(self) -> Any:
        from pagefind.index import IndexConfig, PagefindIndex

        # written beside the records, and moved into the site by finish(): an interrupted build leaves Pagefind
        # (a process of its own) nothing to write into the site's folder after the build has removed it
        staged = str(Path(self._folder.name) / INDEX_DIR)
        index = PagefindIndex(config=IndexConfig(output_path=staged, force_language=INDEX_LANGUAGE))
        return await index.__aenter__()

    def add(self, src_uri: str, article: str) -> None:
        """The page `src_uri` (its body as the site shows it); pages without records are skipped."""
        if src_uri not in self._expected or self._written is not None:
            return
        _, url = page_file(src_uri, self.use_directory_urls)
        self.seen.add(src_uri)
        self._batch += page_records(self.desk, src_uri, article, url, self.sources)
        if len(self._batch) >= self.BATCH:
            self._send()
        if self.seen >= self._expected:
            self._write()

    def _send(self) -> None:
        folder = Path(self._folder.name) / str(len(self._sent))
        folder.mkdir()
        for record in self._batch:
            (folder / f"{self.count}.html").write_text(record.html(), encoding="utf-8")
            self.count += 1
        self._batch = []
        self._sent.append(asyncio.run_coroutine_threadsafe(self._add(folder), self._loop))

    async def _add(self, folder: Path) -> None:
        index = await asyncio.wrap_future(self._index)
        await index.add_directory(str(folder))

    def _write(self) -> None:
        """The last batch, then the index written (in the background): nothing more is added."""
        if self._batch or not self._sent:
            self._send()
        self._written = asyncio.run_coroutine_threadsafe(self._write_files(list(self._sent)), self._loop)

    async def _write_files(self, sent: list[concurrent.futures.Future[None]]) -> None:
        for batch in sent:
            await asyncio.wrap_future(batch)
        index = await asyncio.wrap_future(self._index)
        await index.write_files()

    def finish(self) -> int:
        """The index written into the site; the records indexed. A page of an issue not seen is an error."""
        try:
            for src, issue in self.sources.issues.items():
                if src not in self.seen:
                    raise _missing(issue, self.out.parent / page_file(src, self.use_directory_urls)[0])
            if self._written is None:
                self._write()
            assert self._written is not None
            try:
                self._written.result()
            except Exception as exc:
                raise _failed(exc) from exc
            staged = Path(self._folder.name) / INDEX_DIR
            if self.out.exists():  # a build into a folder not cleaned first (mkdocs --dirty): the new files over it
                shutil.copytree(staged, self.out, dirs_exist_ok=True)
            else:
                shutil.move(staged, self.out)
            _written(self.out.parent, self.use_directory_urls)
            return self.count
        finally:
            self.close()

    def close(self) -> None:
        """Stop Pagefind's service (without writing, when the build failed) and remove the records' folder."""
        if self._thread.is_alive():
            with contextlib.suppress(Exception):
                index = self._index.result(timeout=60)
                # an exception's type makes the context manager's exit close the service without writing
                done = index.__aexit__(RuntimeError, None, None)
                asyncio.run_coroutine_threadsafe(done, self._loop).result(timeout=10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        self._folder.cleanup()
