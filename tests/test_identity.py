"""身份与权限：名册中的账号能改动什么、已采用的信息和已发布的刊物不可改写、CODEOWNERS 由名册生成。

三处执行同一套规则（bulletin.access.identity）：
- `bulletin check --author 账号`（CI 传入合并请求发起人）；不给 --author 时仍拒绝改动已采用的信息；
- 服务器端 pre-receive 钩子，按推送账号核对，权限以主分支上的名册为准；
- `bulletin codeowners` 生成 .github/CODEOWNERS，`--check` 和 `bulletin check` 发现它过期。
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bulletin.access import hook
from bulletin.access.codeowners import render
from bulletin.access.identity import ADMIN, EDITOR, UNIT, UNKNOWN, Change, authorize, parse_name_status, role_of
from bulletin.core.model import Config, Editor
from bulletin.desk.config import load_config
from desk_helpers import ITEM, REPO, git, init_repo, make_desk, run_cli

UNIT_ACCOUNT = "xiushui-kuangxiaoping"  # 修水县的信息员匡小平
OTHER_UNIT_ACCOUNT = "lianxi-wuting"  # 濂溪区的信息员吴婷
EDITOR_ACCOUNT = "jj-editor-lijing"
ADMIN_ACCOUNT = "jj-admin-sunlixin"
OWN_NEW = "submissions/xiushui/2026/1201-01.md"
OTHERS_ACCEPTED = "submissions/lianxi/2026/1118-01.md"  # 濂溪区已采用入库的演示信息
OWN_ACCEPTED = "submissions/xiushui/2026/1103-01.md"
PUBLISHED = "issues/huiyao/2026/001.md"
EDITORS = {"jj-editor-lijing", "jj-editor-wangzhiqiang", "jj-editor-zhaomin"}


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(REPO)


# ---------------------------------------------------------------- role_of


@pytest.mark.parametrize(
    ("account", "kind", "label"),
    [
        (ADMIN_ACCOUNT, ADMIN, "管理员孙立新（jj-admin-sunlixin）"),
        (EDITOR_ACCOUNT, EDITOR, "编辑李静（jj-editor-lijing）"),
        (UNIT_ACCOUNT, UNIT, "修水县的信息员匡小平（xiushui-kuangxiaoping）"),
        ("XiuShui-KuangXiaoPing", UNIT, "修水县的信息员匡小平（XiuShui-KuangXiaoPing）"),  # logins ignore case
        ("someone", UNKNOWN, "账号“someone”"),
        ("", UNKNOWN, "身份不明的账号"),
    ],
)
def test_role_of(config: Config, account: str, kind: str, label: str) -> None:
    role = role_of(config, account)
    assert role.kind == kind
    assert role.label == label


def test_role_of_a_unit_account_names_its_unit(config: Config) -> None:
    assert role_of(config, UNIT_ACCOUNT).unit_ids == ("xiushui",)
    assert role_of(config, "xiushui-yining-liminghui").unit_ids == ("xiushui-yining",), "乡镇不等于所属县"


# ---------------------------------------------------------------- authorize: role × path

ON_MAIN = {OTHERS_ACCEPTED, OWN_ACCEPTED}

A, M, D = "A", "M", "D"
POLICY = [
    # 信息员：只能新增本单位的信息
    (UNIT_ACCOUNT, A, OWN_NEW, None),
    (UNIT_ACCOUNT, A, "submissions/xiushui/2026/images/1201-01.jpg", None),
    (UNIT_ACCOUNT, A, "submissions/lianxi/2026/1201-01.md", "not-permitted"),
    (UNIT_ACCOUNT, A, "submissions/xiushui-yining/2026/1201-01.md", "not-permitted"),
    (UNIT_ACCOUNT, M, OWN_ACCEPTED, "accepted-immutable"),
    (UNIT_ACCOUNT, D, OWN_ACCEPTED, "accepted-immutable"),
    (UNIT_ACCOUNT, A, OWN_ACCEPTED, "accepted-immutable"),  # overwritten by a branch from an older main
    (UNIT_ACCOUNT, M, OTHERS_ACCEPTED, "accepted-immutable"),
    (UNIT_ACCOUNT, M, PUBLISHED, "not-permitted"),
    (UNIT_ACCOUNT, A, "issues/huiyao/2026/009.md", "not-permitted"),
    (UNIT_ACCOUNT, A, "events/2026/1201-xiushui.md", "not-permitted"),
    (UNIT_ACCOUNT, M, "network.yml", "not-permitted"),
    (UNIT_ACCOUNT, M, ".github/workflows/check.yml", "not-permitted"),
    (UNIT_ACCOUNT, A, "notes.txt", "not-permitted"),
    (UNIT_ACCOUNT, M, "receipts/imported.tsv", "protected-file"),
    # 编辑：刊物、事件、约稿、登记、站点页面、配置和名册，代录各单位的信息
    (EDITOR_ACCOUNT, A, "submissions/lianxi/2026/1201-01.md", None),
    (EDITOR_ACCOUNT, M, PUBLISHED, None),  # as a correction: bulletin issue check judges the 修订
    (EDITOR_ACCOUNT, A, "issues/huiyao/2026/009.md", None),
    (EDITOR_ACCOUNT, A, "events/2026/1201-xiushui.md", None),
    (EDITOR_ACCOUNT, A, "calls/2026/1201-anquan.md", None),
    (EDITOR_ACCOUNT, A, "records/2026/1201-instruction-01.md", None),
    (EDITOR_ACCOUNT, M, "docs/guide/unit.md", None),
    (EDITOR_ACCOUNT, M, "bulletin.yml", None),
    (EDITOR_ACCOUNT, M, "network.yml", None),
    (EDITOR_ACCOUNT, M, ".github/CODEOWNERS", None),
    (EDITOR_ACCOUNT, M, OTHERS_ACCEPTED, "accepted-immutable"),
    (EDITOR_ACCOUNT, D, OWN_ACCEPTED, "accepted-immutable"),
    (EDITOR_ACCOUNT, M, "scripts/bulletin/cli.py", "not-permitted"),
    (EDITOR_ACCOUNT, M, ".github/workflows/check.yml", "not-permitted"),
    (EDITOR_ACCOUNT, M, "Makefile", "not-permitted"),
    (EDITOR_ACCOUNT, A, "receipts/more.tsv", "protected-file"),
    # 管理员：其他一切，但已采用的信息和接报记录同样不能改
    (ADMIN_ACCOUNT, M, "scripts/bulletin/cli.py", None),
    (ADMIN_ACCOUNT, M, ".github/workflows/check.yml", None),
    (ADMIN_ACCOUNT, D, "tests/test_cli.py", None),
    (ADMIN_ACCOUNT, M, "network.yml", None),
    (ADMIN_ACCOUNT, M, OWN_ACCEPTED, "accepted-immutable"),
    (ADMIN_ACCOUNT, M, "receipts/imported.tsv", "protected-file"),
    # 不在名册中
    ("someone", A, OWN_NEW, "not-permitted"),
    ("someone", M, "docs/index.md", "not-permitted"),
    ("", A, OWN_NEW, "not-permitted"),
]


@pytest.mark.parametrize(("account", "status", "path", "rule"), POLICY)
def test_policy(config: Config, account: str, status: str, path: str, rule: str | None) -> None:
    findings = authorize(config, account, [Change(status, path)], ON_MAIN.__contains__)
    assert [f.rule for f in findings] == ([rule] if rule else [])
    for f in findings:
        assert f.path == path and f.line is None and f.message


def test_messages_say_who_what_and_how_to_fix(config: Config) -> None:
    def message(account: str, status: str, path: str) -> str:
        (finding,) = authorize(config, account, [Change(status, path)], ON_MAIN.__contains__)
        return finding.message

    other = message(UNIT_ACCOUNT, A, "submissions/lianxi/2026/1201-01.md")
    assert "修水县的信息员匡小平（xiushui-kuangxiaoping）" in other and "濂溪区" in other
    assert "submissions/xiushui/" in other and "请把信息放到本单位的文件夹" in other
    issue = message(UNIT_ACCOUNT, M, PUBLISHED)
    assert "不能改动刊物" in issue and "更正" in issue
    accepted = message(UNIT_ACCOUNT, M, OWN_ACCEPTED)
    assert "已采用入库" in accepted and "续报: xiushui/2026/1103-01" in accepted
    assert "不能删除" in message(EDITOR_ACCOUNT, D, OWN_ACCEPTED)
    unknown = message("someone", A, OWN_NEW)
    assert "账号“someone”不在信息网络名册（network.yml）中" in unknown and "请联系信息处" in unknown
    code = message(EDITOR_ACCOUNT, M, "scripts/bulletin/cli.py")
    assert "编辑李静（jj-editor-lijing）" in code and "管理员" in code


def test_parse_name_status_splits_renames() -> None:
    out = "M\0a.md\0R100\0old.md\0new.md\0D\0gone.md\0A\0b c.md\0T\0link\0"
    assert parse_name_status(out) == [
        Change("M", "a.md"),
        Change("D", "old.md"),
        Change("A", "new.md"),
        Change("D", "gone.md"),
        Change("A", "b c.md"),
        Change("M", "link"),
    ]


# ---------------------------------------------------------------- CODEOWNERS


def owners_of(codeowners: str, path: str) -> set[str]:
    """GitHub's reading of the patterns we write ('*', '/folder/', '/file'): the last match wins."""
    found: set[str] = set()
    for line in codeowners.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        if (
            pattern == "*"
            or (pattern.endswith("/") and path.startswith(pattern[1:]))
            or (not pattern.endswith("/") and path == pattern[1:])
        ):
            found = {o.removeprefix("@") for o in owners}
    return found


