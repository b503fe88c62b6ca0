"""`bulletin fix`: the safe automatic fixes, written atomically, verified to lose no text.

Fixes: encoding to UTF-8 (GBK and BOM), English key aliases to the canonical Chinese keys,
typography of the title and body (punctuation, full-width digits and letters, stray spaces).
Comments, key order, quoting and line endings of the file are kept as written. The original
stays untouched until the fixed file is completely on the disk (bulletin.atomic).
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from bulletin import fields, typography
from bulletin.atomic import WriteError, write_file
from bulletin.config import CONFIG_NAME
from bulletin.errors import BulletinError
from bulletin.model import Item
from bulletin.read import DecodeProblem, decode, load_yaml, parse_item, read_bounded, split_front_matter


@dataclass
class FixResult:
    path: Path
    changes: list[str]  # what was done, in Chinese
    diff: str
    written: bool


FIX_MAX_BYTES = 4 * 1024 * 1024  # far above any item (bulletin check refuses those over limits.file_max_bytes)


class FixRefused(BulletinError):
    exit_code = 1


def fix_file(path: Path, shown: str, write: bool = True) -> FixResult:
    try:
        data = read_bounded(path, FIX_MAX_BYTES)  # not a link, a FIFO or a device; never past the limit
    except DecodeProblem as exc:
        raise FixRefused(f"{shown}：{exc.message}，无法自动修正") from exc
    changes: list[str] = []
    try:
        decoded = decode(data)
    except DecodeProblem as exc:
        source = "UTF-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "GBK"
        if exc.rule != "encoding" or (source == "GBK" and b"\x00" in data[:8192]):
            raise FixRefused(f"{shown}：{exc.message}，无法自动修正") from exc
        try:
            text = data.decode("utf-16") if source == "UTF-16" else data.decode("gb18030")
            decoded = decode(text.encode("utf-8"))
        except (UnicodeDecodeError, DecodeProblem) as exc2:
            raise FixRefused(f"{shown}：文件既不是UTF-8也不是GBK编码，无法自动转换，请在编辑器中另存为UTF-8") from exc2
        changes.append(f"编码由{source}转为UTF-8")
    if decoded.had_bom:
        changes.append("去掉UTF-8的BOM标记")
    original = decoded.text
    text = original
    parts = split_front_matter(text)
    if parts is not None:
        fm_text, fm_line, body, body_line = parts
        head_lines = text.split("\n")[: body_line - 1]
        head_lines, notes = _fix_front_matter(head_lines, fm_text, fm_line)
        changes.extend(notes)
        fixed_body = typography.correct_body(body)
        if fixed_body != body:
            changes.append("正文标点、数字、空格按国家标准改正")
        text = "\n".join(head_lines) + "\n" + fixed_body
    else:
        fixed = typography.correct_body(text)
        if fixed != text:
            changes.append("正文标点、数字、空格按国家标准改正")
        text = fixed
    _verify(original, text, shown)
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


def _desk_of(path: Path) -> Path | None:
    """The desk the file is in, as named (symlinks not followed): a fix never writes outside it."""
    for folder in Path(os.path.abspath(path)).parents:
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def _fix_front_matter(lines: list[str], fm_text: str, fm_line: int) -> tuple[list[str], list[str]]:
    """Rename alias keys and correct the title, by editing only those characters in place."""
    notes: list[str] = []
    try:
        _, node = load_yaml(fm_text)
    except Exception:  # broken front matter: leave it for `bulletin check` to explain
        return lines, notes
    if not isinstance(node, yaml.MappingNode):
        return lines, notes
    lines = list(lines)
    present = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
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
        if field.key == "标题" and isinstance(value, yaml.ScalarNode) and value.start_mark.line == value.end_mark.line:
            start, end = value.start_mark.column, value.end_mark.column
            if value.style in ('"', "'"):
                start, end = start + 1, end - 1
            index = fm_line - 1 + value.start_mark.line
            raw = lines[index][start:end]
            corrected = typography.correct_line(raw, spaces=False)
            if corrected != raw and "\\" not in raw:
                edits.append((index, start, end, corrected))
                notes.append("标题标点、数字按国家标准改正")
    for index, start, end, replacement in sorted(edits, key=lambda e: (e[0], -e[1])):
        line = lines[index]
        lines[index] = line[:start] + replacement + line[end:]
    return lines, notes


_EQUIVALENT = str.maketrans({"。": ".", "，": ",", "；": ";", "：": ":", "！": "!", "？": "?", "（": "(", "）": ")"})


def _skeleton(text: str) -> str:
    """What must survive a fix: the text without spaces, widths and punctuation forms."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_EQUIVALENT).split())


def _verify(original: str, fixed: str, shown: str) -> None:
    """Refuse to write unless only the intended forms changed (never lose text)."""
    before, after = _fields_and_body(original), _fields_and_body(fixed)
    same_fields = before[0].keys() == after[0].keys() and all(
        _skeleton(str(before[0][k])) == _skeleton(str(after[0][k])) for k in before[0]
    )
    if not same_fields or _skeleton(before[1]) != _skeleton(after[1]):
        raise FixRefused(f"{shown}：自动修正会改变文字内容，已放弃修改，原文件未动。请手工修改并报告管理员")


def _fields_and_body(text: str) -> tuple[dict[str, object], str]:
    item = Item(path="", abspath=Path(), text="")
    parsed, _ = parse_item(text.encode("utf-8"), item, [])
    if not parsed.front_matter_ok:
        return {}, text
    return parsed.fields, parsed.body
