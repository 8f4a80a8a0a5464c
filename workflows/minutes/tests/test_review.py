"""Minutes go out numbered, and not with lines nobody examined unless someone says so."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from api.testing import token_client
from workflows.minutes import services
from workflows.minutes.flows import MinutesFlow
from workflows.minutes.models import Meeting, TranscriptLine

from .conftest import token_form
from .test_flow import task_of


@pytest.fixture
def lines(notulis, wav_upload):
    """Give a meeting three machine lines, none reviewed, none with a speaker."""

    def _lines(meeting):
        recording = services.add_recording(meeting, file=wav_upload(), media_type="audio/x-wav", user=notulis)
        return [
            TranscriptLine.objects.create(
                meeting=meeting, recording=recording, position=position, start=position * 2.0,
                end=position * 2.0 + 1.5, machine_text=text, text=text,
            )
            for position, text in enumerate(["rapat dibuka", "drainase sepinggan", "rapat ditutup"], start=1)
        ]

    return _lines


def approve(meeting, chair):
    services.decide(meeting, approve=True, note="", user=chair, confirm=True)
    meeting.refresh_from_db()
    return meeting.document_number


def test_approved_minutes_are_numbered_in_turn_per_kind_and_year(org, meeting):
    first, second, paripurna, waiting = meeting(), meeting(), meeting(kind="paripurna"), meeting()
    year = first.date.year
    assert approve(first, org.k2) == f"RIS/KOM/0001/DPRD/{year}"
    assert approve(second, org.k2) == f"RIS/KOM/0002/DPRD/{year}"
    assert approve(paripurna, org.k2) == f"RIS/PRP/0001/DPRD/{year}"
    waiting.refresh_from_db()
    assert waiting.document_number == ""


def test_minutes_returned_and_approved_again_keep_their_number(org, meeting):
    first, second = meeting(), meeting()
    number = approve(first, org.k2)
    first.status = Meeting.Status.APPROVING  # as if reopened: a second approval must not take a new number
    first.save()
    assert approve(first, org.k2) == number
    assert approve(second, org.k2).startswith("RIS/KOM/0002/")


def test_two_meetings_cannot_share_a_number(org, meeting):
    first, second = meeting(), meeting()
    Meeting.objects.filter(pk=first.pk).update(document_number="RIS/KOM/0001/DPRD/2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=second.pk).update(document_number="RIS/KOM/0001/DPRD/2026")
    assert Meeting.objects.filter(document_number="").count() == 1


def test_unreviewed_or_speakerless_lines_need_a_confirmation(org, notulis, meeting, lines):
    meeting = meeting()
    first, second, third = lines(meeting)
    speaker = meeting.participants.get(user=org.member)
    services.save_line(first, text="Rapat dibuka.", speaker=speaker, agenda_item=None, user=notulis)
    services.mark_checked(TranscriptLine.objects.filter(pk=second.pk), user=notulis)

    gaps = services.review_gaps(meeting)
    assert list(gaps.unreviewed) == [third]
    assert gaps.counts() == {"unreviewed": 1, "without_speaker": 2}
    with pytest.raises(ValidationError) as refused:
        services.decide(meeting, approve=True, note="", user=org.k2)
    assert "1 baris belum dikoreksi" in refused.value.messages[0] and "2 baris tanpa pembicara" in refused.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.approved_at is None and meeting.document_number == ""

    services.decide(meeting, approve=False, note="Lengkapi pembicara.", user=org.k2)  # returning needs no confirmation
    assert approve(meeting, org.k2)


def test_marking_checked_keeps_the_text_and_the_first_reviewer(org, notulis, meeting, lines):
    meeting = meeting()
    first, second, _third = lines(meeting)
    services.save_line(first, text="Rapat dibuka.", speaker=None, agenda_item=None, user=notulis)
    assert services.mark_checked(meeting.lines.all(), user=org.registrar) == 2
    assert services.mark_checked(meeting.lines.all(), user=notulis) == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.checked_at is None and first.edited_by == notulis
    assert second.checked_by == org.registrar and second.text == second.machine_text == "drainase sepinggan"
    assert not services.review_gaps(meeting).unreviewed.exists()


@pytest.fixture
def approving(notulis, meeting, transcribed):
    """A meeting waiting for its chair: one line corrected without a speaker, two more the machine's alone."""
    meeting = meeting()
    first = transcribed(meeting)
    for position, text in ((2, "pembahasan drainase"), (3, "rapat ditutup")):
        TranscriptLine.objects.create(meeting=meeting, recording=first.recording, position=position, start=position * 3.0,
                                      end=position * 3.0 + 2, machine_text=text, text=text)
    services.submit_minutes(task_of(meeting, MinutesFlow.correct), user=notulis, confirm=True, data={
        "opened_at": None, "closed_at": None, "main_points": "", "conclusions": "Disetujui.", "decisions": "",
    })
    meeting.refresh_from_db()
    return meeting, task_of(meeting, MinutesFlow.approve)


