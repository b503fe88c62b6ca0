"""Benchmark `bulletin check` against baselines measured in the same run (ratios, not seconds).

Baselines: the bare start of Python plus importing the package, and parsing the same files'
front matter with PyYAML's C loader (the floor for any checker that reads every file).
Prints a table of medians and ratios; writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate

REPO = Path(__file__).resolve().parents[1]
BULLETIN = str(Path(sys.executable).with_name("bulletin"))


def timed(func, repeat: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(args: list[str], cwd: Path) -> None:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if done.returncode not in (0,):
        raise SystemExit(
            f"命令失败（{done.returncode}）：{' '.join(args[:3])}…\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )


def yaml_floor(paths: list[Path]) -> None:
    for path in paths:
        text = path.read_text(encoding="utf-8")
        yaml.load(text.split("---\n", 2)[1], Loader=yaml.CSafeLoader)


def main() -> None:
    parser = argparse.ArgumentParser(description="bulletin check 的基准测试")
    parser.add_argument("--items", type=int, default=10_000, help="生成的信息条数（默认 10000）")
    parser.add_argument("--repeat", type=int, default=3, help="每项重复次数，取中位数")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        desk = Path(tmp) / "desk"
        paths = generate(desk, args.items)
        rel = [str(p.relative_to(desk)) for p in paths]
        demo = sorted(str(p) for p in (REPO / "submissions").rglob("*.md"))
        rows = []
        start = timed(lambda: run([sys.executable, "-c", "import bulletin.check, bulletin.cli"], desk), args.repeat)
        rows.append(("启动 Python 并导入 bulletin（基线）", start, 1.0))
        one = timed(lambda: run([BULLETIN, "check", rel[0]], desk), args.repeat)
        rows.append(("check 一条信息", one, one / start))
        demo_t = timed(lambda: run([BULLETIN, "check", *demo], REPO), args.repeat)
        rows.append((f"check 演示信息（{len(demo)}条）", demo_t, demo_t / start))
        floor = timed(lambda: yaml_floor(paths), args.repeat)
        rows.append((f"C 加载器解析 {len(paths)} 条的头部（基线）", floor, 1.0))
        full = timed(lambda: run([BULLETIN, "check", "submissions"], desk), args.repeat)
        rows.append((f"check 全部 {len(paths)} 条", full, full / floor))
    print("| 项目 | 中位数（秒） | 与基线之比 |\n|---|---|---|")
    for name, seconds, ratio in rows:
        print(f"| {name} | {seconds:.3f} | {ratio:.2f}× |")
    print(f"\n每秒检查 {args.items / full:.0f} 条（{args.items}条，{args.repeat}次取中位数）")


if __name__ == "__main__":
    main()
