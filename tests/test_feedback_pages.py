"""Unit pages as each unit's 采用反馈 (issue 15, findings 3 and 7), on real `mkdocs build`s of a real desk.

November 2026 at a temporary desk (a git repository, units' pull requests as branches with the
forge's receipts, editors' records written by `bulletin record`):
- 修水县's item of December 2025 counts in 2025, not in the year volume 2026 (the site counted it);
- 修水县's item is adopted in 《汇要》, adopted by the province and instructed by a provincial leader;
- 湖口县's 秘密 item is adopted in 《内参》 and instructed by the city's Party secretary, whose words
  are as secret as the item: the office's site (秘密) shows them, the counties' site (内部) must not
  hold them, nor the item's title, anywhere (pages, search index, sitemap);
- 武宁县 has one item in each state: merged and not yet in an issue (待编), waiting in a pull request
  (待审), sent back (退改), closed without merging (未采用);
- 德安县 reports a 较大 road accident late (迟报); nobody reports 都昌县's (漏报).

Each test fails on the site before issue 15: unit pages listed only what the site's issues carry,
counted every item ever received (not the period `bulletin stats` counts), showed no 批示, no
上级采用, no case and no score, and there was no 领导批示 page.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desk_helpers import REPO, git, make_desk, pagefind_records, run_cli
from test_ledger import BODY, ISSUE, emergency, event, item, submit
from test_site import MKDOCS

_TAG = re.compile(r"<[^>]+>")
YEAR = "2026"
SECRET_TITLE = "湖口县某涉密事项处置进展"
SECRET_WORDS = "请严格控制知悉范围务必妥善处置"
OPEN_WORDS = "此做法可在全省推广"
RAISED_WORDS = "涉及下步人事安排暂不扩散"  # a 秘密 批示 on a 内部 item: its own 密级 (--classification)
STATES = {  # 武宁县's items, one in each state of the ledger
    "wuning/2026/1110-01": ("武宁县做强茶产业链条", "待编", "merge"),
    "wuning/2026/1112-01": ("武宁县推进乡村旅游提质", "待审", "open"),
    "wuning/2026/1113-01": ("武宁县优化营商环境见实效", "退改", "open"),
    "wuning/2026/1114-01": ("武宁县开展冬季植树活动", "未采用", "close"),
}


def build(desk: Path, out: Path, audience: str) -> None:
    """A plain `mkdocs build --strict` of the year volume 2026 for one audience (its PDFs left out)."""
    done = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--config-file", str(desk / "mkdocs.yml"), "--site-dir", str(out)],
        cwd=desk,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "BULLETIN_AUDIENCE": audience, "BULLETIN_YEAR": YEAR},
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    desk = make_desk(tmp_path_factory.mktemp("feedback") / "desk", with_submissions=False)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  - bulletin\n" in config
    (desk / "mkdocs.yml").write_text(config.replace("\n  - bulletin\n", "\n  - bulletin:\n      pdf: false\n"), "utf-8")
    shutil.copytree(REPO / "docs", desk / "docs")
    git(desk, "init", "-q", "-b", "main")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Desk")
    event(
        desk,
        "1120-crash",
        "事件: 国道G105德安段较大交通事故\n发生时间: 2026-11-20 07:50\n地点: 德安县\n等级: 较大\n"
        "责任单位: dean\n获知渠道: 公安交管部门\n状态: 已终结\n",
    )
    event(
        desk,
        "1121-flood",
        "事件: 都昌县一圩堤出现管涌险情\n发生时间: 2026-11-21 06:00\n地点: 都昌县\n等级: 较大\n"
        "责任单位: duchang\n获知渠道: 水利部门\n状态: 已终结\n",
    )
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Register events")
    last_year = item(desk, "xiushui", "修水县年终岁末走访困难群众")  # received in 2025: not in 2026's figures
    submit(desk, "xiushui/2025/1215-01", last_year, "2025-12-15T10:00:00+08:00", "xiushui-kuangxiaoping")
    submit(
        desk,
        "xiushui/2026/1103-01",
        item(desk, "xiushui", "修水县推动重点项目提速增效"),
        "2026-11-03T10:00:00+08:00",
        "xiushui-kuangxiaoping",
    )
    secret = item(desk, "hukou", SECRET_TITLE).replace("密级: 内部\n", "密级: 秘密\n保密期限: 1年\n")
    submit(desk, "hukou/2026/1105-01", secret, "2026-11-05T10:00:00+08:00", "hukou-zhangxu")
    for rel, (title, _, outcome) in STATES.items():
        revise = "下一步将继续加大工作力度。" if outcome == "open" and rel.endswith("1113-01") else ""
        day = rel[-7:-5]
        submit(
            desk,
            rel,
            item(desk, "wuning", title),
            f"2026-11-{day}T10:00:00+08:00",
            "wuning-lujuan",
            revise=revise,
            outcome=outcome,
        )
    late = emergency(desk, "dean", "德安县国道G105发生一起较大交通事故", "2026-11-20 07:50", "2026/1120-crash")
    submit(desk, "dean/2026/1120-01", late, "2026-11-20T10:00:00+08:00", "dean-yuanfang")
    issues = {
        "huiyao/2026/001.md": ("huiyao", "2026-11-06", "内部", "修水县推动重点项目提速增效", "xiushui/2026/1103-01"),
        "neican/2026/001.md": ("neican", "2026-11-07", "秘密", SECRET_TITLE, "hukou/2026/1105-01"),
    }
    for rel, (pub, date, level, title, source) in issues.items():
        text = ISSUE.format(pub=pub, number=1, date=date, items=f"## {title}\n\n来源：{source}\n\n{BODY}\n")
        if level != "内部":
            text = text.replace("密级: 内部\n", f"密级: {level}\n保密期限: 1年\n")
        path = desk / "issues" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    records = (
        ("instruction", "xiushui/2026/1103-01", "省", "2026-11-12", "--by", "省委副书记", "--text", f"{OPEN_WORDS}。"),
        ("adoption", "xiushui/2026/1103-01", "省", "2026-11-10", "--publication", "江西信息"),
        ("instruction", "hukou/2026/1105-01", "市", "2026-11-13", "--by", "市委书记", "--text", f"{SECRET_WORDS}。"),
        (
            "instruction",
            "xiushui/2026/1103-01",
            "市委办",
            "2026-11-14",
            "--by",
            "市委秘书长",
            "--text",
            RAISED_WORDS,
            "--classification",
            "秘密",
        ),
    )
    for kind, rel, level, date, *rest in records:
        args = [kind, "--item", rel, "--level", level, "--date", date, *rest]
        done = run_cli("record", *args, cwd=desk)
        assert done.returncode == 0, done.stderr
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Issues and records")
    return desk


@pytest.fixture(scope="module")
def sites(desk: Path) -> dict[str, Path]:
    out = {}
    for audience in ("office", "counties"):
        out[audience] = desk / "site" / audience
        build(desk, out[audience], audience)
    return out


def text_of(path: Path) -> str:
    markup = path.read_text(encoding="utf-8")
    article = markup[markup.index("<article") : markup.index("</article>")]
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", article)))


def unit_page(site: Path, unit: str) -> str:
    return text_of(site / "units" / unit / "index.html")


def figure(page: str, name: str) -> str:
    """The value beside `name` in the unit page's 采用反馈 table: 报送 → 2条."""
    feedback = page.split("采用反馈", 1)[1]
    found = re.search(rf" {name} (\S+) ", feedback)
    assert found, name
    return found[1]


