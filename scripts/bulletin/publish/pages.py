"""Site pages as Markdown, from model objects: no I/O here.

Page sources (ASCII, so URLs need no escaping); with `use_directory_urls` each becomes a folder:

    publications/index.md                    各期刊物: the latest issue of each publication
    publications/<pub>/index.md              a publication's archive: years, their issues, item titles
    publications/<pub>/<year>/index.md       one year of a publication
    publications/<pub>/<year>/<NNN>.md       one issue (a supplement: zkNNN.md), as issue.id
    units/index.md, units/<unit-id>.md       报送单位, grouped by type; one unit and its submissions
    topics/index.md, topics/<slug>.md        主题; slug is the topic in pinyin, 防汛抗旱 -> fangxunkanghan
                                             (see topic_slugs: collisions get -2, -3 … in a fixed order)

A listing that grows with the desk (a unit's or a topic's submissions, a year of a publication)
holds at most `page_rows` rows on one page. A longer one is split by time (see `chunks`): its page
lists the parts, newest first, and each part is a page of its own beside it, named by its first
month, e.g. topics/7/2025-03.md (a month too long for one page: 2025-03-1.md, 2025-03-2.md …).
A year of a publication longer than a page lists its issues by time the same way, and a
publication's archive then lists its years. So no page grows with the number of items: a site
ten times larger has more pages, not longer ones. Listing pages are left out of the search index
(readers search the issues themselves; a list of titles would only repeat them, in bulk).

Every list is built in one pass over the issues and submissions, so the work stays linear.
Links between generated pages are Markdown links to the .md sources, which mkdocs checks;
only the link to an issue's PDF (built after the site, into site/pdf/) is raw HTML.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Generic, TypeVar

from bulletin.core.model import Config, Issue, IssueItem, Publication, Unit
from bulletin.core.timing import BEIJING
from bulletin.desk.config import UNIT_TYPES
from bulletin.desk.issues import cn_date, level_rank, number_line
from bulletin.desk.records import INSTRUCTION
from bulletin.desk.snapshot import ACCEPTED, ADOPTED, NOT_ADOPTED, PENDING, SENT_BACK
from bulletin.duty.scoring import COUNTERS, PERIODS_NOTE
from bulletin.editorial.assemble import Revision, revision_changes

if TYPE_CHECKING:
    from bulletin.duty.scoring import UnitStats

URGENCY_RANK = {"平件": 0, "加急": 1, "特急": 2}
PAGE_ROWS = 50  # the most rows one listing page holds (a submission is a row; an issue, 1 + its items)
CLASSIFIED = ("秘密", "机密")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#+!|{}])")


@dataclass(frozen=True)
class Submission:
    """What the site shows of a submission (信息): never its text, which reaches readers through issues."""

    id: str  # xiushui/2026/1103-01
    unit: str  # the unit id (its folder)
    title: str
    date: dt.date | None  # from the file name (MMDD-NN) and the year folder
    kind: str
    urgency: str
    classification: str
    secrecy_term: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordShown:
    """A 批示 or 上级采用 as this site may show it (publish.feedback gates it for the audience)."""

    kind: str  # 批示 / 上级采用 (desk.records)
    item: str  # the item's id
    unit: str
    date: dt.date
    level: str
    by: str = ""  # 批示人
    publication: str = ""  # 上级采用: where
    title: str | None = None  # None: this site does not list the item, named by its number
    classification: str = ""  # the 批示内容's 密级: the item's, or the 批示's own where higher
    text: str = ""  # the 批示's words where the audience is cleared for them
    withheld: bool = False  # words the audience is not cleared for
    in_period: bool = True  # dated in the period of the unit pages' figures


@dataclass(frozen=True)
class Adoption:
    issue: Issue
    item: IssueItem


@dataclass(frozen=True)
class Page:
    src_uri: str
    content: str
    in_nav: bool = False


@dataclass
class Desk:
    """Everything the pages are made from, with the indexes built once."""

    config: Config
    issues: list[Issue]
    submissions: dict[str, Submission]
    adoptions: dict[str, list[Adoption]] = field(default_factory=dict)  # submission id -> where it was adopted
    revisions: dict[str, list[Revision]] = field(default_factory=dict)  # issue id -> its revisions, oldest first
    by_publication: dict[str, dict[int, list[Issue]]] = field(default_factory=dict)  # newest first
    # a build for one audience (读者范围): the publications it receives, its label on the pages
    publications: tuple[Publication, ...] | None = None
    audience_label: str = ""
    audience_id: str = "all"  # "all": the full site
    year: int | None = None  # the year volume built, None: every year
    # 采用反馈, set by publish.feedback from the duty engine (as `bulletin stats` counts) and gated for the audience:
    period: str = ""  # 2026年: the period of the figures below
    period_key: str = ""  # 2026: that period as `bulletin stats --period` takes it
    sees_intake: bool = True  # the office's own site or the full site (the default): the intake is listed
    unit_stats: dict[str, UnitStats] = field(default_factory=dict)  # unit id -> its row of `bulletin stats`
    fates: dict[str, dict[str, int]] = field(default_factory=dict)  # unit id -> 待审/退改/未采用/待编/已采用 -> items
    unit_cases: dict[str, list[str]] = field(default_factory=dict)  # unit id -> its cases in the period, newest first
    # the office's intake this site lists (only the office's own site and the full site): items no issue carries
    intake: dict[str, Submission] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)  # listed item id -> its state (desk.snapshot.STATES)
    records: list[RecordShown] = field(default_factory=list)  # 批示 and 上级采用, newest first

    @property
    def visible_publications(self) -> tuple[Publication, ...]:
        return self.config.publications if self.publications is None else self.publications

    @classmethod
    def build(cls, config: Config, issues: list[Issue], submissions: dict[str, Submission]) -> Desk:
        desk = cls(config, issues, dict(sorted(submissions.items())))
        for issue in issues:
            desk.by_publication.setdefault(issue.publication, {}).setdefault(issue.year, []).append(issue)
            for item in issue.items:
                for source in dict.fromkeys(item.sources):
                    desk.adoptions.setdefault(source, []).append(Adoption(issue, item))
        for years in desk.by_publication.values():
            for group in years.values():
                group.sort(key=_issue_order, reverse=True)
        for adoptions in desk.adoptions.values():
            adoptions.sort(key=lambda a: (a.issue.date, a.issue.publication, a.issue.number))
        return desk


def _issue_order(issue: Issue) -> tuple[dt.date, bool, int]:
    return issue.date, not issue.supplement, issue.number


# ---------- paths and links ----------


def issue_src(issue: Issue) -> str:
    return f"publications/{issue.id}.md"


def publication_src(pub_id: str) -> str:
    return f"publications/{pub_id}/index.md"


def year_src(pub_id: str, year: int) -> str:
    return f"publications/{pub_id}/{year}/index.md"


def unit_src(unit_id: str) -> str:
    return f"units/{unit_id}.md"


def topic_src(slug: str) -> str:
    return f"topics/{slug}.md"


def pdf_path(issue: Issue, revision: int | None = None) -> str:
    """Where the issue's PDF lands in the built site (written by the PDF step, after mkdocs);
    an earlier revision of a corrected issue keeps its own PDF, <NNN>-r1.pdf."""
    suffix = f"-r{revision}" if revision is not None else ""
    return f"pdf/{issue.id}{suffix}.pdf"


def docx_path(issue: Issue) -> str:
    """Where the issue's Word file lands in the built site, beside its PDF (the current revision)."""
    return posixpath.splitext(pdf_path(issue))[0] + ".docx"


