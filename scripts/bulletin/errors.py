"""Typed errors. Each carries a Chinese message for the user; the CLI prints it as one line."""

from __future__ import annotations


class BulletinError(Exception):
    """A problem the user can fix; `str()` is the Chinese message shown to them."""

    exit_code = 2


class ConfigError(BulletinError):
    """The desk's configuration or registry is missing or invalid."""


class UsageError(BulletinError):
    """A command was called with arguments that cannot work."""
