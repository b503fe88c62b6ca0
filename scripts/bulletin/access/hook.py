"""Receipts stamped on the server: git hooks for a self-hosted server, and `bulletin receipt`.

`bulletin hook install BARE` writes two hooks into a bare repository:

- pre-receive refuses to rewrite or delete `refs/heads/main`, refuses any client push to the
  receipts ref (only the server writes receipts) or to the refs a forge keeps for its pull requests
  (`refs/pull/*`, `refs/merge-requests/*`), and judges every other ref the pushing account touches
  by the registry on main (bulletin.access.identity): a unit's account pushes, force-pushes and deletes only
  its own branches (`refs/heads/<unit>/...`, e.g. `xiushui/1128-01`), never main, tags or other refs,
  and its branches only add its own unit's submissions; editors and administrators manage any
  branch and tag; nobody changes an accepted submission;
- post-receive records a receipt (server clock, the pushing account) for every submission a push
  adds, as a note on the pushed commit, and only for a path the pushing account may add: a unit's
  account only in its own unit's folder, whichever ref carries it (the forge's own write of
  `refs/pull/<n>/head` too, which Gitea/Forgejo make with GITEA_INTERNAL_PUSH and the pull request's
  author as the pusher). A path that has a receipt keeps it. Commit dates never enter: units can
  forge them.

Receipts are written by bulletin.desk.receipts (also for `bulletin receipt add`); git is asked
through bulletin.desk.Repositorysitory.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bulletin.access.identity import ADMIN, EDITOR, UNIT, Change, Role, authorize, parse_name_status, role_of
from bulletin.core.model import Config, Finding
from bulletin.core.timing import format_time, now
from bulletin.desk import atomic
from bulletin.desk.git import NotARepository, Repository
from bulletin.desk.receipts import MAIN_REF, NOTES_REF, Receipt, path_problem, record
from bulletin.errors import BulletinError, ConfigError, UsageError

HOOKS = ("pre-receive", "post-receive")
# environment variables naming the pushing account, first set wins:
# GitLab, Gitea/Forgejo, HTTP servers (git-http-backend), ssh login
PUSHER_VARIABLES = ("GL_USERNAME", "GITEA_PUSHER_NAME", "REMOTE_USER", "USER")
BRANCHES = "refs/heads/"
TAGS = "refs/tags/"
# refs whose pushes bring submissions: branches, and the pull-request heads a forge keeps
# (Gitea/Forgejo update refs/pull/<n>/head in the base repository for pull requests from forks)
_RECEIVING_PREFIXES = (BRANCHES,)
_PULL_HEADS = (("refs/pull/", "/head"), ("refs/merge-requests/", "/head"))
# the refs a forge keeps for its pull requests: written by the forge itself, never by a client
FORGE_PREFIXES = ("refs/pull/", "refs/merge-requests/")
# set (to "true") by Gitea/Forgejo on the pushes the forge makes itself, among them the head of a
# pull request into refs/pull/<n>/head, with the pull request's author as GITEA_PUSHER_NAME; the
# server's environment, which a pushing client cannot set
FORGE_INTERNAL = "GITEA_INTERNAL_PUSH"
# the example branch of the refusals: <unit>/<mmdd>-<nn>
EXAMPLE_BRANCH = "1128-01"


# ---------------------------------------------------------------- install


@dataclass(frozen=True)
class Installed:
    path: Path
    status: str  # "written" | "unchanged" | "replaced"


def hook_script(name: str, python: str | None = None) -> str:
    interpreter = shlex.quote(python or sys.executable)
    return (
        "#!/bin/sh\n"
        f"# 信息报送台：{'拒绝强制推送和删除主分支、拒绝客户端推送接报记录' if name == 'pre-receive' else '登记接报时间'}。\n"
        "# 由 bulletin hook install 生成；重新安装会覆盖本文件。\n"
        f"exec {interpreter} -I -m bulletin hook {name}\n"
    )


def _bare_repo(path: Path) -> Repository:
    try:
        repo = Repository.at(path)
    except NotARepository as exc:
        raise UsageError(
            f"{path}不是git仓库：请给出服务器上仓库的目录（裸仓库，如/srv/git/bulletin.desk.git）"
        ) from exc
    if not repo.bare:
        raise UsageError(f"{path}不是裸仓库：钩子要装在服务器上接收推送的裸仓库里，不是装在工作副本里")
    return repo


def install(bare: Path, force: bool = False, python: str | None = None) -> list[Installed]:
    """Write the two hooks; on a Gitea/Forgejo layout (hooks/<name>.d/), add ours next to the forge's."""
    hooks_dir = _bare_repo(bare).hooks_dir()
    targets = []
    for name in HOOKS:
        folder = hooks_dir / f"{name}.d"
        targets.append((name, folder / "bulletin" if folder.is_dir() else hooks_dir / name))
    conflicts = []
    for name, target in targets:
        if target.exists() and target.read_text(encoding="utf-8", errors="replace") != hook_script(name, python):
            conflicts.append(target)
    if conflicts and not force:
        shown = "、".join(str(p) for p in conflicts)
        raise UsageError(f"{shown}已存在且内容不同，未改动任何文件。确认要替换时，加“--force”重新运行")
    done: list[Installed] = []
    writes: list[atomic.Write] = []
    for name, target in targets:
        text = hook_script(name, python)
        if target.exists() and target.read_text(encoding="utf-8", errors="replace") == text:
            target.chmod(0o755)
            done.append(Installed(target, "unchanged"))
        else:
            done.append(Installed(target, "replaced" if os.path.lexists(target) else "written"))
            # a hook that is a symlink (to a script shared by several repositories) is replaced, not written through
            writes.append(atomic.Write(target, text.encode("utf-8"), mode=0o755, follow_symlink=False))
    # both hooks or neither: each written whole beside its place, then both put in place together
    atomic.write_files(writes)
    return done


