"""Shared helpers for end-to-end tests: a real temporary desk in a real git repository."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BULLETIN = Path(sys.executable).with_name("bulletin")


def make_desk(target: Path, with_submissions: bool = True) -> Path:
    """Copy the demo desk's configuration (and its submissions) into `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("bulletin.yml", "network.yml"):
        shutil.copy(REPO / name, target / name)
    if with_submissions:
        shutil.copytree(REPO / "submissions", target / "submissions")
    return target


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full_env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "测试",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "测试",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        **(env or {}),
    }
    done = subprocess.run(["git", *args], cwd=cwd, env=full_env, check=True, capture_output=True, text=True)
    return done.stdout


def init_repo(desk: Path) -> Path:
    git(desk, "init", "-q", "-b", "main")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "Demo desk")
    return desk


def run_cli(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BULLETIN_DEBUG"}
    return subprocess.run(
        [str(BULLETIN), *args], cwd=cwd, input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


ITEM = """---
标题: 修水县“三个一批”推动重点项目提速增效
报送单位: xiushui
信息员: 匡小平
签发人: 冷德胜
类别: 普遍性
紧急程度: 平件
密级: 内部
报送对象: [市委, 市政府]
主题: [项目建设]
---

今年以来，修水县坚持“签约一批、开工一批、投产一批”，推动重点项目建设提速增效。一是强化调度，县领导挂点联系重点项目，每月召开一次项目推进会，现场解决用地、用工等难题。二是优化服务，推行“拿地即开工”审批模式，项目审批时间平均压缩40%以上。三是压实责任，把项目进度纳入乡镇和部门年度考核。1至10月，全县新签约项目36个，新开工项目28个，投产项目19个，完成投资同比增长12.6%。
"""


def emergency(occurred: str) -> str:
    return f"""---
标题: 柴桑区一企业仓库发生火灾 无人员伤亡
报送单位: chaisang
信息员: 胡凯
签发人: 万国华
类别: 突发性
紧急程度: 特急
密级: 内部
发生时间: {occurred}
报送对象: [市委, 市政府]
主题: [安全生产]
---

11月28日8时30分许，柴桑区沙城工业园一家纺织企业仓库发生火灾，过火面积约200平方米，无人员伤亡。事发后，区消防救援大队迅速出动，9时10分明火被扑灭。区委、区政府主要领导第一时间赶赴现场指挥处置，组织开展火灾原因调查和安全隐患排查。目前，企业生产秩序正常，相关情况将续报。
"""


def pagefind_records(site: Path) -> list[dict[str, Any]]:
    """Every record of a built site's search index (Pagefind: site/pagefind/fragment/, gzipped JSON after a
    signature), its content and meta as written (the index holds them cut: publish/search.py's uncut),
    the words as indexed in "words"; "url" is the address a result links to (its meta url, from the site's
    root: /publications/…#_1)."""
    import gzip
    import json

    from bulletin.publish.search import uncut

    records = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{") :])
        record["words"] = record["content"]
        record["content"] = uncut(record["content"])
        record["meta"] = {k: v if k == "url" else uncut(v) for k, v in record["meta"].items()}
        record["url"] = "/" + record["meta"]["url"]
        records.append(record)
    return records


@contextlib.contextmanager
def served_folder(folder: Path, csp: str | None = None) -> Iterator[str]:
    """A built site served from 127.0.0.1 (its address, no trailing slash), quietly; with `csp`, every
    response carries that Content-Security-Policy, as the nginx configuration sends it."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            if csp is not None:
                self.send_header("Content-Security-Policy", csp)
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# headless Chromium as the browser tests start it: nothing it does on its own reaches the network
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """The chromium `make test` installs; without it a browser test fails, saying how to get it."""
    import pytest

    path = shutil.which("chromium")
    if path is None:
        pytest.fail("没有找到chromium：请运行make test（Makefile会安装chromium等测试所需的系统软件）")
    return path


@contextlib.contextmanager
def launched_chromium(*more_flags: str) -> Iterator[Any]:
    """A headless Chromium through Playwright, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=[*CHROMIUM_FLAGS, *more_flags])
        try:
            yield browser
        finally:
            browser.close()
