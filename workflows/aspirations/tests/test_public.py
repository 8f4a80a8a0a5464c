"""The residents' pages, no login: the web form (honeypot, rate, double submission, attachments) and tracking."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from project.audit.models import AuditEvent
from documents.models import Document
from workflows.aspirations.models import Aspiration

from .support import answer, approve, dispose, receive, verify

pytestmark = pytest.mark.django_db

SUBMIT = "/aspirasi/kirim/"




def png_upload(name="foto.png"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 140, 90)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def token_of(html):
    return re.search(r'name="submission_token" value="([0-9a-f]{32})"', html).group(1)


def form_data(client, world, **overrides):
    page = client.get(SUBMIT)
    assert page.status_code == 200
    data = {
        "submission_token": token_of(page.content.decode()), "privacy": "biasa", "name": "Budi Santoso",
        "phone": "0812 3456 7890", "email": "budi@example.org", "kelurahan": str(world.klandasan.pk),
        "category": "pengaduan", "subject": "Drainase tersumbat", "text": "Saluran di RT 12 tersumbat sampah.",
        "consent": "on", "situs_web": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_page_is_public_and_groups_kelurahan_by_kecamatan(world):
    page = Client().get(SUBMIT)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<optgroup label="Kecamatan Balikpapan Kota">' in html and "Klandasan Ilir" in html
    assert 'name="situs_web"' in html and 'class="hp" aria-hidden="true"' in html
    for privacy in ("biasa", "anonim", "rahasia"):
        assert f'value="{privacy}"' in html
    assert "Nama Anda tidak disimpan" in html
    assert re.search(r"<input[^>]*name=\"attachments\"[^>]*multiple", html), "several files at once"


def test_a_resident_sends_the_form_and_sees_the_code_not_in_the_url(world):
    client = Client()
    sent = client.post(SUBMIT, form_data(client, world, attachments=png_upload()))
    assert sent.status_code == 302 and sent["Location"] == reverse("aspirations:submitted")
    aspiration = Aspiration.objects.get()
    assert aspiration.code not in sent["Location"]
    assert aspiration.channel == "web" and aspiration.name == "Budi Santoso" and aspiration.consent_at
    assert aspiration.kelurahan == world.klandasan and aspiration.category == "pengaduan"
    document = Document.objects.get()
    assert document.current.blob.media_type == "image/jpeg", "the photo was re-encoded"
    page = client.get(sent["Location"]).content.decode()
    assert f'id="tracking-code">{aspiration.code}<' in page
    assert Client().get(reverse("aspirations:submitted")).status_code == 302, "another browser does not see it"


def test_no_contact_must_be_explicit_and_then_the_code_must_be_kept(world):
    client = Client()
    refused = client.post(SUBMIT, form_data(client, world, phone="", email=""))
    assert refused.status_code == 400
    assert "Isi nomor telepon atau surel" in refused.content.decode()
    assert not Aspiration.objects.exists()
    sent = client.post(SUBMIT, form_data(client, world, phone="", email="", no_contact="on"))
    assert sent.status_code == 302
    assert 'id="keep-code"' in client.get(sent["Location"]).content.decode()


def test_name_required_unless_anonymous_and_consent_required(world):
    client = Client()
    refused = client.post(SUBMIT, form_data(client, world, name="", consent=None))
    html = refused.content.decode()
    assert refused.status_code == 400 and "Tulis nama Anda, atau pilih anonim." in html
    assert 'id="field-consent"' in html and "has-error" in html.split('id="field-consent"')[0][-80:]
    sent = client.post(SUBMIT, form_data(client, world, name="Budi", privacy="anonim"))
    assert sent.status_code == 302
    assert Aspiration.objects.get().name == "", "an anonim aspiration keeps no name"


def test_the_honeypot_pretends_success_and_stores_nothing(world, caplog):
    client = Client()
    sent = client.post(SUBMIT, form_data(client, world, situs_web="http://spam.example"))
    assert sent.status_code == 302
    page = client.get(sent["Location"]).content.decode()
    assert re.search(r'id="tracking-code">ASP-[0-9A-Z]{5}-[0-9A-Z]{5}<', page)
    assert not Aspiration.objects.exists()
    assert "honeypot" in caplog.text


def test_a_flood_is_refused_with_429(world, settings):
    settings.SIAP_ASPIRATION_FORM_RATE = "2/h"
    client = Client()
    for _ in range(2):
        assert client.post(SUBMIT, form_data(client, world)).status_code == 302
    flooded = client.post(SUBMIT, form_data(client, world))
    assert flooded.status_code == 429
    assert "Terlalu banyak permintaan" in flooded.content.decode()
    assert Aspiration.objects.count() == 2
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post(SUBMIT, form_data(other, world)).status_code == 302, "another address has its own budget"


def test_a_resent_form_shows_the_first_code_and_makes_no_twin(world):
    client = Client()
    data = form_data(client, world)
    first = client.post(SUBMIT, data)
    again = Client().post(SUBMIT, data)  # the same form sent again (a double click, a resent POST)
    assert first.status_code == again.status_code == 302
    assert Aspiration.objects.count() == 1
    assert Aspiration.objects.get().code in client.get(first["Location"]).content.decode()
    cache.clear()  # a server process that does not share the cache: the session still knows the token
    assert client.post(SUBMIT, data).status_code == 302
    assert Aspiration.objects.count() == 1


def test_script_is_stored_as_text_and_shown_escaped(world):
    client = Client()
    script = "<script>alert('x')</script>"
    client.post(SUBMIT, form_data(client, world, subject=f"Lampu {script}", text=f"Isi {script}", name=f"Budi {script}"))
    aspiration = Aspiration.objects.get()
    assert script in aspiration.subject and script in aspiration.text
    from tests.support import PASSWORD

    desk = Client()
    desk.login(username=world.org.registrar.username, password=PASSWORD)
    for url in (aspiration.get_absolute_url(), reverse("aspirations:list")):
        html = desk.get(url).content.decode()
        assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_wrong_type_and_oversized_attachments_are_refused_and_nothing_is_stored(world, settings):
    client = Client()
    fake = SimpleUploadedFile("surat.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    refused = client.post(SUBMIT, form_data(client, world, attachments=fake))
    assert refused.status_code == 400
    assert "surat.pdf: Jenis berkas tidak diizinkan" in refused.content.decode()
    settings.SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES = 20
    big = client.post(SUBMIT, form_data(client, world, attachments=png_upload("besar.png")))
    assert big.status_code == 400 and "besar.png: Berkas terlalu besar" in big.content.decode()
    settings.SIAP_ASPIRATION_MAX_ATTACHMENTS = 1
    settings.SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    many = client.post(SUBMIT, form_data(client, world, attachments=[png_upload("a.png"), png_upload("b.png")]))
    assert many.status_code == 400 and "Paling banyak 1 lampiran." in many.content.decode()
    assert not Aspiration.objects.exists() and not Document.objects.exists()


def test_a_request_larger_than_every_attachment_together_is_refused(world, settings):
    settings.SIAP_ASPIRATION_MAX_ATTACHMENTS = 1
    settings.SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES = 10
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    client = Client()
    refused = client.post(SUBMIT, form_data(client, world, attachments=png_upload()))
    assert refused.status_code == 413 and not Aspiration.objects.exists()


def test_tracking_shows_the_public_timeline_and_the_answer_and_nothing_personal(world):
    aspiration = receive(world, privacy=Aspiration.Privacy.CONFIDENTIAL, text="Rahasia: pungutan liar di kelurahan.")
    verify(world, aspiration)
    dispose(world, aspiration, unit=world.org.komisi1)
    answer(aspiration, world.org.k1_staff, "Komisi I memanggil lurah pekan depan.")
    approve(aspiration, world.org.k1)
    aspiration.refresh_from_db()
    page = Client().get(reverse("aspirations:track", args=[aspiration.code.lower().replace("-", " ")]))
    html = page.content.decode()
    assert page.status_code == 200
    assert aspiration.code in html and "Aspirasi" in html
    assert 'id="answer"' in html and "Komisi I memanggil lurah pekan depan." in html
    assert "Terverifikasi" in html and "Didisposisikan kepada Komisi I" in html
    for secret in ("Warga Klandasan", "081234567890", "warga@example.org", "pungutan liar", "Lampu jalan padam",
                   world.org.k1_staff.first_name, world.org.k1.first_name, world.org.registrar.first_name):
        assert secret not in html, secret


def test_tracking_before_the_answer_shows_no_answer(world):
    aspiration = receive(world)
    html = Client().get(aspiration.tracking_url()).content.decode()
    assert "Diterima, menunggu verifikasi" in html and 'id="answer"' not in html


def test_tracking_says_it_was_taken_up(world):
    from workflows.aspirations import services

    aspiration = receive(world)
    verify(world, aspiration)
    dispose(world, aspiration, unit=world.org.komisi1)
    meeting_item = make_agenda_item(world)
    services.link_agenda_item(aspiration, user=world.org.k1_staff, agenda_item=meeting_item)
    html = Client().get(aspiration.tracking_url()).content.decode()
    assert "Aspirasi ini dibahas dalam rapat DPRD." in html
    assert meeting_item.title not in html


def make_agenda_item(world, chair=None, secretary=None, title="Rapat kerja Komisi I"):
    import datetime

    from workflows.minutes.models import AgendaItem, Meeting

    meeting = Meeting.objects.create(
        kind=Meeting._meta.get_field("kind").choices[0][0], title=title, unit=world.org.komisi1,
        date=datetime.date(2026, 5, 4), start_time=datetime.time(9), place="Ruang rapat",
        chair=chair or world.org.k1, secretary=secretary or world.org.k1_staff, created_by=world.org.k1_staff,
    )
    return AgendaItem.objects.create(meeting=meeting, position=1, title="Pungutan di kelurahan")


def test_unknown_and_malformed_codes_get_the_same_404_page(world):
    receive(world)
    unknown = Client().get(reverse("aspirations:track", args=["ASP-00000-00000"]))
    malformed = Client().get("/aspirasi/lacak/%3Cb%3Exx'%22/")
    lookup_unknown = Client().get(reverse("aspirations:track_lookup"), {"kode": "ASP-00000-00000"})
    lookup_malformed = Client().get(reverse("aspirations:track_lookup"), {"kode": "zzz"})
    assert unknown.status_code == malformed.status_code == lookup_unknown.status_code == lookup_malformed.status_code == 404
    assert "Kode tidak ditemukan" in unknown.content.decode() and "<b>" not in malformed.content.decode()
    pages = {same_page(response) for response in (unknown, malformed, lookup_unknown, lookup_malformed)}
    assert len(pages) == 1, "the same page whatever was typed"


def same_page(response):
    """The page without what differs on every request (the CSRF token, the language form's return path)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'name="next" type="hidden" value="[^"]*"', "", html)


