"""Issue 13, finding 5: the 版记 (报/送/发 and 印数) on the last page of a double-sided print.

GB/T 9704-2012 7.4: the last rule of the 版记 lies on the bottom edge of the type area of the last
page; printed on both sides, the last page is an even page. 7.5: when a blank page stands before
the 版记 page, neither the blank page nor the 版记 page carries a page number. Real PDFs, measured.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pymupdf
import pytest

from bulletin.desk.config import load_config
from bulletin.desk.issues import read_issue
from bulletin.publish.pdf import PdfBuilder

REPO = Path(__file__).resolve().parents[1]
MM = 72 / 25.4
TOP, WIDTH, HEIGHT, INNER = 37 * MM, 156 * MM, 225 * MM, 28 * MM
BOTTOM = TOP + HEIGHT
PAGE_NUMBER = re.compile(r"^— (\d+) —$")
# one paragraph of the generated items: 27 characters, two lines of the 28-character grid
LINE = "全市上下紧盯目标任务加力推进各项工作取得明显成效确保。"


def spans(page: pymupdf.Page) -> list[dict]:
    return [s for b in page.get_text("dict")["blocks"] for line in b.get("lines", []) for s in line["spans"]]


def page_numbers(page: pymupdf.Page) -> list[str]:
    return [s["text"].strip() for s in spans(page) if PAGE_NUMBER.match(s["text"].strip())]


def area_x(page: pymupdf.Page) -> tuple[float, float]:
    left = INNER if page.number % 2 == 0 else page.rect.width - INNER - WIDTH
    return left, left + WIDTH


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("desk")
    for name in ("bulletin.yml", "network.yml"):
        shutil.copyfile(REPO / name, root / name)
    shutil.copytree(REPO / "submissions", root / "submissions")
    return root


@pytest.fixture(scope="module")
def builder(desk: Path, tmp_path_factory: pytest.TempPathFactory) -> PdfBuilder:
    return PdfBuilder(load_config(desk), tmp_path_factory.mktemp("cache"))


def generated(desk: Path, builder: PdfBuilder, paragraphs: int) -> pymupdf.Document:
    """A one-item 汇要 issue of `paragraphs` two-line paragraphs, built to a real PDF."""
    rel = f"issues/huiyao/2026/{paragraphs:03d}.md"
    path = desk / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n\n".join([LINE] * paragraphs)
    path.write_text(
        f"---\n刊物: huiyao\n期号: {paragraphs}\n日期: 2026-11-06\n责任编辑: 李静\n签发: 周建国\n密级: 内部\n印数: 120\n---\n\n"
        f"## 一条排满版面的信息\n\n来源：xiushui/2026/1103-01\n\n{body}\n",
        encoding="utf-8",
    )
    out = desk / "out" / f"{paragraphs}.pdf"
    builder.build(read_issue(path, rel), out)
    return pymupdf.open(out)


def body_end(doc: pymupdf.Document, credit: str) -> tuple[int, float]:
    """(1-based page, bottom) of the last item's credit line: where the body ends."""
    found = [(p.number + 1, s["bbox"][3]) for p in doc for s in spans(p) if s["text"].strip() == credit]
    assert found, credit
    return found[-1]


def assert_distribution_at_the_foot(doc: pymupdf.Document) -> None:
    """Even page count; the 版记 only on the last page, its last rule on the type area's bottom
    edge, its rows (报/送/发 and 共印) below everything else on the page."""
    assert len(doc) % 2 == 0, f"{len(doc)} pages: a double-sided print ends on an even page"
    last = doc[-1]
    for page in doc[:-1]:
        assert "共印" not in page.get_text() and "送：" not in page.get_text(), page.number + 1
    rules = sorted((d for d in last.get_drawings() if d.get("color") == (0.0, 0.0, 0.0)), key=lambda d: d["rect"].y0)
    assert rules and rules[-1]["rect"].y0 == pytest.approx(BOTTOM, abs=0.5)
    left, right = area_x(last)
    assert rules[0]["rect"].x0 == pytest.approx(left, abs=0.5) and rules[0]["rect"].x1 == pytest.approx(right, abs=0.5)
    rows = [s for s in spans(last) if s["text"].strip().startswith(("报：", "送：", "发：", "（共印"))]
    assert rows and rows[-1]["text"].strip().startswith("（共印")
    assert rows[-1]["bbox"][3] <= BOTTOM and rows[-1]["bbox"][3] > BOTTOM - 15 * MM
    top_rule = rules[0]["rect"].y0
    others = [
        s for s in spans(last) if s["text"].strip() and s not in rows and not PAGE_NUMBER.match(s["text"].strip())
    ]
    assert all(s["bbox"][3] <= top_rule for s in others)  # nothing of the body below the 版记's first rule