def page_dir(src_uri: str, use_directory_urls: bool) -> str:
    """The folder of the page's URL in the built site (what a relative href is resolved against)."""
    stem, _ = posixpath.splitext(src_uri)
    if use_directory_urls and posixpath.basename(stem) not in ("index", "README"):
        return stem
    return posixpath.dirname(src_uri)


def pdf_href(issue: Issue, use_directory_urls: bool, revision: int | None = None) -> str:
    """The PDF's URL relative to the issue page: works wherever the site is served from."""
    start = page_dir(issue_src(issue), use_directory_urls) or "."
    return posixpath.relpath(pdf_path(issue, revision), start)


def _rel(from_src: str, to_src: str) -> str:
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


def md(text: str) -> str:
    """Plain text for inline Markdown: nothing in a title or a name becomes markup."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _link(text: str, from_src: str, to_src: str) -> str:
    return f"[{md(text)}]({_rel(from_src, to_src)})"


def page_front_matter(title: str, searched: bool = True) -> list[str]:
    # a JSON string is a valid YAML scalar: quotes, colons and # in a title stay text; the theme writes
    # the title into the page's head, header and navigation as it stands, outside the page body the
    # sanitiser sees, so it goes in escaped (a topic is written by a unit: <img onerror=…> stays text)
    search = [] if searched else ["search:", "  exclude: true"]  # mkdocs-material: not in the search index
    shown = html.escape(title, quote=False)
    return ["---", f"title: {json.dumps(shown, ensure_ascii=False)}", *search, "---", ""]


# ---------- wording ----------


def short_number(issue: Issue) -> str:
    return f"增刊第{issue.number}期" if issue.supplement else f"第{issue.number}期"


def publication_name(config: Config, pub_id: str) -> str:
    pub = config.publication(pub_id)
    return pub.name if pub else pub_id


def issue_name(config: Config, issue: Issue) -> str:
    """《九江信息（汇要）》2026年第1期."""
    suffix = f"增刊第{issue.number}期" if issue.supplement else f"第{issue.number}期"
    return f"《{publication_name(config, issue.publication)}》{issue.year}年{suffix}"


def mark(level: str, term: str | None) -> str:
    """秘密★1年, as printed top left; 内部 and 公开 as they are."""
    return f"{level}★{term}" if level in CLASSIFIED and term else level


def item_marks(desk: Desk, item: IssueItem) -> tuple[str, str | None, str]:
    """(密级, 保密期限, 紧急程度) of an item: the highest among its sources."""
    level, term, urgency = item.classification, None, item.urgency
    for source in item.sources:
        sub = desk.submissions.get(source)
        if sub is None:
            continue
        if level_rank(sub.classification) > level_rank(level):
            level, term = sub.classification, sub.secrecy_term
        elif sub.classification == level and term is None:
            term = sub.secrecy_term
        if URGENCY_RANK.get(sub.urgency, 0) > URGENCY_RANK.get(urgency, 0):
            urgency = sub.urgency
    return level, term, urgency


def issue_marks(desk: Desk, issue: Issue) -> tuple[str, str | None]:
    """(密级, 保密期限) of the issue: as declared, never below what it carries."""
    level, term = issue.classification, issue.secrecy_term
    for item in issue.items:
        item_level, item_term, _ = item_marks(desk, item)
        if level_rank(item_level) > level_rank(level):
            level, term = item_level, term or item_term
    return level, term


def _units_of(item: IssueItem) -> list[str]:
    return list(dict.fromkeys(source.split("/", 1)[0] for source in item.sources))


def _credits(desk: Desk, item: IssueItem, from_src: str) -> str:
    names = []
    for unit_id in _units_of(item):
        unit = desk.config.unit(unit_id)
        names.append(_link(unit.name, from_src, unit_src(unit.id)) if unit else md(unit_id))
    return "、".join(names)


def _adoption_links(desk: Desk, sub_id: str, from_src: str) -> str:
    """处理情况: the issues that adopted the item (links), else its state (待编, 待审, 退改, 未采用)."""
    adoptions = desk.adoptions.get(sub_id, [])
    if not adoptions:
        return desk.states.get(sub_id, ACCEPTED)
    issues = {a.issue.id: a.issue for a in adoptions}  # a 综合 item may credit two submissions of one unit
    return "、".join(_link(issue_name(desk.config, i), from_src, issue_src(i)) for i in issues.values())


def _quote(label: str, text: str) -> list[str]:
    lines = text.strip().split("\n")
    out = [f"> **{label}：**{lines[0]}"]
    out += [f"> {line}" if line.strip() else ">" for line in lines[1:]]
    return [*out, ""]


# ---------- issue page ----------


def issue_page(desk: Desk, issue: Issue, pdf: str, use_directory_urls: bool = True) -> str:
    """One issue as readers see it: masthead, editor's note, items in reading order, distribution."""
    config = desk.config
    src = issue_src(issue)
    pub = config.publication(issue.publication)
    name = pub.name if pub else issue.publication
    level, term = issue_marks(desk, issue)
    marks = [mark(level, term)] + ([issue.urgency] if issue.urgency and issue.urgency != "平件" else [])
    out = page_front_matter(f"{name} {number_line(issue)}")
    out += [
        '<div class="bulletin-masthead">',
        '<p class="bulletin-marks">' + "".join(f"<span>{_h(m)}</span>" for m in marks) + "</p>",
        f'<h1 class="bulletin-name">{_h(name)}</h1>',
        f'<p class="bulletin-number">{_h(number_line(issue))}</p>',
        f'<p class="bulletin-imprint"><span>{_h(config.office)}</span><span>{_h(cn_date(issue.date))}</span></p>',
        "</div>",
        "",
        f'<p class="bulletin-pdf"><a href="{_h(pdf)}">下载本期PDF（公文版式）</a>　'
        f'<a href="{_h(posixpath.splitext(pdf)[0])}.docx">下载Word文件（.docx）</a>　本期共{len(issue.items)}条</p>',
        "",
    ]
    if issue.revision > 1:
        note = f"：{issue.revision_note}" if issue.revision_note else ""
        out += [f'!!! note "第{issue.revision}版"', "", f"    本期已更正，现为第{issue.revision}版{md(note)}", ""]
    if issue.note:
        out += _quote("编者按", issue.note)
    column: str | None = None
    for item in issue.items:
        if item.column and item.column != column:
            out += [f'<p class="bulletin-column">【{_h(item.column)}】</p>', ""]
        column = item.column
        item_level, item_term, item_urgency = item_marks(desk, item)
        shown = [mark(item_level, item_term)] if item_level in CLASSIFIED else []
        shown += [item_urgency] if item_urgency in ("特急", "加急") else []
        if shown:
            out += ['<p class="bulletin-marks">' + "".join(f"<span>{_h(m)}</span>" for m in shown) + "</p>", ""]
        out += [f"## {md(item.title)}", ""]
        if item.note:
            out += _quote("编者按", item.note)
        out += [item.text.strip(), ""]
        credits = _credits(desk, item, src)
        if credits:  # an item the office writes itself (a 通报) has no source unit
            out += [f"**来源：**{credits}", ""]
    out += _distribution(issue, pub)
    out += _corrections(desk, issue, use_directory_urls)
    archive = _link(f"{name}各期", src, publication_src(issue.publication))
    out += ["", f"返回{archive}"]
    return "\n".join(out) + "\n"