def test_the_lookup_page_finds_a_code_as_typed(world):
    aspiration = receive(world)
    assert Client().get(reverse("aspirations:track_lookup")).status_code == 200
    found = Client().get(reverse("aspirations:track_lookup"), {"kode": aspiration.code.lower()})
    assert found.status_code == 200 and aspiration.code in found.content.decode()


def test_tracking_is_rate_limited(world, settings):
    settings.SIAP_ASPIRATION_TRACK_RATE = "3/h"
    client = Client()
    for _ in range(3):
        assert client.get(reverse("aspirations:track", args=["ASP-00000-00000"])).status_code == 404
    limited = client.get(reverse("aspirations:track", args=["ASP-00000-00000"]))
    assert limited.status_code == 429 and "Terlalu banyak permintaan" in limited.content.decode()
    assert client.get(reverse("aspirations:track_lookup"), {"kode": "x"}).status_code == 429


def test_a_residents_network_address_stays_out_of_the_trail(world):
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert client.post(SUBMIT, form_data(client, world)).status_code == 302
    aspiration = Aspiration.objects.get()
    events = AuditEvent.objects.for_object(aspiration)
    assert events.filter(action="aspiration.received").exists()
    assert not events.exclude(client_address=None).exists(), "the address would identify an anonymous sender"


def test_a_telephone_alone_is_no_way_to_send_the_code_so_it_must_be_kept(world):
    client = Client()
    sent = client.post(SUBMIT, form_data(client, world, email=""))
    assert 'id="keep-code"' in client.get(sent["Location"]).content.decode()


def test_a_merged_aspiration_gets_its_parents_answer_without_learning_the_parents_code(world):
    parent = receive(world)
    twin = receive(world, subject="Lampu jalan mati juga", email="tetangga@example.org")
    verify(world, twin, "duplicate", duplicate_of=parent)
    page = Client().get(reverse("aspirations:track", args=[twin.code])).content.decode()
    assert parent.code not in page
    verify(world, parent)
    dispose(world, parent, unit=world.org.komisi1)
    answer(parent, world.org.k1_staff, "Lampu diganti hari Kamis.")
    approve(parent, world.org.k1)
    page = Client().get(reverse("aspirations:track", args=[twin.code])).content.decode()
    assert "Lampu diganti hari Kamis." in page and parent.code not in page
    assert twin.messages.filter(purpose="answer", direction="out").exists(), "sent through the twin's own channel"
