"""The desk above, as this desk reads it: a private copy of its repository, fetched read-only.

The copy lives in this desk's git directory (`.git/bulletin-upstream/<unit>/`, never committed), and
holds only what this desk needs of the desk above (sparse): its configuration and registry, its
issues and records, and this desk's own folder there (`submissions/<unit>/`). `bulletin forward`
writes its submission in that copy and pushes it; `bulletin sync` reads the copy. Every git command
goes through bulletin.desk.git.Repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bulletin.core.model import Config
from bulletin.desk.config import Upstream, load_config, load_upstream
from bulletin.desk.git import GitFailed, NotARepository, Repository
from bulletin.desk.receipts import NOTES_REF
from bulletin.errors import BulletinError, ConfigError, UsageError

CACHE = "bulletin-upstream"
MAIN = "refs/remotes/upstream/main"  # the desk above's main, as last fetched
SYNCED = "refs/bulletin/synced"  # the desk above's main as of the last sync (the recorded position)
SYNCED_NOTES = "refs/bulletin/synced-receipts"  # and its receipts then


def require_upstream(config: Config) -> Upstream:
    found = load_upstream(config)
    if found is None:
        raise UsageError(
            f"{config.root / 'bulletin.yml'}：没有配置上级报送台：请在bulletin.yml中加上upstream一节"
            "（name、url、unit、informant等，写法见编辑指南“上下级报送台”一节）"
        )
    return found


@dataclass(frozen=True)
class Channel:
    """This desk's copy of the desk above."""

    upstream: Upstream
    tree: Path  # the copy's work tree (sparse)
    repo: Repository

    @property
    def folder(self) -> str:
        """This desk's folder in the desk above."""
        return f"submissions/{self.upstream.unit}"

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        return self.repo.run(*args, env=env)

    def fetch(self) -> str:
        """Fetch the desk above's main, its receipts and this desk's branches there (read-only); its main's commit."""
        unit = self.upstream.unit
        try:
            self.git(
                "fetch",
                "--quiet",
                "--prune",
                "--no-tags",
                self.upstream.url,
                f"+refs/heads/main:{MAIN}",
                f"+{NOTES_REF}*:{NOTES_REF}*",
                f"+refs/heads/{unit}/*:refs/remotes/upstream/{unit}/*",
            )
        except GitFailed as exc:
            raise UsageError(
                f"无法读取上级报送台{self.upstream.name}（{self.upstream.url}）：{_first_line(exc)}。"
                "请核对bulletin.yml中的upstream.url，以及本机访问该仓库的账号和网络"
            ) from exc
        commit = self.repo.commit(MAIN)
        if commit is None:
            raise UsageError(f"上级报送台{self.upstream.name}（{self.upstream.url}）没有主分支main：请核对upstream.url")
        return commit

    def checkout(self, ref: str = MAIN, branch: str = "main") -> None:
        """Put `ref` into the copy's work tree as `branch` (the copy is ours: no user's file is touched)."""
        self.git("checkout", "--quiet", "--force", "-B", branch, ref)

    def config(self) -> Config:
        """The desk above's configuration and registry (as checked out)."""
        try:
            return load_config(self.tree)
        except BulletinError as exc:
            raise ConfigError(f"上级报送台{self.upstream.name}的配置读不出：{exc}") from exc

    def names(self, ref: str, *folders: str) -> list[str]:
        """Every file path at `ref` (under `folders`, when given), from the top of the tree."""
        listing = self.git("ls-tree", "-r", "--full-tree", "--name-only", "-z", ref, "--", *folders)
        return [name for name in listing.split("\0") if name]

    def changed(self, old: str, new: str, *folders: str) -> list[str]:
        """The files under `folders` that `new` adds or changes against `old` (paths from the top)."""
        tops = [f":(top){folder}" for folder in folders]
        out = self.git(
            "diff-tree", "-r", "--no-renames", "--diff-filter=AM", "--name-only", "-z", old, new, "--", *tops
        )
        return [name for name in out.split("\0") if name]

    def branch_names(self) -> list[str]:
        """This desk's branches in the desk above, as fetched (refs/remotes/upstream/<unit>/...)."""
        prefix = f"refs/remotes/upstream/{self.upstream.unit}/"
        return [ref for ref in self.repo.refs() if ref.startswith(prefix)]


def _first_line(exc: Exception) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    return lines[-1].strip() if lines else "git出错"


def open_channel(config: Config, upstream: Upstream) -> Channel:
    """This desk's copy of the desk above, made on first use."""
    try:
        own = Repository.at(config.root, search_parents=True)
    except NotARepository as exc:
        raise UsageError(f"{config.root}不是git仓库：上报和同步须在报送台的git仓库中运行") from exc
    tree = own.git_dir / CACHE / upstream.unit
    git_dir = tree / ".git"
    repo = Repository(git_dir, bare=False, work_tree=tree)
    if not (git_dir / "HEAD").is_file():
        git_dir.mkdir(parents=True, exist_ok=True)
        repo.run("init", "--quiet", "-b", "main")
        repo.run("config", "core.bare", "false")
        repo.run("config", "core.worktree", str(tree))
        repo.run("config", "core.sparseCheckout", "true")
        repo.run("config", "core.sparseCheckoutCone", "true")
        # only what this desk reads: the top-level files, issues, records and its own folder
        patterns = [
            "/*",
            "!/*/",
            "/issues/",
            "/records/",
            "/submissions/",
            "!/submissions/*/",
            f"/submissions/{upstream.unit}/",
        ]
        (git_dir / "info").mkdir(exist_ok=True)
        (git_dir / "info" / "sparse-checkout").write_text("\n".join(patterns) + "\n", encoding="utf-8")
    return Channel(upstream, tree, repo)
