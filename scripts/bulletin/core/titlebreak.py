"""Where a long title wraps (GB/T 9704-2012, 7.3.1): words kept whole, lines of sensible and
nearly equal length, in a trapezoid or diamond shape. Pure: the PDF and the Word file ask it for
the lines and print them as given.

    break_title("湖口县长江水域一货船柴油泄漏 已完成围控处置", 20)
    -> ["湖口县长江水域一货船柴油泄漏", "已完成围控处置"]

How a break is chosen, in order:
  1. a title that fits stays on one line (a space in it is printed);
  2. the author's space between two phrases is where it breaks, when the phrases fit;
  3. otherwise at a word boundary found by the Chinese segmenter jieba (loaded quietly, once, and
     only when a title is too long for one line), never between a number and its measure word or
     unit (`2个`, `1.68亿吨`, `2026年11月`, `1至10月`), never inside quotation marks or brackets,
     never inside a place name (`濂溪区`, `杭口镇`) or a word the caller names, never before a
     closing or after an opening punctuation mark;
  4. among those, the lines that are most nearly equal (no line of one or two characters; with
     three lines, no waist narrower than both ends).
Only when no such break fits a line does it fall back to plainer boundaries, at worst between
any two characters; a line is never wider than `per_line`.

Widths are in the title's em: a Chinese character or full-width mark is 1, an ASCII digit,
lower-case letter or mark 0.6, an upper-case letter, `%` or `@` 1 (conservatively wide, so a line
said to fit does fit).
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

SPACES = " \u3000\u00a0"
# characters a line never starts with, and never ends with (GB/T 15834 and common practice)
NO_START = "，。、；：？！）》」』】〕〉”’…—·%‰,.;:?!)]}"
NO_END = "（《「『【〔〈“‘([{"
_PAIRS = {
    "“": "”",
    "‘": "’",
    "《": "》",
    "（": "）",
    "(": ")",
    "【": "】",
    "「": "」",
    "『": "』",
    "〔": "〕",
    "〈": "〉",
}
_PLACE_SUFFIX = "省市州盟县区旗镇乡村街"  # the two characters before one are its name
# a number with what belongs to it: measure word or unit, 余/多, ranges and dates
_UNITS = (
    "平方公里|平方米|立方米|千瓦时|千米|公里|公顷|公斤|千克|毫米|厘米|米|亩|吨|斤|克|度|瓦|千瓦|"
    "个月|小时|分钟|周年|季度|年度|年|月|日|号|时|点|分|秒|天|周|岁|"
    "个|件|条|人|名|户|家|项|起|次|元|美元|倍|辆|艘|座|所|场|批|类|期|届|份|台|套|处|栋|间|层|级|"
    "种|只|头|笔|篇|部|支|位|宗|株|棵|例|床|班|趟|架|列|轮|张|块|片|门|道|成|折|强|余|多"
)
_ARABIC = r"[0-9０-９]+(?:[.,．][0-9０-９]+)*"
_CHINESE = r"[零〇一二三四五六七八九十百千两几]+(?=[十百千万亿]*(?:" + _UNITS + r"))"
_TAIL = rf"\s?(?:[%‰％])?(?:[余多])?[十百千万亿]*(?:[余多])?(?:{_UNITS})?"
_NUMBER_PREFIXES = "第约近超逾"
_ARABIC_ATOM = rf"[{_NUMBER_PREFIXES}]?{_ARABIC}{_TAIL}"
# Arabic numbers chain into dates and ranges (2026年11月, 1至10月); a Chinese one stands alone (一批)
_NUMBER = re.compile(
    rf"{_ARABIC_ATOM}(?:(?:(?<=[年月])|[至到~～\-—－/]){_ARABIC_ATOM})*|[第约近超逾]?{_CHINESE}{_TAIL}"
)
_LATIN = re.compile(r"[A-Za-z0-9０-９Ａ-Ｚａ-ｚ][A-Za-z0-9０-９Ａ-Ｚａ-ｚ.+\-_/&·]*[A-Za-z0-9０-９Ａ-Ｚａ-ｚ%+]?")
# one-character words that lean on the next word (一货船, 某小区, 第3) or on the one before (情况的)
_LEAN_FORWARD = set("一两几某各每该本此这那首全第约近超逾")
_LEAN_BACK = set("的了着过们等之地得性化者")

# penalties of a boundary: the author's space is strongly preferred, after a pause mark preferred
_SPACE, _PAUSE, _WORD, _LEAN, _PLAIN = -1000.0, -4.0, 0.0, 60.0, 400.0
_PAUSES = "、，；：。？！”’》）"

_ENUMERATE = 5000  # more ways to break than this: dynamic programming instead
_COMMON = 100  # a two-character word jieba has seen this often is a word, not half a place name

_JIEBA_LOCK = threading.Lock()
_SEGMENTER: tuple[Callable[[str], Iterable[str]], Callable[[str], int]] | None = None


def char_width(ch: str) -> float:
    """The width of a character in em of the title face (conservative for Latin letters)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "“”‘’…—·":  # printed full width in a Chinese face
        return 1.0
    if ch.isupper() or ch in "%@&#‰WMmw":
        return 1.0
    return 0.6


