"""The Elasticsearch backend (elasticsearch-dsl 8.18 over elasticsearch-py 8.19; Elasticsearch 8.x and 9.x).

One logical index behind an alias (``<prefix>``): a rebuild fills a fresh
versioned index (``<prefix>-<timestamp>``) and switches the alias in one
request, so searches never see a half-built index. Text is analysed in
Python (``search.analysis``, the chain the embedded engine uses too) and
sent as ``terms``, a field split on whitespace only; ``words`` keeps every
word as written for prefix queries (and spelling suggestions, from the term
suggester); title and body are stored, not indexed, for the hit's excerpt
(``search.snippets``); facets and principals are keywords.

Searches are written with the DSL but sent as its plain request through the
client, trimmed by ``filter_path``; the plain response is read as it is (not
wrapped in DSL objects), and whether the index exists is asked once per
process: that wrapping and that extra round trip made a search through the
port up to twice as slow as its request sent raw (``tests/bench/bench_search.py``).
"""

from datetime import date

from django.utils import timezone
from elasticsearch import BadRequestError, Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk
from elasticsearch_dsl import Q, Search

from . import registry
from .analysis import indexed
from .port import MAX_EDITS, Engine, Hit, SearchResult
from .snippets import snippet

# What a search reads from the response; the node leaves out the rest (shards, scores, took, sort values…).
RESPONSE_FIELDS = [
    "hits.total.value", "hits.hits._id", "hits.hits._source",
    "aggregations.*.buckets.key", "aggregations.*.buckets.doc_count",
]

COORDINATION = 1000.0

# The fields SIAP analyses itself; an index made before them gets them added (``ensure_index``).
ANALYSED_FIELDS = {
    "terms": {"type": "text", "analyzer": "whitespace"},
    "words": {"type": "text", "analyzer": "whitespace"},
}
FIELDS = {
    "kind": {"type": "keyword"},
    "title": {"type": "text", "index": False},
    "body": {"type": "text", "index": False},
    **ANALYSED_FIELDS,
    "url": {"type": "keyword", "index": False},
    "date": {"type": "date"},
    "principals": {"type": "keyword"},
}


def mappings():
    """The index schema: fixed fields, then a keyword per facet the sources declare."""
    return {"dynamic": "strict", "properties": {**FIELDS, **facet_fields()}}


def facet_fields():
    return {name: {"type": "keyword"} for name in registry.facet_names() if name != "kind"}