def _corrections(desk: Desk, issue: Issue, use_directory_urls: bool) -> list[str]:
    """更正记录: each revision after the first, when and by whom, what it changed, the earlier PDF."""
    revisions = desk.revisions.get(issue.id, [])
    if len(revisions) < 2:
        return []
    out = ["", "## 更正记录", ""]
    for before, after in pairwise(revisions):
        when = after.date.astimezone(BEIJING)
        out += [
            f"**第{after.number}版**（{cn_date(when.date())}{when:%H:%M}，{_h(after.author)}提交）：{md(after.note or '')}",
            "",
        ]
        for title, removed, added in revision_changes(before.issue, after.issue):
            out += [f"- {md(title)}"]
            out += [f"    - 原文：<del>{_h(line)}</del>" for line in removed]
            out += [f"    - 更正为：<ins>{_h(line)}</ins>" for line in added]
        href = pdf_href(issue, use_directory_urls, before.number)
        out += ["", f'<p><a href="{_h(href)}">下载第{before.number}版PDF（更正前）</a></p>', ""]
    return out


def _distribution(issue: Issue, pub: Publication | None) -> list[str]:
    """报尾: 报 / 送 / 发 and 共印N份, the issue's own or else the publication's."""
    dist = issue.distribution or (dict(pub.distribution) if pub else {})
    copies = issue.copies or (pub.copies if pub else 0)
    rows = [f"<p>{key}：{_h('，'.join(dist[key]))}</p>" for key in ("报", "送", "发") if dist.get(key)]
    if copies:
        rows.append(f'<p class="bulletin-copies">（共印{copies}份）</p>')
    return ['<div class="bulletin-footer">', *rows, "</div>", ""] if rows else []


# ---------- listings split by time ----------

T = TypeVar("T")


@dataclass(frozen=True)
class Chunk(Generic[T]):
    """One page of a long listing: whole months (or part of one month), its rows newest first."""

    key: str  # the page's name beside the listing: 2025-10 (its first month), 2025-03-2 (a month's 2nd part)
    label: str  # 2025年10月至12月, 2025年3月9日至16日, 日期不详
    rows: tuple[T, ...]


def chunks(
    rows: Sequence[T],
    when: Callable[[T], dt.date | None],
    weight: Callable[[T], int] = lambda _: 1,
    limit: int = PAGE_ROWS,
) -> list[Chunk[T]]:
    """`rows` (newest first) as pages of at most `limit` rows, newest first, the undated last.

    Whole months are put together, oldest first, while they fit; a month longer than a page is
    split into parts of `limit` rows, labelled by their days. Working from the oldest keeps the
    pages of the past as they were when new rows arrive (new rows are the newest): only the last
    page grows, until it is full. A row heavier than `limit` (an issue with many items) stands alone.
    """
    dated: dict[tuple[int, int], list[T]] = {}
    undated: list[T] = []
    for row in reversed(rows):  # oldest first
        day = when(row)
        if day is None:
            undated.append(row)
        else:
            dated.setdefault((day.year, day.month), []).append(row)
    out: list[tuple[str, list[T], bool]] = []  # (key, rows oldest first, part of a month), oldest first
    run: list[T] = []
    run_key, run_weight = "", 0
    for year, month in sorted(dated):
        key, month_rows = f"{year}-{month:02d}", dated[year, month]
        total = sum(weight(r) for r in month_rows)
        if run and (total > limit or run_weight + total > limit):
            out.append((run_key, run, False))
            run, run_weight = [], 0
        if total > limit:
            out += [(f"{key}-{n}", part, True) for n, part in enumerate(split_rows(month_rows, weight, limit), start=1)]
            continue
        run_key = run_key if run else key
        run += month_rows
        run_weight += total
    if run:
        out.append((run_key, run, False))
    for n, part in enumerate(split_rows(undated, weight, limit), start=1):
        out.insert(0, ("undated" if n == 1 else f"undated-{n}", part, True))  # after the oldest, once reversed
    pages: list[Chunk[T]] = []
    seen: dict[str, int] = {}
    for key, part, split in reversed(out):
        label = _span([d for d in map(when, part) if d], split)
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:  # one day (or the undated) longer than a page: its parts
            label += f"（{seen[label]}）"
        pages.append(Chunk(key, label, tuple(reversed(part))))
    return pages


