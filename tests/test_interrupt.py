"""Nothing lost: commands killed (SIGKILL) or interrupted (Ctrl-C) halfway leave every file whole.

Each command runs in a Python process of its own, into which the test injects the fault (the
product has no hook for it): a function the write goes through (os.write, os.link, os.replace,
mkdocs' write_file, Path.rename, subprocess.Popen) is wrapped to kill the process at the worst
moment. Afterwards the user's files are byte for byte as before, or wholly the new version; no
temporary file is left that the desk would take for an item; `git status` shows only what the
command was meant to change; and the next run works.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin.desk.atomic import is_temp
from bulletin.desk.receipts import LOCK_NAME
from bulletin.editorial.fix import fix_file
from desk_helpers import ITEM, REPO, git, init_repo, make_desk

KILLED = -signal.SIGKILL
INTERRUPTED = 130

# ---------------------------------------------------------------- injecting the fault

# what the wrapped function does at the chosen call; `args` are the call's arguments
KILL = "os.kill(os.getpid(), signal.SIGKILL)"
CTRL_C = "os.kill(os.getpid(), signal.SIGINT)"  # Python raises KeyboardInterrupt at its next step
DISK_FULL = "raise OSError(errno.ENOSPC, 'No space left on device')"

_FAULT = """
import errno, importlib, os, signal, stat, sys, time

def _owner(dotted):
    parts = dotted.split(".")
    for i in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for part in parts[i:-1]:
            obj = getattr(obj, part)
        return obj, parts[-1]
    raise ImportError(dotted)

def _file_fd(fd):
    try:
        return fd > 2 and stat.S_ISREG(os.fstat(fd).st_mode)
    except OSError:
        return False

def _where(args):
    # what a call is about: for a file descriptor the file's path, else its arguments
    if args and isinstance(args[0], int):
        try:
            return os.readlink(f"/proc/self/fd/{args[0]}")
        except OSError:
            return ""
    return " ".join(_text(a) for a in args)

def _text(value):
    try:
        return str(value)
    except Exception:  # e.g. an object whose __init__ is the wrapped function
        return ""

_owner_obj, _name = _owner(FUNCTION)
_real = getattr(_owner_obj, _name)
_calls = [0]

