"""Missing pages, refusals and server errors in SIAP's own page and language."""

import re

from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import bad_request, server_error

from tests.support import PASSWORD


def signed_in(user):
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client


def test_a_missing_page_is_siaps_own_and_says_nothing_of_what_exists(org, register):
    secret = register(nature="rahasia")
    member = signed_in(org.member)
    missing = member.get("/tidak-ada/")
    hidden = member.get(secret.get_absolute_url())  # exists, but not for this member
    assert missing.status_code == hidden.status_code == 404
    page = missing.content.decode()
    assert "Halaman tidak ditemukan" in page and "Kembali ke dasbor" in page and 'href="/"' in page
    assert "Not Found" not in page and "The requested resource" not in page
    assert main_text(hidden) == main_text(missing)


def test_the_tab_icon_asked_at_the_root_is_the_emblem_and_sets_no_cookie():
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("siap/lambang-dprd.png")
    assert not response.cookies, "a page that sets a CSRF cookie here races a sign-in form opened beside it"


def main_text(response):
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group()


def test_a_refusal_is_siaps_own_page_in_indonesian(org):
    response = signed_in(org.registrar).get(reverse("audit:events"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Akses ditolak" in page and "Kembali ke dasbor" in page and "403 Forbidden" not in page
    assert 'class="topbar"' in page  # SIAP's own frame, with its menu


def test_the_server_error_page_needs_no_context_and_no_database():
    response = server_error(RequestFactory().get("/"))  # no ``db`` fixture: any query here fails the test
    page = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan pada SIAP" in page and "Server Error" not in page and 'href="/"' in page


def test_a_bad_request_page_is_siaps_own_without_context_either():
    response = bad_request(RequestFactory().get("/"), exception=None)
    assert response.status_code == 400 and "Permintaan tidak valid" in response.content.decode()


def test_a_stale_form_is_explained_in_indonesian(db):
    response = Client(enforce_csrf_checks=True).post("/akun/masuk/", {"username": "x", "password": "y"})
    page = response.content.decode()
    assert response.status_code == 403 and "Formulir tidak dapat diterima" in page and "CSRF verification" not in page
