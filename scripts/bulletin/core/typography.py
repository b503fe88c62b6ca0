"""Chinese typography per GB/T 15834 (punctuation) and GB/T 15835 (numbers). Pure functions.

autocorrect-py does most of the mechanics (with its spacing rules switched off: government
style puts no spaces between Chinese and Latin text); `_complete` covers what it misses
(; ( ) , after % or a digit, spaces already there). Findings are derived by comparing each
line with its corrected form, so detection and `bulletin fix` can never disagree.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import autocorrect_py

_AUTOCORRECT_RULES = {
    # government style: no spaces between Chinese and Latin text, digits, brackets, code
    "space-word": 0,
    "space-punctuation": 0,
    "space-bracket": 0,
    "space-backticks": 0,
    "space-dash": 0,
    "space-dollar": 0,
    # keep: fullwidth (half-width punctuation inside Chinese), halfwidth-word (full-width
    # letters and digits), no-space-fullwidth (spaces around full-width punctuation)
    "halfwidth-punctuation": 0,
    "spellcheck": 0,
}
_configured = False


def _configure() -> None:
    global _configured
    if not _configured:
        # load_config exists at run time but is missing from the package's type stubs
        autocorrect_py.load_config(json.dumps({"rules": _AUTOCORRECT_RULES}))  # type: ignore[attr-defined]
        _configured = True


HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
FW_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’—…·"
_CN = f"[{HAN}{FW_PUNCT}]"
_HAN = f"[{HAN}]"
_LOST = re.compile(rf"(?<=\d)\?(?=\d)|(?<={_HAN})\?(?={_HAN})|\ufffd")
_PLACEHOLDER = "\ue000"  # keeps a lost '?' or '\ufffd' away from the converters
_SYNTAX = "\ue001"  # stands in for a span of Markdown syntax while the converters run
_GUARDED = re.compile(f"{_LOST.pattern}|[{_PLACEHOLDER}{_SYNTAX}]")  # and the placeholders themselves, if written
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_TO_FULL = str.maketrans(_HALF_TO_FULL)
_PUNCT_BEFORE = re.compile(rf"(?<={_CN})\s*([,;:!?]+)")  # a run at once: 一:? -> 一：？ in one pass
_PUNCT_AFTER = re.compile(rf"([,;:!?]+)(?=\s*{_HAN})")
_PERIOD = re.compile(rf"(?<=[{HAN}）”’》」』】])\.(?![\w.])")
_FW_NUMBER_PUNCT = re.compile(r"(?<=\d)．(?=\d)|(?<=\d)％")  # 12．5％ -> 12.5% (GB/T 15835)
_PARENS = re.compile(r"\(([^()\n]*)\)")
_SPACE_AFTER_CN = re.compile(rf"(?<={_CN})[ \t\u3000]+(?=\S)")
_SPACE_BEFORE_CN = re.compile(rf"(?<=\S)[ \t\u3000]+(?={_CN})")
_FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")
_FULLWIDTH_NUMERIC = re.compile(r"[０-９Ａ-Ｚａ-ｚ．％]")
# Markdown block markers at the start of a line (quote, heading, list item) keep their space
_BLOCK_MARKER = re.compile(r"^[ \t\u3000]*(?:>[ \t]*)*(?:(?:#{1,6}|[-*+]|\d{1,9}[.)])[ \t]+)?")
# Markdown syntax, never corrected as prose: each span stands aside as one placeholder character
# while the converters run, and comes back as written
_PROTECTED = re.compile(
    r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)"  # inline code
    r"|(?<!`)`+.*"  # a backtick run not closed on this line: a code span may go on to the next
    r"|!\["  # the marker of an image: ![现场](pic.png)
    r"|\]\((?:[^()\n]|\([^()\n]*\))*\)"  # a link's or an image's target and title
    r"|\]\[[^\]\n]*\]"  # the label of a reference link: [文字][1]
    r"|<[^>\n]*>"  # autolinks and HTML tags
    r"|(?:https?|ftp)://[^\s)）]+[ \t]*|www\.[^\s)）]+[ \t]*"  # bare addresses, and the space that ends them
    r"|&(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"  # HTML entities: &amp; &#12290;
    r"|\\[!-/:-@\[-`{-~]"  # backslash escapes: \* \!
)
# lines that are syntax from end to end: a reference definition ([1]: a.md "说明"), and the first
# line of the site's admonitions (!!! 注意 "标题", ??? 说明: markdown_extensions in mkdocs.yml)
_SYNTAX_LINE = re.compile(r"^ {0,3}\[(?:[^\]\\\n]|\\.)+\]:|^[ \t]*(?:!!!|\?\?\?\+?)[ \t]")


@dataclass(frozen=True)
class TypoProblem:
    line: int  # 1-based within the text given
    rule: str  # halfwidth-punct | fullwidth-char | stray-space | lost-char
    message: str


def is_chinese_context(text: str) -> bool:
    return re.search(_HAN, text) is not None


def _complete(segment: str, spaces: bool) -> str:
    """What autocorrect misses, applied to text outside protected spans."""
    segment = _PUNCT_BEFORE.sub(lambda m: m[1].translate(_TO_FULL), segment)
    segment = _PUNCT_AFTER.sub(lambda m: m[1].translate(_TO_FULL), segment)

    def paren(m: re.Match[str]) -> str:
        start, end = m.start(), m.end()
        before = segment[start - 1] if start else ""
        after = segment[end] if end < len(segment) else ""
        if re.search(_CN, m[1] + before + after):
            return f"（{m[1]}）"
        return m[0]

    segment = _PARENS.sub(paren, segment)
    segment = _PERIOD.sub("。", segment)  # after the parentheses: 会议（视频）. -> 会议（视频）。
    if spaces:
        segment = _SPACE_AFTER_CN.sub("", segment)
        segment = _SPACE_BEFORE_CN.sub("", segment)
    # last, once removed spaces have brought digits together: 0 ．5 -> 0．5 -> 0.5
    return _FW_NUMBER_PUNCT.sub(lambda m: "." if m[0] == "．" else "%", segment)


def _set_aside(text: str) -> tuple[str, list[str]]:
    """`text` with each span of Markdown syntax replaced by one placeholder, and the spans."""
    spans = [m[0] for m in _PROTECTED.finditer(text)]
    return (_PROTECTED.sub(_SYNTAX, text) if spans else text), spans


def _put_back(text: str, spans: list[str], placeholder: str) -> str | None:
    """The inverse of _set_aside; None if the placeholders did not survive one for one."""
    if not spans:
        return text
    pieces = text.split(placeholder)
    if len(pieces) != len(spans) + 1:
        return None
    return "".join(piece + spans[i] if i < len(spans) else piece for i, piece in enumerate(pieces))


_MAX_PASSES = 8


# What any correction needs in a line: whitespace, ASCII punctuation (except a per cent sign and
# a decimal point between digits), full-width letters, digits, ．or ％. A line with none of them is
# already correct, and nearly every line of clean text is such a line: no need to run the library.
_MAY_CHANGE_ON = r"|[!-$&-\-/:-@\[-`{-~]|(?<!\d)\.|\.(?!\d)|[０-９Ａ-Ｚａ-ｚ．％]"
_MAY_CHANGE = re.compile(r"\s" + _MAY_CHANGE_ON)
_MAY_CHANGE_OR_LOST = re.compile(r"[^\S\n]|\ufffd" + _MAY_CHANGE_ON)  # in text of many lines


def correct_line(line: str, spaces: bool = True) -> str:
    """The corrected form of one line of Chinese text (Markdown inline syntax preserved)."""
    if not _MAY_CHANGE.search(line):
        return line
    return _correct_line(line, spaces)


def _correct_line(line: str, spaces: bool) -> str:
    _configure()
    if not is_chinese_context(line) and not _FULLWIDTH_ALNUM.search(line):
        return line
    kept = _GUARDED.findall(line)  # each put back as written (a '\ufffd' stays one)
    guarded = _GUARDED.sub(_PLACEHOLDER, line)
    stripped = guarded.rstrip(" ")
    trailing = guarded[len(stripped) :]  # Markdown hard breaks stay
    marker = _BLOCK_MARKER.match(stripped)
    leading = marker.end() if marker else 0
    head, (core, spans) = stripped[:leading], _set_aside(stripped[leading:])
    fixed = core
    for _ in range(_MAX_PASSES):  # one change can enable another: repeat until nothing changes
        done = _correct_once(fixed, spaces)
        if done == fixed:
            break
        fixed = done
    if not spaces:  # keep the spaces as written (titles allow one between two parts)
        fixed = fixed if _spaces(fixed) == _spaces(core) else _restore_spaces(core, fixed)
    restored = _put_back(fixed, spans, _SYNTAX)
    if restored is None:  # never expected: the converters leave private-use characters alone
        return line
    result = _put_back(head + restored + trailing, kept, _PLACEHOLDER)
    return line if result is None else result


def _correct_once(core: str, spaces: bool) -> str:
    fixed = autocorrect_py.format_for(core, "md") if core else core
    if "\n" in fixed:  # never let the library change the line structure
        fixed = core
    return _complete(fixed, spaces)


def _spaces(text: str) -> int:
    return sum(1 for ch in text if ch in " \t\u3000")


_EXACT_DIFF_CHARS = 400  # longer lines are compared with difflib's junk heuristic: bounded time


def _opcodes(a: str, b: str) -> Sequence[tuple[str, int, int, int, int]]:
    """Where `b` differs from `a`. Same length (most corrections swap one character for one):
    position by position, linear; otherwise difflib, exact only for short lines, since its exact
    matching is quadratic or worse on long lines full of corrections (minutes for 2,000 characters)."""
    if len(a) == len(b):
        ops: list[tuple[str, int, int, int, int]] = []
        start = 0
        for i in range(1, len(a) + 1):
            if i == len(a) or (a[i] == b[i]) != (a[start] == b[start]):
                ops.append(("equal" if a[start] == b[start] else "replace", start, i, start, i))
                start = i
        return ops
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=max(len(a), len(b)) > _EXACT_DIFF_CHARS)
    return matcher.get_opcodes()


def _restore_spaces(original: str, fixed: str) -> str:
    """Re-insert spaces the library removed, where the original had them."""
    out = []
    for op, a0, a1, b0, b1 in _opcodes(original, fixed):
        if op == "delete" and not original[a0:a1].strip():
            out.append(original[a0:a1])
        else:
            out.append(fixed[b0:b1])
    return "".join(out)


def correct_body(body: str) -> str:
    """The corrected Markdown body: prose lines corrected, Markdown syntax and code left alone."""
    return "\n".join(corrected_lines(body))


def corrected_lines(text: str, spaces: bool = True) -> list[str]:
    """The lines of `text` as `bulletin fix` writes them, and as `bulletin check` judges them: prose
    lines corrected, code and reference definitions left alone, and no change kept that would
    alter what the Markdown means (a list, a link, an image, code: see markdown_shape)."""
    lines = text.split("\n")
    fixed = [correct_line(line, spaces) if prose else line for line, prose in _prose_lines(text)]
    if fixed == lines:
        return fixed
    return _keep_markdown(lines, fixed)


_FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def _prose_lines(body: str) -> Iterator[tuple[str, bool]]:
    fence: str | None = None
    for line in body.split("\n"):
        if fence is None:
            opening = _FENCE_OPEN.match(line)
            if opening:
                fence = opening[1]
                yield line, False
            else:
                yield line, not _SYNTAX_LINE.match(line)
        else:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            yield line, False


_GUARD_ROUNDS = 20  # each round takes back the changes in one block; beyond this, all of them


def _keep_markdown(lines: list[str], fixed: list[str]) -> list[str]:
    """`fixed` without the changes that alter the Markdown structure of `lines`.

    The corrector sets Markdown syntax aside, but a change can still make Markdown of prose (１. 一
    becomes 1. 一, a list item) or meet code that goes on over lines: the changes in the block where
    the structure first differs are taken back, until the structure is the same."""
    original = "\n".join(lines)
    want = markdown_shape(original)
    fixed = list(fixed)
    for _ in range(_GUARD_ROUNDS):
        got = markdown_shape("\n".join(fixed))
        if got == want:
            return fixed
        first, last = _first_difference(want, got)
        changed = [i for i in range(first, min(last, len(lines))) if fixed[i] != lines[i]]
        if not changed:
            break
        for i in changed:
            fixed[i] = lines[i]
    return list(lines)


def _first_difference(want: tuple[Any, ...], got: tuple[Any, ...]) -> tuple[int, int]:
    """The lines (first, end) of the block where two Markdown shapes first differ; all if unknown."""
    whole = (0, 1 << 30)
    for index in range(min(len(want), len(got)) + 1):
        if index < len(want) and index < len(got) and want[index] == got[index]:
            continue
        spans = [shape[index][1] for shape in (want, got) if index < len(shape) and shape[index][1]]
        for back in range(index - 1, -1, -1):  # no lines of its own (a closing token): the block it closes
            if spans:
                break
            spans = [shape[back][1] for shape in (want, got) if back < len(shape) and shape[back][1]]
        if not spans:
            return whole
        return min(s[0] for s in spans), max(s[1] for s in spans)
    return whole


@lru_cache(maxsize=1)
def _markdown() -> Any:
    """CommonMark as the desk reads bodies (markdown-it), keeping entities and escapes as written."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # every link counts, as in the body rules
    md.disable("text_join")  # an entity or an escape stays a token of its own
    return md


