"""The rule registry: every check the desk makes, with a stable id, a severity and a guide.

Adding a rule = `define()` its metadata (with a wrong and a right example for the guide)
and, in a family module, a `@check` function that calls `ctx.emit(rule_id, line, message)`.
Rules never print; printers never judge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from bulletin.core.model import Config, Finding, Item, Severity


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # short Chinese name
    severity: Severity
    family: str  # the guide's section
    summary: str  # one line, Chinese
    wrong: str  # an example that breaks the rule
    right: str  # the same example, corrected
    fixable: bool = False  # `bulletin fix` can correct it


RULES: dict[str, Rule] = {}
FAMILIES = {
    "file": "文件与格式",
    "fields": "头部信息",
    "secrecy": "密级与保密期限",
    "title": "标题",
    "body": "正文结构",
    "length": "篇幅",
    "typography": "标点与数字",
    "deadline": "时限",
    "identity": "账号与权限",
    "issues": "刊物文件",
    "registers": "登记文件",
    "verify": "发布核查",
}


def define(
    rule_id: str,
    name: str,
    severity: Severity,
    family: str,
    summary: str,
    wrong: str,
    right: str,
    fixable: bool = False,
) -> None:
    if rule_id in RULES:
        raise ValueError(f"rule {rule_id} defined twice")
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family}")
    RULES[rule_id] = Rule(rule_id, name, severity, family, summary, wrong.strip("\n"), right.strip("\n"), fixable)


@dataclass(frozen=True)
class Location:
    """Where a file lies under submissions/: its unit folder, year folder and item id."""

    unit_id: str
    year: str
    stem: str

    @property
    def item_id(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.stem}"


@dataclass
class Context:
    config: Config
    received_at: dt.datetime  # when the item counts as received, unless `receipt` finds otherwise
    location: Location | None
    findings: list[Finding] = field(default_factory=list)
    item: Item | None = None
    # the server's receipt time of the item, looked up only if a rule asks (few items have a time
    # that makes the receipt matter, and the lookup reads git notes)
    receipt: Callable[[], dt.datetime | None] | None = None

    def received(self) -> dt.datetime:
        if self.receipt is not None:
            found, self.receipt = self.receipt(), None
            if found is not None:
                self.received_at = found
        return self.received_at

    def emit(self, rule_id: str, line: int | None, message: str) -> None:
        rule = RULES[rule_id]
        assert self.item is not None
        self.findings.append(Finding(self.item.path, line, rule_id, rule.severity, message))


CheckFn = Callable[[Item, Context], None]
CHECKS: list[CheckFn] = []


def check(func: CheckFn) -> CheckFn:
    CHECKS.append(func)
    return func


def run_checks(item: Item, ctx: Context) -> list[Finding]:
    """Run every registered check on an item whose front matter could be read."""
    ctx.item = item
    for func in CHECKS:
        func(item, ctx)
    return ctx.findings


def _load_families() -> None:
    from bulletin.rules import (  # noqa: F401  (registration by import)
        body,
        deadline,
        editorial,
        events,
        files,
        glyphs,
        header,
        identity,
        length,
        secrecy,
        title,
        typography,
    )


_load_families()
