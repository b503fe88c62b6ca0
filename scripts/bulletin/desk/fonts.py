"""The faces the desk prints with: where they are found, and which characters each can draw.

One answer for everyone: the PDF build (publish/pdf.py) refuses a character no face of its role's
font stack has (Typst would draw an empty box without a word), the check (rules/glyphs.py) tells
the informant the same before the item is merged, the site (publish/plugin.py) and the Word file
fall back to the same rare-character faces, named by `fallback_families()`.

Rare characters (生僻字 of CJK Extension B and later, in names of people and places) are drawn by
HanaMinB (Debian's fonts-hanazono: Extension B to F) and BabelStone Han (fonts-babelstone-han:
Extension G and what else HanaMinB lacks), the last faces of every stack, glyph by glyph.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import threading
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.core.model import Config
from bulletin.desk.atomic import write_file
from bulletin.errors import BulletinError

CHECKOUT = Path(__file__).resolve().parents[3]  # the repository, when running from a checkout
_U32 = "I" if array("I").itemsize == 4 else "L"  # code points, in the cached character maps


class FontProblem(BulletinError):
    """A face is not installed, or its file cannot be read (the message says how to fix it)."""


@dataclass(frozen=True)
class Face:
    key: str
    family: str  # as Typst (and the font's name table) calls it
    files: tuple[str, ...]  # file names to look for, first found wins
    label: str  # what it is used for, in Chinese
    install: str  # how to get it, in Chinese


_NOTO = "以root运行“make fonts”，或执行“apt-get install fonts-noto-cjk”"
FACES: tuple[Face, ...] = (
    Face(
        "fang",
        "FandolFang R",
        ("FandolFang-Regular.otf",),
        "仿宋（正文）",
        "运行“make fonts”（从Debian软件包texlive-lang-chinese中只提取这一个字体文件到.fonts/，不安装TeX）",
    ),
    Face(
        "song", "Noto Serif CJK SC", ("NotoSerifCJK-Regular.ttc", "NotoSerifCJKsc-Regular.otf"), "宋体（补字）", _NOTO
    ),
    Face(
        "song-bold",
        "Noto Serif CJK SC",
        ("NotoSerifCJK-Bold.ttc", "NotoSerifCJKsc-Bold.otf"),
        "小标宋（刊名、标题）",
        _NOTO,
    ),
    Face("hei", "Noto Sans CJK SC", ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"), "黑体", _NOTO),
    Face(
        "kai",
        "LXGW WenKai",
        ("LXGWWenKai-Regular.ttf",),
        "楷体",
        "以root运行“make fonts”，或执行“apt-get install fonts-lxgw-wenkai”",
    ),
    Face(
        "rare-b",
        "HanaMinB",
        ("HanaMinB.ttf",),
        "生僻字（扩展B至F区）",
        "以root运行“make fonts”，或执行“apt-get install fonts-hanazono”",
    ),
    Face(
        "rare-g",
        "BabelStone Han",
        ("BabelStoneHan.ttf",),
        "生僻字（扩展G区等）",
        "以root运行“make fonts”，或执行“apt-get install fonts-babelstone-han”",
    ),
)
FACE = {face.key: face for face in FACES}

# What the template is told for each role: the main face first, then the simplified-Chinese face
# (left to itself, Typst's automatic fallback picked a Japanese face), then the rare-character faces.
RARE = ("rare-b", "rare-g")
STACKS: dict[str, tuple[str, ...]] = {
    "body": ("fang", "song", *RARE),
    "song": ("song", *RARE),
    "title": ("song-bold", "song", *RARE),
    "hei": ("hei", "song", *RARE),
    "kai": ("kai", "song", *RARE),
}
ROLE_LABEL = {"body": "仿宋", "song": "宋体", "title": "小标宋", "hei": "黑体", "kai": "楷体"}

# characters that draw nothing and need no glyph
INVISIBLE = re.compile(
    "[\u00ad\u034f\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufe00-\ufe0f\ufeff\U000e0100-\U000e01ef]"
)


def font_dirs(config: Config) -> list[Path]:
    """Where faces are looked for, in order: $BULLETIN_FONT_DIRS, the desk's and the checkout's
    .fonts/ (where `make fonts` puts FandolFang), then the usual font folders."""
    dirs = [Path(p) for p in os.environ.get("BULLETIN_FONT_DIRS", "").split(os.pathsep) if p]
    dirs += [config.root / ".fonts", CHECKOUT / ".fonts"]
    dirs += [Path.home() / ".local/share/fonts", Path.home() / ".fonts", Path("/usr/local/share/fonts")]
    dirs.append(Path("/usr/share/fonts"))
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in seen:
            seen.append(d.resolve())
    return seen


def find_faces(config: Config, faces: Sequence[Face] = FACES, required: bool = True) -> dict[str, Path]:
    """The file of every face; all missing faces in one FontProblem (unless not `required`: then
    the faces that were found)."""
    wanted = {name for face in faces for name in face.files}
    found: dict[str, Path] = {}
    for folder in font_dirs(config):
        for dirpath, _, names in os.walk(folder, followlinks=True):
            for name in wanted.intersection(names):
                found.setdefault(name, Path(dirpath) / name)
    paths: dict[str, Path] = {}
    missing: list[str] = []
    for face in faces:
        path = next((found[n] for n in face.files if n in found), None)
        if path is None:
            missing.append(f"  {face.label}：{face.files[0]}（字族{face.family}）。安装：{face.install}")
        else:
            paths[face.key] = path
    if missing and required:
        raise FontProblem("生成PDF所需的字体没有找到：\n" + "\n".join(missing))
    return paths


class Coverage:
    """The characters a face has, as sorted code point ranges (cached on disk as the machine's
    32-bit integers, start and end of each range: read in well under a millisecond, where JSON of
    a CJK face took some 5 ms)."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        self.starts: Sequence[int] = array(_U32, [a for a, _ in ranges])
        self.ends: Sequence[int] = array(_U32, [b for _, b in ranges])

    def __contains__(self, cp: object) -> bool:
        if not isinstance(cp, int):
            return False
        i = bisect.bisect_right(self.starts, cp) - 1
        return i >= 0 and cp <= self.ends[i]

    @classmethod
    def of(cls, path: Path, family: str, cache: Path) -> Coverage:
        stat = path.stat()
        key = hashlib.sha1(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{family}".encode()).hexdigest()[:16]
        cached = cache / f"{path.stem}-{key}.u32"
        try:
            pairs = array(_U32, cached.read_bytes())
        except (OSError, ValueError):  # absent, or not whole numbers
            pass
        else:
            if len(pairs) % 2 == 0:
                coverage = cls.__new__(cls)
                coverage.starts, coverage.ends = pairs[0::2], pairs[1::2]
                return coverage
        ranges = _cmap_ranges(path, family)
        coverage = cls(ranges)
        try:
            cache.mkdir(parents=True, exist_ok=True)
            write_file(cached, array(_U32, [cp for pair in ranges for cp in pair]).tobytes())
        except OSError:  # a read-only desk: read the font again next time
            pass
        return coverage


def _cmap_ranges(path: Path, family: str) -> list[tuple[int, int]]:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.ttCollection import TTCollection

    def names(font: TTFont) -> set[str]:
        table = font["name"]
        return {str(rec.toUnicode()) for rec in table.names if rec.nameID in (1, 16)}

    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            fonts = TTCollection(str(path), lazy=True).fonts
            font = next((f for f in fonts if family in names(f)), None)
            if font is None:
                raise FontProblem(f"字体文件{path}中没有字族{family}")
        else:
            font = TTFont(str(path), lazy=True)
        codepoints = sorted(font.getBestCmap())
    except FontProblem:
        raise
    except Exception as exc:  # fontTools raises many kinds on a damaged file
        raise FontProblem(f"字体文件{path}无法读取：{exc}") from None
    ranges: list[tuple[int, int]] = []
    for cp in codepoints:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return ranges


@dataclass
class FontCoverage:
    """What the faces found can draw, by role: the one coverage function of the check and the build."""

    coverage: dict[str, Coverage]  # face key -> its characters
    stacks: dict[str, tuple[str, ...]]
    # the characters found drawable, by roles: a check of every item, or a year of PDFs, asks about
    # the same few thousand characters again and again
    _drawn: dict[tuple[str, ...], set[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def complete(self) -> bool:
        """Every face of every stack was found (else a missing face says nothing about a character)."""
        return all(k in self.coverage for keys in self.stacks.values() for k in keys)

    def lacking(self, ch: str, roles: Sequence[str]) -> tuple[str, ...]:
        """The roles whose font stack has no glyph for `ch` (none for spaces and invisible marks)."""
        if ch.isspace() or INVISIBLE.match(ch):
            return ()
        if not printable(ch):  # private use, unassigned, surrogate: no reader's font means the same by it
            return tuple(roles)
        cp = ord(ch)
        return tuple(r for r in roles if not any(cp in self.coverage[k] for k in self.stacks[r] if k in self.coverage))

    def missing(self, text: str, roles: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
        """Each character of `text` that some of `roles` cannot draw, with those roles, once each, in
        the order written: what `glyph-missing` reports at the check and what stops the PDF. Where a
        face is not installed (a check without `make fonts`), only what no font means the same by
        (private use, unassigned) is missing: a missing face says nothing about a character."""
        drawn = self._drawn.setdefault(roles, set())
        unknown = set(text) - drawn
        if not unknown:
            return []
        complete = self.complete
        out: list[tuple[str, tuple[str, ...]]] = []
        for ch in dict.fromkeys(text):
            if ch not in unknown:
                continue
            lacking = self.lacking(ch, roles) if complete else (() if printable(ch) else tuple(roles))
            if lacking:
                out.append((ch, lacking))
            else:
                drawn.add(ch)
        return out

    def fallback(self, ch: str, role: str) -> str | None:
        """The family of the rare-character face that draws `ch` where none of the role's own faces
        does (the Word file names it on that character's run, as the PDF falls back glyph by glyph)."""
        cp = ord(ch)
        own = [k for k in self.stacks[role] if k not in RARE and k in self.coverage]
        if not own or any(cp in self.coverage[k] for k in own):
            return None
        return next((FACE[k].family for k in RARE if k in self.coverage and cp in self.coverage[k]), None)


def read_coverage(faces: dict[str, Path], cache: Path, stacks: dict[str, tuple[str, ...]] = STACKS) -> FontCoverage:
    return FontCoverage({key: Coverage.of(path, FACE[key].family, cache) for key, path in faces.items()}, stacks)


_DESK_COVERAGE: dict[Path, FontCoverage] = {}
_DESK_LOCK = threading.Lock()


def user_cache() -> Path:
    """The user's cache folder for the desk ($XDG_CACHE_HOME/bulletin or ~/.cache/bulletin): the
    check writes nothing into the desk."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bulletin"


def desk_coverage(config: Config) -> FontCoverage:
    """What the faces installed for this desk can draw (read once a process; the character maps
    are cached in the user's cache folder, not in the desk). Faces that are missing count as
    drawing nothing (see FontCoverage.complete)."""
    key = config.root  # resolved by load_config; asked once an item by the check
    with _DESK_LOCK:
        found = _DESK_COVERAGE.get(key)
        if found is None:
            faces = find_faces(config, required=False)
            found = _DESK_COVERAGE[key] = read_coverage(faces, user_cache() / "cmaps")
    return found


def shown(ch: str) -> str:
    """A character as messages name it: “𪚥”（U+2A6A5）, or its code point alone if invisible."""
    cp = f"U+{ord(ch):04X}"
    return f"“{ch}”（{cp}）" if printable(ch) else f"{cp}（不可见或未分配的字符）"


def printable(ch: str) -> bool:
    return ch.isprintable() and unicodedata.category(ch) not in ("Co", "Cn", "Cs")


def fallback_families() -> tuple[str, ...]:
    """The families of the rare-character faces, in fallback order (for the Word file's and the
    site's font lists): ("HanaMinB", "BabelStone Han")."""
    return tuple(FACE[key].family for key in RARE)
