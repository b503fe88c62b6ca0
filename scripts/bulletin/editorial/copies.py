"""份号: the numbered copies of a 秘密 or 机密 issue, and the register of who got which.

GB/T 9704-2012 7.2.1: a document that carries a 密级 carries a copy number (份号), six Arabic
digits, top left on the first line of the 版头 (the template prints it above the 密级 mark).
Each copy goes to one recipient, and the office keeps a register of which copy went to whom,
when and by whom: one file per issue, `records/copies/<year>/<publication>-<NNN>.md` (read
with the registers' reader, `bulletin.desk.registers.read_register`):

    ---
    期: neican/2026/001
    份号:
      - 份号: "000001"
        收件: 市委书记
        类别: 送              # 报 / 送 / 发: the paper copies of the 版记; 站点: an audience's site
        登记时间: 2026-11-20 10:05
        经办人: 李静
      - 份号: "000004"
        收件: 市领导
        类别: 站点
        读者范围: leaders     # 站点 only: the audience whose site PDF carries this number
        登记时间: 2026-11-20 10:05
        经办人: 李静
    ---

Who gets copies: every recipient of the issue's 报/送/发 (the issue file's, else the
publication's; one recipient per entry, entries separated by ， as in the 版记), as many copies
as the publication's `copies_per_recipient` gives it (default 1); then every audience whose site
carries the issue, and the office's full site (读者范围 all). `register_copies` numbers those not
registered yet with the next free numbers and writes the register atomically: running it again
changes nothing, a copy once registered keeps its number (a recipient later struck from the
list keeps its copy in the register), a new recipient gets the next number. All the numbered
copies together may not exceed the issue's 印数.

    copy_number_for(config, issue, recipient)   the number of a recipient's (or an audience's) copy
    register_copies(config, issue, by, at)       number what is not numbered yet, write the register

The PDFs: `bulletin.publish.build.build_copies` (one per paper copy), and each audience's site
stamps its own number (`site_copy`, used by `bulletin.publish.pdfsite`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin.core.fields import CLASSIFICATIONS, CLASSIFIED
from bulletin.core.levels import item_level, level_rank
from bulletin.core.model import Config, Finding, Issue, Severity
from bulletin.core.timing import TimeFormatError, field_time
from bulletin.desk.atomic import write_file
from bulletin.desk.layout import COPIES
from bulletin.errors import BulletinError, UsageError

PAPER = ("报", "送", "发")
SITE = "站点"
KINDS = (*PAPER, SITE)
FULL_SITE = "all"  # the office's full site (bulletin build --audience all)
FULL_SITE_NAME = "信息处全部内容站点"
DIGITS = 6
_RECIPIENTS = re.compile(r"[，,；;]+")
_NUMBER = re.compile(r"^\d{6}$")


class CopiesError(BulletinError):
    """The register cannot be read or the copies cannot be numbered; the message says why."""

    exit_code = 1


@dataclass(frozen=True)
class Recipient:
    """Who receives one or more numbered copies: a body of the 版记, or an audience's site."""

    name: str  # 市委书记 / 市领导
    kind: str  # 报 / 送 / 发 / 站点
    audience: str | None = None  # 站点: the audience id (all: the full site)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.audience if self.kind == SITE and self.audience else self.name)


@dataclass(frozen=True)
class Copy:
    number: int
    recipient: Recipient
    at: dt.datetime  # 登记时间
    by: str  # 经办人

    @property
    def label(self) -> str:
        """The number as printed: six digits (000001)."""
        return f"{self.number:0{DIGITS}d}"


@dataclass
class Register:
    issue: str  # neican/2026/001
    path: str  # desk-relative
    copies: list[Copy] = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.copies)

    def of(self, recipient: Recipient) -> list[Copy]:
        return [c for c in self.copies if c.recipient.key == recipient.key]


# ---------------------------------------------------------------- who gets copies


