"""Receipts (接报): when each submission reached the office, stamped on the server side.

Receipts live in git itself, as notes under `refs/notes/bulletin-receipts`, so the record
travels with the repository. Each note is text, one receipt a line:

    submissions/xiushui/2026/1128-01.md<TAB>2026-11-28T09:05:00+08:00<TAB>xiushui-kuangxiaoping<TAB>hook

(path, receipt time with offset, the pushing account, what stamped it: `hook` for the
server-side hook, `forge` for the pull-request workflow). Commit dates never enter here: a
unit can forge those. The earliest receipt of a path is its receipt.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from bulletin.core.timing import BEIJING
from bulletin.desk.read import DecodeProblem, read_bounded
from bulletin.errors import UsageError

if TYPE_CHECKING:  # receipts are written (server hook, `bulletin receipt add`) through a desk.git.Repository
    from bulletin.desk.git import Repository

NOTES_REF = "refs/notes/bulletin-receipts"
IMPORTED = "receipts/imported.tsv"
MAIN_REF = "refs/heads/main"
LOCK_NAME = "bulletin-receipts.lock"
IDENTITY = ("bulletin 接报登记", "bulletin@localhost")  # the notes' committer where none is configured


@dataclass(frozen=True)
class Receipt:
    path: str  # desk-relative, e.g. submissions/xiushui/2026/1128-01.md
    received_at: dt.datetime  # zone-aware
    account: str  # who pushed it (forge account), "" when unknown
    source: str  # "hook" | "forge" | "import" | "git" (the time it landed on main: weaker, see bulletin.duty.engine)
    commit: str = field(default="", compare=False)  # the commit the note is attached to (brings the file)

    def line(self) -> str:
        return f"{self.path}\t{self.received_at.isoformat()}\t{self.account}\t{self.source}"


def parse_note(text: str) -> list[Receipt]:
    """Receipts in one note; lines that do not parse are skipped (a note is not user input)."""
    out = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        try:
            when = dt.datetime.fromisoformat(parts[1])
        except ValueError:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=BEIJING)
        out.append(Receipt(parts[0], when, parts[2], parts[3]))
    return out


IMPORTED_MAX_BYTES = 256 * 1024 * 1024  # about two million receipts


def read_receipts(root: Path, paths: Collection[str] | None = None) -> dict[str, Receipt]:
    """The receipt of every path that has one: the earliest note, whatever order the notes come
    in; else the imported receipt (receipts/imported.tsv). With `paths`, only those paths' receipts,
    found without reading every note (a check of one file must not read the whole history)."""
    wanted = None if paths is None else set(paths)
    found = _from_notes(root, wanted)
    try:  # bounded, not through a link: a committed file, which a hostile change could replace
        data = read_bounded(root / IMPORTED, IMPORTED_MAX_BYTES)
    except (OSError, DecodeProblem):
        data = b""
    if wanted is not None:  # only the lines that start with a wanted path
        data = b"\n".join(_lines_of(data, wanted))
    for receipt in parse_note(data.decode("utf-8", "replace")):
        if receipt.path not in found and (wanted is None or receipt.path in wanted):
            found[receipt.path] = Receipt(receipt.path, receipt.received_at, receipt.account, "import")
    return dict(sorted(found.items()))


def _lines_of(data: bytes, wanted: set[str]) -> Iterator[bytes]:
    for path in wanted:
        key = path.encode("utf-8") + b"\t"
        at = data.find(key)
        while at != -1:
            if at == 0 or data[at - 1] == 0x0A:
                end = data.find(b"\n", at)
                yield data[at : end if end != -1 else len(data)]
            at = data.find(key, at + 1)


_GREP_MAX_PATHS = 200  # beyond this, reading every note is as quick


def _from_notes(root: Path, wanted: set[str] | None = None) -> dict[str, Receipt]:
    from bulletin.desk import git as gitio  # git's command line: no GitPython for reading receipts

    few = wanted is not None and len(wanted) <= _GREP_MAX_PATHS
    if few and wanted is not None:
        texts: Iterable[tuple[str, str]] = [("", gitio.grep_notes(root, NOTES_REF, sorted(p + "\t" for p in wanted)))]
    else:
        texts = gitio.notes(root, NOTES_REF)
    found: dict[str, Receipt] = {}
    for commit, text in texts:
        for receipt in parse_note(text):
            receipt = replace(receipt, commit=commit) if commit else receipt
            if wanted is not None and receipt.path not in wanted:
                continue
            known = found.get(receipt.path)
            if known is None or (receipt.received_at, receipt.source) < (known.received_at, known.source):
                found[receipt.path] = receipt
    return found


# ---------------------------------------------------------------- writing receipts


def path_problem(rel: str) -> str | None:
    """Why `rel` cannot carry a receipt, or None: it must be submissions/<unit>/<year>/<name>.md."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in rel):
        # a tab or newline would forge extra lines in the note
        return "路径中含有制表符、换行等控制字符"
    parts = PurePosixPath(rel).parts
    if rel.startswith("/") or "\\" in rel or ".." in parts or "." in parts:
        return "应是报送台内的相对路径，如submissions/xiushui/2026/1128-01.md"
    if len(parts) != 4 or parts[0] != "submissions" or not parts[3].endswith(".md") or parts[3] == ".md":
        return "只有submissions/<单位代号>/<年份>/<文件名>.md形式的信息文件才登记接报"
    return None


