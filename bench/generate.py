"""Scenario generator: a desk with years of realistic history, deterministic from (size, seed).

A desk is a git repository (the ledger reads git history), written with `git fast-import` so
that 400,000 items take minutes, not hours. Per day of the scenario, on `main`:

  16:00  records editors add: leaders' instructions (批示) and adoptions above (上级采用)
  17:00  the issues dated that day (every publication of bulletin.yml: 汇要、内参、上报、重要信息,
         the monthly 通报), corrections of earlier issues (修订), calls for information (约稿)
  23:00  the day's submissions (one commit; its receipts, stamped by the hook, as one git note),
         with the events the office registered (events/)
  23:10  a few submissions that came through a unit's branch, were sent back once (退改: a
         second commit on the branch) and merged with a merge commit (receipts stamped by the forge)

Items have varied Chinese text by topic and kind (政策性、突发性、苗头性、倾向性、普遍性), emergencies
with 发生时间 and 事件等级 (some received after their limit), follow-ups (续报), answers to calls,
classified items (秘密、机密 with 保密期限). Issues credit items that landed earlier (综合 items
credit several units), respecting each publication's highest 密级.

Sizes (items and issues a year):

    tiny            city network (the demo's network.yml),   1 year,     300 items,    60 issues
    city-year       city network,                            1 year,   3,000 items,   600 issues
    province-year   a generated province network (~250 units), 1 year, 40,000 items, 1,200 issues
    archive         the province network,                   10 years, 400,000 items, 12,000 issues

Desks are cached under bench/out/desks/<size>-s<seed>/ and rebuilt only when this generator,
its phrase banks or the demo configuration change. `desk(size, seed)` returns the folder;
`manifest(root)` what was generated (for checking the ledger against it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

import texts as T  # noqa: E402

LAST_YEAR = 2025  # scenarios end with the last complete year, so nothing lies in the future
BEIJING = dt.timezone(dt.timedelta(hours=8))
MARKER = "bench-desk.json"  # inside .git/, so it is no file of the desk
OFFICE = ("信息处", "xinxichu@example.org")
PR_REF = "refs/heads/bench-pr"
NOTES_REF = "refs/notes/bulletin-receipts"


@dataclass(frozen=True)
class Size:
    name: str
    network: str  # city | province
    years: int
    items: int  # a year
    issues: int  # a year
    label: str


SIZES = {
    s.name: s
    for s in (
        Size("tiny", "city", 1, 300, 60, "小型（开发用）"),
        Size("city-year", "city", 1, 3_000, 600, "一个市一年"),
        Size("province-year", "province", 1, 40_000, 1_200, "一个省一年"),
        Size("archive", "province", 10, 40_000, 1_200, "一个省十年"),
    )
}

# the share of a year's issues each publication gets (the notice is monthly, whatever the size)
SHARES = {"shangbao": 0.42, "huiyao": 0.22, "neican": 0.22, "zhongyao": 0.14}
ENTRIES = {"huiyao": (5, 8), "neican": (2, 4), "shangbao": (3, 6), "zhongyao": (1, 2)}
TOTAL_BASE = {"huiyao": 1200, "neican": 800, "shangbao": 3100, "zhongyao": 150, "tongbao": 40}
LEVELS = ("公开", "内部", "秘密", "机密")
TERMS = {"秘密": ("6个月", "1年", "2年", "5年"), "机密": ("5年", "10年", "20年")}
POOLED = ("level", "term", "title", "body", "topic", "kind", "urgency")  # facts kept for the issues
EMERGENCY_SHARE = 0.02
BRANCH_SHARE = 0.04  # items that came through a unit's branch, sent back once, merged
UNSTAMPED_SHARE = 0.04  # ordinary items without a receipt note (pushed before the hook was installed)


def _months(term: str) -> int:
    number = int(re.match(r"\d+", term)[0])  # type: ignore[index]
    return number if term.endswith("个月") else number * 12


# ---------------------------------------------------------------- networks


def _city_network() -> dict[str, Any]:
    return yaml.safe_load((REPO / "network.yml").read_text(encoding="utf-8"))


CITIES = (
    ("南昌市", "nanchang"),
    ("景德镇市", "jingdezhen"),
    ("萍乡市", "pingxiang"),
    ("九江市", "jiujiang"),
    ("新余市", "xinyu"),
    ("鹰潭市", "yingtan"),
    ("赣州市", "ganzhou"),
    ("吉安市", "jian"),
    ("宜春市", "yichun"),
    ("抚州市", "fuzhou"),
    ("上饶市", "shangrao"),
)
SYLLABLES = (
    ("安", "an"),
    ("宁", "ning"),
    ("丰", "feng"),
    ("崇", "chong"),
    ("德", "de"),
    ("兴", "xing"),
    ("永", "yong"),
    ("泰", "tai"),
    ("和", "he"),
    ("新", "xin"),
    ("清", "qing"),
    ("平", "ping"),
    ("昌", "chang"),
    ("源", "yuan"),
    ("川", "chuan"),
    ("阳", "yang"),
    ("乐", "le"),
    ("瑞", "rui"),
    ("金", "jin"),
    ("南", "nan"),
    ("东", "dong"),
    ("湖", "hu"),
    ("溪", "xi"),
    ("宜", "yi"),
    ("广", "guang"),
    ("武", "wu"),
    ("青", "qing"),
    ("林", "lin"),
    ("石", "shi"),
    ("龙", "long"),
    ("华", "hua"),
    ("云", "yun"),
)
DEPARTMENTS = (
    ("省发展改革委", "fagaiwei"),
    ("省教育厅", "jiaoyu"),
    ("省科技厅", "keji"),
    ("省工业和信息化厅", "gongxin"),
    ("省公安厅", "gongan"),
    ("省民政厅", "minzheng"),
    ("省司法厅", "sifa"),
    ("省财政厅", "caizheng"),
    ("省人力资源社会保障厅", "renshe"),
    ("省自然资源厅", "ziran"),
    ("省生态环境厅", "shengtai"),
    ("省住房城乡建设厅", "zhujian"),
    ("省交通运输厅", "jiaotong"),
    ("省水利厅", "shuili"),
    ("省农业农村厅", "nongye"),
    ("省商务厅", "shangwu"),
    ("省文化和旅游厅", "wenlv"),
    ("省卫生健康委", "weijian"),
    ("省退役军人事务厅", "tuiyi"),
    ("省应急管理厅", "yingji"),
    ("省审计厅", "shenji"),
    ("省市场监管局", "shichang"),
    ("省广电局", "guangdian"),
    ("省体育局", "tiyu"),
    ("省统计局", "tongji"),
    ("省医保局", "yibao"),
    ("省林业局", "linye"),
    ("省信访局", "xinfang"),
    ("省粮食和物资储备局", "liangshi"),
    ("省能源局", "nengyuan"),
    ("省数据局", "shuju"),
    ("省地方金融管理局", "jinrong"),
    ("省国资委", "guozi"),
    ("省气象局", "qixiang"),
    ("省消防救援总队", "xiaofang"),
    ("省通信管理局", "tongxin"),
    ("省乡村振兴局", "xiangcun"),
    ("省国防动员办", "guofang"),
    ("省人防办", "renfang"),
    ("省外办", "waiban"),
)


def _province_network(rng: random.Random) -> dict[str, Any]:
    """About 250 units: 11 cities, 100 counties, 40 departments, 100 townships, 6 special informants."""
    units: list[dict[str, Any]] = []
    used_names: set[str] = set()
    used_ids: set[str] = set()

    def unit(uid: str, name: str, kind: str, aliases: list[str], parent: str | None = None) -> dict[str, Any]:
        base, n = uid, 2
        while uid in used_ids:
            uid, n = f"{base}{n}", n + 1
        used_ids.add(uid)
        used_names.update([name, *aliases])
        informants = []
        count = 0 if rng.random() < 0.03 else rng.choice((1, 1, 2, 2, 3))
        for _ in range(count):
            person = T.person(rng)
            informants.append({"name": person, "account": f"{uid}-{len(informants) + 1:02d}"})
        entry = {"id": uid, "name": name, "aliases": aliases, "type": kind, "parent": parent}
        entry |= {"leader": T.person(rng), "informants": informants}
        units.append(entry)
        return entry

    for name, uid in CITIES:
        unit(uid, name, "县区", [f"{name}委办公室", f"{name}委办"])
    counties: list[dict[str, Any]] = []
    while len(counties) < 100:
        (c1, p1), (c2, p2) = rng.sample(SYLLABLES, 2)
        suffix = rng.choice("县县县区市")
        name = c1 + c2 + suffix
        if name in used_names or c1 + c2 + "县" in used_names or c1 + c2 + "区" in used_names:
            continue
        city = rng.choice(CITIES)[0]
        counties.append(unit(p1 + p2, name, "县区", [f"{city}{name}", f"{name}委办公室", f"{name}委办"]))
    for name, uid in DEPARTMENTS:
        unit(f"sheng-{uid}", name, "市直部门", [name.replace("省", "江西省", 1)])
    made = 0
    while made < 100:
        county = rng.choice(counties)
        (c1, p1), (c2, p2) = rng.sample(SYLLABLES, 2)
        kind = rng.choice(("镇", "镇", "乡", "街道"))
        short = c1 + c2 + kind
        name = county["name"] + short
        if name in used_names or short in used_names:
            continue
        unit(f"{county['id']}-{p1}{p2}", name, "乡镇街道", [short], county["id"])
        made += 1
    for name, uid in (
        ("省人大代表特约信息员", "teyue-renda"),
        ("省政协委员特约信息员", "teyue-zhengxie"),
        ("南昌大学特约信息员", "teyue-ncu"),
        ("江西师范大学特约信息员", "teyue-jxnu"),
        ("省工商联特约信息员", "teyue-gsl"),
        ("驻赣央企特约信息员", "teyue-yangqi"),
    ):
        unit(uid, name, "特约信息员", [name.replace("特约信息员", "")])
    editors = [{"name": T.person(rng), "account": f"jx-editor-{n:02d}"} for n in range(1, 7)]
    return {"admins": [{"name": T.person(rng), "account": "jx-admin-01"}], "editors": editors, "units": units}


def _province_config(config: dict[str, Any]) -> dict[str, Any]:
    config = dict(config)
    config |= {"office": "中共江西省委办公厅", "desk": "江西省委办公厅信息处", "city": "江西省"}
    config |= {"recipients": ["省委", "省政府"], "emergency_recipient": "省委"}
    config["publications"] = [
        {**p, "name": str(p["name"]).replace("九江", "江西")} for p in config.get("publications") or []
    ]
    return config


# ---------------------------------------------------------------- git fast-import


class FastImport:
    """A `git fast-import` process: commits with inline files, merge parents and notes."""

    def __init__(self, root: Path) -> None:
        self.proc = subprocess.Popen(
            ["git", "fast-import", "--quiet", "--done"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
        )
        assert self.proc.stdin is not None
        self.out: IO[bytes] = self.proc.stdin
        self.mark = 0
        self.commits = 0

    def _data(self, data: bytes) -> None:
        self.out.write(b"data %d\n" % len(data))
        self.out.write(data)
        self.out.write(b"\n")

    def commit(
        self,
        ref: str,
        when: dt.datetime,
        message: str,
        files: list[tuple[str, bytes]],
        parent: int | None = None,
        merge: int | None = None,
        author: tuple[str, str] = OFFICE,
    ) -> int:
        self.mark += 1
        self.commits += 1
        stamp = f"{int(when.timestamp())} +0800"
        out = self.out
        out.write(f"commit {ref}\nmark :{self.mark}\n".encode())
        out.write(f"author {author[0]} <{author[1]}> {stamp}\n".encode())
        out.write(f"committer {OFFICE[0]} <{OFFICE[1]}> {stamp}\n".encode())
        self._data(message.encode())
        if parent is not None:
            out.write(f"from :{parent}\n".encode())
        if merge is not None:
            out.write(f"merge :{merge}\n".encode())
        for path, data in files:
            out.write(f"M 100644 inline {path}\n".encode())
            self._data(data)
        out.write(b"\n")
        return self.mark

    def notes(self, when: dt.datetime, notes: list[tuple[int, str]]) -> None:
        """One commit on the notes ref adding a note to each (commit mark, text)."""
        if not notes:
            return
        self.mark += 1
        stamp = f"{int(when.timestamp())} +0800"
        self.out.write(f"commit {NOTES_REF}\nmark :{self.mark}\n".encode())
        self.out.write(f"committer {OFFICE[0]} <{OFFICE[1]}> {stamp}\n".encode())
        self._data(b"Notes added by 'git notes add'")
        for mark, text in notes:
            self.out.write(f"N inline :{mark}\n".encode())
            self._data(text.encode())
        self.out.write(b"\n")

    def close(self) -> None:
        self.out.write(b"done\n")
        self.out.close()
        if self.proc.wait() != 0:
            raise SystemExit("git fast-import 失败")


# ---------------------------------------------------------------- the scenario


@dataclass
class Unit:
    id: str
    name: str
    type: str
    leader: str
    informants: list[str]
    aliases: list[str]
    word: str  # 县 / 区 / 市 / 镇 / 乡 / 街道 / 局: "全{word}", "该{word}"


@dataclass
class Pooled:
    """An accepted item editors can still put in an issue (kept for a few weeks)."""

    id: str
    unit: str
    day: dt.date
    level: str
    term: str | None
    title: str
    body: str
    topic: str
    kind: str
    urgency: str
    used: set[str] = field(default_factory=set)


@dataclass
class Stats:
    items: int = 0
    emergencies: int = 0
    follow_ups: int = 0
    late: int = 0
    receipts: int = 0
    notes: int = 0
    merges: int = 0
    merged: dict[str, str] = field(default_factory=dict)  # path -> its merge's time (ISO)
    sent_back: list[str] = field(default_factory=list)
    issues: int = 0
    revised_issues: int = 0
    adoptions: int = 0
    instructions: int = 0
    upper: int = 0
    events: int = 0
    calls: int = 0
    commits: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    levels: Counter[str] = field(default_factory=Counter)


def _word(name: str, kind: str) -> str:
    if kind in ("县区", "乡镇街道"):
        return "街道" if name.endswith("街道") else name[-1]
    return "系统" if kind == "市直部门" else "单位"


class Scenario:
    def __init__(self, root: Path, size: Size, seed: int) -> None:
        self.root, self.size, self.seed = root, size, seed
        self.rng = random.Random(f"{size.name}-{seed}")
        self.stats = Stats()
        self.first_year = LAST_YEAR - size.years + 1
        config = yaml.safe_load((REPO / "bulletin.yml").read_text(encoding="utf-8"))
        if size.network == "city":
            self.config_text = (REPO / "bulletin.yml").read_text(encoding="utf-8")
            network = _city_network()
            self.network_text = (REPO / "network.yml").read_text(encoding="utf-8")
        else:
            config = _province_config(config)
            self.config_text = "# 基准测试生成的报送台（省级）\n" + yaml.safe_dump(
                config, allow_unicode=True, sort_keys=False, width=200
            )
            network = _province_network(self.rng)
            self.network_text = "# 基准测试生成的信息网络名册（省级）\n" + yaml.safe_dump(
                network, allow_unicode=True, sort_keys=False, width=200
            )
        self.config = config
        self.scope = "市" if size.network == "city" else "省"
        self.recipients: list[str] = list(config.get("recipients") or ["市委", "市政府"])
        self.must: str = config.get("emergency_recipient") or self.recipients[0]
        self.topics: list[str] = [t for t in config.get("topics") or [] if t in T.TOPIC_TITLES] or list(T.TOPIC_TITLES)
        self.publications: list[dict[str, Any]] = list(config.get("publications") or [])
        self.editors = [e["name"] for e in network.get("editors") or []] or ["李静"]
        self.approver = T.person(random.Random(seed))
        self.units = [
            Unit(
                u["id"],
                u["name"],
                u["type"],
                u.get("leader") or T.person(self.rng),
                [i["name"] for i in u.get("informants") or []],
                list(u.get("aliases") or []),
                _word(u["name"], u["type"]),
            )
            for u in network["units"]
        ]
        self.active = [u for u in self.units if u.informants]
        weight = {"县区": 1.0, "市直部门": 0.8, "乡镇街道": 0.3, "特约信息员": 0.15}
        self.unit_weights = [weight.get(u.type, 0.5) for u in self.active]
        self.deadlines = config.get("deadlines") or {}
        self.pool: deque[Pooled] = deque()
        self.totals = {p["id"]: TOTAL_BASE.get(p["id"], 100) for p in self.publications}
        self.fi: FastImport | None = None
        self.main: int | None = None  # mark of main's tip
        self.notes: list[tuple[int, str]] = []
        self.revisions: dict[dt.date, list[tuple[str, str]]] = {}  # day -> (path, corrected text)
        self.records: dict[dt.date, list[tuple[str, str, str]]] = {}  # day -> (kind, item id, issue pub)
        self.follow: dict[dt.date, list[tuple[Unit, str, dict[str, Any]]]] = {}  # day -> follow-ups due
        self.event_ids: set[str] = set()
        self.calls: list[tuple[str, dt.date, str, set[str]]] = []  # (id, deadline day, topic, units)
        self.month_counts: Counter[tuple[int, int, str]] = Counter()  # (year, month, unit) -> items

    # -- helpers

    def _values(self, unit: Unit, day: dt.date, rng: random.Random) -> dict[str, Any]:
        return {
            "u": unit.name,
            "s": unit.word,
            "n": rng.randint(2, 9),
            "k": rng.randint(3, 40),
            "p": rng.randint(5, 60),
            "y": f"{rng.randint(2, 90)}.{rng.randint(1, 9)}",
            "w": rng.randint(120, 9000),
            "x": f"{rng.randint(1, 9)}.{rng.randint(1, 9)}",
            "mo": day.month,
            "d": day.day,
            "ytd": f"今年前{day.month - 1}个月" if day.month > 2 else "今年以来",
            "h": rng.randint(6, 19),
            "mi": rng.randint(10, 55),
            "t": rng.choice(T.PLACES),
            "v": rng.choice(T.VILLAGES),
            "c": rng.choice(T.COMPANIES),
            "issue": rng.choice(T.ISSUES),
        }

    def _title(self, template: str, values: dict[str, Any], limit: int = 40) -> str:
        title = template.format_map(values)
        if len(title.replace(" ", "")) > limit:
            title = template.format_map({**values, "u": ""})
        return title

    def _limit(self, urgency: str, kind: str, grade: str | None) -> dt.timedelta | None:
        found = []
        for section, key in (("by_urgency", urgency), ("by_kind", kind), ("by_grade", grade)):
            value = (self.deadlines.get(section) or {}).get(key)
            if value:
                number = int(re.match(r"\d+", str(value))[0])  # type: ignore[index]
                unit = str(value)[len(str(number)) :]
                found.append(
                    dt.timedelta(hours=number)
                    if unit.startswith("小时")
                    else dt.timedelta(days=number)
                    if unit.startswith("天")
                    else dt.timedelta(minutes=number)
                )
        return min(found) if found else None

    # -- items

    def item(
        self, unit: Unit, day: dt.date, number: int, follows: dict[str, Any] | None = None
    ) -> tuple[str, bytes, dict[str, Any]]:
        """(path, file, facts) of one submission."""
        rng = self.rng
        v = self._values(unit, day, rng)
        topic = rng.choice(self.topics)
        v["topic"] = topic
        year = day.year
        item_id = f"{unit.id}/{year}/{day:%m%d}-{number:02d}"
        facts: dict[str, Any] = {"id": item_id, "topic": topic, "occurred": None, "grade": None}
        emergency = follows is not None or (unit.type in ("县区", "乡镇街道") and rng.random() < EMERGENCY_SHARE * 1.6)
        extra: list[str] = []
        if follows is not None:
            kind, urgency = "突发性", "特急"
            v |= {"event": follows["event_name"], "h": rng.randint(8, 17)}
            title = self._title(rng.choice(("{u}{event}处置情况续报", "{u}{event}续报")), v)
            body = rng.choice(T.FOLLOW_UPS).format_map(v) + "\n\n" + rng.choice(T.FOLLOW_MEASURES).format_map(v)
            topic = follows["topic"]
            occurred = follows["occurred"]
            extra += [f"发生时间: {occurred:%Y-%m-%d %H:%M}", f"续报: {follows['id']}"]
            if follows.get("event"):
                extra.append(f"事件: {follows['event']}")
            facts |= {"occurred": occurred, "follow_up": True}
        elif emergency:
            kind = "突发性"
            urgency = "特急" if rng.random() < 0.8 else "加急"
            event_name, title_t, first = rng.choice(T.EMERGENCIES)
            topic = "防汛抗旱" if event_name in ("暴雨", "山体滑坡") else "安全生产"
            title = self._title(title_t, v)
            occurred = dt.datetime(year, day.month, day.day, v["h"], v["mi"], tzinfo=BEIJING)
            grade = rng.choices((None, "一般", "较大", "重大"), (10, 70, 17, 3))[0]
            body = (
                first.format_map(v)
                + rng.choice(T.AFTER).format_map(v)
                + "\n\n"
                + rng.choice(T.RESPONSES if unit.type == "县区" else T.RESPONSES[1:]).format_map(v)
                + rng.choice(T.FOLLOW_MEASURES).format_map(v)
            )
            if rng.random() < 0.7:  # the office registered the event (events/); the item names it
                event_id, event_path, event_data = self.event(
                    unit, {**facts, "occurred": occurred}, day, event_name, grade
                )
                extra.append(f"事件: {event_id}")
                facts |= {"event": event_id, "event_file": (event_path, event_data)}
            extra.append(f"发生时间: {occurred:%Y-%m-%d %H:%M}")
            if grade:
                extra.append(f"事件等级: {grade}")
            facts |= {"occurred": occurred, "grade": grade, "event_name": event_name}
        else:
            kind = rng.choices(("普遍性", "政策性", "苗头性", "倾向性"), (62, 14, 13, 11))[0]
            urgency = "加急" if rng.random() < 0.12 else "平件"
            if kind in ("苗头性", "倾向性"):
                topic = rng.choice([t for t in ("社会稳定", "民生保障", "营商环境") if t in self.topics] or self.topics)
                signal_title, signal = rng.choice(T.SIGNALS)
                title = self._title(signal_title, v)
                body = signal.format_map(v) + "\n\n" + rng.choice(T.SUGGESTIONS).format_map(v)
            elif kind == "政策性":
                title = self._title(rng.choice(T.TOPIC_TITLES[topic]), v)
                details = rng.sample(T.POLICY_DETAIL, 3)
                body = rng.choice(T.POLICY).format_map(v) + "\n\n" + "".join(details).format_map(v)
                body = body.rstrip("；")
                body += ("" if body.endswith("。") else "。") + rng.choice(T.CLOSINGS).format_map(v)
            else:
                title = self._title(rng.choice(T.TOPIC_TITLES[topic]), v)
                lead = rng.choice(T.LEADS).format_map(v) + rng.choice(T.TOPIC_LEADS[topic]).format_map(v)
                measures = [
                    rng.choice([m for m in T.MEASURES if m.startswith(prefix)]).format_map(v)
                    for prefix in ("一是", "二是", "三是")
                ]
                if rng.random() < 0.5:
                    body = lead + "\n\n" + "".join(measures) + "\n\n" + rng.choice(T.RESULTS).format_map(v)
                else:
                    body = lead + rng.choice(T.RESULTS).format_map(v) + "\n\n" + "".join(measures)
                body += rng.choice(T.CLOSINGS).format_map(v)
            if rng.random() < 0.03:  # a long one (over the 500-character warning)
                body += "\n\n" + "".join(m.format_map(v) for m in T.MEASURES)
        facts |= {"kind": kind, "urgency": urgency, "topic": topic, "title": title, "body": body}
        level = rng.choices(LEVELS, (24, 66, 7, 3))[0] if kind != "突发性" else rng.choice(("公开", "内部", "内部"))
        term = rng.choice(TERMS[level]) if level in TERMS else None
        facts |= {"level": level, "term": term}
        emergency_kind = kind == "突发性" or urgency == "特急"
        recipients = self.recipients if emergency_kind or rng.random() < 0.7 else [self.recipients[0]]
        if emergency_kind and self.must not in recipients:
            recipients = [self.must, *recipients]
        topics = [topic] if rng.random() < 0.8 else [topic, rng.choice(self.topics)]
        topics = list(dict.fromkeys(topics))
        call = self._call_for(unit, day, topic)
        ref = unit.id if rng.random() < 0.9 else rng.choice([unit.name, *unit.aliases])
        lines = [
            "---",
            f"标题: {title}",
            f"报送单位: {ref}",
            f"信息员: {rng.choice(unit.informants)}",
            f"签发人: {unit.leader}",
            f"类别: {kind}",
            f"紧急程度: {urgency}",
            f"密级: {level}",
        ]
        if term:
            lines.append(f"保密期限: {term}")
        lines += extra
        if call:
            lines.append(f"约稿: {call}")
        lines += [f"报送对象: [{', '.join(recipients)}]", f"主题: [{', '.join(topics)}]", "---", "", body, ""]
        self.stats.kinds[kind] += 1
        self.stats.levels[level] += 1
        return f"submissions/{item_id}.md", "\n".join(lines).encode(), facts

    def _call_for(self, unit: Unit, day: dt.date, topic: str) -> str | None:
        for call_id, deadline, call_topic, units in self.calls[-4:]:
            if unit.id in units and call_topic == topic and day <= deadline and self.rng.random() < 0.7:
                return call_id
        return None

    # -- receipts

    def receipt(self, facts: dict[str, Any], day: dt.date) -> dt.datetime:
        rng = self.rng
        occurred = facts.get("occurred")
        if facts.get("follow_up"):
            return dt.datetime(day.year, day.month, day.day, rng.randint(9, 20), rng.randint(0, 59), tzinfo=BEIJING)
        if occurred is None:
            start = dt.datetime(day.year, day.month, day.day, 8, 30, tzinfo=BEIJING)
            return start + dt.timedelta(minutes=rng.randint(0, 540))
        limit = self._limit(facts["urgency"], facts["kind"], facts["grade"]) or dt.timedelta(hours=2)
        minutes = limit.total_seconds() / 60
        if rng.random() < 0.15:  # late: 10 minutes to 2.5 hours after the limit
            delay = minutes + rng.randint(10, 150)
            self.stats.late += 1
        else:
            delay = rng.randint(10, max(11, int(minutes) - 3))
        return occurred + dt.timedelta(minutes=delay)

    # -- issues

    def _schedule(self, year: int) -> dict[dt.date, list[str]]:
        """Which publication issues on which day of the year."""
        workdays = [d for d in _days(year) if d.weekday() < 5]
        out: dict[dt.date, list[str]] = {}
        regular = self.size.issues - 12
        for pub in self.publications:
            pid = pub["id"]
            if pub.get("kind") == "通报":
                for month in range(1, 13):
                    after = [d for d in workdays if (d.month == month % 12 + 1 and d.year == year)]
                    day = after[2] if month < 12 else workdays[-1]
                    out.setdefault(day, []).append(pid)
                continue
            count = round(regular * SHARES.get(pid, 0.1))
            if pid == "zhongyao":  # whenever an event demands: random days
                days = sorted(self.rng.sample(workdays, min(count, len(workdays))))
            else:
                days = [workdays[k * len(workdays) // count] for k in range(count)] if count else []
            for day in days:
                out.setdefault(day, []).append(pid)
        return out

    def _pick(self, pub: dict[str, Any], day: dt.date, count: int) -> list[Pooled]:
        pid, top = pub["id"], LEVELS.index(pub.get("max_classification") or "内部")
        eligible = [p for p in self.pool if p.day < day and pid not in p.used and LEVELS.index(p.level) <= top]
        if pid == "zhongyao":
            eligible = [p for p in eligible if p.kind == "突发性" or p.urgency != "平件"] or eligible
        elif pid == "neican":
            eligible = [p for p in eligible if p.kind in ("苗头性", "倾向性") or p.level in TERMS] or eligible
        recent = eligible[-max(count * 6, 40) :]
        chosen = self.rng.sample(recent, min(count, len(recent)))
        for p in chosen:
            p.used.add(pid)
        return chosen

    def issue(self, pub: dict[str, Any], day: dt.date, number: int) -> tuple[str, bytes] | None:
        rng = self.rng
        pid = pub["id"]
        entries: list[tuple[str, list[Pooled], str]] = []  # (title, sources, text)
        note = ""
        if pub.get("kind") == "通报":
            text = self._notice(day)
        else:
            low, high = ENTRIES.get(pid, (2, 5))
            picked = self._pick(pub, day, rng.randint(low, high))
            if not picked:
                return None
            if pid == "huiyao" and len(picked) >= 4 and rng.random() < 0.35:  # a 综合 item crediting several units
                group = [picked.pop(), picked.pop()]
                if len({p.unit for p in group}) == 2:
                    topic = group[0].topic
                    body = "\n\n".join(p.body.split("\n\n")[0] for p in group)
                    entries.append((f"各地多措并举推进{topic}工作", group, body))
                else:
                    picked += group
            entries = [(p.title, [p], p.body) for p in picked] + entries
            if rng.random() < 0.15:
                note = f"编者按：本期刊发《{entries[0][0]}》等{len(entries)}条信息，供各地各部门学习借鉴。"
            text = ""
        sources = [p for _, group, _ in entries for p in group]
        level = max(["内部", *(p.level for p in sources)], key=LEVELS.index)
        terms = [p.term for p in sources if p.term and p.level in TERMS]
        self.totals[pid] += 1
        head = [
            "---",
            f"刊物: {pid}",
            f"期号: {number}",
            f"总期号: {self.totals[pid]}",
            f"日期: {day.isoformat()}",
            f"责任编辑: {rng.choice(self.editors)}",
            f"签发: {self.approver}",
            f"密级: {level}",
        ]
        if level in TERMS:
            head.append(f"保密期限: {max(terms, key=_months) if terms else '1年'}")
        if any(p.urgency == "特急" for p in sources):
            head.append("紧急程度: 特急")
        for key, values in (pub.get("distribution") or {}).items():
            head.append(f"{key}: [{', '.join(values)}]")
        head.append(f"印数: {pub.get('copies') or 10}")
        body = [f"> {note}", ""] if note else []
        for title, group, entry_text in entries:
            body += [f"## {title}", "", f"来源：{'、'.join(p.id for p in group)}", "", entry_text.strip(), ""]
            self.stats.adoptions += len(group)
        path = f"issues/{pid}/{day.year}/{number:03d}.md"
        content = "\n".join([*head, "---", "", *body]) + (text if text else "")
        if entries and rng.random() < 0.01:  # a correction three days later (修订): one number of the first item
            first = entries[0][2].strip()
            fixed = re.sub(r"\d+", lambda m: str(int(m[0]) + 1), first, count=1)
            corrected = content.replace(first, fixed, 1).replace(
                "\n---\n", f"\n修订: 2\n修订说明: 更正《{entries[0][0]}》中的一处数字\n---\n", 1
            )
            self.revisions.setdefault(day + dt.timedelta(days=3), []).append((path, corrected))
        for p in sources:  # some adopted items draw a leader's instruction or an adoption above
            if rng.random() < 0.02:
                self.records.setdefault(day + dt.timedelta(days=rng.randint(1, 6)), []).append(("批示", p.id, pid))
            if pid == "shangbao" and rng.random() < 0.06:
                self.records.setdefault(day + dt.timedelta(days=rng.randint(2, 9)), []).append(("上级采用", p.id, pid))
        self.stats.issues += 1
        return path, content.encode()

    def _notice(self, day: dt.date) -> str:
        month = (day.replace(day=1) - dt.timedelta(days=1)) if day.day < 28 or day.month != 12 else day
        counts = sorted(
            ((n, u) for (y, m, u), n in self.month_counts.items() if (y, m) == (month.year, month.month)),
            reverse=True,
        )
        names = {u.id: u.name for u in self.units}
        total = sum(n for n, _ in counts)
        rows = [f"| {k} | {names[u]} | {n} |" for k, (n, u) in enumerate(counts[:15], start=1)]
        return (
            f"> 编者按：现将{month.year}年{month.month}月全{self.scope}党委系统信息报送和采用情况通报如下。\n\n"
            f"## 一、总体情况\n\n{month.year}年{month.month}月，{len(counts)}个单位共报送信息{total}条。\n\n"
            "## 二、各单位信息报送情况\n\n| 名次 | 单位 | 报送 |\n|---|---|---|\n" + "\n".join(rows) + "\n\n"
            "## 三、下一步工作要求\n\n各单位要把信息报送作为严肃的政治纪律，坚持一事一报，提高信息质量。\n"
        )

    # -- records, events, calls

    def record(self, kind: str, item: str, day: dt.date, n: int) -> tuple[str, bytes]:
        rng = self.rng
        lines = ["---", f"类型: {kind}", f"信息: {item}", f"日期: {day.isoformat()}"]
        if kind == "批示":
            level = rng.choices(("市", "市委办", "省", "县", "国家"), (45, 25, 20, 8, 2))[0]
            lines += [f"级别: {level}", f"批示人: {T.person(rng)}"]
            text = rng.choice(
                (
                    "此信息反映的做法很好，请总结推广。",
                    "请有关部门认真研究，抓好落实。",
                    "请跟踪了解后续进展，及时报告。",
                    "要高度重视，妥善处置，防止矛盾激化。",
                )
            )
            self.stats.instructions += 1
        else:
            level, pub = rng.choices(
                (("省", "江西信息"), ("国务院办公厅", "国务院办公厅信息"), ("中央办公厅", "中办信息")), (88, 9, 3)
            )[0]
            lines += [f"级别: {level}", f"刊物: {pub}"]
            text = ""
            self.stats.upper += 1
        tag = "ps" if kind == "批示" else "cy"
        lines += ["---", "", text, ""]
        return f"records/{day.year}/{day:%m%d}-{tag}-{n:02d}.md", "\n".join(lines).encode()

    def event(
        self, unit: Unit, facts: dict[str, Any], day: dt.date, name: str, grade: str | None
    ) -> tuple[str, str, bytes]:
        base = f"{day.year}/{day:%m%d}-{unit.id}"
        event_id, n = base, 2
        while event_id in self.event_ids:
            event_id, n = f"{base}-{n}", n + 1
        self.event_ids.add(event_id)
        title = f"{unit.name}{name}"
        finding = (
            ["认定: 瞒报", "认定理由: 经核查，责任单位接报后未按规定及时报送。"] if self.rng.random() < 0.01 else []
        )
        lines = [
            "---",
            f"事件: {title}",
            f"发生时间: {facts['occurred']:%Y-%m-%d %H:%M}",
            f"地点: {unit.name}",
            f"等级: {grade or '一般'}",
            f"责任单位: {unit.id}",
            f"获知渠道: {self.rng.choice(('应急管理部门值班室电话报告', '消防救援支队通报', '网络舆情监测'))}",
            f"状态: {self.rng.choice(('已终结', '已终结', '处置中'))}",
            *finding,
            "---",
            "",
            f"{facts['occurred']:%m月%d日%H时%M分}，{title}。信息处已登记，并督促责任单位及时续报。",
            "",
        ]
        self.stats.events += 1
        return event_id, f"events/{event_id}.md", "\n".join(lines).encode()

    def call(self, day: dt.date, n: int) -> tuple[str, bytes]:
        topic = self.rng.choice(self.topics)
        units = sorted({u.id for u in self.rng.sample(self.active, min(len(self.active), self.rng.randint(4, 8)))})
        call_id = f"{day.year}/{day:%m%d}-yuegao{n:02d}"
        deadline = day + dt.timedelta(days=7)
        self.calls.append((call_id, deadline, topic, set(units)))
        self.stats.calls += 1
        text = (
            f"---\n主题: {topic}工作进展\n约稿单位: [{', '.join(units)}]\n截止时间: {deadline.isoformat()} 17:00\n---\n\n"
            f"请围绕{topic}工作，报送本地本领域的主要做法、存在的问题和意见建议。报送时在头部写“约稿: {call_id}”。\n"
        )
        return f"calls/{call_id}.md", text.encode()

    # -- the whole history

    def setup_files(self) -> list[tuple[str, bytes]]:
        mkdocs = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        if "\n  - bulletin\n" not in mkdocs:
            raise SystemExit("mkdocs.yml 中找不到“  - bulletin”插件一行：请更新 bench/generate.py")
        mkdocs = mkdocs.replace(
            "\n  - bulletin\n", "\n  - bulletin:\n      pdf: false   # 基准测试：PDF 另行测量（bench/pdf_bench.py）\n"
        )
        files = [
            ("bulletin.yml", self.config_text.encode()),
            ("network.yml", self.network_text.encode()),
            ("mkdocs.yml", mkdocs.encode()),
            (".gitignore", b"site/\nbuild/\n.fonts/\n"),
        ]
        for path in sorted((REPO / "docs").rglob("*")):
            if path.is_file():
                files.append((path.relative_to(REPO).as_posix(), path.read_bytes()))
        return files

    def run(self) -> Stats:
        self.root.mkdir(parents=True)
        _git(self.root, "init", "-q", "-b", "main")
        _git(self.root, "config", "gc.auto", "0")
        fi = self.fi = FastImport(self.root)
        start = dt.datetime(self.first_year - 1, 12, 31, 9, tzinfo=BEIJING)
        self.main = fi.commit("refs/heads/main", start, "建立信息报送台", self.setup_files())
        for year in range(self.first_year, LAST_YEAR + 1):
            self.year(year)
        fi.notes(dt.datetime(LAST_YEAR, 12, 31, 23, 59, tzinfo=BEIJING), self.notes)
        self.notes = []
        fi.close()
        self.stats.commits = fi.commits
        _git(self.root, "update-ref", "-d", PR_REF)
        _git(self.root, "reset", "-q", "--hard", "main")
        return self.stats

    def year(self, year: int) -> None:
        rng, fi = self.rng, self.fi
        assert fi is not None
        days = _days(year)
        day_weights = [1.0 if d.weekday() < 5 else 0.35 for d in days]
        per_day: dict[dt.date, list[Unit]] = {}
        picked_days = rng.choices(days, day_weights, k=self.size.items)
        picked_units = rng.choices(self.active, self.unit_weights, k=self.size.items)
        for day, unit in zip(picked_days, picked_units, strict=True):
            per_day.setdefault(day, []).append(unit)
        schedule = self._schedule(year)
        numbers: Counter[str] = Counter()
        for day in days:

            def at(h: int, m: int = 0, day: dt.date = day) -> dt.datetime:
                return dt.datetime(day.year, day.month, day.day, h, m, tzinfo=BEIJING)

            # 16:00 records
            files = [
                self.record(kind, item, day, n) for n, (kind, item, _) in enumerate(self.records.pop(day, []), start=1)
            ]
            if files:
                self.main = fi.commit("refs/heads/main", at(16), f"登记批示和上级采用{len(files)}件", files, self.main)
            # 17:00 issues, corrections, calls
            files = []
            for pid in schedule.get(day, []):
                pub = next(p for p in self.publications if p["id"] == pid)
                made = self.issue(pub, day, numbers[pid] + 1)
                if made:
                    numbers[pid] += 1
                    files.append(made)
            for path, text in self.revisions.pop(day, []):
                files.append((path, text.encode()))
                self.stats.revised_issues += 1
            if day.weekday() == 0 and rng.random() < 0.45:
                files.append(self.call(day, len(self.calls) + 1))
            if files:
                self.main = fi.commit(
                    "refs/heads/main", at(17), f"{day:%m月%d日}签发刊物{len(files)}份", files, self.main
                )
            # 23:00 the day's submissions; 23:10 those merged from a unit's branch
            files, stamped, branched = [], [], []
            seq: Counter[str] = Counter()
            todo = [(u, None) for u in per_day.get(day, [])] + [(u, f) for u, _, f in self.follow.pop(day, [])]
            for unit, follows in todo:
                seq[unit.id] += 1
                path, data, facts = self.item(unit, day, seq[unit.id], follows)
                received = self.receipt(facts, day)
                self.stats.items += 1
                self.month_counts[(day.year, day.month, unit.id)] += 1
                if facts["kind"] == "突发性" and not facts.get("follow_up"):
                    self.stats.emergencies += 1
                    if "event_file" in facts:
                        files.append(facts["event_file"])
                    if rng.random() < 0.4:
                        self.follow.setdefault(day + dt.timedelta(days=1), []).append((unit, path, facts))
                elif facts.get("follow_up"):
                    self.stats.follow_ups += 1
                line = f"{path}\t{received.isoformat()}\t{unit.id}-xinxiyuan\t"
                self.pool.append(Pooled(facts["id"], unit.id, day, *(facts[k] for k in POOLED)))
                if facts["kind"] != "突发性" and rng.random() < BRANCH_SHARE:
                    branched.append((unit, path, data, line + "forge", received))
                    continue
                files.append((path, data))
                if facts["kind"] == "突发性" or rng.random() >= UNSTAMPED_SHARE:
                    stamped.append(line + "hook")
            if files:
                count = sum(p.startswith("submissions/") for p, _ in files)
                self.main = fi.commit("refs/heads/main", at(23), f"{day:%m月%d日}入库信息{count}条", files, self.main)
                if stamped:
                    self.notes.append((self.main, "\n".join(stamped) + "\n"))
                    self.stats.receipts += len(stamped)
                    self.stats.notes += 1
            for k, (unit, path, data, line, received) in enumerate(branched):
                author = (unit.id, f"{unit.id}@example.org")
                first = fi.commit(PR_REF, received, f"报送 {path}", [(path, data)], self.main, author=author)
                self.notes.append((first, line + "\n"))
                self.stats.receipts += 1
                self.stats.notes += 1
                revised = data.replace("下一步".encode(), "下步".encode(), 1)
                if revised == data:
                    revised = data + "（根据信息处意见修改）\n".encode()
                tip = fi.commit(
                    PR_REF, received + dt.timedelta(minutes=40), f"修改 {path}", [(path, revised)], first, author=author
                )
                merged_at = at(23, 10 + k % 49)
                # fast-import takes no tree from a merge parent: the merge commit carries the file itself
                self.main = fi.commit(
                    "refs/heads/main", merged_at, f"合入 {path}", [(path, revised)], self.main, merge=tip
                )
                self.stats.merges += 1
                self.stats.merged[path] = merged_at.isoformat()
                self.stats.sent_back.append(path)
            if day.day == 1 or day == days[-1]:
                fi.notes(at(23, 59), self.notes)
                self.notes = []
            while self.pool and (day - self.pool[0].day).days > 28:
                self.pool.popleft()


def _days(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days)]


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args[:2])} 失败：{done.stderr.strip()}")
    return done.stdout


# ---------------------------------------------------------------- the cache


def fingerprint(size: str) -> str:
    """What a generated desk depends on: this generator, its phrases and the demo configuration;
    and the site's pages (mkdocs.yml, docs/) for the sizes whose site is measured (not the archive,
    which takes minutes to make and is only used for the checks and the ledger)."""
    h = hashlib.sha256(b"bench-desk-3")
    for path in (BENCH / "generate.py", BENCH / "texts.py", REPO / "bulletin.yml", REPO / "network.yml"):
        h.update(path.read_bytes())
    if size == "archive":
        return h.hexdigest()[:16]
    h.update((REPO / "mkdocs.yml").read_bytes())
    for path in sorted((REPO / "docs").rglob("*")):
        if path.is_file():
            h.update(path.relative_to(REPO).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def desk_dir(size: str, seed: int) -> Path:
    return OUT / "desks" / f"{size}-s{seed}"


def manifest(root: Path) -> dict[str, Any]:
    return json.loads((root / ".git" / MARKER).read_text(encoding="utf-8"))


def desk(size: str, seed: int = 2026, log: Any = print) -> Path:
    """The desk for (size, seed): from the cache, or generated now (and cached)."""
    target = desk_dir(size, seed)
    stamp = fingerprint(size)
    try:
        if manifest(target)["fingerprint"] == stamp:
            return target
    except (OSError, ValueError, KeyError):
        pass
    spec = SIZES[size]
    log(f"生成报送台 {size}（{spec.label}，种子 {seed}）到 {target.relative_to(REPO)} …")
    work = target.with_name(target.name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    began = time.perf_counter()
    stats = Scenario(work, spec, seed).run()
    seconds = time.perf_counter() - began
    info = {
        "fingerprint": stamp,
        "size": size,
        "seed": seed,
        "years": [LAST_YEAR - spec.years + 1, LAST_YEAR],
        "seconds": round(seconds, 1),
        **{k: v for k, v in stats.__dict__.items() if k not in ("kinds", "levels")},
        "kinds": dict(stats.kinds),
        "levels": dict(stats.levels),
    }
    (work / ".git" / MARKER).write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    log(
        f"已生成：{stats.items} 条信息（突发 {stats.emergencies}，续报 {stats.follow_ups}），{stats.issues} 期刊物，"
        f"{stats.commits} 个提交，{stats.notes} 个接报 note，用时 {seconds:.0f} 秒"
    )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description="生成基准测试用的报送台（git 仓库，按规模和种子缓存）")
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="即使已有缓存也重新生成")
    args = parser.parse_args()
    if args.force:
        shutil.rmtree(desk_dir(args.size, args.seed), ignore_errors=True)
    root = desk(args.size, args.seed)
    info = manifest(root)
    print(f"{root}：{info['items']} 条信息，{info['issues']} 期，{info['commits']} 个提交")


if __name__ == "__main__":
    main()
