"""Rules on who may change what (accounts of the registry), judged on a branch's changes.

bulletin.access.identity emits these from `bulletin check` (branch mode) and the server's pre-receive
hook; they concern a change as a whole, not an item's text, so there is no `@check` here.
"""

from __future__ import annotations

from bulletin.core.model import Severity as S
from bulletin.rules import define

define(
    "not-permitted",
    "超出账号权限",
    S.ERROR,
    "identity",
    "每个账号只能改动信息网络名册（network.yml）赋予它的文件：信息员只能新增本单位submissions/<单位代号>/下的信息；"
    "编辑可改动刊物、事件、约稿、登记和站点页面，可代各单位录入信息；程序、工作流和其他文件由管理员维护。"
    "不在名册中的账号不能提交。CI按合并请求的发起人核对，服务器按推送的账号核对，权限以主分支上的名册为准。",
    "（修水县信息员xiushui-kuangxiaoping的合并请求新增了submissions/wuning/2026/1128-01.md）",
    "（修水县信息员xiushui-kuangxiaoping的合并请求只新增submissions/xiushui/2026/1128-01.md）",
)
define(
    "accepted-immutable",
    "已采用的信息不能改动",
    S.ERROR,
    "identity",
    "已合并进主分支（采用入库）的信息及其图片，任何账号都不能修改、删除或用同名文件覆盖：补充情况或纠正错误，"
    "请另报一条新信息（续报或更正），头部写“续报: 原信息编号”。",
    "（合并请求修改了主分支上已有的submissions/xiushui/2026/1103-01.md）",
    "（合并请求新增submissions/xiushui/2026/1128-01.md，头部写“续报: xiushui/2026/1103-01”）",
)
define(
    "codeowners",
    "代码所有者文件",
    S.ERROR,
    "identity",
    ".github/CODEOWNERS规定每个路径的改动须由哪些账号审核，由“bulletin codeowners”按信息网络名册生成，不要手工修改；"
    "改动名册中编辑、管理员的合并请求，须同时提交重新生成的.github/CODEOWNERS。",
    "（network.yml新增了一位编辑，.github/CODEOWNERS没有重新生成）",
    "（运行“bulletin codeowners”，把.github/CODEOWNERS的改动与network.yml一并提交）",
)
