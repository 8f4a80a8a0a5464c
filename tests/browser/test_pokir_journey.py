"""A pokir's whole journey in headless Chromium on a 390 px phone screen.

The member builds a pokir from two reses items (one with a photo, neither
with boundaries) and submits it → the verifier claims it, sees the
checklist with exactly one failure (letak batas) and returns it with a note
on the address → the member sees the note, fixes the pokir and submits it
again → the verifier verifies it → the chair approves it into the recap
(final) → the verifier's SIPD export, opened with openpyxl, contains it.
"""

import io
import urllib.parse
import urllib.request

import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By

from project.audit.models import AuditEvent
from workflows.pokir.models import Pokir
from workflows.pokir.tests.support import build_reses_items, build_world

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


def test_pokir_journey_on_a_phone(org, live_server, browser):
    world = build_world(org)
    items = build_reses_items(world)
    items.second.boundaries = ""
    items.second.save()
    person = Person(browser, live_server.url)

    # 1. the member builds a pokir from two reses items and submits it
    person.login("member", size=PHONE)
    browser.get(live_server.url + "/pokir/baru/")
    assert person.fits_the_screen(), "the new-pokir page overflows 390 px"
    for item in (items.first, items.second):
        box = browser.find_element(By.CSS_SELECTOR, f"input[name=reses_items][value='{item.pk}']")
        browser.execute_script("arguments[0].scrollIntoView()", box)
        box.click()
    person.submit("create-submit")
    assert "dibuat" in person.message()
    pokir = Pokir.objects.get()
    assert pokir.title == "Pembangunan drainase Jl. Mawar" and set(pokir.reses_items.all()) == {items.first, items.second}
    assert "Foto saluran" in browser.find_element(By.ID, "photos").text, "the reses item's photo is the pokir's"
    assert person.fits_the_screen(), "the pokir page overflows 390 px"
    person.submit("submit-pokir")
    assert "diajukan untuk verifikasi" in person.message()

    # 2. the verifier claims it, sees one failing check and returns it with a note on the address
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

    # 3. the member reads the note, fixes the pokir and submits it again
    person.login("member", size=PHONE)
    browser.get(live_server.url + pokir.get_absolute_url())
    assert "Tulis nomor rumah dan letak batasnya." in browser.find_element(By.ID, "return-notes").text
    person.follow("Ubah")
    assert "Tulis nomor rumah dan letak batasnya." in browser.find_element(By.ID, "field-address").text
    assert person.fits_the_screen(), "the edit page overflows 390 px"
    address = browser.find_element(By.NAME, "address")
    address.clear()
    address.send_keys("Jl. Mawar No. 12A, depan masjid")
    browser.find_element(By.NAME, "boundaries").send_keys("dari simpang Jl. Mawar sampai jembatan Gg. Melati")
    person.submit("save-and-submit")
    assert "diajukan untuk verifikasi" in person.message()

    # 4. the verifier verifies it: every check passes now
    person.login("verifikator", size=PHONE)
    browser.get(live_server.url + "/tugas/antrean/")
    person.follow("Verifikasi sekretariat")
    person.submit("claim")
    assert checklist_failures(browser) == []
    person.submit("verify-submit")
    assert "terverifikasi" in person.message()

    # 5. the chair approves it into the recap: final
    person.login("chair", size=PHONE)
    browser.get(live_server.url + "/tugas/")
    person.follow("Rekap pimpinan")
    assert person.fits_the_screen(), "the recap page overflows 390 px"
    person.submit("approve-submit")
    assert "final" in person.message()
    browser.get(live_server.url + pokir.get_absolute_url())
    assert browser.find_element(By.ID, "pokir-status").text == "Final"
    assert not browser.find_elements(By.ID, "edit-link")

    # 6. the verifier exports the year's recap for SIPD; the XLSX holds the pokir
    person.login("verifikator", size=PHONE)
    browser.get(live_server.url + "/pokir/ekspor/")
    assert person.fits_the_screen(), "the export page overflows 390 px"
    form = browser.find_element(By.ID, f"export-form-{world.year.year}")
    token = form.find_element(By.NAME, "submission_token").get_attribute("value")
    content_type, body = post_form(person, "/pokir/ekspor/", {"tahun": world.year.year, "format": "xlsx", "submission_token": token})
    assert content_type.startswith("application/vnd.openxmlformats")
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(body)).active.iter_rows()]
    assert rows[0][:2] == ["Nomor", "Usulan"]
    row = next(row for row in rows if row[0] == pokir.number)
    assert row[1] == "Pembangunan drainase Jl. Mawar" and row[3].startswith("Jl. Mawar No. 12A, depan masjid")
    assert row[4] == "Klandasan Ilir" and row[10] == "Dinas Pekerjaan Umum"
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.EXPORTED
    assert AuditEvent.objects.for_object(pokir).filter(action="pokir.exported", user__username="verifikator").exists()
