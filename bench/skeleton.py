"""The least a check of one item costs with the libraries the desk is built on, whoever writes it:
start Python, parse the command line (argparse), read the configuration, the registry and the
item's front matter (PyYAML's C loader), the time zone (zoneinfo), parse the body as the site
renders it (markdown-it), and load the corrector (autocorrect) and the Traditional/Simplified
converter (OpenCC) the typography and name rules use. `bench/check_bench.py` compares
`bulletin check FILE` with it: what the desk's own code adds on top of its libraries."""

from __future__ import annotations

import argparse
import dataclasses  # noqa: F401  the model's records
import zoneinfo
from pathlib import Path

import autocorrect_py  # noqa: F401
import markdown_it
import opencc
import yaml

parser = argparse.ArgumentParser()
parser.add_argument("file")
args = parser.parse_args()
root = Path.cwd()
for name in ("bulletin.yml", "network.yml"):
    yaml.load((root / name).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
zoneinfo.ZoneInfo("Asia/Shanghai")
_, head, body = Path(args.file).read_text(encoding="utf-8").split("---\n", 2)
yaml.load(head, Loader=yaml.CSafeLoader)
markdown_it.MarkdownIt("commonmark").parse(body)
opencc.OpenCC("t2s")
