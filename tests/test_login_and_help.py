"""Signing in says what went wrong in plain Indonesian; the help page shows each person their own roles."""

from django.test import Client
from django.urls import reverse

from tests.support import PASSWORD


def test_a_wrong_password_is_explained_once_in_plain_indonesian(org):
    page = Client().post(reverse("login"), {"username": "registrar", "password": "salah"}).content.decode()
    assert "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil." in page
    assert "nama pengguna nama pengguna" not in page.lower()


def test_empty_fields_are_named(org):
    page = Client().post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert "Isi nama pengguna Anda." in page and "Isi kata sandi Anda." in page
    assert "Kata sandi" in page


def test_the_right_password_still_signs_in(org):
    response = Client().post(reverse("login"), {"username": "registrar", "password": PASSWORD})
    assert response.status_code == 302


def help_page(user):
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    return client.get(reverse("help")).content.decode()


def test_the_auditor_reads_the_auditors_help_and_not_the_registrars(org):
    page = help_page(org.auditor)
    assert 'id="auditor"' in page and reverse("audit:events") in page
    assert 'id="registrar"' not in page and 'id="pimpinan"' not in page


def test_the_chair_and_a_commission_head_read_their_own(org):
    chair, head = help_page(org.chair), help_page(org.k1)
    assert 'id="pimpinan"' in chair and 'id="auditor"' not in chair and 'id="unit"' not in chair
    assert 'id="unit"' in head and 'id="pimpinan"' not in head and 'id="registrar"' not in head


def test_help_needs_an_account():
    response = Client().get(reverse("help"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_every_section_links_to_pages_that_exist(org, rf):
    from django.template.loader import render_to_string

    from project.help import SECTIONS

    request = rf.get(reverse("help"))
    request.user = org.auditor
    page = render_to_string("help/index.html", {"sections": SECTIONS}, request=request)
    assert all(f'id="{name}"' in page for name in SECTIONS)
