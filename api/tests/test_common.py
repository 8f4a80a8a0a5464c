"""The caller, errors in the caller's language, addresses that do not exist, and request rates."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.testing import token_client
from project.org.services import create_delegation


def test_me_tells_positions_units_and_acting_for(org):
    now = timezone.now()
    create_delegation(position=org.chair_position, delegate=org.deputy, starts_at=now - datetime.timedelta(hours=1),
                      ends_at=now + datetime.timedelta(days=2), reason="Dinas luar")
    me = token_client(org.deputy).get("/api/v1/me/").json()
    assert me["username"] == "deputy" and me["name"] == "Wakil"
    assert [(p["role"], p["unit"]["code"]) for p in me["positions"]] == [("deputy", "pimpinan")]
    assert [unit["code"] for unit in me["units"]] == ["pimpinan"]
    [acting] = me["acting_for"]
    assert acting["position"]["role"] == "head" and acting["holder"] == "Ketua" and acting["reason"] == "Dinas luar"
    assert token_client(org.chair).get("/api/v1/me/").json()["acting_for"] == []


def test_me_refuses_anonymous_callers(org):
    assert APIClient().get("/api/v1/me/").status_code == 401


def test_errors_come_in_indonesian_unless_english_is_asked_for(org):
    client = token_client(org.k1)
    indonesian = client.get("/api/v1/search/").json()
    english = client.get("/api/v1/search/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert indonesian["code"] == english["code"] == "invalid"
    assert english["errors"]["q"] == ["This field is required."]
    assert indonesian["errors"]["q"] != english["errors"]["q"]
    assert english["detail"] == "Invalid input; see the message of each field."
    assert indonesian["detail"] == "Data yang dikirim tidak valid; lihat pesan tiap isian."
    assert client.get("/api/v1/tasks/999999/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"] == "Task not found."


def test_an_unknown_api_address_answers_json(org):
    response = token_client(org.k1).get("/api/v1/tidak-ada/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_each_person_has_a_request_budget(org, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "token": "100/minute"}}
    client = token_client(org.k1)
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/me/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["code"] == "throttled"
    assert token_client(org.k1, "lain").get("/api/v1/me/").status_code == 429, "a second token counts for the same person"
    assert token_client(org.k2).get("/api/v1/me/").status_code == 200, "other people are not slowed down"


def test_each_token_has_its_own_budget(org, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "100/minute", "token": "2/minute"}}
    runaway, other = token_client(org.k1, "runaway"), token_client(org.k1, "other")
    assert [runaway.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
    assert other.get("/api/v1/me/").status_code == 200
    assert ApiToken.objects.filter(user=org.k1).count() == 2