# ---------------------------------------------------------------- pre-receive


@dataclass(frozen=True)
class Update:
    old: str
    new: str
    ref: str

    @property
    def created(self) -> bool:
        return _is_zero(self.old)

    @property
    def deleted(self) -> bool:
        return _is_zero(self.new)


def _is_zero(oid: str) -> bool:
    return set(oid) == {"0"}


def parse_updates(text: str) -> list[Update]:
    updates = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            updates.append(Update(*parts))
    return updates


def _open_here(env: Mapping[str, str]) -> Repository:
    """The repository a hook runs in (git sets GIT_DIR; the working directory is the repository)."""
    return Repository.at(Path(env.get("GIT_DIR", ".")))


def refusals(
    repo: Repository, updates: Sequence[Update], account: str | None = None, internal: bool = False
) -> list[str]:
    """The Chinese reasons to refuse this push (empty: accept); with `account` (the pusher), also
    every ref that account may not touch and every change of a pushed branch it may not make (see
    `identity_refusals`). `internal`: the forge itself pushes (GITEA_INTERNAL_PUSH)."""
    reasons = []
    for up in updates:
        if up.ref == NOTES_REF:
            reasons.append(
                f"拒绝推送{NOTES_REF}：接报记录只能由服务器登记，不接受推送。"
                f"取得接报记录请运行“git fetch origin {NOTES_REF}:{NOTES_REF}”"
            )
        elif up.ref == MAIN_REF and up.deleted:
            reasons.append("拒绝删除主分支main：已合并的信息和刊物都在主分支上，不能删除")
        elif up.ref == MAIN_REF and not up.created and not repo.is_ancestor(up.old, up.new):
            reasons.append(
                f"拒绝强制推送主分支main（{up.old[:7]} → {up.new[:7]}会改写已有的历史）：主分支只能向前推进。"
                "请先运行“git pull”取回最新的main，在其上提交后再推送"
            )
    if account is not None:
        reasons += identity_refusals(repo, updates, account, internal)
    return reasons


