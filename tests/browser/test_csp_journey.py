"""With the Content-Security-Policy enforced (SIAP_CSP=enforce, as in docker/siap.env) Chromium blocks nothing SIAP
serves: its scripts, pdf.js with its worker and WebAssembly, the API's documentation (Swagger UI and Redoc)."""

import re

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

from tests.test_content_security_policy import policy_enforced  # noqa: F401 - a fixture

from .conftest import LAPTOP, Person

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("policy_enforced")]


def violations(browser, site):
    """The policy's refusals of SIAP's own scripts and files. Redoc's page also asks for Google's fonts and a logo
    from another site: refusing those is the policy's purpose (SIAP loads nothing from elsewhere) and the page
    works without them."""
    refused = [entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]]
    outside = re.compile(r"'(https?://[^']+)'")
    return [message for message in refused
            if not any(not url.startswith(site) for url in outside.findall(message.split(" violates ")[0]))]


def open_page(browser, site, url, loaded):
    """Open ``url`` and wait until the script ``loaded`` says its content is drawn; no policy violation on the way."""
    browser.get(url)
    try:
        WebDriverWait(browser, 20).until(lambda driver: driver.execute_script(loaded))
    except TimeoutException:
        raise AssertionError(f"{url} did not finish drawing: {violations(browser, site)}")
    assert not violations(browser, site), url


def test_nothing_is_blocked_on_the_document_viewer_and_the_api_docs(org, register, live_server, browser):
    letter = register(subject="Permohonan audiensi drainase Sepinggan")
    Person(browser, live_server.url).login("registrar", size=LAPTOP)
    open_page(browser, live_server.url, live_server.url + f"/dokumen/{letter.scan.pk}/",
              "const c = document.querySelector('.pdf-viewer canvas'); return c && c.width > 0")
    open_page(browser, live_server.url, live_server.url + "/api/redoc/", "return document.querySelectorAll('[role=menuitem]').length > 0")
    open_page(browser, live_server.url, live_server.url + "/api/docs/", "return document.querySelectorAll('.opblock').length > 0")
