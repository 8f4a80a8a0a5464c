"""Sign-ins in the trail: signed in, signed out, failed and locked, on the site, the admin and the API; shown to
auditors only, never with a password, and nothing typed into the username field reaches a page or a CSV as markup
or a formula."""

import json

import pytest
from django.contrib.auth.signals import user_login_failed
from django.test import Client, RequestFactory
from django.urls import reverse

from project.audit.models import AuditEvent
from project.audit.receivers import LOCKED_OUT, SIGN_IN_FAILED, SIGNED_IN, SIGNED_OUT
from tests.support import PASSWORD

WRONG = "salah-Rahasia-123"


def _events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def _sign_in(client, username, password, url="login"):
    return client.post(reverse(url), {"username": username, "password": password}, REMOTE_ADDR="198.51.100.4")


def test_a_sign_in_and_a_sign_out_are_recorded_on_the_account(org):
    client = Client()
    assert _sign_in(client, org.registrar.username, PASSWORD).status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR="198.51.100.4")
    signed_in, = _events(SIGNED_IN)
    signed_out, = _events(SIGNED_OUT)
    for event in (signed_in, signed_out):
        assert event.subject == org.registrar and event.user == org.registrar
        assert event.client_address == "198.51.100.4" and event.detail == {"channel": "site"}


def test_a_failed_sign_in_names_the_account_never_the_password(org):
    _sign_in(Client(), org.registrar.username, WRONG)
    failed, = _events(SIGN_IN_FAILED)
    assert failed.subject == org.registrar and failed.user is None
    assert failed.detail["channel"] == "site"
    assert WRONG not in json.dumps(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_a_sign_in_on_an_unknown_username_keeps_it_short_and_printable(org):
    typed = "=HYPERLINK(\"http://x\")<script>\n" + "x" * 200
    _sign_in(Client(), typed, WRONG)
    failed, = _events(SIGN_IN_FAILED)
    assert failed.object_id == "" and failed.content_type.model == "user"
    assert failed.detail["username"] == typed.replace("\n", "")[:150]


def test_repeated_failures_lock_the_account_and_the_lockout_is_recorded(org, settings):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, org.registrar.username, WRONG)
    response = _sign_in(client, org.registrar.username, PASSWORD)
    assert response.status_code != 302, "the right password waits out the lockout"
    assert _events(LOCKED_OUT) and all(event.subject == org.registrar for event in _events(LOCKED_OUT))
    assert not _events(SIGNED_IN)


def test_the_admin_sign_in_is_recorded_as_the_admins(org):
    org.registrar.is_staff = True
    org.registrar.save()
    _sign_in(Client(), org.registrar.username, WRONG, url="admin:login")
    failed, = _events(SIGN_IN_FAILED)
    assert failed.detail["channel"] == "admin"


def test_a_failed_api_token_keeps_only_its_hint(org):
    request = RequestFactory().get("/api/v1/letters/", REMOTE_ADDR="198.51.100.4")
    user_login_failed.send(sender=None, credentials={"username": "", "token": "abcd1234"}, request=request)
    failed, = _events(SIGN_IN_FAILED)
    assert failed.detail == {"channel": "api", "hint": "abcd1234", "username": ""}


@pytest.mark.parametrize("viewer, allowed", [("auditor", True), ("registrar", False), ("chair", False)])
def test_only_auditors_read_sign_ins_and_what_was_typed_is_escaped(org, viewer, allowed):
    _sign_in(Client(), "<b>budi</b>", WRONG)
    client = Client()
    client.force_login(getattr(org, viewer))
    response = client.get(reverse("audit:events"), {"kelompok": "masuk"})
    if not allowed:
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert "Gagal masuk" in page and "&lt;b&gt;budi&lt;/b&gt;" in page and "<b>budi</b>" not in page
    assert "(pengguna tidak dikenal)" in page
