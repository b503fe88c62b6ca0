"""Long listings (a unit's or a topic's submissions, a year of a publication) are split by time,
so no page grows with the desk: each page holds at most `page_rows` rows, the parts together hold
exactly the listing's rows, and listing pages stay out of the search index.

Most tests work on the generated Markdown of a made-up desk (pages.generate, no I/O); one builds the
demo desk with `mkdocs build --strict` and a small page size, to check the real pages and links.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from bulletin.core.model import Config, Issue, IssueItem
from bulletin.core.timing import BEIJING
from bulletin.desk.config import load_config
from bulletin.desk.registers import Call
from bulletin.duty.engine import LATE, MISSED, NOT_ANSWERED, CallCase, Case
from bulletin.duty.health import NO_INFORMANT, HealthProblem
from bulletin.publish.discipline import record_pages
from bulletin.publish.pages import Desk, Page, Submission, chunk_src, chunks, generate, topic_slug
from desk_helpers import REPO, pagefind_records

MKDOCS = Path(sys.executable).with_name("mkdocs")
_TITLE = re.compile(r"测试信息第(\d+)条")
_LINK = re.compile(r"\]\(([^)\s]+\.md)\)")
_ISSUE = re.compile(r"/(zk)?\d{3,4}\.md$")
_ROW = re.compile(r"^\| \d{4}-\d{2}-\d{2} \|", re.MULTILINE)  # a submission's row: it starts with its date
OTHER_TOPIC = "自选主题"


# ---------- the split itself ----------


def days(*spec: tuple[int, int, int]) -> list[dt.date]:
    """Dates (month, first day, count: one a day from the first), newest first, as listings hold them."""
    out = [dt.date(2025, month, first + n) for month, first, count in spec for n in range(count)]
    return sorted(out, reverse=True)


def test_whole_months_go_together_and_a_long_month_is_split_by_its_days() -> None:
    rows = days((1, 1, 3), (2, 1, 3), (3, 1, 20), (4, 1, 2), (5, 1, 2), (12, 1, 1))
    pages = chunks(rows, lambda d: d, limit=8)
    assert [(p.key, p.label, len(p.rows)) for p in pages] == [
        ("2025-04", "2025年4月至12月", 5),
        ("2025-03-3", "2025年3月17日至20日", 4),
        ("2025-03-2", "2025年3月9日至16日", 8),
        ("2025-03-1", "2025年3月1日至8日", 8),
        ("2025-01", "2025年1月至2月", 6),
    ]
    assert [d for p in pages for d in p.rows] == rows  # every row once, newest first
    assert all(len(p.rows) <= 8 for p in pages)


def test_new_rows_leave_the_pages_of_the_past_as_they_were() -> None:
    before = chunks(days((1, 1, 5), (2, 1, 5), (3, 1, 5), (4, 1, 5)), lambda d: d, limit=12)
    after = chunks(days((1, 1, 5), (2, 1, 5), (3, 1, 5), (4, 1, 9)), lambda d: d, limit=12)
    # only the newest page changes (or a new one starts); the older ones keep their name and rows
    assert before[1:] == after[len(after) - len(before) + 1 :]


def test_undated_rows_come_last_and_a_year_boundary_is_named() -> None:
    rows: list[dt.date | None] = [dt.date(2026, 1, 5), dt.date(2025, 12, 30), None, None, None]
    pages = chunks(rows, lambda d: d, limit=2)
    assert [(p.label, p.rows) for p in pages] == [
        ("2025年12月至2026年1月", (dt.date(2026, 1, 5), dt.date(2025, 12, 30))),
        ("日期不详", (None, None)),
        ("日期不详（2）", (None,)),
    ]
    assert len({p.key for p in pages}) == len(pages)


def test_rows_are_weighed_and_a_heavy_row_stands_alone() -> None:
    rows = [(dt.date(2025, 5, d), w) for d, w in ((20, 9), (10, 2), (9, 2), (1, 1))]
    pages = chunks(rows, lambda r: r[0], weight=lambda r: r[1], limit=4)
    assert [[r[1] for r in p.rows] for p in pages] == [[9], [2], [2, 1]]


def test_a_part_lives_beside_its_listing() -> None:
    assert chunk_src("topics/7.md", "2025-03") == "topics/7/2025-03.md"
    assert chunk_src("units/xiushui.md", "2025-03-2") == "units/xiushui/2025-03-2.md"
    assert chunk_src("publications/huiyao/2025/index.md", "2025-10") == "publications/huiyao/2025/2025-10.md"


# ---------- the pages of a made-up desk ----------


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(REPO)


def made_up_desk(config: Config, count: int) -> Desk:
    """`count` submissions of three units over 2025 (March twice as busy), every third adopted."""
    units = [u.id for u in config.units[:3]]
    topics = [config.topics[0], config.topics[1], OTHER_TOPIC]
    subs: dict[str, Submission] = {}
    for n in range(count):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=(n * 365 // count))
        if n % 5 == 0:
            day = dt.date(2025, 3, 1 + n % 28)
        unit = units[n % 3]
        sub_id = f"{unit}/2025/{day:%m%d}-{n:04d}"
        subs[sub_id] = Submission(
            sub_id, unit, f"测试信息第{n}条", day, "普遍性", "平件", "内部", topics=(topics[n // 3 % 3],)
        )
    issues = []
    adopted = [s for n, s in enumerate(subs.values()) if n % 3 == 0]
    for number, start in enumerate(range(0, len(adopted), 4), start=1):
        batch = adopted[start : start + 4]
        items = [IssueItem(s.title, "正文。", (s.id,), 0) for s in batch]
        date = max(s.date for s in batch if s.date)
        issue = Issue("", "huiyao", 2025, number, number, date, "", "", "内部", None, None, False, {}, 0, items=items)
        issues.append(issue)
    return Desk.build(config, issues, subs)


def test_topic_pages_are_named_in_pinyin_the_same_on_every_build(config: Config) -> None:
    """Issue 15, finding 3: /topics/fangxunkanghan/, not /topics/6/; topics that read alike, a topic
    named like the list and one of punctuation alone get distinct names, the configured topics first."""
    topics = ("防汛抗旱", "公示", "公式", "index", "５Ｇ网络", "！！", "长江大保护")
    subs = {
        "xiushui/2025/0301-01": Submission(
            "xiushui/2025/0301-01", "xiushui", "甲", None, "", "", "内部", topics=("Gōng示",)
        ),
        "xiushui/2025/0302-01": Submission(
            "xiushui/2025/0302-01", "xiushui", "乙", None, "", "", "内部", topics=("公示！",)
        ),
    }
    desk = Desk.build(replace(config, topics=topics), [], subs)
    pages = {p.src_uri: p for p in generate(desk)}
    slugs = [src for src in pages if src.startswith("topics/") and src != "topics/index.md"]
    assert slugs == [
        "topics/fangxunkanghan.md",
        "topics/gongshi.md",
        "topics/gongshi-2.md",
        "topics/index-2.md",
        "topics/5gwangluo.md",
        "topics/topic.md",
        "topics/changjiangdabaohu.md",
        "topics/gongshi-3.md",  # Gōng示 and 公示！, outside the list, in name order
        "topics/gongshi-4.md",
    ]
    assert "# 公式" in pages["topics/gongshi-2.md"].content
    assert "[防汛抗旱](fangxunkanghan.md)" in pages["topics/index.md"].content
    again = {p.src_uri for p in generate(Desk.build(replace(config, topics=topics), [], subs))}
    assert again == set(pages)


def titles(page: Page) -> list[int]:
    return [int(n) for n in _TITLE.findall(page.content)]


def listing_parts(pages: dict[str, Page], listing: str) -> list[Page]:
    """The pages that hold a listing's rows: its own page, or the parts beside it when it is split."""
    stem = posixpath.splitext(listing)[0].removesuffix("/index")
    beside = [
        p for src, p in pages.items() if re.fullmatch(re.escape(stem) + r"/(\d{4}-\d{2}(-\d+)?|undated.*)\.md", src)
    ]
    return beside or [pages[listing]]