def width(text: str) -> float:
    return sum(char_width(ch) for ch in text)


class Lexicon(Protocol):
    """The segmenter's dictionary as one title sees it: `within(text)` gives every substring of
    `text` the dictionary holds (a word with its frequency, or a prefix of a longer word with 0)
    and the dictionary's total frequency. jieba looks up nothing but substrings of the text it
    cuts, so it cuts the same with this as with the whole dictionary, without loading 350,000
    words (desk.lexicon keeps them in an indexed file)."""

    def within(self, text: str) -> tuple[dict[str, int], int]: ...


def load_jieba() -> Any:
    """The jieba module, imported once, quietly, without pkg_resources (jieba imports it only to
    find its own files, and it is the slower half of jieba's import and prints a warning)."""
    import sys

    with _JIEBA_LOCK:
        blocked = "pkg_resources" not in sys.modules
        if blocked:
            sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: jieba opens its files itself
        try:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
        finally:
            if blocked:
                del sys.modules["pkg_resources"]
    return jieba


def _segmenter(title: str, lexicon: Lexicon | None) -> tuple[Callable[[str], Iterable[str]], Callable[[str], int]]:
    """jieba's cut and its word frequencies for `title`: with `lexicon`, a tokenizer that knows
    only the title's substrings; without, the whole dictionary, loaded once."""
    global _SEGMENTER
    jieba = load_jieba()
    if lexicon is not None:
        freq, total = lexicon.within(title)
        tokenizer = jieba.Tokenizer()
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
        return tokenizer.cut, lambda word: int(freq.get(word) or 0)
    with _JIEBA_LOCK:
        if _SEGMENTER is None:
            jieba.initialize()
            whole = jieba.dt.FREQ

            def frequency(word: str) -> int:
                return int(whole.get(word) or 0)

            _SEGMENTER = (jieba.cut, frequency)
    return _SEGMENTER


def prepare(lexicon: Lexicon | None = None) -> None:
    """Load the segmenter now (a builder starts it in a thread while pandoc converts the texts):
    with a lexicon, only jieba's code; without, its whole dictionary too."""
    if lexicon is None:
        _segmenter("", None)
    else:
        load_jieba()


def _is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")


def _spans(pattern: re.Pattern[str], text: str) -> Iterable[tuple[int, int]]:
    return ((m.start(), m.end()) for m in pattern.finditer(text))


