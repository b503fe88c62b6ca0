"""The site: a real `mkdocs build --strict`, offline-safe, with the rules guide and the desk's pages generated."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin.core.model import Config, Issue
from bulletin.desk.config import UNIT_TYPES, load_config
from bulletin.editorial.assemble import load_issues, load_submission
from bulletin.publish.pages import md, pdf_href, topic_slug
from bulletin.rules import RULES
from bulletin.rules.header import as_list, text_field
from bulletin.rules.secrecy import classification_of
from desk_helpers import pagefind_records

REPO = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).with_name("mkdocs")
# attributes that make a browser fetch something (a plain <a href> is only a link)
_LOADS = re.compile(
    r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=[\"']([^\"']+)|<link\b[^>]*\bhref=[\"']([^\"']+)"
)
_CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)")
_IMPORT = re.compile(r"@import\s+[\"']([^\"']+)")


_HREF = re.compile(r"<a\b[^>]*\bhref=\"([^\"]+)\"")
_TAG = re.compile(r"<[^>]+>")


def build(desk: Path, out: Path, audience: str = "all") -> subprocess.CompletedProcess[str]:
    """Plain `mkdocs build`; the full site unless an audience is named (the default is the least-privileged)."""
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "--config-file", str(desk / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=desk,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BULLETIN_AUDIENCE": audience},
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = build(REPO, out)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def desk() -> Config:
    return load_config(REPO)


@pytest.fixture(scope="module")
def issues(desk: Config) -> list[Issue]:
    issues, findings = load_issues(desk)
    assert findings == []
    assert issues, "the demo desk should have issues"
    return issues


def copy_desk(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("mkdocs.yml", "bulletin.yml", "network.yml"):
        shutil.copy(REPO / name, target / name)
    for name in ("docs", "submissions", "issues"):
        shutil.copytree(REPO / name, target / name)
    return target


def page(site: Path, url: str) -> str:
    path = site / url / "index.html" if not url.endswith(".html") else site / url
    assert path.is_file(), url
    return path.read_text(encoding="utf-8")


def text_of(markup: str) -> str:
    return html.unescape(_TAG.sub("", markup))


def resolve(site: Path, page_url: str, href: str) -> Path:
    """The file a relative link of the page at page_url (a folder URL) leads to."""
    target = (site / page_url / href.split("#", 1)[0]).resolve()
    return target / "index.html" if target.is_dir() else target


def links(site: Path, page_url: str, markup: str) -> set[Path]:
    return {resolve(site, page_url, href) for href in _HREF.findall(markup) if not href.startswith(("http", "#"))}


def primary_sidebar(markup: str) -> str:
    start = markup.index("md-sidebar--primary")
    return markup[start : markup.index("md-sidebar--secondary", start)]


def _external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.IGNORECASE)) and not url.startswith("data:")


def test_rules_guide_is_generated_with_every_rule_and_examples(site: Path) -> None:
    html = (site / "rules" / "index.html").read_text(encoding="utf-8")
    assert "信息写作与报送规范" in html
    for rule_id, rule in RULES.items():
        assert f"<code>{rule_id}</code>" in html, rule_id
        assert rule.name in html
    assert html.count("错误示例") == len(RULES) and html.count("正确示例") == len(RULES)


def test_guide_pages_are_built(site: Path) -> None:
    for page in (
        "index.html",
        "guide/unit/index.html",
        "guide/editor/index.html",
        "guide/reader/index.html",
        "guide/admin/index.html",
    ):
        assert (site / page).is_file(), page
    assert '<html lang="zh"' in (site / "index.html").read_text(encoding="utf-8")


def test_site_loads_nothing_from_outside(site: Path) -> None:
    offenders = []
    for path in site.rglob("*"):
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            for m in _LOADS.finditer(text):
                url = m[1] or m[2]
                if _external(url):
                    offenders.append(f"{path.relative_to(site)}: {url}")
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            for m in [*_CSS_URL.finditer(text), *_IMPORT.finditer(text)]:
                if _external(m[1]):
                    offenders.append(f"{path.relative_to(site)}: {m[1]}")
    assert offenders == []
    assert "fonts.googleapis.com" not in (site / "index.html").read_text(encoding="utf-8")


def test_search_index_is_pagefind_for_chinese_and_replaces_the_themes(site: Path) -> None:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    # one index, its Chinese cut by the desk into pairs of characters (publish/search.py), not by Pagefind
    assert list(entry["languages"]) == ["und"]
    from bulletin.publish.search import HAN

    records = pagefind_records(site)
    # every word that begins with a Chinese character, as Pagefind keeps it (letters and digits): a character
    # and the next, or its end mark; no character alone (a query would fall back to it)
    chinese = [re.sub(r"[^\w]", "", w) for r in records for w in r["words"].split() if re.match(f"[{HAN}]", w)]
    assert len(chinese) > 1000 and all(len(w) == 2 for w in chinese)
    assert (site / "pagefind" / "pagefind.js").is_file()  # Pagefind is the site's own file
    assert (site / "pagefind" / "pagefind-worker.js").is_file()  # which pagefind.js fetches
    from bulletin.publish.search import UNUSED

    # Pagefind's own interfaces, which no page loads, are not deployed (checked by name: none is left)
    assert "pagefind-ui.js" in UNUSED and not [p.name for p in (site / "pagefind").glob("pagefind-*ui*")]
    assert not [name for name in UNUSED if (site / "pagefind" / name).exists()]
    assert "pagefind-ui" not in (site / "search" / "index.html").read_text(encoding="utf-8")  # the desk's interface
    assert not (site / "search" / "search_index.json").exists()  # the theme's whole-site index is gone
    # no zero-width spaces inserted into what readers see (the theme's search cut words with them)
    assert "\u200b" not in (site / "search" / "index.html").read_text(encoding="utf-8")


def test_a_tables_rows_keep_their_cells_apart_in_the_search_text(site: Path) -> None:
    """The 通报's ranking in an excerpt: each row one sentence, its cells parted (Pagefind's own reading
    ran them together: 名次单位报送采用采用率得分1.柴桑区2. 2. 100% 20.)."""
    (ranking,) = [r for r in pagefind_records(site) if r["url"] == "/publications/tongbao/2026/001/#_2"]
    # (rows are paragraphs, so 20； and 1， are words apart: shown without a space after the mark)
    assert ranking["content"].startswith(
        "名次，单位，报送，采用，采用率，得分；1，柴桑区，2，2，100%，20；1，湖口县，"
    ), ranking
    assert "33，都昌县，2，1，50%，-190；" in ranking["content"]
    # the words are searched as before: the cell's marks are no words of their own
    assert "柴桑区" in ranking["content"] and not [w for w in ranking["words"].split() if w in ("，", "；")]


# ---------- the desk's pages ----------


def test_issue_pages_show_masthead_items_marks_credits_and_distribution(
    site: Path, desk: Config, issues: list[Issue]
) -> None:
    for issue in issues:
        url = f"publications/{issue.id}/"
        markup = page(site, url)
        words = text_of(markup)
        pub = desk.publication(issue.publication)
        assert pub is not None
        assert pub.name in words and desk.office in words
        total = f"（总第{issue.total_number}期）" if issue.total_number else ""
        assert f"{issue.year}年第{issue.number}期{total}" in words
        assert f"{issue.date.year}年{issue.date.month}月{issue.date.day}日" in words
        assert f"<span>{issue.classification}" in markup  # 密级 at the top
        for item in issue.items:
            assert item.title in words
            for paragraph in item.text.split("\n\n"):
                if paragraph.lstrip().startswith("|"):  # a table (the notice's ranking): every cell shown
                    cells = [c.strip() for row in paragraph.splitlines()[2:] for c in row.strip("|").split("|")]
                    assert all(f">{cell}<" in markup for cell in cells if cell), issue.id
                    continue
                assert paragraph.strip() in words, (issue.id, paragraph[:20])
        copies = issue.copies or pub.copies
        assert f"共印{copies}份" in words
        for key, names in (issue.distribution or pub.distribution).items():
            assert f"{key}：{'，'.join(names)}" in words


def test_classified_and_urgent_items_carry_their_marks_above_them(
    site: Path, desk: Config, issues: list[Issue]
) -> None:
    seen = 0
    for issue in issues:
        markup = page(site, f"publications/{issue.id}/")
        for item in issue.items:
            subs = [load_submission(desk, s) for s in item.sources]
            levels = [classification_of(s) for s in subs if s is not None]
            urgencies = {text_field(s, "紧急程度") for s in subs if s is not None}
            marks = [f"{level}★{term}" for level, term, _ in levels if level in ("秘密", "机密")]
            marks += [u for u in ("特急", "加急") if u in urgencies][:1]
            heading = markup.rindex("<h2", 0, markup.index(f">{html.escape(item.title, quote=False)}</h2>"))
            tail = markup[:heading].rstrip()
            above = tail[tail.rindex("<p") :]  # the paragraph just above the title
            if marks:
                seen += 1
                assert above.startswith('<p class="bulletin-marks">'), (issue.id, item.title)
                assert [f"<span>{mark}</span>" for mark in marks] == re.findall(r"<span>[^<]*</span>", above)
            else:
                assert "bulletin-marks" not in above, (issue.id, item.title)
    assert seen, "the demo should have a classified or urgent item"
    neican = page(site, "publications/neican/2026/002/")
    masthead = neican[neican.index('<div class="bulletin-masthead">') :]
    assert '<p class="bulletin-marks"><span>机密★' in masthead[: masthead.index("</div>")]  # 机密 at the top


def test_credits_link_to_unit_pages_and_composite_items_credit_every_unit(
    site: Path, desk: Config, issues: list[Issue]
) -> None:
    composite = 0
    for issue in issues:
        url = f"publications/{issue.id}/"
        markup = page(site, url)
        targets = links(site, url, markup)
        for item in issue.items:
            units = {source.split("/")[0] for source in item.sources}
            composite += len(units) > 1
            for unit_id in units:
                assert (site / "units" / unit_id / "index.html").resolve() in targets, (issue.id, unit_id)
    assert composite, "the demo should have a composite (综合) item"


def test_every_credit_line_names_its_units_and_items_without_sources_have_none(site: Path, issues: list[Issue]) -> None:
    without = 0
    for issue in issues:
        text = text_of(page(site, f"publications/{issue.id}/"))
        credited = [item for item in issue.items if item.sources]
        without += len(issue.items) - len(credited)
        assert text.count("来源：") == len(credited), issue.id
        assert not re.search(r"来源：\s*(\n|$)", text), issue.id  # never an empty credit line
    assert without, "the demo should have an item the office wrote itself (a 通报)"


def test_issue_page_links_its_pdf_relative_to_the_page(site: Path, issues: list[Issue]) -> None:
    for issue in issues:
        url = f"publications/{issue.id}/"
        hrefs = [h for h in _HREF.findall(page(site, url)) if h.endswith(".pdf")]
        # the current PDF first, then one for each earlier revision of a corrected issue
        assert len(hrefs) == issue.revision and not any(h.startswith(("/", "http")) for h in hrefs)
        assert resolve(site, url, hrefs[0]) == (site / "pdf" / f"{issue.id}.pdf").resolve()
        for revision, href in enumerate(hrefs[1:], start=1):
            assert resolve(site, url, href) == (site / "pdf" / f"{issue.id}-r{revision}.pdf").resolve()
        for href in hrefs:
            assert resolve(site, url, href).is_file(), href


def test_a_corrected_issue_shows_what_changed_when_and_by_whom(site: Path) -> None:
    html = page(site, "publications/huiyao/2026/001/")
    record = html[html.index("更正记录") :]
    assert "第2版" in record and "赵敏提交" in record and "2026年11月28日" in record
    assert "<del>" in record and "180万人次" in record.split("<ins>")[0]
    assert "150万人次" in record.split("<ins>")[1]
    assert "下载第1版PDF（更正前）" in record


def test_unit_pages_list_submissions_and_where_they_were_adopted(site: Path, desk: Config, issues: list[Issue]) -> None:
    adopted: dict[str, set[str]] = {}
    for issue in issues:
        for item in issue.items:
            for source in item.sources:
                adopted.setdefault(source, set()).add(issue.id)
    pending = 0
    for path in sorted((REPO / "submissions").glob("*/*/*.md")):
        sub_id = path.relative_to(REPO / "submissions").with_suffix("").as_posix()
        item = load_submission(desk, sub_id)
        assert item is not None
        unit_id = sub_id.split("/")[0]
        url = f"units/{unit_id}/"
        markup = page(site, url)
        title = text_field(item, "标题")
        assert title is not None
        row = next(r for r in markup.split("<tr>") if html.escape(title, quote=False) in r)
        assert text_field(item, "类别") in row and text_field(item, "紧急程度") in row
        assert sub_id.split("/")[2][:2] + "-" + sub_id.split("/")[2][2:4] in row  # the date, e.g. 11-03
        row_links = links(site, url, row)
        for issue_id in adopted.get(sub_id, ()):
            assert (site / "publications" / issue_id / "index.html").resolve() in row_links, (sub_id, issue_id)
        if sub_id not in adopted:
            pending += 1
            assert "待编" in row
    assert pending, "the demo should have submissions not yet in any issue"
    town = page(site, "units/xiushui-yining/")
    assert "上级单位" in town and (site / "units/xiushui/index.html").resolve() in links(
        site, "units/xiushui-yining/", town
    )


def test_units_index_groups_units_by_type(site: Path, desk: Config) -> None:
    markup = page(site, "units/")
    present = [t for t in UNIT_TYPES if any(u.type == t for u in desk.units)]  # a city desk's kinds
    assert present == ["县区", "市直部门", "乡镇街道", "特约信息员"]
    positions = [markup.index(f">{unit_type}</h2>") for unit_type in present]
    assert positions == sorted(positions)
    assert not [t for t in UNIT_TYPES if t not in present and f">{t}</h2>" in markup]  # no empty heading
    targets = links(site, "units/", markup)
    for unit in desk.units:
        assert (site / "units" / unit.id / "index.html").resolve() in targets
        section = markup[: markup.index(f">{unit.name}</a>")].rsplit("</h2>", 1)[0].rsplit(">", 1)[1]
        assert section == unit.type, unit.id


def test_topic_pages_list_the_submissions_with_each_topic(site: Path, desk: Config) -> None:
    index = page(site, "topics/")
    slugs = dict(zip(desk.topics, ["xiangmujianshe", "zhaoshangyinzi", "changjiangdabaohu"], strict=False))
    for topic in desk.topics:
        assert f">{topic}</a>" in index
        markup = page(site, f"topics/{topic_slug(topic)}/")
        if topic in slugs:  # the URL a reader can read: pinyin, not the topic's place in bulletin.yml
            assert topic_slug(topic) == slugs[topic]
        assert f">{topic}</h1>" in markup
        for path in (REPO / "submissions").glob("*/*/*.md"):
            sub_id = path.relative_to(REPO / "submissions").with_suffix("").as_posix()
            item = load_submission(desk, sub_id)
            assert item is not None
            title = html.escape(text_field(item, "标题") or "", quote=False)
            assert (title in markup) == (topic in (as_list(item.fields.get("主题")) or [])), (topic, sub_id)


def test_archives_list_every_issue_with_number_date_total_and_titles(
    site: Path, desk: Config, issues: list[Issue]
) -> None:
    latest: dict[str, Issue] = {}
    for issue in issues:
        if issue.publication not in latest or (issue.date, issue.number) > (
            latest[issue.publication].date,
            latest[issue.publication].number,
        ):
            latest[issue.publication] = issue
        for url in (f"publications/{issue.publication}/", f"publications/{issue.publication}/{issue.year}/"):
            markup = page(site, url)
            assert (site / "publications" / issue.id / "index.html").resolve() in links(site, url, markup)
            entry = markup[markup.index(f'{issue.id.rsplit("/", 1)[1]}/">') :]
            entry = entry[: entry.index("</ul>")]
            words = text_of(entry)
            assert f"第{issue.number}期" in words and f"{issue.date.month}月{issue.date.day}日" in words
            if issue.total_number:
                assert f"总第{issue.total_number}期" in words
            for item in issue.items:
                assert item.title in words
    overview = page(site, "publications/")
    for pub_id, issue in latest.items():
        assert (site / "publications" / issue.id / "index.html").resolve() in links(site, "publications/", overview)
        for item in issue.items:
            assert item.title in text_of(overview)
        assert (site / "publications" / pub_id / "index.html").resolve() in links(site, "publications/", overview)
    assert (site / "publications/index.html").resolve() in links(site, "", page(site, ""))


def test_search_index_holds_the_text_of_every_item(site: Path, issues: list[Issue]) -> None:
    by_page: dict[str, str] = {}
    for record in pagefind_records(site):
        page = record["url"].split("#", 1)[0].lstrip("/")
        by_page[page] = by_page.get(page, "") + text_of(record["content"])
    for issue in issues:
        words = by_page[f"publications/{issue.id}/"]
        for item in issue.items:
            for paragraph in item.text.split("\n\n"):
                if paragraph.lstrip().startswith("|"):  # a table: its unit names are searchable
                    names = [row.strip("|").split("|")[1].strip() for row in paragraph.splitlines()[2:]]
                    assert all(name in words for name in names), issue.id
                    continue
                # (a line break within a paragraph is a space in the text, and none is kept next to Chinese)
                assert re.sub(r"\s+", "", paragraph) in re.sub(r"\s+", "", words), (issue.id, paragraph[:20])


def test_no_sidebar_lists_the_issues(site: Path, issues: list[Issue]) -> None:
    issue_pages = {(site / "publications" / issue.id / "index.html").resolve() for issue in issues}
    assert len(issue_pages) > 3
    # every mkdocs page; admin/ is the form (Decap CMS), a page of its own without the theme
    pages = [p for p in site.rglob("index.html") if p.parent != site / "admin"]
    assert len(pages) > len(issue_pages)
    for path in pages:
        url = path.parent.relative_to(site).as_posix()
        url = "" if url == "." else url + "/"
        sidebar = primary_sidebar(path.read_text(encoding="utf-8"))
        assert (site / "publications/index.html").resolve() in links(site, url, sidebar), url  # the nav is there
        listed = links(site, url, sidebar) & issue_pages
        assert not listed, (url, sorted(str(p) for p in listed))


def test_a_broken_issue_file_stops_the_build_with_the_file_and_line(tmp_path: Path) -> None:
    desk = copy_desk(tmp_path / "desk")
    target = desk / "issues/huiyao/2026/002.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("日期: 2026-11-13", "日期: 11月13日"), encoding="utf-8")
    line = next(n for n, ln in enumerate(text.split("\n"), start=1) if ln.startswith("日期:"))
    done = build(desk, tmp_path / "site")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    assert f"issues/huiyao/2026/002.md第{line}行" in done.stderr and "日期" in done.stderr
    assert "站点未能构建" in done.stderr


def test_an_issue_citing_a_missing_submission_stops_the_build(tmp_path: Path) -> None:
    desk = copy_desk(tmp_path / "desk")
    target = desk / "issues/huiyao/2026/002.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("来源：xunyang/2026/1110-01", "来源：xunyang/2026/1199-01"), encoding="utf-8")
    line = next(n for n, ln in enumerate(text.split("\n"), start=1) if ln == "来源：xunyang/2026/1110-01") - 2
    done = build(desk, tmp_path / "site")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert f"issues/huiyao/2026/002.md第{line}行" in done.stderr and "xunyang/2026/1199-01" in done.stderr


@pytest.mark.parametrize(
    "text",
    [
        "党建+网格",
        "**加粗**与_斜体_",
        "[链接](http://x)",
        "<script>alert(1)</script>",
        "A|B",
        "# 标题",
        "a\\b & c",
        "`代码`",
    ],
)
def test_titles_and_names_are_shown_as_written_never_as_markup(text: str) -> None:
    import markdown

    rendered = markdown.markdown(f"| {md(text)} |\n|---|\n| {md(text)} |", extensions=["tables"])
    cells = re.findall(r"<t[hd]>(.*?)</t[hd]>", rendered)
    assert [html.unescape(c) for c in cells] == [text, text]
    # the tables extension (on in mkdocs.yml) is what makes a backslash before | an escape
    heading = markdown.markdown(f"## {md(text)}", extensions=["tables"])
    assert html.unescape(_TAG.sub("", heading)) == text


def test_pdf_link_is_relative_to_where_the_page_lands() -> None:
    issue = Issue("", "huiyao", 2026, 3, None, dt.date(2026, 11, 27), "", "", "内部", None, None, True, {}, 0)
    assert pdf_href(issue, use_directory_urls=True) == "../../../../pdf/huiyao/2026/zk003.pdf"
    assert pdf_href(issue, use_directory_urls=False) == "../../../pdf/huiyao/2026/zk003.pdf"


def test_home_page_shows_the_latest_issue_of_each_publication(site: Path, desk: Config, issues: list[Issue]) -> None:
    html = page(site, "")
    assert "最新各期" in html and "<!-- 最新各期 -->" not in html
    for pub in desk.publications:
        assert pub.name in html
        own = [i for i in issues if i.publication == pub.id]
        if not own:
            continue  # shown as 尚未出刊
        latest = max(own, key=lambda i: (i.date, i.number))
        assert f'href="publications/{latest.id}/"' in html, latest.id
        assert latest.items[0].title.split(" ")[0] in html


def test_discipline_page_names_every_case_call_and_gap(site: Path) -> None:
    html = page(site, "discipline/")
    assert "报送纪律" in html
    assert "漏报：都昌县" in html  # a 较大 event nobody reported
    assert "瞒报：永修县" in html and "迟报：德安县" in html and "迟报30分钟" in html
    assert "约稿" in html and "修水县未报送" in html
    assert "彭泽县龙城镇尚未落实信息员" in html


def test_unit_pages_show_the_figures_of_stats(site: Path, desk: Config) -> None:
    """Issue 11, finding 4: the 修水县 page said 报送/采用 4条/4条 (only the items of the site's issues);
    issue 15, finding 3: it then counted every item ever received while `bulletin stats` counts a
    period. Each unit's page and the units' index show its row of `stats` for the year they name."""
    index = page(site, "units/")
    named = re.search(r"bulletin stats --period (\d{4})", index)
    assert named, "the index names the period of its figures"
    done = subprocess.run(
        [str(MKDOCS.parent / "bulletin"), "stats", "--period", named[1], "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    rows = {row["unit"]: row for row in json.loads(done.stdout)["units"]}
    for unit in desk.units:
        row = rows[unit.id]
        text = re.sub(r"\s+", "", text_of(page(site, f"units/{unit.id}/")))
        for shown in (f"报送{row['submitted']}条", f"采用{row['adopted']}条", f"得分{row['score']}分"):
            assert shown in text, (unit.id, shown)
        assert f"名次第{row['rank']}名" in text, unit.id
