"""`bulletin sync`: what became of the items this desk forwarded, read from the desk above (a fetch,
read-only) and recorded here: its adoption into an issue there (上级采用, at the desk above's level,
in which publication and 期号) and the 批示 and 上级采用 recorded there on them (passed down with
their own level). Each lands on this desk's item that was forwarded (from 原报信息), so the unit that
first wrote it is credited here, and the desk below passes it down again by its own sync.

Only what changed since the last sync is read (the desk above's main as of then is kept in the copy,
`refs/bulletin/synced`); what is already recorded here is never recorded twice, so running it again
changes nothing. An emergency this desk forwarded later than `upstream.emergency_limit` after it
received it is reported as this desk's own 迟报 (judged by the duty engine).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from bulletin.core.model import Config, Finding, Issue, Item
from bulletin.desk.config import Upstream
from bulletin.desk.git import GitFailed
from bulletin.desk.issues import IssueProblems, is_issue_file, read_issue
from bulletin.desk.layout import ISSUES, RECORDS, SUBMISSIONS
from bulletin.desk.read import parse_item, read_item
from bulletin.desk.receipts import Receipt, read_receipts
from bulletin.desk.records import ADOPTION, Record, load_records, read_record, write_record
from bulletin.duty import engine
from bulletin.network.forward import relays
from bulletin.network.upstream import MAIN, SYNCED, Channel, open_channel

PENDING_ABOVE = "待审"  # its branch there is still open (a pull request under review)
RETURNED_ABOVE = "未采用"  # received there, its branch deleted without merging (the pull request closed)


@dataclass(frozen=True)
class Waiting:
    """A forwarded item received by the desk above and not merged there."""

    path: str  # the item there
    items: tuple[str, ...]  # this desk's items it was forwarded from
    state: str  # 待审 / 未采用
    received_at: dt.datetime


@dataclass
class Synced:
    upstream: str  # the desk above's name
    position: str  # its main's commit now recorded
    read_from: str | None  # the position synced from (None: everything was read)
    written: list[Path] = field(default_factory=list)  # the new records here
    received: dict[str, Receipt] = field(default_factory=dict)  # forwarded item there -> its receipt there
    late: list[engine.Case] = field(default_factory=list)  # this desk's own 迟报 above
    unmerged: list[Waiting] = field(default_factory=list)  # received there, not merged: 待审 or 未采用


def _key(r: Record) -> tuple[str, str, str, dt.date, str, str]:
    return (r.kind, r.item, r.level, r.date, r.by, r.publication)


def sync(config: Config, upstream: Upstream, full: bool = False) -> Synced:
    channel = open_channel(config, upstream)
    new = channel.fetch()
    old = None if full else channel.repo.commit(SYNCED)
    channel.checkout()
    above = channel.config()
    result = Synced(upstream.name, new, old)
    folder = channel.folder
    if old == new:
        changed: list[str] = []
    elif old is None:
        changed = channel.names(new, ISSUES, RECORDS, folder)
    else:
        changed = channel.changed(old, new, ISSUES, RECORDS, folder)
    issues = [n for n in changed if n.startswith(ISSUES + "/") and is_issue_file(n.rsplit("/", 1)[-1])]
    records = [n for n in changed if n.startswith(RECORDS + "/") and n.count("/") == 2 and n.endswith(".md")]
    items = [n for n in changed if n.startswith(folder + "/") and n.endswith(".md")]

    found: list[tuple[str, Record]] = []  # (the item there, what happened to it: item field still theirs)
    for rel in issues:
        issue = _issue(channel, rel)
        if issue is None:
            continue
        pub = above.publication(issue.publication)
        title = f"{pub.name if pub else issue.publication}{issue.year}年第{issue.number}期"
        for entry in issue.items:
            for source in entry.sources:
                if source.startswith(upstream.unit + "/"):
                    found.append((source, Record("", ADOPTION, source, issue.date, upstream.level, "", title, "")))
    needle = f"{upstream.unit}/".encode()
    for rel in records:
        path = channel.tree / rel
        try:
            if needle not in path.read_bytes():  # about another unit's item there: not ours
                continue
        except OSError:
            continue
        problems: list[Finding] = []
        record = read_record(above, path, problems)
        if record is not None and record.item.startswith(upstream.unit + "/"):
            found.append((record.item, record))

    ours = {f"{SUBMISSIONS}/{item}.md" for item, _ in found} | set(items)
    local_of = {rel[len(SUBMISSIONS) + 1 : -3]: _local_items(config, channel, rel) for rel in sorted(ours)}
    existing, _ = load_records(config)
    known = {_key(r) for r in existing}
    for item, happened in found:
        for local in local_of.get(item, []):
            record = replace(happened, path="", item=local)  # as registered above, 密级 and all
            if _key(record) in known:
                continue
            known.add(_key(record))
            result.written.append(write_record(config, record))

    # receipts there, and this desk's own lateness in forwarding an emergency
    fresh = items  # new in this desk's folder there: their receipts there
    if fresh:
        there = read_receipts(channel.tree, fresh)
        here = read_receipts(
            config.root,
            [f"{SUBMISSIONS}/{i}.md" for rel in fresh for i in local_of.get(rel[len(SUBMISSIONS) + 1 : -3], [])],
        )
        for rel in fresh:
            receipt = there.get(rel)
            if receipt is None:
                continue
            result.received[rel] = receipt
            for local in local_of.get(rel[len(SUBMISSIONS) + 1 : -3], []):
                case = _late(config, upstream, local, here.get(f"{SUBMISSIONS}/{local}.md"), receipt)
                if case is not None:
                    result.late.append(case)
    result.unmerged = _unmerged(config, channel, set(channel.names(new, folder)))
    channel.git("update-ref", SYNCED, new)
    return result


def _unmerged(config: Config, channel: Channel, on_main: set[str]) -> list[Waiting]:
    """This desk's items the desk above received (its receipts) and has not merged: still on an open
    branch there (待审), or their branch is gone (未采用: the pull request was closed)."""
    prefix = channel.folder + "/"
    received = {p: r for p, r in read_receipts(channel.tree).items() if p.startswith(prefix) and p not in on_main}
    if not received:
        return []
    branches = channel.branch_names()
    live = set(channel.git("rev-list", *branches, "--not", MAIN, "--").split()) if branches else set()
    out = []
    for path, receipt in received.items():
        if not receipt.commit:
            continue
        try:
            data = channel.git("show", f"{receipt.commit}:{path}").encode("utf-8", "surrogateescape")
        except GitFailed:
            continue
        item, _ = parse_item(data, Item(path, channel.tree / path, ""), [])
        mine = tuple(
            step.item
            for step in relays(item.fields.get("原报信息") if item.front_matter_ok else None)
            if step.desk == config.desk
        )
        state = PENDING_ABOVE if receipt.commit in live else RETURNED_ABOVE
        out.append(Waiting(path, mine, state, receipt.received_at))
    return out


def _issue(channel: Channel, rel: str) -> Issue | None:
    try:
        return read_issue(channel.tree / rel, rel)
    except IssueProblems:
        return None


def _local_items(config: Config, channel: Channel, rel: str) -> list[str]:
    """This desk's items that the item `rel` there was forwarded from (its 原报信息 steps of this desk)."""
    path = channel.tree / rel
    if not path.is_file():
        return []
    item, _ = read_item(path, rel, config.limits.file_max_bytes)
    if not item.front_matter_ok:
        return []
    return [
        step.item
        for step in relays(item.fields.get("原报信息"))
        if step.desk == config.desk and (config.root / SUBMISSIONS / f"{step.item}.md").is_file()
    ]


def _late(config: Config, upstream: Upstream, local: str, here: Receipt | None, there: Receipt) -> engine.Case | None:
    if here is None:
        return None
    path = config.root / SUBMISSIONS / f"{local}.md"
    item, _ = read_item(path, f"{SUBMISSIONS}/{local}.md", config.limits.file_max_bytes)
    sub = engine.submitted(config, local, item.fields)
    return engine.forward_case(sub, here.received_at, there.received_at, upstream.emergency_limit, upstream.unit)