def assert_numbered(page: pymupdf.Page) -> None:
    assert page_numbers(page) == [f"— {page.number + 1} —"], page.number + 1


def test_neican_001_puts_the_distribution_on_an_even_page_of_its_own(tmp_path: Path) -> None:
    """内参 001's body ends on page 3: the 版记 goes to the foot of page 4, which keeps its number
    (no blank page stands before it)."""
    config = load_config(REPO)
    rel = "issues/neican/2026/001.md"
    issue = read_issue(REPO / rel, rel)
    out = tmp_path / "neican-001.pdf"
    PdfBuilder(config, tmp_path / "cache").build(issue, out)
    doc = pymupdf.open(out)
    page, _ = body_end(doc, "（市公安局）")
    assert page == 3
    assert len(doc) == 4
    assert_distribution_at_the_foot(doc)
    assert "送：市委书记，市委副书记、市长，市委常委。" in "".join(doc[3].get_text().split())
    for p in doc:
        assert_numbered(p)
    number = next(s for s in spans(doc[3]) if PAGE_NUMBER.match(s["text"].strip()))
    left, _ = area_x(doc[3])
    assert number["bbox"][0] == pytest.approx(left + 14, abs=3)  # even page: left, one character in


def test_body_ending_on_an_odd_page(desk: Path, builder: PdfBuilder) -> None:
    """Even with room left on that page: the 版记 goes to the next (even) page, which is numbered."""
    doc = generated(desk, builder, 2)
    page, bottom = body_end(doc, "（修水县）")
    assert page % 2 == 1, "the generated issue should end its body on an odd page"
    assert bottom < BOTTOM - 60 * MM  # room enough for the 版记 on the odd page: it still moves on
    assert len(doc) == page + 1
    assert_distribution_at_the_foot(doc)
    texts = [s["text"].strip() for s in spans(doc[-1]) if s["text"].strip()]
    assert not any(LINE[:6] in t for t in texts)  # the 版记 page carries nothing of the body
    for p in doc:
        assert_numbered(p)


def test_body_ending_on_an_even_page_with_room_left(desk: Path, builder: PdfBuilder) -> None:
    """The control: the 版记 stays at the foot of the even page where the body ends."""
    doc = generated(desk, builder, 30)
    page, bottom = body_end(doc, "（修水县）")
    assert page % 2 == 0, "the generated issue should end its body on an even page"
    assert len(doc) == page  # the 版记 shares the last page with the end of the body
    assert_distribution_at_the_foot(doc)
    assert bottom < BOTTOM - 60 * MM
    for p in doc:
        assert_numbered(p)


def test_body_filling_an_even_page_gets_an_unnumbered_blank_page(desk: Path, builder: PdfBuilder) -> None:
    """No room for the 版记 on the even page where the body ends: a blank (odd) page, then the 版记
    at the foot of the next even page; neither of the two carries a page number (7.5)."""
    doc = generated(desk, builder, 14)
    page, bottom = body_end(doc, "（修水县）")
    assert page % 2 == 0 and bottom > BOTTOM - 60 * MM, "the body should end low on an even page"
    assert len(doc) == page + 2
    blank, last = doc[page], doc[page + 1]
    assert blank.get_text().strip() == "" and not blank.get_drawings()
    assert page_numbers(blank) == [] and page_numbers(last) == []
    assert_distribution_at_the_foot(doc)
    for p in doc[:page]:
        assert_numbered(p)
