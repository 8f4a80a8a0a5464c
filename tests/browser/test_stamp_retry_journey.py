"""The registrar finds a letter whose scan has no agenda stamp, reads why, and asks for it again (laptop and phone).

The stamp fails for a passing reason (the stamping child given no time, as
on an overloaded server); the document page says which pages' text came
from where.
"""

import pytest
from selenium.webdriver.common.by import By

from documents.text import process_version
from workflows.letters.tasks import prepare_scan

from .conftest import LAPTOP, PHONE, Person

pytestmark = pytest.mark.browser


def test_the_registrar_sees_why_the_stamp_is_missing_and_asks_again(org, register, live_server, browser, settings):
    person = Person(browser, live_server.url)
    for size in (LAPTOP, PHONE):
        letter = register(subject="Undangan rapat paripurna")
        process_version(letter.scan.versions.get(number=1))
        limit, settings.SIAP_PDF_TIMEOUT_SECONDS = settings.SIAP_PDF_TIMEOUT_SECONDS, 0.001
        prepare_scan(letter.pk)
        settings.SIAP_PDF_TIMEOUT_SECONDS = limit

        person.login("registrar", size=size)
        browser.get(live_server.url + letter.get_absolute_url())
        warning = browser.find_element(By.ID, "stamp-missing").text
        assert "belum berstempel agenda" in warning and "waktu habis" in warning, warning
        assert person.fits_the_screen(), f"the letter page with the warning overflows {size[0]} px"
        person.submit("retry-stamp")
        assert "dicoba lagi" in person.message()
        assert not browser.find_elements(By.ID, "retry-stamp"), "asked once: the button is gone until it fails again"

        person.follow(letter.scan.title)
        sources = " ".join(element.text for element in browser.find_elements(By.CLASS_NAME, "text-source"))
        assert "Lapisan teks PDF: halaman 1" in sources, sources
        assert person.fits_the_screen(), f"the document page overflows {size[0]} px"
