"""The PDF step of a site build: every issue, and every earlier revision of a corrected one; and
each issue's Word file (.docx, the current revision), beside its PDF.

PDFs and Word files are built into stores that outlive site builds (`build/pdf/`, `build/docx/`),
where the builders' content hashes decide what needs rebuilding, then linked or copied into the
site. The publication record (pdf/manifest.json) lists both.

A 秘密 or 机密 issue is a numbered copy on every site: the audience's own copy, with the 份号
the register gives that audience (bulletin.editorial.copies; `bulletin copies <期> --register`
numbers it), on its PDF and its Word file. The store keeps each audience's copy apart
(`<issue>-份号000004.pdf`). An issue whose register has no copy for the audience yet is published
without a number, and the build says so (register the copies before the issue is merged).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
from pathlib import Path

from tqdm import tqdm

from bulletin.core.model import Config, Issue
from bulletin.core.timing import now
from bulletin.editorial.copies import numbered, site_copy
from bulletin.publish.audience import Scope
from bulletin.publish.docx import DocxBuilder
from bulletin.publish.pages import Desk, docx_path, issue_marks, pdf_path
from bulletin.publish.pdf import PdfBuilder

log = logging.getLogger("mkdocs.plugins.bulletin")

MANIFEST = "manifest.json"  # the publication record, in the site's pdf/ folder

BATCH = 8  # issues per progress step: large enough to keep both cores busy
SHOW_PROGRESS = True  # a bar for many PDFs on a terminal; `bulletin build` has its own (one bar for the build)


def _copy_number(desk: Desk, issue: Issue) -> str | None:
    """份号 of this site's copy of `issue` (None: the issue carries none, or none is registered yet)."""
    level = issue_marks(desk, issue)[0]
    number = site_copy(desk.config, issue, desk.audience_id, level)
    if number is None and numbered(level):
        log.info(
            f"{issue.path}：{level}刊物在本站点（读者范围{desk.audience_id}）的一份尚未登记份号，PDF不印份号："
            f"请运行“bulletin copies {issue.id} --register”并提交登记文件"
        )
    return number


def _jobs(desk: Desk, store: Path) -> list[tuple[Issue, Path, str, str | None]]:
    """(issue, PDF in the store, path in the site, 份号 of this site's copy or None)."""
    jobs = []
    for issue in desk.issues:
        number = _copy_number(desk, issue)
        copy = f"-份号{number}" if number else ""
        jobs.append((issue, store / f"{issue.id}{copy}.pdf", pdf_path(issue), number))
        for revision in desk.revisions.get(issue.id, [])[:-1]:
            out = store / f"{issue.id}-r{revision.number}{copy}.pdf"
            jobs.append((revision.issue, out, pdf_path(issue, revision.number), number))
    return jobs


def publish_pdfs(desk: Desk, site_dir: Path, store: Path | None = None, word: bool = True) -> tuple[int, int]:
    """Build what changed, place every PDF and Word file in the site with the publication record
    (pdf/manifest.json: each file's SHA-256 and the hash of the inputs it was built from,
    which `bulletin verify` checks); returns (PDFs rebuilt, PDFs reused). `word` False: the PDFs
    alone (the benchmark's PDF rows; a site always has its Word files)."""
    store = store or desk.config.root / "build" / "pdf"
    jobs = _jobs(desk, store)
    built = kept = 0
    digests: dict[str, str] = {}
    show = SHOW_PROGRESS and sys.stderr.isatty() and len(jobs) > BATCH
    with PdfBuilder(desk.config) as builder, tqdm(total=len(jobs), desc="生成PDF", unit="期", disable=not show) as bar:
        for start in range(0, len(jobs), BATCH):
            batch = jobs[start : start + BATCH]
            built_batch = builder.build_many([(i, out, number) for i, out, _, number in batch])
            for (_, _, rel, _), result in zip(batch, built_batch, strict=True):
                built += result.built
                kept += not result.built
                digests[rel] = result.digest
            bar.update(len(batch))
    entries = []
    for issue, out, rel, number in jobs:
        target = _place(out, site_dir / rel)
        entries.append(
            {
                "issue": issue.id,
                "revision": issue.revision,
                "source": issue.path,
                "pdf": rel,
                "pdf_sha256": sha256_of(target),
                "inputs": digests[rel],
                "copy_number": number,  # 份号 of this site's copy (None: the issue carries none)
            }
        )
    words = []
    docx_store = (store.parent if store else desk.config.root / "build") / "docx"
    numbers = {issue.id: number for issue, _, _, number in jobs if number}
    docx_jobs = _docx_jobs(desk, docx_store, numbers) if word else []
    made = DocxBuilder(desk.config).build_many([(issue, out) for issue, out, _ in docx_jobs], copy_numbers=numbers)
    for (issue, out, rel), done in zip(docx_jobs, made, strict=True):
        target = _place(out, site_dir / rel)
        words.append(
            {
                "issue": issue.id,
                "revision": issue.revision,
                "source": issue.path,
                "docx": rel,
                "docx_sha256": sha256_of(target),
                "inputs": done.digest,
            }
        )
    record = {
        "desk": desk.config.desk,
        "audience": desk.audience_id,
        "year": desk.year,
        "published_at": now().isoformat(timespec="seconds"),
        "pdfs": entries,
        "docx": words,
    }
    manifest = site_dir / "pdf" / MANIFEST
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return built, kept


def _docx_jobs(desk: Desk, store: Path, numbers: dict[str, str]) -> list[tuple[Issue, Path, str]]:
    """Each issue's Word file (the current revision only: earlier ones keep their PDFs); a numbered
    copy apart in the store, as its PDF."""
    jobs = []
    for issue in desk.issues:
        copy = f"-份号{numbers[issue.id]}" if issue.id in numbers else ""
        jobs.append((issue, store / f"{issue.id}{copy}.docx", docx_path(issue)))
    return jobs


def _place(out: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(out, target)  # same file system: no copy
    except OSError:
        shutil.copy2(out, target)
    return target


def expected_docx(config: Config, scope: Scope, year: int | None) -> dict[str, str]:
    """The Word files a site for `scope` (and year volume) must hold: site path -> hash of its inputs now."""
    from bulletin.publish.generate import load_desk

    desk = load_desk(config.root, scope, year)
    builder = DocxBuilder(config)
    numbers = {issue.id: number for issue in desk.issues if (number := _copy_number(desk, issue))}
    return {
        rel: builder.input_digest(issue, numbers.get(issue.id))
        for issue, _, rel in _docx_jobs(desk, config.root / "build" / "docx", numbers)
    }


def expected_pdfs(config: Config, scope: Scope, year: int | None, store: Path | None = None) -> dict[str, str]:
    """The PDFs a site for `scope` (and year volume) must hold: site path -> hash of its inputs now."""
    from bulletin.publish.generate import load_desk

    desk = load_desk(config.root, scope, year)
    jobs = _jobs(desk, store or config.root / "build" / "pdf")
    with PdfBuilder(config) as builder:
        return {rel: builder.input_digest(issue, out, number) for issue, out, rel, number in jobs}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
