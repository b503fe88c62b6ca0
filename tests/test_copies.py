"""Issue 13, finding 4: 份号 on 秘密/机密 issues (GB/T 9704-2012 7.2.1: six digits, top left on the
first line, above the 密级) and the register of which numbered copy went to whom.

Real desks in temporary folders, the real `bulletin` command, real PDFs read back with
`pdftotext -bbox` (poppler), a real site build."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bulletin.core.timing import BEIJING
from bulletin.desk.config import load_config
from bulletin.editorial import copies
from desk_helpers import REPO, make_desk, run_cli

MM = 72 / 25.4
TOP, INNER = 37 * MM, 28 * MM
SIX_DIGITS = re.compile(r"^\d{6}$")
SECRET = "issues/neican/2026/001.md"
REGISTER = "records/copies/2026/neican-001.md"
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def words(pdf: Path, page: int = 1) -> list[tuple[float, float, float, float, str]]:
    """The words of a page with their boxes, as poppler's pdftotext reads them."""
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in WORD.findall(out)]


def top_left(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """The words on page 1 that start at the type area's left edge, in its first lines, top down."""
    found = [w for w in words(pdf) if abs(w[0] - INNER) < 1 and w[1] < TOP + 3 * 29]
    return sorted(found, key=lambda w: w[1])


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    root = make_desk(tmp_path / "desk")
    for rel in (SECRET, "issues/huiyao/2026/001.md"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, root / rel)
    return root


def register(desk: Path, issue: str = "neican/2026/001", *more: str) -> subprocess.CompletedProcess[str]:
    done = run_cli("copies", issue, "--register", "--time", "2026-11-20 16:00", *more, cwd=desk)
    return done


def test_a_secret_issue_prints_its_copy_number_top_left_above_the_secrecy_mark(desk: Path) -> None:
    done = register(desk, "neican/2026/001", "--pdf", "out")
    assert done.returncode == 0, done.stderr
    pdfs = sorted((desk / "out" / "neican" / "2026").glob("001-份号*.pdf"))
    assert pdfs, done.stdout
    for pdf in pdfs:
        number = pdf.stem.split("份号")[1]
        lines = top_left(pdf)
        assert [w[4] for w in lines[:2]] == [number, "秘密★1年"], lines  # first line: 份号; then the 密级
        x0, y0, _, y1, _ = lines[0]
        assert SIX_DIGITS.match(number)
        assert x0 == pytest.approx(INNER, abs=1)  # flush with the type area's left edge (顶格)
        assert y0 == pytest.approx(TOP, abs=3)  # on the first line of the type area
        assert y1 - y0 == pytest.approx(16, abs=1)  # 3号 (16 pt)
        assert lines[1][1] > y1  # the 密级 below it
    assert f"已生成{pdfs[0]}" in done.stdout


def test_two_recipients_get_two_numbers_and_each_pdf_its_own(desk: Path) -> None:
    assert register(desk).returncode == 0
    config = load_config(desk)
    issue = copies.find_issue(config, "neican/2026/001")
    first = copies.copy_number_for(config, issue, "市委书记")
    second = copies.copy_number_for(config, issue, "市委副书记、市长")
    assert first and second and first != second
    assert SIX_DIGITS.match(first) and SIX_DIGITS.match(second)
    # the publication gives 市委常委 nine copies (copies_per_recipient), each its own number
    kept = copies.load_register(config, issue)
    standing = [c.label for c in kept.copies if c.recipient.name == "市委常委"]
    assert len(standing) == 9 and len(set(standing)) == 9
    numbers = [c.number for c in kept.copies]
    assert numbers == list(range(1, len(numbers) + 1))  # 000001, 000002, … with no gap
    done = run_cli("copies", "neican/2026/001", "--pdf", "out", cwd=desk)
    assert done.returncode == 0, done.stderr
    for label in (first, second):
        assert top_left(desk / "out" / "neican" / "2026" / f"001-份号{label}.pdf")[0][4] == label


def test_the_register_survives_reruns_and_a_new_recipient_gets_the_next_number(desk: Path) -> None:
    assert register(desk).returncode == 0
    path = desk / REGISTER
    before = path.read_bytes()
    again = run_cli("copies", "neican/2026/001", "--register", "--time", "2026-11-21 09:00", cwd=desk)
    assert again.returncode == 0, again.stderr
    assert path.read_bytes() == before  # nothing renumbered, nothing re-dated
    assert "未改动" in again.stdout
    config = load_config(desk)
    issue = copies.find_issue(config, "neican/2026/001")
    old = {(c.label, c.recipient.name) for c in copies.load_register(config, issue).copies}
    last = max(int(label) for label, _ in old)
    # the issue's 送 list changes: 市委书记 struck, 市委秘书长 added
    text = (desk / SECRET).read_text(encoding="utf-8")
    (desk / SECRET).write_text(
        text.replace("送: [市委书记，市委副书记、市长，市委常委]", "送: [市委副书记、市长，市委常委，市委秘书长]"),
        encoding="utf-8",
    )
    done = run_cli("copies", "neican/2026/001", "--register", "--by", "王芳", "--time", "2026-11-22 10:00", cwd=desk)
    assert done.returncode == 0, done.stderr
    issue = copies.find_issue(config, "neican/2026/001")
    now = copies.load_register(config, issue).copies
    assert old <= {(c.label, c.recipient.name) for c in now}  # every copy keeps its number, 市委书记's too
    added = [c for c in now if c.recipient.name == "市委秘书长"]
    assert [c.number for c in added] == [last + 1]
    assert added[0].by == "王芳" and added[0].at == dt.datetime(2026, 11, 22, 10, 0, tzinfo=BEIJING)
    assert "已登记1份" in done.stdout


def test_the_register_is_listed_in_chinese_and_as_json(desk: Path) -> None:
    assert register(desk).returncode == 0
    done = run_cli("copies", "neican/2026/001", cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "000001　市委书记（送）　2026-11-20 16:00　经办人李静" in done.stdout
    assert "市领导（站点，读者范围leaders）" in done.stdout
    assert "印数30份" in done.stdout
    data = json.loads(run_cli("copies", "neican/2026/001", "--format", "json", cwd=desk).stdout)
    assert data["issue"] == "neican/2026/001" and data["level"] == "秘密" and data["pending"] == []
    assert data["copies"][0] == {
        "number": "000001",
        "recipient": "市委书记",
        "kind": "送",
        "audience": None,
        "registered_at": "2026-11-20T16:00+08:00",
        "by": "李静",
    }
    audiences = {c["audience"]: c["number"] for c in data["copies"] if c["kind"] == "站点"}
    assert set(audiences) == {"leaders", "office", "all"}  # counties and departments do not read 秘密
    overview = run_cli("copies", cwd=desk)
    assert "neican/2026/001（秘密，2026-11-20）：已登记" in overview.stdout and "huiyao" not in overview.stdout


def test_an_unclassified_issue_gets_no_copy_number(desk: Path) -> None:
    done = register(desk, "huiyao/2026/001")
    assert done.returncode == 2
    assert "本期密级为内部，不编份号" in done.stderr and "Traceback" not in done.stderr
    assert not (desk / "records").exists()
    config = load_config(desk)
    issue = copies.find_issue(config, "huiyao/2026/001")
    assert copies.copy_number_for(config, issue, "省委办公厅") is None
    assert copies.recipients(config, issue) and not copies.numbered(copies.issue_level(config, issue))
    from bulletin.publish.pdf import PdfBuilder

    out = desk / "huiyao.pdf"
    PdfBuilder(config, desk / "cache").build(issue, out)
    first = top_left(out)
    assert first and first[0][4].startswith("内部资料")  # the first line is the 内部 mark, no number
    assert not any(SIX_DIGITS.match(w[4]) for w in words(out))


def test_copies_beyond_the_print_run_are_refused(desk: Path) -> None:
    text = (desk / SECRET).read_text(encoding="utf-8")
    (desk / SECRET).write_text(text.replace("印数: 30", "印数: 5"), encoding="utf-8")
    done = register(desk)
    assert done.returncode == 1
    assert "超过印数5份" in done.stderr and "“印数”改为至少14" in done.stderr
    assert not (desk / REGISTER).exists()


def test_a_damaged_register_names_the_file_and_the_line(desk: Path) -> None:
    assert register(desk).returncode == 0
    path = desk / REGISTER
    path.write_text(path.read_text(encoding="utf-8").replace('份号: "000002"', '份号: "000001"', 1), encoding="utf-8")
    done = run_cli("copies", "neican/2026/001", cwd=desk)
    assert done.returncode == 1
    assert f"{REGISTER}第3行：份号000001登记了两次" in done.stderr and "Traceback" not in done.stderr


def test_each_audience_site_carries_its_own_numbered_copy(tmp_path: Path) -> None:
    """A real `bulletin build` for two audiences: each site's PDF of the 秘密 issue carries the
    number registered for that audience, and the office's site lists the register."""
    desk = make_desk(tmp_path / "desk")
    shutil.copy(REPO / "mkdocs.yml", desk / "mkdocs.yml")
    shutil.copytree(REPO / "docs", desk / "docs", ignore=shutil.ignore_patterns("images"))
    for rel in (SECRET, "issues/huiyao/2026/001.md"):
        (desk / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, desk / rel)
    assert register(desk).returncode == 0
    config = load_config(desk)
    issue = copies.find_issue(config, "neican/2026/001")
    expected = {a: copies.copy_number_for(config, issue, a) for a in ("leaders", "office")}
    assert expected["leaders"] != expected["office"]
    for audience, number in expected.items():
        done = run_cli("build", "--audience", audience, "--site-dir", str(tmp_path / "site"), cwd=desk)
        site = tmp_path / "site" / audience
        assert done.returncode == 0, done.stderr[-3000:]
        pdf = site / "pdf" / "neican" / "2026" / "001.pdf"
        assert [w[4] for w in top_left(pdf)[:2]] == [number, "秘密★1年"], audience
        manifest = json.loads((site / "pdf" / "manifest.json").read_text(encoding="utf-8"))
        entries = {e["pdf"]: e for e in manifest["pdfs"]}
        assert entries["pdf/neican/2026/001.pdf"]["copy_number"] == number
        assert entries["pdf/huiyao/2026/001.pdf"]["copy_number"] is None
        assert not any(SIX_DIGITS.match(w[4]) for w in words(site / "pdf" / "huiyao" / "2026" / "001.pdf"))
        page = (site / "publications" / "copies" / "index.html").read_text(encoding="utf-8")
        assert "份号登记" in page and f"<td>{number}</td>" in page and "市委书记" in page


def test_issue_check_refuses_a_secret_issue_whose_copies_are_not_numbered(desk: Path) -> None:
    """A 秘密 issue is merged only with its register: `bulletin issue check` names the copies still
    without a number and the command that numbers them; once registered, the finding is gone."""
    from bulletin.editorial.assemble import check_issues

    def copies_findings() -> list[str]:
        found = check_issues(load_config(desk), lambda source: True)
        return [f.message for f in found if f.rule == "issue-copies" and f.path == SECRET]

    missing = copies_findings()
    assert len(missing) == 1 and "bulletin copies neican/2026/001 --register" in missing[0], missing
    assert "没有编份号" in missing[0] and REGISTER in missing[0]
    assert register(desk).returncode == 0
    assert copies_findings() == []
    unclassified = check_issues(load_config(desk), lambda source: True)
    assert not [f for f in unclassified if f.rule == "issue-copies"]
