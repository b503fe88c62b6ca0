"""Editors' work: draft the next issue from accepted submissions, and check issues.

Accepted (采用入库) means: the submission is on the main branch (its pull request was merged).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import yaml

from bulletin.core import fields
from bulletin.core.levels import item_level, item_term, level_rank, text_field
from bulletin.core.model import Config, Finding, Issue, IssueItem, Item, Severity
from bulletin.desk.atomic import NameTaken, create_file
from bulletin.desk.issues import (
    IssueProblems,
    is_issue_file,
    is_note_file,
    issue_files,
    issue_path,
    parse_issue,
    read_issue_text,
    render_issue,
)
from bulletin.desk.layout import SUBMISSIONS
from bulletin.desk.read import (
    FINDINGS_PER_RULE,
    FRONT_MATTER_MAX_NODES,
    YamlProblem,
    invisible_lines,
    invisible_message,
    load_yaml,
    long_line,
    read_item,
    split_front_matter,
)
from bulletin.errors import UsageError


def submission_path(root: Path, item_id: str) -> Path:
    return root / SUBMISSIONS / f"{item_id}.md"


def load_submission(config: Config, item_id: str) -> Item | None:
    path = submission_path(config.root, item_id)
    if not path.is_file():
        return None
    item, _ = read_item(path, f"{SUBMISSIONS}/{item_id}.md", config.limits.file_max_bytes)
    return item if item.front_matter_ok else None


def term_months(term: str | None) -> int:
    """A secrecy term in months (0 when absent or unreadable)."""
    from bulletin.core.timing import TimeFormatError, parse_term

    if not term:
        return 0
    try:
        number, unit = parse_term(term)
    except TimeFormatError:
        return 0
    return number * 12 if unit == "年" else number


ISSUE_LINE_MAX_CHARS = 5000  # an item's paragraph is at most some 1500 characters


def load_issues(config: Config) -> tuple[list[Issue], list[Finding]]:
    """Every issue of the desk, and what is wrong with them (the site is not built while any is)."""
    issues, findings, _ = _load_issues(config)
    return issues, findings


def _load_issues(config: Config) -> tuple[list[Issue], list[Finding], dict[str, str]]:
    """Issues, findings and each issue's text (by its desk-relative path)."""
    issues: list[Issue] = []
    findings: list[Finding] = []
    texts: dict[str, str] = {}
    for path in issue_files(config.root):
        shown = path.relative_to(config.root).as_posix()
        try:
            text = read_issue_text(path, shown)
            parts = split_front_matter(text)  # the head is bounded by the YAML reader; the body here
            too_long = long_line(parts[2], ISSUE_LINE_MAX_CHARS) if parts else None
            if parts and too_long:
                number, length = parts[3] + too_long[0] - 1, too_long[1]
                message = f"这一行有{length}个字符，超过单行上限{ISSUE_LINE_MAX_CHARS}字：请按段落换行"
                raise IssueProblems([Finding(shown, number, "issue-format", Severity.ERROR, message)])
            issue = parse_issue(text, shown, path.name)
        except IssueProblems as exc:
            findings.extend(exc.findings)
            continue
        issues.append(issue)
        texts[shown] = text
        findings.extend(issue_content_findings(config, path, shown, text))
    return issues, findings, texts


def issue_content_findings(config: Config, path: Path, shown: str, text: str) -> list[Finding]:
    """What an issue may not carry into the site and the PDF, by the rules submissions follow:
    invisible characters, raw HTML and script, links and images that leave the desk or the network."""
    from bulletin.rules import RULES
    from bulletin.rules.body import markup_problems

    found: list[tuple[str, int, str]] = []
    for count, (number, chars) in enumerate(invisible_lines(text)):
        if count < FINDINGS_PER_RULE:
            found.append(("invisible-char", number, invisible_message(chars)))
    parts = split_front_matter(text)
    if parts is not None:
        fm_text, fm_line, body, body_line = parts
        found += markup_problems(body, body_line, path.parent, config.root)
        try:
            raw, node = load_yaml(fm_text, max_nodes=FRONT_MATTER_MAX_NODES)
        except YamlProblem:  # parse_issue has read it already
            raw, node = None, None
        if isinstance(raw, dict) and isinstance(node, yaml.MappingNode):
            lines = {str(k.value): fm_line + k.start_mark.line for k, _ in node.value}
            for key, value in raw.items():
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        found += markup_problems(item, lines.get(str(key), fm_line), path.parent, config.root)
    return [Finding(shown, line, rule, RULES[rule].severity, message) for rule, line, message in found]