@pytest.mark.parametrize("page_rows", [7, 50])
def test_each_part_holds_at_most_a_page_and_the_parts_exactly_the_listing(config: Config, page_rows: int) -> None:
    desk = made_up_desk(config, 600)
    pages = {p.src_uri: p for p in generate(desk, page_rows=page_rows)}
    subs = list(desk.submissions.values())
    expected = {
        "units": {u: {int(_TITLE.findall(s.title)[0]) for s in subs if s.unit == u} for u in {s.unit for s in subs}},
        "topics": {t: {int(_TITLE.findall(s.title)[0]) for s in subs if t in s.topics} for t in {OTHER_TOPIC}},
    }
    split = 0
    for unit_id, want in expected["units"].items():
        parts = listing_parts(pages, f"units/{unit_id}.md")
        split += len(parts) > 1
        held = [n for p in parts for n in titles(p)]
        assert Counter(held) == Counter(want), unit_id  # every one of its submissions, once, and no other
        assert all(len(_ROW.findall(p.content)) <= page_rows for p in parts)
    for slug, topic in zip(("xiangmujianshe", "zhaoshangyinzi"), config.topics[:2], strict=True):
        parts = listing_parts(pages, f"topics/{slug}.md")
        held = [n for p in parts for n in titles(p)]
        assert Counter(held) == Counter(int(_TITLE.findall(s.title)[0]) for s in subs if topic in s.topics)
        assert all(len(_ROW.findall(p.content)) <= page_rows for p in parts)
    # a topic outside the configured list has its own page too, split the same way
    other = listing_parts(pages, "topics/zixuanzhuti.md")
    assert Counter(n for p in other for n in titles(p)) == Counter(expected["topics"][OTHER_TOPIC])
    assert split == 3  # 200 submissions a unit: every unit's listing is split
    # a year of the publication: every issue once, at most a page of lines (an issue and its items)
    parts = listing_parts(pages, "publications/huiyao/2025/index.md")
    assert len(parts) > 1
    entries = [m for p in parts for m in re.findall(r"^- \[第(\d+)期\]", p.content, re.MULTILINE)]
    assert sorted(map(int, entries)) == [i.number for i in desk.issues]
    for p in parts:
        assert len(re.findall(r"^ *- ", p.content, re.MULTILINE)) <= page_rows, p.src_uri


