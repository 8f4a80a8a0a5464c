"""Reses through the API: the pages' rule on every endpoint, personal data only for the allowed side, the steps."""

import uuid

from api.testing import token_client
from workflows import inbox
from workflows.reses import services
from workflows.reses.flows import ResesFlow
from workflows.reses.models import Reses

from .support import complete_recording, record_item


def test_the_list_filters_by_period_year_and_status(council, reported):
    second = council.open(period=council.period2)
    client = token_client(council.member_user)
    body = client.get("/api/v1/reses/").json()
    assert body["count"] == 2
    assert [row["id"] for row in client.get("/api/v1/reses/", {"period": council.period1.pk}).json()["results"]] == [reported.pk]
    assert client.get("/api/v1/reses/", {"year": 2026}).json()["count"] == 2
    assert client.get("/api/v1/reses/", {"year": 2025}).json()["count"] == 0
    assert [row["id"] for row in client.get("/api/v1/reses/", {"status": "open"}).json()["results"]] == [second.pk]
    row = client.get("/api/v1/reses/", {"status": "reported"}).json()["results"][0]
    assert row["items_recorded"] == 2 and row["dapil"] == "Dapil Balikpapan 5" and row["period"]["number"] == 1
    assert row["links"]["report"].endswith(f"/reses/{reported.pk}/laporan.pdf")
    bad = client.get("/api/v1/reses/", {"status": "nope"})
    assert bad.status_code == 400


def test_the_detail_gives_items_with_names_only_to_the_allowed_side(council, reported):
    for user in (council.member_user, council.aide, council.verifier):
        body = token_client(user).get(f"/api/v1/reses/{reported.pk}/").json()
        names = {item["proposer_name"] for item in body["items"]}
        assert names == {"Suharti Syahrir", "Abdul Lamba"}, user
    for user in (council.chair, council.deputy, council.auditor, council.leader):
        body = token_client(user).get(f"/api/v1/reses/{reported.pk}/").json()
        assert len(body["items"]) == 2
        assert all(item["proposer_name"] is None and item["proposer_phone"] is None for item in body["items"]), user
        assert {item["proposer_group"] for item in body["items"]} == {"Ketua RT 12"}
        items = token_client(user).get(f"/api/v1/reses/{reported.pk}/items/").json()["results"]
        assert all(item["proposer_name"] is None for item in items)
    item = token_client(council.verifier).get(f"/api/v1/reses/{reported.pk}/items/").json()["results"][0]
    assert item["kecamatan"] == "Balikpapan Kota" and item["kamus"]["urusan"] and item["opd"]["name"]
    assert item["url"].endswith(f"#usulan-{item['id']}")


def test_outsiders_get_404_on_every_endpoint(council, reported):
    for user in (council.other_aide, council.other_user, council.org.k1, council.registrar):
        client = token_client(user)
        for url in (f"/api/v1/reses/{reported.pk}/", f"/api/v1/reses/{reported.pk}/items/",
                    f"/api/v1/reses/{reported.pk}/files/"):
            assert client.get(url).status_code == 404, (user, url)
        assert client.get("/api/v1/reses/").json()["count"] == 0
    assert token_client(council.other_aide).get(f"/api/v1/documents/{reported.report().pk}/").status_code == 404


def test_drafts_are_listed_for_the_members_side_only(council):
    reses = council.open()
    services.save_item(reses, client_key=uuid.uuid4(), data={"problem": "draf"}, user=council.aide)
    assert len(token_client(council.aide).get(f"/api/v1/reses/{reses.pk}/").json()["items"]) == 1
    assert token_client(council.chair).get(f"/api/v1/reses/{reses.pk}/").json()["items"] == []


def test_the_member_closes_and_submits_through_the_task_actions(council):
    reses = council.open()
    record_item(council, reses)
    complete_recording(council, reses)
    member = token_client(council.member_user)
    task = inbox.open_task(reses, ResesFlow.record)
    assert token_client(council.aide).post(f"/api/v1/tasks/{task.pk}/actions/finish/", {}, format="json").status_code == 404
    answer = member.post(f"/api/v1/tasks/{task.pk}/actions/finish/", {}, format="json")
    assert answer.status_code == 200, answer.content
    submit = inbox.open_task(reses, ResesFlow.submit)
    answer = member.post(f"/api/v1/tasks/{submit.pk}/actions/submit/", {"summary": "Lewat API"}, format="json")
    assert answer.status_code == 200, answer.content
    assert Reses.objects.get().status == Reses.Status.REPORTED
    acknowledge = inbox.open_task(reses, ResesFlow.acknowledge)
    answer = token_client(council.chair).post(f"/api/v1/tasks/{acknowledge.pk}/actions/acknowledge/", {}, format="json")
    assert answer.status_code == 200 and Reses.objects.get().status == Reses.Status.ACKNOWLEDGED


def test_closing_too_early_through_the_api_gives_the_pages_messages(council):
    reses = council.open()
    task = inbox.open_task(reses, ResesFlow.record)
    answer = token_client(council.member_user).post(f"/api/v1/tasks/{task.pk}/actions/finish/", {}, format="json")
    assert answer.status_code == 400
    assert "Belum ada usulan warga yang dicatat." in answer.content.decode()
    assert Reses.objects.get().status == Reses.Status.OPEN
