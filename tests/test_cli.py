"""End-to-end: the `bulletin` command on files in a real temporary git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desk_helpers import ITEM, emergency, git, init_repo, make_desk, run_cli


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    return init_repo(make_desk(tmp_path / "desk"))


def add_on_branch(desk: Path, rel: str, text: str, branch: str = "unit/xiushui", date: str | None = None) -> Path:
    git(desk, "checkout", "-q", "-B", branch)
    path = desk / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(desk, "add", rel)
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else None
    git(desk, "commit", "-q", "-m", "Add item", env=env)
    return path


def no_traceback(done) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout


def test_branch_check_passes_a_good_item_and_looks_only_at_the_change(desk: Path) -> None:
    add_on_branch(desk, "submissions/xiushui/2026/1128-01.md", ITEM)
    done = run_cli("check", "--format", "json", cwd=desk)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["checked"] == 1
    assert report["findings"] == []


def test_branch_check_fails_on_errors_with_path_line_rule_and_chinese_message(desk: Path) -> None:
    bad = ITEM.replace("今年以来，修水县", "今年以来,修水县")
    add_on_branch(desk, "submissions/xiushui/2026/1128-01.md", bad)
    done = run_cli("check", "--format", "json", cwd=desk)
    assert done.returncode == 1
    (finding,) = json.loads(done.stdout)["findings"]
    assert finding == {
        "path": "submissions/xiushui/2026/1128-01.md",
        "line": 13,
        "rule": "halfwidth-punct",
        "severity": "error",
        "message": finding["message"],
    }
    assert "，" in finding["message"] and "bulletin fix" in finding["message"]


def test_uncommitted_and_untracked_items_are_checked_too(desk: Path) -> None:
    path = desk / "submissions/xiushui/2026/1128-02.md"
    path.write_text(ITEM.replace("类别: 普遍性", "类别: 经验类"), encoding="utf-8")
    done = run_cli("check", cwd=desk)
    assert done.returncode == 1
    assert "[invalid-value]" in done.stdout and "经验类" in done.stdout


def test_committed_checks_the_branchs_commits_only(desk: Path) -> None:
    """CI's clean checkout: --committed judges the commits and does not look at the work tree."""
    add_on_branch(desk, "submissions/xiushui/2026/1128-01.md", ITEM.replace("今年以来，修水县", "今年以来,修水县"))
    (desk / "submissions/xiushui/2026/1128-02.md").write_text(ITEM.replace("类别: 普遍性", "类别: 经验类"), "utf-8")
    everything = json.loads(run_cli("check", "--format", "json", cwd=desk).stdout)
    committed = json.loads(run_cli("check", "--committed", "--format", "json", cwd=desk).stdout)
    assert everything["checked"] == 2
    assert {f["rule"] for f in everything["findings"]} == {"halfwidth-punct", "invalid-value"}
    assert committed["checked"] == 1
    assert [(f["path"], f["rule"]) for f in committed["findings"]] == [
        ("submissions/xiushui/2026/1128-01.md", "halfwidth-punct")
    ]


@pytest.mark.parametrize("committed", [False, True])
def test_a_branch_with_no_history_in_common_counts_every_file_as_new(desk: Path, committed: bool) -> None:
    git(desk, "checkout", "-q", "--orphan", "unit/fresh")
    path = desk / "submissions/xiushui/2026/1128-03.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ITEM, encoding="utf-8")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "A desk of its own")
    done = run_cli("check", *(["--committed"] if committed else []), "--format", "json", cwd=desk)
    no_traceback(done)
    report = json.loads(done.stdout)
    assert report["checked"] >= 1
    assert "submissions/xiushui/2026/1128-03.md" not in {f["path"] for f in report["findings"]}


def test_committed_is_only_for_branch_checks(desk: Path) -> None:
    done = run_cli("check", "--committed", "submissions", cwd=desk)
    assert done.returncode == 2
    assert "“--committed”只用于检查本分支的改动" in done.stderr
    no_traceback(done)


def test_text_output_ends_with_a_chinese_verdict(desk: Path) -> None:
    add_on_branch(desk, "submissions/xiushui/2026/1128-01.md", ITEM)
    done = run_cli("check", cwd=desk)
    assert done.stdout.strip().splitlines()[-1] == "共检查1个文件，全部符合要求"


def test_github_format_annotates_the_diff(desk: Path) -> None:
    add_on_branch(desk, "submissions/xiushui/2026/1128-01.md", ITEM.replace("标题: 修水县", "标题: 修水县,"))
    done = run_cli("check", "--format", "github", cwd=desk)
    assert done.returncode == 1
    line = done.stdout.splitlines()[0]
    assert line.startswith("::error file=submissions/xiushui/2026/1128-01.md,line=2,title=halfwidth-punct")
    assert "::标题" in line


