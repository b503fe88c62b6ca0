"""The reader's search (Pagefind, publish/search.py) with real queries in a real browser.

The demo desk gets three issues written for these tests: one (2026) with items about 防汛 beside
items that only share a character with it (防火, 秋汛), one from 2025 about 防汛 (for the year
filter), and one 秘密 issue of a publication the counties receive (for the clearance of the index).
`bulletin build --every-audience` builds every audience's site as deployed (PDFs off: they have
their own tests); each site is served by a local server sending the deployed Content-Security-Policy
(publish/serve.py), and Chromium (Debian's, through playwright) searches it with the network cut off.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bulletin.publish.serve import CSP
from desk_helpers import REPO, launched_chromium, make_desk, pagefind_records, run_cli, served_folder

LOCAL = {"127.0.0.1", "localhost"}
SECRET_WORD = "青鸾行动"  # in the 秘密 issue only
PUNCTUATION = "，。、；：！？）》」』”’,.;:!?)"

FLOOD_ISSUE = """---
刊物: huiyao
期号: 4
总期号: 4
日期: 2026-12-04
责任编辑: 李静
签发: 周建国
密级: 内部
印数: 120
---

## 修水县冬季森林防火责任落实到山头地块

来源：xiushui/2026/1125-01

入冬以来，修水县把森林防火作为冬季安全工作的重点，落实县、乡、村三级防火责任，全县设立防火检查站46个。针对今年秋汛后林下可燃物增多的情况，组织专业队伍清理防火隔离带120公里。

## 都昌县提前谋划明年防汛工作

来源：duchang/2026/1124-01

都昌县在抗旱保供水的同时，提前谋划明年防汛工作。一是排查防汛隐患，对沿湖圩堤逐段建立台账。二是储备防汛物资，新增编织袋5万条、救生衣2000件。三是开展防汛演练，提高乡村两级应急处置能力。

## 武宁县石门楼镇山体滑坡处置有序

来源：wuning/2026/1114-01

武宁县石门楼镇白桥村山体滑坡发生后，当地及时转移受威胁群众，抢通县道X311。该县将**地质灾害**防治与防汛工作统筹推进，汛前汛后各开展一次隐患排查。
"""

LAST_YEAR = """---
刊物: huiyao
期号: 1
总期号: 1
日期: 2025-07-10
责任编辑: 李静
签发: 周建国
密级: 内部
印数: 120
---

## 武宁县防汛抢险队伍连夜转移群众

来源：wuning/2025/0709-01

7月9日夜间，武宁县普降暴雨，县防汛抗旱指挥部启动防汛Ⅲ级应急响应，组织抢险队伍连夜转移低洼地带群众860人。
"""

LAST_YEAR_ITEM = """---
标题: 武宁县防汛抢险队伍连夜转移群众
报送单位: wuning
信息员: 卢娟
签发人: 柯建平
类别: 突发性
紧急程度: 特急
密级: 内部
发生时间: 2025-07-09 22:00
报送对象: [市委, 市政府]
主题: [防汛抗旱]
---

7月9日夜间，武宁县普降暴雨，县防汛抗旱指挥部启动防汛Ⅲ级应急响应，组织抢险队伍连夜转移低洼地带群众860人。
"""

SECRET_ISSUE = f"""---
刊物: huiyao
期号: 5
总期号: 5
日期: 2026-12-05
责任编辑: 李静
签发: 周建国
密级: 内部
印数: 120
---

## 濂溪区化解房企欠薪风险有新进展

来源：lianxi/2026/1118-01

