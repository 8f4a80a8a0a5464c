"""A reses on a phone, as the README promises.

The member's aide (staf.member) opens the reses at 390 px, records two
residents' requests — one with a photo, one saved by the page's autosave
first — and uploads the attendance sheet; the member closes the recording
and submits the report to the Pimpinan; the report PDF lists both requests.
"""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.support import pdf_text, pdf_upload
from workflows.reses.models import Reses, ResesItem
from workflows.reses.tests.support import Council, jpeg_bytes

from .conftest import PHONE, Person

pytestmark = pytest.mark.browser

FIRST = "Pembangunan drainase beton 120 meter di Gg. Mawar RT 12"
SECOND = "Pemasangan 8 titik lampu jalan di Jl. Ahmad Yani"


def fill_item(person, browser, council, problem, request, kamus, volume):
    browser.find_element(By.NAME, "problem").send_keys(problem)
    browser.find_element(By.NAME, "request").send_keys(request)
    Select(browser.find_element(By.NAME, "kelurahan")).select_by_value(str(council.kota[1].pk))
    Select(browser.find_element(By.NAME, "kamus")).select_by_value(str(kamus.pk))
    assert browser.find_element(By.NAME, "unit").get_attribute("value") == kamus.unit, "the kamus fills the unit"
    browser.find_element(By.NAME, "volume").send_keys(volume)
    browser.find_element(By.NAME, "rt").send_keys("012")
    browser.find_element(By.NAME, "proposer_group").send_keys("Ketua RT 12")
    browser.find_element(By.NAME, "proposer_name").send_keys("Suharti Syahrir")


def test_reses_journey_on_a_phone(org, live_server, browser, tmp_path):
    council = Council(org)
    person = Person(browser, live_server.url)
    photo = tmp_path / "drainase.jpg"
    photo.write_bytes(jpeg_bytes(size=(800, 600)))
    sheet = tmp_path / "daftar-hadir.pdf"
    sheet.write_bytes(pdf_upload(subject="Daftar hadir reses").read())

    # 1. the member's aide opens the reses on a phone
    person.login("staf.member", size=PHONE)
    browser.get(live_server.url + "/reses/")
    person.follow("Buka reses")
    assert person.fits_the_screen(), "the open page overflows 390 px"
    Select(browser.find_element(By.NAME, "period")).select_by_value(str(council.period1.pk))
    person.set_value("starts_on", "2026-04-14")
    person.set_value("ends_on", "2026-04-16")
    for kelurahan in council.kota[:2]:
        box = browser.find_element(By.CSS_SELECTOR, f"input[name=places][value='{kelurahan.pk}']")
        browser.execute_script("arguments[0].scrollIntoView()", box)
        box.click()
    browser.find_element(By.NAME, "venue").send_keys("Balai Pertemuan RT 12, Klandasan Ulu")
    residents = browser.find_element(By.NAME, "residents_present")
    residents.clear()
    residents.send_keys("48")
    person.submit("open-submit")
    assert "Reses dibuka" in person.message()
    reses = Reses.objects.get()

    # 2. the first request, with a photo, recorded at once
    person.follow("Tambah usulan")
    assert person.fits_the_screen(), "the request form overflows 390 px"
    fill_item(person, browser, council, "Saluran meluap setiap hujan", FIRST, council.drainase, "120")
    browser.find_element(By.NAME, "photos").send_keys(str(photo))
    person.submit("item-record")
    assert "Usulan dicatat" in person.message()

    # 3. the second one is typed, autosaved as a draft, then recorded
    person.follow("Tambah usulan")
    fill_item(person, browser, council, "Jalan gelap dan rawan pencurian", SECOND, council.pju, "8")
    WebDriverWait(browser, 15).until(lambda driver: "Tersimpan" in driver.find_element(By.ID, "save-state").text)
    draft = ResesItem.objects.get(request=SECOND)
    assert draft.is_draft and draft.unit == "titik"
    person.submit("item-record")
    assert "Usulan dicatat" in person.message()
    assert ResesItem.objects.filter(reses=reses).count() == 2, "the autosaved draft became the recorded item"

    # 4. the attendance sheet
    browser.find_element(By.NAME, "sheet").send_keys(str(sheet))
    person.submit("attendance-submit")
    assert "Daftar hadir diunggah" in person.message()
    assert person.fits_the_screen(), "the reses page overflows 390 px"
    assert browser.find_elements(By.CSS_SELECTOR, ".thumbs img"), "the photo shows as a thumbnail"

    # 5. the member closes the recording and submits the report
    person.login("member", size=PHONE)
    browser.get(live_server.url + "/tugas/")
    person.follow("Pencatatan hasil reses")
    person.submit("finish-submit")
    assert "Pencatatan reses selesai" in person.message()
    person.follow("Penyerahan laporan reses")
    browser.find_element(By.NAME, "summary").send_keys("Warga meminta drainase dan penerangan jalan.")
    person.submit("submit-report")
    assert "diserahkan kepada Pimpinan DPRD" in person.message()
    assert browser.find_element(By.ID, "reses-status").text == "Laporan diserahkan"

    # 6. the report lists both requests
    content_type, content = person.download(f"/reses/{reses.pk}/laporan.pdf")
    assert content_type == "application/pdf"
    text = " ".join(pdf_text(content).split())
    assert FIRST in text and SECOND in text and "48 warga hadir" in text and "LAPORAN HASIL RESES" in text
    assert Reses.objects.get().status == Reses.Status.REPORTED
