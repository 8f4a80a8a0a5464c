"""The client address the trail and the public rate limits use: a client cannot choose its own behind our proxy."""

from django.test import RequestFactory

from project.audit.middleware import client_address


def _request(forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", **headers)


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.SIAP_TRUSTED_PROXY_HOPS = 0
    assert client_address(_request("203.0.113.9")) == "10.0.0.5"


def test_behind_one_proxy_the_entry_it_appended_counts_not_what_the_client_wrote(settings):
    settings.SIAP_TRUSTED_PROXY_HOPS = 1
    assert client_address(_request("1.2.3.4, 198.51.100.20")) == "198.51.100.20", "1.2.3.4 is the client's own claim"
    assert client_address(_request("198.51.100.20")) == "198.51.100.20"
    assert client_address(_request()) == "10.0.0.5", "no header: the proxy itself did not forward"


def test_behind_two_proxies_the_outer_ones_entry_counts(settings):
    settings.SIAP_TRUSTED_PROXY_HOPS = 2
    assert client_address(_request("1.2.3.4, 198.51.100.20, 10.0.0.2")) == "198.51.100.20"
    assert client_address(_request("10.0.0.2")) == "10.0.0.5", "fewer entries than proxies: not forwarded by ours"


def test_only_a_valid_ip_address_comes_back_written_one_way(settings):
    settings.SIAP_TRUSTED_PROXY_HOPS = 1
    for forwarded in ("=HYPERLINK(\"http://x\")", "1.2.3.4:8080", "unknown", "198.51.100.20<script>", "+1-2"):
        assert client_address(_request(forwarded)) is None, forwarded
    assert client_address(_request("2001:DB8:0:0::1")) == "2001:db8::1"


def test_a_forged_forwarded_for_never_reaches_the_trail(org, settings):
    from django.test import Client
    from django.urls import reverse

    from project.audit.models import AuditEvent
    from tests.support import PASSWORD

    settings.SIAP_TRUSTED_PROXY_HOPS = 1
    Client().post(reverse("login"), {"username": org.registrar.username, "password": PASSWORD},
                  HTTP_X_FORWARDED_FOR="=cmd|' /C calc'!A0")
    Client().post(reverse("login"), {"username": org.registrar.username, "password": PASSWORD},
                  HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert list(AuditEvent.objects.filter(action="auth.signed_in").order_by("pk").values_list("client_address", flat=True)) == [
        None, "203.0.113.9"
    ]
