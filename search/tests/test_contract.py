"""The search port's contract. Every backend must pass these unchanged:
the embedded SQLite FTS5 engine and Elasticsearch (the test node that
``make test`` starts on 127.0.0.1:9200).
"""

import datetime

import pytest

from search.port import SearchItem, SearchQuery
from search.stemmer import stem

D = datetime.date


def item(pk, title, body, *, principals=("unit:1",), date=D(2026, 3, 1), **facets):
    return SearchItem(
        id=f"letter:{pk}", kind="letter", title=title, body=body, url=f"/surat/{pk}/", date=date,
        principals=list(principals), facets={name: [value] for name, value in facets.items()},
    )


def ids(result):
    return sorted(hit.id for hit in result.hits)


def find(engine, text, principals=("unit:1",), **kwargs):
    return engine.search(SearchQuery(text=text, principals=list(principals) if principals is not None else None, **kwargs))


@pytest.fixture
def archive(engine):
    engine.upsert([
        item(1, "Pembangunan drainase", "Warga meminta pembangunan drainase di Kelurahan Sepinggan.", unit="Komisi III"),
        item(2, "Rapat kerja", "Dinas akan membangun jalan baru di Balikpapan Utara.", unit="Komisi III"),
        item(3, "Banjir", "Laporan banjir di Jalan Soekarno-Hatta km 5; drainase tersumbat.", unit="Komisi III",
             nature="segera"),
        item(4, "Anggaran", "Penyampaian rancangan anggaran pendapatan dan belanja daerah.", unit="Komisi II",
             principals=("unit:2",)),
        item(5, "Rahasia", "Laporan dugaan pelanggaran etik anggota dewan tentang drainase.", unit="Badan Kehormatan",
             principals=("position:1",), nature="rahasia"),
    ])
    return engine


@pytest.mark.parametrize("word, expected", [
    ("pembangunan", "bangun"), ("membangun", "bangun"), ("bangunan", "bangun"), ("dibangun", "bangun"),
    ("pendidikan", "didik"), ("menyapu", "sapu"), ("berlari", "lari"), ("rapatnya", "rapat"), ("banjir", "banjir"),
])
def test_indonesian_light_stemmer(word, expected):
    assert stem(word) == expected


def test_stemming_equates_derived_forms(archive):
    assert ids(find(archive, "pembangunan")) == ["letter:1", "letter:2"]
    assert ids(find(archive, "membangun")) == ["letter:1", "letter:2"]


def test_stemming_keeps_different_roots_apart(archive):
    assert ids(find(archive, "banjir")) == ["letter:3"]
    assert ids(find(archive, "bangun banjir")) == []


def test_all_words_must_match(archive):
    assert ids(find(archive, "drainase sepinggan")) == ["letter:1"]


def test_phrase(archive):
    assert ids(find(archive, '"drainase di kelurahan"')) == ["letter:1"]
    assert ids(find(archive, '"kelurahan drainase"')) == []


def test_prefix(archive):
    assert ids(find(archive, "drain*")) == ["letter:1", "letter:3"]
    assert ids(find(archive, "soekar*")) == ["letter:3"]


def test_exclusion(archive):
    assert ids(find(archive, "drainase -banjir")) == ["letter:1"]
    assert ids(find(archive, 'drainase -"jalan soekarno"')) == ["letter:1"]


def test_stop_words_alone_find_nothing(archive):
    assert find(archive, "yang dan di").total == 0


def test_principals_filter_hits_totals_and_facets(archive):
    result = find(archive, "drainase")
    assert ids(result) == ["letter:1", "letter:3"] and result.total == 2
    assert dict(result.facets["unit"]) == {"Komisi III": 2}
    assert "rahasia" not in dict(result.facets.get("nature", []))
    everyone = find(archive, "drainase", principals=("unit:1", "position:1"))
    assert ids(everyone) == ["letter:1", "letter:3", "letter:5"]
    assert dict(everyone.facets["nature"]) == {"segera": 1, "rahasia": 1}
    assert find(archive, "drainase", principals=()).total == 0


def test_unrestricted_query_sees_everything(archive):
    assert find(archive, "laporan", principals=None).total == 2


def test_highlights_mark_matches_and_escape_markup(engine):
    engine.upsert([item(9, "Skrip", 'Isi <script>alert("x")</script> tentang pembangunan jalan.')])
    snippet = find(engine, "membangun").hits[0].snippet
    assert "<mark>pembangunan</mark>" in snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_filters_and_facet_counts(archive):
    result = find(archive, "drainase", principals=("unit:1", "position:1"), filters={"nature": ["rahasia"]})
    assert ids(result) == ["letter:5"]
    result = find(archive, "drainase", filters={"unit": ["Komisi III"]})
    assert result.total == 2 and dict(result.facets["kind"]) == {"letter": 2}


