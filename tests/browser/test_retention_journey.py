"""The archivist's retention round in headless Chromium.

The dashboard counter opens the items due for a decision → the archivist
selects all of them but one → one decision "musnah" for them at once → the
daftar arsip usul musnah lists them as a PDF; then the same page on a phone.

With ``SIAP_SCREENSHOTS=1`` it also writes the README's screenshot of the
bulk selection into docs/.
"""

import datetime

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from documents.models import DisposalDecision
from project.org import roles
from tests.support import make_user, pdf_text, restore_migration_data
from workflows import inbox
from workflows.letters import services
from workflows.letters.flows import LetterFlow
from workflows.letters.models import Letter

from .conftest import LAPTOP, PHONE, Person
from .test_outgoing_journey import screenshot

pytestmark = pytest.mark.browser


def test_the_archivist_decides_several_items_at_once_and_prints_the_disposal_list(org, register, live_server, browser):
    restore_migration_data()  # the retention schedules, which an earlier transactional test's flush removed
    for n in range(3):
        letter = register(subject=f"Undangan rapat lama {n}")
        services.file_without_disposition(inbox.open_task(letter, LetterFlow.dispose), user=org.chair)
    Letter.objects.update(archived_at=timezone.make_aware(datetime.datetime(2015, 3, 1)))
    make_user("arsiparis", groups=[roles.ARCHIVIST], first_name="Rina")
    person = Person(browser, live_server.url)
    person.login("arsiparis", size=LAPTOP)

    counter = browser.find_element(By.XPATH, "//a[@class='counter'][span='Arsip jatuh tempo penyusutan']")
    assert counter.find_element(By.TAG_NAME, "strong").text == "3"
    person.click_to_next_page(counter)
    browser.find_element(By.ID, "select-all-due").click()
    boxes = browser.find_elements(By.CSS_SELECTOR, "input.due-item")
    assert len(boxes) == 3 and all(box.is_selected() for box in boxes)
    boxes[-1].click()
    Select(browser.find_element(By.NAME, "decision")).select_by_value("musnah")
    browser.find_element(By.NAME, "note").send_keys("Berita acara 7/2026")
    screenshot(person, "screenshot-retention.png")
    person.submit("decide-selected")
    assert "dicatat untuk 2 arsip" in person.message()
    decided = set(DisposalDecision.objects.filter(decision="musnah", note="Berita acara 7/2026").values_list("item_id", flat=True))
    assert len(decided) == 2

    link = browser.find_element(By.ID, "disposal-list").get_attribute("href").removeprefix(live_server.url)
    content_type, pdf = person.download(link)
    text = " ".join(pdf_text(pdf).split())
    assert content_type == "application/pdf" and "DAFTAR ARSIP USUL MUSNAH" in text
    for letter in Letter.objects.all():
        assert (letter.subject in text) == (str(letter.pk) in decided), letter.subject

    browser.set_window_size(*PHONE)
    person.click_to_next_page(browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    remaining = browser.find_elements(By.CSS_SELECTOR, "input.due-item")
    assert len(remaining) == 1 and remaining[0].is_displayed()
    assert browser.find_element(By.ID, "decide-selected").is_displayed()
    assert person.fits_the_screen(), "the retention page overflows 390 px"
