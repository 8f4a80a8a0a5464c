"""Meetings through the API: a closed meeting stays with its circle on every endpoint."""

import pytest
from rest_framework.test import APIClient

from api.testing import token_client
from documents.services import add_document
from documents.validation import PDF
from tests.support import pdf_upload
from workflows import inbox
from workflows.minutes import services
from workflows.minutes.flows import MinutesFlow
from workflows.minutes.models import RISALAH, Meeting, TranscriptLine


@pytest.fixture
def with_minutes(notulis, wav_upload):
    """Give a meeting a recording, three transcript lines (one corrected) and a printed risalah."""

    def _with_minutes(meeting):
        recording = services.add_recording(meeting, file=wav_upload(), media_type="audio/x-wav", user=notulis)
        for position, text in enumerate(["Rapat dibuka", "Pembahasan drainase Sepinggan", "Rapat ditutup"], start=1):
            TranscriptLine.objects.create(
                meeting=meeting, recording=recording, position=position, start=position * 2.0, end=position * 2.0 + 1.5,
                machine_text=text.lower(), text=text,
            )
        add_document(meeting, role=RISALAH, file=pdf_upload("risalah.pdf"), media_type=PDF, user=notulis, extract_text=False)
        return meeting

    return _with_minutes


@pytest.fixture
def closed(meeting, with_minutes):
    return with_minutes(meeting(closed=True))


def meeting_urls(meeting):
    risalah = meeting.documents(RISALAH).get()
    return [
        f"/api/v1/meetings/{meeting.pk}/",
        f"/api/v1/meetings/{meeting.pk}/transcript/",
        f"/api/v1/meetings/{meeting.pk}/printouts/",
        f"/api/v1/documents/{risalah.pk}/",
        f"/api/v1/documents/{risalah.pk}/versions/1/download/",
    ]


@pytest.mark.parametrize("who", ["member", "k2", "notulis", "auditor", "chair"])
def test_the_circle_of_a_closed_meeting_reaches_every_endpoint(org, notulis, closed, who):
    client = token_client(notulis if who == "notulis" else getattr(org, who))
    for url in meeting_urls(closed):
        assert client.get(url).status_code == 200, (who, url)
    listing = client.get("/api/v1/meetings/").json()
    assert listing["count"] == 1 and listing["results"][0]["title"] == closed.title


@pytest.mark.parametrize("who", ["k1_staff", "k1", "registrar", "deputy"])
def test_people_outside_a_closed_meeting_reach_no_endpoint(org, closed, who):
    client = token_client(getattr(org, who))
    for url in meeting_urls(closed):
        assert client.get(url).status_code == 404, (who, url)
    assert client.get("/api/v1/meetings/").json()["count"] == 0


def test_an_open_meeting_is_for_everyone_once_published(org, meeting, with_minutes):
    open_meeting = with_minutes(meeting(closed=False))
    outsider = token_client(org.k1_staff)
    assert outsider.get(f"/api/v1/meetings/{open_meeting.pk}/").status_code == 404, "drafts stay with the participants"
    Meeting.objects.filter(pk=open_meeting.pk).update(status=Meeting.Status.PUBLISHED)
    for url in meeting_urls(open_meeting):
        assert outsider.get(url).status_code == 200, url


def test_the_meeting_its_transcript_and_printouts(org, closed):
    client = token_client(org.member)
    detail = client.get(f"/api/v1/meetings/{closed.pk}/").json()
    assert detail["is_closed"] is True and detail["kind"] == "komisi" and detail["chair"] == "Komisi2"
    assert [item["title"] for item in detail["agenda"]] == ["Pembukaan", "Pembahasan anggaran drainase"]
    assert {person["name"] for person in detail["participants"]} >= {"Member", "Kepala Dinas PU"}
    page = client.get(detail["links"]["transcript"], {"page_size": 2}).json()
    assert page["count"] == 3 and [line["text"] for line in page["results"]] == ["Rapat dibuka", "Pembahasan drainase Sepinggan"]
    assert page["results"][0]["corrected"] is True and page["results"][0]["url"].endswith("t=2#pemutar")
    assert client.get(page["next"]).json()["results"][0]["text"] == "Rapat ditutup"
    [risalah] = client.get(detail["links"]["printouts"]).json()
    assert risalah["role"] == "risalah" and risalah["role_label"] == "Risalah rapat"
    assert risalah["versions"][0]["media_type"] == "application/pdf"
    assert client.get(risalah["versions"][0]["download_url"]).status_code == 200
    assert client.get("/api/v1/meetings/", {"status": "terjadwal", "kind": "komisi"}).json()["count"] == 1
    assert client.get("/api/v1/meetings/", {"status": "terbit"}).json()["count"] == 0


def test_the_notulis_step_is_the_notulis_alone_and_the_service_refusal_is_a_403(org, notulis, meeting):
    scheduled = meeting(closed=True)
    task = inbox.open_task(scheduled, MinutesFlow.record)
    own = token_client(notulis)
    assert [row["id"] for row in own.get("/api/v1/tasks/inbox/").json()["results"]] == [task.pk]
    [start] = own.get(f"/api/v1/tasks/{task.pk}/actions/").json()
    assert start["name"] == "start" and start["fields"] == []
    refused = own.post(start["url"], {}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Unggah sedikitnya satu rekaman sebelum transkripsi dimulai."
    for user in (org.k2, org.member, org.registrar):
        other = token_client(user)
        assert other.get(f"/api/v1/tasks/{task.pk}/").status_code == 404
        assert other.post(start["url"], {}, format="json").status_code == 404


def test_anonymous_callers_reach_no_meeting(org, closed):
    client = APIClient()
    for url in meeting_urls(closed) + ["/api/v1/meetings/"]:
        assert client.get(url).status_code == 401, url
