"""The network of desks (issue 16): `bulletin sync` of a year of the desk above, and `bulletin forward`.

The generated desk is the desk above (for province-year: a province's year, 40,000 items, its issues
and records); the desk below is one of its units, the one with the most items there. Set-up (not
timed): the desk above becomes a bare repository, and every item in that unit's folder there names
the item of the desk below it was forwarded from (原报信息); the desk below holds those items.

  - `bulletin sync`, first run (nothing synced yet: fetches the desk above's whole history, reads all
    its issues and records, writes a record here for every adoption and instruction), against a bare
    `git fetch` of the same repository into an empty one;
  - `bulletin sync` after one new adoption above (incremental: reads only what changed since the
    recorded position), against the first run;
  - `bulletin forward` of one item (the copy of the desk above already fetched), against starting
    Python and importing `bulletin.cli`.

Run through bench/run.py (`--only network`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from measure import BULLETIN, PYTHON, REPO, Row, Sample, median, mib, peak, run_child, secs

DESK_BELOW = "九江市委办公室信息处"  # the demo desk's name: the desk below
LOCAL_UNIT = "xiushui"  # where the desk below keeps the items it forwarded (a unit of the demo registry)
IMPORT = "import bulletin.cli"


def _git(cwd: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "基准", "GIT_AUTHOR_EMAIL": "b@example.org"}
    env |= {"GIT_COMMITTER_NAME": "基准", "GIT_COMMITTER_EMAIL": "b@example.org"}

    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **env}, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args[:2])} 失败：{done.stderr.strip()}")
    return done.stdout


def _busiest_unit(root: Path) -> str:
    counts = {d.name: sum(1 for _ in d.glob("*/*.md")) for d in (root / "submissions").iterdir() if d.is_dir()}
    return max(sorted(counts), key=lambda unit: counts[unit])


def _set_up(root: Path, work: Path) -> tuple[Path, Path, Path, str, int]:
    """(the desk above's bare repository, an editor's clone of it, the desk below, the unit, items there)."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    unit = _busiest_unit(root)
    above = work / "above.git"
    _git(work, "clone", "-q", "--bare", str(root), str(above))
    editor = work / "above-editor"
    _git(work, "clone", "-q", str(above), str(editor))
    below = work / "below"
    (below / "submissions").mkdir(parents=True)
    n = 0
    for path in sorted((editor / "submissions" / unit).glob("*/*.md")):
        year, stem = path.parent.name, path.stem
        local = f"{LOCAL_UNIT}/{year}/{stem}"
        text = path.read_text(encoding="utf-8")
        step = f'原报信息: ["{DESK_BELOW}：{local}（接报{year}-01-01 08:00:00）"]\n'
        path.write_text(text.replace("---\n", "---\n" + step, 1), encoding="utf-8")
        target = below / "submissions" / local
        target.parent.mkdir(parents=True, exist_ok=True)
        (target.parent / f"{stem}.md").write_text(text, encoding="utf-8")
        n += 1
    _git(editor, "add", "-A")
    _git(editor, "commit", "-q", "-m", "上报的信息写明原报信息")
    _git(editor, "push", "-q", "origin", "main")
    registry = yaml.safe_load((editor / "network.yml").read_text(encoding="utf-8"))
    entry = next(u for u in registry["units"] if u["id"] == unit)
    informant = entry["informants"][0]["name"] if entry.get("informants") else "信息员"
    shutil.copy(REPO / "network.yml", below / "network.yml")
    config = (REPO / "bulletin.yml").read_text(encoding="utf-8")
    config += (
        f"\nupstream:\n  name: 上级报送台\n  url: {above}\n  unit: {unit}\n  level: 省\n"
        f"  max_classification: 内部\n  informant: {informant}\n  approver: 周建国\n"
    )
    (below / "bulletin.yml").write_text(config, encoding="utf-8")
    _git(below, "init", "-q", "-b", "main")
    _git(below, "add", "-A")
    _git(below, "commit", "-q", "-m", "本台")
    return above, editor, below, unit, n


def _reset(below: Path) -> None:
    """Back to never synced: no copy of the desk above, no records."""
    shutil.rmtree(below / ".git" / "bulletin-upstream", ignore_errors=True)
    shutil.rmtree(below / "records", ignore_errors=True)


