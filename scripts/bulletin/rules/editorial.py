"""Rules of the office's own files: issues (刊物), registers (events, calls, records) and the
verification of what was published. They are checked by `bulletin issue check`, the readers of the
registers and `bulletin verify`, not per item; they are registered here so that `bulletin rules` and
the rules guide list every id a finding can carry.
"""

from __future__ import annotations

from bulletin.core.model import Severity as S
from bulletin.rules import define

define(
    "issue-format",
    "刊物文件格式",
    S.ERROR,
    "issues",
    "刊物文件是issues/<刊物>/<年份>/<期号>.md，头部写刊物、期号、日期、责任编辑、签发、密级，每条以“## 标题”开头；“【待填写……】”须换成实际内容。",
    "签发: 【待填写：签发领导】",
    "签发: 周建国",
)
define(
    "issue-number",
    "期号",
    S.ERROR,
    "issues",
    "期号每年从1起连续、不重复，总期号逐期加1；文件放在刊物和日期年份对应的文件夹下。",
    "issues/huiyao/2026/005.md（上一期是003）",
    "issues/huiyao/2026/004.md",
)
define(
    "issue-source",
    "来源",
    S.ERROR,
    "issues",
    "每条写“来源：”和所采用信息的编号；来源必须存在、已合并入库。",
    "来源：修水县那条",
    "来源：xiushui/2026/1125-01",
)
define(
    "issue-secrecy",
    "刊物密级",
    S.ERROR,
    "issues",
    "本期密级不低于所刊信息的最高密级，不超过刊物可刊载的密级；秘密、机密须写保密期限。",
    "密级: 内部（刊有秘密信息）",
    "密级: 秘密\n保密期限: 1年",
)
define(
    "issue-copies",
    "份号未登记",
    S.ERROR,
    "issues",
    "秘密、机密刊物的每一份都编份号（GB/T 9704-2012 7.2.1）：合并前运行“bulletin copies <期> --register”，为报、送、发的每个收件单位和能看到本期的每个站点登记份号，并提交登记文件。",
    "密级: 秘密（records/copies/下没有本期的登记）",
    "records/copies/2026/neican-001.md登记了本期每一份的份号",
)
define(
    "issue-published",
    "已发布的刊物不得改动",
    S.ERROR,
    "issues",
    "合并发布的一期不得删除或直接修改；更正时把“修订”加1并写明“修订说明”。",
    "直接改动已发布的一期",
    "修订: 2\n修订说明: 更正……",
)
define(
    "record-format",
    "登记文件格式",
    S.ERROR,
    "registers",
    "事件、约稿、批示和上级采用的登记文件是<目录>/<年份>/<编号>.md，头部按说明写全各项，时间写北京时间。",
    "events/2026/柴桑火灾.md",
    "events/2026/1109-chaisang.md",
)
define(
    "verify-submission",
    "已采用的信息被改动",
    S.ERROR,
    "verify",
    "合并入库的信息不得修改或删除：核查发现改动的，从此前的提交恢复。",
    "入库后修改了submissions/下的文件",
    "另报一条续报",
)
define(
    "verify-issue",
    "已发布的刊物被改动",
    S.ERROR,
    "verify",
    "已发布的各期只能以更正（修订）的方式改动，不得删除。",
    "删除了issues/下已发布的一期",
    "以修订更正",
)
define(
    "verify-receipts",
    "接报记录被改动",
    S.ERROR,
    "verify",
    "接报记录只增不改：文件被删除或已有的记录被改动的，从此前的提交恢复。",
    "改动了receipts/imported.tsv中已有的一行",
    "只追加新的接报记录",
)
define(
    "verify-receipt-missing",
    "缺少接报记录",
    S.WARNING,
    "verify",
    "已入库的信息应有服务器登记的接报记录；没有的，迟报按合入主分支的时间判断并注明须核实。",
    "入库的信息没有接报记录",
    "服务器钩子或接报工作流登记了接报时间",
)
define(
    "verify-pdf",
    "站点上的PDF被改动",
    S.ERROR,
    "verify",
    "站点上的各期PDF须与发布记录一致：缺少、多出或内容不符的，重新构建站点。",
    "替换了站点上的某期PDF",
    "用“bulletin build”重新构建",
)
