"""The search port: what the rest of SIAP uses, whatever engine sits behind it.

An item is anything a workflow wants found (a letter with its scan's text,
later pokir, reses items, transcript segments). Each carries the principals
allowed to read it (``user:ID``, ``unit:ID``, ``position:ID``,
``perm:app.codename``, ``public``); every query is filtered by the caller's
principals — hits, totals and facet counts alike.

Query syntax (one line for users): words must all match, ``"exact phrase"``,
``awal*`` for a prefix, ``-kata`` to exclude.

The search page asks for help (``SearchQuery.fallback``) when all the words
together find nothing: it gets the items holding any of them, marked
partial, and a respelling of the words the caller's items do not hold.
Both engines inherit that rule from ``Engine``; they supply the query and
the terms of their index.

Neither engine analyses text itself: ``Engine`` turns the parsed line into
a ``Plan`` of analysed terms (``search.analysis``: stop words, roots, the
thesaurus's abbreviations), and items are indexed with the same chain, so
both engines match the same items for the same line.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol

from .analysis import NO_THESAURUS, Thesaurus, terms_of


@dataclass
class SearchItem:
    id: str  # "<kind>:<pk>"
    kind: str
    title: str
    body: str
    url: str
    date: date
    principals: list[str]
    facets: dict[str, list[str]] = field(default_factory=dict)  # only facets its source declared


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def empty(self):
        return not (self.words or self.phrases or self.prefixes)


@dataclass
class SearchQuery:
    text: str
    principals: list[str] | None  # None: no restriction (superuser, operators' reindex checks)
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    order: str = "relevance"  # or "date"
    page: int = 1
    per_page: int = 20
    fallback: bool = False  # when all words find nothing: any word (partial), and spelling suggestions
    thesaurus: Thesaurus = NO_THESAURUS  # abbreviations and their expansions (``Synonym.thesaurus()``)


@dataclass
class Plan:
    """A query as analysed terms, what each engine turns into its own query language.

    ``units``: each must match for an item to hold all the query's words (a
    word, a quoted phrase, or an abbreviation or its expansion), as
    alternative term sequences (one term for a plain word); ``prefixes``:
    words as written that an item's words must start with; ``excluded``:
    terms no item found may hold.
    """

    units: list[list[tuple[str, ...]]] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def empty(self):
        return not (self.units or self.prefixes)

    @property
    def size(self):
        return len(self.units) + len(self.prefixes)

    def highlighted_terms(self):
        """Every term of every alternative: the words a snippet marks."""
        return {term for unit in self.units for alternative in unit for term in alternative}


def plan(parsed, thesaurus=NO_THESAURUS):
    """The ``Plan`` of a parsed line: words through the thesaurus, phrases as they are, all analysed."""
    units = thesaurus.units(terms_of(parsed.words))
    units += [[tuple(terms)] for terms in map(terms_of, parsed.phrases) if terms]
    return Plan(units=units, prefixes=list(parsed.prefixes), excluded=terms_of(parsed.excluded))


@dataclass
class Hit:
    id: str
    kind: str
    title: str
    url: str
    date: date
    snippet: str  # HTML: escaped text with <mark> around matches


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    partial: bool = False  # no item holds all the words: these hold some of them
    suggestion: str = ""  # the query respelled, every respelled word found in items the caller may read


class SearchBackend(Protocol):
    def upsert(self, items: list[SearchItem]) -> None: ...

    def delete(self, ids: list[str]) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def count(self) -> int: ...

    def rebuild(self, items) -> int: ...


MAX_EDITS = 2
SHORTEST_RESPELLED = 4  # shorter words have too many neighbours to guess from
CANDIDATES_TRIED = 5


class Engine:
    """The search rules both engines share; an engine supplies

    - ``_search(query, plan, any_word)``: one page of hits for all the
      plan's units (or any of them), filtered by principals, filters, dates;
    - ``_terms_like(word)``: ``(term, document count)`` of its index's words as
      written that may be ``word`` misspelt (at least those within
      ``MAX_EDITS`` edits that share its first letter).
    """

    def search(self, query):
        parsed = parse(query.text)
        planned = plan(parsed, query.thesaurus)
        if planned.empty:
            return SearchResult(total=0, hits=[], facets={})
        result = self._search(query, planned, any_word=False)
        if result.total or not query.fallback:
            return result
        if planned.size > 1:
            result = self._search(query, planned, any_word=True)
            result.partial = result.total > 0
        result.suggestion = self._suggestion(query, parsed)
        return result

    def _suggestion(self, query, parsed):
        """The query with each word the caller's items lack replaced by the closest word they hold.

        Every check runs with the caller's principals, so a word found only
        in items they may not read is neither suggested nor treated as known.
        """
        from .stemmer import STOP_WORDS

        text = query.text
        for word in dict.fromkeys(parsed.words):
            if len(word) < SHORTEST_RESPELLED or word in STOP_WORDS or word.isdigit() or self._finds(query, word):
                continue
            candidates = closest(word, self._terms_like(word))[:CANDIDATES_TRIED]
            better = next((term for term in candidates if self._finds(query, term)), None)
            if better:
                text = re.sub(rf"(?<![0-9a-z]){re.escape(word)}(?![0-9a-z])", better, text, flags=re.IGNORECASE)
        return "" if text == query.text else text

    def _finds(self, query, word):
        probe = replace(query, text=word, filters={}, date_from=None, date_to=None, page=1, per_page=1, fallback=False)
        planned = plan(parse(word))
        return not planned.empty and self._search(probe, planned, any_word=False).total > 0


def closest(word, terms):
    """The ``terms`` (``(term, document count)``) that may be ``word`` misspelt, closest and commonest first.

    Both engines rank their candidates here, so they suggest the same word.
    """
    scored = []
    for term, count in terms:
        if term == word or term[:1] != word[:1] or abs(len(term) - len(word)) > MAX_EDITS:
            continue
        distance = edit_distance(word, term)
        if distance <= MAX_EDITS:
            scored.append((distance, -count, term))
    return [term for _distance, _count, term in sorted(scored)]


def edit_distance(a, b):
    """Damerau-Levenshtein distance (optimal string alignment): a swap of two letters is one typo."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[-1]


TOKEN = re.compile(r'-?"[^"]*"|\S+')


def parse(text):
    """Split the user's line into words, phrases, prefixes and exclusions (lower-cased, not stemmed)."""
    from .stemmer import tokens

    parsed = ParsedQuery()
    for raw in TOKEN.findall(text or ""):
        negative = raw.startswith("-") and len(raw) > 1
        body = raw[1:] if negative else raw
        if body.startswith('"'):
            words = [word for word, _s, _e in tokens(body.strip('"'))]
            if words:
                (parsed.excluded.extend(words) if negative else parsed.phrases.append(words))
            continue
        words = [word for word, _s, _e in tokens(body)]
        if not words:
            continue
        if negative:
            parsed.excluded.extend(words)
        elif body.endswith("*") and len(words) == 1:
            parsed.prefixes.append(words[0])
        else:
            parsed.words.extend(words)
    return parsed
