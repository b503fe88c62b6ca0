"""Benchmark the ledger (台账) and the scores (考核) on a desk with a real git history.

Builds a temporary desk of N items (bench/generate.py) in a real git repository: one commit per
unit per month on main, a handful of them as unit branches merged with `--no-ff` (so the ledger's
first-parent logic is exercised: such items land at the merge), ~2% turned into emergency items
(突发性 / 特急 with a 发生时间, some received after their limit), receipts in git notes for about
half of the items (one note per commit, as the hook and the forge workflow stamp them), ten issues
of 《汇要》 crediting some items (single and 综合 entries) and a few records (批示, 上级采用).

Then measures, medians of `--repeat` runs in the same run (ratios against the baseline):

  - baseline: a new Python process that only imports `bulletin.cli`;
  - `bulletin ledger --format json` (a new process), and its peak memory;
  - `bulletin stats --period 2026 --format json` (a new process);
  - `build_ledger` in this process (imports and configuration already loaded).

The target is "under a second per thousand items": (ledger − baseline) / N × 1000 < 1 s. The
ledger's JSON must be byte-identical from run to run (and equal to the in-process ledger).
`--per-item` makes one commit, hence one receipt note, per item (units pushing items one by one,
as the hook stamps them): slower to set up, and the case where the number of notes grows with
the items. `--profile` adds cProfile listings. Writes nothing into the repository.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import hashlib
import io
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "scripts"))

import git  # noqa: E402

from bulletin import scoring  # noqa: E402
from bulletin.assemble import load_issues  # noqa: E402
from bulletin.config import load_config  # noqa: E402
from bulletin.ledger import build_ledger  # noqa: E402
from bulletin.receipts import Receipt, add_receipts  # noqa: E402
from bulletin.records import ADOPTION, INSTRUCTION, Record, load_records, write_record  # noqa: E402
from bulletin.timing import BEIJING  # noqa: E402
from generate import generate  # noqa: E402

BULLETIN = str(Path(sys.executable).with_name("bulletin"))
YEAR = 2026
ISSUES = 10  # issues of 《汇要》
ENTRIES = 6  # entries an issue; every third one a 综合 entry crediting two units
MERGES = 6  # unit branches merged into main with --no-ff
EMERGENCY_EVERY = 50  # every 50th item is an emergency (突发性, 特急, 2 h limit)
IDENTITY = {
    "GIT_AUTHOR_NAME": "信息处",
    "GIT_AUTHOR_EMAIL": "xinxichu@example.org",
    "GIT_COMMITTER_NAME": "信息处",
    "GIT_COMMITTER_EMAIL": "xinxichu@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,  # the user's settings (signing, hooks) stay out of the setup
    "GIT_CONFIG_NOSYSTEM": "1",
}
RECORDS = [  # (kind, level, by, publication, text)
    (INSTRUCTION, "市", "王强", "", "此信息反映的做法很好，请市委办公室总结推广。"),
    (ADOPTION, "省", "", "江西信息", ""),
    (INSTRUCTION, "省", "刘明", "", "请有关部门认真研究，抓好落实。"),
    (ADOPTION, "国务院办公厅", "", "国务院办公厅信息", ""),
    (INSTRUCTION, "市委办", "周建国", "", "请信息处跟踪报道后续进展。"),
    (ADOPTION, "省", "", "江西信息", ""),
]


# ---------------------------------------------------------------- the desk


@dataclass
class Desk:
    root: Path
    items: int
    commits: int = 0
    merges: int = 0
    merged: dict[str, dt.datetime] = field(default_factory=dict)  # path -> its merge's time
    sent_back: list[str] = field(default_factory=list)  # paths changed on their branch before the merge
    receipts: int = 0
    notes: int = 0
    emergencies: int = 0
    late: int = 0  # emergencies received after their 2 h limit
    adoptions: int = 0
    records: int = 0
    seconds: float = 0.0


def _git(root: Path, *args: str, when: dt.datetime | None = None) -> str:
    env = {**os.environ, **IDENTITY}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args[:2])} 失败：{done.stderr.strip()}")
    return done.stdout.strip()


def _item_date(path: Path) -> tuple[int, dt.date]:
    """(the generator's index, the day) of an item named MMDD-iiiii.md."""
    stem = path.stem
    return int(stem[5:]), dt.date(YEAR, int(stem[:2]), int(stem[2:4]))


def _emergency(path: Path, day: dt.date) -> None:
    """Turn a generated item into an emergency that happened at 08:30 that day (2 h limit)."""
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "类别: 普遍性\n紧急程度: 平件\n",
        f"类别: 突发性\n紧急程度: 特急\n发生时间: {day.isoformat()} 08:30\n",
        1,
    )
    path.write_text(text, encoding="utf-8")


