"""A letter's whole journey in headless Chromium, as the README promises.

registrar registers a letter with a PDF → the chair disposes it to Komisi I
and Komisi II on a 390 px wide screen → komisi1 and komisi2 claim and close
their branches → the letter is archived with its trail and disposition sheet.
"""

import datetime

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.support import pdf_text, pdf_upload
from workflows.letters.models import Letter

from .conftest import PHONE, Person

pytestmark = pytest.mark.browser

def test_letter_journey_in_a_browser(org, live_server, browser, tmp_path):
    person = Person(browser, live_server.url)
    scan = tmp_path / "surat-dinas-pu.pdf"
    scan.write_bytes(pdf_upload(subject="Permohonan audiensi drainase Sepinggan").read())

    # 1. the registrar registers the letter with its PDF
    person.login("registrar")
    browser.get(live_server.url + "/surat/daftar/")
    browser.find_element(By.NAME, "sender").send_keys("Dinas Pekerjaan Umum Kota Balikpapan")
    browser.find_element(By.NAME, "sender_number").send_keys("600.1.2/345/DPU")
    person.set_value("letter_date", (timezone.localdate() - datetime.timedelta(days=2)).isoformat())
    person.set_value("received_date", timezone.localdate().isoformat())
    browser.find_element(By.NAME, "subject").send_keys("Permohonan audiensi drainase Sepinggan")
    Select(browser.find_element(By.NAME, "nature")).select_by_value("segera")
    Select(browser.find_element(By.NAME, "classification")).select_by_index(1)
    browser.find_element(By.NAME, "scan").send_keys(str(scan))
    person.submit("register-submit")
    assert "nomor agenda" in person.message()
    letter = Letter.objects.get()
    now = browser.find_element(By.CLASS_NAME, "diagram-steps").text
    assert "Disposisi pimpinan — Ketua" in now, now

    # 2. the chair disposes it from a phone
    person.login("chair", size=PHONE)
    assert person.fits_the_screen(), "dashboard overflows 390 px"
    browser.get(live_server.url + "/tugas/")
    person.follow("Disposisi pimpinan")
    assert person.fits_the_screen(), "dispose page overflows 390 px"
    for unit in (org.komisi1, org.komisi2):
        box = browser.find_element(By.CSS_SELECTOR, f"input[name=units][value='{unit.pk}']")
        browser.execute_script("arguments[0].scrollIntoView()", box)
        box.click()
    Select(browser.find_element(By.NAME, "instruction")).select_by_value("ditindaklanjuti")
    browser.find_element(By.NAME, "note").send_keys("Mohon dibahas bersama dinas terkait.")
    person.set_value("deadline", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    person.submit("dispose-submit")
    assert "terkirim" in person.message()
    browser.get(live_server.url + letter.get_absolute_url())
    now = browser.find_element(By.CLASS_NAME, "diagram-steps").text
    assert "Tindak lanjut unit — antrean Komisi I" in now and "antrean Komisi II" in now, now
    assert person.fits_the_screen(), "the letter page with its diagram overflows 390 px"

    # 3. each commission claims and closes its branch
    for username in ("komisi1", "komisi2"):
        person.login(username)
        browser.get(live_server.url + "/tugas/antrean/")
        person.follow("Tindak lanjut unit")
        person.submit("claim")
        browser.find_element(By.NAME, "close-report").send_keys(f"Sudah dibahas oleh {username}.")
        person.submit("close-submit")
        assert "selesai dilaporkan" in person.message()

    # 4. the letter is archived, with its trail and disposition sheet
    person.login("registrar")
    browser.get(live_server.url + letter.get_absolute_url())
    assert browser.find_element(By.ID, "letter-status").text == "Diarsipkan"
    trail = browser.find_element(By.CLASS_NAME, "trail").text
    for action in ("Surat didaftarkan", "Disposisi diberikan", "Tindak lanjut selesai", "Surat selesai dan diarsipkan"):
        assert action in trail
    content_type, content = person.download(f"/surat/{letter.pk}/lembar-disposisi.pdf")
    assert content_type == "application/pdf"
    text = pdf_text(content)
    assert "LEMBAR DISPOSISI" in text and "Komisi I" in text and "Komisi II" in text and letter.agenda_label in text
