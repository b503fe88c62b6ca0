"""`bulletin fix`: the safe automatic fixes, written atomically, verified to lose no text.

Fixes: encoding to UTF-8 (GBK, UTF-16, UTF-32 and BOM), English key aliases to the canonical
Chinese keys, typography of the title and body (punctuation, full-width digits and letters, stray
spaces, and what Word, WPS and Traditional input methods leave: indents, non-breaking spaces,
zero-width characters, quotes, …… and ——, Traditional characters; the lines of a paragraph broken
inside a sentence; Markdown syntax is never prose: bulletin.core.typography.corrected_lines). A file is read as
`bulletin check` reads it (read.parse_item); one whose header cannot be read is refused whole, its
bytes untouched, and a fixed file must read back with the same values and Markdown structure.
Comments, key order, quoting and line endings of the file are kept as written. The original
stays untouched until the fixed file is completely on the disk (bulletin.desk.atomic).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from bulletin.core import fields, typography
from bulletin.core.model import Finding, Item
from bulletin.desk.atomic import WriteError, write_file
from bulletin.desk.config import CONFIG_NAME
from bulletin.desk.read import (
    FRONT_MATTER_MAX_NODES,
    Decoded,
    DecodeProblem,
    YamlProblem,
    decode,
    load_yaml,
    parse_item,
    read_bounded,
    split_front_matter,
    wide_encoding,
)
from bulletin.errors import BulletinError


@dataclass
class FixResult:
    path: Path
    changes: list[str]  # what was done, in Chinese
    diff: str
    written: bool


FIX_MAX_BYTES = 4 * 1024 * 1024  # far above any item (bulletin check refuses those over limits.file_max_bytes)


class FixRefused(BulletinError):
    exit_code = 1


def fix_file(path: Path, shown: str, write: bool = True, keep: tuple[str, ...] = ()) -> FixResult:
    """Fix one item in place. Refuses (FixRefused, the file untouched) what it cannot read exactly as
    `bulletin check` reads it: a fix edits only characters it has located in a parsed file. `keep`:
    the words left in Traditional form (bulletin.yml's traditional_exceptions)."""
    try:
        data = read_bounded(path, FIX_MAX_BYTES)  # not a link, a FIFO or a device; never past the limit
    except DecodeProblem as exc:
        message = _link_message(path) or exc.message
        raise FixRefused(f"{shown}：{message}，无法自动修正，文件未作改动") from exc
    decoded, changes = _decode(data, shown)
    original = decoded.text
    before = _parse(original)
    if not before.front_matter_ok:
        raise FixRefused(_unreadable(shown, original, before.findings))
    parts = split_front_matter(original)
    if parts is None:  # never expected: a header that was read has its fences
        raise FixRefused(_unreadable(shown, original, before.findings))
    fm_text, fm_line, body, body_line = parts
    head_lines = original.split("\n")[: body_line - 1]
    head_lines, notes = _fix_front_matter(head_lines, fm_text, fm_line, keep)
    changes.extend(notes)
    fixed_body = typography.correct_body(body, keep)
    if fixed_body != body:
        changes.append("正文标点、数字、空格、繁体字、段落按国家标准改正")
    text = "\n".join(head_lines) + "\n" + fixed_body
    _verify(before, text, shown, keep)
    diff = "".join(
        difflib.unified_diff(
            original.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"{shown}（原文）",
            tofile=f"{shown}（修正后）",
        )
    )
    out = text.replace("\n", "\r\n") if decoded.had_crlf else text
    new_data = out.encode("utf-8")
    written = False
    if write and new_data != data:
        try:
            if path.read_bytes() != data:
                raise FixRefused(f"{shown}：修正期间文件被改动过，未写入。请保存后重新运行“bulletin fix”")
            write_file(path, new_data, within=_desk_of(path), shown=shown)
        except OSError as exc:
            raise FixRefused(f"{shown}：无法读取（{exc.strerror}），未写入") from exc
        except WriteError as exc:
            raise FixRefused(str(exc)) from exc
        written = True
    return FixResult(path, changes, diff, written)


def _decode(data: bytes, shown: str) -> tuple[Decoded, list[str]]:
    """The text of the file, converted to UTF-8 from GBK, UTF-16 or UTF-32, and what was done."""
    changes: list[str] = []
    try:
        decoded = decode(data)
    except DecodeProblem as exc:
        source = _encoding_of(data) if exc.rule == "encoding" else None
        if source is None:
            raise FixRefused(f"{shown}：{exc.message}，无法自动修正，文件未作改动") from exc
        name, codec = source
        try:
            decoded = decode(data.decode(codec).encode("utf-8"))
        except (UnicodeDecodeError, DecodeProblem) as exc2:
            raise FixRefused(
                f"{shown}：文件不是UTF-8编码，也无法按{name}读取，无法自动转换，文件未作改动：请在编辑器中另存为UTF-8"
            ) from exc2
        changes.append(f"编码由{name}转为UTF-8")
    if decoded.had_bom:
        changes.append("去掉UTF-8的BOM标记")
    return decoded, changes


def _encoding_of(data: bytes) -> tuple[str, str] | None:
    """The encoding of a text file that is not UTF-8, as `decode` named it; None if unknown."""
    wide = wide_encoding(data)
    if wide is not None:
        return wide
    if b"\x00" in data[:8192]:
        return None
    return "GBK", "gb18030"


@dataclass
class _Read:
    """An item as `bulletin check` reads it."""

    front_matter_ok: bool
    fields: dict[str, object]
    body: str
    findings: list[Finding]


def _parse(text: str) -> _Read:
    item = Item(path="", abspath=Path(), text="")
    parsed, findings = parse_item(text.encode("utf-8"), item, [])
    return _Read(parsed.front_matter_ok, dict(parsed.fields), parsed.body, findings)


def _link_message(path: Path) -> str | None:
    """What a symbolic link points at, if it is one (its target is only looked at, never opened)."""
    if not path.is_symlink():
        return None
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "这是符号链接（快捷方式），指向的文件不存在，不是普通文件：请提交文件本身"
    kinds = ((stat.S_ISREG, "一个文件"), (stat.S_ISDIR, "文件夹"), (stat.S_ISFIFO, "管道"))
    kind = next((name for test, name in kinds if test(mode)), "设备")
    return f"这是指向{kind}的符号链接（快捷方式），不是普通文件：请提交文件本身"


_DASHES = re.compile(r"^[-‐‑‒–—―－]{1,}[ \t]*$")


def _unreadable(shown: str, text: str, findings: list[Finding]) -> str:
    """Why the file cannot be read, where, and what to do: the fix refuses the whole file."""
    shape = _header_shape(text)
    line, problem, rule = (*shape, "front-matter") if shape else _first_problem(findings)
    where = f"第{line}行：" if line else ""
    what = "头部信息读不出来" if rule == "front-matter" else "“bulletin check”读不出这个文件"
    return f"{shown}：{where}{problem}。{what}，文件未作任何修改：请先按提示改正，再运行“bulletin fix”"


def _first_problem(findings: list[Finding]) -> tuple[int | None, str, str]:
    for finding in findings:
        return finding.line, finding.message.rstrip("。"), finding.rule
    return None, "头部信息无法读取", "front-matter"


def _header_shape(text: str) -> tuple[int, str] | None:
    """The usual ways a header's fences go wrong, named more exactly than “no header”."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None
    opening = lines[first]
    if opening.strip() == "---" and (first or opening != opening.lstrip()):
        if first:
            return 1, f"“---”之前有{first}个空行：头部信息的“---”须写在文件的第1行，请删去前面的空行"
        return 1, "“---”前面有空格：头部信息的“---”须顶格写在第1行，请删去行首的空格"
    if opening.lstrip().startswith("%"):
        return first + 1, f"“{opening.strip()[:20]}”是YAML指令：头部信息须以第1行的“---”开始，请删去这一行"
    if _DASHES.match(opening.strip()) and opening.strip() != "---":
        return first + 1, f"头部信息的开始线写成了“{opening.strip()}”：须是三个半角减号“---”，顶格写"
    if first == 0 and opening.rstrip(" \t") == "---":
        closing = next((i for i in range(1, len(lines)) if _DASHES.match(lines[i].strip())), None)
        if closing is not None and not re.fullmatch(r"(---|\.\.\.)[ \t]*", lines[closing]):
            return closing + 1, (f"头部信息的结束线写成了“{lines[closing]}”：须是顶格的三个半角减号“---”")
        if closing is None:
            blank = next((i for i in range(1, len(lines)) if not lines[i].strip()), len(lines))
            return blank + 1, "头部信息没有结束：请在头部最后一项之后，即这一行，加一行“---”"
    return None


def _desk_of(path: Path) -> Path | None:
    """The desk the file is in, as named (symlinks not followed): a fix never writes outside it."""
    for folder in Path(os.path.abspath(path)).parents:
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def _fix_front_matter(
    lines: list[str], fm_text: str, fm_line: int, keep: tuple[str, ...] = ()
) -> tuple[list[str], list[str]]:
    """Rename alias keys and correct the title, by editing only those characters in place."""
    notes: list[str] = []
    try:
        _, node = load_yaml(fm_text, max_nodes=FRONT_MATTER_MAX_NODES)
    except YamlProblem:  # never expected: fix_file has read the header as check does
        return lines, notes
    if not isinstance(node, yaml.MappingNode):
        return lines, notes
    lines = list(lines)
    present = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    titles = sum(1 for k in _keys(node) if fields.canonical(k) is fields.canonical("标题"))
    edits: list[tuple[int, int, int, str]] = []  # (line index, start col, end col, replacement)
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or not isinstance(key.value, str):
            continue
        field = fields.canonical(key.value)
        if field is None:
            continue
        if key.value != field.key and field.key not in present and key.start_mark.line == key.end_mark.line:
            edits.append((fm_line - 1 + key.start_mark.line, key.start_mark.column, key.end_mark.column, field.key))
            notes.append(f"键“{key.value}”改为“{field.key}”")
        if field.key == "标题" and titles == 1:  # two titles: a duplicate-key error to settle first
            edit = _title_edit(lines, fm_text, fm_line, value, keep)
            if edit is not None:
                edits.append(edit)
                notes.append("标题标点、数字、空格按国家标准改正")
    for index, start, end, replacement in sorted(edits, key=lambda e: (e[0], -e[1])):
        line = lines[index]
        lines[index] = line[:start] + replacement + line[end:]
    return lines, notes


def _keys(node: yaml.MappingNode) -> list[str]:
    return [k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode) and isinstance(k.value, str)]


def _title_edit(
    lines: list[str], fm_text: str, fm_line: int, value: yaml.Node, keep: tuple[str, ...] = ()
) -> tuple[int, int, int, str] | None:
    """The edit correcting a title written on one line, or None: in place where the title is written
    as it is read (no escapes, no doubled quotes), else the whole value written anew in double quotes;
    kept only if the header, so edited, reads the corrected title."""
    if not isinstance(value, yaml.ScalarNode) or value.start_mark.line != value.end_mark.line:
        return None
    corrected = _corrected_title(value.value, keep)
    if corrected == value.value:
        return None
    start, end = value.start_mark.column, value.end_mark.column
    inner = (start + 1, end - 1) if value.style in ('"', "'") else (start, end)
    index, at = fm_line - 1 + value.start_mark.line, value.start_mark.line
    candidates = [(start, end, json.dumps(corrected, ensure_ascii=False))]
    if lines[index][inner[0] : inner[1]] == value.value:
        candidates.insert(0, (*inner, corrected))
    for begin, stop, replacement in candidates:
        fm_lines = fm_text.split("\n")
        fm_lines[at] = fm_lines[at][:begin] + replacement + fm_lines[at][stop:]
        try:
            data, _ = load_yaml("\n".join(fm_lines), max_nodes=FRONT_MATTER_MAX_NODES)
        except YamlProblem:
            continue
        titles = [v for k, v in data.items() if isinstance(k, str) and fields.canonical(k) is fields.canonical("标题")]
        if titles == [corrected]:
            return index, begin, stop, replacement
    return None


_EQUIVALENT = str.maketrans(
    {"。": ".", "，": ",", "；": ";", "：": ":", "！": "!", "？": "?", "（": "(", "）": ")"}
    | {q: '"' for q in "“”‘’「」『』'"}  # quotes by nesting: the outer and the inner alike
    | {"…": ".", "·": ".", "—": "-"}
    | {ch: None for ch in typography.ERASED}
)


def _skeleton(text: str, keep: tuple[str, ...] = ()) -> str:
    """What must survive a fix: the text without spaces, widths, punctuation forms, quotes by
    nesting, the length of an ellipsis or a dash, zero-width characters, and Traditional forms."""
    folded = typography.simplified(unicodedata.normalize("NFKC", text).translate(_EQUIVALENT), keep)
    return re.sub(r"-+", "-", re.sub(r"\.+", ".", "".join(folded.split())))


def _verify(before: _Read, fixed: str, shown: str, keep: tuple[str, ...] = ()) -> None:
    """Refuse to write unless the file is read as before: the same fields with the same values (the
    title changed only by the typography rules), the same body text (but for Traditional characters
    made simplified) and the same Markdown (but for how the lines of a paragraph are broken)."""
    after = _parse(fixed)
    refused = FixRefused(f"{shown}：自动修正会改变文字内容，已放弃修改，原文件未动。请手工修改并报告管理员")
    if not after.front_matter_ok or before.fields.keys() != after.fields.keys():
        raise refused
    for key, value in before.fields.items():
        if after.fields[key] != value and not (
            key == "标题" and isinstance(value, str) and after.fields[key] == _corrected_title(value, keep)
        ):
            raise refused
    if _skeleton(before.body, keep) != _skeleton(after.body, keep):
        raise refused
    if after.body != before.body and typography.markdown_shape(before.body, lines=False) != typography.markdown_shape(
        after.body, lines=False
    ):
        raise refused


def _corrected_title(title: str, keep: tuple[str, ...] = ()) -> str:
    """The title as the typography rules correct it: what check judges is the title without the
    spaces at its ends (levels.as_text), so that is what is corrected; the spaces stay."""
    core = title.strip()
    if not core:
        return title
    at = title.index(core)
    return title[:at] + "\n".join(typography.corrected_lines(core, spaces=False, keep=keep)) + title[at + len(core) :]
