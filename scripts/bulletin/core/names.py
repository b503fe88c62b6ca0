"""Names that can fool a reader: invisible characters, look-alikes, traditional forms, Windows file names.

A unit's name in the registry and the 报送单位 of a submission are compared exactly; `fold`
gives the form two names share when they only *look* alike, so a near miss can be explained
("濂溪區" is "濂溪区" written with the traditional 區) and the registry can refuse two units a
reader could not tell apart. Everything here is pure and offline.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# Invisible characters a copy from a web page or a chat brings along, and the bidirectional
# controls that reorder what a reader sees (the "Trojan Source" trick).
_FORMAT_NAMES = {
    "\u00ad": "软连字符",
    "\u061c": "阿拉伯文字母标记",
    "\u180e": "蒙古文元音分隔符",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u200e": "从左至右标记",
    "\u200f": "从右至左标记",
    "\u2060": "零宽不换行符",
    "\ufeff": "零宽不换行空格（BOM）",
}
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_CONTROL_NAMES = {"\t": "制表符", "\x0b": "垂直制表符", "\x0c": "换页符", "\x1b": "转义符", "\x7f": "删除符"}

# Latin look-alikes from other scripts that NFKC leaves alone (the cases seen in practice:
# Cyrillic and Greek letters typed by a wrong keyboard layout in a unit's code).
_CONFUSABLE = str.maketrans(
    {
        "а": "a",
        "с": "c",
        "ԁ": "d",
        "е": "e",
        "һ": "h",
        "і": "i",
        "ј": "j",
        "ӏ": "l",
        "о": "o",
        "р": "p",
        "ԛ": "q",
        "ѕ": "s",
        "у": "y",
        "х": "x",
        "ԝ": "w",
        "α": "a",
        "ι": "i",
        "κ": "k",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
    }
)


def is_invisible(ch: str) -> bool:
    """A character a reader cannot see: a control (other than tab and newline) or a format character."""
    if ch in "\t\n":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs") or ch in ("\u2028", "\u2029")


def invisible(text: str) -> list[str]:
    """The distinct invisible characters of `text`, in order of first appearance."""
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in seen and is_invisible(ch):
            seen[ch] = None
    return list(seen)


def label(ch: str) -> str:
    """A character as a reader can identify it: U+200B（零宽空格）, U+5340“區”."""
    code = f"U+{ord(ch):04X}"
    if ch in _FORMAT_NAMES:
        return f"{code}（{_FORMAT_NAMES[ch]}）"
    if ch in _BIDI:
        return f"{code}（改变文字方向的控制符）"
    if ch in _CONTROL_NAMES:
        return f"{code}（{_CONTROL_NAMES[ch]}）"
    if is_invisible(ch):
        return f"{code}（不可见的控制字符）"
    return f"{code}“{ch}”"


def visible(text: str) -> str:
    """`text` as it can be shown in a message: each invisible character written as [U+XXXX]."""
    return "".join(f"[U+{ord(ch):04X}]" if is_invisible(ch) else ch for ch in text)


@lru_cache(maxsize=1)
def _t2s() -> Any:
    from opencc import OpenCC  # opencc-python-reimplemented: pure Python, dictionaries shipped in the wheel

    return OpenCC("t2s")


@lru_cache(maxsize=65536)
def _simplified_char(ch: str) -> str:
    return str(_t2s().convert(ch))


def simplified(text: str) -> str:
    """`text` with traditional characters in their simplified forms (OpenCC t2s). Text with no
    traditional character is returned as it is without running the converter over the whole
    text: a registry of a thousand units is read on every command."""
    if not text or text.isascii():
        return text
    unknown = set(text) - _SIMPLE  # each character asked once a process: set arithmetic for the rest
    if all(_simplified_char(ch) == ch for ch in unknown):
        _SIMPLE.update(unknown)
        return text
    return str(_t2s().convert(text))


_SIMPLE: set[str] = set()  # characters OpenCC leaves as they are, found so far


def fold(text: str) -> str:
    """The form two names share when they look alike: no invisible characters, NFKC (full-width
    letters, Kangxi radicals, CJK compatibility ideographs), simplified characters, Latin look-alikes,
    no case, no spaces."""
    visible = "".join(ch for ch in text if not is_invisible(ch))
    normal = unicodedata.normalize("NFKC", visible)
    return "".join(simplified(normal).casefold().translate(_CONFUSABLE).split())


def differences(written: str) -> list[tuple[str, str]]:
    """Why `written` is not in its plain form: (character, what it is) for each offending character."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for ch in written:
        if ch in seen:
            continue
        seen.add(ch)
        what = _difference(ch)
        if what is not None:
            out.append((ch, what))
    return out


