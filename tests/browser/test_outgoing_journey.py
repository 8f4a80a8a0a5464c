"""An outgoing invitation (e-Piper) from its draft to the public check, as the README promises.

staf.komisi1 drafts a "Surat undangan" replying to an incoming letter that was
disposed to Komisi I → komisi1 (head of Komisi I, the verifier) returns it once
with a note → the staff member reads the note, corrects and resubmits →
komisi1 verifies → sekwan and kabag.umum initial it (substance, then wording)
→ the chair signs it on a 390 px wide screen: a wrong passphrase first (the
refusal is shown and no number is taken), then the right one → the signed PDF
carries the number, the paraf box, the signature block and a QR code that
encodes the verification address → that public page, opened at 390 px without
logging in, accepts the file and rejects it once one byte of its first page's
content is changed. The incoming letter's page lists the reply and the reply
names the incoming letter.

With ``SIAP_SCREENSHOTS=1`` in the environment the journey also writes the
README's screenshots into docs/ (the signing page and the verification result
on a phone, the signed letter's page on a desktop); without it, nothing in the
working tree changes.
"""

import base64
import hashlib
import io
import os
import re
from pathlib import Path

import pypdf
import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from documents.models import ClassificationCode
from fixtures import outgoing as demo
from project.org.models import Position, Unit
from tests.support import make_user, pdf_text
from workflows.outgoing.models import NumberCounter, OutgoingLetter
from workflows.outgoing.rendering import QR_SIZE

from .conftest import LAPTOP, PHONE, Person

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs"
SUBJECT = "Undangan rapat dengar pendapat drainase Sepinggan"
RETURN_NOTE = "Cantumkan acara rapat pada undangan."
AGENDA = "Pembahasan tindak lanjut permohonan audiensi drainase Sepinggan"
RECT = re.compile(rb"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\b")


def outgoing_world(org):
    """Beside ``org``: Komisi I's staff member, the Sekretariat and its Bagian Umum with their heads, and the
    demo's signing set-up (letter codes, officials' identities, paraf chains, the CA and the certificates)."""
    staff = make_user("staf.komisi1", first_name="Rina")
    Position.objects.create(unit=org.komisi1, role=Position.Role.STAFF, holder=staff)
    sekretariat = Unit.objects.create(code="sekretariat", name="Sekretariat DPRD", kind=Unit.Kind.SEKRETARIAT)
    bag_umum = Unit.objects.create(code="bag-umum", name="Bagian Umum dan Keuangan", kind=Unit.Kind.SEKRETARIAT,
                                   parent=sekretariat)
    sekwan = make_user("sekwan", first_name="Hery Sudarsono")
    kabag = make_user("kabag.umum", first_name="Joko Prasetyo")
    Position.objects.create(unit=sekretariat, role=Position.Role.HEAD, holder=sekwan)
    Position.objects.create(unit=bag_umum, role=Position.Role.HEAD, holder=kabag)
    demo._organisation({
        "chair": org.chair, "deputy": org.deputy, "komisi1": org.k1, "komisi2": org.k2, "sekwan": sekwan,
        "kabag.umum": kabag, "staf.komisi1": staff,
    })
    code, _created = ClassificationCode.objects.get_or_create(code="100.2", defaults={"name": "Undangan"})
    return code


def screenshot(person, name):
    """The whole page, as wide as the window, into docs/ — only when SIAP_SCREENSHOTS is set."""
    if not os.environ.get("SIAP_SCREENSHOTS"):
        return
    driver = person.driver
    person.wait_until_loaded()
    width, height = driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollHeight]"
    )
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
    })
    (DOCS / name).write_bytes(base64.b64decode(shot["data"]))


def rectangles(content):
    return RECT.findall(content)


def qr_rectangles(url):
    """The modules of a QR code encoding ``url``, drawn as the letter draws it (``rendering._qr_block``)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    drawing = Drawing(QR_SIZE, QR_SIZE)
    drawing.add(QrCodeWidget(url, barWidth=QR_SIZE, barHeight=QR_SIZE, barBorder=0))
    return rectangles(pypdf.PdfReader(io.BytesIO(renderPDF.drawToString(drawing))).pages[0].get_contents().get_data())


def contains_run(sequence, run):
    return any(sequence[i:i + len(run)] == run for i in range(len(sequence) - len(run) + 1))


def with_one_byte_of_page_content_changed(pdf):
    """The signed file with one byte flipped in the middle of its first page's content stream (signed bytes)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    contents = reader.pages[0].get_object().raw_get("/Contents")
    if isinstance(contents, pypdf.generic.ArrayObject):
        contents = contents[0]
    header = re.compile(rb"(?<![0-9])%d\s+%d\s+obj\b" % (contents.idnum, contents.generation))
    found = list(header.finditer(pdf))
    assert len(found) == 1, f"content stream object {contents.idnum} written {len(found)} times"
    start = re.compile(rb"stream\r?\n").search(pdf, found[0].end()).end()
    end = pdf.index(b"endstream", start)
    offset = (start + end) // 2
    signed_until = int(re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)", pdf).group(1))
    assert start < offset < end < signed_until, "the changed byte lies within the signed byte range"
    changed = bytearray(pdf)
    changed[offset] ^= 0x01
    return bytes(changed)


