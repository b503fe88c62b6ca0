"""The verdict where the clerk looks on Gitea/Forgejo, and reminders as forge issues (issue 14).

A local HTTP stand-in of the Gitea/Forgejo API (/api/v1: an issue's comments, editing a comment, the
repository's issues) records every call and checks the token, as the forge does. check.yml's steps run
in a temporary repository (tests/workflow_runner.py) with a Gitea context whose api_url is the stand-in:
the check's Chinese summary arrives as one comment on the pull request, updated on the next run.
"""

from __future__ import annotations

import ast
import datetime as dt
import http.server
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bulletin.access.forge import MARKER, Client, Forge, ForgeError, post_verdict, verdict_body
from desk_helpers import ITEM
from test_duty import december  # noqa: F401
from test_workflow_steps import CLERK, NEW_ITEM, WORKFLOWS, Desk, pr_context, wheels  # noqa: F401
from workflow_runner import Runner

TOKEN = "gitea-actions-token"
REPO_NAME = "jiujiang/bulletin"


@dataclass
class Forgery:
    """What the stand-in holds: issues (with their comments) and every call made."""

    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    user: str = "gitea-actions"
    next_id: int = 100

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


class _GiteaApi(http.server.BaseHTTPRequestHandler):
    forge: Forgery

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _reply(self, code: int, data: Any = None) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8") if data is not None else b""
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        return dict(json.loads(self.rfile.read(length).decode("utf-8"))) if length else {}

    def _handle(self, method: str) -> None:
        f = self.forge
        path, _, query = self.path.partition("?")
        f.calls.append((method, self.path))
        if self.headers.get("Authorization") != f"token {TOKEN}":
            return self._reply(401, {"message": "token is required"})
        prefix = f"/api/v1/repos/{REPO_NAME}/"
        if not path.startswith(prefix):
            return self._reply(404, {"message": "not found"})
        route = path[len(prefix) :]
        params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        if m := re.fullmatch(r"issues/(\d+)/comments", route):
            number = int(m[1])
            if number not in f.issues:
                return self._reply(404, {"message": "issue does not exist"})
            if method == "GET":
                mine = [c for c in f.comments.values() if c["issue"] == number]
                page, limit = int(params.get("page", 1)), int(params.get("limit", 50))
                return self._reply(200, mine[(page - 1) * limit : page * limit])
            if method == "POST":
                cid = f.new_id()
                f.comments[cid] = {"id": cid, "issue": number, "body": self._body()["body"], "user": {"login": f.user}}
                return self._reply(201, f.comments[cid])
        if (m := re.fullmatch(r"issues/comments/(\d+)", route)) and method == "PATCH":
            comment = f.comments.get(int(m[1]))
            if comment is None:
                return self._reply(404, {"message": "comment does not exist"})
            if comment["user"]["login"] != f.user:
                return self._reply(403, {"message": "user is not the poster"})
            comment["body"] = self._body()["body"]
            return self._reply(200, comment)
        if route == "issues":
            if method == "GET":
                state = params.get("state", "open")
                found = [i for i in f.issues.values() if i["state"] == state and not i.get("pull_request")]
                page, limit = int(params.get("page", 1)), int(params.get("limit", 50))
                return self._reply(200, found[(page - 1) * limit : page * limit])
            if method == "POST":
                body = self._body()
                number = max(f.issues, default=0) + 1
                f.issues[number] = {
                    "number": number,
                    "title": body["title"],
                    "body": body.get("body", ""),
                    "state": "open",
                }
                return self._reply(201, f.issues[number])
        if (m := re.fullmatch(r"issues/(\d+)", route)) and method == "PATCH":
            issue = f.issues.get(int(m[1]))
            if issue is None:
                return self._reply(404, {"message": "issue does not exist"})
            issue.update(self._body())
            return self._reply(201, issue)
        return self._reply(404, {"message": f"stand-in does not know {method} {route}"})

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")


