"""Benchmark: what SIAP's own analysis chain costs against what it replaced, in one run.

Run on demand (``make bench`` runs it after the search benchmark; it needs
the Elasticsearch test node)::

    .venv/bin/python tests/bench/bench_analysis.py [COUNT]

Search text used to be analysed by the node (its ``indonesian`` analyzer)
for Elasticsearch and by the light stemmer for the embedded engine; now
``search.analysis`` analyses it in Python for both. Three comparisons on the
search benchmark's generated items, each side measured alternately so that
whatever else loads the machine falls on both alike:

- Python analysis per item: the chain (``indexed``) against the light
  stemmer over the same words — the embedded engine's share of the change;
- Elasticsearch indexing: through the port (Python analysis, whitespace
  fields) against the same items bulk-sent to an index of the previous
  mapping (the node analyses title and body);
- Elasticsearch search: through the port against the previous request
  (match on the node-analysed field, the node's highlighter) on that index.

Each ratio is recorded with the goal ≤ ×1.3 (``tests/bench/results.py``).
"""

import argparse
import functools
import itertools
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.bench_search import QUERIES, generate, query, timed_queries  # noqa: E402  (sets up Django)

from elasticsearch.helpers import bulk  # noqa: E402
from elasticsearch_dsl import Q  # noqa: E402

from search.analysis import indexed  # noqa: E402
from search.elastic import ElasticBackend  # noqa: E402
from search.port import parse  # noqa: E402
from search.stemmer import STOP_WORDS, stem, tokens  # noqa: E402
from tests.bench.results import record  # noqa: E402
from tests.support import elasticsearch_url  # noqa: E402

GOAL = 1.3
ROUNDS = 4
FACETS = ("unit", "year", "nature", "status")
# The mapping before SIAP analysed text itself (the node's ``indonesian`` analyzer; a standard-analysed sub-field).
PREVIOUS_MAPPING = {"dynamic": "strict", "properties": {
    "kind": {"type": "keyword"},
    "title": {"type": "text", "analyzer": "indonesian", "copy_to": "text"},
    "body": {"type": "text", "analyzer": "indonesian", "copy_to": "text"},
    "text": {"type": "text", "analyzer": "indonesian", "fields": {"words": {"type": "text", "analyzer": "standard"}}},
    "url": {"type": "keyword", "index": False}, "date": {"type": "date"}, "principals": {"type": "keyword"},
    **{name: {"type": "keyword"} for name in FACETS},
}}

light_stem = functools.lru_cache(maxsize=100_000)(stem)


def light(text):
    """The light stemmer's analysis of ``text`` (the embedded engine's before), words as written beside it."""
    words = [word for word, _s, _e in tokens(text)]
    return " ".join(light_stem(word) for word in words if word not in STOP_WORDS), " ".join(words)


def analysis_ratio(texts):
    """Microseconds per item of each chain (warm caches, as a running worker has them), alternated."""
    spent = {indexed: 0.0, light: 0.0}
    for chain in spent:
        list(map(chain, texts[:2000]))
    for _round, chain in itertools.product(range(ROUNDS), spent):
        started = time.process_time()
        list(map(chain, texts))
        spent[chain] += time.process_time() - started
    per_item = {chain: seconds / (ROUNDS * len(texts)) * 1e6 for chain, seconds in spent.items()}
    return per_item[indexed], per_item[light]


def previous_document(item):
    return {"kind": item.kind, "title": item.title, "body": item.body, "url": item.url,
            "date": item.date.isoformat(), "principals": item.principals, **item.facets}


