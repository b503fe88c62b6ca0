"""Word file (.docx) of an issue: the text the PDF prints, in the PDF's layout (GB/T 9704-2012).

Offices pass bulletins on as Word files (上报 to the province is usually a .docx), so `bulletin
build` writes one beside each issue's PDF. The route, for a batch of issues:

1. `pdf.issue_layout` gives what the issue puts on paper (masthead facts, marks, titles, 报尾),
   and `pdf.convert_items(…, "docx")` reads the item texts exactly as for the PDF (the same
   Markdown reading and conventions of templates/items.lua), as pandoc JSON with the reference
   document's styles (黑体字, 楷体字, 来源单位) where the PDF's template has #hei, #kai, #credit;
2. one pandoc run (templates/docx.lua) writes every issue with the reference document made here
   by `write_reference` from pandoc's own (styles: 仿宋 16 pt body on the 28 × 22 document grid,
   小标宋 titles; A4 page, margins, footers with page numbers: all in the reference's section);
3. python-docx adds what pandoc cannot place: the red masthead and its red rule, 份号 and marks
   top left of the first page, and the 报尾 (版记) at the foot of the last page.

Fonts: Word and WPS look for the names offices have (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312),
with the Windows face each stands for as its w:altName in the font table (仿宋, 宋体, 黑体, 楷体);
`fontconfig_aliases` maps the same names to the PDF's faces for LibreOffice and WPS on Linux.

    DocxBuilder(config).build_many([(issue, out), ...])   many issues (rebuilt only when changed)
    build_docx(issue, config, out)                        one issue
"""

from __future__ import annotations

import copy
import hashlib
import html
import importlib.metadata
import io
import json
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pypandoc
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips
from lxml import etree

from bulletin.core import titlebreak
from bulletin.core.model import Config, Issue
from bulletin.desk.atomic import write_file
from bulletin.desk.fonts import FontCoverage, desk_coverage, fallback_families
from bulletin.errors import BulletinError
from bulletin.publish import pdf
from bulletin.publish.pdf import convert_items, issue_layout

TEMPLATES = Path(__file__).resolve().parent / "templates"
WRITER = TEMPLATES / "docx.lua"

# ---- layout numbers: those of templates/bulletin.typ (GB/T 9704-2012) ----
PAGE_W, PAGE_H = Mm(210), Mm(297)
TOP, INNER = Mm(37), Mm(28)  # top and inner (binding) margin
AREA_W, AREA_H = Mm(156), Mm(225)  # the type area
CHARS_PER_LINE, LINES_PER_PAGE = 28, 22
BODY_PT, TITLE_PT, SMALL_PT, NAME_PT = 16, 22, 14, 60  # 3号, 2号, 4号; the masthead's name
LINE_PITCH = int(AREA_H.twips / LINES_PER_PAGE)  # 579 twips = 28.95 pt (22 lines in 225 mm)
BODY_LINE = Twips(LINE_PITCH)
# the character grid: pitch = body size + charSpace / 4096 pt, 28 characters in 156 mm (15.79 pt)
CHAR_SPACE = round((AREA_W.pt / CHARS_PER_LINE - BODY_PT) * 4096)
TRACKING = -5  # twips: −0.25 pt a character, 28 characters of 16 pt in 156 mm
FOOTER_DROP = Mm(7)  # page number: 7 mm below the type area
MASTHEAD = Mm(62)  # red rule 62 mm below the top of the type area
NAME_BOTTOM, NUMBER_TOP, OFFICE_TOP = Mm(39), Mm(42), Mm(53)
RULE_PT = 2  # the masthead's red rule
TITLE_GAP = Mm(14)  # red rule to the first title
RULE_OUTER, RULE_INNER = 8, 6  # 报尾 rules in eighths of a point: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.25 mm
ROW_INSET = Mm(5.3)  # 报尾: space above and below each row's text
RED = pdf.RED.lstrip("#")


@dataclass(frozen=True)
class WordFont:
    """A font role in the Word file: the name Word and WPS look for first (the face offices
    install), and the face every Windows has that stands in for it (w:altName)."""

    name: str
    alt: str
    charset: str = "86"  # GB2312
    family: str = "modern"


# the roles of pdf.STACKS, in Word
WORD_FONTS: dict[str, WordFont] = {
    "body": WordFont("仿宋_GB2312", "仿宋"),
    "title": WordFont("方正小标宋简体", "宋体", family="script"),
    "song": WordFont("宋体", "SimSun"),
    "hei": WordFont("黑体", "SimHei"),
    "kai": WordFont("楷体_GB2312", "楷体"),
}

