"""`bulletin build`: the whole site with every issue's PDF, replacing the last good build only when whole.

The pages and the PDFs are made by the desk's mkdocs plugin, so plain `mkdocs build`,
`mkdocs serve` and `mike deploy` make the same site; this command adds a safe swap.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config as load_mkdocs_config
from mkdocs.exceptions import MkDocsException

from bulletin.errors import BulletinError


class BuildError(BulletinError):
    exit_code = 1


def build_site(root: Path, site_dir: Path | None = None, year: int | None = None, strict: bool = True) -> Path:
    """Build into a fresh folder beside the target, then swap it in: an interrupted or failed
    build leaves the last good site in place."""
    target = (site_dir or root / "site").resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    if year is not None:
        os.environ["BULLETIN_YEAR"] = str(year)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        cfg = load_mkdocs_config(config_file=str(root / "mkdocs.yml"), site_dir=str(work), strict=strict)
        mkdocs_build(cfg)
    except MkDocsException as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise BuildError(f"站点构建失败，原有站点未动：{exc}") from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    work.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    logging.getLogger("mkdocs").info("站点已构建到 %s", target)
    return target