def split_rows(rows: list[T], weight: Callable[[T], int], limit: int) -> list[list[T]]:
    """Rows (oldest first) in parts of at most `limit`, oldest first; the last part is the one that grows."""
    parts: list[list[T]] = []
    filled = limit
    for row in rows:
        if filled + weight(row) > limit or not parts:
            parts.append([])
            filled = 0
        parts[-1].append(row)
        filled += weight(row)
    return parts


def _span(days: list[dt.date], split: bool) -> str:
    """2025年10月至12月 (whole months), 2025年3月1日至8日 (part of a month), 日期不详."""
    if not days:
        return "日期不详"
    first, last = min(days), max(days)
    if split:
        head = f"{first.year}年{first.month}月{first.day}日"
        return head if first == last else f"{head}至{last.day}日"
    head = f"{first.year}年{first.month}月"
    if (first.year, first.month) == (last.year, last.month):
        return head
    return f"{head}至{last.month}月" if first.year == last.year else f"{head}至{last.year}年{last.month}月"


def chunk_src(listing_src: str, key: str) -> str:
    """A part's page beside its listing: topics/7.md -> topics/7/2025-03.md; 2025/index.md -> 2025/2025-03.md."""
    stem = posixpath.splitext(listing_src)[0]
    if posixpath.basename(stem) == "index":
        stem = posixpath.dirname(stem)
    return f"{stem}/{key}.md"


def pager_links(pages: list[Chunk[T]], n: int, src: str, listing_src: str, listing_name: str) -> list[str]:
    """上一页 (newer) and 下一页 (older) beside the way back to the listing's page."""
    parts = []
    if n > 0:
        parts.append("上一页：" + _link(pages[n - 1].label, src, chunk_src(listing_src, pages[n - 1].key)))
    if n + 1 < len(pages):
        parts.append("下一页：" + _link(pages[n + 1].label, src, chunk_src(listing_src, pages[n + 1].key)))
    parts.append("返回" + _link(listing_name, src, listing_src))
    return ["　".join(parts), ""]


def parts_table(
    pages: list[Chunk[T]],
    listing_src: str,
    head: list[str],
    cells: Callable[[Sequence[T]], list[str]],
    first: str = "时间",
) -> list[str]:
    """The listing's page when it is split: each part with its link and counts, newest first
    (`first`: the head of the parts' column, for parts not made by time)."""
    out = ["| " + " | ".join([first, *head]) + " |", "|" + "---|" * (len(head) + 1)]
    for part in pages:
        link = _link(part.label, listing_src, chunk_src(listing_src, part.key))
        out.append("| " + " | ".join([link, *cells(part.rows)]) + " |")
    return [*out, ""]


# ---------- publications ----------


def _issue_entry(issue: Issue, from_src: str) -> list[str]:
    total = f"（总第{issue.total_number}期）" if issue.total_number and not issue.supplement else ""
    revised = f"，第{issue.revision}版" if issue.revision > 1 else ""
    head = f"- {_link(short_number(issue), from_src, issue_src(issue))}{total}　{cn_date(issue.date)}{revised}"
    return [head] + [f"    - {md(item.title)}" for item in issue.items]


def _latest(issues: dict[int, list[Issue]]) -> Issue | None:
    every = [i for group in issues.values() for i in group]
    return max(every, key=_issue_order) if every else None


def latest_issues(desk: Desk, from_src: str, level: int = 2) -> list[str]:
    """The latest issue of each publication with its item titles (the home page and 各期刊物)."""
    out: list[str] = []
    if desk.audience_label:
        out += [f"本站读者范围：{md(desk.audience_label)}。本站只有这一范围可以阅读的刊物和信息。", ""]
    for pub in desk.visible_publications:
        years = desk.by_publication.get(pub.id, {})
        out += [f"{'#' * level} {md(pub.name)}", ""]
        facts = [f for f in (pub.cadence, f"读者：{pub.audience}" if pub.audience else "") if f]
        if facts:
            out += ["；".join(md(f) for f in facts), ""]
        latest = _latest(years)
        if latest is None:
            out += ["尚未出刊。", ""]
            continue
        count = sum(len(group) for group in years.values())
        out += [
            f"最新一期：{_link(number_line(latest), from_src, issue_src(latest))}，{cn_date(latest.date)}",
            "",
            *[f"- {md(item.title)}" for item in latest.items],
            "",
            f"{_link(f'全部{count}期', from_src, publication_src(pub.id))}",
            "",
        ]
    return out


def publications_index(desk: Desk) -> str:
    src = "publications/index.md"
    out = ["# 各期刊物", "", "各刊物的最新一期；往期见各刊物的目录。", ""]
    if _numbered_issues(desk):
        out += [f"秘密、机密刊物每份编有份号，哪一份给了谁见{_link('份号登记', src, COPIES_SRC)}。", ""]
    return "\n".join(out + latest_issues(desk, src))


# ---------- 份号 (numbered copies of classified issues) ----------

COPIES_SRC = "publications/copies.md"


def _numbered_issues(desk: Desk) -> list[Issue]:
    from bulletin.editorial.copies import numbered

    return [i for i in desk.issues if numbered(issue_marks(desk, i)[0])]


