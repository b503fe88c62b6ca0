"""Files -> model: decoding, front matter, safe YAML with line numbers, key aliases.

Everything here is defensive: a user's file may be in the wrong encoding, binary, huge,
or hostile YAML. Problems come back as findings (never exceptions, never execution).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bulletin.core import fields, names
from bulletin.core.model import Finding, Item, Severity

FRONT_MATTER_MAX_BYTES = 64 * 1024
LINE_MAX_CHARS = 2000  # a paragraph of a 1500-character item fits; a longer line is not prose
YAML_MAX_CHARS = 1024 * 1024  # a configuration file, a registry: far below this
YAML_MAX_NODES = 100_000  # keys, values and list entries of one YAML text (a large registry: some 10,000)
YAML_MAX_DEPTH = 20  # a unit's informant's name is 5 deep
FRONT_MATTER_MAX_NODES = 2_000  # the head of an item, an issue, an event: a few dozen
FINDINGS_PER_RULE = 20  # a hostile file cannot flood the report: the rest is summed up in one more
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


_ALIAS_MESSAGE = "不允许使用YAML锚点和别名（“&”与“*”），请直接写出每个值"


def load_yaml(
    text: str, max_nodes: int = YAML_MAX_NODES, max_depth: int = YAML_MAX_DEPTH, max_chars: int = YAML_MAX_CHARS
) -> tuple[Any, yaml.Node | None]:
    """Parse YAML safely: no language tags, no anchors or aliases (no 'billion laughs'), bounded
    size, depth and number of values, so time and memory stay bounded whatever the text.

    The text is first read as a stream of events, stopping at the first thing refused, and only
    then composed. Returns the data and the composed node (for line numbers).
    """
    if len(text) > max_chars:
        raise YamlProblem(f"内容过大（{len(text) // 1024}K字符，上限{max_chars // 1024}K）：请精简", None)
    try:
        if len(text) > _SCAN_ABOVE_CHARS:
            _scan(text, max_nodes, max_depth)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, None
            return _Builder(loader, max_nodes, max_depth).build(node, 1), node
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(_yaml_message(exc, text), mark.line if mark else None) from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML格式有误，请检查冒号、引号和缩进（解析器提示：{exc}）", None) from exc
    except RecursionError as exc:
        raise YamlProblem("YAML嵌套层数过多，请只写简单的“键: 值”", None) from exc
    except (ValueError, OverflowError, TypeError) as exc:  # e.g. an integer of more than 4300 digits
        raise YamlProblem(f"有无法读取的值（{str(exc)[:60]}）：数字过长时请加引号写成文字", None) from exc


def _scan(text: str, max_nodes: int, max_depth: int) -> None:
    """Walk the events of `text` without building anything; refuse what load_yaml must not compose."""
    loader = _Loader(text)
    try:
        depth = count = documents = 0
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            line = event.start_mark.line if event.start_mark else None
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlProblem("只能有一组“键: 值”：中间多出了“---”分隔的第二部分，请删去", line)
            elif isinstance(event, yaml.AliasEvent):
                raise YamlProblem(_ALIAS_MESSAGE, line)
            elif isinstance(event, yaml.NodeEvent):
                if event.anchor is not None:
                    raise YamlProblem(_ALIAS_MESSAGE, line)
                tag = getattr(event, "tag", None)
                if tag is not None and tag not in _SAFE_TAGS:
                    shown = tag.replace("tag:yaml.org,2002:", "!!")
                    raise YamlProblem(f"不允许使用YAML标签“{shown[:60]}”，请只写普通文字", line)
                count += 1
                if count > max_nodes:
                    raise YamlProblem(f"YAML内容过多（超过{max_nodes}项）：请精简", line)
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > max_depth:
                        raise YamlProblem(f"YAML嵌套过深（超过{max_depth}层）：请只写简单的“键: 值”", line)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


_YAML_PROBLEMS = (  # what libyaml and PyYAML say -> what the user is told
    (("could not determine a constructor",), "不允许使用YAML标签（以“!”开头的写法），请只写普通文字"),
    (("found character '\\t'", "tab character"), "YAML中不能用制表符（Tab）缩进，请改用空格"),
    (("mapping values are not allowed",), "这一行的冒号用法不对：值里含有“: ”时请给整个值加引号"),
    (
        ("could not find expected ':'", "expected <block end>", "did not find expected key"),
        "YAML结构有误：每行应为“键: 值”，注意缩进和冒号（冒号后需空格），同一层的键要对齐",
    ),
    (("found undefined alias", "found duplicate anchor", "expected alphabetic or numeric"), _ALIAS_MESSAGE),
    (("unknown escape",), "双引号中的反斜杠（\\）写法不对：请改用单引号，或去掉反斜杠"),
    (("control characters are not allowed", "special characters are not allowed"), "有看不见的控制字符：请删去"),
    (("maximum nesting depth",), "YAML嵌套层数过多，请只写简单的“键: 值”"),
    (("found unexpected end of stream",), "引号没有配对：请检查这一行的引号"),
    (("expected ',' or ']'", "expected ',' or '}'"), "方括号或花括号没有配对，或项之间少了逗号：如[市委, 市政府]"),
    (("cannot start any token",), "这一行以YAML的特殊符号（如@、`、%、|）开头：请给整个值加引号"),
    (("block sequence entries are not allowed",), "列表项（“- ”）的位置不对：请检查缩进，或写成[甲, 乙]"),
    (("unhashable key",), "键只能是文字，不能是列表或映射"),
    (("another document", "expected <document start>"), "只能有一组“键: 值”：请检查是否多写了“---”"),
    (("directive",), "不允许使用“%”开头的YAML指令，请删去"),
)


def _yaml_message(exc: yaml.MarkedYAMLError, text: str = "") -> str:
    problem = (exc.problem or "").strip()
    mark = exc.problem_mark or exc.context_mark
    if mark is not None:  # libyaml does not always say that the character it stopped at is a tab
        lines = text.split("\n", mark.line + 1)
        line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line[: len(line) - len(line.lstrip())] or line[mark.column : mark.column + 1] == "\t":
            return "YAML中不能用制表符（Tab）缩进，请改用空格"
    for needles, message in _YAML_PROBLEMS:
        if any(needle in problem for needle in needles):
            return message
    if "tag" in problem:
        return "不允许使用YAML标签（以“!”开头的写法），请只写普通文字"
    return f"YAML格式有误，请检查这一行的冒号、引号和缩进（解析器提示：{(problem or str(exc))[:80]}）"


# Composing is linear in the text (an alias becomes a shared node, not a copy) and libyaml bounds
# its nesting, so a short text is composed straight away and _Builder refuses what _scan would have;
# a long one is first walked as events, to stop early without composing it.
_SCAN_ABOVE_CHARS = 64 * 1024


_STR_TAG = "tag:yaml.org,2002:str"


class _Builder:
    """Builds the data of a composed node, refusing on the way shared nodes (aliases), tags other
    than plain data (also those the resolver gave, e.g. !!merge for <<), and more values or deeper
    nesting than allowed. Text, nearly every value, is taken as it is; other scalars go to the
    safe constructor. The same data as PyYAML's safe constructor (a property test holds it to that)."""

    def __init__(self, loader: Any, max_nodes: int, max_depth: int) -> None:
        self.loader = loader
        self.max_nodes = max_nodes
        self.max_depth = max_depth
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, depth: int) -> Any:
        if id(node) in self.seen:
            raise YamlProblem(_ALIAS_MESSAGE, node.start_mark.line)
        self.seen.add(id(node))
        if len(self.seen) > self.max_nodes:
            raise YamlProblem(f"YAML内容过多（超过{self.max_nodes}项）：请精简", node.start_mark.line)
        tag = node.tag
        if tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value
        if tag not in _SAFE_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise YamlProblem(f"不允许使用YAML标签“{shown[:60]}”，请只写普通文字", node.start_mark.line)
        if isinstance(node, yaml.ScalarNode):
            return self.loader.construct_object(node)
        if depth > self.max_depth:
            raise YamlProblem(f"YAML嵌套过深（超过{self.max_depth}层）：请只写简单的“键: 值”", node.start_mark.line)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, depth + 1) for child in node.value]
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node, depth + 1)
            if not isinstance(key, Hashable):
                raise YamlProblem("键只能是文字，不能是列表或映射", key_node.start_mark.line)
            mapping[key] = self.build(value_node, depth + 1)
        return mapping


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


