"""The title breaker's dictionary in an indexed file (core.titlebreak.Lexicon).

jieba reads its whole dictionary (350,000 words, most of a second and 70 MB) before it cuts the
first title. To cut one title it looks up nothing but that title's substrings, so the words and
prefixes of its dictionary, with the total frequency, are kept once per machine in an SQLite file
in the user's cache folder, built by jieba's own reader (`Tokenizer.gen_pfdict`), and a title asks
only for its own substrings: the same cuts, for a few milliseconds. The file is named after
jieba's version and its dictionary file's size and time, so another jieba or dictionary gets a
file of its own. Where the cache cannot be written, there is no lexicon and the title breaker
loads the whole dictionary as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
import threading
from pathlib import Path

from bulletin.core.titlebreak import load_jieba
from bulletin.desk.fonts import user_cache

_LOCK = threading.Lock()
_OPEN: dict[Path, Lexicon | None] = {}


class Lexicon:
    """Substrings of a text that the dictionary holds, read from the indexed file."""

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        (total,), (longest,) = (
            self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone() for key in ("total", "longest")
        )
        self.total, self.longest = int(total), int(longest)

    def within(self, text: str) -> tuple[dict[str, int], int]:
        subs = sorted({text[i:j] for i in range(len(text)) for j in range(i + 1, min(len(text), i + self.longest) + 1)})
        found: dict[str, int] = {}
        with self._lock:
            for start in range(0, len(subs), 900):  # within SQLite's limit of parameters
                part = subs[start : start + 900]
                rows = self._db.execute(
                    f"SELECT word, freq FROM words WHERE word IN ({','.join('?' * len(part))})", part
                )
                found.update((word, int(freq)) for word, freq in rows)
        return found, self.total


def _build(dictionary: Path, path: Path) -> None:
    """Write the indexed file from jieba's dictionary by jieba's own reader (the words, and every
    prefix of a word with frequency 0, exactly as jieba holds them), atomically."""
    jieba = load_jieba()
    with dictionary.open("rb") as f:
        freq, total = jieba.Tokenizer.gen_pfdict(f)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".lexicon-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        with db:
            db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)")
            db.executemany("INSERT INTO words VALUES (?, ?)", freq.items())
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)", [("total", total), ("longest", max(map(len, freq), default=1))]
            )
        db.close()
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def lexicon(cache: Path | None = None) -> Lexicon | None:
    """The lexicon of the installed jieba dictionary, built on first use (a few seconds, once per
    machine) in `cache` (default: the user's cache folder); None where it cannot be built or read."""
    try:
        jieba = load_jieba()
        dictionary = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
        st = dictionary.stat()
        key = hashlib.sha256(f"{jieba.__version__}\0{st.st_size}\0{st.st_mtime_ns}".encode()).hexdigest()[:16]
        path = (cache or user_cache()) / "lexicon" / f"jieba-{key}.sqlite"
    except (OSError, ImportError, AttributeError):
        return None
    with _LOCK:
        if path not in _OPEN:
            found: Lexicon | None = None
            try:
                if not path.exists():
                    _build(dictionary, path)
                found = Lexicon(path)
            except (OSError, sqlite3.Error, TypeError, ValueError):
                found = None
            _OPEN[path] = found
        return _OPEN[path]
