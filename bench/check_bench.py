"""`bulletin check`, against baselines measured side by side in the same run.

  - one changed file, named on the command line (what an informant runs before submitting), and
    against starting Python and parsing that file's front matter with PyYAML's C loader (within 2×:
    a verb imports only what it uses), and the same change committed on a branch, found by `bulletin check --committed` without paths
    (what CI runs on its clean checkout: the branch's commits against main), against starting
    Python and importing the package. The goal, for a repository of 400,000 items (`--size
    archive`): within 1.5× of that start, so the check of one file must not read the whole
    repository. A third row, without a goal, shows the informant's `bulletin check` without paths
    before committing: git must then look at every file of the work tree for changes;
  - the same one file against the least that check costs with the libraries the desk is built on
    (bench/skeleton.py: PyYAML, markdown-it, autocorrect, OpenCC, argparse): what the desk's own
    code adds; the libraries alone are already more than 2× the bare front-matter parse;
  - every item (`bulletin check submissions`), against plain `yaml.load` with PyYAML's C loader on
    the front matter of the same files (the floor for anything that reads every file): within 3×.

The changed file is a new item written into the generated desk for the measurement and removed
afterwards. Run through bench/run.py (`--only check`, `--only check-all`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from measure import BULLETIN, PYTHON, Row, Sample, rounds, run_child, within

IMPORT = "import bulletin.cli, bulletin.editorial.check"
# the floor for checking one named file: start Python and parse that file's front matter with PyYAML's C loader
ONE_FILE_FLOOR = (
    "import sys, yaml; text = open(sys.argv[1], encoding='utf-8').read(); "
    "yaml.load(text.split('---\\n', 2)[1], Loader=yaml.CSafeLoader)"
)
# the least the same check costs with the libraries the desk is built on (bench/skeleton.py)
SKELETON = str(Path(__file__).with_name("skeleton.py"))
BRANCH = "bench-check"
FLOOR = """
import sys, yaml
from pathlib import Path
count = 0
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    text = path.read_text(encoding="utf-8")
    yaml.load(text.split("---\\n", 2)[1], Loader=yaml.CSafeLoader)
    count += 1
print(count)
"""
NEW_ITEM = """---
标题: {unit}召开冬季安全生产工作会议
报送单位: {unit_id}
信息员: {informant}
签发人: {leader}
类别: 普遍性
紧急程度: 平件
密级: 内部
报送对象: [{recipients}]
主题: [安全生产]
---