_SIGNATURES = (  # the first bytes of files a user may mistake for text, and what they are
    (b"\x89PNG", "PNG图片"),
    (b"\xff\xd8\xff", "JPEG图片"),
    (b"GIF87a", "GIF图片"),
    (b"GIF89a", "GIF图片"),
    (b"%PDF-", "PDF文件"),
    (b"PK\x03\x04", "Word（.docx）、WPS、OFD文档或ZIP压缩包"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word（.doc）、Excel（.xls）或WPS文档"),
    (b"{\\rtf", "RTF文档（写字板或Word另存的格式）"),
    (b"Rar!\x1a\x07", "RAR压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z压缩包"),
    (b"\x1f\x8b", "gzip压缩包"),
    (b"\x7fELF", "程序文件"),
)
_TEXT_CONTROLS = set(b"\t\n\r\x0c\x1b")


def binary_kind(data: bytes) -> str | None:
    """What a binary file is ("PNG 图片", "二进制文件"), or None for what may be text."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data.startswith((b"RIFF",)) and data[8:12] == b"WEBP":
        return "WebP图片"
    if b"\x00" in data:
        return "二进制文件"
    return None


def _mostly_controls(data: bytes) -> bool:
    """Bytes that are neither UTF-8 nor likely GBK text: many control bytes (a binary file)."""
    head = data[:65536]
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls > max(8, len(head) // 100)


def wide_encoding(data: bytes) -> tuple[str, str] | None:
    """("UTF-32" or "UTF-16", the codec to read it) for text in those encodings, else None.

    UTF-16 is known by its byte order mark; UTF-32 by its mark, or without one by its shape: units of
    four bytes, each a character below U+110000 (two or three zero bytes in each)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32", "utf-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16", "utf-16"
    head = data[:65536]
    if len(data) % 4 or len(head) < 4:
        return None
    for codec, zero, plane, rest in (("utf-32-le", 3, 2, (0, 1)), ("utf-32-be", 0, 1, (2, 3))):
        if any(head[zero::4]) or max(head[plane::4]) > 0x10 or not any(any(head[i::4]) for i in rest):
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return "UTF-32", codec
    return None


def decode(data: bytes) -> Decoded:
    """UTF-8 (BOM and CRLF accepted); a GBK, UTF-16 or binary file is a clear problem."""
    if not data.strip():
        raise DecodeProblem("empty", "文件是空的：请按模板填写头部信息和正文（可用“bulletin new”生成）")
    wide = wide_encoding(data)
    if wide is not None and wide[0] == "UTF-32":
        raise DecodeProblem(
            "encoding", "文件是UTF-32编码：须为UTF-8，请运行“bulletin fix”自动转换，或在编辑器中另存为UTF-8"
        )
    if wide is not None:
        raise DecodeProblem("encoding", "文件是UTF-16编码（记事本的“Unicode”）：须为UTF-8，请在编辑器中另存为UTF-8")
    kind = binary_kind(data)
    if kind is not None:
        raise DecodeProblem(
            "file-type",
            f"这是{kind}，不是文本文件：须为UTF-8编码的文本文件（如Markdown），请在文本编辑器中新建文件写入内容",
        )
    had_bom = data.startswith(b"\xef\xbb\xbf")
    if had_bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_controls(data):
            raise DecodeProblem(
                "file-type", "这是二进制文件，不是文本文件：须为UTF-8编码的文本文件（如Markdown）"
            ) from exc
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            line = data[: exc.start].count(b"\n") + 1
            raise DecodeProblem(
                "encoding", f"第{line}行附近有无法识别的字节：文件不是UTF-8编码，请用UTF-8重新保存"
            ) from exc
        raise DecodeProblem(
            "encoding",
            "文件是GBK（GB2312/GB18030）编码，须为UTF-8：请运行“bulletin fix”自动转换，或在编辑器中另存为UTF-8",
        ) from exc
    had_crlf = "\r\n" in text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, had_bom, had_crlf)