def _main_config(repo: Repository) -> Config:
    """The desk's configuration and registry as they are on main: a push never judges itself.

    FileNotFoundError when main holds no desk (no bulletin.yml at its top)."""
    from bulletin.desk.config import CONFIG_MAX_BYTES, CONFIG_NAME, load_config

    main = repo.commit(MAIN_REF)
    if main is None:
        raise FileNotFoundError(CONFIG_NAME)

    def read(name: str) -> bytes:
        try:
            data = repo.blob(main, name, CONFIG_MAX_BYTES)
        except ValueError as exc:
            raise ConfigError(f"main:{name}：文件超过{CONFIG_MAX_BYTES // 1024}KB，不是正常的配置") from exc
        if data is None:
            raise FileNotFoundError(name)
        return data

    read(CONFIG_NAME)
    return load_config(Path(repo.git_dir), read, source="main:")


def _fork_point(repo: Repository, new: str) -> str | None:
    return repo.merge_base(MAIN_REF, new)  # None: unrelated history, everything in it is new


def pushed_changes(repo: Repository, base: str | None, new: str) -> list[Change]:
    """What `new` changes against `base` (everything added when there is no base)."""
    if base is None:
        return [Change("A", name) for name in repo.names(new)]
    return parse_name_status(repo.name_status(base, new))


def _explain(branch: str, who: str, findings: Sequence[Finding]) -> list[str]:
    """One line per reason, naming the pushing account and the files the reason concerns."""
    paths: dict[str, list[str]] = {}
    for f in findings:
        paths.setdefault(f.message, []).append(f.path)
    lines = []
    for message, names in paths.items():
        shown = "、".join(names[:5]) + (f"等{len(names)}个文件" if len(names) > 5 else "")
        lines.append(f"拒绝推送分支{branch}（推送账号：{who}）：{shown}：{message}")
    return lines


def _is_forge_ref(ref: str) -> bool:
    return ref.startswith(FORGE_PREFIXES)


CMS_BRANCHES = "cms/"  # the browser form (Decap CMS) names its branches cms/<collection>/<slug>: the unit's


def branch_owner(ref: str) -> str | None:
    """The unit whose branch `ref` is by its name (refs/heads/<unit>/<anything>, or the form's
    refs/heads/cms/<unit>/<anything>), or None."""
    if not ref.startswith(BRANCHES):
        return None
    name = ref[len(BRANCHES) :]
    if name.startswith(CMS_BRANCHES):
        name = name[len(CMS_BRANCHES) :]
    owner, slash, rest = name.partition("/")
    return owner if slash and owner and rest else None


def _shown(ref: str) -> str:
    """A ref as a sentence names it: 分支xiushui/1128-01, 标签v1, or the full name."""
    if ref.startswith(BRANCHES):
        return f"分支{ref[len(BRANCHES) :]}"
    if ref.startswith(TAGS):
        return f"标签{ref[len(TAGS) :]}"
    return ref


def _verb(repo: Repository, up: Update) -> str:
    if up.deleted:
        return "删除"
    if not up.created and not repo.is_ancestor(up.old, up.new):
        return "强制推送"
    return "推送"


