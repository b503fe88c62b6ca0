"""The `bulletin` command's entry point. It imports nothing heavy itself, so that Ctrl-C is met
with one line and exit status 130 from the first moment, also while the desk's modules are still
being imported (a few tenths of a second, in which `cli.main` cannot yet catch anything)."""

from __future__ import annotations

import sys

INTERRUPTED = "bulletin：已中断，未写完的修改已丢弃，不会留下写了一半的文件"


def interrupted() -> int:
    """Ctrl-C: every write is atomic (bulletin.desk.atomic), so nothing is left half-written. A second
    Ctrl-C (e.g. while PDF threads finish) is ignored, so no traceback follows the line."""
    _ignore_ctrl_c()
    print(INTERRUPTED, file=sys.stderr)
    return 130


def _ignore_ctrl_c() -> None:
    import contextlib
    import signal

    with contextlib.suppress(ValueError):  # not the main thread
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _interrupted_by(exc: BaseException | None) -> bool:
    """Whether Ctrl-C is behind `exc`: itself, or what it was raised while handling (an import that
    failed because the interrupt stopped another one halfway)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def main() -> int:
    try:
        from bulletin import cli
    except BaseException as exc:
        if _interrupted_by(exc):
            return interrupted()
        raise
    try:
        return cli.main()
    except KeyboardInterrupt:  # after cli.main's own handling, before it returned
        return interrupted()
    finally:
        # the command has ended: a Ctrl-C while Python shuts down (joining threads, flushing the streams)
        # would print CPython's own "Exception ignored in: <module 'threading'> … KeyboardInterrupt"
        _ignore_ctrl_c()
