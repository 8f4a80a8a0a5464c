"""The audit trail is append-only, shown on the letter and exportable as CSV."""

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from project.audit.models import AppendOnlyError, AuditEvent
from tests.support import PASSWORD, requires_postgresql


def test_events_cannot_be_changed_or_deleted_through_the_orm(org, register):
    letter = register()
    event = AuditEvent.objects.for_object(letter).first()
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@requires_postgresql
def test_database_refuses_changes_to_the_trail(org, register):
    register()
    for statement in ("UPDATE audit_auditevent SET action = 'forged'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)


def test_trail_csv_lists_every_event_with_user_and_acting_for(org, register, dispose):
    letter = register(subject="=HYPERLINK(\"http://example.org\")")
    dispose(letter, [org.komisi1])
    client = Client()
    client.login(username="auditor", password=PASSWORD)
    response = client.get(reverse("letters:trail_csv", args=[letter.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Waktu", "Tindakan", "Pengguna", "Atas nama", "Alamat klien", "Rincian"]
    actions = [row[1] for row in rows[1:]]
    assert actions[:2] == ["Surat didaftarkan", "Disposisi diberikan"]
    assert rows[2][2] == "Ketua"
    # the export itself is recorded, after the rows it exported
    assert AuditEvent.objects.for_object(letter).last().action == "trail.exported"
    assert AuditEvent.objects.for_object(letter).last().user == org.auditor


def test_trail_shows_on_the_letter_page(org, register):
    letter = register()
    client = Client()
    client.login(username="registrar", password=PASSWORD)
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "Surat didaftarkan" in page and "Registrar" in page


def test_csv_cells_that_look_like_formulas_are_neutralised():
    from documents.responses import csv_cell

    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("Ketua") == "Ketua"
