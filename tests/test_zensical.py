"""Year volumes (年卷) built by Zensical, and deployed side by side as mike deploys the MkDocs ones.

`python -m bulletin.publish.generate --zensical --year N` builds the year volume of an audience into
build/zensical/<audience>/<N>/site/. It must hold what `bulletin build --year N` (MkDocs, BULLETIN_YEAR)
builds for the same audience: the same pages with the same links, the same search index, the same PDFs
and Word files. Deployed side by side (site/<audience>/<year>/, where mike writes its versions), each
volume's links stay inside its own folder, and its header's search box opens its own 搜索 page, which
finds that year's items only (served with the deployed Content-Security-Policy, the network cut off).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from bulletin.core.timing import now
from bulletin.publish.serve import CSP
from desk_helpers import launched_chromium, pagefind_records, run_cli, served_folder
from test_generator import _broken_links, _desk, _pages, header_search

YEARS = (2025, 2026)
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.S)
_SKIP = '<a id="__skip" tabindex="-1"></a>'  # Zensical's own anchor at the top of every page body
_HREF = re.compile(r'\s(?:href|src)="([^"]*)"')
_TAG = re.compile(r"<([a-z][a-z0-9]*)")
# a code block: Zensical highlights it (<div class="highlight"><pre><span>…), mkdocs does not
_CODE = re.compile(r'(<div class="[^"]*highlight[^"]*">\s*)?<pre\b.*?</pre>(\s*</div>)?', re.S)
# the guides: hand-written pages with code blocks in lists, which only Zensical's Markdown reads as code
_GUIDES = "guide/"
_DURATION = re.compile(r"(?:\d+(?:天|小时|分钟))+")


def _generate(desk: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BULLETIN_DEBUG"}
    command = [sys.executable, "-m", "bulletin.publish.generate", *args]
    return subprocess.run(command, cwd=desk, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def volumes(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, Path]]:
    """Each year: (the office's year volume built by `bulletin build --year`, the same built by Zensical)."""
    desk = _desk(tmp_path_factory.mktemp("volumes") / "desk")
    out = {}
    for year in YEARS:
        # the two builds on one day: the pages say 截至<the day>, and a unit without reports for 30 days is
        # listed from that midnight on (_text masks only the minute); built again if midnight came between
        for _ in range(2):
            day = now().date()
            done = run_cli(
                "build", "--audience", "office", "--year", str(year), "--site-dir", f"mkdocs-{year}", cwd=desk
            )
            assert done.returncode == 0, done.stderr[-3000:]
            done = _generate(desk, "--zensical", "--audience", "office", "--year", str(year))
            assert done.returncode == 0, done.stderr[-3000:]
            if now().date() == day:
                break
        site = desk / "build" / "zensical" / "office" / str(year) / "site"
        assert done.stdout.strip().endswith(f"Zensical已构建站点：{site}"), done.stdout
        out[year] = (desk / f"mkdocs-{year}" / "office", site)
    return out


def _article(page: Path) -> str:
    found = _ARTICLE.search(page.read_text(encoding="utf-8"))
    assert found, page
    return _CODE.sub("<pre></pre>", found[1].replace(_SKIP, "", 1))


def _text(html: str) -> str:
    """The words of a page body; what depends on the minute of the build masked (截至…23:34, 已逾期…13小时14分钟).

    A duration is masked whole: its parts that are zero are left out (2天3小时 at the full hour, 2天3小时1分钟
    a minute later), so the two builds, a minute or more apart, may write different parts of it."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return _DURATION.sub("（时长）", re.sub(r"\d{1,2}:\d{2}", "HH:MM", words))


@pytest.mark.parametrize("year", YEARS)
def test_a_zensical_year_volume_holds_the_mkdocs_year_volume(volumes: dict[int, tuple[Path, Path]], year: int) -> None:
    mkdocs_site, zensical_site = volumes[year]
    pages = _pages(mkdocs_site)
    assert _pages(zensical_site) == pages
    assert f"publications/huiyao/{year}/001/" in pages
    assert not [p for p in pages if re.match(rf"publications/[^/]+/(?!{year}/)\d{{4}}/", p)], pages  # this year only
    for address in sorted(pages - {"admin/"}):
        mine, theirs = _article(zensical_site / address / "index.html"), _article(mkdocs_site / address / "index.html")
        # every link of the page body leads where the mkdocs page's does (the PDFs, the form, the units)
        assert _HREF.findall(mine) == _HREF.findall(theirs), address
        if not address.startswith(_GUIDES):
            # the same words and counts, and the same elements: the 报送 page's form with its fields, the
            # 搜索 page's <noscript> (the sanitiser over the whole body took both apart)
            assert _text(mine) == _text(theirs), address
            assert _TAG.findall(mine) == _TAG.findall(theirs), address
    # its own search index: this year's items, with the same records, as the mkdocs volume's
    records = {r["url"]: (r["content"], r["filters"], r["meta"]) for r in pagefind_records(zensical_site)}
    assert records == {r["url"]: (r["content"], r["filters"], r["meta"]) for r in pagefind_records(mkdocs_site)}
    assert {y for _, filters, _ in records.values() for y in filters.get("年份", [])} == {f"{year}年"}
    # its PDFs and Word files, recorded as this year's
    files = {p.relative_to(zensical_site).as_posix() for p in (zensical_site / "pdf").rglob("*") if p.is_file()}
    assert files == {p.relative_to(mkdocs_site).as_posix() for p in (mkdocs_site / "pdf").rglob("*") if p.is_file()}
    assert f"pdf/huiyao/{year}/001.pdf" in files and f"pdf/huiyao/{year}/001.docx" in files
    manifest = json.loads((zensical_site / "pdf" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["audience"], manifest["year"]) == ("office", year)


@pytest.fixture(scope="module")
def deployed(volumes: dict[int, tuple[Path, Path]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Zensical year volumes side by side as deployed: site/office/2025/, site/office/2026/."""
    site = tmp_path_factory.mktemp("deployed") / "site"
    for year, (_, zensical_site) in volumes.items():
        shutil.copytree(zensical_site, site / "office" / str(year))
    return site


def test_year_volumes_side_by_side_keep_their_links_inside_their_own_folder(deployed: Path) -> None:
    """A link that climbs above its volume (a PDF link with one ../ too many) would leave it: at
    /office/2026/ a PDF link went to /office/pdf/… or /pdf/…, which the server refuses."""
    for year in YEARS:
        volume = deployed / "office" / str(year)
        assert _broken_links(volume) == [], year


@pytest.fixture(scope="module")
def server(deployed: Path) -> Iterator[str]:
    with served_folder(deployed, CSP) as address:  # as nginx serves site/: with the deployed policy
        yield address


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


@pytest.mark.parametrize(
    ("year", "issue", "word", "item", "elsewhere"),
    [
        (
            2026,
            "publications/huiyao/2026/004/",
            "都昌县",
            "都昌县提前谋划明年防汛工作",
            "武宁县防汛抢险队伍连夜转移群众",
        ),
        (
            2025,
            "publications/huiyao/2025/001/",
            "武宁县",
            "武宁县防汛抢险队伍连夜转移群众",
            "武宁县石门楼镇山体滑坡处置有序",
        ),
    ],
)
def test_each_deployed_volume_searches_its_own_year_and_serves_its_pdfs(
    chromium: Any, server: str, year: int, issue: str, word: str, item: str, elsewhere: str
) -> None:
    """From an issue page of a volume at /office/<year>/, the header's box opens that volume's 搜索 page,
    which finds the year's item and not the other year's; the issue's PDF and Word links open its files."""
    base = f"{server}/office/{year}"
    found = header_search(chromium, base, issue, word)
    titles = [r["title"] for r in found]
    assert item in titles, found
    assert elsewhere not in titles, found  # the other volume's item: not in this volume's index
    assert all(r["href"].startswith(f"/office/{year}/") for r in found), found
    page = f"{base}/{issue}"
    with urllib.request.urlopen(page, timeout=30) as response:
        html = response.read().decode("utf-8")
    links = re.findall(r'<p class="bulletin-pdf">(.*?)</p>', html, re.S)
    assert links, "本期页面没有PDF下载链接"
    hrefs = re.findall(r'href="([^"]+)"', links[0])
    assert [h.rsplit(".", 1)[-1] for h in hrefs] == ["pdf", "docx"], hrefs
    for href in hrefs:
        url = urljoin(page, href)
        assert url.startswith(f"{base}/pdf/"), url
        with urllib.request.urlopen(url, timeout=30) as response:
            head = response.read(4)
        assert head in (b"%PDF", b"PK\x03\x04"), (url, head)


@pytest.mark.parametrize("year", ["26", "20266", "-2026"])
def test_a_year_that_is_not_four_digits_is_refused(tmp_path: Path, year: str) -> None:
    """As BULLETIN_YEAR is for the mkdocs build: `--year 26` would otherwise build an empty volume."""
    desk = _desk(tmp_path / "desk")
    done = _generate(desk, "--zensical", "--audience", "office", f"--year={year}")
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"年份“{year}”应为四位数字，如2026" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (desk / "build" / "zensical").exists()


HOSTILE = """# 通知

<img src="chart.png" onerror="alert(1)"> <script>alert(2)</script> <a href="javascript:alert(3)">点此</a>
<iframe src="http://example.org/"></iframe> <a href="//example.org/x">外链</a> [正常](../units/)
"""


def test_a_zensical_page_body_goes_through_the_sanitiser(tmp_path: Path) -> None:
    """What a hand-written page lets through does not reach a browser, as in the mkdocs build: the
    sanitiser runs over every page body as Markdown makes it (the theme's own parts are left whole)."""
    desk = _desk(tmp_path / "desk")
    (desk / "docs" / "notice.md").write_text(HOSTILE, encoding="utf-8")
    done = _generate(desk, "--zensical", "--audience", "office", "--year", "2025", "--no-pdf")
    assert done.returncode == 0, done.stderr[-3000:]
    site = desk / "build" / "zensical" / "office" / "2025" / "site"
    body = _article(site / "notice" / "index.html")
    assert "通知" in body and "点此" in body
    for hostile in ("onerror", "alert(2)", "<script", "javascript:", "<iframe", "example.org"):
        assert hostile not in body, (hostile, body)
    assert 'href="../units/"' in body, body  # a link of the site stays, and leads where mkdocs leads it
    assert "<select" in _article(site / "submit" / "index.html")  # the 报送 page's form is whole
