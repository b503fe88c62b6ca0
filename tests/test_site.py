"""The site: a real `mkdocs build --strict`, offline-safe, with the rules guide generated."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin.rules import RULES

REPO = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).with_name("mkdocs")
# attributes that make a browser fetch something (a plain <a href> is only a link)
_LOADS = re.compile(
    r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=[\"']([^\"']+)|<link\b[^>]*\bhref=[\"']([^\"']+)"
)
_CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)")
_IMPORT = re.compile(r"@import\s+[\"']([^\"']+)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def _external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.IGNORECASE)) and not url.startswith("data:")


def test_rules_guide_is_generated_with_every_rule_and_examples(site: Path) -> None:
    html = (site / "rules" / "index.html").read_text(encoding="utf-8")
    assert "信息写作与报送规范" in html
    for rule_id, rule in RULES.items():
        assert f"<code>{rule_id}</code>" in html, rule_id
        assert rule.name in html
    assert html.count("错误示例") == len(RULES) and html.count("正确示例") == len(RULES)


def test_guide_pages_are_built(site: Path) -> None:
    for page in (
        "index.html",
        "guide/unit/index.html",
        "guide/editor/index.html",
        "guide/reader/index.html",
        "guide/admin/index.html",
    ):
        assert (site / page).is_file(), page
    assert '<html lang="zh"' in (site / "index.html").read_text(encoding="utf-8")


def test_site_loads_nothing_from_outside(site: Path) -> None:
    offenders = []
    for path in site.rglob("*"):
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            for m in _LOADS.finditer(text):
                url = m[1] or m[2]
                if _external(url):
                    offenders.append(f"{path.relative_to(site)}: {url}")
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            for m in [*_CSS_URL.finditer(text), *_IMPORT.finditer(text)]:
                if _external(m[1]):
                    offenders.append(f"{path.relative_to(site)}: {m[1]}")
    assert offenders == []
    assert "fonts.googleapis.com" not in (site / "index.html").read_text(encoding="utf-8")


def test_search_index_segments_chinese_words(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = index["config"]["separator"]
    assert "\\u200b" in separator
    text = " ".join(doc["text"] + doc["title"] for doc in index["docs"])
    # jieba segments Chinese with zero-width spaces, so a word such as 迟报 is findable on its own
    assert "\u200b" in text
    assert re.search("\u200b迟报|迟报\u200b", text)
