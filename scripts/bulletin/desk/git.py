"""Every git call of the desk, in one place: GitPython for history and objects; the git command
line (`Checkout`) for the few quick questions a branch check asks, since importing GitPython runs
`git version` and alone costs more than checking one item; and `Repository`, the (bare) repository
the server hook receives pushes into and `bulletin receipt` writes receipts to, asked the same way."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.errors import UsageError

if TYPE_CHECKING:  # imported where its object model is needed
    import git

_BASES = ("main", "origin/main", "master", "origin/master")


def _not_a_repository(root: Path) -> UsageError:
    return UsageError(f"{root}不是git仓库：不给出文件时，检查的是本分支相对主分支的改动，须在仓库中运行")


def open_repo(root: Path) -> git.Repo:
    import git

    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise _not_a_repository(root) from exc


class GitFailed(Exception):
    """A git command of `Checkout` did not succeed (what it printed is the message)."""


@dataclass
class Checkout:
    """The repository holding the desk at `root`, asked through the git command line. Made for one
    command: what it has been told about commits and files is kept for the command's length."""

    root: Path  # the desk
    top: Path  # the repository's work tree
    prefix: str  # the desk's folder within the repository ("" or "folder/")
    _commits: dict[str, str | None] = field(default_factory=dict, repr=False)
    _blobs: dict[tuple[str, str], bytes | None] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, root: Path) -> Checkout:
        try:
            top = _git(Path(root), "rev-parse", "--show-toplevel").rstrip("\n")
        except GitFailed as exc:
            raise _not_a_repository(root) from exc
        return cls(Path(root), Path(top), _prefix(Path(top), Path(root)))

    def run(self, *args: str) -> str:
        """git's output (run at the top of the work tree, as GitPython runs it); GitFailed if it fails."""
        return str(_git(self.top, *args))

    def commit(self, name: str) -> str | None:
        """The commit `name` stands for, or None."""
        if name not in self._commits:
            try:
                found = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
                self._commits[name] = found.strip()
            except GitFailed:
                self._commits[name] = None
        return self._commits[name]

    def base(self, base: str | None) -> tuple[str, str]:
        """The branch to compare with (as given, else main, else origin/main, as resolve_base) and its commit."""
        name = _pick_base(base, lambda candidate: self.commit(candidate) is not None)
        return name, str(self.commit(name))  # kept from the question just asked

    def blob(self, commit: str, rel: str) -> bytes:
        """The desk file `rel` as it is at `commit`; FileNotFoundError if it is not there."""
        if (commit, rel) not in self._blobs:
            try:
                data = bytes(_git(self.top, "cat-file", "blob", f"{commit}:{self.prefix}{rel}", text=False))
            except GitFailed:
                data = None
            self._blobs[commit, rel] = data
        found = self._blobs[commit, rel]
        if found is None:
            raise FileNotFoundError(rel)
        return found


class NotARepository(Exception):
    """No git repository at (or above) the given folder."""


