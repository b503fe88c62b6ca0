"""The built site in a real browser (Debian's chromium through playwright), with the network cut off.

Every request that leaves 127.0.0.1 is aborted and recorded: the site must work without them.
With BULLETIN_SCREENSHOTS=1 the test also saves docs/images/site-issue.png (for the README).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from desk_helpers import CHROMIUM_FLAGS, REPO, chromium_path, served_folder

if TYPE_CHECKING:
    from playwright.sync_api import Page

MKDOCS = Path(sys.executable).with_name("mkdocs")
SCREENSHOT = REPO / "docs" / "images" / "site-issue.png"
ISSUE = "huiyao/2026/001"  # the demo issue the test reads
WORD = "蚕桑"  # a word of one item's text in that issue, and nowhere else on the site
LOCAL = {"127.0.0.1", "localhost"}
FLAGS = CHROMIUM_FLAGS


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_path()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BULLETIN_AUDIENCE": "all"},  # the full site: every page is looked at
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with served_folder(site) as address:
        yield address


def test_word_is_in_one_item_only() -> None:
    """The search test's premise: the word stands in the demo issue's text and in no other page source."""
    issue_files = [p for p in (REPO / "issues").rglob("*.md") if WORD in p.read_text(encoding="utf-8")]
    assert issue_files == [REPO / "issues" / f"{ISSUE}.md"], "换一个只在一期刊物中出现的词"
    assert not [p for p in (REPO / "docs").rglob("*.md") if WORD in p.read_text(encoding="utf-8")]


def test_site_works_offline_in_a_browser(chromium: str, server: str) -> None:
    from playwright.sync_api import Route, sync_playwright

    outside: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            context.route("**/*", guard)
            page = context.new_page()

            page.goto(f"{server}/", wait_until="networkidle")
            assert "信息报送台" in page.title()
            assert page.get_by_role("link", name="各期刊物").first.is_visible()

            page.goto(f"{server}/publications/{ISSUE}/", wait_until="networkidle")
            masthead = page.locator(".bulletin-masthead")
            assert "九江信息（汇要）" in masthead.inner_text()
            assert "2026年第1期（总第1期）" in masthead.inner_text()
            assert WORD in page.locator("article").inner_text()
            if os.environ.get("BULLETIN_SCREENSHOTS") == "1":
                SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOT))

            page.goto(f"{server}/", wait_until="networkidle")
            box = page.locator(".bulletin-search-box input")  # the header's box opens the 搜索 page
            box.fill(WORD)
            box.press("Enter")
            results = page.locator(".bulletin-search__link")
            results.first.wait_for(timeout=15_000)
            hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
            assert any(re.search(rf"/publications/{ISSUE}/([?#]|$)", h) for h in hrefs), hrefs
            assert all(f"/publications/{ISSUE}/" in h for h in hrefs), hrefs  # found there and only there
        finally:
            browser.close()
    assert outside == [], f"站点向外部发出了请求：{outside}"


PHONE = {"width": 390, "height": 844}  # a phone's viewport, CSS pixels
PHONE_SCREENSHOT = REPO / "docs" / "images" / "phone-listing.png"
TOPIC = "项目建设"  # its page lists 日期, 标题, 报送单位, 类别, 紧急程度, 密级, 处理情况


@contextlib.contextmanager
def phone(chromium: str) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        try:
            context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True)
            yield context.new_page()
        finally:
            browser.close()


def test_a_listings_columns_are_on_a_phones_screen_each_with_its_name(chromium: str, server: str) -> None:
    """Issue 15, finding 4: at 390 px the 密级 and 处理情况 of every row are on the screen, named."""
    with phone(chromium) as page:
        page.goto(f"{server}/topics/", wait_until="networkidle")
        page.locator("article").get_by_role("link", name=TOPIC, exact=True).click()
        page.wait_for_load_state("networkidle")
        table = page.locator("article table").first
        heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
        rows = table.locator("tbody tr")
        assert rows.count() > 0
        for name in ("密级", "处理情况", "标题"):
            column = heads.index(name)
            for r in range(min(rows.count(), 3)):
                cell = rows.nth(r).locator("td").nth(column)
                box = cell.bounding_box()
                assert box is not None and cell.is_visible(), (name, r)
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, r, box)
                if name != "标题":  # each value says which column it is
                    shown = cell.evaluate("c => getComputedStyle(c, '::before').content")
                    assert name in shown, (name, shown)
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= PHONE["width"], page_width  # nothing sideways off the screen
        if os.environ.get("BULLETIN_SCREENSHOTS") == "1":
            PHONE_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(PHONE_SCREENSHOT))


def test_the_footer_is_the_offices_line(chromium: str, server: str) -> None:
    """Issue 15, finding 4: bulletin.yml's site_footer, not the theme's "Made with Material for MkDocs"."""
    with phone(chromium) as page:
        for path in ("", "topics/"):
            page.goto(f"{server}/{path}", wait_until="networkidle")
            footer = page.locator(".md-footer-meta").inner_text()
            assert "九江市委办公室信息处编印" in footer and "Material" not in footer, footer


def test_no_page_asks_for_a_file_the_site_does_not_have(chromium: str, server: str) -> None:
    """Issue 15, finding 3: versions.json is written by mike only; a site built without it never asks for it."""
    from playwright.sync_api import Response

    missing: list[str] = []

    def answered(response: Response) -> None:
        if response.status >= 400:
            missing.append(response.url)

    with phone(chromium) as page:
        page.on("response", answered)
        for path in ("", "units/", "topics/", "publications/", f"publications/{ISSUE}/"):
            page.goto(f"{server}/{path}", wait_until="networkidle")
    assert missing == [], f"页面请求了站点上没有的文件：{missing}"