# the rare-character faces the desk ships (desk.fonts.RARE), named on the runs of the characters the
# role's own faces lack; where a reader's machine has neither, Windows' own face for the CJK
# extensions stands in
RARE_FONTS: tuple[WordFont, ...] = tuple(WordFont(family, "SimSun-ExtB") for family in fallback_families())

# the reference document's own styles (custom-style in items.lua and below); name -> role
STYLE_HEI, STYLE_KAI, STYLE_CREDIT = "黑体字", "楷体字", "来源单位"
STYLE_TITLE, STYLE_COLUMN, STYLE_MARK = "文章标题", "栏目", "密级标志"
STYLE_NAME, STYLE_NAME_SUFFIX, STYLE_NUMBER, STYLE_IMPRINT = "刊名", "刊名副名", "期号", "编印单位"
STYLE_DIST, STYLE_COPIES = "版记", "印数"


class DocxError(BulletinError):
    """An issue's Word file could not be made; the message says which and why, in Chinese."""


def _title_lines(item: dict[str, Any]) -> list[str]:
    """The title's lines as the PDF prints them (`build_many` breaks them with core.titlebreak)."""
    return list(item.get("title_lines") or [item["title"]])


# ---------------------------------------------------------------- the reference document


# the order of children in WordprocessingML (ECMA-376 part 1, 17.3-17.7; Word refuses a file
# with elements out of order), as far as they are set here
_ORDER: dict[str, str] = {
    "pPr": (
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
        "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
        "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
        "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ),
    "rPr": (
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
        "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText "
        "vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
    ),
    "tblPr": (
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
        "tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription tblPrChange"
    ),
    "sectPr": (
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
        "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
        "printerSettings"
    ),
    "settings": (
        "writeProtection view zoom removePersonalInformation removeDateAndTime doNotDisplayPageBoundaries "
        "displayBackgroundShape printPostScriptOverText printFractionalCharacterWidth printFormsData "
        "embedTrueTypeFonts embedSystemFonts saveSubsetFonts saveFormsData mirrorMargins"
    ),
}


def _put(parent: Any, child: Any) -> Any:
    """child into parent where the schema puts it, replacing one of the same kind: before the
    first child that the schema does not put before it."""
    for old in parent.findall(child.tag):
        parent.remove(old)
    order = [qn(f"w:{tag}") for tag in _ORDER[etree.QName(parent).localname].split()]
    earlier = set(order[: order.index(child.tag)])
    for existing in parent:
        if existing.tag not in earlier:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def _fonts_xml(role: str) -> Any:
    font = WORD_FONTS[role]
    return parse_xml(
        f'<w:rFonts {nsdecls("w")} w:ascii="{font.name}" w:hAnsi="{font.name}" '
        f'w:eastAsia="{font.name}" w:cs="{font.name}" w:hint="eastAsia"/>'
    )


def _set_fonts(rpr: Any, role: str) -> None:
    """The role's face in every script slot (no theme font: Word would prefer it)."""
    _put(rpr, _fonts_xml(role))


def _style(doc: Any, name: str, kind: WD_STYLE_TYPE, base: str | None = None) -> Any:
    try:
        style = doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
    if base is not None:
        style.base_style = doc.styles[base]
    style.hidden = False
    style.quick_style = True
    return style


def _para_format(
    style: Any,
    role: str,
    size: float,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent_chars: int = 0,
    exact: Twips | None = BODY_LINE,
    before: Any = 0,
    after: Any = 0,
    grid: bool = True,
) -> None:
    _set_fonts(style.element.get_or_add_rPr(), role)
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = before, after
    if exact is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = exact
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.left_indent = fmt.right_indent = 0
    fmt.first_line_indent = Pt(indent_chars * AREA_W.pt / CHARS_PER_LINE) if indent_chars else 0
    ppr = style.element.get_or_add_pPr()
    # in characters too (Word and WPS keep it on the grid); 0 where none, or Normal's would apply
    ppr.get_or_add_ind().set(qn("w:firstLineChars"), str(indent_chars * 100))
    if not grid:
        _put(ppr, parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))
    fmt.widow_control = False


def _red_border(ppr: Any, side: str, eighths: int, color: str, space: int = 0) -> None:
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = _put(ppr, OxmlElement("w:pBdr"))
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(eighths)), ("space", str(space)), ("color", color)):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)


