"""One desk, one truth: the duty engine and the one reading of the desk behind every output.

Each test names the finding of the issue it holds (11.n: one desk, one truth; 12.n: safe to
publish). The desk is a real repository: units' pull requests as branches with receipts stamped by
`bulletin receipt add`, merged, left open or closed without merging.

December 2026:
- 修水县 answers a call two hours after its deadline (约稿逾期); 武宁县 never answers it (约稿未报).
- 浔阳区 sends an ordinary item with 截止时间 10:00, received 12:00 (迟报 by its 截止时间).
- 濂溪区 sends a 特急 item with 截止时间 and no 发生时间, received late.
- 柴桑区's report of a registered event waits in an open pull request (已接报、待采用, not 漏报).
- 都昌县's item is closed without merging (未采用): received, counted, not adopted.
- 湖口县 sends a 秘密 item late: a 内部 通报 names the case without its title.
- 彭泽县 sends a late 特急 item claiming to be a 续报 of 修水县's item: still 迟报.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from bulletin.desk.config import load_config
from bulletin.desk.snapshot import read_desk
from bulletin.duty import engine as duty
from bulletin.duty.ledger import build_ledger
from desk_helpers import git, make_desk, run_cli
from test_ledger import item, submit

NOW = "2026-12-20 12:00"


def write(desk: Path, rel: str, text: str) -> None:
    path = desk / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def december(tmp_path_factory: pytest.TempPathFactory) -> Path:
    desk = make_desk(tmp_path_factory.mktemp("december") / "desk", with_submissions=False)
    git(desk, "init", "-q", "-b", "main")
    write(
        desk,
        "calls/2026/1201-winter.md",
        "---\n主题: 冬季安全生产\n约稿单位: [xiushui, wuning]\n截止时间: 2026-12-05 17:00\n---\n",
    )
    write(
        desk,
        "events/2026/1210-flood.md",
        "---\n事件: 柴桑区城门街道内涝\n发生时间: 2026-12-10 08:00\n地点: 柴桑区\n等级: 一般\n"
        "责任单位: chaisang\n获知渠道: 应急管理部门\n状态: 已终结\n---\n",
    )
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Desk, a call and an event")
    submit(
        desk,
        "xiushui/2026/1205-01",
        item(desk, "xiushui", "修水县冬季安全生产检查全面铺开", extra="约稿: 2026/1201-winter\n"),
        "2026-12-05T19:00:00+08:00",
        "xiushui-kuangxiaoping",
    )
    submit(
        desk,
        "xunyang/2026/1206-01",
        item(desk, "xunyang", "浔阳区完成老旧小区改造年度任务", extra="截止时间: 2026-12-06 10:00\n"),
        "2026-12-06T12:00:00+08:00",
        "xunyang-liuxiaoyan",
    )
    submit(
        desk,
        "lianxi/2026/1207-01",
        item(
            desk,
            "lianxi",
            "濂溪区一处施工工地发生塌方",
            kind="突发性",
            urgency="特急",
            extra="截止时间: 2026-12-07 09:00\n",
        ),
        "2026-12-07T10:30:00+08:00",
        "lianxi-wuting",
    )
    submit(
        desk,
        "chaisang/2026/1210-01",
        item(
            desk,
            "chaisang",
            "柴桑区城门街道出现内涝",
            kind="突发性",
            urgency="特急",
            extra="发生时间: 2026-12-10 08:00\n事件: 2026/1210-flood\n",
        ),
        "2026-12-10T09:00:00+08:00",
        "chaisang-hukai",
        outcome="open",
    )
    submit(
        desk,
        "duchang/2026/1211-01",
        item(desk, "duchang", "都昌县推进候鸟保护工作"),
        "2026-12-11T09:00:00+08:00",
        "duchang-yuhaibo",
        outcome="close",
    )
    submit(
        desk,
        "gongqingcheng/2026/1211-01",
        item(desk, "gongqingcheng", "共青城市推进数字乡村建设"),
        "2026-12-11T10:00:00+08:00",
        "gongqingcheng-wangyang",
        revise="下一步将继续完善村级数字平台。",
        outcome="open",
    )
    secret = item(
        desk, "hukou", "湖口县某涉密事项进展", kind="突发性", urgency="特急", extra="发生时间: 2026-12-12 08:00\n"
    )
    secret = secret.replace("密级: 内部", "密级: 秘密\n保密期限: 1年")
    submit(desk, "hukou/2026/1212-01", secret, "2026-12-12T13:00:00+08:00", "hukou-zhangxu")
    submit(
        desk,
        "pengze/2026/1213-01",
        item(
            desk,
            "pengze",
            "彭泽县一化工企业发生泄漏",
            kind="突发性",
            urgency="特急",
            extra="发生时间: 2026-12-13 08:00\n续报: xiushui/2026/1205-01\n",
        ),
        "2026-12-13T15:00:00+08:00",
        "pengze-wangjing",
    )
    return desk


def cases_of(desk: Path, now: str = NOW) -> list[duty.Case]:
    config = load_config(desk)
    return read_desk(config, dt.datetime.fromisoformat(now).replace(tzinfo=config.timezone)).cases


def stats(desk: Path, *extra: str) -> dict[str, dict[str, object]]:
    done = run_cli("stats", "--period", "2026-12", "--format", "json", "--now", NOW, *extra, cwd=desk)
    assert done.returncode == 0, done.stderr
    return {row["unit"]: row for row in json.loads(done.stdout)["units"]}


def ledger(desk: Path, *extra: str) -> dict[str, dict[str, object]]:
    done = run_cli("ledger", "--format", "json", "--now", NOW, *extra, cwd=desk)
    assert done.returncode == 0, done.stderr
    return {life["id"]: life for life in json.loads(done.stdout)}


def test_an_ordinary_item_late_by_its_deadline_is_late_everywhere(december: Path) -> None:
    """11.2: check warned, the ledger said 120 minutes, overdue and stats said nothing."""
    check = run_cli(
        "check", "submissions/xunyang/2026/1206-01.md", "--received-at", "2026-12-06T12:00:00+08:00", cwd=december
    )
    assert "迟报" in check.stdout and "截止时间" in check.stdout
    assert ledger(december)["xunyang/2026/1206-01"]["late_minutes"] == 120
    [case] = [c for c in cases_of(december) if c.unit == "xunyang"]
    assert (case.kind, case.submission, case.delay) == ("迟报", "xunyang/2026/1206-01", dt.timedelta(hours=2))
    assert stats(december)["xunyang"]["late"] == 1
    overdue = run_cli("overdue", "--all", "--now", NOW, cwd=december)
    assert "迟报：浔阳区" in overdue.stdout


def test_an_urgent_item_with_a_deadline_and_no_event_time_is_judged_by_its_deadline(december: Path) -> None:
    """11.2: a 特急 item with 截止时间 but no 发生时间 was never counted by overdue."""
    assert ledger(december)["lianxi/2026/1207-01"]["late_minutes"] == 90
    assert stats(december)["lianxi"]["late"] == 1


def test_calls_answered_late_or_not_at_all_are_counted_and_notified(december: Path, tmp_path: Path) -> None:
    """11.3: 约稿 cases were only in `overdue --all`; the ledger had no due, stats 0, the notice none."""
    life = ledger(december)["xiushui/2026/1205-01"]
    assert life["due"] == "2026-12-05T17:00:00+08:00" and life["late_minutes"] == 120
    rows = stats(december)
    assert rows["xiushui"]["call_late"] == 1 and rows["wuning"]["call_missed"] == 1
    assert rows["wuning"]["score"] == -50
    desk = tmp_path / "copy"
    shutil.copytree(december, desk)  # with the receipts (git notes), which a clone leaves behind
    done = run_cli("notice", "--period", "2026-12", "--date", "2026-12-21", "--now", NOW, cwd=desk)
    assert done.returncode == 0, done.stderr
    text = (desk / "issues/tongbao/2026/001.md").read_text(encoding="utf-8")
    assert "约稿逾期：修水县约稿“冬季安全生产”" in text and "约稿未报：武宁县" in text


def test_stats_and_notice_give_the_same_figures_on_every_run_with_the_same_now(december: Path) -> None:
    """11.5: the figures of a month changed with the day they were run."""
    first = run_cli("stats", "--period", "2026-12", "--format", "json", "--now", NOW, cwd=december)
    second = run_cli("stats", "--period", "2026-12", "--format", "json", "--now", NOW, cwd=december)
    assert first.returncode == 0 and first.stdout == second.stdout
    # a past month, without --now, is judged at its end: the same output whatever day it is run
    past = run_cli("stats", "--period", "2026-11", "--format", "json", cwd=december)
    at_end = run_cli("stats", "--period", "2026-11", "--format", "json", "--now", "2026-11-30 23:59:59", cwd=december)
    assert past.stdout == at_end.stdout


def test_every_unit_is_ranked_ties_share_a_rank_and_silent_units_are_named(december: Path, tmp_path: Path) -> None:
    """11.6: five tied at 20 points, three praised; 名次 jumped 7 to 31; silent units dropped."""
    rows = stats(december)
    config = load_config(december)
    assert set(rows) == {u.id for u in config.units}
    ranks = sorted(int(r["rank"]) for r in rows.values())  # type: ignore[call-overload]
    for row in rows.values():  # a rank is one more than the number of units with a higher score
        assert row["rank"] == 1 + sum(1 for other in rows.values() if other["score"] > row["score"])  # type: ignore[operator]
    assert ranks[0] == 1
    desk = tmp_path / "copy"
    shutil.copytree(december, desk)  # with the receipts (git notes), which a clone leaves behind
    done = run_cli("notice", "--period", "2026-12", "--date", "2026-12-21", "--now", NOW, cwd=desk)
    assert done.returncode == 0, done.stderr
    text = (desk / "issues/tongbao/2026/001.md").read_text(encoding="utf-8")
    assert "本期未报送信息的单位" in text and "武宁县" in text.split("本期未报送信息的单位")[1].split("\n")[0]
    table = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| 名次")]
    assert len(table) == len(config.units)
    # commended: every unit at a commended rank with a positive score (here the units that tie at the top)
    top = [r for r in rows.values() if r["score"] > 0 and r["rank"] <= 3]  # type: ignore[operator]
    praise = text.split("## 三、通报表扬")[1].split("##")[0]
    assert all(str(r["name"]) in praise for r in top)


def test_a_second_notice_for_the_same_period_is_refused_unless_a_revision(december: Path, tmp_path: Path) -> None:
    """11.6: running `notice` again silently drafted a second, identical 通报."""
    desk = tmp_path / "copy"
    shutil.copytree(december, desk)  # with the receipts (git notes), which a clone leaves behind
    first = run_cli("notice", "--period", "2026-12", "--date", "2026-12-21", "--now", NOW, cwd=desk)
    assert first.returncode == 0, first.stderr
    again = run_cli("notice", "--period", "2026-12", "--date", "2026-12-21", "--now", NOW, cwd=desk)
    assert again.returncode != 0 and "已有通报" in again.stderr and "--revision" in again.stderr
    assert "Traceback" not in again.stderr and not (desk / "issues/tongbao/2026/002.md").exists()
    revised = run_cli("notice", "--period", "2026-12", "--date", "2026-12-22", "--now", NOW, "--revision", cwd=desk)
    assert revised.returncode == 0, revised.stderr
    assert "修订稿" in (desk / "issues/tongbao/2026/002.md").read_text(encoding="utf-8")


def test_durations_read_the_same_in_the_ledger_as_everywhere(december: Path) -> None:
    """11.6: the ledger text said 迟报150分钟 where every other output says 2小时30分钟."""
    done = run_cli("ledger", "--now", NOW, cwd=december)
    assert "迟报2小时" in done.stdout and "迟报120分钟" not in done.stdout
    assert "约稿逾期2小时" in done.stdout


def test_a_report_waiting_in_a_pull_request_is_received_not_missed(december: Path) -> None:
    """11.7: the alarm called an emergency the server had received 漏报 until an editor merged it."""
    assert not any(c.unit == "chaisang" for c in cases_of(december))
    done = run_cli("overdue", "--now", "2026-12-10 12:00", cwd=december)
    assert done.returncode == 0, done.stdout
    assert "漏报" not in done.stdout and "已接报、待采用" in done.stdout and "柴桑区" in done.stdout
    assert ledger(december)["chaisang/2026/1210-01"]["state"] == "待审"


def test_an_item_closed_without_merging_is_received_and_not_adopted(december: Path) -> None:
    """11.8: the ledger read only the work tree; 采用率 was inflated."""
    life = ledger(december)["duchang/2026/1211-01"]
    assert life["state"] == "未采用" and life["received_at"] == "2026-12-11T09:00:00+08:00"
    row = stats(december)["duchang"]
    assert row["submitted"] == 1 and row["rate"] == 0.0


def test_a_pending_item_changed_on_its_branch_is_sent_back(december: Path) -> None:
    """11.8: 待审, 退改, 未采用 and 采用 are states of the ledger: an item revised on its branch after it
    was sent (the editor asked for changes) is 退改, and its revisions are counted."""
    life = ledger(december)["gongqingcheng/2026/1211-01"]
    assert (life["state"], life["sent_back"], life["accepted_at"]) == ("退改", 1, None)
    assert life["received_at"] == "2026-12-11T10:00:00+08:00"
    assert stats(december)["gongqingcheng"]["submitted"] == 1


def test_accepted_at_carries_the_desks_offset(december: Path) -> None:
    """11.9: accepted_at was written in UTC while every other time carries +08:00."""
    env_desk = december
    merged = ledger(env_desk)["xunyang/2026/1206-01"]["accepted_at"]
    assert isinstance(merged, str) and merged.endswith("+08:00")


def test_ledger_ref_reads_the_items_of_that_branch(december: Path) -> None:
    """11.9: `ledger --ref` still read the items from the work tree."""
    branch = "unit/chaisang-2026-1210-01"
    on_branch = ledger(december, "--ref", branch)
    assert ledger(december)["chaisang/2026/1210-01"]["accepted_at"] is None  # not on main
    assert on_branch["chaisang/2026/1210-01"]["accepted_at"] is not None  # on the branch read
    first = git(december, "rev-list", "--max-parents=0", "HEAD").strip()
    at_start = ledger(december, "--ref", first)
    assert at_start["xunyang/2026/1206-01"]["accepted_at"] is None  # received, not yet on that commit


def test_a_secret_title_never_reaches_an_internal_notice(december: Path, tmp_path: Path) -> None:
    """12.2: the 内部 draft quoted the titles of late items whatever their 密级."""
    desk = tmp_path / "copy"
    shutil.copytree(december, desk)  # with the receipts (git notes), which a clone leaves behind
    done = run_cli("notice", "--period", "2026-12", "--date", "2026-12-21", "--now", NOW, cwd=desk)
    assert done.returncode == 0, done.stderr
    text = (desk / "issues/tongbao/2026/001.md").read_text(encoding="utf-8")
    assert "密级: 内部" in text
    assert "湖口县某涉密事项进展" not in text
    assert "迟报：湖口县一条秘密信息（hukou/2026/1212-01" in text


def test_claiming_a_follow_up_of_another_units_item_does_not_escape_lateness(december: Path) -> None:
    """12.4: a late 特急 item with 续报 pointing at another unit's item was never counted late."""
    check = run_cli(
        "check", "submissions/pengze/2026/1213-01.md", "--received-at", "2026-12-13T15:00:00+08:00", cwd=december
    )
    assert check.returncode == 1 and "follows-missing" in check.stdout and "别的单位" in check.stdout
    [case] = [c for c in cases_of(december) if c.unit == "pengze"]
    assert case.kind == "迟报" and case.delay == dt.timedelta(hours=5)
    assert stats(december)["pengze"]["late"] == 1


