"""Elasticsearch-only behaviour: alias switching, bulk, and the outbox across an outage."""

import subprocess
import uuid
from pathlib import Path

import pytest

from search import indexing
from search.analysis import analyse
from search.models import IndexOperation
from search.port import SearchItem, SearchQuery
from search.registry import principals_of
from tests.support import elasticsearch_url

RUN = Path(__file__).resolve().parents[2] / "tests" / "services" / "elasticsearch" / "run.sh"


def items(count, word="arsip"):
    import datetime

    return (
        SearchItem(id=f"letter:{n}", kind="letter", title=f"Surat {n}", body=f"{word} nomor {n}", url=f"/surat/{n}/",
                   date=datetime.date(2026, 1, 1), principals=["public"])
        for n in range(count)
    )


@pytest.fixture
def es(settings):
    url = elasticsearch_url()
    settings.SEARCH_URL = url
    settings.SEARCH_INDEX = f"siap-test-{uuid.uuid4().hex[:10]}"
    backend = indexing.backend()
    yield backend
    backend.drop()


def test_rebuild_switches_the_alias_without_a_gap(es):
    es.upsert(list(items(3, "lama")))
    first = set(es.client.indices.get_alias(name=es.alias))
    assert es.rebuild(items(1200, "baru")) == 1200
    second = set(es.client.indices.get_alias(name=es.alias))
    assert first.isdisjoint(second) and len(second) == 1, "a fresh versioned index behind the alias"
    assert not es.client.indices.exists(index=list(first)[0]), "the old index is gone"
    assert es.count() == 1200
    assert es.search(SearchQuery(text="lama", principals=["public"])).total == 0
    assert es.search(SearchQuery(text="baru", principals=["public"])).total == 1200


def test_workers_that_find_no_index_at_once_make_one_index_behind_the_alias(es):
    """Several workers meet an empty engine together (a new installation, a reset node): one index, not one each —
    an alias over two indices refuses every write."""
    from concurrent.futures import ThreadPoolExecutor

    from search.elastic import ElasticBackend

    workers = [ElasticBackend(elasticsearch_url(), index=es.alias) for _ in range(6)]
    with ThreadPoolExecutor(len(workers)) as pool:
        list(pool.map(lambda worker: worker.upsert(list(items(2))), workers))
    assert len(es.client.indices.get_alias(name=es.alias)) == 1
    assert es.count() == 2


def test_the_node_stores_the_terms_siap_analysed_and_analyses_nothing_itself(es):
    """Text is analysed in Python (the chain the embedded engine uses); the node only splits on spaces."""
    es.upsert(list(items(1)))
    source = es.client.get(index=es.alias, id="letter:0")["_source"]
    assert source["terms"].split() == analyse(f"{source['title']}\n{source['body']}")
    tokens = es.client.indices.analyze(index=es.alias, field="terms", text="pembangunan yang membangun")["tokens"]
    assert [token["token"] for token in tokens] == ["pembangunan", "yang", "membangun"]


def _node(action):
    subprocess.run([str(RUN), action], check=True, timeout=240, capture_output=True)


def test_letters_registered_while_the_node_is_down_are_indexed_when_it_is_back(org, register, es):
    from django.core.management import call_command

    _node("stop")
    try:
        letters = [register(subject=f"Surat saat mesin mati {n}") for n in range(20)]
        with pytest.raises(Exception):
            indexing.apply_pending()
        assert IndexOperation.objects.filter(applied_at__isnull=True).count() == 20, "nothing lost"
    finally:
        _node("start")
    assert indexing.apply_pending() == 20
    result = es.search(SearchQuery(text="mesin mati", principals=principals_of(org.registrar), per_page=50))
    assert result.total == 20
    assert {hit.id for hit in result.hits} == {f"letter:{letter.pk}" for letter in letters}
    call_command("search_status")  # exits 1 when the database and the index disagree
