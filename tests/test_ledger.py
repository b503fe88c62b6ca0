"""A month of history in a real repository: the ledger, the scores and the notice, checked by hand.

November 2026 at the 九江 desk (receipts stamped by the forge workflow's `bulletin receipt add`):
- 柴桑区 reports a warehouse fire on time (14:20 → received 15:30, limit 2 h) and a 续报; adopted
  in 《重要信息》.
- 武宁县 reports a landslide an hour late (06:40 → received 09:40, due 08:40): 迟报.
- 湖口县 reports a diesel leak a day late, and editors determine 瞒报 on the event: 瞒报.
- 德安县 never reports a 较大 road accident the police reported (limit 1 h): 漏报.
- 修水县's item is adopted in 《汇要》 No. 1, adopted by the province and instructed by a
  provincial leader; its second item and one of 武宁县's form a 综合 item in No. 2.
Scores (default table): 修水县 10 + 20 + 40 + 5 = 75; 柴桑区 10; 武宁县 5 − 100 = −95;
湖口县 −200 (瞒报); 德安县 −200 (漏报).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from pathlib import Path

import pytest

from bulletin.desk.config import load_config
from bulletin.duty import scoring
from bulletin.duty.ledger import Ledger, Life, build_ledger
from desk_helpers import git, make_desk, run_cli

HEAD = """---
标题: {title}
报送单位: {unit}
信息员: {informant}
签发人: {approver}
类别: {kind}
紧急程度: {urgency}
密级: 内部
报送对象: [市委, 市政府]
{extra}---

{body}
"""
BODY = (
    "11月份，该单位坚持问题导向，聚焦群众急难愁盼，推动各项工作落地见效。一是强化调度，每周召开推进会，"
    "现场解决难题12个。二是优化服务，审批时间平均压缩40%以上。三是压实责任，把工作进度纳入年度考核。"
)


def people(desk: Path, unit: str) -> tuple[str, str]:
    config = load_config(desk)
    found = config.unit(unit)
    assert found is not None and found.informants and found.leader
    return found.informants[0].name, found.leader


def item(desk: Path, unit: str, title: str, kind: str = "普遍性", urgency: str = "平件", extra: str = "") -> str:
    informant, approver = people(desk, unit)
    return HEAD.format(
        title=title,
        unit=unit,
        informant=informant,
        approver=approver,
        kind=kind,
        urgency=urgency,
        extra=extra,
        body=BODY,
    )


def submit(
    desk: Path,
    rel: str,
    text: str,
    received: str,
    account: str,
    backdate: str = "",
    revise: str = "",
    outcome: str = "merge",
) -> None:
    """A unit's pull request: its branch (commits possibly backdated by the unit), the forge's
    receipt, a revision asked for in review (退改), then the editor merges it (`outcome` "merge"),
    leaves it open ("open") or closes it without merging, deleting its branch ("close")."""
    branch = "unit/" + rel.replace("/", "-")
    git(desk, "checkout", "-q", "-b", branch, "main")
    path = desk / "submissions" / f"{rel}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(desk, "add", "-A")
    dates = {"GIT_AUTHOR_DATE": backdate, "GIT_COMMITTER_DATE": backdate} if backdate else None
    git(desk, "commit", "-q", "-m", f"Submit {rel}", env=dates)
    head = git(desk, "rev-parse", "HEAD").strip()
    done = run_cli(
        "receipt",
        "add",
        "--commit",
        head,
        "--received-at",
        received,
        "--account",
        account,
        f"submissions/{rel}.md",
        cwd=desk,
    )
    assert done.returncode == 0, done.stderr
    if revise:
        path.write_text(text.replace(BODY, BODY + revise), encoding="utf-8")
        git(desk, "commit", "-q", "-am", f"Revise {rel} as asked")
    git(desk, "checkout", "-q", "main")
    if outcome == "merge":
        git(desk, "merge", "-q", "--no-ff", branch, "-m", f"Accept {rel}")
    elif outcome == "close":
        git(desk, "branch", "-q", "-D", branch)


def event(desk: Path, name: str, body: str) -> None:
    path = desk / "events/2026" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{body}---\n", encoding="utf-8")


def emergency(desk: Path, unit: str, title: str, occurred: str, event_id: str, follows: str = "") -> str:
    extra = f"发生时间: {occurred}\n事件: {event_id}\n" + (f"续报: {follows}\n" if follows else "")
    return item(desk, unit, title, "突发性", "特急", extra)


ISSUE = """---
刊物: {pub}
期号: {number}
总期号: {number}
日期: {date}
责任编辑: 李静
签发: 周建国
密级: 内部
印数: 100
---