@pytest.fixture
def gitea() -> Iterator[tuple[Forgery, str]]:
    """The stand-in, serving (Forgery, its /api/v1 URL)."""
    forgery = Forgery()
    handler = type("Handler", (_GiteaApi,), {"forge": forgery})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield forgery, f"http://127.0.0.1:{httpd.server_address[1]}/api/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()


def client_for(api: str, kind: str = "gitea", token: str = TOKEN) -> Client:
    return Client(Forge(kind=kind, url=api.removesuffix("/api/v1"), repo=REPO_NAME, api=api), token)


# ---------------------------------------------------------------- the verdict


def test_the_verdict_is_one_comment_updated_on_every_check(gitea: tuple[Forgery, str]) -> None:
    forgery, api = gitea
    forgery.issues[7] = {"number": 7, "title": "报送", "state": "open", "pull_request": {}}
    client = client_for(api)
    first = verdict_body("❌ 1个文件有1处错误\n\n- 第3行：标题末尾不加句号", passed=False, sha="abcdef1234")
    assert post_verdict(client, 7, first) == "created"
    again = verdict_body("共检查1个文件，全部符合要求", passed=True, sha="1234567abc")
    assert post_verdict(client, 7, again) == "updated"
    [comment] = forgery.comments.values()
    assert comment["body"].startswith(MARKER)
    assert (
        "✅ 信息报送检查通过" in comment["body"] and "全部符合要求" in comment["body"] and "1234567" in comment["body"]
    )


def test_a_clerks_comment_that_starts_with_the_marker_is_left_alone(gitea: tuple[Forgery, str]) -> None:
    forgery, api = gitea
    forgery.issues[3] = {"number": 3, "title": "报送", "state": "open", "pull_request": {}}
    forgery.comments[1] = {"id": 1, "issue": 3, "body": f"{MARKER}\n通过了", "user": {"login": "xiushui-kuangxiaoping"}}
    assert post_verdict(client_for(api), 3, verdict_body("有错误", passed=False)) == "created"
    assert forgery.comments[1]["body"] == f"{MARKER}\n通过了"


def test_a_wrong_token_is_told_in_chinese(gitea: tuple[Forgery, str]) -> None:
    forgery, api = gitea
    forgery.issues[3] = {"number": 3, "title": "报送", "state": "open"}
    with pytest.raises(ForgeError) as caught:
        post_verdict(client_for(api, token="wrong"), 3, verdict_body("", passed=True))
    assert "HTTP 401" in str(caught.value) and "令牌" in str(caught.value)
    with pytest.raises(ForgeError, match="BULLETIN_FORGE_TOKEN"):
        client_for(api, token="")


def test_the_token_is_never_sent_over_plain_http(gitea: tuple[Forgery, str]) -> None:
    """bulletin.yml's reading refuses a forge at http://, and the client refuses it too (a Forge made in
    code): the token would cross the network unencrypted. Plain HTTP only on this machine (the stand-in)."""
    forgery, api = gitea
    forgery.issues[3] = {"number": 3, "title": "报送", "state": "open", "pull_request": {}}
    assert post_verdict(client_for(api), 3, verdict_body("", passed=True)) == "created"  # 127.0.0.1
    for address in ("http://10.0.0.5/api/v1", "http://git.x/api/v1", "ftp://git.x/api/v1"):
        with pytest.raises(ForgeError, match="不是https://地址") as caught:
            client_for(address)
        assert address in str(caught.value) and "bulletin.yml" in str(caught.value)
    assert client_for("https://git.x/api/v1").forge.api_base == "https://git.x/api/v1"


def test_a_long_summary_is_cut_and_the_marker_cannot_be_forged() -> None:
    body = verdict_body(f"{MARKER}x" + "字" * 70000, passed=False)
    assert body.count(MARKER) == 1 and "摘要过长，已截断" in body and len(body) < 61000


