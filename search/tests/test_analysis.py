"""The analysis chain both engines share: roots, what stays apart, abbreviations."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError

from search.analysis import Thesaurus, analyse, root
from search.models import Synonym
from search.port import SearchItem, SearchQuery
from tests.support import elasticsearch_url


@pytest.mark.parametrize("forms", [
    ("perbaikan", "memperbaiki", "diperbaiki"),
    ("penanganan", "menangani", "ditangani"),
    ("pengaduan", "mengadukan", "aduan"),
    ("pengelolaan", "dikelola", "mengelola"),
    ("pemeliharaan", "dipelihara", "memelihara"),
    ("penerangan", "menerangi", "diterangi"),
    ("pengerukan", "dikeruk", "mengeruk"),
    ("perencanaan", "direncanakan", "rencana"),
    ("persetujuan", "menyetujui", "disetujui", "setuju"),
    ("perpajakan", "pajak"),
    ("pembangunan", "membangun", "bangunan", "dibangun"),
    ("pengaman", "pengamanan", "keamanan"),
    ("pejalan", "jalan"),
    ("senilai", "nilai", "dinilai"),
])
def test_derived_forms_share_one_root(forms):
    assert len({root(word) for word in forms}) == 1, {word: root(word) for word in forms}


@pytest.mark.parametrize("apart", [
    ("pemerintah", "perintah"),  # the government is not an order
    ("pendapatan", "dapat"),  # income is not "can"
    ("pengadaan", "ada"),  # procurement is not "there is"
    ("peserta", "serta"),  # a participant is not "and"
    ("persetujuan", "tujuan"),  # approval is not a goal
    ("bangun", "banjir"),
    ("peternakan", "terna"),
    ("pejalan", "pejal"),  # a pedestrian is not solid
    ("senilai", "nila"),  # worth is not indigo
    ("penajam", "tajam"),  # the place, not sharpness
])
def test_words_of_other_meanings_stay_apart(apart):
    assert len({root(word) for word in apart}) == len(apart), {word: root(word) for word in apart}


def test_stop_words_are_one_list_for_both_engines():
    """Elasticsearch's own Indonesian list and SIAP's disagreed on "tidak"; now only SIAP's applies."""
    assert analyse("tidak layak huni") == ["layak", "huni"]
    assert analyse("Yang dan di") == []


def test_a_thesaurus_form_found_in_a_query_stands_for_its_whole_group():
    thesaurus = Thesaurus([("PJU", "penerangan jalan umum"), ("Setwan", "sekretariat dewan"),
                           ("Setwan", "sekretariat DPRD"), ("DPUPR", "dinas pekerjaan umum dan penataan ruang"),
                           ("PUPR", "pekerjaan umum dan penataan ruang")])
    assert thesaurus.units(analyse("PJU mati di Manggar")) == [
        [("pju",), ("terang", "jalan", "umum")], [("mati",)], [("manggar",)]]
    assert thesaurus.units(analyse("lampu penerangan jalan umum")) == [
        [("lampu",)], [("pju",), ("terang", "jalan", "umum")]]
    assert thesaurus.units(analyse("setwan"))[0] == [("setwan",), ("sekretariat", "dewan"), ("sekretariat", "dprd")]
    # the longest form wins: the agency, not the words it contains
    assert thesaurus.units(analyse("dinas pekerjaan umum dan penataan ruang")) == [
        [("dpupr",), ("dinas", "kerja", "umum", "tata", "ruang")]]
    assert thesaurus.units(analyse("jalan umum")) == [[("jalan",)], [("umum",)]], "part of a form is no form"


def test_a_synonym_must_be_searchable_and_differ_from_its_abbreviation(db):
    with pytest.raises(ValidationError) as refused:
        Synonym(abbreviation="dan", expansion="di").full_clean()
    assert set(refused.value.message_dict) == {"abbreviation", "expansion"}
    with pytest.raises(ValidationError) as same:
        Synonym(abbreviation="Perbaikan", expansion="memperbaiki").full_clean()
    assert "expansion" in same.value.message_dict
    Synonym(abbreviation="TPS", expansion="tempat pemungutan suara").full_clean()


def test_the_shipped_abbreviations_are_installed(db):
    thesaurus = Synonym.objects.thesaurus()
    assert thesaurus.units(analyse("APBD"))[0] == [("apbd",), ("anggar", "pendapatan", "belanja", "daerah")]
    assert thesaurus.units(analyse("raperda"))[0] == [("raperda",), ("rancang", "atur", "daerah")]


def _letter(pk, title, body, day):
    return SearchItem(id=f"letter:{pk}", kind="letter", title=title, body=body, url=f"/surat/{pk}/",
                      date=datetime.date(2026, 3, day), principals=["unit:1"])


def test_a_new_synonym_applies_to_the_next_search_without_reindexing(engine):
    engine.upsert([
        _letter(1, "Lampu jalan", "Penerangan jalan umum di Jalan Mulawarman padam sejak Senin.", 1),
        _letter(2, "PJU Manggar", "PJU di Manggar perlu diganti.", 2),
        _letter(3, "Jalan rusak", "Jalan umum di Manggar berlubang.", 3),
    ])

    def found(text, thesaurus):
        result = engine.search(SearchQuery(text=text, principals=["unit:1"], thesaurus=thesaurus))
        return sorted(hit.id for hit in result.hits)

    assert found("pju", Thesaurus()) == ["letter:2"]
    with_entry = Thesaurus([("PJU", "penerangan jalan umum")])
    assert found("pju", with_entry) == ["letter:1", "letter:2"]
    assert found("penerangan jalan umum", with_entry) == ["letter:1", "letter:2"]
    assert found("pju manggar", with_entry) == ["letter:2"]
    hit = engine.search(SearchQuery(text="pju", principals=["unit:1"], thesaurus=with_entry)).hits
    marked = {item.id: item.snippet for item in hit}
    assert "<mark>Penerangan</mark> <mark>jalan</mark> <mark>umum</mark>" in marked["letter:1"]


@pytest.mark.elasticsearch
def test_an_elasticsearch_index_from_before_gets_the_analysed_fields():
    """An index made by an earlier SIAP (text analysed by the node) is given the new fields on first use;
    ``search_reindex`` then fills them."""
    from search.elastic import ElasticBackend

    alias = f"siap-test-{uuid.uuid4().hex[:10]}"
    old = ElasticBackend(elasticsearch_url(), index=alias)
    old.client.indices.create(index=f"{alias}-initial", aliases={alias: {}}, mappings={"dynamic": "strict", "properties": {
        "kind": {"type": "keyword"}, "title": {"type": "text", "analyzer": "indonesian"},
        "body": {"type": "text", "analyzer": "indonesian"}, "url": {"type": "keyword", "index": False},
        "date": {"type": "date"}, "principals": {"type": "keyword"}}})
    try:
        upgraded = ElasticBackend(elasticsearch_url(), index=alias)
        upgraded.upsert([_letter(1, "Perbaikan jalan", "Memperbaiki jalan di Manggar.", 1)])
        assert [hit.id for hit in upgraded.search(SearchQuery(text="diperbaiki", principals=["unit:1"])).hits] == [
            "letter:1"]
    finally:
        old.drop()
