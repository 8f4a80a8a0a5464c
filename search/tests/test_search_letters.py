"""Search over letters: permissions in the index, the outbox, the page and the commands.

Every test runs on both backends.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from project.audit.models import AuditEvent
from project.org.services import create_delegation
from search import indexing
from search.models import IndexOperation
from search.port import SearchQuery
from search.registry import principals_of
from tests.support import PASSWORD


@pytest.fixture(autouse=True)
def engine(search_engine):
    return search_engine


def login(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def found(user, text):
    indexing.apply_pending()
    result = indexing.backend().search(SearchQuery(text=text, principals=principals_of(user)))
    return {hit.id for hit in result.hits}, result


@pytest.fixture
def letters(org, register, dispose):
    k1 = register(subject="Pembangunan drainase Sepinggan untuk Komisi I")
    dispose(k1, [org.komisi1])
    k2 = register(subject="Perbaikan jalan drainase untuk Komisi II")
    dispose(k2, [org.komisi2])
    secret = register(subject="Dugaan pelanggaran etik drainase", nature="rahasia")
    dispose(secret, [org.komisi1])
    return {"k1": f"letter:{k1.pk}", "k2": f"letter:{k2.pk}", "secret": f"letter:{secret.pk}"}


def test_each_user_finds_exactly_what_they_may_read(org, letters):
    assert found(org.k2, "drainase")[0] == {letters["k2"]}
    assert found(org.k1, "drainase")[0] == {letters["k1"], letters["secret"]}
    assert found(org.auditor, "drainase")[0] == set(letters.values())
    assert found(org.chair, "drainase")[0] == set(letters.values())
    assert found(org.deputy, "drainase")[0] == {letters["k1"], letters["k2"]}, "not the rahasia one"
    assert found(org.member, "drainase")[0] == set()


def test_hidden_letters_leave_no_trace_in_facets_or_snippets(org, letters):
    _ids, result = found(org.k2, "drainase")
    assert result.total == 1
    assert dict(result.facets["unit"]) == {"Komisi II": 1}
    assert all("etik" not in hit.snippet and "Sepinggan" not in hit.snippet for hit in result.hits)
    page = login("komisi2").get(reverse("search:search"), {"q": "drainase"}).content.decode()
    assert "pelanggaran etik" not in page and "Sepinggan" not in page and "Komisi I<" not in page


def test_delegation_changes_what_the_deputy_finds_without_reindexing(org, letters):
    now = timezone.now()
    create_delegation(position=org.chair_position, delegate=org.deputy,
                      starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=1))
    assert letters["secret"] in found(org.deputy, "etik")[0]


def test_stemmed_search_through_the_page(org, letters):
    indexing.apply_pending()
    page = login("auditor").get(reverse("search:search"), {"q": "membangun"})
    html = page.content.decode()
    assert page.status_code == 200 and "<mark>Pembangunan</mark>" in html
    assert 'id="result-count">1 hasil' in html


def test_registration_records_its_index_operation_in_the_same_transaction(org, register):
    letter = register(subject="Undangan rapat koordinasi stunting")
    operation = IndexOperation.objects.get(item_id=f"letter:{letter.pk}")
    assert operation.applied_at is None
    assert indexing.apply_pending() >= 1
    assert found(org.registrar, "stunting")[0] == {f"letter:{letter.pk}"}


def test_operations_wait_while_the_engine_fails_and_nothing_is_lost(org, register, monkeypatch):
    engine = indexing.backend()
    real_upsert = engine.upsert

    def down(items):
        raise ConnectionError("search engine down")

    monkeypatch.setattr(engine, "upsert", down)
    letters = [register(subject=f"Surat penting nomor {n}") for n in range(20)]
    with pytest.raises(ConnectionError):
        indexing.apply_pending()
    pending = IndexOperation.objects.filter(applied_at__isnull=True)
    assert pending.count() == 20 and all(op.attempts == 1 for op in pending)
    monkeypatch.setattr(engine, "upsert", real_upsert)
    assert indexing.apply_pending() == 20
    ids, result = found(org.registrar, "penting")
    assert result.total == 20 and ids == {f"letter:{letter.pk}" for letter in letters}


def test_the_latest_state_wins(org, register, dispose):
    letter = register(subject="Permohonan hibah sekolah")
    dispose(letter, [org.komisi1])
    indexing.apply_pending()
    assert found(org.k1, "hibah")[0] == {f"letter:{letter.pk}"}
    assert found(org.k2, "hibah")[0] == set()


def test_commands_search_status_and_reindex(org, letters, capsys):
    indexing.apply_pending()
    call_command("search", "drainase", user="komisi2", json=True)
    output = json.loads(capsys.readouterr().out)
    assert [hit["id"] for hit in output["hits"]] == [letters["k2"]]
    call_command("search_status")
    assert "Indeks sesuai" in capsys.readouterr().out
    indexing.backend().delete([letters["k1"]])
    with pytest.raises(SystemExit):
        call_command("search_status")
    call_command("search_reindex")
    captured = capsys.readouterr()
    assert "3 item diindeks" in captured.out and "Indeks ulang" in captured.err
    call_command("search_status")


def test_auditor_exports_results_and_the_export_is_recorded(org, letters):
    indexing.apply_pending()
    response = login("auditor").get(reverse("search:search"), {"q": "drainase", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode("utf-8-sig").splitlines()
    assert len(rows) == 4
    assert AuditEvent.objects.for_object(org.auditor).filter(action="search.exported").exists()
    staff = login("komisi1").get(reverse("search:search"), {"q": "drainase", "format": "csv"})
    assert staff["Content-Type"].startswith("text/html"), "no export for staff: the normal page instead"


def test_an_export_holds_only_what_all_the_words_find_never_any_word_results(org, letters):
    indexing.apply_pending()
    page = login("auditor").get(reverse("search:search"), {"q": "sepinggan perbaikan"}).content.decode()
    assert "Tidak ada hasil yang memuat semua kata" in page, "the page itself still offers any word"
    response = login("auditor").get(reverse("search:search"), {"q": "sepinggan perbaikan", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert len(response.content.decode("utf-8-sig").splitlines()) == 1, "the header only"
    event = AuditEvent.objects.for_object(org.auditor).get(action="search.exported")
    assert event.detail["hits"] == 0


def test_the_page_offers_any_word_and_a_spelling_within_what_the_user_may_read(org, letters):
    indexing.apply_pending()
    partial = "Tidak ada hasil yang memuat semua kata"
    response = login("komisi1").get(reverse("search:search"), {"q": "sepinggan perbaikan"})
    page = response.content.decode()
    assert partial in page and "Pembangunan drainase Sepinggan" in page
    assert "Perbaikan jalan" not in page, "the other commission's letter holds a word but stays hidden"
    assert [hit.id for hit in response.context["result"].hits] == [letters["k1"]]
    assert partial not in login("komisi2").get(reverse("search:search"), {"q": "sepinggan etik"}).content.decode()

    response = login("komisi2").get(reverse("search:search"), {"q": "drainse", "order": "date"})
    assert "Mungkin maksud Anda:" in response.content.decode()
    assert response.context["suggestion_string"] == "q=drainase&order=date"
    assert response.context["result"].suggestion == "drainase"
    assert login("komisi2").get(reverse("search:search"), {"q": "pelangaran"}).context["result"].suggestion == "", (
        "the word is only in a rahasia letter komisi2 may not read"
    )
    assert login("komisi1").get(reverse("search:search"), {"q": "pelangaran"}).context["result"].suggestion == "pelanggaran"