def _enclosed(text: str) -> list[tuple[int, int]]:
    """Spans of quotation marks and brackets, outermost pairs (unclosed marks reach the end)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if stack and ch == _PAIRS.get(stack[-1][0]):
            _, start = stack.pop()
            if not stack:
                spans.append((start, i + 1))
        elif ch in _PAIRS:
            stack.append((ch, i))
        elif ch == '"':  # ASCII quotes pair with each other
            if stack and stack[-1][0] == '"':
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i + 1))
            else:
                stack.append(('"', i))
    if stack:
        spans.append((stack[0][1], len(text)))
    return spans


def _boundaries(title: str, keep: Sequence[str], lexicon: Lexicon | None = None) -> dict[int, float]:
    """Where a line may end (index after the last character), with the penalty of breaking there:
    the word boundaries that keep the hard rules (numbers, quotations, brackets, Latin words, the
    caller's words, punctuation); one that breaks a soft rule (a place name, a one-character word
    leaning on its neighbour) costs more. Other positions are plain character boundaries, the
    last resort."""
    cut, frequency = _segmenter(title, lexicon)
    words = [w for w in cut(title) if w]
    allowed: dict[int, float] = {}
    at = 0
    for word in words:
        at += len(word)
        allowed[at] = _WORD
    starts = {0, *allowed}  # where the segmenter's words begin
    allowed.pop(len(title), None)
    for i, ch in enumerate(title):
        if ch in SPACES:  # a space: break before it (the space itself is dropped)
            allowed[i] = _SPACE
            allowed.pop(i + 1, None)
    forbidden: set[int] = set()  # by the hard rules
    leaning: set[int] = set()  # by the soft ones: place names, one-character words that lean

    def inside(start: int, end: int) -> None:
        forbidden.update(range(start + 1, end))

    for start, end in _spans(_NUMBER, title):
        if title[start] in _NUMBER_PREFIXES and start not in starts:
            start += 1  # 约 ending a word (签约1万个): the word's, not the number's (约1万个)
        inside(start, end)
    for start, end in itertools.chain(_spans(_LATIN, title), _enclosed(title)):
        inside(start, end)
    for word in keep:
        if len(word) > 1:
            for m in re.finditer(re.escape(word), title):
                inside(m.start(), m.end())
    for i, ch in enumerate(title):
        if ch in _PLACE_SUFFIX and i >= 2 and all(_is_han(c) for c in title[i - 2 : i]):
            # 濂溪区, 杭口镇: the name and its suffix stay together, unless the last two are a
            # common word (乡村, 城市, 小区)
            leaning.add(i)
            if frequency(title[i - 1 : i + 1]) < _COMMON:
                leaning.add(i - 1)
        if ch in NO_START:
            forbidden.add(i)
        if ch in NO_END:
            forbidden.add(i + 1)
    at = 0
    for word in words:
        if len(word) == 1 and word in _LEAN_FORWARD:
            leaning.add(at + 1)
        if len(word) == 1 and word in _LEAN_BACK:
            leaning.add(at)
        at += len(word)
    hard: dict[int, float] = {}
    for pos, penalty in allowed.items():
        if 0 < pos < len(title) and (pos not in forbidden or penalty == _SPACE):
            if penalty == _WORD and title[pos - 1] in _PAUSES:
                penalty = _PAUSE
            hard[pos] = penalty
    return {pos: penalty + (_LEAN if pos in leaning and penalty != _SPACE else 0.0) for pos, penalty in hard.items()}


def _lines_at(title: str, cuts: Sequence[int]) -> list[str]:
    bounds = [0, *cuts, len(title)]
    return [title[a:b].strip(SPACES) for a, b in itertools.pairwise(bounds)]


def _cost(lines: Sequence[str], penalties: float) -> float:
    widths = [width(line) for line in lines]
    mean = sum(widths) / len(widths)
    cost = sum((w - mean) ** 2 for w in widths) + penalties
    if len(widths) == 3 and widths[1] < min(widths[0], widths[2]):
        cost += (min(widths[0], widths[2]) - widths[1]) ** 2  # an hourglass: neither trapezoid nor diamond
    if min(widths) < 0.5 * max(widths):
        cost += 40.0  # a line much shorter than the others
    if widths[-1] > widths[0]:
        cost += 0.5  # equal cost: the longer line first (an inverted trapezoid)
    return cost


def _fits(line: str, per_line: float, short_ok: bool) -> bool:
    return bool(line) and width(line) <= per_line and (short_ok or len(line) >= 3)


def _best(title: str, per_line: float, options: dict[int, float], lines: int) -> list[str] | None:
    """The best `lines` lines breaking only at `options` (None: none fits)."""
    short_ok = len(title) < 3 * lines  # a title too short for lines of three characters
    if math.comb(len(options), lines - 1) > _ENUMERATE:
        return _best_dp(title, per_line, options, lines, short_ok)
    best: tuple[float, list[str]] | None = None
    for cuts in itertools.combinations(sorted(options), lines - 1):
        got = _lines_at(title, cuts)
        if not all(_fits(line, per_line, short_ok) for line in got):
            continue
        cost = _cost(got, sum(options[c] for c in cuts))
        if best is None or cost < best[0]:
            best = (cost, got)
    return best[1] if best else None


def _best_dp(title: str, per_line: float, options: dict[int, float], lines: int, short_ok: bool) -> list[str] | None:
    """As _best, by dynamic programming over the breaks (many options: a long title broken at
    plain boundaries); the balance is the same sum of squares, without the shape's tie-breaks."""
    points = [0, *sorted(options), len(title)]
    mean = width(title) / lines
    inf = float("inf")
    # cost[k][j]: the best k lines ending at points[j]; back[k][j]: where the k-th line began
    cost = [[inf] * len(points) for _ in range(lines + 1)]
    back = [[0] * len(points) for _ in range(lines + 1)]
    cost[0][0] = 0.0
    for k in range(1, lines + 1):
        for j in range(1, len(points)):
            if (k == lines) != (j == len(points) - 1):
                continue
            for i in range(j):
                if cost[k - 1][i] == inf:
                    continue
                line = title[points[i] : points[j]].strip(SPACES)
                if not _fits(line, per_line, short_ok):
                    continue
                c = cost[k - 1][i] + (width(line) - mean) ** 2 + options.get(points[j], 0.0)
                if c < cost[k][j]:
                    cost[k][j], back[k][j] = c, i
    if cost[lines][-1] == inf:
        return None
    cuts, j = [], len(points) - 1
    for k in range(lines, 1, -1):
        j = back[k][j]
        cuts.append(points[j])
    return _lines_at(title, sorted(cuts))