def copies_page(desk: Desk) -> str:
    """份号登记: for every 秘密/机密 issue this site carries, which numbered copy went to whom,
    when and by whom (the registers under records/copies/, kept by `bulletin copies`)."""
    from bulletin.editorial.copies import SITE, load_register

    src = COPIES_SRC
    out = [
        *page_front_matter("份号登记", searched=False),
        "# 份号登记",
        "",
        "秘密、机密刊物每份编一个6位份号，印在版头左上角第一行（GB/T 9704-2012 7.2.1）。"
        "下表是各期每一份的去向，由编辑用“bulletin copies”登记；站点上的PDF是本读者范围的一份，印有它的份号。",
        "",
    ]
    issues = sorted(_numbered_issues(desk), key=lambda i: (i.date, i.id), reverse=True)
    if not issues:
        out.append("本站点没有秘密、机密刊物。")
    for issue in issues:
        level, term = issue_marks(desk, issue)
        out += [f"## {_link(issue_name(desk.config, issue), src, issue_src(issue))}", ""]
        register = load_register(desk.config, issue)
        if not register.copies:
            out += [f"{mark(level, term)}。尚未登记份号：请运行“bulletin copies {md(issue.id)} --register”。", ""]
            continue
        paper = sum(c.recipient.kind != SITE for c in register.copies)
        out += [
            f"{mark(level, term)}，共{len(register.copies)}份（纸质{paper}份，站点{len(register.copies) - paper}份）。",
            "",
            "| 份号 | 收件 | 类别 | 登记时间 | 经办人 |",
            "|---|---|---|---|---|",
        ]
        for c in register.copies:
            kind = f"站点（{md(c.recipient.audience or '')}）" if c.recipient.kind == SITE else c.recipient.kind
            at = c.at.astimezone(desk.config.timezone).strftime("%Y-%m-%d %H:%M")
            out.append(f"| {c.label} | {md(c.recipient.name)} | {kind} | {at} | {md(c.by)} |")
        out.append("")
    return "\n".join(out)


def _issue_weight(issue: Issue) -> int:
    return 1 + len(issue.items)


def _issues_of(issues: Sequence[Issue]) -> list[str]:
    count = len(issues)
    items = sum(len(i.items) for i in issues)
    return [f"{count}期", f"{items}条"]


def publication_archive(desk: Desk, pub: Publication, page_rows: int = PAGE_ROWS) -> str:
    """A publication's archive: every issue when they fit on a page, else its years."""
    src = publication_src(pub.id)
    years = desk.by_publication.get(pub.id, {})
    out = [*page_front_matter(f"{pub.name}各期目录", searched=False), f"# {md(pub.name)}", ""]
    facts = [f for f in (pub.cadence, f"读者：{pub.audience}" if pub.audience else "") if f]
    if facts:
        out += ["；".join(md(f) for f in facts), ""]
    if not years:
        out += ["尚未出刊。", ""]
    elif sum(_issue_weight(i) for group in years.values() for i in group) > page_rows:
        out += ["各年的目录：", "", "| 年份 | 期数 | 信息 |", "|---|---|---|"]
        for year in sorted(years, reverse=True):
            link = _link(f"{year}年", src, year_src(pub.id, year))
            out.append(f"| {link} | {' | '.join(_issues_of(years[year]))} |")
        out.append("")
    else:
        for year in sorted(years, reverse=True):
            out += [
                f"## {year}年",
                "",
                f"本年共{len(years[year])}期，{_link(f'{year}年目录', src, year_src(pub.id, year))}。",
                "",
            ]
            for issue in years[year]:
                out += _issue_entry(issue, src)
            out.append("")
    out += [_link("返回各期刊物", src, "publications/index.md"), ""]
    return "\n".join(out)


def publication_year(desk: Desk, pub: Publication, year: int, parts: list[Chunk[Issue]]) -> str:
    """One year of a publication: its issues with their items, or, when longer than a page, its parts."""
    src = year_src(pub.id, year)
    issues = desk.by_publication.get(pub.id, {}).get(year, [])
    out = [*page_front_matter(f"{pub.name} {year}年", searched=False), f"# {md(pub.name)} {year}年", ""]
    if len(parts) > 1:
        out += [f"本年共{len(issues)}期，按时间分页。", ""]
        out += parts_table(parts, src, ["期数", "信息"], _issues_of)
    else:
        out += [f"本年共{len(issues)}期。", ""]
        for issue in issues:
            out += _issue_entry(issue, src)
        out.append("")
    out += [_link(f"{pub.name}全部各期", src, publication_src(pub.id)), ""]
    return "\n".join(out)


def publication_year_part(desk: Desk, pub: Publication, year: int, parts: list[Chunk[Issue]], n: int) -> str:
    listing = year_src(pub.id, year)
    part = parts[n]
    src = chunk_src(listing, part.key)
    out = [*page_front_matter(f"{pub.name} {part.label}", searched=False), f"# {md(pub.name)} {part.label}", ""]
    out += [f"共{len(part.rows)}期。", ""]
    pager = pager_links(parts, n, src, listing, f"{year}年目录")
    out += pager
    for issue in part.rows:
        out += _issue_entry(issue, src)
    out += ["", *pager]
    return "\n".join(out)


# ---------- units ----------


def _cell(text: str) -> str:
    return md(text) if text else "—"


FATES_NOTE = (
    "处理情况：待审为已收到、等待编辑审核；退改为已退回修改、尚未重新审核；未采用为经审核未予采用；"
    "待编为已采用入库、尚未编入刊物；已采用的列出编入的刊物。"
)
LISTED_NOTE = "本站只列出编入本站所收刊物的信息；其余信息只计条数，见上方采用反馈的处理情况。"
FATE_ORDER = (ADOPTED, ACCEPTED, PENDING, SENT_BACK, NOT_ADOPTED)


def listing_note(desk: Desk) -> str:
    """Under a unit's listing: what its 处理情况 column means, or why the intake is not listed here."""
    return FATES_NOTE if desk.sees_intake else LISTED_NOTE


def newest_first(subs: list[Submission]) -> list[Submission]:
    return sorted(subs, key=lambda s: (s.date or dt.date.min, s.id), reverse=True)