濂溪区工作专班以“{SECRET_WORD}”为代号，逐个项目核对工资专用账户，已督促企业支付农民工工资2100万元。
"""


def flood_desk(target: Path) -> Path:
    """A desk with the demo's pages, issues and registers, and the issues this file searches: 防汛 items
    (2026/004), a 秘密 issue (2026/005), and an issue and item of the year before."""
    desk = make_desk(target)
    for name in ("docs", "issues", "events", "calls", "receipts"):
        shutil.copytree(REPO / name, desk / name)
    (desk / "issues/huiyao/2026/004.md").write_text(FLOOD_ISSUE, encoding="utf-8")
    (desk / "issues/huiyao/2026/005.md").write_text(SECRET_ISSUE, encoding="utf-8")
    (desk / "issues/huiyao/2025").mkdir()
    (desk / "issues/huiyao/2025/001.md").write_text(LAST_YEAR, encoding="utf-8")
    (desk / "submissions/wuning/2025").mkdir(parents=True)
    (desk / "submissions/wuning/2025/0709-01.md").write_text(LAST_YEAR_ITEM, encoding="utf-8")
    return desk


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    desk = flood_desk(tmp_path_factory.mktemp("search") / "desk")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  - bulletin\n" in config
    (desk / "mkdocs.yml").write_text(config.replace("\n  - bulletin\n", "\n  - bulletin:\n      pdf: false\n"), "utf-8")
    done = run_cli("build", "--every-audience", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    return desk / "site"


@pytest.fixture(scope="module")
def server(built: Path) -> Iterator[str]:
    """The site as nginx serves it (publish/serve.py): with the deployed Content-Security-Policy."""
    with served_folder(built, CSP) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


class Reader:
    """One reader's tab on an audience's 搜索 page; requests leaving 127.0.0.1 are refused and kept."""

    def __init__(self, browser: Any, base: str, width: int = 1280) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto(f"{base}/search/", wait_until="networkidle")
        self.box = self.page.locator(".bulletin-search__input")
        self.box.wait_for(timeout=15_000)

    def _guard(self, route: Any) -> None:
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def paste(self, text: str) -> None:
        """The text put into the box as a paste does: one `input` event, no key pressed."""
        self.box.evaluate(
            "(box, text) => { box.value = text; box.dispatchEvent(new Event('input', {bubbles: true})); }", text
        )

    def results(self, before: str = "") -> list[dict[str, str]]:
        """Every result, in order (显示更多结果 pressed until none is left): title, address, excerpt (and
        as HTML: marked), where it stands; waits for the search to end, and for its message to differ
        from `before` (the last one)."""
        page = self.page
        page.wait_for_function(
            """before => {
                const message = document.querySelector('.bulletin-search__message');
                return message && !/正在检索/.test(message.textContent) && message.textContent !== before &&
                    !document.querySelector('.bulletin-search__result--pending');
            }""",
            arg=before,
            timeout=15_000,
        )
        more = page.locator(".bulletin-search__more")
        while more.is_visible():
            more.click()
            page.wait_for_function("() => !document.querySelector('.bulletin-search__result--pending')")
        return page.eval_on_selector_all(
            ".bulletin-search__result",
            """rows => rows.map(r => {
                const excerpt = r.querySelector('.bulletin-search__excerpt');
                const where = excerpt && excerpt.querySelector('.bulletin-search-where');
                const text = excerpt ? excerpt.textContent : '';
                return {
                    marked: excerpt ? excerpt.innerHTML : '',
                    title: r.querySelector('.bulletin-search__title').textContent.trim(),
                    href: r.querySelector('.bulletin-search__link').getAttribute('href'),
                    excerpt: (where ? text.slice(0, text.length - where.textContent.length) : text).trim(),
                    tags: where ? where.textContent : '',
                };
            })""",
        )

    def message(self) -> str:
        return str(self.page.locator(".bulletin-search__message").inner_text())

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], f"搜索页的脚本出错：{self.errors}"
        assert self.outside == [], f"搜索页向外部发出了请求：{self.outside}"


@pytest.fixture
def office(browser: Any, server: str) -> Iterator[Reader]:
    reader = Reader(browser, f"{server}/office")
    yield reader
    reader.close()


def _item_text(href: str, built: Path, audience: str) -> str:
    """The text of the item a result links to (the part of the issue page under its heading)."""
    path, _, anchor = urlsplit(href).path.removeprefix(f"/{audience}/"), None, urlsplit(href).fragment
    page = (built / audience / path / "index.html").read_text(encoding="utf-8")
    start = page.index(f'<h2 id="{anchor}"')
    stop = page.find("<h2", start + 1)
    return re.sub(r"<[^>]+>", "", page[start : stop if stop > 0 else len(page)])


def test_an_item_holding_the_word_ranks_above_items_sharing_a_character(office: Reader, built: Path) -> None:
    office.paste("防汛")
    found = office.results()
    assert found, office.message()
    holding = ["防汛" in _item_text(r["href"], built, "office") for r in found if "#" in r["href"]]
    assert holding and holding[0], found
    assert holding == sorted(holding, reverse=True), found  # every item with 防汛 before any without
    assert "都昌县提前谋划明年防汛工作" in [r["title"] for r in found[:2]], found  # the word in the title: first
    # an item that only shares a character (防火, 秋汛) is not a result for 防汛
    assert "修水县冬季森林防火责任落实到山头地块" not in [r["title"] for r in found], found
    assert all(not r["href"].split("#")[0].endswith("/guide/security/") for r in found), found


def test_guides_do_not_come_first_for_a_topic_word(office: Reader) -> None:
    office.paste("安全生产")
    found = office.results()
    assert found, office.message()
    assert "/publications/" in found[0]["href"], found
    assert found[0]["title"] == "市应急管理局部署今冬明春安全生产和火灾防控工作", found
    assert not [r for r in found if "/guide/" in r["href"]], found  # the guides are not in the readers' index


def test_pasted_text_searches_without_a_key(office: Reader) -> None:
    office.paste("防汛")  # no keydown, no keyup: the theme's old search waited for a key and showed 键入以开始搜索
    assert office.results()
    assert "键入以开始搜索" not in office.page.content()
    assert re.fullmatch(r"找到\d+条与“防汛”相关的结果", office.message().strip()), office.message()


# Did a search begin within the current turn of the page's event loop (a 0 ms timer runs before any
# later one)? The page shows 正在检索 (or results) as soon as it starts a search. An ordering, not a time.
_SEARCH_STARTED = """async () => {
    await new Promise(resolve => setTimeout(resolve, 0));  // and the microtasks that update the page
    const message = document.querySelector('.bulletin-search__message');
    return !!(message && message.textContent.trim()) || !!document.querySelector('.bulletin-search__result');
}"""


@pytest.mark.parametrize(
    "event",
    [
        "new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'})",
        "new InputEvent('input', {bubbles: true, inputType: 'insertText', data: '防汛'})",  # a word from the input method
        "new Event('input', {bubbles: true})",
    ],
)
def test_a_word_that_arrives_whole_is_searched_at_once(office: Reader, event: str) -> None:
    """Pasted, chosen in the input method or set by a script: the search begins without waiting for a
    next key (it waited 150 ms, the largest part of the time to the first results after the page)."""
    office.box.evaluate(f"box => {{ box.value = '防汛'; box.dispatchEvent({event}); }}")
    assert office.page.evaluate(_SEARCH_STARTED)
    assert office.results()


def test_the_header_box_of_any_page_opens_the_search_with_its_results(browser: Any, server: str) -> None:
    """A word typed into the header's box of an issue page and sent with Enter: the 搜索 page opens
    (?q=防汛) and shows its results without anything else typed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{server}/office/publications/huiyao/2026/004/", wait_until="domcontentloaded")
        box = page.locator(".bulletin-search-box input")
        box.fill("防汛")
        box.press("Enter")
        page.wait_for_url("**/office/search/?q=*")
        page.locator(".bulletin-search__title").first.wait_for(timeout=15_000)
        # every result shown, not a placeholder still loading its text (“. . .”)
        page.wait_for_function("() => !document.querySelector('.bulletin-search__result--pending')")
        titles = page.locator(".bulletin-search__title").all_inner_texts()
        assert "都昌县提前谋划明年防汛工作" in [t.strip() for t in titles[:2]], titles
        assert page.locator(".bulletin-search__input").input_value() == "防汛"
    finally:
        context.close()


