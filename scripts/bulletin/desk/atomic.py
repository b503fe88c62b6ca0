"""Writing files so that nothing is lost: a file is either as it was, or wholly the new version.

    write_file(path, data)     create or replace
    create_file(path, data)    create only: a name already taken is refused (NameTaken), never overwritten
    write_files([...])         several files: all written first, then put in place together

How: the data goes into a temporary file in the target's own folder, is flushed and fsynced, and
only then gets the target's name (a rename, or for a new file a hard link, which fails when the
name is taken); the folder is fsynced after. On Linux the temporary file has no name at all while
it is being written (O_TMPFILE), so a process killed outright (SIGKILL, power loss) leaves nothing
behind; when it replaces a file it gets a hidden name (`.<name>.<random>.tmp`) only for the
instant between being linked and being renamed, with SIGINT and SIGTERM held back. Elsewhere it
has that hidden name from the start and is removed on any failure, KeyboardInterrupt included.
Such a name never ends in `.md`, so the desk's readers never take a leftover for an item, and
the next write of the same file removes it.

The permission bits of a replaced file are kept; a symlink is written through (the link stays a
link), but never to a file outside `within` (the desk) when that is given.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import secrets
import signal
import stat
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bulletin.errors import BulletinError

TEMP_SUFFIX = ".tmp"
# the names temporary files ever have: hidden, the target's name, a random part, .tmp
TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")
_HELD = (signal.SIGINT, signal.SIGTERM)
_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "所在磁盘只读",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.ENOENT: "所在文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.ENAMETOOLONG: "文件名太长",
}


class WriteError(BulletinError):
    """A file could not be written; the old file (if any) is untouched."""

    exit_code = 1


class NameTaken(WriteError):
    """create_file: the name is already taken; nothing was written."""


class OutsideDesk(WriteError):
    """The path leads (through a symlink) out of the desk; nothing was written."""


def is_temp(path: Path | str) -> bool:
    """Whether a file name is one of ours for a write in progress (or one killed in progress)."""
    return bool(TEMP_NAME.match(Path(path).name))


@dataclass(frozen=True)
class Write:
    """One file of write_files: exclusive=True creates only (see create_file)."""

    path: Path
    data: bytes
    exclusive: bool = False
    mode: int | None = None
    follow_symlink: bool = True  # False: a symlink at `path` is itself replaced


def write_file(
    path: Path, data: bytes, *, within: Path | None = None, mode: int | None = None, shown: str | None = None
) -> Path:
    """Create or replace `path` atomically; returns the real path written.

    The permission bits of a replaced file are kept unless `mode` is given; a new file gets
    `mode`, or 0o666 less the umask.
    """
    return write_files([Write(Path(path), data, False, mode)], within=within, shown=shown)[0]


def create_file(
    path: Path, data: bytes, *, within: Path | None = None, mode: int | None = None, shown: str | None = None
) -> Path:
    """Create `path` atomically, only if no file has that name (NameTaken otherwise)."""
    return write_files([Write(Path(path), data, True, mode)], within=within, shown=shown)[0]


def create_first_free(paths: Iterable[Path], data: bytes, *, within: Path) -> Path | None:
    """Create the first of `paths` (numbered names, in order) that is free: one that exists, or is
    taken meanwhile by another writer, passes to the next. None when every one is taken."""
    for path in paths:
        if os.path.lexists(path):
            continue
        try:
            create_file(path, data, within=within, shown=path.relative_to(within).as_posix())
        except NameTaken:
            continue
        return path
    return None


def write_files(writes: Sequence[Write], *, within: Path | None = None, shown: str | None = None) -> list[Path]:
    """Write every file completely first, then put them all in place. If one cannot be put in
    place, those already put in place get their old contents back. Returns the real paths."""
    staged: list[_Staged] = []
    try:
        for w in writes:
            label = shown if shown and len(writes) == 1 else _shown(w.path, within)
            target = _real_target(w.path, within, label, w.follow_symlink)
            if w.exclusive and os.path.lexists(target):
                raise NameTaken(f"{label}已存在，不覆盖")
            _sweep(target)
            staged.append(_stage(target, w, label, keep_old=len(writes) > 1))
        with _signals_held():
            done: list[_Staged] = []
            try:
                for item in staged:
                    item.commit()
                    done.append(item)
            except BaseException:
                for item in reversed(done):
                    item.undo()
                raise
    finally:
        for item in staged:
            item.discard()
    for folder in dict.fromkeys(item.target.parent for item in staged):
        _fsync_dir(folder)
    return [item.target for item in staged]


# ---------------------------------------------------------------- the parts


def _shown(path: Path, within: Path | None) -> str:
    if within is not None:
        try:
            return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(within))).as_posix()
        except ValueError:
            pass
    return str(path)


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0) or f"系统错误：{exc.strerror or exc}"


def _real_target(path: Path, within: Path | None, label: str, follow: bool = True) -> Path:
    """The file really written: symlinks followed (unless `follow` is False for the last part),
    but not out of `within`; its folder made."""
    named = Path(os.path.abspath(path))
    real = named.resolve() if follow else named.parent.resolve() / named.name
    if within is not None:
        desk = Path(within).resolve()
        if desk not in real.parents:
            raise OutsideDesk(f"{label}实际位于报送台之外（{real}，经由符号链接），为安全起见不写入")
    if real.is_dir() and not real.is_symlink():
        raise WriteError(f"无法写入{label}：这是一个文件夹")
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"无法写入{label}：无法建立文件夹{real.parent}（{_reason(exc)}）") from exc
    return real


def _temp_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")


def _sweep(target: Path) -> None:
    """Remove what a killed write of the same file left (`.<name>.<random>.tmp`): never a file of
    anyone's (only that exact pattern), and never a loss: such a file was never put in place. (A
    write of the same file running at this very moment then fails cleanly, its target untouched.)"""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*{TEMP_SUFFIX}"):
        if is_temp(leftover) and leftover.name[1 : -len(".123456789abc.tmp")] == target.name:
            with contextlib.suppress(OSError):
                leftover.unlink()


def _open_nameless(folder: Path) -> int | None:
    """A nameless file in `folder` (O_TMPFILE), or None where there is no such thing."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or getattr(_NAMELESS, "off", False) or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno in (errno.EISDIR, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOENT):
            return None  # an old kernel or a file system without it
        raise


