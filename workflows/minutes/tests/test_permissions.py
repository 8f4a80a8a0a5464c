"""Who sees a meeting: pages, recordings, printouts, transcript edits and search, refused users included."""

import pytest
from django.test import Client

from search import indexing
from search.port import SearchQuery
from search.registry import principals_of
from tests.support import PASSWORD
from workflows.minutes.models import Meeting


def client_of(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def urls(meeting):
    recording = meeting.recordings.first()
    line = meeting.lines.first()
    return [
        meeting.get_absolute_url(),
        f"/rapat/{meeting.pk}/draf/risalah.pdf",
        f"/rapat/rekaman/{recording.pk}/audio",
        f"/dokumen/{recording.document_id}/v1/",
        f"/dokumen/{recording.document_id}/",
    ], line


@pytest.fixture
def closed(meeting, transcribed):
    meeting = meeting(closed=True)
    transcribed(meeting)
    return meeting


@pytest.mark.parametrize("who", ["member", "k2", "notulis", "auditor", "chair"])
def test_the_circle_of_a_closed_meeting_reaches_everything(org, notulis, closed, who):
    user = notulis if who == "notulis" else getattr(org, who)
    client = client_of(user)
    pages, _line = urls(closed)
    for url in pages:
        assert client.get(url).status_code == 200, (who, url)


@pytest.mark.parametrize("who", ["k1_staff", "k1", "registrar", "deputy"])
def test_people_outside_a_closed_meeting_reach_nothing(org, closed, who):
    client = client_of(getattr(org, who))
    pages, line = urls(closed)
    for url in pages:
        assert client.get(url).status_code == 404, (who, url)
    assert client.post(f"/rapat/baris/{line.pk}/", {"text": "diubah"}).status_code == 404
    assert client.post(f"/rapat/rekaman/{closed.recordings.get().pk}/ulangi/").status_code == 404
    assert closed.title not in client.get("/rapat/").content.decode()
    line.refresh_from_db()
    assert line.text != "diubah"


def test_the_audio_player_can_seek(org, closed):
    recording = closed.recordings.get()
    response = client_of(org.member).get(f"/rapat/rekaman/{recording.pk}/audio", HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"].startswith("bytes 100-199/")
    assert len(b"".join(response.streaming_content)) == 100
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")


def test_an_open_meeting_is_for_everyone_once_published(org, meeting, transcribed):
    open_meeting = meeting(closed=False)
    transcribed(open_meeting)
    outsider = client_of(org.k1_staff)
    assert outsider.get(open_meeting.get_absolute_url()).status_code == 404, "drafts stay with the participants"
    Meeting.objects.filter(pk=open_meeting.pk).update(status=Meeting.Status.PUBLISHED)
    assert outsider.get(open_meeting.get_absolute_url()).status_code == 200


def test_only_the_notulis_during_correction_edits_lines(org, notulis, closed):
    line = closed.lines.get()
    for user in (org.member, org.k2, org.auditor):
        response = client_of(user).post(f"/rapat/baris/{line.pk}/", {"text": "diubah"}, HTTP_ACCEPT="application/json")
        assert response.status_code == 403, user
    response = client_of(notulis).post(f"/rapat/baris/{line.pk}/", {"text": "diubah"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    line.refresh_from_db()
    assert line.text == "diubah"


def test_participants_who_do_not_run_the_meeting_cannot_upload_or_retry(org, closed, wav_upload):
    member = client_of(org.member)
    assert member.post(f"/rapat/{closed.pk}/rekaman/", {"audio": wav_upload()}).status_code == 403
    assert member.post(f"/rapat/rekaman/{closed.recordings.get().pk}/ulangi/").status_code == 403
    assert member.get(f"/rapat/{closed.pk}/kehadiran/").status_code == 403
    assert closed.recordings.count() == 1


def hits(user, text):
    indexing.apply_pending()
    result = indexing.backend().search(SearchQuery(text=text, principals=principals_of(user)))
    return result


def test_search_finds_a_closed_meeting_line_only_for_its_circle(org, notulis, closed, search_engine):
    line = closed.lines.get()
    for user in (org.member, org.k2, notulis, org.auditor, org.chair):
        result = hits(user, "sepinggan")
        assert [hit.id for hit in result.hits] == [f"transcript:{line.pk}"], user
        assert result.hits[0].url == f"/rapat/{closed.pk}/?rekaman={line.recording_id}&t={int(line.start)}#pemutar"
    for user in (org.k1_staff, org.registrar, org.k1):
        result = hits(user, "sepinggan")
        assert result.total == 0 and not result.hits and not any(result.facets.values()), user


def test_search_follows_the_list_of_participants(org, meeting, transcribed, search_engine):
    from tests.support import make_user
    from workflows.minutes.models import Participant

    meeting = meeting(closed=True)
    transcribed(meeting)
    latecomer = make_user("latecomer")
    assert hits(latecomer, "sepinggan").total == 0
    invited = Participant.objects.create(meeting=meeting, user=latecomer, name="Latecomer", role="Anggota")
    assert hits(latecomer, "sepinggan").total == 1
    invited.delete()
    assert hits(latecomer, "sepinggan").total == 0


def test_recording_attendance_reindexes_nothing_but_a_new_participant_reindexes_each_line_once(org, meeting, transcribed):
    from search.models import IndexOperation
    from tests.support import make_user
    from workflows.minutes import services
    from workflows.minutes.models import Participant

    meeting = meeting(closed=True)
    transcribed(meeting)
    before = IndexOperation.objects.count()
    services.update_attendance(meeting, {p.pk: "hadir" for p in meeting.participants.all()}, user=org.registrar)
    assert IndexOperation.objects.count() == before
    Participant.objects.create(meeting=meeting, user=make_user("tamu"), name="Tamu")
    assert IndexOperation.objects.count() == before + meeting.lines.count()
