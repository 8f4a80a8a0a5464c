"""Searching as people speak: other word forms, an abbreviation an archivist adds, a partial match, a misspelling.

An auditor searches on a phone, an archivist adds the synonym in the admin on
a laptop, and the auditor's next search finds the letter by it; then the
same searches at desktop size.
"""

import pytest
from selenium.webdriver.common.by import By

from project.org import roles
from search import indexing
from tests.support import make_user

from .conftest import LAPTOP, PHONE, Person

pytestmark = pytest.mark.browser


def search(person, text):
    box = person.driver.find_element(By.NAME, "q")
    box.clear()
    box.send_keys(text)
    person.click_to_next_page(person.driver.find_element(By.CSS_SELECTOR, ".search-form button"))
    return [hit.text for hit in person.driver.find_elements(By.CSS_SELECTOR, ".hit strong")]


def test_an_auditor_finds_letters_by_other_word_forms_and_an_abbreviation_an_archivist_adds(
        org, register, live_server, browser):
    register(subject="Perbaikan drainase di Kelurahan Gunung Bahagia")
    register(subject="Logistik tempat pemungutan suara di Kelurahan Damai")
    register(subject="Undangan rapat paripurna Kelurahan Damai")
    indexing.apply_pending()
    archivist = make_user("arsiparis", groups=[roles.ARCHIVIST])
    archivist.is_staff = True
    archivist.save()
    person = Person(browser, live_server.url)

    person.login("auditor", size=PHONE)
    person.follow("Cari")
    hits = search(person, "memperbaiki drainase")
    assert len(hits) == 1 and "Perbaikan drainase" in hits[0], hits
    marks = [mark.text for mark in browser.find_elements(By.CSS_SELECTOR, ".snippet mark")]
    assert "Perbaikan" in marks and "drainase" in marks, marks
    assert person.fits_the_screen(), "the search page overflows 390 px"
    search(person, "TPS Damai")
    assert browser.find_elements(By.ID, "partial"), "TPS is not known yet: only Damai was found"

    person.login("arsiparis", size=LAPTOP)
    browser.get(live_server.url + "/admin/search/synonym/add/")
    browser.find_element(By.NAME, "abbreviation").send_keys("TPS")
    browser.find_element(By.NAME, "expansion").send_keys("tempat pemungutan suara")
    person.click_to_next_page(browser.find_element(By.NAME, "_save"))
    assert "TPS" in browser.find_element(By.CSS_SELECTOR, ".messagelist").text

    for size in (PHONE, LAPTOP):
        person.login("auditor", size=size)
        person.follow("Cari")
        hits = search(person, "TPS Damai")
        assert not browser.find_elements(By.ID, "partial") and len(hits) == 1, hits
        assert "tempat pemungutan suara" in hits[0]
        search(person, "drainse gunung bahagia")
        suggestion = browser.find_element(By.CSS_SELECTOR, "#suggestion a")
        assert suggestion.text == "drainase gunung bahagia"
        person.click_to_next_page(suggestion)
        assert [hit.text for hit in browser.find_elements(By.CSS_SELECTOR, ".hit strong")][0].endswith(
            "Perbaikan drainase di Kelurahan Gunung Bahagia")
        assert person.fits_the_screen(), f"the search page overflows {size[0]} px"
