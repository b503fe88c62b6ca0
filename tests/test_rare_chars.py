"""Issue 13, finding 8: an item with 𠀀 (U+20000, CJK Extension B) or 𪚥 (U+2A6A5) in a name passed
the check, then the PDF build failed: no installed font had them. The desk ships rare-character
faces (HanaMinB, BabelStone Han) at the end of every font stack; the check and the build ask one
coverage function, and refuse only what no shipped font can print, naming the character and its
code point. Real PDFs, read back with PyMuPDF: the glyph is embedded from the rare-character face."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pymupdf
import pytest

from bulletin.desk.config import load_config
from bulletin.desk.fonts import desk_coverage, fallback_families
from bulletin.desk.issues import read_issue
from bulletin.publish.pdf import GlyphMissing, PdfBuilder
from desk_helpers import ITEM, make_desk, run_cli

REPO = Path(__file__).resolve().parents[1]
RARE_B, RARE_2A6A5 = "\U00020000", "\U0002a6a5"  # 𠀀 and 𪚥
ITEM_PATH = "submissions/xiushui/2026/1128-01.md"


def submission(desk: Path, title: str, body_extra: str = "") -> Path:
    text = ITEM.replace("标题: 修水县“三个一批”推动重点项目提速增效", f"标题: {title}")
    text = text.replace("今年以来，", f"今年以来，{body_extra}")
    path = desk / ITEM_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    return make_desk(tmp_path / "desk", with_submissions=False)


def test_rare_characters_pass_the_check(desk: Path) -> None:
    submission(desk, f"修水县张{RARE_B}同志带头推动重点项目提速增效", f"县委副书记刘{RARE_2A6A5}介绍，")
    done = run_cli("check", ITEM_PATH, cwd=desk)
    assert "glyph-missing" not in done.stdout, done.stdout
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("char", ["\U000f0001", "\U0010fffd", "\u0378", "\ue000"])  # private use; unassigned
def test_what_no_font_can_print_is_refused_by_the_check_with_its_code_point(desk: Path, char: str) -> None:
    submission(desk, "修水县推动重点项目提速增效", f"项目负责人王{char}介绍，")
    done = run_cli("check", ITEM_PATH, cwd=desk)
    assert done.returncode == 1
    [line] = [line for line in done.stdout.splitlines() if "glyph-missing" in line]
    assert line.startswith(f"{ITEM_PATH}:13:"), line  # the body line that holds it
    assert f"U+{ord(char):04X}" in line and "空白方框" in line


def test_the_check_and_the_build_agree_on_every_character(desk: Path) -> None:
    """One coverage function: what the check passes, the build prints, and the reverse."""
    config = load_config(desk)
    coverage = desk_coverage(config)
    assert coverage.complete, "make fonts installs every face"
    for ch in (RARE_B, RARE_2A6A5, "䶮", "𠮷", "眾", "Ⅱ", "\U00030000"):
        assert coverage.lacking(ch, ("title", "body", "hei", "kai")) == (), f"U+{ord(ch):04X}"
    for ch in ("\U000f0001", "\u0378", "\ue000"):
        assert coverage.lacking(ch, ("body",)) == ("body",)


def test_a_name_with_extension_b_characters_is_printed_with_the_rare_face(desk: Path, tmp_path: Path) -> None:
    shutil.copytree(REPO / "submissions", desk / "submissions", dirs_exist_ok=True)
    rel = "issues/huiyao/2026/001.md"
    path = desk / rel
    path.parent.mkdir(parents=True)
    path.write_text(
        "---\n刊物: huiyao\n期号: 1\n总期号: 1\n日期: 2026-11-06\n责任编辑: 李静\n签发: 周建国\n密级: 内部\n印数: 120\n---\n\n"
        f"## 张{RARE_B}同志走访刘{RARE_2A6A5}村\n\n来源：xiushui/2026/1103-01\n\n"
        f"县委副书记张{RARE_B}走访刘{RARE_2A6A5}村，看望慰问困难群众。\n",
        encoding="utf-8",
    )
    out = tmp_path / "rare.pdf"
    with PdfBuilder(load_config(desk), tmp_path / "cache") as builder:
        builder.build(read_issue(path, rel), out)
    doc = pymupdf.open(out)
    text = "".join(page.get_text() for page in doc)
    assert f"张{RARE_B}" in text.replace("\n", "") and f"刘{RARE_2A6A5}" in text.replace("\n", "")
    fonts = {re.sub(r"^[A-Z]{6}\+", "", f[3]) for page in doc for f in page.get_fonts()}
    assert any(name.startswith("HanaMinB") for name in fonts), fonts
    drawn = {}
    for page in doc:
        for span in page.get_texttrace():
            for ch in span["chars"]:
                if chr(ch[0]) in (RARE_B, RARE_2A6A5):
                    drawn.setdefault(chr(ch[0]), []).append((span["font"], ch[1]))
    assert set(drawn) == {RARE_B, RARE_2A6A5}
    for uses in drawn.values():
        assert all(glyph != 0 and font.endswith(("HanaMinB", "BabelStoneHan")) for font, glyph in uses), uses


def test_a_character_no_font_has_still_stops_the_build(desk: Path, tmp_path: Path) -> None:
    shutil.copytree(REPO / "submissions", desk / "submissions", dirs_exist_ok=True)
    rel = "issues/huiyao/2026/001.md"
    path = desk / rel
    path.parent.mkdir(parents=True)
    path.write_text(
        "---\n刊物: huiyao\n期号: 1\n总期号: 1\n日期: 2026-11-06\n责任编辑: 李静\n签发: 周建国\n密级: 内部\n印数: 120\n---\n\n"
        "## 张\ue000同志走访群众\n\n来源：xiushui/2026/1103-01\n\n正文。\n",
        encoding="utf-8",
    )
    with pytest.raises(GlyphMissing, match="U\\+E000"), PdfBuilder(load_config(desk), tmp_path / "cache") as builder:
        builder.build(read_issue(path, rel), tmp_path / "x.pdf")


def test_the_fallback_families_are_named_for_the_word_file_and_the_site() -> None:
    assert fallback_families() == ("HanaMinB", "BabelStone Han")


def test_the_site_carries_a_small_font_of_its_rare_characters(desk: Path, tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    from bulletin.publish.sitefonts import CSS, FAMILY, write_site_fonts

    site = tmp_path / "site"
    (site / "issues").mkdir(parents=True)
    (site / "issues" / "index.html").write_text(
        f"<p>县委副书记张{RARE_B}走访刘{RARE_2A6A5}村，南汉刘䶮。</p>", encoding="utf-8"
    )
    (site / "index.html").write_text("<p>没有生僻字。</p>", encoding="utf-8")
    written = write_site_fonts(load_config(desk), site)
    css = (site / CSS).read_text(encoding="utf-8")
    assert f'"{FAMILY}"' in css and "http" not in css
    fonts = [p for p in written if p.suffix == ".woff"]
    assert fonts and all(p.parent == (site / CSS).parent for p in fonts)
    covered: set[int] = set()
    for path in fonts:
        assert path.stat().st_size < 60_000, f"{path.name}: {path.stat().st_size} bytes"
        assert f'url("{path.name}")' in css
        covered |= set(TTFont(str(path)).getBestCmap())
    assert {0x20000, 0x2A6A5, ord("䶮")} <= covered
    assert "U+20000" in css and "U+2A6A5" in css


def test_the_word_file_names_the_rare_face_on_the_rare_characters_runs(desk: Path, tmp_path: Path) -> None:
    """In the .docx too, a name with 𠀀 or 𪚥 falls back glyph by glyph: those characters sit on runs
    of their own that name the rare-character face (HanaMinB), the rest of the text keeps 仿宋; the
    font table names Windows' own face for the extensions as the stand-in."""
    import docx
    from docx.oxml.ns import qn

    from bulletin.publish.docx import DocxBuilder

    shutil.copytree(REPO / "submissions", desk / "submissions", dirs_exist_ok=True)
    rel = "issues/huiyao/2026/001.md"
    path = desk / rel
    path.parent.mkdir(parents=True)
    path.write_text(
        "---\n刊物: huiyao\n期号: 1\n总期号: 1\n日期: 2026-11-06\n责任编辑: 李静\n签发: 周建国\n密级: 内部\n印数: 120\n---\n\n"
        "## 县领导走访慰问困难群众\n\n来源：xiushui/2026/1103-01\n\n"
        f"县委副书记张{RARE_B}走访刘{RARE_2A6A5}村，看望慰问困难群众。\n",
        encoding="utf-8",
    )
    out = tmp_path / "rare.docx"
    DocxBuilder(load_config(desk), tmp_path / "cache").build(read_issue(path, rel), out)
    document = docx.Document(str(out))
    runs = [(r.text, r._r.find(qn("w:rPr"))) for p in document.paragraphs for r in p.runs]
    body = "".join(text for text, _ in runs)
    assert f"张{RARE_B}走访刘{RARE_2A6A5}村" in body

    def family(rpr: object) -> str | None:
        fonts = None if rpr is None else rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
        return None if fonts is None else fonts.get(qn("w:eastAsia"))

    rare = {text: family(rpr) for text, rpr in runs if RARE_B in text or RARE_2A6A5 in text}
    assert rare == {RARE_B: "HanaMinB", RARE_2A6A5: "HanaMinB"}, rare
    assert all(family(rpr) != "HanaMinB" for text, rpr in runs if "走访" in text)
    fonts_xml = next(p.blob for p in document.part.package.iter_parts() if p.partname.endswith("fontTable.xml"))
    assert b'w:name="HanaMinB"' in fonts_xml and b"SimSun-ExtB" in fonts_xml