def test_a_follow_up_of_an_item_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "desk", with_submissions=False)
    text = item(
        desk,
        "pengze",
        "彭泽县泄漏处置进展",
        kind="突发性",
        urgency="特急",
        extra="发生时间: 2026-12-13 08:00\n续报: pengze/2026/1299-01\n",
    )
    write(desk, "submissions/pengze/2026/1213-02.md", text)
    done = run_cli(
        "check", "submissions/pengze/2026/1213-02.md", "--received-at", "2026-12-13T15:00:00+08:00", cwd=desk
    )
    assert done.returncode == 1 and "follows-missing" in done.stdout and "迟报" in done.stdout


def test_the_final_report_ends_the_follow_up_duty(tmp_path: Path) -> None:
    """11.9: there was no 终报: only closing the event ended the duty to follow up."""
    desk = make_desk(tmp_path / "desk", with_submissions=False)
    git(desk, "init", "-q", "-b", "main")
    write(
        desk,
        "events/2026/1214-fire.md",
        "---\n事件: 瑞昌市一厂房火灾\n发生时间: 2026-12-14 08:00\n地点: 瑞昌市\n等级: 一般\n"
        "责任单位: ruichang\n获知渠道: 消防救援支队\n状态: 处置中\n---\n",
    )
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Event")
    extra = "发生时间: 2026-12-14 08:00\n事件: 2026/1214-fire\n"
    submit(
        desk,
        "ruichang/2026/1214-01",
        item(desk, "ruichang", "瑞昌市一厂房发生火灾", "突发性", "特急", extra),
        "2026-12-14T09:00:00+08:00",
        "ruichang-xiongdan",
    )
    follow = extra + "续报: ruichang/2026/1214-01\n"
    assert [c.kind for c in cases_of(desk, "2026-12-16 12:00")] == ["续报逾期"]
    submit(
        desk,
        "ruichang/2026/1214-02",
        item(desk, "ruichang", "瑞昌市厂房火灾已扑灭", "突发性", "特急", follow + "终报: 是\n"),
        "2026-12-14T18:00:00+08:00",
        "ruichang-xiongdan",
    )
    assert cases_of(desk, "2026-12-20 12:00") == []  # the 终报 ends the duty although the event stays open


