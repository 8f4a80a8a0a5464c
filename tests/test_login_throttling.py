"""Guessing passwords is throttled per account and per client address (django-axes), on the login page, the
admin's login and API tokens; the lockout page says when to try again, and the lock lifts after the cool-off."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.support import PASSWORD

ME = "/api/v1/me/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.SIAP_LOGIN_ADDRESS_FAILURE_LIMIT = 8
    settings.AXES_COOLOFF_TIME = 0.25  # hours


def sign_in(username, password, path=None, address="127.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(path or reverse("login"), {"username": username, "password": password})
    return client, response


def signed_in(client):
    return "_auth_user_id" in client.session


def assert_locked_out(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak percobaan masuk" in page and "Anda dapat mencoba lagi pukul" in page


def test_fifty_wrong_passwords_then_the_right_one_is_refused(org):
    answers = [sign_in("registrar", f"tebakan-{n}")[1].status_code for n in range(50)]
    assert answers[:4] == [200] * 4 and set(answers[5:]) == {429}
    client, response = sign_in("registrar", PASSWORD)
    assert_locked_out(response)
    assert not signed_in(client)


def test_the_admin_login_is_throttled_too(org):
    get_user_model().objects.create_superuser("penjaga", "penjaga@example.org", PASSWORD)
    admin_login = reverse("admin:login")
    for n in range(50):
        sign_in("penjaga", f"tebakan-{n}", admin_login)
    client, response = sign_in("penjaga", PASSWORD, admin_login)
    assert_locked_out(response)
    assert not signed_in(client)


def test_after_the_cool_off_the_right_password_works_and_clears_the_count(org):
    for n in range(6):
        sign_in("registrar", f"tebakan-{n}")
    assert_locked_out(sign_in("registrar", PASSWORD)[1])
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))
    client, response = sign_in("registrar", PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    assert not AccessAttempt.objects.filter(username="registrar").exists(), "a successful sign-in resets the count"


def test_an_address_is_locked_for_every_account_after_its_own_limit(org):
    answers = [sign_in(username, f"tebakan-{n}")[1].status_code for username in ("komisi1", "komisi2") for n in range(4)]
    assert answers == [200] * 7 + [429], "4 failures per account stay under its limit; the 8th locks the address"
    client, response = sign_in("registrar", PASSWORD)
    assert_locked_out(response)
    elsewhere, response = sign_in("registrar", PASSWORD, address="10.20.30.40")
    assert response.status_code == 302 and signed_in(elsewhere)


def test_the_client_address_is_siaps_own_behind_the_proxy(org, settings):
    settings.SIAP_TRUSTED_PROXY_HOPS = 1
    for n in range(8):
        Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7").post(
            reverse("login"), {"username": f"tamu{n}", "password": "x"})
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_the_unlock_command_lifts_a_lockout(org):
    for n in range(6):
        sign_in("registrar", f"tebakan-{n}")
    call_command("axes_reset_username", "registrar")
    assert sign_in("registrar", PASSWORD)[1].status_code == 302


def test_the_lockout_page_is_translated(org):
    for n in range(6):
        sign_in("registrar", f"tebakan-{n}")
    response = Client().post(reverse("login"), {"username": "registrar", "password": PASSWORD},
                             HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429 and "Too many sign-in attempts" in response.content.decode()


# --- API tokens ---

@pytest.fixture
def failures():
    sent = []

    def receive(sender, credentials, request=None, **kwargs):
        sent.append((credentials, request))

    user_login_failed.connect(receive)
    yield sent
    user_login_failed.disconnect(receive)


def bearer(key, address="127.0.0.1"):
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_many_wrong_tokens_are_answered_429_in_json(org):
    answers = [bearer(f"siap_salah{n:040d}").get(ME) for n in range(10)]
    assert [answer.status_code for answer in answers[:8]] == [401] * 8
    assert answers[-1].status_code == 429
    assert answers[-1].json()["code"] == "locked_out" and answers[-1].json()["detail"]
    _token, key = ApiToken.issue(org.k1, "skrip")
    assert bearer(key).get(ME).status_code == 429, "the address stays locked for a right token too"
    assert bearer(key, address="10.9.8.7").get(ME).status_code == 200


def test_a_wrong_token_is_a_failed_sign_in_with_its_owner_and_first_characters(org, failures):
    bearer("siap_salahsekali").get(ME)
    token, key = ApiToken.issue(org.k1, "skrip")
    token.revoked_at = token.created_at
    token.save()
    bearer(key).get(ME)
    (unknown, request), (revoked, _request) = failures
    assert unknown == {"username": "", "token": "siap_sal"} and request.path == ME
    assert revoked == {"username": "komisi1", "token": key[:8]}


def test_a_wrong_token_counts_towards_its_owners_lockout(org):
    token, key = ApiToken.issue(org.k1, "skrip")
    token.revoked_at = token.created_at
    token.save()
    for _ in range(5):
        bearer(key).get(ME)
    assert_locked_out(sign_in("komisi1", PASSWORD, address="10.1.1.1")[1])


def test_a_username_longer_than_any_account_is_counted_not_a_server_error(org):
    typed = "x" * 400
    for _attempt in range(4):
        _client, response = sign_in(typed, "salah")
    assert response.status_code == 200, "the sign-in page with its message, not a server error"
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert AccessAttempt.objects.get(username="x" * 150).failures_since_start == 4
    assert_locked_out(sign_in(typed, "salah")[1])
