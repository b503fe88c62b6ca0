"""Issue 15, finding 6: statistics at a glance. The site had no statistics and no charts (its only
SVGs were icons); the 通报's PDF ranked 33 units as lines of a table only.

Now: a 统计 section per year, quarter and month for the audiences that receive the 通报, with the
ranking (score and 采用率 by unit) as a bar chart, 迟报、漏报 and emergencies over time as a line
chart, 上级采用 and 批示 by level, every chart's figures in a table below it; the numbers are
`bulletin stats`'s; the charts are SVG drawn at build time with their text as paths; the notice's
PDF carries the same ranking chart. Real desks in real git repositories, real `mkdocs build`,
real PDFs read back with PyMuPDF."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pymupdf
import pytest

from bulletin.desk.config import load_config
from bulletin.desk.issues import read_issue
from bulletin.publish.generate import build_zensical
from bulletin.publish.pdf import PdfBuilder
from desk_helpers import REPO, init_repo, make_desk, run_cli

MKDOCS = Path(sys.executable).with_name("mkdocs")
ITEM = "xiushui/2026/1103-01"  # adopted in 汇要2026年第1期 (November)
PERIODS = ("2026", "2026-Q4", "2026-11", "2026-12")
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)
_TAG = re.compile(r"<[^>]+>")


def site_desk(target: Path) -> Path:
    """The demo desk (pages, issues, registers, receipts) in a new repository, with one 上级采用
    and one 批示 recorded; the plugin without PDFs and search (they have their own tests)."""
    desk = make_desk(target)
    for name in ("docs", "issues", "records", "events", "calls", "receipts"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, desk / name, dirs_exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - bulletin\n" in config
    config = config.replace("  - bulletin\n", "  - bulletin:\n      pdf: false\n      search: false\n")
    (desk / "mkdocs.yml").write_text(config, encoding="utf-8")
    for args in (
        ("record", "adoption", "--item", ITEM, "--level", "省", "--date", "2026-11-20", "--publication", "江西信息"),
        ("record", "instruction", "--item", ITEM, "--level", "市", "--date", "2026-11-21", "--by", "周建国"),
    ):
        done = run_cli(*args, cwd=desk)
        assert done.returncode == 0, done.stderr
    return init_repo(desk)


def build(desk: Path, out: Path, audience: str = "all") -> None:
    done = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--config-file", str(desk / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=desk,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "BULLETIN_AUDIENCE": audience},
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    desk = site_desk(tmp_path_factory.mktemp("desk") / "desk")
    site = tmp_path_factory.mktemp("site")
    build(desk, site)
    return desk, site


def article(site: Path, url: str) -> str:
    text = (site / url / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<article class="md-content__inner md-typeset">(.*)</article>', text, re.S)
    assert found, url
    return found[1]


def tables(markup: str) -> list[list[list[str]]]:
    """Every table of the page: rows of cell texts."""
    out = []
    for table in re.findall(r"<table>(.*?)</table>", markup, re.S):
        rows = [[html.unescape(_TAG.sub("", c)).strip() for c in _CELL.findall(row)] for row in _ROW.findall(table)]
        out.append(rows)
    return out


def stats_json(desk: Path, period: str, moment: str | None) -> dict:
    """`bulletin stats` at `moment`, or (None) at its default: the end of an ended period, as the notice."""
    now = ("--now", moment) if moment else ()
    done = run_cli("stats", "--period", period, "--format", "json", *now, cwd=desk)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_statistics_pages_show_the_numbers_of_bulletin_stats(built: tuple[Path, Path]) -> None:
    desk, site = built
    index = article(site, "statistics")
    for key in PERIODS:
        assert f'href="{key}/"' in index, key
        page = article(site, f"statistics/{key}")
        # an ended period is judged at its end, as `bulletin stats --period` and its notice judge it;
        # the running one as of the build, and the page gives that moment
        text = html.unescape(page)
        moment = re.search(rf"bulletin stats --period {key} --now '(\d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}})'", text)
        ended = f"“bulletin stats --period {key}”和这一时段的信息工作通报的数字相同" in text
        assert bool(moment) != ended, key
        expected = stats_json(desk, key, moment[1] if moment else None)
        ranking, timeline, upper, told = tables(page)
        head = ranking[0]
        assert head[:2] == ["名次", "单位"] and head[-1] == "得分"
        shown = {row[1]: dict(zip(head, row, strict=True)) for row in ranking[1:]}
        assert list(shown) == [u["name"] for u in expected["units"]], key  # the same order: the ranking
        for unit in expected["units"]:
            row = shown[unit["name"]]
            assert int(row["名次"]) == unit["rank"], (key, unit["name"])
            assert int(row["报送"]) == unit["submitted"] and int(row["采用"]) == unit["adopted"], (key, unit["name"])
            assert row["采用率"] == f"{unit['rate']:.0%}", (key, unit["name"])
            assert int(row["上级采用"]) == sum(unit["upper"].values()), (key, unit["name"])
            assert int(row["批示"]) == sum(unit["instructions"].values()), (key, unit["name"])
            assert (int(row["迟报"]), int(row["漏报"]), int(row["瞒报"])) == (
                unit["late"],
                unit["missed"],
                unit["concealed"],
            ), (key, unit["name"])
            assert int(row["得分"]) == unit["score"], (key, unit["name"])
        # the line chart's table counts the same cases, part by part
        assert timeline[0] == ["时间", "迟报", "漏报", "突发事件"]
        total = dict(zip(timeline[0], timeline[-1], strict=True))
        assert total["时间"] == "合计"
        assert int(total["迟报"]) == sum(u["late"] for u in expected["units"]), key
        assert int(total["漏报"]) == sum(u["missed"] for u in expected["units"]), key
        assert sum(int(row[1]) for row in timeline[1:-1]) == int(total["迟报"])
        # 上级采用 and 批示 by level
        assert upper[0] == ["级别", "上级采用"] and told[0] == ["级别", "领导批示"], key
        assert upper[-1][0] == told[-1][0] == "合计", key
        assert int(upper[-1][-1]) == sum(sum(u["upper"].values()) for u in expected["units"]), key
        assert int(told[-1][-1]) == sum(sum(u["instructions"].values()) for u in expected["units"]), key
        assert sum(int(row[1]) for row in upper[1:-1]) == int(upper[-1][-1]), key
    november = tables(article(site, "statistics/2026-11"))
    assert int(november[2][-1][-1]) == 1 and int(november[3][-1][-1]) == 1  # the records made above
    assert ["省", "1"] in november[2] and ["市", "1"] in november[3]
    assert int(november[1][-1][3]) >= 1, "the demo's November has registered events"


def svg_problems(path: Path) -> list[str]:
    """What in a chart would need a font or load something: text, fonts, images, outside links."""
    tree = ET.parse(path)
    root = tree.getroot()
    problems = []
    if "viewBox" not in root.attrib or root.get("width") != "100%" or "height" in root.attrib:
        problems.append(f"{path.name}: not scalable ({root.attrib})")
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("text", "tspan", "font", "font-face", "image", "foreignObject", "script", "a"):
            problems.append(f"{path.name}: <{tag}>")
        for name, value in element.attrib.items():
            if name.rsplit("}", 1)[-1] == "href" and not value.startswith("#"):
                problems.append(f"{path.name}: {name}={value}")
            if "url(" in value and not re.fullmatch(r"url\(#[^)]+\)", value.strip()):
                problems.append(f"{path.name}: {value}")
        if tag == "style" and ("@import" in (element.text or "") or "url(" in (element.text or "")):
            problems.append(f"{path.name}: {element.text}")
    if not any(e.tag.endswith("path") for e in root.iter()):
        problems.append(f"{path.name}: no paths")
    return problems


def test_the_charts_are_svg_paths_that_need_no_font_and_load_nothing(built: tuple[Path, Path]) -> None:
    from bulletin.report import charts

    _, site = built
    found = sorted((site / "statistics").glob("*/*.svg"))
    names = {p.relative_to(site / "statistics").as_posix() for p in found}
    assert names >= {f"{k}/{kind}.svg" for k in PERIODS for kind in ("ranking", "timeline")}
    assert [problem for path in found for problem in svg_problems(path)] == []
    for key in PERIODS:  # each chart on its page, with a description, and its figures below it
        page = article(site, f"statistics/{key}")
        for kind in ("ranking", "timeline"):
            img = re.search(rf'<img [^>]*src="{kind}\.svg"[^>]*>', page)
            assert img, (key, kind)
            alt = re.search(r'alt="([^"]+)"', img[0])
            assert alt and "数字见下表" in alt[1], (key, kind)
            # shown at most as wide as drawn (its text as large as the page's), narrower on a phone
            drawn = charts.width_px((site / "statistics" / key / f"{kind}.svg").read_text(encoding="utf-8"))
            assert 300 < drawn < 720 and f'width="{drawn}"' in img[0], (key, kind, img[0])
            assert page.index("<table>", page.index(img[0])) > 0


def test_the_same_figures_draw_the_same_chart(tmp_path: Path) -> None:
    """A chart is drawn once for its figures: the same file again (no date, fixed ids), from the cache."""
    from bulletin.report import charts

    config = load_config(REPO)
    first = charts.Charts(config, tmp_path / "a")
    again = charts.Charts(config, tmp_path / "b")
    figures = ("2026年11月各单位得分和采用率", ["修水县", "永修县"], [20, -180], [1.0, 0.5])
    assert first.ranking(*figures) == again.ranking(*figures)
    assert first.ranking(*figures) == again.ranking(*figures) and (first.drawn, again.drawn) == (1, 1)


def test_an_audience_that_does_not_receive_the_notice_gets_no_statistics(tmp_path: Path) -> None:
    """Statistics rank the units as the 通报 does: the audiences that receive it see them (县区办公室
    in the demo); an audience without it (here 市直部门, given only 汇要) gets no page, chart or nav entry."""
    desk = site_desk(tmp_path / "desk")
    config = (desk / "bulletin.yml").read_text(encoding="utf-8")
    receives = "    publications: [huiyao, tongbao]\n    max_classification: 内部\n"
    assert config.count(receives) == 2  # counties, then departments
    head, tail = config.rsplit(receives, 1)
    (desk / "bulletin.yml").write_text(head + receives.replace(", tongbao", "") + tail, encoding="utf-8")
    for audience, cleared in (("counties", True), ("departments", False)):
        site = tmp_path / audience
        build(desk, site, audience)
        home = (site / "index.html").read_text(encoding="utf-8")
        assert (site / "statistics").exists() is cleared, audience
        assert ('href="statistics/"' in home) is cleared, audience
        assert bool(list(site.rglob("ranking.svg"))) is cleared, audience
        # the same site built by Zensical, which is given mkdocs.yml's nav: no entry to a page not built
        zensical_site = build_zensical(desk, audience, pdf=False, search=False)
        home = (zensical_site / "index.html").read_text(encoding="utf-8")
        assert (zensical_site / "statistics").exists() is cleared, audience
        # a link to it in any form (./statistics/, or ../statistics/index.md for a page Zensical did not find)
        assert bool(re.search(r'href="[^"]*statistics/', home)) is cleared, audience


def test_bulletin_check_does_not_load_matplotlib(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "desk")
    probe = (
        "import sys\nfrom bulletin.entry import main\n"
        "sys.argv = ['bulletin', 'check', 'submissions/xiushui/2026/1103-01.md']\n"
        "code = main()\nprint(code, 'matplotlib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=desk, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "0 False", done.stdout + done.stderr


def filled_bars(page: pymupdf.Page, colour: str) -> int:
    rgb = tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return sum(
        1
        for d in page.get_drawings()
        if d.get("fill") and all(abs(a - b) < 0.01 for a, b in zip(d["fill"], rgb, strict=True))
    )


def test_the_notice_pdf_carries_the_ranking_chart(tmp_path: Path) -> None:
    """The notice drafted by `bulletin notice`: after its ranking table, the chart (vector paths,
    drawn by Typst from the SVG): one 采用率 bar for each unit whose rate is above 0, one score bar
    for each unit whose score is not 0."""
    from bulletin.report import charts

    desk = make_desk(tmp_path / "desk")
    for name in ("issues", "events", "calls", "receipts"):
        shutil.copytree(REPO / name, desk / name)
    shutil.rmtree(desk / "issues" / "tongbao")  # the demo's own November notice: drafted anew here
    init_repo(desk)
    done = run_cli("notice", "--period", "2026-11", "--date", "2026-12-01", "--now", "2026-11-30 23:59", cwd=desk)
    assert done.returncode == 0, done.stderr
    rel = "issues/tongbao/2026/001.md"
    issue = read_issue(desk / rel, rel)
    ranking = next(item for item in issue.items if item.title.startswith("二、"))
    rows = [line.strip("|").split("|") for line in ranking.text.splitlines() if line.startswith("| ")][1:]
    rated = sum(1 for row in rows if row[4].strip() != "0%")
    scored = sum(1 for row in rows if row[5].strip() != "0")
    assert rated > 5 and scored > 5
    out = tmp_path / "notice.pdf"
    with PdfBuilder(load_config(desk), tmp_path / "cache") as builder:
        builder.build(issue, out)
    doc = pymupdf.open(out)
    table_page = next(n for n, page in enumerate(doc) if "名次" in page.get_text())
    pages = [doc[n] for n in range(table_page, len(doc))]
    assert sum(filled_bars(page, charts.RATE) for page in pages) == rated
    assert sum(filled_bars(page, charts.BAR) for page in pages) == scored
    chart_page = next(page for page in pages if filled_bars(page, charts.RATE))
    area = [d["rect"] for d in chart_page.get_drawings() if d.get("fill")]
    assert max(r.y1 for r in area) < chart_page.rect.height - 37 * 72 / 25.4  # within the type area