def index_ratio(client, url, items):
    """Seconds to index ``items`` through the port and into the previous mapping, alternating chunks."""
    port = ElasticBackend(url, index=f"siap-bench-analysis-{uuid.uuid4().hex[:8]}")
    port.ensure_index()
    previous = f"siap-bench-previous-{uuid.uuid4().hex[:8]}"
    client.indices.create(index=previous, mappings=PREVIOUS_MAPPING,
                          settings={"number_of_shards": 1, "number_of_replicas": 0})
    spent = {"port": 0.0, "previous": 0.0}
    chunk = max(len(items) // (ROUNDS * 2), 1)
    for start in range(0, len(items), chunk):
        batch = items[start:start + chunk]
        started = time.perf_counter()
        bulk(client, ({"_id": item.id, "_source": port._document(item)} for item in batch), index=port.alias,
             refresh=False, chunk_size=500)
        spent["port"] += time.perf_counter() - started
        started = time.perf_counter()
        bulk(client, ({"_id": item.id, "_source": previous_document(item)} for item in batch), index=previous,
             refresh=False, chunk_size=500)
        spent["previous"] += time.perf_counter() - started
    client.indices.refresh(index=[port.alias, previous])
    return port, previous, spent


def previous_search(client, index, port):
    """The previous request for a query text: match on the node-analysed field, highlighted by the node."""

    def run(text):
        parsed = parse(text)
        positive = [Q("match", text={"query": word, "operator": "and"}) for word in parsed.words if word not in STOP_WORDS]
        positive += [Q("match_phrase", text=" ".join(phrase)) for phrase in parsed.phrases]
        positive += [Q("prefix", **{"text.words": prefix}) for prefix in parsed.prefixes]
        expression = Q("bool", must=positive, must_not=[Q("match", text=word) for word in parsed.excluded])
        body = port._request(query(text), expression)
        body["highlight"] = {"fields": {"body": {"fragment_size": 220, "number_of_fragments": 1}},
                             "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
                             "require_field_match": False}
        response = client.search(index=index, body=body, filter_path=[
            "hits.total.value", "hits.hits._id", "hits.hits._source", "hits.hits.highlight.body",
            "aggregations.*.buckets.key", "aggregations.*.buckets.doc_count"])
        return [(hit["_id"], hit.get("highlight", {}).get("body", [""])[0]) for hit in response["hits"]["hits"]]

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=20_000)
    count = parser.parse_args().count
    items = list(generate(count))

    new_us, light_us = analysis_ratio([f"{item.title}\n{item.body}" for item in items])
    print(f"analysis per item: shared chain {new_us:.1f} µs, light stemmer {light_us:.1f} µs (x{new_us / light_us:.2f})")
    record("analysis per item vs the light stemmer", f"×{new_us / light_us:.2f} ({new_us:.0f} vs {light_us:.0f} µs)",
           f"≤ ×{GOAL}", new_us / light_us <= GOAL)

    url = elasticsearch_url()
    client = ElasticBackend(url, index="unused").client
    port, previous, spent = index_ratio(client, url, items)
    try:
        ratio = spent["port"] / spent["previous"]
        print(f"Elasticsearch indexing {count:,} items: port {count / spent['port']:.0f}/s, "
              f"previous mapping {count / spent['previous']:.0f}/s (cost x{ratio:.2f})")
        record("Elasticsearch indexing cost vs node-side analysis", f"×{ratio:.2f}", f"≤ ×{GOAL}", ratio <= GOAL,
               "" if ratio <= GOAL else "the analysed terms and words travel with each document, analysed in Python")
        port._ready()
        run_previous = previous_search(client, previous, port)
        for text in QUERIES:  # both warm before timing
            port.search(query(text)), run_previous(text)
        (new50, new95), (old50, old95) = timed_queries(lambda text: port.search(query(text)), run_previous)
        print(f"Elasticsearch search p50/p95: port {new50:.2f}/{new95:.2f} ms, previous {old50:.2f}/{old95:.2f} ms")
        worst = max(new50 / old50, new95 / old95)
        record("Elasticsearch search cost vs node-side analysis p50/p95",
               f"×{new50 / old50:.2f} / ×{new95 / old95:.2f}", f"≤ ×{GOAL}", worst <= GOAL)
    finally:
        port.drop()
        client.indices.delete(index=previous)


if __name__ == "__main__":
    main()
