"""What the desk tells a clerk: each message says what was written, what is wrong and the right form.

Issue 13, finding 7: values YAML reads as something else (8:00 as the number 480), suggested times
that are not of the item's day, no did-you-mean for a near miss (修水, xiushiu), `bulletin new`
that never asks for 主题, 报送对象, 约稿 or 截止时间, and documentation that miscounts the publications.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bulletin.core import names
from bulletin.core.levels import as_list
from bulletin.core.model import Config, Finding, Item
from bulletin.core.timing import BEIJING
from bulletin.desk.read import parse_item
from bulletin.editorial.check import check_file
from conftest import REPO_ROOT, MakeItem
from desk_helpers import BULLETIN, make_desk, run_cli

RECEIVED = dt.datetime(2026, 11, 28, 10, 0, tzinfo=BEIJING)
HEADER = {
    "标题": "修水县召开重点项目建设推进会",
    "报送单位": "xiushui",
    "信息员": "匡小平",
    "签发人": "冷德胜",
    "类别": "普遍性",
    "紧急程度": "平件",
    "密级": "内部",
    "报送对象": "[市委, 市政府]",
    "主题": "[项目建设]",
}
BODY = (
    "今年以来，修水县坚持“签约一批、开工一批、投产一批”，推动重点项目建设提速增效。"
    "县领导挂点联系重点项目，每月召开一次项目推进会，现场解决用地、用工等难题。"
    "1至10月，全县新签约项目36个，新开工项目28个，完成投资同比增长12.6%。"
)


def item_text(**changes: str | None) -> str:
    header = dict(HEADER)
    for key, value in changes.items():
        if value is None:
            header.pop(key, None)
        else:
            header[key] = value
    lines = "\n".join(f"{key}: {value}" for key, value in header.items())
    return f"---\n{lines}\n---\n\n{BODY}\n"


def emergency_text(**changes: str | None) -> str:
    base: dict[str, str | None] = {
        "标题": "修水县义宁镇一在建厂房发生火灾 无人员伤亡",
        "类别": "突发性",
        "紧急程度": "特急",
        "发生时间": "2026-11-28 08:30",
        "主题": "[安全生产]",
    }
    return item_text(**{**base, **changes})


@pytest.fixture
def check(demo_config: Config, make_item: MakeItem):  # type: ignore[no-untyped-def]
    def run(content: str, rel: str = "submissions/xiushui/2026/1128-01.md", received: dt.datetime = RECEIVED):
        return check_file(demo_config, make_item(content, rel), received)

    return run


def messages(findings: list[Finding], rule: str) -> list[str]:
    return [f.message for f in findings if f.rule == rule]


def read(text: str) -> Item:
    item, problems = parse_item(text.encode("utf-8"), Item(path="x.md", abspath=Path("x.md"), text=""), [])
    assert problems == []
    return item


# ---------------------------------------------------------------- 1. values YAML reads as something else


@pytest.mark.parametrize(
    ("written", "yaml_reads"),
    [
        ("8:00", 480),  # base sixty
        ("010", 8),  # octal
        ("1_000", 1000),
        ("3.10", 3.1),
        ("1.5e+3", 1500.0),
        ("0x1A", 26),
        ("no", False),
        ("yes", True),
        ("on", True),
        ("True", True),
    ],
)
def test_a_value_yaml_would_retype_is_read_as_it_is_written(written: str, yaml_reads: object) -> None:
    """YAML 1.1 reads these plain values as numbers or yes/no; every key of an item is text."""
    assert yaml.safe_load(f"a: {written}")["a"] == yaml_reads  # what the front matter would otherwise hold
    item = read(item_text(标题=written, 主题=f"[{written}, 项目建设]"))
    assert item.fields["标题"] == written
    assert item.fields["主题"] == [written, "项目建设"]


def test_quoted_empty_and_dated_values_are_as_before() -> None:
    item = read(item_text(标题='"8:00"', 信息员="~", 发生时间="2026-11-28"))
    assert item.fields["标题"] == "8:00"
    assert item.fields["信息员"] is None
    assert item.fields["发生时间"] == "2026-11-28"  # a date stays text (the loader resolves no timestamps)


def test_a_time_without_a_date_says_so_and_gives_the_whole_time(check) -> None:  # type: ignore[no-untyped-def]
    findings = check(emergency_text(发生时间="8:00"), rel="submissions/xiushui/2026/1127-01.md")
    [message] = messages(findings, "time-format")
    assert "“8:00”只有钟点，没有日期" in message
    assert "发生时间: 2026-11-27 08:00" in message  # the item's own day (1127-01.md), the clerk's own clock
    assert "480" not in message and "写成文字" not in message
    [deadline] = messages(check(item_text(截止时间="17:30")), "time-format")
    assert "截止时间“17:30”只有钟点" in deadline and "截止时间: 2026-11-28 17:30" in deadline
    [no_year] = messages(check(emergency_text(发生时间="11月28日8时30分")), "time-format")
    assert "没有写年份" in no_year and "发生时间: 2026-11-28 08:30" in no_year


@pytest.mark.parametrize(
    ("key", "written", "expected"),
    [
        ("密级", "no", "密级“no”无效"),
        ("终报", "yes", "终报“yes”无效"),
        ("类别", "1", "类别“1”无效"),
        ("紧急程度", "off", "紧急程度“off”无效"),
    ],
)
def test_a_yes_or_no_or_a_number_is_named_as_written(check, key: str, written: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    findings = check(item_text(**{key: written}))
    shown = [f.message for f in findings]
    assert any(expected in m for m in shown), shown
    assert not any("应写成一行文字" in m or "False" in m or "True" in m for m in shown), shown


def test_a_list_written_with_chinese_commas_is_the_list_meant(check) -> None:  # type: ignore[no-untyped-def]
    """YAML parts [甲, 乙] at ASCII commas only: [市委，市政府] is one entry to it, two to the clerk."""
    assert check(item_text(报送对象="[市委，市政府]", 主题="[项目建设、招商引资]")) == []
    assert as_list(["市委，市政府", "长江 大保护"]) == [
        "市委",
        "市政府",
        "长江 大保护",
    ]  # an entry's spaces are its own


def test_a_key_written_with_nothing_after_it_is_not_called_missing(check) -> None:  # type: ignore[no-untyped-def]
    [finding] = [f for f in check(item_text(信息员="~")) if f.rule == "missing-field"]
    assert finding.line == 4 and "“信息员”没有填写内容" in finding.message and "缺少" not in finding.message


# ---------------------------------------------------------------- 2. suggested times of the item's day


def test_the_suggested_time_is_of_the_items_day_not_a_fixed_date(check) -> None:  # type: ignore[no-untyped-def]
    received = dt.datetime(2026, 12, 3, 14, 5, tzinfo=BEIJING)
    findings = check(emergency_text(发生时间=None), rel="submissions/xiushui/2026/1203-01.md", received=received)
    [message] = messages(findings, "occurred-at")
    assert "发生时间: 2026-12-03 14:05" in message and "2026-11-28" not in message
    graded = check(item_text(事件等级="一般"), rel="submissions/xiushui/2026/1202-01.md", received=received)
    [message] = messages(graded, "occurred-at")
    assert "发生时间: 2026-12-02 14:05" in message
    # a file not named by its day: the day it is received
    odd = check(emergency_text(发生时间=None), rel="submissions/xiushui/2026/huiyi.md", received=received)
    assert "发生时间: 2026-12-03 14:05" in messages(odd, "occurred-at")[0]
    [words] = messages(check(emergency_text(发生时间="昨天上午"), received=received), "time-format")
    assert "2026-11-28 14:05" in words and "2026年11月28日14时5分" in words


def test_new_writes_examples_of_today(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "desk", with_submissions=False)
    done = run_cli("new", "--unit", "xiushui", "--kind", "突发性", "--now", "2026-12-03 09:15", cwd=desk)
    assert done.returncode == 0, done.stderr
    text = (desk / "submissions/xiushui/2026/1203-01.md").read_text(encoding="utf-8")
    assert "发生时间: 【待填写：2026-12-03 09:15】" in text and "2026-11-28" not in text
    late = run_cli("new", "--unit", "xiushui", "--occurred-at", "8:10", "--now", "2026-12-03 09:15", cwd=desk)
    assert late.returncode == 2 and "“8:10”只有钟点，没有日期" in late.stderr and "2026-12-03 08:10" in late.stderr


# ---------------------------------------------------------------- 3. did you mean


def unit_choices(config: Config) -> list[tuple[str, str]]:
    return [(spelling, unit.id) for unit in config.units for spelling in (unit.id, unit.name, *unit.aliases)]


@pytest.mark.parametrize(
    "written",
    [
        "修水",
        "修水县委",
        "xiushiu",
        "xiushuixian",
        "xiushuixain",
        "xsx",
        "XSX",
        "xiu shui",
        "修税县",
        "修水具",
        "九江市修水县",
    ],
)
def test_a_near_miss_of_a_unit_suggests_it(demo_config: Config, written: str) -> None:
    assert names.suggestions(written, unit_choices(demo_config)) == ["xiushui"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("都昌", {"duchang", "duchang-duchang"}),
        ("xiu", {"xiushui", "xiushui-yining"}),
        ("修县", {"xiushui", "yongxiu"}),
    ],
)
def test_an_ambiguous_near_miss_lists_the_candidates(demo_config: Config, written: str, expected: set[str]) -> None:
    assert set(names.suggestions(written, unit_choices(demo_config))) == expected


@pytest.mark.parametrize("written", ["市", "abc", "省委办公厅", "x" * 200, ""])
def test_what_is_near_nothing_gets_no_suggestion(demo_config: Config, written: str) -> None:
    assert names.suggestions(written, unit_choices(demo_config)) == []


@pytest.mark.parametrize("written", ["修水", "xiushiu", "xiushuixian", "xsx"])
def test_unit_unknown_says_did_you_mean(check, written: str) -> None:  # type: ignore[no-untyped-def]
    [message] = messages(check(item_text(报送单位=written)), "unit-unknown")
    assert f"报送单位“{written}”不在信息网络名册中，您是不是要写“修水县”（代号xiushui）" in message


def test_unit_unknown_lists_the_candidates_when_ambiguous(check) -> None:  # type: ignore[no-untyped-def]
    [message] = messages(check(item_text(报送单位="都昌")), "unit-unknown")
    assert "您是不是要写“都昌县”（代号duchang）或“都昌县都昌镇”（代号duchang-duchang）" in message


@pytest.mark.parametrize(
    ("key", "written", "rule", "meant"),
    [
        ("类别", "普遍", "invalid-value", "普遍性"),
        ("类别", "pbx", "invalid-value", "普遍性"),
        ("紧急程度", "pingjian", "invalid-value", "平件"),
        ("密级", "neibu", "classification", "内部"),
        ("密级", "内布", "classification", "内部"),
        ("报送对象", "[市委, shizhengfu]", "recipients", "市政府"),
        ("主题", "[招商]", "topic-unknown", "招商引资"),
        ("主题", "[xiangcunzhengxing]", "topic-unknown", "乡村振兴"),
    ],
)
def test_a_listed_value_near_miss_says_did_you_mean(check, key: str, written: str, rule: str, meant: str) -> None:  # type: ignore[no-untyped-def]
    found = messages(check(item_text(**{key: written})), rule)
    assert any(f"您是不是要写“{meant}”" in m for m in found), found


def test_new_suggests_the_unit(tmp_path: Path) -> None:
    desk = make_desk(tmp_path / "desk", with_submissions=False)
    done = run_cli("new", "--unit", "xiushiu", "--no-input", cwd=desk)
    assert done.returncode == 2 and "您是不是要写“修水县”（代号xiushui）" in done.stderr
    done = run_cli("new", "--unit", "xiushui", "--kind", "tufa", "--no-input", cwd=desk)
    assert done.returncode == 2 and "类别“tufa”无效，您是不是要写“突发性”" in done.stderr


# ---------------------------------------------------------------- 4. bulletin new asks for everything


def desk_with_calls(tmp_path: Path) -> Path:
    desk = make_desk(tmp_path / "desk", with_submissions=False)
    shutil.copytree(REPO_ROOT / "calls", desk / "calls")
    return desk


def converse(desk: Path, args: list[str], answers: list[str]) -> tuple[int | None, str]:
    """Run `bulletin new` at a terminal (a pseudo-terminal), answering each question in turn; a
    question more than there are answers is left unanswered and the command stopped."""
    import pty
    import select

    controller, terminal = pty.openpty()
    proc = subprocess.Popen([str(BULLETIN), "new", *args], cwd=desk, stdin=terminal, stdout=terminal, stderr=terminal)
    os.close(terminal)
    pending, seen, quiet, mark = list(answers), b"", 0.0, 0
    while proc.poll() is None and quiet < 60:
        ready, _, _ = select.select([controller], [], [], 1)
        if not ready:
            quiet += 1
            continue
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        quiet, seen = 0.0, seen + chunk
        # a new question: something other than the echo of the last answer, ending in a colon
        if seen[mark:].strip() and seen.rstrip().endswith("：".encode()):
            if not pending:
                break
            answer = pending.pop(0)
            os.write(controller, (answer + "\n").encode())
            mark = len(seen) + len(answer.encode())
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=30)
    with contextlib.suppress(OSError):
        seen += os.read(controller, 65536) if select.select([controller], [], [], 0)[0] else b""
    os.close(controller)
    return proc.returncode, seen.decode("utf-8", "replace")


def test_new_asks_for_recipients_topics_call_and_deadline(tmp_path: Path) -> None:
    desk = desk_with_calls(tmp_path)
    answers = [
        "修水县开展今冬明春安全生产大检查",  # 标题
        "",  # 类别 [普遍性]
        "",  # 紧急程度 [平件]
        "",  # 密级 [内部]
        "市委",  # 报送对象
        "安全生产",  # 主题
        "2026/1112-anquan",  # 约稿
        "",  # 截止时间 [the call's]
    ]
    code, text = converse(desk, ["--unit", "xiushui", "--now", "2026-11-15 09:00"], answers)
    assert code == 0, text
    assert "报送对象（市委、市政府" in text and "主题（可选：项目建设、招商引资" in text
    assert "约稿（" in text and "2026/1112-anquan（今冬明春安全生产工作进展，2026年11月20日17:00截止）" in text
    assert "截止时间（" in text and "［2026-11-20 17:00］" in text
    created = (desk / "submissions/xiushui/2026/1115-01.md").read_text(encoding="utf-8")
    assert "\n报送对象: [市委]" in created and "\n主题: [安全生产]" in created
    assert "\n约稿: 2026/1112-anquan" in created and "\n截止时间: 2026-11-20 17:00" in created
    done = run_cli("check", "--received-at", "2026-11-15 10:00", "submissions/xiushui/2026/1115-01.md", cwd=desk)
    assert "[request-missing]" not in done.stdout and "[time-format]" not in done.stdout, done.stdout


def test_new_asks_again_with_the_suggestion_as_default(tmp_path: Path) -> None:
    desk = desk_with_calls(tmp_path)
    answers = [
        "修水县开展安全生产大检查",  # 标题
        "pbx",  # 类别: asked again, 普遍性 offered
        "",  # takes 普遍性
        "",  # 紧急程度
        "",  # 密级
        "",  # 报送对象
        "zsyz",  # 主题: asked again, 招商引资 offered
        "",  # takes 招商引资
        "",  # 约稿: none
        "",  # 截止时间: none
    ]
    code, text = converse(desk, ["--unit", "xiushui", "--now", "2026-11-15 09:00"], answers)
    assert code == 0, text
    assert "类别“pbx”无效，您是不是要写“普遍性”" in text and "［普遍性］" in text
    assert "主题“zsyz”不在中心工作目录中，您是不是要写“招商引资”" in text
    created = (desk / "submissions/xiushui/2026/1115-01.md").read_text(encoding="utf-8")
    assert "\n类别: 普遍性" in created and "\n主题: [招商引资]" in created and "\n约稿:" not in created


def test_new_takes_call_and_deadline_as_options(tmp_path: Path) -> None:
    desk = desk_with_calls(tmp_path)
    args = ["--unit", "xiushui", "--no-input", "--now", "2026-11-15 09:00"]
    done = run_cli("new", *args, "--request", "2026/1112-anquan", "--deadline", "2026-11-20 17:00", cwd=desk)
    assert done.returncode == 0, done.stderr
    created = (desk / "submissions/xiushui/2026/1115-01.md").read_text(encoding="utf-8")
    assert "\n约稿: 2026/1112-anquan" in created and "\n截止时间: 2026-11-20 17:00" in created
    wrong = run_cli("new", *args, "--request", "2026/1112-anquang", cwd=desk)
    assert wrong.returncode == 2 and "约稿“2026/1112-anquang”不是登记的约稿编号" in wrong.stderr
    assert "您是不是要写“2026/1112-anquan”" in wrong.stderr
    by_topic = run_cli("new", *args, "--request", "安全生产", cwd=desk)
    assert by_topic.returncode == 2 and "您是不是要写“2026/1112-anquan”" in by_topic.stderr
    help_text = run_cli("new", "--help", cwd=desk).stdout
    assert "--request" in help_text and "--deadline" in help_text and "截止时间" in help_text


# ---------------------------------------------------------------- 5. the documentation counts what there is

_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _number(written: str) -> int:
    if written.isdigit():
        return int(written)
    if written.startswith("十"):
        return 10 + (_NUMERALS[written[1]] if len(written) > 1 else 0)
    if "十" in written:
        tens, _, ones = written.partition("十")
        return _NUMERALS[tens] * 10 + (_NUMERALS[ones] if ones else 0)
    return _NUMERALS[written]


_COUNT = r"([0-9]+|[一二两三四五六七八九十]+)"


def test_the_documentation_counts_the_publications_and_issues_there_are() -> None:
    config = yaml.safe_load((REPO_ROOT / "bulletin.yml").read_text(encoding="utf-8"))
    publications = len(config["publications"])
    issues = len([p for p in (REPO_ROOT / "issues").glob("*/*/*.md")])
    pages = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]
    said: list[tuple[str, str, int, int]] = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(rf"{_COUNT}(?:种|份)刊物", text):
            said.append((page.name, m.group(0), _number(m.group(1)), publications))
        for m in re.finditer(rf"{_COUNT}(?:种|份)刊物共{_COUNT}期", text):
            said.append((page.name, m.group(0), _number(m.group(2)), issues))
    assert said, "the README says how many publications and issues the demo has"
    wrong = [(page, phrase, number, real) for page, phrase, number, real in said if number != real]
    assert not wrong, f"bulletin.yml has {publications} publications, issues/ {issues} issues: {wrong}"


def test_the_guides_name_every_publication() -> None:
    """The admin guide's list and the editor guide's table of publications: all of bulletin.yml."""
    config = yaml.safe_load((REPO_ROOT / "bulletin.yml").read_text(encoding="utf-8"))
    ids = [publication["id"] for publication in config["publications"]]
    admin = (REPO_ROOT / "docs/guide/admin.md").read_text(encoding="utf-8")
    listed = next(line for line in admin.splitlines() if "现配置" in line and "刊物" in line)
    assert [i for i in ids if f"`{i}`" not in listed] == []
    editor = (REPO_ROOT / "docs/guide/editor.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip() for line in editor.splitlines() if line.startswith("| ")}
    assert [i for i in ids if i not in rows] == []


def test_a_register_time_is_read_as_it_is_written(tmp_path: Path) -> None:
    """A call's `截止时间: 17:00` was read by YAML as the number 1020 (base sixty) and reported as
    such; registers read every value as written, as items do, and say what the time lacks."""
    from bulletin.desk.config import load_config
    from bulletin.desk.registers import load_records

    desk = make_desk(tmp_path / "desk", with_submissions=False)
    (desk / "calls" / "2026").mkdir(parents=True)
    (desk / "calls" / "2026" / "1201-safety.md").write_text(
        "---\n主题: 冬季安全生产\n约稿单位: [xiushui]\n截止时间: 17:00\n---\n\n约稿说明。\n", encoding="utf-8"
    )
    found = load_records(load_config(desk)).findings
    assert [(f.path, f.line) for f in found] == [("calls/2026/1201-safety.md", 4)], found
    assert "17:00" in found[0].message and "1020" not in found[0].message, found[0].message
    assert "请写完整的日期和时间，如2026-11-28 08:30" in found[0].message, found[0].message


def test_new_writes_a_topic_outside_the_list_as_the_check_lets_it_through(tmp_path: Path) -> None:
    """`bulletin new` refused a 主题 outside the list while the check only warns of it (topic-unknown):
    now both take it and say the same; one that looks like a listed one is asked again once."""
    desk = desk_with_calls(tmp_path)
    args = ["--unit", "xiushui", "--no-input", "--now", "2026-11-15 09:00", "--title", "修水县开展冬季森林防火检查"]
    done = run_cli("new", *args, "--topics", "森林防火", cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "注意：主题“森林防火”不在中心工作目录中" in done.stdout, done.stdout
    created = desk / "submissions/xiushui/2026/1115-01.md"
    assert "\n主题: [森林防火]" in created.read_text(encoding="utf-8")
    check = run_cli("check", str(created.relative_to(desk)), cwd=desk)
    assert "[topic-unknown]" in check.stdout and "主题“森林防火”不在中心工作目录中" in check.stdout, check.stdout
    answers = ["修水县开展安全生产大检查", "", "", "", "", "zsyz", "zsyz", "", ""]
    code, text = converse(desk, ["--unit", "xiushui", "--now", "2026-11-15 09:00"], answers)
    assert code == 0, text
    assert "照写请再输入一次“zsyz”" in text
    assert "\n主题: [zsyz]" in (desk / "submissions/xiushui/2026/1115-02.md").read_text(encoding="utf-8")
