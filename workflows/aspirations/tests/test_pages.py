"""The handlers' pages: list, detail, the step pages, dashboard and export — each for whom it is, 404 for the rest."""

import csv
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from project.audit.models import AuditEvent
from tests.support import PASSWORD, make_user, pdf_upload
from workflows import inbox
from workflows.aspirations.flows import AspirationFlow
from workflows.aspirations.models import ATTACHMENT, Aspiration, FollowUpNote

from .support import answer, approve, dispose, receive, verify

pytestmark = pytest.mark.django_db




def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def tokens(html):
    return dict(re.findall(r'name="([a-z]+)-submission_token" value="([0-9a-f]{32})"', html))


def attachment():
    return [(pdf_upload(name="bukti.pdf", subject="Foto lokasi"), "application/pdf")]


def disposed(world, **overrides):
    aspiration = receive(world, **overrides)
    verify(world, aspiration)
    dispose(world, aspiration, unit=world.org.komisi1)
    aspiration.refresh_from_db()
    return aspiration


def test_the_desk_lists_and_opens_every_aspiration_with_name_and_contact(world):
    aspiration = receive(world)
    desk = client_for(world.org.registrar)
    listing = desk.get(reverse("aspirations:list")).content.decode()
    assert aspiration.code in listing and "Lampu jalan padam" in listing and "Klandasan Ilir" in listing
    assert 'id="export-link"' in listing
    page = desk.get(aspiration.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="aspiration-sender">Warga Klandasan<' in html and "081234567890" in html and "warga@example.org" in html
    assert "Tanda terima dan kode pelacakan" in html and "delivery-" in html, "messages out with their delivery"
    assert reverse("aspirations:trail_csv", args=[aspiration.pk]) in html


def test_the_list_filters_and_marks_the_late(world):
    import datetime

    late = receive(world, subject="Jalan berlubang")
    Aspiration.objects.filter(pk=late.pk).update(verify_due=datetime.date(2020, 1, 6))
    receive(world, subject="Banjir", category="pengaduan")
    desk = client_for(world.org.registrar)
    filtered = desk.get(reverse("aspirations:list"), {"kategori": "pengaduan"}).content.decode()
    assert "Banjir" in filtered and "Jalan berlubang" not in filtered
    late_page = desk.get(reverse("aspirations:late")).content.decode()
    assert "Jalan berlubang" in late_page and "Banjir" not in late_page and "lewat batas waktu" in late_page
    assert 'id="late-mark"' in desk.get(late.get_absolute_url()).content.decode()


def test_others_see_no_name_or_contact_and_anonim_has_no_name_for_anyone(world):
    aspiration = disposed(world)
    html = client_for(world.org.k1_staff).get(aspiration.get_absolute_url()).content.decode()
    assert "Lampu jalan padam" in html, "the unit reads the content"
    assert "Warga Klandasan" not in html and "081234567890" not in html and "warga@example.org" not in html
    assert 'id="aspiration-sender">(disembunyikan)<' in html
    anonymous = receive(world, privacy=Aspiration.Privacy.ANONYMOUS, name="Budi Rahasia")
    for user in (world.org.registrar, world.org.auditor, world.org.chair):
        page = client_for(user).get(anonymous.get_absolute_url()).content.decode()
        assert 'id="aspiration-sender">Anonim<' in page and "Budi Rahasia" not in page


def test_outsiders_and_other_commissions_get_404_everywhere(world):
    aspiration = disposed(world, attachments=attachment())
    document = aspiration.documents().get()
    for user in (world.outsider, world.org.k2, world.other_user):
        client = client_for(user)
        assert client.get(aspiration.get_absolute_url()).status_code == 404, user
        assert client.get(reverse("aspirations:trail_csv", args=[aspiration.pk])).status_code == 404
        assert client.get(reverse("documents:download", args=[document.pk, 1])).status_code == 404
        assert aspiration.code not in client.get(reverse("aspirations:list")).content.decode()
        assert client.get(reverse("aspirations:dashboard")).status_code == 404
    k1 = client_for(world.org.k1_staff)
    assert k1.get(aspiration.get_absolute_url()).status_code == 200
    assert k1.get(reverse("documents:download", args=[document.pk, 1])).status_code == 200
    assert Client().get(aspiration.get_absolute_url()).status_code == 302, "no login: to the login page"


def test_the_auditor_sees_a_rahasia_aspiration_but_not_its_content(world):
    aspiration = disposed(world, privacy=Aspiration.Privacy.CONFIDENTIAL, subject="Pungutan liar di kelurahan",
                          text="Oknum meminta uang.", attachments=attachment())
    document = aspiration.documents(ATTACHMENT).get()
    auditor = client_for(world.org.auditor)
    page = auditor.get(aspiration.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200 and aspiration.code in html
    assert "Pungutan liar" not in html and "Oknum meminta uang" not in html and "bukti.pdf" not in html
    assert "(rahasia)" in html
    assert auditor.get(reverse("documents:download", args=[document.pk, 1])).status_code == 404
    listing = auditor.get(reverse("aspirations:list")).content.decode()
    assert aspiration.code in listing and "Pungutan liar" not in listing
    handler = client_for(world.org.k1_staff).get(aspiration.get_absolute_url()).content.decode()
    assert "Pungutan liar" in handler and "bukti.pdf" in handler


def test_the_steps_through_their_pages(world):
    earlier = receive(world, subject="Lampu jalan mati di RT 12")
    aspiration = receive(world)
    # the desk claims the verification from the queue and verifies on the page
    desk = client_for(world.org.registrar)
    task = inbox.open_task(aspiration, AspirationFlow.verify)
    assert desk.post(reverse("tasks:claim", args=[task.pk])).status_code == 302
    page = desk.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert 'id="duplicates"' in page and earlier.code in page, "the open look-alike is offered"
    assert "Warga Klandasan" in page
    form = tokens(page)
    invalid = desk.post(reverse("tasks:task", args=[task.pk]), {
        "verify-submission_token": form["verify"], "verify-decision": "referred", "verify-category": "aspirasi"})
    assert invalid.status_code == 200 and "Tuliskan ke mana pengirim" in invalid.content.decode()
    done = desk.post(reverse("tasks:task", args=[task.pk]), {
        "verify-submission_token": form["verify"], "verify-decision": "valid", "verify-category": "pengaduan"})
    assert done.status_code == 302
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.VERIFIED and aspiration.category == "pengaduan"

    # the chair disposes to Komisi I
    chair = client_for(world.org.chair)
    task = inbox.open_task(aspiration, AspirationFlow.dispose)
    page = chair.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert "Warga Klandasan" not in page and "Lampu jalan padam" in page
    assert chair.post(reverse("tasks:task", args=[task.pk]), {
        "dispose-submission_token": tokens(page)["dispose"], "dispose-unit": world.org.komisi1.pk}).status_code == 302
    aspiration.refresh_from_db()
    assert aspiration.unit == world.org.komisi1

    # the commission's staff claims and answers
    staff = client_for(world.org.k1_staff)
    task = inbox.open_task(aspiration, AspirationFlow.follow_up)
    assert staff.post(reverse("tasks:claim", args=[task.pk])).status_code == 302
    page = staff.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert staff.post(reverse("tasks:task", args=[task.pk]), {
        "answer-submission_token": tokens(page)["answer"], "answer-answer": "Lampu diperbaiki Jumat."}).status_code == 302
    # the head returns it once, then approves
    head = client_for(world.org.k1)
    task = inbox.open_task(aspiration, AspirationFlow.approve)
    page = head.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert 'id="approve-submit"' in page and 'id="return-submit"' in page
    assert head.post(reverse("tasks:task", args=[task.pk]), {
        "approve-submission_token": tokens(page)["approve"], "approve-answer": "Lampu diperbaiki Jumat ini."}).status_code == 302
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.ANSWERED and aspiration.answer == "Lampu diperbaiki Jumat ini."


def test_others_cannot_open_a_step_page(world):
    aspiration = receive(world)
    verify(world, aspiration)
    task = inbox.open_task(aspiration, AspirationFlow.dispose)
    for user in (world.outsider, world.org.k1_staff):
        assert client_for(user).get(reverse("tasks:task", args=[task.pk])).status_code in (403, 404)


def test_the_unit_adds_a_note_with_a_document_and_links_a_meeting(world):
    from .test_public import make_agenda_item

    aspiration = disposed(world)
    item = make_agenda_item(world)
    staff = client_for(world.org.k1_staff)
    page = staff.get(aspiration.get_absolute_url()).content.decode()
    assert 'id="note-form"' in page and 'id="agenda-form"' in page and item.title in page
    sent = staff.post(reverse("aspirations:add_note", args=[aspiration.pk]), {
        "text": "Sudah ditelepon lurah.", "document": pdf_upload(name="notulen.pdf")})
    assert sent.status_code == 302
    assert FollowUpNote.objects.get().text == "Sudah ditelepon lurah."
    assert aspiration.documents("follow_up").count() == 1
    linked = staff.post(reverse("aspirations:link_agenda_item", args=[aspiration.pk]), {"agenda_item": item.pk})
    assert linked.status_code == 302
    aspiration.refresh_from_db()
    assert aspiration.agenda_item == item
    # the auditor sees the page but has no forms, and cannot post a note
    auditor = client_for(world.org.auditor)
    assert 'id="note-form"' not in auditor.get(aspiration.get_absolute_url()).content.decode()
    assert auditor.post(reverse("aspirations:add_note", args=[aspiration.pk]), {"text": "x"}).status_code == 302
    assert FollowUpNote.objects.count() == 1
    assert client_for(world.outsider).post(reverse("aspirations:add_note", args=[aspiration.pk]),
                                           {"text": "x"}).status_code == 404


def test_link_choices_are_limited_to_what_the_user_sees(world):
    from .test_public import make_agenda_item

    aspiration = disposed(world)
    theirs = make_agenda_item(world)  # Komisi I's meeting: k1_staff is its notulis
    others = make_agenda_item(world, chair=world.org.k2, secretary=world.org.k2, title="Rapat Komisi II")
    staff = client_for(world.org.k1_staff)
    page = staff.get(aspiration.get_absolute_url()).content.decode()
    assert "Rapat kerja Komisi I" in page and "Rapat Komisi II" not in page
    refused = staff.post(reverse("aspirations:link_agenda_item", args=[aspiration.pk]), {"agenda_item": others.pk})
    assert refused.status_code == 400
    aspiration.refresh_from_db()
    assert aspiration.agenda_item is None
    assert staff.post(reverse("aspirations:link_pokir", args=[aspiration.pk]), {"pokir": 999}).status_code == 400
    assert theirs.pk


def test_the_dashboard_counts_what_the_user_sees(world):
    aspiration = disposed(world)
    answer(aspiration, world.org.k1_staff)
    approve(aspiration, world.org.k1)
    receive(world, channel="email", kelurahan=world.sepinggan)
    desk = client_for(world.org.registrar).get(reverse("aspirations:dashboard"))
    html = desk.content.decode()
    assert desk.status_code == 200
    assert 'id="figure-total">2<' in html and 'id="figure-answered">1<' in html and 'id="figure-on-time">100%<' in html
    assert 'id="figure-median">0<' in html
    for chart in ("channel", "category", "unit", "kelurahan"):
        assert f'id="chart-{chart}"' in html
    assert "<svg" in html and "Sepinggan" in html
    unit = client_for(world.org.k1_staff).get(reverse("aspirations:dashboard")).content.decode()
    assert 'id="figure-total">1<' in unit and "Sepinggan" not in unit


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_records_the_trail_and_hides_personal_data_without_the_permission(world):
    first = receive(world)
    anonymous = receive(world, privacy=Aspiration.Privacy.ANONYMOUS, name="Budi")
    secret = receive(world, privacy=Aspiration.Privacy.CONFIDENTIAL, subject="Pungutan liar", name="=HYPERLINK(1)")
    desk = client_for(world.org.registrar)
    response = desk.get(reverse("aspirations:export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert "Nama" in rows[0] and "Telepon" in rows[0]
    by_code = {row[0]: row for row in rows[1:]}
    assert "Warga Klandasan" in by_code[first.code] and "081234567890" in by_code[first.code]
    assert "Budi" not in by_code[anonymous.code]
    assert "'=HYPERLINK(1)" in by_code[secret.code], "a formula is not run by the spreadsheet"
    assert "Pungutan liar" in by_code[secret.code], "the desk handles it"
    for aspiration in (first, anonymous, secret):
        event = AuditEvent.objects.for_object(aspiration).get(action="aspiration.exported")
        assert event.user == world.org.registrar and event.detail["personal_data"] is True

    exporter = make_user("analis")
    exporter.user_permissions.add(*Permission.objects.filter(codename__in=["export_aspirations", "view_all_aspirations"]))
    rows = _rows(client_for(exporter).get(reverse("aspirations:export")))
    assert "Nama" not in rows[0]
    text = "\n".join(",".join(row) for row in rows)
    assert "Warga Klandasan" not in text and "081234567890" not in text and "warga@example.org" not in text
    assert "Pungutan liar" not in text and "(rahasia)" in text
    assert AuditEvent.objects.filter(action="aspiration.exported", user=exporter).count() == 3
    assert client_for(world.org.auditor).get(reverse("aspirations:export")).status_code == 403
    assert client_for(world.outsider).get(reverse("aspirations:export")).status_code == 403


def test_what_the_desk_and_unit_wrote_about_a_rahasia_aspiration_stays_with_its_handlers(world):
    aspiration = receive(world, privacy=Aspiration.Privacy.CONFIDENTIAL, subject="Dugaan suap", email="w@example.org")
    verify(world, aspiration, "needs_info", info_request="Sebutkan nama lurah Budi.", note="lurah Budi, dugaan suap")
    auditor = client_for(world.org.auditor)
    for url in (aspiration.get_absolute_url(), reverse("aspirations:trail_csv", args=[aspiration.pk]),
                reverse("api:aspirations:detail", args=[aspiration.pk])):
        body = auditor.get(url).content.decode()
        assert "Budi" not in body and "suap" not in body, url
    desk = client_for(world.org.registrar).get(aspiration.get_absolute_url()).content.decode()
    assert "Sebutkan nama lurah Budi" in desk and "lurah Budi, dugaan suap" in desk, "the handlers still read both"


def test_a_dapil_member_turns_the_aspiration_into_a_pokir_draft_and_the_resident_sees_it(world):
    import datetime

    from django.utils import timezone

    from workflows.pokir.models import Pokir, PokirYear

    year = PokirYear.objects.create(year=timezone.localdate().year + 1,
                                    deadline=timezone.localdate() + datetime.timedelta(days=30))
    aspiration = receive(world, subject="Drainase RT 12 meluap", text="Saluran tersumbat sedimen.")
    verify(world, aspiration)
    dispose(world, aspiration, members=[world.member])
    member = client_for(world.org.member)
    page = member.get(aspiration.get_absolute_url()).content.decode()
    assert 'id="draft-pokir-form"' in page
    made = member.post(reverse("aspirations:draft_pokir", args=[aspiration.pk]),
                       {"member": world.member.pk, "year": year.pk})
    pokir = Pokir.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("pokir:edit", args=[pokir.pk])
    assert (pokir.title, pokir.problem, pokir.kelurahan, pokir.member) == (
        "Drainase RT 12 meluap", "Saluran tersumbat sedimen.", world.klandasan, world.member)
    aspiration.refresh_from_db()
    assert aspiration.pokir == pokir
    assert "pokir" in Client().get(reverse("aspirations:track", args=[aspiration.code])).content.decode().lower()
    assert 'id="draft-pokir-form"' not in member.get(aspiration.get_absolute_url()).content.decode(), "once"


def test_a_rahasia_aspiration_is_not_copied_into_a_pokir_and_outsiders_cannot_draft(world):
    import datetime

    from django.utils import timezone

    from workflows.pokir.models import Pokir, PokirYear

    year = PokirYear.objects.create(year=timezone.localdate().year + 1,
                                    deadline=timezone.localdate() + datetime.timedelta(days=30))
    secret = receive(world, privacy=Aspiration.Privacy.CONFIDENTIAL)
    verify(world, secret)
    dispose(world, secret, members=[world.member])
    member = client_for(world.org.member)
    assert 'id="draft-pokir-form"' not in member.get(secret.get_absolute_url()).content.decode()
    member.post(reverse("aspirations:draft_pokir", args=[secret.pk]), {"member": world.member.pk, "year": year.pk})
    assert not Pokir.objects.exists()
    other = client_for(world.other_user)
    assert other.post(reverse("aspirations:draft_pokir", args=[secret.pk]),
                      {"member": world.other.pk, "year": year.pk}).status_code == 404