def gitea_context(desk: Desk, number: int, head: str, api: str, same_repo: bool = True) -> dict[str, Any]:
    context = pr_context(desk, number, head, CLERK, f"pr{number}")
    server = api.removesuffix("/api/v1")
    context.update({"server_url": server, "api_url": api, "token": TOKEN})
    if not same_repo:
        context["event"]["pull_request"]["head"]["repo"]["full_name"] = "someone/bulletin"
    return context


def test_check_yml_comments_its_verdict_on_gitea(
    tmp_path: Path,
    gitea: tuple[Forgery, str],
    wheels: Path,  # noqa: F811
) -> None:
    """check.yml on a Gitea runner: the summary of a failing check, then of a passing one, is one comment."""
    forgery, api = gitea
    desk = Desk(tmp_path / "desk")
    bad = ITEM.replace("标题: 修水县“三个一批”推动重点项目提速增效", "标题: 修水县“三个一批”推动重点项目提速增效。")
    assert bad != ITEM
    number, head = desk.pull_request("bad", {NEW_ITEM: bad})
    forgery.issues[number] = {"number": number, "title": "报送", "state": "open", "pull_request": {}}
    job = Runner(
        WORKFLOWS / "check.yml", gitea_context(desk, number, head, api), desk.origin, tmp_path / "run1", wheels
    ).run()
    step = job.step("在合并请求上发布检查结论（Gitea / Forgejo）")
    assert step.outcome == "success", job.log()
    assert step.env["BULLETIN_FORGE_TOKEN"] == TOKEN and step.env["CHECK_OUTCOME"] == "failure"
    [comment] = forgery.comments.values()
    assert "❌ 信息报送检查未通过" in comment["body"] and "标题末尾不加“。”" in comment["body"], comment["body"]
    assert f"{api.removesuffix('/api/v1')}/{REPO_NAME}/actions/runs/4242" in comment["body"]

    number2, head2 = desk.pull_request("good", {NEW_ITEM: ITEM})
    forgery.issues[number2] = {"number": number2, "title": "报送", "state": "open", "pull_request": {}}
    job = Runner(
        WORKFLOWS / "check.yml", gitea_context(desk, number2, head2, api), desk.origin, tmp_path / "run2", wheels
    ).run()
    comments = [c for c in forgery.comments.values() if c["issue"] == number2]
    assert len(comments) == 1 and "✅ 信息报送检查通过" in comments[0]["body"], job.log()


def test_check_yml_does_not_comment_for_a_fork_on_gitea(
    tmp_path: Path,
    gitea: tuple[Forgery, str],
    wheels: Path,  # noqa: F811
) -> None:
    forgery, api = gitea
    desk = Desk(tmp_path / "desk")
    number, head = desk.pull_request("fork", {NEW_ITEM: ITEM})
    context = gitea_context(desk, number, head, api, same_repo=False)
    job = Runner(WORKFLOWS / "check.yml", context, desk.origin, tmp_path / "run", wheels).run()
    assert job.step("在合并请求上发布检查结论（Gitea / Forgejo）").outcome == "skipped"
    assert forgery.calls == []


# ---------------------------------------------------------------- reminders

EVENT = """---
事件: 永修县某化工企业发生泄漏
发生时间: 2026-11-13 09:00
地点: 永修县云山经济开发区
等级: 一般
责任单位: yongxiu
获知渠道: 市应急管理局电话报告
状态: 处置中
---

市应急管理局电话报告，已组织处置。
"""
CALL = """---
主题: 冬季安全生产
约稿单位: [xiushui]
截止时间: 2026-11-20 17:00
---

请报送冬季安全生产的做法。
"""


def remind_desk(root: Path) -> Path:
    from desk_helpers import init_repo, make_desk

    desk = make_desk(root, with_submissions=False)
    (desk / "events" / "2026").mkdir(parents=True)
    (desk / "events" / "2026" / "1113-yongxiu.md").write_text(EVENT, encoding="utf-8")
    (desk / "calls" / "2026").mkdir(parents=True)
    (desk / "calls" / "2026" / "1113-anquan.md").write_text(CALL, encoding="utf-8")
    return init_repo(desk)


