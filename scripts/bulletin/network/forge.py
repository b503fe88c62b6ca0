"""Pull requests on the forge of the desk above: GitHub and Gitea/Forgejo, through their REST APIs
(standard library urllib: one POST, no client library). The token comes from the environment
variable bulletin.yml names (`upstream.token_env`), never from a file."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass

from bulletin.desk.config import Upstream
from bulletin.errors import UsageError

TIMEOUT_SECONDS = 30


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
    """Open a pull request from the branch `head` into main of the desk above's repository."""
    owner, name = upstream.repository.split("/", 1)
    url = f"{upstream.api}/repos/{owner}/{name}/pulls"
    headers = {"Content-Type": "application/json", "User-Agent": "bulletin"}
    if upstream.forge == "github":
        headers |= {"Authorization": f"Bearer {secret}", "Accept": "application/vnd.github+json"}
    else:  # Gitea / Forgejo
        headers |= {"Authorization": f"token {secret}", "Accept": "application/json"}
    payload = json.dumps({"title": title, "head": head, "base": "main", "body": body}, ensure_ascii=False)
    request = urllib.request.Request(url, data=payload.encode("utf-8"), headers=headers, method="POST")
    where = f"{upstream.name}的代码托管平台（{upstream.api}）"
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read(1024 * 1024).decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        raise UsageError(
            f"{where}拒绝建立合并请求（HTTP {exc.code}）：{_why(exc.code)}。分支{head}已推送，可在网页上手工发起合并请求"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UsageError(f"连不上{where}：{reason}。分支{head}已推送，可稍后在网页上手工发起合并请求") from exc
    except ValueError as exc:
        raise UsageError(f"{where}的回答不是JSON：请核对upstream.api是否为平台的接口地址") from exc
    if not isinstance(answer, dict) or not isinstance(answer.get("number"), int):
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
