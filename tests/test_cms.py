"""The browser's way in for clerks (issue 14): the 报送 page and the Decap CMS form, in a real Chromium.

The site is built by the real mkdocs from a temporary desk (the repository's configuration, calls and
guide; PDFs and search off, they are tested elsewhere) and served on 127.0.0.1; every request that
leaves the machine is aborted and recorded.

- The 报送 page (the no-CMS fallback): the clerk fills the form; the URL it produces is decoded and
  its file equals what `bulletin new` writes for the same answers (editorial.new.render, called here),
  at the path `bulletin new` would choose, on the forge's new-file page of bulletin.yml's forge.
- The Decap CMS form at /admin/: its bundle is the site's own file, its config is made from
  bulletin.yml and network.yml; driven with `decap-server` (git mode) against a temporary repository,
  an emergency item saved in the form lands on a branch in the unit's folder and passes `bulletin check`.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from bulletin.core.model import Forge
from bulletin.desk.config import load_config
from bulletin.editorial.new import Draft, render
from desk_helpers import CHROMIUM_FLAGS, chromium_path

REPO = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).with_name("mkdocs")
BULLETIN = Path(sys.executable).with_name("bulletin")
LOCAL = {"127.0.0.1", "localhost"}
FLAGS = CHROMIUM_FLAGS
BEIJING = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 18, 9, 41, tzinfo=BEIJING)  # before the 安全生产 call's deadline (2026-11-20 17:00)
FORGE = {"kind": "gitea", "url": "https://git.jiujiang.internal", "repo": "jiujiang/bulletin", "branch": "main"}


def build_desk(root: Path, forge: dict[str, str] | None = FORGE) -> Path:
    """A desk with the repository's configuration, calls and guide, and a mkdocs.yml without PDFs and search."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("network.yml",):
        shutil.copyfile(REPO / name, root / name)
    config = (REPO / "bulletin.yml").read_text(encoding="utf-8").split("\nforge:")[0]
    if forge:
        config += "\nforge:\n" + "".join(f"  {k}: {v}\n" for k, v in forge.items())
    (root / "bulletin.yml").write_text(config, encoding="utf-8")
    for folder in ("calls", "docs", "submissions"):
        shutil.copytree(REPO / folder, root / folder)
    mk = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    mk["plugins"] = [{"bulletin": {"pdf": False, "search": False}}]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(mk, allow_unicode=True), encoding="utf-8")
    return root


def build_site(desk: Path, out: Path) -> Path:
    done = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(out)],
        cwd=desk,
        capture_output=True,
        text=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "HOME": str(desk), "BULLETIN_AUDIENCE": "counties", "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_path()


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_desk(tmp_path_factory.mktemp("desk"))


