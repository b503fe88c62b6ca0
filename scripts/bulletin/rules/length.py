"""Length: 一事一报, usually 200 to 300 characters."""

from __future__ import annotations

from bulletin.core.model import Item
from bulletin.core.model import Severity as S
from bulletin.rules import Context, check, define
from bulletin.rules.body import body_text

define(
    "length",
    "篇幅偏长",
    S.WARNING,
    "length",
    "信息要短，通常二三百字；正文超过500字（可配置）给出警告，请“砍头斩尾紧肚皮”。",
    "（正文近千字，从背景讲起，罗列过程）",
    "（开门见山写事实和做法，二三百字）",
)
define(
    "length-max",
    "篇幅超限",
    S.ERROR,
    "length",
    "正文超过1500字（可配置）不能作为一条信息报送：请压缩，或改为专题材料。",
    "（正文三千字的工作总结）",
    "（提炼成三百字的信息）",
)


def count_chars(body: str) -> int:
    """Characters a reader sees, whitespace not counted (punctuation counted, as in 字数)."""
    return len("".join(body_text(body).split()))  # str.split() splits at exactly what isspace() is


@check
def length(item: Item, ctx: Context) -> None:
    if not item.body.strip():
        return
    n = count_chars(item.body)
    limits = ctx.config.limits
    if n > limits.body_max_chars:
        ctx.emit(
            "length-max", item.body_line, f"正文{n}字，超过上限{limits.body_max_chars}字：请压缩到几百字，一事一报"
        )
    elif n > limits.body_warn_chars:
        ctx.emit(
            "length",
            item.body_line,
            f"正文{n}字，超过{limits.body_warn_chars}字：信息通常二三百字，请删去背景和过程，突出事实",
        )
