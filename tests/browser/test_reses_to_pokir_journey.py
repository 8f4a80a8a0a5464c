"""From a resident's request at a reses to the SIPD export, on a 390 px phone, in one journey.

The member's aide records a reses with two requests (one with a photo); the
member builds a pokir from them and submits it; the verifier sees the
checklist with one failure (no boundaries) and returns it with a note on
the address; the member fixes it and submits it again; the verifier
verifies it, the chair approves it into the recap (final), and the SIPD
export, opened with openpyxl, holds it cell by cell.
"""

import datetime
import io
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from project.audit.models import AuditEvent
from workflows.pokir.models import Pokir, PokirYear
from workflows.reses.models import Reses, ResesItem
from workflows.reses.tests.support import Council, jpeg_bytes

from .conftest import PHONE, Person

pytestmark = pytest.mark.browser

def post_form(person, path, fields):
    """POST a page's form with this person's session and CSRF cookie; return (content type, body)."""
    driver = person.driver
    cookies = {cookie["name"]: cookie["value"] for cookie in driver.get_cookies()}
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": cookies["csrftoken"]}).encode()
    request = urllib.request.Request(person.base_url + path, data=body, headers={
        "Cookie": f"sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}",
        "Content-Type": "application/x-www-form-urlencoded", "Referer": person.base_url + path,
    })
    with urllib.request.urlopen(request) as response:
        return response.headers["Content-Type"], response.read()


def checklist_failures(browser):
    return [item.get_attribute("data-code") for item in browser.find_elements(By.CSS_SELECTOR, "#checklist .check-fail")]


DRAIN = "Pembangunan drainase beton 120 meter di Gg. Mawar RT 12"
LIGHTS = "Pemasangan 8 titik lampu jalan di Jl. Ahmad Yani"


def record_request(person, browser, council, problem, request, kamus, volume, address="", photo=None):
    person.follow("Tambah usulan")
    assert person.fits_the_screen(), "the request form overflows 390 px"
    browser.find_element(By.NAME, "problem").send_keys(problem)
    browser.find_element(By.NAME, "request").send_keys(request)
    Select(browser.find_element(By.NAME, "kelurahan")).select_by_value(str(council.kota[1].pk))
    Select(browser.find_element(By.NAME, "kamus")).select_by_value(str(kamus.pk))
    browser.find_element(By.NAME, "volume").send_keys(volume)
    browser.find_element(By.NAME, "rt").send_keys("012")
    browser.find_element(By.NAME, "rw").send_keys("003")
    browser.find_element(By.NAME, "address").send_keys(address)
    browser.find_element(By.NAME, "estimated_cost").send_keys("150000000")
    browser.find_element(By.NAME, "proposer_group").send_keys("Ketua RT 12")
    if photo:
        browser.find_element(By.NAME, "photos").send_keys(str(photo))
    person.submit("item-record")
    assert "Usulan dicatat" in person.message()


