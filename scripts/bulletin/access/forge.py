"""The forge the office runs (GitHub, Gitea or Forgejo): where it is (bulletin.yml's `forge:`), the
URLs of its pages a clerk is sent to, and the few calls of its API the desk makes (comments on a pull
request, issues for reminders, the pull request `bulletin forward` opens at the desk above) with the
workflow's own token or the desk's.

Gitea and Forgejo share one API (`/api/v1`, Forgejo keeps Gitea's); GitHub's differs in the base
(`api.github.com` or `<host>/api/v3`) and in how a comment is edited. Nothing here runs at build
time against the network: the site only carries URLs, and the API is called by CI steps and
`bulletin remind`, inside the office's network.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.core.model import Config
from bulletin.desk.config import CONFIG_MAX_BYTES, CONFIG_NAME
from bulletin.desk.read import DecodeProblem, YamlProblem, decode, load_yaml, read_bounded
from bulletin.errors import BulletinError, ConfigError

KINDS = ("github", "gitea", "forgejo")
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_BRANCH = re.compile(r"^[A-Za-z0-9_./-]+$")
# a web address written into the site, Decap's config and the nginx configuration: no quotes, spaces or ;
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~/-]*)?$")
MARKER = "<!-- bulletin-check -->"  # the one comment of the check on a pull request (as comment.yml)
LIMIT = 60000  # a comment's body is cut here (as comment.yml)
TIMEOUT = 30  # seconds for one API call


class ForgeError(BulletinError):
    exit_code = 1

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status the forge answered with (None: no answer)


@dataclass(frozen=True)
class Forge:
    kind: str  # github / gitea / forgejo
    url: str  # https://git.example.internal (no trailing slash)
    repo: str  # owner/name
    branch: str = "main"
    api: str = ""  # the API's base; default from kind and url
    app_id: str = ""  # the OAuth application's client id for the browser form (Decap CMS, PKCE)
    auth_url: str = ""  # GitHub only: the OAuth proxy Decap logs in through (keeps the client secret)

    @property
    def api_base(self) -> str:
        if self.api:
            return self.api.rstrip("/")
        if self.kind == "github":
            return "https://api.github.com" if self.url == "https://github.com" else f"{self.url}/api/v3"
        return f"{self.url}/api/v1"

    @property
    def gitea_like(self) -> bool:
        return self.kind in ("gitea", "forgejo")

    def new_file_url(self, path: str, value: str) -> str:
        """The forge's own page for a new file, pre-filled: the clerk commits it to a new branch there and
        opens the pull request (Gitea/Forgejo: /_new/<branch>/<folder>?filename=&value=; GitHub: /new/<branch>?filename=&value=)."""
        folder, _, name = path.rpartition("/")
        quote = urllib.parse.quote
        if self.gitea_like:
            where = f"{self.url}/{self.repo}/_new/{quote(self.branch)}/{quote(folder)}"
            return f"{where}?{urllib.parse.urlencode({'filename': name, 'value': value}, quote_via=quote)}"
        query = urllib.parse.urlencode({"filename": path, "value": value}, quote_via=quote)
        return f"{self.url}/{self.repo}/new/{quote(self.branch)}?{query}"

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "url": self.url, "repo": self.repo, "branch": self.branch}


def load_forge(config: Config) -> Forge | None:
    """bulletin.yml's `forge:` section, or None when the desk names no forge."""
    path = config.root / CONFIG_NAME
    try:
        raw, _ = load_yaml(decode(read_bounded(path, CONFIG_MAX_BYTES)).text)
    except (OSError, DecodeProblem, YamlProblem) as exc:
        raise ConfigError(f"{path}：无法读取forge一节（{exc}）") from exc
    section = raw.get("forge") if isinstance(raw, dict) else None
    if section is None:
        return None
    return parse_forge(section, path)


def parse_forge(section: Any, path: Path) -> Forge:
    example = (
        "如\nforge:\n  kind: gitea\n  url: https://git.example.internal\n  repo: xinxichu/bulletin\n  branch: main"
    )
    if not isinstance(section, dict):
        raise ConfigError(f"{path}：forge应为“键: 值”的映射，{example}")
    keys = ("kind", "url", "repo", "branch", "api", "app_id", "auth_url")
    unknown = [str(k) for k in section if k not in keys]
    if unknown:
        raise ConfigError(f"{path}：forge中的“{'、'.join(unknown)}”无效，只能是{'/'.join(keys)}")
    kind = str(section.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise ConfigError(f"{path}：forge的kind“{kind}”无效，只能是{'/'.join(KINDS)}")
    url = str(section.get("url") or "").strip().rstrip("/")
    if not _URL.match(url):
        raise ConfigError(f"{path}：forge的url“{url}”应为代码托管平台的网址，如https://git.example.internal")
    repo = str(section.get("repo") or "").strip()
    if not _REPO.match(repo):
        raise ConfigError(f"{path}：forge的repo“{repo}”应写成“所有者/仓库名”，如xinxichu/bulletin")
    branch = str(section.get("branch") or "main").strip()
    if not _BRANCH.match(branch):
        raise ConfigError(f"{path}：forge的branch“{branch}”不是有效的分支名，如main")
    api = str(section.get("api") or "").strip().rstrip("/")
    auth = str(section.get("auth_url") or "").strip().rstrip("/")
    for key, value in (("api", api), ("auth_url", auth)):
        if value and not _URL.match(value):
            raise ConfigError(f"{path}：forge的{key}“{value}”应为网址，如https://git.example.internal/api/v1")
    app_id = str(section.get("app_id") or "").strip()
    if app_id and not re.match(r"^[A-Za-z0-9_.-]+$", app_id):
        raise ConfigError(f"{path}：forge的app_id“{app_id}”应为代码托管平台上OAuth应用的客户端ID")
    return Forge(kind=kind, url=url, repo=repo, branch=branch, api=api, app_id=app_id, auth_url=auth)


# ---------------------------------------------------------------- the API


class Client:
    """The forge's REST API with a token (the workflow's own, or a bot account's for reminders)."""

    def __init__(self, forge: Forge, token: str) -> None:
        if not token:
            raise ForgeError("没有访问代码托管平台的令牌：请设置环境变量BULLETIN_FORGE_TOKEN（工作流中为其自带的令牌）")
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
