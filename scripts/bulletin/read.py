"""Files -> model: decoding, front matter, safe YAML with line numbers, key aliases.

Everything here is defensive: a user's file may be in the wrong encoding, binary, huge,
or hostile YAML. Problems come back as findings (never exceptions, never execution).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bulletin import fields
from bulletin.model import Finding, Item, Severity

FRONT_MATTER_MAX_BYTES = 64 * 1024
_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

try:  # the C loader parses about 7x faster; fall back to pure Python where libyaml is missing
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):
    """Safe loader that keeps times as text (we read them ourselves, with the right zone)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlProblem(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line  # 0-based within the YAML text, or None


def load_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """Parse YAML safely: no language tags, no aliases (no 'billion laughs'), bounded depth.

    Returns the data and the composed node (for line numbers).
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        _vet(node)
        return loader.construct_document(node), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(_yaml_message(exc), mark.line if mark else None) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML 格式错误：{exc}", None) from exc
    except RecursionError as exc:
        raise YamlProblem("YAML 嵌套层数过多，请只写简单的“键: 值”", None) from exc
    finally:
        loader.dispose()


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    if "could not determine a constructor" in problem or "tag" in problem:
        return "不允许使用 YAML 标签（以 ! 开头的写法），请只写普通文字"
    if "found character '\\t'" in problem or "tab character" in problem:  # PyYAML / libyaml wording
        return "YAML 中不能用制表符（Tab）缩进，请改用空格"
    if "mapping values are not allowed" in problem:
        return "这一行的冒号用法不对：值里含有“: ”时请给整个值加引号"
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "YAML 结构有误：每行应为“键: 值”，注意缩进和冒号（冒号后需空格）"
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return f"YAML 写法有误（{problem}）"
    return f"YAML 格式错误（{problem or exc}）：请检查这一行的冒号、引号和缩进"


def _vet(root: yaml.Node) -> None:
    """Refuse aliases and non-standard tags; bound depth and size."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 0)]
    count = 0
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise YamlProblem("不允许使用 YAML 锚点和别名（& 与 *），请直接写出每个值", node.start_mark.line)
        seen.add(id(node))
        count += 1
        if depth > 20 or count > 10_000:
            raise YamlProblem("YAML 内容过深或过多，信息的头部只需简单的“键: 值”", node.start_mark.line)
        if node.tag not in _SAFE_TAGS:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise YamlProblem(f"不允许使用 YAML 标签“{shown}”，请只写普通文字", node.start_mark.line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)


@dataclass
class Decoded:
    text: str
    had_bom: bool
    had_crlf: bool


class DecodeProblem(Exception):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def decode(data: bytes) -> Decoded:
    """UTF-8 (BOM and CRLF accepted); a GBK file or a binary file is a clear problem."""
    if not data.strip():
        raise DecodeProblem("empty", "文件是空的：请按模板填写头部信息和正文（可用 bulletin new 生成）")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DecodeProblem("encoding", "文件是 UTF-16 编码（记事本的“Unicode”）：须为 UTF-8，请在编辑器中另存为 UTF-8")
    if b"\x00" in data[:8192]:
        raise DecodeProblem("encoding", "这是二进制文件，不是文本：信息须为 UTF-8 编码的 Markdown 文本文件")
    had_bom = data.startswith(b"\xef\xbb\xbf")
    if had_bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise DecodeProblem(
                "encoding", f"第{line}行附近有无法识别的字节：文件不是 UTF-8 编码，请用 UTF-8 重新保存"
            ) from exc
        raise DecodeProblem(
            "encoding",
            "文件是 GBK（GB2312/GB18030）编码，须为 UTF-8：请运行 bulletin fix 自动转换，或在编辑器中另存为 UTF-8",
        ) from exc
    had_crlf = "\r\n" in text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, had_bom, had_crlf)