def break_title(
    title: str, per_line: int | float, keep: Iterable[str] = (), lexicon: Lexicon | None = None
) -> list[str]:
    """The lines of a title printed `per_line` characters wide (see the module's docstring).

    `keep` names words never to be broken (the network's unit names, for instance). The lines
    joined give back the title without the spaces at which it broke. `lexicon`: where the
    segmenter looks its words up (the same lines as without, faster in a new process).
    """
    title = title.strip(SPACES)
    if per_line < 1:
        raise ValueError("per_line must be at least 1")
    if width(title) <= per_line:
        return [title]
    parts = re.split(f"[{SPACES}]+", title)
    if len(parts) == 2 and all(width(part) <= per_line and len(part) >= 3 for part in parts):
        # one space of the author's, and each side fits a line: the break the rules always choose
        # (its bonus outweighs any imbalance), found without loading the segmenter
        return parts
    words = tuple(keep)
    fewest = max(2, int(-(-width(title) // per_line)))
    options = _boundaries(title, words, lexicon)
    plain = {i: _PLAIN for i in range(1, len(title)) if title[i] not in NO_START and title[i - 1] not in NO_END}
    # the author's spaces and the words, with one or two lines more if need be; then plain
    # boundaries too (still never before a closing mark); at worst lines filled one by one
    for level in (options, {**plain, **options}):
        for lines in range(fewest, min(fewest + 2, len(level) + 1) + 1):
            got = _best(title, per_line, level, lines)
            if got:
                return got
    return _greedy(title, per_line)


def _greedy(title: str, per_line: float) -> list[str]:
    """Lines filled one after the other (a title without a single usable boundary)."""
    lines = [""]
    for ch in title:
        if lines[-1] and width(lines[-1] + ch) > per_line:
            lines.append("")
        lines[-1] += ch
    return [line.strip(SPACES) for line in lines if line.strip(SPACES)]
