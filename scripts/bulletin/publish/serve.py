"""`bulletin nginx`: the web server's side of audiences, an nginx server block made from bulletin.yml.

A static site cannot keep a reader out by itself: each audience's site (site/<id>/, from
`bulletin build --every-audience`, or mike's --deploy-prefix) is served behind the web
server's own access control, one password file (or SSO group) per audience. The block also
refuses anything that is not a file of the site, lists no folders, and tells browsers to load
nothing from outside the server (Content-Security-Policy), as the closed network requires.
"""

from __future__ import annotations

import re

from bulletin.core.model import Config
from bulletin.errors import UsageError

_SAFE = re.compile(r"^[A-Za-z0-9_./:-]+$")  # paths and names written into the configuration
# scripts only from the site's own files: the theme's inline scripts are files (publish/templates/theme/),
# so a tag that slipped into a page could not run; inline styles stay (the theme sets a few), nothing external;
# 'wasm-unsafe-eval' lets the search (Pagefind) compile its own WebAssembly file, and allows no eval of scripts
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; "
    "base-uri 'self'; form-action 'self'"
)


def _checked(value: str, what: str) -> str:
    if not _SAFE.match(value):
        raise UsageError(f"{what}“{value}”只能含字母、数字和“_ . / : -”（会写进nginx配置，不能有空格、分号、引号）")
    return value


def nginx_config(
    config: Config,
    root: str = "/srv/bulletin/site",
    auth_dir: str = "/etc/nginx/bulletin",
    listen: str = "443 ssl",
    server_name: str = "bulletin.internal",
) -> str:
    """An nginx `server` block serving every audience's site behind its own password file."""
    if not config.audiences:
        raise UsageError("bulletin.yml中没有配置读者范围（audiences）：每个范围一个站点，才能分别设访问控制")
    root, auth_dir, server_name = (
        _checked(root, "站点目录"),
        _checked(auth_dir, "口令文件目录"),
        _checked(server_name, "服务器名"),
    )
    if not re.match(r"^[0-9.:\[\]]*[0-9]+( ssl)?$", listen):
        raise UsageError(f"监听地址“{listen}”应为端口或“地址:端口”，可加ssl，如“443 ssl”、127.0.0.1:8080")
    lines = [
        f"# 由“bulletin nginx”根据{config.desk}的bulletin.yml生成：每个读者范围一个站点，各用自己的口令文件。",
        "# 口令文件用“htpasswd -B”创建（apache2-utils），每个范围一个：",
        *[f"#   {auth_dir}/{a.id}.htpasswd  {a.name}（最高密级：{a.max_classification}）" for a in config.audiences],
        "# 同一读者可以列在多个口令文件中。已接入统一身份认证的，可把auth_basic换成auth_request。",
        "server {",
        f"    listen {listen};",
        f"    server_name {server_name};",
        f"    root {root};",
        "    index index.html;",
        "    autoindex off;",
        "    charset utf-8;",
        "    server_tokens off;",
    ]
    if listen.endswith("ssl"):
        lines += [
            "    # 证书由内网的证书机构签发",
            "    ssl_certificate     /etc/nginx/bulletin/server.crt;",
            "    ssl_certificate_key /etc/nginx/bulletin/server.key;",
        ]
    lines += [
        f'    add_header Content-Security-Policy "{CSP}" always;',
        '    add_header X-Content-Type-Options "nosniff" always;',
        '    add_header Referrer-Policy "no-referrer" always;',
        '    add_header Cache-Control "no-store" always;  # 涉密内容不留在浏览器和代理的缓存中',
        "",
        "    # 以点开头的文件和目录（构建中的临时目录、.git等）一概不提供",
        "    location ~ /\\. {",
        "        deny all;",
        "    }",
        "",
        "    # 首页只列出各读者范围的入口，不含任何信息内容",
        "    location = / {",
        "        try_files /index.html =404;",
        "    }",
        "    location = /index.html {",
        "    }",
    ]
    from bulletin.publish.cms import ADMIN, admin_csp

    admin = admin_csp(config.forge)
    for audience in config.audiences:
        lines += [
            "",
            f"    # {audience.name}：{'、'.join(audience.publications)}，最高密级{audience.max_classification}",
            f"    location /{audience.id}/ {{",
            f'        auth_basic "{audience.id}";',
            f"        auth_basic_user_file {auth_dir}/{audience.id}.htpasswd;",
            "        try_files $uri $uri/ =404;",
            "        # 信息报送表单（Decap CMS）：它编译配置要用eval，并从浏览器直接调用代码托管平台的接口；",
            "        # 本站的表单和按年卷发布时各年卷中的表单（/范围/年份/admin/）",
            f"        location ~ ^/{audience.id}/(?:[^/]+/)?{ADMIN}/ {{",
            f'            add_header Content-Security-Policy "{admin}" always;',
            '            add_header X-Content-Type-Options "nosniff" always;',
            '            add_header Referrer-Policy "no-referrer" always;',
            '            add_header Cache-Control "no-store" always;',
            "            try_files $uri $uri/ =404;",
            "        }",
            "    }",
        ]
    lines += [
        "",
        "    # 其余一概拒绝（不在任何读者范围下的路径）",
        "    location / {",
        "        return 404;",
        "    }",
        "}",
    ]
    return "\n".join(lines) + "\n"