def test_the_chair_sees_the_transcript_and_confirms_unreviewed_lines(org, login, approving):
    meeting, task = approving
    chair = login(org.k2)
    page = f"/tugas/{task.pk}/"
    shown = chair.get(page).content.decode()
    assert "pembahasan drainase" in shown and "rapat ditutup" in shown and "Pembahasan drainase Sepinggan" in shown
    assert "2 baris belum dikoreksi atau ditandai diperiksa; 3 baris tanpa pembicara." in shown
    unreviewed = meeting.lines.get(position=2)
    assert f'href="?page=1#baris-{unreviewed.pk}"' in shown and f'id="baris-{unreviewed.pk}" class="unreviewed"' in shown

    refused = chair.post(page, {"decision": "setujui", "note": "", "submission_token": token_form(chair, page)})
    assert refused.status_code == 200 and "Centang konfirmasi" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.APPROVING and not meeting.document_number

    done = chair.post(page, {"decision": "setujui", "note": "", "confirm": "on",
                             "submission_token": token_form(chair, page)})
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PRINTING and meeting.document_number


def test_the_api_approves_unreviewed_lines_only_with_confirm(org, approving):
    meeting, task = approving
    chair = token_client(org.k2)
    url = f"/api/v1/tasks/{task.pk}/actions/decide/"
    refused = chair.post(url, {"decision": "setujui"}, format="json")
    assert refused.status_code == 400
    assert "2 baris belum dikoreksi" in refused.json()["errors"]["confirm"][0]
    assert chair.post(url, {"decision": "setujui", "confirm": True}, format="json").status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PRINTING


def test_submitting_with_unreviewed_lines_asks_the_notulis_to_confirm(org, notulis, meeting, login, transcribed):
    meeting = meeting()
    transcribed(meeting)
    client = login(notulis)
    page = f"/tugas/{task_of(meeting, MinutesFlow.correct).pk}/"
    data = {"opened_at": "09:00", "closed_at": "10:00", "conclusions": "Disetujui."}
    refused = client.post(page, {**data, "submission_token": token_form(client, page)})
    assert refused.status_code == 200 and "1 baris tanpa pembicara" in refused.content.decode()
    line = meeting.lines.get()
    client.post(f"/rapat/baris/{line.pk}/", {"text": line.text, "speaker": meeting.participants.get(user=org.member).pk})
    assert client.post(page, {**data, "submission_token": token_form(client, page)}).status_code == 302, \
        "nothing left to confirm"


def test_only_the_notulis_marks_lines_checked_during_correction(org, notulis, meeting, login, transcribed, lines):
    meeting, other = meeting(), meeting()
    transcribed(meeting)
    extra = TranscriptLine.objects.create(meeting=meeting, recording=meeting.recordings.get(), position=9, start=9,
                                          end=10, machine_text="lanjut", text="lanjut")
    foreign = lines(other)[0]
    chair = login(org.k2)
    assert chair.post(f"/rapat/baris/{extra.pk}/diperiksa/", HTTP_ACCEPT="application/json").status_code == 403
    assert chair.post(f"/rapat/{meeting.pk}/diperiksa/", {"line": [extra.pk]}).status_code == 403
    assert login(org.k1).post(f"/rapat/baris/{extra.pk}/diperiksa/").status_code == 404, "a closed meeting is not revealed"
    extra.refresh_from_db()
    assert extra.checked_at is None

    client = login(notulis)
    page = f"/tugas/{task_of(meeting, MinutesFlow.correct).pk}/"
    assert "Tandai semua baris di halaman ini" in client.get(page).content.decode()
    response = client.post(f"/rapat/{meeting.pk}/diperiksa/", {"line": [extra.pk, foreign.pk], "next": page})
    assert response.status_code == 302 and response.url == page
    extra.refresh_from_db()
    foreign.refresh_from_db()
    assert extra.checked_by == notulis and extra.text == "lanjut"
    assert foreign.checked_at is None, "a line of another meeting is not touched"
    assert client.post(f"/rapat/baris/{extra.pk}/diperiksa/", HTTP_ACCEPT="application/json").json()["ok"]
