"""Issue PDFs (pandoc -> Typst markup -> the typst package), against pandoc's default route for
Chinese (`--pdf-engine=xelatex` with the ctexart class) on the same issues, side by side.

  - one issue in a new process (Python start, imports, fonts, pandoc, compile) against xelatex on
    the same issue: at least 5× faster. The fonts' character maps are cached, as on any machine
    after its first build; the first build ever also reads them (reported in the notes);
  - the year's issues in one run, as `bulletin build` makes them (plugin's publish_pdfs: batches
    of 8 issues, one pandoc run and one Typst compiler per core), without any cache (the desk's
    build/ removed): per issue at least 20× faster than xelatex per issue;
  - the same run again with the cache (nothing changed: nothing rebuilt).

xelatex needs TeX Live (`make bench` installs texlive-xetex, texlive-lang-chinese,
texlive-fonts-recommended and lmodern when run as root); without it those rows say so and the
rest still run. Run through bench/run.py (`--only pdf`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from measure import PYTHON, Row, Sample, median, mib, run_child, secs, skipped

ONE_ISSUE = """
import sys
from pathlib import Path
from bulletin.desk.config import load_config
from bulletin.desk.issues import read_issue
from bulletin.publish.pdf import PdfBuilder
root, rel, out, cache = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
config = load_config(root)
PdfBuilder(config, cache).build(read_issue(root / rel, rel), out, force=True)
"""
# what `bulletin build` does for the PDFs, after the pages (plugin.on_post_build)
YEAR = """
import sys
from pathlib import Path
from bulletin.publish.pdfsite import publish_pdfs
from bulletin.publish.generate import load_desk
root, site = Path(sys.argv[1]), Path(sys.argv[2])
try:  # the full site's PDFs (every audience's are among them)
    from bulletin.publish.audience import EVERYTHING, scope_for
    from bulletin.desk.config import load_config
    desk = load_desk(root, scope_for(load_config(root), EVERYTHING))
except ImportError:  # before audiences
    desk = load_desk(root)
try:  # the PDFs alone: the Word files have their own row (bench/docx_bench.py)
    built, kept = publish_pdfs(desk, site, word=False)
except TypeError:  # before Word files
    built, kept = publish_pdfs(desk, site)
print(built, kept)
"""
FONTS = """
import sys
from pathlib import Path
from bulletin.desk.config import load_config
from bulletin.publish.pdf import PdfBuilder
PdfBuilder(load_config(Path(sys.argv[1])), Path(sys.argv[2])).fonts()
"""
MAX_YEAR_ISSUES = 1_500  # the archive's 12,000 issues are not built here


def xelatex_ready() -> str | None:
    """Why the xelatex route cannot run here, or None when it can."""
    if shutil.which("xelatex") is None:
        return "未安装 xelatex，跳过"
    kpse = shutil.which("kpsewhich")
    for name in ("ctexart.cls", "pzdr.tfm"):
        if kpse is None or not subprocess.run([kpse, name], capture_output=True, text=True).stdout.strip():
            return f"未安装 xelatex 所需的 {name}，跳过"
    return None


def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def issue_markdown(root: Path, rel: str, names: dict[str, str]) -> str:
    """The issue as plain pandoc Markdown: a title block, then the issue's own body."""
    text = (root / rel).read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    meta = yaml.safe_load(head)
    title = names.get(meta["刊物"], meta["刊物"])
    number = f"{str(meta['日期'])[:4]}年第{meta['期号']}期（总第{meta['总期号']}期）"
    return f"---\ntitle: {title}\nsubtitle: {number}\ndate: {meta['日期']}\n---\n\n{body}"


