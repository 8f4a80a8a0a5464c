"""Headless Chromium (Debian's chromium + chromium-driver) and a person who uses it."""

import shutil
import urllib.request

import pytest
from selenium import webdriver
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

    def download(self, path):
        """Fetch ``path`` with this person's session (the browser itself would show a PDF, not hand it over)."""
        session = self.driver.get_cookie("sessionid")["value"]
        request = urllib.request.Request(self.base_url + path, headers={"Cookie": f"sessionid={session}"})
        with urllib.request.urlopen(request) as response:
            return response.headers["Content-Type"], response.read()