def test_a_request_at_a_reses_becomes_an_exported_pokir(org, live_server, browser, tmp_path):
    council = Council(org)
    today = timezone.localdate()
    year = PokirYear.objects.create(year=today.year + 1, deadline=today + datetime.timedelta(days=30),
                                    ceiling_per_member=Decimal(1_000_000_000), reminder_working_days=5)
    photo = tmp_path / "saluran.jpg"
    photo.write_bytes(jpeg_bytes(size=(800, 600)))
    person = Person(browser, live_server.url)

    # 1. the aide records the reses and two requests on a phone
    person.login("staf.member", size=PHONE)
    browser.get(live_server.url + "/reses/")
    person.follow("Buka reses")
    Select(browser.find_element(By.NAME, "period")).select_by_value(str(council.period1.pk))
    person.set_value("starts_on", "2026-04-14")
    person.set_value("ends_on", "2026-04-15")
    box = browser.find_element(By.CSS_SELECTOR, f"input[name=places][value='{council.kota[1].pk}']")
    browser.execute_script("arguments[0].scrollIntoView()", box)
    box.click()
    browser.find_element(By.NAME, "venue").send_keys("Balai Pertemuan RT 12")
    person.submit("open-submit")
    assert "Reses dibuka" in person.message()
    record_request(person, browser, council, "Saluran meluap setiap hujan", DRAIN, council.drainase, "120",
                   address="Jl. Mawar", photo=photo)
    record_request(person, browser, council, "Jalan gelap", LIGHTS, council.pju, "8", address="Jl. Ahmad Yani")
    items = list(ResesItem.objects.filter(reses=Reses.objects.get()).order_by("pk"))
    assert [item.request for item in items] == [DRAIN, LIGHTS] and items[0].documents("photo").exists()

    # 2. the member builds a pokir from both requests and submits it
    person.login("member", size=PHONE)
    browser.get(live_server.url + "/pokir/baru/")
    assert person.fits_the_screen(), "the new-pokir page overflows 390 px"
    for item in items:
        box = browser.find_element(By.CSS_SELECTOR, f"input[name=reses_items][value='{item.pk}']")
        browser.execute_script("arguments[0].scrollIntoView()", box)
        box.click()
    person.submit("create-submit")
    pokir = Pokir.objects.get()
    assert pokir.title == DRAIN and set(pokir.reses_items.all()) == set(items)
    assert browser.find_elements(By.CSS_SELECTOR, "#photos a"), "the request's photo comes with the pokir"
    person.submit("submit-pokir")
    assert "diajukan untuk verifikasi" in person.message()

    # 3. the verifier sees one failing check and returns the pokir with a note on the address
    person.login("verifikator", size=PHONE)
    browser.get(live_server.url + "/tugas/antrean/")
    person.follow("Verifikasi sekretariat")
    person.submit("claim")
    assert checklist_failures(browser) == ["boundaries"]
    assert person.fits_the_screen(), "the verification page overflows 390 px"
    note = browser.find_element(By.NAME, "return-note_address")
    browser.execute_script("arguments[0].scrollIntoView()", note)
    note.send_keys("Tulis nomor rumah dan letak batasnya.")
    person.submit("return-submit")
    assert "dikembalikan" in person.message()

    # 4. the member fixes it and submits it again
    person.login("member", size=PHONE)
    browser.get(live_server.url + pokir.get_absolute_url())
    assert "Tulis nomor rumah dan letak batasnya." in browser.find_element(By.ID, "return-notes").text
    person.follow("Ubah")
    assert "Tulis nomor rumah dan letak batasnya." in browser.find_element(By.ID, "field-address").text
    assert person.fits_the_screen(), "the edit page overflows 390 px"
    address = browser.find_element(By.NAME, "address")
    address.clear()
    address.send_keys("Jl. Mawar No. 12A")
    browser.find_element(By.NAME, "boundaries").send_keys("dari simpang Jl. Mawar sampai jembatan Gg. Melati")
    person.submit("save-and-submit")
    assert "diajukan untuk verifikasi" in person.message()

    # 5. verified, then approved into the recap by the chair: final
    person.login("verifikator", size=PHONE)
    browser.get(live_server.url + "/tugas/antrean/")
    person.follow("Verifikasi sekretariat")
    person.submit("claim")
    assert checklist_failures(browser) == []
    person.submit("verify-submit")
    assert "terverifikasi" in person.message()
    person.login("chair", size=PHONE)
    browser.get(live_server.url + "/tugas/")
    person.follow("Rekap pimpinan")
    assert person.fits_the_screen(), "the recap page overflows 390 px"
    person.submit("approve-submit")
    assert "final" in person.message()
    browser.get(live_server.url + pokir.get_absolute_url())
    assert browser.find_element(By.ID, "pokir-status").text == "Final" and not browser.find_elements(By.ID, "edit-link")

    # 6. the SIPD export holds it
    person.login("verifikator", size=PHONE)
    browser.get(live_server.url + "/pokir/ekspor/")
    assert person.fits_the_screen(), "the export page overflows 390 px"
    form = browser.find_element(By.ID, f"export-form-{year.year}")
    token = form.find_element(By.NAME, "submission_token").get_attribute("value")
    content_type, body = post_form(person, "/pokir/ekspor/", {"tahun": year.year, "format": "xlsx", "submission_token": token})
    assert content_type.startswith("application/vnd.openxmlformats")
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(body)).active.iter_rows()]
    row = next(row for row in rows if row[0] == pokir.number)
    assert row[1] == DRAIN and row[3].startswith("Jl. Mawar No. 12A")
    assert row[4] == council.kota[1].name and row[10] == council.drainase.opd.name
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.EXPORTED
    assert AuditEvent.objects.for_object(pokir).filter(action="pokir.exported", user__username="verifikator").exists()
