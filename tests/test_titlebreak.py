"""Issue 13, finding 3: two-line titles broke inside words (`杭口镇2/个村庄`, `资金链紧/张`,
`货船柴/油泄漏`, `创/新治理`, `今/年办结`). GB/T 9704-2012 7.3.1: a title that wraps keeps words
whole, its lines are of sensible and nearly equal length (a trapezoid or diamond), and a title
with a space between two phrases breaks there.

Every demo title and a generated set are checked against the rules; real PDFs of the demo issues
are built and read back line by line: every 2号 title line is what break_title said."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from functools import cache
from pathlib import Path

import jieba
import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.core.titlebreak import SPACES, break_title, width
from bulletin.desk.config import load_config
from bulletin.desk.issues import read_issue
from bulletin.desk.lexicon import Lexicon
from bulletin.duty.scoring import parse_period
from bulletin.editorial.notice import notice_title
from bulletin.publish.pdf import TITLE_PER_LINE, PdfBuilder, title_words

REPO = Path(__file__).resolve().parents[1]
PER_LINE = TITLE_PER_LINE
MEASURES = "个件条人名户家项起次元吨亩年月日岁倍辆艘座所场批类期届份台套处栋间层种只笔篇部支位宗余多"
# a number and its measure word or unit, by an oracle simpler than the module's
NUMBER_AND_MEASURE = re.compile(rf"\d+(?:\.\d+)?[余多]?[十百千万亿]*[余多]?(?:公里|[{MEASURES}])|\d+(?:\.\d+)?%")
PAIRS = ("“”", "‘’", "《》", "（）", "【】")
QUOTED = re.compile(r"[“‘《（【][^”’》）】]*[”’》）】]")


def demo_titles() -> list[str]:
    titles: set[str] = set()
    for path in sorted((REPO / "issues").rglob("*.md")):
        titles |= {line[3:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("## ")}
    for path in sorted((REPO / "submissions").rglob("*.md")):
        titles |= {
            line.split(":", 1)[1].strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("标题:")
        }
    titles |= {notice_title(parse_period(p)) for p in ("2026-11", "2026-Q4", "2026")}
    return sorted(t for t in titles if t)


@cache
def jieba_cuts(title: str) -> frozenset[int]:
    at, cuts = 0, set()
    for word in jieba.cut(title):
        at += len(word)
        cuts.add(at)
    return frozenset(cuts)


def breaks(title: str, lines: list[str]) -> list[tuple[int, bool]]:
    """Where each line after the first starts in the title, and whether it broke at a space;
    asserts that the lines are the title without the spaces it broke at."""
    stripped = title.strip(SPACES)
    at, out = 0, []
    for n, line in enumerate(lines):
        if n:
            spaced = stripped[at] in SPACES
            at += spaced
            out.append((at, spaced))
        assert stripped[at : at + len(line)] == line, (title, lines)
        at += len(line)
    assert at == len(stripped), (title, lines)
    return out


def assert_well_broken(
    title: str, lines: list[str], per_line: float, keep: tuple[str, ...] = (), balanced: bool = True
) -> None:
    found = breaks(title, lines)
    assert all(width(line) <= per_line for line in lines), lines
    if width(title) <= per_line:
        assert lines == [title.strip(SPACES)]
        return
    assert all(len(line) >= 3 for line in lines), f"a line of one or two characters: {lines}"
    stripped = title.strip(SPACES)
    for at, spaced in found:
        where = f"{stripped[:at]}/{stripped[at:]}"
        if spaced:
            continue
        assert at in jieba_cuts(stripped), f"broken inside a word: {where}"
        for m in NUMBER_AND_MEASURE.finditer(stripped):
            assert not m.start() < at < m.end(), f"number and measure word parted: {where}"
        for word in keep:
            for m in re.finditer(re.escape(word), stripped):
                assert not m.start() < at < m.end(), f"a name broken: {where}"
    for line in lines:
        for opening, closing in PAIRS:
            assert line.count(opening) == line.count(closing), f"quotation marks or brackets parted: {lines}"
    if balanced and not any(spaced for _, spaced in found):
        widths = [width(line) for line in lines]
        assert min(widths) >= 0.5 * max(widths), f"lines not balanced: {lines}"


@pytest.mark.parametrize("title", demo_titles())
def test_every_demo_title_breaks_well(title: str) -> None:
    keep = title_words(load_config(REPO))
    assert_well_broken(title, break_title(title, PER_LINE, keep), PER_LINE, keep)


@pytest.mark.parametrize(
    ("title", "whole"),
    [
        ("武宁县杭口镇2个村庄遭受冰冻灾害 群众生产生活基本正常", ["2个", "杭口镇"]),
        ("庐山市进入冬季森林防火紧要期 落实巡护人员1200余人", ["紧要期", "1200余人"]),
        ("濂溪区个别房企资金链紧张 年底欠薪风险需警惕", ["资金链紧张"]),
        ("湖口县长江水域一货船柴油泄漏 已完成围控处置", ["柴油泄漏", "一货船"]),
        ("我市多地发展特色产业、创新治理方式助力乡村振兴", ["创新"]),
        ("义宁镇推行“党建+网格” 今年办结群众诉求1300余件", ["今年", "“党建+网格”"]),
        ("关于2026年11月全市党委系统信息报送和采用情况的通报", ["2026年11月", "的通报"]),
        ("九江港1至10月完成货物吞吐量1.68亿吨同比增长6.4%", ["1至10月", "1.68亿吨", "6.4%"]),
    ],
)
def test_the_breaks_seen_in_the_demo_issues_do_not_recur(title: str, whole: list[str]) -> None:
    lines = break_title(title, PER_LINE)
    assert len(lines) >= 2
    for piece in whole:
        assert any(piece in line for line in lines), (piece, lines)


def test_the_authors_space_is_where_it_breaks() -> None:
    assert break_title("湖口县长江水域一货船柴油泄漏 已完成围控处置", PER_LINE) == [
        "湖口县长江水域一货船柴油泄漏",
        "已完成围控处置",
    ]
    # a title that fits keeps its space on one line
    assert break_title("永修县集中签约项目22个 总投资86亿元", PER_LINE) == ["永修县集中签约项目22个 总投资86亿元"]
    # three phrases on two lines: at the space that balances them
    assert break_title("鄱阳湖水位偏低 都昌县4个乡镇 1.2万人饮水得到保障", 15) == [
        "鄱阳湖水位偏低 都昌县4个乡镇",
        "1.2万人饮水得到保障",
    ]


def test_no_line_of_one_or_two_characters() -> None:
    for title in ("关于进一步做好全市党委系统信息报送工作的通知", "市应急管理局部署今冬明春安全生产和火灾防控工作"):
        for per_line in range(8, 22):
            lines = break_title(title, per_line)
            assert all(width(line) <= per_line for line in lines)
            if len(lines) > 1:
                assert min(len(line) for line in lines) >= 3, (per_line, lines)


# ---------------------------------------------------------------- a generated set

WORDS = sorted(
    {
        w
        for t in demo_titles()
        for w in jieba.cut(t)
        if len(w) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in w) and w[-1] not in "县区市镇乡村"
    }
)
number = st.builds(
    lambda n, dec, big, unit: f"{n}{'.' + str(dec) if dec is not None else ''}{big}{unit}",
    st.integers(1, 2000),
    st.none() | st.integers(1, 9),
    st.sampled_from(["", "万", "亿"]),
    st.sampled_from(["个", "人", "户", "件", "元", "吨", "亩", "项", "余件", "公里", "%"]),
)
word = st.sampled_from(WORDS)
quoted = st.builds(
    lambda ws, q: q[0] + "".join(ws) + q[1], st.lists(word, min_size=1, max_size=2), st.sampled_from(PAIRS)
)
piece = st.one_of(word, word, word, number, quoted)
phrase = st.lists(piece, min_size=2, max_size=7).map("".join)
title_strategy = st.one_of(phrase, st.builds(lambda a, b: f"{a} {b}", phrase, phrase))


def word_breaks(title: str, per_line: float, lines: int) -> list[list[str]]:
    """Every way (by brute force) to set the title on `lines` lines breaking only at its spaces or
    at jieba's word boundaries outside numbers with their measure words and quotations."""
    inside = {
        i
        for m in itertools.chain(NUMBER_AND_MEASURE.finditer(title), QUOTED.finditer(title))
        for i in range(m.start() + 1, m.end())
    }
    spaces = {i for i, ch in enumerate(title) if ch in SPACES}
    cuts = sorted((set(jieba_cuts(title)) - inside - {i + 1 for i in spaces} | spaces) - {0, len(title)})
    found = []
    for chosen in itertools.combinations(cuts, lines - 1):
        bounds = [0, *chosen, len(title)]
        got = [title[a:b].strip(SPACES) for a, b in itertools.pairwise(bounds)]
        if all(len(line) >= 3 and width(line) <= per_line for line in got):
            found.append(got)
    return found