class ElasticBackend(Engine):
    def __init__(self, url, index="siap-items"):
        self.client = Elasticsearch(url, request_timeout=30, retry_on_timeout=True, max_retries=2)
        self.alias = index
        self._mapped_facets = set()
        self._index_known = False  # this process has seen the alias; searches stop asking (see ``_ready``)

    # --- writing ---------------------------------------------------------

    def _create_index(self, name=None, aliases=None):
        name = name or f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        self.client.indices.create(
            index=name, mappings=mappings(), settings={"number_of_shards": 1, "number_of_replicas": 0},
            aliases=aliases,
        )
        return name

    def ensure_index(self):
        """Make the alias and its index if missing, and map facets registered since (writes call it every time:
        a write to a missing alias would make the node create a concrete index with guessed mappings)."""
        if not self.client.indices.exists_alias(name=self.alias):
            # Several workers may find no index at the same moment. The first index has one fixed name and is
            # created with its alias in one request, so the losers of that race get "already exists" instead of
            # each pointing the alias at an index of their own (an alias over two indices refuses every write).
            try:
                self._create_index(f"{self.alias}-initial", aliases={self.alias: {}})
            except BadRequestError as refused:
                if refused.error != "resource_already_exists_exception":
                    raise
            self._mapped_facets = set(facet_fields())
        elif not self._index_known and set(ANALYSED_FIELDS) - self._mapped_fields():
            # an index made before SIAP analysed text itself: the new fields, empty until ``search_reindex``
            self.client.indices.put_mapping(index=self.alias, properties={**ANALYSED_FIELDS, **facet_fields()})
            self._mapped_facets = set(facet_fields())
        elif set(facet_fields()) - self._mapped_facets:
            # a process registered since the index was made: add its facets (adding fields needs no reindex)
            self.client.indices.put_mapping(index=self.alias, properties=facet_fields())
            self._mapped_facets = set(facet_fields())
        self._index_known = True

    def _mapped_fields(self):
        mappings = self.client.indices.get_mapping(index=self.alias)
        return {name for index in mappings.values() for name in index["mappings"].get("properties", {})}

    def _ready(self):
        """``ensure_index`` once per process for searches, not once per search (it costs a round trip).

        A search of a missing index fails instead of creating one, so a
        search learns of an index deleted since by its error and ensures then.
        """
        if not self._index_known or set(facet_fields()) - self._mapped_facets:
            self.ensure_index()

    @staticmethod
    def _document(item):
        registry.check_facets(item)
        terms, words = indexed(f"{item.title}\n{item.body}")
        return {
            "kind": item.kind, "title": item.title, "body": item.body, "url": item.url, "terms": terms, "words": words,
            "date": item.date.isoformat(), "principals": sorted(set(item.principals)),
            **item.facets,
        }

    def _bulk(self, index, actions, refresh="wait_for"):
        bulk(self.client, actions, index=index, refresh=refresh, raise_on_error=True, chunk_size=500)

    def upsert(self, items):
        if not items:
            return
        self.ensure_index()
        self._bulk(self.alias, ({"_id": item.id, "_source": self._document(item)} for item in items))

    def delete(self, ids):
        if not ids:
            return
        self.ensure_index()
        actions = ({"_op_type": "delete", "_id": item_id} for item_id in ids)
        bulk(self.client, actions, index=self.alias, refresh="wait_for", raise_on_error=False)

    def rebuild(self, items):
        """Fill a fresh index, then point the alias at it in one atomic request."""
        fresh = self._create_index()
        count = 0

        def actions():
            nonlocal count
            for item in items:
                count += 1
                yield {"_id": item.id, "_source": self._document(item)}

        self._bulk(fresh, actions(), refresh=False)  # one refresh at the end, not one per chunk
        self.client.indices.refresh(index=fresh)
        old = list(self.client.indices.get_alias(name=self.alias)) if self.client.indices.exists_alias(name=self.alias) else []
        operations = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        operations.append({"add": {"index": fresh, "alias": self.alias}})
        self.client.indices.update_aliases(actions=operations)
        for index in old:
            self.client.indices.delete(index=index)
        return count

    def count(self):
        try:
            return self.client.count(index=self.alias)["count"]
        except NotFoundError:
            return 0

    def drop(self):
        """Delete the alias and its indices (tests and operators)."""
        if self.client.indices.exists_alias(name=self.alias):
            for index in self.client.indices.get_alias(name=self.alias):
                self.client.indices.delete(index=index)

    # --- reading ---------------------------------------------------------

    @staticmethod
    def _query(plan, any_word):
        """The query of a ``Plan``: a unit is any of its alternatives, each a phrase of analysed terms."""
        positive = [
            Q("bool", should=[Q("match_phrase", terms=" ".join(alternative)) for alternative in unit],
              minimum_should_match=1) if len(unit) > 1 else Q("match_phrase", terms=" ".join(unit[0]))
            for unit in plan.units
        ]
        positive += [Q("prefix", words=prefix) for prefix in plan.prefixes]
        must_not = [Q("term", terms=term) for term in plan.excluded]
        if not positive:
            return None
        if any_word:
            # the best partial matches first: each unit or prefix found adds COORDINATION to the score, far above
            # any bm25 sum, so the most found come first and bm25 orders those alike (as the embedded engine does)
            found = [Q("constant_score", filter=clause, boost=COORDINATION) for clause in positive]
            return Q("bool", should=positive + found, minimum_should_match=1, must_not=must_not)
        return Q("bool", must=positive, must_not=must_not)

    def _terms_like(self, word):
        """The term suggester's candidates from the words as written (``Engine`` ranks them)."""
        self._ready()
        suggester = {
            "field": "words", "suggest_mode": "always", "max_edits": MAX_EDITS, "prefix_length": 1,
            "min_word_length": 1, "size": 25, "accuracy": 0.1, "max_term_freq": 2**31 - 1,
            "string_distance": "damerau_levenshtein",
        }
        response = self.client.search(index=self.alias, size=0, suggest={"word": {"text": word, "term": suggester}})
        return [(option["text"], option["freq"]) for entry in response["suggest"]["word"] for option in entry["options"]]

    def _search(self, query, plan, any_word):
        expression = self._query(plan, any_word)
        if expression is None:
            return SearchResult(total=0, hits=[], facets={})
        request = self._request(query, expression)
        self._ready()
        try:
            response = self.client.search(index=self.alias, body=request, filter_path=RESPONSE_FIELDS)
        except NotFoundError:  # the index went away behind this process's back (a reset node, an operator)
            self._index_known = False
            self.ensure_index()
            response = self.client.search(index=self.alias, body=request, filter_path=RESPONSE_FIELDS)
        return self._result(response, plan)

    @staticmethod
    def _request(query, expression):
        """The search request's body: one page, the facets, highlights, and only the fields a hit shows."""
        search = Search().query(expression)
        filters = []
        if query.principals is not None:
            filters.append(Q("terms", principals=list(query.principals)))
        for name, values in query.filters.items():
            if values:
                filters.append(Q("terms", **{name: list(values)}))
        if query.date_from or query.date_to:
            bounds = {}
            if query.date_from:
                bounds["gte"] = query.date_from.isoformat()
            if query.date_to:
                bounds["lte"] = query.date_to.isoformat()
            filters.append(Q("range", date=bounds))
        if filters:
            search = search.filter(Q("bool", filter=filters))
        for name in registry.facet_names():
            search.aggs.bucket(name, "terms", field=name, size=50)
        search = search.sort(*(["-date", "_score"] if query.order == "date" else ["_score", "-date"]))
        search = search.source(["kind", "title", "url", "date", "body"])
        start = (max(query.page, 1) - 1) * query.per_page
        return search.extra(track_total_hits=True)[start:start + query.per_page].to_dict()

    @staticmethod
    def _result(response, plan):
        hits = []
        for hit in response.get("hits", {}).get("hits", []):
            source = hit["_source"]
            hits.append(Hit(id=hit["_id"], kind=source["kind"], title=source["title"], url=source["url"],
                            date=date.fromisoformat(source["date"][:10]), snippet=snippet(source["body"], plan)))
        aggregations = response.get("aggregations", {})
        facets = {}
        for name in registry.facet_names():
            buckets = [(str(bucket["key"]), bucket["doc_count"]) for bucket in aggregations.get(name, {}).get("buckets", [])]
            if buckets:
                facets[name] = buckets
        return SearchResult(total=response["hits"]["total"]["value"], hits=hits, facets=facets)