def ref_refusal(repo: Repository, config: Config, role: Role, up: Update, internal: bool = False) -> str | None:
    """Why `role` may not touch the ref of `up` at all, whatever it carries (None: it may).

    - the refs a forge keeps for pull requests: only the forge itself writes them (`internal`);
    - main: only editors and administrators (its deletion and rewriting are refused before);
    - other branches: editors and administrators any; a unit's account only its own,
      refs/heads/<its unit>/<name>, which it may also force-push and delete;
    - tags and every other ref: editors and administrators only;
    - an account not in the registry (or none given): nothing.
    """
    if up.ref == NOTES_REF or (up.ref == MAIN_REF and up.deleted):
        return None  # refused in `refusals` already
    verb, shown = _verb(repo, up), _shown(up.ref)
    if _is_forge_ref(up.ref):
        if internal:
            return None
        own = (
            f"本单位的分支（如“git push origin HEAD:{role.unit_ids[0]}/{EXAMPLE_BRANCH}”）"
            if role.kind == UNIT
            else "一个分支"
        )
        return (
            f"拒绝{verb}{shown}（推送账号：{role.label}）：这是代码托管平台为合并请求保存的引用，只由平台自己写入，"
            f"不接受推送，推到这里的信息也不登记接报。请把信息推送到{own}，再在网页上发起合并请求"
        )
    if role.kind in (ADMIN, EDITOR):
        return None
    if role.kind != UNIT:
        if role.account:
            return (
                f"拒绝{verb}{shown}：账号“{role.account}”不在信息网络名册（network.yml）中，不能推送。"
                "请联系信息处，把本账号登记为本单位的信息员（units中的informants）或编辑，名册合并后再推送"
            )
        return (
            f"拒绝{verb}{shown}：服务器没有提供推送账号（GL_USERNAME、GITEA_PUSHER_NAME、REMOTE_USER或USER），"
            "无法核对权限，不接受推送。请联系管理员"
        )
    own_id = role.unit_ids[0]
    prefixes = "、".join(f"“{unit}/”" for unit in role.unit_ids)
    example = f"“git push origin HEAD:{own_id}/{EXAMPLE_BRANCH}”"
    if up.ref == MAIN_REF:
        return (
            f"拒绝推送主分支main：{role.label}不能直接推送主分支。请推送到自己的分支"
            f"（如{example}）并发起合并请求，由信息处编辑审核合并"
        )
    if up.ref.startswith(BRANCHES):
        owner = branch_owner(up.ref)
        if owner in role.unit_ids:
            return None
        other = config.unit(owner) if owner else None
        if other is not None:
            why = f"这是{other.name}的分支，只有{other.name}的信息员和信息处编辑能推送、强制推送或删除它"
        else:
            why = f"报送单位只能推送、强制推送和删除本单位的分支，即以{prefixes}开头的分支（如“{own_id}/{EXAMPLE_BRANCH}”）"
        if up.deleted:
            todo = "本单位的分支可以删除；确需删除这个分支的，请联系信息处编辑"
        else:
            todo = f"请推送到本单位的分支，如{example}，再发起合并请求"
        return f"拒绝{verb}{shown}（推送账号：{role.label}）：{why}。{todo}"
    if up.ref.startswith(TAGS):
        tag = up.ref[len(TAGS) :]
        return (
            f"拒绝{verb}{shown}（推送账号：{role.label}）：报送单位不能推送或删除标签，标签只由信息处编辑和管理员建立。"
            f"请推送时不要加“--tags”或“--follow-tags”；本地的这个标签可用“git tag -d {tag}”删除"
        )
    return (
        f"拒绝{verb}{shown}（推送账号：{role.label}）：报送单位只能推送本单位的分支（以{prefixes}开头），"
        f"不能推送其他引用。请推送到本单位的分支（如{example}）并发起合并请求"
    )