def ratio(lines: list[str]) -> float:
    widths = [width(line) for line in lines]
    return min(widths) / max(widths)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=title_strategy, per_line=st.integers(12, 24))
def test_generated_titles_break_well(title: str, per_line: int) -> None:
    lines = break_title(title, per_line)
    stripped = title.strip(SPACES)
    found = breaks(title, lines)  # the lines are the title without the spaces broken at
    assert all(width(line) <= per_line for line in lines)
    if len(lines) == 1:
        assert width(stripped) <= per_line
        return
    possible = word_breaks(stripped, per_line, len(lines))
    if not possible:
        return  # no way to keep every word whole on this many lines: the module fell back
    # words, numbers with their measure words and quotations whole, no line of one or two characters
    assert_well_broken(title, lines, per_line, balanced=False)
    # as balanced as the rules allow, unless it broke at the author's space
    if not any(spaced for _, spaced in found) and max(ratio(p) for p in possible) >= 0.6:
        assert ratio(lines) >= 0.5, (lines, max(possible, key=ratio))


# ---------------------------------------------------------------- in the PDF


def title_lines(doc: pymupdf.Document) -> list[str]:
    """The 2号 (22 pt) lines of a PDF, in reading order."""
    lines = []
    for page in doc:
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                text = "".join(s["text"] for s in line["spans"] if round(s["size"], 1) == 22.0)
                if text.strip():
                    lines.append(text.strip())
    return lines


