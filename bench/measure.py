"""What every benchmark shares: running a case in a new process (wall time and peak memory),
medians of interleaved rounds, and the rows of the results table.

Each case runs in its own process, started by a small launcher process that times it with
time.perf_counter around the child and reads the child's peak resident memory from os.wait4
(ru_maxrss: the largest of the process and the git, pandoc or xelatex processes it waited for).
The launcher exists because on Linux a child's ru_maxrss also counts the memory of the process
it was forked from: measured from the benchmark itself (which grows with the desk) the peak of a
small child would be overstated.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
BIN = Path(sys.executable).parent
BULLETIN = str(BIN / "bulletin")
PYTHON = sys.executable

LAUNCHER = """
import os, subprocess, sys, time
with open(sys.argv[1], "wb") as sink:
    start = time.perf_counter()
    proc = subprocess.Popen(sys.argv[2:], stdout=sink, stderr=subprocess.PIPE)
    _, err = proc.communicate()
    # communicate() reaped the child: ask for its usage through the children's totals instead
    seconds = time.perf_counter() - start
import resource
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.buffer.write(err[-4000:])
print(seconds, usage.ru_maxrss, proc.returncode)
"""


@dataclass(frozen=True)
class Sample:
    seconds: float
    rss_kib: int  # peak resident memory of the process tree's largest member


class CaseFailed(Exception):
    pass


class CaseTimedOut(CaseFailed):
    def __init__(self, args: Sequence[str], seconds: float) -> None:
        super().__init__(f"超过 {seconds:.0f} 秒仍未完成，已终止：{' '.join(map(str, args[:4]))}")
        self.seconds = seconds


def run_child(
    args: Sequence[str],
    cwd: Path,
    out: Path | None = None,
    env: dict[str, str] | None = None,
    ok: tuple[int, ...] = (0,),
    timeout: float | None = None,
) -> Sample:
    """Run a command in a new process; its stdout goes to `out` (or nowhere). After `timeout`
    seconds the command and everything it started are killed (CaseTimedOut)."""
    proc = subprocess.Popen(
        [PYTHON, "-I", "-c", LAUNCHER, str(out or os.devnull), *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,  # a process group of its own: a timeout ends all of it
    )
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise CaseTimedOut(args, timeout or 0) from None
    parts = stdout.split()
    if proc.returncode != 0 or len(parts) != 3:
        raise CaseFailed(f"启动失败：{' '.join(map(str, args[:3]))}…\n{stderr[-2000:]}")
    seconds, rss, code = float(parts[0]), int(parts[1]), int(parts[2])
    if code not in ok:
        raise CaseFailed(f"命令失败（退出码 {code}）：{' '.join(map(str, args[:4]))}…\n{stderr[-2000:]}")
    return Sample(seconds, rss)


def rounds(cases: dict[str, Callable[[int], Sample]], repeat: int) -> dict[str, list[Sample]]:
    """Run the cases in interleaved rounds (a b c, a b c, …), so that a change of load on the
    machine touches every case alike; samples per case."""
    out: dict[str, list[Sample]] = {name: [] for name in cases}
    for k in range(repeat):
        for name, func in cases.items():
            out[name].append(func(k))
    return out


def median(samples: Sequence[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def peak(samples: Sequence[Sample]) -> int:
    return max(s.rss_kib for s in samples)


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def secs(seconds: float) -> str:
    if seconds >= 100:
        return f"{seconds:.0f} 秒"
    if seconds >= 10:
        return f"{seconds:.1f} 秒"
    return f"{seconds:.3f} 秒"


@dataclass
class Row:
    """One line of the results table."""

    name: str  # 基准
    bulletin: str = "—"
    control: str = "—"  # 对照 (with its name)
    ratio: str = "—"  # 倍数
    goal: str = "—"  # 目标
    peak: str = "—"  # 峰值内存
    ok: bool | None = None  # 是否达标 (None: no goal)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # numbers for RESULTS.md's data block

    @property
    def verdict(self) -> str:
        return "—" if self.ok is None else ("达标" if self.ok else "未达标")

    def cells(self) -> list[str]:
        return [self.name, self.bulletin, self.control, self.ratio, self.goal, self.peak, self.verdict]


def skipped(name: str, why: str) -> Row:
    return Row(name, bulletin=why, ok=None)


def within(
    name: str,
    subject: Sequence[Sample],
    control: Sequence[Sample],
    control_name: str,
    limit: float,
    goal_note: str = "",
) -> Row:
    """bulletin ÷ 对照 at most `limit`."""
    s, c = median(subject), median(control)
    ratio = s / c
    return Row(
        name,
        secs(s),
        f"{secs(c)}（{control_name}）",
        f"{ratio:.2f}×",
        f"≤ {limit:g}×{goal_note}",
        f"{mib(peak(subject))}（对照 {mib(peak(control))}）",
        ratio <= limit,
        data={"bulletin_s": s, "control_s": c, "ratio": ratio, "peak_kib": peak(subject)},
    )


def faster(
    name: str,
    subject: float,
    control: float,
    control_name: str,
    at_least: float | None,
    subject_peak: int,
    control_peak: int | None,
    unit: str = "",
) -> Row:
    """对照 ÷ bulletin at least `at_least` (bulletin is that many times faster)."""
    ratio = control / subject
    return Row(
        name,
        secs(subject) + unit,
        f"{secs(control)}{unit}（{control_name}）",
        f"快 {ratio:.1f}×",
        "—" if at_least is None else f"快 ≥ {at_least:g}×",
        mib(subject_peak) + (f"（对照 {mib(control_peak)}）" if control_peak else ""),
        None if at_least is None else ratio >= at_least,
        data={"bulletin_s": subject, "control_s": control, "speedup": ratio, "peak_kib": subject_peak},
    )


def tree_bytes(folder: Path, suffix: str | None = None) -> tuple[int, int]:
    """(files, bytes) under a folder, optionally only files with `suffix`."""
    files = size = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            if suffix is None or name.endswith(suffix):
                files += 1
                size += os.path.getsize(os.path.join(dirpath, name))
    return files, size


def mem_available_kib() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def swapped_pages() -> int | None:
    """Pages swapped out since boot (/proc/vmstat pswpout): a build that swaps moves this."""
    try:
        for line in Path("/proc/vmstat").read_text().splitlines():
            if line.startswith("pswpout "):
                return int(line.split()[1])
    except OSError:
        pass
    return None
