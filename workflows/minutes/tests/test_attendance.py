"""Attendance in one tap per row, whole units invited at once, the quorum in plain words, and the chair's counter."""

import re

import pytest
from django.urls import reverse

from project.org.models import Position, Unit
from tests.support import make_user
from workflows.minutes import services
from workflows.minutes.flows import MinutesFlow
from workflows.minutes.models import Participant

from .conftest import token_form


def test_all_present_then_the_exceptions_and_the_quorum(org, notulis, meeting, login):
    meeting = meeting()
    client = login(notulis)
    url = reverse("minutes:attendance", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert 'type="radio"' in page and '<select name="p' not in page and "Semua hadir" in page
    # chair (k2) and member hold council seats; the notulis and the PU guest do not count
    assert "Kuorum: 0 dari 2 anggota hadir (minimal 2)" in page and "belum tercapai" in page

    response = client.post(url, {"semua_hadir": "1"})
    assert response.status_code == 302 and response.url == url, "without JavaScript the exceptions are set next"
    assert set(meeting.participants.values_list("attendance", flat=True)) == {Participant.Attendance.PRESENT}
    assert "Kuorum: 2 dari 2 anggota hadir (minimal 2)" in client.get(url).content.decode()

    member = meeting.participants.get(user=org.member)
    fields = {f"p{p.pk}": Participant.Attendance.PRESENT for p in meeting.participants.all()}
    client.post(url, {**fields, f"p{member.pk}": Participant.Attendance.SICK})
    member.refresh_from_db()
    assert member.attendance == Participant.Attendance.SICK
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "Kuorum: 1 dari 2 anggota hadir (minimal 2)" in detail and "belum tercapai" in detail


def test_the_quorum_is_more_than_half_of_the_invited_members(org, meeting):
    meeting = meeting()
    for index in range(3):  # five members invited in all: three must attend
        person = make_user(f"anggota{index}")
        Position.objects.create(unit=org.komisi2, role=Position.Role.MEMBER, holder=person)
        meeting.participants.create(user=person, name=person.username)
    meeting.participants.filter(user__in=[org.k2, org.member]).update(attendance=Participant.Attendance.PRESENT)
    quorum = meeting.quorum()
    assert (quorum.present, quorum.invited, quorum.required, quorum.reached) == (2, 5, 3, False)
    meeting.participants.filter(user__username="anggota0").update(attendance=Participant.Attendance.PRESENT)
    assert meeting.quorum().reached


def test_only_who_runs_the_meeting_records_attendance(org, meeting, login):
    meeting = meeting()
    url = reverse("minutes:attendance", args=[meeting.pk])
    assert login(org.member).post(url, {"semua_hadir": "1"}).status_code == 403, "a participant only"
    assert login(org.k1).get(url).status_code == 404, "a closed meeting of others is not revealed"
    assert not meeting.participants.exclude(attendance="").exists()


def test_a_whole_commission_is_invited_at_once_and_people_by_name(org, notulis, login):
    second = make_user("anggota.k2")
    Position.objects.create(unit=org.komisi2, role=Position.Role.MEMBER, holder=second)
    staff = make_user("staf.k2")
    Position.objects.create(unit=org.komisi2, role=Position.Role.STAFF, holder=staff)
    secretariat = Unit.objects.create(code="setwan", name="Sekretariat DPRD", kind=Unit.Kind.SEKRETARIAT)
    Position.objects.create(unit=secretariat, role=Position.Role.HEAD, holder=make_user("sekwan"))
    client = login(org.registrar)
    url = reverse("minutes:schedule")
    page = client.get(url).content.decode()
    assert "Komisi II (2 anggota)" in page and f'name="invited_units" value="{org.komisi2.pk}"' in page
    assert f'name="invited_units" value="{secretariat.pk}"' not in page
    assert 'type="checkbox" name="invitees"' in page and "invitee-search" in page
    client.post(url, {
        "title": "Rapat Komisi II", "kind": "komisi", "unit": org.komisi2.pk, "date": "2026-03-02",
        "start_time": "09:00", "place": "Ruang Komisi II", "chair": org.k2.pk, "secretary": notulis.pk,
        "agenda": "Pembukaan", "invited_units": [org.komisi2.pk], "invitees": [org.member.pk],
        "submission_token": token_form(client, url),
    })
    from workflows.minutes.models import Meeting

    meeting = Meeting.objects.get(title="Rapat Komisi II")
    invited = set(meeting.participants.values_list("user__username", flat=True))
    assert invited == {"komisi2", "anggota.k2", "member", "notulis"}, "the commission's staff is not invited"


@pytest.mark.usefixtures("eager_jobs")
def test_the_chairs_counter_opens_exactly_the_minutes_it_counts(org, notulis, meeting, login, transcribed):
    waiting, other = meeting(), meeting(chair=org.k1)
    for item in (waiting, other):
        transcribed(item)
        task = item.process.task_set.get(flow_task=MinutesFlow.correct)
        services.submit_minutes(task, user=notulis, confirm=True, data={
            "opened_at": None, "closed_at": None, "main_points": "", "conclusions": "Setuju.", "decisions": "",
        })
    [counter] = [c for c in services.dashboard_counters(org.k2) if c.label == "Risalah menunggu persetujuan Anda"]
    assert counter.value == 1
    listed = login(org.k2).get(counter.url).content.decode()
    rows = re.findall(r'<li[^>]*>\s*<a href="/tugas/(\d+)/"', listed)
    assert rows == [str(waiting.process.task_set.get(flow_task=MinutesFlow.approve).pk)]
    assert services.dashboard_counters(org.member) == [], "neither chair nor notulis of any meeting"
    notulis_counters = {c.label: c.value for c in services.dashboard_counters(notulis)}
    assert notulis_counters == {"Transkrip rapat menunggu koreksi Anda": 0}
