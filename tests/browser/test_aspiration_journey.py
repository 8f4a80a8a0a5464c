"""A resident's aspiration, from a phone to the answer, as the README promises.

At 390 px a resident sends the public form with a photo and gets the
tracking code; the registrar (desktop) claims the verification from the
queue and verifies it; the chair disposes it to Komisi I from a phone; the
commission's staff claims it and answers; the commission's head approves;
the resident looks the code up at 390 px and reads the answer — and never
anyone's name or contact.
"""

import io

import pytest
from django.core.cache import cache
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from workflows.aspirations.models import Aspiration
from workflows.aspirations.tests.support import build_world

from .conftest import LAPTOP, PHONE, Person

pytestmark = pytest.mark.browser

ANSWER = "Komisi I meminta Dinas Perhubungan memperbaiki lampu jalan pekan ini."


def png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 180, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_aspiration_journey_from_a_phone_to_the_answer(org, live_server, browser, tmp_path):
    cache.clear()
    world = build_world(org)
    person = Person(browser, live_server.url)
    photo = tmp_path / "lampu-padam.png"
    photo.write_bytes(png_bytes())

    # 1. a resident sends the form from a phone, with a photo
    person.become_visitor(PHONE)
    browser.get(live_server.url + "/aspirasi/kirim/")
    person.wait_until_loaded()
    assert person.fits_the_screen(), "the public form overflows 390 px"
    browser.find_element(By.NAME, "name").send_keys("Rahmawati")
    browser.find_element(By.NAME, "phone").send_keys("081234567890")
    Select(browser.find_element(By.NAME, "kelurahan")).select_by_value(str(world.klandasan.pk))
    Select(browser.find_element(By.NAME, "category")).select_by_value("pengaduan")
    browser.find_element(By.NAME, "subject").send_keys("Lampu jalan padam di Jl. Ahmad Yani")
    browser.find_element(By.NAME, "text").send_keys("Sudah dua minggu lampu jalan di depan masjid padam.")
    browser.find_element(By.NAME, "attachments").send_keys(str(photo))
    consent = browser.find_element(By.NAME, "consent")
    browser.execute_script("arguments[0].scrollIntoView()", consent)
    consent.click()
    person.submit("aspiration-submit")
    code = browser.find_element(By.ID, "tracking-code").text
    aspiration = Aspiration.objects.get()
    assert code == aspiration.code and code not in browser.current_url
    assert person.fits_the_screen(), "the code page overflows 390 px"
    assert aspiration.documents().count() == 1

    # 2. the registrar claims the verification from the queue and verifies it
    person.login("registrar", size=LAPTOP)
    browser.get(live_server.url + "/tugas/antrean/")
    person.follow("Verifikasi meja aspirasi")
    person.submit("claim")
    assert "Rahmawati" in browser.find_element(By.ID, "aspiration-sender").text, "the desk sees the sender"
    browser.find_element(By.CSS_SELECTOR, "input[name='verify-decision'][value='valid']").click()
    person.submit("verify-submit")
    assert code in person.message()

    # 3. the chair disposes it to Komisi I from a phone
    person.login("chair", size=PHONE)
    browser.get(live_server.url + "/tugas/")
    person.follow("Disposisi pimpinan")
    assert person.fits_the_screen(), "the dispose page overflows 390 px"
    assert "Rahmawati" not in browser.page_source, "only the desk sees the sender's name"
    Select(browser.find_element(By.NAME, "dispose-unit")).select_by_value(str(org.komisi1.pk))
    person.submit("dispose-submit")
    assert "didisposisikan" in person.message()

    # 4. the commission's staff claims it and answers
    person.login("staf1")
    browser.get(live_server.url + "/tugas/antrean/")
    person.follow("Tindak lanjut dan penyusunan jawaban")
    person.submit("claim")
    browser.find_element(By.NAME, "answer-answer").send_keys(ANSWER)
    person.submit("answer-submit")
    assert "diteruskan kepada pimpinan unit" in person.message()

    # 5. the commission's head approves
    person.login("komisi1")
    browser.get(live_server.url + "/tugas/")
    person.follow("Persetujuan jawaban")
    person.submit("approve-submit")
    assert "disetujui dan dikirim" in person.message()
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.ANSWERED

    # 6. the resident looks the code up on a phone and reads the answer
    person.become_visitor(PHONE)
    browser.get(live_server.url + "/aspirasi/lacak/")
    person.wait_until_loaded()
    browser.find_element(By.NAME, "kode").send_keys(code.lower())
    person.submit("track-submit")
    assert ANSWER in browser.find_element(By.ID, "answer").text
    assert "Dijawab" in browser.find_element(By.ID, "track-timeline").text
    assert person.fits_the_screen(), "the tracking page overflows 390 px"
    page = browser.page_source
    for private in ("Rahmawati", "081234567890", "Staf1", "Komisi1", "Registrar"):
        assert private not in page, private
