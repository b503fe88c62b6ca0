"""Run the workflows' steps, in order, in a temporary repository, as CI would (tests/workflow_runner.py).

The origin is a real bare repository made from the desk's own files (every file git tracks here,
as they are in the work tree); a pull request is a branch pushed to it, with the GitHub context the
steps read (base ref, author, created_at, number). check.yml: a clean clerk submission passes every
step; a clerk's file in another unit's folder fails at 检查信息稿; a pull request that changes the
checker to let its own bad item through is still judged by the base branch's checker.
overdue.yml runs every step but the one that calls GitHub's API; publish.yml runs every step
(mike pushes gh-pages to the temporary origin).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from desk_helpers import ITEM, run_cli
from workflow_runner import Expression, JobRun, Runner, Status, WorkflowError, condition, git, substitute

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
CLERK = "xiushui-kuangxiaoping"  # network.yml: an informant of 修水县
ADMIN = "jj-admin-sunlixin"
CREATED_AT = "2026-11-28T02:00:00Z"
NEW_ITEM = "submissions/xiushui/2026/1205-01.md"

CHECK_STEPS = [
    "检出目标分支（受信任的检查程序，只从这里安装）",
    "检出拉取请求（含完整提交历史；只作为被检查的文件，不安装、不运行其中的程序）",
    "安装 Python 3.11",
    "取接报记录（服务器登记的收到时间）",
    "安装信息报送台（目标分支上的版本）",
    "检查信息稿",
    "检查刊物（来源已采用、期号连续、密级相符、已发布的不得改动）",
    "写入作业摘要",
    "在合并请求上发布检查结论（Gitea / Forgejo）",
    "记录拉取请求编号",
    "上传检查报告",
]


@pytest.fixture(scope="session")
def wheels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wheels built by the workflows' install steps, one per git tree (shared by the tests)."""
    return tmp_path_factory.mktemp("wheels")