_LINK_MESSAGE = "这是符号链接（快捷方式），不是文件：请提交文件本身，链接可能指向仓库以外的内容"


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of a user's file: a regular file, not a link, at most `max_bytes` (else DecodeProblem).

    The file is opened without following a symbolic link and without blocking (a FIFO or a device
    named like a file cannot hang the desk), and never read past the limit.
    """
    nofollow = getattr(os, "O_NOFOLLOW", 0)  # opening a link fails (ELOOP); where there is no such flag, ask first
    flags = os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        if not nofollow and os.path.islink(path):
            raise OSError(errno.ELOOP, "symbolic link")
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise DecodeProblem("file-type", _LINK_MESSAGE) from exc
        raise DecodeProblem("encoding", f"无法读取文件：{exc.strerror or exc}") from exc
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise DecodeProblem("file-type", "这不是普通文件（是文件夹、管道或设备）：请提交文本文件")
        if info.st_size > max_bytes:
            raise DecodeProblem("file-size", _too_big(info.st_size, max_bytes))
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:  # it grew while being read
            raise DecodeProblem("file-size", _too_big(size, max_bytes))
        return b"".join(chunks)
    except OSError as exc:
        raise DecodeProblem("encoding", f"无法读取文件：{exc.strerror or exc}") from exc
    finally:
        os.close(fd)


def _too_big(size: int, limit: int) -> str:
    return f"文件过大（{size // 1024} KB，上限{limit // 1024} KB）：请精简或拆分"


def read_text(path: Path, max_bytes: int) -> str:
    """A user's text file, bounded and decoded; every problem is a DecodeProblem with a Chinese message."""
    return decode(read_bounded(path, max_bytes)).text


