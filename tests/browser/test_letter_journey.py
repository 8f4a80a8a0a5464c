"""A letter's whole journey in headless Chromium, as the README promises.

registrar registers a letter with a PDF, and registering it again is warned
with a link to the first → the chair, on a 390 px wide screen, sorts the inbox
by deadline, disposes it to Komisi I and Komisi II with the scan shown inline
and lands on the next letter waiting → komisi1 and komisi2 claim and close
their branches → the letter is archived with its trail and disposition sheet.

With ``SIAP_SCREENSHOTS=1`` it also writes the README's screenshots of the
letter and dispose pages with the scan inline, the duplicate warning and a
unit head's queue on a phone into docs/.
"""

import base64
import datetime
import os

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.support import pdf_text, pdf_upload
from workflows.letters.models import Letter

from .conftest import LAPTOP, PHONE, Person
from .test_outgoing_journey import DOCS, screenshot

pytestmark = pytest.mark.browser


def screenshot_with_scan(person, name, height=None):
    """Like ``screenshot``, once pdf.js has drawn the scan's first page; only the top ``height`` px if given."""
    if not os.environ.get("SIAP_SCREENSHOTS"):
        return
    driver = person.driver
    WebDriverWait(driver, 30).until(lambda driver: driver.execute_script(
        "const c = document.querySelector('[data-pdf-pages] canvas'); return !!(c && c.width && c.height)"))
    if height is None:
        return screenshot(person, name)
    width, full = driver.execute_script("return [window.innerWidth, document.documentElement.scrollHeight]")
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": min(height, full), "scale": 1},
    })
    (DOCS / name).write_bytes(base64.b64decode(shot["data"]))

def register_in_the_browser(person, scan):
    browser = person.driver
    browser.get(person.base_url + "/surat/daftar/")
    browser.find_element(By.NAME, "sender").send_keys("Dinas Pekerjaan Umum Kota Balikpapan")
    browser.find_element(By.NAME, "sender_number").send_keys("600.1.2/345/DPU")
    person.set_value("letter_date", (timezone.localdate() - datetime.timedelta(days=2)).isoformat())
    person.set_value("received_date", timezone.localdate().isoformat())
    browser.find_element(By.NAME, "subject").send_keys("Permohonan audiensi drainase Sepinggan")
    Select(browser.find_element(By.NAME, "nature")).select_by_value("segera")
    Select(browser.find_element(By.NAME, "classification")).select_by_index(1)
    browser.find_element(By.NAME, "scan").send_keys(str(scan))
    person.submit("register-submit")


def test_letter_journey_in_a_browser(org, live_server, browser, tmp_path, register):
    person = Person(browser, live_server.url)
    scan = tmp_path / "surat-dinas-pu.pdf"
    scan.write_bytes(pdf_upload(subject="Permohonan audiensi drainase Sepinggan").read())

    # 1. the registrar registers the letter with its PDF
    person.login("registrar")
    register_in_the_browser(person, scan)
    assert "nomor agenda" in person.message()
    letter = Letter.objects.get()
    now = browser.find_element(By.CLASS_NAME, "diagram-steps").text
    assert "Disposisi pimpinan — Ketua" in now, now
    screenshot_with_scan(person, "screenshot-letter-viewer.png", height=1400)

    # ... and registering it again warns, with a link to the first
    register_in_the_browser(person, scan)
    warning = browser.find_element(By.ID, "duplicate-warning")
    assert warning.find_element(By.PARTIAL_LINK_TEXT, letter.agenda_label).get_attribute("href").endswith(
        letter.get_absolute_url())
    assert Letter.objects.count() == 1
    screenshot(person, "screenshot-duplicate-warning.png")
    following = register(sender="Lurah Sepinggan", sender_number="005/77/SPG")

    # 2. the chair disposes it from a phone
    person.login("chair", size=PHONE)
    assert person.fits_the_screen(), "dashboard overflows 390 px"
    browser.get(live_server.url + "/tugas/")
    browser.find_element(By.CSS_SELECTOR, ".task-filters-box summary").click()
    Select(browser.find_element(By.NAME, "urut")).select_by_value("batas")
    person.submit("filter-submit")
    assert "urut=batas" in browser.current_url
    person.follow(letter.agenda_label)
    assert person.fits_the_screen(), "dispose page overflows 390 px"
    viewer = WebDriverWait(browser, 20).until(lambda b: b.find_element(By.CSS_SELECTOR, "[data-pdf-pages] canvas"))
    assert viewer.is_displayed() and viewer.size["width"] > 0, "the scan is not shown inline"
    assert "Surat berikutnya" in browser.find_element(By.ID, "next-letter").text
    screenshot_with_scan(person, "screenshot-dispose-viewer-phone.png")
    for unit in (org.komisi1, org.komisi2):
        box = browser.find_element(By.CSS_SELECTOR, f"input[name=units][value='{unit.pk}']")
        browser.execute_script("arguments[0].scrollIntoView()", box)
        box.click()
    Select(browser.find_element(By.NAME, "instruction")).select_by_value("ditindaklanjuti")
    browser.find_element(By.NAME, "note").send_keys("Mohon dibahas bersama dinas terkait.")
    person.set_value("deadline", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    person.submit("dispose-submit")
    assert "terkirim" in person.message()
    assert following.agenda_label in browser.find_element(By.TAG_NAME, "h1").text, "not on the next letter"
    browser.get(live_server.url + letter.get_absolute_url())
    now = browser.find_element(By.CLASS_NAME, "diagram-steps").text
    assert "Tindak lanjut unit — antrean Komisi I" in now and "antrean Komisi II" in now, now
    assert person.fits_the_screen(), "the letter page with its diagram overflows 390 px"

    # 3. each commission claims and closes its branch
    for username in ("komisi1", "komisi2"):
        person.login(username)
        browser.get(live_server.url + "/tugas/antrean/")
        if username == "komisi1" and os.environ.get("SIAP_SCREENSHOTS"):  # the queue on a phone, filters open
            browser.set_window_size(*PHONE)
            browser.find_element(By.CSS_SELECTOR, ".task-filters-box summary").click()
            screenshot(person, "screenshot-inbox-phone.png")
            browser.set_window_size(*LAPTOP)
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
