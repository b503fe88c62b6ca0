"""`bulletin verify`: main's history, the receipts and the published site, on real repositories."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from desk_helpers import REPO, git, make_desk, run_cli


def desk_repo(target: Path, with_site: bool = False) -> Path:
    """The demo desk in a fresh repository, judged from its first commit (no `verify.since`)."""
    desk = make_desk(target)
    config = (desk / "bulletin.yml").read_text(encoding="utf-8")
    (desk / "bulletin.yml").write_text(re.sub(r"\nverify:\n  since: [^\n]*\n", "\n", config), encoding="utf-8")
    names = ["issues", "receipts"] + (["docs"] if with_site else [])
    for name in names:
        shutil.copytree(REPO / name, desk / name)
    if with_site:
        shutil.copy(REPO / "mkdocs.yml", desk / "mkdocs.yml")
        (desk / ".gitignore").write_text("site/\nbuild/\n", encoding="utf-8")
    git(desk, "init", "-q", "-b", "main")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Desk")
    return desk


def commit(desk: Path, message: str) -> None:
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", message)


def verify(desk: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    done = run_cli("verify", "--format", "json", *args, cwd=desk)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)["findings"]


def rules(findings: list[dict[str, object]]) -> list[tuple[object, object]]:
    return sorted((f["rule"], f["path"]) for f in findings)


def test_the_demo_desk_verifies_clean() -> None:
    done = run_cli("verify", cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "全部符合要求" in done.stdout


def test_history_a_changed_submission_and_an_issue_changed_without_a_correction(tmp_path: Path) -> None:
    desk = desk_repo(tmp_path / "desk")
    assert verify(desk) == (0, [])
    item = desk / "submissions/xiushui/2026/1103-01.md"
    item.write_text(item.read_text(encoding="utf-8").replace("。", "，", 1), encoding="utf-8")
    issue = desk / "issues/huiyao/2026/002.md"
    issue.write_text(issue.read_text(encoding="utf-8") + "\n补一句。\n", encoding="utf-8")
    (desk / "submissions/hukou/2026/1102-01.md").unlink()
    commit(desk, "Quietly edit the record")
    code, findings = verify(desk)
    assert code == 1
    assert rules(findings) == [
        ("verify-issue", "issues/huiyao/2026/002.md"),
        ("verify-submission", "submissions/hukou/2026/1102-01.md"),
        ("verify-submission", "submissions/xiushui/2026/1103-01.md"),
    ]
    messages = {f["path"]: str(f["message"]) for f in findings}
    assert "合入主分支后被修改" in messages["submissions/xiushui/2026/1103-01.md"]
    assert "合入主分支后被删除" in messages["submissions/hukou/2026/1102-01.md"]
    assert "不是更正" in messages["issues/huiyao/2026/002.md"] and "修订" in messages["issues/huiyao/2026/002.md"]


def test_history_a_correction_is_not_a_problem(tmp_path: Path) -> None:
    desk = desk_repo(tmp_path / "desk")
    issue = desk / "issues/huiyao/2026/002.md"
    text = issue.read_text(encoding="utf-8")
    assert "修订:" not in text
    head, rest = text.split("\n", 1)
    issue.write_text(f"{head}\n修订: 2\n修订说明: 更正一处数字\n{rest}", encoding="utf-8")
    commit(desk, "Correct huiyao 2026/2")
    assert verify(desk) == (0, [])


def test_receipts_may_only_grow_and_every_submission_needs_one(tmp_path: Path) -> None:
    desk = desk_repo(tmp_path / "desk")
    imported = desk / "receipts/imported.tsv"
    lines = imported.read_text(encoding="utf-8").splitlines(keepends=True)
    victim = next(line for line in lines if line.startswith("submissions/"))
    imported.write_text("".join(line for line in lines if line != victim), encoding="utf-8")
    commit(desk, "Drop a receipt")
    code, findings = verify(desk)
    lost = victim.split("\t", 1)[0]
    assert code == 1
    assert rules(findings) == [("verify-receipt-missing", lost), ("verify-receipts", "receipts/imported.tsv")]
    assert "只能追加" in str(next(f["message"] for f in findings if f["rule"] == "verify-receipts"))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    desk = desk_repo(tmp_path_factory.mktemp("verify") / "desk", with_site=True)
    done = run_cli("build", "--every-audience", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    return desk


def test_a_fresh_site_verifies(published: Path) -> None:
    assert verify(published, "--site", "site") == (0, [])


def test_a_replaced_pdf_and_a_pdf_beyond_the_audience_are_found(published: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(published / "site", site)
    with open(site / "counties/pdf/huiyao/2026/003.pdf", "ab") as f:
        f.write(b"%tampered\n")
    # a 内参 PDF slipped into the county site, and into its publication record
    smuggled = site / "counties/pdf/neican/2026/002.pdf"
    smuggled.parent.mkdir(parents=True)
    shutil.copy(site / "leaders/pdf/neican/2026/002.pdf", smuggled)
    manifest = site / "counties/pdf/manifest.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    leaders = json.loads((site / "leaders/pdf/manifest.json").read_text(encoding="utf-8"))
    record["pdfs"] += [e for e in leaders["pdfs"] if e["pdf"] == "pdf/neican/2026/002.pdf"]
    manifest.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (site / "office/pdf/stray.pdf").write_bytes(b"%PDF-1.4\n")
    code, findings = verify(published, "--site", str(site))
    assert code == 1
    assert rules(findings) == [
        ("verify-pdf", "counties/pdf/huiyao/2026/003.pdf"),
        ("verify-pdf", "counties/pdf/neican/2026/002.pdf"),
        ("verify-pdf", "office/pdf/stray.pdf"),
    ]
    messages = " ".join(str(f["message"]) for f in findings)
    assert "与发布时记录的不同" in messages and "不属于读者范围" in messages and "来历不明" in messages


def _keep_records(site: Path, kept: Path) -> None:
    """What the publish workflow saves as its artifact: every pdf/manifest.json, in its folder."""
    for manifest in site.rglob("pdf/manifest.json"):
        target = kept / manifest.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(manifest, target)


def test_a_pdf_swapped_together_with_its_record_is_found_only_against_the_kept_record(
    published: Path, tmp_path: Path
) -> None:
    site, kept = tmp_path / "site", tmp_path / "publication-record"
    shutil.copytree(published / "site", site)
    _keep_records(site, kept)
    assert verify(published, "--site", str(site), "--record", str(kept)) == (0, [])
    # who can write the web root replaces a PDF and rewrites its hash in the site's record
    pdf = site / "counties/pdf/huiyao/2026/003.pdf"
    with open(pdf, "ab") as f:
        f.write(b"%tampered\n")
    manifest = site / "counties/pdf/manifest.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in record["pdfs"]:
        if entry["pdf"] == "pdf/huiyao/2026/003.pdf":
            entry["pdf_sha256"] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert verify(published, "--site", str(site)) == (0, [])  # the site alone cannot tell
    code, findings = verify(published, "--site", str(site), "--record", str(kept))
    assert code == 1
    assert rules(findings) == [
        ("verify-pdf", "counties/pdf/huiyao/2026/003.pdf"),
        ("verify-pdf", "counties/pdf/manifest.json"),
    ]
    # a whole audience's site taken down is found as well
    shutil.rmtree(site / "departments")
    code, findings = verify(published, "--site", str(site), "--record", str(kept))
    assert ("verify-pdf", "departments/pdf/manifest.json") in rules(findings)


def test_record_is_only_with_a_site(published: Path) -> None:
    done = run_cli("verify", "--record", "site", cwd=published)
    assert done.returncode == 2 and "“--record”须与“--site”一起用" in done.stderr


def test_a_site_not_rebuilt_after_a_correction_is_found(published: Path) -> None:
    issue = published / "issues/huiyao/2026/002.md"
    original = issue.read_text(encoding="utf-8")
    head, rest = original.split("\n", 1)
    issue.write_text(f"{head}\n修订: 2\n修订说明: 更正标题\n{rest}".replace("。", "；", 1), encoding="utf-8")
    try:
        commit(published, "Correct huiyao 2026/2")
        code, findings = verify(published, "--site", "site")
        assert code == 1
        assert {f["rule"] for f in findings} == {"verify-pdf"}
        paths = {str(f["path"]) for f in findings}
        assert {f"{a}/pdf/huiyao/2026/002.pdf" for a in ("leaders", "office", "counties", "departments")} <= paths
        assert "不是由这一期当前的内容生成的" in " ".join(str(f["message"]) for f in findings)
    finally:
        git(published, "reset", "-q", "--hard", "HEAD~1")
