"""The trail's details read as labelled values on every page and file that shows them, never as codes."""

import csv
import io

from django.test import Client
from django.urls import reverse

from project.audit.details import summary
from project.audit.models import AuditEvent
from tests.support import PASSWORD


def auditor_client(org):
    client = Client()
    client.login(username=org.auditor.username, password=PASSWORD)
    return client


def test_a_disposition_names_its_units_and_deadline_in_words(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1, org.komisi2])
    disposed = next(row for row in letter.trail_rows() if row["action"] == "Disposisi diberikan")
    described = dict(disposed["details"])
    assert described["Unit"] == "Komisi I, Komisi II"
    assert described["Batas waktu"].split()[1] in {
        "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
        "November", "Desember",
    }
    page = auditor_client(org).get(reverse("audit:events")).content.decode()
    assert "Unit: Komisi I, Komisi II" in page and "[&#x27;" not in page and "units" not in page


def test_the_trail_csv_and_the_registration_read_in_words_with_the_whole_checksum(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1, org.komisi2])
    response = auditor_client(org).get(reverse("letters:trail_csv", args=[letter.pk]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    details = {row[1]: row[5] for row in rows[1:]}
    assert "Unit: Komisi I, Komisi II" in details["Disposisi diberikan"] and "['" not in details["Disposisi diberikan"]
    sha256 = letter.documents()[0].versions.get(number=1).sha256
    assert f"Nomor agenda: {letter.agenda_label}" in details["Surat didaftarkan"]
    assert f"SHA-256: {sha256}" in details["Surat didaftarkan"]  # whole in the file, for checking


def test_a_retention_decision_shows_its_label_not_its_code(org, register):
    letter = register()
    # what documents.retention records (its choices are registered by the documents app)
    AuditEvent.record(letter, "retention.decided", user=org.registrar, detail={"decision": "dinilai_kembali", "note": ""})
    decided = letter.trail_rows()[-1]
    assert decided["details"] == [("Keputusan", "Dinilai kembali")]  # the empty note is left out


def test_values_read_as_a_person_writes_them():
    assert summary({"closed": True, "attachments": 0, "deadline": "2026-11-29", "sha256": "ab" * 32}) == (
        "Rapat tertutup: Ya; Lampiran: 0; Batas waktu: 29 November 2026; SHA-256: abababababab…"
    )
    assert summary({"some_key": ["a", "b"]}) == "Some key: a, b"


def test_a_process_names_its_own_details_without_renaming_another_processs(org, register):
    from project.audit.details import describe

    # what an outgoing letter's signing and a meeting's approval record (each keeps the number as "number")
    assert describe({"number": "005/12/DPRD"}, action="outgoing.signed") == [("Nomor", "005/12/DPRD")]
    assert describe({"number": "12/RIS/2026"}, action="meeting.approved") == [("Nomor risalah", "12/RIS/2026")]
    assert describe({"number": "7"}, action="file.downloaded") == [("Nomor", "7")]  # shared: the shared name
    # a code only a process names still reads in words under a shared action (the outgoing register's export)
    assert describe({"register": "outgoing"}, action="register.exported") == [("Buku register", "Buku agenda surat keluar")]
    # each process's codes under its own key: the aspirations' verification, the archivist's retention decision
    assert describe({"decision": "valid"}, action="aspiration.verified") == [("Keputusan", "Valid")]
    assert describe({"decision": "musnah"}, action="retention.decided") == [("Keputusan", "Musnah")]
    letter = register()
    AuditEvent.record(letter, "outgoing.signed", user=org.registrar, detail={"number": "005/12/DPRD"})
    AuditEvent.record(letter, "meeting.approved", user=org.chair, detail={"number": "12/RIS/2026"})
    rows = {row["action"]: row["details"] for row in letter.trail_rows()}
    assert rows["Naskah ditandatangani dan diberi nomor"] == [("Nomor", "005/12/DPRD")]
    assert rows["Risalah disetujui"] == [("Nomor risalah", "12/RIS/2026")]
    page = auditor_client(org).get(reverse("audit:events")).content.decode()
    assert "Nomor: 005/12/DPRD" in page and "Nomor risalah: 12/RIS/2026" in page
    response = auditor_client(org).get(reverse("letters:trail_csv", args=[letter.pk]))
    details = {row[1]: row[5] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert details["Naskah ditandatangani dan diberi nomor"] == "Nomor: 005/12/DPRD"
