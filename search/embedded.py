"""The embedded search engine: SQLite FTS5 in one local file, inside the process.

Why SQLite FTS5: it ships with Python (no server, no extra wheel), is
transactional, and is fast enough for a secretariat's archive (see the
benchmark). FTS5's own tokenizers know no Indonesian, so SIAP analyses text
itself (``search.stemmer``, the same rules as Elasticsearch's ``indonesian``
analyzer) and stores two columns per item: ``stems`` (stop words out, each
word stemmed: what words and phrases match) and ``words`` (every word as
written, lower-cased: what prefixes match). The ``vocab`` table (FTS5's
own ``fts5vocab``) lists the words, from which spelling suggestions come.
"""

import html
import sqlite3
import threading
from datetime import date
from pathlib import Path

from . import registry
from .port import Engine, Hit, SearchResult
from .stemmer import STOP_WORDS, stem, tokens

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, kind TEXT, title TEXT, body TEXT,
    url TEXT, date TEXT);
CREATE TABLE IF NOT EXISTS principals (item INTEGER NOT NULL, principal TEXT NOT NULL,
    PRIMARY KEY (principal, item)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facets (item INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (name, value, item)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facets_item ON facets (item);
CREATE INDEX IF NOT EXISTS principals_item ON principals (item);
CREATE VIRTUAL TABLE IF NOT EXISTS terms USING fts5 (stems, words, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS vocab USING fts5vocab (terms, 'col');
"""

SNIPPET_CHARS = 220


def _stems(text):
    return " ".join(stem(word) for word, _s, _e in tokens(text) if word not in STOP_WORDS)


def _words(text):
    return " ".join(word for word, _s, _e in tokens(text))


def _quote(term):
    return '"' + term.replace('"', "") + '"'


class EmbeddedBackend(Engine):
    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()

    @property
    def db(self):
        connection = getattr(self._local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            self._local.connection = connection
        return connection

    # --- writing ---------------------------------------------------------

    def upsert(self, items):
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for item in items:
                registry.check_facets(item)
                self._delete_one(item.id)
                cursor = db.execute(
                    "INSERT INTO items (id, kind, title, body, url, date) VALUES (?, ?, ?, ?, ?, ?)",
                    (item.id, item.kind, item.title, item.body, item.url, item.date.isoformat()),
                )
                rowid = cursor.lastrowid
                text = f"{item.title}\n{item.body}"
                db.execute("INSERT INTO terms (rowid, stems, words) VALUES (?, ?, ?)", (rowid, _stems(text), _words(text)))
                db.executemany(
                    "INSERT OR IGNORE INTO principals (item, principal) VALUES (?, ?)",
                    [(rowid, principal) for principal in set(item.principals)],
                )
                facet_rows = {(name, str(value)) for name, values in item.facets.items() for value in values}
                facet_rows.add(("kind", item.kind))
                db.executemany(
                    "INSERT OR IGNORE INTO facets (item, name, value) VALUES (?, ?, ?)",
                    [(rowid, name, value) for name, value in facet_rows],
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _delete_one(self, item_id):
        row = self.db.execute("SELECT rowid FROM items WHERE id = ?", (item_id,)).fetchone()
        if row:
            for table, column in (("terms", "rowid"), ("principals", "item"), ("facets", "item"), ("items", "rowid")):
                self.db.execute(f"DELETE FROM {table} WHERE {column} = ?", (row[0],))

    def delete(self, ids):
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for item_id in ids:
                self._delete_one(item_id)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def rebuild(self, items):
        """Replace the whole index (the file is swapped only when the new one is complete)."""
        fresh = EmbeddedBackend(self.path.with_suffix(".rebuilding"))
        if fresh.path.exists():
            fresh.path.unlink()
        count = 0
        batch = []
        for item in items:
            batch.append(item)
            if len(batch) >= 500:
                fresh.upsert(batch)
                count += len(batch)
                batch = []
        fresh.upsert(batch)
        count += len(batch)
        fresh.close()
        self.close()
        fresh.path.replace(self.path)
        return count

    def close(self):
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def count(self):
        return self.db.execute("SELECT count(*) FROM items").fetchone()[0]

    # --- reading ---------------------------------------------------------

    def _match(self, parsed, any_word):
        positive = [f"stems : {_quote(stem(word))}" for word in parsed.words if word not in STOP_WORDS]
        for phrase in parsed.phrases:
            stems = [stem(word) for word in phrase if word not in STOP_WORDS]
            if stems:
                positive.append(f"stems : {_quote(' '.join(stems))}")
        positive += [f"words : {_quote(prefix)} *" for prefix in parsed.prefixes]
        if not positive:
            return None
        expression = (" OR " if any_word else " AND ").join(positive)
        for word in parsed.excluded:
            expression = f"({expression}) NOT stems : {_quote(stem(word))}"
        return expression

    def _where(self, query, match):
        clauses, params = ["items.rowid IN (SELECT rowid FROM terms WHERE terms MATCH ?)"], [match]
        if query.principals is not None:
            marks = ",".join("?" * len(query.principals)) or "NULL"
            clauses.append(f"items.rowid IN (SELECT item FROM principals WHERE principal IN ({marks}))")
            params += list(query.principals)
        for name, values in query.filters.items():
            if values:
                marks = ",".join("?" * len(values))
                clauses.append(f"items.rowid IN (SELECT item FROM facets WHERE name = ? AND value IN ({marks}))")
                params += [name, *values]
        if query.date_from:
            clauses.append("items.date >= ?")
            params.append(query.date_from.isoformat())
        if query.date_to:
            clauses.append("items.date <= ?")
            params.append(query.date_to.isoformat())
        return " AND ".join(clauses), params

    def _terms_like(self, word):
        """Words as written that start with ``word``'s letter, with the number of items holding each."""
        rows = self.db.execute(
            "SELECT term, doc FROM vocab WHERE col = 'words' AND term >= ? AND term < ?",
            (word[0], chr(ord(word[0]) + 1)),
        )
        return rows.fetchall()

    def _search(self, query, parsed, any_word):
        match = self._match(parsed, any_word)
        if match is None:
            return SearchResult(total=0, hits=[], facets={})
        where, params = self._where(query, match)
        db = self.db
        try:
            total = db.execute(f"SELECT count(*) FROM items WHERE {where}", params).fetchone()[0]
        except sqlite3.OperationalError:  # an expression FTS5 cannot parse finds nothing
            return SearchResult(total=0, hits=[], facets={})
        if query.order == "date":
            order = "items.date DESC, items.rowid DESC"
            sql = f"SELECT items.* FROM items WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?"
            rows_params = params
        else:
            sql = (
                "SELECT items.* FROM items JOIN (SELECT rowid AS r, bm25(terms) AS rank FROM terms "
                f"WHERE terms MATCH ?) ranked ON ranked.r = items.rowid WHERE {where} "
                "ORDER BY ranked.rank, items.date DESC LIMIT ? OFFSET ?"
            )
            rows_params = [match, *params]
        offset = (max(query.page, 1) - 1) * query.per_page
        rows = db.execute(sql, [*rows_params, query.per_page, offset]).fetchall()
        hits = [
            Hit(id=row[1], kind=row[2], title=row[3], url=row[5], date=date.fromisoformat(row[6]),
                snippet=snippet(row[4], parsed))
            for row in rows
        ]
        facet_rows = db.execute(
            f"SELECT name, value, count(*) FROM facets WHERE item IN (SELECT items.rowid FROM items WHERE {where}) "
            "GROUP BY name, value ORDER BY name, count(*) DESC, value",
            params,
        ).fetchall()
        facets = {name: [] for name in registry.facet_names()}
        for name, value, count in facet_rows:
            facets.setdefault(name, []).append((value, count))
        return SearchResult(total=total, hits=hits, facets={k: v for k, v in facets.items() if v})


def snippet(text, parsed, width=SNIPPET_CHARS):
    """An escaped excerpt of ``text`` around the first match, with matches in <mark>."""
    wanted = {stem(word) for word in parsed.words if word not in STOP_WORDS}
    wanted |= {stem(word) for phrase in parsed.phrases for word in phrase if word not in STOP_WORDS}
    spans = [
        (start, end)
        for word, start, end in tokens(text)
        if (word not in STOP_WORDS and stem(word) in wanted) or any(word.startswith(p) for p in parsed.prefixes)
    ]
    begin = max(0, spans[0][0] - width // 3) if spans else 0
    finish = min(len(text), begin + width)
    pieces, cursor = [], begin
    for start, end in spans:
        if start < begin or end > finish:
            continue
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(html.escape(text[cursor:finish]))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if finish < len(text) else ""
    return prefix + "".join(pieces).replace("\n", " ") + suffix
