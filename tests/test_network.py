"""上下级报送台（issue 16）：乡镇→县→市→省，逐级上报（bulletin forward），采用和批示逐级同步回来（bulletin sync）。

三个报送台都是装了本项目服务器钩子的真实裸仓库（县、市、省），各级编辑和乡镇信息员用各自的克隆，
以名册中的账号推送：钩子登记接报，编辑合并，上级自己的检查（bulletin check）接受转报的信息。
合并请求的建立对着本机的GitHub、Gitea接口替身（http.server，不连网）。
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from bulletin.access import hook
from bulletin.core.timing import BEIJING, plain_time
from bulletin.desk.config import load_config, load_upstream
from bulletin.desk.records import ADOPTION, INSTRUCTION, load_records
from bulletin.desk.snapshot import read_desk
from bulletin.duty import engine
from bulletin.errors import ConfigError, UsageError
from bulletin.network.forward import forward
from bulletin.network.sync import sync
from desk_helpers import REPO, git, run_cli

COUNTY_DESK = "修水县委办公室信息科"
CITY_DESK = "九江市委办公室信息处"  # the demo desk's name (bulletin.yml desk)
PROVINCE_DESK = "江西省委办公厅信息处"
CLERK = "yining-liminghui"  # 义宁镇的信息员黎明辉, at the county
COUNTY_EDITOR = "xs-editor-xuming"
COUNTY_AT_CITY = "xiushui-kuangxiaoping"  # the county's account at the city: 修水县的信息员匡小平
CITY_EDITOR = "jj-editor-lijing"
CITY_AT_PROVINCE = "jiujiang-lijing"
PROVINCE_EDITOR = "jx-editor-wanghong"


# ---------------------------------------------------------------- three desks


def _write_desk(folder: Path, bulletin: dict[str, Any], registry: dict[str, Any]) -> Path:
    folder.mkdir(parents=True)
    (folder / "bulletin.yml").write_text(yaml.safe_dump(bulletin, allow_unicode=True, sort_keys=False), "utf-8")
    (folder / "network.yml").write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), "utf-8")
    return folder


def _demo() -> dict[str, Any]:
    return dict(yaml.safe_load((REPO / "bulletin.yml").read_text(encoding="utf-8")))


def county_desk(folder: Path, city: Path, limit: str = "1小时", clearance: str = "内部") -> Path:
    bulletin = _demo() | {
        "office": "中共修水县委办公室",
        "desk": COUNTY_DESK,
        "recipients": ["县委", "县政府"],
        "emergency_recipient": "县委",
        "publications": [{"id": "xsxx", "name": "修水信息", "max_classification": "内部"}],
        "audiences": [],
        "upstream": {
            "name": CITY_DESK,
            "url": str(city),
            "unit": "xiushui",
            "level": "市",
            "max_classification": clearance,
            "emergency_limit": limit,
            "informant": "匡小平",
            "approver": "冷德胜",
        },
    }
    registry = {
        "editors": [{"name": "徐明", "account": COUNTY_EDITOR}],
        "units": [
            {"id": "xianzhi", "name": "修水县直单位", "type": "县直部门", "parent": None, "informants": []},
            {
                "id": "yining",
                "name": "修水县义宁镇",
                "aliases": ["义宁镇"],
                "type": "乡镇街道",
                "parent": "xianzhi",
                "leader": "戴国强",
                "informants": [{"name": "黎明辉", "account": CLERK}],
            },
        ],
    }
    return _write_desk(folder, bulletin, registry)


def city_desk(folder: Path, province: Path) -> Path:
    folder.mkdir(parents=True)
    registry = yaml.safe_load((REPO / "network.yml").read_text(encoding="utf-8"))
    for unit in registry["units"]:
        if unit["id"] == "xiushui":
            unit["desk"] = True  # 修水县 runs a desk of its own: its forwarded items carry their provenance
    (folder / "network.yml").write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), "utf-8")
    bulletin = (REPO / "bulletin.yml").read_text(encoding="utf-8")
    bulletin += (
        "\nupstream:\n"
        f"  name: {PROVINCE_DESK}\n"
        f"  url: {province}\n"
        "  unit: jiujiang\n"
        "  level: 省\n"
        "  max_classification: 内部\n"
        "  emergency_limit: 1小时\n"
        "  informant: 李静\n"
        "  approver: 周建国\n"
    )
    (folder / "bulletin.yml").write_text(bulletin, "utf-8")
    return folder


def province_desk(folder: Path) -> Path:
    bulletin = _demo() | {
        "office": "中共江西省委办公厅",
        "desk": PROVINCE_DESK,
        "recipients": ["省委", "省政府"],
        "emergency_recipient": "省委",
        "publications": [{"id": "jxxx", "name": "江西信息", "max_classification": "内部"}],
        "audiences": [],
    }
    registry = {
        "editors": [{"name": "王红", "account": PROVINCE_EDITOR}],
        "units": [
            {
                "id": "jiujiang",
                "name": "九江市",
                "aliases": ["九江市委办公室"],
                "type": "设区市",  # a city at the province's desk
                "parent": None,
                "leader": "周建国",
                "informants": [{"name": "李静", "account": CITY_AT_PROVINCE}],
                "desk": True,
            }
        ],
    }
    return _write_desk(folder, bulletin, registry)


def serve(desk: Path, bare: Path) -> Path:
    """The desk's first commit in a bare repository with the project's server hook."""
    git(desk, "init", "-q", "-b", "main")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Desk")
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(bare)], check=True)
    git(desk, "push", "-q", str(bare), "main")
    done = run_cli("hook", "install", str(bare), cwd=bare.parent)
    assert done.returncode == 0, done.stderr
    return bare


def clone(bare: Path, where: Path) -> Path:
    git(bare.parent, "clone", "-q", str(bare), str(where))
    git(where, "fetch", "-q", "origin", "refs/notes/*:refs/notes/*")
    return where


def as_account(account: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in hook.PUSHER_VARIABLES and k != "BULLETIN_DEBUG"}
    env.update(
        GITEA_PUSHER_NAME=account,
        GIT_AUTHOR_NAME=account,
        GIT_AUTHOR_EMAIL="a@example.org",
        GIT_COMMITTER_NAME=account,
        GIT_COMMITTER_EMAIL="a@example.org",
    )
    return env


def push(where: Path, account: str, *args: str) -> str:
    done = subprocess.run(["git", "push", *args], cwd=where, env=as_account(account), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stderr


def pull(where: Path) -> None:
    git(where, "fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/notes/*:refs/notes/*")
    git(where, "merge", "-q", "--ff-only", "origin/main")


def merge(editor: Path, account: str, branch: str) -> None:
    """The editor accepts a pull request: merges the branch into main and pushes."""
    pull(editor)
    git(editor, "merge", "-q", "--no-ff", "-m", f"Merge {branch}", f"origin/{branch}")
    push(editor, account, "-q", "origin", "main")


def commit_all(where: Path, account: str, message: str) -> None:
    git(where, "add", "-A")
    git(where, "commit", "-q", "-m", message)
    push(where, account, "-q", "origin", "main")


def township_item(occurred: dt.datetime, level: str = "内部") -> str:
    term = "保密期限: 1年\n" if level in ("秘密", "机密") else ""
    return f"""---
