"""The reader's search: Pagefind (the site's search, publish/search.py) against the theme's own search
(lunr in a web worker, words cut by jieba: what the site shipped before), side by side in the same run.

Both sites are built from the same desk (`--audience all`, PDFs off): the current mkdocs.yml, and the
same file with the theme's search plugin switched back on (and the old separator) and the desk's
Pagefind step off (`search: false`), written beside it as mkdocs-old-search.yml only for this
benchmark. Each site is served from 127.0.0.1 and searched in headless Chromium (a fresh context,
cache off) for a two-character word; Chromium's network log (the bytes of each response on the
wire, its workers' requests included) counts what the search loads (the index and the search's own
scripts, not the page), and the page's own clock times from opening the page to the first result
shown, the word typed by a script in the page the moment the box is there (a reader who pastes at
once); the same typed by Playwright and timed by this process is printed beside it (search_once).

Rows: bytes downloaded until the first results (goal at province-year: at most 1/20 of the old),
time to the first results (at most 1/5), the full build with its search index (no slower), the
index's bytes per page. Run through bench/run.py (`--only search`).
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from measure import BIN, Row, Sample, mib, rounds, run_child, secs, skipped, tree_bytes, within

QUERY = "防汛"  # two characters, in the generated texts (bench/texts.py)
AUDIENCE = {"BULLETIN_AUDIENCE": "all"}
OLD_CONFIG = "mkdocs-old-search.yml"
# the theme's search as main configured it (mkdocs.yml before Pagefind)
OLD_SEARCH = (
    "  - search:\n      separator: '[\\s\\u200b\\-_,:!=\\[\\]()\"`/]+|\\.(?!\\d)|&[lg]t;|(?!\\b)(?=[A-Z][a-z])'\n"
)
# what each search loads besides the page: its scripts and its index
OLD_FILES = ("/search/search_index.json", "/assets/javascripts/workers/search", "/assets/javascripts/lunr/")
NEW_FILES = ("/pagefind/", "/assets/bulletin/search.js")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def old_config(root: Path) -> Path:
    """mkdocs.yml with the theme's search on and the desk's Pagefind step off, beside it (same desk)."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    if "\nplugins:\n" not in text or "\n  - bulletin:\n" not in text:
        raise SystemExit("mkdocs.yml 的插件配置不是预期的样子：请更新 bench/search_bench.py")
    text = text.replace("\nplugins:\n", "\nplugins:\n" + OLD_SEARCH, 1)
    text = text.replace("\n  - bulletin:\n", "\n  - bulletin:\n      search: false\n", 1)
    path = root / OLD_CONFIG
    path.write_text(text, encoding="utf-8")
    return path


def build(config: Path, out: Path) -> Sample:
    mkdocs = str(BIN / "mkdocs")
    return run_child([mkdocs, "build", "-q", "-f", str(config), "-d", str(out)], config.parent, env=AUDIENCE)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# The reader, in the page: types (pastes) the word the moment the search box is there, and the page's own
# clock (performance.now(), from the start of the navigation) notes when the first result shows. The
# theme's search is asked again every 50 ms (input and key-up, as a reader pressing a key) until its
# worker has built its index; the desk's box (search.js, over Pagefind) is searched once.
READER_NEW = """(() => { window.__bench = {};
  const type = () => { const box = document.querySelector('#bulletin-search .bulletin-search__input');
    if (!box) return; box.value = %(q)s; box.dispatchEvent(new Event('input', {bubbles: true})); __bench.typed = performance.now(); };
  new MutationObserver(() => { if (!__bench.typed) type();
    if (!__bench.shown && document.querySelector('.bulletin-search__title')) __bench.shown = performance.now();
  }).observe(document, {subtree: true, childList: true}); })();"""
READER_OLD = """(() => { window.__bench = {};
  const ask = () => { const box = document.querySelector('input.md-search__input'); if (!box || __bench.shown) return;
    if (!__bench.typed) { box.focus(); box.value = %(q)s; __bench.typed = performance.now(); }
    box.dispatchEvent(new Event('input', {bubbles: true})); box.dispatchEvent(new KeyboardEvent('keyup', {key: 'End', bubbles: true})); };
  new MutationObserver(() => { if (!__bench.shown && document.querySelector('.md-search-result__item')) __bench.shown = performance.now();
  }).observe(document, {subtree: true, childList: true});
  const every = setInterval(() => { if (__bench.shown) clearInterval(every); else ask(); }, 50); })();"""