def _wrapped(*args, **kwargs):
    if FUNCTION == "os.write" and not _file_fd(args[0]):
        return _real(*args, **kwargs)
    if MATCH and MATCH not in _where(args):
        return _real(*args, **kwargs)
    _calls[0] += 1
    if _calls[0] != AT:
        return _real(*args, **kwargs)
    if WHEN == "before":
        exec(THEN)
        return _real(*args, **kwargs)
    if WHEN == "half":  # os.write: half the data reaches the file
        done = _real(args[0], bytes(args[1])[: max(1, len(args[1]) // 2)])
        exec(THEN)
        return done
    result = _real(*args, **kwargs)
    exec(THEN)
    return result

setattr(_owner_obj, _name, _wrapped)
"""

_RUN_CLI = """
sys.argv = ["bulletin", *sys.argv[1:]]
from bulletin.cli import main
raise SystemExit(main())
"""


def fault(function: str, then: str = KILL, when: str = "before", at: int = 1, match: str = "") -> str:
    """Code that wraps `function` (dotted name) so that its `at`-th call (among calls whose
    arguments mention `match`) runs `then` before it, after it, or (os.write) after half the data."""
    head = f"FUNCTION, THEN, WHEN, AT, MATCH = {function!r}, {then!r}, {when!r}, {at!r}, {match!r}\n"
    return head + _FAULT


def as_at_a_terminal() -> None:
    """In the child before it starts: Ctrl-C acts, as at a user's terminal. A job started in the
    background by a non-interactive shell (`make test &`) ignores SIGINT, and the ignoring is
    inherited: Python would then install no handler, and the tests would send Ctrl-C in vain."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run(
    cwd: Path, *args: str, inject: str = "", body: str = _RUN_CLI, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """`bulletin args…` (or `body`) in a fresh Python process with the fault `inject` in place."""
    env = {k: v for k, v in os.environ.items() if k != "BULLETIN_DEBUG"}
    code = "import sys\n" + inject + "\n" + textwrap.dedent(body)
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        preexec_fn=as_at_a_terminal,
    )


# ---------------------------------------------------------------- looking at the desk afterwards


def snapshot(root: Path, skip: tuple[str, ...] = (".git",)) -> dict[str, bytes]:
    """Every file under root (symlinks as their target's text), by relative path."""
    out: dict[str, bytes] = {}
    for dirpath, dirnames, names in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        dirnames[:] = sorted(d for d in dirnames if (rel_dir / d).as_posix() not in skip)
        for name in names:
            path = Path(dirpath) / name
            rel = (rel_dir / name).as_posix()
            out[rel] = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
    return out


def temp_files(root: Path) -> list[str]:
    return sorted(rel for rel in snapshot(root) if is_temp(rel))


def status(desk: Path) -> list[str]:
    """`git status` lines: what changed in the work tree (untracked files one by one)."""
    out = git(desk, "status", "--porcelain=v1", "--untracked-files=all")
    return sorted(line for line in out.splitlines() if line)


def assert_clean_exit(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr + done.stdout, done.stderr


def assert_interrupted(done: subprocess.CompletedProcess[str], alone: bool = True) -> None:
    """Ctrl-C: exit 130, one Chinese line (after the build's log, if any), no traceback."""
    assert done.returncode == INTERRUPTED, done.stderr
    assert_clean_exit(done)
    lines = done.stderr.strip().splitlines()
    if alone:
        assert len(lines) == 1, done.stderr
    assert lines[-1].startswith("bulletin：已中断") and sum("已中断" in line for line in lines) == 1, done.stderr


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.1, 0.15, 0.25])
def test_ctrl_c_while_the_command_is_still_starting_is_one_line(delay: float, tmp_path: Path) -> None:
    """Ctrl-C during the first tenths of a second, while the modules are imported: the same one
    line and 130 (or, when the command was quicker, its own result), never a traceback."""
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("bulletin")), "rules", "--format", "md"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_at_a_terminal,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    done = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    if done.returncode == -signal.SIGINT:  # before Python itself had started: killed, silent
        assert done.stderr == ""
    elif done.returncode == 1 and re.search(r"Fatal Python error: init_\w+:", done.stderr):
        # while Python itself is still starting (its `site` module or its standard streams, before
        # any code of the desk can run; under load this window is tens of milliseconds): CPython's
        # own fatal-error report from one of its init_* stages, which no program can catch. Never a
        # frame of the desk's own modules.
        assert "bulletin" not in done.stderr and "Fatal Python error" in done.stderr, done.stderr
    elif done.returncode == 0:  # finished before the signal came
        assert_clean_exit(done)
    else:
        assert_interrupted(done)


def test_ctrl_c_after_the_command_has_ended_is_ignored(tmp_path: Path) -> None:
    """Ctrl-C once the command has written all it had to, while Python shuts down (this suite met it:
    the signal came as threading._shutdown ran): CPython printed its own "Exception ignored in: <module
    'threading'>" with a traceback under the complete output. Here the signal comes from an atexit
    callback, which Python runs as it shuts down, after the command (bulletin.entry, as the console
    script runs it) has returned."""
    inject = (
        "import atexit, os, signal, time\n"
        "atexit.register(lambda: (os.kill(os.getpid(), signal.SIGINT), time.sleep(0.2)))\n"
    )
    body = 'sys.argv = ["bulletin", *sys.argv[1:]]\nfrom bulletin.entry import main\nraise SystemExit(main())\n'
    done = run(tmp_path, "rules", "--format", "md", inject=inject, body=body)
    assert done.returncode == 0 and done.stdout.startswith("# "), done.stderr
    assert done.stderr == ""


def assert_not_items(desk: Path, leftovers: list[str]) -> None:
    """A leftover temporary file is never read as an item: not by `bulletin check FOLDER`, and
    `bulletin check` on the branch names it only as a stray file to delete."""
    for rel in leftovers:
        assert Path(rel).name.startswith(".") and not rel.endswith(".md")
        folder = desk / Path(rel).parent
        listed = subprocess.run(
            [str(Path(sys.executable).with_name("bulletin")), "check", "--format", "json", str(folder)],
            cwd=desk,
            capture_output=True,
            text=True,
        )
        assert rel not in listed.stdout
        branch = subprocess.run(
            [str(Path(sys.executable).with_name("bulletin")), "check", "--format", "json"],
            cwd=desk,
            capture_output=True,
            text=True,
        )
        assert_clean_exit(branch)
        about = [f for f in json.loads(branch.stdout)["findings"] if f["path"] == rel]
        assert [f["rule"] for f in about] in ([], ["file-location"]), about