{items}
"""


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    desk = make_desk(tmp_path_factory.mktemp("month") / "desk", with_submissions=False)
    git(desk, "init", "-q", "-b", "main")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Desk")
    event(
        desk,
        "1109-fire",
        "事件: 柴桑区沙城工业园仓库火灾\n发生时间: 2026-11-09 14:20\n地点: 柴桑区\n等级: 一般\n"
        "责任单位: chaisang\n获知渠道: 消防救援支队\n状态: 已终结\n",
    )
    event(
        desk,
        "1114-landslide",
        "事件: 武宁县石门楼镇山体滑坡\n发生时间: 2026-11-14 06:40\n地点: 武宁县\n等级: 一般\n"
        "责任单位: wuning\n获知渠道: 自然资源部门\n状态: 已终结\n",
    )
    event(
        desk,
        "1117-diesel",
        "事件: 湖口县长江水域货船柴油泄漏\n发生时间: 2026-11-17 09:15\n地点: 湖口县\n等级: 一般\n"
        "责任单位: hukou\n获知渠道: 海事部门\n状态: 已终结\n认定: 瞒报\n认定理由: 事发后未按规定报告，经核查系有意拖延\n",
    )
    event(
        desk,
        "1120-crash",
        "事件: 国道G105德安段较大交通事故\n发生时间: 2026-11-20 07:50\n地点: 德安县\n等级: 较大\n"
        "责任单位: dean\n获知渠道: 公安交管部门\n状态: 已终结\n",
    )
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Register events")
    submit(
        desk,
        "xiushui/2026/1103-01",
        item(desk, "xiushui", "修水县推动重点项目提速增效"),
        "2026-11-03T10:00:00+08:00",
        "xiushui-kuangxiaoping",
        revise="下一步将继续加大工作力度。",
    )
    submit(
        desk,
        "chaisang/2026/1109-01",
        emergency(desk, "chaisang", "柴桑区一企业仓库发生火灾", "2026-11-09 14:20", "2026/1109-fire"),
        "2026-11-09T15:30:00+08:00",
        "chaisang-hukai",
    )
    submit(
        desk,
        "chaisang/2026/1109-02",
        emergency(
            desk,
            "chaisang",
            "柴桑区仓库火灾明火已扑灭",
            "2026-11-09 14:20",
            "2026/1109-fire",
            follows="chaisang/2026/1109-01",
        ),
        "2026-11-09T18:10:00+08:00",
        "chaisang-hukai",
    )
    submit(
        desk,
        "wuning/2026/1114-01",
        emergency(desk, "wuning", "武宁县石门楼镇发生山体滑坡", "2026-11-14 06:40", "2026/1114-landslide"),
        "2026-11-14T09:40:00+08:00",
        "wuning-a",
        backdate="2026-11-14T07:00:00+08:00",
    )
    submit(
        desk,
        "hukou/2026/1118-01",
        emergency(desk, "hukou", "湖口县长江水域一货船柴油泄漏", "2026-11-17 09:15", "2026/1117-diesel"),
        "2026-11-18T10:00:00+08:00",
        "hukou-a",
    )
    submit(
        desk, "wuning/2026/1124-01", item(desk, "wuning", "武宁县做强茶产业"), "2026-11-24T10:00:00+08:00", "wuning-a"
    )
    submit(
        desk,
        "xiushui/2026/1125-01",
        item(desk, "xiushui", "修水县宁红茶产值突破40亿元"),
        "2026-11-25T10:00:00+08:00",
        "xiushui-kuangxiaoping",
    )
    issues = {
        "huiyao/2026/001.md": ISSUE.format(
            pub="huiyao",
            number=1,
            date="2026-11-06",
            items=f"## 修水县推动重点项目提速增效\n\n来源：xiushui/2026/1103-01\n\n{BODY}\n",
        ),
        "zhongyao/2026/001.md": ISSUE.format(
            pub="zhongyao",
            number=1,
            date="2026-11-09",
            items=f"## 柴桑区一企业仓库发生火灾\n\n来源：chaisang/2026/1109-01\n\n{BODY}\n",
        ),
        "huiyao/2026/002.md": ISSUE.format(
            pub="huiyao",
            number=2,
            date="2026-11-26",
            items=f"## 我市茶产业提质增效\n\n来源：xiushui/2026/1125-01、wuning/2026/1124-01\n\n{BODY}\n",
        ),
    }
    for rel, text in issues.items():
        path = desk / "issues" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for args in (
        [
            "instruction",
            "--item",
            "xiushui/2026/1103-01",
            "--level",
            "省",
            "--date",
            "2026-11-12",
            "--by",
            "省委副书记",
            "--text",
            "此做法可在全省推广。",
        ],
        [
            "adoption",
            "--item",
            "xiushui/2026/1103-01",
            "--level",
            "省",
            "--date",
            "2026-11-10",
            "--publication",
            "江西信息",
        ],
    ):
        done = run_cli("record", *args, cwd=desk)
        assert done.returncode == 0, done.stderr
    assert run_cli("issue", "check", cwd=desk).returncode == 0
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Issues and records")
    return desk


def test_the_ledger_follows_each_item(month: Path) -> None:
    lives = {life.id: life for life in build_ledger(load_config(month)).lives}
    assert len(lives) == 7
    fire = lives["chaisang/2026/1109-01"]
    assert fire.received_by == "forge" and fire.late_minutes is None
    assert fire.due == dt.datetime(2026, 11, 9, 16, 20, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert [a.issue for a in fire.adoptions] == ["zhongyao/2026/001"]
    assert lives["wuning/2026/1114-01"].late_minutes == 60  # its commit claims 07:00: not evidence
    assert lives["xiushui/2026/1103-01"].sent_back == 1 and lives["wuning/2026/1114-01"].sent_back == 0
    assert lives["hukou/2026/1118-01"].late_minutes == 22 * 60 + 45
    xiushui = lives["xiushui/2026/1103-01"]
    assert [(r.kind, r.level) for r in xiushui.upper] == [("上级采用", "省")]
    assert [(r.by, r.level) for r in xiushui.instructions] == [("省委副书记", "省")]
    tea = lives["xiushui/2026/1125-01"]
    assert [(a.issue, a.composite) for a in tea.adoptions] == [("huiyao/2026/002", True)]
    assert lives["chaisang/2026/1109-02"].adoptions == ()
    assert all(life.accepted_at is not None for life in lives.values())


def test_the_same_history_gives_the_same_ledger(month: Path) -> None:
    first = run_cli("ledger", "--format", "json", cwd=month)
    second = run_cli("ledger", "--format", "json", cwd=month)
    assert first.returncode == 0 and first.stdout == second.stdout
    assert len(json.loads(first.stdout)) == 7


def test_the_ledger_is_written_as_json_dumps_would_write_it_whole(month: Path) -> None:
    """write_json streams one life at a time; the text is exactly that of the whole list dumped at once."""
    ledger = build_ledger(load_config(month))
    assert len(ledger.lives) > 5

    def whole(lives: list[Life]) -> str:
        return json.dumps(
            [asdict(life) for life in lives],
            ensure_ascii=False,
            indent=1,
            default=lambda v: v.isoformat(),
            sort_keys=True,
        )

    assert ledger.to_json() == whole(ledger.lives)
    assert Ledger([]).to_json() == whole([]) == "[]"
    assert Ledger(ledger.lives[:1]).to_json() == whole(ledger.lives[:1])


def test_scores_and_ranks_match_the_hand_count(month: Path) -> None:
    done = run_cli("stats", "--period", "2026-11", "--format", "json", cwd=month)
    assert done.returncode == 0, done.stderr
    rows = {row["unit"]: row for row in json.loads(done.stdout)["units"]}
    assert (rows["xiushui"]["score"], rows["xiushui"]["rank"], rows["xiushui"]["submitted"]) == (75, 1, 2)
    assert rows["xiushui"]["upper"] == {"省": 1} and rows["xiushui"]["instructions"] == {"省": 1}
    assert (rows["chaisang"]["score"], rows["chaisang"]["rank"], rows["chaisang"]["adopted"]) == (10, 2, 1)
    assert (rows["wuning"]["score"], rows["wuning"]["late"]) == (-95, 1)
    assert (rows["hukou"]["score"], rows["hukou"]["concealed"], rows["hukou"]["late"]) == (-200, 1, 0)
    assert (rows["dean"]["score"], rows["dean"]["missed"]) == (-200, 1)
    assert rows["dean"]["rank"] == rows["hukou"]["rank"] == len(rows) - 1
    assert rows["xiushui"]["rate"] == 1.0 and rows["wuning"]["rate"] == 0.5
    # outside the period nothing counts
    december = json.loads(run_cli("stats", "--period", "2026-12", "--format", "json", cwd=month).stdout)
    assert all(row["score"] == 0 for row in december["units"])


def test_the_notice_ranks_commends_and_names_every_case(month: Path) -> None:
    done = run_cli("notice", "--period", "2026-11", "--date", "2026-12-01", cwd=month)
    assert done.returncode == 0, done.stderr
    text = (month / "issues/tongbao/2026/001.md").read_text(encoding="utf-8")
    assert "全市4个单位共报送信息7条，被市委办公室刊物采用4条，被上级采用1次，获领导批示1次" in text
    assert "对修水县、柴桑区予以通报表扬" in text
    cases = text[text.index("## 四、迟报、漏报、瞒报和约稿情况") :]
    assert "迟报：武宁县" in cases and "迟报1小时" in cases
    assert "瞒报：湖口县" in cases and "有意拖延" in cases
    assert "漏报：德安县" in cases
    assert "柴桑区" not in cases
    assert "| 1 | 修水县 | 2 | 2 | 100% | 75 |" in text
    # the notice is an issue like any other: it passes the issue check once signed
    path = month / "issues/tongbao/2026/001.md"
    path.write_text(text.replace("【待填写：签发领导】", "周建国"), encoding="utf-8")
    assert run_cli("issue", "check", cwd=month).returncode == 0


def test_periods_are_months_quarters_and_years() -> None:
    assert scoring.parse_period("2026-11").label == "2026年11月"
    quarter = scoring.parse_period("2026-Q4")
    assert (quarter.start, quarter.end) == (dt.date(2026, 10, 1), dt.date(2027, 1, 1))
    assert scoring.parse_period("2026").label == "2026年"
    done = run_cli("stats", "--period", "十一月", cwd=Path.cwd())
    assert done.returncode == 2 and "无法识别" in done.stderr
