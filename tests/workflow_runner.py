"""Run a GitHub Actions job's steps offline, in order, as the runner would (for tests).

What it does with each step:
- `run:` steps: every `${{ … }}` is replaced from the GitHub context the test builds (an expression
  naming anything not in it fails: a new expression in a workflow breaks the test, never passes
  silently); `env:` of the workflow, the job and the step is set, with GITHUB_ENV, GITHUB_OUTPUT,
  GITHUB_STEP_SUMMARY and GITHUB_PATH files as on GitHub; the script runs with the shell GitHub
  uses (`bash -e {0}` by default, `bash --noprofile --norc -eo pipefail {0}` for `shell: bash`)
  in the workspace or the step's `working-directory`; `if:` and step outcomes decide what runs.
- `uses:` steps are emulated, and only these (any other action fails the run):
  actions/checkout: a real clone of the temporary origin (a bare repository) at the ref asked
  for, or the event's default (a pull request's head, else github.sha), with full history when
  fetch-depth is 0 and only that commit otherwise, into `path` under the workspace;
  actions/setup-python: puts `python`/`python3` (the test's interpreter, with the dependencies
  installed) on PATH, and fails as setup-python does when cache-dependency-path matches no file;
  actions/upload-artifact: records the path, and fails when it is missing and if-no-files-found
  is error; actions/github-script: cannot run offline (it calls GitHub's API): its env is
  evaluated, the step is recorded as not run and counts as a success.
- Install lines are real installs, not skipped: a line `python -m pip install <folder>` builds a
  wheel of that folder (once per git tree, cached for the session) and installs it without
  dependencies into a folder of its own that comes first on PYTHONPATH, its `bulletin` first on
  PATH. So the code that runs afterwards is the code of the tree the workflow installed from, and
  nothing is on PATH before the install. The dependencies are the test interpreter's.
  Lines that need the network or root are replaced, and only lines of an expected shape:
  `sudo apt-get update` / `sudo apt-get install -y <font packages>` by a check that the
  packages' font files are on this machine, `make fonts` by a copy of this checkout's .fonts/
  (what make fonts produces), `make node_modules/.installed` (npm ci) by a link to this checkout's
  node_modules/; any other sudo, apt-get, pip, npm, curl or wget line fails the run.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)


class WorkflowError(AssertionError):
    """The workflow asks for something this runner does not know: the test must fail."""


# ---------------------------------------------------------------- expressions

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>&&|\|\||==|!=|<=|>=|[<>!(),])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise WorkflowError(f"无法解析表达式：{text!r}（位置{pos}）")
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


@dataclass
class Status:
    failed: bool = False


def _truthy(value: Any) -> bool:
    return value not in (None, False, 0, "")


def _loose(value: Any) -> Any:
    # GitHub compares strings case-insensitively and coerces other types to numbers;
    # the workflows here only compare strings.
    return value.casefold() if isinstance(value, str) else value


class Expression:
    """A small evaluator of GitHub expressions: contexts, literals, ! == != && || and the status functions."""

    def __init__(self, contexts: dict[str, Any], status: Status) -> None:
        self.contexts = contexts
        self.status = status

    def evaluate(self, text: str) -> Any:
        self.toks = _tokens(text)
        self.pos = 0
        self.text = text
        value = self._or()
        if self.pos != len(self.toks):
            raise WorkflowError(f"表达式多出内容：{text!r}")
        return value

    def _peek(self) -> tuple[str, str] | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def _take(self, op: str) -> bool:
        tok = self._peek()
        if tok == ("op", op):
            self.pos += 1
            return True
        return False

    def _or(self) -> Any:
        value = self._and()
        while self._take("||"):
            right = self._and()
            value = value if _truthy(value) else right
        return value

    def _and(self) -> Any:
        value = self._compare()
        while self._take("&&"):
            right = self._compare()
            value = right if _truthy(value) else value
        return value

    def _compare(self) -> Any:
        value = self._unary()
        for op in ("==", "!="):
            if self._take(op):
                right = self._unary()
                same = _loose(value) == _loose(right)
                return same if op == "==" else not same
        return value

    def _unary(self) -> Any:
        if self._take("!"):
            return not _truthy(self._unary())
        return self._primary()

    def _primary(self) -> Any:
        tok = self._peek()
        if tok is None:
            raise WorkflowError(f"表达式不完整：{self.text!r}")
        self.pos += 1
        kind, value = tok
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "num":
            return float(value) if "." in value else int(value)
        if kind == "op" and value == "(":
            inner = self._or()
            if not self._take(")"):
                raise WorkflowError(f"括号不配对：{self.text!r}")
            return inner
        if kind != "name":
            raise WorkflowError(f"表达式中意外的“{value}”：{self.text!r}")
        if value in ("true", "false"):
            return value == "true"
        if value == "null":
            return None
        if self._take("("):
            if not self._take(")"):
                raise WorkflowError(f"本测试只认识无参数的状态函数，不认识：{self.text!r}")
            functions: dict[str, Callable[[], bool]] = {
                "always": lambda: True,
                "success": lambda: not self.status.failed,
                "failure": lambda: self.status.failed,
                "cancelled": lambda: False,
            }
            if value not in functions:
                raise WorkflowError(f"本测试不认识函数{value}()：{self.text!r}")
            return functions[value]()
        return self._lookup(value)

    def _lookup(self, dotted: str) -> Any:
        parts = dotted.split(".")
        node: Any = self.contexts
        for depth, part in enumerate(parts):
            if not isinstance(node, dict) or part not in node:
                known = ".".join(parts[:depth]) or "（顶层）"
                raise WorkflowError(f"测试构造的上下文中没有{dotted}（{known}之下没有{part}）：请在测试中补上它的值")
            node = node[part]
        return node


_EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        raise WorkflowError(f"表达式的值是对象，不能写进字符串：{value!r}")
    return str(value)


def substitute(text: str, expr: Expression) -> str:
    return _EXPR.sub(lambda m: _as_text(expr.evaluate(m.group(1))), text)


_STATUS_CALL = re.compile(r"\b(?:always|success|failure|cancelled)\s*\(")


def condition(text: Any, expr: Expression) -> bool:
    """A step's `if:`; as on GitHub, one that calls no status function also needs success()."""
    if isinstance(text, bool):
        return text and not expr.status.failed
    source = str(text).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", source, re.S)
    source = m.group(1) if m else source
    if not _STATUS_CALL.search(source):
        source = f"success() && ({source})"
    return _truthy(expr.evaluate(source))