def search_once(browser, base: str, old: bool, in_page: bool = True) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    """(seconds from opening the page to the first result, bytes the search loaded, results shown).

    The cache is off through Chromium's own switch (CDP Network.setCacheDisabled). `in_page`: the time
    by the page's own clock, the word typed by a script in the page as soon as the box is there (what a
    reader who pastes at once waits). Otherwise Playwright opens the page, types (fill) and waits, and
    the time is this process's: it adds Playwright's round trips to a page still busy loading (the
    page's DOMContentLoaded reported back, each step of fill), a cost no reader pays; kept as a second
    measurement so the two can be compared."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    if in_page:
        context.add_init_script((READER_OLD if old else READER_NEW) % {"q": json.dumps(QUERY)})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[object, str] = {}
    sizes: dict[object, int] = {}

    def finished(request) -> None:  # type: ignore[no-untyped-def]
        size = request.sizes()  # Chromium's network log: bytes of the response's headers and body on the wire
        urls[request] = request.url
        sizes[request] = size["responseHeadersSize"] + size["responseBodySize"]

    context.on("requestfinished", finished)  # the page's and its workers' requests
    try:
        began = time.perf_counter()
        if in_page:
            page.goto(f"{base}/" if old else f"{base}/search/", wait_until="domcontentloaded")
            page.wait_for_function("window.__bench && window.__bench.shown", timeout=600_000, polling=50)
            seconds = page.evaluate("__bench.shown") / 1000
            shown = page.locator(".md-search-result__item" if old else ".bulletin-search__result").count()
        elif old:
            page.goto(f"{base}/", wait_until="domcontentloaded")
            box = page.locator("input.md-search__input")
            box.click()
            box.fill(QUERY)
            while True:  # the theme searches on a key-up, once its worker has built the index
                box.press("End")
                try:
                    page.wait_for_selector(".md-search-result__item", timeout=500)
                    break
                except Exception:
                    if time.perf_counter() - began > 600:
                        raise
            shown = page.locator(".md-search-result__item").count()
            seconds = time.perf_counter() - began
        else:
            page.goto(f"{base}/search/", wait_until="domcontentloaded")
            # the 搜索 page's box (search.js searches it as soon as Pagefind is ready)
            box = page.locator("#bulletin-search .bulletin-search__input")
            box.fill(QUERY)
            page.wait_for_selector(".bulletin-search__title", timeout=600_000)
            shown = page.locator(".bulletin-search__result").count()
            seconds = time.perf_counter() - began
        page.wait_for_timeout(300)  # the last loadingFinished events
        wanted = OLD_FILES if old else NEW_FILES
        loaded = sum(size for rid, size in sizes.items() if any(w in urls.get(rid, "") for w in wanted))
        return seconds, int(loaded), shown
    finally:
        context.close()


def worker_bytes(site: Path) -> int:
    """The old search's index file: its worker fetches it, and at least that much reaches the reader."""
    index = site / "search" / "search_index.json"
    return index.stat().st_size if index.exists() else 0


