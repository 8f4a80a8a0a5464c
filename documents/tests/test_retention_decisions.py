"""The archivist's bulk retention decisions, the disposal list and the dashboard counter."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents import owners, retention
from documents.forms import MAX_ITEMS, DisposalDecisionForm
from documents.models import ClassificationCode, DisposalDecision
from documents.pdf import place_and_date
from project.audit.models import AuditEvent
from project.org import roles
from tests.support import PASSWORD, make_user, pdf_text
from workflows import inbox, registry
from workflows.letters import services
from workflows.letters.flows import LetterFlow
from workflows.letters.models import Letter

RETENTION = reverse("documents:retention")


def login(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def key(letter):
    return f"{ContentType.objects.get_for_model(letter).pk}:{letter.pk}"


def archived(org, register, subject, year):
    letter = register(subject=subject)
    services.file_without_disposition(inbox.open_task(letter, LetterFlow.dispose), user=org.chair)
    Letter.objects.filter(pk=letter.pk).update(archived_at=timezone.make_aware(datetime.datetime(year, 3, 1)))
    return Letter.objects.get(pk=letter.pk)


@pytest.fixture
def archive(org, register):
    """Three letters past their retention (closed 2015: 2 + 3 years under code 000), one still active."""
    due = [archived(org, register, f"Undangan lama nomor {n}", 2015) for n in range(3)]
    fresh = archived(org, register, "Undangan tahun ini", timezone.localdate().year)
    return due, fresh


@pytest.fixture
def archivist(db):
    return make_user("arsiparis", groups=[roles.ARCHIVIST], first_name="Rina Arsiparis")


def decide(client, letters, decision="musnah", note="Berita acara 7/2026"):
    return client.post(RETENTION, {"item": [key(letter) for letter in letters], "decision": decision, "note": note},
                       follow=True)


def test_one_decision_for_many_items_each_in_the_trail_and_a_second_submit_records_nothing(org, archive, archivist):
    due, _fresh = archive
    client = login("arsiparis")
    page = decide(client, due)
    assert "Keputusan Musnah dicatat untuk 3 arsip." in page.content.decode()
    decisions = DisposalDecision.objects.all()
    assert sorted(d.item_id for d in decisions) == sorted(str(letter.pk) for letter in due)
    assert {(d.decision, d.note, d.decided_by) for d in decisions} == {("musnah", "Berita acara 7/2026", archivist)}
    for letter in due:
        assert AuditEvent.objects.for_object(letter).filter(action="retention.decided", user=archivist).count() == 1
    again = decide(client, due, decision="permanen")
    assert "3 arsip sudah diputuskan sebelumnya" in again.content.decode()
    assert DisposalDecision.objects.count() == 3 and not DisposalDecision.objects.filter(decision="permanen").exists()


def test_a_batch_holding_an_item_not_due_records_nothing(org, archive, archivist):
    due, fresh = archive
    client = login("arsiparis")
    page = decide(client, [*due, fresh])
    assert "belum jatuh tempo" in page.content.decode()
    unknown = client.post(RETENTION, {"item": [key(due[0]), "999999:1"], "decision": "musnah"}, follow=True)
    assert unknown.status_code == 200 and "belum jatuh tempo" in unknown.content.decode()
    assert not DisposalDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="retention.decided").exists()


def test_items_the_archivist_may_not_see_are_neither_listed_nor_decided(org, archive):
    """Retention rights alone do not open letters: the letters' own rule decides what is listed."""
    due, _fresh = archive
    clerk = make_user("arsip-unit")
    clerk.user_permissions.add(Permission.objects.get(codename="manage_retention"))
    client = login("arsip-unit")
    page = client.get(RETENTION, {"bagian": "due"})
    assert page.status_code == 200 and "Undangan lama" not in page.content.decode()
    assert [c.value for c in registry.dashboard_counters(clerk) if c.url_name == "documents:retention"] == [0]
    decide(client, due[:1])
    assert not DisposalDecision.objects.exists()


