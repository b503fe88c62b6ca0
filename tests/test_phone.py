"""Issue 15: every page kind a reader meets, read on a 390×844 phone in Chromium (Debian's, through
playwright, the network cut off), over a real `mkdocs build` of the demo desk with one 上级采用 and
one 批示 recorded (test_statistics.site_desk).

On every page nothing stands out of the screen sideways, and every table is either wholly on the
screen (a listing as cards) or keeps its rows, its name columns fixed, with a Chinese line above it
saying that it slides and which columns stay. A table of figures (the statistics) keeps its rows
and columns: a column reads down the screen. The charts are as wide as the page and their smallest
text stays legible (12 px).

With BULLETIN_SCREENSHOTS=1 the test saves docs/images/statistics-phone.png and
docs/images/unit-phone.png (the reader's guide shows them).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from desk_helpers import REPO, chromium_path, served_folder
from test_statistics import build, site_desk

if TYPE_CHECKING:
    from playwright.sync_api import Page

PHONE = {"width": 390, "height": 844}
UNIT = "xiushui"  # the unit of the item adopted above and instructed on (test_statistics.ITEM)
PAGES = {  # every page kind a reader meets: its address on the site
    "统计": "statistics/",
    "年度统计": "statistics/2026/",
    "季度统计": "statistics/2026-Q4/",
    "月度统计": "statistics/2026-11/",
    "单位页面（采用反馈）": f"units/{UNIT}/",
    "报送单位": "units/",
    "领导批示": "instructions/",
    "通报": "publications/tongbao/2026/001/",
    "各期刊物": "publications/",
    "刊物目录": "publications/huiyao/",
    "年度目录": "publications/huiyao/2026/",
    "一期刊物": "publications/huiyao/2026/001/",
    "主题": "topics/",
    "报送纪律": "discipline/",
    "分发登记": "publications/copies/",
}
STATISTICS = ("statistics/2026/", "statistics/2026-Q4/", "statistics/2026-11/")
TEXT_PX = 12  # the smallest text of a chart on the phone, CSS px (report/charts.py draws for it)
SHOTS = REPO / "docs" / "images"
FIGURE = re.compile(r"^[-+]?\d[\d,.]*%?$|^[—–-]$")

# every table of the page: whether it is wholly on the screen, its hint, and the places of its cells
TABLES = """() => {
  const w = innerWidth;
  return [...document.querySelectorAll('article table')].map(t => {
    const shown = [...t.querySelectorAll('td, th')].filter(c => c.getBoundingClientRect().width > 0);
    const off = shown.filter(c => {
      const r = c.getBoundingClientRect();
      return r.left < -0.5 || r.right > w + 0.5;
    });
    const hint = t.closest('.bulletin-wide')?.querySelector('.bulletin-slide-hint');
    const box = hint && hint.getBoundingClientRect();
    const rows = [...t.querySelectorAll('tbody tr')].map(r => [...r.children].map(c => {
      const b = c.getBoundingClientRect();
      return {x: Math.round(b.left), y: Math.round(b.top), text: c.textContent.trim()};
    }));
    return {
      heads: [...t.querySelectorAll('thead th')].map(th => th.textContent.trim()),
      off: off.map(c => c.textContent.trim()).slice(0, 5),
      hint: hint && !hint.hidden && box.width > 0 && box.left >= 0 && box.right <= w ? hint.textContent : null,
      fixed: Number(t.getAttribute('data-fixed') || 0),
      rows: rows,
    };
  });
}"""

# the table's box scrolled to its far right: where its first columns stand then
FAR_RIGHT = """(i) => {
  const t = document.querySelectorAll('article table')[i];
  const box = t.closest('.md-typeset__scrollwrap');
  if (box) box.scrollLeft = box.scrollWidth;
  return [...t.querySelectorAll('tbody tr')].slice(0, 3).map(r => [...r.children].map(c => {
    const b = c.getBoundingClientRect();
    return [b.left, b.right];
  }));
}"""


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_path()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    desk = site_desk(tmp_path_factory.mktemp("desk") / "desk")
    out = tmp_path_factory.mktemp("site")
    build(desk, out)
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with served_folder(site) as address:
        yield address


@contextlib.contextmanager
def phone(chromium: str) -> Iterator[Page]:
    from playwright.sync_api import Route, sync_playwright

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True)
            context.route("**/*", local_only)
            yield context.new_page()
        finally:
            browser.close()


def of_figures(rows: list[list[dict[str, Any]]]) -> bool:
    """Most of the body's cells are numbers."""
    cells = [c["text"] for row in rows for c in row]
    return bool(cells) and 2 * sum(1 for c in cells if FIGURE.match(c)) > len(cells)


def problems(page: Page, name: str) -> list[str]:
    out = []
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > PHONE["width"]:
        out.append(f"{name}：页面宽{width}像素，要左右滑动")
    for n, table in enumerate(page.evaluate(TABLES)):
        what = f"{name}的第{n + 1}个表格（{'、'.join(table['heads'][:3])}……）"
        if table["off"]:
            if table["hint"] is None:
                out.append(f"{what}有格子在屏幕外（{'、'.join(table['off'])}），上方没有左右滑动的说明")
            else:
                fixed = table["heads"][: table["fixed"]]
                if "左右滑动" not in table["hint"] or not fixed or not all(f"“{h}”" in table["hint"] for h in fixed):
                    out.append(f"{what}的说明没有写明可以左右滑动、哪几列不动：{table['hint']}")
                for row in page.evaluate(FAR_RIGHT, n):  # the fixed columns stay on the screen
                    for left, right in row[: table["fixed"]]:
                        if left < -0.5 or right > PHONE["width"] + 0.5:
                            out.append(f"{what}滑到最右时，不动的列到了屏幕外")
                            break
        if of_figures(table["rows"]):  # a table of figures keeps its rows and its columns
            rows = table["rows"]
            if any(len({c["y"] for c in row}) > 1 for row in rows):
                out.append(f"{what}是数字表格，一行的数字没有排在同一行")
            if any(len({row[i]["x"] for row in rows if i < len(row)}) > 1 for i in range(len(table["heads"]))):
                out.append(f"{what}是数字表格，同一列的数字上下没有对齐")
    return out


