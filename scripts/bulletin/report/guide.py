"""The rules as a guide for informants (《信息写作与报送规范》), generated from the registry."""

from __future__ import annotations

from bulletin.core import fields
from bulletin.rules import FAMILIES, RULES


def rules_text() -> str:
    lines = []
    for rule in RULES.values():
        fix = "，可自动改正" if rule.fixable else ""
        lines.append(f"{rule.id:<20} {rule.severity.label}{fix}  {rule.name}：{rule.summary}")
    return "\n".join(lines)


def _block(text: str) -> str:
    return "```text\n" + text + "\n```"


def fields_markdown() -> str:
    rows = ["| 键 | 英文别名 | 是否必填 | 填写要求 |", "|---|---|---|---|"]
    for f in fields.FIELDS:
        rows.append(f"| {f.key} | {f.alias} | {'必填' if f.required else '视情况'} | {f.help} |")
    return "\n".join(rows)


# what the guide says of a family before its rules
FAMILY_NOTES = {
    "typography": "从Word、WPS、网页复制的文字，常带着不换行空格、全角空格缩进、半角或直角引号、"
    "“...”“--”、零宽字符，用繁体输入法写的还有繁体字，一段话也常被断成几行：这些都逐处报出（一处问题一条），"
    "运行`bulletin fix`可一次改正标题和正文（头部其他各项不动，文件的换行方式不变）。"
    "GDP、5G、PM2.5、91.3%、COVID-19、英文缩写、链接地址和代码不算问题。",
}


def rules_markdown() -> str:
    out = [
        "# 信息写作与报送规范",
        "",
        "本页由报送台的检查规则自动生成，与CI的检查完全一致。每条规则有固定编号，检查结果中方括号里的就是它。"
        "“错误”须改正后才能报送；“警告”不影响报送，但请尽量改正。",
        "",
        "## 头部信息的各项",
        "",
        fields_markdown(),
        "",
    ]
    for family, title in FAMILIES.items():
        rules = [r for r in RULES.values() if r.family == family]
        if not rules:
            continue
        out += [f"## {title}", ""]
        if family in FAMILY_NOTES:
            out += [FAMILY_NOTES[family], ""]
        for rule in rules:
            fix = "；可运行`bulletin fix`自动改正" if rule.fixable else ""
            out += [
                f"### {rule.name}（`{rule.id}`）",
                "",
                f"**{rule.severity.label}**{fix}。{rule.summary}",
                "",
                "错误示例：",
                "",
                _block(rule.wrong),
                "",
                "正确示例：",
                "",
                _block(rule.right),
                "",
            ]
    return "\n".join(out)