def test_every_title_line_in_the_pdfs_is_what_break_title_said(tmp_path: Path) -> None:
    for name in ("bulletin.yml", "network.yml"):
        shutil.copyfile(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "submissions", tmp_path / "submissions")
    config = load_config(tmp_path)
    keep = title_words(config)
    paths = ("huiyao/2026/003.md", "neican/2026/001.md", "neican/2026/002.md", "shangbao/2026/002.md")
    issues = [read_issue(REPO / "issues" / rel, f"issues/{rel}") for rel in paths]
    wrapped = 0
    with PdfBuilder(config, tmp_path / "cache") as builder:
        results = builder.build_many([(issue, tmp_path / f"{n}.pdf") for n, issue in enumerate(issues)])
    for issue, result in zip(issues, results, strict=True):
        expected = [line for item in issue.items for line in break_title(item.title, PER_LINE, keep)]
        got = title_lines(pymupdf.open(result.path))
        assert [re.sub(r"\s+", " ", line) for line in got] == expected, issue.path
        wrapped += sum(1 for item in issue.items if len(break_title(item.title, PER_LINE, keep)) > 1)
    assert wrapped >= 4, "the demo issues should have titles on two lines"


_BUILD_TWICE = """
import sys
from pathlib import Path
from bulletin.desk.config import load_config
from bulletin.desk.lexicon import Lexicon
from bulletin.desk.issues import read_issue
from bulletin.publish.pdf import PdfBuilder
root, cache, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
rel = "issues/huiyao/2026/002.md"  # long titles without a space: the segmenter breaks them
with PdfBuilder(load_config(root), cache_dir=cache) as builder:
    builder.build(read_issue(root / rel, rel), out, force=True)
jieba = sys.modules.get("jieba")
print(jieba is not None, jieba is not None and jieba.dt.initialized)  # imported; whole dictionary loaded
"""


