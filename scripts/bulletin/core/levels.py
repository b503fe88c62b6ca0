"""Secrecy levels (密级) and the small front-matter readers that many parts of the desk share.

Kept apart from the rule families (`bulletin.rules`, which loads every check and their
Markdown and typography libraries) so that the PDF, the site and the ledger can read an item's
密级, 保密期限 and 紧急程度 without importing the checks.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bulletin.core.model import Item

LEVELS = ("公开", "内部", "秘密", "机密")  # in rising order
_SPLIT = re.compile(r"[、，,；;\s]+")
_SPLIT_ENTRY = re.compile(r"[、，,；;]+")  # within an entry of a list, spaces are the entry's own
_STAR = re.compile(r"^(绝密|机密|秘密)\s*[★*]\s*(.+)$")


def level_rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def as_text(value: Any) -> str | None:
    """A scalar written as text, or None when it is not a scalar."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return None
    return str(value).strip()


def as_list(value: Any) -> list[str] | None:
    """A list of texts; a single text with 、, commas or spaces is accepted as a list, and an entry
    of a list with 、 or commas is several ([市委，市政府]: YAML parts a list at ASCII commas only)."""
    if isinstance(value, str):
        return [v for v in _SPLIT.split(value.strip()) if v]
    if isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
        return [part.strip() for v in value for part in _SPLIT_ENTRY.split(str(v).strip()) if part.strip()]
    return None


def text_field(item: Item, key: str) -> str | None:
    return as_text(item.fields.get(key))


def classification_of(item: Item) -> tuple[str | None, str | None, str | None]:
    """(密级, 保密期限, conflict) as written, accepting the mark form 秘密★1年."""
    level = text_field(item, "密级")
    term = text_field(item, "保密期限")
    if level:
        m = _STAR.match(level)
        if m:
            marked = m[2].strip()
            conflict = marked if term and term != marked else None
            return m[1], term or marked, conflict
    return level, term, None


def item_term(item: Item) -> str | None:
    _, term, _ = classification_of(item)
    return term


def item_level(item: Item) -> str:
    level, _, _ = classification_of(item)
    return level if level in LEVELS else "机密"  # unreadable: assume the worst
