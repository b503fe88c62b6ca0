"""Run the benchmark suite on a generated desk and write bench/RESULTS.md.

    bench/run.py                          city-year (what `make bench` runs)
    bench/run.py --size province-year     a province's year: the site without swapping, the ledger
    bench/run.py --size archive --only check --only ledger
                                          ten years, 400,000 items: the one-file check, the ledger
    bench/run.py --size tiny              a small desk, for working on the benchmarks

Every case runs in a new process (wall time with time.perf_counter around it, peak memory from
wait4's ru_maxrss), and every comparison is measured side by side in the same run, in
interleaved rounds: the table gives medians and their ratios, so the goals do not depend on how
fast the machine is. The desk comes from bench/generate.py (cached by size and seed under
bench/out/). RESULTS.md keeps one section per size: a run replaces its own size's section.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import check_bench
import docx_bench
import generate
import ledger_bench
import network_bench
import pdf_bench
import search_bench
import site_bench
from measure import BIN, PYTHON, REPO, CaseFailed, Row

BENCHMARKS: dict[str, Callable[[Any], list[Row]]] = {
    "check": check_bench.run,
    "check-all": check_bench.run_all,
    "pdf": pdf_bench.run,
    "docx": docx_bench.run,
    "site": site_bench.run,
    "search": search_bench.run,
    "ledger": ledger_bench.run,
    "network": network_bench.run,
}
RESULTS = REPO / "bench" / "RESULTS.md"
HEADER = "| 基准 | bulletin | 对照 | 倍数 | 目标 | 峰值内存 | 是否达标 |\n|---|---|---|---|---|---|---|"


@dataclass
class Bench:
    """What a benchmark module gets: the desk, where to write, how often to repeat."""

    size: str
    seed: int
    repeat: int
    root: Path
    work: Path
    manifest: dict[str, Any]
    cores: int
    profile: bool = False
    log: Callable[[str], None] = print
    profiles: list[str] = field(default_factory=list)


def machine() -> dict[str, str]:
    model = ""
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        model = platform.processor()
    try:
        mem = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        memory = "?"
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "scripts"], cwd=REPO, capture_output=True, text=True)
    return {
        "cores": f"{len(os.sched_getaffinity(0))} 个可用（共 {os.cpu_count()} 个）",
        "cpu": model or "?",
        "memory": memory,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "commit": head.strip() + ("（scripts/ 有未提交的改动）" if dirty.stdout.strip() else ""),
        "load": " ".join(f"{v:.2f}" for v in os.getloadavg()),
    }


def table(rows: list[Row]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [HEADER] + ["| " + " | ".join(cell(c) for c in row.cells()) + " |" for row in rows]
    notes = [f"- {row.name}：{note}" for row in rows for note in row.notes]
    return "\n".join(lines) + ("\n\n" + "\n".join(notes) if notes else "")


def section(size: str, b: Bench, runs: dict[str, dict[str, Any]], info: dict[str, str], seconds: float) -> str:
    """The size's section of RESULTS.md: what was run now, and what earlier runs measured of
    the benchmarks not run now (each with its date; the data block keeps the rows)."""
    spec = generate.SIZES[size]
    made = b.manifest
    rows = [Row(**row) for name in BENCHMARKS if name in runs for row in runs[name]["rows"]]
    met = [r for r in rows if r.ok is True]
    missed = [r for r in rows if r.ok is False]
    dates = "，".join(
        f"{name} {runs[name]['date']}（{runs[name]['repeat']} 次）" for name in BENCHMARKS if name in runs
    )
    data = json.dumps(runs, ensure_ascii=False, sort_keys=True).replace("--", "-\\u002d")
    lines = [
        f"<!-- size:{size} -->",
        f"## {size}：{spec.label}",
        "",
        f"- 测量时间（每项重复次数，取中位数；大规模的重项目 1 次）：{dates}；本次用时 {seconds / 60:.1f} 分钟"
        f"（生成报送台另计：首次 {made['seconds']:.0f} 秒，之后读缓存）",
        f"- 机器：{info['cpu']}，处理器 {info['cores']}，内存 {info['memory']}，{info['system']}，"
        f"Python {info['python']}，开始时负载 {info['load']}；代码 {info['commit']}",
        f"- 报送台（bench/generate.py，种子 {b.seed}）：{made['years'][0]}–{made['years'][1]} 年，"
        f"{made['items']:,} 条信息（突发 {made['emergencies']:,}，续报 {made['follow_ups']:,}，迟报 {made['late']:,}），"
        f"{made['issues']:,} 期刊物（修订 {made['revised_issues']}），{made['commits']:,} 个提交"
        f"（{made['merges']:,} 次合并），{made['notes']:,} 个接报 note，事件 {made['events']:,}，约稿 {made['calls']:,}，"
        f"批示 {made['instructions']:,}，上级采用 {made['upper']:,}",
        f"- 达标 {len(met)} 项，未达标 {len(missed)} 项",
        "",
        table(rows),
        "",
        f"<!-- data:{data} -->",
        f"<!-- /size:{size} -->",
    ]
    return "\n".join(lines)


def _block(size: str) -> re.Pattern[str]:
    return re.compile(rf"<!-- size:{re.escape(size)} -->.*?<!-- /size:{re.escape(size)} -->", re.S)


def earlier_runs(size: str) -> dict[str, dict[str, Any]]:
    """What RESULTS.md holds for this size, benchmark by benchmark."""
    if not RESULTS.exists():
        return {}
    found = _block(size).search(RESULTS.read_text(encoding="utf-8"))
    data = re.search(r"<!-- data:(.*?) -->", found[0]) if found else None
    try:
        return json.loads(data[1]) if data else {}
    except ValueError:
        return {}


def write_results(size: str, text: str) -> None:
    intro = (
        "# 性能基准结果\n\n"
        "由 `make bench`（city-year）或 `bench/run.py --size …` 生成，每个规模一节；重新运行只替换所测的项目"
        "（`--only`），其余项目保留上次的结果和测量时间。每一行的 bulletin 和对照在同一次运行中交替测量，"
        "取中位数；倍数是二者之比（“快”为对照 ÷ bulletin），所以目标与机器快慢无关。"
        "峰值内存为该进程及其子进程（git、pandoc、xelatex）中最大者的驻留内存。\n"
    )
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    head = intro.rstrip("\n")
    blocks = {name: m[0] for name in generate.SIZES if (m := _block(name).search(old))}
    blocks[size] = text
    body = "\n\n".join(blocks[name] for name in generate.SIZES if name in blocks)
    RESULTS.write_text(head + "\n\n" + body + "\n", encoding="utf-8")


# time per item of reading a file and of each rule, over (at most 20,000 of) the desk's items
RULE_COSTS = r"""
import sys, time, datetime as dt
from pathlib import Path
from bulletin.desk.config import load_config
from bulletin.desk.read import read_item
from bulletin.rules import CHECKS, Context
from bulletin.editorial.check import locate
root = Path(sys.argv[1])
config = load_config(root)
paths = sorted((root / "submissions").glob("*/*/*.md"))[: int(sys.argv[2])]
cost = {"read_item（读文件、解析头部）": 0.0}
cost.update({f"{f.__module__.split('.')[-1]}.{f.__name__}": 0.0 for f in CHECKS})
when = dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc)
for path in paths:
    shown = path.relative_to(root).as_posix()
    began = time.perf_counter()
    item, _ = read_item(path, shown, config.limits.file_max_bytes)
    cost["read_item（读文件、解析头部）"] += time.perf_counter() - began
    ctx = Context(config, when, locate(config, shown)[0])
    ctx.item = item
    for func in CHECKS:
        began = time.perf_counter()
        func(item, ctx)
        cost[f"{func.__module__.split('.')[-1]}.{func.__name__}"] += time.perf_counter() - began