@lru_cache(maxsize=65536)
def _difference(ch: str) -> str | None:
    """What is wrong with one character, or None (asked once per character: a registry of a
    thousand units repeats the same few hundred)."""
    if is_invisible(ch):
        return "看不见的字符"
    if ch.isspace() and ch not in " \t":
        return "特殊空格"
    normal = unicodedata.normalize("NFKC", ch)
    if normal != ch:
        return f"全角或兼容字符（应为“{normal}”）"
    latin = ch.casefold().translate(_CONFUSABLE)
    if latin != ch.casefold():
        return f"形近的外文字母（应为拉丁字母“{latin}”）"
    simple = simplified(ch)
    if simple != ch:
        return f"繁体字（简体为“{simple}”）"
    return None


def explain(written: str) -> str:
    """The offending characters of `written` as one Chinese phrase, e.g. U+5340“區”是繁体字（简体为“区”）."""
    parts = [f"{label(ch)}是{what}" for ch, what in differences(written)]
    if not parts:
        return "写法（大小写或空格）不同"
    return "、".join(parts[:5]) + ("等" if len(parts) > 5 else "")


# ---------------------------------------------------------------- did you mean: the value a near miss stands for

SUGGEST_MAX_CHARS = 40  # a longer text is not a misspelt name
CLOSE_HAN = 0.6  # difflib ratio of two Chinese names that differ in one character of three (修水具, 修水县)
CLOSE_LATIN = 0.8  # ... of two Latin spellings with two letters swapped in seven (xiushiu, xiushui)
NEAR = 0.1  # candidates this close to the best one are listed with it (都昌 → 都昌县, 都昌县都昌镇)
SUGGEST_MAX = 5
_NOT_LATIN = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class _Spelling:
    target: str  # what is suggested (a unit's id, a value of a list)
    folded: str  # fold(spelling)
    syllables: tuple[str, ...]  # its pinyin without tones; Latin and digits kept as they are
    full: str  # the syllables joined: xiushuixian
    initials: str  # their first letters: xsx


@lru_cache(maxsize=8192)
def syllables(text: str) -> tuple[str, ...]:
    """The pinyin of `text` (folded), one syllable per Chinese character, without tones; Latin
    letters and digits as they are. Phrases are read as phrases (重庆 chong qing, 银行 yin hang)."""
    from pypinyin import lazy_pinyin  # imported only when a suggestion is looked for (a large dictionary)

    out: list[str] = []
    for part in lazy_pinyin(fold(text), errors="default"):
        latin = _NOT_LATIN.sub("", part.lower())
        if latin:
            out.append(latin)
    return tuple(out)


@lru_cache(maxsize=16)
def _index(choices: tuple[tuple[str, str], ...]) -> tuple[_Spelling, ...]:
    out = []
    for spelling, target in choices:
        folded = fold(spelling)
        if folded:
            sounds = syllables(spelling)
            out.append(_Spelling(target, folded, sounds, "".join(sounds), "".join(s[0] for s in sounds)))
    return tuple(out)


def _ratio(a: str, b: str, floor: float = 0.0) -> float:
    """difflib's similarity of `a` and `b` (0 to 1); 0 when it is surely below `floor` (the cheap
    bounds first: a thousand units' names are compared with every near miss)."""
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if floor and (matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor):
        return 0.0
    return matcher.ratio()


def _abbreviates(short: str, long: str) -> bool:
    """`short` keeps the first character of `long` and some of the rest in order (修县 for 修水县)."""
    if len(short) < 2 or short[0] != long[0]:
        return False
    rest = iter(long[1:])
    return all(ch in rest for ch in short[1:])


def _syllable_prefixes(entry: _Spelling) -> list[str]:
    return ["".join(entry.syllables[:n]) for n in range(1, len(entry.syllables) + 1)]


def _latin_score(key: str, entry: _Spelling, floor: float = 0.0) -> tuple[float, float]:
    """(ratio, score) of Latin `key` against the pinyin of a spelling: the ratio is the best against
    the pinyin or its first syllables (xiushiu ~ xiushui); the score, for ranking, counts less the
    more of the name is left over (xiushui is rather 修水县 than 修水县义宁镇)."""
    ratio = score = 0.0
    for form in _syllable_prefixes(entry):
        near = _ratio(key, form, floor)
        ratio = max(ratio, near)
        score = max(score, near * (1 + len(form) / len(entry.full)) / 2)
    return ratio, score