def draft(config: Config, pub_id: str, sources: list[str], today: dt.date, supplement: bool = False) -> Issue:
    pub = config.publication(pub_id)
    if pub is None:
        raise UsageError(
            f"没有刊物“{pub_id}”：可用的刊物为{'、'.join(f'{p.id}（{p.name}）' for p in config.publications)}"
        )
    issues, _ = load_issues(config)
    same = [i for i in issues if i.publication == pub.id]
    this_year = [i.number for i in same if i.year == today.year and i.supplement == supplement]
    totals = [i.total_number for i in same if i.total_number and not i.supplement]
    items: list[IssueItem] = []
    terms: list[str] = []
    for source in sources:
        item = load_submission(config, source)
        if item is None:
            raise UsageError(f"找不到已采用的信息{source}：应为submissions/下的编号，如xiushui/2026/1103-01")
        level = item_level(item)
        if level_rank(level) > level_rank(pub.max_classification):
            raise UsageError(f"信息{source}密级为{level}，《{pub.name}》最高只能刊载{pub.max_classification}信息")
        if term := item_term(item):
            terms.append(term)
        items.append(
            IssueItem(
                title=text_field(item, "标题") or source,
                text=item.body.strip(),
                sources=(source,),
                line=0,
                classification=level,
                urgency=text_field(item, "紧急程度") or "平件",
            )
        )
    level = max((i.classification for i in items), key=level_rank, default="内部")
    level = max(level, "内部", key=level_rank)
    editor = config.editors[0].name if config.editors else f"{fields.PLACEHOLDER}：责任编辑】"
    return Issue(
        path="",
        publication=pub.id,
        year=today.year,
        number=max(this_year, default=0) + 1,
        total_number=None if supplement else (max(totals) + 1 if totals else 1),
        date=today,
        editor=editor,
        approver=f"{fields.PLACEHOLDER}：签发领导】",
        classification=level,
        secrecy_term=(max(terms, key=term_months) if terms else "1年") if level in fields.CLASSIFIED else None,
        urgency="特急" if any(i.urgency == "特急" for i in items) else None,
        supplement=supplement,
        distribution=dict(pub.distribution),
        copies=pub.copies,
        items=items,
    )


def write_draft(config: Config, issue: Issue) -> Path:
    """Write the drafted issue to its new file: whole or not at all, never over an existing one."""
    path = issue_path(config.root, issue.publication, issue.year, issue.number, issue.supplement)
    rel = path.relative_to(config.root).as_posix()
    try:
        create_file(path, render_issue(issue, config).encode("utf-8"), within=config.root, shown=rel)
    except NameTaken as exc:
        raise UsageError(f"{rel}已存在，不覆盖：请检查是否已起草过这一期") from exc
    return path


Accepted = Callable[[str], bool]  # is this submission id on the main branch?


def check_issues(config: Config, accepted: Accepted) -> list[Finding]:
    """Every issue of the desk: sources accepted, numbering, secrecy."""
    issues, findings, texts = _load_issues(config)

    def emit(issue: Issue, line: int | None, rule: str, message: str) -> None:
        findings.append(Finding(issue.path, line, rule, Severity.ERROR, message))

    for issue in issues:
        for number, line in enumerate(texts[issue.path].split("\n"), start=1):
            if fields.PLACEHOLDER in line:
                emit(issue, number, "issue-format", f"“{fields.PLACEHOLDER}……】”还没有换成实际内容：请填写")
        pub = config.publication(issue.publication)
        if pub is None:
            emit(issue, None, "issue-format", f"刊物“{issue.publication}”不在配置中")
            continue
        if not issue.path.startswith(f"issues/{pub.id}/{issue.year}/"):
            emit(issue, None, "issue-number", f"应放在issues/{pub.id}/{issue.year}/下（按刊物和日期的年份）")
        if issue.classification in fields.CLASSIFIED and not issue.secrecy_term:
            emit(issue, None, "issue-secrecy", f"密级为{issue.classification}的刊物须写保密期限")
        highest = "公开"
        for item in issue.items:
            if not item.sources and pub.kind != "通报":
                emit(issue, item.line, "issue-source", f"条目“{item.title}”缺少“来源：”行（写所采用信息的编号）")
            for source in item.sources:
                sub = load_submission(config, source)
                if sub is None:
                    emit(issue, item.line, "issue-source", f"来源{source}不存在：请核对信息编号")
                    continue
                if not accepted(source):
                    emit(issue, item.line, "issue-source", f"来源{source}尚未采用入库（其合并请求未合并到主分支）")
                level = item_level(sub)
                item.classification = max(item.classification, level, key=level_rank)
                term = item_term(sub)
                if level in fields.CLASSIFIED and term_months(term) > term_months(issue.secrecy_term):
                    emit(
                        issue,
                        item.line,
                        "issue-secrecy",
                        f"来源{source}的保密期限为{term}，长于本期的保密期限{issue.secrecy_term or '（未写）'}：请把本期保密期限改为{term}",
                    )
            highest = max(highest, item.classification, key=level_rank)
            if level_rank(item.classification) > level_rank(pub.max_classification):
                emit(
                    issue,
                    item.line,
                    "issue-secrecy",
                    f"条目“{item.title}”密级为{item.classification}，《{pub.name}》最高只能刊载{pub.max_classification}信息",
                )
        if level_rank(issue.classification) < level_rank(highest):
            emit(
                issue,
                None,
                "issue-secrecy",
                f"本期密级{issue.classification}低于所刊信息的最高密级{highest}：请把密级改为{highest}",
            )
        findings.extend(_copies_findings(config, issue))
    findings.extend(_numbering(config, issues))
    findings.extend(_stray_files(config))
    return sorted(findings, key=lambda f: (f.path, f.line or 0))


