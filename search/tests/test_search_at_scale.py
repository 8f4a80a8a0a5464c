"""What the engines do to stay fast on ten years of archive, and must not break while doing it.

The embedded engine filters principals inside the full-text index and reads
facet combinations and dates from rowids; the Elasticsearch backend asks
whether its index exists once per process, not once per search.
"""

import datetime
import logging
import sqlite3
import uuid

import pytest

from search.embedded import EmbeddedBackend
from search.embedded import logger as embedded_logger
from search.port import SearchItem, SearchQuery
from tests.support import elasticsearch_url

D = datetime.date


@pytest.fixture(params=["elasticsearch"])
def elastic(request):
    from search.elastic import ElasticBackend

    backend = ElasticBackend(elasticsearch_url(), index=f"siap-test-{uuid.uuid4().hex[:10]}")
    yield backend
    backend.drop()


def item(pk, body, *, title="Surat", principals=("unit:1",), date=D(2026, 3, 1), **facets):
    return SearchItem(
        id=f"letter:{pk}", kind="letter", title=title, body=body, url=f"/surat/{pk}/", date=date,
        principals=list(principals), facets={name: values if isinstance(values, list) else [values]
                                             for name, values in facets.items()},
    )


def find(engine, text, principals=("unit:1",), **kwargs):
    return engine.search(SearchQuery(text=text, principals=list(principals), **kwargs))


def test_a_principal_never_matches_another_that_starts_like_it(engine):
    engine.upsert([item(1, "drainase", principals=("unit:10",)), item(2, "drainase", principals=("perm:x.view_all",))])
    assert find(engine, "drainase", principals=("unit:1",)).total == 0
    assert [hit.id for hit in find(engine, "drainase", principals=("unit:10",)).hits] == ["letter:1"]
    assert find(engine, "drainase", principals=("perm:x.view",)).total == 0
    assert find(engine, "drainase", principals=("unit:10", "perm:x.view_all")).total == 2
    assert find(engine, "drainase", principals=()).total == 0


def test_facet_counts_over_several_combinations_and_values(engine):
    engine.upsert([
        item(1, "drainase", unit="Komisi I", nature="biasa"),
        item(2, "drainase", unit="Komisi I", nature="segera"),
        item(3, "drainase", unit=["Komisi I", "Komisi II"], nature="biasa"),
        item(4, "drainase", unit="Komisi II", nature="biasa", principals=("unit:2",)),
        item(5, "jalan", unit="Komisi III", nature="biasa"),
    ])
    result = find(engine, "drainase")
    assert result.total == 3
    assert result.facets["unit"] == [("Komisi I", 3), ("Komisi II", 1)]
    assert result.facets["nature"] == [("biasa", 2), ("segera", 1)]
    assert result.facets["kind"] == [("letter", 3)]
    filtered = find(engine, "drainase", filters={"unit": ["Komisi II"], "nature": ["biasa", "segera"]})
    assert [hit.id for hit in filtered.hits] == ["letter:3"] and filtered.facets["unit"] == [
        ("Komisi I", 1), ("Komisi II", 1)]


def test_an_item_whose_facets_and_date_change_is_counted_and_found_by_its_new_ones(engine):
    engine.upsert([item(1, "drainase", unit="Komisi I", date=D(2025, 1, 1)), item(2, "drainase", unit="Komisi I")])
    engine.upsert([item(1, "drainase", unit="Komisi II", date=D(2026, 6, 1))])
    result = find(engine, "drainase")
    assert result.total == 2 and result.facets["unit"] == [("Komisi I", 1), ("Komisi II", 1)]
    assert [hit.id for hit in find(engine, "drainase", date_from=D(2026, 5, 1)).hits] == ["letter:1"]
    assert find(engine, "drainase", date_to=D(2025, 12, 31)).total == 0
    assert engine.count() == 2


def test_equal_scores_rank_the_newest_first_and_pages_do_not_overlap(engine):
    engine.upsert([item(pk, "undangan rapat", date=D(2026, 1, 1) + datetime.timedelta(days=pk % 4))
                   for pk in range(1, 13)])
    pages = [find(engine, "undangan", per_page=5, page=number) for number in (1, 2, 3)]
    hits = [hit for page in pages for hit in page.hits]
    assert len({hit.id for hit in hits}) == 12
    assert [hit.date for hit in hits] == sorted((hit.date for hit in hits), reverse=True)


def test_a_match_in_the_title_alone_shows_the_start_of_the_body_escaped(engine):
    engine.upsert([item(1, "Isi <b>surat</b> biasa.", title="Drainase")])
    assert find(engine, "drainase").hits[0].snippet.startswith("Isi &lt;b&gt;surat&lt;/b&gt; biasa.")


def test_an_embedded_index_of_the_older_layout_is_emptied_and_works_again(tmp_path, caplog, monkeypatch):
    # whatever an earlier test (a Celery worker's logging setup) did to the log levels, this logger's warning counts
    monkeypatch.setattr(embedded_logger, "disabled", False)
    caplog.set_level(logging.WARNING, logger=embedded_logger.name)
    path = tmp_path / "search.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE items (rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, kind TEXT, title TEXT, body TEXT,"
        " url TEXT, date TEXT); INSERT INTO items VALUES (1, 'letter:1', 'letter', 'x', 'y', '/', '2026-01-01');"
        " CREATE TABLE principals (item INTEGER, principal TEXT);"
        " CREATE VIRTUAL TABLE terms USING fts5 (stems, words);"
    )
    old.close()
    backend = EmbeddedBackend(path)
    assert backend.count() == 0
    assert "search_reindex" in caplog.text
    backend.upsert([item(1, "drainase")])
    assert [hit.id for hit in find(backend, "drainase").hits] == ["letter:1"]
    backend.close()
    assert EmbeddedBackend(path).count() == 1, "a file of the current layout is kept"


def test_elasticsearch_searches_do_not_ask_whether_the_index_exists_each_time(elastic, monkeypatch):
    elastic.upsert([item(1, "drainase")])
    asked = []
    original = elastic.client.indices.exists_alias
    monkeypatch.setattr(elastic.client.indices, "exists_alias", lambda **kwargs: asked.append(kwargs) or original(**kwargs))
    for _ in range(3):
        assert find(elastic, "drainase").total == 1
    assert asked == []


def test_elasticsearch_index_deleted_behind_the_port_is_made_again_by_the_next_search(elastic):
    elastic.upsert([item(1, "drainase")])
    assert find(elastic, "drainase").total == 1
    for index in elastic.client.indices.get_alias(name=elastic.alias):
        elastic.client.indices.delete(index=index)
    assert find(elastic, "drainase").total == 0
    assert elastic.client.indices.exists_alias(name=elastic.alias)
    elastic.upsert([item(2, "drainase")])
    assert [hit.id for hit in find(elastic, "drainase").hits] == ["letter:2"]