def test_late_emergency_is_a_warning_judged_by_receipt_time_not_commit_date(desk: Path) -> None:
    rel = "submissions/chaisang/2026/1128-01.md"
    # the commit claims 08:45, fifteen minutes after the event; the office received it at 11:00
    add_on_branch(desk, rel, emergency("2026-11-28 08:30"), branch="unit/chaisang", date="2026-11-28T08:45:00+08:00")
    summary = desk / "summary.md"
    done = run_cli(
        "check", "--format", "json", "--received-at", "2026-11-28T03:00:00Z", "--summary", str(summary), cwd=desk
    )
    assert done.returncode == 0, "a late report is recorded, not refused"
    (finding,) = json.loads(done.stdout)["findings"]
    assert finding["rule"] == "late" and finding["severity"] == "warning"
    assert "迟报30分钟" in finding["message"]
    text = summary.read_text(encoding="utf-8")
    assert "### 迟报" in text and "迟报30分钟" in text and "<!-- bulletin-check -->" in text


def test_emergency_in_time_has_no_late_finding(desk: Path) -> None:
    add_on_branch(desk, "submissions/chaisang/2026/1128-01.md", emergency("2026-11-28 08:30"), branch="u")
    done = run_cli("check", "--format", "json", "--received-at", "2026-11-28 10:30", cwd=desk)
    assert done.returncode == 0
    assert json.loads(done.stdout)["findings"] == []


def test_impersonation_is_refused(desk: Path) -> None:
    add_on_branch(desk, "submissions/wuning/2026/1128-01.md", ITEM)
    done = run_cli("check", cwd=desk)
    assert done.returncode == 1
    assert "[unit-folder]" in done.stdout and "只能报送本单位的信息" in done.stdout


def test_stray_files_under_submissions_are_errors(desk: Path) -> None:
    add_on_branch(desk, "submissions/xiushui/2026/材料.docx", "不是信息")
    done = run_cli("check", cwd=desk)
    assert done.returncode == 1
    assert "[file-location]" in done.stdout


def test_explicit_paths_are_checked_wherever_they_lie(desk: Path, tmp_path: Path) -> None:
    outside = tmp_path / "草稿.md"
    outside.write_text(ITEM, encoding="utf-8")
    done = run_cli("check", str(outside), cwd=desk)
    assert done.returncode == 0, done.stdout


def test_demo_content_passes(desk: Path) -> None:
    items = sorted(str(p.relative_to(desk)) for p in (desk / "submissions").rglob("*.md"))
    assert len(items) >= 30
    done = run_cli("check", "--format", "json", *items, cwd=desk)
    report = json.loads(done.stdout)
    assert done.returncode == 0
    assert report["errors"] == 0
    # received now, the old emergencies are late: warnings only, nothing else
    assert {f["rule"] for f in report["findings"]} <= {"late"}


def test_new_writes_a_skeleton_in_the_units_folder_that_must_be_filled(desk: Path) -> None:
    done = run_cli("new", "--unit", "修水县委办", "--no-input", cwd=desk)
    assert done.returncode == 0, done.stderr
    created = sorted((desk / "submissions/xiushui").rglob("*.md"))
    new = [p for p in created if "【待填写" in p.read_text(encoding="utf-8")]
    assert len(new) == 1 and new[0].parent.name.isdigit()
    text = new[0].read_text(encoding="utf-8")
    assert "报送单位: xiushui" in text and "# 政策性/突发性" in text
    check = run_cli("check", str(new[0]), cwd=desk)
    assert check.returncode == 1 and "[placeholder]" in check.stdout
    # filled in, the skeleton passes
    filled = text.replace(text.split("---\n")[2], "\n" + ITEM.split("---\n")[2].lstrip("\n"))
    filled = filled.replace(text.splitlines()[2], "标题: 修水县推行“拿地即开工”审批模式")
    new[0].write_text(filled, encoding="utf-8")
    check = run_cli("check", str(new[0]), "--format", "json", cwd=desk)
    assert check.returncode == 0, check.stdout


def test_new_from_flags_fills_an_emergency_and_never_overwrites(desk: Path) -> None:
    args = [
        "new",
        "--unit",
        "chaisang",
        "--title",
        "柴桑区一企业仓库发生火灾",
        "--kind",
        "突发性",
        "--urgency",
        "特急",
        "--occurred-at",
        "2026-11-28 08:30",
        "--no-input",
    ]
    first = run_cli(*args, cwd=desk)
    second = run_cli(*args, cwd=desk)
    assert first.returncode == second.returncode == 0
    paths = sorted((desk / "submissions/chaisang/2026").glob("1128-*.md"))
    assert [p.name for p in paths] == ["1128-01.md", "1128-02.md"]
    text = paths[0].read_text(encoding="utf-8")
    assert "发生时间: 2026-11-28 08:30" in text and "标题: 柴桑区一企业仓库发生火灾" in text


