"""The embedded search engine: SQLite FTS5 in one local file, inside the process.

Why SQLite FTS5: it ships with Python (no server, no extra wheel), is
transactional, and is fast enough for a secretariat's archive (see the
benchmark). FTS5's own tokenizers know no Indonesian, so SIAP analyses text
itself (``search.analysis``, the chain both engines share) and stores two
columns per item: ``stems`` (the analysed terms: what words and phrases
match) and ``words`` (every word as written, lower-cased: what prefixes
match). The ``vocab`` table (FTS5's
own ``fts5vocab``) lists the words, from which spelling suggestions come.

Speed at ten years of archive (``tests/bench/bench_search.py``, 100,000
items): a search touches nothing but the full-text index until it has its
page. The principals that may read an item are words of a third column,
``access``, so FTS5 intersects them with the query's words itself; and an
item's rowid carries its facet combination and its date (``ROWID_LAYOUT``),
so counting, facet counts, date filters and date order read them from the
match itself instead of looking up a row per match (in principals, facets
and items tables, as the first layout did). Both took the benchmark's
searches from about 200 ms to about 25 ms of CPU at the median; what is
left is mostly FTS5's bm25 over every permitted match.
"""

import json
import logging
import sqlite3
import threading
from collections import defaultdict
from datetime import date
from pathlib import Path

from . import registry
from .analysis import indexed
from .port import Engine, Hit, SearchResult
from .snippets import snippet

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 3  # PRAGMA user_version; a file of another layout or analysis is emptied and must be reindexed
SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, kind TEXT, title TEXT, body TEXT,
    url TEXT, date TEXT);
