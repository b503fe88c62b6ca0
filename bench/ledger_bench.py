"""The ledger (台账) and the scores (考核) on the generated desk's real git history.

  - `bulletin ledger --format json` (a new process) against starting Python and importing
    `bulletin.cli`: the goal is under a second per thousand items once that start is taken off,
    (ledger − start) ÷ items × 1000 < 1 s; and its peak memory;
  - `bulletin stats --period <last year> --format json`, the same way.

The ledger must agree with what the generator made (items, receipts stamped by the hook and the
forge, adoptions in issues, instructions and adoptions above, items merged from a unit's branch
with their merge time, 退改, late emergencies) and be byte-identical from run to run.
Run through bench/run.py
(`--only ledger`).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from measure import BULLETIN, PYTHON, CaseTimedOut, Row, Sample, median, mib, peak, run_child, secs

IMPORT = "import bulletin.cli"


def verify(lives: list[dict[str, Any]], made: dict[str, Any]) -> list[str]:
    """Where the ledger disagrees with the generated history."""
    by_path = {f"submissions/{life['id']}.md": life for life in lives}
    stamped = sum(life["received_by"] in ("hook", "forge") for life in lives)
    assert all(life["late_minutes"] is None or life["cases"] for life in lives), "a delay without its case"
    # the generator makes late first reports (迟报, or 瞒报 where editors found concealment); the ledger
    # also measures 续报逾期 and 约稿逾期 (bulletin.duty.engine)
    late = sum(bool(life["late_minutes"] is not None and {"迟报", "瞒报"} & set(life["cases"])) for life in lives)
    adopted = sum(len(life["adoptions"]) for life in lives)
    marked = sum(len(life["upper"]) + len(life["instructions"]) for life in lives)
    wrong_landing = [p for p, when in made["merged"].items() if (by_path.get(p) or {}).get("accepted_at") != when]
    back = sorted(p for p, life in by_path.items() if life.get("sent_back"))
    checks = {
        "信息条数": (len(lives), made["items"]),
        "接报记录": (stamped, made["receipts"]),
        "采用次数": (adopted, made["adoptions"]),
        "批示和上级采用": (marked, made["instructions"] + made["upper"]),
        "入库时间为合并时间的信息": (len(made["merged"]) - len(wrong_landing), len(made["merged"])),
        "已入库信息": (sum(life["accepted_at"] is not None for life in lives), made["items"]),
        "迟报": (late, made["late"]),
        "退改过的信息": (len(back), len(made["sent_back"])),
    }
    return [f"{name}：台账 {got}，应为 {want}" for name, (got, want) in checks.items() if got != want]


def run(b) -> list[Row]:  # type: ignore[no-untyped-def]
    root: Path = b.root
    made = b.manifest
    n = made["items"]
    year = made["years"][1]
    outputs: list[Path] = []
    starts: list[Sample] = []
    ledgers: list[Sample] = []
    stats: list[Sample] = []
    timed_out: CaseTimedOut | None = None

    def ledger(k: int) -> Sample:
        outputs.append(b.work / f"ledger-{k}.json")
        return run_child([BULLETIN, "ledger", "--format", "json"], root, outputs[-1])

    # interleaved rounds; stats does the ledger's work and judges the cases on top: it gets
    # three times the ledger's time (at least two minutes) before it is stopped
    for k in range(b.repeat if n <= 50_000 else 1):
        starts.append(run_child([PYTHON, "-c", IMPORT], root))
        ledgers.append(ledger(k))
        if timed_out is None:
            limit = max(120.0, 3 * ledgers[-1].seconds)
            args = [BULLETIN, "stats", "--period", str(year), "--format", "json"]
            try:
                stats.append(run_child(args, root, b.work / "stats.json", timeout=limit))
            except CaseTimedOut as exc:
                timed_out = exc
    if len(outputs) < 2:  # determinism: at least two runs
        ledgers.append(ledger(len(outputs)))
    start = median(starts)
    rows = [_row(f"台账 ledger（{n:,} 条）", ledgers, start, n)]
    if stats:
        rows.append(_row(f"考核 stats --period {year}", stats, start, n))
    else:
        assert timed_out is not None
        rows.append(
            Row(
                f"考核 stats --period {year}",
                f"> {secs(timed_out.seconds)}，终止",
                f"{secs(start)}（启动并导入）",
                f"> {timed_out.seconds / n * 1000:.2f} 秒/千条",
                "扣除启动后每千条 ≤ 1 秒",
                "—",
                False,
                notes=[f"超过台账用时的 3 倍（{secs(timed_out.seconds)}）仍未完成，已终止"],
            )
        )
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in outputs}
    lives = json.loads(outputs[0].read_text(encoding="utf-8"))
    wrong = verify(lives, made)
    del lives
    size = outputs[0].stat().st_size
    note = f"{len(outputs)} 次运行的 JSON（{size / 2**20:.1f} MB）" + ("逐字节相同" if len(digests) == 1 else "不一致")
    note += (
        "；与生成的历史相符（接报、采用、批示、合并入库时间、退改、迟报）"
        if not wrong
        else "；与生成的历史不符：" + "；".join(wrong)
    )
    rows[0].notes.append(note)
    if wrong or len(digests) != 1:
        rows[0].ok = False
    for path in outputs:
        path.unlink()
    return rows


def _row(name: str, samples: list[Sample], start: float, n: int) -> Row:
    seconds = median(samples)
    per_k = max(seconds - start, 0) / n * 1000
    return Row(
        name,
        secs(seconds),
        f"{secs(start)}（启动并导入）",
        f"{per_k:.2f} 秒/千条",
        "扣除启动后每千条 ≤ 1 秒",
        mib(peak(samples)),
        per_k <= 1.0,
        data={"bulletin_s": seconds, "control_s": start, "per_thousand": per_k},
    )


if __name__ == "__main__":
    import run as runner

    runner.main(["--only", "ledger", *sys.argv[1:]])
