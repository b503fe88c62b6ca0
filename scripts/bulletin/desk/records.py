"""Records editors add: leaders' written instructions (批示) and adoptions above (上级采用).

One small file each, `records/<year>/<name>.md`, written by `bulletin record …`:

    ---
    类型: 批示             # 批示 / 上级采用
    信息: xiushui/2026/1103-01     # the submission it concerns
    日期: 2026-11-12
    级别: 省               # 批示: 国家 / 省 / 市 / 市委办 / 县；上级采用: 省 / 市 / 国务院办公厅 / 中央办公厅
    批示人: 某某            # 批示 only
    刊物: 江西信息          # 上级采用 only: the upper body's publication
    密级: 秘密              # 批示 only, optional: the 批示内容's own 密级 (not written: the item's)
    ---
    批示内容（批示 only）

A 批示's words are shown only where the audience is cleared for the higher of the item's 密级 and the
批示's own (publish/feedback.py): a leader may write a 秘密 remark on a 内部 item.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bulletin.core.levels import LEVELS
from bulletin.core.model import Config, Finding, Severity
from bulletin.desk.atomic import create_first_free
from bulletin.desk.layout import RECORDS, SUBMISSIONS
from bulletin.errors import UsageError

INSTRUCTION, ADOPTION = "批示", "上级采用"
INSTRUCTION_LEVELS = ("国家", "省", "市", "市委办", "县")
ADOPTION_LEVELS = ("省", "市", "国务院办公厅", "中央办公厅")  # 市: a county desk's city above


@dataclass(frozen=True)
class Record:
    path: str
    kind: str  # 批示 / 上级采用
    item: str  # submission id
    date: dt.date
    level: str
    by: str = ""  # 批示人
    publication: str = ""  # 上级采用: where
    text: str = ""  # 批示内容
    classification: str = ""  # 批示内容's own 密级 ("": the item's)


RECORD_MAX_BYTES = 64 * 1024  # a record is a few lines


def load_records(config: Config) -> tuple[list[Record], list[Finding]]:
    """Every record of the desk (read as events and calls are: bulletin.desk.registers.read_register)."""
    out: list[Record] = []
    problems: list[Finding] = []
    base = config.root / RECORDS
    for path in sorted(base.glob("*/*.md")) if base.is_dir() else []:
        found = read_record(config, path, problems)
        if found is not None:
            out.append(found)
    return out, problems


def read_record(config: Config, path: Path, problems: list[Finding]) -> Record | None:
    """One record file (None: not a valid record; what is wrong is added to `problems`)."""
    from bulletin.desk.registers import read_register

    shown = path.relative_to(config.root).as_posix()
    parsed = read_register(path, shown, problems, config.root)
    if parsed is None:
        return None
    raw, lines, body = parsed

    def problem(key: str, message: str) -> None:
        problems.append(Finding(shown, lines.get(key), "record-format", Severity.ERROR, message))

    kind = str(raw.get("类型", "")).strip()
    level = str(raw.get("级别", "")).strip()
    levels = INSTRUCTION_LEVELS if kind == INSTRUCTION else ADOPTION_LEVELS
    if kind not in (INSTRUCTION, ADOPTION):
        problem("类型", f"类型“{kind}”无效：只能是{INSTRUCTION} / {ADOPTION}")
        return None
    if level not in levels:
        problem("级别", f"级别“{level}”无效：{kind}的级别只能是{'/'.join(levels)}")
        return None
    item = str(raw.get("信息", "")).strip()
    if not (config.root / SUBMISSIONS / f"{item}.md").is_file():
        problem("信息", f"信息{item or '（未写）'}不存在：请写submissions/下的信息编号")
        return None
    try:
        date = dt.date.fromisoformat(str(raw.get("日期", "")).strip())
    except ValueError:
        problem("日期", f"日期“{raw.get('日期')}”应写成2026-11-28")
        return None
    by, publication = str(raw.get("批示人") or ""), str(raw.get("刊物") or "")
    classification = str(raw.get("密级") or "").strip()
    wrong = _classification_problem(kind, classification)
    if wrong:
        problem("密级", wrong)
        return None
    return Record(shown, kind, item, date, level, by, publication, body, classification)


def _classification_problem(kind: str, classification: str) -> str | None:
    """What is wrong with a record's own 密级 (None: nothing; not written is the item's)."""
    if not classification:
        return None
    if kind != INSTRUCTION:
        return f"密级只用于批示（批示内容的密级）：{kind}请删去这一行"
    if classification not in LEVELS:
        return f"密级“{classification}”无效：只能是{'/'.join(LEVELS)}；不写则同所批信息的密级"
    return None


def write_record(config: Config, record: Record) -> Path:
    """A new record file (never overwrites): records/<year>/<MMDD>-<kind>-<NN>.md."""
    levels = INSTRUCTION_LEVELS if record.kind == INSTRUCTION else ADOPTION_LEVELS
    if record.level not in levels:
        raise UsageError(f"级别“{record.level}”无效：{record.kind}的级别只能是{'/'.join(levels)}")
    if not (config.root / SUBMISSIONS / f"{record.item}.md").is_file():
        raise UsageError(f"信息{record.item}不存在：请写submissions/下的信息编号，如xiushui/2026/1103-01")
    if record.kind == INSTRUCTION and not record.by:
        raise UsageError("批示须写明批示人（--by）")
    wrong = _classification_problem(record.kind, record.classification)
    if wrong:
        raise UsageError(f"--classification：{wrong}")
    folder = config.root / RECORDS / str(record.date.year)
    tag = "ps" if record.kind == INSTRUCTION else "cy"
    lines = [
        "---",
        f"类型: {record.kind}",
        f"信息: {record.item}",
        f"日期: {record.date.isoformat()}",
        f"级别: {record.level}",
    ]
    if record.by:
        lines.append(f"批示人: {record.by}")
    if record.publication:
        lines.append(f"刊物: {record.publication}")
    if record.classification:
        lines.append(f"密级: {record.classification}")
    lines += ["---", "", record.text, ""]
    data = "\n".join(lines).encode("utf-8")
    # whole or not at all, never over another record (one written meanwhile: the next number)
    names = (folder / f"{record.date:%m%d}-{tag}-{n:02d}.md" for n in range(1, 1000))
    path = create_first_free(names, data, within=config.root)
    if path is not None:
        return path
    raise UsageError(
        f"{folder.relative_to(config.root).as_posix()}下{record.date:%m月%d日}的登记已有999条：请检查是否重复登记"
    )