def split_front_matter(text: str) -> tuple[str, int, str, int] | None:
    """(front matter, its first line, body, body's first line), lines 1-based; None if absent."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return None
    for i in range(1, len(lines)):
        if _FENCE_END.match(lines[i]):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1 :]), i + 2
    return None


def read_item(abspath: Path, shown: str, max_bytes: int) -> tuple[Item, list[Finding]]:
    """Read one submission file. Problems of reading come back as findings."""
    item = Item(path=shown, abspath=abspath, text="")
    out: list[Finding] = []

    def problem(rule: str, line: int | None, message: str) -> tuple[Item, list[Finding]]:
        out.append(Finding(shown, line, rule, Severity.ERROR, message))
        return item, out

    try:
        size = abspath.stat().st_size
        if size > max_bytes:
            return problem(
                "file-size",
                None,
                f"文件过大（{size // 1024} KB，上限 {max_bytes // 1024} KB）：一条信息只写一件事，请精简或拆分",
            )
        data = abspath.read_bytes()
    except OSError as exc:
        return problem("encoding", None, f"无法读取文件：{exc.strerror or exc}")
    return parse_item(data, item, out)


def parse_item(data: bytes, item: Item, out: list[Finding]) -> tuple[Item, list[Finding]]:
    shown = item.path

    def problem(rule: str, line: int | None, message: str) -> tuple[Item, list[Finding]]:
        out.append(Finding(shown, line, rule, Severity.ERROR, message))
        return item, out

    try:
        decoded = decode(data)
    except DecodeProblem as exc:
        return problem(exc.rule, None, exc.message)
    item.text, item.had_bom, item.had_crlf = decoded.text, decoded.had_bom, decoded.had_crlf
    parts = split_front_matter(item.text)
    if parts is None:
        if item.text.startswith("---"):
            return problem("front-matter", 1, "头部信息没有结束：请在头部最后加一行 ---")
        item.body = item.text
        return problem(
            "front-matter",
            1,
            "缺少头部信息：文件应以 --- 开头，写明标题、报送单位等，再以 --- 结束（可用 bulletin new 生成模板）",
        )
    fm_text, fm_line, item.body, item.body_line = parts
    if len(fm_text.encode("utf-8")) > FRONT_MATTER_MAX_BYTES:
        return problem("front-matter", fm_line, "头部信息过长：只需写明规定的几项")
    try:
        data_obj, node = load_yaml(fm_text)
    except YamlProblem as exc:
        line = fm_line + exc.line if exc.line is not None else fm_line
        return problem("front-matter", line, exc.message)
    if not isinstance(data_obj, dict) or not isinstance(node, yaml.MappingNode):
        return problem(
            "front-matter",
            fm_line,
            "头部信息应为“键: 值”的列表（如“标题: ……”），现在不是",
        )
    for key_node, value_node in node.value:
        line = fm_line + key_node.start_mark.line
        written = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(written, str) or not written.strip():
            problem("unknown-key", line, "头部信息的键应为文字，如“标题”")
            continue
        field = fields.canonical(written)
        if field is None:
            hint = _suggest(written)
            problem(
                "unknown-key",
                line,
                f"不认识的键“{written}”{hint}：可用的键见《信息写作与报送规范》，多余的内容请删除",
            )
            continue
        if field.key in item.fields:
            first = item.lines[field.key]
            problem(
                "duplicate-key",
                line,
                f"“{written}”与第{first}行的“{item.key_spellings[field.key]}”重复（{field.key}/{field.alias}"
                "是同一项）：请只保留一个",
            )
            continue
        item.fields[field.key] = data_obj.get(written) if written in data_obj else None
        item.lines[field.key] = line
        item.value_lines[field.key] = fm_line + value_node.start_mark.line
        item.key_spellings[field.key] = written
    item.front_matter_ok = True
    return item, out


def _suggest(written: str) -> str:
    import difflib

    names = [f.key for f in fields.FIELDS] + [f.alias for f in fields.FIELDS]
    close = difflib.get_close_matches(written.lower(), names, n=1, cutoff=0.5)
    return f"，是不是“{close[0]}”" if close else ""