def issue_level(config: Config, issue: Issue) -> str:
    """The issue's 密级: as declared, never below what its items' sources carry (as the site judges)."""
    from bulletin.editorial.assemble import load_submission

    level = issue.classification
    for item in issue.items:
        for source in item.sources:
            sub = load_submission(config, source)
            if sub is not None and level_rank(item_level(sub)) > level_rank(level):
                level = item_level(sub)
    return level


def numbered(level: str) -> bool:
    """Whether an issue of this 密级 carries 份号 (秘密 and 机密; 内部 and 公开 do not)."""
    return level in CLASSIFIED


def _reads(audience_publications: Iterable[str], clearance: str, publication: str, level: str) -> bool:
    # the test of bulletin.publish.audience.Scope: the audience receives the publication and is cleared
    if level not in CLASSIFICATIONS or clearance not in CLASSIFICATIONS:
        return False
    return publication in audience_publications and CLASSIFICATIONS.index(level) <= CLASSIFICATIONS.index(clearance)


def recipients(config: Config, issue: Issue, level: str | None = None) -> list[Recipient]:
    """Every copy the issue needs, one entry per copy, in the order they are numbered: the 版记's
    报/送/发 recipients (as many times as `copies_per_recipient` says), then the sites."""
    pub = config.publication(issue.publication)
    level = level or issue_level(config, issue)
    distribution = issue.distribution or (pub.distribution if pub else {})
    per_recipient = pub.copies_per_recipient if pub else {}
    out: list[Recipient] = []
    for kind in PAPER:
        for entry in distribution.get(kind, ()):
            for name in _RECIPIENTS.split(entry):
                name = name.strip().rstrip("。")
                if name:
                    out += [Recipient(name, kind)] * per_recipient.get(name, 1)
    for audience in config.audiences:
        if _reads(audience.publications, audience.max_classification, issue.publication, level):
            out.append(Recipient(audience.name, SITE, audience.id))
    out.append(Recipient(FULL_SITE_NAME, SITE, FULL_SITE))
    return out


# ---------------------------------------------------------------- the register file


def register_path(root: Path, issue: Issue) -> Path:
    kind = "zk" if issue.supplement else ""
    return root / COPIES / str(issue.year) / f"{issue.publication}-{kind}{issue.number:03d}.md"


def load_register(config: Config, issue: Issue) -> Register:
    """The issue's register (empty when none is kept yet); a damaged one is a CopiesError."""
    from bulletin.desk.registers import read_register

    path = register_path(config.root, issue)
    shown = path.relative_to(config.root).as_posix()
    register = Register(issue.id, shown)
    if not path.exists():
        return register
    problems: list[Finding] = []
    parsed = read_register(path, shown, problems, config.root)
    if parsed is None:
        raise CopiesError(_problems(problems))
    raw, lines, _ = parsed

    def problem(line: int | None, message: str) -> None:
        problems.append(Finding(shown, line, "record-format", Severity.ERROR, message))

    if str(raw.get("期", "")).strip() != issue.id:
        problem(lines.get("期"), f"“期”应为{issue.id}（登记文件与刊物一一对应）")
    entries = raw.get("份号")
    if not isinstance(entries, list):
        problem(lines.get("份号"), "“份号”应为列表，每份一项，写明份号、收件、类别、登记时间、经办人")
        entries = []
    seen: set[int] = set()
    for n, entry in enumerate(entries, start=1):
        where = f"第{n}份"
        line = lines.get("份号")
        if not isinstance(entry, dict):
            problem(line, f"{where}应为“键: 值”的映射")
            continue
        label = str(entry.get("份号", "")).strip()
        kind = str(entry.get("类别", "")).strip()
        name = str(entry.get("收件", "") or "").strip()
        by = str(entry.get("经办人", "") or "").strip()
        audience = str(entry.get("读者范围") or "").strip() or None
        if not _NUMBER.match(label):
            problem(line, f'{where}的份号“{label}”应为6位数字，如000001（写成带引号的"000001"）')
            continue
        if int(label) in seen:
            problem(line, f"份号{label}登记了两次：每个份号只给一个收件单位")
            continue
        if kind not in KINDS:
            problem(line, f"份号{label}的类别“{kind}”无效：只能是{'/'.join(KINDS)}")
            continue
        if kind == SITE and not audience:
            problem(line, f"份号{label}是站点的一份，须写明“读者范围”（如leaders，全部内容站点写{FULL_SITE}）")
            continue
        if not name or not by:
            problem(line, f"份号{label}须写明“收件”和“经办人”")
            continue
        try:
            at = field_time(entry.get("登记时间"), config.timezone, require_clock=True)
        except TimeFormatError as exc:
            problem(line, f"份号{label}的登记时间：{exc}")
            continue
        seen.add(int(label))
        register.copies.append(Copy(int(label), Recipient(name, kind, audience if kind == SITE else None), at, by))
    if problems:
        raise CopiesError(_problems(problems))
    register.copies.sort(key=lambda c: c.number)
    return register