@pytest.fixture(scope="module")
def site(desk: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(desk, tmp_path_factory.mktemp("site"))


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    httpd, url = serve(site)
    try:
        yield url
    finally:
        httpd.shutdown()
        httpd.server_close()


class Browser:
    """A Chromium page that may reach 127.0.0.1 only; what else it asked for is in `outside`."""

    def __init__(self, chromium: str) -> None:
        from playwright.sync_api import sync_playwright

        self.outside: list[str] = []
        self._p = sync_playwright().start()
        self.browser = self._p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()

    def _guard(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOCAL:
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    def close(self) -> None:
        self.browser.close()
        self._p.stop()


@pytest.fixture
def browser(chromium: str) -> Iterator[Browser]:
    b = Browser(chromium)
    try:
        yield b
    finally:
        b.close()


def fill_submit(page: object, answers: dict[str, object]) -> str:
    """Fill the 报送 page with `answers` and return the URL of the forge's page it produced."""
    p: object = page
    for name in ("unit", "kind", "urgency", "classification", "request"):
        if name in answers:
            p.select_option(f'#bulletin-submit [name="{name}"]', str(answers[name]))  # type: ignore[attr-defined]
    for name in ("title", "informant", "approver", "secrecy_term", "follows", "number", "body"):
        if name in answers:
            p.fill(f'#bulletin-submit [name="{name}"]', str(answers[name]))  # type: ignore[attr-defined]
    for name in ("occurred_at", "deadline"):
        if name in answers:
            p.fill(f'#bulletin-submit [name="{name}"]', str(answers[name]).replace(" ", "T"))  # type: ignore[attr-defined]
    for name in ("recipients", "topics"):
        if name in answers:
            boxes = p.locator(f'#bulletin-submit input[name="{name}"]')  # type: ignore[attr-defined]
            for i in range(boxes.count()):
                boxes.nth(i).set_checked(boxes.nth(i).get_attribute("value") in answers[name])  # type: ignore[operator]
    p.click("#bulletin-submit button[type=submit]")  # type: ignore[attr-defined]
    link = p.locator(".bulletin-submit-link")  # type: ignore[attr-defined]
    try:
        link.wait_for(state="visible", timeout=10_000)
    except Exception as exc:  # say why: the page's message, or the field the browser refused
        said = p.locator(".bulletin-submit-problem").inner_text()  # type: ignore[attr-defined]
        invalid = p.eval_on_selector_all(  # type: ignore[attr-defined]
            "#bulletin-submit :invalid", "es => es.map(e => e.name + ': ' + e.validationMessage)"
        )
        raise AssertionError(f"no link: {said!r} {invalid}") from exc
    return str(link.get_attribute("href"))


def decode(url: str, forge: Forge) -> tuple[str, str]:
    """(path, file) from the forge's new-file URL."""
    parts = urlsplit(url)
    query = parse_qs(parts.query, keep_blank_values=True)
    assert f"{parts.scheme}://{parts.netloc}" == forge.url
    if forge.gitea_like:
        prefix = f"/{forge.repo}/_new/{forge.branch}/"
        assert parts.path.startswith(prefix), parts.path
        path = unquote(parts.path[len(prefix) :]) + "/" + query["filename"][0]
    else:
        assert parts.path == f"/{forge.repo}/new/{forge.branch}", parts.path
        path = query["filename"][0]
    return path, query["value"][0]


CASES = [
    pytest.param(
        {
            "unit": "xiushui",
            "title": "修水县何市镇发生山体滑坡2人被困",
            "kind": "突发性",
            "urgency": "特急",
            "classification": "内部",
            "occurred_at": "2026-11-18 08:30",
            "recipients": ["市委", "市政府"],
            "topics": ["安全生产"],
        },
        id="emergency",
    ),
    pytest.param(
        {
            "unit": "xiushui",
            "title": "修水县: 冬春“安全生产”排查#整改",  # quoted by YAML as bulletin new quotes it
            "informant": "匡小平",
            "approver": "某领导",
            "kind": "倾向性",
            "urgency": "加急",
            "classification": "秘密",
            "secrecy_term": "1年",
            "recipients": ["市委"],
            "topics": ["安全生产", "社会稳定"],
            "request": "2026/1112-anquan",
            "deadline": "2026-11-20 17:00",
            "follows": "xiushui/2026/1112-01",
            "number": 3,
        },
        id="classified-answering-a-call",
    ),
    pytest.param({"unit": "xunyang", "title": "浔阳区老旧小区改造完成年度任务"}, id="unit-defaults"),
    pytest.param(
        {
            "unit": "gongan",
            "title": "市公安局：冬季“平安守护”行动排查隐患#1",
            "classification": "机密",
            "secrecy_term": "6个月",
            "recipients": ["市政府"],
            "body": "11月以来，市公安局开展冬季“平安守护”行动。\n\n共排查隐患120处。",
        },
        id="confidential-without-call-with-body",
    ),
    pytest.param(
        {
            "unit": "yingji",
            "title": "市应急管理局部署寒潮防范工作",
            "urgency": "特急",
            "occurred_at": "2026-11-17 22:05",
            "deadline": "2026-11-18 12:00",
            "follows": "yingji/2026/1117-02",
            "topics": ["安全生产", "防汛抗旱", "民生保障"],  # in the order the page lists them
            "number": 12,
        },
        id="urgent-with-deadline-and-follow-up",
    ),
    pytest.param(
        {"unit": "pengze-longcheng", "title": "龙城镇完成冬季供暖检修", "approver": "马俊: 镇长"}, id="no-informant"
    ),
]


# ---------------------------------------------------------------- one skeleton, two fillers

SKELETONS = REPO / "tests" / "data" / "new_skeletons.txt"  # what `bulletin new` wrote before the table (main, a61eb8b)
LATER = dt.datetime(2026, 12, 10, 16, 5, 37, tzinfo=BEIJING)  # after every call's deadline: none is open
SKELETON_CASES: list[tuple[str, dict[str, Any], dt.datetime]] = [
    ("xiushui-defaults-open-call", {"unit": "xiushui"}, NOW),
    ("xunyang-defaults-other-call", {"unit": "xunyang"}, NOW),
    ("no-informant-no-open-call", {"unit": "pengze-longcheng"}, LATER),
    ("utc-moment", {"unit": "lianxi"}, dt.datetime(2026, 11, 30, 23, 59, 59, tzinfo=dt.UTC)),
    ("no-topics-no-leader", {"unit": "wuning", "no_topics": True, "no_people": True}, LATER),
    ("emergency-kind-without-time", {"unit": "xiushui", "kind": "突发性"}, NOW),
    ("urgent-without-time", {"unit": "yingji", "urgency": "特急"}, NOW),
    (
        "emergency-with-time",
        {
            "unit": "xiushui",
            "title": "修水县何市镇发生山体滑坡2人被困",
            "kind": "突发性",
            "urgency": "特急",
            "occurred_at": "2026-11-18 08:30",
            "recipients": ("市委",),
            "topics": ("安全生产",),
        },
        NOW,
    ),
    (
        "secret-with-term-quoted",
        {
            "unit": "gongan",
            "title": "某地: “安全生产”排查#整改",
            "informant": "何俊: 执笔",
            "approver": "-杨振华",
            "classification": "秘密",
            "secrecy_term": "1年",
        },
        NOW,
    ),
    ("confidential-term-months", {"unit": "gongan", "classification": "机密", "secrecy_term": "6个月"}, LATER),
    (
        "answering-a-call",
        {
            "unit": "xiushui",
            "title": "修水县冬春安全生产排查整改",
            "kind": "倾向性",
            "urgency": "加急",
            "request": "2026/1112-anquan",
            "deadline": "2026-11-20 17:00",
            "follows": "xiushui/2026/1112-01",
            "recipients": ("市委", "市政府"),
            "topics": ("安全生产", "社会稳定"),
        },
        NOW,
    ),
    ("unknown-call", {"unit": "duchang", "request": "2026/1201-xxxx"}, NOW),
    ("title-with-backslash", {"unit": "hukou", "title": 'a\\b "c" ?d', "informant": "[张旭]"}, NOW),
    ("title-leading-question", {"unit": "hukou", "title": "?是否", "approver": "殷志华 "}, NOW),
]


def skeleton_draft(config: Any, answers: dict[str, Any]) -> tuple[Any, Draft]:
    """(config, Draft) for a case of SKELETON_CASES: the desk's configuration, trimmed as the case asks."""
    from dataclasses import replace

    unit = config.unit_by_ref(answers["unit"])
    if answers.get("no_topics"):
        config = replace(config, topics=())
    if answers.get("no_people"):
        unit = replace(unit, informants=(), leader="")
    keys = ("title", "informant", "approver", "kind", "urgency", "classification", "secrecy_term", "occurred_at")
    keys += ("recipients", "topics", "follows", "request", "deadline")
    return config, Draft(unit=unit, **{k: answers[k] for k in keys if k in answers})


def _skeletons() -> dict[str, str]:
    text = SKELETONS.read_text(encoding="utf-8")
    parts = text.split("\n=== ")[1:]
    return {part.split(" ===\n", 1)[0]: part.split(" ===\n", 1)[1] for part in parts}


@pytest.mark.parametrize(("name", "answers", "today"), SKELETON_CASES, ids=[c[0] for c in SKELETON_CASES])
def test_bulletin_new_writes_what_it_wrote_before_the_table(name: str, answers: dict[str, Any], today: Any) -> None:
    """The skeleton is a table now (editorial/new.py SKELETON); `bulletin new` writes, byte for byte, what
    main's render wrote (tests/data/new_skeletons.txt, written by it) for drafts that take every form."""
    config, draft = skeleton_draft(load_config(REPO), answers)
    assert render(draft, config, today) == _skeletons()[name]


SUBMIT_JS = REPO / "scripts" / "bulletin" / "publish" / "templates" / "theme" / "assets" / "bulletin" / "submit.js"


def skeleton_phrases() -> set[str]:
    """Every piece of Chinese text of the skeleton's table: what is between its slots, cut at its
    column gaps and comment marks (标题:, 执笔的信息员, 可选：, 响应约稿“, ……)."""
    from bulletin.core.typography import HAN
    from bulletin.editorial.new import SKELETON, SLOT

    found = set()
    for forms in SKELETON:
        for _, template in forms:
            for chunk in SLOT.split(template)[::2]:  # the text between the slots
                for phrase in re.split(r"\s{2,}|#", chunk):
                    phrase = phrase.strip()
                    if len(phrase) >= 2 and re.search(f"[{HAN}]", phrase):
                        found.add(phrase)
    return found


def test_the_submit_page_holds_no_text_of_the_skeleton() -> None:
    """The page's script fills `bulletin new`'s own table (form.json): no line of the skeleton may be
    written in it again, or the two would drift apart (as they did: the script had every line twice)."""
    phrases = skeleton_phrases()
    assert {
        "执笔的信息员",
        "可选：",
        "响应约稿“",
        "密级为秘密、机密时必填，一年及以上以年计，不足一年以月计",
    } <= phrases
    script = SUBMIT_JS.read_text(encoding="utf-8")
    assert sorted(p for p in phrases if p in script) == []


def test_the_form_spec_hands_the_page_the_skeleton_of_bulletin_new() -> None:
    from bulletin.editorial.new import SKELETON, SLOT, config_slots
    from bulletin.publish.cms import FORM_SPEC, submit_files

    config = load_config(REPO)
    spec = json.loads(submit_files(config)[FORM_SPEC])
    assert spec["skeleton"] == [[list(form) for form in forms] for forms in SKELETON]
    assert spec["slots"] == config_slots(config) and spec["slot"] == SLOT.pattern


@pytest.mark.parametrize("answers", CASES)
def test_the_submit_page_writes_what_bulletin_new_writes(
    browser: Browser, server: str, desk: Path, answers: dict[str, object]
) -> None:
    config = load_config(desk)
    forge = config.forge
    assert forge is not None
    page = browser.page
    page.clock.set_fixed_time(NOW)
    page.goto(f"{server}/submit/", wait_until="networkidle")
    url = fill_submit(page, answers)
    path, value = decode(url, forge)

    unit = config.unit_by_ref(str(answers["unit"]))
    assert unit is not None
    text = lambda key: str(answers[key]) if answers.get(key) else None  # noqa: E731
    draft = Draft(
        unit=unit,
        title=text("title"),
        informant=text("informant"),
        approver=text("approver"),
        kind=str(answers.get("kind", "普遍性")),
        urgency=str(answers.get("urgency", "平件")),
        classification=str(answers.get("classification", "内部")),
        secrecy_term=text("secrecy_term"),
        occurred_at=text("occurred_at"),
        recipients=tuple(answers.get("recipients", ())),  # type: ignore[arg-type]
        topics=tuple(answers.get("topics", ())),  # type: ignore[arg-type]
        follows=text("follows"),
        request=text("request"),
        deadline=text("deadline"),
        body=text("body"),
    )
    assert value == render(draft, config, NOW)
    day = (answers.get("occurred_at") or f"{NOW:%Y-%m-%d}").__str__()
    assert path == f"submissions/{unit.id}/{day[:4]}/{day[5:7]}{day[8:10]}-{int(answers.get('number', 1)):02d}.md"
    assert browser.outside == []


def test_a_written_body_replaces_the_placeholder_and_the_check_passes(
    browser: Browser, server: str, desk: Path, tmp_path: Path
) -> None:
    """The file the page makes, with a body, is one `bulletin check` passes (what the forge's PR will be judged by)."""
    config = load_config(desk)
    forge = config.forge
    assert forge is not None
    page = browser.page
    page.clock.set_fixed_time(NOW)
    page.goto(f"{server}/submit/", wait_until="networkidle")
    answers = dict(CASES[0].values[0])  # type: ignore[call-overload]
    body = "11月18日8时30分许，修水县何市镇一处山体发生滑坡，2名村民被困。县委、县政府主要领导已赶赴现场，组织消防、应急等力量全力救援。"
    url = fill_submit(page, {**answers, "body": body, "informant": "匡小平", "approver": "陈志华"})
    path, value = decode(url, forge)
    assert value.endswith(f"---\n\n{body}\n")
    if os.environ.get("BULLETIN_SCREENSHOTS") == "1":  # for the unit guide
        page.locator("details summary").click()
        page.set_viewport_size({"width": 1280, "height": 2100})  # the whole form, without the sticky header repeated
        page.screenshot(path=str(REPO / "docs" / "images" / "submit-page.png"))
    check = build_desk(tmp_path / "check", forge=None)
    (check / path).parent.mkdir(parents=True, exist_ok=True)
    (check / path).write_text(value, encoding="utf-8")
    done = subprocess.run(
        [str(BULLETIN), "check", path, "--received-at", "2026-11-18 09:50"], cwd=check, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_page_refuses_an_emergency_item_not_sent_to_the_city_committee(browser: Browser, server: str) -> None:
    page = browser.page
    page.goto(f"{server}/submit/", wait_until="networkidle")
    page.select_option('#bulletin-submit [name="kind"]', "突发性")
    page.fill('#bulletin-submit [name="title"]', "某地发生火灾")
    page.fill('#bulletin-submit [name="occurred_at"]', "2026-11-18T08:30")
    page.locator('#bulletin-submit input[name="recipients"][value="市委"]').set_checked(False)
    page.click("#bulletin-submit button[type=submit]")
    problem = page.locator(".bulletin-submit-problem")
    problem.wait_for(state="visible")
    assert "必须报市委" in problem.inner_text()
    assert not page.locator(".bulletin-submit-link").is_visible()


def test_the_page_offers_no_top_secret_and_only_the_configured_values(browser: Browser, server: str) -> None:
    page = browser.page
    page.goto(f"{server}/submit/", wait_until="networkidle")
    values = page.eval_on_selector_all('#bulletin-submit [name="classification"] option', "os => os.map(o => o.value)")
    assert values == ["公开", "内部", "秘密", "机密"]
    topics = page.eval_on_selector_all('#bulletin-submit input[name="topics"]', "bs => bs.map(b => b.value)")
    assert topics == list(load_config(REPO).topics)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("gitea", "https://git.x/o/r/_new/main/submissions/xiushui/2026?filename=1118-01.md&value=%E6%A0%87%20a%3Ab"),
        ("forgejo", "https://git.x/o/r/_new/main/submissions/xiushui/2026?filename=1118-01.md&value=%E6%A0%87%20a%3Ab"),
        (
            "github",
            "https://git.x/o/r/new/main?filename=submissions%2Fxiushui%2F2026%2F1118-01.md&value=%E6%A0%87%20a%3Ab",
        ),
    ],
)
def test_new_file_urls_per_forge(kind: str, expected: str) -> None:
    forge = Forge(kind=kind, url="https://git.x", repo="o/r", branch="main")
    assert forge.new_file_url("submissions/xiushui/2026/1118-01.md", "标 a:b") == expected


# ---------------------------------------------------------------- the Decap CMS form at /admin/

DECAP_SERVER = REPO / "node_modules" / "decap-server" / "dist" / "index.js"
EMERGENCY_BODY = (
    "11月18日8时30分许，修水县何市镇一处山体发生滑坡，2名村民被困。县委、县政府主要领导已赶赴现场组织救援。"
)


def test_the_built_site_carries_the_form_and_its_config(site: Path, desk: Path) -> None:
    """`make site` (mkdocs build) puts Decap's own bundle and the generated config into admin/: no CDN."""
    from bulletin.publish.cms import cms_yaml

    config = load_config(desk)
    admin = site / "admin"
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    assert list(admin.glob("*.decap-cms.js"))  # the chunks it loads on demand
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<script src="decap-cms.js"></script>' in page and "http" not in page
    assert (admin / "config.yml").read_text(encoding="utf-8") == cms_yaml(config, config.forge)
    cms = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert cms["locale"] == "zh_Hans" and cms["publish_mode"] == "editorial_workflow"
    assert cms["backend"]["name"] == "forgejo" and cms["backend"]["api_root"] == "https://git.jiujiang.internal/api/v1"
    assert [c["name"] for c in cms["collections"]] == [u.id for u in config.units]
    xiushui = next(c for c in cms["collections"] if c["name"] == "xiushui")
    assert xiushui["folder"] == "submissions/xiushui"
    by_name = {f["name"]: f for f in xiushui["fields"]}
    assert by_name["密级"]["options"] == ["公开", "内部", "秘密", "机密"]  # 绝密 cannot be chosen
    assert by_name["报送对象"]["options"] == list(config.recipients) and by_name["报送对象"]["multiple"]
    assert by_name["主题"]["options"] == list(config.topics)
    assert by_name["发生时间"]["widget"] == "datetime" and by_name["发生时间"]["format"] == "YYYY-MM-DD HH:mm"
    assert by_name["报送单位"] == {**by_name["报送单位"], "widget": "hidden", "default": "xiushui"}
    assert by_name["标题"]["label"] == "标题" and "40字" in by_name["标题"]["hint"]


@pytest.mark.parametrize(
    ("kind", "backend"),
    [("gitea", "forgejo"), ("forgejo", "forgejo"), ("github", "github")],
)
def test_one_forge_section_makes_each_backend(tmp_path: Path, kind: str, backend: str) -> None:
    from bulletin.publish.cms import cms_config

    desk = tmp_path
    shutil.copyfile(REPO / "network.yml", desk / "network.yml")
    base = (REPO / "bulletin.yml").read_text(encoding="utf-8").split("\nforge:")[0]
    url = "https://github.com" if kind == "github" else "https://git.x"
    proxy = "  auth_url: https://oauth.x\n" if kind == "github" else ""  # GitHub logs in through an OAuth proxy
    (desk / "bulletin.yml").write_text(
        base + f"\nforge:\n  kind: {kind}\n  url: {url}\n  repo: o/r\n  app_id: abc-123\n{proxy}", encoding="utf-8"
    )
    config = load_config(desk)
    made = cms_config(config, config.forge)
    assert made["backend"]["name"] == backend and made["backend"]["repo"] == "o/r"
    assert made["backend"]["app_id"] == "abc-123"
    assert made["publish_mode"] == "editorial_workflow"
    if backend == "forgejo":
        assert made["backend"]["api_root"] == "https://git.x/api/v1"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DecapServer:
    """decap-server (npm) in git mode over a temporary desk repository, on a free local port."""

    def __init__(self, repo: Path) -> None:
        import time

        node = shutil.which("node")
        if node is None or not DECAP_SERVER.is_file():
            pytest.fail("没有找到node或decap-server：请运行make test（会用npm安装package.json中的依赖）")
        self.port = _free_port()
        self.log = repo.parent / "decap-server.log"
        env = {**os.environ, "PORT": str(self.port), "MODE": "git", "GIT_REPO_DIRECTORY": str(repo)}
        self.proc = subprocess.Popen(
            [node, str(DECAP_SERVER)], cwd=repo, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        for _ in range(300):
            if "listening" in self.log.read_text(encoding="utf-8"):
                break
            if self.proc.poll() is not None:
                pytest.fail(self.log.read_text(encoding="utf-8"))
            time.sleep(0.1)
        self.url = f"http://127.0.0.1:{self.port}/api/v1"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class _AdminHandler(_Quiet):
    csp = ""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()


@pytest.fixture
def decap(tmp_path: Path, site: Path, desk: Path) -> Iterator[tuple[str, Path]]:
    """The form served as the site serves it (its CSP), over decap-server on a temporary desk repository."""
    from bulletin.publish.cms import ADMIN, admin_csp, cms_yaml
    from desk_helpers import git, init_repo

    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("bulletin.yml", "network.yml"):
        shutil.copyfile(desk / name, repo / name)
    shutil.copytree(desk / "calls", repo / "calls")
    init_repo(repo)
    git(repo, "config", "user.name", "decap-server")  # who decap-server commits as (its git mode has no login)
    git(repo, "config", "user.email", "decap@example.org")
    server = DecapServer(repo)
    www = tmp_path / "www"
    shutil.copytree(site / ADMIN, www / ADMIN)
    config = load_config(repo)
    (www / ADMIN / "config.yml").write_text(cms_yaml(config, config.forge, server.url), encoding="utf-8")
    handler = type("Handler", (_AdminHandler,), {"csp": admin_csp(config.forge, f"http://127.0.0.1:{server.port}")})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(www)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/{ADMIN}/", repo
    finally:
        httpd.shutdown()
        httpd.server_close()
        server.stop()


def _new_entry(page: object, admin: str, unit: str) -> None:
    p: object = page
    p.goto(admin)  # type: ignore[attr-defined]
    p.get_by_role("button", name="登录").click()  # type: ignore[attr-defined]  # the local proxy: no password
    p.locator("text=修水县").first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    p.goto(f"{admin}#/collections/{unit}/new")  # type: ignore[attr-defined]
    p.locator("[id^='标题-field']").wait_for(timeout=30_000)  # type: ignore[attr-defined]


def _pick(page: object, label: str, value: str) -> None:
    box = page.locator(f"[id^='{label}-field']")  # type: ignore[attr-defined]
    box.click()
    box.fill(value)
    box.press("Enter")


def _branches(repo: Path) -> list[str]:
    from desk_helpers import git

    return [b.strip("* ").strip() for b in git(repo, "branch", "--list", "cms/*").splitlines() if b.strip()]


def test_a_clerk_creates_an_emergency_item_in_the_form_and_it_passes_the_check(
    browser: Browser, decap: tuple[str, Path], tmp_path: Path
) -> None:
    admin, repo = decap
    context = browser.browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    context.route("**/*", browser._guard)
    page = context.new_page()
    page.clock.set_fixed_time(NOW)
    _new_entry(page, admin, "xiushui")
    page.fill("[id^='标题-field']", "修水县何市镇发生山体滑坡2人被困")
    _pick(page, "类别", "突发性")
    _pick(page, "紧急程度", "特急")
    page.fill("[id^='发生时间-field']", "2026-11-18T08:30")
    page.locator("[data-slate-editor]").click()
    page.keyboard.type(EMERGENCY_BODY)
    if os.environ.get("BULLETIN_SCREENSHOTS") == "1":
        page.screenshot(path=str(REPO / "docs" / "images" / "form-new-item.png"))
    page.get_by_role("button", name="保存").first.click()
    page.get_by_text("修改已保存").wait_for(timeout=30_000)

    # editorial workflow: the save is a branch (a pull request on the forge), not a commit to main
    utc = NOW.astimezone(dt.UTC)
    name = f"{utc:%m%d-%H%M}"
    assert _branches(repo) == [f"cms/xiushui/{utc:%Y}/{name}"]
    path = f"submissions/xiushui/{utc:%Y}/{name}.md"
    from desk_helpers import git

    assert path not in git(repo, "ls-tree", "-r", "--name-only", "main")
    text = git(repo, "show", f"cms/xiushui/{utc:%Y}/{name}:{path}")
    assert "报送单位: xiushui" in text and "发生时间: 2026-11-18 08:30" in text and EMERGENCY_BODY in text
    work = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "-b", f"cms/xiushui/{utc:%Y}/{name}", str(repo), str(work))
    done = subprocess.run(
        [str(BULLETIN), "check", path, "--received-at", "2026-11-18 09:50"], cwd=work, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    if os.environ.get("BULLETIN_SCREENSHOTS") == "1":
        page.goto("about:blank")
        page.goto(f"{admin}#/workflow")
        page.get_by_text("修水县何市镇发生山体滑坡2人被困").first.wait_for(timeout=30_000)
        page.screenshot(path=str(REPO / "docs" / "images" / "form-workflow.png"))
    context.close()
    assert browser.outside == []


def test_the_form_stops_a_title_ending_with_a_full_stop(browser: Browser, decap: tuple[str, Path]) -> None:
    admin, repo = decap
    page = browser.page
    _new_entry(page, admin, "xiushui")
    page.fill("[id^='标题-field']", "修水县召开安全生产会议。")
    page.get_by_role("button", name="保存").first.click()
    page.get_by_text("末尾不加句号").last.wait_for(timeout=10_000)
    assert _branches(repo) == []
    assert browser.outside == []


@pytest.mark.parametrize(
    ("ref", "owner"),
    [
        ("refs/heads/cms/xiushui/2026/1118-0141", "xiushui"),  # the form's branch of an item of 修水县
        ("refs/heads/cms/xiushui", None),
        ("refs/heads/cms/", None),
        ("refs/heads/xiushui/1118-01", "xiushui"),
    ],
)
def test_the_forms_branches_belong_to_the_unit_of_the_collection(ref: str, owner: str | None) -> None:
    """Decap names its editorial-workflow branches cms/<collection>/<slug>; the server hook lets a unit push
    only its own branches, so cms/<unit>/… is that unit's (otherwise every save from the form is refused)."""
    from bulletin.access import hook

    assert hook.branch_owner(ref) == owner


def test_what_the_form_cannot_express_is_stopped_by_the_check(
    browser: Browser, decap: tuple[str, Path], tmp_path: Path
) -> None:
    """Decap cannot require 发生时间 for an emergency item (no conditional fields): the form saves it, and
    `bulletin check` on its branch refuses it, saying what to add."""
    from desk_helpers import git

    admin, repo = decap
    page = browser.page
    _new_entry(page, admin, "xiushui")
    page.fill("[id^='标题-field']", "修水县何市镇发生山体滑坡2人被困")
    _pick(page, "类别", "突发性")
    page.locator("[data-slate-editor]").click()
    page.keyboard.type(EMERGENCY_BODY)
    page.get_by_role("button", name="保存").first.click()
    page.get_by_text("修改已保存").wait_for(timeout=30_000)
    [branch] = _branches(repo)
    work = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "-b", branch, str(repo), str(work))
    [path] = [p for p in git(work, "ls-files", "submissions").splitlines() if p.endswith(".md")]
    done = subprocess.run([str(BULLETIN), "check", path], cwd=work, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "occurred-at" in done.stdout and "必须写发生时间" in done.stdout
