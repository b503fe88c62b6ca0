"""`bulletin verify`: the whole repository's integrity, from main's history and the published site.

What it checks (each problem is a Finding, printed like `bulletin check`'s):

- history (main's first-parent line, i.e. what was merged): an accepted submission never changed
  or deleted after it landed (`verify-submission`); a published issue changed only as a
  correction, its 修订 one higher with a 修订说明 (`verify-issue`); the imported receipts only
  ever appended to (`verify-receipts`);
- receipts: every submission on main has one, from the server or the imported record
  (`verify-receipt-missing`);
- the published site (`--site`): each PDF is the one recorded at publication (its SHA-256 in
  pdf/manifest.json), was built from the issue's current sources (the builder's hash of every
  input: the issue, its sources' marks, the layout, the fonts), every issue the site's audience
  receives has its PDF and no PDF is beyond the audience (`verify-pdf`); the same for each
  issue's Word file (.docx), recorded in the same file.

Commits before `verify.since` in bulletin.yml (when the desk went into service) are not judged:
history from before then is migration.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bulletin.core.model import Config, Finding, Severity
from bulletin.desk import git
from bulletin.desk.issues import IssueProblems, parse_issue
from bulletin.desk.layout import ISSUES, SUBMISSIONS
from bulletin.desk.receipts import read_receipts

_WATCHED = (SUBMISSIONS, ISSUES, "receipts")


def _error(path: str, rule: str, message: str) -> Finding:
    return Finding(path, None, rule, Severity.ERROR, message)


def _blob(checkout: git.Checkout, commit: str, path: str) -> str | None:
    try:
        return checkout.blob(commit, path).decode("utf-8", "replace")
    except FileNotFoundError:
        return None


def _how(change: git.Change, config: Config) -> str:
    when = change.when.astimezone(config.timezone)
    return f"提交{change.commit[:10]}，{when:%Y-%m-%d %H:%M}，{change.author}"


def history_findings(config: Config, ref: str) -> list[Finding]:
    from bulletin.desk.issues import is_note_file  # README.md, index.md: notes about the folders, not issues

    checkout = git.Checkout.of(config.root)
    since = config.verify_since
    out: list[Finding] = []
    for change in git.changes(config.root, ref, _WATCHED):
        if since is not None and change.when < since:
            continue
        path, how = change.path, _how(change, config)
        if path.startswith("submissions/") and path.endswith(".md"):
            what = "修改" if change.status == "M" else "删除"
            out.append(
                _error(
                    path,
                    "verify-submission",
                    f"已采用的信息在合入主分支后被{what}（{how}）：已采用的信息不得改动，"
                    "更正应作为新的信息（续报）报送；请核查这次改动，并从此前的提交恢复原文",
                )
            )
        elif path.startswith("issues/") and path.endswith(".md") and not is_note_file(tuple(path.split("/")[1:])):
            out += _issue_change(checkout, change, how)
        elif path.startswith("receipts/"):
            out += _receipts_change(checkout, change, how)
    return out


def _issue_change(checkout: git.Checkout, change: git.Change, how: str) -> list[Finding]:
    path = change.path
    if change.status == "D":
        return [_error(path, "verify-issue", f"已发布的刊物被删除（{how}）：已发布的各期不得删除，请从此前的提交恢复")]
    parent = str(checkout.commit(f"{change.commit}^"))
    before, after = _blob(checkout, parent, path), _blob(checkout, change.commit, path)
    name = PurePosixPath(path).name
    try:
        old = parse_issue(before or "", path, name)
        new = parse_issue(after or "", path, name)
    except IssueProblems:
        return [_error(path, "verify-issue", f"已发布的刊物被改动，改动前后有一版无法读取（{how}）：请核查这次改动")]
    if new.revision != old.revision + 1 or not (new.revision_note or "").strip():
        return [
            _error(
                path,
                "verify-issue",
                f"已发布的刊物被改动，但不是更正（{how}）：修订由第{old.revision}版变为第{new.revision}版"
                f"{'' if (new.revision_note or '').strip() else '，没有写修订说明'}。更正应把“修订”加一并写明修订说明",
            )
        ]
    return []


def _receipts_change(checkout: git.Checkout, change: git.Change, how: str) -> list[Finding]:
    if change.status == "D":
        return [_error(change.path, "verify-receipts", f"接报记录文件被删除（{how}）：请从此前的提交恢复")]
    parent = str(checkout.commit(f"{change.commit}^"))
    before = (_blob(checkout, parent, change.path) or "").splitlines()
    after = (_blob(checkout, change.commit, change.path) or "").splitlines()
    if after[: len(before)] != before:
        return [
            _error(
                change.path,
                "verify-receipts",
                f"接报记录被删改（{how}）：接报记录只能追加，不能修改或删除已有的记录；请从此前的提交恢复",
            )
        ]
    return []


def receipt_findings(config: Config, ref: str) -> list[Finding]:
    receipts = read_receipts(config.root)
    out = []
    for path in git.paths_at(config.root, ref, SUBMISSIONS):
        if path.endswith(".md") and path not in receipts:
            out.append(
                _error(
                    path,
                    "verify-receipt-missing",
                    "已合入主分支的信息没有接报记录：请先取回服务器的接报记录"
                    "（git fetch origin refs/notes/bulletin-receipts:refs/notes/bulletin-receipts），"
                    "仍没有的，由管理员核实收到时间后用“bulletin receipt add”补登",
                )
            )
    return out


def site_findings(config: Config, site: Path, kept: Path | None = None) -> list[Finding]:
    """Every pdf/manifest.json under `site` (one per audience and year volume) against its PDFs and
    the desk. With `kept` (the copy of the publication records saved when publishing, in the same
    folders as on the site), each record must be the kept one, and the kept one is believed: who can
    rewrite the web root can rewrite its records too, not the copy kept elsewhere."""
    from bulletin.publish.audience import scope_for
    from bulletin.publish.pdfsite import MANIFEST, expected_docx, expected_pdfs

    manifests = sorted(site.rglob(f"pdf/{MANIFEST}"))
    if not manifests:
        return [
            _error(str(site), "verify-pdf", f"站点中找不到pdf/{MANIFEST}（发布记录）：请用“bulletin build”构建站点")
        ]
    out: list[Finding] = []
    if kept is not None:
        on_site = {m.relative_to(site).as_posix() for m in manifests}
        for copy in sorted(kept.rglob(f"pdf/{MANIFEST}")):
            rel = copy.relative_to(kept).as_posix()
            if rel not in on_site:
                out.append(
                    _error(
                        rel, "verify-pdf", "另存的发布记录在站点上没有对应的一份（整卷被撤下或移走）：请核查网站服务器"
                    )
                )
    for manifest in manifests:
        shown = manifest.relative_to(site).as_posix()
        source = manifest
        if kept is not None:
            source = kept / shown
            if not source.is_file():
                out.append(
                    _error(shown, "verify-pdf", "另存的发布记录中没有这一份：它不是发布时写下的，请核查网站服务器")
                )
                continue
            if source.read_bytes() != manifest.read_bytes():
                out.append(
                    _error(shown, "verify-pdf", "站点上的发布记录与另存的一份不同（被改动）：以下按另存的一份核查")
                )
        try:
            record = json.loads(source.read_text(encoding="utf-8"))
            entries = {e["pdf"]: e for e in record["pdfs"]}
            words = {e["docx"]: e for e in record.get("docx", [])}
            audience = record.get("audience") or "all"
            year = record.get("year")
        except (OSError, ValueError, KeyError, TypeError):
            out.append(_error(shown, "verify-pdf", "发布记录无法读取：请重新构建站点"))
            continue
        folder = manifest.parent.parent
        scope = scope_for(config, audience)
        out += _published(folder, site, entries, expected_pdfs(config, scope, year), audience, _PDF)
        out += _published(folder, site, words, expected_docx(config, scope, year), audience, _DOCX)
    return out


@dataclass(frozen=True)
class _Kind:
    """A kind of published file: its key in the record, its suffix and its name in messages."""

    key: str
    suffix: str
    name: str


_PDF = _Kind("pdf", ".pdf", "PDF")
_DOCX = _Kind("docx", ".docx", "Word文件")


def _published(
    folder: Path, site: Path, entries: dict[str, dict], expected: dict[str, str], audience: str, kind: _Kind
) -> list[Finding]:
    """One kind of published file of one record against the files on the site and the desk."""
    from bulletin.publish.pdfsite import sha256_of

    out: list[Finding] = []
    name = kind.name
    for rel, digest in expected.items():
        entry = entries.get(rel)
        target = folder / rel
        where = (folder / rel).relative_to(site).as_posix()
        if entry is None or not target.is_file():
            out.append(_error(where, "verify-pdf", f"这一期应有的{name}缺失或未记录：请重新构建站点"))
            continue
        if sha256_of(target) != entry.get(f"{kind.key}_sha256"):
            out.append(
                _error(where, "verify-pdf", f"{name}与发布时记录的不同（文件被替换或改动）：请重新构建并核查网站服务器")
            )
        if entry.get("inputs") != digest:
            out.append(
                _error(
                    where,
                    "verify-pdf",
                    f"{name}不是由这一期当前的内容生成的（发布后刊物或其来源有改动）：请重新构建站点",
                )
            )
    for rel in sorted(entries):
        if rel not in expected:
            where = (folder / rel).relative_to(site).as_posix()
            out.append(
                _error(where, "verify-pdf", f"发布记录中有不属于读者范围“{audience}”的{name}：请立即撤下并重新构建")
            )
    for path in sorted((folder / "pdf").rglob(f"*{kind.suffix}")):
        rel = path.relative_to(folder).as_posix()
        if rel not in entries:
            out.append(
                _error(
                    path.relative_to(site).as_posix(), "verify-pdf", f"来历不明的{name}（发布记录中没有）：请撤下并核查"
                )
            )
    return out


def verify(
    config: Config, ref: str | None = None, site: Path | None = None, kept: Path | None = None
) -> tuple[list[Finding], int]:
    """(findings, how many things were checked)."""
    repo = git.open_repo(config.root)
    resolved = git.resolve_base(repo, ref)
    findings = history_findings(config, resolved) + receipt_findings(config, resolved)
    checked = len(git.paths_at(config.root, resolved, SUBMISSIONS)) + len(git.paths_at(config.root, resolved, "issues"))
    if site is not None:
        findings += site_findings(config, site, kept)
    return sorted(findings), checked
