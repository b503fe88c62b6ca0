"""bulletin.yml + the registry -> a validated Config, loaded once per command."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bulletin.core import fields
from bulletin.core import names as spelling
from bulletin.core.model import (
    Audience,
    Config,
    Deadlines,
    Editor,
    Forge,
    Informant,
    Limits,
    NetworkHealth,
    Publication,
    Unit,
    secure_api,
)
from bulletin.core.timing import TimeFormatError, parse_duration, parse_time
from bulletin.desk.read import YAML_MAX_CHARS, DecodeProblem, YamlProblem, decode, load_yaml, read_bounded
from bulletin.errors import ConfigError

CONFIG_NAME = "bulletin.yml"
CONFIG_MAX_BYTES = YAML_MAX_CHARS  # bulletin.yml and the registry are read no further than this
# a desk's units by kind, in the order the 报送单位 page lists them: a province desk's cities (设区市) and
# departments (省直部门), a city desk's counties and departments, a county desk's departments and townships
UNIT_TYPES = ("设区市", "省直部门", "县区", "市直部门", "县直部门", "乡镇街道", "特约信息员")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def find_root(start: Path) -> Path | None:
    """The desk is the nearest folder upwards that holds bulletin.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


Reader = Callable[[str], bytes]  # desk-relative name -> contents (raises FileNotFoundError)


def load_config(root: Path, reader: Reader | None = None, source: str = "") -> Config:
    """Load the desk's configuration; `reader` reads it from elsewhere than the work tree.

    `bulletin check` on a branch reads the configuration of the branch it is compared with,
    so a pull request cannot relax the rules it is judged by (e.g. lengthen a time limit).
    """
    root = root.resolve()
    read = reader or (lambda name: read_bounded(root / name, CONFIG_MAX_BYTES))
    path = Path(source + CONFIG_NAME) if source else root / CONFIG_NAME
    raw = _load_mapping(path, read, CONFIG_NAME)
    registry_name = _registry_name(_text(raw, "registry", path, default="network.yml"), root, path, source)
    registry_path = Path(source + registry_name) if source else root / registry_name
    registry = _load_mapping(registry_path, read, registry_name)
    try:
        tz = ZoneInfo(_text(raw, "timezone", path, default="Asia/Shanghai"))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{path}：timezone不是有效的时区名（应为Asia/Shanghai）") from exc
    recipients = tuple(_text_list(raw, "recipients", path, default=["市委", "市政府"]))
    emergency = _text(raw, "emergency_recipient", path, default="市委")
    if emergency not in recipients:
        raise ConfigError(f"{path}：emergency_recipient“{emergency}”不在recipients中")
    publications = _publications(raw.get("publications") or [], path)
    return Config(
        root=root,
        office=_text(raw, "office", path),
        desk=_text(raw, "desk", path, default=_text(raw, "office", path)),
        timezone=tz,
        recipients=recipients,
        emergency_recipient=emergency,
        deadlines=_deadlines(raw.get("deadlines") or {}, path),
        limits=_limits(raw.get("limits") or {}, path),
        publications=publications,
        topics=tuple(_text_list(raw, "topics", path, default=[])),
        units=_units(registry.get("units"), registry_path),
        editors=tuple(
            Editor(name=_text(e, "name", registry_path), account=_text(e, "account", registry_path))
            for e in _mapping_list(registry.get("editors") or [], "editors", registry_path)
        ),
        network_health=_network_health(raw.get("network_health") or {}, path),
        verify_since=_verify_since(raw.get("verify") or {}, path, tz),
        audiences=_audiences(raw.get("audiences") or [], path, publications),
        admins=tuple(
            Editor(name=_text(e, "name", registry_path), account=_text(e, "account", registry_path))
            for e in _mapping_list(registry.get("admins") or [], "admins", registry_path)
        ),
        traditional_exceptions=_traditional_exceptions(raw, path),
        site_footer=_site_footer(raw, path),
        forge=_forge(raw.get("forge"), path),
    )


def _site_footer(raw: dict[str, Any], path: Path) -> str:
    """The line at the foot of every page of the site: the office's own, “九江市委办公室信息处编印” by default."""
    desk = _text(raw, "desk", path, default=_text(raw, "office", path))
    footer = _text(raw, "site_footer", path, default=f"{desk}编印")
    if not footer or "\n" in footer or len(footer) > 200:
        raise ConfigError(f"{path}：site_footer应为一行文字（200字以内），如“{desk}编印”")
    return footer


