"""Every git call of the desk, in one place (GitPython)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import git

from bulletin.errors import UsageError


def open_repo(root: Path) -> git.Repo:
    try:
        return git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise UsageError(f"{root} 不是 git 仓库：不给出文件时，检查的是本分支相对主分支的改动，须在仓库中运行") from exc


def desk_prefix(repo: git.Repo, root: Path) -> str:
    """The desk's folder within the repository, as a path prefix ("" when the desk is the repository)."""
    top = Path(repo.working_tree_dir or root).resolve()
    prefix = Path(root).resolve().relative_to(top).as_posix()
    return "" if prefix in ("", ".") else prefix + "/"


def resolve_base(repo: git.Repo, base: str | None) -> str:
    """The branch to compare with: as given, else main, else origin/main."""
    candidates = [base] if base else ["main", "origin/main", "master", "origin/master"]
    for name in candidates:
        try:
            repo.commit(name)
            return name
        except (git.BadName, ValueError, git.GitCommandError):
            continue
    if base:
        raise UsageError(f"找不到要比较的分支“{base}”：请先 git fetch，或用 --base 指定已有的分支")
    raise UsageError("找不到主分支（main）：请用 --base 指定要比较的分支")


def file_reader(root: Path, ref: str | None) -> tuple[str, Callable[[str], bytes]]:
    """(the resolved ref, a reader of desk files as they are at that ref)."""
    repo = open_repo(root)
    resolved = resolve_base(repo, ref)
    tree = repo.commit(resolved).tree
    prefix = Path(root).resolve().relative_to(Path(repo.working_tree_dir or root).resolve()).as_posix()

    def read(name: str) -> bytes:
        rel = name if prefix in ("", ".") else f"{prefix}/{name}"
        try:
            blob = tree / rel
        except KeyError as exc:
            raise FileNotFoundError(rel) from exc
        return bytes(blob.data_stream.read())

    return resolved, read


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
