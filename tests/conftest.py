"""Shared fixtures: a temporary desk built from the repository's own configuration."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from bulletin.core.model import Config
from bulletin.desk.config import load_config

# The generated tests draw the same examples on every run (a seed per test): a run on a clean
# checkout (CI) is as green or red as the same commit here. Exploring further is on purpose:
# `pytest --hypothesis-profile explore` draws new examples (and remembers failures in .hypothesis/).
settings.register_profile("desk", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("desk")

REPO_ROOT = Path(__file__).resolve().parents[1]

MakeItem = Callable[..., Path]


@pytest.fixture
def demo_desk(tmp_path: Path) -> Path:
    """A fresh desk in tmp_path with the repository's bulletin.yml and network.yml."""
    for name in ("bulletin.yml", "network.yml"):
        shutil.copyfile(REPO_ROOT / name, tmp_path / name)
    (tmp_path / "submissions").mkdir()
    return tmp_path


@pytest.fixture
def demo_config(demo_desk: Path) -> Config:
    return load_config(demo_desk)


@pytest.fixture
def make_item(demo_desk: Path) -> MakeItem:
    """Write a file into the desk: make_item(content, rel="submissions/xiushui/2026/1128-01.md").

    `content` is text (written as UTF-8 exactly as given) or raw bytes.
    """

    def write(content: str | bytes, rel: str = "submissions/xiushui/2026/1128-01.md") -> Path:
        path = demo_desk / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    return write