def _problems(findings: list[Finding]) -> str:
    lines = [f"{f.path}" + (f"第{f.line}行" if f.line else "") + f"：{f.message}" for f in findings]
    return "份号登记有误：\n" + "\n".join(lines) + "\n请照docs/guide/editor.md中“份号”一节改正。"


def _render(register: Register) -> bytes:
    """The register as its file: every text quoted (a 份号 stays six digits, not a number)."""

    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    lines = ["---", f"期: {register.issue}", "份号:"]
    for c in register.copies:
        lines += [f"  - 份号: {q(c.label)}", f"    收件: {q(c.recipient.name)}", f"    类别: {c.recipient.kind}"]
        if c.recipient.audience:
            lines.append(f"    读者范围: {c.recipient.audience}")
        lines += [f"    登记时间: {c.at.strftime('%Y-%m-%d %H:%M')}", f"    经办人: {q(c.by)}"]
    lines += ["---", "", "份号登记：由“bulletin copies”维护，每份一项；已登记的份号不改动、不重复使用。", ""]
    return "\n".join(lines).encode()


# ---------------------------------------------------------------- numbering


def register_copies(config: Config, issue: Issue, by: str, at: dt.datetime) -> tuple[Register, list[Copy]]:
    """Number every copy the issue needs that is not registered yet, and write the register
    (only when something was added). Returns the register and the copies added now."""
    level = issue_level(config, issue)
    if not numbered(level):
        raise UsageError(f"{issue.path}：本期密级为{level}，不编份号（只有秘密、机密刊物编份号）")
    register = load_register(config, issue)
    have = Counter(c.recipient.key for c in register.copies)
    added: list[Copy] = []
    following = max((c.number for c in register.copies), default=0) + 1
    for recipient in recipients(config, issue, level):
        if have[recipient.key] > 0:
            have[recipient.key] -= 1
            continue
        added.append(Copy(following, recipient, at.replace(second=0, microsecond=0), by))
        following += 1
    total = len(register.copies) + len(added)
    pub = config.publication(issue.publication)
    printed = issue.copies or (pub.copies if pub else 0)
    if added and printed and total > printed:
        raise CopiesError(
            f"{issue.path}：本期须编{total}个份号（报、送、发{sum(c.recipient.kind != SITE for c in [*register.copies, *added])}份，"
            f"站点{sum(c.recipient.kind == SITE for c in [*register.copies, *added])}份），超过印数{printed}份："
            f"请把刊物文件中的“印数”改为至少{total}，或减少报送对象。份号未登记"
        )
    if added:
        register.copies.extend(added)
        write_file(config.root / register.path, _render(register), within=config.root)
    return register, added


def copy_number_for(config: Config, issue: Issue, recipient: str) -> str | None:
    """The six-digit number of `recipient`'s copy (a body of the 版记 by name, or an audience by id
    or name; its first copy when it has several), None when the issue carries no 份号 or the
    recipient has no copy registered. For every format that prints an issue (PDF, Word)."""
    if not numbered(issue_level(config, issue)):
        return None
    audience = config.audience(recipient)
    wanted = audience.id if audience else recipient
    for copy in load_register(config, issue).copies:
        if copy.recipient.name == recipient or (copy.recipient.kind == SITE and copy.recipient.audience == wanted):
            return copy.label
    return None