def test_a_split_listing_names_its_parts_and_each_part_its_neighbours(config: Config) -> None:
    desk = made_up_desk(config, 300)
    pages = {p.src_uri: p for p in generate(desk, page_rows=20)}
    for src, page in pages.items():
        for href in _LINK.findall(page.content):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(src), href))
            assert target in pages or (REPO / "docs" / target).is_file(), (src, href)
    unit = desk.config.units[0].id
    listing = pages[f"units/{unit}.md"].content
    linked = [posixpath.normpath(posixpath.join("units", h)) for h in _LINK.findall(listing)]
    parts = [pages[src] for src in linked if src.startswith(f"units/{unit}/")]  # as listed: newest first
    assert len(parts) > 2 and sorted(p.src_uri for p in parts) == sorted(
        p.src_uri for p in listing_parts(pages, f"units/{unit}.md")
    )
    for n, part in enumerate(parts):
        text = part.content
        newer = parts[n - 1].src_uri.rsplit("/", 1)[1] if n else None
        older = parts[n + 1].src_uri.rsplit("/", 1)[1] if n + 1 < len(parts) else None
        assert ("上一页" in text) == (newer is not None) and ("下一页" in text) == (older is not None)
        assert newer is None or f"]({newer})" in text
        assert older is None or f"]({older})" in text
        assert f"](../{unit}.md)" in text  # the way back to the unit
        assert "待编为已采用入库、尚未编入刊物" in text  # what the 处理情况 column says


def test_listing_pages_stay_out_of_the_search_index_and_issues_do_not(config: Config) -> None:
    desk = made_up_desk(config, 300)
    pages = {p.src_uri: p for p in generate(desk, page_rows=20)}
    excluded = {src for src, p in pages.items() if "search:\n  exclude: true" in p.content}
    for src in pages:
        listing = src.startswith("topics/") and src != "topics/index.md"
        listing |= src.startswith("publications/") and src != "publications/index.md" and not _ISSUE.search(src)
        listing |= src.startswith("units/") and src.count("/") == 2
        listing |= src.startswith("instructions/")  # 领导批示: a listing of records
        assert (src in excluded) == listing, src
    # a unit's own page is found by its name and its informants; its submissions are not indexed
    unit = pages[f"units/{desk.config.units[0].id}.md"].content
    assert '<h2 id="submissions" data-search-exclude>报送的信息</h2>' in unit


def test_pages_stay_the_same_size_when_the_desk_is_ten_times_larger(config: Config) -> None:
    def largest(count: int) -> tuple[int, int]:
        pages = list(generate(made_up_desk(config, count)))
        listings = [len(p.content.encode()) for p in pages if not _ISSUE.search(p.src_uri)]
        return max(listings), len(pages)

    small, small_pages = largest(400)
    large, large_pages = largest(4000)
    assert large <= 1.2 * small, (small, large)
    assert large_pages > 5 * small_pages  # more pages, not longer ones


