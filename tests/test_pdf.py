"""Issue PDFs: real PDFs built with pandoc + typst, opened and measured with PyMuPDF."""

from __future__ import annotations

import itertools
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

from bulletin.core.model import Config, Issue
from bulletin.desk.config import load_config
from bulletin.desk.issues import read_issue
from bulletin.publish import pdf
from bulletin.publish.pdf import FontMissing, GlyphMissing, PdfBuilder, PdfError, build_pdf

REPO = Path(__file__).resolve().parents[1]
DEMO = "issues/huiyao/2026/001.md"
MM = 72 / 25.4
# the type area (GB/T 9704): top 37 mm, 156 × 225 mm, inner margin 28 mm (odd pages: left)
TOP, WIDTH, HEIGHT, INNER = 37 * MM, 156 * MM, 225 * MM, 28 * MM
BOTTOM = TOP + HEIGHT
_PAGE_NUMBER = re.compile(r"^— (\d+) —$")


def squeeze(text: str) -> str:
    return "".join(text.split())


def area_x(page: pymupdf.Page) -> tuple[float, float]:
    """Left and right edge of the type area on this page (odd pages bind on the left)."""
    left = INNER if page.number % 2 == 0 else page.rect.width - INNER - WIDTH
    return left, left + WIDTH


def spans(page: pymupdf.Page) -> list[dict]:
    return [s for b in page.get_text("dict")["blocks"] for line in b.get("lines", []) for s in line["spans"]]


def body_text(doc: pymupdf.Document) -> str:
    """The document's text without page numbers, whitespace removed."""
    lines = [line for page in doc for line in page.get_text().splitlines() if not _PAGE_NUMBER.match(line.strip())]
    return squeeze("".join(lines))


@pytest.fixture(scope="session")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf-cache")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, Issue, pymupdf.Document]:
    """The repository's demo issue, built once."""
    config = load_config(REPO)
    issue = read_issue(REPO / DEMO, DEMO)
    out = tmp_path_factory.mktemp("demo") / "001.pdf"
    builder = PdfBuilder(config, cache_dir=tmp_path_factory.mktemp("demo-cache"))
    result = builder.build(issue, out)
    assert result.built and result.path == out
    return config, issue, pymupdf.open(out)


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    for name in ("bulletin.yml", "network.yml"):
        shutil.copyfile(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "submissions", tmp_path / "submissions")
    return tmp_path


WriteIssue = Callable[..., Issue]

HEAD = """---
刊物: {pub}
期号: {number}
{total}日期: 2026-11-06
责任编辑: 李静
签发: 周建国
密级: {level}
{extra}印数: 120
---

"""


@pytest.fixture
def write_issue(desk: Path) -> WriteIssue:
    """write_issue(body, number=1, level="内部", extra="", pub="huiyao") -> the Issue as read back."""

    def write(
        body: str, number: int = 1, level: str = "内部", extra: str = "", pub: str = "huiyao", supplement: bool = False
    ) -> Issue:
        name = f"{'zk' if supplement else ''}{number:03d}.md"
        rel = f"issues/{pub}/2026/{name}"
        total = "" if supplement else f"总期号: {number}\n"
        if supplement:
            extra += "增刊: true\n"
        path = desk / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            HEAD.format(pub=pub, number=number, total=total, level=level, extra=extra) + body, encoding="utf-8"
        )
        return read_issue(path, rel)

    return write


def item(title: str, text: str, sources: str = "xiushui/2026/1103-01") -> str:
    return f"## {title}\n\n来源：{sources}\n\n{text}\n\n"


# ---------------------------------------------------------------- the demo issue, measured


def test_page_is_a4(demo: tuple[Config, Issue, pymupdf.Document]) -> None:
    _, _, doc = demo
    for page in doc:
        assert abs(page.rect.width - 595.3) <= 1 and abs(page.rect.height - 841.9) <= 1


def test_body_is_16pt_and_titles_22pt(demo: tuple[Config, Issue, pymupdf.Document]) -> None:
    _, issue, doc = demo
    all_spans = [s for page in doc for s in spans(page)]
    footer = re.compile(r"^(报|送|发)：|^（共印")  # the 报尾 is 4号
    body = [s for s in all_spans if s["font"].startswith("FandolFang") and not footer.match(s["text"])]
    assert body and {round(s["size"], 1) for s in body} == {16.0}
    titles = [s for s in all_spans if round(s["size"], 1) == 22.0]
    assert squeeze("".join(s["text"] for s in titles)) == squeeze("".join(it.title for it in issue.items))
    assert all(s["font"].startswith("NotoSerifCJKsc-Bold") for s in titles)