def site_copy(config: Config, issue: Issue, audience: str, level: str) -> str | None:
    """The number the site of `audience` (an id; all: the full site) stamps on a classified issue."""
    if not numbered(level):
        return None
    for copy in load_register(config, issue).copies:
        if copy.recipient.kind == SITE and copy.recipient.audience == audience:
            return copy.label
    return None


# ---------------------------------------------------------------- what editors are shown

_ISSUE_REF = re.compile(r"^(?:issues/)?(?P<pub>[a-z0-9-]+)/(?P<year>\d{4})/(?P<zk>zk)?(?P<n>\d{1,4})(?:\.md)?$")


def find_issue(config: Config, ref: str) -> Issue:
    """An issue by its id (neican/2026/001, a supplement neican/2026/zk001) or its file."""
    from bulletin.desk.issues import IssueProblems, issue_path, read_issue

    m = _ISSUE_REF.match(ref.strip())
    if not m:
        raise UsageError(
            f"“{ref}”不是一期刊物的编号：应写成刊物/年份/期号，如neican/2026/001（增刊如neican/2026/zk001）"
        )
    path = issue_path(config.root, m["pub"], int(m["year"]), int(m["n"]), bool(m["zk"]))
    shown = path.relative_to(config.root).as_posix()
    if not path.is_file():
        raise UsageError(f"{shown}不存在：请核对刊物、年份和期号")
    try:
        return read_issue(path, shown)
    except IssueProblems as exc:
        lines = [f"{f.path}" + (f"第{f.line}行" if f.line else "") + f"：{f.message}" for f in exc.findings]
        raise CopiesError("刊物文件有误，先改正再登记份号：\n" + "\n".join(lines)) from None


@dataclass(frozen=True)
class Status:
    """An issue's numbered copies as editors see them: the register and what is still to number."""

    issue: Issue
    level: str
    register: Register
    pending: list[Recipient]  # copies the issue needs that have no number yet
    printed: int  # 印数

    def as_dict(self) -> dict[str, Any]:
        return {
            "issue": self.issue.id,
            "level": self.level,
            "register": self.register.path,
            "printed": self.printed,
            "copies": [
                {
                    "number": c.label,
                    "recipient": c.recipient.name,
                    "kind": c.recipient.kind,
                    "audience": c.recipient.audience,
                    "registered_at": c.at.isoformat(timespec="minutes"),
                    "by": c.by,
                }
                for c in self.register.copies
            ],
            "pending": [{"recipient": r.name, "kind": r.kind, "audience": r.audience} for r in self.pending],
        }


def status(config: Config, issue: Issue) -> Status:
    level = issue_level(config, issue)
    register = load_register(config, issue)
    pending: list[Recipient] = []
    if numbered(level):
        have = Counter(c.recipient.key for c in register.copies)
        for recipient in recipients(config, issue, level):
            if have[recipient.key] > 0:
                have[recipient.key] -= 1
            else:
                pending.append(recipient)
    pub = config.publication(issue.publication)
    return Status(issue, level, register, pending, issue.copies or (pub.copies if pub else 0))


def classified_issues(config: Config) -> list[Status]:
    """Every 秘密/机密 issue of the desk with its register, newest first."""
    from bulletin.editorial.assemble import load_issues

    issues, findings = load_issues(config)
    if findings:
        lines = [f"{f.path}" + (f"第{f.line}行" if f.line else "") + f"：{f.message}" for f in findings]
        raise CopiesError("刊物文件有误，先改正再查看份号：\n" + "\n".join(lines))
    out = [status(config, issue) for issue in issues if numbered(issue_level(config, issue))]
    return sorted(out, key=lambda s: (s.issue.date, s.issue.id), reverse=True)