# ---------------------------------------------------------------- results


@dataclass
class StepRun:
    name: str
    outcome: str  # success | failure | skipped | not-run-offline
    output: str = ""
    env: dict[str, str] = field(default_factory=dict)  # the step's own env, evaluated

    @property
    def ok(self) -> bool:
        return self.outcome in ("success", "not-run-offline")


@dataclass
class JobRun:
    steps: list[StepRun]
    workspace: Path
    summary: str
    artifacts: dict[str, Path]
    installed_from: list[Path]

    @property
    def failed(self) -> bool:
        return any(s.outcome == "failure" for s in self.steps)

    @property
    def failed_steps(self) -> list[str]:
        return [s.name for s in self.steps if s.outcome == "failure"]

    def step(self, name: str) -> StepRun:
        found = [s for s in self.steps if s.name == name]
        assert len(found) == 1, f"工作流中没有名为“{name}”的步骤：{[s.name for s in self.steps]}"
        return found[0]

    def log(self) -> str:
        return "\n".join(f"== {s.name}：{s.outcome}\n{s.output}" for s in self.steps)


# ---------------------------------------------------------------- the runner


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "测试",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "测试",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise WorkflowError(f"“git {' '.join(args)}”失败：{done.stderr}")
    return done.stdout


_INSTALL = re.compile(r"^python -m pip install (?P<folder>\S+)$")
_APT = re.compile(r"^sudo apt-get (?:update|install -y (?P<packages>[a-z0-9 .+-]+))$")
# what each Debian font package installs (checked by file, as the Makefile does)
FONT_FILES = {
    "fonts-noto-cjk": Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    "fonts-lxgw-wenkai": Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"),
    "fonts-hanazono": Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"),
    "fonts-babelstone-han": Path("/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf"),
}
NODE_INSTALL = "make node_modules/.installed"  # the Makefile's npm install (Decap CMS), as make site runs it
SHELLS = {None: ["bash", "-e"], "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"]}
CHECKOUT_KEYS = {"fetch-depth", "persist-credentials", "ref", "path"}
SETUP_PYTHON_KEYS = {"python-version", "cache", "cache-dependency-path"}
UPLOAD_KEYS = {"name", "path", "retention-days", "if-no-files-found"}


