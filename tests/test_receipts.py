"""接报登记：服务器端钩子（真实的裸仓库和推送）、bulletin receipt 命令、接报登记工作流的脚本。

接报时间只取服务器一侧的时间（推送时的服务器时钟、PR 的创建时间或工作流运行时间），
提交记录的时间可以伪造，一律不用。
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bulletin.access import hook
from bulletin.core.timing import BEIJING
from bulletin.desk import receipts
from bulletin.desk.git import Repository
from bulletin.desk.receipts import NOTES_REF, Receipt, read_receipts
from desk_helpers import BULLETIN, ITEM, git, init_repo, make_desk, run_cli

NEW_ITEM = "submissions/xiushui/2026/1201-01.md"
ACCOUNT = "xiushui-kuangxiaoping"
BACKDATED = (dt.datetime.now(tz=BEIJING) - dt.timedelta(days=1)).replace(microsecond=0).isoformat()
FORCE_REFUSED = "拒绝强制推送主分支main"
DELETE_REFUSED = "拒绝删除主分支main"
NOTES_REFUSED = "接报记录只能由服务器登记"
WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "receipts.yml"


# ---------------------------------------------------------------- helpers


def push_env(account: str | None = ACCOUNT, user: str = "git") -> dict[str, str]:
    """The environment of the pushing client; local pushes pass it on to the server's hooks."""
    env = {k: v for k, v in os.environ.items() if k not in hook.PUSHER_VARIABLES and k != "BULLETIN_DEBUG"}
    env.update(
        GIT_AUTHOR_NAME="信息员",
        GIT_AUTHOR_EMAIL="unit@example.org",
        GIT_COMMITTER_NAME="信息员",
        GIT_COMMITTER_EMAIL="unit@example.org",
        USER=user,
    )
    if account is not None:
        env["GL_USERNAME"] = account
    return env


def push(clone: Path, *args: str, account: str | None = ACCOUNT, user: str = "git") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "push", *args],
        cwd=clone,
        env=push_env(account, user),
        capture_output=True,
        text=True,
        timeout=120,
    )