def _traditional_exceptions(raw: dict[str, Any], path: Path) -> tuple[str, ...]:
    """Words (names of people and places) the check keeps in Traditional form and fix leaves alone."""
    words = _text_list(raw, "traditional_exceptions", path, default=[])
    empty = [w for w in words if not w]
    if empty:
        raise ConfigError(f"{path}：traditional_exceptions中有空项：每项写一个须保留繁体的人名或地名，如[乾县, 甯都]")
    return tuple(words)


def _registry_name(name: str, root: Path, path: Path, source: str) -> str:
    """The registry's desk-relative name; a registry outside the desk is refused (it would let the
    configuration read, and the desk trust, any file on the machine)."""
    hint = "registry须写报送台内的相对路径，如network.yml"
    posix = PurePosixPath(name.replace("\\", "/"))
    if not name or posix.is_absolute() or PureWindowsPath(name).drive or name.startswith("~"):
        raise ConfigError(f"{path}：registry“{name}”不是报送台内的相对路径：{hint}")
    if ".." in posix.parts:
        raise ConfigError(f"{path}：registry“{name}”用“..”指向了报送台以外：{hint}")
    if not source:  # in the work tree: a link (of the file or a folder on the way) must not lead out
        target = (root / name).resolve()
        if not target.is_relative_to(root):
            raise ConfigError(f"{path}：registry“{name}”是指向报送台以外（{target}）的符号链接：{hint}")
    return name


def _load_mapping(path: Path, read: Reader, name: str) -> dict[str, Any]:
    try:
        data = read(name)
    except FileNotFoundError as exc:
        raise ConfigError(f"找不到配置文件{path}：请在报送台根目录运行，或用“--desk”指定") from exc
    except DecodeProblem as exc:
        raise ConfigError(f"{path}：{exc.message}") from exc
    except OSError as exc:
        raise ConfigError(f"无法读取{path}：{exc.strerror}") from exc
    try:
        value, _ = load_yaml(decode(data).text)
    except DecodeProblem as exc:
        raise ConfigError(f"{path}：{exc.message}") from exc
    except YamlProblem as exc:
        where = f"第{exc.line + 1}行：" if exc.line is not None else ""
        raise ConfigError(f"{path}：{where}{exc.message}") from exc
    if not isinstance(value, dict):
        raise ConfigError(f"{path}：内容应为“键: 值”的映射")
    return value


def _text(raw: dict[str, Any], key: str, path: Path, default: str | None = None) -> str:
    value = raw.get(key, default)
    if value is None:
        raise ConfigError(f"{path}：缺少必填项{key}")
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ConfigError(f"{path}：{key}应为文字")
    return str(value).strip()


def _text_list(raw: dict[str, Any], key: str, path: Path, default: list[str]) -> list[str]:
    value = raw.get(key, default)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}：{key}应为文字列表，如[市委, 市政府]")
    return [v.strip() for v in value]


def _mapping_list(value: Any, key: str, path: Path) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{path}：{key}应为列表，每项是“键: 值”的映射")
    return value


# 武汉市的规定：重大以上30分钟，较大1小时，一般2小时（见 DOMAIN.md）；bulletin.yml 可改
DEFAULT_BY_GRADE = {"特别重大": "30分钟", "重大": "30分钟", "较大": "1小时", "一般": "2小时"}
_DEADLINE_KEYS = ("by_urgency", "by_kind", "by_grade", "follow_up", "match_window")


def _duration(value: Any, where: str, path: Path) -> dt.timedelta:
    try:
        limit = parse_duration(value)
    except TimeFormatError as exc:
        raise ConfigError(f"{path}：{where}：{exc}") from exc
    if limit <= dt.timedelta(0):
        raise ConfigError(f"{path}：{where}应为正的时长，如2小时、30分钟、1天")
    return limit