def remind_at(desk: Path, when: str, api: str) -> list[str]:
    from bulletin.desk.config import load_config
    from bulletin.desk.snapshot import read_desk
    from bulletin.editorial.remind import reminders, sync

    config = load_config(desk)
    moment = dt.datetime.fromisoformat(when).replace(tzinfo=config.timezone)
    return sync(client_for(api), reminders(read_desk(config, moment)))


def test_reminders_open_update_and_close_issues_mentioning_the_units(
    tmp_path: Path, gitea: tuple[Forgery, str]
) -> None:
    from desk_helpers import git

    forgery, api = gitea
    desk = remind_desk(tmp_path / "desk")

    done = remind_at(desk, "2026-11-13 09:30", api)  # the event is due at 11:00 (一般: 2小时), the call open
    assert len(done) == 2 and all(d.startswith("已打开议题") for d in done), done
    by_title = {i["title"]: i for i in forgery.issues.values()}
    event = by_title["待报：永修县某化工企业发生泄漏"]
    assert "@yongxiu-" in event["body"] and "2026年11月13日11:00前报送" in event["body"]
    call = by_title["约稿：冬季安全生产"]
    assert "@xiushui-kuangxiaoping" in call["body"] and "约稿: 2026/1113-anquan" in call["body"]
    assert "@yongxiu-" not in call["body"]

    assert remind_at(desk, "2026-11-13 09:40", api) == []  # nothing changed: no call at all but reading

    done = remind_at(desk, "2026-11-13 12:00", api)  # past the limit, nothing came: the same issue says 漏报
    assert done == [f"已更新议题#{event['number']}：漏报：永修县某化工企业发生泄漏"], done
    assert forgery.issues[event["number"]]["state"] == "open" and "漏报" in forgery.issues[event["number"]]["body"]

    # 修水县 answers the call on main: its issue is closed, with a comment saying why
    item = ITEM.replace("标题: ", "约稿: 2026/1113-anquan\n标题: ", 1)
    (desk / "submissions" / "xiushui" / "2026").mkdir(parents=True)
    (desk / "submissions" / "xiushui" / "2026" / "1114-01.md").write_text(item, encoding="utf-8")
    git(desk, "add", "-A")
    git(desk, "commit", "-qm", "修水县回应约稿", env={"GIT_COMMITTER_DATE": "2026-11-14T10:00:00+08:00"})
    done = remind_at(desk, "2026-11-14 11:00", api)
    assert f"已关闭议题#{call['number']}：约稿：冬季安全生产" in done, done
    assert forgery.issues[call["number"]]["state"] == "closed"
    closing = [c for c in forgery.comments.values() if c["issue"] == call["number"]]
    assert closing and "已办结" in closing[0]["body"]
    assert forgery.issues[event["number"]]["state"] == "open"  # the event is still not reported


def test_remind_dry_run_touches_no_forge(tmp_path: Path) -> None:
    from desk_helpers import run_cli

    desk = remind_desk(tmp_path / "desk")
    done = run_cli("remind", "--dry-run", "--now", "2026-11-13 09:30", cwd=desk)
    assert done.returncode == 0, done.stderr
    assert "待报：永修县某化工企业发生泄漏" in done.stdout and "共2项提醒" in done.stdout
    bare = run_cli("remind", "--now", "2026-11-13 09:30", cwd=desk)
    assert bare.returncode != 0 and "BULLETIN_FORGE_TOKEN" in bare.stderr and "Traceback" not in bare.stderr


def test_an_item_sent_back_mentions_its_clerk(december: Path) -> None:  # noqa: F811
    """退改: the item revised on its branch after it was sent (tests/test_duty.py's December desk)."""
    from bulletin.desk.config import load_config
    from bulletin.desk.snapshot import read_desk
    from bulletin.editorial.remind import reminders

    config = load_config(december)
    found = {r.key: r for r in reminders(read_desk(config, dt.datetime(2026, 12, 20, 12, 0, tzinfo=config.timezone)))}
    back = found["back:gongqingcheng/2026/1211-01"]
    assert back.title.startswith("退改：") and "@gongqingcheng-" in back.body and "按编辑的意见修改" in back.body
    assert not any(k.startswith("back:") and "gongqingcheng" not in k for k in found)


