"""The statistics' charts, drawn at build time as SVG with matplotlib (imported only here, and only
when a chart is drawn: `bulletin check` never loads it).

Every text of a chart is drawn as paths in the desk's 黑体 (Noto Sans CJK SC, desk.fonts), so the
Chinese shows without web fonts and the file loads nothing: no <text>, no font, no link out of
the file. The root element has a viewBox and `width="100%"`, so a chart is as wide as the page
on a phone and on a desk; the same figures stand in a table below every chart (the site) or
beside it (the notice's PDF).

A chart is the same file for the same figures (fixed ids, no date): `Charts` keeps each one drawn
under the hash of its figures in the build folder, so a build draws only the charts whose figures
changed.

    ranking_svg(title, names, scores, rates)     score and 采用率 by unit, in ranking order
    timeline_svg(title, labels, series)          counts over time (迟报、漏报、突发事件)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bulletin.core.model import Config
from bulletin.desk.atomic import write_file
from bulletin.desk.fonts import FACE, FontProblem, find_faces
from bulletin.errors import BulletinError

FONT = FACE["hei"]  # Noto Sans CJK SC: the charts' one face (a .ttc holds SC beside JP, KR, TC, HK)
FAMILY = "Noto Sans CJK SC"
BAR = "#C00000"  # 得分: the red of the site's palette
RATE = "#5B7DB1"  # 采用率
LINES = ("#C00000", "#E08A00", "#2F6EBA", "#6A6A6A")
SIZE = 12  # pt, the smallest text of a chart: shown at its own size on a desk (16 px, as the page's text)
# A phone (390 px) shows a chart 358 px wide: the widths below keep its text at 12 px there
# (tests/test_phone.py measures it) for names of up to ten characters
PANELS = 3.0  # in: the ranking's two panels (score, 采用率) beside the names
TIMELINE = (4.6, 3.2)  # in: the line chart
GAP = 0.6  # em between two labels of the time axis

_SIZE_ATTRS = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


class ChartError(BulletinError):
    """A chart could not be drawn (its font is missing); the message says how to fix it."""


_READY: dict[str, bool] = {}


def _matplotlib(font: Path) -> Any:
    """matplotlib with the SVG backend and the desk's 黑体 registered (once a process)."""
    import matplotlib

    matplotlib.use("svg", force=False)
    from matplotlib import font_manager

    if str(font) not in _READY:
        font_manager.fontManager.addfont(str(font))
        _READY[str(font)] = True
    return matplotlib


def _rc() -> dict[str, Any]:
    return {
        "svg.fonttype": "path",  # text as paths: no font needed to read a chart
        "svg.hashsalt": "bulletin",  # fixed ids: the same figures give the same file
        "font.family": [FAMILY],
        "font.size": SIZE,
        "axes.titlesize": SIZE + 1,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.unicode_minus": False,  # the font's hyphen-minus (its U+2212 is a full-width sign)
        "svg.image_inline": True,
    }


def width_px(svg: str) -> int:
    """The width a chart is drawn for, in CSS pixels (its viewBox is in points): the widest it is
    shown, its text then at its own size; a phone shows it narrower (max-width: 100%)."""
    found = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"', svg)
    return round(float(found[1]) * 4 / 3) if found else 0


def _ems(label: str) -> float:
    """A label's width in em: a Chinese character is one, a digit or a Latin letter about half."""
    return sum(0.55 if ord(ch) < 0x2E80 else 1.0 for ch in label)


def _svg(fig: Any) -> str:
    import io

    out = io.StringIO()
    # no metadata: no date (the same chart is the same file), no Dublin Core links
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = out.getvalue()
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", text)  # names the W3C's DTD by its address
    return _SIZE_ATTRS.sub(r'<svg\1 width="100%"', text, count=1)


def ranking_svg(font: Path, title: str, names: Sequence[str], scores: Sequence[int], rates: Sequence[float]) -> str:
    """Horizontal bars, one row per unit in the order given (the ranking, first at the top): the
    score on the left panel, 采用率 (0–100%) on the right, the units' names once, at the left."""
    mpl = _matplotlib(font)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import blended_transform_factory

    n = max(len(names), 1)
    longest = max((len(name) for name in names), default=2)
    left = 0.25 + longest * SIZE / 72  # inches for the names (each a full-width character)
    width, height = left + PANELS, 0.9 + 0.28 * n
    with mpl.rc_context(_rc()):
        fig = Figure(figsize=(width, height))
        score_ax, rate_ax = fig.subplots(1, 2, sharey=True, gridspec_kw={"wspace": 0.12})
        fig.subplots_adjust(left=left / width, right=0.97, top=1 - 0.62 / height, bottom=0.32 / height)
        fig.suptitle(title, x=0.5, y=1 - 0.1 / height, va="top", fontsize=SIZE + 2)
        rows = list(range(len(names)))
        score_ax.barh(rows, list(scores), color=BAR, height=0.7)
        rate_ax.barh(rows, [r * 100 for r in rates], color=RATE, height=0.7)
        score_ax.set_ylim(n - 0.5, -0.5)
        # the names and the panels' headings as plain texts: tick labels and axes titles make
        # matplotlib measure every tick (most of a chart's drawing time)
        names_at = blended_transform_factory(score_ax.transAxes, score_ax.transData)
        for row, name in zip(rows, names, strict=True):
            score_ax.text(-0.03, row, name, transform=names_at, ha="right", va="center")
        score_ax.set_yticks([])
        score_ax.text(0, 1.01, "得分", transform=score_ax.transAxes, va="bottom")
        rate_ax.text(0, 1.01, "采用率", transform=rate_ax.transAxes, va="bottom")
        low = min([0, *scores])
        score_ax.set_xlim(low * 1.05, max([1, *scores]) * 1.05)
        score_ax.xaxis.set_major_locator(MaxNLocator(3, integer=True))
        rate_ax.set_xlim(0, 105)
        rate_ax.set_xticks([0, 50, 100], ["0%", "50%", "100%"])
        for ax in (score_ax, rate_ax):
            ax.grid(axis="x", color="#DDDDDD", linewidth=0.6)
            ax.set_axisbelow(True)
            ax.axvline(0, color="#444444", linewidth=0.8)
        return _svg(fig)