@dataclass(frozen=True)
class Repository:
    """A repository asked by its git directory, bare (a server's) or with a work tree: what the
    server hook needs while a push is received (also the objects git keeps in quarantine until the
    hook accepts them: git's environment is passed on) and what receipts are written with."""

    git_dir: Path  # absolute
    bare: bool
    work_tree: Path | None

    @classmethod
    def at(cls, path: Path, search_parents: bool = False) -> Repository:
        """The repository at `path` (a bare repository's folder or a work tree), or with
        `search_parents` the one holding `path`; NotARepository if there is none."""
        path = Path(path).resolve()
        if not path.is_dir():
            raise NotARepository(str(path))
        env = {k: v for k, v in os.environ.items() if k not in ("GIT_DIR", "GIT_WORK_TREE")}
        if not search_parents:
            env["GIT_CEILING_DIRECTORIES"] = str(path.parent)
        try:
            out = _git(path, "rev-parse", "--absolute-git-dir", "--is-bare-repository", env=env).splitlines()
        except GitFailed as exc:
            raise NotARepository(str(path)) from exc
        git_dir, bare = Path(out[0]), out[1].strip() == "true"
        if not search_parents and git_dir != path and git_dir != path / ".git":
            raise NotARepository(str(path))
        try:
            top = None if bare else Path(_git(path, "rev-parse", "--show-toplevel", env=env).strip())
        except GitFailed:  # inside the git directory of a work tree
            top = None
        return cls(git_dir, bare, top)

    def run(self, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> str:
        """git's output; GitFailed if it fails."""
        return str(
            _git(self.git_dir, f"--git-dir={self.git_dir}", *args, env={**os.environ, **(env or {})}, input=input)
        )

    def succeeds(self, *args: str) -> bool:
        try:
            self.run(*args)
        except GitFailed:
            return False
        return True

    def commit(self, name: str) -> str | None:
        """The commit `name` stands for, or None."""
        try:
            return self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}").strip()
        except GitFailed:
            return None

    def is_ancestor(self, old: str, new: str) -> bool:
        return self.succeeds("merge-base", "--is-ancestor", old, new)

    def merge_base(self, one: str, other: str) -> str | None:
        """Their best common ancestor; None for unrelated histories."""
        try:
            return self.run("merge-base", one, other).strip() or None
        except GitFailed:
            return None

    def names(self, tree: str, *folders: str) -> list[str]:
        """Every file path in `tree` (under `folders`, when given)."""
        listing = self.run("ls-tree", "-r", "--name-only", "-z", "--end-of-options", tree, "--", *folders)
        return [name for name in listing.split("\0") if name]

    def name_status(self, base: str, new: str) -> str:
        """`git diff-tree --name-status -z` from `base` to `new`, without rename detection."""
        return self.run("diff-tree", "-r", "--no-renames", "--name-status", "-z", base, new)

    def added(self, base: str, new: str) -> list[str]:
        """The paths `new` adds to `base`."""
        out = self.run("diff-tree", "-r", "--no-renames", "--diff-filter=A", "--name-only", "-z", base, new)
        return [name for name in out.split("\0") if name]

    def refs(self) -> list[str]:
        return [r for r in self.run("for-each-ref", "--format=%(refname)").splitlines() if r]

    def blob(self, ref: str, path: str, max_bytes: int) -> bytes | None:
        """The file `path` as it is at `ref`; None when it is not there or is not a file;
        ValueError when it is larger than `max_bytes` (nothing of it is read)."""
        name = f"{ref}:{path}"
        try:
            kind, size = self.run("cat-file", "--batch-check=%(objecttype) %(objectsize)", input=name).split()[:2]
        except (GitFailed, ValueError):
            return None
        if kind != "blob":
            return None
        if int(size) > max_bytes:
            raise ValueError(f"{path}: {size} > {max_bytes} bytes")
        return bytes(_git(self.git_dir, f"--git-dir={self.git_dir}", "cat-file", "blob", name, text=False))

    def config_value(self, key: str) -> str:
        try:
            return self.run("config", "--get", key).strip()
        except GitFailed:
            return ""

    def hooks_dir(self) -> Path:
        found = Path(self.run("rev-parse", "--git-path", "hooks").strip())
        return (found if found.is_absolute() else self.git_dir / found).resolve()


