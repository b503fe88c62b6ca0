"""`.github/CODEOWNERS` generated from the registry: who must review a change to each path.

Editors review what the desk publishes (submissions, issues, events, calls, records, the site's
pages); administrators everything else, and explicitly the registry and the receipts. GitHub's
format: the last matching pattern decides. `bulletin codeowners` writes the file, `--check` and
`bulletin check` (branch mode) say when it no longer matches the registry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from bulletin.access.identity import CODEOWNERS, CONFIG, REGISTRY, Change
from bulletin.core.model import Config, Editor, Finding, Severity
from bulletin.errors import BulletinError, UsageError

EDITOR_OWNED = ("/submissions/", "/issues/", "/events/", "/calls/", "/records/", "/docs/")
ADMIN_OWNED = ("/network.yml", "/receipts/")  # the registry and the receipts, whatever the lines above say
_ACCOUNT = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
REGENERATE = f"请运行“bulletin codeowners”重新生成，并把{CODEOWNERS}的改动与名册的改动一并提交"


def _owners(people: Sequence[Editor]) -> str:
    bad = [p.account for p in people if not _ACCOUNT.match(p.account)]
    if bad:
        shown = "、".join(f"“{a}”" for a in bad)
        raise UsageError(
            f"{REGISTRY}中的账号{shown}不能写入{CODEOWNERS}：账号只能含字母、数字、点、连字符和下划线，"
            "请按代码托管平台上的登录名改正"
        )
    return " ".join(f"@{p.account}" for p in people)


def render(config: Config) -> str:
    """The file's full text for this registry (the same registry always gives the same text)."""
    editors = _owners(config.editors)
    admins = _owners(config.admins) or editors  # no administrator registered: the editors review
    width = max(len(p) for p in (*EDITOR_OWNED, *ADMIN_OWNED))
    lines = [
        "# 代码所有者（CODEOWNERS）：每个路径的改动须经哪些账号审核。",
        f"# 本文件由 bulletin codeowners 按信息网络名册（{REGISTRY}）自动生成，请勿手工修改：",
        "# 名册中的编辑、管理员调整后，运行 bulletin codeowners 重新生成，与名册的改动一并提交；",
        "# CI（bulletin check）会拒绝与名册不一致的本文件。在分支保护中打开“要求代码所有者审核”后生效。",
        "# 同一路径以最后一条匹配的规则为准。",
        "",
        "# 其他一切（程序、工作流、测试、报送台配置）：管理员",
        f"{'*':<{width}} {admins}".rstrip(),
        "",
        "# 报送的信息、刊物、事件、约稿、批示和上级采用登记、站点页面：信息处编辑",
        *(f"{p:<{width}} {editors}".rstrip() for p in EDITOR_OWNED),
        "",
        "# 信息网络名册和接报记录：管理员",
        *(f"{p:<{width}} {admins}".rstrip() for p in ADMIN_OWNED),
        "",
    ]
    return "\n".join(lines)


def problem(config: Config) -> str | None:
    """Why the desk's CODEOWNERS is not the generated one (None: it is current)."""
    path = config.root / CODEOWNERS
    expected = render(config)
    if not path.is_file():
        return f"找不到{CODEOWNERS}：请运行“bulletin codeowners”生成，并提交这个文件"
    try:
        current = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"无法读取{CODEOWNERS}（{exc}）：请运行“bulletin codeowners”重新生成"
    if current != expected:
        return f"{CODEOWNERS}与信息网络名册（{REGISTRY}）不一致：{REGENERATE}"
    return None


def write(config: Config) -> bool:
    """Write the generated file atomically; False when it was already current."""
    from bulletin.desk.atomic import write_file

    path = config.root / CODEOWNERS
    data = render(config).encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return False
    write_file(path, data, within=config.root, shown=CODEOWNERS)
    return True


def branch_findings(root: Path, changes: Sequence[Change]) -> list[Finding]:
    """A branch that changes the registry, the configuration or CODEOWNERS must leave CODEOWNERS current.

    Judged by the branch's own registry (the file must match what the branch will make main's
    registry). A desk that has never had the file (neither on the base nor on the branch) is not asked for it.
    """
    from bulletin.desk.config import load_config

    touched = {c.path: c.status for c in changes}
    if not touched.keys() & {REGISTRY, CONFIG, CODEOWNERS}:
        return []
    on_branch = (root / CODEOWNERS).is_file()
    on_base = touched.get(CODEOWNERS) in ("M", "D") or (on_branch and CODEOWNERS not in touched)
    if not on_branch and not on_base:
        return []
    try:
        config = load_config(root)
        why = problem(config)
    except BulletinError as exc:
        why = f"无法按本分支的名册生成{CODEOWNERS}：{exc}"
    if why and not on_branch:
        why = f"主分支上有{CODEOWNERS}，本分支删除了它：请恢复，或运行“bulletin codeowners”重新生成并提交"
    return [Finding(CODEOWNERS, None, "codeowners", Severity.ERROR, why)] if why else []
