"""Chinese typography per GB/T 15834 (punctuation) and GB/T 15835 (numbers). Pure functions.

autocorrect-py does most of the mechanics (with its spacing rules switched off: government
style puts no spaces between Chinese and Latin text); `_complete` covers what it misses
(; ( ) , after % or a digit, spaces already there), and `_pasted` what text pasted from Word or
WPS, or typed with a Traditional input method, brings along: non-breaking and ideographic spaces,
paragraph indents, zero-width characters and soft hyphens, ASCII and corner quotes, ... and -- for
…… and ——, Traditional characters (OpenCC, as for unit names; words the desk keeps as written
are exceptions). Findings are derived by comparing each line with its corrected form, so
detection and `bulletin fix` can never disagree; one finding per defect (a spaced number, a pair
of quotes, the Traditional characters of a line), never one per character.

Lines of one paragraph (a soft line break, which a reader sees as a space) are joined where the
break falls inside a sentence and set apart as paragraphs where it follows a sentence's end:
`rebreak`, run after the line corrections.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

import autocorrect_py

from bulletin.core import names

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


class _Lazy:
    """A regular expression compiled when it is first used. `re` builds a character class code point
    by code point, about a millisecond for the CJK ranges: a check of an item that never needs the
    pattern (no Latin letters, spaces or ASCII punctuation to correct) does not pay for it."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(self._source)
        return getattr(self._compiled, name)


def _lazy(source: str) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _Lazy(source))


HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
FW_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’—…·"
_CN = f"[{HAN}{FW_PUNCT}]"
_HAN = f"[{HAN}]"
_LOST_SOURCE = rf"(?<=\d)\?(?=\d)|(?<={_HAN})\?(?={_HAN})|\ufffd"
_LOST = _lazy(_LOST_SOURCE)
_PLACEHOLDER = "\ue000"  # keeps a lost '?' or '\ufffd' away from the converters
_SYNTAX = "\ue001"  # stands in for a span of Markdown syntax while the converters run
_GUARDED = _lazy(f"{_LOST_SOURCE}|[{_PLACEHOLDER}{_SYNTAX}]")
_GUARDED_CHARS = f"?\ufffd{_PLACEHOLDER}{_SYNTAX}"  # what _LOST and _GUARDED can match at all  # and the placeholders themselves, if written
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_TO_FULL = str.maketrans(_HALF_TO_FULL)
_PUNCT_BEFORE = _lazy(rf"(?<={_CN})\s*([,;:!?]+)")  # a run at once: 一:? -> 一：？ in one pass
_PUNCT_AFTER = _lazy(rf"([,;:!?]+)(?=\s*{_HAN})")
_PERIOD = _lazy(rf"(?<=[{HAN}）”’》」』】])\.(?![\w.])")
_FW_NUMBER_PUNCT = re.compile(r"(?<=\d)．(?=\d)|(?<=\d)％")  # 12．5％ -> 12.5% (GB/T 15835)
_PARENS = re.compile(r"\(([^()\n]*)\)")
# the spaces a reader sees as one: Word and WPS paste non-breaking (U+00A0) and ideographic spaces
ODD_SPACE = "\u00a0\u2000-\u200a\u202f\u205f\u3000"
SPACE = f" \t{ODD_SPACE}"
_SPACE_AFTER_CN = _lazy(rf"(?<={_CN})[{SPACE}]+(?=\S)")
_SPACE_BEFORE_CN = _lazy(rf"(?<=\S)[{SPACE}]+(?={_CN})")
_FULLWIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")
_FULLWIDTH_NUMERIC = re.compile(r"[０-９Ａ-Ｚａ-ｚ．％]")
# Markdown block markers at the start of a line (quote, heading, list item) keep their space
_BLOCK_MARKER = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:(?:#{1,6}|[-*+]|\d{1,9}[.)])[ \t]+)?")
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


# what Word, WPS and Traditional input methods leave in pasted text (see _pasted)
ERASED = "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width characters and the soft hyphen: removed
_ERASE = re.compile(f"[{ERASED}]")
_INDENT = re.compile(f"^[{ODD_SPACE}][{SPACE}]*")  # a paragraph indented by hand (U+3000, U+00A0)
_ODD_END = re.compile(f"[{SPACE}]*[{ODD_SPACE}][{SPACE}]*$")
_ODD_RUN = re.compile(f"[{SPACE}]*[{ODD_SPACE}][{SPACE}]*")  # between Latin words: one ordinary space
_NEAR = f"[{HAN}，。；：！？、“”‘’（）《》【】]"  # Chinese text next to a run of dots or hyphens
_ELLIPSIS = _lazy(rf"(?<={_NEAR})\.{{3,}}|\.{{3,}}(?={_NEAR})|。{{3,}}|·{{3,}}|(?<!…)…(?!…)")
# -- and －－ for the dash (a single — is a connecting mark in GB/T 15834: 北京—上海, left alone)
_DASH = _lazy(rf"(?<={_NEAR})(?:-{{2,}}|－{{2,}})|(?:-{{2,}}|－{{2,}})(?={_NEAR})")
_QUOTE_CHARS = re.compile("[\"'「」『』]")
_APOSTROPHE = re.compile(r"(?<=[A-Za-z])'(?=[A-Za-z])")  # don't, Xi'an
_CLOSING_CONTEXT = re.compile(r"$|[\s，。；：！？、）)》】,.;:!?]")
# simplified words OpenCC t2s would change (菜薹 to 菜苔, 乾县 to 干县): always kept as written
KEPT_WORDS = ("菜薹", "乾县", "乾安", "乾清宫")
_SENTENCE_END = re.compile(r"[。！？…][”’）》]*$")
_BREAK_EDGE = _lazy(rf"[{HAN}，。；：！？、“”‘’（）《》【】…—·A-Za-z0-9%]")
JOIN_MAX_CHARS = 1000  # lines of one paragraph are joined into a line no longer than this


@dataclass(frozen=True)
class TypoProblem:
    line: int  # 1-based within the text given
    rule: str  # halfwidth-punct | fullwidth-char | stray-space | lost-char | indent-space | quote-marks
    # | ellipsis-dash | traditional-char | line-break
    message: str


def is_chinese_context(text: str) -> bool:
    return re.search(_HAN, text) is not None


def _quotes(text: str) -> str:
    """ASCII and corner quotes as Chinese quotes by nesting: the outer pair “”, the inner ‘’."""
    if not _QUOTE_CHARS.search(text):
        return text
    out = list(text)
    stack: list[tuple[str, str]] = []  # (the opening quote as written, the closing quote it takes)

    def level() -> tuple[str, str]:
        return ("“", "”") if len(stack) % 2 == 0 else ("‘", "’")

    for i, ch in enumerate(text):
        if ch in "“‘":
            stack.append((ch, "”" if ch == "“" else "’"))
        elif ch in "”’":
            if stack and stack[-1][1] == ch:
                stack.pop()
        elif ch in "」』":
            if stack and stack[-1][0] == ("「" if ch == "」" else "『"):
                out[i] = stack.pop()[1]
            else:
                out[i] = level()[1]
        elif ch in "\"'":
            if ch == "'" and _APOSTROPHE.match(text, i):
                continue
            if stack and stack[-1][0] == ch:
                out[i] = stack.pop()[1]
            elif i and not text[i - 1].isspace() and _CLOSING_CONTEXT.match(text, i + 1):
                out[i] = level()[1]  # a quote opened on another line closes here
            else:
                out[i], closing = level()
                stack.append((ch, closing))
        elif ch in "「『":
            out[i], closing = level()
            stack.append((ch, closing))
    return "".join(out)


def simplified(text: str, keep: tuple[str, ...] = ()) -> str:
    """Traditional characters in their simplified forms (OpenCC t2s), the words in `keep` as written."""
    if text.isascii():
        return text
    words = [w for w in (*KEPT_WORDS, *keep) if w and w in text]
    if not words:
        return names.simplified(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    out, at = [], 0
    for m in pattern.finditer(text):
        out += [names.simplified(text[at : m.start()]), m[0]]
        at = m.end()
    return "".join([*out, names.simplified(text[at:])])


def _pasted(segment: str, keep: tuple[str, ...]) -> str:
    """What pasting from Word or WPS, or a Traditional input method, leaves in a line's prose."""
    segment = _ERASE.sub("", segment)
    segment = _ODD_END.sub("", _INDENT.sub("", segment))
    segment = _quotes(segment)
    if any(run in segment for run in ("...", "。。。", "···", "…")):  # each pattern only where it can match: see _Lazy
        segment = _ELLIPSIS.sub("……", segment)
    if "--" in segment or "－－" in segment:
        segment = _DASH.sub("——", segment)
    return simplified(segment, keep)


def _complete(segment: str, spaces: bool) -> str:
    """What autocorrect misses, applied to text outside protected spans."""
    if any(ch in segment for ch in _HALF_TO_FULL):  # each pattern only where it can match: see _Lazy
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
    if "." in segment:
        segment = _PERIOD.sub("。", segment)  # after the parentheses: 会议（视频）. -> 会议（视频）。
    if spaces:
        segment = _SPACE_AFTER_CN.sub("", segment)
        segment = _SPACE_BEFORE_CN.sub("", segment)
        segment = _ODD_RUN.sub(" ", segment)  # what is left is between Latin words or digits
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
_MAY_CHANGE_ON = (
    r"|[!-$&-\-/:-@\[-`{-~]|(?<!\d)\.|\.(?!\d)|[０-９Ａ-Ｚａ-ｚ．％「」『』…]|。。。|···|－－" + f"|[{ERASED}]"
)
_MAY_CHANGE = re.compile(r"\s" + _MAY_CHANGE_ON)
_MAY_CHANGE_OR_LOST = re.compile(r"[^\S\n]|\ufffd" + _MAY_CHANGE_ON)  # in text of many lines


def correct_line(line: str, spaces: bool = True, keep: tuple[str, ...] = ()) -> str:
    """The corrected form of one line of Chinese text (Markdown inline syntax preserved); `spaces`
    False for a title (one space may part it in two), `keep` the words kept in Traditional form."""
    if not _MAY_CHANGE.search(line) and names.simplified(line) == line:
        return line
    return _correct_line(line, spaces, keep)


def _correct_line(line: str, spaces: bool, keep: tuple[str, ...] = ()) -> str:
    _configure()
    if not is_chinese_context(line) and not _FULLWIDTH_ALNUM.search(line):
        return _erased(line)
    if any(ch in line for ch in _GUARDED_CHARS):
        kept = _GUARDED.findall(line)  # each put back as written (a '\ufffd' stays one)
        guarded = _GUARDED.sub(_PLACEHOLDER, line)
    else:
        kept, guarded = [], line
    stripped = guarded.rstrip(" ")
    trailing = guarded[len(stripped) :]  # Markdown hard breaks stay
    marker = _BLOCK_MARKER.match(stripped)
    leading = marker.end() if marker else 0
    head, (core, spans) = stripped[:leading], _set_aside(stripped[leading:])
    fixed = core
    for _ in range(_MAX_PASSES):  # one change can enable another: repeat until nothing changes
        done = _correct_once(fixed, spaces, keep)
        if not spaces:  # keep the spaces as written (titles allow one between two parts), then judge them
            done = done if _spaces(done) == _spaces(fixed) else _restore_spaces(fixed, done)
            done = _title_gaps(done)
        if done == fixed:
            break
        fixed = done
    restored = _put_back(fixed, spans, _SYNTAX)
    if restored is None:  # never expected: the converters leave private-use characters alone
        return line
    result = _put_back(head + restored + trailing, kept, _PLACEHOLDER)
    return line if result is None else result


def _erased(line: str) -> str:
    """A line not in Chinese without its zero-width characters and soft hyphens (outside code)."""
    if not _ERASE.search(line):
        return line
    core, spans = _set_aside(line)
    restored = _put_back(_ERASE.sub("", core), spans, _SYNTAX)
    return line if restored is None or _SYNTAX in line else restored


def _correct_once(core: str, spaces: bool, keep: tuple[str, ...]) -> str:
    core = _pasted(core, keep)
    fixed = autocorrect_py.format_for(core, "md") if core else core
    if "\n" in fixed:  # never let the library change the line structure
        fixed = core
    return _complete(fixed, spaces)


def _spaces(text: str) -> int:
    return len(_GAP.findall(text))


_GAP = re.compile(f"[{SPACE}]")
_GAPS = re.compile(f"[{SPACE}]+")
_HAN_ONE = _lazy(_HAN)
_CN_PUNCT = re.compile(f"[{FW_PUNCT}]")
_PART_ENDS, _PART_STARTS = "”’）》】", "“‘（《【"


def _title_gap_kinds(title: str) -> list[tuple[re.Match[str], str]]:
    """Each run of spaces inside a title and what it is: "part" (between two parts: Chinese on
    both sides), "mixed" (Chinese on one side, a number or a Latin word on the other), "latin"
    (between Latin words or digits) or "drop" (next to punctuation other than quotes and brackets
    around a part, or around a spaced number)."""
    gaps = [m for m in _GAPS.finditer(title) if m.start() and m.end() < len(title)]
    kinds = []
    for m in gaps:
        left, right = title[m.start() - 1], title[m.end()]
        han = bool(_HAN_ONE.match(left)), bool(_HAN_ONE.match(right))
        if _CN_PUNCT.match(left) or _CN_PUNCT.match(right):  # a part may end in ” ） 》 and begin with “ （ 《
            part = (han[0] or left in _PART_ENDS) and (han[1] or right in _PART_STARTS)
            kinds.append("part" if part else "drop")
        else:
            kinds.append("part" if all(han) else "mixed" if any(han) else "latin")
    for i in range(len(gaps) - 1):  # a number or a word with a space on each side: 签约 22 个
        if kinds[i] == kinds[i + 1] == "mixed" and not _HAN_ONE.search(title, gaps[i].end(), gaps[i + 1].start()):
            kinds[i] = kinds[i + 1] = "drop"
    if sum(1 for k in kinds if k in ("part", "mixed")) > 1:  # more than one candidate: a digit's are spacing
        kinds = ["drop" if k == "mixed" else k for k in kinds]
    return list(zip(gaps, kinds, strict=True))


def _title_gaps(title: str) -> str:
    """A title's spaces as GB/T 9704 sets them: one ordinary space between two parts or Latin words,
    none between Chinese and a number or next to punctuation."""
    out, at = [], 0
    for m, kind in _title_gap_kinds(title):
        out += [title[at : m.start()], "" if kind == "drop" else " "]
        at = m.end()
    return "".join([*out, title[at:]])


def title_parts(title: str) -> int:
    """How many parts a (corrected) title has: one more than the spaces that part it."""
    return 1 + sum(1 for _, kind in _title_gap_kinds(title) if kind in ("part", "mixed"))


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


def correct_body(body: str, keep: tuple[str, ...] = ()) -> str:
    """The corrected Markdown body: prose lines corrected, Markdown syntax and code left alone, and
    the lines of a paragraph joined or set apart as paragraphs (rebreak)."""
    for _ in range(_MAX_PASSES):  # lines joined can be corrected further (...、 then 修: ……、修)
        done = rebreak("\n".join(corrected_lines(body, keep=keep)))
        if done == body:
            break
        body = done
    return body


def corrected_lines(text: str, spaces: bool = True, keep: tuple[str, ...] = ()) -> list[str]:
    """The lines of `text` as `bulletin fix` writes them, and as `bulletin check` judges them: prose
    lines corrected, code and reference definitions left alone, and no change kept that would
    alter what the Markdown means (a list, a link, an image, code: see markdown_shape)."""
    lines = text.split("\n")
    fixed = [correct_line(line, spaces, keep) if prose else line for line, prose in _prose_lines(text)]
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


def markdown_shape(body: str, lines: bool = True) -> tuple[Any, ...]:
    """What a body means as Markdown, without its prose: the blocks and their lines, every link,
    image and reference target, code, HTML, entities and escapes as written. `bulletin fix` never
    changes it (a property test holds the corrector to that), but for how the lines of a paragraph
    are broken (rebreak): with `lines` False, the shape without line numbers and soft line breaks,
    the paragraphs of the body's top level run together."""
    env: dict[str, Any] = {}
    shape: list[Any] = []
    for token in _markdown().parse(body, env):
        content = token.content if token.type in _KEPT_CONTENT else None
        block = (token.type, token.tag, token.nesting, token.markup, token.info, content)
        inline: list[Any] = []
        for child in token.children or ():
            if child.type == "text" or (child.type == "softbreak" and not lines):
                if not inline or inline[-1] != "text":
                    inline.append("text")
                continue
            attrs = tuple(sorted((k, str(v)) for k, v in child.attrs.items() if k != "alt"))
            kept = child.content if child.type in _KEPT_CONTENT else None
            inline.append((child.type, child.tag, child.nesting, child.markup, child.info, attrs, kept))
        if lines:
            shape.append((block, tuple(token.map) if token.map else None, tuple(inline)))
        elif token.type == "paragraph_open" and token.level == 0 and shape and shape[-1][0][0] == "paragraph_close":
            shape.pop()  # one paragraph with the one before: a paragraph break rebreak made
            shape.append(("joined",))
        elif token.type == "inline" and shape and shape[-1] == ("joined",):
            shape.pop()
            block, _, before = shape.pop()
            merged = [*before, *inline]
            shape.append(
                (block, None, tuple(x for i, x in enumerate(merged) if x != "text" or merged[i - 1 : i] != ["text"]))
            )
        else:
            shape.append((block, None, tuple(inline)))
    references = env.get("references", {})
    shape.append((("references",), None, tuple(sorted((k, v["href"], v["title"]) for k, v in references.items()))))
    return tuple(shape)


# a line end with Chinese text or marks on one side and more text after it: the only place a
# soft break can matter (line_breaks parses the Markdown only for text that has one)
_CN_AT_BREAK = _lazy(rf"{_CN}[ \t]*\n[ \t]*[^\s]|[^\s][ \t]*\n[ \t]*{_CN}")


def line_breaks(text: str) -> list[tuple[int, bool]]:
    """The soft line breaks a reader would see as a space: (index of the line after the break, True
    if it starts a new paragraph), for the lines of a paragraph at the body's top level that meet in
    Chinese text (a character or a mark on either side is Chinese, the other no Markdown syntax).
    The break after a sentence's end (。！？…) starts a new paragraph, as the author meant; one inside
    a sentence is joined (but never into a line over JOIN_MAX_CHARS)."""
    if "\n" not in text.strip("\n") or not _CN_AT_BREAK.search(text):
        return []  # no line end with Chinese on either side: nothing to parse for
    lines = text.split("\n")
    found: list[tuple[int, bool]] = []
    tokens = _markdown().parse(text)
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.map or tokens[index - 1].type != "paragraph_open":
            continue
        if tokens[index - 1].level != 0:
            continue
        children = token.children or []
        breaks = sum(child.type in ("softbreak", "hardbreak") for child in children)
        if breaks != token.map[1] - token.map[0] - 1:
            continue  # code or HTML going on over lines: the breaks cannot be placed on lines, left alone
        line, depth = token.map[0], 0
        length = len(lines[line])
        for child in children:
            depth += child.nesting
            if child.type == "hardbreak":
                line += 1
                length = len(lines[line])
            if child.type != "softbreak":
                continue
            line += 1
            before, after = lines[line - 1], lines[line].lstrip(" \t")
            if not before or not after or not _BREAK_EDGE.match(before[-1]) or not _BREAK_EDGE.match(after[0]):
                length = len(lines[line])
                continue
            if not (re.match(_CN, before[-1]) or re.match(_CN, after[0])):
                length = len(lines[line])
                continue
            if depth == 0 and _SENTENCE_END.search(before):
                found.append((line, True))
                length = len(after)
            elif length + len(after) <= JOIN_MAX_CHARS:
                found.append((line, False))
                length += len(after)
            else:
                length = len(lines[line])
    return found


def rebreak(text: str) -> str:
    """`text` with the soft line breaks line_breaks finds joined or made paragraph breaks."""
    found = dict(line_breaks(text))
    if not found:
        return text
    out: list[str] = []
    for index, line in enumerate(text.split("\n")):
        if index not in found:
            out.append(line)
        elif found[index]:
            out += ["", line.lstrip(" \t")]
        else:
            out[-1] += line.lstrip(" \t")
    return "\n".join(out)


_SOFT_BREAK = re.compile(r"[^\n]\n[^\n]")  # two lines with no blank line between: maybe one paragraph
_MERGE_BETWEEN = _lazy(f"[^{SPACE}{HAN}]{{1,16}}")  # a spaced number or word: 签约 22 个, 全市 GDP 增长
_ODD_NAMES = {"\u00a0": "不换行空格", "\u3000": "全角空格", "\t": "制表符"}


def _space_names(text: str) -> str:
    """The kinds of space in `text` a reader cannot tell apart, e.g. 不换行空格、全角空格."""
    kinds = dict.fromkeys(_ODD_NAMES.get(ch, "特殊空格") for ch in text if ch.isspace() and ch != " ")
    return "、".join(kinds)


def _classify(line: str, a0: int, a1: int, new: str, head: int) -> str | None:
    """The rule a change of line[a0:a1] to `new` corrects; None for what invisible-char reports."""
    old = line[a0:a1]
    if old and not new and not _ERASE.sub("", old):
        return None  # zero-width characters and soft hyphens: the invisible-char rule reports them
    old = _ERASE.sub("", old)
    if not old:  # something inserted: what it is tells (…… for …)
        return "ellipsis-dash" if re.search("[…—]", new) else "stray-space" if not new.strip() else "halfwidth-punct"
    if _FULLWIDTH_NUMERIC.search(old):
        return "fullwidth-char"
    if not old.strip():
        return "indent-space" if a0 == head and re.match(f"[{ODD_SPACE}]", old) else "stray-space"
    if _QUOTE_CHARS.search(old):
        return "quote-marks"
    if re.search(r"\.\.\.|。。。|···|…|--|－－", old):
        return "ellipsis-dash"
    if re.search(_HAN, old) and names.simplified(old) != old:
        return "traditional-char"
    return "halfwidth-punct"


def _changes(line: str, fixed: str, spaces: bool) -> list[tuple[str, int, int, str]]:
    """(rule, start, end, replacement) for each defect the correction of `line` repairs: the changes
    of one spaced number, one pair of quotes or one line's Traditional characters are one defect."""
    marker = _BLOCK_MARKER.match(line)
    head = marker.end() if marker else 0
    out: list[tuple[str, int, int, str]] = []
    quoted = 0  # how deep the Chinese quotes made so far nest: quotes inside quotes are one defect
    for op, a0, a1, b0, b1 in _opcodes(line, fixed):
        if op == "equal":
            continue
        rule = _classify(line, a0, a1, fixed[b0:b1], head)
        if rule is None:
            continue
        if out:
            last_rule, s0, s1, replacement = out[-1]
            between = line[s1:a0]
            pair = rule == "quote-marks" and quoted > 0
            spaced = rule == "stray-space" and _MERGE_BETWEEN.fullmatch(between) is not None
            if rule == last_rule and (pair or spaced or rule == "traditional-char"):
                out[-1] = (rule, s0, a1, replacement + between + fixed[b0:b1])
                quoted += _nesting(fixed[b0:b1]) if rule == "quote-marks" else 0
                continue
        out.append((rule, a0, a1, fixed[b0:b1]))
        quoted = max(0, _nesting(fixed[b0:b1])) if rule == "quote-marks" else quoted
    return out


def _nesting(text: str) -> int:
    return sum(1 for ch in text if ch in "“‘") - sum(1 for ch in text if ch in "”’")


_FIX = "（可运行“bulletin fix”自动改正）"


def _message(rule: str, line: str, start: int, end: int, new: str, spaces: bool) -> str:
    old = line[start:end]
    where = _context(line, start, end)
    if len(where) > 30:
        where = where[:30] + "……"
    if rule == "fullwidth-char":
        return f"“{where}”中的全角数字、字母或符号“{old}”应为半角“{new}”"
    if rule == "indent-space":
        return f"段首的{len(old)}个空格（{_space_names(old)}）是从Word、WPS粘贴带来的缩进：段首不用空格，排版时自动空两字，请删去"
    if rule == "stray-space":
        kinds = _space_names(old)
        kind = f"（{kinds}）" if kinds else ""
        if not spaces:
            return f"“{where}”中有多余的空格{kind}：汉字与数字、字母、标点之间不加空格，两部分之间只用一个半角空格"
        if new.strip() == "" and new:
            return f"“{where}”中的{kinds or '空格'}应为普通的半角空格"
        return f"“{where}”中有多余的空格{kind}：汉字与数字、字母、标点之间不加空格"
    if rule == "quote-marks":
        return f"“{where}”中的引号{old[0]}…{old[-1] if len(old) > 1 else ''}应为中文引号{new[0]}…{new[-1] if len(new) > 1 else ''}：外层用“”，里层用‘’"
    if rule == "ellipsis-dash":
        return f"“{where}”中的“{old}”应为“{new}”：省略号是六个点“……”，破折号是两个“——”"
    if rule == "traditional-char":
        olds = "".join(dict.fromkeys(ch for ch in old if re.match(_HAN, ch) and names.simplified(ch) != ch))
        news = "".join(names.simplified(ch) for ch in olds)
        return (
            f"“{where}”中有繁体字“{olds}”，应为简体“{news}”"
            "（须保留原样的人名、地名，请信息处管理员列入bulletin.yml的traditional_exceptions）"
        )
    return f"“{where}”中的半角标点“{old.strip()}”应为全角“{new.strip()}”"


def problems(text: str, spaces: bool = True, keep: tuple[str, ...] = ()) -> list[TypoProblem]:
    """Every typography problem in `text`, one per defect the corrector would repair; `spaces` False
    for a title, `keep` the words kept in Traditional form."""
    found: list[TypoProblem] = []
    if not _MAY_CHANGE_OR_LOST.search(text) and names.simplified(text) == text and not _SOFT_BREAK.search(text):
        return found
    fixed_lines = corrected_lines(text, spaces, keep)
    lines = zip(_prose_lines(text), fixed_lines, strict=True)
    for number, ((line, prose), fixed) in enumerate(lines, start=1):
        if not prose:
            continue
        for m in _LOST.finditer(line) if any(ch in line for ch in _GUARDED_CHARS) else ():
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
        for rule, start, end, new in _changes(line, fixed, spaces):
            found.append(TypoProblem(number, rule, _message(rule, line, start, end, new, spaces) + _FIX))
    if spaces:
        corrected = "\n".join(fixed_lines)
        for index, paragraph in line_breaks(corrected):
            before, after = fixed_lines[index - 1], fixed_lines[index].lstrip(" \t")
            if paragraph:
                message = (
                    f"“{before[-8:]}”之后换了行，但两行之间没有空行，排版时“{after[:8]}”仍接在同一段里："
                    "新的一段请在两行之间空一行"
                )
            else:
                message = f"“{before[-8:]}”与下一行的“{after[:8]}”是同一句话，断行处排版时会多出空格：请接成一行"
            found.append(TypoProblem(index + 1, "line-break", message + _FIX))
        found.sort(key=lambda p: p.line)
    return found


def _context(line: str, start: int, end: int, width: int = 6) -> str:
    return line[max(0, start - width) : end + width].strip()