@contextlib.contextmanager
def _pagefind_held(browser: Any, server: str) -> Iterator[tuple[Any, list[Any], Any]]:
    """The office's 搜索 page opened with Pagefind (pagefind.js) held back until the test lets it go
    (held[0].continue_()): (the page, the held request, the page's box)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    held: list[Any] = []
    context.route("**/pagefind/pagefind.js", lambda route: held.append(route))
    try:
        page = context.new_page()
        page.goto(f"{server}/office/search/", wait_until="domcontentloaded")
        box = page.locator(".bulletin-search__input")
        box.wait_for(timeout=15_000)
        page.wait_for_function("() => document.readyState !== 'loading'")
        yield page, held, box
    finally:
        context.close()


def test_a_word_typed_before_pagefind_has_loaded_is_searched(browser: Any, server: str) -> None:
    """The box takes what a reader types from the first paint, says it is searching, and searches it as
    soon as Pagefind (held back here until the word is typed) has arrived; the focus stays in the box."""
    with _pagefind_held(browser, server) as (page, held, box):
        assert page.evaluate("document.activeElement.classList.contains('bulletin-search__input')")
        assert box.get_attribute("placeholder")
        box.fill("武宁县")
        assert len(held) == 1
        page.locator(".bulletin-search__message", has_text="正在检索“武宁县”").wait_for(timeout=15_000)
        assert page.locator(".bulletin-search__result").count() == 0  # Pagefind has not arrived
        held[0].continue_()
        page.locator(".bulletin-search__title").first.wait_for(timeout=15_000)
        page.wait_for_function("() => !document.querySelector('.bulletin-search__result--pending')")
        titles = [t.strip() for t in page.locator(".bulletin-search__title").all_inner_texts()]
        assert "武宁县石门楼镇山体滑坡处置有序" in titles, titles
        assert box.input_value() == "武宁县"
        assert page.locator("input[type=search]").count() == 1  # one box on the page
        assert page.evaluate("document.activeElement.classList.contains('bulletin-search__input')")


def test_the_box_waits_for_the_input_method_and_keeps_the_page_on_enter(browser: Any, server: str) -> None:
    """While the reader composes pinyin, nothing is searched, though Pagefind has arrived meanwhile: the word
    chosen is searched, not the letters. Enter, before Pagefind has arrived and after, does not reload
    the page (the form sends ?q= only where the page's script does not run)."""
    with _pagefind_held(browser, server) as (page, held, box):
        page.evaluate("window.__same = true")  # gone if the page is loaded again
        box.press("Enter")  # nothing typed yet: the page stays
        box.focus()
        cdp = page.context.new_cdp_session(page)
        cdp.send("Input.imeSetComposition", {"text": "wuning", "selectionStart": 6, "selectionEnd": 6})
        held[0].continue_()
        page.wait_for_function(
            "() => performance.getEntriesByType('resource').some(r => r.name.endsWith('/pagefind.js'))"
        )
        page.wait_for_timeout(300)
        assert not page.locator(".bulletin-search__message").inner_text().strip()  # still composing
        assert page.locator(".bulletin-search__result").count() == 0
        cdp.send("Input.insertText", {"text": "武宁县"})
        page.locator(".bulletin-search__title").first.wait_for(timeout=15_000)
        assert box.input_value() == "武宁县"
        box.press("Enter")
        page.wait_for_timeout(300)
        assert page.url.endswith("/office/search/")  # not reloaded with ?q=
        assert page.evaluate("window.__same") is True


_WATCH_THEME = """(() => { window.__seen = {};
  new MutationObserver(() => {
    if (!__seen.result && document.querySelector('.bulletin-search__title')) __seen.result = performance.now();
    if (!__seen.theme && document.querySelector('body > script[src*="bundle"]')) __seen.theme = performance.now();
  }).observe(document, {subtree: true, childList: true}); })();"""


@pytest.mark.parametrize("query", ["?q=防汛", ""])
def test_the_themes_scripts_run_after_the_first_results(browser: Any, server: str, query: str) -> None:
    """The theme's scripts (its bundle) wait on the 搜索 page until the first result is drawn, or until the
    page has loaded when nothing is searched; then they run, once, and the theme starts as on any page
    (its sidebars placed, its document$ there)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(_WATCH_THEME)
    fetched: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: fetched.append(r.url) if "/javascripts/bundle." in r.url else None)
        page.goto(f"{server}/office/search/{query}", wait_until="domcontentloaded")
        page.wait_for_function("() => !!window.document$ && !!document.querySelector('.md-sidebar[style*=top]')")
        seen = page.evaluate("window.__seen")
        if query:
            assert seen["result"] <= seen["theme"], seen
        else:  # nothing searched: after the page's load
            assert seen["theme"] >= page.evaluate("performance.getEntriesByType('navigation')[0].loadEventStart")
        assert len(fetched) == 1, fetched
        assert page.locator("template#bulletin-theme-scripts").count() == 1  # held there, run from there
    finally:
        context.close()


def test_the_files_the_search_page_preloads_are_in_the_site_and_fetched_once(
    browser: Any, server: str, built: Path
) -> None:
    """The 搜索 page asks for Pagefind's module, WebAssembly, index entry and metadata with its own files
    (the last two named by the index's hash, written into the page once the index is); each is in the site
    (a preload of a file that is not there would be a 404 on every visit) and fetched once, so the
    preload is what Pagefind uses."""
    built_page = urlsplit(f"{server}/office/search/").path
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    fetched: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: fetched.append(r.url))
        page.goto(f"{server}{built_page}", wait_until="domcontentloaded")
        links = page.eval_on_selector_all(
            "link[rel=preload], link[rel=modulepreload]", "links => links.map(l => l.href)"
        )
        names = {urlsplit(u).path.rsplit("/", 1)[1] for u in links}
        entry = json.loads((built / "office/pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
        (index,) = (language["hash"] for language in entry["languages"].values())
        assert names == {"pagefind.js", "wasm.unknown.pagefind", "pagefind-entry.json", f"pagefind.{index}.pf_meta"}
        assert f"pagefind-entry.json?ts={index}" in " ".join(links)
        page.locator(".bulletin-search__input").fill("防汛")
        page.locator(".bulletin-search__title").first.wait_for(timeout=15_000)
        for url in links:
            assert fetched.count(url) == 1, (url, fetched)
            assert context.request.get(url).status == 200, url
    finally:
        context.close()


def test_typed_letters_wait_for_the_next_key_then_search(office: Reader) -> None:
    office.box.press_sequentially("GD")
    assert not office.page.evaluate(_SEARCH_STARTED)  # the last key was just pressed: no search yet
    found = office.results()  # then it searches the whole text typed, once
    assert "“GD”" in office.message(), (office.message(), found)


def test_nothing_is_searched_while_the_input_method_composes(office: Reader) -> None:
    """The pinyin letters of a word being composed (fangxun) are not a query; the word chosen is."""
    cdp = office.context.new_cdp_session(office.page)
    office.box.focus()
    chunks: list[str] = []
    office.page.on("request", lambda r: chunks.append(r.url) if ".pf_" in r.url else None)
    for letters in ("f", "fa", "fang", "fangxun"):
        cdp.send(
            "Input.imeSetComposition", {"text": letters, "selectionStart": len(letters), "selectionEnd": len(letters)}
        )
    office.page.wait_for_timeout(500)  # longer than the wait for a typed letter
    assert not office.page.locator(".bulletin-search__result").count()
    message = office.page.locator(".bulletin-search__message")
    assert not message.count() or not message.inner_text().strip(), message.inner_text()
    assert not [u for u in chunks if "/index/" in u], chunks  # no index chunk of the letters was loaded
    cdp.send("Input.insertText", {"text": "防汛"})  # the word chosen
    found = office.results()
    assert found and "“防汛”" in office.message(), office.message()


@pytest.mark.parametrize("query", ["防汛", "安全生产", "项目", "湖口县"])
def test_snippets_do_not_begin_with_punctuation(office: Reader, query: str) -> None:
    office.paste(query)
    found = office.results()
    assert found, office.message()
    assert [r for r in found if r["excerpt"]], found
    assert not [r["excerpt"] for r in found if r["excerpt"][:1] in PUNCTUATION], found
    assert "\u200b" not in "".join(r["excerpt"] for r in found)
    # the query marked whole (not cut off at the excerpt's end), and the title above not repeated in it
    marks = [m for r in found for m in re.findall(r"<mark>(.*?)</mark>", r["marked"])]
    assert marks and set(marks) == {query}, found
    assert not [r for r in found if r["excerpt"].endswith(r["title"])], found


@pytest.mark.parametrize("query", ["武宁县", "武宁", "宁县", "石门楼镇", "山体滑坡"])
def test_a_name_is_found_wherever_it_stands(office: Reader, query: str) -> None:
    """A unit's or a place's name, alone or as part of a longer run of Chinese (武宁县石门楼镇…): the
    index and the query are cut by one rule, so the name is found in every item that holds it (武宁县
    found nothing: Pagefind's indexer cut it as 武/宁县 in those titles, the browser as 武/宁/县)."""
    office.paste(query)
    found = office.results()
    titles = [r["title"] for r in found]
    if query in "武宁县":
        assert {"武宁县石门楼镇山体滑坡处置有序", "武宁县防汛抢险队伍连夜转移群众"} <= set(titles), titles
    else:
        assert "武宁县石门楼镇山体滑坡处置有序" in titles, titles
    # the query's run of characters stands together in each item found (in its text, its title or its unit)
    assert all(query in r["title"] + r["excerpt"] + r["tags"] for r in found), found
    assert all(f"<mark>{query}</mark>" in r["marked"] for r in found if query in r["excerpt"]), found


def test_a_word_no_item_holds_finds_nothing(office: Reader, built: Path) -> None:
    """防霾: no item holds it, though many hold 防 (防汛, 防火, 防控): nothing is found (Pagefind fell back
    to the items holding the word's first character, 防诈 and 防员 for 防汛 on the demo desk)."""
    records = pagefind_records(built / "office")
    assert not [r for r in records if "防霾" in r["content"] + r["meta"]["title"]]
    assert len([r for r in records if "防" in r["content"]]) > 3
    office.paste("防霾")
    assert office.results() == []
    assert "没有找到" in office.message()


def test_a_quoted_query_is_found_only_where_it_stands_together(office: Reader) -> None:
    """A query in quotes is found where its pairs stand next to each other; without quotes, where
    every pair is: 防汛前 (…与防汛工作…，汛前汛后…) finds the item unquoted and not quoted."""
    office.paste('"石门楼镇山体滑坡"')
    assert [r["title"] for r in office.results()] == ["武宁县石门楼镇山体滑坡处置有序"]
    before = office.message()
    office.paste("防汛前")
    assert "武宁县石门楼镇山体滑坡处置有序" in [r["title"] for r in office.results(before=before)]
    before = office.message()
    office.paste('"防汛前"')
    assert "武宁县石门楼镇山体滑坡处置有序" not in [r["title"] for r in office.results(before=before)]
    before = office.message()
    office.paste("“武宁县 石门楼镇”")  # Chinese quotes as well; a space inside them does not part the words
    found = office.results(before=before)
    assert "武宁县石门楼镇山体滑坡处置有序" in [r["title"] for r in found], found
    assert all("武宁县石门楼镇" in r["title"] + r["excerpt"] for r in found), found


def test_a_single_character_finds_the_items_holding_it(office: Reader, built: Path) -> None:
    """One character finds every item that holds it, at the end of a run too (县 ends 武宁县)."""
    holding = {
        r["meta"]["title"] for r in pagefind_records(built / "office") if "汛" in r["content"] and "#" in r["url"]
    }
    office.paste("汛")
    found = {r["title"] for r in office.results()}
    assert holding and holding <= found, holding - found


_CLASS_RANGES = """(source => {
    const re = new RegExp("[" + source + "]", "u");
    const ranges = [];
    for (let p = 0; p <= 0x10ffff; p++) {
        if (p >= 0xd800 && p <= 0xdfff) continue;
        if (re.test(String.fromCodePoint(p))) {
            const last = ranges[ranges.length - 1];
            if (last && last[1] === p - 1) last[1] = p; else ranges.push([p, p]);
        }
    }
    return ranges;
})"""


def _ranges(pattern: str) -> list[list[int]]:
    found = re.compile(f"[{pattern}]")
    ranges: list[list[int]] = []
    for p in range(0x110000):
        if 0xD800 <= p <= 0xDFFF or not found.match(chr(p)):
            continue
        if ranges and ranges[-1][1] == p - 1:
            ranges[-1][1] = p
        else:
            ranges.append([p, p])
    return ranges


def test_the_query_is_cut_as_the_index_is(office: Reader) -> None:
    """search.js's classes of characters (Chinese, folded, invisible) hold the same code points as
    publish/search.py's, every one of them; its cut of a query gives the words of the index's cut
    (publish/search.py) a search looks for; its uncut gives the text back as publish/search.py's does."""
    from bulletin.publish.search import FOLDED, HAN, INVISIBLE, RUN_END, cut, uncut

    module = "import(new URL('../assets/bulletin/search.js', location.href).href)"
    for name, pattern in (("HAN", HAN), ("FOLDED", FOLDED), ("INVISIBLE", INVISIBLE)):
        shown = office.page.evaluate(f"async () => {_CLASS_RANGES}((await {module}).{name})")
        assert shown == _ranges(pattern), name
    written = [
        "武宁县石门楼镇发生山体滑坡，造成3人受伤。",
        "Windows 10系统、COVID-19防控",
        "县、乡、村三级；二〇二六年",
        "𠀀𠀁a𪚥b々〇",
        "名次，单位，采用率；1，柴桑区，100%，20；33，都昌县，50%，-190；（2）2 3",  # a table's rows (cut_html)
        "ＡＢＣ２０２６年⼯作，武\u200b宁县\ufe0f",
    ]
    edges = [ord(c) for c in HAN + FOLDED + INVISIBLE if c != "-"]
    points = sorted(
        {p + d for p in edges for d in (-1, 0, 1)} | set(range(0x2F00, 0x3100)) | set(range(0x4DB0, 0x4E10))
    )
    every = "".join(chr(p) for p in points if not 0xD800 <= p <= 0xDFFF)
    # a code point this Python (Unicode 14) and the browser assign differently is left out of the comparison
    assigned = office.page.evaluate(
        "points => points.map(p => !/\\p{Cn}/u.test(String.fromCodePoint(p)))", [ord(c) for c in every]
    )
    every = "".join(c for c, known in zip(every, assigned, strict=True) if known == (unicodedata.category(c) != "Cn"))
    samples = [*written, every]
    got = office.page.evaluate(
        f"async samples => {{ const m = await {module}; return samples.map(s => [m.cut(s), m.uncut(s)]); }}",
        [*samples, *(cut(s) for s in samples)],
    )

    def searched(word: str) -> str:  # what Pagefind keeps of a word: its letters and digits (and _)
        return re.sub(r"[^\w]", "", word).lower()

    for text, (query, _) in zip(samples, got, strict=False):
        words = [searched(w) for w in cut(text).split()]
        words = [w for w in words if w]
        expected = []
        for n, word in enumerate(words):
            if word.endswith(RUN_END) and len(word) == 2 and re.match(f"[{HAN}]", word):
                before = words[n - 1] if n else ""
                if len(before) == 2 and before[1] == word[0] and re.match(f"[{HAN}]", before):
                    continue  # the end of a run of two or more: a query's pairs stand for it
                word = word[0]  # a character alone: as itself, it finds the words it begins
            expected.append(word)
        assert [w for w in (searched(w) for w in query.split(" ")) if w] == expected, text
    for text, (_, shown) in zip(samples, got[len(samples) :], strict=False):
        assert shown == uncut(cut(text)), text
    # as written: no space next to Chinese, nor after a full-width mark
    assert [uncut(cut(text)) for text in written[:5]] == written[:5]
    assert uncut(cut(written[5])) == "ABC2026年工作，武宁县"  # folded, the invisible left out


def test_a_word_no_record_holds_finds_nothing_beside_words_they_hold(office: Reader, built: Path) -> None:
    """Pagefind leaves out of a search a word no record holds when another is held: 武宁市 found every
    record with 武宁, 防汛办 every one with 防汛, and “防汛 抗震” the records with 防汛."""
    text = "".join(r["content"] + r["meta"]["title"] for r in pagefind_records(built / "office"))
    assert "武宁" in text and "防汛" in text
    before = ""
    for query in ("武宁市", "防汛办", "防汛 抗震"):
        assert not [w for w in ("宁市", "汛办", "抗震") if w in query and w in text]
        office.paste(query)
        assert office.results(before=before) == [], query
        before = office.message()
        assert "没有找到" in before, before


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ('"县道X311"', "武宁县石门楼镇山体滑坡处置有序"),  # Chinese, then letters and digits
        ("“夜间，武宁县普降暴雨”", "武宁县防汛抢险队伍连夜转移群众"),  # a mark between
        ('"7月9日"', "武宁县防汛抢险队伍连夜转移群众"),  # ends in a single character: searched unquoted
        ("灾害防治", "武宁县石门楼镇山体滑坡处置有序"),  # 地质灾害 in bold: the run goes on through the tag
        ("“地质灾害防治”", "武宁县石门楼镇山体滑坡处置有序"),
    ],
)
def test_quoted_and_marked_up_text_is_found(office: Reader, query: str, title: str) -> None:
    office.paste(query)
    found = [r["title"] for r in office.results()]
    assert title in found, (query, found)


def _choose(reader: Reader, group: str, value: str) -> None:
    block = reader.page.locator(".bulletin-search__filter", has_text=group)
    # the filters come after the first results: asked at once, a group not yet drawn is not visible, and
    # its summary clicked once it is drawn would close it (a wide screen opens 单位 and 年份)
    block.locator(".bulletin-search__check").first.wait_for(state="attached", timeout=15_000)
    if not block.locator(".bulletin-search__check").first.is_visible():
        block.locator("summary").click()
    block.locator(".bulletin-search__value", has_text=value).locator("input").check()


def test_filters_by_unit_and_year(office: Reader) -> None:
    office.paste("防汛")
    every = office.results()
    assert {"都昌县提前谋划明年防汛工作", "武宁县防汛抢险队伍连夜转移群众"} <= {r["title"] for r in every}, every
    before = office.message()  # read before the choice: the search it starts may end at once
    _choose(office, "单位", "武宁县")
    by_unit = office.results(before=before)
    assert by_unit and len(by_unit) < len(every), by_unit
    assert all("武宁县" in r["tags"] for r in by_unit), by_unit
    before = office.message()
    _choose(office, "年份", "2025年")
    by_year = office.results(before=before)
    assert [r["title"] for r in by_year] == ["武宁县防汛抢险队伍连夜转移群众"], by_year
    assert all("2025年" in r["tags"] for r in by_year), by_year
    # a result found again by a later search keeps its own address (not the site's root twice)
    assert all(r["href"].startswith("/office/publications/") for r in by_unit + by_year), by_unit + by_year


def test_values_ticked_in_one_filter_find_either(office: Reader) -> None:
    """Two units ticked: the results of either (a reader comparing two counties), not only those both
    reported; each value's count stays the word's own, so the second unit can still be ticked. (Every
    result is read: Reader.results presses 显示更多结果.)"""
    office.paste("防汛")
    every = office.results()
    counts = office.page.locator(".bulletin-search__filter", has_text="单位").locator(".bulletin-search__value")
    counts.first.wait_for(timeout=15_000)
    before_counts = counts.all_inner_texts()
    before = office.message()
    _choose(office, "单位", "武宁县")
    wuning = office.results(before=before)
    assert wuning and all("武宁县" in r["tags"] for r in wuning), wuning
    assert counts.all_inner_texts() == before_counts
    before = office.message()
    _choose(office, "单位", "都昌县")
    both = office.results(before=before)
    assert {r["title"] for r in both} == {r["title"] for r in every if "武宁县" in r["tags"] or "都昌县" in r["tags"]}
    assert len(both) > len(wuning), both
    assert "都昌县提前谋划明年防汛工作" in {r["title"] for r in both}, both


def test_a_ticked_filter_says_so_and_keeps_the_focus(office: Reader) -> None:
    """A value ticked stays ticked for the next word: its group says 已选1项 (on a phone the group is
    closed), the message says the results are filtered, also when there are none. Ticking a box keeps
    the keyboard's focus on it (the rows are not drawn again)."""
    office.paste("防汛")
    office.results()
    before = office.message()
    _choose(office, "单位", "武宁县")
    office.results(before=before)
    ticked = office.page.locator(".bulletin-search__filter", has_text="单位").locator("input:checked")
    assert ticked.count() == 1
    assert office.page.evaluate("document.activeElement.value") == "武宁县"
    assert office.page.locator(".bulletin-search__filter summary", has_text="单位（已选1项）").count() == 1
    assert "（已按单位筛选）" in office.message(), office.message()
    before = office.message()
    office.paste("都昌")  # only 都昌县's item holds it
    assert office.results(before=before) == []
    assert office.message() == "没有找到与“都昌”相关的结果（已按单位筛选）", office.message()


def test_more_results_are_shown_five_at_a_time(office: Reader) -> None:
    """The first five results, then 显示更多结果 five more each time, until as many as the message says."""
    office.paste("县")
    office.page.wait_for_function(
        "() => /找到\\d+条/.test(document.querySelector('.bulletin-search__message').textContent)"
    )
    total = int(re.search(r"找到(\d+)条", office.message())[1])  # type: ignore[index]
    assert total > 5, office.message()
    assert office.page.locator(".bulletin-search__result").count() == 5
    assert office.page.locator(".bulletin-search__more").is_visible()
    found = office.results()
    assert len(found) == total and len({r["href"] for r in found}) == total
    assert not office.page.locator(".bulletin-search__more").is_visible()


def test_escape_and_the_clear_button_empty_the_box(office: Reader) -> None:
    for how in ("Escape", "清除"):
        office.paste("防汛")
        assert office.results()
        if how == "Escape":
            office.box.press("Escape")
        else:
            office.page.locator(".bulletin-search__clear").click()
        assert office.box.input_value() == ""
        office.page.wait_for_function("() => !document.querySelector('.bulletin-search__result')")
        assert not office.message().strip()
        assert not office.page.locator(".bulletin-search__clear").is_visible()
        assert office.page.evaluate("document.activeElement.classList.contains('bulletin-search__input')")


def _index_text(site: Path) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in pagefind_records(site))