def _deadlines(raw: Any, path: Path) -> Deadlines:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}：deadlines应为映射")
    unknown = [str(k) for k in raw if k not in _DEADLINE_KEYS]
    if unknown:
        raise ConfigError(f"{path}：deadlines中的“{'、'.join(unknown)}”无效，只能是{'/'.join(_DEADLINE_KEYS)}")
    result: dict[str, dict[str, dt.timedelta]] = {}
    for group in ("by_urgency", "by_kind", "by_grade"):
        entries = raw.get(group, DEFAULT_BY_GRADE if group == "by_grade" else None) or {}
        if not isinstance(entries, dict):
            raise ConfigError(f"{path}：deadlines.{group}应为映射，如“特急: 2小时”")
        allowed = {"by_urgency": fields.URGENCIES, "by_kind": fields.KINDS, "by_grade": fields.GRADES}[group]
        for key in entries:
            if key not in allowed:
                raise ConfigError(f"{path}：deadlines.{group}中的“{key}”无效，只能是{'/'.join(allowed)}")
        result[group] = {str(k): _duration(v, f"deadlines.{group}.{k}", path) for k, v in entries.items()}
    return Deadlines(
        by_urgency=result["by_urgency"],
        by_kind=result["by_kind"],
        by_grade=result["by_grade"],
        follow_up=_duration(raw.get("follow_up", "1天"), "deadlines.follow_up", path),
        match_window=_duration(raw.get("match_window", "2小时"), "deadlines.match_window", path),
    )


def _network_health(raw: Any, path: Path) -> NetworkHealth:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}：network_health应为映射")
    unknown = [str(k) for k in raw if k not in ("silent_days", "silent_days_by_type")]
    if unknown:
        raise ConfigError(
            f"{path}：network_health中的“{'、'.join(unknown)}”无效，只能是silent_days / silent_days_by_type"
        )

    def days(value: Any, where: str) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ConfigError(f"{path}：{where}应为正整数（天数），如30")
        return value

    by_type = raw.get("silent_days_by_type") or {}
    if not isinstance(by_type, dict):
        raise ConfigError(f"{path}：network_health.silent_days_by_type应为映射，如“特约信息员: 90”")
    for key in by_type:
        if key not in UNIT_TYPES:
            raise ConfigError(
                f"{path}：network_health.silent_days_by_type中的“{key}”无效，只能是{'/'.join(UNIT_TYPES)}"
            )
    return NetworkHealth(
        silent_days=days(raw.get("silent_days", 30), "network_health.silent_days"),
        silent_days_by_type={str(k): days(v, f"network_health.silent_days_by_type.{k}") for k, v in by_type.items()},
    )


def _limits(raw: Any, path: Path) -> Limits:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}：limits应为映射")
    values: dict[str, int] = {}
    for name in ("title_max_chars", "body_warn_chars", "body_max_chars", "file_max_bytes"):
        if name in raw:
            value = raw[name]
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{path}：limits.{name}应为正整数")
            values[name] = value
    return Limits(**values)


def _publications(raw: Any, path: Path) -> tuple[Publication, ...]:
    pubs = []
    for entry in _mapping_list(raw, "publications", path):
        pub_id = _text(entry, "id", path)
        if not _ID.match(pub_id):
            raise ConfigError(f"{path}：刊物id“{pub_id}”只能含小写字母、数字和连字符")
        unsafe = spelling.windows_problem(pub_id)
        if unsafe:
            raise ConfigError(f"{path}：刊物id“{pub_id}”用作issues/下的文件夹名，{unsafe}：请换一个id")
        where = f"刊物{pub_id}"
        level = _text(entry, "max_classification", path, default="内部")
        if level not in fields.CLASSIFICATIONS:
            raise ConfigError(
                f"{path}：{where}的max_classification“{level}”无效，只能是{'/'.join(fields.CLASSIFICATIONS)}"
            )
        raw_dist = entry.get("distribution") or {}
        if not isinstance(raw_dist, dict) or not set(raw_dist) <= {"报", "送", "发"}:
            raise ConfigError(f"{path}：{where}的distribution只能有“报”“送”“发”三项，每项是列表")
        distribution = {
            k: tuple(_text_list(raw_dist, k, path, default=[])) for k in ("报", "送", "发") if k in raw_dist
        }
        pub_kind = _text(entry, "kind", path, default="刊物")
        if pub_kind not in ("刊物", "通报"):
            raise ConfigError(f"{path}：{where}的kind“{pub_kind}”无效，只能是刊物/通报")
        copies = entry.get("copies", 0)
        if not isinstance(copies, int) or isinstance(copies, bool) or copies < 0:
            raise ConfigError(f"{path}：{where}的copies应为非负整数")
        per_recipient = entry.get("copies_per_recipient") or {}
        if not isinstance(per_recipient, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 1
            for k, v in per_recipient.items()
        ):
            raise ConfigError(f"{path}：{where}的copies_per_recipient应为“收件单位: 份数”的映射，份数为正整数")
        pubs.append(
            Publication(
                id=pub_id,
                name=_text(entry, "name", path),
                cadence=_text(entry, "cadence", path, default=""),
                audience=_text(entry, "audience", path, default=""),
                max_classification=level,
                distribution=distribution,
                copies=copies,
                copies_per_recipient={k.strip(): v for k, v in per_recipient.items()},
                kind=pub_kind,
            )
        )
    return tuple(pubs)


