"""The demo's chair on a laptop, then on a phone: the dashboard's inbox counter opens exactly the tasks it counts,
and on a phone the menu is folded behind its button until the person opens it.

With ``SIAP_SCREENSHOTS=1`` it also writes the README's dashboard, inbox and menu screenshots into docs/."""

import base64
import os

import pytest
from django.contrib.auth import get_user_model
from selenium.webdriver.common.by import By

from fixtures import letters, organisation
from tests.support import PASSWORD, restore_migration_data

from .conftest import LAPTOP, PHONE, Person
from .test_outgoing_journey import DOCS, screenshot

pytestmark = pytest.mark.browser


def open_inbox_counter(person):
    """Follow the dashboard's inbox counter; return the number it showed and the rows of the list it opened."""
    counter = person.driver.find_element(By.XPATH, "//a[@class='counter'][span='Tugas di kotak masuk']")
    counted = int(counter.find_element(By.TAG_NAME, "strong").text)
    person.click_to_next_page(counter)
    return counted, person.driver.find_elements(By.CSS_SELECTOR, "ul.tasks > li")


def test_a_counter_opens_exactly_its_tasks_and_the_phone_menu_folds(db, live_server, browser):
    restore_migration_data()  # the demo's letters file under the classification codes
    organisation.build()
    letters.build(count=3)
    chair = get_user_model().objects.get(username="chair")
    chair.set_password(PASSWORD)
    chair.save()
    person = Person(browser, live_server.url)

    person.login("chair", size=LAPTOP)
    screenshot(person, "screenshot-dashboard.png")
    assert browser.find_element(By.LINK_TEXT, "Kotak masuk").is_displayed(), "a laptop shows the menu"
    assert not browser.find_element(By.ID, "menu-button").is_displayed()
    counted, rows = open_inbox_counter(person)
    assert counted > 0 and len(rows) == counted, "the demo's chair has letters to dispose"
    assert "Disposisi pimpinan" in rows[0].text
    assert rows[0].find_element(By.CLASS_NAME, "task-age").text, "the row tells its age"
    if os.environ.get("SIAP_SCREENSHOTS"):  # the same inbox, sorted by deadline
        browser.get(live_server.url + "/tugas/?urut=batas")
        screenshot(person, "screenshot-inbox.png")

    # an empty required field: SIAP's own message from the server, not the browser's bubble that stops the form
    browser.get(live_server.url + "/pelimpahan/")
    save = browser.find_element(By.XPATH, "//button[normalize-space()='Simpan']")
    assert browser.execute_script("return arguments[0].form.noValidate", save)
    person.click_to_next_page(save)
    assert browser.find_elements(By.CLASS_NAME, "error"), "the server's messages are shown"

    person.login("chair", size=PHONE)
    header = browser.find_element(By.CLASS_NAME, "topbar").size["height"]
    assert header <= 120, f"the folded header takes {header} px of 844"
    assert not browser.find_element(By.ID, "menu-panel").is_displayed()
    screenshot(person, "screenshot-dashboard-phone.png")
    browser.find_element(By.ID, "menu-button").click()
    assert browser.find_element(By.LINK_TEXT, "Kotak masuk").is_displayed(), "the button opens the menu"
    if os.environ.get("SIAP_SCREENSHOTS"):  # one screen's height of it, the open menu on top
        shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": PHONE[0], "height": PHONE[1], "scale": 1},
        })
        (DOCS / "screenshot-menu-phone.png").write_bytes(base64.b64decode(shot["data"]))
    assert person.fits_the_screen(), "the open menu overflows 390 px"
    counted, rows = open_inbox_counter(person)
    assert len(rows) == counted
    assert person.fits_the_screen(), "the inbox overflows 390 px"