def test_an_audience_index_holds_nothing_above_its_clearance(built: Path, browser: Any, server: str) -> None:
    office, counties = _index_text(built / "office"), _index_text(built / "counties")
    assert "防汛" in office and "防汛" in counties  # both indexes are read
    assert SECRET_WORD in office  # the office is cleared for 秘密 and receives 汇要
    assert SECRET_WORD not in counties  # the counties receive 汇要, but not 秘密
    assert "濂溪区化解房企欠薪风险有新进展" not in counties
    reader = Reader(browser, f"{server}/counties")
    try:
        reader.paste(SECRET_WORD[:2])
        assert reader.results() == []
        assert "没有找到" in reader.message()
    finally:
        reader.close()


def test_search_index_leaves_out_guides_and_listings(built: Path) -> None:
    entry = json.loads((built / "office" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["und"]  # Pagefind cuts nothing: publish/search.py has
    urls = [r["url"] for r in pagefind_records(built / "office")]
    assert urls and all(u.startswith(("/publications/", "/units/")) for u in urls), urls
    assert not [u for u in urls if re.match(r"/publications/[^/]+/(\d{4}/)?$", u)], urls  # no archive or year listing
    assert not (built / "office" / "search" / "search_index.json").exists()  # the theme's whole-site index is gone


@pytest.mark.parametrize(("width", "name"), [(1280, "search-desktop.png"), (390, "search-phone.png")])
def test_results_read_on_a_desktop_and_a_phone(browser: Any, server: str, width: int, name: str) -> None:
    """Results for 防汛 fit the screen (no sideways scrolling on a 390px phone); with BULLETIN_SCREENSHOTS=1
    the page is saved as docs/images/search-desktop.png and search-phone.png."""
    reader = Reader(browser, f"{server}/office", width=width)
    try:
        reader.paste("防汛")
        found = reader.results()
        assert found and reader.page.locator(".bulletin-search__title").first.is_visible()
        assert reader.page.evaluate("document.scrollingElement.scrollWidth") <= width
        assert "找到" in reader.message()
        if os.environ.get("BULLETIN_SCREENSHOTS") == "1":
            reader.page.wait_for_timeout(300)
            reader.page.screenshot(path=str(REPO / "docs" / "images" / name), full_page=width < 600)
    finally:
        reader.close()


FILTER_GROUPS = {"刊物", "年份", "单位", "主题"}


@pytest.mark.parametrize("width", [390, 1280])
def test_every_filter_group_shows_on_a_phone_and_a_desktop(browser: Any, server: str, width: int) -> None:
    """All four filter groups (刊物, 年份, 单位, 主题) are on the page beside the results for 防汛, within the
    screen's width, and each opens to values a reader can tick (a phone showed only 刊物 and 年份)."""
    reader = Reader(browser, f"{server}/office", width=width)
    try:
        reader.paste("防汛")
        assert reader.results()
        blocks = reader.page.locator(".bulletin-search__filter")
        # the filters come after the first results, every group drawn at once (search.js's drawFilters)
        blocks.locator(".bulletin-search__check").first.wait_for(state="attached", timeout=15_000)
        names = [str(n).strip() for n in blocks.locator("summary").all_inner_texts()]
        assert set(names) == FILTER_GROUPS, names
        for group in FILTER_GROUPS:
            block = reader.page.locator(".bulletin-search__filter", has_text=group)
            block.scroll_into_view_if_needed()
            box = block.bounding_box()
            assert box is not None and box["width"] > 0 and box["height"] > 0, group
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (group, box)
            if not block.locator(".bulletin-search__check").first.is_visible():
                block.locator("summary").click()
            assert block.locator(".bulletin-search__check").first.is_visible(), group
        assert reader.page.evaluate("document.scrollingElement.scrollWidth") <= width
    finally:
        reader.close()


def test_the_index_is_written_from_code_that_runs_an_event_loop() -> None:
    """Pagefind's Python API is a coroutine; index_site runs it to its end also where the calling thread
    already runs an event loop (Playwright's synchronous API does, in the tests): asyncio.run alone
    refused there, and the index was not written."""
    import asyncio
    import concurrent.futures
    import threading

    from bulletin.publish import search

    ran: list[str] = []

    async def work() -> None:
        await asyncio.sleep(0)
        ran.append(threading.current_thread().name)

    async def caller() -> None:
        search._run(work())  # called as synchronous code is, inside a running loop

    def scenario() -> str:
        # (in a thread of its own: this one may run Playwright's loop, left by the tests before)
        asyncio.run(caller())
        search._run(work())  # and where no loop runs: in the calling thread
        return threading.current_thread().name

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        caller_thread = pool.submit(scenario).result()
    assert len(ran) == 2 and ran[1] == caller_thread and ran[0] != ran[1], ran
