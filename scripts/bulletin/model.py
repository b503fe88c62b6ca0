"""Plain data of the desk: no I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告"}[self.value]


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file: what a rule reports, what every printer prints."""

    path: str
    line: int | None
    rule: str
    severity: Severity
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }


@dataclass(frozen=True)
class Informant:
    name: str
    account: str


@dataclass(frozen=True)
class Unit:
    """A reporting unit of the information network (报送单位)."""

    id: str
    name: str
    type: str  # 县区 / 市直部门 / 乡镇街道 / 特约信息员
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    leader: str | None = None  # 分管领导
    informants: tuple[Informant, ...] = ()


@dataclass(frozen=True)
class Editor:
    name: str
    account: str


@dataclass(frozen=True)
class Publication:
    id: str
    name: str
    cadence: str = ""
    audience: str = ""


@dataclass(frozen=True)
class Limits:
    title_max_chars: int = 40
    body_warn_chars: int = 500
    body_max_chars: int = 1500
    file_max_bytes: int = 256 * 1024


@dataclass(frozen=True)
class Deadlines:
    """Time limits after the event, by urgency (紧急程度) and by kind (类别)."""

    by_urgency: dict[str, dt.timedelta] = field(default_factory=dict)
    by_kind: dict[str, dt.timedelta] = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """The desk: bulletin.yml plus the registry, validated once."""

    root: Path
    office: str
    desk: str
    timezone: dt.tzinfo
    recipients: tuple[str, ...]
    emergency_recipient: str
    deadlines: Deadlines
    limits: Limits
    publications: tuple[Publication, ...]
    topics: tuple[str, ...]
    units: tuple[Unit, ...]
    editors: tuple[Editor, ...] = ()

    def unit_by_ref(self, ref: str) -> Unit | None:
        """A unit by its id, name or alias (报送单位 may use any of them)."""
        ref = ref.strip()
        for unit in self.units:
            if ref == unit.id or ref == unit.name or ref in unit.aliases:
                return unit
        return None

    def unit(self, unit_id: str) -> Unit | None:
        for unit in self.units:
            if unit.id == unit_id:
                return unit
        return None


@dataclass
class Item:
    """A submission (信息) as read from its file, before any rule has judged it.

    `fields` holds the front matter under canonical (Chinese) keys; `lines` maps each
    canonical key to the 1-based line of the file where it stands.
    """

    path: str  # as shown to the user (relative to the desk when inside it)
    abspath: Path
    text: str  # the whole decoded file, newlines normalised to \n
    fields: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    value_lines: dict[str, int] = field(default_factory=dict)
    key_spellings: dict[str, str] = field(default_factory=dict)  # canonical -> as written
    body: str = ""
    body_line: int = 1  # file line of the body's first line
    front_matter_ok: bool = False
    had_bom: bool = False
    had_crlf: bool = False

    def line_of(self, key: str) -> int | None:
        return self.lines.get(key)