# ---------- the real site ----------


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo desk's full site (with its events and calls), with listings of more than two rows split."""
    desk = tmp_path_factory.mktemp("paged") / "desk"
    desk.mkdir()
    for name in ("bulletin.yml", "network.yml"):
        shutil.copy(REPO / name, desk / name)
    for name in ("docs", "submissions", "issues", "events", "calls", "receipts"):
        shutil.copytree(REPO / name, desk / name, ignore=shutil.ignore_patterns("images"))
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  - bulletin\n" in config
    config = config.replace("\n  - bulletin\n", "\n  - bulletin:\n      page_rows: 2\n      pdf: false\n")
    (desk / "mkdocs.yml").write_text(config, encoding="utf-8")
    out = desk / "site"
    done = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(desk / "mkdocs.yml"), "-d", str(out)],
        cwd=desk,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "BULLETIN_AUDIENCE": "all"},
    )
    assert done.returncode == 0, done.stderr[-3000:]  # --strict: every link between the pages resolves
    return out


def test_the_built_topic_parts_hold_exactly_the_topics_submissions(paged_site: Path, config: Config) -> None:
    from bulletin.editorial.assemble import load_submission
    from bulletin.rules.header import as_list, text_field

    subs = {}
    for path in (REPO / "submissions").glob("*/*/*.md"):
        sub_id = path.relative_to(REPO / "submissions").with_suffix("").as_posix()
        item = load_submission(config, sub_id)
        assert item is not None
        subs[sub_id] = (text_field(item, "标题") or "", as_list(item.fields.get("主题")) or [])
    split = 0
    for topic in config.topics:
        folder = paged_site / "topics" / topic_slug(topic)
        parts = sorted(p for p in folder.glob("*/index.html"))
        split += bool(parts)
        text = "".join(p.read_text(encoding="utf-8") for p in parts) or (folder / "index.html").read_text("utf-8")
        for title, topics in subs.values():
            title = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert text.count(f"<td>{title}</td>") == (topic in topics), (topic, title)
        for part in parts:
            assert part.read_text(encoding="utf-8").count("<tr>") <= 3  # the head and two rows
    assert split, "with two rows a page, some topic should be split"


def test_the_built_search_index_holds_issues_and_units_but_no_listing(paged_site: Path, config: Config) -> None:
    records = pagefind_records(paged_site)
    pages = {r["url"].split("#", 1)[0].lstrip("/") for r in records}
    assert "publications/huiyao/2026/001/" in pages
    listings = r"topics/.|units/[^/]+/.|publications/[^/]+/$|publications/[^/]+/\d{4}/$|publications/[^/]+/\d{4}/\d{4}-"
    assert not [p for p in pages if re.match(listings, p)]
    xiushui = " ".join(r["content"] for r in records if r["url"].startswith("/units/xiushui/"))
    assert "匡小平" in xiushui  # the unit's informant is found
    assert "宁红茶" not in xiushui  # its submissions' titles are not (the issues hold them)


# ---------- the 报送纪律 page ----------

_CASE = re.compile(r"测试事件第(\d+)起")
_CALL = re.compile(r"测试约稿第(\d+)次”[^：]*：([^\s按逾未尚]+)")
_GAP = re.compile(r"测试单位(\d+)尚未落实信息员")