# ---------------------------------------------------------------- a desk in a git repository


@pytest.fixture
def desk(tmp_path: Path) -> Path:
    return init_repo(make_desk(tmp_path / "desk"))


FIX_REL = "submissions/xiushui/2026/1127-05.md"
# half-width punctuation, full-width digits, a stray space: `bulletin fix` has work to do
UNFIXED = ITEM.replace("今年以来，修水县", "今年以来,修水县 ").replace("36个", "３６个")


@pytest.fixture
def unfixed(desk: Path) -> Path:
    path = desk / FIX_REL
    path.write_text(UNFIXED, encoding="utf-8")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "-m", "An item to fix")
    return path


def fixed_version(tmp_path: Path) -> bytes:
    """What `bulletin fix` makes of UNFIXED when nothing goes wrong."""
    copy = tmp_path / "reference.md"
    copy.write_text(UNFIXED, encoding="utf-8")
    assert fix_file(copy, "reference.md").written
    return copy.read_bytes()


# ---------------------------------------------------------------- bulletin fix


NO_O_TMPFILE = "import bulletin.desk.atomic as _a\n_a._open_nameless = lambda folder: None\n"


@pytest.mark.parametrize(
    ("moment", "inject", "leaves"),
    [
        # with O_TMPFILE the temporary file has no name until complete: nothing is left
        ("half the fixed text written", fault("os.write", when="half"), 0),
        ("the whole fixed text written, not yet named", fault("os.link"), 0),
        # named for the instant before the rename: a complete hidden copy is left
        ("just before the fixed file replaces the original", fault("os.replace"), 1),
        # without O_TMPFILE the temporary file is named from the start: a partial hidden copy
        (
            "half written, on a system without nameless temporary files",
            NO_O_TMPFILE + fault("os.write", when="half"),
            1,
        ),
    ],
)
def test_fix_killed_before_the_replace_leaves_the_original(
    unfixed: Path, moment: str, inject: str, leaves: int
) -> None:
    desk = unfixed.parents[3]
    before = snapshot(desk)
    done = run(desk, "fix", FIX_REL, inject=inject)
    assert done.returncode == KILLED, done.stderr
    after = snapshot(desk)
    leftovers = temp_files(desk)
    assert {k: v for k, v in after.items() if k not in leftovers} == before, moment
    assert unfixed.read_bytes() == UNFIXED.encode("utf-8")
    assert status(desk) == [f"?? {rel}" for rel in leftovers]
    assert len(leftovers) == leaves
    assert all(Path(rel).name.startswith(".1127-05.md.") for rel in leftovers)
    assert_not_items(desk, leftovers)
    # fix works again afterwards, and clears what the killed one left
    again = run(desk, "fix", FIX_REL)
    assert again.returncode == 0, again.stderr
    assert unfixed.read_bytes() == fixed_version(desk.parent)
    assert temp_files(desk) == []
    assert status(desk) == [f" M {FIX_REL}"]


def test_fix_killed_right_after_the_replace_leaves_the_whole_fixed_file(unfixed: Path) -> None:
    desk = unfixed.parents[3]
    done = run(desk, "fix", FIX_REL, inject=fault("os.replace", when="after"))
    assert done.returncode == KILLED
    assert unfixed.read_bytes() == fixed_version(desk.parent)
    assert temp_files(desk) == []
    assert status(desk) == [f" M {FIX_REL}"]


def test_fix_keeps_the_permission_bits(unfixed: Path) -> None:
    desk = unfixed.parents[3]
    unfixed.chmod(0o640)
    done = run(desk, "fix", FIX_REL)
    assert done.returncode == 0, done.stderr
    assert unfixed.read_bytes() == fixed_version(desk.parent)
    assert stat.S_IMODE(unfixed.stat().st_mode) == 0o640