def test_date_range_and_date_order(engine):
    engine.upsert([item(pk, f"Surat {pk}", "undangan rapat", date=D(2026, 1, pk)) for pk in range(1, 6)])
    assert ids(find(engine, "undangan", date_from=D(2026, 1, 2), date_to=D(2026, 1, 3))) == ["letter:2", "letter:3"]
    newest = find(engine, "undangan", order="date")
    assert [hit.id for hit in newest.hits] == [f"letter:{pk}" for pk in (5, 4, 3, 2, 1)]


def test_pagination(engine):
    engine.upsert([item(pk, f"Surat {pk}", "undangan rapat paripurna", date=D(2026, 1, 1)) for pk in range(1, 26)])
    pages = [find(engine, "undangan", per_page=10, page=number, order="date") for number in (1, 2, 3)]
    assert [len(page.hits) for page in pages] == [10, 10, 5]
    assert all(page.total == 25 for page in pages)
    assert len({hit.id for page in pages for hit in page.hits}) == 25


def test_upsert_replaces_and_delete_removes(archive):
    archive.upsert([item(1, "Pembangunan drainase", "Sudah diganti: taman kota.", unit="Komisi III")])
    assert ids(find(archive, "sepinggan")) == []
    assert ids(find(archive, "taman")) == ["letter:1"]
    archive.delete(["letter:1"])
    assert find(archive, "taman").total == 0
    assert archive.count() == 4


def test_rebuild_replaces_the_index(archive):
    assert archive.rebuild(iter([item(7, "Baru", "khusus ini")])) == 1
    assert archive.count() == 1 and ids(find(archive, "khusus")) == ["letter:7"]


def test_unparseable_input_finds_nothing_instead_of_failing(archive):
    assert find(archive, '"" - * AND OR NOT ( ) :').total == 0


def test_an_item_with_an_undeclared_facet_is_refused_by_both_engines(engine):
    """Elasticsearch's strict mapping would drop or reject it and the embedded engine keep it: both refuse it."""
    from search.registry import UndeclaredFacet

    with pytest.raises(UndeclaredFacet, match="colour"):
        engine.upsert([item(1, "Pembangunan drainase", "Saluran tersumbat.", colour="merah")])
    assert engine.count() == 0


def test_a_facet_declared_by_a_source_registered_later_is_searchable_on_both_engines(engine):
    """A new process adds its facet without a reindex: the index learns the field."""
    from search import registry

    engine.upsert([item(1, "Pembangunan drainase", "Saluran tersumbat.", unit="Komisi III")])  # the index exists now
    registry.register("kiosk", build=lambda pk: None, all_ids=list, facets={"counter": "Loket"})
    try:
        kiosk = SearchItem(id="kiosk:1", kind="kiosk", title="Antrean drainase", body="Loket pengaduan drainase.",
                           url="/loket/1/", date=D(2026, 3, 2), principals=["unit:1"], facets={"counter": ["A"]})
        engine.upsert([kiosk])
        result = find(engine, "drainase", filters={"counter": ["A"]})
        assert ids(result) == ["kiosk:1"]
        assert dict(find(engine, "drainase").facets["counter"]) == {"A": 1}
    finally:
        registry.unregister("kiosk")


def helped(engine, text, principals=("unit:1",), **kwargs):
    """A query as the search page asks it: falling back to any word, with spelling suggestions."""
    return find(engine, text, principals, fallback=True, **kwargs)


def test_when_all_words_find_nothing_any_word_is_offered_best_first(archive):
    assert find(archive, "sepinggan drainase anggaran").total == 0, "only the page asks for the fallback"
    result = helped(archive, "sepinggan drainase anggaran")
    assert result.partial and result.total == 2
    assert [hit.id for hit in result.hits] == ["letter:1", "letter:3"], "two of the words before one; none unseen"
    assert dict(result.facets["unit"]) == {"Komisi III": 2}
    assert helped(archive, "sepinggan drainase anggaran", principals=()).total == 0


def test_the_fallback_is_only_for_several_words_that_find_nothing_together(archive):
    complete = helped(archive, "drainase sepinggan")
    assert ids(complete) == ["letter:1"] and not complete.partial
    assert not helped(archive, "sepinggan").partial and helped(archive, "anggaran").total == 0
    assert ids(helped(archive, "sepinggan anggaran -drainase")) == [], "exclusions still hold"


def test_a_misspelt_word_gets_the_closest_word_the_caller_may_read(archive):
    result = helped(archive, "Drainse sepinggan")
    assert result.suggestion == "drainase sepinggan" and ids(result) == ["letter:1"] and result.partial
    alone = helped(archive, "bajir")
    assert alone.suggestion == "banjir" and alone.total == 0
    assert helped(archive, "drainase sepinggan").suggestion == "", "nothing to correct when something is found"
    assert find(archive, "drainse").suggestion == "", "only the page asks for suggestions"


def test_a_suggestion_never_reveals_an_item_the_caller_may_not_read(archive):
    assert helped(archive, "pelangaran").suggestion == "", "the word is only in a rahasia item"
    assert helped(archive, "pelangaran", principals=("position:1",)).suggestion == "pelanggaran"
    assert helped(archive, "anggaan").suggestion == ""
    assert helped(archive, "anggaan", principals=("unit:2",)).suggestion == "anggaran"
