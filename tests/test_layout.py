"""The package's shape (issue 11): layers a newcomer can see, no module reaching into another's
private names, and the desk read one way (links out of the repository never followed)."""

from __future__ import annotations

import ast
from pathlib import Path

from bulletin.desk.config import load_config
from bulletin.desk.snapshot import item_files, read_desk
from bulletin.publish.generate import load_submissions
from desk_helpers import make_desk, run_cli

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "bulletin"
LAYERS = ("core", "desk", "duty", "rules", "editorial", "access", "network", "report", "publish", "cli")


def test_the_package_is_grouped_into_layers() -> None:
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__.py", "__main__.py", "entry.py", "errors.py"]
    for layer in LAYERS:
        assert (PACKAGE / layer / "__init__.py").is_file(), layer
        doc = ast.get_docstring(ast.parse((PACKAGE / layer / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"{layer}/__init__.py should say what the layer holds"


def test_no_module_imports_another_modules_private_names() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bulletin"):
                found += [
                    f"{path.relative_to(PACKAGE)}: {node.module}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert found == []


def test_the_core_does_no_io() -> None:
    """core/ is pure: it imports nothing of the desk, git, the file system helpers or the verbs."""
    for path in sorted((PACKAGE / "core").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        outside = [
            m for m in modules if m.startswith("bulletin.") and not m.startswith(("bulletin.core", "bulletin.errors"))
        ]
        assert outside == [], (path.name, outside)
        assert not {"git", "subprocess"} & {m.split(".")[0] for m in modules}, path.name


def test_every_verb_is_a_module_with_add_and_run() -> None:
    from bulletin import cli

    for verb in cli.VERBS:
        tree = ast.parse((PACKAGE / "cli" / f"{verb}.py").read_text(encoding="utf-8"))
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert {"add", "run"} <= names, verb


def test_a_linked_year_folder_is_read_by_nothing(tmp_path: Path) -> None:
    """Issue 12, finding 11: build and ledger followed a linked year folder out of the repository
    (check refused it). The desk has one reader of its files, and it follows no link."""
    desk = make_desk(tmp_path / "desk")
    outside = tmp_path / "outside"
    outside.mkdir()
    real = sorted((desk / "submissions" / "xiushui").glob("*/*.md"))[0]
    (outside / "1201-01.md").write_text(real.read_text(encoding="utf-8"), encoding="utf-8")
    (desk / "submissions" / "xiushui" / "2027").symlink_to(outside, target_is_directory=True)
    config = load_config(desk)
    assert not any("/2027/" in rel for rel in item_files(desk))
    assert not any("/2027/" in item_id for item_id in read_desk(config).items)
    assert not any("/2027/" in item_id for item_id in load_submissions(config))
    done = run_cli("check", "submissions/xiushui/2027/1201-01.md", cwd=desk)
    assert done.returncode == 1 and "file-type" in done.stdout and "符号链接" in done.stdout


def test_git_is_asked_through_one_module() -> None:
    """Every git command goes through desk/git.py, the server hook's too (desk.git.Repository).
    Reading receipts imports no GitPython."""
    asking = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        runtime = [n for n in tree.body if not (isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test))]
        names = {
            a.name
            for n in ast.walk(ast.Module(body=runtime, type_ignores=[]))
            if isinstance(n, ast.Import)
            for a in n.names
        }
        names |= {
            n.module or "" for n in ast.walk(ast.Module(body=runtime, type_ignores=[])) if isinstance(n, ast.ImportFrom)
        }
        if {"git", "subprocess"} & {name.split(".")[0] for name in names}:
            asking.append(path.relative_to(PACKAGE).as_posix())
    assert set(asking) == {"desk/git.py"}, asking
    assert "desk/git.py" in asking