def long_line(text: str, limit: int = LINE_MAX_CHARS) -> tuple[int, int] | None:
    """(line number, length) of the first line longer than `limit` characters, or None."""
    if len(text) <= limit:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > limit:
            return number, len(line)
    return None


# characters that may be invisible: everything but ASCII, Latin to Hebrew, CJK and its punctuation,
# the general punctuation outside its zero-width and direction marks, full-width forms. Text with none
# of these (nearly every item) needs no character-by-character look. Written as the few characters
# outside the ordinary ones: `re` builds a class range by range, and the ordinary ranges are large.
_UNUSUAL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u200f\u2028-\u202f\u2060-\u206f\ud800-\udfff\ufeff\ufff9-\U0010ffff]"
)


def invisible_lines(text: str, first_line: int = 1) -> Iterator[tuple[int, list[str]]]:
    """(line number, the invisible characters on it) for each line that has any."""
    if not _UNUSUAL.search(text) or not any(names.is_invisible(ch) for ch in set(text)):
        return
    for number, line in enumerate(text.split("\n"), start=first_line):
        found = names.invisible(line)
        if found:
            yield number, found


def invisible_message(found: list[str]) -> str:
    shown = "、".join(names.label(ch) for ch in found[:5])
    return f"这一行有看不见的字符{shown}：多是从网页、聊天软件复制带来的，会让看起来相同的文字实际不同，请删去"


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
        data = read_bounded(abspath, max_bytes)
    except DecodeProblem as exc:
        if exc.rule == "file-size":
            return problem("file-size", None, exc.message.replace("请精简或拆分", "一条信息只写一件事，请精简或拆分"))
        return problem(exc.rule, None, exc.message)
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
    head_end = parts[3] - 1 if parts else 0  # the last line of the front matter (its closing ---)
    too_long = long_line(parts[2] if parts else item.text)
    if too_long:  # before any rule: no rule need bound its time on a line of any length
        number, length = too_long
        return problem(
            "file-size",
            head_end + number,
            f"这一行有{length}个字符，超过单行上限{LINE_MAX_CHARS}字：正文请按段落换行，一条信息只写一件事",
        )
    stop = False
    for count, (number, found) in enumerate(invisible_lines(item.text)):
        if count < FINDINGS_PER_RULE:
            problem("invisible-char", number, invisible_message(found))
        elif count == FINDINGS_PER_RULE:
            problem("invisible-char", number, "从这一行起还有更多行有看不见的字符，不再逐一列出：请全部删去")
        # YAML refuses control characters: the finding above says it better than the parser would
        stop = stop or (number <= head_end and any(unicodedata.category(ch) == "Cc" for ch in found))
    if stop:
        return item, out
    if parts is None:
        if item.text.startswith("---"):
            return problem("front-matter", 1, "头部信息没有结束：请在头部最后加一行“---”")
        item.body = item.text
        return problem(
            "front-matter",
            1,
            "缺少头部信息：文件应以“---”开头，写明标题、报送单位等，再以“---”结束（可用“bulletin new”生成模板）",
        )
    fm_text, fm_line, item.body, item.body_line = parts
    if len(fm_text.encode("utf-8")) > FRONT_MATTER_MAX_BYTES:
        return problem("front-matter", fm_line, "头部信息过长：只需写明规定的几项")
    try:
        data_obj, node = load_yaml(fm_text, max_nodes=FRONT_MATTER_MAX_NODES)
    except YamlProblem as exc:
        line = fm_line + exc.line if exc.line is not None else fm_line
        return problem("front-matter", line, exc.message)
    if not isinstance(data_obj, dict) or not isinstance(node, yaml.MappingNode):
        return problem(
            "front-matter",
            fm_line,
            "头部信息应为“键: 值”的列表（如“标题: ……”），现在不是",
        )
    fm_lines = fm_text.split("\n")
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
        value = as_written(value_node, data_obj.get(written) if written in data_obj else None)
        lost = swallowed(fm_lines, value_node)
        if lost:
            where = next(n for n, text in enumerate(fm_lines) if lost in text and n >= key_node.start_mark.line)
            flow = isinstance(value_node, yaml.SequenceNode) and value_node.flow_style
            how = "写在方括号内" if flow else '给这个值加引号（如"3号楼 #2单元"）'
            problem(
                "value-comment",
                fm_line + where,
                f"“{written}”中“{lost}”被当作注释，没有读入：要写入的，请{how}，或删去“#”前的空格",
            )
        if len(str(value)) > LINE_MAX_CHARS:  # whatever its shape: no rule need bound its time on it
            return problem("front-matter", line, f"“{written}”写了{len(str(value))}个字符，过长：头部每项只需一句话")
        item.fields[field.key] = value
        item.lines[field.key] = line
        item.value_lines[field.key] = fm_line + value_node.start_mark.line
        item.key_spellings[field.key] = written
    item.front_matter_ok = True
    return item, out