def _verify_since(raw: Any, path: Path, tz: dt.tzinfo) -> dt.datetime | None:
    if not isinstance(raw, dict) or not set(raw) <= {"since"}:
        raise ConfigError(f"{path}：verify只能有since一项，如“since: 2026-11-28 23:30”")
    if raw.get("since") is None:
        return None
    try:
        return parse_time(raw["since"], tz)
    except TimeFormatError as exc:
        raise ConfigError(f"{path}：verify.since：{exc}") from exc


def _audiences(raw: Any, path: Path, publications: tuple[Publication, ...]) -> tuple[Audience, ...]:
    """Who reads what: each audience's publications and clearance (its site holds nothing else)."""
    known = {p.id for p in publications}
    out: list[Audience] = []
    seen: set[str] = set()
    for entry in _mapping_list(raw, "audiences", path):
        audience_id = _text(entry, "id", path)
        if not _ID.match(audience_id):
            raise ConfigError(f"{path}：读者范围id“{audience_id}”只能含小写字母、数字和连字符（用作站点文件夹名）")
        name = _text(entry, "name", path)
        where = f"{path}：读者范围{audience_id}"
        for ref in (audience_id, name):
            if ref in seen:
                raise ConfigError(f"{where}：“{ref}”与另一读者范围重复")
            seen.add(ref)
        level = _text(entry, "max_classification", path, default="内部")
        if level not in fields.CLASSIFICATIONS:
            raise ConfigError(f"{where}的max_classification“{level}”无效，只能是{'/'.join(fields.CLASSIFICATIONS)}")
        pubs = _text_list(entry, "publications", path, default=[])
        unknown = [p for p in pubs if p not in known]
        if unknown:
            raise ConfigError(
                f"{where}的publications中“{'、'.join(unknown)}”不是已配置的刊物id：可用{'、'.join(sorted(known))}"
            )
        intake = entry.get("intake", False)
        if not isinstance(intake, bool):
            raise ConfigError(f"{where}的intake应为true或false（是否列出信息处尚未编入刊物的稿件），现为“{intake}”")
        out.append(
            Audience(
                id=audience_id,
                name=name,
                publications=tuple(pubs),
                max_classification=level,
                description=_text(entry, "description", path, default=""),
                intake=intake,
            )
        )
    return tuple(out)


def _units(raw: Any, path: Path) -> tuple[Unit, ...]:

    if raw is None:
        raise ConfigError(f"{path}：缺少units（报送单位名册）")
    units: list[Unit] = []
    names: dict[str, str] = {}
    folded: dict[str, tuple[str, str]] = {}  # the look-alike form -> (unit id, as written)
    for entry in _mapping_list(raw, "units", path):
        unit_id = _text(entry, "id", path)
        if not _ID.match(unit_id):
            raise ConfigError(f"{path}：单位id“{unit_id}”只能含小写字母、数字和连字符（用作文件夹名）")
        where = f"{path}：单位{unit_id}"
        unsafe = spelling.windows_problem(unit_id)
        if unsafe:
            raise ConfigError(f"{where}：id用作文件夹名，{unsafe}：请换一个id")
        unit_type = _text(entry, "type", path)
        if unit_type not in UNIT_TYPES:
            raise ConfigError(f"{where}的type“{unit_type}”无效，应为{'/'.join(UNIT_TYPES)}")
        aliases = _text_list(entry, "aliases", path, default=[])
        informants = tuple(
            Informant(name=_text(i, "name", path), account=_text(i, "account", path))
            for i in _mapping_list(entry.get("informants") or [], f"单位{unit_id}的informants", path)
        )
        desk = entry.get("desk", False)
        if not isinstance(desk, bool):
            raise ConfigError(f"{where}的desk应为true或false（是否下级报送台，其上报的信息带转报来历），现为“{desk}”")
        unit = Unit(
            id=unit_id,
            name=_text(entry, "name", path),
            type=unit_type,
            aliases=tuple(aliases),
            parent=entry.get("parent") or None,
            leader=entry.get("leader") or None,
            informants=informants,
            desk=desk,
        )
        for ref in (unit.id, unit.name, *unit.aliases):
            tricks = [(ch, what) for ch, what in spelling.differences(ref) if not what.startswith("繁体字")]
            if tricks:
                shown = "、".join(f"{spelling.label(ch)}是{what}" for ch, what in tricks[:5])
                raise ConfigError(
                    f"{where}：名称或别名“{spelling.visible(ref)}”中{shown}：名册中的名称须用常规字符，请改正"
                )
            if ref in names:
                raise ConfigError(f"{where}：“{ref}”已被单位{names[ref]}使用，名称和别名不能重复")
            names[ref] = unit.id
            key = spelling.fold(ref)
            other = folded.get(key)
            if other is not None and other[0] != unit.id:
                raise ConfigError(
                    f"{where}：“{ref}”与单位{other[0]}的“{other[1]}”只是写法不同（繁简、全角半角或大小写），"
                    "报送时无法区分：请改用明显不同的名称或别名"
                )
            folded.setdefault(key, (unit.id, ref))
        units.append(unit)
    ids = {u.id for u in units}
    for unit in units:
        if unit.type == "乡镇街道" and unit.parent not in ids:
            raise ConfigError(f"{path}：乡镇街道{unit.id}的parent应为所属县区的id")
    return tuple(units)