class Desk:
    """A bare origin with main made of the desk's tracked files, and a clone to push branches from."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.seed = root / "seed"
        self.origin = root / "origin.git"
        tracked = (
            subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True)
            .stdout.decode("utf-8")
            .split("\0")
        )
        for rel in filter(None, tracked):
            source = REPO / rel
            if not source.is_file():  # deleted in the work tree and not yet committed
                continue
            target = self.seed / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        git(self.seed, "init", "-q", "-b", "main")
        git(self.seed, "add", "-A")
        git(self.seed, "commit", "-q", "-m", "报送台")
        git(root, "clone", "-q", "--bare", str(self.seed), str(self.origin))
        git(self.origin, "config", "uploadpack.allowAnySHA1InWant", "true")
        git(self.seed, "remote", "add", "origin", str(self.origin))
        self.base_sha = git(self.seed, "rev-parse", "HEAD").strip()
        self.prs = 0

    def pull_request(self, branch: str, files: dict[str, str]) -> tuple[int, str]:
        """Commit `files` on a new branch from main, push it as pull request N: (N, head sha)."""
        git(self.seed, "checkout", "-q", "-b", branch, "main")
        for rel, text in files.items():
            path = self.seed / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        git(self.seed, "add", "-A")
        git(self.seed, "commit", "-q", "-m", branch)
        git(self.seed, "checkout", "-q", "main")
        self.prs += 1
        head = git(self.seed, "rev-parse", branch).strip()
        git(self.seed, "push", "-q", "origin", f"{branch}:refs/heads/{branch}", f"{branch}:refs/pull/{self.prs}/head")
        return self.prs, head

    def read(self, branch: str, rel: str) -> str:
        return git(self.seed, "show", f"{branch}:{rel}")


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    return Desk(tmp_path / "desk")


def pr_context(desk: Desk, number: int, head: str, author: str, branch: str) -> dict[str, Any]:
    return {
        "event_name": "pull_request",
        "workflow": "信息报送检查",
        "repository": "jiujiang/bulletin",
        "server_url": "https://github.com",
        "api_url": "https://api.github.com",
        "run_id": 4242,
        "token": "workflow-token",
        "base_ref": "main",
        "head_ref": branch,
        "ref": f"refs/pull/{number}/merge",
        "sha": head,
        "run_number": 7,
        "event": {
            "action": "opened",
            "pull_request": {
                "number": number,
                "created_at": CREATED_AT,
                "user": {"login": author},
                "head": {"sha": head, "ref": branch, "repo": {"full_name": "jiujiang/bulletin"}},
                "base": {"sha": desk.base_sha, "ref": "main"},
            },
        },
    }


def run_check(desk: Desk, tmp_path: Path, wheels: Path, author: str, files: dict[str, str], tag: str) -> JobRun:
    number, head = desk.pull_request(tag, files)
    runner = Runner(
        WORKFLOWS / "check.yml", pr_context(desk, number, head, author, tag), desk.origin, tmp_path / tag, wheels
    )
    return runner.run()


# ---------------------------------------------------------------- check.yml


def test_a_clean_clerk_pull_request_passes_every_step(desk: Desk, tmp_path: Path, wheels: Path) -> None:
    job = run_check(desk, tmp_path, wheels, CLERK, {NEW_ITEM: ITEM}, "clean")
    assert [s.name for s in job.steps] == CHECK_STEPS
    gitea_only = "在合并请求上发布检查结论（Gitea / Forgejo）"  # GitHub comments through comment.yml
    assert [s.outcome for s in job.steps] == ["skipped" if n == gitea_only else "success" for n in CHECK_STEPS], (
        job.log()
    )
    # the checker came from the base branch's checkout, the files from the pull request's
    assert job.installed_from == [(job.workspace / "trusted").resolve()]
    assert (job.workspace / "pr" / NEW_ITEM).is_file() and not (job.workspace / "trusted" / NEW_ITEM).exists()
    assert job.step("检查信息稿").env == {"BASE_REF": "main", "RECEIVED_AT": CREATED_AT, "PR_AUTHOR": CLERK}
    report = job.artifacts["check-report"]
    assert (report / "pr-number").read_text(encoding="utf-8") == "1\n"
    assert (report / "summary.md").read_text(encoding="utf-8") in job.summary
    assert "共检查1个文件，全部符合要求" in job.summary, job.summary


def test_a_file_in_another_units_folder_fails_at_the_check_step(desk: Desk, tmp_path: Path, wheels: Path) -> None:
    job = run_check(desk, tmp_path, wheels, CLERK, {"submissions/wuning/2026/1205-01.md": ITEM}, "other-unit")
    assert job.failed_steps == ["检查信息稿"], job.log()
    assert "只能报送本单位的信息" in job.step("检查信息稿").output
    # what runs always() still ran: the issue check, the summary, the report for comment.yml
    for name in CHECK_STEPS[6:]:
        expected = "skipped" if "Gitea" in name else "success"  # on GitHub comment.yml comments
        assert job.step(name).outcome == expected, job.log()
    assert "只能报送本单位的信息" in job.summary
    assert (job.artifacts["check-report"] / "pr-number").is_file()


DISABLE_LENGTH = (
    "    if not item.body.strip():\n        return\n",
    "    return  # 篇幅不再检查\n",
)


def test_a_pull_request_that_changes_the_checker_is_judged_by_the_base(
    desk: Desk, tmp_path: Path, wheels: Path
) -> None:
    # an administrator (who may change scripts/) disables the length rule and brings an item far
    # over the limit: the base branch's checker still refuses the item
    rule = "scripts/bulletin/rules/length.py"
    old, new = DISABLE_LENGTH
    source = desk.read("main", rule)
    assert old in source
    long_item = ITEM.rstrip("\n") + "\n" + ITEM.split("---\n", 2)[2] * 8
    files = {rule: source.replace(old, new), NEW_ITEM: long_item}
    job = run_check(desk, tmp_path, wheels, ADMIN, files, "own-rules")
    assert (job.workspace / "pr" / rule).read_text(encoding="utf-8") == files[rule]  # the change is checked out
    assert job.installed_from == [(job.workspace / "trusted").resolve()]
    assert job.failed_steps == ["检查信息稿"], job.log()
    output = job.step("检查信息稿").output
    assert "length-max" in output and NEW_ITEM in output, output
    assert "not-permitted" not in output  # the administrator may change the checker: only the item fails


SECRET_ISSUE = """---
刊物: huiyao
期号: 4
总期号: 4
日期: 2026-11-28
责任编辑: 李静
签发: 周建国
密级: 机密
保密期限: 5年
报: [省委办公厅]
印数: 120
---

## 城区某安置小区逾期交付 部分征迁群众酝酿赴省集体访

来源：xinfang/2026/1121-01

