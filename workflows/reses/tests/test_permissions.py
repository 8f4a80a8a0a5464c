"""Who sees which reses, and who sees residents' names: pages, files, report, trail, evidence and search."""

import io
import zipfile

import pytest

from search.indexing import apply_pending
from search.port import SearchQuery
from search.registry import principals_of
from workflows.reses.models import PHOTO, Reses, ResesItem

from .support import login, photo_upload

SEES_MEMBERS = ["member_user", "aide", "verifier", "auditor", "chair", "deputy", "leader"]
NOT_MEMBERS = ["other_user", "other_aide", "k1", "registrar"]
PERSONAL = ["member_user", "aide", "verifier"]
NOT_PERSONAL = ["auditor", "chair", "deputy", "leader"]


def person(council, name):
    return council.org.k1 if name == "k1" else getattr(council, name)


def urls_of(reses):
    return [
        reses.get_absolute_url(), f"/reses/{reses.pk}/laporan.pdf", f"/reses/{reses.pk}/jejak.csv",
        f"/api/v1/reses/{reses.pk}/", f"/api/v1/reses/{reses.pk}/items/", f"/api/v1/reses/{reses.pk}/files/",
        f"/dokumen/{reses.report().pk}/", f"/dokumen/{reses.report().pk}/v1/",
    ]


@pytest.mark.parametrize("who", SEES_MEMBERS)
def test_the_members_circle_reaches_the_reses_by_every_url(council, reported, who):
    client = login(person(council, who))
    for url in urls_of(reported):
        assert client.get(url).status_code == 200, (who, url)
    assert str(council.member) in client.get("/reses/").content.decode()


@pytest.mark.parametrize("who", NOT_MEMBERS)
def test_everyone_else_gets_404_by_every_url(council, reported, who):
    client = login(person(council, who))
    for url in urls_of(reported) + [f"/reses/{reported.pk}/ubah/", f"/reses/usulan/{reported.items.first().pk}/"]:
        assert client.get(url).status_code == 404, (who, url)
    assert reported.get_absolute_url() not in client.get("/reses/").content.decode()
    assert Reses.objects.visible_to(person(council, who)).count() == 0


def test_a_fraksi_leader_sees_the_fraksis_members_only(council, reported):
    theirs = council.open(member=council.other)
    leader = login(council.leader)
    assert leader.get(reported.get_absolute_url()).status_code == 200
    assert leader.get(theirs.get_absolute_url()).status_code == 404
    assert set(Reses.objects.visible_to(council.leader)) == {reported}
    assert set(Reses.objects.visible_to(council.chair)) == {reported, theirs}


@pytest.mark.parametrize("who", PERSONAL)
def test_residents_names_reach_the_members_side_and_verifiers(council, reported, who):
    client = login(person(council, who))
    page = client.get(reported.get_absolute_url()).content.decode()
    assert "Suharti Syahrir" in page and "0812-5555-1234" in page
    assert b"0812-5555-1234" in client.get(f"/api/v1/reses/{reported.pk}/").content
    sheet = reported.attendance_sheet()
    assert client.get(f"/dokumen/{sheet.pk}/v1/").status_code == 200
    from tests.support import pdf_text

    assert "Suharti Syahrir" in " ".join(pdf_text(client.get(f"/reses/{reported.pk}/laporan.pdf").content).split())


@pytest.mark.parametrize("who", NOT_PERSONAL)
def test_residents_names_are_hidden_from_pimpinan_fraksi_leaders_and_auditors(council, reported, who):
    client = login(person(council, who))
    page = client.get(reported.get_absolute_url()).content.decode()
    assert "Pembangunan drainase beton sepanjang 120 meter" in page
    assert "Suharti" not in page and "0812-5555" not in page and "Abdul Lamba" not in page
    for url in (f"/api/v1/reses/{reported.pk}/", f"/api/v1/reses/{reported.pk}/items/", f"/reses/{reported.pk}/jejak.csv"):
        body = client.get(url).content
        assert b"Suharti" not in body and b"0812-5555" not in body, url
    from tests.support import pdf_text

    text = pdf_text(client.get(f"/reses/{reported.pk}/laporan.pdf").content)
    assert "Pemasangan 8 titik lampu" in text and "Suharti" not in text and "0812" not in text
    sheet = reported.attendance_sheet()
    assert client.get(f"/dokumen/{sheet.pk}/v1/").status_code == 404, "the attendance sheet lists residents by name"
    assert client.get(f"/dokumen/{sheet.pk}/").status_code == 404
    files = client.get(f"/api/v1/reses/{reported.pk}/files/").json()
    assert sheet.pk not in [document["id"] for document in files]


