"""PDF of an issue (期): item Markdown -> pandoc -> Typst markup -> the `typst` compiler. No TeX.

Why this route (measured on the desk's machine, an 8-item issue): pandoc with xelatex and ctex
takes about 3 s an issue and needs ~670 MB of TeX; HTML with WeasyPrint about 19 s; the `typst`
package from PyPI 0.6 s in a new process and about 0.1 s with a compiler kept warm and a font
folder holding only the needed faces. `bench/pdf_bench.py` measures it again.

The layout (GB/T 9704-2012 page, body and page numbers; the bulletin masthead; the 报尾) lives in
`templates/bulletin.typ`; item texts go through `templates/items.lua` inside one pandoc run per
batch. Every character is checked against the fonts' character maps before compiling, because
Typst draws a character that no font has as an empty box without a warning.

    build_pdf(issue, config, out_path)            one issue (rebuilt only when something changed)
    PdfBuilder(config, cache_dir).build_many(...)  many issues, in parallel, fonts checked once

Parallel builds use threads by default: the typst binding releases the GIL while it compiles, so
one compiler per thread uses every core, and there is no process start-up (spawned workers take
~0.9 s to start on this machine: slower than compiling 30 issues on two threads).
`parallel="processes"` gives a pool of spawned worker processes instead.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypandoc
import typst

from bulletin.core import fields, titlebreak
from bulletin.core.levels import LEVELS, classification_of, item_level, level_rank, text_field
from bulletin.core.model import Config, Issue, IssueItem, Publication
from bulletin.core.titlebreak import break_title
from bulletin.desk.atomic import write_file
from bulletin.desk.fonts import (
    FACE,
    FACES,
    ROLE_LABEL,
    STACKS,
    FontCoverage,
    FontProblem,
    find_faces,
    read_coverage,
    shown,
)
from bulletin.desk.fonts import (
    Face as Face,  # re-exported: tests and callers name faces and font folders from here
)
from bulletin.desk.fonts import (
    font_dirs as font_dirs,
)
from bulletin.desk.issues import cn_date, number_line
from bulletin.desk.lexicon import lexicon
from bulletin.editorial.assemble import load_issues, load_submission
from bulletin.errors import BulletinError

if TYPE_CHECKING:  # imported when used: a single issue in a new process needs neither
    import concurrent.futures as cf

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = TEMPLATES / "bulletin.typ"
ITEMS_FILTER = TEMPLATES / "items.lua"

# pandoc's Markdown with everything off that could turn an informant's text into code:
# `@name` (citations), `$100` (math), HTML/TeX/raw blocks; no heading ids, no figures, and no
# metadata blocks (a `---` block or a leading `%` line would silently vanish from the text).
PANDOC_FORMAT = "markdown" + "".join(
    f"-{ext}"
    for ext in (
        "citations",
        "tex_math_dollars",
        "raw_html",
        "raw_tex",
        "raw_attribute",
        "auto_identifiers",
        "implicit_figures",
        "yaml_metadata_block",
        "pandoc_title_block",
    )
)
# an item with any of these is read by pandoc on its own: fences, footnotes, link definitions,
# example lists and definition lists can reach beyond the item's end
_ALONE = re.compile(r"```|~~~|:::|\[\^|\]:|\(@|^ {0,3}[:~]", re.MULTILINE)

RED = "#E60012"  # 报头红（C0 M100 Y100 K0 的常用屏幕值）
INTERNAL_MARK = "内部资料　注意保存"
URGENT = ("特急", "加急")  # shown; 平件 is not
_NAME_SUFFIX = re.compile(r"^(?P<main>.+?)(?P<suffix>（[^（）]+）)$")
# characters the template itself prints
_FIXED = {"song": "—0123456789 ", "hei": "编者按：【】★0123456789", "body": "（）、，。报送发共印份：0123456789"}
# what Typst makes of some ASCII in markup (smart quotes, dashes, no-break space)
_DERIVED = {'"': "“”", "'": "‘’", "-": "–—", "~": "\u00a0"}


class PdfError(BulletinError):
    """An issue could not be typeset; the message says which and why, in Chinese."""


class FontMissing(PdfError):
    """A face of the font stack is not installed (or cannot be read)."""


class GlyphMissing(PdfError):
    """The issue has a character that no face of its font stack can draw."""


# ---------------------------------------------------------------- fonts


def _font_folder(faces: dict[str, Path], folder: Path) -> Path:
    """A folder with only the needed faces (links): Typst scans it in milliseconds."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {path.name: path.resolve() for path in faces.values()}
    for entry in folder.iterdir():
        if entry.name not in wanted or not entry.is_symlink() or entry.resolve() != wanted[entry.name]:
            entry.unlink()
    for name, target in wanted.items():
        link = folder / name
        if not link.exists():
            try:
                link.symlink_to(target)
            except OSError:  # no symlinks here: copy (whole or not at all)
                write_file(link, target.read_bytes())
    return folder