标题: 义宁镇一处山体滑坡阻断县道 无人员伤亡
报送单位: yining
信息员: 黎明辉
签发人: 戴国强
类别: 突发性
紧急程度: 特急
密级: {level}
{term}发生时间: {plain_time(occurred)}
报送对象: [县委, 县政府]
---

今日，义宁镇桃里村一处山体发生滑坡，约3000立方米土石阻断县道，无人员伤亡。事发后，镇党委、镇政府主要负责同志第一时间赶赴现场，组织群众转移避险，协调机械清理路面，设置警示标志并实行交通管制。目前，抢通工作正在进行，相关情况将续报。
"""


def now() -> dt.datetime:
    return dt.datetime.now(tz=BEIJING).replace(microsecond=0)


@pytest.fixture
def network(tmp_path: Path) -> dict[str, Path]:
    province = serve(province_desk(tmp_path / "province-desk"), tmp_path / "province.git")
    city = serve(city_desk(tmp_path / "city-desk", province), tmp_path / "city.git")
    county = serve(county_desk(tmp_path / "county-desk", city), tmp_path / "county.git")
    return {
        "province": province,
        "city": city,
        "county": county,
        "clerk": clone(county, tmp_path / "clerk"),
        "county_editor": clone(county, tmp_path / "county-editor"),
        "city_editor": clone(city, tmp_path / "city-editor"),
        "province_editor": clone(province, tmp_path / "province-editor"),
    }


def forward_as(account: str, desk: Path, item: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`bulletin forward` as the desk's account at the desk above (the hook there reads the pusher)."""
    for name in hook.PUSHER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITEA_PUSHER_NAME", account)
    monkeypatch.setenv("GIT_COMMITTER_NAME", account)
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "a@example.org")
    config = load_config(desk)
    upstream = load_upstream(config)
    assert upstream is not None
    return forward(config, upstream, item, now())