class Runner:
    def __init__(
        self,
        workflow: Path | str,
        github: dict[str, Any],
        origin: Path,
        workspace: Path,
        wheels: Path,
        text: str | None = None,
    ) -> None:
        self.name = str(workflow)
        self.wf = yaml.safe_load(text if text is not None else Path(workflow).read_text(encoding="utf-8"))
        self.github = github
        self.origin = origin
        self.workspace = workspace
        self.wheels = wheels
        self.tmp = workspace.parent / f"{workspace.name}-runner"
        self.tmp.mkdir(parents=True, exist_ok=False)
        workspace.mkdir(parents=True, exist_ok=False)
        self.site = self.tmp / "site"  # where the workflow's `pip install` goes
        self.shim = self.tmp / "shim"  # what setup-python puts on PATH
        self.summary = self.tmp / "step_summary.md"
        self.summary.touch()
        self.installed_from: list[Path] = []
        self._pending_install: list[Path] = []

    # the contexts an expression may read
    def contexts(self, steps: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
        return {"github": self.github, "steps": steps, "env": env}

    def run(self, job_id: str | None = None) -> JobRun:
        jobs = self.wf["jobs"]
        if job_id is None:
            [job_id] = list(jobs)
        job = jobs[job_id]
        status = Status()
        step_outputs: dict[str, Any] = {}
        workflow_env = {k: str(v) for k, v in (self.wf.get("env") or {}).items()}
        # expressions outside the steps are checked too (concurrency group, job name)
        probe = Expression(self.contexts({}, {}), status)
        for where in (self.wf.get("concurrency"), job.get("concurrency"), job.get("name")):
            if isinstance(where, dict):
                where = where.get("group")
            if isinstance(where, str):
                substitute(where, probe)
        job_env = {**workflow_env, **{k: str(v) for k, v in (job.get("env") or {}).items()}}
        added_env: dict[str, str] = {}
        added_path: list[str] = []
        defaults = (job.get("defaults") or {}).get("run") or {}
        wf_defaults = (self.wf.get("defaults") or {}).get("run") or {}
        results: list[StepRun] = []
        artifacts: dict[str, Path] = {}
        for index, step in enumerate(job["steps"]):
            name = str(step.get("name") or step.get("uses") or f"第{index + 1}步")
            expr = Expression(self.contexts(step_outputs, {**job_env, **added_env}), status)
            if not condition(step.get("if", "success()"), expr):
                results.append(StepRun(name, "skipped"))
                continue
            step_env = {k: substitute(str(v), expr) for k, v in (step.get("env") or {}).items()}
            outputs: dict[str, str] = {}
            if "uses" in step:
                outcome, log = self._uses(step, expr, artifacts)
            else:
                shell = step.get("shell", defaults.get("shell", wf_defaults.get("shell")))
                cwd = step.get(
                    "working-directory", defaults.get("working-directory", wf_defaults.get("working-directory"))
                )
                outcome, log, outputs, more_env, more_path = self._run(
                    substitute(str(step["run"]), expr),
                    {**job_env, **added_env, **step_env},
                    shell,
                    self.workspace / substitute(str(cwd), expr) if cwd else self.workspace,
                    added_path,
                )
                added_env.update(more_env)
                added_path[:0] = more_path
            if outcome == "failure" and step.get("continue-on-error") is True:
                outcome = "success"
            if outcome == "failure":
                status.failed = True
            if "id" in step:
                step_outputs[str(step["id"])] = {"outputs": outputs, "outcome": outcome, "conclusion": outcome}
            results.append(StepRun(name, outcome, log, step_env))
        return JobRun(results, self.workspace, self.summary.read_text(encoding="utf-8"), artifacts, self.installed_from)

    # ---------------------------------------------------------------- uses:

    def _with(self, step: dict[str, Any], allowed: set[str], expr: Expression) -> dict[str, str]:
        options = step.get("with") or {}
        unknown = set(options) - allowed
        if unknown:
            raise WorkflowError(
                f"{step['uses']}的选项{sorted(unknown)}本测试不会模拟：请在tests/workflow_runner.py中补上"
            )
        return {k: substitute(_as_text(v), expr) for k, v in options.items()}

    def _uses(self, step: dict[str, Any], expr: Expression, artifacts: dict[str, Path]) -> tuple[str, str]:
        action = str(step["uses"])
        if action == "actions/checkout@v4":
            return self._checkout(self._with(step, CHECKOUT_KEYS, expr))
        if action == "actions/setup-python@v5":
            options = self._with(step, SETUP_PYTHON_KEYS, expr)
            wanted = tuple(int(p) for p in options["python-version"].split("."))
            if sys.version_info[: len(wanted)] < wanted:
                return "failure", f"测试的Python{sys.version_info[:2]}低于工作流要求的{wanted}"
            dependency = options.get("cache-dependency-path")
            if dependency and not (self.workspace / dependency).is_file():
                return "failure", f"setup-python：cache-dependency-path“{dependency}”找不到文件"
            self.shim.mkdir(exist_ok=True)
            for exe in ("python", "python3"):
                _wrapper(self.shim / exe, PYTHON)
            return "success", f"python → {PYTHON}"
        if action == "actions/upload-artifact@v4":
            options = self._with(step, UPLOAD_KEYS, expr)
            path = self.workspace / options["path"]
            if not path.exists() or (path.is_dir() and not any(path.iterdir())):
                missing = f"制品路径{options['path']}不存在或为空"
                return ("failure", missing) if options.get("if-no-files-found") == "error" else ("success", missing)
            artifacts[options["name"]] = path
            return "success", f"制品{options['name']}：{options['path']}"
        if action == "actions/github-script@v7":
            self._with(step, {"script"}, expr)
            return "not-run-offline", "actions/github-script调用GitHub的接口，离线不能运行"
        raise WorkflowError(f"本测试不会模拟动作{action}：请在tests/workflow_runner.py中补上它的效果")

    def _checkout(self, options: dict[str, str]) -> tuple[str, str]:
        target = self.workspace / options.get("path", "")
        if target.resolve() != self.workspace.resolve() and self.workspace.resolve() not in target.resolve().parents:
            raise WorkflowError(f"actions/checkout的path应在工作区内：{options.get('path')}")
        if target.exists() and any(target.iterdir()):
            return "failure", f"检出目录{target}不是空的"
        target.mkdir(parents=True, exist_ok=True)
        depth = int(options.get("fetch-depth", "1"))
        ref = options.get("ref") or self._default_ref()
        url = f"file://{self.origin}"
        git(target, "init", "-q")
        git(target, "remote", "add", "origin", url)
        is_branch = (
            subprocess.run(
                ["git", "--git-dir", str(self.origin), "show-ref", "--verify", "--quiet", f"refs/heads/{ref}"]
            ).returncode
            == 0
        )
        if depth == 0:  # everything: every branch and tag, as actions/checkout does
            git(target, "fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*")
            if not is_branch:
                git(target, "fetch", "-q", "origin", ref)
        elif is_branch:
            git(target, "fetch", "-q", f"--depth={depth}", "origin", f"+refs/heads/{ref}:refs/remotes/origin/{ref}")
        else:
            git(target, "fetch", "-q", f"--depth={depth}", "origin", ref)
        if is_branch:
            git(target, "checkout", "-q", "-B", ref, f"refs/remotes/origin/{ref}")
        else:
            git(target, "checkout", "-q", "--detach", "FETCH_HEAD")
        head = git(target, "rev-parse", "HEAD").strip()
        return "success", f"检出{ref}（{head[:12]}）到{options.get('path') or '工作区'}，fetch-depth {depth}"

    def _default_ref(self) -> str:
        if self.github.get("event_name") in ("pull_request", "pull_request_target"):
            # GitHub checks out refs/pull/<n>/merge; the test's pull requests are made on the
            # newest base commit, so their head has the same tree as that merge
            return str(self.github["event"]["pull_request"]["head"]["sha"])
        return str(self.github["sha"])

    # ---------------------------------------------------------------- run:

    def _run(
        self, script: str, env: dict[str, str], shell: str | None, cwd: Path, added_path: list[str]
    ) -> tuple[str, str, dict[str, str], dict[str, str], list[str]]:
        if shell not in SHELLS:
            raise WorkflowError(f"本测试不会模拟shell“{shell}”")
        log: list[str] = []
        script = self._offline(script, cwd)
        files = {
            n: self.tmp / f"{n.lower()}-{os.urandom(4).hex()}" for n in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH")
        }
        for f in files.values():
            f.touch()
        path = [*added_path, str(self.site / "bin"), str(self.shim), *_system_path()]
        full = {
            "HOME": os.environ.get("HOME", str(self.tmp)),
            "LANG": "C.UTF-8",
            "PATH": os.pathsep.join(path),
            "PYTHONPATH": str(self.site),
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_EVENT_NAME": str(self.github.get("event_name", "")),
            "GITHUB_BASE_REF": str(self.github.get("base_ref", "")),
            "GITHUB_HEAD_REF": str(self.github.get("head_ref", "")),
            "GITHUB_SHA": str(self.github.get("sha", "")),
            "GITHUB_REF": str(self.github.get("ref", "")),
            "GITHUB_WORKFLOW": str(self.github.get("workflow", "")),
            "RUNNER_TEMP": str(self.tmp),
            **{k: str(v) for k, v in files.items()},
            **env,
        }
        script_file = self.tmp / f"step-{os.urandom(4).hex()}.sh"
        script_file.write_text(script, encoding="utf-8")
        done = subprocess.run(
            [*SHELLS[shell], str(script_file)], cwd=cwd, env=full, capture_output=True, text=True, timeout=900
        )
        log.append(done.stdout + done.stderr)
        outcome = "success" if done.returncode == 0 else "failure"
        if outcome == "success" and self._pending_install:
            try:
                log.append(self._install(self._pending_install))
            except InstallFailed as exc:  # as pip in the workflow would: the step fails
                outcome = "failure"
                log.append(str(exc))
        self._pending_install = []
        outputs = _key_values(files["GITHUB_OUTPUT"].read_text(encoding="utf-8"))
        more_env = _key_values(files["GITHUB_ENV"].read_text(encoding="utf-8"))
        more_path = [line for line in files["GITHUB_PATH"].read_text(encoding="utf-8").splitlines() if line]
        return outcome, "\n".join(log), outputs, more_env, more_path

    def _offline(self, script: str, cwd: Path) -> str:
        """The script with each network or root line replaced by a check of its effect here."""
        lines = []
        self._pending_install = []
        last = [line.strip() for line in script.split("\n") if line.strip()][-1:]
        for line in script.split("\n"):
            bare = line.strip()
            m = _INSTALL.match(bare)
            if m:
                # installed after the script's other lines ran as written: so it must be the last line,
                # and the folder is taken from the workspace (a `cd` before it is not followed)
                if [bare] != last or any(w in script for w in ("cd ", "pushd")):
                    raise WorkflowError("安装一行应是步骤的最后一行，且步骤中没有cd：本测试才能确定安装的是哪个目录")
                self._pending_install.append(cwd / m["folder"])
                lines.append(f"# 已由测试代为安装：{bare}")
                continue
            m = _APT.match(bare)
            if m:
                missing = [
                    p for p in (m["packages"] or "").split() if p not in FONT_FILES or not FONT_FILES[p].is_file()
                ]
                if missing:
                    raise WorkflowError(f"本机没有{missing}（或本测试不认识这些软件包），不能离线代替“{bare}”")
                lines.append(f"# 本机已装好：{bare}")
                continue
            if bare == NODE_INSTALL:
                if not (REPO / "node_modules" / ".installed").is_file():
                    raise WorkflowError(f"本机仓库中没有安装好的node_modules/：请先运行“{bare}”")
                lines.append(f"ln -s {shlex.quote(str(REPO / 'node_modules'))} node_modules  # 代替：{bare}")
                continue
            if bare == "make fonts":
                if not (REPO / ".fonts").is_dir():
                    raise WorkflowError("本机仓库中没有.fonts/：请先运行make fonts")
                lines.append(f"cp -r {shlex.quote(str(REPO / '.fonts'))} .fonts  # 代替：make fonts")
                continue
            if bare.startswith(("sudo ", "apt-get", "pip ", "python -m pip", "npm ", "curl ", "wget ")):
                raise WorkflowError(f"这一行要联网或root，本测试不知道怎样离线代替：{bare}")
            lines.append(line)
        return "\n".join(lines)

    def _install(self, pending: list[Path]) -> str:
        notes = []
        for folder in pending:
            folder = folder.resolve()
            tree = git(folder, "rev-parse", "HEAD^{tree}").strip()
            dirty = git(folder, "status", "--porcelain", "--untracked-files=no").strip()
            if dirty:
                raise WorkflowError(f"{folder}的工作区有改动，本测试按提交的树缓存安装包，不能安装它")
            wheel_dir = self.wheels / tree
            if not wheel_dir.is_dir():
                building = self.wheels / f"{tree}.part-{os.urandom(4).hex()}"
                _pip("wheel", "--no-deps", "-q", "-w", str(building), str(folder))
                building.rename(wheel_dir)
            [wheel] = list(wheel_dir.glob("*.whl"))
            if self.site.exists():
                shutil.rmtree(self.site)
            _pip("install", "--no-deps", "--no-index", "-q", "--target", str(self.site), str(wheel))
            # the dependencies' commands that the workflows call, from the test's environment
            for exe in ("mike", "mkdocs"):
                if (PYTHON.parent / exe).is_file():
                    _wrapper(self.site / "bin" / exe, PYTHON.parent / exe)
            self.installed_from.append(folder)
            notes.append(f"已安装{folder}（树{tree[:12]}）到{self.site}")
        return "\n".join(notes)


class InstallFailed(Exception):
    pass


def _pip(*args: str) -> None:
    done = subprocess.run([str(PYTHON), "-m", "pip", *args], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise InstallFailed(f"“pip {' '.join(args)}”失败：{done.stdout}{done.stderr}")


def _wrapper(path: Path, target: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\nexec {shlex.quote(str(target))} "$@"\n', encoding="utf-8")
    path.chmod(0o755)


def _system_path() -> list[str]:
    """PATH without the test's virtual environment: the workflow has only what it set up itself."""
    venv = str(PYTHON.parent)
    return [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != venv]


def _key_values(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT / GITHUB_ENV: `name=value` lines and `name<<DELIMITER` blocks."""
    out: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delimiter = line.split("<<", 1)
            block = []
            while i < len(lines) and lines[i] != delimiter:
                block.append(lines[i])
                i += 1
            i += 1
            out[key] = "\n".join(block)
            continue
        key, _, value = line.partition("=")
        out[key] = value
    return out
