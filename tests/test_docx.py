"""Issue Word files (.docx): real files from pandoc + python-docx, read back with python-docx,
checked as packages, converted to PDF with LibreOffice and compared with the Typst PDF."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pymupdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from bulletin.core.model import Config, Issue
from bulletin.desk.config import load_config
from bulletin.desk.issues import read_issue
from bulletin.publish.docx import DocxBuilder, fontconfig_aliases, pdf_families
from bulletin.publish.pdf import PdfBuilder, font_dirs
from test_pdf import DEMO, HEAD, body_text, item, spans, squeeze
from test_verify import desk_repo, rules, verify

REPO = Path(__file__).resolve().parents[1]
MM = 72 / 25.4
RED = "E60012"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, Issue, Path, Path]:
    """The demo issue as .docx and as the Typst PDF, built once."""
    config = load_config(REPO)
    issue = read_issue(REPO / DEMO, DEMO)
    work = tmp_path_factory.mktemp("docx-demo")
    result = DocxBuilder(config, work / "cache").build(issue, work / "001.docx")
    assert result.built and result.path == work / "001.docx"
    PdfBuilder(config, cache_dir=work / "pdf-cache").build(issue, work / "001.pdf")
    return config, issue, work / "001.docx", work / "001.pdf"


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    for name in ("bulletin.yml", "network.yml"):
        shutil.copyfile(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "submissions", tmp_path / "submissions")
    return tmp_path


def write_issue(desk: Path, body: str, level: str = "内部", extra: str = "", pub: str = "huiyao") -> Issue:
    rel = f"issues/{pub}/2026/001.md"
    path = desk / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    head = HEAD.format(pub=pub, number=1, total="总期号: 1\n", level=level, extra=extra)
    path.write_text(head + body, encoding="utf-8")
    return read_issue(path, rel)


def texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


# ---------------------------------------------------------------- read back


def test_page_margins_and_grid(demo: tuple[Config, Issue, Path, Path]) -> None:
    section = docx.Document(str(demo[2])).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # A4
    # GB/T 9704: top 37 mm, inner 28 mm, type area 156 × 225 mm
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(section.page_width.mm - section.left_margin.mm - section.right_margin.mm) == 156
    assert round(section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm) == 225
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch, char_space = int(grid.get(qn("w:linePitch"))), int(grid.get(qn("w:charSpace")))
    assert round(225 / 25.4 * 1440 / line_pitch) == 22  # 22 lines
    pitch = 16 + char_space / 4096  # Word: the body size plus charSpace/4096 pt
    assert int(156 / 25.4 * 72 / pitch) == 28  # 28 characters
    settings = docx.Document(str(demo[2])).settings.element
    assert settings.find(qn("w:mirrorMargins")) is not None and settings.find(qn("w:evenAndOddHeaders")) is not None


def test_fonts_sizes_and_east_asian_names(demo: tuple[Config, Issue, Path, Path]) -> None:
    document = docx.Document(str(demo[2]))
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii")) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)  # 3号
    line = normal.paragraph_format
    assert line.line_spacing.twips == 579 and line.first_line_indent is not None
    title = document.styles["文章标题"]
    assert title.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.font.size == Pt(22)  # 2号
    assert title.paragraph_format.alignment == 1  # centred
    for name, face in (("黑体字", "黑体"), ("楷体字", "楷体_GB2312")):
        assert document.styles[name].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == face
    # the Windows face standing in for each, in the font table
    with zipfile.ZipFile(demo[2]) as z:
        table = etree.fromstring(z.read("word/fontTable.xml"))
    alt = {f.get(W + "name"): f.find(W + "altName").get(W + "val") for f in table if f.find(W + "altName") is not None}
    assert alt["仿宋_GB2312"] == "仿宋" and alt["楷体_GB2312"] == "楷体" and "方正小标宋简体" in alt


def test_masthead_and_rule_are_red(demo: tuple[Config, Issue, Path, Path]) -> None:
    config, issue, path, _ = demo
    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "内部资料　注意保存"
    name = paragraphs[1]
    assert name.text == config.publication(issue.publication).name
    assert str(name.style.font.color.rgb) == RED
    assert name.style.font.size == Pt(60)
    assert paragraphs[2].text == "2026年第1期（总第1期）"
    imprint = paragraphs[3]
    assert imprint.text == f"{config.office}\t2026年11月6日"
    rule = imprint.style.element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == RED and int(rule.get(qn("w:sz"))) >= 16  # 2 pt, red


def test_titles_sources_and_distribution_are_the_issues(demo: tuple[Config, Issue, Path, Path]) -> None:
    config, issue, path, _ = demo
    document = docx.Document(str(path))
    titles = [p.text for p in document.paragraphs if p.style.name == "文章标题"]
    # the lines the PDF prints (issue 13: words whole, the author's space the break)
    from bulletin.core.titlebreak import break_title
    from bulletin.publish.pdf import TITLE_PER_LINE, title_words

    assert titles == ["\n".join(break_title(i.title, TITLE_PER_LINE, title_words(config))) for i in issue.items]
    assert any("\n" in title for title in titles)
    credits = [p.text for p in document.paragraphs if p.style.name == "来源单位"]
    units = {u.id: u.name for u in config.units}
    assert credits == [
        "（" + "、".join(dict.fromkeys(units[s.split("/")[0]] for s in i.sources)) + "）" for i in issue.items
    ]
    (table,) = document.tables
    rows = [row.cells[0].text for row in table.rows]
    pub = config.publication(issue.publication)
    dist = issue.distribution or pub.distribution
    assert rows[:-1] == [f"{k}：{'，'.join(dist[k])}。" for k in ("报", "送", "发") if dist.get(k)]
    assert rows[-1] == f"（共印{issue.copies or pub.copies}份）"
    # at the foot of the last page: a table anchored to the bottom margin, between rules
    tblpr = table._tbl.tblPr
    anchor = tblpr.find(qn("w:tblpPr"))
    assert (anchor.get(qn("w:vertAnchor")), anchor.get(qn("w:tblpYSpec"))) == ("margin", "bottom")
    borders = tblpr.find(qn("w:tblBorders"))
    assert borders.find(qn("w:top")).get(qn("w:val")) == borders.find(qn("w:bottom")).get(qn("w:val")) == "single"


def test_the_text_is_the_text_the_pdf_prints(demo: tuple[Config, Issue, Path, Path]) -> None:
    _, _, path, pdf = demo
    document = docx.Document(str(path))
    words = "".join(texts(document)) + "".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert squeeze(words) == body_text(pymupdf.open(pdf))


def test_classified_issue_has_its_mark_and_copy_number_top_left(desk: Path, tmp_path: Path) -> None:
    issue = write_issue(
        desk,
        item("一条秘密信息", "正文有**重点**，也有*强调*。"),
        level="秘密",
        extra="保密期限: 1年\n紧急程度: 特急\n",
        pub="neican",
    )
    out = tmp_path / "001.docx"
    DocxBuilder(load_config(desk), tmp_path / "cache").build(issue, out, copy_number="000012")
    document = docx.Document(str(out))
    assert texts(document)[:4] == ["000012", "秘密★1年", "特急", "九江信息（内参）"]
    for para in document.paragraphs[:3]:
        assert para.style.name == "密级标志" and para.alignment in (None, 0)
    body = next(p for p in document.paragraphs if "重点" in p.text)
    styles = {r.text: r.style.name for r in body.runs}
    assert styles["重点"] == "黑体字" and styles["强调"] == "楷体字"


def test_unchanged_issue_is_not_made_again_and_a_change_is(desk: Path, tmp_path: Path) -> None:
    issue = write_issue(desk, item("标题", "正文。"))
    builder = DocxBuilder(load_config(desk), tmp_path / "cache")
    out = tmp_path / "001.docx"
    first = builder.build(issue, out)
    again = builder.build(issue, out)
    assert first.built and not again.built and first.digest == again.digest
    changed = write_issue(desk, item("标题", "正文有改动。"))
    assert builder.build(changed, out).built
    out.write_bytes(out.read_bytes() + b"x")  # replaced by someone: made again
    assert builder.build(changed, out).built


# ---------------------------------------------------------------- the package opens without repair


def test_the_package_is_whole(demo: tuple[Config, Issue, Path, Path]) -> None:
    path = demo[2]
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        names = set(z.namelist())
        types = etree.fromstring(z.read("[Content_Types].xml"))
        defaults = {e.get("Extension") for e in types if e.tag.endswith("Default")}
        overrides = {e.get("PartName").lstrip("/") for e in types if e.tag.endswith("Override")}
        for name in names:
            assert name in overrides or name.rsplit(".", 1)[-1] in defaults, name
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))  # well-formed
        for rels in (n for n in names if n.endswith(".rels")):
            base = rels.replace("_rels/", "").removesuffix(".rels")
            folder = base.rsplit("/", 1)[0] if "/" in base else ""
            for rel in etree.fromstring(z.read(rels)):
                if rel.get("TargetMode") != "External":
                    target = rel.get("Target").lstrip("/")
                    full = os.path.normpath(
                        f"{folder}/{target}" if folder and not rel.get("Target").startswith("/") else target
                    )
                    assert full in names, f"{rels} → {full}"
        # paragraph properties in the schema's order (Word refuses them out of order)
        order = [
            "pStyle",
            "keepNext",
            "keepLines",
            "pageBreakBefore",
            "framePr",
            "widowControl",
            "numPr",
            "suppressLineNumbers",
            "pBdr",
            "shd",
            "tabs",
            "suppressAutoHyphens",
            "kinsoku",
            "wordWrap",
            "overflowPunct",
            "topLinePunct",
            "autoSpaceDE",
            "autoSpaceDN",
            "bidi",
            "adjustRightInd",
            "snapToGrid",
            "spacing",
            "ind",
            "contextualSpacing",
            "mirrorIndents",
            "suppressOverlap",
            "jc",
            "textDirection",
            "textAlignment",
            "textboxTightWrap",
            "outlineLvl",
            "divId",
            "cnfStyle",
            "rPr",
            "sectPr",
            "pPrChange",
        ]
        for part in ("word/document.xml", "word/styles.xml"):
            for ppr in etree.fromstring(z.read(part)).iter(W + "pPr"):
                seen = [order.index(etree.QName(c).localname) for c in ppr]
                assert seen == sorted(seen), (part, [etree.QName(c).localname for c in ppr])
    reopened = docx.Document(str(path))  # python-docx reads it back
    assert reopened.paragraphs and reopened.sections


# ---------------------------------------------------------------- LibreOffice: the same pages


def libreoffice_pdf(config: Config, source: Path, work: Path) -> pymupdf.Document:
    """The .docx as LibreOffice prints it, with the PDF's faces standing in for the Word fonts."""
    work.mkdir(parents=True, exist_ok=True)
    conf = work / "fonts.conf"
    conf.write_text(fontconfig_aliases(font_dirs(config)), encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(work)}
    done = subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{work / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    out = work / (source.stem + ".pdf")
    assert done.returncode == 0 and out.is_file(), done.stderr
    return pymupdf.open(out)


needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice（soffice）未安装：make test会安装"
)


