"""The search port: what the rest of SIAP uses, whatever engine sits behind it.

An item is anything a workflow wants found (a letter with its scan's text,
later pokir, reses items, transcript segments). Each carries the principals
allowed to read it (``user:ID``, ``unit:ID``, ``position:ID``,
``perm:app.codename``, ``public``); every query is filtered by the caller's
principals — hits, totals and facet counts alike.

Query syntax (one line for users): words must all match, ``"exact phrase"``,
``awal*`` for a prefix, ``-kata`` to exclude.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

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


class SearchBackend(Protocol):
    def upsert(self, items: list[SearchItem]) -> None: ...

    def delete(self, ids: list[str]) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def count(self) -> int: ...

    def rebuild(self, items) -> int: ...


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
