"""No cell of an exported CSV runs as a formula in a spreadsheet: every export writes through ``EscapingCsvWriter``."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from documents.models import ClassificationCode
from documents.responses import EscapingCsvWriter
from project.org import roles
from tests.support import PASSWORD, make_user
from workflows import inbox
from workflows.letters import services
from workflows.letters.flows import LetterFlow
from workflows.letters.models import Letter

FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_cell_a_spreadsheet_would_run_is_written_as_text(start):
    out = io.StringIO()
    writer = EscapingCsvWriter(out)
    writer.writerow([f"{start}1+1", "Komisi I", 2026, None])
    writer.writerows([[f"{start}SUM(A1)"]])
    first, second = csv.reader(io.StringIO(out.getvalue()))
    assert first == [f"'{start}1+1", "Komisi I", "2026", ""]
    assert second == [f"'{start}SUM(A1)"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])  # a name's leading tab or CR is stripped before the CSV
def test_the_trail_csv_escapes_the_names_in_it(org, register, start):
    letter = register()
    org.registrar.first_name, org.registrar.last_name = f"{start}HYPERLINK(\"http://x\")", ""
    org.registrar.save()
    client = Client()
    client.login(username="auditor", password=PASSWORD)
    rows = list(csv.reader(io.StringIO(client.get(reverse("letters:trail_csv", args=[letter.pk])).content.decode("utf-8-sig"))))
    assert rows[1][2] == f"'{start}HYPERLINK(\"http://x\")"


def test_the_retention_csv_escapes_a_classification_code(org, register):
    letter = register()
    services.stamp_scan(letter)
    services.file_without_disposition(inbox.open_task(letter, LetterFlow.dispose), user=org.chair)
    Letter.objects.filter(pk=letter.pk).update(archived_at=timezone.make_aware(datetime.datetime(2020, 3, 1)))
    ClassificationCode.objects.filter(code="000").update(code="-1+000")
    make_user("arsiparis", groups=[roles.ARCHIVIST])
    client = Client()
    assert client.login(username="arsiparis", password=PASSWORD)
    text = client.get(reverse("documents:retention"), {"tahun": 2026, "format": "csv"}).content.decode("utf-8-sig")
    codes = [row[1] for row in list(csv.reader(io.StringIO(text)))[1:]]
    assert "'-1+000" in codes and "-1+000" not in codes
