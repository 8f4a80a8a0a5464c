"""Who sees which aspiration — the rule itself, documents and search on both engines — each rule with the refused user.

(The pages answer through the same rule: test_pages.py; the API: test_api.py.)
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from search.indexing import apply_pending
from search.port import SearchQuery
from search.registry import principals_of
from tests.support import PASSWORD
from workflows.aspirations.models import Aspiration

from .support import dispose, receive, verify

pytestmark = pytest.mark.django_db

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture
def aspirations(world):
    """One disposed to Komisi I, one (rahasia) to the demo member's dapil, one still at the desk."""
    to_unit = receive(world, subject="Drainase meluap di Klandasan", phone="081100000001")
    verify(world, to_unit)
    dispose(world, to_unit, unit=world.org.komisi1)
    secret = receive(world, subject="Pungutan liar di kelurahan", text="Drainase dijadikan alasan pungutan liar.",
                     privacy=Aspiration.Privacy.CONFIDENTIAL, phone="081100000002",
                     attachments=[(SimpleUploadedFile("bukti.pdf", PDF), "application/pdf")])
    verify(world, secret)
    dispose(world, secret, members=[world.member])
    waiting = receive(world, subject="Drainase tersumbat sampah", phone="081100000003")
    return to_unit, secret, waiting


def _seen(user):
    return set(Aspiration.objects.visible_to(user))


def test_the_rule_person_by_person(world, aspirations):
    to_unit, secret, waiting = aspirations
    everything = {to_unit, secret, waiting}
    org = world.org
    for user in (org.registrar, org.auditor, org.chair, org.deputy, world.desk_head, world.sekwan):
        assert _seen(user) == everything, user
    assert _seen(org.k1) == _seen(org.k1_staff) == {to_unit}
    assert _seen(org.member) == {secret}
    for refused in (org.k2, world.other_user, world.outsider):
        assert _seen(refused) == set(), refused


def test_rahasia_content_and_files_are_for_its_handlers_only(world, aspirations):
    _to_unit, secret, _waiting = aspirations
    assert secret.is_handled_by(world.org.member) and secret.is_handled_by(world.org.registrar)
    assert not secret.content_shown_to(world.org.auditor), "the auditor sees that it exists, not what it says"
    document = secret.documents().get()
    url = reverse("documents:download", args=[document.pk, document.current.number])
    for user, status in ((world.org.member, 200), (world.org.registrar, 200), (world.org.auditor, 404),
                         (world.org.k1, 404), (world.outsider, 404)):
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        assert client.get(url).status_code == status, user


def test_personal_data_is_for_the_desk_and_never_for_an_anonymous_name(world, aspirations):
    to_unit, _secret, _waiting = aspirations
    assert to_unit.sender_shown_to(world.org.registrar) == "Warga Klandasan"
    for user in (world.org.chair, world.org.auditor, world.org.k1):
        assert to_unit.sender_shown_to(user) != "Warga Klandasan", user
    anonymous = receive(world, privacy=Aspiration.Privacy.ANONYMOUS, name="Nama Asli")
    assert "Nama Asli" not in str(anonymous.sender_shown_to(world.org.registrar))


def test_search_finds_for_those_who_see_and_personal_data_only_for_the_desk(world, aspirations, search_engine):
    to_unit, secret, waiting = aspirations
    apply_pending()

    def found(user, text):
        result = search_engine.search(SearchQuery(text=text, principals=principals_of(user)))
        return {hit.id for hit in result.hits}

    secret_content = f"aspiration_rahasia:{secret.pk}"
    everything = {f"aspiration:{to_unit.pk}", f"aspiration:{waiting.pk}", secret_content}
    assert found(world.org.registrar, "drainase") == everything
    assert found(world.org.chair, "drainase") == everything
    assert found(world.org.auditor, "drainase") == everything - {secret_content}, "rahasia content: handlers only"
    assert found(world.org.auditor, secret.code) == {f"aspiration:{secret.pk}"}, "its existence: everyone who sees it"
    assert found(world.org.k1, "drainase") == {f"aspiration:{to_unit.pk}"}
    assert found(world.org.member, "drainase") == {secret_content}
    assert found(world.outsider, "drainase") == found(world.outsider, secret.code) == set()
    assert found(world.org.registrar, "081100000003") == {f"aspiration_sender:{waiting.pk}"}
    for user in (world.org.chair, world.org.auditor, world.org.k1, world.org.member):
        assert found(user, "081100000003") == set(), user


def test_the_auditors_evidence_bundle_of_a_rahasia_aspiration_carries_no_content(world, aspirations):
    import io
    import zipfile

    _to_unit, secret, _waiting = aspirations
    client = Client()
    assert client.login(username=world.org.auditor.username, password=PASSWORD)
    response = client.get(reverse("aspirations:evidence", args=[secret.pk]))
    assert response.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = bundle.namelist()
    assert set(names) == {"SHA256SUMS", "metadata.txt", "trail.pdf", "README.txt"}, "no file of the resident's"
    everything = b"".join(bundle.read(name) for name in names)
    assert b"pungutan" not in everything.lower() and b"081100000002" not in everything