def _submission_table(desk: Desk, subs: Sequence[Submission], from_src: str, with_unit: bool) -> list[str]:
    """Submissions (newest first) as a table: date, title, unit, kind, urgency, 密级, 处理情况."""
    if not subs:
        return ["暂无。", ""]
    head = ["日期", "标题", *(["报送单位"] if with_unit else []), "类别", "紧急程度", "密级", "处理情况"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for sub in subs:
        row = [sub.date.isoformat() if sub.date else "—", _cell(sub.title)]
        if with_unit:
            unit = desk.config.unit(sub.unit)
            row.append(_link(unit.name, from_src, unit_src(unit.id)) if unit else md(sub.unit))
        row += [
            _cell(sub.kind),
            _cell(sub.urgency),
            _cell(mark(sub.classification, sub.secrecy_term)),
            _adoption_links(desk, sub.id, from_src),
        ]
        out.append("| " + " | ".join(row) + " |")
    return [*out, ""]


def _submission_chunks(subs: list[Submission], page_rows: int) -> list[Chunk[Submission]]:
    return chunks(newest_first(subs), lambda s: s.date, limit=page_rows)


def _submission_listing(
    desk: Desk, src: str, parts: list[Chunk[Submission]], with_unit: bool, counted: str
) -> list[str]:
    """The submissions on the listing's own page: the table, or, when split, the parts (时间, counts)."""
    if len(parts) <= 1:
        return _submission_table(desk, parts[0].rows if parts else (), src, with_unit)
    intro = ["按时间分页，新的在前。", ""]
    return intro + parts_table(parts, src, [counted, "采用"], lambda rows: [str(len(rows)), str(_adopted(desk, rows))])


def _submission_part(
    desk: Desk, listing: str, name: str, title: str, parts: list[Chunk[Submission]], n: int, lead: str
) -> str:
    """One part of a split listing of submissions (a unit's: no unit column; a topic's: with it):
    its time, the way to the parts beside it, its rows."""
    part = parts[n]
    src = chunk_src(listing, part.key)
    with_unit = listing.startswith("topics/")
    out = [*page_front_matter(f"{title} {part.label}", searched=False), f"# {md(name)}", ""]
    out += [f"{lead}：{part.label}，共{len(part.rows)}条。", ""]
    pager = pager_links(parts, n, src, listing, name)
    out += pager
    out += _submission_table(desk, part.rows, src, with_unit)
    if not with_unit:
        out += [listing_note(desk), ""]
    out += pager
    return "\n".join(out)


def _by_unit(desk: Desk) -> dict[str, list[Submission]]:
    """Each unit's listed items: what this site's issues carry, and the intake where the site lists it."""
    out: dict[str, list[Submission]] = {}
    for sub in [*desk.submissions.values(), *desk.intake.values()]:
        out.setdefault(sub.unit, []).append(sub)
    return out


def _adopted(desk: Desk, subs: Sequence[Submission]) -> int:
    return sum(1 for s in subs if s.id in desk.adoptions)


def _count_cells(row: UnitStats) -> list[tuple[str, str]]:
    """The figures of a unit's row of `bulletin stats`, in its order and words."""
    return [
        ("报送", f"{row.submitted}条"),
        ("采用", f"{row.adopted}条"),
        ("采用率", f"{row.rate:.0%}"),
        ("上级采用", f"{sum(row.upper.values())}次"),
        ("批示", f"{sum(row.instructions.values())}次"),
        # 迟报, 漏报, 瞒报 … in the duty engine's order
        *[(kind, f"{getattr(row, counter)}起") for kind, counter in COUNTERS.items()],
        ("得分", f"{row.score}分"),
        ("名次", f"第{row.rank}名"),
    ]


def _record_item(record: RecordShown) -> str:
    if record.title is not None:
        return md(record.title)
    return f"信息{md(record.item)}（标题不在本站列出）"


def _record_words(record: RecordShown) -> str:
    if record.text:
        return md(record.text)
    if record.withheld:
        return f"有批示，内容为{md(record.classification)}，不在本站列出"
    return "—"


def _records_table(records: Sequence[RecordShown]) -> list[str]:
    """批示 and 上级采用 as rows: 日期, 信息, 类别, 级别, 批示人或刊物, 批示内容 (where cleared)."""
    out = ["| 日期 | 信息 | 类别 | 级别 | 批示人或刊物 | 批示内容 |", "|---|---|---|---|---|---|"]
    for r in records:
        who = r.by if r.kind == INSTRUCTION else r.publication
        cells = [r.date.isoformat(), _record_item(r), r.kind, md(r.level), _cell(who), _record_words(r)]
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def _feedback(desk: Desk, unit: Unit, src: str) -> list[str]:
    """采用反馈: the unit's row of `bulletin stats` for the period, what became of its items, its 上级采用
    and 批示, its cases: all from the duty engine (publish.feedback)."""
    out = ['<h2 id="feedback" data-search-exclude>采用反馈</h2>', ""]
    row = desk.unit_stats.get(unit.id)
    if row is None:
        return [*out, "本站构建时未统计采用反馈。", ""]
    out += [
        f"{md(desk.period)}的报送、采用、批示、迟报漏报和得分，与“bulletin stats --period {desk.period_key}”"
        "和信息工作通报的数字一致。",
        "",
        f"| 项目 | {md(desk.period)} |",
        "|---|---|",
    ]
    out += [f"| {name} | {value} |" for name, value in _count_cells(row)]
    fates = desk.fates.get(unit.id, {})
    shown = "、".join(f"{state}{fates[state]}条" for state in FATE_ORDER if fates.get(state))
    out += [f"| 处理情况 | {shown or '—'} |", "", f"注：{PERIODS_NOTE}。", ""]
    records = [r for r in desk.records if r.unit == unit.id and r.in_period]
    out += ['<h3 id="records">上级采用和批示</h3>', ""]
    out += _records_table(records) if records else [f"{md(desk.period)}没有上级采用和批示。", ""]
    cases = desk.unit_cases.get(unit.id, [])
    out += ['<h3 id="cases">迟报、漏报、瞒报等记录</h3>', ""]
    out += [f"- {md(sentence)}" for sentence in cases] if cases else [f"{md(desk.period)}没有记录。"]
    out += ["", f"全市的记录见{_link('报送纪律', src, 'discipline.md')}。", ""]
    return out


def unit_page(
    desk: Desk, unit: Unit, subs: list[Submission], children: list[Unit], parts: list[Chunk[Submission]]
) -> str:
    """A unit: who it is (searchable), its 采用反馈, then its items (kept out of the search index)."""
    src = unit_src(unit.id)
    parent = desk.config.unit(unit.parent) if unit.parent else None
    rows = [("类型", md(unit.type))]
    if parent:
        rows.append(("上级单位", _link(parent.name, src, unit_src(parent.id))))
    if children:
        rows.append(("下属单位", "、".join(_link(c.name, src, unit_src(c.id)) for c in children)))
    if unit.leader:
        rows.append(("分管领导", md(unit.leader)))
    informants = "、".join(md(i.name) for i in unit.informants) or "尚未落实信息员"
    rows.append(("信息员", informants))
    out = [*page_front_matter(unit.name), f"# {md(unit.name)}", "", "| 项目 | 内容 |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in rows]
    out += ["", *_feedback(desk, unit, src)]
    # a raw heading, for the attribute: the search index takes only the table above (publish/search.py)
    out += ['<h2 id="submissions" data-search-exclude>报送的信息</h2>', ""]
    out += [f"本站列出{len(subs)}条。{listing_note(desk)}", ""]
    out += _submission_listing(desk, src, parts, with_unit=False, counted="报送")
    out += [_link("返回报送单位", src, "units/index.md"), ""]
    return "\n".join(out)


def units_index(desk: Desk) -> str:
    src = "units/index.md"
    out = ["# 报送单位", "", "信息报送网络的各单位，按类型排列。点击单位名称查看其采用反馈和报送的信息。", ""]
    if desk.period:
        out += [
            f"报送、采用和得分为{md(desk.period)}的数字（信息处收到的全部信息），"
            f"与“bulletin stats --period {desk.period_key}”和信息工作通报一致。",
            "",
        ]
    if desk.audience_label:
        out += ["本站按读者范围发布：单位页面只列出本站可以阅读的信息。", ""]
    instructions = [r for r in desk.records if r.kind == INSTRUCTION]
    if instructions:
        out += [f"各级领导的批示见{_link('领导批示', src, INSTRUCTIONS_SRC)}。", ""]
    for unit_type in UNIT_TYPES:
        units = [u for u in desk.config.units if u.type == unit_type]
        if not units:
            continue
        towns = unit_type == "乡镇街道"  # the only units with a parent
        head = ["单位", *(["上级单位"] if towns else []), "信息员", "报送", "采用", "得分"]
        out += [f"## {unit_type}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for unit in units:
            parent = desk.config.unit(unit.parent) if unit.parent else None
            row = [_link(unit.name, src, unit_src(unit.id))]
            if towns:
                row.append(_link(parent.name, src, unit_src(parent.id)) if parent else "—")
            stats = desk.unit_stats.get(unit.id)
            figures = [str(stats.submitted), str(stats.adopted), str(stats.score)] if stats else ["—", "—", "—"]
            row += ["、".join(md(i.name) for i in unit.informants) or "尚未落实", *figures]
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    return "\n".join(out)


# ---------- 领导批示 ----------

INSTRUCTIONS_SRC = "instructions/index.md"
INSTRUCTIONS_NAME = "领导批示"


def _instruction_rows(desk: Desk, records: Sequence[RecordShown], from_src: str) -> list[str]:
    """批示 as rows: 日期, 批示人, 级别, 信息, 报送单位, 批示内容 (where cleared)."""
    out = ["| 日期 | 批示人 | 级别 | 信息 | 报送单位 | 批示内容 |", "|---|---|---|---|---|---|"]
    for r in records:
        unit = desk.config.unit(r.unit)
        who = _link(unit.name, from_src, unit_src(unit.id)) if unit else md(r.unit)
        cells = [r.date.isoformat(), _cell(r.by), md(r.level), _record_item(r), who, _record_words(r)]
        out.append("| " + " | ".join(cells) + " |")
    return [*out, ""]


def instructions_pages(desk: Desk, page_rows: int = PAGE_ROWS) -> list[Page]:
    """领导批示: every recorded 批示 (`bulletin record instruction`), newest first; the leader's words only
    where this site's audience is cleared for the item's 密级. A long list is split by time, as every listing."""
    src = INSTRUCTIONS_SRC
    records = [r for r in desk.records if r.kind == INSTRUCTION]
    parts = chunks(records, lambda r: r.date, limit=page_rows)
    out = [*page_front_matter(INSTRUCTIONS_NAME, searched=False), f"# {INSTRUCTIONS_NAME}", ""]
    out += [
        "各级领导对本市报送信息的批示，由编辑用“bulletin record instruction”登记，计入各单位得分"
        f"（见{_link('报送单位', src, 'units/index.md')}）。批示内容只在读者范围的最高密级不低于该信息密级的站点上列出。",
        "",
    ]
    pages: list[Page] = []
    if not records:
        out += ["尚无登记的批示。", ""]
    elif len(parts) == 1:
        out += [f"共{len(records)}条。", "", *_instruction_rows(desk, records, src)]
    else:
        out += [f"共{len(records)}条，按批示日期分页，新的在前。", ""]
        out += parts_table(parts, src, ["条数"], lambda rows: [str(len(rows))])
        for n, part in enumerate(parts):
            part_src = chunk_src(src, part.key)
            title = f"{INSTRUCTIONS_NAME} {part.label}"
            body = [*page_front_matter(title, searched=False), f"# {INSTRUCTIONS_NAME}", ""]
            body += [f"批示日期：{part.label}，共{len(part.rows)}条。", ""]
            pager = pager_links(parts, n, part_src, src, INSTRUCTIONS_NAME)
            body += [*pager, *_instruction_rows(desk, part.rows, part_src), *pager]
            pages.append(Page(part_src, "\n".join(body)))
    return [Page(src, "\n".join(out), in_nav=True), *pages]


# ---------- topics ----------


def _by_topic(desk: Desk) -> dict[str, list[Submission]]:
    out: dict[str, list[Submission]] = {}
    for sub in desk.submissions.values():
        for topic in dict.fromkeys(sub.topics):
            out.setdefault(topic, []).append(sub)
    return out


def _topic_name(topic: str, listed: bool) -> str:
    return f"主题：{topic}" if listed else f"主题：{topic}（目录外）"


def topic_page(desk: Desk, src: str, topic: str, subs: list[Submission], parts: list[Chunk[Submission]]) -> str:
    listed = topic in desk.config.topics
    out = [*page_front_matter(_topic_name(topic, listed), searched=False), f"# {md(topic)}", ""]
    if not listed:
        out += ["这一主题不在配置的主题目录中（报送时会给出警告）。", ""]
    out += [f"标注这一主题的信息共{len(subs)}条。", ""]
    out += _submission_listing(desk, src, parts, with_unit=True, counted="信息")
    out += [_link("返回主题", src, "topics/index.md"), ""]
    return "\n".join(out)


def topics_index(desk: Desk, by_topic: dict[str, list[Submission]]) -> str:
    src = "topics/index.md"
    slugs = topic_slugs(desk, by_topic)
    out = ["# 主题", "", "全市中心工作主题（见bulletin.yml的topics），及标注各主题的信息。", ""]
    out += ["| 主题 | 信息 | 采用 |", "|---|---|---|"]
    for topic in desk.config.topics:
        subs = by_topic.get(topic, [])
        out.append(f"| {_link(topic, src, topic_src(slugs[topic]))} | {len(subs)} | {_adopted(desk, subs)} |")
    out.append("")
    others = other_topics(desk, by_topic)
    if others:
        out += ["## 目录外的主题", "", "以下主题不在配置的主题目录中（报送时会给出警告）。", ""]
        out += ["| 主题 | 信息 | 采用 |", "|---|---|---|"]
        for topic in others:
            subs = by_topic[topic]
            out.append(f"| {_link(topic, src, topic_src(slugs[topic]))} | {len(subs)} | {_adopted(desk, subs)} |")
        out.append("")
    return "\n".join(out)


def other_topics(desk: Desk, by_topic: dict[str, list[Submission]]) -> list[str]:
    """Topics given on submissions but not in bulletin.yml, in name order."""
    return sorted(t for t in by_topic if t not in desk.config.topics)


_NOT_IN_SLUG = re.compile(r"[^a-z0-9]+")
_RESERVED_SLUGS = frozenset({"index"})  # topics/index.md is the list of topics


def topic_slug(topic: str) -> str:
    """A topic's name in a URL: its pinyin without tones, letters and digits kept in lower case,
    anything else a hyphen (防汛抗旱 -> fangxunkanghan, ５Ｇ网络 -> 5gwangluo, 长江大保护 -> changjiangdabaohu);
    `topic` when nothing is left (a topic of punctuation alone)."""
    from pypinyin import lazy_pinyin  # a large dictionary: loaded when the topic pages are made

    # full-width letters as plain ones, accents dropped (Gōng -> gong)
    plain = "".join(c for c in unicodedata.normalize("NFKD", topic) if not unicodedata.combining(c)).lower()
    words = lazy_pinyin(plain, errors="default")  # what is not Chinese stays as it is
    return _NOT_IN_SLUG.sub("-", "".join(words).lower()).strip("-") or "topic"


def topic_slugs(desk: Desk, by_topic: dict[str, list[Submission]]) -> dict[str, str]:
    """Every topic's slug, the same on every build: the configured topics in their order first, so
    theirs do not change when a new topic appears outside the list, then the others in name order; a
    slug already taken (two topics that read alike, 公示 and 公式) gets -2, -3 …"""
    out: dict[str, str] = {}
    taken = set(_RESERVED_SLUGS)
    for topic in [*desk.config.topics, *other_topics(desk, by_topic)]:
        base = slug = topic_slug(topic)
        n = 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out[topic] = slug
    return out


def topic_pages(desk: Desk, page_rows: int) -> Iterator[Page]:
    """The list of topics, a page for each (configured or given on submissions), and its parts."""
    by_topic = _by_topic(desk)
    yield Page("topics/index.md", topics_index(desk, by_topic), in_nav=True)
    for topic, slug in topic_slugs(desk, by_topic).items():
        src = topic_src(slug)
        subs = by_topic.get(topic, [])
        parts = _submission_chunks(subs, page_rows)
        yield Page(src, topic_page(desk, src, topic, subs, parts))
        for n, part in enumerate(parts if len(parts) > 1 else []):
            title = _topic_name(topic, topic in desk.config.topics)
            content = _submission_part(desk, src, topic, title, parts, n, "标注这一主题的信息")
            yield Page(chunk_src(src, part.key), content)


# ---------- all pages ----------


def generate(desk: Desk, use_directory_urls: bool = True, page_rows: int = PAGE_ROWS) -> Iterator[Page]:
    """Every generated page; the three section indexes are the ones in the nav."""
    config = desk.config
    yield Page("publications/index.md", publications_index(desk), in_nav=True)
    yield Page(COPIES_SRC, copies_page(desk))
    for pub in desk.visible_publications:
        yield Page(publication_src(pub.id), publication_archive(desk, pub, page_rows))
        for year, issues in desk.by_publication.get(pub.id, {}).items():
            volume = chunks(issues, lambda i: i.date, _issue_weight, page_rows)
            yield Page(year_src(pub.id, year), publication_year(desk, pub, year, volume))
            for n, span in enumerate(volume if len(volume) > 1 else []):
                content = publication_year_part(desk, pub, year, volume, n)
                yield Page(chunk_src(year_src(pub.id, year), span.key), content)
    for issue in desk.issues:
        yield Page(issue_src(issue), issue_page(desk, issue, pdf_href(issue, use_directory_urls), use_directory_urls))
    by_unit = _by_unit(desk)
    children: dict[str, list[Unit]] = {}
    for unit in config.units:
        if unit.parent:
            children.setdefault(unit.parent, []).append(unit)
    yield Page("units/index.md", units_index(desk), in_nav=True)
    yield from instructions_pages(desk, page_rows)
    for unit in config.units:
        subs = by_unit.get(unit.id, [])
        parts = _submission_chunks(subs, page_rows)
        src = unit_src(unit.id)
        yield Page(src, unit_page(desk, unit, subs, children.get(unit.id, []), parts))
        for n, part in enumerate(parts if len(parts) > 1 else []):
            content = _submission_part(desk, src, unit.name, unit.name, parts, n, "报送的信息")
            yield Page(chunk_src(src, part.key), content)
    yield from topic_pages(desk, page_rows)
