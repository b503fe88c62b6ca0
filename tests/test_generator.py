"""The generated pages as files (publish/generate.py), and the swap of the site generator.

write_pages writes every generated page of an audience's site into build/pages/<audience>/<year>/
(only the changed files); the mkdocs plugin adds those files to its build; build_zensical builds the
same pages with Zensical (pinned in pyproject.toml's dev extra), which runs none of the desk's plugins.
The Zensical site must hold the same pages as the mkdocs site, every link between its pages must lead
to a file of the site without climbing above its root, and Chromium must find Chinese words with its
search, from the 搜索 page and from the header's box (Pagefind over the Zensical output, served under the
deployed Content-Security-Policy, the network cut off). Year volumes: tests/test_zensical.py.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import shutil
import tomllib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from PIL import Image

from bulletin.publish.generate import LATEST_MARKER, PAGES_DIR, build_zensical, write_pages
from bulletin.publish.serve import CSP
from desk_helpers import REPO, launched_chromium, run_cli, served_folder
from test_search import FLOOD_ISSUE, SECRET_WORD, Reader, flood_desk

ISSUE = "publications/huiyao/2026/004.md"


def _desk(target: Path) -> Path:
    desk = flood_desk(target)
    for name in ("mkdocs.yml", "bulletin.yml"):
        shutil.copy(REPO / name, desk / name)
    return desk


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    return _desk(tmp_path / "desk")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the office's site built by `bulletin build` with mkdocs, the same built by Zensical), PDFs included."""
    desk = _desk(tmp_path_factory.mktemp("generator") / "desk")
    done = run_cli("build", "--audience", "office", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    return desk / "site" / "office", build_zensical(desk, "office")  # `bulletin build` writes site/<audience>/


def _pages(site: Path) -> set[str]:
    """The site's pages by their address (folder of an index.html), without the generators' own extras."""
    found = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")}
    return {"" if p == "." else p + "/" for p in found} - {"pagefind/"}


def test_write_pages_writes_every_generated_page_as_a_markdown_file(desk: Path) -> None:
    paths = write_pages(desk, "office")
    folder = desk / PAGES_DIR / "office" / "all"
    rels = {p.relative_to(folder).as_posix() for p in paths}
    assert all(p.is_file() for p in paths)
    assert {"publications/index.md", "units/index.md", "topics/index.md", "discipline.md", "rules.md", ISSUE} <= rels
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == rels  # nothing else
    page = (folder / ISSUE).read_text(encoding="utf-8")
    head, body = page.removeprefix("---\n").split("\n---\n", 1)
    assert yaml.safe_load(head)["title"] == "九江信息（汇要） 2026年第4期（总第4期）", head
    assert "## 都昌县提前谋划明年防汛工作" in body
    assert SECRET_WORD in (folder / "publications/huiyao/2026/005.md").read_text(encoding="utf-8")


def test_an_audience_folder_holds_nothing_above_its_clearance(desk: Path) -> None:
    paths = write_pages(desk, "counties")
    assert paths and all("/counties/all/" in p.as_posix() for p in paths)
    assert not [p for p in paths if SECRET_WORD in p.read_text(encoding="utf-8")]
    year = write_pages(desk, "office", 2025)
    assert {p.relative_to(desk / PAGES_DIR / "office" / "2025").as_posix() for p in year} >= {
        "publications/huiyao/2025/001.md"
    }
    assert not [p for p in year if "/2026/" in p.as_posix()]


def test_unchanged_pages_are_not_rewritten_and_gone_pages_are_removed(desk: Path) -> None:
    first = {p: p.stat() for p in write_pages(desk, "office")}
    texts = {p: p.read_bytes() for p in first}
    again = {p: p.stat() for p in write_pages(desk, "office")}
    assert again.keys() == first.keys()
    rewritten = [p for p, st in again.items() if (st.st_mtime_ns, st.st_ino) != (first[p].st_mtime_ns, first[p].st_ino)]
    # a page is rewritten only when its text changed: pages that say how late something is, or when the
    # figures were judged (to the minute), change when the minute turns between the two writes
    assert [p for p in rewritten if p.read_bytes() == texts[p]] == []
    assert len(rewritten) < len(again) / 4, rewritten
    assert len(again) > 50
    issue = desk / "issues/huiyao/2026/004.md"
    issue.write_text(FLOOD_ISSUE.replace("提前谋划明年防汛工作", "提前谋划明年防汛备汛工作"), encoding="utf-8")
    (desk / "issues/huiyao/2026/005.md").unlink()
    third = {p: p.stat() for p in write_pages(desk, "office")}
    folder = desk / PAGES_DIR / "office" / "all"
    changed = {
        p.relative_to(folder).as_posix()
        for p, st in third.items()
        if p in first and (st.st_mtime_ns, st.st_ino) != (first[p].st_mtime_ns, first[p].st_ino)
    }
    assert ISSUE in changed
    assert "rules.md" not in changed and "guide" not in "".join(changed)
    assert not (folder / "publications/huiyao/2026/005.md").exists()
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def test_a_hand_written_page_with_a_generated_name_is_refused(desk: Path) -> None:
    (desk / "docs/units").mkdir()
    (desk / "docs/units/index.md").write_text("# 单位\n", encoding="utf-8")
    done = run_cli("build", "--audience", "office", cwd=desk)
    assert done.returncode != 0
    assert "docs/units/index.md与自动生成的页面重名" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_the_mkdocs_site_is_built_from_the_written_pages(sites: tuple[Path, Path]) -> None:
    mkdocs_site, _ = sites
    folder = mkdocs_site.parent.parent / PAGES_DIR / "office" / "all"
    written = {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")}
    assert ISSUE in written
    built = _pages(mkdocs_site)
    for rel in written:
        stem = rel.removesuffix(".md")
        assert (stem.removesuffix("index") if stem.endswith("index") else stem + "/") in built, rel


def test_zensical_builds_the_same_pages(sites: tuple[Path, Path]) -> None:
    mkdocs_site, zensical_site = sites
    config = tomllib.loads((zensical_site.parent / "zensical.toml").read_text(encoding="utf-8"))["project"]
    assert config["plugins"]["search"] == {"enabled": False}  # the site's search is Pagefind's
    assert config["site_name"].endswith("（市委办公室）")
    assert _pages(zensical_site) == _pages(mkdocs_site)
    assert (zensical_site / "pdf" / "manifest.json").is_file()
    assert list((zensical_site / "pagefind").glob("pagefind-entry.json"))

    # the same files as the MkDocs site's index (Pagefind's unused interfaces left out of both), but for the
    # hash in the metadata's name (the records reach Pagefind in another order)
    def files(site: Path) -> set[str]:
        return {re.sub(r"_\w+\.pf_meta$", ".pf_meta", p.name) for p in (site / "pagefind").iterdir() if p.is_file()}

    index = files(zensical_site)
    assert index == files(mkdocs_site)
    assert "pagefind-worker.js" in index and "pagefind-ui.js" not in index
    # the hand-written home page gets the latest issues, as the plugin gives them
    assert LATEST_MARKER not in (zensical_site / "index.html").read_text(encoding="utf-8")
    assert 'href="publications/huiyao/2026/005/"' in (zensical_site / "index.html").read_text(encoding="utf-8")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            if (tag, name) in {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")}:
                self.hrefs.append(value)


def _parsed(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _climbs_out(here: str, path: str) -> bool:
    """Whether relative `path` from the folder `here` (/a/b) goes above the site's root: served at the
    server's root a browser stops there, but the site is deployed in a folder (/office/, /office/2026/)."""
    depth = len([p for p in here.split("/") if p])
    for part in path.split("/"):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        if depth < 0:
            return True
    return False


def _broken_links(site: Path) -> list[str]:
    """Every link of every page that stays in the site and leads to no file (or to no such anchor), or
    that climbs above the site's root (deployed in a folder, it would leave the site)."""
    broken: list[str] = []
    parsed: dict[Path, _Links] = {}
    for page in sorted(site.rglob("*.html")):
        if page.is_relative_to(site / "pagefind"):
            continue
        links = parsed.setdefault(page, _parsed(page))
        here = "/" + page.parent.relative_to(site).as_posix()
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:  # a link out of the site (the theme's credit line): not a page of it
                continue
            path = unquote(parts.path)
            if not path.startswith("/") and _climbs_out(here, path):
                broken.append(f"{page.relative_to(site)}：{href}（超出站点的根目录）")
                continue
            target = posixpath.normpath(posixpath.join(here, path)) if path else "/" + page.relative_to(site).as_posix()
            file = site / target.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{page.relative_to(site)}：{href}")
            elif parts.fragment and file.suffix == ".html" and parts.fragment not in {"__skip"}:
                ids = parsed.setdefault(file, _parsed(file)).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)}：{href}（没有这个锚点）")
    return broken


def test_every_link_of_the_zensical_site_leads_to_a_file_of_the_site(sites: tuple[Path, Path]) -> None:
    _, zensical_site = sites
    assert _broken_links(zensical_site) == []
    issue = (zensical_site / "publications/huiyao/2026/004/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./\.\./\.\./\.\./units/duchang/"', issue), "the issue page links its units"


@pytest.fixture(scope="module")
def zensical_server(sites: tuple[Path, Path]) -> Iterator[str]:
    _, site = sites
    with served_folder(site, CSP) as address:  # as nginx serves it: with the deployed policy
        yield address


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


def test_chinese_search_finds_the_item_in_the_zensical_site(
    chromium: Any, zensical_server: str, sites: tuple[Path, Path]
) -> None:
    _, site = sites
    reader = Reader(chromium, zensical_server)
    try:
        reader.paste("防汛")
        found = reader.results()
        assert found, reader.message()
        assert "都昌县提前谋划明年防汛工作" in [r["title"] for r in found[:2]], found
        assert "修水县冬季森林防火责任落实到山头地块" not in [r["title"] for r in found], found
        for result in found:  # each result leads to a page of the Zensical site, and to the item on it
            path = urlsplit(result["href"]).path
            assert (site / path.lstrip("/") / "index.html").is_file(), result
        before = reader.message()  # read before the paste: the search it starts may end at once
        reader.paste(SECRET_WORD)
        assert [r["title"] for r in reader.results(before=before)] == ["濂溪区化解房企欠薪风险有新进展"]
    finally:
        reader.close()


def header_search(browser: Any, base: str, page_path: str, word: str) -> list[dict[str, str]]:
    """A reader on the page `page_path` of the site at `base` types `word` into the header's search box
    and presses Enter: the 搜索 page opens with ?q= and its results (title, address), once every one has
    its text. Nothing leaves 127.0.0.1, and no script fails under the deployed policy."""
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    outside: list[str] = []

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).hostname in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base}/{page_path}", wait_until="domcontentloaded")
        box = page.locator(".bulletin-search-box input")
        assert box.count() == 1, "页头没有搜索框"
        # seen by a person: its edge or its placeholder stands out from the header (not white on white)
        shot = Image.open(io.BytesIO(box.screenshot())).convert("L")
        darkest, lightest = shot.getextrema()
        assert lightest - darkest >= 48, f"页头的搜索框与页头几乎同色，读者看不见（灰度{darkest}至{lightest}）"
        box.fill(word)
        box.press("Enter")
        page.wait_for_url(f"{base}/search/?q=*")
        page.locator(".bulletin-search__title").first.wait_for(timeout=15_000)
        page.wait_for_function("() => !document.querySelector('.bulletin-search__result--pending')")
        assert page.locator(".bulletin-search__input").input_value() == word
        # the theme's scripts, held back on the 搜索 page until the first results, have run (its document$)
        page.wait_for_function("() => !!window.document$ && !!document.querySelector('body > script[src*=bundle]')")
        found = page.eval_on_selector_all(
            ".bulletin-search__result",
            """rows => rows.map(r => ({
                title: r.querySelector('.bulletin-search__title').textContent.trim(),
                href: r.querySelector('.bulletin-search__link').getAttribute('href'),
            }))""",
        )
    finally:
        context.close()
    assert errors == [], f"页面的脚本出错：{errors}"
    assert outside == [], f"页面向外部发出了请求：{outside}"
    return list(found)


def test_the_header_box_of_a_zensical_page_opens_the_search_with_its_results(
    chromium: Any, zensical_server: str
) -> None:
    """The Zensical site's header has the box the mkdocs site has: a unit's name typed into it on an issue
    page and sent with Enter opens the 搜索 page, which finds the item with that name in its title."""
    found = header_search(chromium, zensical_server, "publications/huiyao/2026/004/", "都昌县")
    assert "都昌县提前谋划明年防汛工作" in [r["title"] for r in found], found


def test_the_generate_module_runs_as_a_command(desk: Path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "BULLETIN_DEBUG"}
    command = [sys.executable, "-m", "bulletin.publish.generate", "--audience", "counties"]
    done = subprocess.run(command, cwd=desk, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"已生成\d+个页面：.*build/pages/counties/all\n", done.stdout), done.stdout
    wrong = subprocess.run([*command[:-1], "nobody"], cwd=desk, capture_output=True, text=True, env=env, timeout=300)
    assert wrong.returncode != 0
    assert "读者范围“nobody”不在bulletin.yml的audiences中" in wrong.stderr and "Traceback" not in wrong.stderr
