"""Deployment that cannot be wiped by accident (issue 15, finding 2), and a quiet console (finding 5).

The layout the web server serves is one folder per audience (site/<id>/) with site/index.html
listing them. `make site`, the README's editor commands (`bulletin build`, `bulletin build
--audience …`) all keep that layout: the site is served by a real nginx with the configuration
`bulletin nginx` writes, and every audience's home page is fetched with that audience's password.
"""

from __future__ import annotations

import base64
import os
import re
import shlex
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from desk_helpers import REPO, make_desk, run_cli
from test_nginx import NGINX, free_port, ssha

AUDIENCES = ("leaders", "office", "counties", "departments")
NAMES = {"leaders": "市领导", "office": "市委办公室", "counties": "县区办公室", "departments": "市直部门"}
PASSWORD = "口令丙3"


def readme_editor_builds() -> list[list[str]]:
    """The `bulletin build` commands of the README's editor section, as an editor types them."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### 编辑（信息处）", 1)[1].split("\n### ", 1)[0]
    commands = [
        shlex.split(line.split("#", 1)[0]) for line in section.splitlines() if line.startswith("bulletin build")
    ]
    assert commands, "README的编辑一节中没有bulletin build命令"
    return [c[1:] for c in commands]


def make_site_command() -> list[str]:
    """What `make site` runs (the Makefile's site target), less the program's path."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    line = re.search(r"^site:.*\n\t\$\(BIN\)/bulletin (.+)$", makefile, re.M)
    assert line is not None
    return shlex.split(line[1])


def site_desk(target: Path) -> Path:
    desk = make_desk(target)
    shutil.copy(REPO / "mkdocs.yml", desk / "mkdocs.yml")
    for name in ("docs", "issues"):
        # docs/images/ goes along: the guides show screenshots
        shutil.copytree(REPO / name, desk / name, ignore=None if name == "docs" else shutil.ignore_patterns("images"))
    return desk


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A desk deployed with `make site`."""
    desk = site_desk(tmp_path_factory.mktemp("deploy") / "desk")
    done = run_cli(*make_site_command(), cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    return desk


@pytest.fixture(scope="module")
def server(deployed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if NGINX is None:
        pytest.skip("nginx 未安装（make test 会安装）")
    base = tmp_path_factory.mktemp("nginx-deploy")
    auth = base / "auth"
    auth.mkdir()
    for audience in AUDIENCES:
        (auth / f"{audience}.htpasswd").write_text(f"{audience}:{ssha(PASSWORD)}\n", encoding="utf-8")
    port = free_port()
    block = run_cli(
        "nginx",
        "--root",
        str(deployed / "site"),
        "--auth-dir",
        str(auth),
        "--listen",
        f"127.0.0.1:{port}",
        cwd=deployed,
    )
    assert block.returncode == 0, block.stderr
    (base / "logs").mkdir()
    conf = base / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"  {k}_temp_path {base}/tmp;" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf.write_text(
        f"{user}worker_processes 1;\npid {base}/nginx.pid;\nerror_log {base}/logs/error.log;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n  access_log off;\n  types {{ text/html html; }}\n"
        f"{temp}\n{block.stdout}}}\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen([NGINX, "-p", str(base), "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/", timeout=0.5).close()
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            if proc.poll() is not None:
                raise AssertionError((proc.stderr.read() if proc.stderr else b"").decode()) from None
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def get(url: str, audience: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url)
    if audience is not None:
        token = base64.b64encode(f"{audience}:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def every_home_page(server: str, after: str) -> None:
    status, body = get(server + "/")
    assert status == 200 and "请进入本人所在的读者范围" in body, (after, body[:300])
    assert "本站读者范围" not in body, after  # the index of audiences, no audience's site without a password
    for audience in AUDIENCES:
        assert get(server + f"/{audience}/")[0] == 401, (after, audience)
        status, body = get(server + f"/{audience}/", audience)
        assert status == 200, (after, audience)
        assert f"本站读者范围：{NAMES[audience]}" in body, (after, audience)
        assert get(server + f"/{audience}/publications/", audience)[0] == 200, (after, audience)


def test_every_audiences_home_page_is_served_after_each_of_the_editors_builds(server: str, deployed: Path) -> None:
    every_home_page(server, "make site")
    for args in readme_editor_builds():
        done = run_cli(*args, cwd=deployed)
        assert done.returncode == 0, done.stderr[-3000:]
        every_home_page(server, "bulletin " + " ".join(args))
        site = deployed / "site"
        assert sorted(p.name for p in site.iterdir() if not p.name.startswith(".")) == sorted(
            [*AUDIENCES, "index.html"]
        )


def test_one_audience_is_rebuilt_in_its_folder_and_the_others_stay(tmp_path: Path, deployed: Path) -> None:
    desk = tmp_path / "desk"
    shutil.copytree(deployed, desk, symlinks=True)
    leaders = (desk / "site/leaders/index.html").stat().st_mtime_ns
    done = run_cli("build", "--audience", "县区办公室", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (desk / "site/leaders/index.html").stat().st_mtime_ns == leaders
    assert "本站读者范围：县区办公室" in (desk / "site/counties/index.html").read_text(encoding="utf-8")
    assert "请进入本人所在的读者范围" in (desk / "site/index.html").read_text(encoding="utf-8")
    # the full site, only when asked, is never served: a folder the nginx configuration has no place for
    done = run_cli("build", "--audience", "all", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (desk / "site-all/publications/neican/2026/002/index.html").is_file()
    assert not (desk / "site/all").exists()  # outside the deployed folder: a copy of site/ never takes it along
    block = run_cli("nginx", cwd=desk).stdout
    assert "location /all/" not in block and "return 404;" in block


def test_a_single_site_never_replaces_the_site_of_audiences(tmp_path: Path, deployed: Path) -> None:
    desk = tmp_path / "desk"
    shutil.copytree(deployed, desk, symlinks=True)
    before = sorted(p.name for p in (desk / "site").iterdir())
    config = yaml.safe_load((desk / "bulletin.yml").read_text(encoding="utf-8"))
    del config["audiences"]  # a desk without audiences has one site, written to site/ itself
    (desk / "bulletin.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    done = run_cli("build", cwd=desk)
    assert done.returncode == 1
    assert "按读者范围构建的站点" in done.stderr and "不能用一个站点整体替换" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in (desk / "site").iterdir()) == before


def test_an_old_single_site_is_not_mixed_with_an_audiences_folder(tmp_path: Path) -> None:
    desk = site_desk(tmp_path / "desk")
    old = desk / "site"
    old.mkdir()
    (old / "index.html").write_text("<p>旧站点</p>", encoding="utf-8")
    (old / "404.html").write_text("<p>旧站点</p>", encoding="utf-8")
    done = run_cli("build", "--audience", "counties", cwd=desk)
    assert done.returncode == 1
    assert "旧版“bulletin build”构建的单一站点" in done.stderr and "不加--audience" in done.stderr
    assert (old / "index.html").read_text(encoding="utf-8") == "<p>旧站点</p>" and not (old / "counties").exists()


# ---------------------------------------------------------------- the console (finding 5)

_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_the_console_of_a_build_is_chinese_and_the_libraries_lines_go_to_the_log(tmp_path: Path) -> None:
    desk = site_desk(tmp_path / "desk")
    done = run_cli("build", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    console = done.stdout + done.stderr
    english = [line for line in console.splitlines() if not _CHINESE.search(line)]
    assert english == [], english
    lines = console.splitlines()
    assert len(lines) == len(set(lines)), lines  # nothing printed twice
    for n, audience in enumerate(AUDIENCES, start=1):
        assert f"（{n}/4）{NAMES[audience]}的站点已构建" in console
    assert "检索索引" in console and "PDF：重排" in console
    log = (desk / "build/logs/build.log").read_text(encoding="utf-8")
    assert "Documentation built in" in log and "Building documentation to directory" in log
    assert "构建日志：build/logs/build.log" in done.stdout


# ---------------------------------------------------------------- the footer's line (finding 4)


def test_the_footer_line_comes_from_bulletin_yml_and_defaults_to_the_desk(tmp_path: Path) -> None:
    from bulletin.desk.config import load_config
    from bulletin.errors import ConfigError

    desk = make_desk(tmp_path / "desk")
    assert load_config(REPO).site_footer == "九江市委办公室信息处编印，内部资料，请勿外传"
    config = yaml.safe_load((desk / "bulletin.yml").read_text(encoding="utf-8"))
    config.pop("site_footer", None)
    (desk / "bulletin.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    assert load_config(desk).site_footer == f"{config['desk']}编印"
    config["site_footer"] = "第一行\n第二行"
    (desk / "bulletin.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ConfigError, match="site_footer应为一行文字"):
        load_config(desk)


def test_jiebas_own_console_lines_go_to_the_log_only(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """jieba prints through a console handler of its own (and again through the root logger: twice)."""
    import logging

    import jieba

    from bulletin.cli.build import quiet_console

    log = tmp_path / "logs" / "build.log"
    try:
        with quiet_console(log):
            jieba.setLogLevel(logging.DEBUG)
            jieba.Tokenizer().initialize()  # a fresh dictionary: jieba says what it loads
    finally:
        jieba.setLogLevel(logging.WARNING)
    err = capfd.readouterr().err
    assert "Prefix dict" not in err and "Loading model" not in err, err
    assert "Prefix dict has been built" in log.read_text(encoding="utf-8")