def _link_nameless(fd: int, name: Path) -> None:
    """Give the O_TMPFILE file `fd` a name: linkat(AT_SYMLINK_FOLLOW) of its /proc entry. (Given
    no folder descriptor, os.link calls link(2), which would link the /proc symlink itself.)"""
    folder = os.open(name.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.link(f"/proc/self/fd/{fd}", name.name, dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


class _Staged:
    """A file written in full beside its target, not yet in place."""

    def __init__(self, target: Path, write: Write, label: str) -> None:
        self.target, self.write, self.label = target, write, label
        self.fd: int | None = None  # open until discard(): with O_TMPFILE, the file's only handle
        self.nameless = False
        self.temp: Path | None = None  # the temporary file's name while it has one
        self.old: tuple[bytes, int] | str | None = None  # the replaced file (data, mode) or symlink, for undo()
        self.existed = False

    def fill(self) -> None:
        """The data and the permission bits into a new temporary file, flushed to the disk."""
        self.fd = _open_nameless(self.target.parent)
        self.nameless = self.fd is not None
        if self.fd is None:
            name = _temp_name(self.target)
            self.fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            self.temp = name
        write = self.write
        if write.mode is not None:
            os.fchmod(self.fd, write.mode)
        elif not write.exclusive and self.target.exists():
            os.fchmod(self.fd, stat.S_IMODE(self.target.stat().st_mode))
        view = memoryview(write.data)
        while view:
            view = view[os.write(self.fd, view) :]
        os.fsync(self.fd)

    def commit(self) -> None:
        """Give the written file the target's name."""
        try:
            if self.write.exclusive:
                self._name(self.target)
            else:
                self.existed = os.path.lexists(self.target)
                if self.nameless:
                    self._name(_temp_name(self.target))
                assert self.temp is not None
                os.replace(self.temp, self.target)
                self.temp = None
        except FileExistsError as exc:
            raise NameTaken(f"{self.label}已存在，不覆盖") from exc
        except OSError as exc:
            raise WriteError(f"无法写入{self.label}（{_reason(exc)}），原文件未改动") from exc

    def _name(self, name: Path) -> None:
        """Link the written file under `name` (FileExistsError when taken)."""
        if self.nameless:
            assert self.fd is not None
            try:
                _link_nameless(self.fd, name)
            except FileExistsError:
                raise
            except OSError:  # /proc not usable here after all: write it again, named from the start
                self.discard()
                with _no_nameless():
                    self.fill()
                if name != self.target:
                    return  # a temporary name was asked for: it has one now
            else:
                self.temp = None if name == self.target else name
                return
        assert self.temp is not None
        try:
            os.link(self.temp, name)
        except FileExistsError:
            raise
        except OSError:  # no hard links here: reserve the name, then rename over it
            os.close(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            os.replace(self.temp, name)
        else:
            os.unlink(self.temp)
        self.temp = None if name == self.target else name

    def undo(self) -> None:
        """Put back what was there before commit() (write_files failed on a later file)."""
        try:
            if isinstance(self.old, str):
                temp = _temp_name(self.target)
                os.symlink(self.old, temp)
                os.replace(temp, self.target)
            elif self.old is not None:
                write_files([Write(self.target, self.old[0], False, self.old[1], follow_symlink=False)])
            elif not self.existed:
                os.unlink(self.target)
        except (OSError, WriteError):
            pass  # nothing more can be done: the new version stays, whole

    def discard(self) -> None:
        """Close and remove whatever is left of the temporary file."""
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            self.temp = None


def _stage(target: Path, write: Write, label: str, keep_old: bool) -> _Staged:
    """Write the data to a temporary file beside `target`, to the disk; with `keep_old`, remember
    the file it replaces (to put it back if a later file of the same write_files fails)."""
    staged = _Staged(target, write, label)
    try:
        if keep_old and not write.exclusive:
            if target.is_symlink():
                staged.old = os.readlink(target)
            elif target.is_file():
                staged.old = (target.read_bytes(), stat.S_IMODE(target.stat().st_mode))
        staged.fill()
    except OSError as exc:
        staged.discard()
        raise WriteError(f"无法写入{label}（{_reason(exc)}），原文件未改动") from exc
    except BaseException:
        staged.discard()
        raise
    return staged


_NAMELESS = threading.local()


@contextlib.contextmanager
def _no_nameless() -> Iterator[None]:
    _NAMELESS.off = True
    try:
        yield
    finally:
        _NAMELESS.off = False


def _fsync_dir(folder: Path) -> None:
    """Make the new names durable (some file systems cannot fsync a folder: then nothing to do)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while files change names (delivered right after)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)
