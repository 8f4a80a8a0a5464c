"""A ``next`` parameter sends the browser back to a page of SIAP only, never to another site."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from project.redirects import safe_next
from tests.audio import bursts_signal, write_wav
from tests.support import PASSWORD, make_user

OUTSIDE = [
    "https://evil.example/",
    "http://evil.example/akun/masuk/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "https:/evil.example",
    "",
]
DEFAULT = "/rapat/"


@pytest.mark.parametrize("target", OUTSIDE)
def test_safe_next_refuses_anything_but_a_local_path(target):
    assert safe_next(RequestFactory().post("/", {"next": target}), DEFAULT) == DEFAULT
    assert safe_next(RequestFactory().get("/", {"next": target}), DEFAULT) == DEFAULT


@pytest.mark.parametrize("target", ["/tugas/12/", "/rapat/3/?halaman=2", "/cari/?q=drainase#hasil"])
def test_safe_next_keeps_a_local_path(target):
    assert safe_next(RequestFactory().post("/", {"next": target}), DEFAULT) == target


@pytest.fixture
def meeting_with_line(org, tmp_path):
    from workflows.minutes import services
    from workflows.minutes.models import TranscriptLine

    notulis = make_user("notulis")
    meeting = services.schedule_meeting(
        data={"title": "Rapat kerja", "kind": "komisi", "is_closed": False, "unit": org.komisi2,
              "date": timezone.localdate(), "start_time": datetime.time(9, 0), "end_time": datetime.time(12, 0),
              "place": "Ruang Rapat Komisi II", "chair": org.k2, "secretary": notulis},
        agenda=["Pembukaan"], invitees=[org.member], guests=[], user=org.registrar,
    )
    wav = write_wav(tmp_path / "rekaman.wav", bursts_signal([1.0], 3))
    recording = services.add_recording(
        meeting, file=SimpleUploadedFile("rekaman.wav", wav.read_bytes()), media_type="audio/x-wav", user=notulis)
    line = TranscriptLine.objects.create(meeting=meeting, recording=recording, position=1, start=0, end=1,
                                         machine_text="rapat dibuka", text="rapat dibuka")
    return meeting, line, notulis


def signed_in(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def posts_with_next(meeting, line, notulis, org):
    """Every page that reads ``next``: (client, url, data, where it goes without a usable ``next``)."""
    return [
        # saving a transcript line outside correction is refused, and goes back (with the line's anchor)
        (signed_in(org.k2), reverse("minutes:save_line", args=[line.pk]), {"text": "x"},
         f"{meeting.get_absolute_url()}#baris-{line.pk}"),
        (signed_in(notulis), reverse("minutes:upload", args=[meeting.pk]), {"audio": ""}, meeting.get_absolute_url()),
    ]


@pytest.mark.parametrize("target", [t for t in OUTSIDE if t])
def test_every_page_reading_next_refuses_another_site(org, meeting_with_line, target):
    meeting, line, notulis = meeting_with_line
    for client, url, data, default in posts_with_next(meeting, line, notulis, org):
        response = client.post(url, {**data, "next": target})
        assert response.status_code == 302, url
        assert response["Location"] == default, (url, response["Location"])


def test_every_page_reading_next_keeps_a_local_path(org, meeting_with_line):
    meeting, line, notulis = meeting_with_line
    for client, url, data, default in posts_with_next(meeting, line, notulis, org):
        response = client.post(url, {**data, "next": "/tugas/"})
        assert response["Location"].split("#")[0] == "/tugas/", url


def test_the_login_page_refuses_another_site(org):
    response = Client().post(f"{reverse('login')}?next=https://evil.example/",
                             {"username": "registrar", "password": PASSWORD, "next": "//evil.example"})
    assert response.status_code == 302 and "evil" not in response["Location"]
