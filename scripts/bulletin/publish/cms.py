"""The browser's way in for clerks who do not use git: the 报送 page (submit.md, the no-CMS fallback)
and the Decap CMS form at /admin/, both made from bulletin.yml and network.yml.

The 报送 page: the plugin generates submit.md (template submit.html) and assets/bulletin/form.json,
what the page's script (assets/bulletin/submit.js) needs: the units with their default 信息员 and
签发人, the lists of values, the calls, the forge, and the skeleton of an item, `bulletin new`'s own
table (editorial/new.py's SKELETON, with the slots that depend on the configuration). The script only
fills the table's slots, so it writes the file `bulletin new` writes (tests/test_cms.py compares the two
in Chromium) and opens the forge's own new-file page pre-filled with it (Forge.new_file_url).

The form at /admin/: Decap CMS's bundle (node_modules/decap-cms, pinned in package.json) copied into
the site, and its config.yml generated here (`cms_config`): one collection per unit, every field
with its Chinese label and help, selects with the configured values, editorial workflow on.
What Decap cannot express is written in docs/guide/admin.md and left to `bulletin check`.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from bulletin.core import fields
from bulletin.core.model import Config, Forge
from bulletin.desk.layout import SUBMISSIONS
from bulletin.errors import BulletinError

SUBMIT_PAGE = "submit.md"
FORM_SPEC = "assets/bulletin/form.json"
ADMIN = "admin"  # the site's folder of the Decap CMS form
REPO_ROOT = Path(__file__).resolve().parents[3]
DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"
DECAP_FILES = ("decap-cms.js",)  # the entry; its chunks (<n>.decap-cms.js), WebAssembly and licence go along
DECAP_PATTERNS = ("decap-cms.js", "*.decap-cms.js", "*.wasm", "decap-cms.js.LICENSE.txt")


class CmsError(BulletinError):
    exit_code = 1


def form_spec(config: Config, forge: Forge | None) -> dict[str, Any]:
    """What the 报送 page's script needs to write an item as `bulletin new` does: the skeleton's table,
    its configuration's slots and the pattern of a slot (the script computes a draft's own slots)."""
    from bulletin.editorial.new import SKELETON, SLOT, YAML_SPECIALS, config_slots, load_calls

    return {
        "skeleton": [[list(form) for form in forms] for forms in SKELETON],
        "slots": config_slots(config),
        "slot": SLOT.pattern,
        "yamlSpecials": YAML_SPECIALS,
        "kinds": list(fields.KINDS),
        "urgencies": list(fields.URGENCIES),
        "classifications": list(fields.CLASSIFICATIONS),
        "classified": list(fields.CLASSIFIED),
        "emergencyKind": fields.EMERGENCY_KIND,
        "emergencyUrgency": fields.EMERGENCY_URGENCY,
        "recipients": list(config.recipients),
        "emergencyRecipient": config.emergency_recipient,
        "topics": list(config.topics),
        "titleMax": config.limits.title_max_chars,
        "timezone": str(config.timezone),
        "submissions": SUBMISSIONS,
        "units": [
            {
                "id": u.id,
                "name": u.name,
                "informant": u.informants[0].name if u.informants else None,
                "informants": [i.name for i in u.informants],
                "leader": u.leader,
            }
            for u in config.units
        ],
        "calls": [
            {"id": c.id, "topic": c.topic, "units": list(c.units), "deadline": c.deadline.isoformat()}
            for c in load_calls(config)
        ],
        "forge": forge.as_json() if forge else None,
    }


SUBMIT_MARKDOWN = """---
template: submit.html
title: 报送信息
---

# 报送信息