_KEPT_CONTENT = {"code_block", "fence", "html_block", "code_inline", "html_inline", "text_special"}


def markdown_shape(body: str) -> tuple[Any, ...]:
    """What a body means as Markdown, without its prose: the blocks and their lines, every link,
    image and reference target, code, HTML, entities and escapes as written. `bulletin fix` never
    changes it (a property test holds the corrector to that)."""
    env: dict[str, Any] = {}
    shape: list[Any] = []
    for token in _markdown().parse(body, env):
        content = token.content if token.type in _KEPT_CONTENT else None
        block = (token.type, token.tag, token.nesting, token.markup, token.info, content)
        inline: list[Any] = []
        for child in token.children or ():
            if child.type == "text":
                if not inline or inline[-1] != "text":
                    inline.append("text")
                continue
            attrs = tuple(sorted((k, str(v)) for k, v in child.attrs.items() if k != "alt"))
            kept = child.content if child.type in _KEPT_CONTENT else None
            inline.append((child.type, child.tag, child.nesting, child.markup, child.info, attrs, kept))
        shape.append((block, tuple(token.map) if token.map else None, tuple(inline)))
    references = env.get("references", {})
    shape.append((("references",), None, tuple(sorted((k, v["href"], v["title"]) for k, v in references.items()))))
    return tuple(shape)


