"""The site: `bulletin build` (mkdocs with the desk's plugin; PDFs off, they have their own
benchmark) against plain `mkdocs build` of the same pages written as hand-made Markdown files,
with the same theme, search (jieba) and configuration, side by side in the same run.

The plain project is made from what the plugin itself generates (its on_files and
on_page_markdown hooks run once, in a separate process, and each page's Markdown is written as a
file), so both builds turn the same Markdown into the same pages; the difference is the plugin's
own work (reading the desk, making the pages). The full site is built (`--audience all`).

Rows: the build against plain mkdocs (goal for a city-year: within 1.5×), pages a second, and the
output per page (HTML bytes a page; the search index a page) against the same desk one size
smaller, built in the same run (goal: flat, at most 1.2×); a province-year build must not swap.
Run through bench/run.py (`--only site`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from measure import (
    BIN,
    BULLETIN,
    PYTHON,
    Row,
    Sample,
    mem_available_kib,
    mib,
    rounds,
    run_child,
    skipped,
    swapped_pages,
    tree_bytes,
    within,
)

SMALLER = {"city-year": "tiny", "province-year": "city-year"}
AUDIENCE = {"BULLETIN_AUDIENCE": "all"}
# the Markdown of every page as the plugin makes it, written as files of a plain mkdocs project
DUMP = """
import sys
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page
root, target = Path(sys.argv[1]), Path(sys.argv[2])
cfg = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(target / "unused"))
cfg.plugins["bulletin"].config["search"] = False  # no index of a site that is not built
cfg.plugins.on_startup(command="build", dirty=False)
cfg = cfg.plugins.on_config(cfg)
cfg.plugins.on_pre_build(config=cfg)
files = cfg.plugins.on_files(get_files(cfg), config=cfg)
hidden = []
for f in files:
    dest = target / "docs" / f.src_uri
    dest.parent.mkdir(parents=True, exist_ok=True)
    if f.is_documentation_page():
        page = Page(None, f, cfg)
        markdown = cfg.plugins.on_page_markdown(f.content_string, page=page, config=cfg, files=files)
        dest.write_text(markdown, encoding="utf-8")
        if f.inclusion.is_not_in_nav():
            hidden.append(f.src_uri)
    else:
        dest.write_bytes(f.content_bytes)
(target / "not_in_nav.txt").write_text("\\n".join(hidden), encoding="utf-8")
"""


def plain_project(root: Path, target: Path) -> int:
    """A plain mkdocs-material project with the plugin's pages as files; returns the page count."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    done = subprocess.run(
        [PYTHON, "-c", DUMP, str(root), str(target)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **AUDIENCE},
    )
    if done.returncode != 0:
        raise SystemExit(f"导出插件生成的页面失败：\n{done.stderr[-3000:]}")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    # the same configuration without the desk's plugin
    config, removed = re.subn(r"\n  - bulletin(:\n(      .*\n)+|\n)", "\n", config)
    if removed != 1:
        raise SystemExit("mkdocs.yml 中找不到 bulletin 插件的配置：请更新 bench/site_bench.py")
    hidden = [line for line in (target / "not_in_nav.txt").read_text(encoding="utf-8").splitlines() if line]
    folders = sorted(
        {"/" + h.split("/")[0] + "/**" for h in hidden if "/" in h} | {"/" + h for h in hidden if "/" not in h}
    )
    config += "\nnot_in_nav: |\n" + "".join(f"  {pattern}\n" for pattern in folders)
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    # pages drawn by the desk's own theme templates (the 搜索 page): the plain theme's page template
    for page in (target / "docs").rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if text.startswith("---\n") and "\ntemplate:" in text.split("\n---\n", 1)[0]:
            page.write_text(re.sub(r"(?m)^template: .*\n", "", text, count=1), encoding="utf-8")
    return sum(1 for _ in (target / "docs").rglob("*.md"))


def _audience_flag() -> list[str]:
    done = subprocess.run([BULLETIN, "build", "-h"], capture_output=True, text=True)
    return ["--audience", "all"] if "--audience" in done.stdout else []


