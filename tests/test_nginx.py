"""The nginx configuration `bulletin nginx` writes, run by a real nginx on loopback.

Every audience's site is built (`bulletin build --every-audience`), served by nginx with the
generated server block, and asked for as readers of different audiences: each gets its own
site and nothing of another's, and nothing is served without a password.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from desk_helpers import REPO, make_desk, run_cli

NGINX = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx 未安装（make test 会安装）")
READERS = {"leaders": ("shuji", "口令甲1"), "counties": ("xunyang-ban", "口令乙2")}


def ssha(password: str) -> str:
    """An RFC 2307 {SSHA} hash, which nginx reads (no htpasswd tool needed)."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode("utf-8") + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode("ascii")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("nginx")
    desk = make_desk(base / "desk")
    shutil.copy(REPO / "mkdocs.yml", desk / "mkdocs.yml")
    for name in ("docs", "issues"):
        shutil.copytree(REPO / name, desk / name)
    done = run_cli("build", "--every-audience", cwd=desk)
    assert done.returncode == 0, done.stderr[-3000:]
    # a year volume as mike deploys it beside the site (/counties/2026/), with its copy of the form
    shutil.copytree(desk / "site/counties/admin", desk / "site/counties/2026/admin")
    shutil.copy(desk / "site/counties/index.html", desk / "site/counties/2026/index.html")
    auth = base / "auth"
    auth.mkdir()
    for audience in ("leaders", "office", "counties", "departments"):
        user, password = READERS.get(audience, ("nobody", "x"))
        (auth / f"{audience}.htpasswd").write_text(f"{user}:{ssha(password)}\n", encoding="utf-8")
    port = free_port()
    block = run_cli(
        "nginx", "--root", str(desk / "site"), "--auth-dir", str(auth), "--listen", f"127.0.0.1:{port}", cwd=desk
    )
    assert block.returncode == 0, block.stderr
    assert "auth_basic_user_file" in block.stdout
    logs = base / "logs"
    logs.mkdir()
    conf = base / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's private temp folder
    conf.write_text(
        f"{user}worker_processes 1;\npid {base}/nginx.pid;\nerror_log {logs}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\n  access_log off;\n  types {{ text/html html; application/pdf pdf; application/json json; }}\n"
        f"  client_body_temp_path {base}/tmp;\n  proxy_temp_path {base}/tmp;\n  fastcgi_temp_path {base}/tmp;\n"
        f"  uwsgi_temp_path {base}/tmp;\n  scgi_temp_path {base}/tmp;\n{block.stdout}}}\n",
        encoding="utf-8",
    )
    assert NGINX is not None
    proc = subprocess.Popen([NGINX, "-p", str(base), "-c", str(conf), "-g", "daemon off;"], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
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


def get(url: str, reader: str | None = None) -> tuple[int, str, dict[str, str]]:
    request = urllib.request.Request(url)
    if reader is not None:
        user, password = READERS[reader]
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, "", dict(exc.headers)


def test_nothing_of_an_audience_is_served_without_its_password(server: str) -> None:
    for path in ("/leaders/", "/leaders/pdf/neican/2026/002.pdf", "/counties/", "/office/pagefind/pagefind-entry.json"):
        status, _, _ = get(server + path)
        assert status == 401, path


def test_each_reader_gets_their_own_site_and_not_anothers(server: str) -> None:
    status, body, headers = get(server + "/leaders/publications/neican/2026/002/", "leaders")
    assert status == 200 and "九江信息（内参）" in body
    assert "default-src 'self'" in headers.get("Content-Security-Policy", "")
    assert get(server + "/leaders/pdf/neican/2026/002.pdf", "leaders")[0] == 200
    status, body, _ = get(server + "/counties/", "counties")
    assert status == 200 and "县区办公室" in body
    # a county reader's password does not open the leaders' site, whatever the path
    for path in ("/leaders/", "/leaders/publications/neican/2026/002/", "/leaders/pdf/neican/2026/002.pdf"):
        assert get(server + path, "counties")[0] == 401, path
    # and the county site simply has no 内参
    assert get(server + "/counties/publications/neican/2026/002/", "counties")[0] == 404


def test_only_the_index_of_audiences_is_public_and_nothing_else(server: str) -> None:
    status, body, _ = get(server + "/")
    assert status == 200 and "请进入本人所在的读者范围" in body
    assert "酝酿赴省" not in body and "pdf" not in body  # names of audiences, no content
    for path in ("/.site.lock", "/leaders/../office/", "/site/", "/pdf/neican/2026/002.pdf", "/mkdocs.yml"):
        assert get(server + path)[0] in (400, 401, 403, 404), path


def test_the_form_of_the_site_and_of_a_year_volume_gets_the_forms_policy(server: str) -> None:
    """The form (Decap CMS) needs eval and the forge's API: its own Content-Security-Policy, for admin/
    of the site and of every year volume (/counties/2026/admin/, as mike deploys it); every other page
    keeps the strict one, and the form still asks for the audience's password."""
    from bulletin.publish.serve import CSP

    for path in ("/counties/admin/", "/counties/2026/admin/"):
        status, body, headers = get(server + path, "counties")
        assert status == 200 and "decap-cms" in body, path
        assert "'unsafe-eval'" in headers.get("Content-Security-Policy", ""), path
        assert get(server + path)[0] == 401, path
    for path in ("/counties/", "/counties/2026/"):
        status, _, headers = get(server + path, "counties")
        assert status == 200 and headers.get("Content-Security-Policy") == CSP, path
