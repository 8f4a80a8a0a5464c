"""Does the item a person means come first? The relevance set (``relevance_set.py``) on both engines.

Every query is run as the search page runs it (any word when all words find
nothing, the shipped synonyms) against the same items on the embedded
engine and on Elasticsearch. Precision at 1 and mean reciprocal rank are
printed at the end of the run (``conftest.pytest_terminal_summary``); the
test fails below ``PRECISION_GOAL`` on either engine, or when the engines
put different items first.
"""

import importlib
import uuid

import pytest

from search.analysis import Thesaurus
from search.embedded import EmbeddedBackend
from search.port import SearchItem, SearchQuery
from tests.support import elasticsearch_url

from .relevance_set import ITEMS, QUERIES

PRECISION_GOAL = 0.9
SHIPPED = importlib.import_module("search.migrations.0003_shipped_synonyms").SHIPPED


def _items():
    return [
        SearchItem(id=item["id"], kind=item["kind"], title=item["title"], body=item["body"],
                   url=f"/{item['id'].replace(':', '/')}/", date=item["date"], principals=["public"])
        for item in ITEMS
    ]


def _ranks(engine, thesaurus):
    """Per query: the 1-based rank of its first expected item (None when not in the first ten), the top id,
    and whether the answer was partial (no item held every word)."""
    ranks = []
    for text, expected, _category in QUERIES:
        result = engine.search(SearchQuery(text=text, principals=["public"], per_page=10, fallback=True,
                                           thesaurus=thesaurus))
        found = [position for position, hit in enumerate(result.hits, start=1) if hit.id in expected]
        ranks.append((found[0] if found else None, result.hits[0].id if result.hits else None, result.partial))
    return ranks


def figures(ranks):
    """Precision at 1 and mean reciprocal rank of ``ranks`` (``_ranks``' first members)."""
    return (sum(rank == 1 for rank in ranks) / len(ranks), sum(1 / rank for rank in ranks if rank) / len(ranks))


@pytest.mark.elasticsearch
def test_the_item_a_person_means_comes_first_on_both_engines(tmp_path, record_property):
    from search.elastic import ElasticBackend

    compared_with = "elasticsearch"
    thesaurus = Thesaurus(SHIPPED)
    embedded = EmbeddedBackend(tmp_path / "relevance.sqlite3")
    elastic = ElasticBackend(elasticsearch_url(), index=f"siap-test-relevance-{uuid.uuid4().hex[:8]}")
    try:
        results = {}
        for name, engine in (("embedded", embedded), (compared_with, elastic)):
            engine.rebuild(_items())
            results[name] = _ranks(engine, thesaurus)
    finally:
        embedded.close()
        elastic.drop()

    lines, failures = [], []
    for name, ranked in results.items():
        precision, mrr = figures([rank for rank, _top, _partial in ranked])
        by_category = {}
        for (rank, _top, _partial), (_text, _expected, category) in zip(ranked, QUERIES):
            by_category.setdefault(category, []).append(rank)
        detail = ", ".join(f"{category} {figures(ranks)[0]:.2f}" for category, ranks in sorted(by_category.items()))
        lines.append(f"{name}: P@1 {precision:.3f}, MRR {mrr:.3f} ({len(QUERIES)} queries, {len(ITEMS)} items; "
                     f"P@1 by kind of query: {detail})")
        misses = [f"{text!r} → {top} (expected {expected[0]}, rank {rank})"
                  for (rank, top, _partial), (text, expected, _c) in zip(ranked, QUERIES) if rank != 1]
        lines += [f"  {name} miss: {miss}" for miss in misses]
        if precision < PRECISION_GOAL:
            failures.append(f"{name}: P@1 {precision:.3f} < {PRECISION_GOAL}")
        # Every word of a query that is not an "extra" one is in its item in some form: found with all words,
        # without the page's "partial" notice (the previous chain answered 35 of these 60 only partially).
        partial = [text for (_rank, _top, was_partial), (text, _e, category) in zip(ranked, QUERIES)
                   if was_partial and category != "extra"]
        lines.append(f"  {name}: answered only partially: {len(partial)} of "
                     f"{sum(category != 'extra' for _t, _e, category in QUERIES)} queries without extra words")
        failures += [f"{name}: partial answer to {text!r}, whose words are all in the item" for text in partial]
    differ = [f"{text!r}: embedded {a[1]}, {compared_with} {b[1]}"
              for (text, _e, _c), a, b in zip(QUERIES, results["embedded"], results[compared_with]) if a[1] != b[1]]
    lines += [f"  engines differ: {line}" for line in differ]
    record_property("relevance", "\n".join(lines))
    assert not failures and not differ, "\n".join(failures + lines)
