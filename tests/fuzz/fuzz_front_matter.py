"""Fuzz target for the front-matter parser: bytes in, findings out, never an exception.

With atheris (pip install atheris; wheels for Linux x86-64):

    .venv/bin/python tests/fuzz/fuzz_front_matter.py -atheris_runs=100000

Without it, tests/test_hostile.py runs the same `one_input` under hypothesis in every test run.
What it checks, for any bytes: reading a submission (`bulletin.desk.read.parse_item`) and an issue
(`bulletin.desk.issues.parse_issue`) either succeeds or explains itself with findings of registered
rules, in Chinese, on a line of the file; and `load_yaml` refuses only with a YamlProblem.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bulletin.core.model import Item
from bulletin.desk.issues import IssueProblems, parse_issue
from bulletin.desk.read import DecodeProblem, YamlProblem, decode, load_yaml, parse_item, split_front_matter
from bulletin.rules import RULES

_HAN = re.compile(r"[\u4e00-\u9fff]")
ISSUE_RULES = {"issue-format"}


def one_input(data: bytes) -> None:
    """One run of the target: raises AssertionError (a bug) or returns."""
    item, findings = parse_item(data, Item("submissions/x/2026/x.md", Path("x.md"), ""), [])
    assert item.front_matter_ok or findings, "refused without a finding"
    lines = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1  # as decode counts them
    for finding in findings:
        assert finding.rule in RULES, finding
        assert finding.severity is RULES[finding.rule].severity, finding
        assert _HAN.search(finding.message), finding
        assert finding.line is None or 1 <= finding.line <= lines, (finding, lines)
    if item.front_matter_ok:
        assert all(isinstance(key, str) for key in item.fields)
    try:
        text = decode(data).text
    except DecodeProblem as exc:
        assert _HAN.search(exc.message)
        return
    parts = split_front_matter(text)
    if parts is not None:
        try:
            load_yaml(parts[0], max_nodes=2000)
        except YamlProblem as exc:
            assert _HAN.search(exc.message), exc.message
    try:
        parse_issue(text, "issues/huiyao/2026/001.md", "001.md")
    except IssueProblems as exc:
        assert exc.findings
        for finding in exc.findings:
            assert finding.rule in ISSUE_RULES and _HAN.search(finding.message), finding


def main() -> None:
    try:
        import atheris
    except ImportError:
        sys.exit(
            "没有安装 atheris：请运行 .venv/bin/pip install atheris（Linux x86-64），或运行 pytest tests/test_hostile.py"
        )
    atheris.instrument_all()  # coverage guidance over the desk's code and the parsers it calls
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