@pytest.mark.parametrize(
    ("path", "owners"),
    [
        ("submissions/xiushui/2026/1103-01.md", EDITORS),
        ("issues/huiyao/2026/001.md", EDITORS),
        ("events/2026/1109-chaisang.md", EDITORS),
        ("calls/2026/1112-anquan.md", EDITORS),
        ("records/2026/1112-instruction-01.md", EDITORS),
        ("docs/guide/unit.md", EDITORS),
        ("network.yml", {ADMIN_ACCOUNT}),
        ("receipts/imported.tsv", {ADMIN_ACCOUNT}),
        ("bulletin.yml", {ADMIN_ACCOUNT}),
        ("scripts/bulletin/cli.py", {ADMIN_ACCOUNT}),
        (".github/workflows/check.yml", {ADMIN_ACCOUNT}),
        (".github/CODEOWNERS", {ADMIN_ACCOUNT}),
    ],
)
def test_codeowners_owners(config: Config, path: str, owners: set[str]) -> None:
    assert owners_of(render(config), path) == owners


def test_codeowners_says_it_is_generated(config: Config) -> None:
    text = render(config)
    assert text.startswith("# 代码所有者（CODEOWNERS）")
    assert "由 bulletin codeowners 按信息网络名册（network.yml）自动生成，请勿手工修改" in text
    assert render(config) == text, "同一名册总生成同样的文件"