def test_remind_yml_keeps_the_issues_on_the_forge(tmp_path: Path, gitea: tuple[Forgery, str], wheels: Path) -> None:  # noqa: F811
    """remind.yml's steps, run in a temporary repository of the desk, open its reminders on the stand-in:
    the demo desk's 民生 call (deadline 2026-12-05) has units that never answered."""
    from test_workflow_steps import schedule_context

    forgery, api = gitea
    desk = Desk(tmp_path / "desk")
    context = {**schedule_context(desk, "报送提醒"), "api_url": api, "token": TOKEN}
    job = Runner(WORKFLOWS / "remind.yml", context, desk.origin, tmp_path / "w", wheels).run()
    assert not job.failed_steps, job.log()
    env = job.step("打开、更新或关闭提醒议题").env
    assert env == {"FORGE_API": api, "REPOSITORY": REPO_NAME, "BULLETIN_FORGE_TOKEN": TOKEN}
    titles = {i["title"]: i for i in forgery.issues.values()}
    call = titles["约稿：岁末年初民生保障和群众冷暖"]
    assert "已过截止时间" in call["body"] and "@xunyang-liuxiaoyan" in call["body"], call["body"]


# ---------------------------------------------------------------- bulletin.yml's forge section: one reader

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "bulletin"


def forge_desk(root: Path, section: str) -> Path:
    """The demo desk's configuration with `section` in place of its forge section."""
    from desk_helpers import make_desk

    desk = make_desk(root, with_submissions=False)
    base = (desk / "bulletin.yml").read_text(encoding="utf-8").split("\nforge:")[0]
    (desk / "bulletin.yml").write_text(f"{base}\n{section}", encoding="utf-8")
    return desk


def test_the_forge_section_is_read_with_the_configuration(tmp_path: Path) -> None:
    from bulletin.core.model import Forge as ConfigForge
    from bulletin.desk.config import load_config

    desk = forge_desk(
        tmp_path, "forge:\n  kind: Forgejo\n  url: https://git.x/\n  repo: o/r\n  app_id: abc-123\n  branch: trunk\n"
    )
    assert load_config(desk).forge == ConfigForge(
        kind="forgejo", url="https://git.x", repo="o/r", branch="trunk", app_id="abc-123"
    )
    assert load_config(forge_desk(tmp_path / "none", "")).forge is None


WRONG_FORGE = [
    (
        "forge:\n  kind: gitlab\n  url: https://g.x\n  repo: o/r\n",
        "forge的kind“gitlab”无效，只能是github/gitea/forgejo",
    ),
    ("forge:\n  kind: gitea\n  url: g.x\n  repo: o/r\n", "forge的url“g.x”应为代码托管平台的网址"),
    ("forge:\n  kind: gitea\n  url: https://g.x\n  repo: bulletin\n", "forge的repo“bulletin”应写成“所有者/仓库名”"),
    ("forge:\n  kind: gitea\n  url: https://g.x\n  repo: o/r\n  token: x\n", "forge中的“token”无效"),
    ("forge:\n  kind: gitea\n  url: https://g.x\n  repo: o/r\n  branch: a b\n", "forge的branch“a b”不是有效的分支名"),
    ("forge:\n  kind: gitea\n  url: https://g.x\n  repo: o/r\n  api: ftp://g.x\n", "forge的api“ftp://g.x”应为网址"),
    ("forge:\n  kind: gitea\n  url: https://g.x\n  repo: o/r\n  app_id: a;b\n", "forge的app_id“a;b”应为"),
    ("forge:\n  kind: gitea\n  url: [https://g.x]\n  repo: o/r\n", "forge的url应为一个值"),
    ("forge: gitea\n", "forge应为“键: 值”的映射"),
    # the token and the form's login go to these: never over plain HTTP, but on this machine (a stand-in)
    ("forge:\n  kind: gitea\n  url: http://git.x\n  repo: o/r\n", "forge的url“http://git.x”须以https://开头"),
    (
        "forge:\n  kind: gitea\n  url: https://g.x\n  repo: o/r\n  api: http://10.0.0.5/api/v1\n",
        "forge的api“http://10.0.0.5/api/v1”须以https://开头",
    ),
    (
        "forge:\n  kind: github\n  url: https://github.com\n  repo: o/r\n  auth_url: http://oauth.x\n",
        "forge的auth_url“http://oauth.x”须以https://开头",
    ),
]