def test_auditors_export_evidence_without_personal_data(council, reported):
    answer = login(council.auditor).get(f"/reses/{reported.pk}/bukti.zip")
    assert answer.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(b"".join(answer.streaming_content)))
    contents = b"".join(bundle.read(name) for name in bundle.namelist())
    assert b"Suharti" not in contents and b"0812-5555" not in contents
    assert login(council.chair).get(f"/reses/{reported.pk}/bukti.zip").status_code == 403


def test_drafts_stay_with_the_members_side(council):
    import uuid

    from workflows.reses import services

    reses = council.open()
    draft, _ = services.save_item(reses, client_key=uuid.uuid4(), data={"problem": "Draf rahasia", "request": "Belum final"},
                                  user=council.aide, photos=[])
    assert "Belum final" in login(council.aide).get(reses.get_absolute_url()).content.decode()
    for user in (council.chair, council.verifier, council.auditor, council.leader):
        assert "Belum final" not in login(user).get(reses.get_absolute_url()).content.decode()
        assert not ResesItem.objects.visible_to(user).filter(pk=draft.pk).exists()


def test_search_finds_requests_by_the_same_rule_and_never_by_residents_names(council, reported, search_engine):
    theirs = council.open(member=council.other)
    from .support import record_item

    record_item(council, theirs, user=council.other_aide, kelurahan=council.selatan[0], request="Perbaikan drainase Sepinggan",
                proposer_name="Hamidah Tarigan")
    apply_pending()

    def hits(user, text="drainase", **filters):
        result = search_engine.search(SearchQuery(text=text, principals=principals_of(user), filters=filters))
        return {hit.id for hit in result.hits}, result

    mine = {f"reses:{item.pk}" for item in reported.items.filter(request__icontains="drainase")}
    other = {f"reses:{item.pk}" for item in theirs.items.all()}
    for name in SEES_MEMBERS:
        found, _result = hits(person(council, name))
        assert mine <= found, name
        assert bool(other & found) == (name in ("verifier", "auditor", "chair", "deputy")), name
    for name in ("other_user", "other_aide"):
        assert hits(person(council, name))[0] == other
    for name in ("k1", "registrar"):
        assert hits(person(council, name))[0] == set()
    for name in PERSONAL + NOT_PERSONAL:
        assert hits(person(council, name), text="Suharti")[0] == set(), "names are never indexed"
        assert hits(person(council, name), text="0812")[0] == set()
    found, result = hits(council.verifier)
    facets = {name: dict(values) for name, values in result.facets.items()}
    assert facets["dapil"] == {"Dapil Balikpapan 5": 1, "Dapil Balikpapan 1": 1}
    assert facets["kecamatan"] == {"Balikpapan Kota": 1, "Balikpapan Selatan": 1}
    assert facets["opd"] == {"Dinas Pekerjaan Umum": 2}
    assert facets["year"] == {"2026": 2} and facets["status"] == {"reported": 1, "open": 1}
    only_kota, _result = hits(council.verifier, kecamatan=["Balikpapan Kota"])
    assert only_kota == mine
    hit = next(hit for hit in result.hits if hit.id in mine)
    assert hit.url.startswith(reported.get_absolute_url() + "#usulan-")


def test_search_follows_a_change_of_staff_and_of_fraksi_leader(council, reported, search_engine):
    apply_pending()

    def found(user):
        return search_engine.search(SearchQuery(text="drainase", principals=principals_of(user))).total

    assert found(council.aide) == 1 and found(council.leader) == 1
    council.member.staff.remove(council.aide)
    council.fraksi_a.leader = None
    council.fraksi_a.save()
    apply_pending()
    assert found(council.aide) == 0 and found(council.leader) == 0
    council.member.staff.add(council.aide)
    apply_pending()
    assert found(council.aide) == 1


def test_search_page_shows_the_facets_with_their_titles(council, reported):
    apply_pending()
    page = login(council.verifier).get("/cari/", {"q": "drainase"}).content.decode()
    assert "Usulan reses" in page and "Kecamatan" in page and "OPD" in page and "Dapil" in page
    assert reported.get_absolute_url() in page


def test_photos_of_a_reses_are_for_its_circle(council):
    reses = council.open()
    from .support import token_of

    client = login(council.aide)
    client.post(f"/reses/{reses.pk}/foto/", {"photos": photo_upload(), "submission_token": token_of(
        client.get(reses.get_absolute_url()).content.decode())})
    document = reses.documents(PHOTO).get()
    assert login(council.leader).get(f"/reses/foto/{document.pk}/").status_code == 200
    assert login(council.other_aide).get(f"/reses/foto/{document.pk}/").status_code == 404
    assert login(council.other_aide).post(f"/reses/{reses.pk}/foto/", {}).status_code == 404
    assert login(council.leader).post(f"/reses/{reses.pk}/foto/", {}).status_code == 403