def _adopt(editor: Path, unit: str, k: int) -> None:
    """One new adoption above: a 上级采用 record on one of the unit's items there."""
    item = sorted((editor / "submissions" / unit).glob("*/*.md"))[k]
    item_id = item.relative_to(editor / "submissions").with_suffix("").as_posix()
    year = item.parent.name
    record = editor / "records" / year / f"1231-cy-bench{k:02d}.md"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(
        f"---\n类型: 上级采用\n信息: {item_id}\n日期: {year}-12-31\n级别: 国务院办公厅\n刊物: 国务院办公厅信息\n---\n",
        encoding="utf-8",
    )
    _git(editor, "add", "-A")
    _git(editor, "commit", "-q", "-m", "上级采用")
    _git(editor, "push", "-q", "origin", "main")


EMERGENCY = """---
标题: 修水县一处山体滑坡阻断县道 无人员伤亡
报送单位: xiushui
信息员: 匡小平
签发人: 冷德胜
类别: 突发性
紧急程度: 特急
密级: 内部
发生时间: 2025-12-31 08:30
报送对象: [市委, 市政府]
---

12月31日8时30分许，修水县一处山体发生滑坡，约3000立方米土石阻断县道，无人员伤亡。县领导第一时间赶赴现场指挥处置，组织群众转移避险，目前抢通工作正在进行，相关情况将续报。
"""


def run(b) -> list[Row]:  # type: ignore[no-untyped-def]
    work: Path = b.work / "network"
    above, editor, below, unit, n = _set_up(b.root, work)
    issues = sum(1 for _ in (editor / "issues").rglob("*.md"))
    records_above = sum(1 for _ in (editor / "records").glob("*/*.md"))
    item = below / "submissions" / LOCAL_UNIT / "2025" / "1231-99.md"
    item.write_text(EMERGENCY, encoding="utf-8")
    _git(below, "add", "-A")
    _git(below, "commit", "-q", "-m", "一条紧急信息")
    repeat = b.repeat if n <= 2_000 else 1
    fetches: list[Sample] = []
    fulls: list[Sample] = []
    increments: list[Sample] = []
    forwards: list[Sample] = []
    starts: list[Sample] = []
    written = 0
    for k in range(repeat):
        empty = work / f"fetch-{k}"
        _git(work, "init", "-q", "--bare", str(empty))
        fetches.append(run_child(["git", "fetch", "-q", str(above), "+refs/heads/main:refs/heads/main"], empty))
        shutil.rmtree(empty)
        _reset(below)
        out = work / "sync.txt"
        fulls.append(run_child([BULLETIN, "sync"], below, out))
        written = out.read_text(encoding="utf-8").count("已登记")
        _adopt(editor, unit, k)
        increments.append(run_child([BULLETIN, "sync"], below, out))
        if out.read_text(encoding="utf-8").count("已登记") != 1:
            raise SystemExit("增量同步应正好登记一条新的上级采用：\n" + out.read_text(encoding="utf-8")[-2000:])
        starts.append(run_child([PYTHON, "-c", IMPORT], below))
        forwards.append(run_child([BULLETIN, "forward", f"{LOCAL_UNIT}/2025/1231-99"], below))
    full, fetch, inc, fwd, start = (median(s) for s in (fulls, fetches, increments, forwards, starts))
    scale = f"上级{n:,}条本台上报的信息、{issues:,}期刊物、{records_above:,}条记录"
    return [
        Row(
            f"sync 首次同步（{scale}，登记{written:,}条）",
            secs(full),
            f"{secs(fetch)}（git fetch上级主分支到空仓库）",
            f"{full / fetch:.1f}×",
            "—",
            mib(peak(fulls)),
            None,
            data={"bulletin_s": full, "control_s": fetch, "records": written},
        ),
        Row(
            "sync 上级新增一条采用后的增量同步",
            secs(inc),
            f"{secs(full)}（首次同步）",
            f"{inc / full:.2f}×",
            "≤ 1/5（只读上次同步以来的变化）",
            mib(peak(increments)),
            inc <= full / 5,
            data={"bulletin_s": inc, "control_s": full},
        ),
        Row(
            "forward 上报一条信息（推送到上级的裸仓库，未装钩子）",
            secs(fwd),
            f"{secs(start)}（启动并导入）",
            f"{fwd / start:.1f}×",
            "—",
            mib(peak(forwards)),
            None,
            data={"bulletin_s": fwd, "control_s": start},
        ),
    ]


if __name__ == "__main__":
    import run as runner

    runner.main(["--only", "network", *sys.argv[1:]])