def run(b) -> list[Row]:  # type: ignore[no-untyped-def]
    if b.size == "archive":
        return [skipped("检索", "十年档案不测站点（按年卷发布，每卷即 province-year）")]
    chromium = shutil.which("chromium")
    if chromium is None:
        return [skipped("检索", "没有chromium（make test会安装）")]
    from playwright.sync_api import sync_playwright

    root: Path = b.root
    work: Path = b.work / "search"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    old_yml = old_config(root)
    repeat = b.repeat if b.manifest["items"] <= 10_000 else 1
    samples = rounds(
        {
            "old": lambda k: build(old_yml, work / "old-site"),
            "new": lambda k: build(root / "mkdocs.yml", work / "new-site"),
        },
        repeat,
    )
    old_site, new_site = work / "old-site", work / "new-site"
    pages, _ = tree_bytes(new_site, ".html")
    build_row = within(
        f"站点构建（含检索索引，{pages}页）",
        samples["new"],
        samples["old"],
        "主题自带检索（lunr＋jieba）",
        1.0,
    )
    _, new_index = tree_bytes(new_site / "pagefind")
    old_index = worker_bytes(old_site)
    build_row.notes.append(
        f"检索索引共{new_index / 2**20:.1f} MB、每页{new_index / pages / 1024:.1f} KB（读者只下载所查词语的分块）；"
        f"主题自带检索的索引{old_index / 2**20:.1f} MB、每页{old_index / pages / 1024:.1f} KB（读者一次下载全部）"
    )
    build_row.data |= {"new_index_bytes": new_index, "old_index_bytes": old_index, "pages": pages}
    times: dict[str, list[float]] = {"old": [], "new": [], "old-driven": [], "new-driven": []}
    loaded: dict[str, list[int]] = {"old": [], "new": [], "old-driven": [], "new-driven": []}
    shown: dict[str, int] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        try:
            with served(old_site) as old_base, served(new_site) as new_base:
                for _ in range(max(5, b.repeat)):
                    for name, base in (("old", old_base), ("new", new_base)):
                        for in_page in (True, False):
                            seconds, size, count = search_once(browser, base, name == "old", in_page)
                            key = name + ("" if in_page else "-driven")
                            times[key].append(seconds)
                            loaded[key].append(size)
                            shown[key] = count
        finally:
            browser.close()
    old_bytes, new_bytes = statistics.median(loaded["old"]), statistics.median(loaded["new"])
    bytes_row = Row(
        f"检索“{QUERY}”：首批结果前下载的字节",
        f"{new_bytes / 1024:.0f} KB",
        f"{old_bytes / 1024:.0f} KB（主题自带检索，至少是其索引文件{old_index / 1024:.0f} KB）",
        f"{new_bytes / old_bytes:.3f}×" if old_bytes else "—",
        "≤ 1/20" + ("" if b.size == "province-year" else "（目标针对 province-year）"),
        "—",
        (new_bytes * 20 <= old_bytes) if b.size == "province-year" else None,
        notes=[
            f"Chromium网络日志（CDP）中检索的脚本和索引（Pagefind：{', '.join(NEW_FILES)}；"
            f"主题：{', '.join(OLD_FILES)}），不含页面本身；首屏结果：Pagefind {shown.get('new', 0)}条，"
            f"主题 {shown.get('old', 0)}条"
        ],
        data={"new_bytes": new_bytes, "old_bytes": old_bytes},
    )
    old_s, new_s = statistics.median(times["old"]), statistics.median(times["new"])
    driven_old, driven_new = statistics.median(times["old-driven"]), statistics.median(times["new-driven"])
    time_row = Row(
        f"检索“{QUERY}”：从打开页面到首批结果",
        secs(new_s),
        f"{secs(old_s)}（主题自带检索）",
        f"{new_s / old_s:.3f}×",
        "≤ 1/5" + ("" if b.size == "province-year" else "（目标针对 province-year）"),
        "—",
        (new_s * 5 <= old_s) if b.size == "province-year" else None,
        notes=[
            "headless Chromium，每次新开浏览器上下文，用Chromium自己的开关（CDP Network.setCacheDisabled）不用缓存；"
            "按页面自己的时钟（performance.now()，从开始打开页面算起）：页面中的脚本在搜索框一出现时就输入（如读者立即粘贴），"
            "记下首条结果出现的时刻；主题的检索每50毫秒再问一次（输入和按键），直到它的web worker建好索引",
            f"由Playwright打开页面、输入（fill）并等待，按本测量进程计时（含Playwright与尚在加载的页面之间的往返："
            f"报回DOMContentLoaded、fill的每一步，读者没有这项开销）：{secs(driven_new)}对{secs(driven_old)}，"
            f"{driven_new / driven_old:.3f}×",
        ],
        data={"new_s": new_s, "old_s": old_s, "new_driven_s": driven_new, "old_driven_s": driven_old},
    )
    build_row.peak = f"{mib(build_row.data['peak_kib'])}"
    return [bytes_row, time_row, build_row]
