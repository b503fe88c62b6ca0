"""The item's front-matter keys: canonical Chinese names, English aliases, expected shapes.

This table is the single source for reading, fixing (alias -> canonical), the skeleton
written by `bulletin new` and the documentation.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("政策性", "突发性", "苗头性", "倾向性", "普遍性")
URGENCIES = ("特急", "加急", "平件")
CLASSIFICATIONS = ("公开", "内部", "秘密", "机密")
TOP_SECRET = "绝密"
CLASSIFIED = ("秘密", "机密")  # need a 保密期限
GRADES = ("特别重大", "重大", "较大", "一般")  # 国家突发事件分级：Ⅰ、Ⅱ、Ⅲ、Ⅳ级
EMERGENCY_KIND = "突发性"
EMERGENCY_URGENCY = "特急"
# 保密期限上限（年），《保守国家秘密法》：绝密不超过30年，机密不超过20年，秘密不超过10年
MAX_TERM_YEARS = {"秘密": 10, "机密": 20}
PLACEHOLDER = "【待填写"  # marks what `bulletin new` leaves for the informant to write


@dataclass(frozen=True)
class Field:
    key: str  # canonical, Chinese
    alias: str  # English alias accepted on input
    shape: str  # "text" | "list" | "time" | "ref"
    required: bool
    help: str  # Chinese, shown in docs and in the skeleton's comments


FIELDS: tuple[Field, ...] = (
    Field("标题", "title", "text", True, "一句话写明核心事实，不超过40字，末尾不加句号"),
    Field("报送单位", "unit", "text", True, "本单位在名册中的代号、名称或别名，须与所在文件夹一致"),
    Field("信息员", "informant", "text", True, "执笔的信息员姓名"),
    Field("签发人", "approver", "text", True, "签发本条信息的单位领导"),
    Field("类别", "kind", "text", True, "政策性/突发性/苗头性/倾向性/普遍性"),
    Field("紧急程度", "urgency", "text", True, "特急/加急/平件"),
    Field("密级", "classification", "text", True, "公开/内部/秘密/机密（绝密信息严禁录入本系统）"),
    Field("保密期限", "secrecy_term", "text", False, "密级为秘密、机密时必填，如6个月、1年"),
    Field("发生时间", "occurred_at", "time", False, "突发性或特急信息必填，如2026-11-28 08:30"),
    Field(
        "事件等级",
        "grade",
        "text",
        False,
        "突发事件的等级：特别重大/重大/较大/一般，决定报送时限；尚未定级可不写",
    ),
    Field("报送对象", "recipients", "list", True, "市委、市政府，可都写；紧急信息必须报市委"),
    Field("主题", "topics", "list", False, "从配置的中心工作主题中选择"),
    Field("事件", "event", "ref", False, "信息处登记的突发事件编号（年份/编号），如2026/1109-chaisang"),
    Field("约稿", "request", "ref", False, "所响应的约稿编号（年份/编号），如2026/1112-anquan"),
    Field("续报", "follows", "ref", False, "所续报的首报信息编号，如xiushui/2026/1112-01"),
    Field("截止时间", "deadline", "time", False, "约稿或领导要求的明确截止时间"),
    Field("终报", "final", "text", False, "事件处置结束、本条是对该事件的最后一次报告时写“是”：此后不再须续报"),
    # 上报（bulletin forward）写入的来历：下级报送台转报的信息才有，由程序填写
    Field(
        "原报单位",
        "original_units",
        "list",
        False,
        "下级报送台转报的信息：最初写这条信息的单位，由bulletin forward填写",
    ),
    Field(
        "原报信息",
        "relayed_items",
        "list",
        False,
        "下级报送台转报的信息：每一级的报送台、信息编号和接报时间，如“修水县委办公室信息科：xiushui-yining/2026/1201-01（接报2026-12-01 09:05）”",
    ),
    Field(
        "下级接报时间",
        "relayed_received",
        "time",
        False,
        "下级报送台转报的信息：下级报送台收到这条信息的时间，紧急信息的转报时限从此算起",
    ),
)
RELAYED_FIELDS = ("原报单位", "原报信息", "下级接报时间")

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
BY_ALIAS: dict[str, Field] = {f.alias: f for f in FIELDS}


def canonical(key: str) -> Field | None:
    """The field a written key stands for, by canonical name or alias (aliases ignore case)."""
    return BY_KEY.get(key) or BY_ALIAS.get(key.strip().lower())
