"""`bulletin remind`: the desk's duties as forge issues that @-mention the units' accounts, so the
forge's own notifications (e-mail, its app) reach the clerks who never open the desk.

One issue per duty, found again by a hidden marker in its body:
- a registered event whose report is due and not yet in (待报), or overdue (漏报, 续报逾期), from the duty
  engine (duty/engine.py, through the snapshot: the same judgement as `bulletin overdue`);
- a call (约稿) while some asked unit has not answered, mentioning only those units;
- an item sent back (退改): its unit's 信息员 are asked to revise it.
An issue is opened when the duty appears, updated when its text changes, and closed (with a comment)
when the duty is met. Accounts come from network.yml; a unit without accounts is named in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bulletin.access.forge import Client
from bulletin.core.model import Config, Unit
from bulletin.core.timing import format_time
from bulletin.desk.snapshot import SENT_BACK, Snapshot
from bulletin.duty.engine import MISSED, NOT_ANSWERED, NOT_YET_DUE, open_cases
from bulletin.report.discipline import describe

MARKER = "<!-- bulletin-remind:{key} -->"
_KEY = re.compile(r"^<!-- bulletin-remind:(?P<key>[^ ]+) -->")


@dataclass(frozen=True)
class Reminder:
    # what the duty is: event:2026/1109-chaisang (待报, then 漏报), followup:…, call:2026/1112-anquan,
    # back:xiushui/2026/1128-01
    key: str
    title: str
    body: str  # starts with the marker


def _mentions(config: Config, unit_ids: list[str]) -> tuple[list[str], list[str]]:
    """(@accounts of the units' 信息员, lines naming units and leaders without an account)."""
    accounts: list[str] = []
    missing: list[str] = []
    for uid in unit_ids:
        unit: Unit | None = config.unit_by_ref(uid)
        if unit is None:
            continue
        accounts += [f"@{i.account}" for i in unit.informants if i.account]
        if not unit.informants:
            missing.append(f"{unit.name}没有登记信息员账号：请分管领导{unit.leader or ''}督促落实")
        elif unit.leader:
            missing.append(f"{unit.name}分管领导：{unit.leader}（名册中没有账号，请信息员转告）")
    return list(dict.fromkeys(accounts)), missing


def _body(key: str, lines: list[str], config: Config, unit_ids: list[str], ask: str) -> str:
    accounts, missing = _mentions(config, unit_ids)
    parts = [MARKER.format(key=key), *lines, ""]
    if accounts:
        parts.append(f"{' '.join(accounts)}：{ask}")
    parts += [f"- {m}" for m in missing]
    parts += ["", "本议题由报送台（bulletin remind）按名册和登记自动维护，事项办结后自动关闭。"]
    return "\n".join(parts)


def reminders(snap: Snapshot) -> list[Reminder]:
    """Every duty that should be in front of a unit now."""
    config = snap.config
    tz = config.timezone
    out: list[Reminder] = []
    for a in snap.awaiting:
        ev = a.event
        lines = [
            f"信息处登记了突发事件“{ev.title}”（{ev.id}，{format_time(ev.occurred_at, tz)}，{ev.place}）。",
            f"请于{format_time(a.due, tz)}前报送（{a.limit}）；报送时在头部写“事件: {ev.id}”。",
        ]
        out.append(
            Reminder(
                f"event:{ev.id}", f"待报：{ev.title}", _body(f"event:{ev.id}", lines, config, [ev.unit], "请及时报送")
            )
        )
    for case in open_cases(snap.cases):
        # an event's issue is the one its 待报 reminder opened: updated to 漏报, not a second issue
        what = case.event.id if case.event else case.submission or case.title
        key = f"event:{what}" if case.kind == MISSED else f"followup:{what}:{case.unit}"
        lines = [describe(config, case) + "。", "请立即报送；确有原因的，请向信息处说明。"]
        out.append(Reminder(key, f"{case.kind}：{case.title}", _body(key, lines, config, [case.unit], "请立即报送")))
    by_call: dict[str, list[str]] = {}
    calls = {}
    for cc in snap.call_answers:
        if cc.status in (NOT_YET_DUE, NOT_ANSWERED):
            by_call.setdefault(cc.call.id, []).append(cc.unit)
            calls[cc.call.id] = cc.call
    for call_id, units in by_call.items():
        call = calls[call_id]
        past = call.deadline <= snap.now
        lines = [
            f"信息处约稿“{call.topic}”（{call.id}），截止时间{format_time(call.deadline, tz)}"
            + ("，已过截止时间。" if past else "。"),
            f"尚未报送的单位：{'、'.join(_unit_names(config, units))}。报送时在头部写“约稿: {call.id}”。",
        ]
        if call.note:
            lines += ["", call.note]
        key = f"call:{call.id}"
        out.append(Reminder(key, f"约稿：{call.topic}", _body(key, lines, config, units, "请按约稿要求报送")))
    for item_id, state in sorted(snap.unmerged.items()):
        if state != SENT_BACK:
            continue
        unit_id = item_id.split("/")[0]
        fields = snap.items.get(item_id) or {}
        title = str(fields.get("标题") or item_id)
        key = f"back:{item_id}"
        lines = [
            f"信息“{title}”（{item_id}）已退回修改。",
            "请打开它的合并请求，按编辑的意见修改后再提交；检查结论见合并请求上的评论。",
        ]
        out.append(Reminder(key, f"退改：{title}", _body(key, lines, config, [unit_id], "请按意见修改")))
    return out


def _unit_names(config: Config, unit_ids: list[str]) -> list[str]:
    units = {u.id: u.name for u in config.units}
    return [units.get(u, u) for u in unit_ids]


def sync(client: Client, wanted: list[Reminder]) -> list[str]:
    """Open, update or close the forge's issues so that they are exactly `wanted`; what was done, in Chinese."""
    existing: dict[str, dict[str, object]] = {}
    for found in client.open_issues():
        m = _KEY.match(str(found.get("body") or ""))
        if m:
            existing.setdefault(m["key"], found)
    done: list[str] = []
    keys = {r.key for r in wanted}
    for r in wanted:
        issue = existing.get(r.key)
        if issue is None:
            made = client.open_issue(r.title, r.body)
            done.append(f"已打开议题#{made.get('number')}：{r.title}")
        elif issue.get("body") != r.body or issue.get("title") != r.title:
            client.edit_issue(int(str(issue["number"])), title=r.title, body=r.body)
            done.append(f"已更新议题#{issue['number']}：{r.title}")
    for key, issue in existing.items():
        if key not in keys:
            number = int(str(issue["number"]))
            client.comment(number, "此事项已办结（已报送或已不再需要），自动关闭本议题。")
            client.edit_issue(number, state="closed")
            done.append(f"已关闭议题#{number}：{issue.get('title')}")
    return done