def test_check_late_is_within_the_ledgers_and_the_ledger_agrees_with_stats(december: Path) -> None:
    """The held numbers add up: every item check calls late is late in the ledger, and each unit's
    late count in stats is the number of its cases on record in the period."""
    lives = ledger(december)
    rows = stats(december)
    config = load_config(december)
    snap = read_desk(config, dt.datetime(2026, 12, 20, 12, tzinfo=config.timezone))
    for item_id, life in lives.items():
        receipt = snap.receipts.get(f"submissions/{item_id}.md")
        if receipt is None or item_id not in snap.items or life["state"] == "待审":
            continue
        done = (
            run_cli(
                "check",
                f"submissions/{item_id}.md",
                "--received-at",
                receipt.received_at.isoformat(),
                "--format",
                "json",
                cwd=december,
            )
            if (december / f"submissions/{item_id}.md").exists()
            else None
        )
        if done is not None and '"late"' in done.stdout:
            assert life["late_minutes"], item_id
    for unit, row in rows.items():
        mine = [c for c in duty.on_record(snap.cases) if c.unit == unit]
        counted = sum(int(row[k]) for k in ("late", "missed", "concealed", "follow_up", "call_late", "call_missed"))  # type: ignore[call-overload]
        assert counted == len(mine), unit
    assert sum(int(r["submitted"]) for r in rows.values()) == len(snap.receipts)  # type: ignore[call-overload]


