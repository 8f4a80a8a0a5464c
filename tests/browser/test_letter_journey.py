"""A letter's whole journey in headless Chromium, as the README promises.

registrar registers a letter with a PDF → the chair disposes it to Komisi I
and Komisi II on a 390 px wide screen → komisi1 and komisi2 claim and close
their branches → the letter is archived with its trail and disposition sheet.
"""

import datetime
import os
import shutil
import urllib.request

import pytest
from django.utils import timezone
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.support import PASSWORD, pdf_text, pdf_upload
from workflows.letters.models import Letter

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
PHONE = (390, 844)
LAPTOP = (1280, 900)

if not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("SIAP_REQUIRE_TOOLS"):
    pytest.skip("Chromium/ChromeDriver not installed (make test installs them)", allow_module_level=True)

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--accept-lang=id",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "id"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


class Person:
    def __init__(self, driver, base_url):
        self.driver, self.base_url = driver, base_url

    def login(self, username, size=LAPTOP):
        driver = self.driver
        driver.delete_all_cookies()
        driver.set_window_size(*size)
        driver.get(self.base_url + "/akun/masuk/")
        driver.find_element(By.NAME, "username").send_keys(username)
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.CLASS_NAME, "counters")))

    def set_value(self, name, value):
        element = self.driver.find_element(By.NAME, name)
        self.driver.execute_script("arguments[0].value = arguments[1]", element, value)

    def submit(self, button_id):
        """Click and wait for the next page, so its message is not confused with this page's."""
        self.wait_until_loaded()
        button = self.driver.find_element(By.ID, button_id)
        self.driver.execute_script("arguments[0].scrollIntoView()", button)
        button.click()
        WebDriverWait(self.driver, 15).until(EC.staleness_of(button))
        self.wait_until_loaded()

    def follow(self, link_text):
        """Open a link and wait until the next page has fully loaded.

        Looking up elements while Chromium is still swapping documents fails with
        "Node with given id does not belong to the document"."""
        self.wait_until_loaded()
        link = self.driver.find_element(By.PARTIAL_LINK_TEXT, link_text)
        link.click()
        WebDriverWait(self.driver, 15).until(EC.staleness_of(link))
        self.wait_until_loaded()

    def wait_until_loaded(self):
        WebDriverWait(self.driver, 15).until(
            lambda driver: driver.execute_script("return document.readyState") == "complete"
        )

    def message(self):
        return WebDriverWait(self.driver, 10).until(EC.presence_of_element_located((By.CLASS_NAME, "msg"))).text

    def fits_the_screen(self):
        return self.driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )


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
    session = browser.get_cookie("sessionid")["value"]
    request = urllib.request.Request(
        live_server.url + f"/surat/{letter.pk}/lembar-disposisi.pdf", headers={"Cookie": f"sessionid={session}"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        text = pdf_text(response.read())
    assert "LEMBAR DISPOSISI" in text and "Komisi I" in text and "Komisi II" in text and letter.agenda_label in text