def _red_spans(page: pymupdf.Page) -> list[dict]:
    return [s for s in spans(page) if s["text"].strip() and f"{s['color']:06X}" == RED]


@needs_soffice
def test_libreoffice_prints_the_same_pages(demo: tuple[Config, Issue, Path, Path], tmp_path: Path) -> None:
    config, issue, path, pdf = demo
    conf = fontconfig_aliases()
    assert all(f"<family>{face}</family>" in conf for face in pdf_families("body"))  # the PDF's faces stand in
    office = libreoffice_pdf(config, path, tmp_path)
    typst = pymupdf.open(pdf)
    assert abs(len(office) - len(typst)) <= 1
    ours, theirs = office[0], typst[0]
    # the masthead at the top of the first page, red, centred on the type area
    for page in (ours, theirs):
        red = _red_spans(page)
        assert red, "没有红色报头"
        top = min(s["bbox"][1] for s in red)
        assert top + 2 >= 37 * MM and top < 37 * MM + 45 * MM
    name_office = min(_red_spans(ours), key=lambda s: s["bbox"][1])
    name_typst = min(_red_spans(theirs), key=lambda s: s["bbox"][1])
    assert abs(name_office["bbox"][3] - name_typst["bbox"][3]) < 8 * MM
    assert squeeze(ours.get_text()).find(issue.items[0].title) > 0


