"""Marking lines checked: under the meeting's lock, and in the trail only when something was marked."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from project.audit.models import AuditEvent
from workflows.minutes import services
from workflows.minutes.models import Meeting, TranscriptLine


@pytest.fixture
def machine_lines(notulis, meeting, wav_upload):
    """A meeting with two machine lines, neither reviewed."""
    meeting = meeting()
    recording = services.add_recording(meeting, file=wav_upload(), media_type="audio/x-wav", user=notulis)
    for position, text in enumerate(["rapat dibuka", "rapat ditutup"], start=1):
        TranscriptLine.objects.create(meeting=meeting, recording=recording, position=position, start=position * 2.0,
                                      end=position * 2.0 + 1.5, machine_text=text, text=text)
    return meeting


def checked_events(meeting):
    return AuditEvent.objects.for_object(meeting).filter(action="meeting.lines_checked")


def test_marking_locks_the_meeting_and_is_recorded_once(notulis, machine_lines):
    meeting = machine_lines
    with CaptureQueriesContext(connection) as queries:
        assert services.mark_checked(meeting.lines.all(), user=notulis) == 2
    assert any("FOR UPDATE" in q["sql"] and Meeting._meta.db_table in q["sql"] for q in queries.captured_queries)
    assert [event.detail["lines"] for event in checked_events(meeting)] == [2]


def test_nothing_left_to_mark_records_nothing(org, notulis, machine_lines):
    meeting = machine_lines
    services.mark_checked(meeting.lines.all(), user=notulis)
    assert services.mark_checked(meeting.lines.all(), user=org.registrar) == 0
    assert services.mark_checked(meeting.lines.none(), user=org.registrar) == 0
    assert checked_events(meeting).count() == 1


def test_lines_checked_by_someone_else_meanwhile_record_nothing(org, notulis, machine_lines, monkeypatch):
    """Another notulis marks the same lines between the read and the update: 0 marked, no trail entry."""
    meeting = machine_lines
    ensure_editable = services._ensure_editable

    def meanwhile(locked_meeting):
        TranscriptLine.objects.filter(meeting=meeting).update(checked_by=org.registrar, checked_at=timezone.now())
        ensure_editable(locked_meeting)

    monkeypatch.setattr(services, "_ensure_editable", meanwhile)
    assert services.mark_checked(meeting.lines.all(), user=notulis) == 0
    assert not checked_events(meeting).exists()
    assert set(meeting.lines.values_list("checked_by", flat=True)) == {org.registrar.pk}


def test_approved_minutes_refuse_the_marking(notulis, machine_lines):
    meeting = machine_lines
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PUBLISHED)
    with pytest.raises(PermissionDenied):
        services.mark_checked(meeting.lines.all(), user=notulis)
    assert not meeting.lines.filter(checked_at__isnull=False).exists()
    assert not checked_events(meeting).exists()