def identity_refusals(repo: Repository, updates: Sequence[Update], account: str, internal: bool = False) -> list[str]:
    """Refs the pushing account may not touch (`ref_refusal`), and changes of the branches it pushes
    that it may not make, judged by the registry on main (never the pushed one).

    A branch is judged by everything it brings relative to main (from its fork point), so that
    what it would merge is what is checked; a push to main itself, by what it adds to main (only
    editors and administrators push to main: the forge's merge). The first push into an empty
    repository (no main yet) is an import and is not judged. The forge's own writes of the refs of
    its pull requests (`internal`) are not judged here: CI judges a pull request by its author, and
    post-receive takes receipts only for what the author may add.
    """
    judged = [up for up in updates if up.ref != NOTES_REF and not (internal and _is_forge_ref(up.ref))]
    if not judged or repo.commit(MAIN_REF) is None:
        return []
    try:
        config = _main_config(repo)
    except FileNotFoundError:  # main holds no desk: nothing to judge by
        return []
    except BulletinError as exc:
        return [
            f"主分支上的配置有误，无法核对推送账号的权限，暂不接受推送：{exc}。请管理员先在服务器上修复主分支上的配置"
        ]
    role = role_of(config, account)
    accepted: set[str] | None = None
    reasons: list[str] = []
    for up in judged:
        refused = ref_refusal(repo, config, role, up, internal)
        if refused:
            reasons.append(refused)
            continue
        if not up.ref.startswith(BRANCHES) or up.deleted:
            continue  # only what a branch brings is merged: tags and other refs carry nothing to judge
        if up.ref == MAIN_REF:
            base: str | None = None if up.created else up.old
        else:
            base = _fork_point(repo, up.new)
        if accepted is None:
            accepted = set(repo.names(MAIN_REF, "submissions"))
        findings = authorize(config, account, pushed_changes(repo, base, up.new), accepted.__contains__)
        reasons += _explain(up.ref[len(BRANCHES) :], role.label, findings)
    return reasons


def forge_internal(env: Mapping[str, str]) -> bool:
    """Whether the forge itself pushes (Gitea/Forgejo set GITEA_INTERNAL_PUSH=true on their own pushes)."""
    return env.get(FORGE_INTERNAL, "").strip().lower() == "true"


def pre_receive(stdin: TextIO, stderr: TextIO, env: Mapping[str, str] = os.environ) -> int:
    """Refuse the whole push when any ref of it is refused; an error of ours refuses too (one line, no traceback)."""
    try:
        updates = parse_updates(stdin.read())
        reasons = refusals(_open_here(env), updates, pusher(env), forge_internal(env))
    except Exception as exc:  # never let a push through unjudged, never show a pusher a traceback
        if env.get("BULLETIN_DEBUG"):
            raise
        reasons = [
            f"检查推送时出错（{type(exc).__name__}: {exc}），暂不接受推送。"
            "请稍后重试；仍然出错的，请把这条信息告诉信息处，由管理员处理"
        ]
    for reason in reasons:
        stderr.write(f"信息报送台：{reason}\n")
    return 1 if reasons else 0


# ---------------------------------------------------------------- post-receive


def pusher(env: Mapping[str, str]) -> str:
    """The pushing account from the server's environment ("" when none is set)."""
    for name in PUSHER_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return "" if any(ord(ch) < 0x20 for ch in value) else value
    return ""


def _receiving(ref: str) -> bool:
    if ref.startswith(_RECEIVING_PREFIXES):
        return True
    return any(ref.startswith(head) and ref.endswith(tail) for head, tail in _PULL_HEADS)


def added_paths(repo: Repository, up: Update) -> list[str]:
    """Paths the update adds: against the old tip, or for a new ref against its fork point from main."""
    if not up.created:
        base: str | None = up.old
    elif up.ref != MAIN_REF and repo.commit(MAIN_REF) is not None:
        base = repo.merge_base(MAIN_REF, up.new)  # None: unrelated history, everything in it is new
    else:
        base = None
    if base is None:
        return repo.names(up.new)
    return repo.added(base, up.new)


def _was_empty(repo: Repository, updates: Sequence[Update]) -> bool:
    """Whether the repository had no refs before this push (the desk is being imported)."""
    created = {up.ref for up in updates if up.created}
    return all(r in created for r in repo.refs())


