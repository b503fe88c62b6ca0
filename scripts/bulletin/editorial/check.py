"""`bulletin check`: the gate CI runs on every pull request (a library call the CLI wraps)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.core.model import Config, Finding, Item, Severity
from bulletin.core.names import windows_problem
from bulletin.desk.read import read_item
from bulletin.rules import Context, Location, run_checks

if TYPE_CHECKING:  # imported when git is asked (not for one plain item)
    from bulletin.access import identity
    from bulletin.desk import git
    from bulletin.desk.receipts import Receipt

from bulletin.desk.layout import SUBMISSIONS

PROTECTED = "receipts/"  # written by the server (and imported history): never through a unit's change
ATTACHMENT_SUFFIXES = {".jpg", ".jpeg", ".png"}
_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,80}\.md$")
_YEAR = re.compile(r"^\d{4}$")


@dataclass
class CheckResult:
    findings: list[Finding]
    checked: int

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def shown_path(config: Config, path: Path) -> str:
    """Paths are shown relative to the desk (as they appear in the pull request)."""
    absolute = os.path.abspath(path)  # no symlink resolution: cheap, and shows what the user named
    root = os.path.join(str(config.root), "")  # with its trailing separator
    if absolute.startswith(root):  # strings, not Path objects: this is asked of every file
        return absolute[len(root) :].replace(os.sep, "/")
    return "." if absolute == str(config.root) else str(path)


def locate(config: Config, rel: str) -> tuple[Location | None, str | None]:
    """The item's place under submissions/ (from its desk-relative path), or why it is misplaced."""
    parts = rel.split("/")  # a desk-relative path, already normal (see shown_path)
    if not parts or parts[0] != SUBMISSIONS:
        return None, None
    if len(parts) != 4:
        return None, f"信息应放在submissions/<单位代号>/<年份>/文件名.md，现在是{rel}"
    _, unit_id, year, name = parts
    if config.unit(unit_id) is None:
        return None, f"文件夹submissions/{unit_id}/不是名册中的单位代号：请放到本单位的文件夹"
    if not _YEAR.match(year):
        return None, f"年份文件夹“{year}”应为四位年份，如submissions/{unit_id}/2026/"
    if not _NAME.match(name):
        return None, f"文件名“{name}”只能用字母、数字、连字符和下划线，以.md结尾，如1128-01.md"
    from bulletin.core.names import case_twins, windows_problem  # the desk is also worked on from Windows

    unsafe = windows_problem(name)
    if unsafe:
        return None, f"文件名“{name}”在Windows上不能使用：{unsafe}。请改名，如1128-01.md"
    twins = case_twins(os.path.join(config.root, rel))
    if twins:
        return None, f"文件名“{name}”与同一文件夹中的“{twins[0]}”只差大小写，在Windows上是同一个文件：请改名"
    return Location(unit_id, year, name[: -len(".md")]), None


def check_file(
    config: Config,
    path: Path,
    received_at: dt.datetime,
    receipt: Callable[[], dt.datetime | None] | None = None,
    shown: str | None = None,
) -> list[Finding]:
    """One file's findings; `receipt` gives its server receipt time (asked only if a rule needs it)."""
    shown = shown or shown_path(config, path)
    if shown.startswith(PROTECTED):
        message = "接报记录只由服务器登记，合并请求不能改动：请撤销对此文件的修改（迁移历史记录须由管理员提交审核）"
        return [Finding(shown, None, "protected-file", Severity.ERROR, message)]
    location, misplaced = locate(config, shown)
    findings: list[Finding] = []
    if misplaced:
        findings.append(Finding(shown, None, "file-location", Severity.ERROR, misplaced))
    if location is not None and _in_linked_folder(config, location):
        message = "所在的单位或年份文件夹是符号链接（快捷方式），可能指向仓库以外的内容：请提交真实的文件夹和文件"
        return [*findings, Finding(shown, None, "file-type", Severity.ERROR, message)]
    item, problems = read_item(path, shown, config.limits.file_max_bytes)
    findings.extend(problems)
    if item.front_matter_ok:
        findings.extend(run_checks(item, Context(config, received_at, location, receipt=receipt)))
    return findings


def _in_linked_folder(config: Config, location: Location) -> bool:
    """Whether the unit or year folder of an item is a link (the desk's reader follows none)."""
    unit = os.path.join(config.root, SUBMISSIONS, location.unit_id)
    return os.path.islink(unit) or os.path.islink(os.path.join(unit, location.year))


def check_paths(
    config: Config, paths: list[Path], received_at: dt.datetime, receipts: dict[str, Receipt] | None = None
) -> CheckResult:
    """Check files; an item with a server-side receipt is judged by it, others by `received_at`."""
    shown = [shown_path(config, p) for p in paths]
    findings: list[Finding] = []
    if receipts is None and len(paths) <= LOOK_UP_RECEIPTS_EACH:
        # a few files: each item's receipt is read only if a rule needs it (an item with a time),
        # and then only that path's: never the whole history for one file
        for path, rel in zip(paths, shown, strict=True):
            lookup = functools.partial(_receipt_time, config.root, rel)
            findings.extend(check_file(config, path, received_at, receipt=lookup, shown=rel))
        return CheckResult(sorted(findings, key=_order), len(paths))
    if receipts is None:  # every receipt of these files at once
        from bulletin.desk.receipts import read_receipts

        receipts = read_receipts(config.root, shown)
    jobs = []
    for path, rel in zip(paths, shown, strict=True):
        receipt = receipts.get(rel)
        jobs.append((path, rel, receipt.received_at if receipt else received_at))
    workers = _workers(len(jobs))
    if workers > 1:
        # the checks are pure and each file is independent: one process per core, each given a
        # share of the files in a few large chunks (the configuration goes to each worker once)
        size = -(-len(jobs) // (workers * 4))
        chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
        import multiprocessing  # only for many files: a check of one item does not import it
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(config,)) as pool:
            for part in pool.map(_check_chunk, chunks):
                findings.extend(part)
    else:
        for path, rel, when in jobs:
            findings.extend(check_file(config, path, when, shown=rel))
    return CheckResult(sorted(findings, key=_order), len(paths))