市信访局近日掌握，中心城区某安置小区项目至今未能交房，涉及征迁群众412户，部分群众酝酿赴省集体上访。
"""


def test_an_issue_is_judged_by_the_base_configuration(desk: Desk, tmp_path: Path, wheels: Path) -> None:
    # an editor (who may edit bulletin.yml and issues) lets 汇要 carry 机密 and puts a 机密 item in it:
    # the publication's limit is the base branch's until the change is merged
    config = desk.read("main", "bulletin.yml")
    assert "max_classification: 内部" in config
    files = {
        "bulletin.yml": config.replace("max_classification: 内部", "max_classification: 机密", 1),
        "issues/huiyao/2026/004.md": SECRET_ISSUE,
    }
    job = run_check(desk, tmp_path, wheels, "jj-editor-lijing", files, "raise-limit")
    assert job.failed_steps == ["检查刊物（来源已采用、期号连续、密级相符、已发布的不得改动）"], job.log()
    assert "最高只能刊载内部信息" in job.step("检查刊物（来源已采用、期号连续、密级相符、已发布的不得改动）").output
    # by the pull request's own configuration the limit would let it pass: only the base's refuses it
    # (the 机密 issue still needs its numbered copies registered, as any 机密 issue)
    own = run_cli("--desk", "pr", "issue", "check", "--base", "HEAD", cwd=job.workspace)
    assert "issue-secrecy" not in own.stdout and "issue-copies" in own.stdout, own.stdout + own.stderr


# ---------------------------------------------------------------- the runner itself


@pytest.mark.parametrize(
    ("source", "failed", "expected"),
    [
        ("always()", True, True),
        ("success()", True, False),
        ("failure()", True, True),
        ("failure()", False, False),
        ("steps.overdue.outputs.status == '1'", False, True),
        ("steps.overdue.outputs.status == '1'", True, False),  # implicitly success() && …
        ("${{ steps.overdue.outputs.status != '1' }}", False, False),
        ("always() && github.event_name == 'PUSH'", True, True),  # strings compare case-insensitively
        ("!(github.base_ref == 'main') || failure()", False, False),
    ],
)
def test_conditions(source: str, failed: bool, expected: bool) -> None:
    contexts = {
        "github": {"event_name": "push", "base_ref": "main"},
        "steps": {"overdue": {"outputs": {"status": "1"}}},
    }
    assert condition(source, Expression(contexts, Status(failed))) is expected


def test_substitution_and_unknown_names() -> None:
    expr = Expression({"github": {"event": {"pull_request": {"number": 7}}}, "steps": {}, "env": {}}, Status())
    assert substitute("pr-${{ github.event.pull_request.number }}", expr) == "pr-7"
    with pytest.raises(WorkflowError, match=r"github\.event\.pull_request\.draft"):
        substitute("${{ github.event.pull_request.draft }}", expr)
    with pytest.raises(WorkflowError, match="format"):
        substitute("${{ format('{0}', github.event.pull_request.number) }}", expr)


# ---------------------------------------------------------------- the runner fails loudly


def test_an_expression_the_test_does_not_know_fails(desk: Desk, tmp_path: Path, wheels: Path) -> None:
    text = (WORKFLOWS / "check.yml").read_text(encoding="utf-8")
    text = text.replace("${{ github.event.pull_request.user.login }}", "${{ github.event.pull_request.user.type }}")
    number, head = desk.pull_request("unknown", {NEW_ITEM: ITEM})
    runner = Runner(
        "check.yml", pr_context(desk, number, head, CLERK, "unknown"), desk.origin, tmp_path / "w", wheels, text=text
    )
    with pytest.raises(WorkflowError, match=r"github\.event\.pull_request\.user\.type"):
        runner.run()


def test_an_action_the_test_does_not_know_fails(desk: Desk, tmp_path: Path, wheels: Path) -> None:
    text = (
        (WORKFLOWS / "check.yml").read_text(encoding="utf-8").replace("actions/upload-artifact@v4", "actions/cache@v4")
    )
    number, head = desk.pull_request("unknown-action", {NEW_ITEM: ITEM})
    context = pr_context(desk, number, head, CLERK, "unknown-action")
    runner = Runner("check.yml", context, desk.origin, tmp_path / "w", wheels, text=text)
    with pytest.raises(WorkflowError, match="actions/cache@v4"):
        runner.run()


# ---------------------------------------------------------------- overdue.yml


def schedule_context(desk: Desk, workflow: str, event: str = "schedule") -> dict[str, Any]:
    return {
        "event_name": event,
        "workflow": workflow,
        "repository": "jiujiang/bulletin",
        "ref": "refs/heads/main",
        "sha": desk.base_sha,
        "run_number": 12,
        "event": {},
    }


def test_overdue_workflow_reports_the_demo_desks_overdue_events(desk: Desk, tmp_path: Path, wheels: Path) -> None:
    runner = Runner(
        WORKFLOWS / "overdue.yml", schedule_context(desk, "紧急信息逾期检查"), desk.origin, tmp_path / "w", wheels
    )
    job = runner.run()
    outcomes = {s.name: s.outcome for s in job.steps}
    assert outcomes == {
        "检出主分支（含完整提交历史）": "success",
        "取回接报记录": "success",  # the desk has no receipts yet: a warning, not a failure
        "安装 Python 3.11": "success",
        "安装信息报送台": "success",
        "检查逾期未报": "success",
        "打开、更新或关闭跟踪议题": "not-run-offline",
        "有逾期未报时使本次运行失败": "failure",
    }, job.log()
    assert job.installed_from == [job.workspace.resolve()]
    assert "::warning::仓库中还没有接报记录" in job.step("取回接报记录").output
    assert job.step("打开、更新或关闭跟踪议题").env == {"STATUS": "1"}
    assert "紧急信息逾期未报" in job.summary and "都昌县" in job.summary
    assert (job.workspace / "overdue.md").read_text(encoding="utf-8").startswith("<!-- bulletin-overdue -->")


def test_overdue_workflow_passes_without_overdue_events(desk: Desk, tmp_path: Path, wheels: Path) -> None:
    git(desk.seed, "rm", "-q", "-r", "events")
    git(desk.seed, "commit", "-q", "-m", "没有事件")
    git(desk.seed, "push", "-q", "origin", "main")
    desk.base_sha = git(desk.seed, "rev-parse", "HEAD").strip()
    runner = Runner(
        WORKFLOWS / "overdue.yml",
        schedule_context(desk, "紧急信息逾期检查", "workflow_dispatch"),
        desk.origin,
        tmp_path / "w",
        wheels,
    )
    job = runner.run()
    assert job.step("打开、更新或关闭跟踪议题").env == {"STATUS": "0"}, job.log()
    assert job.step("有逾期未报时使本次运行失败").outcome == "skipped"
    assert not job.failed, job.log()


# ---------------------------------------------------------------- publish.yml


def test_publish_workflow_publishes_every_audiences_volume(desk: Desk, tmp_path: Path, wheels: Path) -> None:
    """Every step runs offline: mike builds each audience's site and PDFs and pushes gh-pages to the
    temporary origin; the publication record is read back from it. Only apt-get, make fonts and
    the npm install are replaced (their effect, the fonts and node_modules/, is this machine's); every
    audience's site carries the browser form at admin/, as `make site` builds it."""
    context = schedule_context(desk, "发布站点与PDF", "push")
    started = dt.datetime.now(ZoneInfo("Asia/Shanghai"))
    job = Runner(WORKFLOWS / "publish.yml", context, desk.origin, tmp_path / "w", wheels).run()
    assert [(s.name, s.outcome) for s in job.steps] == [
        ("检出代码（含完整提交历史，用于更正记录）", "success"),
        ("安装 Python 3.11", "success"),
        ("安装中文字体和信息报送台", "success"),
        ("安装信息报送表单（Decap CMS）", "success"),
        ("检查刊物", "success"),
        ("构建并发布当年年卷", "success"),
        ("另存发布记录", "success"),
        ("上传发布记录", "success"),
    ], job.log()
    assert job.installed_from == [job.workspace.resolve()]
    # the year the workflow took once (TZ=Asia/Shanghai date +%Y) and handed on to the record's step: the
    # record holds that year's volume only (the run may cross midnight of New Year's Day)
    record = job.artifacts["publication-record-12"]
    (year,) = {p.name for p in (record / "office").iterdir()}
    assert year in {str(started.year), str(dt.datetime.now(ZoneInfo("Asia/Shanghai")).year)}
    audiences = ["leaders", "office", "counties", "departments"]
    published = git(desk.origin, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert sorted({p.split("/", 1)[0] for p in published} - {".nojekyll"}) == sorted(audiences)  # never a full site
    for audience in audiences:
        manifest = f"{audience}/{year}/pdf/manifest.json"
        assert manifest in published and f"{audience}/versions.json" in published
        # the browser form, as make site builds it: Decap's own bundle and the config made from bulletin.yml
        for form in ("index.html", "decap-cms.js", "config.yml"):
            assert f"{audience}/{year}/admin/{form}" in published, f"{audience}的站点没有admin/{form}"
        kept = (record / manifest).read_text(encoding="utf-8")
        assert kept == git(desk.origin, "show", f"gh-pages:{manifest}")