12月30日，{unit}召开冬季安全生产工作会议，部署岁末年初安全防范工作。会议要求，一是压实责任，\
各乡镇和部门主要负责同志要亲自研究部署；二是突出重点，聚焦城镇燃气、道路交通、消防等领域开展隐患排查；\
三是强化值班值守，严格执行领导带班和24小时值班制度，确保信息报送及时准确。
"""


def _new_item(root: Path, year: int) -> Path:
    """Write a valid new item of the first unit that has an informant; returns its path."""
    import yaml

    network = yaml.safe_load((root / "network.yml").read_text(encoding="utf-8"))
    config = yaml.safe_load((root / "bulletin.yml").read_text(encoding="utf-8"))
    unit = next(u for u in network["units"] if u.get("informants"))
    path = root / "submissions" / unit["id"] / str(year) / "1230-99.md"
    path.write_text(
        NEW_ITEM.format(
            unit=unit["name"],
            unit_id=unit["id"],
            informant=unit["informants"][0]["name"],
            leader=unit.get("leader") or "某某",
            recipients=", ".join(config.get("recipients") or ["市委", "市政府"]),
        ),
        encoding="utf-8",
    )
    return path


def _commit_on_branch(root: Path, rel: str) -> None:
    """Commit the new item on a branch of its own, as a unit's pull request would bring it."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid"}
    env.update(GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
    for args in (["checkout", "-q", "-b", BRANCH], ["add", "--", rel], ["commit", "-q", "-m", "Add item"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)


def _back_to_main(root: Path, head: str) -> None:
    subprocess.run(["git", "checkout", "-q", "-f", head], cwd=root, check=True)
    subprocess.run(["git", "branch", "-q", "-D", BRANCH], cwd=root, check=False, capture_output=True)


def _branch_row(name: str, samples: list[Sample], control: list[Sample], note: str, out: Path) -> Row:
    row = within(name, samples, control, "启动并导入", 1.5, note)
    found = json.loads(out.read_text(encoding="utf-8"))
    if found.get("checked") != 1 or found.get("errors"):
        row.notes.append(
            f"不给路径的 check 应只检查新增的一条且无错误，实际：{json.dumps(found, ensure_ascii=False)[:300]}"
        )
    return row


def run(b) -> list[Row]:  # type: ignore[no-untyped-def]
    """One new item: named (an informant before committing it), found in the work tree (the same,
    without naming it), and committed on a branch, checked as CI checks it (`--committed`, on a
    clean checkout)."""
    root: Path = b.root
    items = b.manifest["items"]
    archive_note = "" if b.size == "archive" else "（目标针对 40 万条，见 archive）"
    head = subprocess.run(
        ["git", "symbolic-ref", "--short", "HEAD"], cwd=root, check=True, capture_output=True, text=True
    ).stdout.strip()
    changed = _new_item(root, b.manifest["years"][1])
    rel = changed.relative_to(root).as_posix()
    local_out, ci_out = b.work / "check-local.json", b.work / "check.json"
    try:
        local_cases = {
            "import": lambda _: run_child([PYTHON, "-c", IMPORT], root),
            "yaml": lambda _: run_child([PYTHON, "-c", ONE_FILE_FLOOR, rel], root),
            "skeleton": lambda _: run_child([PYTHON, SKELETON, rel], root),
            "one": lambda _: run_child([BULLETIN, "check", rel], root),
            "local": lambda _: run_child([BULLETIN, "check", "--format", "json"], root, local_out),
        }
        samples = rounds(local_cases, b.repeat)
        _commit_on_branch(root, rel)
        ci = rounds(
            {
                "import": lambda _: run_child([PYTHON, "-c", IMPORT], root),
                "ci": lambda _: run_child([BULLETIN, "check", "--committed", "--format", "json"], root, ci_out),
            },
            b.repeat,
        )
    finally:
        _back_to_main(root, head)
        changed.unlink(missing_ok=True)
    rows = [
        within(
            f"check 一条信息（给出路径；{items:,} 条的仓库）",
            samples["one"],
            samples["import"],
            "启动并导入",
            1.5,
            archive_note,
        ),
        within(
            f"check 一条信息（给出路径），对照只读它的头部（{items:,} 条的仓库）",
            samples["one"],
            samples["yaml"],
            "启动并用C加载器解析该文件头部",
            2.0,
            "（issue 11：一个命令只导入所用的模块；所用的库本身已超出，见下一行）",
        ),
        within(
            f"check 一条信息（给出路径），对照所用库的最低开销（{items:,} 条的仓库）",
            samples["one"],
            samples["skeleton"],
            "启动、argparse、PyYAML读配置和头部、markdown-it解析正文、载入autocorrect和OpenCC",
            1.5,
            "（报送台自己的代码在所用的库之上增加多少）",
        ),
        _branch_row(
            f"check 本分支改动的一条（CI：已提交，--committed；{items:,} 条）",
            ci["ci"],
            ci["import"],
            archive_note,
            ci_out,
        ),
        _branch_row(
            f"check 本机改动的一条（未提交，不给路径，比较整个工作区；{items:,} 条）",
            samples["local"],
            samples["import"],
            "（本机用，无目标：须查看工作区的每个文件）",
            local_out,
        ),
    ]
    rows[-1].goal, rows[-1].ok = "—", None
    return rows


def run_all(b) -> list[Row]:  # type: ignore[no-untyped-def]
    """Every item, against the C loader on the same files."""
    root: Path = b.root
    items = b.manifest["items"]
    rows = []
    floor: list[Sample] = []
    full: list[Sample] = []
    repeat = b.repeat if items <= 50_000 else 1
    for _ in range(repeat):
        floor.append(run_child([PYTHON, "-c", FLOOR, "submissions"], root))
        full.append(run_child([BULLETIN, "check", "submissions"], root, ok=(0, 1)))
    row = within(f"check 全部 {items:,} 条", full, floor, "C 加载器解析头部", 3.0)
    per_second = items / row.data["bulletin_s"]
    row.notes.append(f"每秒检查 {per_second:,.0f} 条（C 加载器每秒解析 {items / row.data['control_s']:,.0f} 条头部）")
    rows.append(row)
    return rows


if __name__ == "__main__":
    import run as runner

    runner.main(["--only", "check", *sys.argv[1:]])
