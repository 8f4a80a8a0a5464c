"""The auditor's counters (recent exports, openings of rahasia letters) and the list each one opens."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from project.audit.models import AuditEvent
from tests.support import PASSWORD
from workflows import registry


def client_for(user):
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


def counters_of(user):
    return {counter.label: counter for counter in registry.dashboard_counters(user)}


def listed_rows(client, url):
    page = client.get(url)
    assert page.status_code == 200
    return len(re.findall(r"<tr>\s*<td><time>", page.content.decode()))


def test_opening_a_rahasia_letter_is_recorded_once_per_page_and_per_file(org, register):
    secret = register(nature="rahasia")
    ordinary = register()
    auditor = client_for(org.auditor)
    assert auditor.get(secret.get_absolute_url()).status_code == 200
    assert auditor.get(ordinary.get_absolute_url()).status_code == 200
    document = secret.documents()[0]
    assert auditor.get(reverse("documents:download", args=[document.pk, 1])).status_code == 200
    openings = AuditEvent.objects.filter(action="restricted.opened")
    assert [(event.object_id, event.user) for event in openings] == [(str(secret.pk), org.auditor)] * 2
    assert openings.last().detail == {"document": document.pk}


def test_the_auditor_sees_counters_that_open_exactly_what_they_count(org, register):
    secret = register(nature="rahasia")
    letter = register()
    auditor = client_for(org.auditor)
    auditor.get(secret.get_absolute_url())
    auditor.get(reverse("letters:trail_csv", args=[letter.pk]))
    auditor.get(reverse("letters:evidence", args=[letter.pk]))
    assert auditor.get(reverse("outgoing:register"), {"format": "csv"}).status_code == 200
    counters = counters_of(org.auditor)
    exports = counters["Ekspor 30 hari terakhir"]
    opened = counters["Akses naskah rahasia 30 hari terakhir"]
    assert exports.value == 3 and listed_rows(auditor, exports.url) == 3
    assert opened.value == 1 and listed_rows(auditor, opened.url) == 1
    page = auditor.get(opened.url).content.decode()
    assert f'href="{secret.get_absolute_url()}"' in page and "Naskah rahasia dibuka" in page
    dashboard = auditor.get(reverse("dashboard")).content.decode()
    assert "Ekspor 30 hari terakhir" in dashboard and opened.url.replace("&", "&amp;") in dashboard


def test_the_list_is_paginated(org, register):
    letter = register()
    for _ in range(51):
        AuditEvent.record(letter, "trail.exported", user=org.auditor)
    auditor = client_for(org.auditor)
    exports = counters_of(org.auditor)["Ekspor 30 hari terakhir"]
    assert exports.value == 51 and listed_rows(auditor, exports.url) == 50
    assert listed_rows(auditor, f"{exports.url}&page=2") == 1


@pytest.mark.parametrize("who", ["registrar", "member", "chair"])
def test_others_get_neither_the_counters_nor_the_list(org, who):
    user = getattr(org, who)
    assert not {"Ekspor 30 hari terakhir", "Akses naskah rahasia 30 hari terakhir"} & set(counters_of(user))
    assert client_for(user).get(reverse("audit:events"), {"kelompok": "ekspor", "sejak": 30}).status_code == 403


def test_the_list_names_a_rahasia_aspiration_by_its_code_not_its_content(org):
    from workflows.aspirations.tests.support import build_world, receive

    world = build_world(org)
    secret = receive(world, privacy="rahasia", subject="Dugaan pungli di kelurahan")
    assert client_for(org.registrar).get(secret.get_absolute_url()).status_code == 200  # the desk handles it
    auditor = client_for(org.auditor)
    page = auditor.get(counters_of(org.auditor)["Akses naskah rahasia 30 hari terakhir"].url).content.decode()
    assert secret.code in page and "Dugaan pungli" not in page


def test_whoever_reads_the_trail_reads_only_the_events_of_subjects_they_may_see(org, register, dispose):
    from django.contrib.auth.models import Permission

    from tests.support import make_user

    theirs, other = register(subject="Undangan dengar pendapat"), register(subject="Permohonan audiensi warga")
    dispose(theirs, [org.komisi2])
    dispose(other, [org.komisi1])
    for letter in (theirs, other):
        AuditEvent.record(letter, "trail.exported", user=org.auditor)
    AuditEvent.record(make_user("analis"), "search.exported", detail={"q": "audiensi", "hits": 2})  # no subject's
    org.k2.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    reader = type(org.k2).objects.get(pk=org.k2.pk)  # its permissions afresh
    exports = counters_of(reader)["Ekspor 30 hari terakhir"]
    assert exports.value == 2 and listed_rows(client_for(reader), exports.url) == 2
    everything = client_for(reader).get(reverse("audit:events")).content.decode()
    assert f'href="{theirs.get_absolute_url()}"' in everything and f'href="{other.get_absolute_url()}"' not in everything
    assert "Kata kunci: audiensi" in everything  # an event about no subject (a person's export) stays listed
    auditor = counters_of(org.auditor)["Ekspor 30 hari terakhir"]
    assert auditor.value == 3 and listed_rows(client_for(org.auditor), auditor.url) == 3


def test_the_letter_page_and_its_viewer_are_one_opening_and_the_viewer_no_download(org, register):
    secret = register(nature="rahasia")
    auditor = client_for(org.auditor)
    page = auditor.get(secret.get_absolute_url()).content.decode()
    scan = secret.scan
    viewer = reverse("documents:view", args=[scan.pk, 1])
    assert viewer in page
    assert auditor.get(viewer).status_code == 200
    trail = AuditEvent.objects.for_object(secret)
    assert trail.filter(action="restricted.opened").count() == 1
    assert not trail.filter(action="file.downloaded").exists()
    viewed = trail.get(action="file.viewed")
    assert viewed.user == org.auditor and viewed.detail["document"] == scan.pk
    counters = counters_of(org.auditor)
    assert counters["Akses naskah rahasia 30 hari terakhir"].value == 1
    assert counters["Ekspor 30 hari terakhir"].value == 0
    assert "Berkas dilihat" in auditor.get(secret.get_absolute_url()).content.decode()


def test_an_export_of_three_aspirations_is_one_export(org):
    from workflows.aspirations.tests.support import build_world, receive

    world = build_world(org)
    for _ in range(3):
        receive(world)
    before = counters_of(org.auditor)["Ekspor 30 hari terakhir"].value
    assert client_for(org.registrar).get(reverse("aspirations:export")).status_code == 200
    exports = counters_of(org.auditor)["Ekspor 30 hari terakhir"]
    assert exports.value == before + 1 and listed_rows(client_for(org.auditor), exports.url) == before + 1
    made = AuditEvent.objects.get(action="aspiration.export_made")
    assert made.user == org.registrar and made.detail["rows"] == 3
    assert AuditEvent.objects.filter(action="aspiration.exported").count() == 3  # each aspiration's own trail
    page = client_for(org.auditor).get(exports.url).content.decode()
    assert "Daftar aspirasi diekspor (CSV)" in page and "Jumlah baris: 3" in page


def test_the_retention_csv_and_the_disposal_list_are_exports(org):
    from project.org import roles
    from tests.support import make_user

    make_user("arsiparis", groups=[roles.ARCHIVIST])
    archivist = Client()
    assert archivist.login(username="arsiparis", password=PASSWORD)
    assert archivist.get(reverse("documents:retention"), {"format": "csv"}).status_code == 200
    assert archivist.get(reverse("documents:disposal_list"))["Content-Type"] == "application/pdf"
    exports = counters_of(org.auditor)["Ekspor 30 hari terakhir"]
    assert exports.value == 2 and listed_rows(client_for(org.auditor), exports.url) == 2
    page = client_for(org.auditor).get(exports.url).content.decode()
    assert "Daftar arsip usul musnah diunduh (PDF)" in page and "Buku register: Laporan retensi arsip" in page