def commit_file(clone: Path, rel: str, text: str, message: str = "报送信息", date: str = BACKDATED) -> str:
    path = clone / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(clone, "add", "--", rel)
    git(clone, "commit", "-q", "-m", message, env={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
    return git(clone, "rev-parse", "HEAD").strip()


def fetch_receipts(clone: Path) -> dict[str, Receipt]:
    git(clone, "fetch", "-q", "origin", f"+{NOTES_REF}:{NOTES_REF}")
    return read_receipts(clone)


def server_receipts(bare: Path) -> dict[str, Receipt]:
    return read_receipts(bare)


@pytest.fixture
def server(tmp_path: Path) -> Path:
    """A bare repository seeded with the demo desk, hooks installed through the CLI."""
    bare = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    admin = init_repo(make_desk(tmp_path / "admin"))
    git(admin, "remote", "add", "origin", str(bare))
    git(admin, "push", "-q", "origin", "main")
    done = run_cli("hook", "install", str(bare), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return bare


@pytest.fixture
def unit(server: Path, tmp_path: Path) -> Path:
    """A unit's clone of the server."""
    clone = tmp_path / "unit"
    git(tmp_path, "clone", "-q", str(server), str(clone))
    return clone


# ---------------------------------------------------------------- install


def test_install_writes_executable_hooks_calling_this_python(server: Path) -> None:
    for name in hook.HOOKS:
        path = server / "hooks" / name
        assert path.stat().st_mode & stat.S_IXUSR, f"{name} 应可执行"
        text = path.read_text(encoding="utf-8")
        assert text.startswith("#!/bin/sh\n")
        *_, last = text.splitlines()
        exec_, python, *rest = shlex.split(last)
        # the interpreter that ran `bulletin hook install` (the bulletin script's own Python)
        assert exec_ == "exec" and rest == ["-I", "-m", "bulletin", "hook", name]
        assert Path(python).parent == BULLETIN.parent and Path(python).name.startswith("python")


def test_install_again_changes_nothing(server: Path, tmp_path: Path) -> None:
    done = run_cli("hook", "install", str(server), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("未改动（已是最新）") == 2


def test_install_refuses_to_overwrite_another_hook_without_force(server: Path, tmp_path: Path) -> None:
    theirs = "#!/bin/sh\necho 别人的钩子\n"
    (server / "hooks" / "post-receive").write_text(theirs, encoding="utf-8")
    done = run_cli("hook", "install", str(server), cwd=tmp_path)
    assert done.returncode == 2
    assert "已存在且内容不同" in done.stderr and "--force" in done.stderr
    assert (server / "hooks" / "post-receive").read_text(encoding="utf-8") == theirs
    forced = run_cli("hook", "install", "--force", str(server), cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "已替换" in forced.stdout
    assert "bulletin hook post-receive" in (server / "hooks" / "post-receive").read_text(encoding="utf-8")


def test_install_beside_gitea_dispatcher(tmp_path: Path) -> None:
    bare = tmp_path / "gitea.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    dispatcher = "#!/usr/bin/env bash\n# AUTO GENERATED BY GITEA, DO NOT MODIFY\n"
    for name in hook.HOOKS:
        (bare / "hooks" / f"{name}.d").mkdir()
        (bare / "hooks" / name).write_text(dispatcher, encoding="utf-8")
    done = run_cli("hook", "install", str(bare), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in hook.HOOKS:
        assert (bare / "hooks" / name).read_text(encoding="utf-8") == dispatcher, "平台自己的钩子不动"
        assert "bulletin hook" in (bare / "hooks" / f"{name}.d" / "bulletin").read_text(encoding="utf-8")


def test_install_refuses_a_working_copy(tmp_path: Path) -> None:
    desk = init_repo(make_desk(tmp_path / "desk", with_submissions=False))
    done = run_cli("hook", "install", str(desk), cwd=tmp_path)
    assert done.returncode == 2
    assert "不是裸仓库" in done.stderr
    missing = run_cli("hook", "install", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert missing.returncode == 2 and "不是git仓库" in missing.stderr


# ---------------------------------------------------------------- post-receive


def test_push_records_server_time_and_pusher_not_commit_date(unit: Path) -> None:
    git(unit, "checkout", "-q", "-b", "xiushui/1201")
    sha = commit_file(unit, NEW_ITEM, ITEM)
    before = dt.datetime.now(tz=BEIJING)
    done = push(unit, "origin", "xiushui/1201")
    assert done.returncode == 0, done.stderr
    assert f"已接报{NEW_ITEM}：" in done.stderr  # hook output reaches the pusher as "remote: ..."

    receipts = fetch_receipts(unit)
    assert list(receipts) == [NEW_ITEM], "演示信息已在主分支上，不应重新登记"
    receipt = receipts[NEW_ITEM]
    assert receipt.account == ACCOUNT
    assert receipt.source == "hook"
    assert receipt.received_at.tzinfo is not None
    assert receipt.received_at.utcoffset() == dt.timedelta(hours=8)
    assert abs(receipt.received_at - before) < dt.timedelta(minutes=1)
    assert receipt.received_at - dt.datetime.fromisoformat(BACKDATED) > dt.timedelta(hours=23), "不得取提交日期"
    note = git(unit, "notes", "--ref", NOTES_REF, "show", sha)
    assert note.startswith(f"{NEW_ITEM}\t") and note.rstrip().endswith(f"\t{ACCOUNT}\thook")


def test_later_pushes_keep_the_first_receipt(unit: Path, tmp_path: Path) -> None:
    git(unit, "checkout", "-q", "-b", "xiushui/1201")
    commit_file(unit, NEW_ITEM, ITEM)
    assert push(unit, "origin", "xiushui/1201").returncode == 0
    first = fetch_receipts(unit)[NEW_ITEM]

    # the same branch again, with the item revised
    commit_file(unit, NEW_ITEM, ITEM.replace("36个", "37个"), "修改", date=dt.datetime.now(tz=BEIJING).isoformat())
    again = push(unit, "origin", "xiushui/1201", account="xiushui-fanjing")  # the unit's other informant
    assert again.returncode == 0, again.stderr
    assert "已接报" not in again.stderr
    # a new branch from main that adds the same path once more, and its merge into main
    git(unit, "checkout", "-q", "-b", "xiushui/again", "origin/main")
    commit_file(unit, NEW_ITEM, ITEM.replace("36个", "38个"), "重新报送")
    other = push(unit, "origin", "xiushui/again", account="xiushui-fanjing")
    assert other.returncode == 0, other.stderr
    assert "已接报" not in other.stderr
    merged = push(unit, "origin", "xiushui/again:main", account="jj-editor-lijing")
    assert merged.returncode == 0, merged.stderr
    assert "已接报" not in merged.stderr

    receipts = fetch_receipts(unit)
    assert receipts == {NEW_ITEM: first}
    lines = [line for line in git(unit, "log", "-p", NOTES_REF).splitlines() if line.startswith(f"+{NEW_ITEM}\t")]
    assert len(lines) == 1, "同一文件只登记一次"


def test_new_branch_without_pusher_variables_uses_user(unit: Path) -> None:
    git(unit, "checkout", "-q", "-b", "xiushui/b")
    commit_file(unit, NEW_ITEM, ITEM)
    done = push(unit, "origin", "xiushui/b", account=None, user="xiushui-fanjing")
    assert done.returncode == 0, done.stderr
    assert fetch_receipts(unit)[NEW_ITEM].account == "xiushui-fanjing"


def test_every_added_item_of_a_push_is_received_once(unit: Path) -> None:
    git(unit, "checkout", "-q", "-b", "xiushui/two")
    commit_file(unit, NEW_ITEM, ITEM)
    second = "submissions/xiushui/2026/1201-02.md"
    commit_file(unit, second, ITEM.replace("修水县", "修水县今年"))
    (unit / "submissions/xiushui/2026/1201-01.jpg").write_bytes(b"\xff\xd8\xff\xe0")  # not an item
    git(unit, "add", "submissions/xiushui/2026/1201-01.jpg")
    git(unit, "commit", "-q", "-m", "附件")
    assert push(unit, "origin", "xiushui/two").returncode == 0
    assert sorted(fetch_receipts(unit)) == [NEW_ITEM, second]


def test_a_control_character_in_a_file_name_forges_nothing(server: Path, unit: Path) -> None:
    # a file name that would add a forged line (an early receipt of another path) to the note
    sneaky = f"submissions/xiushui/2026/a\t2020-01-01T00:00:00+08:00\tx\thook\n{NEW_ITEM}"
    git(unit, "checkout", "-q", "-b", "xiushui/sneaky")
    commit_file(unit, sneaky, ITEM)
    done = push(unit, "origin", "xiushui/sneaky")
    assert done.returncode == 0, done.stderr
    assert "不登记接报" in done.stderr
    assert server_receipts(server) == {}


def test_a_receipt_error_does_not_fail_the_push(server: Path, unit: Path) -> None:
    (server / receipts.LOCK_NAME).mkdir()  # the lock cannot be opened: recording fails
    git(unit, "checkout", "-q", "-b", "xiushui/b")
    commit_file(unit, NEW_ITEM, ITEM)
    done = push(unit, "origin", "xiushui/b")
    assert done.returncode == 0, done.stderr
    assert "警告：接报时间登记失败" in done.stderr and "推送已成功" in done.stderr
    assert git(unit, "ls-remote", "origin", "refs/heads/xiushui/b").strip()


def test_first_push_into_an_empty_repository_is_an_import(tmp_path: Path) -> None:
    bare = tmp_path / "empty.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    assert run_cli("hook", "install", str(bare), cwd=tmp_path).returncode == 0
    admin = init_repo(make_desk(tmp_path / "admin"))
    git(admin, "remote", "add", "origin", str(bare))
    done = push(admin, "origin", "main")
    assert done.returncode == 0, done.stderr
    assert "视为导入" in done.stderr
    assert server_receipts(bare) == {}


# ---------------------------------------------------------------- pre-receive


def test_force_push_to_main_is_refused(server: Path, unit: Path) -> None:
    before = git(unit, "ls-remote", "origin", "refs/heads/main")
    git(unit, "commit", "-q", "--amend", "-m", "改写历史")
    done = push(unit, "--force", "origin", "main")
    assert done.returncode != 0
    assert FORCE_REFUSED in done.stderr and "git pull" in done.stderr
    assert git(unit, "ls-remote", "origin", "refs/heads/main") == before


def test_deleting_main_is_refused(unit: Path) -> None:
    done = push(unit, "origin", ":main")
    assert done.returncode != 0
    assert DELETE_REFUSED in done.stderr
    assert git(unit, "ls-remote", "origin", "refs/heads/main").strip()


def test_fast_forward_to_main_and_other_branches_pass(unit: Path) -> None:
    commit_file(unit, NEW_ITEM, ITEM)
    assert push(unit, "origin", "main", account="jj-editor-lijing").returncode == 0, "编辑可以推进主分支"
    git(unit, "checkout", "-q", "-b", "xiushui/topic")
    commit_file(unit, "submissions/xiushui/2026/1201-02.md", ITEM)
    assert push(unit, "origin", "xiushui/topic").returncode == 0
    git(unit, "commit", "-q", "--amend", "-m", "改写自己的分支")
    assert push(unit, "--force", "origin", "xiushui/topic").returncode == 0, "单位自己的分支可以强制推送"
    assert push(unit, "origin", ":xiushui/topic").returncode == 0, "单位自己的分支可以删除"


def test_client_push_of_receipts_is_refused(unit: Path) -> None:
    git(unit, "checkout", "-q", "-b", "xiushui/b")
    commit_file(unit, NEW_ITEM, ITEM)
    assert push(unit, "origin", "xiushui/b").returncode == 0
    fetch_receipts(unit)
    # a fast-forward of the server's own record, claiming an earlier time
    fake = f"submissions/xiushui/2026/1201-09.md\t2020-01-01T00:00:00+08:00\t{ACCOUNT}\thook"
    git(unit, "notes", "--ref", NOTES_REF, "append", "-m", fake, "HEAD")
    done = push(unit, "origin", NOTES_REF)
    assert done.returncode != 0
    assert NOTES_REFUSED in done.stderr
    deleted = push(unit, "origin", f":{NOTES_REF}")
    assert deleted.returncode != 0 and NOTES_REFUSED in deleted.stderr
    assert "submissions/xiushui/2026/1201-09.md" not in fetch_receipts(unit)


# ---------------------------------------------------------------- library pieces


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"GL_USERNAME": "a", "GITEA_PUSHER_NAME": "b", "USER": "git"}, "a"),
        ({"GITEA_PUSHER_NAME": "b", "REMOTE_USER": "c", "USER": "git"}, "b"),
        ({"GL_USERNAME": " ", "REMOTE_USER": "c", "USER": "git"}, "c"),
        ({"USER": "git"}, "git"),
        ({}, ""),
        ({"GL_USERNAME": "a\tb"}, ""),
    ],
)
def test_pusher(env: dict[str, str], expected: str) -> None:
    assert hook.pusher(env) == expected


@pytest.mark.parametrize(
    "rel",
    [
        "submissions/xiushui/2026/1128-01.md",
        "submissions/无名/2026/一.md",
    ],
)
def test_submission_paths(rel: str) -> None:
    assert receipts.path_problem(rel) is None


@pytest.mark.parametrize(
    "rel",
    [
        "submissions/xiushui/2026/1128-01.txt",
        "submissions/xiushui/1128-01.md",
        "submissions/xiushui/2026/a/1128-01.md",
        "issues/huiyao/2026/001.md",
        "/submissions/xiushui/2026/1128-01.md",
        "submissions/../2026/1128-01.md",
        "submissions/xiushui/2026/.md",
        "submissions/xiushui/2026/a\tb.md",
        "submissions/xiushui/2026/a\nb.md",
    ],
)
def test_not_submission_paths(rel: str) -> None:
    assert receipts.path_problem(rel) is not None


def test_without_an_account_only_main_and_the_receipts_are_judged(unit: Path) -> None:
    """`refusals` without a pusher (a library call): who may push which ref needs the account (test_hook_refs)."""
    repo = Repository.at(unit)
    head = git(unit, "rev-parse", "HEAD").strip()
    zero = "0" * 40
    ups = [hook.Update(zero, head, "refs/heads/x"), hook.Update(head, zero, "refs/heads/x")]
    ups.append(hook.Update(zero, head, "refs/tags/v1"))
    assert hook.refusals(repo, ups) == []
    assert hook.refusals(repo, [hook.Update(zero, head, "refs/heads/main")]) == []


# ---------------------------------------------------------------- bulletin receipt add / list


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    desk = init_repo(make_desk(tmp_path / "desk"))
    git(desk, "checkout", "-q", "-b", "pr")
    commit_file(desk, NEW_ITEM, ITEM)
    return desk


def test_receipt_add_and_list(desk: Path) -> None:
    done = run_cli(
        "receipt",
        "add",
        "--commit",
        "HEAD",
        "--received-at",
        "2026-11-28 09:05",
        "--account",
        ACCOUNT,
        "--",
        NEW_ITEM,
        cwd=desk,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已登记{NEW_ITEM}：2026年11月28日09:05（{ACCOUNT}）"
    listed = run_cli("receipt", "list", "--format", "json", cwd=desk)
    assert json.loads(listed.stdout) == [
        {"path": NEW_ITEM, "received_at": "2026-11-28T09:05:00+08:00", "account": ACCOUNT, "source": "forge"}
    ]
    text = run_cli("receipt", "list", cwd=desk).stdout
    assert f"{NEW_ITEM}\t2026年11月28日09:05\t{ACCOUNT}\t合并请求" in text and "共1条接报记录" in text
    later = run_cli(
        "receipt", "add", "--commit", "HEAD", "--received-at", "2026-11-29T10:00:00+08:00", NEW_ITEM, cwd=desk
    )
    assert later.returncode == 0
    assert "已于2026年11月28日09:05接报，不再登记" in later.stdout
    assert read_receipts(desk)[NEW_ITEM].received_at == dt.datetime(2026, 11, 28, 9, 5, tzinfo=BEIJING)


def test_receipt_list_shows_the_imported_receipts_on_main_as_the_hook_sees_them(desk: Path) -> None:
    """`bulletin receipt list` prints what the hook and `receipt add` treat as received: the notes and
    receipts/imported.tsv as committed on main (it used to look for the file in the git directory and
    printed 没有接报记录 for an imported desk)."""
    imported = "submissions/xiushui/2026/1101-01.md"
    git(desk, "checkout", "-q", "main")
    (desk / "receipts").mkdir(exist_ok=True)
    (desk / "receipts/imported.tsv").write_text(f"{imported}\t2026-11-01T08:00:00+08:00\tx\timport\n", encoding="utf-8")
    git(desk, "add", "receipts/imported.tsv")
    git(desk, "commit", "-q", "-m", "Import receipts")
    git(desk, "checkout", "-q", "pr")
    listed = run_cli("receipt", "list", "--format", "json", cwd=desk / "submissions")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == [
        {"path": imported, "received_at": "2026-11-01T08:00:00+08:00", "account": "x", "source": "import"}
    ]
    again = run_cli("receipt", "add", "--commit", "HEAD", "--received-at", "2026-11-28 09:05", imported, cwd=desk)
    assert again.returncode == 0 and "已于2026年11月1日08:00接报，不再登记" in again.stdout, again.stdout
    assert "导入" in run_cli("receipt", "list", cwd=desk).stdout


def test_receipt_add_refuses_bad_input_and_writes_nothing(desk: Path) -> None:
    bad_path = run_cli(
        "receipt", "add", "--commit", "HEAD", "--received-at", "2026-11-28 09:05", NEW_ITEM, "bulletin.yml", cwd=desk
    )
    assert bad_path.returncode == 2
    assert "未登记任何接报" in bad_path.stderr and "bulletin.yml" in bad_path.stderr
    bad_time = run_cli("receipt", "add", "--commit", "HEAD", "--received-at", "昨天", NEW_ITEM, cwd=desk)
    assert bad_time.returncode == 2 and "--received-at" in bad_time.stderr
    no_commit = run_cli("receipt", "add", "--commit", "f" * 40, "--received-at", "2026-11-28 09:05", NEW_ITEM, cwd=desk)
    assert no_commit.returncode == 2 and "找不到提交" in no_commit.stderr
    missing = run_cli("receipt", "add", "--received-at", "2026-11-28 09:05", NEW_ITEM, cwd=desk)
    assert missing.returncode == 2 and "缺少参数" in missing.stderr
    assert read_receipts(desk) == {}
    empty = run_cli("receipt", "list", cwd=desk)
    assert empty.returncode == 0 and "没有接报记录" in empty.stdout


# ---------------------------------------------------------------- the workflow's scripts, run for real
# 工作流的 shell 步骤在本地真正运行一遍：origin 是本地裸仓库，PR 的提交放在 refs/pull/7/head，
# bulletin 就是本环境安装的命令；检出、安装 Python 等 uses 步骤和 pip 安装由测试代做。


def _workflow_steps() -> list[dict[str, Any]]:
    wf = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    [job] = wf["jobs"].values()
    return list(job["steps"])


def run_workflow(
    tmp_path: Path, action: str, created_at: str, *, pr_files: dict[str, str], other_receipt: bool = False
) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    admin = init_repo(make_desk(tmp_path / "admin"))
    git(admin, "remote", "add", "origin", str(origin))
    git(admin, "push", "-q", "origin", "main")
    # the unit's pull request, backdated commits, kept by the forge under refs/pull/7/head
    git(admin, "checkout", "-q", "-b", "pr")
    for rel, text in pr_files.items():
        head = commit_file(admin, rel, text)
    git(admin, "push", "-q", "origin", "HEAD:refs/pull/7/head")
    if other_receipt:  # another pull request was received meanwhile
        git(admin, "checkout", "-q", "main")
        other = commit_file(admin, "submissions/hukou/2026/1201-01.md", ITEM)
        git(admin, "notes", "--ref", NOTES_REF, "add", "-m", f"x.md\t{created_at}\tother\tforge", other)
        git(admin, "push", "-q", "origin", f"{other}:refs/pull/8/head", NOTES_REF)
    # actions/checkout: the base branch, with a token that can push
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    github_env = tmp_path / "github_env"
    github_env.write_text("", encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if k != "BULLETIN_DEBUG"},
        "PATH": f"{BULLETIN.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "GITHUB_ENV": str(github_env),
        "ACTION": action,
        "CREATED_AT": created_at,
        "PR_NUMBER": "7",
        "HEAD_SHA": head,
        "AUTHOR": ACCOUNT,
        "GIT_CONFIG_GLOBAL": os.devnull,  # no identity configured, as on a fresh runner
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        env.pop(name, None)
    bash = shutil.which("bash")
    assert bash
    done: subprocess.CompletedProcess[str] | None = None
    for step in _workflow_steps():
        script = step.get("run")
        if script is None or "pip install" in script:
            continue
        done = subprocess.run(
            [bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{step['name']}：\n{done.stdout}{done.stderr}"
        for line in github_env.read_text(encoding="utf-8").splitlines():
            key, _, value = line.partition("=")
            env[key] = value
    assert done is not None
    return origin, work, done


def test_workflow_receives_an_opened_pr_at_its_creation_time(tmp_path: Path) -> None:
    second = "submissions/xiushui/2026/1201-02.md"
    origin, work, done = run_workflow(
        tmp_path,
        "opened",
        "2026-11-28T01:05:00Z",
        pr_files={NEW_ITEM: ITEM, second: ITEM, "README-unit.md": "不是信息"},
    )
    assert f"已登记{NEW_ITEM}：2026年11月28日09:05（{ACCOUNT}）" in done.stdout
    receipts = read_receipts(origin)
    assert sorted(receipts) == [NEW_ITEM, second]
    assert receipts[NEW_ITEM].received_at == dt.datetime(2026, 11, 28, 9, 5, tzinfo=BEIJING)
    assert receipts[NEW_ITEM].account == ACCOUNT and receipts[NEW_ITEM].source == "forge"
    pr_head = git(work, "rev-parse", "refs/bulletin/pr-head").strip()
    assert NEW_ITEM in git(work, "notes", "--ref", NOTES_REF, "show", pr_head)
    assert git(work, "rev-parse", "HEAD") == git(work, "rev-parse", "origin/main"), "工作区始终是目标分支"


def test_workflow_receives_a_later_push_now_and_appends(tmp_path: Path) -> None:
    before = dt.datetime.now(tz=BEIJING)
    origin, _, _ = run_workflow(
        tmp_path, "synchronize", "2026-11-20T01:00:00Z", pr_files={NEW_ITEM: ITEM}, other_receipt=True
    )
    receipts = read_receipts(origin)
    assert "x.md" in receipts, "别的 PR 的接报记录保留（只追加，不强推）"
    assert abs(receipts[NEW_ITEM].received_at - before) < dt.timedelta(minutes=1)


def test_workflow_without_new_items_records_nothing(tmp_path: Path) -> None:
    origin, _, done = run_workflow(tmp_path, "opened", "2026-11-28T01:05:00Z", pr_files={"docs-note.md": "说明"})
    assert "没有新增信息稿" in done.stdout
    assert read_receipts(origin) == {}


def test_administrator_repairs_a_receipt_on_the_server(server: Path, unit: Path) -> None:
    git(unit, "checkout", "-q", "-b", "xiushui/b")
    sha = commit_file(unit, NEW_ITEM, ITEM)
    (server / "hooks" / "post-receive").unlink()  # the receipt was not taken
    assert push(unit, "origin", "xiushui/b").returncode == 0
    assert server_receipts(server) == {}
    done = run_cli(
        "receipt", "add", "--commit", sha, "--received-at", "2026-11-28 09:05", "--source", "hook", NEW_ITEM, cwd=server
    )
    assert done.returncode == 0, done.stderr
    assert fetch_receipts(unit)[NEW_ITEM] == Receipt(
        NEW_ITEM, dt.datetime(2026, 11, 28, 9, 5, tzinfo=BEIJING), "", "hook"
    )


def test_receipts_of_a_few_paths_are_the_same_as_from_reading_every_note(tmp_path: Path) -> None:
    """A check of one file looks up that file's receipt (git grep over the notes, a scan of the
    imported file) instead of reading every note: same answer, earliest note first."""
    import datetime as dt

    import git as gitpython

    from bulletin.core.timing import BEIJING
    from bulletin.desk.receipts import IMPORTED, Receipt, add_receipts, read_receipts

    desk = tmp_path / "desk"
    desk.mkdir()
    repo = gitpython.Repo.init(desk, initial_branch="main")
    (desk / "receipts").mkdir()
    (desk / IMPORTED).write_text(
        "submissions/a/2026/1101-01.md\t2026-11-01T09:00:00+08:00\ta-x\timport\n"
        "submissions/b/2026/1101-01.md\t2026-11-01T10:00:00+08:00\tb-x\timport\n",
        encoding="utf-8",
    )
    repo.index.add([IMPORTED])
    first = repo.index.commit("One").hexsha
    (desk / "x").write_text("x", encoding="utf-8")
    repo.index.add(["x"])
    second = repo.index.commit("Two").hexsha
    when = dt.datetime(2026, 11, 2, 8, 0, tzinfo=BEIJING)
    with repo.git.custom_environment(
        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@x", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@x"
    ):
        add_receipts(Repository.at(desk), second, [Receipt("submissions/c/2026/1102-01.md", when, "c-x", "hook")])
        add_receipts(
            Repository.at(desk),
            first,
            [Receipt("submissions/c/2026/1102-01.md", when - dt.timedelta(hours=1), "c-y", "hook")],
        )
        add_receipts(Repository.at(desk), first, [Receipt("submissions/a/2026/1101-01.md", when, "a-x", "hook")])
    every = read_receipts(desk)
    assert set(every) == {f"submissions/{u}/2026/{d}-01.md" for u, d in (("a", "1101"), ("b", "1101"), ("c", "1102"))}
    assert every["submissions/c/2026/1102-01.md"].account == "c-y"  # the earlier note wins
    assert every["submissions/a/2026/1101-01.md"].source == "hook"  # a note beats the imported record
    for wanted in (
        ["submissions/c/2026/1102-01.md"],
        ["submissions/a/2026/1101-01.md", "submissions/b/2026/1101-01.md"],
    ):
        assert read_receipts(desk, wanted) == {p: every[p] for p in wanted}
    assert read_receipts(desk, ["submissions/none/2026/1101-01.md"]) == {}