def _receipt(root: Path, path: Path, index: int, day: dt.date, emergency: bool, source: str) -> Receipt:
    # an emergency: 45 min .. 5 h after 08:30 (some within the 2 h limit, some late); else office hours
    delay = (45, 100, 150, 200, 300)[(index // EMERGENCY_EVERY) % 5]
    minutes = 8 * 60 + 30 + delay if emergency else 9 * 60 + (index * 37) % 420
    when = dt.datetime(day.year, day.month, day.day, tzinfo=BEIJING) + dt.timedelta(minutes=minutes)
    unit = path.parts[-3]
    return Receipt(path.relative_to(root).as_posix(), when, f"{unit}-xinxiyuan", source)


def build_desk(root: Path, count: int, seed: int = 2026, per_item: bool = False) -> Desk:
    """A desk of `count` items with its history, receipts, issues and records (deterministic)."""
    start = time.perf_counter()
    desk = Desk(root, count)
    paths = generate(root, count, seed)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "bulletin.yml", "network.yml")
    _git(root, "commit", "-q", "-m", "建立信息报送台", when=dt.datetime(YEAR - 1, 12, 31, 9, tzinfo=BEIJING))
    desk.commits += 1
    repo = git.Repo(root)
    repo.git.update_environment(**IDENTITY)

    unit_order = {u.id: n for n, u in enumerate(load_config(root).units)}
    groups: dict[tuple[int, str], list[Path]] = {}
    for path in paths:
        index, day = _item_date(path)
        if index % EMERGENCY_EVERY == 7:
            _emergency(path, day)
            desk.emergencies += 1
        groups.setdefault((day.month, path.parts[-3]), []).append(path)
    ordered = sorted(groups, key=lambda key: (key[0], unit_order[key[1]]))
    every = max(1, len(ordered) // MERGES)
    for k, (month, unit) in enumerate(ordered):
        files = groups[(month, unit)]
        landing = dt.datetime(YEAR, month, 28, 18, tzinfo=BEIJING) + dt.timedelta(minutes=unit_order[unit])
        via_branch = k % every == every // 2 and k // every < MERGES
        source = "forge" if via_branch else "hook"
        stamped: dict[Path, Receipt] = {}
        for position, path in enumerate(files):
            index, day = _item_date(path)
            emergency = index % EMERGENCY_EVERY == 7
            if position % 2 == 0 or emergency:  # every other item of the unit that month, and every emergency
                stamped[path] = _receipt(root, path, index, day, emergency, source)
                due = dt.datetime(day.year, day.month, day.day, 10, 30, tzinfo=BEIJING)
                desk.late += emergency and stamped[path].received_at > due
        # one commit for the unit's month, or (per_item) one commit, hence one receipt note, per item
        batches = [[path] for path in files] if per_item else [files]
        branch = f"unit/{unit}-{month:02d}"
        if via_branch:  # a unit's pull request, merged by the editors later that evening
            _git(root, "checkout", "-q", "-b", branch, "main")
        for b, batch in enumerate(batches):
            rel = [p.relative_to(root).as_posix() for p in batch]
            message = f"{unit} {YEAR}年{month}月报送信息{len(batch)}条"
            _git(root, "add", "--", *rel)
            when = landing - dt.timedelta(hours=1 if via_branch else 0) + dt.timedelta(seconds=b)
            _git(root, "commit", "-q", "-m", message, when=when)
            desk.commits += 1
            receipts = [stamped[p] for p in batch if p in stamped]
            add_receipts(repo, repo.head.commit.hexsha, receipts)
            desk.receipts += len(receipts)
            desk.notes += bool(receipts)
        if via_branch:  # the editors asked for a change to one item (退改): a second commit on the branch
            revised = files[0].relative_to(root).as_posix()
            with files[0].open("a", encoding="utf-8") as f:
                f.write("（根据信息处意见修改）\n")
            _git(root, "commit", "-q", "-am", f"修改 {revised}", when=landing - dt.timedelta(minutes=30))
            desk.sent_back.append(revised)
            desk.commits += 1
            _git(root, "checkout", "-q", "main")
            merged_at = landing + dt.timedelta(hours=2)
            _git(root, "merge", "-q", "--no-ff", branch, "-m", f"合入 {branch}", when=merged_at)
            desk.merged.update(dict.fromkeys((p.relative_to(root).as_posix() for p in files), merged_at))
            desk.commits += 1
            desk.merges += 1

    _issues_and_records(desk, groups, seed)
    desk.seconds = time.perf_counter() - start
    return desk


def _issues_and_records(desk: Desk, groups: dict[tuple[int, str], list[Path]], seed: int) -> None:
    """Ten consecutive issues of 《汇要》 crediting items already on main, then a few records."""
    root = desk.root
    rng = random.Random(seed)
    months = sorted({month for month, _ in groups})
    first, last = dt.date(YEAR, months[0], 28), dt.date(YEAR, months[-1], 28)
    span = (last - first).days
    used: set[str] = set()
    credited: list[tuple[str, dt.date]] = []
    for n in range(1, ISSUES + 1):
        date = first + dt.timedelta(days=2 + (n - 1) * span // (ISSUES - 1))
        pool = sorted(
            (p, unit)
            for (month, unit), files in groups.items()
            if dt.date(YEAR, month, 28) < date
            for p in files
            if p.relative_to(root / "submissions").with_suffix("").as_posix() not in used
        )
        entries = []
        for e in range(ENTRIES):
            composite = e % 3 == 2
            picked = [rng.choice(pool)]
            if composite:
                others = [pair for pair in pool if pair[1] != picked[0][1]]
                picked.append(rng.choice(others))
            ids = [p.relative_to(root / "submissions").with_suffix("").as_posix() for p, _ in picked]
            used.update(ids)
            pool = [pair for pair in pool if pair not in picked]
            credited += [(i, date) for i in ids]
            desk.adoptions += len(ids)
            head, body = picked[0][0].read_text(encoding="utf-8").split("---\n", 2)[1:]
            title = next(line[4:] for line in head.splitlines() if line.startswith("标题: "))
            if composite:
                title = "各地多措并举推动重点工作落地见效"
            entries.append(f"## {title}\n\n来源：{'、'.join(ids)}\n\n{body.strip()}\n")
        path = root / "issues" / "huiyao" / str(YEAR) / f"{n:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "---\n"
            "刊物: huiyao\n"
            f"期号: {n}\n"
            f"总期号: {1234 + n}\n"
            f"日期: {date.isoformat()}\n"
            "责任编辑: 李静\n"
            "签发: 周建国\n"
            "密级: 内部\n"
            "报: [省委办公厅]\n"
            "送: [市委常委，市人大常委会、市政府、市政协领导]\n"
            "发: [各县（市、区）委办公室，市直各单位]\n"
            "印数: 120\n"
            "---\n\n" + "\n".join(entries),
            encoding="utf-8",
        )
        _git(root, "add", "--", path.relative_to(root).as_posix())
        _git(root, "commit", "-q", "-m", f"汇要第{n}期", when=dt.datetime.combine(date, dt.time(17), BEIJING))
        desk.commits += 1
    config = load_config(root)
    for n, (kind, level, by, publication, text) in enumerate(RECORDS):
        item, date = credited[n * len(credited) // len(RECORDS)]
        when = min(date + dt.timedelta(days=3), dt.date(YEAR, 12, 31))
        write_record(config, Record("", kind, item, when, level, by, publication, text))
        desk.records += 1
    _git(root, "add", "records")
    _git(root, "commit", "-q", "-m", "登记批示和上级采用", when=dt.datetime(YEAR, 12, 31, 17, tzinfo=BEIJING))
    desk.commits += 1


def verify(desk: Desk) -> str:
    """The ledger sees what the desk was built with; a line that says so."""
    config = load_config(desk.root)
    issues, issue_problems = load_issues(config)
    records, record_problems = load_records(config)
    problems = [f.message for f in issue_problems + record_problems]
    if problems or len(issues) != ISSUES or len(records) != desk.records:
        raise SystemExit("生成的刊物或登记有误：" + "；".join(problems[:5]))
    done = subprocess.run([BULLETIN, "issue", "check"], cwd=desk.root, capture_output=True, text=True)
    if done.returncode != 0:  # sources on main, numbers and 总期号 consecutive, secrecy
        raise SystemExit(f"生成的刊物未通过 bulletin issue check：\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    ledger = build_ledger(config)
    lives = {life.id: life for life in ledger.lives}
    stamped = sum(life.received_by in ("hook", "forge") for life in ledger.lives)
    late = sum(life.late_minutes is not None for life in ledger.lives)
    adopted = sum(len(life.adoptions) for life in ledger.lives)
    marked = sum(len(life.upper) + len(life.instructions) for life in ledger.lives)
    wrong_landing = [
        path for path, when in desk.merged.items() if lives[path[len("submissions/") : -3]].accepted_at != when
    ]
    checks = {
        "信息条数": (len(lives), desk.items),
        "接报记录": (stamped, desk.receipts),
        "采用次数": (adopted, desk.adoptions),
        "批示和上级采用": (marked, desk.records),
        "入库时间为合并时间的信息": (len(desk.merged) - len(wrong_landing), len(desk.merged)),
        "已入库信息": (sum(life.accepted_at is not None for life in ledger.lives), desk.items),
        "迟报": (late, desk.late),
    }
    if all(hasattr(life, "sent_back") for life in ledger.lives):  # 退改, where the ledger counts them
        back = sorted(f"submissions/{life.id}.md" for life in ledger.lives if getattr(life, "sent_back", 0))
        checks["退改过的信息"] = (back, sorted(desk.sent_back))
    wrong = [f"{name}：台账 {got}，应为 {want}" for name, (got, want) in checks.items() if got != want]
    if wrong:
        raise SystemExit("台账与生成的报送台不符：" + "；".join(wrong))
    return (
        f"报送台：{desk.items} 条信息（紧急信息 {desk.emergencies} 条，台账判定迟报 {late} 条），"
        f"{desk.commits} 个提交（其中 {desk.merges} 次 --no-ff 合并，{len(desk.merged)} 条经合并入库，"
        f"{len(desk.sent_back)} 条合并前退改），"
        f"{desk.receipts} 条接报记录（{desk.notes} 个 git note），{ISSUES} 期汇要（通过 issue check）采用 {desk.adoptions} 次，"
        f"批示和上级采用 {desk.records} 件；搭建用时 {desk.seconds:.1f} 秒"
    )


# ---------------------------------------------------------------- measuring


# Runs the measured command and reports (seconds, peak RSS in KiB, exit code). A small process of its
# own: on Linux a child's ru_maxrss also counts the memory of the process it was forked from, and
# this benchmark grows with the desk, so measuring from here would overstate the child's peak.
LAUNCHER = """
import os, subprocess, sys, time
with open(sys.argv[1], "wb") as sink:
    start = time.perf_counter()
    proc = subprocess.Popen(sys.argv[2:], stdout=sink)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
print(seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run_child(args: list[str], cwd: Path, out: Path | None = None) -> tuple[float, int]:
    """Run a new process; (seconds, its peak resident memory in KiB). Linux (wait4, ru_maxrss in KiB)."""
    done = subprocess.run(
        [sys.executable, "-I", "-c", LAUNCHER, str(out or os.devnull), *args], cwd=cwd, capture_output=True, text=True
    )
    parts = done.stdout.split()  # the command's own output went to `out`
    if done.returncode != 0 or len(parts) != 3 or parts[2] != "0":
        code = parts[2] if len(parts) == 3 else done.returncode
        raise SystemExit(f"命令失败（{code}）：{' '.join(args[:3])}…\n{done.stderr[-2000:]}")
    seconds, rss, _ = parts
    return float(seconds), int(rss)


def profile(desk: Path, top: int) -> None:
    """cProfile of the ledger and of the stats pipeline, in this process."""
    config = load_config(desk)

    def stats_pipeline() -> None:
        ledger = build_ledger(config)
        period = scoring.parse_period(str(YEAR))
        scoring.stats(config, ledger, scoring.all_cases(config, ledger), period, scoring.load_table(config.root))

    for name, func in (("build_ledger", lambda: build_ledger(config)), ("stats 全流程", stats_pipeline)):
        profiler = cProfile.Profile()
        profiler.runcall(func)
        for order in ("cumulative", "tottime"):
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).strip_dirs().sort_stats(order).print_stats(top)
            lines = text.getvalue().strip().splitlines()
            start = next(n for n, line in enumerate(lines) if "ncalls" in line)
            print(f"\n### cProfile：{name}（按 {order} 排序，前 {top} 项）\n\n```")
            print("\n".join([lines[0].strip(), *lines[start:]]))
            print("```")


def main() -> None:
    parser = argparse.ArgumentParser(description="信息台账（bulletin ledger）和考核统计（bulletin stats）的基准测试")
    parser.add_argument("--items", type=int, default=3_000, help="生成的信息条数（默认 3000，至少 200）")
    parser.add_argument("--repeat", type=int, default=3, help="每项重复次数，取中位数（默认 3）")
    parser.add_argument("--seed", type=int, default=2026, help="生成报送台的随机种子")
    parser.add_argument(
        "--per-item",
        action="store_true",
        help="每条信息一个提交、一个接报 note（逐条推送的情形；默认每个单位每月一个提交），搭建较慢",
    )
    parser.add_argument("--profile", action="store_true", help="另外用 cProfile 剖析台账和统计（进程内）")
    args = parser.parse_args()
    if args.items < 200 or args.repeat < 1:
        parser.error("--items 至少 200，--repeat 至少 1")
    n = args.items
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "desk"
        desk = build_desk(root, n, args.seed, args.per_item)
        print(verify(desk) + "\n")

        baseline_rss: list[int] = []
        ledger_rss: list[int] = []
        outputs: list[Path] = []

        def baseline(_: int) -> float:
            seconds, rss = run_child([sys.executable, "-c", "import bulletin.cli"], root)
            baseline_rss.append(rss)
            return seconds

        def ledger_cli(k: int) -> float:
            outputs.append(Path(tmp) / f"ledger-{k}.json")
            seconds, rss = run_child([BULLETIN, "ledger", "--format", "json"], root, outputs[-1])
            ledger_rss.append(rss)
            return seconds

        def stats_cli(_: int) -> float:
            return run_child([BULLETIN, "stats", "--period", str(YEAR), "--format", "json"], root)[0]

        config = load_config(root)

        def in_process(_: int) -> float:
            start = time.perf_counter()
            build_ledger(config)
            return time.perf_counter() - start

        # interleaved rounds, so that a change of load on the machine touches every row alike
        samples: dict[str, list[float]] = {"base": [], "ledger": [], "stats": [], "inproc": []}
        for k in range(args.repeat):
            for key, func in (("base", baseline), ("ledger", ledger_cli), ("stats", stats_cli), ("inproc", in_process)):
                samples[key].append(func(k))
        base, ledger_t, stats_t, inproc_t = (statistics.median(samples[key]) for key in samples)

        # determinism: every run of the ledger (at least two) gives the same bytes, and so does this process
        if len(outputs) < 2:
            ledger_cli(len(outputs))
        digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in outputs}
        same_inproc = outputs[0].read_bytes() == (build_ledger(config).to_json() + "\n").encode("utf-8")
        size = outputs[0].stat().st_size

        per_k = (ledger_t - base) / n * 1000
        raw_per_k = ledger_t / n * 1000
        rows = [
            ("启动 Python 并导入 bulletin.cli（基线）", base, None, 1.0),
            (f"bulletin ledger --format json（{n} 条）", ledger_t, per_k, ledger_t / base),
            (f"bulletin stats --period {YEAR} --format json", stats_t, (stats_t - base) / n * 1000, stats_t / base),
            ("进程内 build_ledger（不含启动和导入）", inproc_t, inproc_t / n * 1000, inproc_t / base),
        ]
        print("| 项目 | 中位数（秒） | 每千条（秒） | 与基线之比 |\n|---|---|---|---|")
        for name, seconds, thousand, ratio in rows:
            cell = "—" if thousand is None else f"{thousand:.3f}"
            print(f"| {name} | {seconds:.3f} | {cell} | {ratio:.2f}× |")
        print(
            "\n新进程的“每千条”扣除了基线（启动 Python 并导入）：（用时 − 基线）÷ 条数 × 1000；"
            f"进程内一行不扣除。{n} 条，每项 {args.repeat} 次取中位数。"
        )
        verdict = "达到" if per_k < 1.0 else "未达到"
        print(
            f"\n结论：台账每千条 {per_k:.3f} 秒（扣除基线；不扣除为 {raw_per_k:.3f} 秒，"
            f"与基线之比 {ledger_t / base:.2f}×），{verdict}“每千条一秒以内”的要求。"
        )
        identical = len(digests) == 1 and same_inproc
        print(
            f"确定性：{len(outputs)} 次运行台账的 JSON 输出（{size / 1024:.0f} KiB）"
            + ("逐字节相同，且与进程内生成的相同" if identical else "不一致")
            + f"（sha256 {sorted(digests)[0][:16]}…）。"
        )
        print(
            f"峰值内存：台账进程 {max(ledger_rss) / 1024:.0f} MiB，基线进程 {max(baseline_rss) / 1024:.0f} MiB"
            "（ru_maxrss：进程及其调用的 git 子进程中最大者）。"
        )
        if not args.per_item:
            print(
                f"提示：本报送台每个单位每月一个提交，共 {desk.notes} 个接报 note；"
                "逐条推送时每条信息一个 note，可加 --per-item 测量（搭建较慢）。"
            )
        if args.profile:
            profile(root, 20)
        if not identical:
            raise SystemExit("台账输出不确定：同一历史两次运行的结果不同")


if __name__ == "__main__":
    main()
