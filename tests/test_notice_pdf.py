"""Issue 13, finding 6: the 通报's headings (一、二、…) printed in the 22 pt centred title style, and
the notice opened with 编者按. GB/T 9704-2012: the title 2号小标宋 centred; headings at the body size,
two characters in, 一、 in 黑体, （一） in 楷体, 1. and （1） in 仿宋; a 通报 has no 编者按.

Real PDFs, read back span by span (font, size, position) with PyMuPDF."""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest

from bulletin.desk.config import load_config
from bulletin.desk.issues import read_issue
from bulletin.publish.pdf import PdfBuilder
from desk_helpers import make_desk, run_cli

REPO = Path(__file__).resolve().parents[1]
MM = 72 / 25.4
INNER, WIDTH = 28 * MM, 156 * MM
PITCH = WIDTH / 28  # one character of the body


def spans_of(path: Path) -> list[dict]:
    doc = pymupdf.open(path)
    found = []
    for page in doc:
        left = INNER if page.number % 2 == 0 else page.rect.width - INNER - WIDTH
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if span["text"].strip():
                        found.append({**span, "left": left, "page": page.number})
    return found


def starting(spans: list[dict], text: str) -> dict:
    hits = [s for s in spans if s["text"].strip().startswith(text)]
    assert hits, f"{text} not in the PDF"
    return hits[0]


def assert_heading(span: dict, font: str) -> None:
    assert span["font"].startswith(font), span["font"]
    assert round(span["size"], 1) == 16.0
    indent = span["bbox"][0] - span["left"]
    assert abs(indent - 2 * PITCH) < 1.5, f"{span['text']}: {indent:.1f} pt in, not two characters"


def build(desk: Path, rel: str, out: Path, cache: Path) -> list[dict]:
    issue = read_issue(desk / rel, rel)
    with PdfBuilder(load_config(desk), cache) as builder:
        builder.build(issue, out)
    return spans_of(out)


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    """December's notice drafted by `bulletin notice`, and its PDF."""
    desk = make_desk(tmp_path_factory.mktemp("desk"))
    done = run_cli("notice", "--period", "2026-12", "--date", "2026-12-21", "--now", "2026-12-21 18:00", cwd=desk)
    assert done.returncode == 0, done.stderr
    out = tmp_path_factory.mktemp("pdf") / "notice.pdf"
    return desk, build(desk, "issues/tongbao/2026/001.md", out, tmp_path_factory.mktemp("cache"))


def test_a_drafted_notice_opens_with_its_title_and_text_not_an_editors_note(drafted: tuple[Path, list[dict]]) -> None:
    desk, spans = drafted
    text = (desk / "issues/tongbao/2026/001.md").read_text(encoding="utf-8")
    assert "编者按" not in text
    body = text.split("---\n", 2)[2].lstrip()
    assert body.startswith("## 关于2026年12月全市党委系统信息报送和采用情况的通报\n\n现将2026年12月")
    printed = "".join(s["text"] for s in spans)
    assert "编者按" not in printed
    title = [s for s in spans if round(s["size"], 1) == 22.0]
    assert "".join(s["text"] for s in title).replace(" ", "") == "关于2026年12月全市党委系统信息报送和采用情况的通报"
    assert len(title) == 2 and all(s["font"].startswith("NotoSerifCJKsc-Bold") for s in title)
    for line in title:  # centred
        left, right = line["bbox"][0] - line["left"], line["left"] + WIDTH - line["bbox"][2]
        assert abs(left - right) < 2
    opening = starting(spans, "现将2026年12月")
    assert opening["font"].startswith("FandolFang") and round(opening["size"], 1) == 16.0


def test_a_drafted_notices_headings_are_bold_sans_at_the_body_size(drafted: tuple[Path, list[dict]]) -> None:
    _, spans = drafted
    for heading in ("一、总体情况", "二、各单位信息报送和采用情况", "三、通报表扬", "四、迟报、漏报、瞒报和约稿情况"):
        assert_heading(starting(spans, heading), "NotoSansCJKsc-Regular")
    assert not [s for s in spans if round(s["size"], 1) == 22.0 and s["text"].strip()[0] in "一二三四五六"]


def test_an_older_notice_with_an_editors_note_prints_it_as_its_opening(tmp_path: Path) -> None:
    """The demo's November notice was drafted with a `> 编者按：` line: printed as the opening text."""
    desk = make_desk(tmp_path / "desk")
    rel = "issues/tongbao/2026/001.md"
    (desk / rel).parent.mkdir(parents=True)
    shutil.copyfile(REPO / rel, desk / rel)
    spans = build(desk, rel, tmp_path / "old.pdf", tmp_path / "cache")
    assert "编者按" not in "".join(s["text"] for s in spans)
    opening = starting(spans, "现将2026年11月")
    assert opening["font"].startswith("FandolFang") and round(opening["size"], 1) == 16.0
    assert_heading(starting(spans, "一、总体情况"), "NotoSansCJKsc-Regular")


NOTICE = """---
刊物: tongbao
期号: 3
总期号: 3
日期: 2026-12-21
责任编辑: 李静
签发: 周建国
密级: 内部
印数: 60
---

## 关于2026年第四季度全市党委系统信息报送和采用情况的通报

现将有关情况通报如下。

## 一、总体情况

第四季度各单位共报送信息96条。

## （一）报送情况

各县（市、区）报送信息60条。

## 1. 县区

修水县报送信息12条。

## （1）乡镇

义宁镇报送信息3条。
"""


def test_every_level_of_heading_in_its_face(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "desk")
    rel = "issues/tongbao/2026/003.md"
    (desk / rel).parent.mkdir(parents=True)
    (desk / rel).write_text(NOTICE, encoding="utf-8")
    spans = build(desk, rel, tmp_path / "levels.pdf", tmp_path / "cache")
    assert_heading(starting(spans, "一、总体情况"), "NotoSansCJKsc-Regular")
    assert_heading(starting(spans, "（一）报送情况"), "LXGWWenKai")
    assert_heading(starting(spans, "1. 县区"), "FandolFang")
    assert_heading(starting(spans, "（1）乡镇"), "FandolFang")
    # the title stays a title, on lines break_title chose
    assert [s["text"] for s in spans if round(s["size"], 1) == 22.0] == [
        "关于2026年第四季度全市党委",
        "系统信息报送和采用情况的通报",
    ]