不用git也能报送：在下面填好各项，点“生成提交页面”，再点出现的链接，浏览器会打开报送台代码托管平台的新建文件页面，
信息已按报送规范写好。在那里把正文补全，选“为此提交创建一个新的分支并发起合并请求”，提交即可；检查结果会以评论出现在合并请求上。
用法见[报送单位指南](guide/unit.md)。已开通信息报送表单的，也可以[在表单中填写](../admin/)。
"""


def submit_files(config: Config) -> dict[str, str]:
    """The generated files of the 报送 page: site path -> content."""
    spec = form_spec(config, config.forge)
    return {SUBMIT_PAGE: SUBMIT_MARKDOWN, FORM_SPEC: json.dumps(spec, ensure_ascii=False, indent=1)}


# ---------------------------------------------------------------- Decap CMS


def _field(key: str, widget: str, **more: Any) -> dict[str, Any]:
    field = fields.BY_KEY[key]
    out: dict[str, Any] = {"label": key, "name": key, "widget": widget, "hint": field.help}
    if not field.required:
        out["required"] = False
    out.update(more)
    return out


def _select(
    key: str, options: list[str], default: str | list[str] | None = None, multiple: bool = False
) -> dict[str, Any]:
    more: dict[str, Any] = {"options": options}
    if multiple:
        more["multiple"] = True
    if default is not None:
        more["default"] = default
    return _field(key, "select", **more)


def _time(key: str) -> dict[str, Any]:
    # the value the desk reads (2026-11-28 08:30, Beijing time): the picker shows and writes that format
    return _field(key, "datetime", format="YYYY-MM-DD HH:mm", date_format="YYYY-MM-DD", time_format="HH:mm")


def collection_fields(config: Config) -> list[dict[str, Any]]:
    """The front matter as Decap fields, in the order of core/fields.py, with the configured values."""
    out: list[dict[str, Any]] = [
        _field(
            "标题",
            "string",
            pattern=[
                f"^(?=.{{1,{config.limits.title_max_chars}}}$).*[^。.]$",
                f"标题不超过{config.limits.title_max_chars}字，末尾不加句号",
            ],
        ),
        _field("报送单位", "hidden"),  # the collection's unit, set per collection
        _field("信息员", "string"),
        _field("签发人", "string"),
        _select("类别", list(fields.KINDS), "普遍性"),
        _select("紧急程度", list(fields.URGENCIES), "平件"),
        # 绝密 is not among the options: it cannot be chosen
        _select("密级", list(fields.CLASSIFICATIONS), "内部"),
        _field("保密期限", "string", pattern=["^(\\d+年|\\d+个月)?$", "写成“1年”“6个月”"]),
        _time("发生时间"),
        _select("事件等级", list(fields.GRADES)),
        _select("报送对象", list(config.recipients), multiple=True, default=list(config.recipients)),
    ]
    if config.topics:
        out.append(_select("主题", list(config.topics), multiple=True))
    out += [
        _field("事件", "string"),
        _field("约稿", "string"),
        _field("续报", "string"),
        _time("截止时间"),
        {
            "label": "正文",
            "name": "body",
            "widget": "markdown",
            "hint": "一事一报，开门见山写清时间、地点、事情、做法或影响",
        },
    ]
    return out


def cms_backend(forge: Forge) -> dict[str, Any]:
    """Decap's backend for the office's forge. Gitea and Forgejo both get Decap's `forgejo` backend
    (the same /api/v1): Decap's `gitea` backend refuses the editorial workflow (Decap 3.16), and
    without it a clerk's save would be a commit to the main branch instead of a pull request."""
    if forge.gitea_like:
        # Decap finds the OAuth pages (/login/oauth/…) at api_root less its /api/<version>
        # (decap-cms-backend-forgejo AuthenticationPage.js): the API must be the forge's own /api/v1
        login = re.sub(r"/api/[^/]+/?$", "", forge.api_base)
        if login != forge.url:
            raise CmsError(
                f"bulletin.yml的forge一节：api“{forge.api_base}”不是url下的/api/v1，表单（Decap）由api去掉末尾的"
                f"/api/v1得到登录地址，会把信息员带到“{login}”登录。请删去api一项（默认{forge.url}/api/v1），"
                "或把url改为平台的网址"
            )
        backend: dict[str, Any] = {
            "name": "forgejo",
            "repo": forge.repo,
            "branch": forge.branch,
            "api_root": forge.api_base,
        }
    else:
        backend = {"name": "github", "repo": forge.repo, "branch": forge.branch}
        if forge.url != "https://github.com":
            backend["api_root"] = forge.api_base
        if not forge.auth_url:
            # without it Decap logs in through Netlify's server (api.netlify.com), outside the office's network
            raise CmsError(
                "bulletin.yml的forge一节：GitHub上的表单须经OAuth代理登录，请写auth_url（代理的网址，"
                "如https://oauth.example.internal），设置方法见管理员指南“登录的设置”"
            )
        # the proxy's popup is trusted only when its messages come from base_url exactly (Decap's
        # netlify-auth.js compares it with the message's origin): the origin, and the path before /auth
        origin = _origin(forge.auth_url)
        backend["base_url"] = origin
        backend["auth_endpoint"] = "/".join(p for p in (forge.auth_url[len(origin) :].strip("/"), "auth") if p)
    if forge.app_id:  # the OAuth application's client id (PKCE, no secret): see docs/guide/admin.md
        backend["app_id"] = forge.app_id
    backend["commit_messages"] = {
        "create": "报送：{{collection}} {{slug}}",
        "update": "修改：{{collection}} {{slug}}",
        "openAuthoring": "{{message}}",
    }
    return backend


