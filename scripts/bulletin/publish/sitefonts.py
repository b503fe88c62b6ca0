"""Rare characters on the site: a font made of just the rare characters the site prints.

Readers' computers have a Chinese face for the common characters, seldom one for CJK Extension A,
B and later (生僻字 in names of people and places). After the pages are written, every rare
character the site holds is cut out of the desk's rare-character faces (desk/fonts.py: HanaMinB,
then BabelStone Han) with fontTools into small WOFF files in the site itself, and
`assets/bulletin/rare.css` declares them (`@font-face`, with the exact characters as its
unicode-range) at the end of the text's font list. Nothing is loaded from outside the site; a
browser fetches the file only on a page that holds one of its characters.
"""

from __future__ import annotations

import re
from pathlib import Path

from bulletin.core.model import Config
from bulletin.desk.atomic import write_file
from bulletin.desk.fonts import RARE, desk_coverage, find_faces

CSS = "assets/bulletin/rare.css"  # linked from every page (extra_css, set by the plugin)
FAMILY = "BulletinRare"
# CJK Extension A, and the supplementary ideographic planes (Extension B to I)
_RARE = re.compile("[\u3400-\u4dbf\U00020000-\U0003ffff]")
_FONT_FAMILY = (
    f':root {{ --md-text-font-family: var(--md-text-font, _), "{FAMILY}", -apple-system, BlinkMacSystemFont,'
    " Helvetica, Arial, sans-serif; }\n"
)


def rare_characters(site: Path) -> set[str]:
    found: set[str] = set()
    for page in site.rglob("*.html"):
        found.update(_RARE.findall(page.read_text(encoding="utf-8", errors="replace")))
    return found


def _ranges(chars: list[str]) -> str:
    return ", ".join(f"U+{ord(ch):X}" for ch in chars)


def write_site_fonts(config: Config, site: Path) -> list[Path]:
    """The rare characters' fonts and their stylesheet into the built site; the files written."""
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # not "FFTM NOT subset" on every build

    chars = sorted(rare_characters(site))
    coverage = desk_coverage(config)
    faces = find_faces(config, required=False)
    rules = ["/*生僻字：只含本站页面用到的字，字体文件在本站中，不从外部加载*/\n", _FONT_FAMILY]
    written: list[Path] = []
    left = chars
    for key in RARE:
        if key not in faces or not left:
            continue
        mine = [ch for ch in left if ord(ch) in coverage.coverage[key]]
        left = [ch for ch in left if ch not in mine]
        if not mine:
            continue
        font = TTFont(str(faces[key]), lazy=True)
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = []
        options.name_IDs = [1, 2]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(ch) for ch in mine])
        subsetter.subset(font)
        out = site / "assets" / "bulletin" / f"{key}.woff"
        out.parent.mkdir(parents=True, exist_ok=True)
        font.flavor = "woff"
        font.save(str(out))
        written.append(out)
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; src: url("{out.name}") format("woff"); '
            f"font-display: swap; unicode-range: {_ranges(mine)}; }}\n"
        )
    css = site / CSS
    css.parent.mkdir(parents=True, exist_ok=True)
    write_file(css, "".join(rules).encode("utf-8"))
    return [*written, css]