def test_body_lines_follow_the_grid(demo: tuple[Config, Issue, pymupdf.Document]) -> None:
    """Line pitch 225 mm / 22 = 28.99 pt; a full line of Chinese is 28 characters in 156 mm."""
    _, _, doc = demo
    pitches, full = [], []
    for page in doc:
        lines = [
            line
            for b in page.get_text("dict")["blocks"]
            for line in b.get("lines", [])
            if line["spans"][0]["font"].startswith("FandolFang") and round(line["spans"][0]["size"]) == 16
        ]
        ys = sorted({round(line["spans"][0]["origin"][1], 2) for line in lines})
        pitches += [b - a for a, b in itertools.pairwise(ys)]
        for line in lines:
            text = "".join(s["text"] for s in line["spans"])
            if re.fullmatch(r"[\u4e00-\u9fff，。、；：“”]{28}", text):
                full.append(line)
    assert pitches and min(abs(p - 225 * MM / 22) for p in pitches) < 0.05
    assert sum(abs(p - 225 * MM / 22) < 0.05 for p in pitches) >= len(pitches) // 2
    assert full, "no full line of 28 Chinese characters"
    for line in full:
        x0, x1 = line["bbox"][0], line["bbox"][2]
        assert x1 - x0 == pytest.approx(WIDTH, abs=9)  # the last comma may be trimmed to half width


def test_masthead_is_red_with_a_red_rule(demo: tuple[Config, Issue, pymupdf.Document]) -> None:
    config, issue, doc = demo
    page = doc[0]
    name = config.publication(issue.publication).name  # type: ignore[union-attr]
    red = [s for s in spans(page) if s["text"].strip() and s["text"].strip() in name]
    assert red
    for s in red:
        r, g, b = (s["color"] >> 16) & 255, (s["color"] >> 8) & 255, s["color"] & 255
        assert r >= 0xC0 and g <= 0x40 and b <= 0x40, f"{s['text']} #{s['color']:06x}"
        assert s["bbox"][3] < page.rect.height / 3  # in the top third
    assert max(s["size"] for s in red) >= 40  # large
    rules = [
        d
        for d in page.get_drawings()
        if d.get("color") and d["color"][0] > 0.75 and d["color"][1] < 0.25 and (d.get("width") or 0) >= 1.5
    ]
    assert rules, "no thick red rule"
    rule = rules[0]["rect"]
    left, right = area_x(page)
    assert rule.x0 == pytest.approx(left, abs=1) and rule.x1 == pytest.approx(right, abs=1)
    assert page.rect.height * 0.28 < rule.y0 < page.rect.height * 0.36  # about a third down
    text = squeeze(page.get_text())
    assert "2026年第1期（总第1期）" in text
    assert f"{config.office}2026年11月6日" in text or (config.office in text and "2026年11月6日" in text)
    assert text.startswith("内部资料注意保存")


def test_fonts_are_embedded(demo: tuple[Config, Issue, pymupdf.Document]) -> None:
    _, _, doc = demo
    seen = set()
    for page in doc:
        for xref, ext, _type, basefont, *_ in page.get_fonts(full=True):
            seen.add(basefont)
            assert ext != "n/a", basefont
            assert len(doc.extract_font(xref)[3]) > 1000, basefont
    assert any("FandolFang" in f for f in seen) and any("NotoSerifCJK" in f for f in seen)


def test_text_is_extractable_and_equals_the_items(demo: tuple[Config, Issue, pymupdf.Document]) -> None:
    config, issue, doc = demo
    pub = config.publication(issue.publication)
    assert pub is not None
    expected = "内部资料注意保存" + pub.name + "2026年第1期（总第1期）" + config.office + "2026年11月6日"
    if issue.note:
        expected += "编者按：" + issue.note
    for it in issue.items:
        units = "、".join(dict.fromkeys(config.unit(s.split("/")[0]).name for s in it.sources))  # type: ignore[union-attr]
        expected += it.title + it.text + f"（{units}）"
    dist = issue.distribution or pub.distribution
    for key in ("报", "送", "发"):
        if key in dist:
            expected += f"{key}：" + "，".join(dist[key]) + "。"
    expected += f"（共印{issue.copies or pub.copies}份）"
    assert body_text(doc) == squeeze(expected)