def test_new_refuses_top_secret_and_unknown_units(desk: Path) -> None:
    done = run_cli("new", "--unit", "chaisang", "--classification", "绝密", "--no-input", cwd=desk)
    assert done.returncode == 2 and "绝密信息严禁录入本系统" in done.stderr
    done = run_cli("new", "--unit", "火星县", "--no-input", cwd=desk)
    assert done.returncode == 2 and "不在信息网络名册" in done.stderr
    no_traceback(done)


def test_fix_converts_gbk_and_punctuation_and_then_check_passes(desk: Path) -> None:
    path = desk / "submissions/xiushui/2026/1128-03.md"
    path.write_bytes(ITEM.replace("今年以来，", "今年以来,").replace("title", "").encode("gbk"))
    before = run_cli("check", str(path), cwd=desk)
    assert before.returncode == 1 and "GBK" in before.stdout
    done = run_cli("fix", str(path), cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "编码由GBK转为UTF-8" in done.stdout and "+今年以来，" in done.stdout
    assert run_cli("check", str(path), cwd=desk).returncode == 0


def test_fix_dry_run_leaves_the_file_alone(desk: Path) -> None:
    path = desk / "submissions/xiushui/2026/1128-04.md"
    original = ITEM.replace("今年以来，", "今年以来,")
    path.write_text(original, encoding="utf-8")
    done = run_cli("fix", "--dry-run", str(path), cwd=desk)
    assert done.returncode == 0 and "将修改" in done.stdout
    assert path.read_text(encoding="utf-8") == original


def test_rules_lists_every_rule(desk: Path) -> None:
    from bulletin.rules import RULES

    done = run_cli("rules", cwd=desk)
    assert done.returncode == 0
    for rule_id in RULES:
        assert rule_id in done.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "--format", "xml"], "无效的选项"),
        (["check", "不存在.md"], "找不到文件"),
        (["check", "--received-at", "明天"], "--received-at"),
        (["check", "--base", "no-such-branch"], "找不到要比较的分支"),
        (["fix"], "缺少参数"),
        (["frobnicate"], "无效的选项"),
    ],
)
def test_usage_errors_exit_2_with_one_chinese_line(desk: Path, args: list[str], expected: str) -> None:
    done = run_cli(*args, cwd=desk)
    assert done.returncode == 2
    assert expected in done.stderr
    no_traceback(done)


def test_outside_a_desk_the_error_says_where_to_run(tmp_path: Path) -> None:
    done = run_cli("check", cwd=tmp_path)
    assert done.returncode == 2 and "找不到bulletin.yml" in done.stderr
    no_traceback(done)


def test_broken_configuration_names_the_file_and_line(desk: Path) -> None:
    (desk / "bulletin.yml").write_text("office: 中共九江市委办公室\ndeadlines: [\n", encoding="utf-8")
    done = run_cli("check", "submissions/xiushui/2026/1103-01.md", cwd=desk)
    assert done.returncode == 2
    assert "bulletin.yml" in done.stderr and "第" in done.stderr
    no_traceback(done)


def test_broken_registry_is_a_clear_error(desk: Path) -> None:
    (desk / "network.yml").write_text("units:\n  - id: 修水\n    name: 修水县\n    type: 县区\n", encoding="utf-8")
    done = run_cli("check", "submissions/xiushui/2026/1103-01.md", cwd=desk)
    assert done.returncode == 2 and "network.yml" in done.stderr and "只能含小写字母" in done.stderr
    no_traceback(done)


