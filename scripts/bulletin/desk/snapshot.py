"""One reading of the desk: everything the ledger, the duty engine, the statistics, the notices,
`bulletin overdue` and the site's 报送纪律 pages need, read once per command.

What it holds: every submission the office received, merged or not (from the work tree or a
branch, and from the commits its receipts are attached to: a report waiting in a pull request, or
one whose pull request was closed without merging), each with its state; the receipts (the server's
stamps, else the time the file landed on main, marked as weaker evidence); when each file landed
on main and how often it was sent back; the issues, the records (批示, 上级采用), the events and the
calls. The cases of reporting discipline are computed from it once (`cases`), by the duty engine.

States of a submission (`STATES`):
- 待审: received, waiting in a pull request (its commit lies on a live branch, not on main);
- 退改: the same, changed again on its branch since it was sent (sent back for revision);
- 未采用: received, its pull request closed without merging (the branch is gone);
- 待编: merged (accepted), not yet in an issue; 已采用: in at least one issue.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from bulletin.core.model import Config, Finding, Issue, Item
from bulletin.desk.layout import SUBMISSIONS
from bulletin.desk.receipts import Receipt, read_receipts
from bulletin.desk.records import Record
from bulletin.desk.registers import Call, Event
from bulletin.desk.registers import load_records as load_registers
from bulletin.duty import engine as duty

PENDING = "待审"
SENT_BACK = "退改"
NOT_ADOPTED = "未采用"
ACCEPTED = "待编"
ADOPTED = "已采用"
STATES = (PENDING, SENT_BACK, NOT_ADOPTED, ACCEPTED, ADOPTED)


@dataclass
class Snapshot:
    config: Config
    now: dt.datetime
    items: dict[str, dict[str, Any]]  # item id -> front matter (canonical keys)
    receipts: dict[str, Receipt]  # desk path -> receipt (stamped, else source "git": when it landed)
    landed: dict[str, dt.datetime]  # desk path -> when it landed on main (in the desk's timezone)
    revised: dict[str, int]  # desk path -> changes on its branch before it landed (退改)
    unmerged: dict[str, str]  # item id -> 待审 / 退改 / 未采用, for items received but not on main
    issues: list[Issue]
    records: list[Record]
    events: list[Event]
    calls: list[Call]
    findings: list[Finding] = field(default_factory=list)  # problems of the registers (not judged)
    issue_findings: list[Finding] = field(default_factory=list)  # problems of the issues (the site refuses to build)

    @cached_property
    def submissions(self) -> list[duty.Submitted]:
        return [duty.submitted(self.config, item_id, fm) for item_id, fm in sorted(self.items.items())]

    @cached_property
    def cases(self) -> list[duty.Case]:
        """Every case as of `now` (the duty engine, once per command)."""
        args = (self.config, self.events, self.calls, self.submissions, self.receipts, self.now)
        return duty.judge(*args, answers=self.call_answers)

    @cached_property
    def call_answers(self) -> list[duty.CallCase]:
        return duty.call_cases(self.config, self.calls, self.submissions, self.receipts, self.now)

    @cached_property
    def awaiting(self) -> list[duty.Awaited]:
        return duty.awaiting(self.config, self.events, self.submissions, self.receipts, self.now)

    @cached_property
    def adopted_ids(self) -> set[str]:
        return {source for issue in self.issues for entry in issue.items for source in entry.sources}

    def state(self, item_id: str) -> str:
        if item_id in self.unmerged:
            return self.unmerged[item_id]
        return ADOPTED if item_id in self.adopted_ids else ACCEPTED


def item_files(root: Path) -> list[str]:
    """Desk-relative paths of the files at submissions/<unit>/<year>/<name>.md in the work tree.

    Links are not followed (a linked unit or year folder could lead out of the repository; `bulletin
    check` refuses links): only real folders and regular files count."""
    out = []
    base = os.path.join(root, SUBMISSIONS)
    for unit in _real_entries(base, folders=True):
        for year in _real_entries(os.path.join(base, unit), folders=True):
            for name in _real_entries(os.path.join(base, unit, year), folders=False):
                if name.endswith(".md"):
                    out.append(f"{SUBMISSIONS}/{unit}/{year}/{name}")
    return sorted(out)


def _real_entries(folder: str, folders: bool) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return sorted(
                e.name
                for e in entries
                if not e.is_symlink()
                and (e.is_dir(follow_symlinks=False) if folders else e.is_file(follow_symlinks=False))
            )
    except OSError:
        return []


def _front_matter(config: Config, rel: str, data: bytes | None) -> dict[str, Any] | None:
    """The front matter of a well-placed item (None: misplaced or unreadable; `bulletin check` says why)."""
    from bulletin.desk.read import parse_item, read_item
    from bulletin.editorial.check import locate

    location, misplaced = locate(config, rel)
    if location is None or misplaced:
        return None
    if data is None:
        item, _ = read_item(config.root / rel, rel, config.limits.file_max_bytes)
    else:
        if len(data) > config.limits.file_max_bytes:
            return None
        item, _ = parse_item(data, Item(rel, config.root / rel, ""), [])
    return item.fields if item.front_matter_ok else None


def read_desk(config: Config, now: dt.datetime | None = None, ref: str | None = None) -> Snapshot:
    """Read the desk once. `ref`: read the submissions as they are on that branch (default: the work
    tree) and judge landing on it (default: HEAD). `now`: the moment to judge at (default: the clock)."""
    from bulletin.core.timing import now as clock
    from bulletin.desk import git as gitio
    from bulletin.desk.records import load_records
    from bulletin.editorial.assemble import load_issues
    from bulletin.errors import UsageError

    moment = now or clock()
    items: dict[str, dict[str, Any]] = {}
    if ref is None:
        sources: dict[str, bytes | None] = dict.fromkeys(item_files(config.root))
    else:
        try:
            sources = dict(gitio.files_at(config.root, ref, SUBMISSIONS))
        except gitio.GitFailed as exc:
            raise UsageError(f"读不出“{ref}”上的信息：没有这个分支或提交，请核对名称（如main、origin/main）") from exc
    for rel, data in sources.items():
        fm = _front_matter(config, rel, data)
        if fm is not None:
            items[rel[len(SUBMISSIONS) + 1 : -3]] = fm
    branch = ref or "HEAD"
    try:
        landed = {p: t.astimezone(config.timezone) for p, t in gitio.landed(config.root, branch, SUBMISSIONS).items()}
        revised = gitio.revisions_before_landing(config.root, branch, SUBMISSIONS, landed)
    except Exception:  # not a repository, or no commit yet: nothing landed
        landed, revised = {}, {}
    stamped = read_receipts(config.root)
    receipts: dict[str, Receipt] = {}
    unmerged: dict[str, str] = {}
    elsewhere: list[tuple[str, Receipt]] = []  # received, never merged: read from the receipt's commit
    for rel, receipt in stamped.items():
        if not (rel.startswith(SUBMISSIONS + "/") and rel.endswith(".md")):
            continue
        item_id = rel[len(SUBMISSIONS) + 1 : -3]
        if item_id in items:
            receipts[rel] = receipt
        elif rel not in landed and receipt.commit:
            elsewhere.append((item_id, receipt))
    if elsewhere:
        try:
            found = gitio.files_in_commits(config.root, [(r.commit, r.path) for _, r in elsewhere])
            pending_commits, touched = gitio.unmerged_commits(config.root, branch, SUBMISSIONS)
        except (gitio.GitFailed, UsageError):
            found, pending_commits, touched = [None] * len(elsewhere), set(), {}
        for (item_id, receipt), data in zip(elsewhere, found, strict=True):
            fm = _front_matter(config, receipt.path, data) if data is not None else None
            if fm is not None:
                items[item_id] = fm
                receipts[receipt.path] = receipt
                if receipt.commit not in pending_commits:
                    unmerged[item_id] = NOT_ADOPTED
                else:  # changed again on its branch after it was sent: sent back for revision
                    revisions = touched.get(receipt.path, 1) - 1
                    unmerged[item_id] = SENT_BACK if revisions > 0 else PENDING
                    if revisions > 0:
                        revised[receipt.path] = revisions
    for item_id in items:
        rel = f"{SUBMISSIONS}/{item_id}.md"
        if rel not in receipts and rel in landed:
            receipts[rel] = Receipt(rel, landed[rel], "", duty.WEAK)
    issues, issue_findings = load_issues(config)
    records, _ = load_records(config)
    registers = load_registers(config)
    return Snapshot(
        config=config,
        now=moment,
        items=items,
        receipts=dict(sorted(receipts.items())),
        landed=landed,
        revised=revised,
        unmerged=unmerged,
        issues=issues,
        records=records,
        events=registers.events,
        calls=registers.calls,
        findings=list(registers.findings),
        issue_findings=issue_findings,
    )