def test_the_repository_codeowners_is_current(config: Config) -> None:
    committed = (REPO / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert committed == render(config), "network.yml 改了：请运行 bulletin codeowners 并提交 .github/CODEOWNERS"


def test_codeowners_without_administrators_asks_the_editors(config: Config) -> None:
    from dataclasses import replace

    text = render(replace(config, admins=()))
    assert owners_of(text, "scripts/bulletin/cli.py") == EDITORS


def test_codeowners_refuses_an_account_it_cannot_write(config: Config) -> None:
    from dataclasses import replace

    from bulletin.errors import UsageError

    with pytest.raises(UsageError, match="账号“李 静”不能写入"):
        render(replace(config, editors=(Editor("李静", "李 静"),)))


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    """The demo desk (submissions and issues) in a git repository, CODEOWNERS generated on main."""
    desk = make_desk(tmp_path / "desk")
    shutil.copytree(REPO / "issues", desk / "issues")
    shutil.copytree(REPO / "records" / "copies", desk / "records" / "copies")  # the 份号 of 内参
    assert run_cli("codeowners", cwd=desk).returncode == 0
    return init_repo(desk)


def test_codeowners_command_writes_and_checks(desk: Path) -> None:
    path = desk / ".github" / "CODEOWNERS"
    ok = run_cli("codeowners", "--check", cwd=desk)
    assert ok.returncode == 0, ok.stderr
    again = run_cli("codeowners", cwd=desk)
    assert again.returncode == 0 and "未改动" in again.stdout

    add_editor(desk)
    stale = run_cli("codeowners", "--check", cwd=desk)
    assert stale.returncode == 1
    assert ".github/CODEOWNERS与信息网络名册（network.yml）不一致" in stale.stderr
    assert "请运行“bulletin codeowners”重新生成" in stale.stderr
    assert "jj-editor-new" not in path.read_text(encoding="utf-8"), "--check 不写文件"

    done = run_cli("codeowners", cwd=desk)
    assert done.returncode == 0 and "已生成.github/CODEOWNERS（编辑4人，管理员1人）" in done.stdout
    assert "@jj-editor-new" in path.read_text(encoding="utf-8")
    assert run_cli("codeowners", "--check", cwd=desk).returncode == 0

    path.unlink()
    missing = run_cli("codeowners", "--check", cwd=desk)
    assert missing.returncode == 1 and "找不到.github/CODEOWNERS" in missing.stderr


def add_editor(desk: Path) -> None:
    registry = desk / "network.yml"
    text = registry.read_text(encoding="utf-8")
    new = "editors:\n  - name: 新编辑\n    account: jj-editor-new\n"
    registry.write_text(text.replace("editors:\n", new, 1), encoding="utf-8")


# ---------------------------------------------------------------- bulletin check --author (a real branch)


def branch(desk: Path, name: str = "pr") -> None:
    git(desk, "checkout", "-q", "-b", name)


def write(desk: Path, rel: str, text: str) -> None:
    path = desk / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def commit(desk: Path, message: str = "改动") -> None:
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", message)


def check(desk: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    done = run_cli("check", "--format", "json", *args, cwd=desk)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)["findings"]


def rules(findings: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(f["path"], f["rule"]) for f in findings]


def test_check_author_passes_a_units_own_new_item(desk: Path) -> None:
    branch(desk)
    write(desk, OWN_NEW, ITEM)
    commit(desk)
    assert check(desk, "--author", UNIT_ACCOUNT) == (0, [])


def test_check_author_refuses_another_units_folder_and_an_issue(desk: Path) -> None:
    branch(desk)
    write(desk, "submissions/lianxi/2026/1201-01.md", ITEM.replace("报送单位: xiushui", "报送单位: lianxi"))
    issue = desk / PUBLISHED
    issue.write_text(issue.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8")
    commit(desk)
    status, findings = check(desk, "--author", UNIT_ACCOUNT)
    assert status == 1
    assert set(rules(findings)) >= {
        ("submissions/lianxi/2026/1201-01.md", "not-permitted"),
        (PUBLISHED, "not-permitted"),
    }
    (other,) = [f for f in findings if f["rule"] == "not-permitted" and str(f["path"]).startswith("submissions/")]
    assert "xiushui-kuangxiaoping" in str(other["message"]) and "濂溪区" in str(other["message"])
    # the same branch by an editor: allowed (the issue's 修订 is judged by bulletin issue check)
    assert check(desk, "--author", EDITOR_ACCOUNT)[0] == 0


def test_accepted_items_are_immutable_even_without_author(desk: Path) -> None:
    branch(desk)
    accepted = desk / OTHERS_ACCEPTED
    accepted.write_text(accepted.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
    (desk / OWN_ACCEPTED).unlink()
    commit(desk)
    for args in ((), ("--author", ADMIN_ACCOUNT)):
        status, findings = check(desk, *args)
        assert status == 1
        assert (OTHERS_ACCEPTED, "accepted-immutable") in rules(findings)
        assert (OWN_ACCEPTED, "accepted-immutable") in rules(findings)


def test_uncommitted_edit_of_an_accepted_item_is_caught(desk: Path) -> None:
    branch(desk)
    accepted = desk / OWN_ACCEPTED
    accepted.write_text(accepted.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    status, findings = check(desk)
    assert status == 1 and (OWN_ACCEPTED, "accepted-immutable") in rules(findings)


def test_an_unknown_author_is_refused(desk: Path) -> None:
    branch(desk)
    write(desk, OWN_NEW, ITEM)
    commit(desk)
    status, findings = check(desk, "--author", "octocat")
    assert status == 1
    (finding,) = findings
    assert finding["rule"] == "not-permitted" and "账号“octocat”不在信息网络名册" in str(finding["message"])


def test_a_branch_cannot_grant_itself_rights(desk: Path) -> None:
    """The registry judged by is main's: adding oneself as an editor on the branch changes nothing."""
    branch(desk)
    registry = desk / "network.yml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace("editors:\n", f"editors:\n  - name: 匡小平\n    account: {UNIT_ACCOUNT}\n", 1), encoding="utf-8"
    )
    assert run_cli("codeowners", cwd=desk).returncode == 0
    issue = desk / PUBLISHED
    issue.write_text(issue.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    commit(desk)
    status, findings = check(desk, "--author", UNIT_ACCOUNT)
    assert status == 1
    assert {("network.yml", "not-permitted"), (PUBLISHED, "not-permitted")} <= set(rules(findings))


def test_a_registry_change_needs_a_regenerated_codeowners(desk: Path) -> None:
    branch(desk)
    add_editor(desk)
    commit(desk, "新增编辑")
    status, findings = check(desk, "--author", ADMIN_ACCOUNT)
    assert status == 1
    (finding,) = findings
    assert (finding["path"], finding["rule"]) == (".github/CODEOWNERS", "codeowners")
    assert "bulletin codeowners" in str(finding["message"])
    text = run_cli("check", "--author", ADMIN_ACCOUNT, cwd=desk).stdout
    assert "共检查1个文件" in text, "只改名册的合并请求也有结论"

    assert run_cli("codeowners", cwd=desk).returncode == 0
    commit(desk, "重新生成 CODEOWNERS")
    assert check(desk, "--author", ADMIN_ACCOUNT) == (0, [])


def test_codeowners_edited_by_hand_is_refused(desk: Path) -> None:
    branch(desk)
    owners = desk / ".github" / "CODEOWNERS"
    owners.write_text(owners.read_text(encoding="utf-8") + "/scripts/ @jj-editor-lijing\n", encoding="utf-8")
    commit(desk)
    status, findings = check(desk, "--author", EDITOR_ACCOUNT)
    assert status == 1 and rules(findings) == [(".github/CODEOWNERS", "codeowners")]
    (desk / ".github" / "CODEOWNERS").unlink()
    commit(desk, "删除")
    status, findings = check(desk, "--author", ADMIN_ACCOUNT)
    assert status == 1 and "本分支删除了它" in str(findings[0]["message"])


def test_author_is_only_for_branch_checks(desk: Path) -> None:
    done = run_cli("check", "--author", UNIT_ACCOUNT, OWN_ACCEPTED, cwd=desk)
    assert done.returncode == 2 and "“--author”只用于检查本分支的改动" in done.stderr
    empty = run_cli("check", "--author", " ", cwd=desk)
    assert empty.returncode == 2 and "“--author”的账号为空" in empty.stderr


# ---------------------------------------------------------------- the server: pre-receive, as the pushing account


def push(
    clone: Path, *args: str, account: str | None, variable: str = "GITEA_PUSHER_NAME"
) -> subprocess.CompletedProcess[str]:
    """`git push` to a file:// server; the hooks inherit the environment, as a forge's would carry the pusher."""
    env = {k: v for k, v in os.environ.items() if k not in hook.PUSHER_VARIABLES and k != "BULLETIN_DEBUG"}
    env.update(
        GIT_AUTHOR_NAME="信息员",
        GIT_AUTHOR_EMAIL="unit@example.org",
        GIT_COMMITTER_NAME="信息员",
        GIT_COMMITTER_EMAIL="unit@example.org",
        USER="git",
    )
    if account is not None:
        env[variable] = account
    return subprocess.run(["git", "push", *args], cwd=clone, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def server(desk: Path, tmp_path: Path) -> Path:
    """A bare repository with the demo desk (published issues included) and the hooks installed."""
    bare = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    git(desk, "remote", "add", "origin", str(bare))
    git(desk, "push", "-q", "origin", "main")
    done = run_cli("hook", "install", str(bare), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return bare


@pytest.fixture
def clone(server: Path, tmp_path: Path) -> Path:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(server), str(clone))
    return clone


def remote_branch(clone: Path, name: str) -> str:
    return git(clone, "ls-remote", "origin", f"refs/heads/{name}").strip()


def test_done_when_a_unit_cannot_push_changes_to_another_units_item_or_a_published_issue(clone: Path) -> None:
    # (a) another unit's accepted submission
    branch(clone, "xiushui/fix-lianxi")
    accepted = clone / OTHERS_ACCEPTED
    accepted.write_text(accepted.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8")
    commit(clone, "改动濂溪区的信息")
    done = push(clone, "origin", "xiushui/fix-lianxi", account=UNIT_ACCOUNT)
    assert done.returncode != 0
    assert (
        f"remote: 信息报送台：拒绝推送分支xiushui/fix-lianxi（推送账号：修水县的信息员匡小平（{UNIT_ACCOUNT}））"
        in done.stderr
    )
    assert f"{OTHERS_ACCEPTED}：这条信息已采用入库（在主分支上），不能修改" in done.stderr
    assert "续报: lianxi/2026/1118-01" in done.stderr
    assert not remote_branch(clone, "xiushui/fix-lianxi")

    # (b) a published issue
    git(clone, "checkout", "-q", "-b", "xiushui/fix-issue", "origin/main")
    issue = clone / PUBLISHED
    issue.write_text(issue.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8")
    commit(clone, "改动已发布的刊物")
    done = push(clone, "origin", "xiushui/fix-issue", account=UNIT_ACCOUNT, variable="REMOTE_USER")
    assert done.returncode != 0
    assert (
        f"remote: 信息报送台：拒绝推送分支xiushui/fix-issue（推送账号：修水县的信息员匡小平（{UNIT_ACCOUNT}））"
        in done.stderr
    )
    assert f"{PUBLISHED}：修水县的信息员匡小平（{UNIT_ACCOUNT}）不能改动刊物" in done.stderr
    assert not remote_branch(clone, "xiushui/fix-issue")

    # a new item of its own unit: accepted, and received
    git(clone, "checkout", "-q", "-b", "xiushui/1201", "origin/main")
    write(clone, OWN_NEW, ITEM)
    commit(clone, "报送信息")
    done = push(clone, "origin", "xiushui/1201", account=UNIT_ACCOUNT)
    assert done.returncode == 0, done.stderr
    assert f"已接报{OWN_NEW}" in done.stderr
    assert remote_branch(clone, "xiushui/1201")


def test_only_editors_and_administrators_push_to_main(clone: Path) -> None:
    write(clone, OWN_NEW, ITEM)
    commit(clone, "直接推送主分支")
    before = git(clone, "ls-remote", "origin", "refs/heads/main")
    done = push(clone, "origin", "main", account=UNIT_ACCOUNT)
    assert done.returncode != 0
    assert "拒绝推送主分支main：修水县的信息员匡小平（xiushui-kuangxiaoping）不能直接推送主分支" in done.stderr
    assert "发起合并请求" in done.stderr
    assert git(clone, "ls-remote", "origin", "refs/heads/main") == before
    merged = push(clone, "origin", "main", account=EDITOR_ACCOUNT)  # the forge's merge, by an editor
    assert merged.returncode == 0, merged.stderr


def test_nobody_rewrites_an_accepted_item_on_main(clone: Path) -> None:
    accepted = clone / OWN_ACCEPTED
    accepted.write_text(accepted.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
    commit(clone, "编辑改动已采用的信息")
    for account in (EDITOR_ACCOUNT, ADMIN_ACCOUNT):
        done = push(clone, "origin", "main", account=account)
        assert done.returncode != 0
        assert f"{OWN_ACCEPTED}：这条信息已采用入库" in done.stderr


def test_an_editor_cannot_push_code_but_an_administrator_can(clone: Path) -> None:
    branch(clone, "tooling")
    write(clone, "scripts/tool.py", "print('工具')\n")
    commit(clone, "工具")
    done = push(clone, "origin", "tooling", account=EDITOR_ACCOUNT)
    assert done.returncode != 0 and "scripts/tool.py：编辑李静（jj-editor-lijing）不能改动此文件" in done.stderr
    assert push(clone, "origin", "tooling", account=ADMIN_ACCOUNT).returncode == 0


def test_an_unregistered_account_is_told_to_ask_the_office(clone: Path) -> None:
    branch(clone, "x")
    write(clone, OWN_NEW, ITEM)
    write(clone, "submissions/xiushui/2026/1201-02.md", ITEM)
    commit(clone)
    done = push(clone, "origin", "x", account="stranger")
    assert done.returncode != 0
    line = next(line for line in done.stderr.splitlines() if "拒绝推送分支x" in line)
    assert "账号“stranger”不在信息网络名册（network.yml）中" in line and "请联系信息处" in line
    assert not remote_branch(clone, "x")


def test_files_refused_for_one_reason_share_a_line(clone: Path) -> None:
    branch(clone, "xiushui/for-lianxi")
    write(clone, "submissions/lianxi/2026/1201-01.md", ITEM)
    write(clone, "submissions/lianxi/2026/1201-02.md", ITEM)
    commit(clone)
    done = push(clone, "origin", "xiushui/for-lianxi", account=UNIT_ACCOUNT)
    assert done.returncode != 0
    [line] = [line for line in done.stderr.splitlines() if "拒绝推送分支xiushui/for-lianxi" in line]
    assert "submissions/lianxi/2026/1201-01.md、submissions/lianxi/2026/1201-02.md：" in line, "同一理由的文件合成一行"
    assert "只能报送本单位的信息" in line


def test_a_push_cannot_grant_itself_rights(clone: Path) -> None:
    """The hook reads the registry from main: a branch that makes its pusher an editor is still a unit's."""
    branch(clone, "xiushui/promote")
    registry = clone / "network.yml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(
        text.replace("editors:\n", f"editors:\n  - name: 匡小平\n    account: {UNIT_ACCOUNT}\n", 1), encoding="utf-8"
    )
    commit(clone, "把自己加为编辑")
    done = push(clone, "origin", "xiushui/promote", account=UNIT_ACCOUNT)
    assert done.returncode != 0 and "network.yml：修水县的信息员匡小平" in done.stderr


def test_a_units_branch_is_judged_against_main_not_its_last_push(clone: Path) -> None:
    branch(clone, "xiushui/1201")
    write(clone, OWN_NEW, ITEM)
    commit(clone)
    assert push(clone, "origin", "xiushui/1201", account=UNIT_ACCOUNT).returncode == 0
    write(clone, OWN_NEW, ITEM.replace("36个", "37个"))  # 退改: still not accepted, may change
    commit(clone, "按编辑意见修改")
    assert push(clone, "origin", "xiushui/1201", account=UNIT_ACCOUNT).returncode == 0
    write(clone, "issues/huiyao/2026/009.md", "---\n刊物: huiyao\n---\n")
    commit(clone, "夹带刊物")
    done = push(clone, "origin", "xiushui/1201", account=UNIT_ACCOUNT)
    assert done.returncode != 0 and "issues/huiyao/2026/009.md" in done.stderr


def test_deleting_ones_own_branch_is_not_judged(clone: Path) -> None:
    branch(clone, "xiushui/1201")
    write(clone, OWN_NEW, ITEM)
    commit(clone)
    assert push(clone, "origin", "xiushui/1201", account=UNIT_ACCOUNT).returncode == 0
    assert push(clone, "origin", ":xiushui/1201", account=UNIT_ACCOUNT).returncode == 0
