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
    type: str  # desk/config.py's UNIT_TYPES: 设区市 / 省直部门 / 县区 / 市直部门 / 县直部门 / 乡镇街道 / 特约信息员
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    leader: str | None = None  # 分管领导
    informants: tuple[Informant, ...] = ()
    # a desk below (a county's or a city's own desk, network.yml `desk: true`): only its items, written
    # by `bulletin forward`, may carry 原报单位, 原报信息 and 下级接报时间
    desk: bool = False


@dataclass(frozen=True)
class Editor:
    name: str
    account: str


@dataclass(frozen=True)
class Audience:
    """A group of readers (读者范围): the publications it receives and the highest 密级 it is cleared for."""

    id: str  # ASCII: the folder of its site, e.g. site/leaders/
    name: str  # 市领导
    publications: tuple[str, ...]
    max_classification: str  # 公开 / 内部 / 秘密 / 机密
    description: str = ""
    intake: bool = False  # its site also lists the office's intake (待审, 退改, 未采用, 待编), up to its clearance


@dataclass(frozen=True)
class Publication:
    id: str
    name: str
    cadence: str = ""
    audience: str = ""
    max_classification: str = "内部"  # the highest 密级 this publication may carry
    distribution: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 报 / 送 / 发
    copies: int = 0  # 共印N份
    # 份号: copies a recipient of a 秘密/机密 issue gets (default 1), e.g. 市委常委: 11
    copies_per_recipient: dict[str, int] = field(default_factory=dict)
    kind: str = "刊物"  # 刊物 (items credit submissions) / 通报 (the office's own notice, no sources)


@dataclass(frozen=True)
class Limits:
    title_max_chars: int = 40
    body_warn_chars: int = 500
    body_max_chars: int = 1500
    file_max_bytes: int = 256 * 1024


@dataclass(frozen=True)
class Deadlines:
    """Time limits after the event, by urgency (紧急程度), kind (类别) and event grade (事件等级).

    When several apply, the earliest deadline counts. `follow_up` is how often a 续报 is due
    while an event is open; `match_window` is how close (either way) an item's 发生时间 must be
    to a registered event's for the item to count as its report when it does not name the event.
    """

    by_urgency: dict[str, dt.timedelta] = field(default_factory=dict)
    by_kind: dict[str, dt.timedelta] = field(default_factory=dict)
    by_grade: dict[str, dt.timedelta] = field(default_factory=dict)
    follow_up: dt.timedelta = dt.timedelta(days=1)
    match_window: dt.timedelta = dt.timedelta(hours=2)


@dataclass(frozen=True)
class NetworkHealth:
    """Thresholds of the network's health check (bulletin.yml `network_health`)."""

    silent_days: int = 30  # a unit with no submission for longer than this is silent
    silent_days_by_type: dict[str, int] = field(default_factory=dict)  # per unit type, e.g. 特约信息员: 90

    def silent_days_for(self, unit_type: str) -> int:
        return self.silent_days_by_type.get(unit_type, self.silent_days)


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def secure_api(api: str) -> bool:
    """A forge's API reached over HTTPS (plain HTTP only on this machine: a local stand-in or a tunnel): a
    token goes with every request, and must not cross the network unencrypted."""
    from urllib.parse import urlsplit

    parts = urlsplit(api)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS)


