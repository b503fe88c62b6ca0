"""What `bulletin receipt` prints: the receipts a repository holds, and what `receipt add` recorded."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from bulletin.core.timing import format_time
from bulletin.desk.receipts import NOTES_REF, Receipt

SOURCE_NAMES = {"hook": "服务器钩子", "forge": "合并请求", "import": "导入"}


def as_json(receipts: Mapping[str, Receipt]) -> str:
    rows = [
        {"path": r.path, "received_at": r.received_at.isoformat(), "account": r.account, "source": r.source}
        for r in receipts.values()
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def as_text(receipts: Mapping[str, Receipt]) -> str:
    if not receipts:
        return f"没有接报记录（{NOTES_REF}）。从服务器取得：git fetch origin {NOTES_REF}:{NOTES_REF}"
    lines = [
        f"{r.path}\t{format_time(r.received_at)}\t{r.account or '（账号不明）'}\t{SOURCE_NAMES.get(r.source, r.source)}"
        for r in receipts.values()
    ]
    lines.append(f"共{len(receipts)}条接报记录")
    return "\n".join(lines)


def added(written: Sequence[Receipt], existing: Mapping[str, Receipt]) -> str:
    lines = [f"已登记{r.path}：{format_time(r.received_at)}（{r.account or '账号不明'}）" for r in written]
    lines += [f"{path}：已于{format_time(r.received_at)}接报，不再登记" for path, r in existing.items()]
    return "\n".join(lines)