def _git(cwd: Path, *args: str, text: bool = True, env: dict[str, str] | None = None, input: str | None = None) -> Any:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            input=None if input is None else (input + "\n").encode("utf-8"),
            capture_output=True,
            env={**(os.environ if env is None else env), "LC_ALL": "C"},
        )
    except OSError as exc:  # no git, or no such folder
        raise GitFailed(str(exc.strerror or exc)) from exc
    if done.returncode != 0:
        raise GitFailed(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout.decode("utf-8", "surrogateescape") if text else done.stdout


def _pick_base(base: str | None, exists: Callable[[str], bool]) -> str:
    for name in [base] if base else _BASES:
        if exists(name):
            return name
    if base:
        raise UsageError(f"找不到要比较的分支“{base}”：请先“git fetch”，或用“--base”指定已有的分支")
    raise UsageError("找不到主分支（main）：请用“--base”指定要比较的分支")


def desk_prefix(repo: git.Repo, root: Path) -> str:
    """The desk's folder within the repository, as a path prefix ("" when the desk is the repository)."""
    return _prefix(Path(repo.working_tree_dir or root), Path(root))


def _prefix(top: Path, root: Path) -> str:
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    return "" if prefix in ("", ".") else prefix + "/"


def resolve_base(repo: git.Repo, base: str | None) -> str:
    """The branch to compare with: as given, else main, else origin/main."""
    import git

    def exists(name: str) -> bool:
        try:
            repo.commit(name)
            return True
        except (git.BadName, ValueError, git.GitCommandError):
            return False

    return _pick_base(base, exists)


def file_reader(root: Path, ref: str | None, checkout: Checkout | None = None) -> tuple[str, Callable[[str], bytes]]:
    """(the resolved ref, a reader of desk files as they are at that ref's commit now)."""
    checkout = checkout or Checkout.of(root)
    resolved, commit = checkout.base(ref)
    return resolved, lambda name: checkout.blob(commit, name)


def paths_at(root: Path, ref: str, folder: str) -> list[str]:
    """Desk-relative paths of the files under `folder` at `ref`."""
    repo = open_repo(root)
    out = repo.git.ls_tree("-r", "--name-only", "-z", ref, "--", folder)
    return sorted(n for n in out.split("\0") if n)


@dataclass(frozen=True)
class Version:
    """One committed version of a file: who changed it, when, and the text."""

    commit: str
    author: str
    date: dt.datetime
    text: str


def history(root: Path, rel: str) -> list[Version]:
    """Every committed version of a desk file, oldest first."""
    repo = open_repo(root)
    if not repo.head.is_valid():
        return []
    versions = []
    for commit in repo.iter_commits(paths=rel, reverse=True):
        try:
            blob = commit.tree / rel
        except KeyError:
            continue
        versions.append(
            Version(
                commit.hexsha,
                commit.author.name or "",
                commit.authored_datetime,
                blob.data_stream.read().decode("utf-8", "replace"),
            )
        )
    return versions


def landed(root: Path, ref: str, folder: str) -> dict[str, dt.datetime]:
    """When each file under `folder` first landed on the branch `ref` (following its first
    parents, so a merged pull request counts from its merge, whose date the unit does not set).

    Keys are paths relative to the desk (`root`), also when the desk is a folder of a larger repository.
    """
    repo = open_repo(root)
    if not repo.head.is_valid():
        return {}
    prefix = desk_prefix(repo, root)
    out = repo.git(c="core.quotepath=off").log(
        "--first-parent",
        "--diff-merges=first-parent",
        "--diff-filter=A",
        "--name-only",
        "--format=%x00%cI",
        "--reverse",
        ref,
        "--",
        f"{prefix}{folder}",
    )
    found: dict[str, dt.datetime] = {}
    when: dt.datetime | None = None
    for line in out.splitlines():
        if line.startswith("\0"):
            when = dt.datetime.fromisoformat(line[1:])
        elif line.strip().startswith(prefix) and when is not None:
            found.setdefault(line.strip()[len(prefix) :], when)
    return found


def revisions_before_landing(root: Path, ref: str, folder: str, landed_at: dict[str, dt.datetime]) -> dict[str, int]:
    """How many times each file was changed on its way in, before it landed on `ref`: each
    change after the first push answers a request for changes (退改)."""
    repo = open_repo(root)
    if not repo.head.is_valid():
        return {}
    out = repo.git.log("--diff-filter=M", "--name-only", "--format=%x00%H", ref, "--", folder)
    counts: dict[str, int] = {}
    commit: str | None = None
    on_main = set(repo.git.rev_list("--first-parent", ref).split())
    for line in out.splitlines():
        if line.startswith("\0"):
            commit = line[1:]
        elif line.strip() and commit is not None and commit not in on_main and line.strip() in landed_at:
            counts[line.strip()] = counts.get(line.strip(), 0) + 1
    return counts


def files_at(root: Path, ref: str, folder: str) -> dict[str, bytes]:
    """Every file under the desk's `folder` as it is at `ref` (desk-relative path -> bytes), read in
    one `git cat-file --batch` rather than a process per file."""
    checkout = Checkout.of(root)
    listing = checkout.run("ls-tree", "-r", "-z", "--end-of-options", ref, "--", f"{checkout.prefix}{folder}")
    entries = []  # (desk-relative path, blob id) of regular files only: no links, no submodules
    for row in listing.split("\0"):
        if not row:
            continue
        meta, _, name = row.partition("\t")
        mode, kind, oid = meta.split()
        if kind == "blob" and mode in ("100644", "100755") and name.startswith(checkout.prefix):
            entries.append((name[len(checkout.prefix) :], oid))
    if not entries:
        return {}
    found = _objects(checkout.top, [oid for _, oid in entries])
    return {rel: data for (rel, _), data in zip(entries, found, strict=True) if data is not None}


def _objects(cwd: Path, names: list[str]) -> list[bytes | None]:
    """The contents of git objects (ids, or `commit:path`), in one `git cat-file --batch` rather than a
    process per object; None for a name that names no object."""
    if not names:
        return []
    request = "".join(f"{name}\n" for name in names).encode()
    done = subprocess.run(["git", "cat-file", "--batch"], cwd=cwd, input=request, capture_output=True, check=False)
    if done.returncode != 0:
        raise GitFailed(done.stderr.decode("utf-8", "replace").strip())
    out: list[bytes | None] = []
    data, at = done.stdout, 0
    for _ in names:
        header_end = data.index(b"\n", at)
        header = data[at:header_end].split()
        if header[-1] in (b"missing", b"ambiguous"):
            out.append(None)
            at = header_end + 1
            continue
        size = int(header[2])
        out.append(data[header_end + 1 : header_end + 1 + size])
        at = header_end + 1 + size + 1
    return out


def files_in_commits(root: Path, wanted: list[tuple[str, str]]) -> list[bytes | None]:
    """The desk files `(commit, desk-relative path)` as they are in those commits (None: not there),
    read in one batch: the submissions that only lie on unit branches, found through their receipts."""
    if not wanted:
        return []
    checkout = Checkout.of(root)
    return _objects(checkout.top, [f"{commit}:{checkout.prefix}{rel}" for commit, rel in wanted])


def notes(root: Path, ref: str) -> Iterator[tuple[str, str]]:
    """(the annotated commit, the text) of every note under the notes `ref` of the repository holding
    `root` (a work tree or a bare repository); nothing when there is no repository or no such notes."""
    try:
        listing = _git(root, "notes", "--ref", ref, "list")
    except GitFailed:
        return
    rows = [row.split()[:2] for row in listing.splitlines() if row.strip()]
    for (_, commit), data in zip(rows, _objects(root, [blob for blob, _ in rows]), strict=True):
        if data is not None:
            yield commit, data.decode("utf-8", "replace")


def grep_notes(root: Path, ref: str, needles: Iterable[str]) -> str:
    """The lines of the notes under `ref` that contain any of `needles` (one `git grep` over the notes tree)."""
    patterns = [arg for needle in needles for arg in ("-e", needle)]
    if not patterns:
        return ""
    try:
        return str(_git(root, "grep", "-h", "-F", "--no-color", *patterns, ref, "--"))
    except GitFailed:  # no match (exit 1), or no notes ref, or no repository
        return ""


def unmerged_commits(root: Path, main: str, folder: str) -> tuple[set[str], dict[str, int]]:
    """Commits on the desk's live branches (local and remote-tracking, main itself excluded) that
    are not on `main`: where a submission waiting in a pull request lies (待审); and how many of them
    change each desk file under `folder` (more than one: revised after it was sent, 退改). A branch
    deleted when its pull request was closed leaves its commits out (未采用)."""
    checkout = Checkout.of(root)
    refs = checkout.run("for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes").split()

    def is_main(ref: str) -> bool:
        parts = ref.split("/")
        return ref == "refs/heads/main" or (parts[1] == "remotes" and len(parts) == 4 and parts[3] in ("main", "HEAD"))

    live = [r for r in refs if not is_main(r)]
    if not live:
        return set(), {}
    try:
        out = checkout.run(
            "log", "--format=%x00%H", "--name-only", *live, "--not", main, "--", f"{checkout.prefix}{folder}"
        )
        commits = set(checkout.run("rev-list", *live, "--not", main, "--").split())
    except GitFailed:
        return set(), {}
    touched: dict[str, int] = {}
    for line in out.splitlines():
        if line and not line.startswith("\0") and line.startswith(checkout.prefix):
            rel = line[len(checkout.prefix) :]
            touched[rel] = touched.get(rel, 0) + 1
    return commits, touched


@dataclass(frozen=True)
class Change:
    commit: str
    when: dt.datetime
    author: str
    status: str  # M / D (additions are not changes)
    path: str  # desk-relative


def changes(root: Path, ref: str, folders: Iterable[str]) -> Iterator[Change]:
    """Modifications and deletions under the desk's `folders` on `ref`'s first-parent line, oldest first."""
    checkout = Checkout.of(root)
    prefix = checkout.prefix
    out = checkout.run(
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "--no-renames",
        "--diff-filter=MD",
        "--name-status",
        "--format=%x00%H%x09%cI%x09%an",
        "--reverse",
        ref,
        "--",
        *(prefix + folder for folder in folders),
    )
    head: tuple[str, dt.datetime, str] | None = None
    for line in out.splitlines():
        if line.startswith("\0"):
            sha, when, author = line[1:].split("\t", 2)
            head = (sha, dt.datetime.fromisoformat(when), author)
        elif "\t" in line and head is not None:
            status, name = line.split("\t", 1)
            if name.startswith(prefix):
                yield Change(head[0], head[1], head[2], status[:1], name[len(prefix) :])