def sync_here(desk: Path) -> Any:
    config = load_config(desk)
    upstream = load_upstream(config)
    assert upstream is not None
    return sync(config, upstream)


def status(where: Path) -> str:
    return git(where, "status", "--porcelain")


# ---------------------------------------------------------------- township -> county -> city -> province and back


def test_an_emergency_goes_up_three_desks_and_its_adoption_and_instruction_come_back(
    network: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk, county_editor = network["clerk"], network["county_editor"]
    city_editor, province_editor = network["city_editor"], network["province_editor"]
    # the township reports to the county: received by the county's hook, merged by its editor
    occurred = now() - dt.timedelta(minutes=20)
    git(clerk, "checkout", "-q", "-b", "yining/0001-01")
    rel = f"submissions/yining/{occurred.year}/{occurred:%m%d}-01.md"
    (clerk / rel).parent.mkdir(parents=True)
    (clerk / rel).write_text(township_item(occurred), encoding="utf-8")
    git(clerk, "add", "-A")
    git(clerk, "commit", "-q", "-m", "报送")
    assert f"已接报{rel}" in push(clerk, CLERK, "origin", "yining/0001-01")
    merge(county_editor, COUNTY_EDITOR, "yining/0001-01")
    township_id = rel[len("submissions/") : -3]

    # county -> city: a new submission in the county's folder there, received by the city's hook
    up = forward_as(COUNTY_AT_CITY, county_editor, township_id, monkeypatch)
    # in the year folder of the forward's moment (the event's, unless the year turned in the last 20 minutes)
    assert up.path.startswith("submissions/xiushui/") and up.late is None
    assert up.path.split("/")[2] in {str(occurred.year), str(now().year)}, up.path
    assert status(county_editor) == "", "forward leaves the desk's files alone"
    merge(city_editor, CITY_EDITOR, up.branch)
    city_rel = up.path
    text = (city_editor / city_rel).read_text(encoding="utf-8")
    assert '原报单位: ["修水县义宁镇"]' in text and f"{COUNTY_DESK}：{township_id}（接报" in text
    assert "报送单位: xiushui" in text and '签发人: "冷德胜"' in text and '报送对象: ["市委", "市政府"]' in text
    checked = run_cli("check", city_rel, cwd=city_editor)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    city_receipts = read_desk(load_config(city_editor)).receipts
    assert city_receipts[city_rel].source == "hook"

    # city -> province, the same way; the provenance keeps both steps
    city_id = city_rel[len("submissions/") : -3]
    top = forward_as(CITY_AT_PROVINCE, city_editor, city_id, monkeypatch)
    merge(province_editor, PROVINCE_EDITOR, top.branch)
    province_rel = top.path
    text = (province_editor / province_rel).read_text(encoding="utf-8")
    assert '原报单位: ["修水县义宁镇"]' in text
    assert f"{COUNTY_DESK}：{township_id}" in text and f"{CITY_DESK}：{city_id}" in text
    checked = run_cli("check", province_rel, cwd=province_editor)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert not [c for c in read_desk(load_config(province_editor)).cases if c.kind == engine.LATE]
    # the province's ledger shows the chain: each level below with its item and its receipt time
    ledger = run_cli("ledger", cwd=province_editor)
    assert ledger.returncode == 0, ledger.stderr
    [line] = [line for line in ledger.stdout.splitlines() if line.startswith(province_rel[len("submissions/") : -3])]
    assert f"转报：{COUNTY_DESK}：{township_id}（接报" in line and f"{CITY_DESK}：{city_id}（接报" in line, line
    assert "下级接报" in line, line
    lives = json.loads(run_cli("ledger", "--format", "json", cwd=province_editor).stdout)
    [life] = [life for life in lives if life["id"] == province_rel[len("submissions/") : -3]]
    assert len(life["hops"]) == 2 and life["relayed_at"], life

    # the province puts it into an issue of 江西信息 and records a leader's instruction on it
    province_id = province_rel[len("submissions/") : -3]
    issue = province_editor / "issues" / "jxxx" / str(occurred.year) / "001.md"
    issue.parent.mkdir(parents=True)
    issue.write_text(
        f"---\n刊物: jxxx\n期号: 1\n日期: {occurred.date().isoformat()}\n责任编辑: 王红\n签发: 刘明\n密级: 内部\n印数: 10\n---\n\n"
        f"## 义宁镇一处山体滑坡阻断县道 无人员伤亡\n\n来源：{province_id}\n\n今日，义宁镇一处山体发生滑坡，无人员伤亡。\n",
        encoding="utf-8",
    )
    done = run_cli(
        "record", "instruction", "--item", province_id, "--level", "省", "--by", "刘明",
        "--date", occurred.date().isoformat(), "--text", "抓紧抢通，确保群众安全。", cwd=province_editor,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    commit_all(province_editor, PROVINCE_EDITOR, "刊物和批示")

    # sync at the city: adoption into 江西信息 and the instruction, on the county's item there
    first = sync_here(city_editor)
    assert len(first.written) == 2
    records, problems = load_records(load_config(city_editor))
    assert problems == []
    got = {(r.kind, r.item, r.level, r.publication, r.by) for r in records if r.item == city_id}
    assert got == {
        (ADOPTION, city_id, "省", f"江西信息{occurred.year}年第1期", ""),
        (INSTRUCTION, city_id, "省", "", "刘明"),
    }
    commit_all(city_editor, CITY_EDITOR, "同步")

    # one more instruction above: the next sync reads only what changed since the recorded position
    done = run_cli(
        "record", "instruction", "--item", province_id, "--level", "省", "--by", "张华",
        "--date", occurred.date().isoformat(), cwd=province_editor,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    commit_all(province_editor, PROVINCE_EDITOR, "批示")
    more = sync_here(city_editor)
    assert more.read_from == first.position and len(more.written) == 1
    assert {r.by for r in load_records(load_config(city_editor))[0] if r.kind == INSTRUCTION} == {"刘明", "张华"}
    commit_all(city_editor, CITY_EDITOR, "同步")

    # sync at the county: all of it comes down to the township's own item
    down = sync_here(county_editor)
    assert len(down.written) == 3 and up.path in down.received
    county_records = [r for r in load_records(load_config(county_editor))[0] if r.item == township_id]
    assert {(r.kind, r.level) for r in county_records} == {(ADOPTION, "省"), (INSTRUCTION, "省")}
    assert next(r for r in county_records if r.kind == INSTRUCTION).text == "抓紧抢通，确保群众安全。"
    snap = read_desk(load_config(county_editor))
    assert {r.item.split("/", 1)[0] for r in snap.records} == {"yining"}, "credited to the township"

    # running again changes nothing, at either level (and from scratch, neither)
    commit_all(county_editor, COUNTY_EDITOR, "同步")
    for desk in (city_editor, county_editor):
        again = sync_here(desk)
        assert again.written == [] and status(desk) == ""
        config = load_config(desk)
        upstream = load_upstream(config)
        assert upstream is not None
        assert sync(config, upstream, full=True).written == [] and status(desk) == ""


def test_a_secret_item_is_refused_on_an_internal_channel_and_top_secret_always(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    city = serve(city_desk(tmp_path / "city-desk", tmp_path / "nowhere.git"), tmp_path / "city.git")
    county = county_desk(tmp_path / "county", city)
    git(county, "init", "-q", "-b", "main")
    occurred = now()
    for stem, level in (("01", "秘密"), ("02", "绝密")):
        path = county / "submissions" / "yining" / str(occurred.year) / f"{occurred:%m%d}-{stem}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(township_item(occurred, level), encoding="utf-8")
    git(county, "add", "-A")
    git(county, "commit", "-q", "-m", "desk")
    before = git(city.parent, "--git-dir", str(city), "for-each-ref")
    with pytest.raises(UsageError, match="密级为秘密，高于与九江市委办公室信息处之间的通道允许的内部"):
        forward_as(COUNTY_AT_CITY, county, f"yining/{occurred.year}/{occurred:%m%d}-01", monkeypatch)
    # even on a channel cleared for 机密, 绝密 never goes
    bulletin = (
        (county / "bulletin.yml")
        .read_text(encoding="utf-8")
        .replace("max_classification: 内部\n  emergency_limit", "max_classification: 机密\n  emergency_limit")
    )
    (county / "bulletin.yml").write_text(bulletin, encoding="utf-8")
    assert load_upstream(load_config(county)).max_classification == "机密"  # type: ignore[union-attr]
    with pytest.raises(UsageError, match="绝密信息一律不得上报"):
        forward_as(COUNTY_AT_CITY, county, f"yining/{occurred.year}/{occurred:%m%d}-02", monkeypatch)
    assert git(city.parent, "--git-dir", str(city), "for-each-ref") == before, "nothing reached the city"
    done = run_cli("forward", f"yining/{occurred.year}/{occurred:%m%d}-02", cwd=county)
    assert done.returncode != 0 and "Traceback" not in done.stderr and "绝密" in done.stderr
    # only what the desk accepted (merged on main) goes up
    pending = county / "submissions" / "yining" / str(occurred.year) / f"{occurred:%m%d}-03.md"
    pending.write_text(township_item(occurred), encoding="utf-8")
    with pytest.raises(UsageError, match="不在主分支（main）上：只上报本台已审核合并的信息"):
        forward_as(COUNTY_AT_CITY, county, f"yining/{occurred.year}/{occurred:%m%d}-03", monkeypatch)
    assert git(city.parent, "--git-dir", str(city), "for-each-ref") == before


def test_a_late_forward_is_the_county_desks_own_late_report_at_the_city_and_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The county received the township's emergency three hours ago and forwards it only now: at the
    city it is 修水县's 迟报 (the city's limit for 特急, from the county's receipt), and the county's sync shows it."""
    city = serve(city_desk(tmp_path / "city-desk", tmp_path / "nowhere.git"), tmp_path / "city.git")
    county = county_desk(tmp_path / "county", city)
    git(county, "init", "-q", "-b", "main")
    received = now() - dt.timedelta(hours=3)
    rel = f"submissions/yining/{received.year}/{received:%m%d}-01.md"
    (county / rel).parent.mkdir(parents=True)
    (county / rel).write_text(township_item(received - dt.timedelta(minutes=30)), encoding="utf-8")
    git(county, "add", "-A")
    git(county, "commit", "-q", "-m", "desk")
    head = git(county, "rev-parse", "HEAD").strip()
    done = run_cli("receipt", "add", rel, "--commit", head, "--received-at", received.isoformat(), cwd=county)
    assert done.returncode == 0, done.stderr
    up = forward_as(COUNTY_AT_CITY, county, rel[len("submissions/") : -3], monkeypatch)
    assert up.late is not None and up.late.unit == "xiushui" and up.late.delay > dt.timedelta(hours=1, minutes=59)

    editor = clone(city, tmp_path / "city-editor")
    merge(editor, CITY_EDITOR, up.branch)
    late = [c for c in read_desk(load_config(editor)).cases if c.kind == engine.LATE and c.submission]
    assert [(c.unit, c.submission, c.source) for c in late] == [("xiushui", up.path[len("submissions/") : -3], "hook")]
    assert "下级报送台接报后2小时" in late[0].limit
    assert late[0].due == received + dt.timedelta(hours=2)

    synced = sync_here(county)
    assert [(c.kind, c.unit, c.submission) for c in synced.late] == [
        (engine.LATE, "xiushui", rel[len("submissions/") : -3])
    ]
    shown = run_cli("sync", "--full", cwd=county)
    assert shown.returncode == 0 and "本台迟报" in shown.stdout, shown.stdout + shown.stderr

    # forwarded again: waiting in review there (待审); its pull request closed, the branch deleted (未采用)
    again = forward_as(COUNTY_AT_CITY, county, rel[len("submissions/") : -3], monkeypatch)
    waiting = sync_here(county).unmerged
    assert [(w.path, w.items, w.state) for w in waiting] == [(again.path, (rel[len("submissions/") : -3],), "待审")]
    push(editor, CITY_EDITOR, "-q", "origin", "--delete", again.branch)
    closed = run_cli("sync", cwd=county)
    assert f"{again.path}（本台{rel[len('submissions/') : -3]}）：未采用" in closed.stdout, (
        closed.stdout + closed.stderr
    )


# ---------------------------------------------------------------- pull requests on a forge (local stand-in)


class _Forge(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        size = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(size).decode("utf-8"))
        _Forge.seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if self.headers.get("Authorization", "").endswith("wrong"):
            self.send_response(401)
            self.end_headers()
            return
        answer = json.dumps({"number": 7, "html_url": f"http://forge.test{self.path}/7"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def forge_api() -> Iterator[str]:
    _Forge.seen = []
    server = HTTPServer(("127.0.0.1", 0), _Forge)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("forge", "api_path", "auth"),
    [("github", "", "Bearer secret-token"), ("gitea", "/api/v1", "token secret-token")],
)
def test_forward_opens_a_pull_request_on_github_and_gitea(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forge_api: str, forge: str, api_path: str, auth: str
) -> None:
    city = serve(city_desk(tmp_path / "city-desk", tmp_path / "nowhere.git"), tmp_path / "city.git")
    county = county_desk(tmp_path / "county", city)
    text = (county / "bulletin.yml").read_text(encoding="utf-8")
    text = text.replace(
        "  approver: 冷德胜\n",
        f"  approver: 冷德胜\n  forge: {forge}\n  api: {forge_api}{api_path}\n  repository: jiujiang/bulletin\n",
    )
    (county / "bulletin.yml").write_text(text, encoding="utf-8")
    git(county, "init", "-q", "-b", "main")
    occurred = now()
    rel = f"submissions/yining/{occurred.year}/{occurred:%m%d}-01.md"
    (county / rel).parent.mkdir(parents=True)
    (county / rel).write_text(township_item(occurred), encoding="utf-8")
    git(county, "add", "-A")
    git(county, "commit", "-q", "-m", "desk")
    item = rel[len("submissions/") : -3]

    monkeypatch.delenv("BULLETIN_UPSTREAM_TOKEN", raising=False)
    with pytest.raises(UsageError, match="BULLETIN_UPSTREAM_TOKEN"):
        forward_as(COUNTY_AT_CITY, county, item, monkeypatch)
    assert _Forge.seen == []
    monkeypatch.setenv("BULLETIN_UPSTREAM_TOKEN", "secret-token")
    up = forward_as(COUNTY_AT_CITY, county, item, monkeypatch)
    assert up.pull_request is not None and up.pull_request.number == 7
    assert _Forge.seen == [
        {
            "path": f"{api_path}/repos/jiujiang/bulletin/pulls",
            "auth": auth,
            "body": {
                "title": "上报：义宁镇一处山体滑坡阻断县道 无人员伤亡",
                "head": up.branch,
                "base": "main",
                "body": f"{COUNTY_DESK}上报{item}，签发人：冷德胜。",
            },
        }
    ]
    assert git(city.parent, "--git-dir", str(city), "rev-parse", f"refs/heads/{up.branch}").strip() == up.commit

    monkeypatch.setenv("BULLETIN_UPSTREAM_TOKEN", "wrong")
    with pytest.raises(UsageError, match=r"HTTP 401.*令牌无效"):
        forward_as(COUNTY_AT_CITY, county, item, monkeypatch)


# ---------------------------------------------------------------- an entry of an issue, as edited (综合)


def test_an_issue_entry_goes_up_as_edited_and_its_adoption_credits_every_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    city = serve(city_desk(tmp_path / "city-desk", tmp_path / "nowhere.git"), tmp_path / "city.git")
    county = county_desk(tmp_path / "county", city)
    git(county, "init", "-q", "-b", "main")
    occurred = now() - dt.timedelta(minutes=30)
    year, day = occurred.year, f"{occurred:%m%d}"
    first = f"yining/{year}/{day}-01"
    second = f"xianzhi/{year}/{day}-01"
    for item, unit in ((first, "yining"), (second, "xianzhi")):
        path = county / "submissions" / f"{item}.md"
        path.parent.mkdir(parents=True)
        path.write_text(township_item(occurred).replace("报送单位: yining", f"报送单位: {unit}"), encoding="utf-8")
    issue = county / "issues" / "xsxx" / str(year) / "001.md"
    issue.parent.mkdir(parents=True)
    issue.write_text(
        f"---\n刊物: xsxx\n期号: 1\n日期: {occurred.date().isoformat()}\n责任编辑: 徐明\n签发: 冷德胜\n密级: 内部\n印数: 10\n---\n\n"
        f"## 我县多地山体滑坡 无人员伤亡\n\n来源：{first}、{second}\n\n"
        "今日，我县义宁镇等地发生山体滑坡，无人员伤亡，抢通工作正在进行。\n",
        encoding="utf-8",
    )
    git(county, "add", "-A")
    git(county, "commit", "-q", "-m", "desk")

    for name in hook.PUSHER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITEA_PUSHER_NAME", COUNTY_AT_CITY)
    done = run_cli("forward", "--issue", f"xsxx/{year}/001", "--entry", "1", cwd=county)
    assert done.returncode == 0, done.stderr
    editor = clone(city, tmp_path / "city-editor")
    branch = git(editor, "branch", "-r", "--list", "origin/xiushui/*").split()[0].removeprefix("origin/")
    merge(editor, CITY_EDITOR, branch)
    rel = next(p for p in (editor / "submissions" / "xiushui").rglob("*.md")).relative_to(editor).as_posix()
    text = (editor / rel).read_text(encoding="utf-8")
    assert '标题: "我县多地山体滑坡 无人员伤亡"' in text and "今日，我县义宁镇等地发生山体滑坡" in text
    assert '原报单位: ["修水县义宁镇", "修水县直单位"]' in text
    assert f"{COUNTY_DESK}：{first}（接报未登记）" in text and f"{COUNTY_DESK}：{second}（接报未登记）" in text
    checked = run_cli("check", rel, cwd=editor)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # the city puts it into 九江信息（汇要）: the county's sync credits both townships' items
    city_issue = editor / "issues" / "huiyao" / str(year) / "001.md"
    city_issue.parent.mkdir(parents=True)
    city_issue.write_text(
        f"---\n刊物: huiyao\n期号: 1\n日期: {occurred.date().isoformat()}\n责任编辑: 李静\n签发: 周建国\n密级: 内部\n"
        f"印数: 120\n---\n\n## 修水县多地山体滑坡 无人员伤亡\n\n来源：{rel[len('submissions/') : -3]}\n\n正文。\n",
        encoding="utf-8",
    )
    commit_all(editor, CITY_EDITOR, "刊物")
    synced = sync_here(county)
    got = sorted((r.item, r.kind, r.level, r.publication) for r in load_records(load_config(county))[0])
    title = f"九江信息（汇要）{year}年第1期"
    assert len(synced.written) == 2
    assert got == sorted([(first, ADOPTION, "市", title), (second, ADOPTION, "市", title)])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("  level: 市\n", "upstream.level“国家”无效，只能是省/市"),
        ("  approver: 冷德胜\n", "upstream中的“password”无效"),
        ("  approver: 冷德胜\n", "须以https://开头"),
        ("  max_classification: 内部\n  emergency_limit: 1小时\n", "upstream.max_classification“绝密”无效"),
    ],
)
def test_the_upstream_section_is_checked(tmp_path: Path, change: str, message: str) -> None:
    county = county_desk(tmp_path / "county", tmp_path / "city.git")
    text = (county / "bulletin.yml").read_text(encoding="utf-8")
    replacement = {
        "upstream.level": "  level: 国家\n",
        "password": "  approver: 冷德胜\n  password: x\n",
        "https": "  approver: 冷德胜\n  forge: gitea\n  api: http://git.example.org/api/v1\n  repository: a/b\n",
        "绝密": "  max_classification: 绝密\n  emergency_limit: 1小时\n",
    }
    key = next(k for k in replacement if k in message)
    (county / "bulletin.yml").write_text(text.replace(change, replacement[key]), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_upstream(load_config(county))
    done = run_cli("sync", cwd=county)
    assert done.returncode != 0 and "Traceback" not in done.stderr and message in done.stderr


def test_a_unit_that_is_not_a_desk_cannot_move_its_own_clock(tmp_path: Path) -> None:
    """下级接报时间 starts an emergency's limit at the desk below's receipt; an ordinary unit that
    writes it (claiming a late receipt) is refused by the check (relay-unit), and the duty engine
    still counts its limit from 发生时间, so its 迟报 stands wherever it is judged."""
    from bulletin.desk.config import load_config
    from bulletin.duty.engine import item_due, submitted
    from bulletin.editorial.check import check_file
    from desk_helpers import emergency, make_desk

    desk = make_desk(tmp_path / "desk", with_submissions=False)
    text = emergency("2026-11-28 08:30").replace("主题:", "下级接报时间: 2026-11-28 12:00\n主题:", 1)
    rel = "submissions/chaisang/2026/1128-01.md"
    (desk / rel).parent.mkdir(parents=True)
    (desk / rel).write_text(text, encoding="utf-8")
    config = load_config(desk)
    at = dt.datetime(2026, 11, 28, 12, tzinfo=config.timezone)
    findings = check_file(config, desk / rel, at)
    [forged] = [f for f in findings if f.rule == "relay-unit"]
    assert forged.line == text.splitlines().index("下级接报时间: 2026-11-28 12:00") + 1
    front = {"下级接报时间": "2026-11-28 12:00", "发生时间": "2026-11-28 08:30", "紧急程度": "特急", "类别": "突发性"}
    due = item_due(config, submitted(config, "chaisang/2026/1128-01", front))
    assert due is not None and due.at.hour == 10 and due.at.minute == 30, due  # 2 hours after 08:30, not 14:00
    registry = yaml.safe_load((desk / "network.yml").read_text(encoding="utf-8"))
    for unit in registry["units"]:
        if unit["id"] == "chaisang":
            unit["desk"] = True
    (desk / "network.yml").write_text(yaml.safe_dump(registry, allow_unicode=True, sort_keys=False), "utf-8")
    config = load_config(desk)
    assert not [f for f in check_file(config, desk / rel, at) if f.rule == "relay-unit"]
    due = item_due(config, submitted(config, "chaisang/2026/1128-01", front))
    assert due is not None and due.at.hour == 14, due  # a desk below: its clock starts at its receipt


def test_each_level_lists_its_own_kinds_of_unit(tmp_path: Path) -> None:
    """A city is a unit of the province's desk, a county's departments units of the county's: the
    registry took only 县区 / 市直部门 / 乡镇街道 / 特约信息员, so the province registered 九江市 as a 县区
    and the 报送单位 page listed it under that heading."""
    from bulletin.publish.audience import Scope
    from bulletin.publish.generate import generated

    city = city_desk(tmp_path / "city", tmp_path / "province.git")
    for desk, heading, unit in (
        (province_desk(tmp_path / "province"), "设区市", "jiujiang"),
        (county_desk(tmp_path / "county", city), "县直部门", "xianzhi"),
    ):
        registered = load_config(desk).unit(unit)
        assert registered is not None and registered.type == heading
        (index,) = [p.content for p in generated(desk, Scope(None)).pages if p.src_uri == "units/index.md"]
        assert f"\n## {heading}\n" in index, index
        assert registered.name in index.split(f"\n## {heading}\n", 1)[1].split("\n## ")[0]
        assert "\n## 县区\n" not in index, desk
