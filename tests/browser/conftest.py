"""Headless Chromium (Debian's chromium + chromium-driver) and a person who uses it.

A step that leaves the page (a click on a link or a submit button) waits for
the *next* document to have loaded, as a person waits for the new page, and
never inspects an element of the page it is leaving: while Chromium swaps
documents, questions about the old page's elements can fail in several ways
("stale element", "Node with given id does not belong to the document"),
depending on timing.
"""

import shutil
import urllib.request

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from tests.support import PASSWORD, require_tool

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
PHONE = (390, 844)
LAPTOP = (1280, 900)


@pytest.fixture
def browser():
    require_tool(CHROMIUM and CHROMEDRIVER, "Chromium/ChromeDriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--accept-lang=id", "--lang=id",
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

    def become_visitor(self, size=LAPTOP):
        """Forget the session and its cookies, as a new visitor on a ``size`` screen.

        The previous person's page is left *before* the cookies go: a page that
        fetches on its own (the scan viewer, the transcript's poll) would
        otherwise ask without a session, be sent to the sign-in page and bring
        back a CSRF cookie of its own that could replace the one the next
        page's form was made with (a 403 "CSRF token incorrect", now and then).
        The page left for is one of this site (cookies are deleted for the
        page's site) that fetches nothing.
        """
        self.driver.get(self.base_url + "/akun/masuk/")
        self.wait_until_loaded()
        self.driver.delete_all_cookies()
        self.driver.set_window_size(*size)

    def login(self, username, size=LAPTOP):
        """Sign in as ``username`` in a fresh session (``become_visitor`` first)."""
        driver = self.driver
        self.become_visitor(size)
        driver.get(self.base_url + "/akun/masuk/")
        driver.find_element(By.NAME, "username").send_keys(username)
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        self.click_to_next_page(driver.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        assert driver.find_elements(By.CLASS_NAME, "counters"), (
            f"{username} did not reach the dashboard: {driver.current_url} {driver.title!r}")

    def set_value(self, name, value):
        element = self.driver.find_element(By.NAME, name)
        self.driver.execute_script("arguments[0].value = arguments[1]", element, value)

    def submit(self, button_id):
        """Press a form's button and wait for the page the server answers with."""
        self.wait_until_loaded()
        button = self.driver.find_element(By.ID, button_id)
        self.driver.execute_script("arguments[0].scrollIntoView()", button)
        self.click_to_next_page(button)

    def follow(self, link_text):
        """Open a link and wait until the page it leads to has loaded."""
        self.wait_until_loaded()
        if not self.driver.find_elements(By.PARTIAL_LINK_TEXT, link_text) and self.driver.find_elements(By.ID, "menu-button"):
            self.open_menu()  # on a phone the menu's links are folded behind its button, as a person finds them
        self.click_to_next_page(self.driver.find_element(By.PARTIAL_LINK_TEXT, link_text))

    def open_menu(self):
        self.driver.find_element(By.ID, "menu-button").click()
        WebDriverWait(self.driver, 5).until(lambda driver: driver.find_element(By.ID, "menu-panel").is_displayed())

    def click_to_next_page(self, element):
        """Click ``element`` and return once a new document has fully loaded in the tab.

        Which document the tab shows is told by ``performance.timeOrigin``,
        which every page load sets anew; the old page's elements are never
        looked at again. While the documents are being swapped the script
        itself may be refused: that only means "not yet".
        """
        before = self.wait_until_loaded()
        element.click()
        WebDriverWait(self.driver, 15, ignored_exceptions=(WebDriverException,)).until(
            lambda _driver: self._loaded_document() not in (None, before)
        )

    def wait_until_loaded(self):
        """Wait for the current document to finish loading; return its identity."""
        return WebDriverWait(self.driver, 15, ignored_exceptions=(WebDriverException,)).until(
            lambda _driver: self._loaded_document()
        )

    def _loaded_document(self):
        return self.driver.execute_script(
            "return document.readyState === 'complete' ? String(performance.timeOrigin) : null"
        )

    def message(self):
        return WebDriverWait(self.driver, 10).until(EC.presence_of_element_located((By.CLASS_NAME, "msg"))).text

    def fits_the_screen(self):
        return self.driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth"
        )

    def download(self, path):
        """Fetch ``path`` with this person's session (the browser itself would show a PDF, not hand it over)."""
        session = self.driver.get_cookie("sessionid")["value"]
        request = urllib.request.Request(self.base_url + path, headers={"Cookie": f"sessionid={session}"})
        with urllib.request.urlopen(request) as response:
            return response.headers["Content-Type"], response.read()
