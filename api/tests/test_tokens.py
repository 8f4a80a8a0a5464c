"""Personal tokens: made and revoked on the account page, shown once, stored as a hash, used by the API."""

import hashlib
import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from project.audit.models import AuditEvent
from tests.support import PASSWORD

ME = "/api/v1/me/"
KEY = re.compile(r"siap_[A-Za-z0-9_-]{43}")


def logged_in(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def make_token(client, name="skrip rekap"):
    page = client.get(reverse("api:tokens")).content.decode()
    token = re.search(r'name="submission_token" value="([0-9a-f]{32})"', page).group(1)
    response = client.post(reverse("api:tokens"), {"name": name, "submission_token": token})
    assert response.status_code == 200
    return response.content.decode()


def test_the_token_page_is_for_signed_in_people(org):
    response = Client().get(reverse("api:tokens"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(org):
    client = logged_in(org.registrar)
    page = make_token(client)
    key = KEY.search(page).group(0)
    token = ApiToken.objects.get(user=org.registrar)
    assert token.name == "skrip rekap"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert not any(key in value or key[5:] in value for value in stored), "the key itself is nowhere in the row"
    assert token.hint == key[:9] and len(token.hint) < 12
    later = client.get(reverse("api:tokens")).content.decode()
    assert key not in later and "skrip rekap" in later and token.hint in later
    assert "no-store" in client.get(reverse("api:tokens"))["Cache-Control"]
    event = AuditEvent.objects.for_object(org.registrar).get(action="api_token.created")
    assert event.user == org.registrar and event.detail["token"] == "skrip rekap"


def test_the_form_sent_twice_makes_one_token(org):
    client = logged_in(org.registrar)
    page = client.get(reverse("api:tokens")).content.decode()
    token = re.search(r'name="submission_token" value="([0-9a-f]{32})"', page).group(1)
    client.post(reverse("api:tokens"), {"name": "satu", "submission_token": token})
    again = client.post(reverse("api:tokens"), {"name": "satu", "submission_token": token})
    assert again.status_code == 302
    assert ApiToken.objects.filter(user=org.registrar).count() == 1


def test_the_key_authenticates_and_records_its_last_use(org):
    key = KEY.search(make_token(logged_in(org.k1))).group(0)
    token = ApiToken.objects.get(user=org.k1)
    assert token.last_used_at is None
    response = bearer(key).get(ME)
    assert response.status_code == 200 and response.json()["username"] == "komisi1"
    token.refresh_from_db()
    assert token.last_used_at is not None
    page = logged_in(org.k1).get(reverse("api:tokens")).content.decode()
    assert "belum pernah" not in page


def test_a_revoked_key_no_longer_works(org):
    client = logged_in(org.k1)
    key = KEY.search(make_token(client)).group(0)
    token = ApiToken.objects.get(user=org.k1)
    response = client.post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    answer = bearer(key).get(ME)
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert answer.json()["code"] == "authentication_failed"
    token.refresh_from_db()
    assert token.revoked_at is not None, "kept, so the trail's events still name it"
    assert token.hint not in client.get(reverse("api:tokens")).content.decode()
    assert AuditEvent.objects.for_object(org.k1).filter(action="api_token.revoked").exists()


def test_nobody_revokes_someone_elses_token(org):
    _token, key = ApiToken.issue(org.k1, "milik komisi1")
    token = ApiToken.objects.get(user=org.k1)
    assert logged_in(org.k2).post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert logged_in(org.k2).get(reverse("api:token_revoke", args=[token.pk])).status_code == 405
    assert bearer(key).get(ME).status_code == 200


@pytest.mark.parametrize("header", ["Bearer", "Bearer siap_salah", "Bearer a b", "Token abc", "Basic eDp5"])
def test_wrong_credentials_are_refused(org, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(ME)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_an_inactive_users_key_stops_working(org):
    _token, key = ApiToken.issue(org.k1, "x")
    org.k1.is_active = False
    org.k1.save()
    assert bearer(key).get(ME).status_code == 401


def test_a_browser_session_works_and_needs_csrf_for_changes(org):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="komisi1", password=PASSWORD)
    assert client.get(ME).status_code == 200
    refused = client.post("/api/v1/tasks/1/claim/")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


def test_anonymous_callers_are_asked_to_authenticate(org):
    response = APIClient().get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_the_token_page_speaks_english_when_asked(org):
    client = logged_in(org.k1)
    assert "Salin kunci ini sekarang" in make_token(client), "Indonesian first"
    client.cookies["django_language"] = "en"
    english = client.get(reverse("api:tokens")).content.decode()
    assert "API tokens" in english and "Create token" in english and "Last used" in english
