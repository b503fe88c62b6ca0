"""Deadlines: an emergency must reach the city within its limit after the event (迟报).

The receipt time is given by the caller (CI passes the forge's pull-request creation time);
commit dates never decide lateness, since a unit can forge them.
"""

from __future__ import annotations

from bulletin.core import fields
from bulletin.core.model import Item
from bulletin.core.model import Severity as S
from bulletin.core.timing import format_duration, format_time, plain_time
from bulletin.rules import Context, check, define
from bulletin.rules.header import example_moment, follows_problem, is_emergency, text_field, time_field

define(
    "time-format",
    "时间写法",
    S.ERROR,
    "deadline",
    "发生时间、截止时间写成2026-11-28 08:30、带时区的ISO 8601或2026年11月28日8时30分；不写时区即北京时间。",
    "发生时间: 昨天上午",
    "发生时间: 2026-11-27 09:40",
)
define(
    "occurred-at",
    "缺少发生时间",
    S.ERROR,
    "deadline",
    "突发性信息和特急信息必须写发生时间，它决定报送时限。",
    "类别: 突发性\n紧急程度: 特急",
    "类别: 突发性\n紧急程度: 特急\n发生时间: 2026-11-27 09:40",
)
define(
    "event-after-receipt",
    "发生时间晚于收到时间",
    S.ERROR,
    "deadline",
    "发生时间不能晚于信息处收到信息的时间，请核对日期和钟点。",
    "发生时间: 2026-12-27 09:40（实际是11月）",
    "发生时间: 2026-11-27 09:40",
)
define(
    "late",
    "迟报",
    S.WARNING,
    "deadline",
    "有时限的信息（特急：事件发生后2小时内；按事件等级，重大以上30分钟、较大1小时；可配置）晚于时限收到即为迟报，记录在案并通报；迟报也要报，不能不报。",
    "发生时间09:40，11:55才报送",
    "发生时间09:40，11:30前报送",
)


@check
def deadline(item: Item, ctx: Context) -> None:
    emergency = is_emergency(item)
    occurred = time_field(item, ctx, "发生时间", require_clock=emergency)
    explicit = time_field(item, ctx, "截止时间")
    if emergency and item.fields.get("发生时间") in (None, ""):
        by_kind = text_field(item, "类别") == fields.EMERGENCY_KIND
        reason = fields.EMERGENCY_KIND if by_kind else fields.EMERGENCY_URGENCY
        ctx.emit(
            "occurred-at",
            item.lines.get("类别" if by_kind else "紧急程度"),
            f"{reason}信息必须写发生时间（它决定报送时限）：请加上“发生时间: {plain_time(example_moment(ctx))}”",
        )
    if occurred is None and explicit is None:  # no time to be late against
        return
    received = ctx.received()
    if occurred and occurred > received:
        ctx.emit(
            "event-after-receipt",
            item.lines["发生时间"],
            f"发生时间{format_time(occurred)}晚于收到时间{format_time(received)}：请核对日期和钟点",
        )
        return
    # the one due time (bulletin.duty.engine, imported only for an item with a time to be late
    # against): a follow-up (续报) that continues its unit's chain is not held to the first report's
    # limit after the event
    from bulletin.duty import engine as duty

    item_id = ctx.location.item_id if ctx.location else item.path
    sub = duty.submitted(ctx.config, item_id, item.fields)
    follows = text_field(item, "续报")
    in_chain = bool(follows and ctx.location and follows_problem(ctx, follows) is None)
    due = duty.item_due(ctx.config, sub, in_chain)
    if due is None or received <= due.at:
        return
    if due.why == duty.EXPLICIT:
        why, line = f"截止时间为{format_time(due.at)}", item.lines.get("截止时间")
    else:
        assert occurred is not None  # a limit after the event applies only when it is known
        why = f"事件发生于{format_time(occurred)}（{due.why}，即{format_time(due.at)}前）"
        line = item.lines.get("发生时间")
    delay = format_duration(received - due.at)
    ctx.emit("late", line, f"迟报：{why}，实际收到于{format_time(received)}，迟报{delay}。此事将记录在案并通报")