# ---------------------------------------------------------------- the office's forge

FORGE_KINDS = ("github", "gitea", "forgejo")
_FORGE_KEYS = ("kind", "url", "repo", "branch", "api", "app_id", "auth_url")
_FORGE_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_BRANCH = re.compile(r"^[A-Za-z0-9_./-]+$")
_APP_ID = re.compile(r"^[A-Za-z0-9_.-]+$")
# a web address written into the site, Decap's config and the nginx configuration: no quotes, spaces or ;
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/-]*)?$")
_FORGE_EXAMPLE = (
    "如\nforge:\n  kind: gitea\n  url: https://git.example.internal\n  repo: xinxichu/bulletin\n  branch: main"
)


def _forge(section: Any, path: Path) -> Forge | None:
    """bulletin.yml `forge`: the forge the office runs (None when the desk names none). Read here only:
    the 报送 page, the form, `bulletin remind` and `bulletin verdict` take it from Config.forge."""
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(f"{path}：forge应为“键: 值”的映射，{_FORGE_EXAMPLE}")
    unknown = [str(k) for k in section if k not in _FORGE_KEYS]
    if unknown:
        raise ConfigError(f"{path}：forge中的“{'、'.join(unknown)}”无效，只能是{'/'.join(_FORGE_KEYS)}")
    for key, value in section.items():
        if value is not None and not isinstance(value, str | int | float):
            raise ConfigError(f"{path}：forge的{key}应为一个值（文字），{_FORGE_EXAMPLE}")
    kind = str(section.get("kind") or "").strip().lower()
    if kind not in FORGE_KINDS:
        raise ConfigError(f"{path}：forge的kind“{kind}”无效，只能是{'/'.join(FORGE_KINDS)}")
    url = str(section.get("url") or "").strip().rstrip("/")
    if not _URL.match(url):
        raise ConfigError(f"{path}：forge的url“{url}”应为代码托管平台的网址，如https://git.example.internal")
    repo = str(section.get("repo") or "").strip()
    if not _FORGE_REPO.match(repo):
        raise ConfigError(f"{path}：forge的repo“{repo}”应写成“所有者/仓库名”，如xinxichu/bulletin")
    branch = str(section.get("branch") or "main").strip()
    if not _BRANCH.match(branch):
        raise ConfigError(f"{path}：forge的branch“{branch}”不是有效的分支名，如main")
    api = str(section.get("api") or "").strip().rstrip("/")
    auth = str(section.get("auth_url") or "").strip().rstrip("/")
    for key, value in (("api", api), ("auth_url", auth)):
        if value and not _URL.match(value):
            raise ConfigError(f"{path}：forge的{key}“{value}”应为网址，如https://git.example.internal/api/v1")
    app_id = str(section.get("app_id") or "").strip()
    if app_id and not _APP_ID.match(app_id):
        raise ConfigError(f"{path}：forge的app_id“{app_id}”应为代码托管平台上OAuth应用的客户端ID")
    forge = Forge(kind=kind, url=url, repo=repo, branch=branch, api=api, app_id=app_id, auth_url=auth)
    # the token of `bulletin remind` and `verdict`, and the browser form's login, go to these addresses
    for key, value in (("url", url), ("api", forge.api_base), ("auth_url", auth)):
        if value and not secure_api(value):
            shown = value if key != "api" or api else f"{value}（由url得出）"
            raise ConfigError(
                f"{path}：forge的{key}“{shown}”须以https://开头：令牌和登录凭据经它传送，不能走未加密的连接"
                "（只有本机地址127.0.0.1、localhost可用http://，供试用和测试）"
            )
    return forge


