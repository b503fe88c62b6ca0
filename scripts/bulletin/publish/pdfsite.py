"""The PDF step of a site build: every issue, and every earlier revision of a corrected one; and
each issue's Word file (.docx, the current revision), beside its PDF.

PDFs and Word files are built into stores that outlive site builds (`build/pdf/`, `build/docx/`),
where the builders' content hashes decide what needs rebuilding, then linked or copied into the
site. The publication record (pdf/manifest.json) lists both.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from tqdm import tqdm

from bulletin.core.model import Config, Issue
from bulletin.core.timing import now
from bulletin.publish.audience import Scope
from bulletin.publish.docx import DocxBuilder
from bulletin.publish.pages import Desk, docx_path, pdf_path
from bulletin.publish.pdf import PdfBuilder

MANIFEST = "manifest.json"  # the publication record, in the site's pdf/ folder

BATCH = 8  # issues per progress step: large enough to keep both cores busy


def _jobs(desk: Desk, store: Path) -> list[tuple[Issue, Path, str]]:
    jobs = []
    for issue in desk.issues:
        jobs.append((issue, store / f"{issue.id}.pdf", pdf_path(issue)))
        for revision in desk.revisions.get(issue.id, [])[:-1]:
            jobs.append(
                (revision.issue, store / f"{issue.id}-r{revision.number}.pdf", pdf_path(issue, revision.number))
            )
    return jobs


def publish_pdfs(desk: Desk, site_dir: Path, store: Path | None = None) -> tuple[int, int]:
    """Build what changed, place every PDF and Word file in the site with the publication record
    (pdf/manifest.json: each file's SHA-256 and the hash of the inputs it was built from,
    which `bulletin verify` checks); returns (PDFs rebuilt, PDFs reused)."""
    store = store or desk.config.root / "build" / "pdf"
    jobs = _jobs(desk, store)
    built = kept = 0
    digests: dict[str, str] = {}
    show = sys.stderr.isatty() and len(jobs) > BATCH
    with PdfBuilder(desk.config) as builder, tqdm(total=len(jobs), desc="生成PDF", unit="期", disable=not show) as bar:
        for start in range(0, len(jobs), BATCH):
            batch = jobs[start : start + BATCH]
            for (_, _, rel), result in zip(batch, builder.build_many([(i, out) for i, out, _ in batch]), strict=True):
                built += result.built
                kept += not result.built
                digests[rel] = result.digest
            bar.update(len(batch))
    entries = []
    for issue, out, rel in jobs:
        target = _place(out, site_dir / rel)
        entries.append(
            {
                "issue": issue.id,
                "revision": issue.revision,
                "source": issue.path,
                "pdf": rel,
                "pdf_sha256": sha256_of(target),
                "inputs": digests[rel],
            }
        )
    words = []
    docx_store = (store.parent if store else desk.config.root / "build") / "docx"
    docx_jobs = _docx_jobs(desk, docx_store)
    made = DocxBuilder(desk.config).build_many([(issue, out) for issue, out, _ in docx_jobs])
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


def _docx_jobs(desk: Desk, store: Path) -> list[tuple[Issue, Path, str]]:
    """Each issue's Word file (the current revision only: earlier ones keep their PDFs)."""
    return [(issue, store / f"{issue.id}.docx", docx_path(issue)) for issue in desk.issues]


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
    from bulletin.publish.plugin import load_desk

    desk = load_desk(config.root, scope, year)
    builder = DocxBuilder(config)
    return {rel: builder.input_digest(issue) for issue, _, rel in _docx_jobs(desk, config.root / "build" / "docx")}


def expected_pdfs(config: Config, scope: Scope, year: int | None, store: Path | None = None) -> dict[str, str]:
    """The PDFs a site for `scope` (and year volume) must hold: site path -> hash of its inputs now."""
    from bulletin.publish.plugin import load_desk

    desk = load_desk(config.root, scope, year)
    jobs = _jobs(desk, store or config.root / "build" / "pdf")
    with PdfBuilder(config) as builder:
        return {rel: builder.input_digest(issue, out) for issue, out, rel in jobs}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
