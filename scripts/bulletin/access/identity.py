"""Who may change what: the accounts of the registry (network.yml) against a branch's changes.

- `role_of(config, account)`: 管理员, 编辑, the units whose 信息员 the account is, or not in the registry.
- `authorize(config, account, changes, accepted)`: a finding for every change the account may not make.
- `immutability(changes, accepted)`: what binds every account, with or without a known author:
  accepted submissions (on main) are never modified, deleted or overwritten; receipts/ is the server's.
- `branch_changes(root, base)`: what the work tree changes against its merge-base with `base`.

The policy (desk-relative paths):

| 账号 | 可以改动 |
|---|---|
| 信息员 | 只能新增本单位 submissions/<单位代号>/ 下的文件 |
| 编辑 | submissions/（只能新增，可代各单位录入）、issues/、events/、calls/、records/、docs/、bulletin.yml、network.yml、.github/CODEOWNERS |
| 管理员 | 一切其他文件 |
| 不在名册中 | 什么都不能改 |

For everyone: a file of submissions/ that is on main is immutable (`accepted-immutable`), receipts/
is refused (`protected-file`); published issues change only as a correction (bulletin.editorial.assemble's
`check_published`, run by `bulletin issue check`). The registry judged by is always the base's
(main's), so a change cannot grant itself rights.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bulletin.core.model import Config, Finding, Severity, Unit
from bulletin.desk import git, layout

ADMIN, EDITOR, UNIT, UNKNOWN = "admin", "editor", "unit", "unknown"

SUBMISSIONS = layout.SUBMISSIONS + "/"
RECEIPTS = "receipts/"
ISSUES = layout.ISSUES + "/"
REGISTRY = "network.yml"
CONFIG = "bulletin.yml"
CODEOWNERS = ".github/CODEOWNERS"
# what editors may change besides adding submissions (where `bulletin issue new`, `notice`, `record`,
# the event and call registers and the site's pages live)
EDITOR_FOLDERS = (SUBMISSIONS, ISSUES, "events/", "calls/", "records/", "docs/")
EDITOR_FILES = (CONFIG, REGISTRY, CODEOWNERS)

PROTECTED_MESSAGE = (
    "接报记录只由服务器登记，任何账号都不能在合并请求或推送中改动：请撤销对此文件的改动"
    "（迁移历史记录须由管理员提交审核）"
)


@dataclass(frozen=True)
class Role:
    """What the registry says an account is."""

    account: str
    kind: str  # ADMIN / EDITOR / UNIT / UNKNOWN
    name: str = ""  # the person's name in the registry
    units: tuple[Unit, ...] = ()  # for UNIT: the units whose 信息员 the account is

    @property
    def unit_ids(self) -> tuple[str, ...]:
        return tuple(unit.id for unit in self.units)

    @property
    def label(self) -> str:
        """The account as a sentence names it: 修水县的信息员匡小平（xiushui-kuangxiaoping）."""
        if self.kind == ADMIN:
            return f"管理员{self.name}（{self.account}）"
        if self.kind == EDITOR:
            return f"编辑{self.name}（{self.account}）"
        if self.kind == UNIT:
            return f"{'、'.join(u.name for u in self.units)}的信息员{self.name}（{self.account}）"
        return f"账号“{self.account}”" if self.account else "身份不明的账号"


def role_of(config: Config, account: str) -> Role:
    """The highest role the registry gives `account` (forge logins compare without case)."""
    account = account.strip()
    key = account.casefold()
    if not key:
        return Role(account, UNKNOWN)
    for admin in config.admins:
        if admin.account.casefold() == key:
            return Role(account, ADMIN, admin.name)
    for editor in config.editors:
        if editor.account.casefold() == key:
            return Role(account, EDITOR, editor.name)
    units: list[Unit] = []
    name = ""
    for unit in config.units:
        for informant in unit.informants:
            if informant.account.casefold() == key:
                units.append(unit)
                name = name or informant.name
    if units:
        return Role(account, UNIT, name, tuple(units))
    return Role(account, UNKNOWN)


# ---------------------------------------------------------------- changes


@dataclass(frozen=True, order=True)
class Change:
    """One file a branch changes against main: A added, M modified, D deleted (desk-relative path)."""

    status: str
    path: str


def parse_name_status(output: str) -> list[Change]:
    """`git diff --name-status -z` output as changes; a rename is a deletion plus an addition."""
    fields = output.split("\0")
    changes: list[Change] = []
    i = 0
    while i < len(fields):
        status = fields[i]
        if not status:
            i += 1
            continue
        code = status[0]
        if code in "RC" and i + 2 < len(fields):
            old, new = fields[i + 1], fields[i + 2]
            if code == "R":
                changes.append(Change("D", old))
            changes.append(Change("A", new))
            i += 3
            continue
        if i + 1 < len(fields):
            changes.append(Change(code if code in "AMD" else "M", fields[i + 1]))
        i += 2
    return changes


def _relative(path: str, prefix: str) -> str:
    return posixpath.relpath(path, prefix.rstrip("/")) if prefix else path


def branch_changes(
    root: Path, base: str | None, committed: bool = False, checkout: git.Checkout | None = None
) -> list[Change]:
    """What the work tree (commits, uncommitted and untracked files) changes against its merge-base
    with `base`; with `committed`, what HEAD's commits change (a clean checkout, as in CI: no work
    tree to compare, which in a large desk means not looking at every file)."""
    checkout = checkout or git.Checkout.of(root)
    _, ref = checkout.base(base)
    diff = ["diff", "--name-status", "--no-renames", "--no-color", "--no-ext-diff", "-z"]
    output: str | None = None
    if committed:  # what HEAD's commits change since the merge-base (A...B), in one call
        try:
            output = checkout.run(*diff, f"{ref}...HEAD")
        except git.GitFailed:
            if _merge_base(checkout, ref):  # not for want of a common commit: a real failure
                raise
    else:  # against the work tree: committed, staged and unstaged changes of tracked files
        merge_base = _merge_base(checkout, ref)
        output = checkout.run(*diff, merge_base) if merge_base else None
    if output is not None:
        changes = parse_name_status(output)
    elif committed:  # nothing in common: every committed file is new
        listing = checkout.run("ls-tree", "-r", "--name-only", "-z", "HEAD") if checkout.commit("HEAD") else ""
        changes = [Change("A", name) for name in listing.split("\0") if name]
    else:  # nothing in common: every tracked file is new
        changes = [Change("A", name) for name in checkout.run("ls-files", "-z").split("\0") if name]
    if not committed:
        untracked = checkout.run("ls-files", "--others", "--exclude-standard", "-z").split("\0")
        changes += [Change("A", name) for name in untracked if name]
    return sorted({Change(c.status, _relative(c.path, checkout.prefix)) for c in changes})


def _merge_base(checkout: git.Checkout, ref: str) -> str | None:
    try:
        return checkout.run("merge-base", ref, "HEAD").strip() or None
    except git.GitFailed:  # nothing in common, or no commit yet
        return None


_LIST_AT_MOST = 1000  # paths named to git ls-tree; more than this and the whole folder is listed


def accepted_paths(
    root: Path, base: str | None, among: Sequence[str] | None = None, checkout: git.Checkout | None = None
) -> set[str]:
    """Desk-relative paths of the files under submissions/ on `base` (accepted, 采用入库); with
    `among`, only which of those paths are (a branch's few changes need not list 400,000 files)."""
    checkout = checkout or git.Checkout.of(root)
    _, ref = checkout.base(base)
    prefix = checkout.prefix
    wanted = None if among is None else [p for p in among if p.startswith(SUBMISSIONS)]
    if wanted is not None and not wanted:
        return set()
    if wanted is not None and len(wanted) <= _LIST_AT_MOST:
        specs = [":(literal)" + prefix + p for p in wanted]
    else:
        specs = [prefix + SUBMISSIONS.rstrip("/")]
    out = checkout.run("ls-tree", "-r", "--name-only", "-z", ref, "--", *specs)
    return {_relative(name, prefix) for name in out.split("\0") if name}


# ---------------------------------------------------------------- judging


def _immutable(change: Change, accepted: Callable[[str], bool]) -> Finding | None:
    path = change.path
    if path.startswith(RECEIPTS):
        return Finding(path, None, "protected-file", Severity.ERROR, PROTECTED_MESSAGE)
    if not path.startswith(SUBMISSIONS):
        return None
    if change.status == "A" and not accepted(path):
        return None
    item_id = path[len(SUBMISSIONS) : -len(".md")] if path.endswith(".md") else None
    if change.status == "A":
        message = "主分支上已有同名的文件（已采用入库），不能覆盖：请换一个文件名（如把序号加一）另报一条"
    elif change.status == "D":
        message = "这个文件已采用入库（在主分支上），不能删除：请恢复此文件；确需撤回的，请联系信息处编辑"
    elif item_id:
        message = (
            "这条信息已采用入库（在主分支上），不能修改：请撤销对此文件的修改；"
            f"补充情况或纠正错误，请另报一条新信息，头部写“续报: {item_id}”"
        )
    else:
        message = "这个文件已随信息采用入库（在主分支上），不能修改：请撤销修改；新的图片请用新的文件名，随续报一并报送"
    return Finding(path, None, "accepted-immutable", Severity.ERROR, message)


def immutability(changes: Iterable[Change], accepted: Callable[[str], bool]) -> list[Finding]:
    """What no account may do: touch accepted submissions or the receipts."""
    return [f for c in changes if (f := _immutable(c, accepted))]


def _in_editor_area(path: str) -> bool:
    return path.startswith(EDITOR_FOLDERS) or path in EDITOR_FILES


def refusal(config: Config, role: Role, change: Change) -> str | None:
    """Why `role` may not make `change` (None: it may). Immutability is judged separately."""
    path = change.path
    if role.kind == ADMIN:
        return None
    if role.kind == EDITOR:
        if _in_editor_area(path):
            return None
        return (
            f"{role.label}不能改动此文件：程序、工作流和其他配置由管理员维护（network.yml的admins）。"
            "请撤销对此文件的改动，需要改动的请交管理员提交"
        )
    if role.kind == UNIT:
        parts = path.split("/")
        in_unit_folder = len(parts) > 2 and parts[0] == SUBMISSIONS.rstrip("/")
        if in_unit_folder and parts[1] in role.unit_ids and change.status == "A":
            return None
        own = "、".join(f"submissions/{u}/" for u in role.unit_ids)
        if in_unit_folder and parts[1] not in role.unit_ids:
            other = config.unit(parts[1])
            whose = other.name if other else f"“{parts[1]}”"
            return (
                f"{role.label}只能报送本单位的信息（{own}），不能新增或改动{whose}文件夹中的文件："
                "请把信息放到本单位的文件夹；替其他单位报送，请由该单位的信息员提交"
            )
        if path.startswith(ISSUES):
            return (
                f"{role.label}不能改动刊物：刊物由信息处编辑编排，已发布的各期只能由编辑以更正（修订）的方式改动。"
                "请撤销对此文件的改动"
            )
        return (
            f"{role.label}只能新增本单位的信息（{own}下的文件），不能改动此文件："
            "请撤销对此文件的改动；确需改动的，请联系信息处"
        )
    if not role.account:
        return (
            "不知道是哪个账号提交的，无法核对权限：CI应传入合并请求发起人的账号（bulletin check --author），"
            "服务器应提供推送账号（GL_USERNAME、GITEA_PUSHER_NAME、REMOTE_USER或USER）。请联系管理员"
        )
    return (
        f"账号“{role.account}”不在信息网络名册（network.yml）中，不能提交改动：请联系信息处，"
        "把本账号登记为本单位的信息员（units中的informants）或编辑，名册合并后再提交"
    )


def authorize(
    config: Config, account: str, changes: Sequence[Change], accepted: Callable[[str], bool]
) -> list[Finding]:
    """Every change `account` may not make, by the registry in `config` (which must be main's).

    `accepted(path)` says whether a desk path is on main. One finding per refused file.
    """
    role = role_of(config, account)
    findings: list[Finding] = []
    for change in changes:
        barred = _immutable(change, accepted)
        if barred:
            findings.append(barred)
            continue
        why = refusal(config, role, change)
        if why:
            findings.append(Finding(change.path, None, "not-permitted", Severity.ERROR, why))
    return findings