CREATE TABLE IF NOT EXISTS combinations (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS combination_facets (combination INTEGER NOT NULL, name TEXT NOT NULL,
    value TEXT NOT NULL, PRIMARY KEY (combination, name, value)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS combination_facets_value ON combination_facets (name, value);
CREATE VIRTUAL TABLE IF NOT EXISTS terms USING fts5 (
    stems, words, access, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS vocab USING fts5vocab (terms, 'col');
"""
OLD_TABLES = ("vocab", "terms", "principals", "facets", "combination_facets", "combinations", "items")

# ROWID_LAYOUT, high bits to low: the item's facet combination (``combinations.id``, 21 bits), its date
# (``date.toordinal()``, 22 bits: any year to 9999), a sequence number among items of both alike (20 bits).
SEQUENCE_BITS = 20
DATE_BITS = 22
COMBINATION_BITS = 21  # with the sign bit, 64: SQLite's integer
DATE_SHIFT = SEQUENCE_BITS
COMBINATION_SHIFT = SEQUENCE_BITS + DATE_BITS
LAST_SEQUENCE = (1 << SEQUENCE_BITS) - 1
DATE_OF_ROWID = f"((terms.rowid >> {DATE_SHIFT}) & {(1 << DATE_BITS) - 1})"
COMBINATION_OF_ROWID = f"(terms.rowid >> {COMBINATION_SHIFT})"

# The access column only filters: weight 0 keeps it out of the ranking (stems and words count alike).
RANK = "bm25(terms, 1.0, 1.0, 0.0)"


def _quote(term):
    return '"' + term.replace('"', "") + '"'


def access_token(principal):
    """A principal as one word of the ``access`` column: hex digits, which no tokenizer splits."""
    return "p" + principal.encode().hex()


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
            self._prepare(connection)
            self._local.connection = connection
        return connection

    def _prepare(self, connection):
        """Create the schema, replacing a file of an older layout (the index is derived: reindex refills it)."""
        if connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            if connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:  # another process won
                connection.execute("COMMIT")
                return
            if connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'items'").fetchone():
                logger.warning("%s has an older layout: emptied; run manage.py search_reindex to refill it", self.path)
                for table in OLD_TABLES:
                    connection.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    # --- writing ---------------------------------------------------------

    def upsert(self, items):
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for item in items:
                registry.check_facets(item)
                self._delete_one(item.id)
                rowid = self._new_rowid(item)
                db.execute(
                    "INSERT INTO items (rowid, id, kind, title, body, url, date) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (rowid, item.id, item.kind, item.title, item.body, item.url, item.date.isoformat()),
                )
                stems, words = indexed(f"{item.title}\n{item.body}")
                access = " ".join(sorted(access_token(principal) for principal in set(item.principals)))
                db.execute(
                    "INSERT INTO terms (rowid, stems, words, access) VALUES (?, ?, ?, ?)",
                    (rowid, stems, words, access),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _new_rowid(self, item):
        """The next free rowid among items of the same facet combination and date (``ROWID_LAYOUT``)."""
        combination = self._combination(item)
        if combination >> COMBINATION_BITS:
            raise OverflowError(f"{self.path}: more facet combinations than a rowid holds; rebuild the index")
        first = (combination << COMBINATION_SHIFT) | (item.date.toordinal() << DATE_SHIFT)
        (rowid,) = self.db.execute(
            "SELECT coalesce(max(rowid) + 1, ?) FROM items WHERE rowid BETWEEN ? AND ?",
            (first, first, first + LAST_SEQUENCE),
        ).fetchone()
        if rowid > first + LAST_SEQUENCE:
            raise OverflowError(f"{self.path}: too many items of one facet combination and date; rebuild the index")
        return rowid

    def _combination(self, item):
        """The id of the item's set of facet values (its kind included), numbered the first time it is seen."""
        pairs = sorted({(name, str(value)) for name, values in item.facets.items() for value in values}
                       | {("kind", item.kind)})
        key = json.dumps(pairs, ensure_ascii=False)
        row = self.db.execute("SELECT id FROM combinations WHERE key = ?", (key,)).fetchone()
        if row:
            return row[0]
        combination = self.db.execute("INSERT INTO combinations (key) VALUES (?)", (key,)).lastrowid
        self.db.executemany(
            "INSERT INTO combination_facets (combination, name, value) VALUES (?, ?, ?)",
            [(combination, name, value) for name, value in pairs],
        )
        return combination

    def _delete_one(self, item_id):
        row = self.db.execute("SELECT rowid FROM items WHERE id = ?", (item_id,)).fetchone()
        if row:
            self.db.execute("DELETE FROM terms WHERE rowid = ?", (row[0],))
            self.db.execute("DELETE FROM items WHERE rowid = ?", (row[0],))

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
        fresh.db.execute("INSERT INTO terms (terms) VALUES ('optimize')")  # one b-tree, not one per batch
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

    @staticmethod
    def _positive(plan):
        """One FTS5 expression per unit and prefix: a unit is any of its alternatives, each a phrase of terms."""
        positive = [
            "(" + " OR ".join(f"stems : {_quote(' '.join(alternative))}" for alternative in unit) + ")"
            for unit in plan.units
        ]
        return positive + [f"words : {_quote(prefix)} *" for prefix in plan.prefixes]

    def _match(self, plan, any_word):
        """The FTS5 expression of a ``Plan``: all its units and prefixes (or any of them), none of its exclusions."""
        positive = self._positive(plan)
        if not positive:
            return None
        expression = (" OR " if any_word else " AND ").join(positive)
        for term in plan.excluded:
            expression = f"({expression}) NOT stems : {_quote(term)}"
        return expression

    @staticmethod
    def _restricted(expression, principals):
        """The expression limited to items one of the principals may read (``None`` for no principals: nothing)."""
        if principals is None:
            return expression
        if not principals:
            return None
        readers = " OR ".join(_quote(access_token(principal)) for principal in principals)
        return f"({expression}) AND access : ({readers})"

    @staticmethod
    def _where(query):
        """Filters and dates as conditions on the matched rowids (``ROWID_LAYOUT``): no row is looked up."""
        clauses, params = ["terms MATCH ?"], []
        for name, values in query.filters.items():
            if values:
                marks = ",".join("?" * len(values))
                clauses.append(f"{COMBINATION_OF_ROWID} IN (SELECT combination FROM combination_facets "
                               f"WHERE name = ? AND value IN ({marks}))")
                params += [name, *values]
        if query.date_from:
            clauses.append(f"{DATE_OF_ROWID} >= ?")
            params.append(query.date_from.toordinal())
        if query.date_to:
            clauses.append(f"{DATE_OF_ROWID} <= ?")
            params.append(query.date_to.toordinal())
        return " AND ".join(clauses), params

    def _terms_like(self, word):
        """Words as written that start with ``word``'s letter, with the number of items holding each."""
        rows = self.db.execute(
            "SELECT term, doc FROM vocab WHERE col = 'words' AND term >= ? AND term < ?",
            (word[0], chr(ord(word[0]) + 1)),
        )
        return rows.fetchall()

    def _search(self, query, plan, any_word):
        expression = self._match(plan, any_word)
        match = expression and self._restricted(expression, query.principals)
        if match is None:
            return SearchResult(total=0, hits=[], facets={})
        db = self.db
        db.execute("BEGIN")  # one snapshot for the counts, the page and its rows, whatever writers commit meanwhile
        try:
            return self._read(query, plan, match, any_word)
        except sqlite3.OperationalError:  # an expression FTS5 cannot parse finds nothing
            return SearchResult(total=0, hits=[], facets={})
        finally:
            db.execute("COMMIT")

    def _read(self, query, plan, match, any_word):
        where, params = self._where(query)
        params = [match, *params]
        combinations = self.db.execute(
            f"SELECT {COMBINATION_OF_ROWID}, count(*) FROM terms WHERE {where} GROUP BY 1", params
        ).fetchall()
        total = sum(count for _combination, count in combinations)
        if not total:
            return SearchResult(total=0, hits=[], facets={})
        order_params = []
        if query.order == "date":
            order = f"{DATE_OF_ROWID} DESC, terms.rowid DESC"
        elif any_word:
            # the best partial matches first: the most units and prefixes found, then bm25 (as Elasticsearch does)
            positive = self._positive(plan)
            found = " + ".join(["(terms.rowid IN (SELECT rowid FROM terms WHERE terms MATCH ?))"] * len(positive))
            order = f"({found}) DESC, {RANK}, {DATE_OF_ROWID} DESC, terms.rowid DESC"
            order_params = positive
        else:
            order = f"{RANK}, {DATE_OF_ROWID} DESC, terms.rowid DESC"
        offset = (max(query.page, 1) - 1) * query.per_page
        page = [row[0] for row in self.db.execute(
            f"SELECT terms.rowid FROM terms WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
            [*params, *order_params, query.per_page, offset],
        )]
        return SearchResult(total=total, hits=self._hits(page, plan), facets=self._facets(combinations))

    def _hits(self, rowids, plan):
        marks = ",".join("?" * len(rowids))
        rows = {row[0]: row for row in self.db.execute(
            f"SELECT rowid, id, kind, title, body, url, date FROM items WHERE rowid IN ({marks})", rowids
        )}
        return [
            Hit(id=row[1], kind=row[2], title=row[3], url=row[5], date=date.fromisoformat(row[6]),
                snippet=snippet(row[4], plan))
            for row in map(rows.__getitem__, rowids)
        ]

    def _facets(self, combinations):
        """Facet counts from the number of matches of each facet combination: a few rows, however many matches."""
        counts = dict(combinations)
        marks = ",".join("?" * len(counts))
        totals = defaultdict(int)
        for combination, name, value in self.db.execute(
            f"SELECT combination, name, value FROM combination_facets WHERE combination IN ({marks})", list(counts)
        ):
            totals[name, value] += counts[combination]
        facets = {name: [] for name in registry.facet_names()}
        for (name, value), count in sorted(totals.items(), key=lambda entry: (entry[0][0], -entry[1], entry[0][1])):
            facets.setdefault(name, []).append((value, count))
        return {name: values for name, values in facets.items() if values}