def output(site: Path) -> dict[str, float]:
    everything = site.with_name(f"{site.name}-all")  # `bulletin build --audience all` writes beside the site
    site = everything if everything.is_dir() else site
    pages, html = tree_bytes(site, ".html")
    pages -= (site / "404.html").exists()
    index = site / "search" / "search_index.json"  # the theme's search (the plain project's), else Pagefind's
    index_bytes = index.stat().st_size if index.exists() else tree_bytes(site / "pagefind")[1]
    _, total = tree_bytes(site)
    return {
        "pages": pages,
        "html_per_page": html / max(pages, 1),
        "index_per_page": index_bytes / max(pages, 1),
        "total": total,
    }


def bulletin_build(root: Path, site: Path) -> Sample:
    return run_child([BULLETIN, "build", *_audience_flag(), "--site-dir", str(site)], root, env=AUDIENCE)


def run(b) -> list[Row]:  # type: ignore[no-untyped-def]
    if b.size == "archive":
        return [skipped("站点", "十年档案不测站点（按年卷发布，每卷即 province-year）")]
    root: Path = b.root
    work: Path = b.work / "site"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    plain = work / "plain"
    made = plain_project(root, plain)
    mkdocs = str(BIN / "mkdocs")
    repeat = b.repeat if b.manifest["items"] <= 10_000 else 1
    swapped = swapped_pages()
    samples = rounds(
        {
            "plain": lambda _: run_child(
                [mkdocs, "build", "-q", "-f", str(plain / "mkdocs.yml"), "-d", str(work / "plain-site")], plain
            ),
            "bulletin": lambda _: bulletin_build(root, work / "bulletin-site"),
        },
        repeat,
    )
    swapped_after = swapped_pages()
    ours, theirs = output(work / "bulletin-site"), output(work / "plain-site")
    row = within(
        f"站点 {int(ours['pages'])} 页（不含 PDF）",
        samples["bulletin"],
        samples["plain"],
        "同样页面的 mkdocs-material",
        1.5,
        "" if b.size in ("city-year", "tiny") else "（目标针对 city-year）",
    )
    seconds = row.data["bulletin_s"]
    row.notes.append(
        f"每秒 {ours['pages'] / seconds:.1f} 页（对照 {theirs['pages'] / row.data['control_s']:.1f} 页）；"
        f"每页 HTML {ours['html_per_page'] / 1024:.1f} KB（对照 {theirs['html_per_page'] / 1024:.1f} KB），"
        f"检索索引每页 {ours['index_per_page'] / 1024:.1f} KB，站点共 {ours['total'] / 2**20:.0f} MB；"
        f"导出的 Markdown 页面 {made} 个"
    )
    if b.size == "city-year":
        row.ok = row.data["ratio"] <= 1.5
    elif b.size == "province-year":
        row.ok = None
    row.data |= {f"site_{k}": v for k, v in ours.items()}
    rows = [row]
    if b.size == "province-year":
        available = mem_available_kib()
        used = row.data["peak_kib"]
        no_swap = swapped == swapped_after and (available is None or used < available)
        rows.append(
            Row(
                "省级一年的站点构建不换页",
                f"峰值 {mib(used)}",
                f"可用内存 {mib(available)}" if available else "—",
                f"{used / available:.0%}" if available else "—",
                "不换页（swap）",
                mib(used),
                no_swap,
                notes=[f"构建期间换出页数 {0 if swapped is None else (swapped_after or 0) - swapped}"],
            )
        )
    smaller = SMALLER.get(b.size)
    if smaller:
        import generate

        small_root = generate.desk(smaller, b.seed, log=b.log)
        bulletin_build(small_root, work / "small-site")
        small = output(work / "small-site")
        ratio = ours["html_per_page"] / small["html_per_page"]
        rows.append(
            Row(
                f"每页输出（HTML）：{b.size} 对 {smaller}",
                f"{ours['html_per_page'] / 1024:.1f} KB/页（{int(ours['pages'])} 页）",
                f"{small['html_per_page'] / 1024:.1f} KB/页（{smaller}，{int(small['pages'])} 页）",
                f"{ratio:.2f}×",
                "≤ 1.2×（持平）",
                "—",
                ratio <= 1.2,
                notes=[
                    f"检索索引每页 {ours['index_per_page'] / 1024:.1f} KB，{smaller} "
                    f"{small['index_per_page'] / 1024:.1f} KB"
                ],
                data={"ratio": ratio},
            )
        )
    return rows


if __name__ == "__main__":
    import run as runner

    runner.main(["--only", "site", *sys.argv[1:]])