@pytest.mark.parametrize(
    ("section", "words"),
    WRONG_FORGE,
    ids=[
        "kind",
        "url",
        "repo",
        "unknown-key",
        "branch",
        "api",
        "app_id",
        "not-a-value",
        "not-a-mapping",
        "http-url",
        "http-api",
        "http-auth",
    ],
)
def test_a_wrong_forge_section_names_the_file_and_the_key(tmp_path: Path, section: str, words: str) -> None:
    from bulletin.desk.config import load_config
    from bulletin.errors import ConfigError

    desk = forge_desk(tmp_path, section)
    with pytest.raises(ConfigError) as caught:
        load_config(desk)
    assert words in str(caught.value) and str(desk / "bulletin.yml") in str(caught.value)


@pytest.mark.parametrize("verb", [("cms",), ("remind", "--dry-run"), ("audiences", "--ids")])
def test_every_command_says_what_is_wrong_in_the_forge_section(tmp_path: Path, verb: tuple[str, ...]) -> None:
    """The section is validated with the rest of bulletin.yml, once, whichever command reads it."""
    from desk_helpers import run_cli

    desk = forge_desk(tmp_path, WRONG_FORGE[0][0])
    done = run_cli(*verb, cwd=desk)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "bulletin.yml" in done.stderr and WRONG_FORGE[0][1] in done.stderr, done.stderr


def test_no_module_but_the_configuration_reads_the_forge_section() -> None:
    """One reader of bulletin.yml's forge section (desk/config.py, Config.forge): no other module looks
    up the key `forge` in what it read (access/forge.py did, beside desk/config.py's upstream reader)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "desk" / "config.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            key = None
            if isinstance(node, ast.Subscript):
                key = node.slice
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
                key = node.args[0] if node.args else None
            if isinstance(key, ast.Constant) and key.value == "forge":
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []


def test_verdict_takes_the_forge_from_the_configuration(
    tmp_path: Path, gitea: tuple[Forgery, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`bulletin verdict` without --api and --repo posts to the forge of bulletin.yml (on main they were required)."""
    from desk_helpers import run_cli

    forgery, api = gitea
    forgery.issues[5] = {"number": 5, "title": "报送", "state": "open", "pull_request": {}}
    base = api.removesuffix("/api/v1")
    desk = forge_desk(tmp_path, f"forge:\n  kind: forgejo\n  url: {base}\n  repo: {REPO_NAME}\n")
    (tmp_path / "summary.md").write_text("全部通过。", encoding="utf-8")
    monkeypatch.setenv("BULLETIN_FORGE_TOKEN", TOKEN)
    done = run_cli("verdict", "--pr", "5", "--outcome", "success", "--summary", str(tmp_path / "summary.md"), cwd=desk)
    assert done.returncode == 0, done.stderr
    [comment] = forgery.comments.values()
    assert comment["issue"] == 5 and "✅ 信息报送检查通过" in comment["body"] and "全部通过。" in comment["body"]

    bare = forge_desk(tmp_path / "bare", "")
    done = run_cli("verdict", "--pr", "5", "--outcome", "success", cwd=bare)
    assert done.returncode != 0 and "bulletin.yml中没有forge一节" in done.stderr and "Traceback" not in done.stderr
