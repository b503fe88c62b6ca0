"""服务器钩子按推送账号核对每一个引用（issue 12 第3、5条和第11条中钩子的部分）。

真实的裸仓库装上真实的钩子（bulletin hook install），以名册中的账号推送：
- 报送单位只能推送、强制推送和删除本单位的分支（refs/heads/<单位代号>/…），不能动其他单位的分支、
  主分支、标签和其他引用；编辑和管理员可以管理任何分支和标签；
- 合并请求的引用（refs/pull/*、refs/merge-requests/*）只由平台写入（Gitea、Forgejo设GITEA_INTERNAL_PUSH），
  客户端推送一律拒绝；
- 接报时间只为推送账号可以新增的信息登记：报送单位只在本单位的文件夹中，不论哪个引用带来；已有的接报记录不改。
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bulletin.access import hook
from bulletin.desk.receipts import NOTES_REF, read_receipts
from desk_helpers import ITEM, REPO, git, init_repo, make_desk, run_cli

XIUSHUI = "xiushui-kuangxiaoping"  # 修水县的信息员匡小平
XIUSHUI_LABEL = f"修水县的信息员匡小平（{XIUSHUI}）"
XUNYANG = "xunyang-liuxiaoyan"  # 浔阳区的信息员刘晓燕
XUNYANG_OTHER = "xunyang-zhoulei"  # 浔阳区的另一位信息员周磊
EDITOR = "jj-editor-lijing"
ADMIN = "jj-admin-sunlixin"
XIUSHUI_ITEM = "submissions/xiushui/2026/1206-01.md"
XUNYANG_ITEM = "submissions/xunyang/2026/1206-01.md"
PLACEHOLDER = ITEM.replace("修水县", "浔阳区").replace("xiushui", "xunyang")
REAL_REPORT = PLACEHOLDER.replace("36个", "40个")
INTERNAL = "GITEA_INTERNAL_PUSH"  # what Gitea/Forgejo set on their own pushes (hook.FORGE_INTERNAL)


# ---------------------------------------------------------------- a server with the hooks, clones of it


def push(
    clone: Path, *args: str, account: str | None, variable: str = "GITEA_PUSHER_NAME", internal: bool = False
) -> subprocess.CompletedProcess[str]:
    """`git push` to a file:// server: the hooks inherit this environment, as a forge's would carry the
    pusher; `internal` is the forge's own push (Gitea/Forgejo write refs/pull/<n>/head this way)."""
    env = {k: v for k, v in os.environ.items() if k not in hook.PUSHER_VARIABLES}
    for name in (INTERNAL, "BULLETIN_DEBUG"):
        env.pop(name, None)
    env.update(
        GIT_AUTHOR_NAME="信息员",
        GIT_AUTHOR_EMAIL="unit@example.org",
        GIT_COMMITTER_NAME="信息员",
        GIT_COMMITTER_EMAIL="unit@example.org",
        USER="git",
    )
    if account is not None:
        env[variable] = account
    if internal:
        env[INTERNAL] = "true"
    return subprocess.run(["git", "push", *args], cwd=clone, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def server(tmp_path: Path) -> Path:
    """A bare repository with the demo desk (issues and CODEOWNERS too) and the hooks installed."""
    desk = make_desk(tmp_path / "desk")
    shutil.copytree(REPO / "issues", desk / "issues")
    shutil.copytree(REPO / "records" / "copies", desk / "records" / "copies")  # the 份号 of 内参
    assert run_cli("codeowners", cwd=desk).returncode == 0
    init_repo(desk)
    bare = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    git(desk, "remote", "add", "origin", str(bare))
    git(desk, "push", "-q", "origin", "main")
    done = run_cli("hook", "install", str(bare), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return bare


def clone_of(server: Path, name: str) -> Path:
    clone = server.parent / name
    git(server.parent, "clone", "-q", str(server), str(clone))
    return clone


@pytest.fixture
def xiushui(server: Path) -> Path:
    return clone_of(server, "xiushui")


@pytest.fixture
def xunyang(server: Path) -> Path:
    return clone_of(server, "xunyang")


def commit_file(clone: Path, rel: str, text: str, message: str = "报送信息") -> str:
    path = clone / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(clone, "add", "--", rel)
    git(clone, "commit", "-q", "-m", message)
    return git(clone, "rev-parse", "HEAD").strip()


def remote(clone: Path, ref: str) -> str:
    return git(clone, "ls-remote", "origin", ref).strip()


def lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    """The hook's refusals as the pusher sees them."""
    return [line.rstrip() for line in done.stderr.splitlines() if line.startswith("remote: 信息报送台：")]


def pending_branch(xunyang: Path, name: str = "xunyang/1206-01", received: bool = True) -> str:
    """浔阳区's pending report on its own branch: accepted and (the first time) received."""
    git(xunyang, "checkout", "-q", "-b", name, "origin/main")
    sha = commit_file(xunyang, XUNYANG_ITEM, REAL_REPORT)
    done = push(xunyang, "origin", name, account=XUNYANG)
    assert done.returncode == 0, done.stderr
    assert (f"已接报{XUNYANG_ITEM}" in done.stderr) == received
    return sha


# ---------------------------------------------------------------- finding 3: receipt squatting


def test_a_unit_cannot_squat_another_units_receipt_through_a_pull_request_ref(server: Path, xiushui: Path) -> None:
    """修水县 pushes a placeholder at 浔阳区's path to refs/pull/500/head: refused, no receipt taken;
    浔阳区's real report, pushed later to its own branch, is received then, as 浔阳区's."""
    git(xiushui, "checkout", "-q", "-b", "squat")
    commit_file(xiushui, XUNYANG_ITEM, PLACEHOLDER, "占位")
    for ref in ("refs/pull/500/head", "refs/merge-requests/500/head"):
        done = push(xiushui, "origin", f"HEAD:{ref}", account=XIUSHUI)
        assert done.returncode != 0, f"{ref}应被拒绝：{done.stderr}"
        assert f"remote: 信息报送台：拒绝推送{ref}（推送账号：{XIUSHUI_LABEL}）" in done.stderr
        assert "只由平台自己写入" in done.stderr and "不登记接报" in done.stderr
        assert "git push origin HEAD:xiushui/1128-01" in done.stderr, "告诉推送者该怎么做"
        assert "Traceback" not in done.stderr
        assert not remote(xiushui, ref)
    assert read_receipts(server) == {}, "被拒绝的推送不登记接报"
    # editors and administrators do not push the forge's refs either
    done = push(xiushui, "origin", "HEAD:refs/pull/501/head", account=EDITOR)
    assert done.returncode != 0 and "拒绝推送refs/pull/501/head（推送账号：编辑李静" in done.stderr

    xunyang = clone_of(server, "xunyang")
    pending_branch(xunyang)
    receipt = read_receipts(server)[XUNYANG_ITEM]
    assert receipt.account == XUNYANG and receipt.source == "hook"


def test_the_forges_own_pull_head_takes_receipts_only_in_its_authors_folder(server: Path, xiushui: Path) -> None:
    """Gitea/Forgejo write refs/pull/<n>/head themselves (GITEA_INTERNAL_PUSH, the pull request's author as
    the pusher), also for a pull request from a fork: accepted, but 修水县's pull request takes no receipt
    for a file in 浔阳区's folder."""
    git(xiushui, "checkout", "-q", "-b", "fork-branch")
    commit_file(xiushui, XIUSHUI_ITEM, ITEM)
    head = commit_file(xiushui, XUNYANG_ITEM, PLACEHOLDER, "占位")
    done = push(xiushui, "origin", "HEAD:refs/pull/7/head", account=XIUSHUI, internal=True)
    assert done.returncode == 0, done.stderr
    assert remote(xiushui, "refs/pull/7/head").startswith(head)
    assert f"已接报{XIUSHUI_ITEM}" in done.stderr
    assert f"{XUNYANG_ITEM}'不登记接报：这个文件在浔阳区的文件夹中，{XIUSHUI_LABEL}只为本单位的信息" in done.stderr
    assert list(read_receipts(server)) == [XIUSHUI_ITEM]

    # the real report arrives later, from 浔阳区's own branch: its receipt is 浔阳区's
    xunyang = clone_of(server, "xunyang")
    pending_branch(xunyang)
    assert read_receipts(server)[XUNYANG_ITEM].account == XUNYANG


def test_a_forge_write_from_an_unregistered_author_takes_no_receipt(server: Path, xiushui: Path) -> None:
    git(xiushui, "checkout", "-q", "-b", "fork-branch")
    commit_file(xiushui, XIUSHUI_ITEM, ITEM)
    done = push(xiushui, "origin", "HEAD:refs/pull/8/head", account="stranger", internal=True)
    assert done.returncode == 0, done.stderr
    assert "不登记接报：推送账号“stranger”不在信息网络名册（network.yml）中" in done.stderr
    assert read_receipts(server) == {}


def test_an_editor_enters_an_item_for_any_unit_and_it_is_received(server: Path, xiushui: Path) -> None:
    """Editors may enter a unit's item (代各单位录入，如电话报送): their push takes its receipt."""
    git(xiushui, "checkout", "-q", "-b", "luru/1206")
    commit_file(xiushui, XUNYANG_ITEM, REAL_REPORT)
    done = push(xiushui, "origin", "luru/1206", account=EDITOR)
    assert done.returncode == 0, done.stderr
    assert read_receipts(server)[XUNYANG_ITEM].account == EDITOR


def test_a_receipt_once_taken_is_never_replaced_by_any_ref(server: Path, xunyang: Path) -> None:
    pending_branch(xunyang)
    first = read_receipts(server)[XUNYANG_ITEM]
    # the same path again: a forge write, another informant's branch, an editor's branch
    assert push(xunyang, "origin", "HEAD:refs/pull/9/head", account=XUNYANG, internal=True).returncode == 0
    git(xunyang, "checkout", "-q", "-b", "xunyang/1206-02", "origin/main")
    commit_file(xunyang, XUNYANG_ITEM, REAL_REPORT.replace("40个", "41个"))
    again = push(xunyang, "origin", "xunyang/1206-02", account=XUNYANG_OTHER)
    assert again.returncode == 0, again.stderr
    assert "已接报" not in again.stderr
    assert push(xunyang, "origin", "xunyang/1206-02:editor/1206", account=EDITOR).returncode == 0
    assert read_receipts(server) == {XUNYANG_ITEM: first}
    log = git(xunyang, "fetch", "-q", "origin", f"+{NOTES_REF}:{NOTES_REF}") + git(xunyang, "log", "-p", NOTES_REF)
    assert len([line for line in log.splitlines() if line.startswith(f"+{XUNYANG_ITEM}\t")]) == 1


def test_an_imported_receipt_is_not_replaced(tmp_path: Path) -> None:
    """receipts/imported.tsv on main holds receipts from before the hook: the hook does not take
    another receipt for such a path (a note would take precedence over the imported line)."""
    desk = make_desk(tmp_path / "desk")
    (desk / "receipts").mkdir()
    (desk / "receipts" / "imported.tsv").write_text(
        f"{XIUSHUI_ITEM}\t2026-12-06T08:00:00+08:00\t{XIUSHUI}\timport\n", encoding="utf-8"
    )
    init_repo(desk)
    bare = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    git(desk, "remote", "add", "origin", str(bare))
    git(desk, "push", "-q", "origin", "main")
    assert run_cli("hook", "install", str(bare), cwd=tmp_path).returncode == 0
    clone = clone_of(bare, "clone")
    git(clone, "checkout", "-q", "-b", "xiushui/1206-01")
    commit_file(clone, XIUSHUI_ITEM, ITEM)
    done = push(clone, "origin", "xiushui/1206-01", account=XIUSHUI)
    assert done.returncode == 0, done.stderr
    assert "已接报" not in done.stderr
    assert read_receipts(bare) == {}, "no note for it"
    receipt = read_receipts(clone)[XIUSHUI_ITEM]  # the work tree's receipts/imported.tsv
    assert (receipt.source, receipt.received_at.isoformat()) == ("import", "2026-12-06T08:00:00+08:00")


# ---------------------------------------------------------------- finding 5: another unit's branch


def test_a_unit_cannot_delete_or_force_push_another_units_branch(server: Path, xiushui: Path, xunyang: Path) -> None:
    sha = pending_branch(xunyang)
    branch = "refs/heads/xunyang/1206-01"

    deleted = push(xiushui, "origin", ":xunyang/1206-01", account=XIUSHUI)
    assert deleted.returncode != 0
    assert lines(deleted) == [
        f"remote: 信息报送台：拒绝删除分支xunyang/1206-01（推送账号：{XIUSHUI_LABEL}）："
        "这是浔阳区的分支，只有浔阳区的信息员和信息处编辑能推送、强制推送或删除它。"
        "本单位的分支可以删除；确需删除这个分支的，请联系信息处编辑"
    ]
    assert remote(xiushui, branch).startswith(sha)

    git(xiushui, "checkout", "-q", "-b", "mine", "origin/main")
    commit_file(xiushui, XIUSHUI_ITEM, ITEM)  # its own folder: only the branch is wrong
    forced = push(xiushui, "--force", "origin", "HEAD:xunyang/1206-01", account=XIUSHUI)
    assert forced.returncode != 0
    assert f"拒绝强制推送分支xunyang/1206-01（推送账号：{XIUSHUI_LABEL}）：这是浔阳区的分支" in forced.stderr
    assert "请推送到本单位的分支，如“git push origin HEAD:xiushui/1128-01”" in forced.stderr
    assert remote(xiushui, branch).startswith(sha)

    git(xiushui, "fetch", "-q", "origin")
    git(xiushui, "checkout", "-q", "-b", "on-top", "origin/xunyang/1206-01")
    commit_file(xiushui, XIUSHUI_ITEM, ITEM)
    added = push(xiushui, "origin", "HEAD:xunyang/1206-01", account=XIUSHUI)
    assert added.returncode != 0 and "拒绝推送分支xunyang/1206-01" in added.stderr
    assert remote(xiushui, branch).startswith(sha)
    assert list(read_receipts(server)) == [XUNYANG_ITEM]


def test_the_units_own_informants_and_editors_manage_its_branch(xiushui: Path, xunyang: Path) -> None:
    pending_branch(xunyang)
    git(xunyang, "commit", "-q", "--amend", "-m", "按编辑意见改写")
    forced = push(xunyang, "--force", "origin", "xunyang/1206-01", account=XUNYANG_OTHER)
    assert forced.returncode == 0, "同一单位的另一位信息员可以强制推送"
    assert push(xunyang, "origin", ":xunyang/1206-01", account=XUNYANG_OTHER).returncode == 0
    pending_branch(xunyang, "xunyang/1206-02", received=False)
    assert push(xiushui, "origin", ":xunyang/1206-02", account=EDITOR).returncode == 0, "编辑可以删除任何分支"
    assert not remote(xiushui, "refs/heads/xunyang/1206-02")


def test_an_unregistered_or_unknown_account_cannot_delete_a_branch(xiushui: Path, xunyang: Path) -> None:
    pending_branch(xunyang)
    stranger = push(xiushui, "origin", ":xunyang/1206-01", account="stranger")
    assert stranger.returncode != 0
    assert "拒绝删除分支xunyang/1206-01：账号“stranger”不在信息网络名册（network.yml）中，不能推送" in stranger.stderr
    nobody = push(xiushui, "origin", ":xunyang/1206-01", account=None, variable="REMOTE_USER")
    assert nobody.returncode != 0 and "账号“git”不在信息网络名册" in nobody.stderr  # USER=git: the system user
    assert remote(xiushui, "refs/heads/xunyang/1206-01")


def test_a_units_branch_is_named_for_its_unit(xiushui: Path) -> None:
    git(xiushui, "checkout", "-q", "-b", "topic")
    commit_file(xiushui, XIUSHUI_ITEM, ITEM)
    for name in ("topic", "xiushui", "lianxi-xiushui/1206-01", "xiushui-yining/1206-01"):
        done = push(xiushui, "origin", f"HEAD:{name}", account=XIUSHUI)
        assert done.returncode != 0, name
        assert f"拒绝推送分支{name}（推送账号：{XIUSHUI_LABEL}）：" in done.stderr
        assert "git push origin HEAD:xiushui/1128-01" in done.stderr
        assert not remote(xiushui, f"refs/heads/{name}")
    assert "以“xiushui/”开头的分支" in push(xiushui, "origin", "HEAD:topic", account=XIUSHUI).stderr
    township = push(xiushui, "origin", "HEAD:xiushui-yining/1206-01", account=XIUSHUI).stderr
    assert "这是修水县义宁镇的分支" in township  # a township is a unit of its own, with its own branches
    done = push(xiushui, "origin", "HEAD:xiushui/1206-01", account=XIUSHUI)
    assert done.returncode == 0, done.stderr
    assert f"已接报{XIUSHUI_ITEM}" in done.stderr


# ---------------------------------------------------------------- finding 11: tags and other refs


def test_units_cannot_push_tags_or_other_refs(server: Path, xiushui: Path) -> None:
    git(xiushui, "checkout", "-q", "-b", "xiushui/1206-01")
    commit_file(xiushui, XIUSHUI_ITEM, ITEM)
    git(xiushui, "tag", "v1")
    tag = push(xiushui, "origin", "v1", account=XIUSHUI)
    assert tag.returncode != 0
    assert f"拒绝推送标签v1（推送账号：{XIUSHUI_LABEL}）：报送单位不能推送或删除标签" in tag.stderr
    assert "git tag -d v1" in tag.stderr
    both = push(xiushui, "origin", "xiushui/1206-01", "v1", account=XIUSHUI)
    assert both.returncode != 0, "一次推送中有一个引用被拒绝，整次推送都不接受"
    assert not remote(xiushui, "refs/heads/xiushui/1206-01") and read_receipts(server) == {}
    for ref in ("refs/for/main/xiushui", "refs/bulletin/x", "refs/notes/commits", "refs/remotes/origin/x"):
        done = push(xiushui, "origin", f"HEAD:{ref}", account=XIUSHUI)
        assert done.returncode != 0, ref
        assert (
            f"拒绝推送{ref}（推送账号：{XIUSHUI_LABEL}）：报送单位只能推送本单位的分支（以“xiushui/”开头）"
            in done.stderr
        )
        assert not remote(xiushui, ref)

    assert push(xiushui, "origin", "v1", account=EDITOR).returncode == 0, "编辑可以推送标签"
    deleted = push(xiushui, "origin", ":refs/tags/v1", account=XIUSHUI)
    assert deleted.returncode != 0 and "拒绝删除标签v1" in deleted.stderr
    assert push(xiushui, "origin", ":refs/tags/v1", account=ADMIN).returncode == 0


# ---------------------------------------------------------------- no traceback to a pusher


def test_an_error_while_judging_refuses_in_one_clear_line(tmp_path: Path) -> None:
    err = io.StringIO()
    line = f"{'0' * 40} {'1' * 40} refs/heads/xiushui/1206-01\n"
    code = hook.pre_receive(io.StringIO(line), err, env={"GIT_DIR": str(tmp_path / "missing.git"), "USER": XIUSHUI})
    assert code == 1
    text = err.getvalue()
    assert (
        text.startswith("信息报送台：检查推送时出错（") and "暂不接受推送" in text and "请把这条信息告诉信息处" in text
    )
    assert "Traceback" not in text and text.count("\n") == 1


@pytest.mark.parametrize(
    ("ref", "owner"),
    [
        ("refs/heads/xiushui/1206-01", "xiushui"),
        ("refs/heads/xiushui-yining/a/b", "xiushui-yining"),
        ("refs/heads/xiushui", None),
        ("refs/heads/xiushui/", None),
        ("refs/heads/xiushui-1206-01", None),
        ("refs/tags/xiushui/v1", None),
        ("refs/pull/xiushui/head", None),
    ],
)
def test_branch_owner(ref: str, owner: str | None) -> None:
    assert hook.branch_owner(ref) == owner


def test_the_forges_variable_is_the_one_the_tests_set() -> None:
    assert hook.FORGE_INTERNAL == INTERNAL