def samples(root: Path, count: int) -> list[str]:
    """Issues to compare on: the median-sized issue of each publication (items credit submissions)."""
    chosen = []
    for folder in sorted((root / "issues").iterdir()):
        files = sorted(folder.glob("*/*.md"), key=lambda p: (p.stat().st_size, p.as_posix()))
        files = [p for p in files if "来源：" in p.read_text(encoding="utf-8")]
        if files:
            chosen.append((files[len(files) // 2].stat().st_size, files[len(files) // 2]))
    chosen.sort(key=lambda pair: (-pair[0], pair[1].as_posix()))  # the fullest publications first
    return [p.relative_to(root).as_posix() for _, p in chosen[:count]]


def run(b) -> list[Row]:  # type: ignore[no-untyped-def]
    root: Path = b.root
    work: Path = b.work / "pdf"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    issues = b.manifest["issues"]
    config = yaml.safe_load((root / "bulletin.yml").read_text(encoding="utf-8"))
    names = {p["id"]: p["name"] for p in config.get("publications") or []}
    chosen = samples(root, max(b.repeat, 3))
    rows: list[Row] = []

    # fonts: the first build on a machine reads the character maps of the faces (cached after)
    cache = work / "cache"
    first = run_child([PYTHON, "-c", FONTS, str(root), str(cache)], root)
    fonts_note = f"字体字符表首次读取 {secs(first.seconds)}（每台机器一次，之后缓存）"

    why = xelatex_ready()
    xelatex: list[Sample] = []
    ours: list[Sample] = []
    for n, rel in enumerate(chosen):
        if why is None:
            source = work / f"xelatex-{n}.md"
            source.write_text(issue_markdown(root, rel, names), encoding="utf-8")
            args = [pandoc_path(), source.name, "-o", f"xelatex-{n}.pdf", "--pdf-engine=xelatex"]
            xelatex.append(run_child([*args, "-V", "documentclass=ctexart"], work))
        out = work / f"one-{n}.pdf"
        ours.append(run_child([PYTHON, "-c", ONE_ISSUE, str(root), rel, str(out), str(cache)], root))
    one = median(ours)
    listed = "、".join(re.sub(r"^issues/|\.md$", "", r) for r in chosen)
    if why is None:
        tex = median(xelatex)
        row = _faster(
            f"1 期 PDF，新进程（{len(chosen)} 期取中位数）", one, tex, "pandoc + xelatex + ctex", 5, ours, xelatex
        )
        row.notes += [f"比较的各期：{listed}；{fonts_note}"]
        rows.append(row)
    else:
        rows.append(skipped("1 期 PDF，新进程 对 pandoc + xelatex", why))
        rows[-1].bulletin = f"{secs(one)}；{why}"

    if issues > MAX_YEAR_ISSUES:
        rows.append(skipped("全年 PDF", f"{issues} 期，本规模不测（见 city-year、province-year）"))
        return rows
    # the year in one run, as `bulletin build` makes the PDFs: cold (no build/), then warm
    shutil.rmtree(root / "build", ignore_errors=True)
    try:
        cold = run_child([PYTHON, "-c", YEAR, str(root), str(work / "site")], root, work / "year-cold.txt")
        warm = [
            run_child([PYTHON, "-c", YEAR, str(root), str(work / "site")], root, work / "year-warm.txt")
            for _ in range(b.repeat)
        ]
        built, _ = (int(v) for v in (work / "year-cold.txt").read_text().split())
        _, kept = (int(v) for v in (work / "year-warm.txt").read_text().split())
    finally:
        shutil.rmtree(root / "build", ignore_errors=True)
    per_issue = cold.seconds / built
    what = f"{built} 份（{issues} 期及其修订前的版本）" if built != issues else f"{built} 期"
    if why is None:
        row = _faster(f"全年 {what} PDF 一次运行，无缓存（每期）", per_issue, tex, "xelatex 每期", 20, [cold], xelatex)
    else:
        row = skipped(f"全年 {what} PDF 一次运行，无缓存（每期）对 xelatex", why)
        row.bulletin = f"{secs(per_issue)}；{why}"
    row.notes.append(f"全年 {built} 份共 {secs(cold.seconds)}（含读取字体字符表和全部信息），{b.cores} 个处理器")
    rows.append(row)
    warm_s = median(warm)
    row = Row(
        f"全年 {built} 份 PDF，有缓存（无改动，{kept} 份沿用）",
        secs(warm_s),
        f"{secs(cold.seconds)}（无缓存）",
        f"快 {cold.seconds / warm_s:.0f}×",
        "—",
        mib(max(s.rss_kib for s in warm)),
        None,
        data={"bulletin_s": warm_s, "control_s": cold.seconds},
    )
    rows.append(row)
    return rows


def _faster(
    name: str, subject: float, control: float, control_name: str, goal: float, mine: list[Sample], theirs: list[Sample]
) -> Row:
    from measure import faster

    return faster(
        name,
        subject,
        control,
        control_name,
        goal,
        max(s.rss_kib for s in mine),
        max(s.rss_kib for s in theirs) if theirs else None,
    )


if __name__ == "__main__":
    import run as runner

    runner.main(["--only", "pdf", *sys.argv[1:]])