def _page_number(footer: Any, odd: bool) -> None:
    """— n —, 4号宋体, odd pages right and even pages left, one character in (as in the PDF)."""
    para = footer.paragraphs[0]
    para.style = "Footer"
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        para.paragraph_format.right_indent = Pt(SMALL_PT)
    else:
        para.paragraph_format.left_indent = Pt(SMALL_PT)
    para.add_run("— ")
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    para._p.append(simple)
    tail = copy.deepcopy(para.runs[0]._r)
    tail.find(qn("w:t")).text = " —"
    para._p.append(tail)


def write_reference(path: Path) -> Path:
    """The reference document: pandoc's own (it has every style pandoc writes), its styles, page
    and footers set here with python-docx. Made again whenever this module changes."""
    with tempfile.TemporaryDirectory(prefix="bulletin-docx-") as tmp:
        empty = Path(tmp) / "empty.docx"  # pandoc's default reference document, all its styles
        try:
            pypandoc.convert_text("", "docx", format="markdown", outputfile=str(empty))
            raw = empty.read_bytes()
        except (OSError, RuntimeError) as exc:
            raise DocxError(f"pandoc未能生成参考文档：{exc}") from None
    doc = docx.Document(io.BytesIO(raw))
    styles = doc.styles
    # document defaults: 仿宋 3号, Chinese
    rpr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, "body")
    _put(rpr_default, parse_xml(f'<w:sz {nsdecls("w")} w:val="{BODY_PT * 2}"/>'))
    _put(rpr_default, parse_xml(f'<w:szCs {nsdecls("w")} w:val="{BODY_PT * 2}"/>'))
    _put(rpr_default, parse_xml(f'<w:lang {nsdecls("w")} w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'))
    # The body on the section's grid of 22 lines (exact line pitch) and 28 characters: characters
    # condensed by TRACKING (16 pt → 15.75 pt, as the PDF's tracking), not snapped to the grid's
    # character cells: LibreOffice's squared grid gives a 16 pt character two 15.79 pt cells.
    body = dict(role="body", size=BODY_PT, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2, grid=False)
    _para_format(styles["Normal"], **body)  # type: ignore[arg-type]
    _put(styles["Normal"].element.get_or_add_rPr(), parse_xml(f'<w:spacing {nsdecls("w")} w:val="{TRACKING}"/>'))
    for tag in ("autoSpaceDE", "autoSpaceDN"):  # no space between Chinese and Latin letters or digits, as in the PDF
        _put(styles["Normal"].element.get_or_add_pPr(), parse_xml(f'<w:{tag} {nsdecls("w")} w:val="0"/>'))
    for name in ("Body Text", "First Paragraph", "Block Text", "Definition"):
        _para_format(_style(doc, name, WD_STYLE_TYPE.PARAGRAPH, "Normal"), **body)  # type: ignore[arg-type]
    for name in ("Compact", "Definition Term"):  # list items, tight lists
        _para_format(
            _style(doc, name, WD_STYLE_TYPE.PARAGRAPH, "Normal"),
            "body",
            BODY_PT,
            WD_ALIGN_PARAGRAPH.JUSTIFY,
            grid=False,
        )
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        _para_format(_style(doc, name, WD_STYLE_TYPE.PARAGRAPH, "Normal"), "hei", BODY_PT, indent_chars=2)
    for name in ("Heading 4", "Heading 5", "Heading 6"):
        _para_format(_style(doc, name, WD_STYLE_TYPE.PARAGRAPH, "Normal"), "kai", BODY_PT, indent_chars=2)
    # the conventions of items.lua
    for name, role in ((STYLE_HEI, "hei"), (STYLE_KAI, "kai")):
        char = _style(doc, name, WD_STYLE_TYPE.CHARACTER, "Default Paragraph Font")
        _set_fonts(char.element.get_or_add_rPr(), role)
        char.font.bold = char.font.italic = False
    _para_format(
        _style(doc, STYLE_CREDIT, WD_STYLE_TYPE.PARAGRAPH, "Normal"), "body", BODY_PT, WD_ALIGN_PARAGRAPH.RIGHT
    )
    # titles (2号小标宋, centred), columns and marks (3号黑体)
    title = _style(doc, STYLE_TITLE, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    _para_format(title, "title", TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, exact=None, before=BODY_LINE, grid=False)
    title.paragraph_format.space_after = Twips(LINE_PITCH // 2)
    title.paragraph_format.keep_with_next = True
    for name, before in ((STYLE_COLUMN, Twips(LINE_PITCH)), (STYLE_MARK, 0)):
        style = _style(doc, name, WD_STYLE_TYPE.PARAGRAPH, "Normal")
        _para_format(style, "hei", BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, before=before, grid=False)
        style.paragraph_format.keep_with_next = True
    # the masthead: the name red, centred, large; the number line; office and date with the red rule
    name = _style(doc, STYLE_NAME, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    _para_format(name, "title", NAME_PT, WD_ALIGN_PARAGRAPH.CENTER, exact=Twips(NAME_BOTTOM.twips), grid=False)
    name.font.color.rgb = RGBColor.from_string(RED)
    suffix = _style(doc, STYLE_NAME_SUFFIX, WD_STYLE_TYPE.CHARACTER, "Default Paragraph Font")
    suffix.font.size = Pt(round(NAME_PT * 0.45))
    number = _style(doc, STYLE_NUMBER, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    _para_format(
        number,
        "song",
        BODY_PT,
        WD_ALIGN_PARAGRAPH.CENTER,
        exact=Twips(OFFICE_TOP.twips - NAME_BOTTOM.twips),
        grid=False,
    )
    imprint = _style(doc, STYLE_IMPRINT, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    _para_format(
        imprint, "song", BODY_PT, WD_ALIGN_PARAGRAPH.LEFT, exact=Twips(MASTHEAD.twips - OFFICE_TOP.twips), grid=False
    )
    imprint.paragraph_format.tab_stops.add_tab_stop(AREA_W, WD_TAB_ALIGNMENT.RIGHT)
    _red_border(imprint.element.get_or_add_pPr(), "bottom", RULE_PT * 8, RED)
    # 报尾: 4号仿宋, a character in from each side, rows wrapped under the first character after the colon
    dist = _style(doc, STYLE_DIST, WD_STYLE_TYPE.PARAGRAPH, "Normal")
    _para_format(dist, "body", SMALL_PT, WD_ALIGN_PARAGRAPH.JUSTIFY, exact=None, grid=False)
    dist.paragraph_format.left_indent = Pt(SMALL_PT * 3)
    dist.paragraph_format.first_line_indent = Pt(-SMALL_PT * 2)
    dist.paragraph_format.right_indent = Pt(SMALL_PT)
    copies = _style(doc, STYLE_COPIES, WD_STYLE_TYPE.PARAGRAPH, STYLE_DIST)
    copies.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    copies.paragraph_format.first_line_indent = 0
    footer = _style(doc, "Footer", WD_STYLE_TYPE.PARAGRAPH, "Normal")
    _para_format(footer, "song", SMALL_PT, exact=None, grid=False)
    table = _style(doc, "Table", WD_STYLE_TYPE.TABLE)
    _set_fonts(table.element.get_or_add_rPr(), "body")
    table.font.size = Pt(SMALL_PT)
    # the page: A4, GB/T 9704 margins (odd pages bind left), 22 lines of 28 characters
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.left_margin = TOP, INNER
    section.bottom_margin = Twips(PAGE_H.twips - TOP.twips - AREA_H.twips)
    section.right_margin = Twips(PAGE_W.twips - INNER.twips - AREA_W.twips)
    section.header_distance = Mm(15)
    section.footer_distance = Twips(section.bottom_margin.twips - FOOTER_DROP.twips - Pt(SMALL_PT * 1.3).twips)
    grid = f'<w:docGrid {nsdecls("w")} w:type="linesAndChars" w:linePitch="{LINE_PITCH}" w:charSpace="{CHAR_SPACE}"/>'
    _put(section._sectPr, parse_xml(grid))
    doc.settings.odd_and_even_pages_header_footer = True
    _put(doc.settings.element, OxmlElement("w:mirrorMargins"))  # inner margin on the binding side
    section.different_first_page_header_footer = False
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)
    _font_table(doc)
    # pandoc's sample text out: the reference's body is not used, its section is
    body_el = doc.element.body
    for child in list(body_el):
        if child.tag != qn("w:sectPr"):
            body_el.remove(child)
    out = io.BytesIO()
    doc.save(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, out.getvalue())
    return path


def _font_table(doc: Any) -> None:
    """Each role's face in the font table, with the Windows face that stands in for it."""
    part = next(
        (rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable")),
        None,
    )
    if part is None:
        return
    root = parse_xml(part.blob)
    names = {font.get(qn("w:name")) for font in root.findall(qn("w:font"))}
    for role in (*WORD_FONTS.values(), *RARE_FONTS):
        if role.name in names:
            continue
        names.add(role.name)
        root.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{html.escape(role.name)}">'
                f'<w:altName w:val="{html.escape(role.alt)}"/><w:charset w:val="{role.charset}"/>'
                f'<w:family w:val="{role.family}"/><w:pitch w:val="fixed"/></w:font>'
            )
        )
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def fontconfig_aliases(dirs: Sequence[Path] = ()) -> str:
    """A fontconfig file that gives the Word file's fonts the PDF's faces (LibreOffice and WPS on
    Linux, where 仿宋_GB2312 and the others are seldom installed): the system's configuration,
    the font folders `dirs`, and for each name the faces of its PDF font stack, in order."""
    rows = ['  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>']
    rows += [f"  <dir>{html.escape(str(d))}</dir>" for d in dirs]
    done: set[str] = set()
    for role, font in WORD_FONTS.items():
        prefer = "".join(f"<family>{html.escape(f)}</family>" for f in pdf_families(role))
        for name in (font.name, font.alt):
            if name not in done:
                done.add(name)
                rows.append(
                    f'  <alias binding="strong"><family>{html.escape(name)}</family><prefer>{prefer}</prefer></alias>'
                )
    head = '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
    return head + "\n".join(rows) + "\n</fontconfig>\n"


def pdf_families(role: str) -> list[str]:
    """The families of the PDF's font stack for a role, in order."""
    return list(dict.fromkeys(face.family for key in pdf.STACKS[role] for face in pdf.FACES if face.key == key))


# ---------------------------------------------------------------- an issue in pandoc's terms


def _str(text: str) -> dict[str, Any]:
    return {"t": "Str", "c": text}


def _para(inlines: list[dict[str, Any]]) -> dict[str, Any]:
    return {"t": "Para", "c": inlines}


def _styled(style: str, blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}


def _span(style: str, text: str) -> dict[str, Any]:
    return {"t": "Span", "c": [["", [], [["custom-style", style]]], [_str(text)]]}


def _note(note: str) -> dict[str, Any]:
    """编者按 in 黑体, its text in 楷体 (the PDF's note-block)."""
    return _para([_span(STYLE_HEI, "编者按："), _span(STYLE_KAI, note)])


def _title(lines: Sequence[str]) -> dict[str, Any]:
    inlines: list[dict[str, Any]] = []
    for n, line in enumerate(lines):
        if n:
            inlines.append({"t": "LineBreak"})
        inlines.append(_str(line))
    return _styled(STYLE_TITLE, [_para(inlines)])


def issue_document(data: dict[str, Any], bodies: Sequence[str]) -> dict[str, Any]:
    """The issue's body as a pandoc document (JSON), in the order of the PDF's template; the
    masthead and the 报尾 are added after pandoc (`_finish`)."""
    parsed = [json.loads(body) for body in bodies]
    blocks: list[dict[str, Any]] = []
    if data["note"]:
        blocks.append(_note(data["note"]))
    previous = None
    for item, body in zip(data["items"], parsed, strict=True):
        if item["column"] and item["column"] != previous:
            blocks.append(_styled(STYLE_COLUMN, [_para([_str(f"【{item['column']}】")])]))
        previous = item["column"]
        if item["marks"]:
            blocks.append(_styled(STYLE_MARK, [_para([_str(mark)]) for mark in item["marks"]]))
        blocks.append(_title(_title_lines(item)))
        if item["note"]:
            blocks.append(_note(item["note"]))
        blocks.extend(body["blocks"])
    version = parsed[0]["pandoc-api-version"] if parsed else None
    doc: dict[str, Any] = {"meta": {}, "blocks": blocks}
    if version is not None:
        doc["pandoc-api-version"] = version
    return doc


def _write_all(docs: Sequence[tuple[dict[str, Any], Path]], reference: Path) -> None:
    """Every document to .docx in one pandoc run (templates/docx.lua writes them)."""
    if not docs:
        return
    if any("pandoc-api-version" not in d for d, _ in docs):
        empty = json.loads(pypandoc.convert_text("", "json", format="markdown"))
        for d, _ in docs:
            d.setdefault("pandoc-api-version", empty["pandoc-api-version"])
    with tempfile.TemporaryDirectory(prefix="bulletin-docx-") as tmp:
        request = Path(tmp) / "docs.json"
        listing = [{"doc": json.dumps(d, ensure_ascii=False), "out": str(out)} for d, out in docs]
        request.write_text(json.dumps({"reference": str(reference), "docs": listing}, ensure_ascii=False), "utf-8")
        try:
            pypandoc.convert_text(
                "",
                "plain",
                format="markdown",
                extra_args=["--metadata", f"bulletin-input={request}"],
                filters=[str(WRITER)],
                verify_format=False,
            )
        except (RuntimeError, OSError) as exc:
            raise DocxError(f"pandoc生成Word文件失败：{exc}") from None


# ---------------------------------------------------------------- what pandoc cannot place


def _paragraph(doc: Any, style: str) -> Any:
    """A new paragraph of a style, not yet placed (python-docx's Paragraph around it)."""
    from docx.text.paragraph import Paragraph

    para = Paragraph(OxmlElement("w:p"), doc._body)
    para.style = doc.styles[style]
    return para


def _masthead(doc: Any, data: dict[str, Any], copy_number: str | None) -> None:
    styles = doc.styles
    body = doc.element.body
    first = body[0]
    made = []
    # 份号 (GB/T 9704 7.2.1: six digits, first), 密级★期限, 紧急程度: top left, one a line
    for mark in ([copy_number] if copy_number else []) + list(data["marks"]):
        para = _paragraph(doc, STYLE_MARK)
        para.add_run(mark)
        made.append(para)
    name = _paragraph(doc, STYLE_NAME)
    if made:  # the name's bottom stays 39 mm below the top of the type area where the marks leave room
        below = max(NAME_BOTTOM.twips - len(made) * LINE_PITCH, Pt(NAME_PT * 1.2).twips)
        name.paragraph_format.line_spacing = Twips(below)
    main, suffix = data["name"], data["name_suffix"] or ""
    width = len(main) * NAME_PT + len(suffix) * NAME_PT * 0.45
    scale = min(1.0, AREA_W.pt / width) if width else 1.0
    name.add_run(main).font.size = Pt(int(NAME_PT * scale))
    if suffix:
        name.add_run(suffix, style=styles[STYLE_NAME_SUFFIX]).font.size = Pt(int(NAME_PT * scale * 0.45))
    number = _paragraph(doc, STYLE_NUMBER)
    number.add_run(data["number_line"])
    imprint = _paragraph(doc, STYLE_IMPRINT)
    imprint.add_run(data["office"])
    imprint.add_run().add_tab()
    imprint.add_run(data["date"])
    # the red rule to the text: an empty line as high as the gap (Word adds a paragraph's space
    # after to the next one's space before, LibreOffice takes the larger)
    gap = _paragraph(doc, STYLE_NUMBER)
    gap.paragraph_format.line_spacing = TITLE_GAP
    for para in [*made, name, number, imprint, gap]:
        first.addprevious(para._p)


def _distribution(doc: Any, data: dict[str, Any]) -> None:
    """报尾 (版记): a table between rules at the foot of the last page's type area (a floating
    table anchored to the bottom margin), 报/送/发 rows and 共印N份."""
    rows: list[tuple[str, str]] = [(STYLE_DIST, f"{key}：{names}") for key, names in data["distribution"]]
    if data["copies"]:
        rows.append((STYLE_COPIES, data["copies"]))
    if not rows:
        return
    styles = doc.styles
    table = doc.add_table(rows=len(rows), cols=1)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl = table._tbl
    tblpr = tbl.tblPr
    _put(
        tblpr,
        parse_xml(
            f'<w:tblpPr {nsdecls("w")} w:leftFromText="0" w:rightFromText="0" w:topFromText="{LINE_PITCH // 2}"'
            ' w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="margin" w:tblpXSpec="center" w:tblpYSpec="bottom"/>'
        ),
    )
    _put(tblpr, parse_xml(f'<w:tblW {nsdecls("w")} w:w="{AREA_W.twips}" w:type="dxa"/>'))
    _put(
        tblpr,
        parse_xml(
            f"<w:tblBorders {nsdecls('w')}>"
            f'<w:top w:val="single" w:sz="{RULE_OUTER}" w:space="0" w:color="000000"/>'
            '<w:left w:val="nil"/>'
            f'<w:bottom w:val="single" w:sz="{RULE_OUTER}" w:space="0" w:color="000000"/>'
            '<w:right w:val="nil"/>'
            f'<w:insideH w:val="single" w:sz="{RULE_INNER}" w:space="0" w:color="000000"/>'
            '<w:insideV w:val="nil"/></w:tblBorders>'
        ),
    )
    _put(
        tblpr,
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:top w:w="{ROW_INSET.twips}" w:type="dxa"/>'
            f'<w:left w:w="0" w:type="dxa"/><w:bottom w:w="{ROW_INSET.twips}" w:type="dxa"/>'
            '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        ),
    )
    table.columns[0].width = AREA_W
    for row, (style, text) in zip(table.rows, rows, strict=True):
        cell = row.cells[0]
        cell.width = AREA_W
        para = cell.paragraphs[0]
        para.style = styles[style]
        para.add_run(text)
    # a floating table needs a paragraph after it to hang on: an empty, tiny one
    anchor = doc.add_paragraph()
    anchor.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    anchor.paragraph_format.line_spacing = Pt(1)
    anchor.paragraph_format.first_line_indent = 0
    anchor.add_run().font.size = Pt(1)


def _rare_runs(doc: Any, coverage: FontCoverage) -> None:
    """Characters the body's faces lack (a name with 𠀀 or 𪚥) on runs of their own in the
    rare-character face that draws them, as the PDF falls back glyph by glyph."""
    for run in list(doc.element.body.iter(qn("w:r"))):
        texts = [child for child in run if child.tag == qn("w:t")]
        if len(texts) != 1 or len(run) - (run.find(qn("w:rPr")) is not None) != 1:
            continue  # runs with breaks or tabs are left as they are
        text = texts[0].text or ""
        if all(ord(ch) < 0x3400 for ch in text):
            continue
        pieces: list[tuple[str, str | None]] = []
        for ch in text:
            family = coverage.fallback(ch, "body")
            if pieces and pieces[-1][1] == family:
                pieces[-1] = (pieces[-1][0] + ch, family)
            else:
                pieces.append((ch, family))
        if all(family is None for _, family in pieces):
            continue
        for piece, family in pieces:
            new = copy.deepcopy(run)
            new.find(qn("w:t")).text = piece
            if family is not None:
                rpr = new.find(qn("w:rPr"))
                if rpr is None:
                    rpr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
                    new.insert(0, rpr)
                _put(
                    rpr,
                    parse_xml(
                        f'<w:rFonts {nsdecls("w")} w:ascii="{family}" w:hAnsi="{family}" '
                        f'w:eastAsia="{family}" w:cs="{family}" w:hint="eastAsia"/>'
                    ),
                )
            run.addprevious(new)
        run.getparent().remove(run)


def _finish(path: Path, data: dict[str, Any], copy_number: str | None, coverage: FontCoverage) -> bytes:
    doc = docx.Document(str(path))
    _rare_runs(doc, coverage)
    _masthead(doc, data, copy_number)
    _distribution(doc, data)
    props = doc.core_properties
    props.title = data["title"]
    props.author = data["office"]
    props.language = "zh-CN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- the builder


@dataclass(frozen=True)
class DocxResult:
    issue: str
    path: Path
    built: bool  # False: up to date, left alone
    digest: str = ""  # the hash of every input it was made from (the publication record keeps it)


@dataclass
class DocxBuilder:
    """Builds issues' Word files, each only when what goes into it changed (the issue, the units
    it credits, the filters, this module, pandoc and python-docx): the hash is kept beside the
    file (`<name>.docx.inputs`, with the file's size)."""

    config: Config
    cache_dir: Path | None = None
    _static: str = field(default="", init=False, repr=False)

    def __post_init__(self) -> None:
        if self.cache_dir is None:
            self.cache_dir = self.config.root / "build" / "docx-cache"
        self.cache_dir = Path(self.cache_dir)

    def _static_hash(self) -> str:
        if not self._static:
            h = hashlib.sha256(b"bulletin-docx-1")
            for path in (WRITER, pdf.ITEMS_FILTER, Path(__file__), Path(pdf.__file__), Path(titlebreak.__file__)):
                h.update(path.read_bytes())
            versions = f"pandoc {pypandoc.get_pandoc_version()} python-docx {importlib.metadata.version('python-docx')}"
            h.update(versions.encode())
            h.update("\0".join(pdf.title_words(self.config)).encode())  # words a title break keeps whole
            self._static = h.hexdigest()
        return self._static

    def reference(self) -> Path:
        """The reference document for this module's styles (made once per change of the module)."""
        assert self.cache_dir is not None
        path = self.cache_dir / f"reference-{self._static_hash()[:16]}.docx"
        if not path.is_file():
            for old in self.cache_dir.glob("reference-*.docx"):
                old.unlink(missing_ok=True)
            write_reference(path)
        return path

    def _digest(self, data: dict[str, Any], texts: Any, timestamp: int, copy_number: str | None) -> str:
        h = hashlib.sha256(self._static_hash().encode())
        h.update(json.dumps([data, texts, timestamp, copy_number], ensure_ascii=False, sort_keys=True).encode())
        return h.hexdigest()

    def input_digest(self, issue: Issue, copy_number: str | None = None) -> str:
        """The hash of every input the issue's Word file is made from, without making it
        (what `bulletin verify` compares with the publication record)."""
        data, texts, timestamp = self._layout(issue)
        return self._digest(data, texts, timestamp, copy_number)

    def _layout(self, issue: Issue) -> tuple[dict[str, Any], list[tuple[str, str]], int]:
        try:
            return issue_layout(self.config, issue)
        except pdf.PdfError as exc:
            raise DocxError(str(exc)) from None

    @staticmethod
    def recorded_hash(out: Path) -> str | None:
        try:
            digest, size = (out.parent / (out.name + ".inputs")).read_text(encoding="utf-8").split()
            if out.stat().st_size != int(size):
                return None
        except (OSError, ValueError):
            return None
        return digest

    def build(self, issue: Issue, out: Path, copy_number: str | None = None, force: bool = False) -> DocxResult:
        return self.build_many([(issue, Path(out))], force=force, copy_numbers={issue.id: copy_number})[0]

    def build_many(
        self,
        jobs: Iterable[tuple[Issue, Path]],
        force: bool = False,
        copy_numbers: Mapping[str, str | None] | None = None,
    ) -> list[DocxResult]:
        """Make every (issue, .docx path) whose inputs changed: one pandoc run for the item texts,
        one for the documents, then python-docx for each. Issues that cannot be made do not stop
        the others; their messages come together in one DocxError at the end."""
        copy_numbers = copy_numbers or {}
        results: dict[int, DocxResult] = {}
        errors: list[str] = []
        pending: list[tuple[int, Issue, Path, dict[str, Any], list[tuple[str, str]], str]] = []
        for n, (issue, out) in enumerate(jobs):
            out = Path(out)
            try:
                data, texts, timestamp = self._layout(issue)
            except DocxError as exc:
                errors.append(str(exc))
                continue
            digest = self._digest(data, texts, timestamp, copy_numbers.get(issue.id))
            if not force and self.recorded_hash(out) == digest:
                results[n] = DocxResult(issue.id, out, False, digest)
            else:
                pending.append((n, issue, out, data, texts, digest))
        if pending:
            try:
                bodies = convert_items([t for *_, texts, _ in pending for t in texts], "docx")
            except pdf.PdfError as exc:
                raise DocxError(str(exc)) from None
            reference = self.reference()
            with tempfile.TemporaryDirectory(prefix="bulletin-docx-") as tmp:
                docs = []
                at = 0
                pdf.TitleLines(pdf.title_words(self.config), Path(str(self.cache_dir))).fill(
                    [data for *_, data, _, _ in pending]  # broken as the PDF breaks them: words whole, lines balanced
                )
                for n, _issue, _out, data, texts, _ in pending:
                    docs.append((issue_document(data, bodies[at : at + len(texts)]), Path(tmp) / f"{n}.docx"))
                    at += len(texts)
                _write_all(docs, reference)
                for (n, issue, out, data, _texts, digest), (_, made) in zip(pending, docs, strict=True):
                    if not made.is_file():
                        errors.append(f"{issue.path}：pandoc没有写出Word文件")
                        continue
                    content = _finish(made, data, copy_numbers.get(issue.id), desk_coverage(self.config))
                    out.parent.mkdir(parents=True, exist_ok=True)
                    write_file(out, content)
                    write_file(out.parent / (out.name + ".inputs"), f"{digest} {len(content)}\n".encode())
                    results[n] = DocxResult(issue.id, out, True, digest)
        if errors:
            raise DocxError("\n".join(errors))
        return [results[n] for n in sorted(results)]


def docx_path(out_dir: Path, issue: Issue) -> Path:
    """Where an issue's Word file goes: <out_dir>/huiyao/2026/001.docx."""
    return Path(out_dir) / f"{issue.id}.docx"


def build_docx(issue: Issue, config: Config, out_path: Path, copy_number: str | None = None) -> Path:
    """One issue's Word file at out_path, made again only when something that goes into it changed."""
    return DocxBuilder(config).build(issue, Path(out_path), copy_number).path