@needs_soffice
def test_libreoffice_places_the_first_title_where_the_pdf_does(desk: Path, tmp_path: Path) -> None:
    config = load_config(desk)
    issue = write_issue(desk, item("修水县推动重点项目提速增效", "今年以来，修水县推动重点项目提速增效。"))
    DocxBuilder(config, tmp_path / "cache").build(issue, tmp_path / "one.docx")
    PdfBuilder(config, cache_dir=tmp_path / "pdf-cache").build(issue, tmp_path / "typst.pdf")
    office = libreoffice_pdf(config, tmp_path / "one.docx", tmp_path / "lo")
    typst = pymupdf.open(tmp_path / "typst.pdf")
    # the PDF puts its 版记 on an even last page (GB/T 9704 7.4), a page the Word file cannot know it needs
    assert len(office) == 1 and len(typst) == 2

    def title_top(page: pymupdf.Page) -> float:
        return next(s["bbox"][1] for s in spans(page) if "修水县推动" in s["text"])

    assert abs(title_top(office[0]) - title_top(typst[0])) < 6 * MM
    # the 报尾 after the text on the last page (LibreOffice 7.4 lays the table anchored to the foot
    # of the type area in the text's flow; Word and WPS place it at the foot, as read back above)
    credit = next(s for s in spans(office[-1]) if "（修水县）" in s["text"])
    last = next(s for s in spans(office[-1]) if "共印" in s["text"])
    assert last["bbox"][1] > credit["bbox"][3]


