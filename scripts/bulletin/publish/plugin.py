"""The desk's mkdocs plugin: pages generated from the desk itself, so `mkdocs build` just works.

For now it generates 信息写作与报送规范 (rules.md) from the rule registry, so the guide
informants read is always the rules CI applies.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from bulletin.guide import rules_markdown


class BulletinConfig(base.Config):
    rules_page = c.Type(str, default="rules.md")


class BulletinPlugin(BasePlugin[BulletinConfig]):
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if files.get_file_from_path(self.config.rules_page) is None:
            files.append(File.generated(config, self.config.rules_page, content=rules_markdown()))
        return files