def test_a_pull_request_is_judged_by_the_rules_of_main_not_its_own(desk: Path) -> None:
    add_on_branch(desk, "submissions/chaisang/2026/1128-01.md", emergency("2026-11-28 08:30"), branch="unit/chaisang")
    config = desk / "bulletin.yml"
    relaxed = (
        config.read_text(encoding="utf-8")
        .replace("特急: 2小时", "特急: 100小时")
        .replace("突发性: 2小时", "突发性: 100小时")
    )
    config.write_text(relaxed, encoding="utf-8")
    git(desk, "commit", "-q", "-am", "Relax the limit")
    done = run_cli("check", "--format", "json", "--received-at", "2026-11-28 11:00", cwd=desk)
    assert [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["late"]
    # an explicit file check uses the desk as it stands (the relaxed limit)
    done = run_cli(
        "check",
        "--format",
        "json",
        "--received-at",
        "2026-11-28 11:00",
        "submissions/chaisang/2026/1128-01.md",
        cwd=desk,
    )
    assert json.loads(done.stdout)["findings"] == []


def test_a_misspelt_time_limit_is_a_configuration_error(desk: Path) -> None:
    config = desk / "bulletin.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("特急: 2小时", "特级: 2小时"), encoding="utf-8")
    done = run_cli("check", "submissions/chaisang/2026/1109-01.md", cwd=desk)
    assert done.returncode == 2 and "“特级”无效" in done.stderr
    no_traceback(done)


def test_new_asks_in_chinese_at_a_terminal(desk: Path) -> None:
    import os
    import pty
    import subprocess
    import time

    from desk_helpers import BULLETIN

    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [str(BULLETIN), "new", "--unit", "chaisang"], cwd=desk, stdin=terminal, stdout=terminal, stderr=terminal
    )
    os.close(terminal)
    # then 报送对象, 主题, 约稿 (none) and 截止时间 (none)
    answers = [
        "柴桑区一企业仓库发生火灾",
        "突发性",
        "特急",
        "内部",
        "2026-11-28 08:30",
        "市委、市政府",
        "安全生产",
        "",
        "",
    ]
    seen = b""
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            chunk = os.read(controller, 4096)
        except OSError:
            break
        seen += chunk
        if chunk.rstrip().endswith("：".encode()) and answers:
            os.write(controller, (answers.pop(0) + "\n").encode())
    proc.wait(timeout=10)
    os.close(controller)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "标题（一句话写明核心事实）" in text and "紧急程度（特急/加急/平件）［平件］" in text
    created = (desk / "submissions/chaisang/2026/1128-01.md").read_text(encoding="utf-8")
    assert "标题: 柴桑区一企业仓库发生火灾" in created
    assert "类别: 突发性" in created and "紧急程度: 特急" in created and "发生时间: 2026-11-28 08:30" in created


def test_a_branch_cannot_rewrite_the_receipts(desk: Path) -> None:
    rel = "submissions/xiushui/2026/1128-01.md"
    add_on_branch(desk, rel, ITEM)
    forged = desk / "receipts/imported.tsv"
    forged.parent.mkdir(exist_ok=True)
    forged.write_text(f"{rel}\t2026-11-01T08:00:00+08:00\txiushui-kuangxiaoping\timport\n", encoding="utf-8")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Backdate my receipt")
    done = run_cli("check", "--format", "json", cwd=desk)
    assert done.returncode == 1
    assert [f["rule"] for f in json.loads(done.stdout)["findings"]] == ["protected-file"]


def test_a_server_receipt_outranks_an_imported_one(desk: Path) -> None:
    from bulletin.desk.git import Repository
    from bulletin.desk.receipts import Receipt, add_receipts, read_receipts

    rel = "submissions/xiushui/2026/1103-01.md"
    (desk / "receipts").mkdir(exist_ok=True)
    (desk / "receipts/imported.tsv").write_text(f"{rel}\t2026-11-01T08:00:00+08:00\tx\timport\n", encoding="utf-8")
    assert read_receipts(desk)[rel].source == "import"
    import datetime as dt

    stamped = dt.datetime(2026, 11, 3, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    add_receipts(Repository.at(desk), "HEAD", [Receipt(rel, stamped, "xiushui-kuangxiaoping", "hook")])
    receipt = read_receipts(desk)[rel]
    assert (receipt.source, receipt.received_at) == ("hook", stamped)


def test_many_files_are_checked_in_worker_processes_with_the_same_findings(
    desk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above check.PARALLEL_ABOVE files the work is shared among processes: same findings, same order."""
    import datetime as dt
    import os

    from bulletin.desk.config import load_config
    from bulletin.editorial import check

    config = load_config(desk)
    bad = desk / "submissions/xiushui/2026/1128-01.md"
    bad.write_text(ITEM.replace("，", ",", 2).replace("密级: 内部", "密级: 绝密"), encoding="utf-8")
    paths = sorted((desk / "submissions").glob("*/*/*.md"))
    when = dt.datetime(2026, 11, 28, 12, tzinfo=config.timezone)
    alone = check.check_paths(config, paths, when, receipts={})
    monkeypatch.setattr(check, "PARALLEL_ABOVE", 4)
    assert check._workers(len(paths)) > 1 or len(os.sched_getaffinity(0)) == 1
    shared = check.check_paths(config, paths, when, receipts={})
    assert shared.findings == alone.findings and shared.checked == alone.checked == len(paths)
    assert any(f.path.endswith("1128-01.md") and f.rule == "top-secret" for f in shared.findings)