def test_the_ledger_is_the_same_built_in_process(december: Path) -> None:
    config = load_config(december)
    now = dt.datetime(2026, 12, 20, 12, tzinfo=config.timezone)
    assert json.loads(build_ledger(config, None, now).to_json()) == list(ledger(december).values())


@pytest.mark.parametrize(
    ("front", "line", "said"),
    [
        ("类型: 批示\n信息: xiushui/2026/1205-01\n日期: 2026-12-08\n级别: 乡\n批示人: 某某\n", 5, "级别“乡”无效"),
        ("类型: 批示\n信息: &a [a, *a]\n日期: 2026-12-08\n", None, "别名"),
        ("类型: 批示\n日期: 2026-12-40\n信息: xiushui/2026/1205-01\n级别: 省\n批示人: 某某\n", 3, "应写成2026-11-28"),
        # the 批示内容's own 密级: one of the levels, and on a 批示 only
        (
            "类型: 批示\n信息: xiushui/2026/1205-01\n日期: 2026-12-08\n级别: 省\n批示人: 某某\n密级: 绝密\n",
            7,
            "密级“绝密”无效：只能是公开/内部/秘密/机密",
        ),
        (
            "类型: 上级采用\n信息: xiushui/2026/1205-01\n日期: 2026-12-08\n级别: 省\n刊物: 江西信息\n密级: 秘密\n",
            7,
            "密级只用于批示",
        ),
    ],
)
def test_records_are_read_as_safely_as_events_with_line_numbers(
    december: Path, tmp_path: Path, front: str, line: int | None, said: str
) -> None:
    """11.4: records.load_records lacked the safety checks and line numbers of the other readers."""
    from bulletin.desk.records import load_records

    desk = tmp_path / "copy"
    shutil.copytree(december, desk)
    write(desk, "records/2026/1208-ps-01.md", f"---\n{front}---\n批示内容\n")
    records, problems = load_records(load_config(desk))
    assert records == []
    [problem] = problems
    assert problem.path == "records/2026/1208-ps-01.md" and said in problem.message
    if line is not None:
        assert problem.line == line


