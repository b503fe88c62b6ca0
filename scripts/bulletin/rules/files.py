"""File-level rules. Reading (bulletin.desk.read) and locating (bulletin.editorial.check) emit these."""

from __future__ import annotations

from bulletin.core.fields import PLACEHOLDER
from bulletin.core.model import Item
from bulletin.core.model import Severity as S
from bulletin.rules import Context, check, define

define(
    "encoding",
    "文件编码",
    S.ERROR,
    "file",
    "信息文件须为UTF-8编码的文本（带BOM或Windows换行也可以）；GBK文件请用“bulletin fix”转换。",
    "用记事本以ANSI（GBK）编码保存的1128-01.md",
    "以UTF-8编码保存的1128-01.md",
)
define(
    "empty",
    "空文件",
    S.ERROR,
    "file",
    "文件不能为空，应包含头部信息和正文。",
    "（空文件）",
    "---\n标题: ……\n---\n\n正文……",
)
define(
    "file-size",
    "文件过大",
    S.ERROR,
    "file",
    "单个信息文件不得超过配置的大小上限（默认256 KB），单行不超过2000字。",
    "粘贴了整份工作报告和图片数据的2 MB文件",
    "只写一件事、二三百字的信息",
)
define(
    "file-type",
    "文件类型",
    S.ERROR,
    "file",
    "信息文件须是普通的文本文件：不能是改了扩展名的图片、Word/WPS文档、PDF或压缩包，也不能是符号链接。",
    "把“现场照片.jpg”或“修水信息.docx”改名为1128-01.md",
    "用文本编辑器写的1128-01.md，照片另存为images/1128-01.jpg并在正文中引用",
)
define(
    "invisible-char",
    "看不见的字符",
    S.ERROR,
    "file",
    "文件中不得有看不见的字符（零宽空格、改变文字方向的控制符、控制字符等）：它们多是从网页或聊天软件复制带来的，"
    "会让看起来相同的文字实际不同。",
    "报送单位: 修水县（“县”后跟着一个看不见的零宽空格U+200B）",
    "报送单位: 修水县",
)
define(
    "front-matter",
    "头部信息",
    S.ERROR,
    "file",
    "文件以“---”开头和结束的头部信息（YAML）写明各项，格式须正确；不允许YAML标签、锚点和别名。",
    "标题 修水县推进重点项目\n报送单位: xiushui",
    "---\n标题: 修水县推进重点项目\n报送单位: xiushui\n---",
)
define(
    "unknown-key",
    "未知的键",
    S.ERROR,
    "file",
    "头部信息只能使用规定的键（中文或对应的英文别名），写错的键不会被悄悄忽略。",
    "标提: 修水县推进重点项目",
    "标题: 修水县推进重点项目",
)
define(
    "value-comment",
    "被当作注释的文字",
    S.ERROR,
    "file",
    "头部信息中，值后面空格再接“#”的文字会被YAML当作注释丢掉（如“地点: 3号楼 #2单元”只读到“3号楼”）；"
    "要写入的，请给整个值加引号，或删去“#”前的空格。",
    "标题: 修水县3号桥 #2桥墩加固完工",
    "标题: 修水县3号桥#2桥墩加固完工",
)
define(
    "duplicate-key",
    "重复的键",
    S.ERROR,
    "file",
    "同一项只能写一次；中文键和它的英文别名算同一项。",
    "标题: 修水县推进重点项目\ntitle: 修水县推进项目",
    "标题: 修水县推进重点项目",
)
define(
    "file-location",
    "存放位置",
    S.ERROR,
    "file",
    "信息须存放在submissions/<单位代号>/<年份>/下，文件名只用字母、数字、连字符，以.md结尾。",
    "submissions/修水县/修水信息.md",
    "submissions/xiushui/2026/1128-01.md",
)

define(
    "placeholder",
    "模板未填写",
    S.ERROR,
    "file",
    "用“bulletin new”生成的模板中“【待填写……】”的地方都要换成实际内容。",
    "标题: 【待填写：一句话写明核心事实】",
    "标题: 修水县“三个一批”推动重点项目提速增效",
)


@check
def placeholder(item: Item, ctx: Context) -> None:
    for number, line in enumerate(item.text.split("\n"), start=1):
        if PLACEHOLDER in line:
            ctx.emit("placeholder", number, f"模板中的“{PLACEHOLDER}……】”还没有换成实际内容：请填写")


define(
    "protected-file",
    "受保护的文件",
    S.ERROR,
    "file",
    "报送单位的合并请求不能改动接报记录（receipts/）：收到时间只由服务器登记；迁移历史记录由信息处管理员提交并经审核合并。",
    "（合并请求中改动了receipts/imported.tsv）",
    "（合并请求只新增submissions/下本单位的信息）",
)
