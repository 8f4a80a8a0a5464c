"""With the Content-Security-Policy on (SIAP_CSP=enforce, as in docker/siap.env) the pages still work: the browser
blocks nothing SIAP itself serves (its scripts, pdf.js with its worker and WebAssembly, the API's documentation)."""

import pytest
from django.test import Client

from tests.support import PASSWORD


@pytest.fixture
def policy_enforced(settings):
    from project import settings as siap_settings

    settings.CONTENT_SECURITY_POLICY = siap_settings._csp_policy


def test_pages_carry_the_policy_with_a_fresh_nonce(org, policy_enforced):
    client = Client()
    client.login(username="registrar", password=PASSWORD)
    first, second = (client.get("/")["Content-Security-Policy"] for _ in range(2))
    assert "script-src 'self'" in first and "object-src 'none'" in first and "frame-ancestors 'none'" in first
    assert "'unsafe-inline'" not in first.split("script-src")[1].split(";")[0]