def _match(key: str, latin: bool, sounds: str, entry: _Spelling) -> tuple[int, float]:
    """(tier, score) of one spelling for what was written: tier 2 a prefix, an abbreviation, the
    whole name inside it or it inside the name, the same sound, or the pinyin in full or by
    initials; tier 1 a close spelling or sound; 0 none."""
    if latin:  # a unit's id is its own pinyin here (xiushui, duchang-duchang: duchangduchang)
        if len(key) >= 2 and key in (entry.full, entry.initials):
            return 2, 1.0
        if len(key) >= 3 and entry.full.startswith(key):
            return 2, _latin_score(key, entry)[1]
        ratio, score = _latin_score(key, entry, CLOSE_LATIN)
        return (1, score) if ratio >= CLOSE_LATIN else (0, 0.0)
    folded = entry.folded
    if (
        (len(key) >= 2 and folded.startswith(key))
        or (len(key) >= 3 and _abbreviates(key, folded))
        or (len(folded) >= 3 and folded in key)  # 九江市修水县, 修水县政府办
        or (len(key) >= 3 and key in folded)  # 安全生产 for 今冬明春安全生产工作进展
    ):
        return 2, _ratio(key, folded)
    if len(sounds) >= 4 and sounds in _syllable_prefixes(entry):
        return 2, max(_ratio(key, folded), _ratio(sounds, entry.full))  # the same sound: 修税 for 修水
    score = _ratio(key, folded, CLOSE_HAN)
    if score >= CLOSE_HAN and (len(key) >= 3 or score >= CLOSE_LATIN):
        return 1, score
    near = _ratio(sounds, entry.full, CLOSE_LATIN) if len(sounds) >= 4 else 0.0
    return (1, near) if near >= CLOSE_LATIN else (0, 0.0)


def suggestions(written: str, choices: Iterable[tuple[str, str]]) -> list[str]:
    """The targets `written` most likely stands for, best first, from (spelling, target) pairs: a
    name it begins or abbreviates (修水 → 修水县), the same sound (修税), its pinyin in full or by
    initials, also mistyped (xiushuixian, xsx, xiushiu), or a close spelling (修水具). Several
    when they are about as likely (ambiguous input); none when nothing is near."""
    key = fold(written)
    if not key or len(key) > SUGGEST_MAX_CHARS:
        return []
    latin = key.isascii()
    if latin:
        key = _NOT_LATIN.sub("", key)
        if not key:
            return []
    sounds = "" if latin else "".join(syllables(written))
    best: dict[str, tuple[int, float]] = {}
    for entry in _index(tuple(choices)):
        found = _match(key, latin, sounds, entry)
        if found[0] and found > best.get(entry.target, (0, 0.0)):
            best[entry.target] = found
    if not best:
        return []
    tier = max(found[0] for found in best.values())
    top = max(found[1] for found in best.values() if found[0] == tier)
    kept = [(score, target) for target, (t, score) in best.items() if t == tier and score >= top - NEAR]
    return [target for _, target in sorted(kept, key=lambda pair: -pair[0])][:SUGGEST_MAX]


def did_you_mean(options: list[str]) -> str:
    """您是不是要写“修水县” (several: “甲”、“乙”或“丙”), or nothing; `options` are written as they are shown."""
    if not options:
        return ""
    if len(options) == 1:
        return f"您是不是要写{options[0]}"
    return f"您是不是要写{'、'.join(options[:-1])}或{options[-1]}"


def hint(written: str, values: Iterable[str]) -> str:
    """The did-you-mean of a value from a fixed list (类别, 密级, 主题 …): “，您是不是要写“普遍性””, or nothing."""
    found = suggestions(written, [(value, value) for value in values])
    return f"，{did_you_mean([f'“{value}”' for value in found])}" if found else ""


# ---------------------------------------------------------------- file names that Windows refuses

_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{kind}{n}" for kind in ("COM", "LPT") for n in ("1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³")
}
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def windows_problem(name: str) -> str | None:
    """Why `name` (one path component) cannot be a file or folder name on Windows, in Chinese; None if it can."""
    if not name:
        return "名称是空的"
    bad = sorted(set(_FORBIDDEN.findall(name)))
    if bad:
        shown = "".join(c if c.isprintable() else label(c) for c in bad)
        return f"含有Windows不允许的字符{shown}"
    if name[-1] in ". ":
        return "以句点或空格结尾（Windows会悄悄去掉它们，文件名就变了）"
    stem = name.split(".")[0].rstrip(" ")
    if stem.upper() in _RESERVED:
        return f"“{stem}”是Windows的设备保留名（CON、PRN、AUX、NUL、COM1–COM9、LPT1–LPT9，不论大小写和扩展名）"
    if len(name.encode("utf-8")) > 255:
        return "名称过长（超过255字节）"
    return None


_LISTINGS: dict[str, tuple[int, dict[str, list[str]]]] = {}  # folder -> (its mtime, names by lower case)


def case_twins(path: str | Path) -> list[str]:
    """Other names in `path`'s folder that differ from its name only in case (one file on Windows and
    macOS). Each folder is listed once while it is unchanged, however many of its files are asked about."""
    folder, name = os.path.split(os.fspath(path))
    try:
        mtime = os.stat(folder).st_mtime_ns
        cached = _LISTINGS.get(folder)
        if cached is None or cached[0] != mtime:
            by_lower: dict[str, list[str]] = {}
            for entry in os.listdir(folder):
                by_lower.setdefault(entry.lower(), []).append(entry)
            if len(_LISTINGS) > 256:
                _LISTINGS.clear()
            cached = _LISTINGS[folder] = (mtime, by_lower)
    except OSError:
        return []
    return [other for other in cached[1].get(name.lower(), []) if other != name]
