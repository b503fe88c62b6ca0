"""The forge the office runs (GitHub, Gitea or Forgejo): the few calls of its API the desk makes
(comments on a pull request, issues for reminders, the pull request `bulletin forward` opens at the
desk above) with the workflow's own token or the desk's.
Where the forge is, bulletin.yml's `forge:`, is read with the rest of the configuration (desk/config.py,
Config.forge: core/model.py's Forge, which also makes the URLs of its pages a clerk is sent to).

Gitea and Forgejo share one API (`/api/v1`, Forgejo keeps Gitea's); GitHub's differs in the base
(`api.github.com` or `<host>/api/v3`) and in how a comment is edited. Nothing here runs at build
time against the network: the site only carries URLs, and the API is called by CI steps and
`bulletin remind`, inside the office's network.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from bulletin.core.model import Forge, secure_api
from bulletin.errors import BulletinError

MARKER = "<!-- bulletin-check -->"  # the one comment of the check on a pull request (as comment.yml)
LIMIT = 60000  # a comment's body is cut here (as comment.yml)
TIMEOUT = 30  # seconds for one API call


class ForgeError(BulletinError):
    exit_code = 1

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status the forge answered with (None: no answer)


# ---------------------------------------------------------------- the API


class Client:
    """The forge's REST API with a token (the workflow's own, or a bot account's for reminders)."""

    def __init__(self, forge: Forge, token: str) -> None:
        if not token:
            raise ForgeError("没有访问代码托管平台的令牌：请设置环境变量BULLETIN_FORGE_TOKEN（工作流中为其自带的令牌）")
        if not secure_api(forge.api_base):  # bulletin.yml's reading refuses it too: the token is never sent so
            raise ForgeError(
                f"代码托管平台的接口地址{forge.api_base}不是https://地址，令牌不能经未加密的连接发送："
                "请改用https://开头的地址（bulletin.yml中forge的url或api，或命令的--api选项）"
            )
        self.forge = forge
        self.token = token

    def call(self, method: str, route: str, body: dict[str, Any] | None = None, query: str = "") -> Any:
        url = f"{self.forge.api_base}/repos/{self.forge.repo}/{route}" + (f"?{query}" if query else "")
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        scheme = "Bearer" if self.forge.kind == "github" else "token"
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"{scheme} {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            hint = (
                "令牌无效或没有权限：检查工作流令牌的权限（见管理员指南“代码托管平台”一节）"
                if exc.code in (401, 403)
                else ""
            )
            raise ForgeError(f"代码托管平台拒绝了请求{method} {url}（HTTP {exc.code}）{hint}", exc.code) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise ForgeError(f"无法连接代码托管平台{self.forge.api_base}：{exc}；请检查forge的url和网络") from exc
        return json.loads(text) if text.strip() else None

    def all_pages(self, route: str, query: str = "") -> list[Any]:
        out: list[Any] = []
        for page in range(1, 101):
            size = "limit=50" if self.forge.gitea_like else "per_page=100"
            batch = self.call("GET", route, query=f"{query}&{size}&page={page}".lstrip("&"))
            if not isinstance(batch, list) or not batch:
                break
            out += batch
            if len(batch) < (50 if self.forge.gitea_like else 100):
                break
        return out

    # comments (an issue's and a pull request's are the same on all three forges)

    def comments(self, number: int) -> list[dict[str, Any]]:
        return [c for c in self.all_pages(f"issues/{number}/comments") if isinstance(c, dict)]

    def comment(self, number: int, body: str) -> dict[str, Any]:
        return dict(self.call("POST", f"issues/{number}/comments", {"body": body}) or {})

    def edit_comment(self, comment_id: int, body: str) -> None:
        self.call("PATCH", f"issues/comments/{comment_id}", {"body": body})

    # pull requests

    def open_pull_request(self, head: str, title: str, body: str) -> dict[str, Any]:
        """A pull request from the branch `head` into the forge's branch (its main)."""
        answer = self.call("POST", "pulls", {"title": title, "head": head, "base": self.forge.branch, "body": body})
        return answer if isinstance(answer, dict) else {}

    # issues

    def open_issues(self) -> list[dict[str, Any]]:
        query = "state=open&type=issues" if self.forge.gitea_like else "state=open"
        return [i for i in self.all_pages("issues", query) if isinstance(i, dict) and "pull_request" not in i]

    def open_issue(self, title: str, body: str) -> dict[str, Any]:
        return dict(self.call("POST", "issues", {"title": title, "body": body}) or {})

    def edit_issue(self, number: int, **changes: str) -> None:
        self.call("PATCH", f"issues/{number}", dict(changes))


def verdict_body(summary: str, passed: bool, sha: str = "", run_url: str = "") -> str:
    """The check's comment: a marker (one comment per pull request, updated), the verdict, the summary."""
    summary = summary.replace("\0", "").replace(MARKER, "")
    if not summary.strip():
        summary = "本次检查没有生成摘要（可能在检查开始前就失败了），请打开运行记录查看日志。"
    if len(summary) > LIMIT:
        summary = summary[:LIMIT] + "\n\n……（摘要过长，已截断。完整内容见运行记录中的制品check-report。）"
    verdict = "✅ 信息报送检查通过" if passed else "❌ 信息报送检查未通过，请按下列意见修改后再推送"
    where = "".join([f"检查的提交：{sha[:7]}。" if sha else "", f"[查看运行记录]({run_url})。" if run_url else ""])
    return "\n".join(
        [
            MARKER,
            f"### {verdict}",
            "",
            summary,
            "",
            "---",
            f"<sub>{where}本评论由信息报送检查自动生成，每次检查后更新。</sub>",
        ]
    )


def post_verdict(client: Client, number: int, body: str, bot: str | None = None) -> str:
    """Create the check's comment on pull request `number`, or update the one it left before
    (the first comment that starts with MARKER, by `bot` when given). Returns 'created' or 'updated'."""
    for c in reversed(client.comments(number)):
        author = (c.get("user") or {}).get("login")
        if str(c.get("body") or "").startswith(MARKER) and (bot is None or author == bot):
            try:
                client.edit_comment(int(c["id"]), body)
            except ForgeError:
                break  # someone else's comment that merely starts with the marker: leave it, write our own
            return "updated"
    client.comment(number, body)
    return "created"