def imported_on_main(repo: Repository) -> dict[str, Receipt]:
    """The receipts of receipts/imported.tsv as committed on main: the record, which a work tree's
    copy (or a server's bare repository, which has none) does not change."""
    try:
        data = repo.blob(MAIN_REF, IMPORTED, IMPORTED_MAX_BYTES) if repo.commit(MAIN_REF) else None
    except ValueError:  # larger than any real record: not read
        data = None
    if data is None:
        return {}
    text = data.decode("utf-8", "replace")
    return {r.path: Receipt(r.path, r.received_at, r.account, "import") for r in parse_note(text)}


def receipts_in(repo: Repository) -> dict[str, Receipt]:
    """Every receipt the repository holds: a path's earliest note, else its line in the imported
    receipts on main. What `bulletin receipt list` prints and what a new receipt must not replace."""
    found = {**imported_on_main(repo), **_from_notes(repo.git_dir)}
    return dict(sorted(found.items()))


@contextlib.contextmanager
def _lock(repo: Repository) -> Iterator[None]:
    """One writer of the receipts ref at a time (`git notes` updates it without a compare-and-swap)."""
    with open(repo.git_dir / LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _identity(repo: Repository) -> dict[str, str]:
    """A committer for the notes commit when the server or runner has none configured."""
    env: dict[str, str] = {}
    for role in ("AUTHOR", "COMMITTER"):
        if not os.environ.get(f"GIT_{role}_NAME") and not repo.config_value("user.name"):
            env[f"GIT_{role}_NAME"] = IDENTITY[0]
        if not os.environ.get(f"GIT_{role}_EMAIL") and not repo.config_value("user.email"):
            env[f"GIT_{role}_EMAIL"] = IDENTITY[1]
    return env


def record(repo: Repository, commit: str, wanted: Sequence[Receipt]) -> tuple[list[Receipt], dict[str, Receipt]]:
    """Write the receipts of paths that have none yet, as a note on `commit`.

    Returns (written, already receipted: path -> the existing receipt). Paths repeated in `wanted`
    count once (the first). A receipt is never replaced: neither a note's nor an imported one
    (receipts/imported.tsv on main), which a new note would take precedence over.
    """
    with _lock(repo):
        known = receipts_in(repo)
        fresh: list[Receipt] = []
        existing: dict[str, Receipt] = {}
        seen: set[str] = set()
        for receipt in wanted:
            if receipt.path in seen:
                continue
            seen.add(receipt.path)
            if receipt.path in known:
                existing[receipt.path] = known[receipt.path]
            else:
                fresh.append(receipt)
        add_receipts(repo, commit, fresh)
    return fresh, existing


def add_receipts(repo: Repository, commit: str, receipts: Sequence[Receipt]) -> None:
    """Append receipts to the note of `commit` (git notes append keeps earlier lines), as they are:
    `record` decides which paths get one."""
    if receipts:
        text = "\n".join(r.line() for r in receipts)
        repo.run("notes", "--ref", NOTES_REF, "append", "-m", text, commit, env=_identity(repo))


def add(
    repo: Repository, commit: str, received_at: dt.datetime, account: str, source: str, paths: Sequence[str]
) -> tuple[list[Receipt], dict[str, Receipt]]:
    """`bulletin receipt add`: validate everything first, then record the receipts of the paths that have none."""
    problems = [f"“{p}”：{problem}" for p in paths if (problem := path_problem(p))]
    if problems:
        raise UsageError("以下路径不能登记，未登记任何接报：" + "；".join(problems))
    if any(ord(ch) < 0x20 or ch == "\t" for ch in account):
        raise UsageError("“--account”中不能有制表符、换行等控制字符")
    sha = repo.commit(commit)
    if sha is None:
        raise UsageError(
            f"找不到提交“{commit}”：接报记录挂在提交上，请先取回它（如“git fetch origin 该提交所在的引用”）"
        )
    return record(repo, sha, [Receipt(p, received_at, account, source) for p in paths])