def cms_config(config: Config, forge: Forge | None, local_url: str | None = None) -> dict[str, Any]:
    """Decap CMS's config.yml: the backend of the office's forge, one collection per unit.
    `local_url`: Decap's local proxy (decap-server) instead, for tests and trying the form out."""
    if forge is None and local_url is None:
        raise CmsError("bulletin.yml中没有forge一节：表单须知道代码托管平台的类型、网址和仓库，写法见管理员指南")
    backend = cms_backend(forge) if forge is not None else {"name": "proxy", "proxy_url": local_url, "branch": "main"}
    out: dict[str, Any] = {
        "locale": "zh_Hans",
        "backend": backend,
        "publish_mode": "editorial_workflow",
        "media_folder": "docs/images/uploads",
        "site_url": "..",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "collections": [],
    }
    if local_url is not None:
        out["local_backend"] = {"url": local_url, "allowed_hosts": ["127.0.0.1", "localhost"]}
    base = collection_fields(config)
    for unit in config.units:
        unit_fields = []
        for f in base:
            f = dict(f)
            if f["name"] == "报送单位":
                f["default"] = unit.id
            elif f["name"] == "信息员" and unit.informants:
                f = {
                    **f,
                    "widget": "select",
                    "options": [i.name for i in unit.informants],
                    "default": unit.informants[0].name,
                }
            elif f["name"] == "签发人" and unit.leader:
                f["default"] = unit.leader
            unit_fields.append(f)
        out["collections"].append(
            {
                "name": unit.id,
                "label": unit.name,
                "label_singular": f"{unit.name}信息",
                "folder": f"{SUBMISSIONS}/{unit.id}",
                # Decap has no counter: the file is named by the time of saving (UTC, Decap's own), 1128-0130.md
                "path": "{{year}}/{{month}}{{day}}-{{hour}}{{minute}}",
                "identifier_field": "标题",
                "create": True,
                "delete": False,
                "extension": "md",
                "format": "frontmatter",
                "summary": "{{标题}}（{{紧急程度}}）",
                "sortable_fields": ["标题"],
                "editor": {"preview": False},
                "fields": unit_fields,
            }
        )
    return out


def cms_yaml(config: Config, forge: Forge | None, local_url: str | None = None) -> str:
    head = "# 由“bulletin cms”根据bulletin.yml和network.yml生成，请勿手工修改（改名册或配置后重新构建站点）\n"
    return head + yaml.dump(
        cms_config(config, forge, local_url), Dumper=_Plain, allow_unicode=True, sort_keys=False, width=200
    )


class _Plain(yaml.SafeDumper):
    """Every value written out in full: no &anchors and *aliases for the lists the collections share."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


ADMIN_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>{desk}信息报送表单</title>
</head>
<body>
  <noscript>信息报送表单需要浏览器启用JavaScript。</noscript>
  <script src="decap-cms.js"></script>
  <script src="zh-hans.js"></script>
</body>
</html>
"""

# What Decap's own Simplified Chinese (zh_Hans, Decap 3.16) lacks and would show in English, the login
# button of the forgejo backend first ("Login with Forgejo"); admin/zh-hans.js adds only the missing
# phrases to Decap's locale (a phrase Decap translates itself later is kept), before the form renders.
LOCALE_ADDITIONS: dict[str, Any] = {
    "auth": {"loginWithForgejo": "使用Forgejo登录"},
    "collection": {
        "collectionTop": {"viewAsList": "列表视图", "viewAsGrid": "网格视图"},
        "entries": {"unpublishedHeader": "未发布的条目"},
    },
    "editor": {
        "editorControl": {"field": {"widgetLabel": "%{widgetLabel}字段"}},
        "editorControlPane": {
            "widget": {
                "rangeMin": "%{fieldLabel}至少要有%{minCount}项。",
                "rangeMax": "%{fieldLabel}最多%{maxCount}项。",
            }
        },
        "editorInterface": {"toggleNotes": "显示或隐藏备注"},
        "editorNotesPane": {
            "title": "备注",
            "emptyState": "还没有备注。在下面写第一条。",
            "addNote": "添加备注",
            "addPlaceholder": "写一条备注……",
            "editPlaceholder": "修改备注……",
            "save": "保存",
            "cancel": "取消",
            "edit": "修改",
            "delete": "删除",
            "resolve": "标为已解决",
            "unresolve": "标为未解决",
            "confirmDelete": "确定删除这条备注吗？",
            "shortcut": "提示：按Ctrl+Enter可快速添加备注",
        },
        "editorToolbar": {
            "statusInfoTooltipDraft": "条目为草稿。写好后把状态设为“审查中”，提交审核。",
            "statusInfoTooltipInReview": "条目正在审核，不需要再做什么；审核期间仍可修改。",
        },
        "editorWidgets": {
            "markdown": {
                "strikethrough": "删除线",
                "toggleMode": {"rich": "切换到富文本模式", "markdown": "切换到Markdown模式"},
            },
            "image": {"chooseMultiple": "选择图片", "addMore": "添加更多图片", "removeAll": "移除全部图片"},
            "file": {"chooseMultiple": "选择文件", "addMore": "添加更多文件", "removeAll": "移除全部文件"},
            "datetime": {"setToNow": "把%{fieldLabel}设为现在"},
            "list": {"addType": "添加%{item}"},
            "object": {"expand": "展开", "collapse": "收起"},
        },
    },
    "mediaLibrary": {"mediaLibraryModal": {"close": "关闭"}},
    "ui": {
        "settingsDropdown": {"account": "账号选项"},
        "toast": {
            "noteAdded": "备注已添加",
            "onFailToAddNote": "添加备注失败：%{details}",
            "noteUpdated": "备注已更新",
            "onFailToUpdateNote": "更新备注失败：%{details}",
            "noteDeleted": "备注已删除",
            "onFailToDeleteNote": "删除备注失败：%{details}",
            "noteResolved": "备注已标为解决",
            "noteReopened": "备注已重新打开",
            "onFailToToggleNote": "更改备注状态失败：%{details}",
        },
    },
}