def post_receive(stdin: TextIO, stdout: TextIO, env: Mapping[str, str] = os.environ) -> int:
    """Record receipts; never fails the push (refs are already updated): problems become warnings."""
    when = now().replace(microsecond=0)
    account = pusher(env)
    try:
        updates = [u for u in parse_updates(stdin.read()) if _receiving(u.ref) and not u.deleted]
        if not updates:
            return 0
        repo = _open_here(env)
        if _was_empty(repo, updates):
            stdout.write("信息报送台：仓库原为空，本次推送视为导入，不登记接报时间（已有信息的收到时间无从得知）。\n")
            return 0
        receivable = _receivable(repo, account)
        if receivable is None:
            stdout.write(
                "信息报送台：警告：主分支上没有可用的配置和信息网络名册，无法核对推送账号能为哪些信息登记接报，"
                "未登记接报时间。推送已成功；请把这条信息告诉信息处，由管理员补登接报时间。\n"
            )
            return 0
        for up in updates:
            _receive(repo, up, when, account, receivable, stdout)
    except Exception as exc:  # a receipt problem must not look like a failed push
        stdout.write(
            f"信息报送台：警告：接报时间登记失败（{type(exc).__name__}: {exc}）。推送已成功；"
            "请把这条信息告诉信息处，由管理员补登接报时间。\n"
        )
    return 0


def receipt_refusal(config: Config, role: Role, rel: str) -> str | None:
    """Why a push by `role` takes no receipt for the submission `rel` (None: it does): a receipt only
    for a path the account may add, a unit's account only in its own unit's folder (editors may
    enter any unit's item, 代各单位录入), so that no unit takes another's receipt time."""
    if role.kind in (ADMIN, EDITOR):
        return None
    if role.kind == UNIT:
        folder = rel.split("/")[1]
        if folder in role.unit_ids:
            return None
        own = "、".join(f"submissions/{unit}/" for unit in role.unit_ids)
        other = config.unit(folder)
        whose = f"{other.name}的文件夹" if other else f"文件夹submissions/{folder}/"
        return f"这个文件在{whose}中，{role.label}只为本单位的信息（{own}）登记接报"
    if role.account:
        return f"推送账号“{role.account}”不在信息网络名册（network.yml）中"
    return "服务器没有提供推送账号，无法核对"


def _receivable(repo: Repository, account: str) -> Callable[[str], str | None] | None:
    """`receipt_refusal` for the pushing account by the registry on main; None when main has none."""
    if repo.commit(MAIN_REF) is None:
        return None
    try:
        config = _main_config(repo)
    except (FileNotFoundError, BulletinError):
        return None
    role = role_of(config, account)
    return lambda rel: receipt_refusal(config, role, rel)


def _receive(
    repo: Repository,
    up: Update,
    when: dt.datetime,
    account: str,
    receivable: Callable[[str], str | None],
    stdout: TextIO,
) -> None:
    wanted = []
    for rel in added_paths(repo, up):
        if rel.startswith("submissions/") and rel.endswith(".md"):
            problem = path_problem(rel) or receivable(rel)
            if problem:
                stdout.write(f"信息报送台：警告：{rel!r}不登记接报：{problem}。\n")
                continue
            wanted.append(Receipt(rel, when, account, "hook"))
    if not wanted:
        return
    written, _ = record(repo, up.new, wanted)
    for receipt in written:
        stdout.write(f"已接报{receipt.path}：{format_time(receipt.received_at)}\n")


# ---------------------------------------------------------------- what the CLI prints

INSTALL_VERBS = {"written": "已安装", "replaced": "已替换", "unchanged": "未改动（已是最新）"}


def install_report(done: Sequence[Installed]) -> str:
    lines = [f"{INSTALL_VERBS[item.status]} {item.path}" for item in done]
    lines.append(
        f"钩子调用{sys.executable}：升级或移动这个Python环境后，请重新运行“bulletin hook install”。"
        f"接报记录保存在仓库的{NOTES_REF}中"
    )
    return "\n".join(lines)