# ---------------------------------------------------------------- what an issue puts on paper


def secrecy_mark(level: str, term: str | None) -> str | None:
    """密级★期限 as printed top left; 内部 is printed as 内部资料　注意保存; 公开 prints nothing."""
    if level in fields.CLASSIFIED:
        return f"{level}★{term}" if term else level
    if level == "内部":
        return INTERNAL_MARK
    return None


def _units(config: Config, issue: Issue, item: IssueItem) -> str:
    names: list[str] = []
    for source in item.sources:
        unit_id = source.split("/")[0]
        unit = config.unit(unit_id)
        if unit is None:
            raise PdfError(f"{issue.path}：条目“{item.title}”的来源{source}中的单位“{unit_id}”不在信息网络名册中")
        if unit.name not in names:
            names.append(unit.name)
    return "、".join(names)


def _item_marks(config: Config, item: IssueItem) -> list[str]:
    """密级 and 紧急程度 of an item when above 内部 / 平件, from the item and its submissions."""
    level, term, urgency = item.classification, None, item.urgency
    for source in item.sources:
        sub = load_submission(config, source)
        if sub is None:
            continue
        sub_level = item_level(sub)
        if level_rank(sub_level) > level_rank(level):
            level, term = sub_level, classification_of(sub)[1]
        elif sub_level == level and term is None:
            term = classification_of(sub)[1]
        sub_urgency = text_field(sub, "紧急程度")
        if sub_urgency in URGENT and (urgency not in URGENT or URGENT.index(sub_urgency) < URGENT.index(urgency)):
            urgency = sub_urgency
    marks = []
    if level in fields.CLASSIFIED and level in LEVELS:
        marks.append(f"{level}★{term}" if term else level)
    if urgency in URGENT:
        marks.append(urgency)
    return marks


def _distribution(issue: Issue, pub: Publication) -> list[tuple[str, str]]:
    source = issue.distribution or pub.distribution
    rows = []
    for key in ("报", "送", "发"):
        names = [n.strip().rstrip("。；;，,") for n in source.get(key, ()) if n.strip()]
        if names:
            rows.append((key, "，".join(names) + "。"))
    return rows


# ---- titles and headings (GB/T 9704-2012 7.3.1 and 7.3.3)

# characters of the 2号 (22 pt) title on a line of the type area: 156 mm / 22 pt = 20.1
# (templates/bulletin.typ: area-width, title-size)
TITLE_PER_LINE = 20
# the headings of a 通报, by level: 一、 黑体; （一） 楷体; 1. and （1） 仿宋
_HEADINGS = (
    re.compile(r"^[一二三四五六七八九十百]+、"),
    re.compile(r"^[（(][一二三四五六七八九十百]+[）)]"),
    re.compile(r"^[0-9０-９]+[.．]"),
    re.compile(r"^[（(][0-9０-９]+[）)]"),
)


_HEADING_ROLE = {1: "hei", 2: "kai", 3: "body", 4: "body"}  # the font stack of each level