def test_the_disposal_list_prints_the_items_decided_musnah(org, archive, archivist):
    due, _fresh = archive
    client = login("arsiparis")
    decide(client, due[:2], note="BA 7/2026")
    decide(client, due[2:], decision="permanen")
    response = client.get(reverse("documents:disposal_list"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "DAFTAR ARSIP USUL MUSNAH" in text and "Kode klasifikasi" in text and "Kurun waktu" in text
    assert "Undangan lama nomor 0" in text and "Undangan lama nomor 1" in text
    assert "Undangan lama nomor 2" not in text, "decided permanen"
    assert "BA 7/2026" in text and "2015" in text and "Jumlah: 2 berkas" in text
    assert place_and_date(timezone.localdate()) in text
    assert "Balikpapan," in text and "Rina Arsiparis" in text and "Sekretaris DPRD Kota Balikpapan" in text


def test_deciding_and_printing_are_for_the_archivist_only(org, archive):
    due, _fresh = archive
    for user in (org.registrar, org.auditor, org.k1):
        client = login(user.username)
        assert client.get(reverse("documents:disposal_list")).status_code == 403
        assert client.post(RETENTION, {"item": [key(due[0])], "decision": "musnah"}).status_code == 403
        assert not any(c.url_name == "documents:retention" for c in registry.dashboard_counters(user))
    assert not DisposalDecision.objects.exists()


def test_the_counter_opens_exactly_the_items_due(org, archive, archivist):
    due, _fresh = archive
    client = login("arsiparis")
    decide(client, due[:1])
    (counter,) = [c for c in registry.dashboard_counters(archivist) if c.url_name == "documents:retention"]
    assert counter.value == 2
    page = client.get(counter.url).content.decode()
    assert len(re.findall(r'name="item" value="', page)) == counter.value
    assert "Undangan tahun ini" not in page and 'id="section-inactive"' not in page


def test_more_items_than_one_decision_takes_are_refused_by_name():
    """(Through the page Django's own limit on a request's fields, 1000 by default, comes first.)"""
    data = QueryDict(mutable=True)
    data.setlist("item", [f"7:{n}" for n in range(MAX_ITEMS + 1)])
    data["decision"] = "musnah"
    form = DisposalDecisionForm(data)
    assert not form.is_valid()
    assert form.errors["item"] == [f"Paling banyak {MAX_ITEMS} arsip sekaligus."]
    data.setlist("item", [f"7:{n}" for n in range(MAX_ITEMS)])
    assert DisposalDecisionForm(data).is_valid()


@pytest.fixture
def built(monkeypatch):
    """The letters the retention code has items built for, call after call."""
    rules = owners.rules_for(Letter)
    calls = []

    def archive_items(subjects=None):
        items = list(rules.archive_items(subjects))
        calls.append({item.subject.pk for item in items})
        return items

    monkeypatch.setitem(owners._OWNERS, Letter, owners.OwnerRules(visible_to=rules.visible_to,
                                                                  archive_items=archive_items))
    return calls


def test_the_counter_and_a_decision_build_only_the_items_they_need(org, archive, archivist, built):
    due, fresh = archive
    retention.decide_many([key(due[0])], decision="musnah", note="", user=archivist)
    assert built == [{due[0].pk}], "a decision builds the posted items only"
    built.clear()
    (counter,) = retention.counters(archivist)
    assert counter.value == 2
    assert built == [{due[1].pk, due[2].pk, fresh.pk}], "the counter leaves the decided items out"
    built.clear()
    assert [row.item.subject for row in retention.disposal_list(archivist)] == [due[0]]
    assert built == [{due[0].pk}], "the disposal list builds the items decided musnah only"
    assert [row.key for row in retention.due_now(archivist)] == [
        row.key for row in retention.report(timezone.localdate().year, archivist)["due"][("000", "Sekretariat DPRD")]
    ]


def test_the_counter_looks_each_code_up_once_however_many_items(org, register, archive, archivist):
    """Letters under a code that inherits its retention: the counter's queries do not grow with the letters."""
    parent = ClassificationCode.objects.get(code="000")
    child = ClassificationCode.objects.create(code="000.99", name="Undangan", parent=parent)
    Letter.objects.update(classification=child)

    def counted():
        with CaptureQueriesContext(connection) as queries:
            (counter,) = retention.counters(archivist)
        return counter.value, len(queries.captured_queries)

    counted()  # the permission and content type caches filled
    three, queries = counted()
    for n in range(3):
        archived(org, register, f"Undangan lama tambahan {n}", 2015)
    Letter.objects.update(classification=child)
    assert counted() == (three + 3, queries)