def made_up_record(config: Config, count: int) -> tuple[list[Case], list[CallCase], list[HealthProblem]]:
    """`count` cases over 2025 (every fourth still open), count // 2 calls of three units, count // 3 gaps."""
    start = dt.datetime(2025, 1, 1, 9, tzinfo=BEIJING)
    unit = config.units[0].id
    found = []
    for n in range(count):
        due = start + dt.timedelta(hours=n * 365 * 24 // count)
        if n % 4:
            late = due + dt.timedelta(hours=1)
            found.append(
                Case(LATE, unit, None, f"测试事件第{n}起", due, "一般事件", late, f"{unit}/2025/x-{n}", late - due)
            )
        else:
            found.append(Case(MISSED, unit, None, f"测试事件第{n}起", due, "较大事件", None, None, dt.timedelta(1)))
    calls = []
    for n in range(count // 2):
        deadline = start + dt.timedelta(hours=n * 365 * 24 // (count // 2))
        call = Call(f"2025/c{n}", "", f"测试约稿第{n}次", tuple(u.id for u in config.units[:3]), deadline)
        calls += [CallCase(call, u, NOT_ANSWERED, None, None, dt.timedelta(1)) for u in call.units]
    gaps = [HealthProblem(NO_INFORMANT, None, None, f"测试单位{n}尚未落实信息员") for n in range(count // 3)]
    return found, calls, gaps


def record_of(config: Config, count: int, page_rows: int = 50) -> dict[str, Page]:
    found, calls, gaps = made_up_record(config, count)
    now = dt.datetime(2026, 1, 1, tzinfo=BEIJING)
    return {p.src_uri: p for p in record_pages(config, now, found, calls, gaps, page_rows)}


def rows_of(page: Page) -> list[str]:
    return re.findall(r"^- (.+)$", page.content, re.MULTILINE)


@pytest.mark.parametrize("page_rows", [7, 50])
def test_the_discipline_record_is_split_by_time_and_holds_every_case_once(config: Config, page_rows: int) -> None:
    pages = record_of(config, 300, page_rows)
    main = pages["discipline.md"]
    assert rows_of(main) == []  # every section is longer than a page: the page lists their parts
    parts = [p for src, p in pages.items() if src != "discipline.md"]
    assert {p.src_uri.split("/")[1] for p in parts} == {"open", "record", "calls", "network"}
    for part in parts:
        assert 0 < len(rows_of(part)) <= page_rows, part.src_uri
        assert "search:\n  exclude: true" in part.content  # the parts stay out of the search index
    rows = [r for p in parts for r in rows_of(p)]
    cases = Counter(int(m[1]) for r in rows if (m := _CASE.search(r)))
    assert cases == Counter(range(300))  # every case once, on the page of its section
    assert all(
        _CASE.search(r) is None or r.startswith("漏报") == (p.src_uri.split("/")[1] == "open")
        for p in parts
        for r in rows_of(p)
    )
    answers = Counter((int(m[1]), m[2]) for r in rows if (m := _CALL.search(r)))
    assert len(answers) == 150 * 3 and set(answers.values()) == {1}
    gaps = Counter(int(m[1]) for r in rows if (m := _GAP.search(r)))
    assert gaps == Counter(range(100))
    # the parts of a dated section: whole months, newest first, as the other listings
    record = [posixpath.basename(h) for h in re.findall(r"\]\(discipline/record/([^)]+)\)", main.content)]
    assert record == sorted(record, reverse=True) and record[-1].startswith("2025-01")


def test_the_discipline_parts_link_to_each_other_and_back(config: Config) -> None:
    pages = record_of(config, 200, 20)
    for src, page in pages.items():
        for href in _LINK.findall(page.content):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(src), href))
            assert target in pages, (src, href)
    listed = [
        posixpath.normpath(h) for h in re.findall(r"\]\((discipline/open/[^)]+)\)", pages["discipline.md"].content)
    ]
    assert len(listed) > 2
    for n, src in enumerate(listed):
        text = pages[src].content
        assert ("上一页" in text) == (n > 0) and ("下一页" in text) == (n + 1 < len(listed))
        assert "](../../discipline.md)" in text


def test_a_short_record_stays_on_one_page_newest_first(config: Config) -> None:
    pages = record_of(config, 30)
    assert list(pages) == ["discipline.md"]
    rows = rows_of(pages["discipline.md"])
    cases = [int(m[1]) for r in rows if (m := _CASE.search(r))]
    assert sorted(cases) == list(range(30))
    missed = [n for n in cases if n % 4 == 0]
    assert missed == sorted(missed, reverse=True)  # newest first, as every listing


def test_the_discipline_parts_stay_the_same_size_when_the_record_is_ten_times_larger(config: Config) -> None:
    def largest(count: int) -> tuple[int, int, int]:
        pages = record_of(config, count, page_rows=10)  # the small record fills its pages too
        parts = [len(p.content.encode()) for src, p in pages.items() if src != "discipline.md"]
        main = pages["discipline.md"].content
        assert len(re.findall(r"^\| \[", main, re.MULTILINE)) == len(parts)  # one line a part, nothing more
        return max(parts), len(pages), len(main.encode())

    small, small_pages, _ = largest(300)
    large, large_pages, large_main = largest(3000)
    assert large <= 1.2 * small, (small, large)
    assert large_pages > 5 * small_pages  # more pages, not longer ones
    assert large_main < 100 * large_pages  # the page itself: a line for each part


def test_the_built_discipline_record_is_split_and_names_every_case_once(paged_site: Path) -> None:
    folder = paged_site / "discipline"
    parts = sorted(folder.glob("*/*/index.html"))
    assert "calls" in {p.parent.parent.name for p in parts}  # seven answers to calls: split
    text = "".join(p.read_text(encoding="utf-8") for p in [folder / "index.html", *parts])
    for case in ("漏报：都昌县", "瞒报：永修县", "迟报：德安县", "修水县未报送"):
        assert text.count(case) == 1, case
    for part in parts:
        article = part.read_text(encoding="utf-8").split("<article", 1)[1].split("</article>", 1)[0]
        assert 0 < article.count("<li>") <= 2, part  # two rows a page
    searched = {r["url"].split("#", 1)[0] for r in pagefind_records(paged_site)}
    assert not [p for p in searched if p.startswith("/discipline/")]  # the record is read, not searched
