"""Who sees which pokir, by every page, file, export, search hit and API endpoint; each rule with the refused user."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.testing import token_client
from project.audit.models import AuditEvent
from project.org.services import create_delegation
from search.indexing import apply_pending
from search.port import SearchQuery
from search.registry import principals_of
from workflows.pokir import services
from workflows.pokir.flows import PokirFlow
from workflows.pokir.models import Pokir

from .conftest import client_for


@pytest.fixture
def pokirs(world, make_pokir):
    """The member's pokir (fraksi Golkar, dapil 5) and another member's (fraksi PKS, dapil 1)."""
    mine = make_pokir(title="Pembangunan drainase Jl. Mawar")
    services.submit(mine, user=world.member_user)
    theirs = make_pokir(member=world.other, kelurahan=world.sepinggan, title="Perbaikan jalan Sepinggan", kamus=world.pju,
                        opd=world.perkim, unit="titik")
    services.submit(theirs, user=world.other_user)
    return mine, theirs


def pokir_urls(pokir):
    urls = [reverse("pokir:detail", args=[pokir.pk]), reverse("pokir:trail_csv", args=[pokir.pk])]
    for document in pokir.photos():
        urls.append(reverse("pokir:photo", args=[pokir.pk, document.pk]))
        urls.append(reverse("documents:detail", args=[document.pk]))
        urls.append(reverse("documents:download", args=[document.pk, 1]))
    return urls


SEES_ALL = ["verifier", "auditor", "chair", "deputy"]


def user(world, who):
    return {"verifier": world.verifier, "auditor": world.org.auditor, "chair": world.org.chair, "deputy": world.org.deputy,
            "member": world.member_user, "staff": world.staff, "leader": world.leader, "other": world.other_user,
            "other_staff": world.other_staff, "pks_leader": world.pks_leader, "registrar": world.org.registrar,
            "komisi1": world.org.k1}[who]


@pytest.mark.parametrize("who,sees", [
    ("verifier", "both"), ("auditor", "both"), ("chair", "both"), ("deputy", "both"),
    ("member", "mine"), ("staff", "mine"), ("leader", "mine"),
    ("other", "theirs"), ("other_staff", "theirs"), ("pks_leader", "theirs"),
    ("registrar", "none"), ("komisi1", "none"),
])
def test_the_rule_by_every_url(world, pokirs, who, sees):
    mine, theirs = pokirs
    expected = {"both": {mine, theirs}, "mine": {mine}, "theirs": {theirs}, "none": set()}[sees]
    person = user(world, who)
    assert set(Pokir.objects.visible_to(person)) == expected
    client = client_for(person)
    for pokir in (mine, theirs):
        for url in pokir_urls(pokir):
            assert client.get(url).status_code == (200 if pokir in expected else 404), (who, url)
    listing = client.get(reverse("pokir:list")).content.decode()
    for pokir in (mine, theirs):
        assert (pokir.get_absolute_url() in listing) == (pokir in expected), who


def test_the_acting_chair_sees_all_during_the_delegation_only(world, pokirs):
    mine, theirs = pokirs
    outsider = world.org.k1
    assert not Pokir.objects.visible_to(outsider).exists()
    now = timezone.now()
    create_delegation(position=world.org.chair_position, delegate=outsider, starts_at=now - datetime.timedelta(hours=1),
                      ends_at=now + datetime.timedelta(days=1))
    assert set(Pokir.objects.visible_to(outsider)) == {mine, theirs}


def test_a_member_reading_another_members_pokir_gets_404(world, pokirs):
    _mine, theirs = pokirs
    client = client_for(world.member_user)
    for url in pokir_urls(theirs) + [reverse("pokir:edit", args=[theirs.pk])]:
        assert client.get(url).status_code == 404, url
    for name in ("submit", "discard", "add_photos", "realisation"):
        assert client.post(reverse(f"pokir:{name}", args=[theirs.pk])).status_code == 404, name
    assert token_client(world.member_user).get(f"/api/v1/pokir/{theirs.pk}/").status_code == 404


def test_those_who_see_but_do_not_draft_cannot_edit(world, pokirs):
    mine, _theirs = pokirs
    for person in (world.verifier, world.leader, world.org.chair):
        assert client_for(person).get(reverse("pokir:edit", args=[mine.pk])).status_code == 403
        client_for(person).post(reverse("pokir:submit", args=[mine.pk]))
    assert Pokir.objects.get(pk=mine.pk).title == "Pembangunan drainase Jl. Mawar"


def test_the_evidence_bundle_is_for_auditors(world, pokirs):
    mine, _theirs = pokirs
    url = reverse("pokir:evidence", args=[mine.pk])
    assert client_for(world.org.auditor).get(url).status_code == 200
    for person in (world.member_user, world.verifier, world.org.chair):
        assert client_for(person).get(url).status_code == 403


def test_a_photo_download_is_recorded_in_the_pokirs_trail(world, pokirs):
    mine, _theirs = pokirs
    document = mine.photos().get()
    response = client_for(world.verifier).get(reverse("pokir:photo", args=[mine.pk, document.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.for_object(mine).filter(action="file.downloaded").get()
    assert event.user == world.verifier and event.detail["document"] == document.pk


def test_a_reses_item_photo_is_reached_through_the_pokir_only_by_its_viewers(world, reses_items):
    pokir = services.create_draft(member=world.member, year=world.year, user=world.member_user, items=[reses_items.first])
    document = pokir.photos().get()
    url = reverse("pokir:photo", args=[pokir.pk, document.pk])
    assert client_for(world.leader).get(url).status_code == 200
    assert client_for(world.other_user).get(url).status_code == 404
    other = services.create_draft(member=world.other, year=world.year, user=world.other_user, title="Lain")
    assert client_for(world.other_user).get(reverse("pokir:photo", args=[other.pk, document.pk])).status_code == 404


def test_anonymous_people_are_sent_to_login_except_for_the_public_recap(world, pokirs):
    mine, _theirs = pokirs
    client = Client()
    for url in pokir_urls(mine) + [reverse(f"pokir:{name}") for name in ("list", "create", "dashboard", "years", "export", "recap")]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url
    assert client.get(reverse("pokir:public")).status_code == 200


def test_the_calendar_is_kept_by_verifiers(world):
    for person in (world.member_user, world.org.chair, world.org.auditor):
        assert client_for(person).get(reverse("pokir:years")).status_code == 403
    client = client_for(world.verifier)
    assert client.get(reverse("pokir:years")).status_code == 200
    response = client.post(reverse("pokir:years"), {"year": world.year.year + 1, "deadline": "2028-03-31",
                                                    "ceiling_per_member": "1500000000", "reminder_working_days": "7"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="pokir_year.saved", user=world.verifier).exists()


def test_the_public_page_shows_only_final_pokir_and_no_personal_data(world, make_pokir, flow, pokirs):
    final = flow.to_final(make_pokir(title="Penerangan jalan umum Gg. Kenanga", address="Rumah Pak Budi No. 7",
                                     kamus=world.pju, opd=world.perkim, unit="titik"))
    page = Client().get(reverse("pokir:public")).content.decode()
    assert "Penerangan jalan umum Gg. Kenanga" in page and "Klandasan Ilir" in page and "Dinas Perumahan dan Permukiman" in page
    for hidden in ("Pembangunan drainase Jl. Mawar", "Perbaikan jalan Sepinggan"):
        assert hidden not in page, "only final and exported pokir"
    for personal in ("Rumah Pak Budi", "Member", "Siti", "005", world.member_user.username, final.number,
                     f"/pokir/{final.pk}/"):
        assert personal not in page, personal
    filtered = Client().get(reverse("pokir:public"), {"tahun": world.year.year, "dapil": "bpp-1"}).content.decode()
    assert "Penerangan jalan umum" not in filtered
    probing = Client().get(reverse("pokir:public"), {"tahun": "1999", "dapil": "<script>"})
    assert probing.status_code == 200 and "<script>" not in probing.content.decode()


def test_search_finds_a_pokir_for_those_who_see_it_on_both_engines(world, pokirs, search_engine):
    mine, theirs = pokirs
    apply_pending()
    for person, expected in ((world.member_user, {mine}), (world.staff, {mine}), (world.leader, {mine}),
                             (world.other_user, {theirs}), (world.verifier, {mine, theirs}), (world.org.auditor, {mine, theirs}),
                             (world.org.chair, {mine, theirs}), (world.org.deputy, {mine, theirs}), (world.org.registrar, set())):
        result = search_engine.search(SearchQuery(text="saluran meluap", principals=principals_of(person)))
        assert {hit.id for hit in result.hits} == {f"pokir:{pokir.pk}" for pokir in expected}, person
        assert result.total == len(expected), person
    result = search_engine.search(SearchQuery(text="drainase", principals=principals_of(world.verifier), filters={"kind": ["pokir"]}))
    assert [hit.id for hit in result.hits] == [f"pokir:{mine.pk}"]
    assert dict(result.facets["dapil"]) == {"Dapil Balikpapan 5": 1}
    assert dict(result.facets["kecamatan"]) == {"Balikpapan Kota": 1}
    assert dict(result.facets["opd"]) == {"Dinas Pekerjaan Umum": 1}
    assert dict(result.facets["status"]) == {"diajukan": 1} and dict(result.facets["year"]) == {str(world.year.year): 1}
    assert search_engine.search(SearchQuery(text="drainase", principals=principals_of(world.other_user))).total == 0
    page = client_for(world.verifier).get("/cari/", {"q": "drainase"}).content.decode()
    assert "Kecamatan" in page and "Dapil" in page, "the declared facet titles show on the search page"


def test_a_new_staff_member_finds_the_members_pokir_after_reindexing(world, pokirs, search_engine):
    from tests.support import make_user

    mine, _theirs = pokirs
    apply_pending()
    aide = make_user("staf.baru")
    assert search_engine.search(SearchQuery(text="drainase", principals=principals_of(aide))).total == 0
    world.member.staff.add(aide)
    apply_pending()
    hits = search_engine.search(SearchQuery(text="drainase", principals=principals_of(aide))).hits
    assert [hit.id for hit in hits] == [f"pokir:{mine.pk}"]


def test_the_api_lists_and_shows_only_visible_pokir_with_the_checklist_for_verifiers(world, pokirs):
    mine, theirs = pokirs
    member = token_client(world.member_user)
    listing = member.get("/api/v1/pokir/").json()
    assert [row["id"] for row in listing["results"]] == [mine.pk]
    detail = member.get(f"/api/v1/pokir/{mine.pk}/").json()
    assert detail["checklist"] is None and detail["number"] == mine.number and detail["dapil"] == "bpp-5"
    assert member.get(f"/api/v1/pokir/{mine.pk}/trail/").status_code == 200
    assert member.get(f"/api/v1/pokir/{theirs.pk}/trail/").status_code == 404

    verifier = token_client(world.verifier)
    assert {row["id"] for row in verifier.get("/api/v1/pokir/").json()["results"]} == {mine.pk, theirs.pk}
    assert [row["id"] for row in verifier.get("/api/v1/pokir/", {"dapil": "bpp-1"}).json()["results"]] == [theirs.pk]
    assert verifier.get("/api/v1/pokir/", {"status": "final"}).json()["count"] == 0
    assert verifier.get("/api/v1/pokir/", {"year": world.year.year}).json()["count"] == 2
    assert verifier.get("/api/v1/pokir/", {"status": "bukan-status"}).status_code == 400
    checks = verifier.get(f"/api/v1/pokir/{theirs.pk}/").json()["checklist"]
    assert [check["code"] for check in checks][:3] == ["address", "boundaries", "photo"]
    assert all(check["passed"] for check in checks)
    assert token_client(world.org.registrar).get("/api/v1/pokir/").json()["count"] == 0
    assert Client().get("/api/v1/pokir/").status_code in (401, 403)


def test_the_verifier_steps_through_the_generic_task_actions(world, make_pokir):
    pokir = make_pokir(boundaries="")
    services.submit(pokir, user=world.member_user)
    task = pokir.process.task_set.get(flow_task=PokirFlow.verify)
    member = token_client(world.member_user)
    assert member.get(f"/api/v1/tasks/{task.pk}/").status_code == 404
    assert member.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 404
    verifier = token_client(world.verifier)
    actions = verifier.get(f"/api/v1/tasks/{task.pk}/actions/").json()
    assert [action["name"] for action in actions] == ["verify", "return", "reject"]
    assert {"override_boundaries", "reason_boundaries"} <= {field["name"] for field in actions[0]["fields"]}
    assert verifier.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 200
    skipped = verifier.post(f"/api/v1/tasks/{task.pk}/actions/verify/", {"note": "ok"}, format="json")
    assert skipped.status_code == 400 and "override_boundaries" in skipped.json()["errors"]
    returned = verifier.post(f"/api/v1/tasks/{task.pk}/actions/return/", {"note_boundaries": "Isi letak batas."}, format="json")
    assert returned.status_code == 200, returned.json()
    assert Pokir.objects.get(pk=pokir.pk).return_notes == {"boundaries": "Isi letak batas."}
