"""The Elasticsearch backend (elasticsearch-dsl 8.18; Elasticsearch 8.x and 9.x).

One logical index behind an alias (``<prefix>``): a rebuild fills a fresh
versioned index (``<prefix>-<timestamp>``) and switches the alias in one
request, so searches never see a half-built index. Text is analysed with
the built-in ``indonesian`` analyzer; a ``words`` sub-field keeps every word
as written for prefix queries (and spelling suggestions, from the term
suggester); facets and principals are keywords.
"""

import html
from datetime import date

from django.utils import timezone
from elasticsearch import BadRequestError, Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk
from elasticsearch_dsl import Q, Search

from . import registry
from .port import MAX_EDITS, Engine, Hit, SearchResult
from .stemmer import STOP_WORDS

SNIPPET_CHARS = 220

FIELDS = {
    "kind": {"type": "keyword"},
    "title": {"type": "text", "analyzer": "indonesian", "copy_to": "text"},
    "body": {"type": "text", "analyzer": "indonesian", "copy_to": "text"},
    "text": {
        "type": "text",
        "analyzer": "indonesian",
        "fields": {"words": {"type": "text", "analyzer": "standard"}},
    },
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

    # --- writing ---------------------------------------------------------

    def _create_index(self, name=None, aliases=None):
        name = name or f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        self.client.indices.create(
            index=name, mappings=mappings(), settings={"number_of_shards": 1, "number_of_replicas": 0},
            aliases=aliases,
        )
        return name

    def ensure_index(self):
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
        elif set(facet_fields()) - self._mapped_facets:
            # a process registered since the index was made: add its facets (adding fields needs no reindex)
            self.client.indices.put_mapping(index=self.alias, properties=facet_fields())
            self._mapped_facets = set(facet_fields())

    @staticmethod
    def _document(item):
        registry.check_facets(item)
        return {
            "kind": item.kind, "title": item.title, "body": item.body, "url": item.url,
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

    def _query(self, parsed, any_word):
        positive = [Q("match", text={"query": word, "operator": "and"}) for word in parsed.words if word not in STOP_WORDS]
        positive += [Q("match_phrase", text=" ".join(phrase)) for phrase in parsed.phrases]
        positive += [Q("prefix", **{"text.words": prefix}) for prefix in parsed.prefixes]
        must_not = [Q("match", text=word) for word in parsed.excluded]
        if not positive:
            return None
        if any_word:
            return Q("bool", should=positive, minimum_should_match=1, must_not=must_not)
        return Q("bool", must=positive, must_not=must_not)

    def _terms_like(self, word):
        """The term suggester's candidates from the words as written (``Engine`` ranks them)."""
        self.ensure_index()
        suggester = {
            "field": "text.words", "suggest_mode": "always", "max_edits": MAX_EDITS, "prefix_length": 1,
            "min_word_length": 1, "size": 25, "accuracy": 0.1, "max_term_freq": 2**31 - 1,
            "string_distance": "damerau_levenshtein",
        }
        response = self.client.search(index=self.alias, size=0, suggest={"word": {"text": word, "term": suggester}})
        return [(option["text"], option["freq"]) for entry in response["suggest"]["word"] for option in entry["options"]]

    def _search(self, query, parsed, any_word):
        expression = self._query(parsed, any_word)
        if expression is None:
            return SearchResult(total=0, hits=[], facets={})
        self.ensure_index()
        search = Search(using=self.client, index=self.alias).query(expression)
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
        search = search.highlight("body", "title", fragment_size=SNIPPET_CHARS, number_of_fragments=1,
                                  pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html", require_field_match=False)
        start = (max(query.page, 1) - 1) * query.per_page
        search = search.extra(track_total_hits=True)[start:start + query.per_page]
        response = search.execute()
        hits = []
        for hit in response.hits:
            highlight = getattr(hit.meta, "highlight", None)
            fragments = list(getattr(highlight, "body", [])) if highlight else []
            snippet = fragments[0] if fragments else html.escape(hit.body[:SNIPPET_CHARS])
            hits.append(Hit(id=hit.meta.id, kind=hit.kind, title=hit.title, url=hit.url,
                            date=date.fromisoformat(hit.date[:10]), snippet=snippet.replace("\n", " ")))
        facets = {}
        for name in registry.facet_names():
            buckets = [(str(bucket.key), bucket.doc_count) for bucket in getattr(response.aggregations, name).buckets]
            if buckets:
                facets[name] = buckets
        return SearchResult(total=response.hits.total.value, hits=hits, facets=facets)