def everything(site: Path) -> str:
    """Every text the site serves: pages, scripts, the sitemap, the search index's records."""
    texts = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".json", ".xml", ".js", ".txt", ".css"):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        elif path.name.endswith(".gz"):
            texts.append(gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace"))
    texts += [json.dumps(r, ensure_ascii=False) for r in pagefind_records(site)]
    return html.unescape("\n".join(texts))


def test_the_office_unit_page_shows_every_items_fate(sites: dict[str, Path]) -> None:
    """Finding 7: a unit page listed only what the site's issues carried; the unit never saw what
    became of the rest (待审, 退改, 未采用, 待编)."""
    page = unit_page(sites["office"], "wuning")
    for title, state, _ in STATES.values():
        assert re.search(rf"{title} 普遍性 平件 内部 {state} ", page), (title, state)
    assert "退改为已退回修改" in page
    xiushui = (sites["office"] / "units/xiushui/index.html").read_text(encoding="utf-8")
    listing = xiushui.split('id="submissions"', 1)[1]
    row = next(r for r in listing.split("<tr>") if "修水县推动重点项目提速增效" in r)
    assert 'href="../../publications/huiyao/2026/001/"' in row and "《九江信息（汇要）》2026年第1期" in row


def test_an_accepted_item_is_listed_for_the_office_on_its_unit_page(sites: dict[str, Path]) -> None:
    """Finding 3: an item that is 待编 appeared on no site while the unit page explained 待编."""
    title = STATES["wuning/2026/1110-01"][0]
    assert re.search(rf"{title} 普遍性 平件 内部 待编 ", unit_page(sites["office"], "wuning"))
    counties = unit_page(sites["counties"], "wuning")
    assert title not in counties  # readers of the counties' site receive issues, not the office's intake
    assert "待编为已采用入库" not in counties  # so their page does not explain a state it never lists
    assert "待编1条" in counties and "待审1条" in counties  # the unit's items are counted all the same


def test_instruction_words_reach_only_an_audience_cleared_for_them(sites: dict[str, Path]) -> None:
    """Finding 7: recorded 批示 appeared nowhere; they are shown, the leader's words only where the
    audience is cleared for the item's 密级, and no 秘密 text reaches the 内部 site in any file."""
    office = unit_page(sites["office"], "hukou")
    assert SECRET_WORDS in office and "市委书记" in office and SECRET_TITLE in office
    counties = unit_page(sites["counties"], "hukou")
    assert "市委书记" in counties and "有批示，内容为秘密，不在本站列出" in counties
    assert figure(counties, "批示") == "1次"
    served = everything(sites["counties"])
    assert SECRET_WORDS not in served and SECRET_TITLE not in served
    for audience in ("office", "counties"):  # a 内部 item's 批示 is shown to both
        assert OPEN_WORDS in unit_page(sites[audience], "xiushui"), audience
        assert "省委副书记" in unit_page(sites[audience], "xiushui")


def test_an_instruction_above_its_items_level_is_gated_by_its_own(sites: dict[str, Path]) -> None:
    """A leader's 秘密 remark on a 内部 item (recorded with --classification 秘密): its words were shown
    wherever the item could be read, on the 内部 counties' site too; now the higher 密级 decides."""
    assert RAISED_WORDS in unit_page(sites["office"], "xiushui")
    assert RAISED_WORDS in text_of(sites["office"] / "instructions/index.html")
    counties = unit_page(sites["counties"], "xiushui")
    assert "市委秘书长" in counties and "有批示，内容为秘密，不在本站列出" in counties
    assert "修水县推动重点项目提速增效" in counties and OPEN_WORDS in counties  # the item and its 内部 批示 stay
    assert RAISED_WORDS not in everything(sites["counties"])


def test_figures_cases_and_scores_equal_bulletin_stats(desk: Path, sites: dict[str, Path]) -> None:
    """Findings 3 and 7: unit pages counted every item ever received while `stats` counts a period,
    and showed no case and no score; now every figure is the row of `bulletin stats` for the year."""
    done = run_cli("stats", "--period", YEAR, "--format", "json", cwd=desk)
    assert done.returncode == 0, done.stderr
    rows = {row["unit"]: row for row in json.loads(done.stdout)["units"]}
    assert rows["dean"]["late"] == 1 and rows["duchang"]["missed"] == 1 and rows["xiushui"]["score"] == 90
    assert rows["xiushui"]["submitted"] == 1  # its item of 2025 is not counted in 2026
    for site in sites.values():
        index = (site / "units/index.html").read_text(encoding="utf-8")
        for unit, row in rows.items():
            page = unit_page(site, unit)
            expected = {
                "报送": f"{row['submitted']}条",
                "采用": f"{row['adopted']}条",
                "上级采用": f"{sum(row['upper'].values())}次",
                "批示": f"{sum(row['instructions'].values())}次",
                "迟报": f"{row['late']}起",
                "漏报": f"{row['missed']}起",
                "瞒报": f"{row['concealed']}起",
                "约稿未报": f"{row['call_missed']}起",
                "得分": f"{row['score']}分",
                "名次": f"第{row['rank']}名",
            }
            assert {name: figure(page, name) for name in expected} == expected, unit
            cells = index.split(f">{row['name']}</a></td>", 1)[1].split("</tr>", 1)[0]
            numbers = re.findall(r"<td>(-?\d+)</td>", cells)
            assert numbers == [str(row["submitted"]), str(row["adopted"]), str(row["score"])], unit
    overdue = run_cli("overdue", "--all", "--format", "json", cwd=desk)
    [late] = [c for c in json.loads(overdue.stdout)["cases"] if c["unit"] == "dean"]
    assert late["kind"] == "迟报"
    for site in sites.values():  # the case in the words `bulletin overdue` and the 通报 use
        assert late["text"] in unit_page(site, "dean")
        assert "漏报：都昌县“都昌县一圩堤出现管涌险情”" in unit_page(site, "duchang")


def test_the_instructions_page_lists_every_instruction_gated_by_clearance(sites: dict[str, Path]) -> None:
    """Finding 7: there was no 批示 list; 领导批示 lists each with the item, the leader and the date."""
    office = text_of(sites["office"] / "instructions/index.html")
    assert "共3条" in office
    assert "2026-11-13 市委书记 市 " + SECRET_TITLE in office and SECRET_WORDS in office
    assert "2026-11-12 省委副书记 省 修水县推动重点项目提速增效 修水县 " + OPEN_WORDS in office
    counties = text_of(sites["counties"] / "instructions/index.html")
    assert "2026-11-13 市委书记 市 信息hukou/2026/1105-01（标题不在本站列出） 湖口县 有批示" in counties
    assert OPEN_WORDS in counties and SECRET_WORDS not in counties
    home = (sites["counties"] / "index.html").read_text(encoding="utf-8")
    assert 'href="instructions/"' in home  # in the navigation
