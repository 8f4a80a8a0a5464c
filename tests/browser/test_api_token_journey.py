"""A person makes an API token on a phone, a script uses it, the person revokes it.

The key is shown once; the page lists the token with its last use; the
inbox answers the script as it answers the person; after revoking, the
same key is refused.
"""

import json
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By

from .conftest import LAPTOP, PHONE, Person

pytestmark = pytest.mark.browser


def call(base_url, path, key):
    request = urllib.request.Request(base_url + path, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_token_is_made_used_and_revoked(org, register, live_server, browser, size):
    register()  # a letter waits in the chair's inbox
    person = Person(browser, live_server.url)
    person.login("chair", size=size)
    person.follow("Token API")
    assert person.fits_the_screen(), "token page overflows"
    browser.find_element(By.NAME, "name").send_keys("Skrip rekap")
    person.submit("create-token")
    key = browser.find_element(By.ID, "new-key").text
    assert key.startswith("siap_")
    assert person.fits_the_screen(), "the new key overflows"

    status, inbox = call(live_server.url, "/api/v1/tasks/inbox/", key)
    assert status == 200 and inbox["count"] == 1 and inbox["results"][0]["title"] == "Disposisi pimpinan"

    browser.get(live_server.url + "/akun/token/")
    assert "new-key" not in browser.page_source, "the key is shown once"
    row = browser.find_element(By.ID, "tokens").text
    assert "Skrip rekap" in row and "belum pernah" not in row, "the page shows when the token was last used"
    person.click_to_next_page(browser.find_element(By.CSS_SELECTOR, "#tokens .revoke"))
    assert "dicabut" in person.message()
    status, _body = call(live_server.url, "/api/v1/tasks/inbox/", key)
    assert status == 401