def test_distribution_block_on_the_last_page(demo: tuple[Config, Issue, pymupdf.Document]) -> None:
    _, issue, doc = demo
    last = doc[-1]
    text = squeeze(last.get_text())
    assert "报：省委办公厅。" in text and "送：" in text and "发：" in text
    assert f"共印{issue.copies}份" in text
    for page in doc[:-1]:
        assert "共印" not in page.get_text()
    rules = sorted((d for d in last.get_drawings() if d.get("color") == (0.0, 0.0, 0.0)), key=lambda d: d["rect"].y0)
    assert len(rules) == 5  # outer, 报, 送, 发, 共印, outer
    left, right = area_x(last)
    for d in rules:
        assert d["rect"].x0 == pytest.approx(left, abs=0.5) and d["rect"].x1 == pytest.approx(right, abs=0.5)
    widths = [round(d["width"] / MM, 2) for d in rules]
    assert widths[0] == widths[-1] == 0.35 and set(widths[1:-1]) == {0.25}
    assert rules[-1]["rect"].y0 == pytest.approx(BOTTOM, abs=0.5)  # on the bottom of the type area
    # the lines are 4号 (14 pt) 仿宋, indented one character
    rows = [s for s in spans(last) if s["text"].startswith(("报：", "送：", "发："))]
    assert len(rows) == 3
    for s in rows:
        assert round(s["size"]) == 14 and s["font"].startswith("FandolFang")
        assert s["bbox"][0] == pytest.approx(left + 14, abs=1.5)


def test_page_numbers(demo: tuple[Config, Issue, pymupdf.Document]) -> None:
    _, _, doc = demo
    assert len(doc) >= 2
    for page in doc:
        found = [s for s in spans(page) if _PAGE_NUMBER.match(s["text"].strip())]
        assert len(found) == 1, page.number
        s = found[0]
        assert int(_PAGE_NUMBER.match(s["text"].strip())[1]) == page.number + 1  # type: ignore[index]
        assert round(s["size"]) == 14
        x0, y0, x1, y1 = s["bbox"]
        assert (y0 + y1) / 2 == pytest.approx(BOTTOM + 7 * MM, abs=1.5 * MM)  # 7 mm below the type area
        left, right = area_x(page)
        if (page.number + 1) % 2:  # odd: right, one character in
            assert x1 == pytest.approx(right - 14, abs=3)
        else:  # even: left, one character in
            assert x0 == pytest.approx(left + 14, abs=3)


def test_no_empty_boxes_anywhere(demo: tuple[Config, Issue, pymupdf.Document]) -> None:
    """Every character is drawn with a real glyph (glyph 0 is the empty box)."""
    _, _, doc = demo
    for page in doc:
        for span in page.get_texttrace():
            for ch in span["chars"]:
                assert ch[1] != 0, f"U+{ch[0]:04X}"


# ---------------------------------------------------------------- issues written here


