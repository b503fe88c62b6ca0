"""Receipts (接报): when each submission reached the office, stamped on the server side.

Receipts live in git itself, as notes under `refs/notes/bulletin-receipts`, so the record
travels with the repository. Each note is text, one receipt a line:

    submissions/xiushui/2026/1128-01.md<TAB>2026-11-28T09:05:00+08:00<TAB>xiushui-kuangxiaoping<TAB>hook

(path, receipt time with offset, the pushing account, what stamped it: `hook` for the
server-side hook, `forge` for the pull-request workflow). Commit dates never enter here: a
unit can forge those. The earliest receipt of a path is its receipt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import git

from bulletin.read import DecodeProblem, read_bounded
from bulletin.timing import BEIJING

NOTES_REF = "refs/notes/bulletin-receipts"
IMPORTED = "receipts/imported.tsv"


@dataclass(frozen=True)
class Receipt:
    path: str  # desk-relative, e.g. submissions/xiushui/2026/1128-01.md
    received_at: dt.datetime  # zone-aware
    account: str  # who pushed it (forge account), "" when unknown
    source: str  # "hook" | "forge"

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


def read_receipts(root: Path) -> dict[str, Receipt]:
    """The receipt of every path that has one: the earliest note, whatever order the notes come
    in; else the imported receipt (receipts/imported.tsv)."""
    found = _from_notes(root)
    try:  # bounded, not through a link: a committed file, which a hostile change could replace
        imported = parse_note(read_bounded(root / IMPORTED, IMPORTED_MAX_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, DecodeProblem):
        imported = []
    for receipt in imported:
        if receipt.path not in found:
            found[receipt.path] = Receipt(receipt.path, receipt.received_at, receipt.account, "import")
    return dict(sorted(found.items()))


def _from_notes(root: Path) -> dict[str, Receipt]:
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return {}
    try:
        listing = repo.git.notes("--ref", NOTES_REF, "list")
    except git.GitCommandError:
        return {}
    found: dict[str, Receipt] = {}
    for row in listing.splitlines():
        note_blob = row.split()[0]
        # one long-lived `git cat-file --batch` for all notes, not a process per note
        text = repo.odb.stream(bytes.fromhex(note_blob)).read().decode("utf-8", "replace")
        for receipt in parse_note(text):
            known = found.get(receipt.path)
            if known is None or (receipt.received_at, receipt.source) < (known.received_at, known.source):
                found[receipt.path] = receipt
    return dict(sorted(found.items()))


def add_receipts(repo: git.Repo, commit: str, receipts: list[Receipt]) -> None:
    """Append receipts to the note of `commit` (git notes append keeps earlier lines)."""
    if not receipts:
        return
    text = "\n".join(r.line() for r in receipts)
    repo.git.notes("--ref", NOTES_REF, "append", "-m", text, commit)
