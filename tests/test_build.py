"""End to end: units' pull requests merged, an issue drafted and merged, `bulletin build`, mike."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from desk_helpers import ITEM, REPO, git, make_desk, run_cli

MIKE = Path(sys.executable).with_name("mike")
BUILD = ("build", "--audience", "counties")  # one audience's site, in its folder of the site of audiences
SITE = "site/counties"


def site_desk(target: Path) -> Path:
    """A desk with the demo configuration and submissions, the site's pages, and no issues."""
    desk = make_desk(target)
    shutil.copy(REPO / "mkdocs.yml", desk / "mkdocs.yml")
    shutil.copytree(REPO / "docs", desk / "docs", ignore=shutil.ignore_patterns("images"))
    (desk / ".gitignore").write_text("site/\nbuild/\n", encoding="utf-8")
    git(desk, "init", "-q", "-b", "main")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Desk")
    return desk


def merge(desk: Path, branch: str, message: str) -> None:
    git(desk, "checkout", "-q", "main")
    git(desk, "merge", "-q", "--no-ff", branch, "-m", message)


def pdf_text(path: Path) -> str:
    with pymupdf.open(path) as doc:
        return "".join("".join(page.get_text().split()) for page in doc)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    desk = site_desk(tmp_path_factory.mktemp("e2e") / "desk")
    # a unit's pull request, accepted by merging
    git(desk, "checkout", "-q", "-b", "unit/xiushui")
    item = desk / "submissions/xiushui/2026/1128-01.md"
    item.write_text(ITEM, encoding="utf-8")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Submit an item")
    assert run_cli("check", cwd=desk).returncode == 0
    merge(desk, "unit/xiushui", "Accept xiushui/2026/1128-01")
    # the editor drafts an issue from accepted items and merges it: published
    git(desk, "checkout", "-q", "-b", "issue/huiyao-1")
    done = run_cli(
        "issue", "new", "huiyao", "xiushui/2026/1128-01", "hukou/2026/1102-01", "--date", "2026-11-28", cwd=desk
    )
    assert done.returncode == 0, done.stderr
    issue = desk / "issues/huiyao/2026/001.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace("【待填写：签发领导】", "周建国"), encoding="utf-8")
    assert run_cli("issue", "check", cwd=desk).returncode == 0
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Issue huiyao 2026/1")
    merge(desk, "issue/huiyao-1", "Publish huiyao 2026/1")
    done = run_cli(*BUILD, cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    return desk


def test_the_issue_page_carries_every_item(published: Path) -> None:
    html = (published / f"{SITE}/publications/huiyao/2026/001/index.html").read_text(encoding="utf-8")
    assert "九江信息（汇要）" in html and "2026年第1期（总第1期）" in html
    assert "修水县“三个一批”推动重点项目提速增效" in html
    assert "全县新签约项目36个" in html and "湖口县出台优化营商环境20条措施" in html


def test_the_pdf_exists_and_holds_the_items_text(published: Path) -> None:
    text = pdf_text(published / f"{SITE}/pdf/huiyao/2026/001.pdf")
    assert "九江信息" in text and "2026年第1期" in text
    assert "全县新签约项目36个，新开工项目28个，投产项目19个" in text
    assert "共印120份" in text


def test_a_second_build_reuses_unchanged_pdfs_and_keeps_the_site_whole(published: Path) -> None:
    pdf = published / "build/pdf/huiyao/2026/001.pdf"
    before = pdf.stat().st_mtime_ns
    done = run_cli(*BUILD, cwd=published)
    assert done.returncode == 0
    assert pdf.stat().st_mtime_ns == before
    assert "重排0份" in done.stderr
    assert (published / f"{SITE}/pdf/huiyao/2026/001.pdf").is_file()


def test_a_failed_build_leaves_the_last_good_site(published: Path) -> None:
    issue = published / "issues/huiyao/2026/001.md"
    good = issue.read_text(encoding="utf-8")
    issue.write_text(good.replace("日期: 2026-11-28", "日期: 11月28日"), encoding="utf-8")
    try:
        done = run_cli(*BUILD, cwd=published)
        assert done.returncode != 0
        assert "Traceback" not in done.stderr and "日期" in done.stderr
        assert (published / f"{SITE}/publications/huiyao/2026/001/index.html").is_file()
    finally:
        issue.write_text(good, encoding="utf-8")


def test_mike_deploys_one_version_per_year_with_latest(published: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{MIKE.parent}{os.pathsep}{os.environ.get('PATH', '')}",  # mike runs `mkdocs` from PATH
        "BULLETIN_YEAR": "2026",
        "GIT_AUTHOR_NAME": "信息报送台",
        "GIT_AUTHOR_EMAIL": "desk@example.org",
        "GIT_COMMITTER_NAME": "信息报送台",
        "GIT_COMMITTER_EMAIL": "desk@example.org",
    }
    for audience in ("leaders", "counties"):  # as publish.yml does, one prefix per audience
        done = subprocess.run(
            [str(MIKE), "deploy", "--deploy-prefix", audience, "--update-aliases", "2026", "latest"],
            cwd=published,
            capture_output=True,
            text=True,
            env={**env, "BULLETIN_AUDIENCE": audience},
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
    listing = git(published, "ls-tree", "-r", "--name-only", "gh-pages")
    for audience, name in (("leaders", "市领导"), ("counties", "县区办公室")):
        versions = json.loads(git(published, "show", f"gh-pages:{audience}/versions.json"))
        assert versions == [{"version": "2026", "title": "2026", "aliases": ["latest"]}]
        assert f"{audience}/2026/publications/huiyao/2026/001/index.html" in listing
        assert f"{audience}/2026/pdf/huiyao/2026/001.pdf" in listing
        home = git(published, "show", f"gh-pages:{audience}/2026/index.html")
        assert f"本站读者范围：{name}" in home
        assert '"provider": "mike"' in home  # the year switch, whose versions.json mike writes
    assert "versions.json" not in listing.split()  # nothing outside the audiences' folders
