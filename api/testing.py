"""Helpers for tests that call the API (the api tests and each process's ``test_api``)."""

from rest_framework.test import APIClient

from .models import ApiToken


def token_client(user, name="tes"):
    """An API client that sends a fresh personal token of ``user``."""
    _token, key = ApiToken.issue(user, name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client