total = sum(cost.values())
print(f"{len(paths)} 条，共 {total:.2f} 秒，每条 {total / len(paths) * 1000:.3f} 毫秒\n")
print("| 阶段 | 每条（毫秒） | 占比 |\n|---|---|---|")
for name, seconds in sorted(cost.items(), key=lambda kv: -kv[1]):
    print(f"| {name} | {seconds / len(paths) * 1000:.3f} | {seconds / total:.0%} |")
"""


def profile(b: Bench) -> None:
    """cProfile of `bulletin check submissions` and of `bulletin ledger`, the cost of each rule
    per item, and the slowest imports; into bench/out/work/<size>/profile.md."""
    out = b.work / "profile.md"
    lines = [f"# 剖析：{b.size}\n"]
    done = subprocess.run([PYTHON, "-c", RULE_COSTS, str(b.root), "20000"], capture_output=True, text=True)
    lines += ["## bulletin check 每条信息各阶段的用时（进程内）\n", (done.stdout or done.stderr[-2000:]).strip(), ""]
    for name, args in (("check 全部", ["check", "submissions"]), ("ledger", ["ledger", "--format", "json"])):
        prof = b.work / f"{name.split()[0]}.prof"
        subprocess.run(
            [PYTHON, "-m", "cProfile", "-o", str(prof), "-m", "bulletin", *args],
            cwd=b.root,
            capture_output=True,
        )
        listing = subprocess.run(
            [PYTHON, "-c", f"import pstats; pstats.Stats({str(prof)!r}).sort_stats('cumulative').print_stats(30)"],
            capture_output=True,
            text=True,
        ).stdout
        lines += [f"## cProfile：bulletin {' '.join(args)}\n", "```", listing.strip(), "```\n"]
    done = subprocess.run([PYTHON, "-X", "importtime", "-c", check_bench.IMPORT], capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m[2]), len(m[3]), m[4]))
    top = sorted(rows, reverse=True)[:30]
    lines += ["## python -X importtime（累计微秒，前 30）\n", "```"]
    lines += [f"{us:>9} {' ' * depth}{name}" for us, depth, name in top]
    lines += ["```\n"]
    out.write_text("\n".join(lines), encoding="utf-8")
    b.log(f"剖析结果：{out.relative_to(REPO)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="bulletin 的性能基准：各项与对照在同一次运行中测量，写入 bench/RESULTS.md"
    )
    parser.add_argument(
        "--size", choices=list(generate.SIZES), default="city-year", help="报送台规模（默认 city-year）"
    )
    parser.add_argument("--only", action="append", choices=list(BENCHMARKS), help="只运行这一项（可重复）")
    parser.add_argument("--repeat", type=int, default=3, help="每项重复次数，取中位数（默认 3）")
    parser.add_argument("--seed", type=int, default=2026, help="生成报送台的随机种子")
    parser.add_argument("--profile", action="store_true", help="另用 cProfile 剖析 check 和 ledger（写入 bench/out/）")
    parser.add_argument("--no-write", action="store_true", help="只打印，不写 bench/RESULTS.md")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat 至少 1")
    only = args.only or list(BENCHMARKS)
    if not (BIN / "bulletin").exists():
        raise SystemExit(f"找不到 {BIN / 'bulletin'}：请先 make（安装到 .venv/）")
    began = time.perf_counter()
    # measure the package as installed, with its bytecode: without it (PYTHONDONTWRITEBYTECODE, a
    # read-only checkout) every start would compile the sources again, which is not what runs
    subprocess.run([str(BIN / "python"), "-m", "compileall", "-q", str(REPO / "scripts" / "bulletin")], check=True)
    root = generate.desk(args.size, args.seed)
    work = generate.OUT / "work" / args.size
    work.mkdir(parents=True, exist_ok=True)
    b = Bench(args.size, args.seed, args.repeat, root, work, generate.manifest(root), len(os.sched_getaffinity(0)))
    b.profile = args.profile
    info = machine()
    print(f"报送台：{root.relative_to(REPO)}（{b.manifest['items']:,} 条信息，{b.manifest['issues']:,} 期）")
    runs = earlier_runs(args.size)
    measured = time.perf_counter()
    for name in only:
        started = time.perf_counter()
        print(f"\n== {name} …", flush=True)
        try:
            got = BENCHMARKS[name](b)
        except CaseFailed as exc:
            got = [Row(f"{name}（运行失败）", str(exc).splitlines()[0], ok=False, notes=[str(exc)[:1500]])]
        for row in got:
            print(table([row]).split("\n", 2)[2])
        when = dt.datetime.now().astimezone()
        runs[name] = {"date": f"{when:%Y-%m-%d %H:%M}", "repeat": args.repeat, "rows": [asdict(r) for r in got]}
        print(f"（{name} 用时 {time.perf_counter() - started:.0f} 秒）", flush=True)
    if args.profile:
        profile(b)
    seconds = time.perf_counter() - measured
    text = section(args.size, b, runs, info, seconds)
    print("\n" + text.split("<!-- data:", 1)[0])
    if not args.no_write:
        write_results(args.size, text)
        print(f"\n已写入 {RESULTS.relative_to(REPO)}（总用时 {(time.perf_counter() - began) / 60:.1f} 分钟）")


if __name__ == "__main__":
    main()
