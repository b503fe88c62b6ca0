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
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.core.timing import BEIJING
from bulletin.desk.read import DecodeProblem, read_bounded

if TYPE_CHECKING:  # only the server hook writes receipts, through its GitPython repository
    import git

NOTES_REF = "refs/notes/bulletin-receipts"
IMPORTED = "receipts/imported.tsv"


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


def add_receipts(repo: git.Repo, commit: str, receipts: list[Receipt]) -> None:  # the server hook's repository
    """Append receipts to the note of `commit` (git notes append keeps earlier lines)."""
    if not receipts:
        return
    text = "\n".join(r.line() for r in receipts)
    repo.git.notes("--ref", NOTES_REF, "append", "-m", text, commit)