# what YAML 1.1 makes of a value written without quotes, other than text: 8:00 a number (480, base
# sixty), 010 the number 8, 1_000 1000, 3.10 3.1, 1e3 1000.0, no/yes/on/off/true/false a yes or no.
# Every key of an item is text (or a list of texts), so such a value is read as it was written.
# Dates are text already: the loader resolves no timestamps (_Loader).
_RETYPED = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"}


def as_written(node: yaml.Node, value: Any) -> Any:
    """`value` (parsed from `node`) with each plain scalar that YAML took for a number or a yes/no
    given back as the text written in the file: 发生时间: 8:00 is "8:00", not 480; 密级: no is "no"."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if not node.style and node.tag in _RETYPED else value  # plain: None or ""
    if isinstance(node, yaml.SequenceNode) and isinstance(value, list) and len(value) == len(node.value):
        return [as_written(child, entry) for child, entry in zip(node.value, value, strict=True)]
    return value


# a comment right after a value whose "#" touches what follows (`3号楼 #2单元`, `#1`): text the clerk
# meant, which YAML drops. The templates' hints (`          # 可选……`) have a space after "#".
_SWALLOWED = re.compile(r"[ \t]+(#[^ \t#].*)$")


def swallowed(lines: list[str], node: yaml.Node) -> str | None:
    """The text after a plain value (or a list's entry, or a `[…]` list) on its line that YAML
    took for a comment, if any."""
    if isinstance(node, yaml.SequenceNode) and not node.flow_style:
        return next((lost for child in node.value if (lost := swallowed(lines, child))), None)
    if isinstance(node, yaml.ScalarNode) and node.style:
        return None  # quoted or a block: a "#" inside is text; after the closing quote it is a comment
    if not isinstance(node, (yaml.ScalarNode, yaml.SequenceNode)):
        return None
    end = node.end_mark
    if end.line >= len(lines):
        return None
    m = _SWALLOWED.match(lines[end.line][end.column :])
    return m.group(1).strip() if m else None


def _suggest(written: str) -> str:
    import difflib

    names = [f.key for f in fields.FIELDS] + [f.alias for f in fields.FIELDS]
    close = difflib.get_close_matches(written.lower(), names, n=1, cutoff=0.5)
    return f"，是不是“{close[0]}”" if close else ""