@dataclass(frozen=True)
class Forge:
    """bulletin.yml `forge`: the forge the office runs (GitHub, Gitea or Forgejo), read by desk/config.py.
    Its API is called in access/forge.py; the browser form and the 报送 page are made from it (publish/cms.py)."""

    kind: str  # github / gitea / forgejo
    url: str  # https://git.example.internal (no trailing slash)
    repo: str  # owner/name
    branch: str = "main"
    api: str = ""  # the API's base; default from kind and url
    app_id: str = ""  # the OAuth application's client id for the browser form (Decap CMS, PKCE)
    auth_url: str = ""  # GitHub only: the OAuth proxy Decap logs in through (keeps the client secret)

    @property
    def api_base(self) -> str:
        if self.api:
            return self.api.rstrip("/")
        if self.kind == "github":
            return "https://api.github.com" if self.url == "https://github.com" else f"{self.url}/api/v3"
        return f"{self.url}/api/v1"

    @property
    def gitea_like(self) -> bool:
        return self.kind in ("gitea", "forgejo")

    def new_file_url(self, path: str, value: str) -> str:
        """The forge's own page for a new file, pre-filled: the clerk commits it to a new branch there and
        opens the pull request (Gitea/Forgejo: /_new/<branch>/<folder>?filename=&value=; GitHub: /new/<branch>?filename=&value=)."""
        from urllib.parse import quote, urlencode

        folder, _, name = path.rpartition("/")
        if self.gitea_like:
            where = f"{self.url}/{self.repo}/_new/{quote(self.branch)}/{quote(folder)}"
            return f"{where}?{urlencode({'filename': name, 'value': value}, quote_via=quote)}"
        query = urlencode({"filename": path, "value": value}, quote_via=quote)
        return f"{self.url}/{self.repo}/new/{quote(self.branch)}?{query}"

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "url": self.url, "repo": self.repo, "branch": self.branch}


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
    network_health: NetworkHealth = field(default_factory=NetworkHealth)
    audiences: tuple[Audience, ...] = ()
    admins: tuple[Editor, ...] = ()  # 管理员: maintain the desk itself (code, workflows, configuration)
    verify_since: dt.datetime | None = None  # `bulletin verify` judges main's history from here (启用时间)
    traditional_exceptions: tuple[str, ...] = ()  # words kept in Traditional form (names, places)
    site_footer: str = ""  # the site's footer line (bulletin.yml site_footer; by default “<desk>编印”)
    forge: Forge | None = None  # bulletin.yml forge: the office's forge (None: the desk names none)

    def audience(self, ref: str) -> Audience | None:
        """An audience by its id or its name."""
        for audience in self.audiences:
            if ref in (audience.id, audience.name):
                return audience
        return None

    def least_audience(self) -> Audience | None:
        """The least-privileged audience (what a build gives when none is named): the lowest
        clearance, then the fewest publications, then the first in bulletin.yml."""
        from bulletin.core.fields import CLASSIFICATIONS

        ranked = sorted(
            enumerate(self.audiences),
            key=lambda pair: (CLASSIFICATIONS.index(pair[1].max_classification), len(pair[1].publications), pair[0]),
        )
        return ranked[0][1] if ranked else None

    def unit_by_ref(self, ref: str) -> Unit | None:
        """A unit by its id, name or alias (报送单位 may use any of them)."""
        ref = ref.strip()
        for unit in self.units:
            if ref == unit.id or ref == unit.name or ref in unit.aliases:
                return unit
        return None

    def publication(self, pub_id: str) -> Publication | None:
        for pub in self.publications:
            if pub_id in (pub.id, pub.name):
                return pub
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


@dataclass
class IssueItem:
    """One item of an issue: its edited title and text, and the submissions it credits."""

    title: str
    text: str  # Markdown, as edited by the editors
    sources: tuple[str, ...]  # submission ids, e.g. xiushui/2026/1103-01; several = a 综合 item
    line: int  # where its heading stands in the issue file
    column: str | None = None  # 栏目
    note: str | None = None  # 编者按 for this item
    classification: str = "公开"  # the highest 密级 of its sources (set when sources are known)
    urgency: str = "平件"


@dataclass
class Issue:
    """One issue (期) of a publication, as read from issues/<publication>/<year>/<number>.md."""

    path: str
    publication: str  # publication id
    year: int
    number: int  # 期号, per year
    total_number: int | None  # 总期号
    date: dt.date
    editor: str  # 责任编辑
    approver: str  # 签发
    classification: str  # 密级
    secrecy_term: str | None
    urgency: str | None
    supplement: bool  # 增刊, numbered on its own
    distribution: dict[str, tuple[str, ...]]
    copies: int
    revision: int = 1  # 修订: corrections are new revisions
    revision_note: str | None = None
    note: str | None = None  # 编者按 of the whole issue
    items: list[IssueItem] = field(default_factory=list)

    @property
    def id(self) -> str:
        kind = "zk" if self.supplement else ""
        return f"{self.publication}/{self.year}/{kind}{self.number:03d}"
