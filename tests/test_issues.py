"""Editors' flow in a real git repository: accept by merging, draft an issue, check, publish, correct."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from desk_helpers import ITEM, git, init_repo, make_desk, run_cli


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """The demo desk with its submissions on main and no issues yet."""
    desk = make_desk(tmp_path / "desk")
    (desk / "issues").mkdir()
    return init_repo(desk)


def unit_pull_request(desk: Path, rel: str, text: str, branch: str, merge: bool) -> None:
    git(desk, "checkout", "-q", "-b", branch, "main")
    path = desk / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(desk, "add", rel)
    git(desk, "commit", "-q", "-m", f"Submit {rel}")
    git(desk, "checkout", "-q", "main")
    if merge:  # the editor accepts it: 采用入库（待编）
        git(desk, "merge", "-q", "--no-ff", branch, "-m", f"Accept {branch}")


def issue_check(desk: Path) -> tuple[int, list[dict[str, object]]]:
    done = run_cli("issue", "check", "--format", "json", cwd=desk)
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)["findings"]


def test_the_editors_flow_from_accepted_items_to_a_published_issue_and_a_correction(desk: Path) -> None:
    new_item = "submissions/xiushui/2026/1128-01.md"
    unit_pull_request(desk, new_item, ITEM, "unit/xiushui", merge=True)
    unit_pull_request(
        desk, "submissions/wuning/2026/1128-01.md", ITEM.replace("xiushui", "wuning"), "unit/wuning", merge=False
    )  # closed unmerged: 未采用

    git(desk, "checkout", "-q", "-b", "issue/huiyao-1", "main")
    done = run_cli(
        "issue", "new", "huiyao", "xiushui/2026/1128-01", "xunyang/2026/1110-01", "--date", "2026-11-28", cwd=desk
    )
    assert done.returncode == 0, done.stderr
    path = desk / "issues/huiyao/2026/001.md"
    text = path.read_text(encoding="utf-8")
    assert "期号: 1" in text and "总期号: 1" in text and "印数: 120" in text and "报: [省委办公厅]" in text
    assert text.index("来源：xiushui/2026/1128-01") < text.index("来源：xunyang/2026/1110-01")
    code, findings = issue_check(desk)
    assert code == 1 and [f["rule"] for f in findings] == ["issue-format"]  # 签发 still to be filled in
    path.write_text(text.replace("签发: 【待填写：签发领导】", "签发: 周建国"), encoding="utf-8")
    assert issue_check(desk) == (0, [])

    # an item that was never accepted cannot be credited
    path.write_text(
        path.read_text(encoding="utf-8") + "\n## 武宁县的信息\n\n来源：wuning/2026/1128-01\n\n正文。\n",
        encoding="utf-8",
    )
    git(desk, "checkout", "-q", "unit/wuning", "--", "submissions/wuning/2026/1128-01.md")
    code, findings = issue_check(desk)
    assert code == 1 and any("尚未采用入库" in str(f["message"]) for f in findings)
    git(desk, "rm", "-q", "--cached", "submissions/wuning/2026/1128-01.md")
    (desk / "submissions/wuning/2026/1128-01.md").unlink()
    path.write_text(path.read_text(encoding="utf-8").split("\n## 武宁县的信息")[0] + "\n", encoding="utf-8")
    assert issue_check(desk) == (0, [])

    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Issue huiyao 2026/1")
    git(desk, "checkout", "-q", "main")
    git(desk, "merge", "-q", "--no-ff", "issue/huiyao-1", "-m", "Publish huiyao 2026/1")  # 签发、发布

    # a published issue cannot be edited in place ...
    git(desk, "checkout", "-q", "-b", "fix/huiyao-1", "main")
    edited = path.read_text(encoding="utf-8").replace("36个", "38个")
    path.write_text(edited, encoding="utf-8")
    code, findings = issue_check(desk)
    assert code == 1 and [f["rule"] for f in findings] == ["issue-published"]
    # ... only corrected as a new revision that says what it corrects
    path.write_text(edited.replace("印数: 120\n", "印数: 120\n修订: 2\n修订说明: 更正新签约项目数\n"), encoding="utf-8")
    assert issue_check(desk) == (0, [])
    # and never deleted
    path.unlink()
    code, findings = issue_check(desk)
    assert code == 1 and any(f["rule"] == "issue-published" for f in findings)


def test_next_issue_continues_the_numbers_and_the_cumulative_number(desk: Path) -> None:
    for day, source in (("2026-11-06", "xiushui/2026/1103-01"), ("2026-11-13", "xunyang/2026/1110-01")):
        assert run_cli("issue", "new", "huiyao", source, "--date", day, cwd=desk).returncode == 0
    second = (desk / "issues/huiyao/2026/002.md").read_text(encoding="utf-8")
    assert "期号: 2" in second and "总期号: 2" in second
    assert (
        run_cli(
            "issue", "new", "huiyao", "dean/2026/1108-01", "--date", "2026-11-14", "--supplement", cwd=desk
        ).returncode
        == 0
    )
    supplement = (desk / "issues/huiyao/2026/zk001.md").read_text(encoding="utf-8")
    assert "期号: 1" in supplement and "增刊: true" in supplement and "总期号" not in supplement


def _fill(desk: Path) -> None:
    for path in (desk / "issues").rglob("*.md"):
        path.write_text(path.read_text(encoding="utf-8").replace("【待填写：签发领导】", "周建国"), encoding="utf-8")


def test_gaps_duplicates_and_wrong_cumulative_numbers_are_errors(desk: Path) -> None:
    for day, source in (("2026-11-06", "xiushui/2026/1103-01"), ("2026-11-13", "xunyang/2026/1110-01")):
        run_cli("issue", "new", "huiyao", source, "--date", day, cwd=desk)
    _fill(desk)
    folder = desk / "issues/huiyao/2026"
    shutil.move(folder / "002.md", folder / "003.md")
    (folder / "003.md").write_text(
        (folder / "003.md")
        .read_text(encoding="utf-8")
        .replace("期号: 2\n", "期号: 3\n")
        .replace("总期号: 2", "总期号: 5"),
        encoding="utf-8",
    )
    code, findings = issue_check(desk)
    messages = [str(f["message"]) for f in findings]
    assert code == 1
    assert any("缺第2期" in m for m in messages)
    assert any("总期号应为2" in m for m in messages)


def test_secrecy_of_an_issue_follows_its_items_and_the_publications_clearance(desk: Path) -> None:
    done = run_cli("issue", "new", "huiyao", "xinfang/2026/1121-01", cwd=desk)
    assert done.returncode == 2 and "最高只能刊载内部信息" in done.stderr
    assert run_cli("issue", "new", "neican", "xinfang/2026/1121-01", "--date", "2026-11-24", cwd=desk).returncode == 0
    _fill(desk)
    path = desk / "issues/neican/2026/001.md"
    assert "密级: 机密" in path.read_text(encoding="utf-8")
    code, findings = issue_check(desk)
    assert code == 1 and [f["rule"] for f in findings] == ["issue-copies"]  # a 机密 issue's copies are numbered first
    assert run_cli("copies", "neican/2026/001", "--register", cwd=desk).returncode == 0
    assert issue_check(desk) == (0, [])
    path.write_text(path.read_text(encoding="utf-8").replace("密级: 机密", "密级: 内部"), encoding="utf-8")
    code, findings = issue_check(desk)
    assert code == 1 and any("低于所刊信息的最高密级机密" in str(f["message"]) for f in findings)
    # moved into a publication not cleared for it
    target = desk / "issues/huiyao/2026/001.md"
    target.parent.mkdir(parents=True)
    target.write_text(
        path.read_text(encoding="utf-8").replace("刊物: neican", "刊物: huiyao").replace("密级: 内部", "密级: 机密"),
        encoding="utf-8",
    )
    path.unlink()
    code, findings = issue_check(desk)
    assert any("最高只能刊载内部信息" in str(f["message"]) for f in findings)


def test_a_broken_issue_file_is_a_clear_error(desk: Path) -> None:
    path = desk / "issues/huiyao/2026/001.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\n刊物: huiyao\n期号: 一\n---\n\n正文没有条目\n", encoding="utf-8")
    code, findings = issue_check(desk)
    assert code == 1
    messages = " ".join(str(f["message"]) for f in findings)
    assert "缺少“日期”" in messages and "缺少“签发”" in messages


def test_an_issue_is_kept_secret_at_least_as_long_as_its_items(desk: Path) -> None:
    assert run_cli("issue", "new", "neican", "xinfang/2026/1121-01", "--date", "2026-11-24", cwd=desk).returncode == 0
    _fill(desk)
    path = desk / "issues/neican/2026/001.md"
    assert "保密期限: 5年" in path.read_text(encoding="utf-8")  # the item's term, not a default
    path.write_text(path.read_text(encoding="utf-8").replace("保密期限: 5年", "保密期限: 1年"), encoding="utf-8")
    code, findings = issue_check(desk)
    assert code == 1 and any("长于本期的保密期限1年" in str(f["message"]) for f in findings)