def problems(text: str, spaces: bool = True) -> list[TypoProblem]:
    """Every typography problem in `text`, one per change the corrector would make."""
    found: list[TypoProblem] = []
    if not _MAY_CHANGE_OR_LOST.search(text):  # ("?" is ASCII punctuation: a lost character is found)
        return found
    lines = zip(_prose_lines(text), corrected_lines(text, spaces), strict=True)
    for number, ((line, prose), fixed) in enumerate(lines, start=1):
        if not prose:
            continue
        for m in _LOST.finditer(line):
            found.append(
                TypoProblem(
                    number,
                    "lost-char",
                    f"“{_context(line, m.start(), m.end())}”中的“{m[0]}”像是编码转换时丢失的字"
                    "（如“11·26”变成“11?26”）：请对照原稿改回原字",
                )
            )
        if fixed == line:
            continue
        for op, a0, a1, b0, b1 in _opcodes(line, fixed):
            if op == "equal":
                continue
            old, new = line[a0:a1], fixed[b0:b1]
            where = _context(line, a0, a1)
            if _FULLWIDTH_NUMERIC.search(old):
                rule, msg = "fullwidth-char", f"“{where}”中的全角数字、字母或符号“{old}”应为半角“{new}”"
            elif not old.strip():
                rule, msg = "stray-space", f"“{where}”中有多余的空格：汉字与数字、字母、标点之间不加空格"
            else:
                rule = "halfwidth-punct"
                msg = f"“{where}”中的半角标点“{old.strip()}”应为全角“{new.strip()}”"
            found.append(TypoProblem(number, rule, msg + "（可运行“bulletin fix”自动改正）"))
    return found


def _context(line: str, start: int, end: int, width: int = 6) -> str:
    return line[max(0, start - width) : end + width].strip()