def test_fix_refuses_a_symlink_inside_or_out_of_the_desk(desk: Path, tmp_path: Path) -> None:
    """An item is a file (bulletin check refuses links too): fix neither reads nor writes through one."""
    outside = tmp_path / "outside.md"
    outside.write_text(UNFIXED, encoding="utf-8")
    (desk / FIX_REL).symlink_to(outside)
    inside = desk / "submissions/xiushui/2026/1127-06.md"
    inside.symlink_to((desk / FIX_REL).name)
    for rel in (FIX_REL, "submissions/xiushui/2026/1127-06.md"):
        done = run(desk, "fix", rel)
        assert done.returncode == 1
        assert_clean_exit(done)
        assert "符号链接" in done.stderr and "无法自动修正" in done.stderr
    assert outside.read_text(encoding="utf-8") == UNFIXED and (desk / FIX_REL).is_symlink()


def test_fix_refuses_rather_than_lose_text(unfixed: Path) -> None:
    """The fix is checked never to change the words: when it would, nothing is written."""
    desk = unfixed.parents[3]
    # make the corrector drop a character: the check must catch it and leave the file alone
    inject = (
        "import bulletin.core.typography as _t\n_real_body = _t.correct_body\n"
        "_t.correct_body = lambda text, *a, **k: _real_body(text, *a, **k).replace('项目', '项', 1)\n"
    )
    done = run(desk, "fix", FIX_REL, inject=inject)
    assert done.returncode == 1
    assert_clean_exit(done)
    assert "改变文字内容" in done.stderr and "原文件未动" in done.stderr
    assert unfixed.read_bytes() == UNFIXED.encode("utf-8")
    assert status(desk) == [] and temp_files(desk) == []


# ---------------------------------------------------------------- Ctrl-C


@pytest.mark.parametrize("nameless", [True, False], ids=["O_TMPFILE", "named temporary file"])
def test_ctrl_c_while_fixing_leaves_the_original(unfixed: Path, nameless: bool) -> None:
    desk = unfixed.parents[3]
    inject = ("" if nameless else NO_O_TMPFILE) + fault("os.write", then=CTRL_C, when="half")
    done = run(desk, "fix", FIX_REL, inject=inject)
    assert_interrupted(done)
    assert unfixed.read_bytes() == UNFIXED.encode("utf-8")
    assert status(desk) == [] and temp_files(desk) == []


def test_ctrl_c_while_the_file_is_renamed_waits_for_the_rename(unfixed: Path) -> None:
    """SIGINT is held back for the instant the names change: the file is then wholly new."""
    desk = unfixed.parents[3]
    done = run(desk, "fix", FIX_REL, inject=fault("os.replace", then=CTRL_C))
    assert_interrupted(done)
    assert unfixed.read_bytes() == fixed_version(desk.parent)
    assert status(desk) == [f" M {FIX_REL}"] and temp_files(desk) == []