def timeline_svg(font: Path, title: str, labels: Sequence[str], series: Mapping[str, Sequence[int]]) -> str:
    """Lines with points, one per series (名称 -> counts, one per label), over the labels in time order."""
    mpl = _matplotlib(font)
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    width, height = TIMELINE
    with mpl.rc_context(_rc()):
        fig = Figure(figsize=(width, height))
        ax = fig.add_subplot()
        fig.subplots_adjust(left=0.1, right=0.98, top=1 - 0.62 / height, bottom=0.5 / height)
        fig.suptitle(title, x=0.5, y=1 - 0.1 / height, va="top", fontsize=SIZE + 2)
        xs = list(range(len(labels)))
        for (name, values), color in zip(series.items(), LINES, strict=False):
            ax.plot(xs, list(values), marker="o", markersize=3.5, linewidth=1.6, color=color, label=name)
        # as many labels on the time axis as stand side by side without touching
        axis = (0.98 - 0.1) * width * 72 / SIZE  # em
        widest = max((_ems(label) for label in labels), default=1.0) + GAP
        step = max(1, math.ceil(len(labels) * widest / axis))
        ax.set_xticks(xs[::step], list(labels)[::step])
        ax.set_xlim(-0.5, max(len(labels) - 0.5, 0.5))
        top = max([1, *(v for values in series.values() for v in values)])
        ax.set_ylim(0, top * 1.15 + 0.2)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y", color="#DDDDDD", linewidth=0.6)
        ax.legend(loc="upper left", ncols=len(series), frameon=False, bbox_to_anchor=(0, 1.12), borderaxespad=0)
        return _svg(fig)


_DRAWING: list[str] = []


def _drawing() -> str:
    """What draws a chart: this module and matplotlib's version (read without importing it); a
    change to either draws every chart again."""
    if not _DRAWING:
        import importlib.metadata

        try:
            version = importlib.metadata.version("matplotlib")
        except importlib.metadata.PackageNotFoundError:
            version = "?"
        _DRAWING.append(hashlib.sha256(Path(__file__).read_bytes() + version.encode()).hexdigest())
    return _DRAWING[0]


class Charts:
    """Draws charts once: each is kept in `cache_dir` under the hash of its kind, its figures, this
    module and matplotlib's version; the font is found once (desk.fonts)."""

    def __init__(self, config: Config, cache_dir: Path | None = None) -> None:
        self.config = config
        self.cache_dir = Path(cache_dir) if cache_dir is not None else config.root / "build" / "chart-cache"
        self._font: Path | None = None
        self.drawn = 0  # charts drawn by this object (the rest came from the cache)

    def font(self) -> Path:
        if self._font is None:
            try:
                self._font = find_faces(self.config, (FONT,))[FONT.key]
            except FontProblem as exc:
                raise ChartError(f"统计图要用黑体画出中文：{exc}") from None
        return self._font

    def _get(self, kind: str, figures: Any, draw: Callable[[Path], str]) -> str:
        key = json.dumps([kind, _drawing(), figures], ensure_ascii=False, sort_keys=True)
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        path = self.cache_dir / f"{digest}.svg"
        with contextlib.suppress(OSError, UnicodeDecodeError):
            return path.read_text(encoding="utf-8")
        svg = draw(self.font())
        self.drawn += 1
        with contextlib.suppress(OSError):  # a cache: a build that cannot keep it draws the same chart
            write_file(path, svg.encode("utf-8"))
        return svg

    def ranking(self, title: str, names: Sequence[str], scores: Sequence[int], rates: Sequence[float]) -> str:
        figures = [title, list(names), list(scores), [round(r, 4) for r in rates]]
        return self._get("ranking", figures, lambda font: ranking_svg(font, title, names, scores, rates))

    def timeline(self, title: str, labels: Sequence[str], series: Mapping[str, Sequence[int]]) -> str:
        figures = [title, list(labels), {k: list(v) for k, v in series.items()}]
        return self._get("timeline", figures, lambda font: timeline_svg(font, title, labels, series))