def _copies_findings(config: Config, issue: Issue) -> list[Finding]:
    """A 秘密 or 机密 issue is merged only with every copy it needs numbered in its register."""
    from bulletin.editorial.copies import CopiesError, numbered, register_path, status

    try:
        found = status(config, issue)
    except CopiesError as exc:
        shown = register_path(config.root, issue).relative_to(config.root).as_posix()
        return [Finding(shown, None, "record-format", Severity.ERROR, str(exc))]
    if not numbered(found.level) or not found.pending:
        return []
    names = "、".join(dict.fromkeys(f"{r.kind}{r.name}" for r in found.pending))
    return [
        Finding(
            issue.path,
            None,
            "issue-copies",
            Severity.ERROR,
            f"本期为{found.level}刊物，还有{len(found.pending)}份没有编份号（{names}）："
            f"请运行“bulletin copies {issue.id} --register”，再提交{found.register.path}",
        )
    ]


def _stray_files(config: Config) -> list[Finding]:
    """Files under issues/ that are not issue files (ignored by everything else), and names that
    Windows refuses. The walk follows no link: a link loop cannot hang it."""
    from bulletin.core.names import windows_problem

    out: list[Finding] = []
    base = config.root / "issues"
    for folder, dirs, files in os.walk(base, followlinks=False):
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(config.root).as_posix()
            unsafe = windows_problem(name)
            if unsafe:
                out.append(
                    Finding(
                        rel,
                        None,
                        "issue-format",
                        Severity.ERROR,
                        f"名称“{name}”在Windows上不能使用：{unsafe}，请改名",
                    )
                )
            elif name in files and (len(path.relative_to(base).parts) != 3 or not is_issue_file(name)):
                if name.startswith(".") or is_note_file(path.relative_to(base).parts):  # .gitkeep, README.md
                    continue
                out.append(
                    Finding(
                        rel,
                        None,
                        "issue-format",
                        Severity.ERROR,
                        "这不是刊物文件，不会被编排和发布：刊物文件应为issues/<刊物>/<年份>/<期号>.md（如015.md，增刊zk001.md），请改名或删去",
                    )
                )
            if len(out) > FINDINGS_PER_RULE:
                return out
    return out


def _numbering(config: Config, issues: list[Issue]) -> list[Finding]:
    findings: list[Finding] = []
    groups: dict[tuple[str, int, bool], list[Issue]] = {}
    for issue in issues:
        groups.setdefault((issue.publication, issue.year, issue.supplement), []).append(issue)
    for (pub, year, supplement), group in sorted(groups.items()):
        numbers = sorted(i.number for i in group)
        expected = list(range(1, len(numbers) + 1))
        if numbers != expected:
            missing = sorted(set(expected) - set(numbers))
            kind = "增刊" if supplement else "期号"
            gap = f"，缺第{'、'.join(map(str, missing))}期" if missing else "，有重复"
            findings.append(
                Finding(
                    group[0].path,
                    None,
                    "issue-number",
                    Severity.ERROR,
                    f"{pub} {year}年的{kind}应从1起连续编号，现有{numbers}{gap}",
                )
            )
    by_pub: dict[str, list[Issue]] = {}
    for issue in issues:
        if not issue.supplement and issue.total_number is not None:
            by_pub.setdefault(issue.publication, []).append(issue)
    for group in by_pub.values():
        group.sort(key=lambda i: (i.year, i.number))
        for before, after in pairwise(group):
            if after.total_number != (before.total_number or 0) + 1:
                findings.append(
                    Finding(
                        after.path,
                        None,
                        "issue-number",
                        Severity.ERROR,
                        f"总期号应为{(before.total_number or 0) + 1}（上一期{before.path}为{before.total_number}），现为{after.total_number}",
                    )
                )
    return findings