def test_every_page_kind_reads_on_a_phone_without_sliding_the_page(chromium: str, server: str) -> None:
    found: list[str] = []
    counted: dict[str, int] = {}
    with phone(chromium) as page:
        for name, path in PAGES.items():
            response = page.goto(f"{server}/{path}", wait_until="networkidle")
            assert response is not None and response.ok, path
            page.wait_for_timeout(100)  # the theme's scripts put the tables in their boxes
            counted[name] = page.locator("article table").count()
            found += problems(page, name)
    assert found == [], "\n".join(found)
    # the pages with tables had them to look at (the demo's records: test_statistics.site_desk)
    for name in ("月度统计", "单位页面（采用反馈）", "领导批示", "通报", "报送单位", "分发登记"):
        assert counted[name] > 0, (name, counted)


def test_the_statistics_tables_slide_with_their_unit_column_fixed(chromium: str, server: str) -> None:
    """The ranking (14 columns) is wider than a phone: it keeps its rows, 名次 and 单位 stay, the hint says so."""
    with phone(chromium) as page:
        page.goto(f"{server}/statistics/2026-11/", wait_until="networkidle")
        page.wait_for_timeout(100)
        ranking = page.evaluate(TABLES)[0]
        assert ranking["heads"][:2] == ["名次", "单位"] and ranking["off"], ranking["heads"]
        assert ranking["hint"] == "表格较宽：左右滑动查看其他各列，“名次”“单位”两列不动。"
        units = [row[1]["text"] for row in ranking["rows"]]
        assert len(units) > 20 and len({row[1]["x"] for row in ranking["rows"]}) == 1
        if os.environ.get("BULLETIN_SCREENSHOTS") == "1":  # the ranking's chart and the top of its table
            heading = page.locator("article h2").first
            top = heading.bounding_box()
            assert top is not None
            page.evaluate("y => window.scrollTo(0, y)", top["y"] - 60)
            page.screenshot(
                path=str(SHOTS / "statistics-phone.png"),
                clip={"x": 0, "y": top["y"] - 8, "width": PHONE["width"], "height": 1240},
                full_page=True,
                scale="css",  # one pixel a CSS pixel: the guide shows it at the phone's size
            )


def test_the_charts_are_as_wide_as_the_phone_and_their_text_is_legible(chromium: str, server: str, site: Path) -> None:
    from bulletin.report import charts

    with phone(chromium) as page:
        for path in STATISTICS:
            page.goto(f"{server}/{path}", wait_until="networkidle")
            imgs = page.locator("article img")
            assert imgs.count() == 2, path
            content = page.locator("article").bounding_box()
            assert content is not None
            for i in range(imgs.count()):
                src = imgs.nth(i).get_attribute("src") or ""
                svg = (site / path / src).read_text(encoding="utf-8")
                viewbox = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ', svg)
                box = imgs.nth(i).bounding_box()
                assert viewbox and box is not None, (path, src)
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (path, src, box)
                assert box["width"] >= 0.95 * (content["width"] - 32), (path, src, box)  # the page's width
                # the smallest text is SIZE units of the drawing (points), scaled to the width shown
                text = charts.SIZE * box["width"] / float(viewbox[1])
                assert text >= TEXT_PX, f"{path}{src}：手机上图中文字只有{text:.1f}像素高"


def test_a_unit_page_reads_on_a_phone(chromium: str, server: str) -> None:
    """The unit's figures as a short table on the screen; its items and its 批示 as cards, each value named."""
    with phone(chromium) as page:
        page.goto(f"{server}/units/{UNIT}/", wait_until="networkidle")
        page.wait_for_timeout(100)
        tables = page.evaluate(TABLES)
        assert len(tables) >= 3 and all(not t["off"] for t in tables)
        cards = page.locator("article table[data-cards] td[data-label='处理情况']")
        assert cards.count() > 0
        shown = cards.first.evaluate("c => getComputedStyle(c, '::before').content")
        assert "处理情况" in shown, shown
        if os.environ.get("BULLETIN_SCREENSHOTS") == "1":
            height = min(page.evaluate("document.scrollingElement.scrollHeight"), 1800)
            page.screenshot(
                path=str(SHOTS / "unit-phone.png"),
                clip={"x": 0, "y": 0, "width": PHONE["width"], "height": height},
                full_page=True,
                scale="css",
            )


def test_the_time_axis_labels_stand_apart(chromium: str, server: str) -> None:
    """The line chart's labels under its time axis (a year by month, a quarter by week, a month by day)
    do not touch one another: on main a year's twelve 2026年1月 … ran into one line of ink."""
    with phone(chromium) as page:
        for path in STATISTICS:
            page.goto(f"{server}/{path}timeline.svg")
            boxes = page.evaluate(
                """() => [...document.querySelectorAll('g[id^="xtick_"] > g[id^="text_"]')].map(g => {
                  const b = g.getBBox();
                  return [b.x, b.x + b.width];
                })"""
            )
            assert len(boxes) >= 4, (path, boxes)
            boxes.sort()
            touching = [(a, b) for a, b in itertools.pairwise(boxes) if a[1] >= b[0]]
            assert touching == [], f"{path}timeline.svg：时间轴上的文字挤在一起{touching}"