def check_file(person, path):
    """Upload ``path`` on the verification page; the result element of the answer."""
    person.driver.find_element(By.NAME, "pdf").send_keys(str(path))
    person.submit("check-submit")
    return person.driver.find_element(By.ID, "check-result")


def test_outgoing_invitation_from_draft_to_public_check(org, register, dispose, live_server, browser, tmp_path,
                                                        settings):
    settings.SIAP_BASE_URL = live_server.url  # the QR code leads to this server
    person = Person(browser, live_server.url)
    classification = outgoing_world(org)
    incoming = register(sender="Dinas Pekerjaan Umum Kota Balikpapan", subject="Permohonan audiensi drainase Sepinggan")
    dispose(incoming, [org.komisi1])

    # 1. Komisi I's staff drafts an invitation from the incoming letter's page
    person.login("staf.komisi1")
    browser.get(live_server.url + incoming.get_absolute_url())
    person.follow("Buat naskah balasan")
    answered = Select(browser.find_element(By.NAME, "reply_to")).first_selected_option
    assert answered.get_attribute("value") == str(incoming.pk), "the draft answers the letter it was made from"
    Select(browser.find_element(By.NAME, "kind")).select_by_value("undangan")
    Select(browser.find_element(By.NAME, "classification")).select_by_value(str(classification.pk))
    Select(browser.find_element(By.NAME, "signer_position")).select_by_value(str(org.chair_position.pk))
    person.set_value("subject", SUBJECT)
    person.set_value("addressees", "Kepala Dinas Pekerjaan Umum Kota Balikpapan")
    person.set_value("body", demo.BODY)
    person.set_value("event_day", "Senin, 7 Desember 2026")
    person.set_value("event_time", "09.00 WITA s.d. selesai")
    person.set_value("event_place", "Ruang Rapat Komisi I DPRD Kota Balikpapan")
    person.submit("draft-save")
    assert "Draf disimpan" in person.message()
    letter = OutgoingLetter.objects.get()
    assert letter.reply_to == incoming and letter.kind == "undangan" and letter.created_by.username == "staf.komisi1"
    person.submit("submit-draft")
    assert "untuk diverifikasi" in person.message()

    # 2. the head of Komisi I returns it once, with a note
    person.login("komisi1")
    browser.get(live_server.url + "/tugas/")
    person.follow("Verifikasi kepala unit pengolah")
    browser.find_element(By.NAME, "return-note").send_keys(RETURN_NOTE)
    person.submit("return-submit")
    assert "dikembalikan" in person.message()

    # 3. the staff member reads the note, corrects the draft and submits it again
    person.login("staf.komisi1")
    assert "Naskah dikembalikan untuk diperbaiki" in browser.find_element(By.CLASS_NAME, "counters").text
    browser.get(live_server.url + letter.get_absolute_url())
    assert RETURN_NOTE in browser.find_element(By.ID, "return-note").text
    person.follow("Ubah draf")
    person.set_value("event_agenda", AGENDA)
    person.submit("draft-save")
    assert "Draf disimpan" in person.message()
    person.submit("submit-draft")
    assert "untuk diverifikasi" in person.message()
    assert not browser.find_elements(By.ID, "return-note"), "the note is gone once the draft is resubmitted"
    letter.refresh_from_db()
    assert letter.event_agenda == AGENDA and letter.status == OutgoingLetter.Status.VERIFYING

    # 4. the head of Komisi I verifies; the paraf chain initials: substance, then wording
    person.login("komisi1")
    browser.get(live_server.url + "/tugas/")
    person.follow("Verifikasi kepala unit pengolah")
    person.submit("verify-submit")
    assert "diverifikasi" in person.message()
    for username in ("sekwan", "kabag.umum"):
        person.login(username)
        browser.get(live_server.url + "/tugas/")
        person.follow("Paraf")
        person.submit("initial-submit")
        assert "diparaf" in person.message()
    letter.refresh_from_db()
    assert letter.status == OutgoingLetter.Status.SIGNING

    # 5. the chair signs on a phone: a wrong passphrase first, then the right one
    person.login("chair", size=PHONE)
    browser.get(live_server.url + "/tugas/")
    person.follow("Tanda tangan elektronik")
    assert person.fits_the_screen(), "the signing page overflows 390 px"
    browser.find_element(By.NAME, "sign-passphrase").send_keys("bukan-frasa-sandi")
    person.submit("sign-submit")
    assert person.message() == "Frasa sandi salah."
    assert browser.find_element(By.ID, "letter-number").text == "diberikan saat ditandatangani"
    letter.refresh_from_db()
    assert letter.status == OutgoingLetter.Status.SIGNING and letter.number == "" and letter.serial is None
    assert not NumberCounter.objects.filter(last_number__gt=0).exists(), "a refused signature took no number"
    # the signing form stays on the screen with the error, ready for the right passphrase
    assert person.fits_the_screen(), "the signing page overflows 390 px"
    browser.find_element(By.NAME, "sign-passphrase").send_keys(demo.DEMO_PASSPHRASE)
    screenshot(person, "screenshot-outgoing-sign-phone.png")
    person.submit("sign-submit")
    assert "ditandatangani secara elektronik" in person.message()
    letter.refresh_from_db()
    assert letter.status == OutgoingLetter.Status.SIGNED

    # 6. the signed letter's page names the number and the incoming letter it answers
    person.login("staf.komisi1", size=LAPTOP)
    browser.get(live_server.url + letter.get_absolute_url())
    number = browser.find_element(By.ID, "letter-number").text
    assert re.fullmatch(r"100\.2/1/KOM-I", number) and number == letter.number, number
    assert browser.find_element(By.ID, "letter-status").text == "Ditandatangani, menunggu pengiriman"
    reply_to = browser.find_element(By.ID, "reply-to")
    assert incoming.subject in reply_to.text and reply_to.get_attribute("href").endswith(incoming.get_absolute_url())
    screenshot(person, "screenshot-outgoing-detail.png")
    pdf_path = browser.find_element(By.ID, "pdf-link").get_attribute("href").removeprefix(live_server.url)
    content_type, pdf = person.download(pdf_path)
    assert content_type == "application/pdf"
    assert hashlib.sha256(pdf).hexdigest() == letter.signed_sha256, "the file served is the one signed"

    # the incoming letter's page lists the reply
    browser.get(live_server.url + incoming.get_absolute_url())
    related = browser.find_element(By.ID, "related")
    reply = related.find_element(By.PARTIAL_LINK_TEXT, number)
    assert SUBJECT in reply.text and reply.get_attribute("href").endswith(letter.get_absolute_url())

    # 7. the PDF: number, paraf box, signature block, and a QR code of the verification address
    text = " ".join(pdf_text(pdf).split())
    verification_url = live_server.url + f"/keluar/verifikasi/{letter.verification_token}/"
    assert number in text and AGENDA in text
    for office, aspect in [("Sekretaris DPRD Kota Balikpapan", "Substansi"),
                           ("Kepala Bagian Umum dan Keuangan Sekretariat DPRD Kota Balikpapan", "Redaksi")]:
        assert f"{office} ({aspect})" in text, office
    for step, initials in zip(letter.paraf_steps.order_by("order"), ("HS", "JP")):
        assert f"{initials} {timezone.localtime(step.initialled_at):%d-%m-%Y}" in text, initials
    assert "KETUA DPRD KOTA BALIKPAPAN" in text and "H. Alwi Al Qadri, S.E., M.M." in text
    assert "Ditandatangani secara elektronik" in text and "Pindai untuk memeriksa keaslian dokumen" in text
    assert verification_url in "".join(text.split()), "the address is printed under the QR code"
    last_page = pypdf.PdfReader(io.BytesIO(pdf)).pages[-1].get_contents().get_data()
    modules = qr_rectangles(verification_url)
    assert len(modules) > 100 and contains_run(rectangles(last_page), modules), "the QR code encodes the address"

    # 8. the public check, on a phone and logged out: the file is accepted; one changed byte is not
    signed_file = tmp_path / f"{letter.file_stem()}.pdf"
    signed_file.write_bytes(pdf)
    changed_file = tmp_path / "naskah-diubah.pdf"
    changed_file.write_bytes(with_one_byte_of_page_content_changed(pdf))
    person.become_visitor(PHONE)
    browser.get(verification_url)
    person.wait_until_loaded()
    assert browser.find_element(By.ID, "verified-number").text == number
    assert "Ketua DPRD Kota Balikpapan" in browser.find_element(By.ID, "verified-signer").text
    result = check_file(person, signed_file)
    assert (result.get_attribute("data-status"), result.get_attribute("data-same")) == ("valid", "1"), result.text
    assert "sama persis" in result.text
    assert person.fits_the_screen(), "the verification page overflows 390 px"
    screenshot(person, "screenshot-outgoing-verification-phone.png")
    result = check_file(person, changed_file)
    assert (result.get_attribute("data-status"), result.get_attribute("data-same")) == ("modified", "0"), result.text
    assert "diubah setelah ditandatangani" in result.text