# ---------------------------------------------------------------- the desk above (上级报送台)

FORGES = ("push", "github", "gitea")  # how a forwarded item reaches the desk above
_UPSTREAM_KEYS = (
    "name",
    "url",
    "unit",
    "level",
    "max_classification",
    "emergency_limit",
    "informant",
    "approver",
    "forge",
    "api",
    "repository",
    "token_env",
)


@dataclass(frozen=True)
class Upstream:
    """bulletin.yml `upstream`: the desk above, where this desk is one of the units (上报 and 采用)."""

    name: str  # the desk above's name, e.g. 江西省委办公厅信息处
    url: str  # its repository (a path or a git URL): fetched read-only, pushed to by forward
    unit: str  # this desk's unit id in the desk above's registry (its folder there)
    level: str  # the desk above's level, for the records here: 省 / 市 / 县
    max_classification: str  # the highest 密级 the channel may carry (绝密 never)
    emergency_limit: dt.timedelta  # forward an emergency within this after this desk received it
    informant: str  # who forwards: registered as this unit's 信息员 there
    approver: str  # this level's 签发人 (default; `bulletin forward --approver` overrides)
    forge: str  # push (the desk above uses the server hook) / github / gitea (a pull request too)
    api: str  # the forge's API address, e.g. https://api.github.com
    repository: str  # owner/name on the forge
    token_env: str  # the environment variable holding the forge token (never written in a file)


def load_upstream(config: Config) -> Upstream | None:
    """The desk above as bulletin.yml names it (None: this desk forwards nowhere)."""
    path = config.root / CONFIG_NAME
    raw = _load_mapping(path, lambda name: read_bounded(config.root / name, CONFIG_MAX_BYTES), CONFIG_NAME)
    section = raw.get("upstream")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(f"{path}：upstream应为映射，写明上级报送台的name、url、unit等")
    unknown = [str(k) for k in section if k not in _UPSTREAM_KEYS]
    if unknown:
        raise ConfigError(f"{path}：upstream中的“{'、'.join(unknown)}”无效，只能是{'/'.join(_UPSTREAM_KEYS)}")
    where = "upstream"
    level = _text(section, "level", path, default="市")
    if level not in ("省", "市"):
        raise ConfigError(f"{path}：{where}.level“{level}”无效，只能是省/市（上级报送台的级别，上级采用记为这一级）")
    clearance = _text(section, "max_classification", path, default="内部")
    if clearance not in fields.CLASSIFICATIONS:
        raise ConfigError(
            f"{path}：{where}.max_classification“{clearance}”无效，只能是{'/'.join(fields.CLASSIFICATIONS)}"
            "（绝密信息一律不得上报）"
        )
    forge = _text(section, "forge", path, default="push")
    if forge not in FORGES:
        raise ConfigError(f"{path}：{where}.forge“{forge}”无效，只能是{'/'.join(FORGES)}")
    unit = _text(section, "unit", path)
    if not _ID.match(unit):
        raise ConfigError(f"{path}：{where}.unit“{unit}”应为本台在上级名册中的单位id，只含小写字母、数字和连字符")
    api = _text(section, "api", path, default="https://api.github.com" if forge == "github" else "")
    repository = _text(section, "repository", path, default="")
    if forge != "push" and (not api or repository.count("/") != 1):
        raise ConfigError(f"{path}：{where}.forge为{forge}时须写api（平台接口地址）和repository（如jiangxi/bulletin）")
    if api and not secure_api(api):
        raise ConfigError(f"{path}：{where}.api“{api}”须以https://开头：令牌随每次请求发送，不能经未加密的连接传送")
    return Upstream(
        name=_text(section, "name", path),
        url=_text(section, "url", path),
        unit=unit,
        level=level,
        max_classification=clearance,
        emergency_limit=_duration(section.get("emergency_limit", "1小时"), f"{where}.emergency_limit", path),
        informant=_text(section, "informant", path),
        approver=_text(section, "approver", path, default=""),
        forge=forge,
        api=api.rstrip("/"),
        repository=repository,
        token_env=_text(section, "token_env", path, default="BULLETIN_UPSTREAM_TOKEN"),
    )