def test_the_demo_desk_tells_one_story(tmp_path: Path) -> None:
    """Done when: ledger, overdue --all, stats and notice agree on every case for the demo desk."""
    repo = Path(__file__).resolve().parents[1]
    desk = tmp_path / "demo"
    shutil.copytree(repo, desk, ignore=shutil.ignore_patterns(".venv", "node_modules", "site", ".fonts", "build"))
    now = "2026-11-30 23:59:59"
    overdue = json.loads(run_cli("overdue", "--all", "--format", "json", "--now", now, cwd=desk).stdout)
    on_record = [
        c
        for c in overdue["cases"]
        if c["source"] in duty.TRUSTED or c["reported_at"] is None or c["kind"] in ("瞒报", "误报")
    ]
    done = run_cli("stats", "--period", "2026-11", "--format", "json", "--now", now, cwd=desk)
    rows = {r["unit"]: r for r in json.loads(done.stdout)["units"]}
    config = load_config(desk)
    keys = ("late", "missed", "concealed", "false", "follow_up", "call_late", "call_missed")
    snap = read_desk(config, dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=config.timezone))
    in_period = [c for c in duty.on_record(snap.cases) if c.when.astimezone(config.timezone).month == 11]
    assert sum(int(r[k]) for r in rows.values() for k in keys) == len(in_period)
    assert {(c["kind"], c["unit"]) for c in on_record} >= {(c.kind, c.unit) for c in in_period}
    lives = json.loads(run_cli("ledger", "--format", "json", "--now", now, cwd=desk).stdout)
    late_items = {life["id"] for life in lives if life["late_minutes"]}
    measured = {
        c.submission
        for c in in_period
        if c.submission and c.delay and c.kind in ("迟报", "瞒报", "续报逾期", "约稿逾期")
    }
    assert measured <= late_items
    # the demo already has November's notice: a revision is drafted beside it
    done = run_cli("notice", "--period", "2026-11", "--date", "2026-12-01", "--now", now, "--revision", cwd=desk)
    assert done.returncode == 0, done.stderr
    drafted = sorted((desk / "issues/tongbao/2026").glob("*.md"))[-1].read_text(encoding="utf-8")
    section = drafted.split("## 四、")[1].split("\n## ")[0]
    listed = [p for p in section.split("\n\n") if "：" in p and not p.startswith("请以上单位")]
    assert len(listed) == len(in_period), section