# ---------------------------------------------------------------- published beside the PDF


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from desk_helpers import run_cli

    desk = desk_repo(tmp_path_factory.mktemp("docx-site") / "desk", with_site=True)
    done = run_cli("build", "--every-audience", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    return desk


def test_each_audience_gets_the_word_files_it_is_cleared_for(published: Path) -> None:
    site = published / "site"
    for audience in ("leaders", "counties"):
        record = json.loads((site / audience / "pdf/manifest.json").read_text(encoding="utf-8"))
        pdfs = {e["issue"] for e in record["pdfs"]}
        words = {e["issue"] for e in record["docx"]}
        assert words and words <= pdfs
        assert all((site / audience / e["docx"]).is_file() for e in record["docx"])
    assert (site / "leaders/pdf/neican/2026/002.docx").is_file()
    assert not (site / "counties/pdf/neican").exists()  # 内参 is beyond the counties' clearance
    page = (site / "counties/publications/huiyao/2026/001/index.html").read_text(encoding="utf-8")
    assert 'href="../../../../pdf/huiyao/2026/001.docx"' in page and "下载Word文件" in page


def test_a_swapped_word_file_is_found(published: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(published / "site", site)
    with open(site / "counties/pdf/huiyao/2026/003.docx", "ab") as f:
        f.write(b"tampered")
    (site / "office/pdf/stray.docx").write_bytes(b"PK")
    code, findings = verify(published, "--site", str(site))
    assert code == 1
    assert rules(findings) == [
        ("verify-pdf", "counties/pdf/huiyao/2026/003.docx"),
        ("verify-pdf", "office/pdf/stray.docx"),
    ]
    assert "Word文件与发布时记录的不同" in " ".join(str(f["message"]) for f in findings)