LOCALE_JS = """/*由“bulletin cms”生成：补上Decap CMS简体中文界面缺少的词句（已有的不改）*/
(function () {
  var extra = %s;
  function fill(to, from) {
    Object.keys(from).forEach(function (key) {
      if (typeof from[key] === "object") {
        to[key] = fill(to[key] || {}, from[key]);
      } else if (!(key in to)) {
        to[key] = from[key];
      }
    });
    return to;
  }
  CMS.registerLocale("zh_Hans", fill(CMS.getLocale("zh_Hans") || {}, extra));
})();
"""


def admin_csp(forge: Forge | None, *more_origins: str) -> str:
    """The Content-Security-Policy of /admin/ (the site's own is stricter: publish/serve.py's CSP).
    'unsafe-eval', here and only here: Decap validates config.yml on every load with ajv, which compiles
    the schema with `new Function` (decap-cms-core constants/configSchema.js `validateConfig`, called by
    actions/config.js `loadConfig`; no option skips it, and window.CMS_CONFIG, which does, also skips
    Decap's defaults and breaks the form). tests/test_cms_login.py fails once a Decap release no longer
    needs it. The browser calls the forge's API itself, so its origin is allowed to connect; nothing else
    outside is (Decap's github backend polls www.githubstatus.com: stopped here)."""
    origins = [o for o in ((f"{_origin(forge.api_base)} {_origin(forge.url)}" if forge else ""), *more_origins) if o]
    extra = "".join(f" {o}" for o in dict.fromkeys(" ".join(origins).split()))
    return (
        "default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob:{extra}; font-src 'self' data:; connect-src 'self'{extra}; "
        "frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
    )


def _origin(url: str) -> str:
    parts = url.split("/")
    return "/".join(parts[:3])


def decap_dist(root: Path) -> Path:
    """Decap's bundle, installed by npm (`make site` / `make test` run `npm ci`)."""
    for base in (root, REPO_ROOT):
        folder = base / DECAP_DIST
        if (folder / DECAP_FILES[0]).is_file():
            return folder
    raise CmsError(
        f"找不到Decap CMS（{DECAP_DIST}/{DECAP_FILES[0]}）：请在报送台根目录运行“make site”，"
        "或“npm ci”安装package.json中的decap-cms"
    )


def write_admin(config: Config, site: Path, local_url: str | None = None) -> Path:
    """The form at <site>/admin/: Decap's bundle (copied, nothing loaded from outside), its page and config.yml."""
    text = cms_yaml(config, config.forge, local_url)
    folder = site / ADMIN
    folder.mkdir(parents=True, exist_ok=True)
    dist = decap_dist(config.root)
    for pattern in DECAP_PATTERNS:
        for file in dist.glob(pattern):
            shutil.copyfile(file, folder / file.name)
    (folder / "index.html").write_text(ADMIN_HTML.format(desk=config.desk), encoding="utf-8")
    locale = json.dumps(LOCALE_ADDITIONS, ensure_ascii=False, indent=1)
    (folder / "zh-hans.js").write_text(LOCALE_JS % locale, encoding="utf-8")
    (folder / "config.yml").write_text(text, encoding="utf-8")
    return folder


def admin_form(config: Config, site: Path) -> str:
    """The form into a built site when Decap is installed (`make site` installs it); what was done, in Chinese."""
    try:
        decap_dist(config.root)
    except CmsError:
        return f"信息报送表单：未生成{ADMIN}/，没有安装Decap CMS（运行“make site”或“npm ci”安装）"
    if config.forge is None:
        return f"信息报送表单：未生成{ADMIN}/，bulletin.yml中没有forge一节"
    try:
        write_admin(config, site)
    except CmsError as exc:
        return f"信息报送表单：未生成{ADMIN}/，{exc}"
    return f"信息报送表单：{ADMIN}/"
