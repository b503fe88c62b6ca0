"""A year of Word files (.docx): every issue of the generated year as `bulletin build` makes them
(publish/docx.py: the item texts through items.lua in one pandoc run, every document written in a
second pandoc run with the reference document, then python-docx for masthead and 报尾), against
pandoc alone converting the same Markdown to .docx with the same reference document, one pandoc
run per issue, measured side by side in the same run. Run through bench/run.py (`--only docx`).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

from measure import PYTHON, Row, mib, rounds, run_child, within
from pdf_bench import issue_markdown, pandoc_path

YEAR = """
import sys
from pathlib import Path
from bulletin.desk.config import load_config
from bulletin.desk.issues import read_issue
from bulletin.publish.docx import DocxBuilder
root, out, cache = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
config = load_config(root)
rels = sorted(p.relative_to(root).as_posix() for p in (root / "issues").glob("*/*/*.md") if p.name[0].isdigit() or p.name.startswith("zk"))
issues = [read_issue(root / rel, rel) for rel in rels]
made = DocxBuilder(config, cache).build_many([(i, out / f"{i.id}.docx") for i in issues], force=True)
print(len(made))
"""
REFERENCE = """
import sys
from pathlib import Path
from bulletin.publish.docx import write_reference
write_reference(Path(sys.argv[1]))
"""
PANDOC_ALL = """
import subprocess, sys
from pathlib import Path
pandoc, reference, src, out = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
for md in sorted(src.glob("*.md")):
    subprocess.run([pandoc, str(md), "-o", str(out / (md.stem + ".docx")), "--reference-doc", reference], check=True)
"""


def run(b) -> list[Row]:  # type: ignore[no-untyped-def]
    root: Path = b.root
    work: Path = b.work / "docx"
    shutil.rmtree(work, ignore_errors=True)
    (work / "md").mkdir(parents=True)
    config = yaml.safe_load((root / "bulletin.yml").read_text(encoding="utf-8"))
    names = {p["id"]: p["name"] for p in config.get("publications") or []}
    files = sorted(p for p in (root / "issues").glob("*/*/*.md") if p.name[0].isdigit() or p.name.startswith("zk"))
    for n, path in enumerate(files):
        rel = path.relative_to(root).as_posix()
        (work / "md" / f"{n:05d}.md").write_text(issue_markdown(root, rel, names), encoding="utf-8")
    reference = work / "reference.docx"
    run_child([PYTHON, "-c", REFERENCE, str(reference)], root)

    def ours(k: int) -> object:
        out = work / f"ours-{k}"
        return run_child([PYTHON, "-c", YEAR, str(root), str(out), str(work / f"cache-{k}")], root)

    def theirs(k: int) -> object:
        out = work / f"pandoc-{k}"
        out.mkdir()
        return run_child([PYTHON, "-c", PANDOC_ALL, pandoc_path(), str(reference), str(work / "md"), str(out)], root)

    got = rounds({"ours": ours, "pandoc": theirs}, b.repeat)  # type: ignore[dict-item]
    row = within(
        f"全年 {len(files)} 期 Word 文件（.docx）", got["ours"], got["pandoc"], "pandoc 每期一次，同一参考文档", 1.0
    )
    made = sorted((work / "ours-0").rglob("*.docx"))
    size = sum(p.stat().st_size for p in made)
    row.notes.append(
        f"{len(made)} 个 .docx，共 {size / 2**20:.1f} MiB；bulletin 含报头、报尾（python-docx）和读取各期，pandoc 只转换正文；"
        f"峰值内存 {mib(max(s.rss_kib for s in got['ours']))}"
    )
    return [row]


if __name__ == "__main__":
    import run as runner

    runner.main(["--only", "docx", *sys.argv[1:]])
