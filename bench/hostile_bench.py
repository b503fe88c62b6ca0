"""Hostile and broken input: the time and memory each case of tests/test_hostile.py costs.

Every case of the suite's table (imported from tests/test_hostile.py, never copied) runs in its
own child process limited to 1.5 GB of address space, as the suite runs its heavy cases; the
child measures the entry point alone (`bulletin check`, `issue check`, `overdue`, or reading the
configuration) and reports its own peak resident memory. Printed: the number of cases by
category and by kind, the median and the slowest time per case, and the peak memory, against
a child that checks one good item (the floor: Python, the package and its libraries).

    .venv/bin/python bench/hostile_bench.py            # every case
    .venv/bin/python bench/hostile_bench.py --only yaml  # one category
    .venv/bin/python bench/hostile_bench.py --markup     # the markup gate and the sanitiser, in process

--markup times, in this process, the check's markup gate (markdown-it and Python-Markdown, the
nesting bound) on the worst bodies of issue 12 against a normal item, and the sanitiser on a page
of the same size: the median of 7 runs with the parsers' caches emptied, and the peak memory the
call allocates (tracemalloc).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_hostile import BASELINES, CASES, CATEGORIES, KINDS, Hostile, prepare, run_isolated, verify


def _measure(case: Hostile) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="hostile-") as work:
        desk = prepare(case, Path(work))
        outcome = run_isolated(case, desk)
        if case.category != "none":  # a baseline reports nothing to verify
            verify(case, outcome)
        return outcome.seconds, outcome.peak_kb


def _markup_bodies() -> dict[str, str]:
    from desk_helpers import ITEM

    body = ITEM.split("---\n", 2)[2]
    return {
        "正常信息": body,
        "正常信息和一个链接": body + "[附件](images/1.jpg)\n",
        "提示框内的脚本": body + '!!! note "提示"\n\n    <script>alert(1)</script>\n',
        "900层引用": body + "> " * 900 + "原文\n",
        "1000个斜杠标签": body + "修水县<img/src/onerror=alert(1)>\n" * 1000,
        "70KB混合标记": (body + "**加粗**[链接](images/1.jpg)`<b>`<http://x.cn>\n\n") * 120,
    }


def markup() -> int:
    """The markup gate and the sanitiser on the worst bodies, in this process."""
    import tracemalloc

    import markdown

    from bulletin.publish.sanitise import sanitise
    from bulletin.rules import body as rules

    root = Path(tempfile.mkdtemp(prefix="hostile-markup-"))

    def clear() -> None:
        rules.parse_body.cache_clear()
        rules.site_view.cache_clear()
        rules.outline.cache_clear()

    def measure(call: Callable[[], object]) -> tuple[float, float]:
        times = []
        for _ in range(7):
            clear()
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        clear()
        tracemalloc.start()
        call()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return statistics.median(times) * 1000, peak / 1024 / 1024

    rules.markup_problems("[预热](a.jpg)<b>", 1, root, root)  # the parsers' first import is not the gate's cost
    print(f"{'正文':<14}{'大小':>8}{'检查':>12}{'内存':>10}{'净化':>12}{'内存':>10}")
    for name, text in _markup_bodies().items():
        check_ms, check_mb = measure(lambda text=text: rules.markup_problems(text, 1, root, root))
        page = markdown.markdown(text, extensions=list(rules.SITE_EXTENSIONS))
        clean_ms, clean_mb = measure(lambda page=page: sanitise(page))
        size = f"{len(text.encode()) / 1024:.1f}KB"
        print(f"{name:<14}{size:>8}{check_ms:9.2f} ms{check_mb:7.1f} MB{clean_ms:9.2f} ms{clean_mb:7.1f} MB")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="恶意和损坏输入的耗时与内存（每个用例一个子进程）")
    parser.add_argument("--only", choices=sorted(CATEGORIES), help="只测这一类")
    parser.add_argument("--markup", action="store_true", help="只测正文标记的检查和净化（本进程内）")
    args = parser.parse_args()
    if args.markup:
        return markup()
    cases = [c for c in CASES if not args.only or c.category == args.only]
    floor_seconds, floor_kb = _measure(BASELINES["submission"])
    started = time.perf_counter()
    rows: list[tuple[Hostile, float, int]] = []
    for case in cases:
        seconds, peak_kb = _measure(case)
        rows.append((case, seconds, peak_kb))
        print(f"  {case.id:<58} {seconds * 1000:8.1f} ms {peak_kb / 1024:7.1f} MB", flush=True)
    wall = time.perf_counter() - started

    def summary(selected: list[tuple[Hostile, float, int]]) -> str:
        times = [s for _, s, _ in selected]
        peaks = [p for _, _, p in selected]
        return (
            f"{len(selected):4d} 个用例  每例中位 {statistics.median(times) * 1000:7.1f} ms  "
            f"最慢 {max(times) * 1000:7.1f} ms  内存峰值 {max(peaks) / 1024:6.1f} MB"
        )

    print()
    print(f"基线（检查一条正常信息的子进程）：{floor_seconds * 1000:.1f} ms，内存峰值 {floor_kb / 1024:.1f} MB")
    print("按类别：")
    for category, label in CATEGORIES.items():
        selected = [r for r in rows if r[0].category == category]
        if selected:
            print(f"  {category:<11}{summary(selected)}  {label}")
    print("按文件种类：")
    for kind, label in KINDS.items():
        selected = [r for r in rows if r[0].kind == kind]
        if selected:
            print(f"  {kind:<13}{summary(selected)}  {label}")
    print(f"合计：        {summary(rows)}")
    heavy = [r for r in rows if r[0].heavy]
    if heavy:
        print(f"其中重负载：  {summary(heavy)}（炸弹、超大文件、设备与管道）")
    slowest = max(rows, key=lambda r: r[1])
    largest = max(rows, key=lambda r: r[2])
    print(
        f"最慢：{slowest[0].id}（{slowest[1] * 1000:.1f} ms）；内存最多：{largest[0].id}（{largest[2] / 1024:.1f} MB）"
    )
    counts = Counter(c.category for c in cases)
    print(f"用例数：{len(cases)}（" + "、".join(f"{k} {v}" for k, v in counts.items()) + f"），总耗时 {wall:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
