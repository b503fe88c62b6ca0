"""Rules linking an item to the office's registries: the event it reports, the call it answers, its grade.

An item may name the event it reports (`事件: 2026/1109-chaisang`, an entry of events/) and the
call for information it answers (`约稿: 2026/1112-anquan`, an entry of calls/). A name that is
not registered is a warning, not an error: the report must never be held back for it (the
office registers the event, and the item still counts by its unit and 发生时间).
"""

from __future__ import annotations

import re

from bulletin.core import fields
from bulletin.core.model import Item
from bulletin.core.model import Severity as S
from bulletin.core.timing import plain_time
from bulletin.desk.layout import CALLS, EVENTS
from bulletin.rules import Context, check, define
from bulletin.rules.header import example_moment, is_emergency, text_field

define(
    "event-missing",
    "事件未登记",
    S.WARNING,
    "fields",
    "“事件”写信息处登记的突发事件编号（年份/编号，见events/），应已登记；没有编号时不写，按报送单位和发生时间对应。",
    "事件: 2026/1199-chaisang",
    "事件: 2026/1109-chaisang",
)
define(
    "request-missing",
    "约稿未登记",
    S.WARNING,
    "fields",
    "“约稿”写信息处发出的约稿编号（年份/编号）；报送台登记约稿（calls/）的，编号应已登记，否则这条信息记不到约稿上。",
    "约稿: 2026/1199-anquan",
    "约稿: 2026/1112-anquan",
)

RECORD_ID = re.compile(r"^\d{4}/[0-9A-Za-z][0-9A-Za-z_-]{0,80}$")


@check
def registries(item: Item, ctx: Context) -> None:
    grade = text_field(item, "事件等级")
    if grade and grade not in fields.GRADES:
        ctx.emit("invalid-value", item.lines["事件等级"], f"事件等级“{grade}”无效：只能是{'/'.join(fields.GRADES)}")
    if grade and not is_emergency(item) and item.fields.get("发生时间") in (None, ""):
        ctx.emit(
            "occurred-at",
            item.lines["事件等级"],
            f"写了事件等级的信息必须写发生时间（它决定报送时限）：请加上“发生时间: {plain_time(example_moment(ctx))}”",
        )
    event = text_field(item, "事件")
    if event:
        if not RECORD_ID.match(event):
            ctx.emit(
                "bad-reference",
                item.lines["事件"],
                f"事件编号“{event}”的写法不对：应写信息处登记的编号（年份/编号），如2026/1109-chaisang；没有编号可不写",
            )
        elif not (ctx.config.root / EVENTS / f"{event}.md").is_file():
            ctx.emit(
                "event-missing",
                item.lines["事件"],
                f"事件{EVENTS}/{event}.md未登记：请核对编号，或向信息处询问；不知道编号时可删去这一行",
            )
    request = text_field(item, "约稿")
    # the format itself is checked with the other references (header.references); a desk that keeps
    # no calls/ registry (calls announced outside the desk) is not checked against one
    calls = ctx.config.root / CALLS
    if request and RECORD_ID.match(request) and calls.is_dir() and not (calls / f"{request}.md").is_file():
        ctx.emit(
            "request-missing",
            item.lines["约稿"],
            f"约稿{CALLS}/{request}.md未登记：请照抄约稿通知上的编号（年份/编号），如2026/1112-anquan",
        )