def check_published(config: Config, read_base: Callable[[str], bytes], base_issue_paths: list[str]) -> list[Finding]:
    """A published issue (on main) is immutable: a change must be a correction, a new revision.

    A correction raises 修订 by one and says what it corrects in 修订说明; the masthead
    (publication, year, number) stays. Deleting a published issue is refused.
    """
    from bulletin.desk.issues import parse_issue

    findings: list[Finding] = []
    for rel in base_issue_paths:
        if rel.count("/") != 3 or not is_issue_file(rel.rsplit("/", 1)[1]):
            continue
        path = config.root / rel
        if not path.is_file():
            findings.append(
                Finding(rel, None, "issue-published", Severity.ERROR, "已发布的刊物不能删除：如需撤回，请发更正")
            )
            continue
        old_text = read_base(rel).decode("utf-8", "replace")
        try:
            new_text = read_issue_text(path, rel)  # bounded, and never a link or a device
        except IssueProblems:
            continue  # reported by check_issues
        if old_text.replace("\r\n", "\n") == new_text:
            continue
        try:
            old = parse_issue(old_text, rel, path.name)
            new = parse_issue(new_text, rel, path.name)
        except IssueProblems:
            continue  # reported by check_issues
        if new.revision != old.revision + 1 or not new.revision_note:
            findings.append(
                Finding(
                    rel,
                    None,
                    "issue-published",
                    Severity.ERROR,
                    f"本期已发布（第{old.revision}版），不能直接修改：更正请把“修订”改为{old.revision + 1}，"
                    "并在“修订说明”中写明更正了什么",
                )
            )
        elif (new.publication, new.year, new.number, new.supplement) != (
            old.publication,
            old.year,
            old.number,
            old.supplement,
        ):
            findings.append(Finding(rel, None, "issue-published", Severity.ERROR, "更正不能改变刊物、年份和期号"))
    return findings


@dataclass(frozen=True)
class Revision:
    """One revision (版) of a published issue, as git recorded it."""

    number: int
    author: str  # who committed it
    date: dt.datetime
    note: str | None  # 修订说明
    issue: Issue


def issue_revisions(config: Config, issue: Issue) -> list[Revision]:
    """Every revision of an issue, oldest first, each as its last committed version.

    Returns [] outside a git repository or for an issue not yet committed.
    """
    from bulletin.desk import git
    from bulletin.desk.issues import parse_issue
    from bulletin.errors import UsageError

    try:
        versions = git.history(config.root, issue.path)
    except UsageError:
        return []
    by_number: dict[int, Revision] = {}
    for version in versions:
        try:
            parsed = parse_issue(version.text, issue.path, Path(issue.path).name)
        except IssueProblems:
            continue
        first = by_number.get(parsed.revision)
        by_number[parsed.revision] = Revision(
            parsed.revision,
            first.author if first else version.author,
            first.date if first else version.date,
            parsed.revision_note,
            parsed,
        )
    return [by_number[n] for n in sorted(by_number)]


def revision_changes(old: Issue, new: Issue) -> list[tuple[str, list[str], list[str]]]:
    """What a correction changed: (item title, lines removed, lines added) per changed item."""
    import difflib

    changes = []
    old_items = {i.title: i for i in old.items}
    for item in new.items:
        before = old_items.pop(item.title, None)
        old_lines = before.text.split("\n") if before else []
        new_lines = item.text.split("\n")
        if old_lines == new_lines:
            continue
        removed, added = [], []
        for op, a0, a1, b0, b1 in difflib.SequenceMatcher(a=old_lines, b=new_lines).get_opcodes():
            if op != "equal":
                removed += [line for line in old_lines[a0:a1] if line.strip()]
                added += [line for line in new_lines[b0:b1] if line.strip()]
        changes.append((item.title, removed, added))
    changes += [(title, [i for i in item.text.split("\n") if i.strip()], []) for title, item in old_items.items()]
    return changes
