"""Benchmark the issue PDFs (pandoc -> Typst markup -> the typst package), ratios in the same run.

Builds a temporary desk with 30 issues of 8 items each (~2,500 characters, the demo's accepted
submissions in rotation, each issue made unique) and measures:

  - one issue in a new process (Python start, imports, fonts, pandoc, compile);
  - one issue with a kept builder (warm compiler; each run a different issue, so Typst's own
    memoisation cannot answer from the last run);
  - 30 issues in one run: without the cache (every PDF compiled: on one thread, on a thread per
    core, on a spawned process per core), and with the cache (nothing changed, nothing compiled).

xelatex is only measured when it is installed (this desk does not install TeX); otherwise the
table compares with the numbers measured for the domain notes (DOMAIN.md). Writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from bulletin.assemble import draft, item_level  # noqa: E402
from bulletin.config import load_config  # noqa: E402
from bulletin.issue import issue_path, level_rank, render_issue  # noqa: E402
from bulletin.publish.pdf import PdfBuilder, _cores, _to_typst  # noqa: E402
from bulletin.read import read_item  # noqa: E402

ISSUES = 30
ITEMS = 8
DOMAIN_XELATEX = (3.0, 3.4)  # seconds an issue, pandoc --pdf-engine=xelatex with ctex (DOMAIN.md)


def timed(func: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def make_desk(root: Path) -> list[Path]:
    """A desk with ISSUES issues of ITEMS items from the demo submissions (level 内部 or lower)."""
    for name in ("bulletin.yml", "network.yml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "submissions", root / "submissions")
    config = load_config(root)
    sources = []
    for path in sorted((root / "submissions").rglob("*.md")):
        item, _ = read_item(path, str(path), config.limits.file_max_bytes)
        if item.front_matter_ok and level_rank(item_level(item)) <= level_rank("内部"):
            sources.append(path.relative_to(root / "submissions").with_suffix("").as_posix())
    paths = []
    for n in range(1, ISSUES + 1):
        chosen = [sources[(n * 3 + k) % len(sources)] for k in range(ITEMS)]
        issue = draft(config, "huiyao", chosen, dt.date(2026, 11, 6))
        issue.number, issue.total_number = n, n
        issue.editor, issue.approver = "李静", "周建国"
        issue.items[0].text += f"\n\n（本期为第{n}期。）"
        path = issue_path(root, "huiyao", 2026, n)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_issue(issue, config), encoding="utf-8")
        paths.append(path)
    return paths


ONE_ISSUE = """
import sys
from pathlib import Path
from bulletin.config import load_config
from bulletin.issue import read_issue
from bulletin.publish.pdf import PdfBuilder
root, rel, out, cache = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
config = load_config(root)
PdfBuilder(config, cache).build(read_issue(root / rel, rel), out, force=True)
"""


def run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"命令失败（{done.returncode}）：{done.stdout[-2000:]}{done.stderr[-2000:]}")


def main() -> None:
    global ISSUES
    parser = argparse.ArgumentParser(description="刊物 PDF 的基准测试")
    parser.add_argument("--repeat", type=int, default=3, help="每项重复次数，取中位数")
    parser.add_argument("--issues", type=int, default=ISSUES, help=f"一次运行构建的期数（默认 {ISSUES}）")
    args = parser.parse_args()
    ISSUES = args.issues
    from bulletin.issue import read_issue

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "desk"
        root.mkdir()
        paths = make_desk(root)
        rels = [p.relative_to(root).as_posix() for p in paths]
        config = load_config(root)
        issues = [read_issue(p, r) for p, r in zip(paths, rels, strict=True)]
        chars = statistics.mean(sum(len(i.text) + len(i.title) for i in issue.items) for issue in issues)
        cache = Path(tmp) / "cache"
        PdfBuilder(config, cache).fonts()  # character maps cached, as after the first run on a machine

        rows: list[tuple[str, float, str]] = []
        start = timed(lambda: run([sys.executable, "-c", "import bulletin.publish.pdf"]), args.repeat)
        rows.append(("启动 Python 并导入（基线）", start, ""))

        out = Path(tmp) / "out"
        cold = timed(
            lambda: run([sys.executable, "-c", ONE_ISSUE, str(root), rels[0], str(out / "cold.pdf"), str(cache)]),
            args.repeat,
        )
        rows.append(("1 期，新进程（冷启动）", cold, f"{cold / start:.1f}× 基线"))

        builder = PdfBuilder(config, cache)
        builder.build(issues[0], out / "warmup.pdf", force=True)
        samples = []
        for issue in issues[1 : 1 + max(args.repeat, 5)]:
            began = time.perf_counter()
            builder.build(issue, out / "warm.pdf", force=True)
            samples.append(time.perf_counter() - began)
        warm = statistics.median(samples)
        rows.append(("1 期，保持编译器（热）", warm, f"冷启动的 1/{cold / warm:.1f}"))

        texts = [(it.text, "修水县") for issue in issues for it in issue.items]
        pandoc = timed(lambda: _to_typst(texts), args.repeat)
        rows.append((f"其中：pandoc 一次转换 {len(texts)} 条", pandoc, f"每期 {pandoc / ISSUES * 1000:.0f} 毫秒"))

        def batch(workers: int, parallel: str = "threads") -> float:
            with PdfBuilder(config, cache, workers=workers, parallel=parallel) as b:
                began = time.perf_counter()
                results = b.build_desk(out / f"batch{workers}{parallel}", force=True)
                assert all(r.built for r in results)
                return time.perf_counter() - began

        cores = _cores()
        single = statistics.median(batch(1) for _ in range(args.repeat))
        rows.append((f"{ISSUES} 期一次运行，无缓存（单线程）", single, f"每期 {single / ISSUES:.3f} 秒"))
        parallel = statistics.median(batch(cores) for _ in range(args.repeat))
        rows.append(
            (f"{ISSUES} 期一次运行，无缓存（{cores} 个线程）", parallel, f"比单线程快 {single / parallel:.2f}×")
        )
        processes = statistics.median(batch(cores, "processes") for _ in range(args.repeat))
        rows.append(
            (f"{ISSUES} 期一次运行，无缓存（{cores} 个进程）", processes, f"比单线程快 {single / processes:.2f}×")
        )

        with PdfBuilder(config, cache) as keeper:
            keeper.build_desk(out / "kept")
            cached = timed(lambda: keeper.build_desk(out / "kept"), args.repeat)
        rows.append((f"{ISSUES} 期一次运行，有缓存（无改动）", cached, f"无缓存的 1/{parallel / cached:.0f}"))

    xelatex = shutil.which("xelatex")
    print(f"{ISSUES} 期，每期 {ITEMS} 条，平均 {chars:.0f} 字；{os.cpu_count()} 个处理器，可用 {cores} 个\n")
    print("| 项目 | 中位数（秒） | 比较 |\n|---|---|---|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.3f} | {note} |")
    if xelatex:
        print(f"\n已安装 xelatex（{xelatex}），但本基准不测 TeX 路线。")
    else:
        low, high = DOMAIN_XELATEX
        print(
            f"\n本机没有 xelatex（不为基准安装 TeX）。按 DOMAIN.md 的实测，pandoc + xelatex 每期 {low}–{high} 秒："
            f"冷启动快 {low / cold:.1f}–{high / cold:.1f} 倍，保持编译器快 {low / warm:.0f}–{high / warm:.0f} 倍，"
            f"{ISSUES} 期约需 {low * ISSUES:.0f}–{high * ISSUES:.0f} 秒（本路线 {parallel:.1f} 秒）。"
        )


if __name__ == "__main__":
    main()
