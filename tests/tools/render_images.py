"""Renders the pictures of the printed issues in README.md and the guides from the demo desk:

    .venv/bin/python tests/tools/render_images.py

- 内参2026年第1期 (秘密, 份号000001 for 市委书记; a two-line title): the PDF's first and last
  pages, and the first page of the same issue's Word file as LibreOffice prints it;
- 汇要2026年第1期: the page of its two-line title (broken at the author's space, words whole);
- the site's 统计 page of November 2026 (the ranking chart and the top of its table), as headless
  Chromium shows it (`render_images.py statistics` draws this one alone).

Real builds (Typst, pandoc, python-docx, LibreOffice, mkdocs), pages drawn with poppler's pdftoppm
and Chromium (through playwright, with every request outside the local site refused)."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "images"


def png(pdf: Path, page: int, name: str) -> None:
    base = OUT / name
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(base)],
        check=True,
    )
    print(f"{base.relative_to(ROOT)}.png")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def statistics_page() -> None:
    """The full site built from the demo desk, its 统计 page for 2026-11 photographed in Chromium."""
    import functools
    import os
    import threading

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("没有找到chromium：请先运行make test（会安装chromium）")
    with tempfile.TemporaryDirectory(prefix="bulletin-images-") as tmp:
        site = Path(tmp) / "site"
        mkdocs = Path(sys.executable).with_name("mkdocs")
        subprocess.run(
            [str(mkdocs), "build", "--strict", "-q", "--site-dir", str(site)],
            cwd=ROOT,
            check=True,
            env={**os.environ, "BULLETIN_AUDIENCE": "all"},
        )
        handler = functools.partial(_Quiet, directory=str(site))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        local = f"http://127.0.0.1:{httpd.server_address[1]}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
                page = browser.new_page(viewport={"width": 1100, "height": 1500}, locale="zh-CN")
                page.route(
                    "**/*", lambda route: route.continue_() if route.request.url.startswith(local) else route.abort()
                )
                page.goto(f"{local}/statistics/2026-11/", wait_until="networkidle")
                page.screenshot(path=str(OUT / "statistics.png"))
                browser.close()
        finally:
            httpd.shutdown()
    print(f"{(OUT / 'statistics.png').relative_to(ROOT)}")


def main() -> int:
    sys.path.insert(0, str(ROOT / "scripts"))
    statistics_page()
    if sys.argv[1:] == ["statistics"]:
        return 0
    import pymupdf

    from bulletin.desk.config import load_config
    from bulletin.desk.issues import read_issue
    from bulletin.editorial.copies import copy_number_for
    from bulletin.publish.docx import DocxBuilder
    from bulletin.publish.pdf import PdfBuilder

    config = load_config(ROOT)
    secret_rel, plain_rel = "issues/neican/2026/001.md", "issues/huiyao/2026/001.md"
    secret, plain = read_issue(ROOT / secret_rel, secret_rel), read_issue(ROOT / plain_rel, plain_rel)
    number = copy_number_for(config, secret, "市委书记")
    with tempfile.TemporaryDirectory(prefix="bulletin-images-") as tmp:
        work = Path(tmp)
        with PdfBuilder(config, cache_dir=work / "cache") as builder:
            builder.build_many([(secret, work / "secret.pdf", number), (plain, work / "plain.pdf", None)])
        pages = len(pymupdf.open(work / "secret.pdf"))
        png(work / "secret.pdf", 1, "pdf-secret-page1")
        png(work / "secret.pdf", pages, "pdf-secret-last")
        two_lines = next(
            n for n, page in enumerate(pymupdf.open(work / "plain.pdf"), 1) if "彭泽县腾退" in page.get_text()
        )
        png(work / "plain.pdf", two_lines, "pdf-two-line-title")
        DocxBuilder(config, work / "docx-cache").build(secret, work / "secret.docx", number)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            print("没有LibreOffice（soffice），未画Word文件：请先运行make test（会安装libreoffice-writer）")
            return 1
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(work / "lo"), str(work / "secret.docx")],
            check=True,
            capture_output=True,
            env={"HOME": str(work), "PATH": "/usr/bin:/bin"},
        )
        png(work / "lo" / "secret.pdf", 1, "docx-secret-page1")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
