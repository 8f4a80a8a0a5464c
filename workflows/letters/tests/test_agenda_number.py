"""Agenda numbers: gap-free, restarting each year, unique under concurrency."""

import threading

import pytest
from django.db import connection, transaction

from tests.support import letter_data, pdf_upload, requires_postgresql
from workflows.letters import services
from documents.models import Blob
from workflows.letters.models import AgendaCounter, Letter


def test_numbers_restart_each_year(db):
    with transaction.atomic():
        assert [AgendaCounter.next_number(2026) for _ in range(3)] == [1, 2, 3]
        assert AgendaCounter.next_number(2027) == 1
        assert AgendaCounter.next_number(2026) == 4


@pytest.mark.django_db(transaction=True)
def test_number_taken_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        AgendaCounter.next_number(2026)


def test_a_failed_registration_gives_its_number_back_and_leaves_no_file(org, register, private_media, monkeypatch):
    from workflows.letters.flows import LetterFlow

    register(subject="Surat pertama")
    with monkeypatch.context() as patch:
        patch.setattr(LetterFlow.register, "run", lambda **kwargs: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            register(subject="Surat yang gagal didaftarkan")
    assert Letter.objects.count() == 1
    assert register(subject="Surat kedua").agenda_number == 2, "no gap after the rollback"
    stored = [path for path in private_media.rglob("*") if path.is_file()]
    assert len(stored) == 2, "the rolled-back scan was removed from storage"
    assert {path.name for path in stored} == set(Blob.objects.values_list("sha256", flat=True))


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_consecutive_numbers(org):
    workers, per_worker = 8, 3
    barrier = threading.Barrier(workers)
    errors = []

    def work():
        try:
            barrier.wait()
            for _ in range(per_worker):
                services.register_letter(data=letter_data(org), scan=pdf_upload(), user=org.registrar)
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Letter.objects.values_list("agenda_number", flat=True))
    assert numbers == list(range(1, workers * per_worker + 1))
