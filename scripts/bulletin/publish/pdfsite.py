"""The PDF step of a site build: every issue, and every earlier revision of a corrected one.

PDFs are built into a store that outlives site builds (`build/pdf/`), where the builder's
content hashes decide what needs rebuilding, then linked or copied into the site.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from tqdm import tqdm

from bulletin.model import Issue
from bulletin.publish.pages import Desk, pdf_path
from bulletin.publish.pdf import PdfBuilder

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
    """Build what changed, place every PDF in the site; returns (rebuilt, reused)."""
    store = store or desk.config.root / "build" / "pdf"
    jobs = _jobs(desk, store)
    built = kept = 0
    show = sys.stderr.isatty() and len(jobs) > BATCH
    with PdfBuilder(desk.config) as builder, tqdm(total=len(jobs), desc="生成PDF", unit="期", disable=not show) as bar:
        for start in range(0, len(jobs), BATCH):
            batch = jobs[start : start + BATCH]
            for result in builder.build_many([(issue, out) for issue, out, _ in batch]):
                built += result.built
                kept += not result.built
            bar.update(len(batch))
    for _, out, rel in jobs:
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        try:
            os.link(out, target)  # same file system: no copy
        except OSError:
            shutil.copy2(out, target)
    return built, kept