def test_ctrl_c_from_the_terminal_during_a_slow_write(unfixed: Path) -> None:
    """A real SIGINT from outside, while the disk is slow: exit 130, one line, nothing half-written."""
    desk = unfixed.parents[3]
    marker = desk.parent / "writing"
    slow = f"open({str(marker)!r}, 'w').close(); time.sleep(60)"
    env = {k: v for k, v in os.environ.items() if k != "BULLETIN_DEBUG"}
    code = "import sys\n" + fault("os.write", then=slow, when="half") + _RUN_CLI
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "fix", FIX_REL],
        cwd=desk,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=as_at_a_terminal,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the write never started"
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert_interrupted(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    assert unfixed.read_bytes() == UNFIXED.encode("utf-8")
    assert status(desk) == [] and temp_files(desk) == []


# ---------------------------------------------------------------- bulletin new


# at a fixed moment: the file's name holds the day and its text the minute, so two runs a minute apart (or
# either side of midnight) would write different files
NEW = ("new", "--unit", "xiushui", "--no-input", "--title", "修水县推进项目建设", "--now", "2026-11-28 09:00")


def test_new_killed_while_writing_leaves_no_file(desk: Path) -> None:
    for inject in (fault("os.write", when="half"), fault("os.link")):
        done = run(desk, *NEW, inject=inject)
        assert done.returncode == KILLED, done.stderr
        assert status(desk) == [] and temp_files(desk) == []


def test_new_killed_right_after_naming_the_file_leaves_it_whole(desk: Path) -> None:
    done = run(desk, *NEW, inject=fault("os.link", when="after"))
    assert done.returncode == KILLED
    (line,) = status(desk)
    first = desk / line.removeprefix("?? ")
    # the same command again gives the next number and the same text: the killed one was whole
    again = run(desk, *NEW)
    assert again.returncode == 0, again.stderr
    second = {desk / line.removeprefix("?? ") for line in status(desk)} - {first}
    (second_path,) = second
    assert second_path.name.endswith("-02.md") and first.name.endswith("-01.md")
    assert first.read_bytes() == second_path.read_bytes()
    assert temp_files(desk) == []


def test_new_never_overwrites_a_file_that_appears_meanwhile(desk: Path) -> None:
    """Another informant's file gets the chosen name while the skeleton is written: it stays, and
    the skeleton takes the next number."""
    theirs = "别人刚写的信息\n"
    inject = fault("bulletin.desk.atomic._stage", then=f"Path(args[0]).write_text({theirs!r}, encoding='utf-8')")
    done = run(desk, *NEW, inject="from pathlib import Path\n" + inject)
    assert done.returncode == 0, done.stderr
    created = sorted(line.removeprefix("?? ") for line in status(desk))
    assert len(created) == 2 and created[0].endswith("-01.md") and created[1].endswith("-02.md")
    assert (desk / created[0]).read_text(encoding="utf-8") == theirs
    assert "-02.md" in done.stdout


def test_new_when_every_number_of_the_day_is_taken(desk: Path) -> None:
    folder = desk / "submissions/xiushui/2026"
    for n in range(1, 100):
        (folder / f"1128-{n:02d}.md").write_text("占位\n", encoding="utf-8")
    before = snapshot(desk)
    done = run(desk, *NEW, "--kind", "突发性", "--occurred-at", "2026-11-28 08:00")
    assert done.returncode == 2
    assert_clean_exit(done)
    assert "已有99条" in done.stderr and done.stderr.startswith("bulletin：")
    assert snapshot(desk) == before


# ---------------------------------------------------------------- bulletin issue new


ISSUE_NEW = ("issue", "new", "huiyao", "xiushui/2026/1103-01", "hukou/2026/1102-01", "--date", "2026-11-28")


def test_issue_new_killed_while_writing_leaves_no_file(desk: Path) -> None:
    done = run(desk, *ISSUE_NEW, inject=fault("os.write", when="half"))
    assert done.returncode == KILLED, done.stderr
    assert status(desk) == [] and temp_files(desk) == []
    assert [p for p in desk.rglob("issues/**/*") if p.is_file()] == []
    done = run(desk, *ISSUE_NEW)
    assert done.returncode == 0, done.stderr
    assert status(desk) == ["?? issues/huiyao/2026/001.md"]


def test_issue_new_never_overwrites_a_draft_written_meanwhile(desk: Path) -> None:
    theirs = "另一位编辑刚起草的一期\n"
    inject = fault("bulletin.desk.atomic._stage", then=f"Path(args[0]).write_text({theirs!r}, encoding='utf-8')")
    done = run(desk, *ISSUE_NEW, inject="from pathlib import Path\n" + inject)
    assert done.returncode == 2
    assert_clean_exit(done)
    assert "issues/huiyao/2026/001.md已存在，不覆盖" in done.stderr
    assert (desk / "issues/huiyao/2026/001.md").read_text(encoding="utf-8") == theirs
    assert temp_files(desk) == []


# ---------------------------------------------------------------- bulletin record


RECORD = ("record", "instruction", "--item", "xiushui/2026/1103-01", "--level", "省", "--date", "2026-11-12")
RECORD_ARGS = (*RECORD, "--by", "某某", "--text", "此经验做法值得推广。")


def test_record_killed_while_writing_leaves_no_file(desk: Path) -> None:
    done = run(desk, *RECORD_ARGS, inject=fault("os.write", when="half"))
    assert done.returncode == KILLED
    assert status(desk) == [] and temp_files(desk) == []


def test_record_killed_after_naming_is_whole_and_the_next_takes_the_next_number(desk: Path) -> None:
    done = run(desk, *RECORD_ARGS, inject=fault("os.link", when="after"))
    assert done.returncode == KILLED
    assert status(desk) == ["?? records/2026/1112-ps-01.md"]
    again = run(desk, *RECORD_ARGS)
    assert again.returncode == 0, again.stderr
    first, second = (desk / "records/2026/1112-ps-01.md"), (desk / "records/2026/1112-ps-02.md")
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8").endswith("此经验做法值得推广。\n")


# ---------------------------------------------------------------- bulletin notice


def test_notice_killed_while_writing_leaves_no_file(desk: Path) -> None:
    args = ("notice", "--period", "2026-11", "--date", "2026-12-01")
    done = run(desk, *args, inject=fault("os.write", when="half"))
    assert done.returncode == KILLED, done.stderr
    assert status(desk) == [] and temp_files(desk) == []
    done = run(desk, *args)
    assert done.returncode == 0, done.stderr
    (line,) = status(desk)
    assert line.startswith("?? issues/")


# ---------------------------------------------------------------- bulletin hook install


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A bare repository with hooks of its own (different from ours)."""
    server = tmp_path / "server.git"
    subprocess.run(["git", "init", "-q", "--bare", str(server)], check=True)
    for name in ("pre-receive", "post-receive"):
        hook = server / "hooks" / name
        hook.write_text(f"#!/bin/sh\n# 服务器原有的 {name}\nexit 0\n", encoding="utf-8")
        hook.chmod(0o755)
    return server


def hooks(bare: Path) -> dict[str, bytes]:
    return {name: (bare / "hooks" / name).read_bytes() for name in ("pre-receive", "post-receive")}


def test_hook_install_killed_while_writing_leaves_both_old_hooks(bare: Path) -> None:
    before = snapshot(bare)
    # killed while the second hook is being written: the first is written but not yet in place
    done = run(bare.parent, "hook", "install", str(bare), "--force", inject=fault("os.write", when="half", at=2))
    assert done.returncode == KILLED, done.stderr
    assert snapshot(bare) == before


def test_hook_install_that_fails_on_the_second_hook_puts_the_first_back(bare: Path) -> None:
    before = snapshot(bare)
    done = run(bare.parent, "hook", "install", str(bare), "--force", inject=fault("os.replace", then=DISK_FULL, at=2))
    assert done.returncode == 1
    assert_clean_exit(done)
    assert "磁盘空间已满" in done.stderr and "原文件未改动" in done.stderr
    assert snapshot(bare) == before


def test_hook_install_killed_between_the_two_hooks_leaves_each_whole(bare: Path) -> None:
    """The one moment no program can cover: killed between the two renames. Each hook is then
    whole and executable (the first new, the second old), and installing again completes it."""
    old = hooks(bare)
    done = run(bare.parent, "hook", "install", str(bare), "--force", inject=fault("os.replace", when="after"))
    assert done.returncode == KILLED
    now = hooks(bare)
    assert b"bulletin hook pre-receive" in now["pre-receive"] and now["post-receive"] == old["post-receive"]
    for name in now:
        assert os.access(bare / "hooks" / name, os.X_OK)
    again = run(bare.parent, "hook", "install", str(bare), "--force")
    assert again.returncode == 0, again.stderr
    assert b"bulletin hook post-receive" in hooks(bare)["post-receive"]
    assert temp_files(bare) == []


# ---------------------------------------------------------------- bulletin receipt add


@pytest.mark.parametrize("when", ["before", "after"])
def test_receipt_add_killed_around_git_notes_leaves_no_half_state(desk: Path, when: str) -> None:
    rel = "submissions/xiushui/2026/1103-01.md"
    args = ("receipt", "add", "--commit", "HEAD", "--received-at", "2026-11-28T09:05:00+08:00", rel)
    inject = fault("subprocess.Popen.__init__", when=when, match="'append'")
    done = run(desk, *args, inject=inject)
    assert done.returncode == KILLED, done.stderr
    # killed after starting `git notes append`: that git process goes on alone and finishes
    deadline = time.monotonic() + 30
    while True:
        listed = run(desk, "receipt", "list", "--format", "json")
        assert listed.returncode == 0, listed.stderr
        if when == "before" or rel in listed.stdout or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert (rel in listed.stdout) == (when == "after")
    # no lock git would stumble on (the desk's own flock file stays: it is never "held" by existing)
    assert [p.name for p in (desk / ".git").rglob("*.lock") if p.name != LOCK_NAME] == []
    git(desk, "fsck", "--no-progress")
    again = run(desk, *args)
    assert again.returncode == 0, again.stderr
    assert rel in run(desk, "receipt", "list").stdout
    assert status(desk) == []


# ---------------------------------------------------------------- the PDF cache

_BUILD_PDF = """
from pathlib import Path
from bulletin.desk.config import load_config
from bulletin.desk.issues import read_issue
from bulletin.publish.pdf import PdfBuilder
root = Path.cwd()
rel = "issues/huiyao/2026/001.md"
with PdfBuilder(load_config(root), cache_dir=root / "cache") as builder:
    result = builder.build(read_issue(root / rel, rel), root / "out/001.pdf")
print("built" if result.built else "reused")
"""


@pytest.fixture(scope="module")
def pdf_desk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A desk with one issue, its PDF built once (fonts and character maps cached)."""
    desk = make_desk(tmp_path_factory.mktemp("pdf") / "desk")
    (desk / "issues/huiyao/2026").mkdir(parents=True)
    shutil.copy(REPO / "issues/huiyao/2026/001.md", desk / "issues/huiyao/2026/001.md")
    done = run(desk, body=_BUILD_PDF)
    assert done.returncode == 0 and "built" in done.stdout, done.stderr
    return desk


@pytest.fixture
def pdf_copy(pdf_desk: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "desk"
    shutil.copytree(pdf_desk, copy, symlinks=True)
    issue = copy / "issues/huiyao/2026/001.md"
    text = issue.read_text(encoding="utf-8")
    issue.write_text(text.rstrip("\n") + "\n\n本期另附一段编者说明，用于检验改动后重新排版。\n", encoding="utf-8")
    yield copy


@pytest.mark.parametrize(
    ("moment", "inject"),
    [
        ("half the new PDF written", fault("os.write", when="half", match="/out/")),
        ("the new PDF complete, not yet in place", fault("os.replace", match="/out/")),
        ("the new PDF in place, its record not yet", fault("os.write", when="half", match="records")),
    ],
)
def test_pdf_killed_while_writing_keeps_a_whole_pdf_and_rebuilds(pdf_copy: Path, moment: str, inject: str) -> None:
    import pymupdf

    pdf = pdf_copy / "out/001.pdf"
    old = pdf.read_bytes()
    records = {p.name: p.read_bytes() for p in (pdf_copy / "cache/records").iterdir()}
    done = run(pdf_copy, inject=inject, body=_BUILD_PDF)
    assert done.returncode == KILLED, done.stderr
    if "record" in moment:  # the new PDF, whole; the record still describes the old one
        assert pdf.read_bytes() != old and pdf.read_bytes().rstrip().endswith(b"%%EOF")
    else:
        assert pdf.read_bytes() == old, moment
    assert {p.name: p.read_bytes() for p in (pdf_copy / "cache/records").iterdir() if not is_temp(p)} == records
    for leftover in temp_files(pdf_copy):
        assert Path(leftover).parent.name in ("out", "records")
    # the next build sees the issue changed (or the PDF not matching its record) and rebuilds
    done = run(pdf_copy, body=_BUILD_PDF)
    assert done.returncode == 0 and "built" in done.stdout, done.stderr
    with pymupdf.open(pdf) as doc:
        text = "".join("".join(page.get_text().split()) for page in doc)
    assert "本期另附一段编者说明" in text
    done = run(pdf_copy, body=_BUILD_PDF)
    assert "reused" in done.stdout


# ---------------------------------------------------------------- bulletin build

BUILD = ("build", "--audience", "counties")  # one audience's folder, site/counties/, swapped in whole


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A desk with the site's pages and one issue, built once."""
    desk = make_desk(tmp_path_factory.mktemp("build") / "desk")
    shutil.copy(REPO / "mkdocs.yml", desk / "mkdocs.yml")
    shutil.copytree(REPO / "docs", desk / "docs")  # with images/: the guides show screenshots
    (desk / "issues/huiyao/2026").mkdir(parents=True)
    shutil.copy(REPO / "issues/huiyao/2026/001.md", desk / "issues/huiyao/2026/001.md")
    shutil.copy(REPO / ".gitignore", desk / ".gitignore")
    init_repo(desk)
    done = run(desk, *BUILD)
    assert done.returncode == 0, done.stderr[-3000:]
    return desk


@pytest.fixture
def site_desk(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "desk"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def site_status(desk: Path) -> list[str]:
    """`git status` after a build, less the build's lock file (see the test below)."""
    return [line for line in status(desk) if line != "?? .site.lock"]


def served(desk: Path) -> dict[str, bytes]:
    """What the web server serves of site/: everything but dot files and folders (`bulletin nginx` denies them)."""
    return {k: v for k, v in snapshot(desk / "site").items() if not any(part.startswith(".") for part in k.split("/"))}


def building_folders(desk: Path) -> list[str]:
    return sorted(p.name for p in (desk / "site").iterdir() if p.name.startswith(".counties.") and p.is_dir())


def changed_item(desk: Path) -> None:
    """Something for the next build to do: an issue's text changed (its page and its PDF)."""
    issue = desk / "issues/huiyao/2026/001.md"
    issue.write_text(issue.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    git(desk, "commit", "-q", "-am", "Change the issue")


@pytest.mark.parametrize(
    ("moment", "inject"),
    [
        ("writing the pages into the temporary folder", fault("mkdocs.utils.write_file", at=5)),
        ("writing the new PDF into the store", fault("os.write", when="half", match="build/pdf")),
    ],
)
def test_build_killed_midway_leaves_the_last_good_site(site_desk: Path, moment: str, inject: str) -> None:
    changed_item(site_desk)
    site_before = served(site_desk)
    store_before = snapshot(site_desk / "build/pdf")
    done = run(site_desk, *BUILD, inject=inject)
    assert done.returncode == KILLED, done.stderr[-2000:]
    assert served(site_desk) == site_before, moment  # the killed build's folder is a dot folder, never served
    assert {k: v for k, v in snapshot(site_desk / "build/pdf").items() if not is_temp(k)} == store_before
    # the next build succeeds and clears what the killed one left
    done = run(site_desk, *BUILD)
    assert done.returncode == 0, done.stderr[-3000:]
    assert building_folders(site_desk) == []
    assert "补充一句" in (site_desk / "site/counties/publications/huiyao/2026/001/index.html").read_text(
        encoding="utf-8"
    )
    assert site_status(site_desk) == []


def test_build_killed_right_after_the_swap_leaves_the_new_site(site_desk: Path) -> None:
    changed_item(site_desk)
    # the folders are exchanged in one step; killed just after it, before the old site is removed
    done = run(site_desk, *BUILD, inject=fault("shutil.rmtree", when="before", match=".counties.building-"))
    assert done.returncode == KILLED, done.stderr[-2000:]
    assert "补充一句" in (site_desk / "site/counties/publications/huiyao/2026/001/index.html").read_text(
        encoding="utf-8"
    )
    done = run(site_desk, *BUILD)
    assert done.returncode == 0, done.stderr[-3000:]
    assert building_folders(site_desk) == [] and site_status(site_desk) == []


_NO_EXCHANGE = "import bulletin.publish.build\nbulletin.publish.build._exchange = lambda a, b: False\n"


def test_build_killed_between_the_two_renames_is_recovered_by_the_next(site_desk: Path) -> None:
    """Where the folders cannot be exchanged in one step: site/counties/ is renamed away, then the new one in."""
    changed_item(site_desk)
    before = snapshot(site_desk / "site/counties")
    inject = _NO_EXCHANGE + fault("pathlib.Path.rename", when="after", match="/counties ")
    done = run(site_desk, *BUILD, inject=inject)
    assert done.returncode == KILLED, done.stderr[-2000:]
    assert not (site_desk / "site/counties").exists() and (site_desk / "site/.counties.old").is_dir()
    assert snapshot(site_desk / "site/.counties.old") == before  # the last good site, whole
    done = run(site_desk, *BUILD, inject=_NO_EXCHANGE)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "补充一句" in (site_desk / "site/counties/publications/huiyao/2026/001/index.html").read_text(
        encoding="utf-8"
    )
    assert building_folders(site_desk) == [] and not (site_desk / "site/.counties.old").exists()
    assert site_status(site_desk) == []


def test_ctrl_c_during_a_build_leaves_the_site_and_no_temporary_folder(site_desk: Path) -> None:
    changed_item(site_desk)
    before = snapshot(site_desk / "site")
    done = run(site_desk, *BUILD, inject=fault("mkdocs.utils.write_file", then=CTRL_C, at=5))
    assert_interrupted(done, alone=False)
    assert snapshot(site_desk / "site") == before
    assert building_folders(site_desk) == []
    assert site_status(site_desk) == []


def test_a_build_leaves_nothing_for_git_status(site_desk: Path) -> None:
    assert status(site_desk) == []
