"""Pull requests on the forge of the desk above: GitHub and Gitea/Forgejo, through the desk's one
forge client (access.forge.Client). The token comes from the environment
variable bulletin.yml names (`upstream.token_env`), never from a file."""

from __future__ import annotations

import os
from dataclasses import dataclass

from bulletin.access.forge import Client, ForgeError
from bulletin.core.model import Forge
from bulletin.desk.config import Upstream
from bulletin.errors import UsageError


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str  # its page on the forge


def token(upstream: Upstream) -> str:
    """The forge token (checked before anything is pushed)."""
    found = os.environ.get(upstream.token_env, "").strip()
    if not found:
        raise UsageError(
            f"没有找到代码托管平台的令牌：请把本台在{upstream.name}的平台账号的令牌设置在环境变量"
            f"{upstream.token_env}中（如“export {upstream.token_env}=令牌”），不要写进任何文件"
        )
    return found


def open_pull_request(upstream: Upstream, secret: str, head: str, title: str, body: str) -> PullRequest:
    """Open a pull request from the branch `head` into main of the desk above's repository (the
    forge's API as the desk's own forge calls use it: access.forge.Client)."""
    client = Client(Forge(kind=upstream.forge, url="", repo=upstream.repository, api=upstream.api), secret)
    where = f"{upstream.name}的代码托管平台（{upstream.api}）"
    try:
        answer = client.open_pull_request(head, title, body)
    except ForgeError as exc:
        if exc.status is None:
            raise UsageError(f"连不上{where}：{exc}。分支{head}已推送，可稍后在网页上手工发起合并请求") from exc
        raise UsageError(
            f"{where}拒绝建立合并请求（HTTP {exc.status}）：{_why(exc.status)}。分支{head}已推送，可在网页上手工发起合并请求"
        ) from exc
    except ValueError as exc:
        raise UsageError(f"{where}的回答不是JSON：请核对upstream.api是否为平台的接口地址") from exc
    if not isinstance(answer.get("number"), int):
        raise UsageError(f"{where}的回答中没有合并请求编号：请核对upstream.api是否为平台的接口地址")
    return PullRequest(answer["number"], str(answer.get("html_url") or ""))


def _why(code: int) -> str:
    return {
        401: "令牌无效或已过期，请换一个有效的令牌",
        403: "令牌的账号没有在该仓库建立合并请求的权限，请上级报送台管理员为本台账号开通写入权限",
        404: "找不到仓库，或令牌的账号看不到它：请核对upstream.repository和账号权限",
        409: "合并请求与已有的冲突",
        422: "同一分支已有合并请求，或分支不存在",
    }.get(code, "请稍后重试，仍不成功的请联系上级报送台管理员")
