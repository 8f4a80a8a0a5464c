"""The scan shown inline with pdf.js, on a laptop and on a 390 px phone (Chromium shows no PDF in a frame there)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from documents.services import add_document

from .conftest import LAPTOP, PHONE, Person

pytestmark = pytest.mark.browser

FIRST_PAGE = """
const canvas = document.querySelector('.pdf-viewer .pdf-page[data-page="1"] canvas');
if (!canvas || !canvas.width || !canvas.height) return null;
const box = canvas.getBoundingClientRect();
return {width: box.width, height: box.height, pixels: canvas.width, inner: window.innerWidth,
        status: document.querySelector('[data-pdf-status]').textContent,
        ink: (() => {  // something was drawn: not every pixel is white
          const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 0; i < data.length; i += 4) if (data[i] < 200) return true;
          return false;
        })()};
"""


def first_page(browser):
    return WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(
        lambda driver: driver.execute_script(FIRST_PAGE)
    )


def test_the_scan_is_drawn_inline_on_a_laptop_and_a_phone(org, register, live_server, browser):
    letter = register(subject="Permohonan audiensi drainase Sepinggan")
    person = Person(browser, live_server.url)
    for size in (LAPTOP, PHONE):
        person.login("registrar", size=size)
        browser.get(live_server.url + f"/dokumen/{letter.scan.pk}/")
        page = first_page(browser)
        assert page["width"] > 100 and page["height"] > page["width"], page  # an A4 page, upright
        assert page["ink"], "page 1 was rendered blank"
        assert page["width"] <= page["inner"], f"page 1 is wider than the {size[0]} px screen: {page}"
        assert "1 halaman" in page["status"], page
        assert person.fits_the_screen(), f"the document page overflows {size[0]} px"
        errors = [entry["message"] for entry in browser.get_log("browser")
                  if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]
        assert not errors, errors  # a script error, or a pdf.js file that is not served, shows here


def test_a_file_pdfjs_cannot_read_leaves_the_message_and_the_download(org, register, live_server, browser):
    letter = register()
    broken = add_document(
        letter, role="lampiran", file=SimpleUploadedFile("rusak.pdf", b"%PDF-1.4\nbukan PDF yang utuh"),
        media_type="application/pdf", user=org.registrar, extract_text=False,
    )
    person = Person(browser, live_server.url)
    person.login("registrar", size=PHONE)
    browser.get(live_server.url + f"/dokumen/{broken.pk}/")
    status = WebDriverWait(browser, 30).until(
        lambda driver: driver.execute_script(
            "const box = document.querySelector('.pdf-viewer');"
            "return box.classList.contains('pdf-failed') && box.querySelector('[data-pdf-status]').textContent"
        )
    )
    assert "tidak dapat ditampilkan" in status
    download = browser.find_element(By.LINK_TEXT, "Unduh")
    assert download.is_displayed() and download.get_attribute("href").endswith(f"/dokumen/{broken.pk}/v1/")
    assert not browser.find_elements(By.CSS_SELECTOR, ".pdf-viewer canvas")