def heading_level(title: str) -> int | None:
    """1–4 for a numbered heading (一、 / （一） / 1. / （1）), None for a title."""
    return next((n for n, pattern in enumerate(_HEADINGS, 1) if pattern.match(title)), None)


def title_words(config: Config) -> tuple[str, ...]:
    """Words a title never breaks inside: the names of the network's units and their aliases."""
    names = {unit.name for unit in config.units} | {alias for unit in config.units for alias in unit.aliases}
    return tuple(sorted(n for n in names if len(n) > 1))


class TitleLines:
    """Titles' lines as printed (core.titlebreak at TITLE_PER_LINE, the unit names `keep` whole),
    remembered in `cache/titles.json` under the break module and the words kept; a title not
    broken before is cut with the indexed dictionary (desk.lexicon), so a new process does not
    load the segmenter's whole dictionary. The PDF and the Word file take their lines from here,
    so they print the same lines."""

    def __init__(self, keep: tuple[str, ...], cache: Path) -> None:
        self.keep = keep
        self.path = Path(cache) / "titles.json"
        h = hashlib.sha256(Path(titlebreak.__file__).read_bytes())
        h.update(str(TITLE_PER_LINE).encode())
        h.update("\0".join(keep).encode())
        self.key = h.hexdigest()
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            self.known: dict[str, list[str]] = dict(saved["titles"]) if saved.get("key") == self.key else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.known = {}

    @staticmethod
    def titles(datas: Iterable[dict[str, Any]]) -> set[str]:
        """The titles of the templates' data that are broken into lines (not a 通报's headings)."""
        return {item["title"] for data in datas for item in data["items"] if not item["heading"]}

    def prepare(self, datas: Iterable[dict[str, Any]]) -> None:
        """Start loading the segmenter in a thread when a title too long for a line has not been
        broken before: it loads while pandoc converts the texts (a process of its own), not after."""
        if any(t not in self.known and titlebreak.width(t) > TITLE_PER_LINE for t in self.titles(datas)):
            threading.Thread(target=lexicon, name="bulletin-titlebreak", daemon=True).start()

    def lines(self, titles: Iterable[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        fresh = False
        for title in titles:
            lines = self.known.get(title)
            if not (isinstance(lines, list) and all(isinstance(line, str) for line in lines) and lines):
                lines = self.known[title] = break_title(title, TITLE_PER_LINE, self.keep, lexicon())
                fresh = True
            out[title] = list(lines)
        if fresh:
            data = json.dumps({"key": self.key, "titles": self.known}, ensure_ascii=False, sort_keys=True)
            with contextlib.suppress(OSError):  # a cache: a build that cannot keep it prints the same lines
                write_file(self.path, data.encode("utf-8"))
        return out

    def fill(self, datas: Sequence[dict[str, Any]]) -> None:
        """Each item's `title_lines` in the templates' data: a heading as it is, a title broken."""
        lines = self.lines(self.titles(datas))
        for data in datas:
            for item in data["items"]:
                item["title_lines"] = [item["title"]] if item["heading"] else lines[item["title"]]


@dataclass
class _Job:
    """One issue on its way to paper: the template's data, the texts for pandoc, the hash."""

    issue: Issue
    out: Path
    data: dict[str, Any]
    texts: list[tuple[str, str]]  # (Markdown, credit) per item
    digest: str = ""
    timestamp: int = 0


def _prepare(config: Config, issue: Issue, out: Path, copy_number: str | None = None) -> _Job:
    """The template's data; `copy_number` (份号, six digits) for a numbered copy of a classified issue."""
    pub = config.publication(issue.publication)
    if pub is None:
        raise PdfError(f"{issue.path}：刊物“{issue.publication}”不在配置（bulletin.yml的publications）中")
    m = _NAME_SUFFIX.match(pub.name)
    marks = [mark for mark in (secrecy_mark(issue.classification, issue.secrecy_term),) if mark]
    if issue.urgency in URGENT:
        marks.append(issue.urgency)
    notice = pub.kind == "通报"
    items, texts = [], []
    for item in issue.items:
        level = heading_level(item.title) if notice else None
        items.append(
            {
                "title": item.title,
                "title_lines": [item.title],  # broken into lines by build_many, for the PDFs it builds
                "heading": level,
                "column": item.column,
                "note": item.note,
                "marks": _item_marks(config, item),
            }
        )
        texts.append((item.text, _units(config, issue, item)))
    copies = issue.copies or pub.copies
    data: dict[str, Any] = {
        "title": f"{pub.name} {number_line(issue)}",
        "fonts": {role: list(dict.fromkeys(FACE[k].family for k in keys)) for role, keys in STACKS.items()},
        "red": RED,
        "marks": marks,
        "name": m["main"] if m else pub.name,
        "name_suffix": m["suffix"] if m else None,
        "number_line": number_line(issue),
        "office": config.office,
        "date": cn_date(issue.date),
        # a 通报 has no 编者按 (GB/T 9704): an old notice's note is printed as its opening text
        "note": None if notice else issue.note,
        "opening": issue.note if notice else None,
        "items": items,
        "distribution": _distribution(issue, pub),
        "copies": f"（共印{copies}份）" if copies > 0 else None,
        "copy_number": copy_number,  # 份号: top left, above the 密级 (bulletin.editorial.copies)
    }
    noon = dt.datetime.combine(issue.date, dt.time(12), tzinfo=config.timezone)
    return _Job(issue, out, data, texts, timestamp=int(noon.timestamp()))


def issue_layout(config: Config, issue: Issue) -> tuple[dict[str, Any], list[tuple[str, str]], int]:
    """What the issue puts on paper, as the PDF's template gets it (the Word file prints the same):
    the template's data, each item's (Markdown, credit), and the issue's timestamp (its date, noon)."""
    job = _prepare(config, issue, Path())
    return job.data, job.texts, job.timestamp


def _to_typst(texts: Sequence[tuple[str, str]]) -> list[str]:
    """Every item text to Typst markup in a single pandoc run (one process for a whole batch)."""
    return convert_items(texts, "typst")


def convert_items(texts: Sequence[tuple[str, str]], target: str) -> list[str]:
    """Every (item text, credit) through items.lua in a single pandoc run: Typst markup for the PDF
    (`typst`), or each item's blocks as pandoc JSON for the Word file (`docx`), read and styled alike."""
    if not texts:
        return []
    token = f"BULLETINSPLIT{os.urandom(16).hex().upper()}"
    request = {
        "format": PANDOC_FORMAT,
        "target": target,
        "token": token,
        "items": [{"text": t, "credit": c, "alone": bool(_ALONE.search(t))} for t, c in texts],
    }
    with tempfile.TemporaryDirectory(prefix="bulletin-pandoc-") as tmp:
        path = Path(tmp) / "items.json"
        path.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
        try:
            out = pypandoc.convert_text(
                "",
                "typst",
                format="markdown",
                extra_args=["--metadata", f"bulletin-input={path}"],
                filters=[str(ITEMS_FILTER)],
                verify_format=False,  # else pypandoc runs pandoc twice more to list its formats
            )
        except (RuntimeError, OSError) as exc:
            raise PdfError(f"pandoc转换正文失败：{exc}") from None
    bodies = re.split(rf"^// {token}\n", out, flags=re.MULTILINE)
    if len(bodies) != len(texts):
        raise PdfError(f"pandoc返回的条目数（{len(bodies)}）与送去的（{len(texts)}）不一致")
    return [b.strip() + "\n" for b in bodies]


# ---------------------------------------------------------------- compiling


def _scan_fonts(font_folder: str) -> typst.Fonts:
    """The faces of the font folder as Typst reads them (it parses every file: ~50 ms; do it once)."""
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[font_folder])


_SCANS: dict[tuple[str, tuple[tuple[str, str, int, int], ...]], typst.Fonts] = {}
_SCANS_LOCK = threading.Lock()


def _scanned_fonts(folder: Path, faces: dict[str, Path]) -> typst.Fonts:
    """Typst's scan of the font folder, made once per process for the same font files (every
    builder, and every compiler of a builder, shares it)."""
    files = []
    for path in faces.values():
        stat = path.stat()
        files.append((path.name, str(path.resolve()), stat.st_size, stat.st_mtime_ns))
    key = (str(folder), tuple(sorted(files)))
    with _SCANS_LOCK:
        scanned = _SCANS.get(key)
        if scanned is None:
            scanned = _SCANS[key] = _scan_fonts(str(folder))
    return scanned


def _make_compiler(fonts: typst.Fonts | str) -> typst.Compiler:
    """A compiler of the template with these fonts (scanned already, or a font folder to scan)."""
    if isinstance(fonts, str):
        fonts = _scan_fonts(fonts)
    return typst.Compiler(input=str(TEMPLATE), root=str(TEMPLATES), font_paths=fonts)


def _compile(compiler: typst.Compiler, data_json: str, timestamp: int, out: str, shown: str) -> list[str]:
    """Compile one issue and write the PDF atomically; returns Typst's remaining warnings."""
    try:
        pdf, warnings = compiler.compile_with_warnings(
            format="pdf", sys_inputs={"data": data_json}, timestamp=timestamp
        )
    except typst.TypstError as exc:
        raise PdfError(f"{shown}：排版失败：{exc.message}") from None
    messages = [str(w.message) for w in warnings]
    unknown = [m for m in messages if "unknown font family" in m]
    if unknown:
        raise FontMissing(f"{shown}：排版时找不到字体（{'；'.join(unknown)}）：请运行“make fonts”")
    if not isinstance(pdf, bytes):
        raise PdfError(f"{shown}：排版没有得到PDF")
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_file(path, pdf)
    return messages


_WORKER: typst.Compiler | None = None


def _worker_init(font_folder: str) -> None:
    global _WORKER
    _WORKER = _make_compiler(font_folder)


def _worker_compile(data_json: str, timestamp: int, out: str, shown: str) -> tuple[list[str], float]:
    assert _WORKER is not None
    start = time.perf_counter()
    warnings = _compile(_WORKER, data_json, timestamp, out, shown)
    return warnings, time.perf_counter() - start


# ---------------------------------------------------------------- the builder


@dataclass(frozen=True)
class BuildResult:
    issue: str  # issue id, e.g. huiyao/2026/001
    path: Path
    built: bool  # False: the PDF was up to date and left alone
    seconds: float = 0.0  # compile time (0 when not built)
    warnings: tuple[str, ...] = ()
    digest: str = ""  # the hash of every input it was built from (the publication record keeps it)


@dataclass
class _Record:
    digest: str
    size: int
    mtime_ns: int


@dataclass
class PdfBuilder:
    """Builds issues' PDFs and keeps what is worth keeping between them: the font files and
    their character maps (checked once), warm Typst compilers and a pool of workers.

    A PDF is rebuilt only when what goes into it changed: the issue (its text, titles, masthead
    facts), the names of the units it credits, the template, the filter or this module, or the
    fonts. The content hash is recorded in `cache_dir/records/`.
    """

    config: Config
    cache_dir: Path | None = None
    workers: int | None = None  # default: the available cores
    # "threads": typst releases the GIL while compiling, so threads (one compiler each) use all
    # cores without starting processes; "processes": a pool of spawned worker processes
    parallel: str = "threads"
    _faces: dict[str, Path] = field(default_factory=dict, init=False, repr=False)
    _coverage: FontCoverage | None = field(default=None, init=False, repr=False)
    _folder: Path | None = field(default=None, init=False, repr=False)
    _typst_fonts: typst.Fonts | None = field(default=None, init=False, repr=False)  # shared by the compilers
    _local: threading.local = field(default_factory=threading.local, init=False, repr=False)
    _pool: cf.Executor | None = field(default=None, init=False, repr=False)
    _static: str = field(default="", init=False, repr=False)

    def __post_init__(self) -> None:
        if self.cache_dir is None:
            self.cache_dir = self.config.root / "build" / "pdf-cache"
        self.cache_dir = Path(self.cache_dir)
        if self.parallel not in ("threads", "processes"):
            raise PdfError(f"parallel只能是threads或processes，现为“{self.parallel}”")

    # -- state kept between builds

    @property
    def cache(self) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir

    def fonts(self) -> Path:
        """Find the faces, read their character maps and make the font folder (once)."""
        if self._folder is None:
            try:
                faces = find_faces(self.config, FACES)
                coverage = read_coverage(faces, self.cache / "cmaps")
            except FontProblem as exc:
                raise FontMissing(str(exc)) from None
            folder = _font_folder(faces, self.cache / "fonts")
            scanned = _scanned_fonts(folder, faces)
            families = set(scanned.families())
            lost = [f"{face.label}（{face.family}）" for face in FACES if face.family not in families]
            if lost:
                raise FontMissing(f"字体文件可以读取，但排版程序认不出：{'、'.join(lost)}")
            self._faces, self._coverage, self._typst_fonts, self._folder = faces, coverage, scanned, folder
        return self._folder

    def _static_hash(self) -> str:
        if not self._static:
            h = hashlib.sha256(b"bulletin-pdf-1")
            for path in (TEMPLATE, ITEMS_FILTER, Path(__file__), Path(titlebreak.__file__)):
                h.update(path.read_bytes())
            for key in sorted(self._faces):
                stat = self._faces[key].stat()
                h.update(f"{key}:{self._faces[key].name}:{stat.st_size}".encode())
            h.update(f"typst {_typst_version()} pandoc {pypandoc.get_pandoc_version()}".encode())
            h.update("|".join(title_words(self.config)).encode())  # titles never break inside these
            self._static = h.hexdigest()
        return self._static

    def _digest(self, job: _Job) -> str:
        h = hashlib.sha256(self._static_hash().encode())
        h.update(json.dumps([job.data, job.texts, job.timestamp], ensure_ascii=False, sort_keys=True).encode())
        return h.hexdigest()

    def _record_path(self, out: Path) -> Path:
        key = hashlib.sha1(str(out.resolve()).encode()).hexdigest()[:20]
        return self.cache / "records" / f"{key}.json"

    def recorded_hash(self, out: Path) -> str | None:
        """The content hash the PDF at `out` was built from, if it is still that PDF."""
        try:
            record = _Record(**json.loads(self._record_path(out).read_text(encoding="utf-8")))
            stat = out.stat()
        except (OSError, ValueError, TypeError):
            return None
        if stat.st_size != record.size or stat.st_mtime_ns != record.mtime_ns:
            return None  # replaced or touched by someone else
        return record.digest

    def _record(self, out: Path, digest: str) -> None:
        stat = out.stat()
        path = self._record_path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, json.dumps(_Record(digest, stat.st_size, stat.st_mtime_ns).__dict__).encode())

    # -- checking

    def _check_glyphs(self, job: _Job, bodies: Sequence[str]) -> None:
        """Every character the issue prints must be in its role's font stack (GlyphMissing)."""
        self.fonts()
        issue, data = job.issue, job.data
        places: list[tuple[str, str, tuple[str, ...]]] = [
            ("报头", data["name"] + (data["name_suffix"] or ""), ("title",)),
            ("报头", " ".join([data["number_line"], data["office"], data["date"], _FIXED["song"]]), ("song",)),
            ("报头", " ".join([*data["marks"], _FIXED["hei"]]), ("hei",)),
            ("报尾", " ".join([*(a + b for a, b in data["distribution"]), data["copies"] or ""]), ("body",)),
            ("刊物", _FIXED["body"], ("body",)),
        ]
        if data["note"]:
            places.append(("编者按", data["note"], ("kai",)))
        if data["opening"]:
            places.append(("通报开头", data["opening"], ("body",)))
        for item, body in zip(data["items"], bodies, strict=True):
            where = f"条目“{item['title']}”"
            places.append((where, item["title"], (_HEADING_ROLE.get(item["heading"], "title"),)))
            places.append((where, " ".join([*item["marks"], item["column"] or ""]), ("hei",)))
            if item["note"]:
                places.append((where + "的编者按", item["note"], ("kai",)))
            derived = "".join(v for k, v in _DERIVED.items() if k in body)
            places.append((where, body + derived, ("body", "hei", "kai")))
        problems: list[str] = []
        assert self._coverage is not None
        for where, text, roles in places:
            for ch, lacking in self._coverage.missing(text, roles):
                which = (
                    "所有字体中都没有"
                    if len(lacking) == len(roles)
                    else f"{'、'.join(ROLE_LABEL[r] for r in lacking)}字体中没有"
                )
                problems.append(f"{issue.path}：{where}中的字符{shown(ch)}{which}，印出来会是空白方框")
        if problems:
            raise GlyphMissing(
                "\n".join(problems) + "\n请改用规范汉字或常用写法；确需此字的，请管理员补充含有该字的字体后重试。"
            )

    # -- building

    def input_digest(self, issue: Issue, out_path: Path, copy_number: str | None = None) -> str:
        """The hash of every input the issue's PDF is built from, without building it
        (what `bulletin verify` compares with the publication record)."""
        self.fonts()
        return self._digest(_prepare(self.config, issue, Path(out_path), copy_number))

    def build(self, issue: Issue, out_path: Path, force: bool = False) -> BuildResult:
        return self.build_many([(issue, Path(out_path))], force=force)[0]

    def build_many(
        self, jobs: Iterable[tuple[Issue, Path] | tuple[Issue, Path, str | None]], force: bool = False
    ) -> list[BuildResult]:
        """Build every (issue, PDF path[, 份号]) whose inputs changed; in parallel when there are several.

        Numbered copies of one issue share the work: each item text goes through pandoc once
        however many copies carry it, and the fonts are checked once.

        Issues that cannot be built do not stop the others: their messages come together in one
        PdfError at the end (the PDFs that could be built are written and recorded).
        """
        self.fonts()
        results: dict[int, BuildResult] = {}
        errors: list[PdfError] = []
        pending: list[tuple[int, _Job]] = []
        for n, (issue, out, *copy_number) in enumerate(jobs):
            try:
                job = _prepare(self.config, issue, Path(out), *copy_number)
            except PdfError as exc:
                errors.append(exc)
                continue
            job.digest = self._digest(job)
            if not force and self.recorded_hash(job.out) == job.digest:
                results[n] = BuildResult(issue.id, job.out, built=False, digest=job.digest)
            else:
                pending.append((n, job))
        texts = list(dict.fromkeys(t for _, job in pending for t in job.texts))  # each once: copies share them
        title_lines = TitleLines(title_words(self.config), self.cache)
        title_lines.prepare(job.data for _, job in pending)
        converted = dict(zip(texts, _to_typst(texts), strict=True))
        # the titles' lines (words whole, lines balanced), printed as given; only for PDFs to be built
        title_lines.fill([job.data for _, job in pending])
        ready: list[tuple[int, _Job, str]] = []
        for n, job in pending:
            mine = [converted[t] for t in job.texts]
            try:
                self._check_glyphs(job, mine)
            except PdfError as exc:
                errors.append(exc)
                continue
            for item, body in zip(job.data["items"], mine, strict=True):
                item["body"] = body
            ready.append((n, job, json.dumps(job.data, ensure_ascii=False)))
        for n, job, outcome in self._run(ready):
            if isinstance(outcome, BaseException):
                errors.append(outcome if isinstance(outcome, PdfError) else PdfError(f"{job.issue.path}：{outcome}"))
                continue
            warnings, seconds = outcome
            self._record(job.out, job.digest)
            results[n] = BuildResult(job.issue.id, job.out, True, seconds, tuple(warnings), job.digest)
        if errors:
            kinds = {type(e) for e in errors}
            kind = kinds.pop() if len(kinds) == 1 else PdfError
            raise kind("\n".join(str(e) for e in errors))
        return [results[n] for n in sorted(results)]

    def _run(self, ready: list[tuple[int, _Job, str]]) -> Iterator[tuple[int, _Job, Any]]:
        workers = min(self.workers or _cores(), len(ready))
        if workers < 2:
            for n, job, data_json in ready:
                yield n, job, self._compile_here(job, data_json)
            return
        import concurrent.futures as cf

        pool = self._executor(workers)
        futures: dict[cf.Future[Any], tuple[int, _Job]]
        if isinstance(pool, cf.ProcessPoolExecutor):
            futures = {
                pool.submit(_worker_compile, data_json, job.timestamp, str(job.out), job.issue.path): (n, job)
                for n, job, data_json in ready
            }
        else:
            futures = {pool.submit(self._compile_here, job, data_json): (n, job) for n, job, data_json in ready}
        for future in cf.as_completed(futures):
            n, job = futures[future]
            try:
                yield n, job, future.result()
            except Exception as exc:
                yield n, job, exc

    def _compile_here(self, job: _Job, data_json: str) -> tuple[list[str], float] | PdfError:
        """Compile in this process, with this thread's own compiler (kept warm)."""
        compiler: typst.Compiler | None = getattr(self._local, "compiler", None)
        if compiler is None:
            self.fonts()
            assert self._typst_fonts is not None
            compiler = self._local.compiler = _make_compiler(self._typst_fonts)
        start = time.perf_counter()
        try:
            warnings = _compile(compiler, data_json, job.timestamp, str(job.out), job.issue.path)
        except PdfError as exc:
            return exc
        return warnings, time.perf_counter() - start

    def _executor(self, workers: int) -> cf.Executor:
        import concurrent.futures as cf

        if self._pool is None:
            if self.parallel == "processes":
                import multiprocessing

                # spawn, not fork: the parent may hold compilers with running threads
                self._pool = cf.ProcessPoolExecutor(
                    workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_worker_init,
                    initargs=(str(self.fonts()),),
                )
            else:
                self._pool = cf.ThreadPoolExecutor(workers, thread_name_prefix="bulletin-pdf")
            atexit.register(self.close)
        return self._pool

    def build_desk(self, out_dir: Path, force: bool = False) -> list[BuildResult]:
        """Every issue of the desk to out_dir/<publication>/<year>/<NNN>.pdf."""
        issues, findings = load_issues(self.config)
        if findings:
            raise PdfError(
                "刊物文件有错误，先改正再生成PDF：\n" + "\n".join(f"{f.path}：{f.message}" for f in findings)
            )
        return self.build_many([(issue, pdf_path(out_dir, issue)) for issue in issues], force=force)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> PdfBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _typst_version() -> str:
    """The typst package's version (its own attribute: importing importlib.metadata takes 20 ms)."""
    version = getattr(typst, "__version__", None)
    if isinstance(version, str) and version:
        return version
    import importlib.metadata

    try:
        return importlib.metadata.version("typst")
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pdf_path(out_dir: Path, issue: Issue) -> Path:
    """Where an issue's PDF goes: <out_dir>/huiyao/2026/001.pdf (增刊 zk001.pdf)."""
    return Path(out_dir) / f"{issue.id}.pdf"


_BUILDERS: dict[tuple[Path, Path | None], PdfBuilder] = {}


def build_pdf(issue: Issue, config: Config, out_path: Path, force: bool = False) -> Path:
    """One issue's PDF at out_path, rebuilt only when something that goes into it changed.

    Keeps one PdfBuilder per desk for the life of the process (fonts checked once, compiler warm).
    """
    key = (config.root.resolve(), None)
    builder = _BUILDERS.get(key)
    if builder is None or builder.config is not config:
        builder = _BUILDERS[key] = PdfBuilder(config)
    return builder.build(issue, Path(out_path), force=force).path