LOOK_UP_RECEIPTS_EACH = 20  # files; for more, all their receipts are read at once
PARALLEL_ABOVE = 300  # files; fewer are checked in this process (starting workers costs more)
_worker_config: Config | None = None


def _workers(files: int) -> int:
    if files <= PARALLEL_ABOVE:
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, 8, files // PARALLEL_ABOVE))


def _receipt_time(root: Path, rel: str) -> dt.datetime | None:
    from bulletin.desk.receipts import read_receipts

    receipt = read_receipts(root, [rel]).get(rel)
    return receipt.received_at if receipt else None


def _init_worker(config: Config) -> None:
    global _worker_config
    _worker_config = config


def _check_chunk(chunk: list[tuple[Path, str, dt.datetime]]) -> list[Finding]:
    assert _worker_config is not None
    return [f for path, rel, when in chunk for f in check_file(_worker_config, path, when, shown=rel)]


def _order(f: Finding) -> tuple[str, int, int, str]:
    return (f.path, f.line or 0, 0 if f.severity is Severity.ERROR else 1, f.rule)


def check_changes(
    config: Config,
    base: str | None,
    received_at: dt.datetime,
    author: str | None = None,
    committed: bool = False,
    checkout: git.Checkout | None = None,
) -> CheckResult:
    """Check what the branch adds or changes under submissions/ (deleted files are not items), and
    the branch as a whole: no accepted submission (on `base`) modified, deleted or overwritten, no
    receipt touched, CODEOWNERS current when the registry changes; with `author` (the pull request's
    account), also every change that account may not make by the registry of `config` (the base's).
    With `committed`, only what the branch's commits change (CI's clean checkout), without
    comparing the work tree.
    """
    from bulletin.access import identity
    from bulletin.desk import git

    items: list[Path] = []
    findings: list[Finding] = []
    checkout = checkout or git.Checkout.of(config.root)  # one, for the changes and for what is accepted
    changes = identity.branch_changes(config.root, base, committed, checkout)  # one diff (and scan), shared
    for path in sorted(config.root / c.path for c in changes if c.status != "D"):
        rel = shown_path(config, path)
        if rel.startswith(PROTECTED):
            items.append(path)  # check_file refuses it
            continue
        if not rel.startswith(SUBMISSIONS + "/"):
            continue
        if path.is_symlink() or (path.exists() and not path.is_file()):
            message = "这是符号链接或特殊文件，不是普通文件：请提交文件本身（链接可能指向仓库以外的内容）"
            findings.append(Finding(rel, None, "file-type", Severity.ERROR, message))
            continue
        if not path.is_file():
            continue
        unsafe = windows_problem(path.name)
        if unsafe and path.suffix.lower() != ".md":  # an item's name is judged by locate()
            message = f"文件名“{path.name}”在Windows上不能使用（{unsafe}）：请改名"
            findings.append(Finding(rel, None, "file-location", Severity.ERROR, message))
            continue
        if path.suffix.lower() == ".md":
            items.append(path)
        elif path.suffix.lower() not in ATTACHMENT_SUFFIXES:
            findings.append(
                Finding(
                    rel,
                    None,
                    "file-location",
                    Severity.ERROR,
                    "submissions/下只提交.md信息文件和正文引用的JPG、PNG图片：请删去此文件",
                )
            )
    result = check_paths(config, items, received_at)
    checked = {shown_path(config, p) for p in items} | {f.path for f in findings}
    branch = _branch_findings(config, base, author, changes, checkout)
    # check_file already refuses an added or changed receipt: one finding per file and rule
    seen = {(f.path, f.rule) for f in result.findings}
    branch = [f for f in branch if (f.path, f.rule) not in seen]
    result.findings = sorted(findings + result.findings + branch, key=_order)
    result.checked += len(findings) + len({f.path for f in branch} - checked)
    return result


def _branch_findings(
    config: Config, base: str | None, author: str | None, changes: list[identity.Change], checkout: git.Checkout
) -> list[Finding]:
    from bulletin.access import codeowners, identity

    accepted = identity.accepted_paths(config.root, base, [c.path for c in changes], checkout)
    if author is None:
        findings = identity.immutability(changes, accepted.__contains__)
    else:
        findings = identity.authorize(config, author, changes, accepted.__contains__)
    return findings + codeowners.branch_findings(config.root, changes)


def item_of(config: Config, path: Path) -> Item:
    """Read one item for other commands (fix, new); reading problems are ignored here."""
    item, _ = read_item(path, shown_path(config, path), config.limits.file_max_bytes)
    return item