def test_titles_broken_once_are_not_broken_again_in_a_new_process(tmp_path: Path) -> None:
    """The segmenter takes most of a second to load: a build of titles broken before (the same break
    module and unit names) takes their lines from the cache and does not load it; the lines are the same."""
    import subprocess
    import sys

    from bulletin.publish.pdf import TitleLines

    root = Path(__file__).resolve().parents[1]
    cache = tmp_path / "cache"
    runs = [
        subprocess.run(
            [sys.executable, "-c", _BUILD_TWICE, str(root), str(cache), str(tmp_path / f"{n}.pdf")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-2]
        for n in range(2)
    ]
    assert runs == ["True", "False"]  # the first breaks the long titles, the second only reads them
    assert (tmp_path / "0.pdf").read_bytes() == (tmp_path / "1.pdf").read_bytes()
    keep = title_words(load_config(root))
    title = "彭泽县腾退长江岸线3.6公里 完成复绿1200亩"
    assert TitleLines(keep, cache).lines([title]) == {title: break_title(title, TITLE_PER_LINE, keep)}
    assert TitleLines((*keep, "新词"), tmp_path / "other").lines([title]) == {
        title: break_title(title, TITLE_PER_LINE, keep)
    }


# ---------------------------------------------------------------- the indexed dictionary


@pytest.fixture(scope="module")
def lexicon(tmp_path_factory: pytest.TempPathFactory) -> Lexicon:
    from bulletin.desk.lexicon import lexicon

    found = lexicon(tmp_path_factory.mktemp("cache"))
    assert found is not None
    return found


def _whole_cut(title: str) -> list[str]:
    return list(jieba.cut(title))


def _indexed_cut(lexicon: Lexicon, title: str) -> list[str]:
    freq, total = lexicon.within(title)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    return list(tokenizer.cut(title))


def test_the_indexed_dictionary_cuts_every_demo_title_as_the_whole_one(lexicon: Lexicon) -> None:
    """A new process breaks a long title with the indexed dictionary (desk.lexicon) rather than
    loading jieba's 350,000 words: the cuts, and so the lines, are the same."""
    for title in demo_titles():
        assert _indexed_cut(lexicon, title) == _whole_cut(title), title
        assert break_title(title, PER_LINE, lexicon=lexicon) == break_title(title, PER_LINE), title


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
mixed = st.text(st.one_of(han, han, han, st.sampled_from("0123456789.%GDPAa 、，“”（）《》𠀀𪚥")), max_size=40)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(title=st.one_of(title_strategy, mixed), per_line=st.integers(8, 24))
def test_the_indexed_dictionary_cuts_any_text_as_the_whole_one(lexicon: Lexicon, title: str, per_line: int) -> None:
    assert _indexed_cut(lexicon, title) == _whole_cut(title)
    assert break_title(title, per_line, lexicon=lexicon) == break_title(title, per_line)


def test_a_new_process_breaks_a_new_title_without_the_whole_dictionary(tmp_path: Path) -> None:
    """The first build of _BUILD_TWICE broke the demo's long titles (jieba imported) without
    loading its whole dictionary; where the cache folder cannot be written it still breaks them."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    cache = tmp_path / "cache"
    out = subprocess.run(
        [sys.executable, "-c", _BUILD_TWICE, str(root), str(cache), str(tmp_path / "a.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[-2:] == ["True", "False"]
    unwritable = tmp_path / "nowhere"
    unwritable.write_text("a file, not a folder")
    out = subprocess.run(
        [sys.executable, "-c", _BUILD_TWICE, str(root), str(tmp_path / "cache2"), str(tmp_path / "b.pdf")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "XDG_CACHE_HOME": str(unwritable)},
    ).stdout.split()
    assert out[-2:] == ["True", "True"]  # no lexicon: the whole dictionary, the same lines
    assert pymupdf.open(tmp_path / "a.pdf")[0].get_text() == pymupdf.open(tmp_path / "b.pdf")[0].get_text()
