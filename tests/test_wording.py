"""What the desk says to its users follows its own typography: no spaces between Chinese and Latin text.

Government style (GB/T 15834, GB/T 15835, and the desk's own `stray-space` rule) puts no space between
a Chinese character or full-width punctuation and a Latin letter, a digit or an ASCII symbol. This
test reads every string literal in scripts/bulletin (f-strings with each placeholder standing for a
Latin word; docstrings skipped) that contains Chinese, and finds such spaces.

Commands and options inside Chinese prose are set off with Chinese quotes, “bulletin check --base main”,
so that they need no space around them. A space is still allowed:
- inside “…” and `…` (a command's own spaces: “git fetch origin 该提交所在的引用”, `bulletin fix 文件`);
- after an ASCII colon or comma (YAML written out for the user: 标题: ……, [市委, 市政府]);
- around # and | (comments in generated YAML, nginx and shell files; Markdown tables) and after a
  Markdown or YAML marker at the start of a line (## 标题, > 编者按, - 原文);
- in a run of two or more spaces (columns lined up: the examples in `bulletin -h`, the template's comments);
- between a number and a Latin unit (256 KB): both sides are Latin, so this test never looks at it;
- in the few strings listed in ALLOWED, each for the reason given there.
A single space at either end of a literal is stray too: it meets whatever the string is joined to
(f"{path}" + " 第{line}行").
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bulletin.core.typography import FW_PUNCT, HAN

PACKAGE = Path(__file__).resolve().parent.parent / "scripts" / "bulletin"
PLACEHOLDER = "{}"  # an f-string's {expression}: counted as Latin text

ALLOWED = {
    # the stray-space rule's own example of the fault
    "全年 签约 22 个 项目",
    # an emoji status mark (❌ ⚠️ ✅) before a heading's words, not Latin text
    "## {} 信息报送检查",
    # the marker in docs/index.md that the site plugin looks for
    "<!-- 最新各期 -->",
    # the git identity recorded on receipt commits; changing it would change the notes' history
    "bulletin 接报登记",
    # the header of the generated .github/CODEOWNERS, committed in every desk: changing it makes every
    # desk's file stale (`bulletin check` would fail until regenerated)
    "# 本文件由 bulletin codeowners 按信息网络名册（{}）自动生成，请勿手工修改：",
    "# 名册中的编辑、管理员调整后，运行 bulletin codeowners 重新生成，与名册的改动一并提交；",
    # the header of the installed git hooks: changing it makes `bulletin hook install` refuse to
    # replace the hooks already installed on a server without --force
    "#!/bin/sh\n# 信息报送台：{}。\n# 由 bulletin hook install 生成；重新安装会覆盖本文件。\nexec {} -I -m bulletin hook {}\n",
}

_CN = f"[{HAN}{FW_PUNCT}]"
_LATIN = r"[!-~]"  # printable ASCII other than the space
STRAY = re.compile(rf"(?<={_CN}) (?={_LATIN})|(?<={_LATIN}) (?={_CN})")
_QUOTED = re.compile(r"“[^“”\n]*”|`[^`\n]*`")
_LINE_MARKER = re.compile(r"^[ \t]*(?:#+|>|[-*]|\d+\.)[ \t]", re.MULTILINE)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def chinese_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal with Chinese in it; f-string placeholders become {}."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            skip.update(id(part) for part in node.values)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(p.value if isinstance(p, ast.Constant) else PLACEHOLDER for p in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        else:
            continue
        if re.search(f"[{HAN}]", text):
            found.append((node.lineno, text))
    return found


def stray_spaces(text: str) -> list[str]:
    """Each space in text between Chinese and Latin that the exceptions above do not allow, in context."""
    if text in ALLOWED:
        return []
    masked = _QUOTED.sub(lambda m: "“" + "x" * (len(m[0]) - 2) + "”", text)
    masked = _LINE_MARKER.sub(lambda m: "x" * len(m[0]), masked)
    problems = []
    for m in STRAY.finditer(masked):
        i = m.start()
        before, after = masked[i - 1], masked[i + 1]
        if before in ":,#|" or after in "#|":
            continue
        problems.append(text[max(0, i - 8) : i + 9])
    # a space at either end meets whatever the string is joined to: f"{path}" + " 第{line}行"
    problems += [m[0] for m in re.finditer(rf"^ {_CN}|{_CN} $", text)]
    return problems


def test_no_space_between_chinese_and_latin_in_messages() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line, text in chinese_strings(path.read_text(encoding="utf-8")):
            found += [f"{path.relative_to(PACKAGE)}:{line}: …{c}…" for c in stray_spaces(text)]
    assert not found, "汉字与外文、数字之间不加空格（命令、选项用“”括起）：\n" + "\n".join(found)


def test_the_check_finds_what_it_should() -> None:
    source = (
        'a = "YAML 格式有误"\n'
        'b = f"第 {line} 行"\n'
        'c = f"超过{n} 字"\n'
        'd = "请运行 bulletin fix 自动改正"\n'
        'e = "（可运行“bulletin fix”自动改正）"\n'
        'f = "标题: ……\\n报送对象: [市委, 市政府]"\n'
        'g = "文件过大（256 KB，上限512 KB）"\n'
        'k = " 第" + str(n) + "行"\n'
        'h = "| 文件 | 行 |"\n'
        'i = "## 迟报"\n'
        'def j():\n    """文档字符串 not checked."""\n'
    )
    found = {text: stray_spaces(text) for _, text in chinese_strings(source)}
    assert {text for text, problems in found.items() if problems} == {
        "YAML 格式有误",
        "第 {} 行",
        "超过{} 字",
        "请运行 bulletin fix 自动改正",
        " 第",
    }