def test_rare_characters_render(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    issue = write_issue(item("南汉刘䶮与𠮷野家的考证", "南汉高祖刘䶮，𠮷字写法。"))
    out = desk / "out.pdf"
    PdfBuilder(load_config(desk), cache).build(issue, out)
    doc = pymupdf.open(out)
    text = body_text(doc)
    assert "刘䶮" in text and "𠮷野家" in text and "𠮷字写法" in text
    for page in doc:
        for span in page.get_texttrace():
            for ch in span["chars"]:
                assert ch[1] != 0, f"U+{ch[0]:04X} drawn as an empty box"


@pytest.mark.parametrize("char", ["\U0010fffd", "\u0378"])  # private use; unassigned
def test_a_character_no_font_has_is_an_error(desk: Path, write_issue: WriteIssue, cache: Path, char: str) -> None:
    issue = write_issue(item("含有怪字的标题", f"正文里有一个{char}字。"))
    out = desk / "out.pdf"
    with pytest.raises(GlyphMissing) as caught:
        PdfBuilder(load_config(desk), cache).build(issue, out)
    message = str(caught.value)
    assert "issues/huiyao/2026/001.md" in message
    assert "条目“含有怪字的标题”" in message
    assert f"U+{ord(char):04X}" in message and "空白方框" in message
    assert not out.exists()


def test_a_rare_character_in_a_title_is_checked_too(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    issue = write_issue(item("标题\U000f0001", "正文。"))
    with pytest.raises(GlyphMissing, match="U\\+F0001"):
        PdfBuilder(load_config(desk), cache).build(issue, desk / "out.pdf")


def test_markdown_specials_stay_text(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    text = "请联系 @someone 核实，门票 $100 起，另有 $x$ 与 <b>标签</b> 和 \\(a\\)、`代码` 与 #号、*强调*。"
    issue = write_issue(item("特殊字符不出错", text))
    out = desk / "out.pdf"
    PdfBuilder(load_config(desk), cache).build(issue, out)
    got = body_text(pymupdf.open(out))
    for piece in ("@someone", "$100", "$x$", "<b>标签</b>", "#号", "代码", "强调"):
        assert piece in got


def test_items_converted_together_equal_items_converted_alone() -> None:
    """One pandoc run for many items must not let one item's Markdown reach into the next."""
    texts = [
        ("正文一。", "甲"),
        ("```\n未闭合的代码块\n", "乙"),
        ("正文三[^1]。\n\n[^1]: 注三", "丙"),
        ("正文四[^1]。\n\n[^1]: 注四", "丁"),
        ("---\na: b\n---\n\n正文五。", "戊"),
        ("- 列表\n- 一项", "己"),
        ("% 百分号开头\n\n正文七。", "庚"),
        (": 冒号开头\n\n正文八。", "辛"),
    ]
    together = pdf._to_typst(texts)
    assert together == [pdf._to_typst([t])[0] for t in texts]
    assert "正文一。" in together[0] and "未闭合的代码块" in together[1] and "正文八。" in together[7]
    assert "注三" in together[2] and "注四" in together[3] and "注三" not in together[3]
    assert "a: b" in together[4] and "百分号开头" in together[6]  # no metadata block swallows text
    assert all("#credit" in b for b in together)


def test_headings_and_emphasis_faces(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    text = "一、总体要求\n\n（一）强化调度。县领导挂点联系重点项目。\n\n正文有**重点**。"
    issue = write_issue(item("层次标题的字体", text))
    out = desk / "out.pdf"
    PdfBuilder(load_config(desk), cache).build(issue, out)
    by_text = {s["text"].strip(): s["font"] for s in spans(pymupdf.open(out)[0]) if s["text"].strip()}
    assert by_text["一、总体要求"].startswith("NotoSansCJKsc")  # 黑体
    assert by_text["（一）强化调度。"].startswith("LXGWWenKai")  # 楷体
    assert by_text["县领导挂点联系重点项目。"].startswith("FandolFang")  # 仿宋
    assert by_text["重点"].startswith("NotoSansCJKsc")


def test_classified_issue_and_items_show_their_marks(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    issue = write_issue(
        item("一条加急的秘密信息", "正文。") + item("一条普通信息", "正文。", "wuning/2026/1106-01"),
        level="秘密",
        extra="保密期限: 1年\n紧急程度: 特急\n",
        pub="neican",
    )
    issue.items[0].classification = "秘密"
    issue.items[0].urgency = "加急"
    out = desk / "out.pdf"
    PdfBuilder(load_config(desk), cache).build(issue, out)
    page = pymupdf.open(out)[0]
    lines = [(s["text"].strip(), s) for s in spans(page) if s["text"].strip()]
    assert [t for t, _ in lines[:2]] == ["秘密★1年", "特急"]
    for _, s in lines[:2]:
        assert s["font"].startswith("NotoSansCJKsc") and round(s["size"]) == 16  # 3号黑体
        assert s["bbox"][0] == pytest.approx(INNER, abs=1) and s["bbox"][1] < TOP + 2 * HEIGHT / 22  # top left
    texts = [t for t, _ in lines]
    first = texts.index("一条加急的秘密信息")
    assert texts[first - 2 : first] == ["秘密", "加急"]
    second = texts.index("一条普通信息")
    assert texts[second - 1] != "平件" and "内部" not in texts[second - 1]
    assert "九江信息（内参）" in squeeze(page.get_text())


def test_supplement_and_composite_item(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    issue = write_issue(
        item("各地抓项目综述", "修水、武宁两县加快推进项目建设。", "xiushui/2026/1103-01、wuning/2026/1106-01"),
        supplement=True,
    )
    out = desk / "out.pdf"
    PdfBuilder(load_config(desk), cache).build(issue, out)
    text = body_text(pymupdf.open(out))
    assert "增刊第1期" in text and "总第" not in text
    assert "修水、武宁两县加快推进项目建设。（修水县、武宁县）" in text


def test_any_markdown_an_editor_may_write_builds(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    text = (
        "第一段有[链接](https://example.org)、~~删除线~~、H~2~O、脚注[^1]和`代码`。\n\n"
        "> 引用的一段话。\n\n"
        "1. 第一项\n2. 第二项\n\n"
        "| 指标 | 数值 |\n|---|---|\n| 投资 | 112.6亿元 |\n\n"
        "```\n代码块 #不是命令 $x$\n```\n\n"
        "---\n\n"
        "![现场照片](photo.jpg)\n\n"
        "### 小标题\n\n"
        "最后一段。\n\n"
        "[^1]: 脚注的内容。"
    )
    issue = write_issue(
        "> 编者按：本期编者按。\n\n# 简讯\n\n"
        + item("什么都有的一条", text).replace(
            "来源：xiushui/2026/1103-01\n", "来源：xiushui/2026/1103-01\n> 编者按：条目按语。\n"
        )
    )
    assert issue.items[0].note == "条目按语。" and issue.items[0].column == "简讯"
    out = desk / "out.pdf"
    PdfBuilder(load_config(desk), cache).build(issue, out)
    doc = pymupdf.open(out)
    got = body_text(doc)
    for piece in (
        "编者按：本期编者按。",
        "【简讯】",
        "编者按：条目按语。",
        "链接",
        "删除线",
        "引用的一段话",
        "第二项",
        "112.6亿元",
        "代码块#不是命令$x$",
        "现场照片",
        "小标题",
        "最后一段。",
        "脚注的内容。",
    ):
        assert piece in got, piece
    assert "photo.jpg" not in got  # a picture is not printed, its description is
    for page in doc:
        for span in page.get_texttrace():
            assert all(ch[1] != 0 for ch in span["chars"])


def test_unknown_unit_is_a_chinese_error(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    issue = write_issue(item("来源单位不存在", "正文。", "nowhere/2026/1103-01"))
    with pytest.raises(PdfError, match="单位“nowhere”不在信息网络名册中"):
        PdfBuilder(load_config(desk), cache).build(issue, desk / "out.pdf")


def test_missing_font_is_a_chinese_error(desk: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    face = pdf.FACES[0]
    monkeypatch.setattr(pdf, "FACES", (pdf.Face(face.key, face.family, ("NoSuchFont.otf",), face.label, face.install),))
    with pytest.raises(FontMissing, match=r"仿宋（正文）：NoSuchFont\.otf.*make fonts"):
        PdfBuilder(load_config(desk), cache / "other").fonts()


def test_unknown_font_family_warning_is_an_error(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    issue = write_issue(item("标题", "正文。"))
    builder = PdfBuilder(load_config(desk), cache)
    folder = builder.fonts()
    job = pdf._prepare(builder.config, issue, desk / "out.pdf")
    job.data["fonts"]["body"] = ["No Such Family"]
    for it in job.data["items"]:
        it["body"] = "正文。"
    with pytest.raises(FontMissing, match="找不到字体"):
        pdf._compile(pdf._make_compiler(str(folder)), json.dumps(job.data), 0, str(desk / "out.pdf"), issue.path)


# ---------------------------------------------------------------- rebuilding only what changed


def test_unchanged_issue_is_not_rebuilt_and_a_change_is(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    issue = write_issue(item("缓存测试", "第一版正文。"))
    out = desk / "pdf" / "001.pdf"
    builder = PdfBuilder(load_config(desk), cache)
    first = builder.build(issue, out)
    assert first.built
    digest, mtime = builder.recorded_hash(out), out.stat().st_mtime_ns
    assert digest

    again = builder.build(issue, out)
    assert not again.built and out.stat().st_mtime_ns == mtime and builder.recorded_hash(out) == digest
    # a new process (a new builder) sees the same record
    assert not PdfBuilder(load_config(desk), cache).build(issue, out).built

    changed = write_issue(item("缓存测试", "第二版正文，改了一句。"))
    rebuilt = builder.build(changed, out)
    assert rebuilt.built and builder.recorded_hash(out) != digest
    assert "第二版正文" in body_text(pymupdf.open(out))


def test_renamed_unit_or_changed_template_rebuilds(
    desk: Path, write_issue: WriteIssue, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue = write_issue(item("缓存测试", "正文。"))
    out = desk / "001.pdf"
    assert PdfBuilder(load_config(desk), cache).build(issue, out).built
    assert not PdfBuilder(load_config(desk), cache).build(issue, out).built

    network = desk / "network.yml"
    network.write_text(network.read_text(encoding="utf-8").replace("name: 修水县\n", "name: 修水县人民政府\n"), "utf-8")
    renamed = PdfBuilder(load_config(desk), cache).build(issue, out)
    assert renamed.built and "（修水县人民政府）" in body_text(pymupdf.open(out))

    template = tmp_path / "templates"
    shutil.copytree(pdf.TEMPLATES, template)
    (template / "bulletin.typ").write_text(pdf.TEMPLATE.read_text(encoding="utf-8") + "\n// 改动\n", "utf-8")
    monkeypatch.setattr(pdf, "TEMPLATES", template)
    monkeypatch.setattr(pdf, "TEMPLATE", template / "bulletin.typ")
    assert PdfBuilder(load_config(desk), cache).build(issue, out).built


def test_a_deleted_or_replaced_pdf_is_rebuilt(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    issue = write_issue(item("缓存测试", "正文。"))
    out = desk / "001.pdf"
    builder = PdfBuilder(load_config(desk), cache)
    builder.build(issue, out)
    out.write_bytes(b"not a pdf")
    assert builder.build(issue, out).built
    out.unlink()
    assert builder.build(issue, out).built and out.exists()


def test_many_issues_in_parallel(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    issues = [write_issue(item(f"第{n}期的条目", f"第{n}期的正文。"), number=n) for n in range(1, 6)]
    with PdfBuilder(load_config(desk), cache, workers=2) as builder:
        results = builder.build_desk(desk / "site-pdf")
        assert [r.issue for r in results] == [i.id for i in issues]
        assert all(r.built for r in results)
        for n, r in enumerate(results, start=1):
            assert r.path == desk / "site-pdf" / f"huiyao/2026/{n:03d}.pdf"
            assert f"第{n}期的正文。" in body_text(pymupdf.open(r.path))
        assert not any(r.built for r in builder.build_desk(desk / "site-pdf"))


def test_many_issues_in_worker_processes(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    issues = [write_issue(item(f"第{n}期的条目", f"第{n}期的正文。"), number=n) for n in range(1, 4)]
    with PdfBuilder(load_config(desk), cache, workers=2, parallel="processes") as builder:
        results = builder.build_many([(i, desk / f"{i.number}.pdf") for i in issues])
        assert [r.built for r in results] == [True] * 3
        assert all(r.seconds > 0 for r in results)
    assert "第3期的正文。" in body_text(pymupdf.open(desk / "3.pdf"))


def test_errors_in_a_batch_do_not_stop_the_others(desk: Path, write_issue: WriteIssue, cache: Path) -> None:
    good = write_issue(item("好的", "正文。"), number=1)
    bad = write_issue(item("坏的", "有\U0010fffd字。"), number=2)
    builder = PdfBuilder(load_config(desk), cache)
    with pytest.raises(GlyphMissing, match=r"002\.md"):
        builder.build_many([(good, desk / "1.pdf"), (bad, desk / "2.pdf")])
    assert (desk / "1.pdf").exists() and not (desk / "2.pdf").exists()
    assert builder.recorded_hash(desk / "1.pdf")


def test_build_pdf_function(desk: Path, write_issue: WriteIssue) -> None:
    issue = write_issue(item("一次生成", "正文。"))
    config = load_config(desk)
    out = build_pdf(issue, config, desk / "one.pdf")
    assert out == desk / "one.pdf" and pymupdf.open(out).page_count >= 1
    assert (desk / "build" / "pdf-cache" / "records").is_dir()
