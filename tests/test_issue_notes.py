"""`bulletin issue check` and the files under issues/ that are not issues by design.

A README.md or index.md at the top of issues/ or of a publication's folder is a note about the
folder: it is not an issue and not an error. Every other file is judged as an issue, and in a
year's folder every file must be one: a misnamed issue is an error, never silently skipped (as
towncrier skipped misnamed fragments and lost 94 entries).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bulletin.desk.issues import is_note_file
from desk_helpers import REPO, git, init_repo, make_desk, run_cli

NOT_AN_ISSUE = "这不是刊物文件"


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    desk = make_desk(tmp_path / "desk")
    shutil.copytree(REPO / "issues", desk / "issues")
    shutil.copytree(REPO / "records" / "copies", desk / "records" / "copies")  # the 份号 of 内参
    return init_repo(desk)


def issue_check(desk: Path) -> tuple[int, str]:
    done = run_cli("issue", "check", "--base", "main", cwd=desk)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, done.stdout


def add(desk: Path, rel: str, text: str = "# 说明\n") -> None:
    path = desk / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", rel)


def test_the_desks_own_issues_folder_passes(desk: Path) -> None:
    assert (desk / "issues" / "README.md").is_file()
    status, out = issue_check(desk)
    assert status == 0, out
    assert NOT_AN_ISSUE not in out


NOTES = ["issues/index.md", "issues/huiyao/README.md", "issues/neican/index.md"]
STRAYS = [
    "issues/huiyao/2026/README.md",  # a year's folder holds issues only
    "issues/huiyao/2026/index.md",
    "issues/huiyao/2026/第1期.md",  # a misnamed issue
    "issues/huiyao/2026/15.md",
    "issues/readme.md",  # the exact name only
    "issues/说明.md",
    "issues/huiyao/notes.md",
    "issues/huiyao/2026/old/README.md",
]


def test_notes_at_the_top_of_issues_or_of_a_publication_are_not_issues(desk: Path) -> None:
    for rel in NOTES:
        add(desk, rel)
    status, out = issue_check(desk)
    assert status == 0, out


def test_every_other_file_under_issues_is_an_error(desk: Path) -> None:
    for rel in [*NOTES, *STRAYS]:
        add(desk, rel)
    status, out = issue_check(desk)
    assert status == 1, out
    flagged = {line.split(":", 1)[0] for line in out.splitlines() if NOT_AN_ISSUE in line}
    assert flagged == set(STRAYS), out


def test_is_note_file() -> None:
    assert is_note_file(("README.md",)) and is_note_file(("huiyao", "index.md"))
    assert not is_note_file(("huiyao", "2026", "README.md"))
    assert not is_note_file(("README.markdown",)) and not is_note_file(("Readme.md",))


def test_a_changed_note_is_not_a_changed_issue_for_verify(tmp_path: Path) -> None:
    # bulletin verify reads main's history: editing issues/README.md is not editing a published issue
    desk = make_desk(tmp_path / "desk")
    config = (desk / "bulletin.yml").read_text(encoding="utf-8")
    (desk / "bulletin.yml").write_text(re.sub(r"\nverify:\n  since: [^\n]*\n", "\n", config), encoding="utf-8")
    for name in ("issues", "receipts"):
        shutil.copytree(REPO / name, desk / name)
    init_repo(desk)
    add(desk, "issues/README.md", "# 刊物各期\n\n改写的说明。\n")
    add(desk, "issues/huiyao/README.md")
    done = run_cli("verify", cwd=desk)
    assert done.returncode == 0, done.stdout + done.stderr
