import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.audio import bursts_signal, write_wav
from tests.support import PASSWORD, make_user


@pytest.fixture
def notulis(org):
    return make_user("notulis", first_name="Nurul")


@pytest.fixture
def meeting(org, notulis):
    """A closed Komisi II meeting chaired by komisi2, with member invited and a guest from the PU office."""
    from workflows.minutes import services

    def _meeting(closed=True, **overrides):
        data = {
            "title": "Rapat kerja pembahasan APBD Perubahan", "kind": "komisi", "is_closed": closed,
            "unit": org.komisi2, "date": timezone.localdate(), "start_time": datetime.time(9, 0),
            "end_time": datetime.time(12, 0), "place": "Ruang Rapat Komisi II", "chair": org.k2, "secretary": notulis,
        }
        data.update(overrides)
        return services.schedule_meeting(
            data=data, agenda=["Pembukaan", "Pembahasan anggaran drainase"], invitees=[org.member],
            guests=[("Kepala Dinas PU", "Dinas Pekerjaan Umum")], user=org.registrar,
        )

    return _meeting


@pytest.fixture
def wav_upload(tmp_path):
    def _upload(onsets=(1.0, 3.0), length=5, name="rekaman.wav"):
        path = write_wav(tmp_path / name, bursts_signal(list(onsets), length))
        return SimpleUploadedFile(name, path.read_bytes(), content_type="audio/wav")

    return _upload


@pytest.fixture
def login():
    def _login(user):
        client = Client()
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login


def token_form(client, url):
    """The page's one-time submission token, as a browser would send it back."""
    import re

    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="submission_token" value="([0-9a-f]{32})"', page.content.decode()).group(1)


@pytest.fixture
def transcribed(org, notulis, wav_upload, nemo_engine, eager_jobs, django_capture_on_commit_callbacks):
    """Give a meeting a recording and run it through the tiny NeMo model; return its first line."""
    from workflows.minutes import services
    from workflows.minutes.flows import MinutesFlow
    from workflows.steps import complete_human_task

    def _transcribed(meeting, text="Pembahasan drainase Sepinggan"):
        with django_capture_on_commit_callbacks(execute=True):
            services.add_recording(meeting, file=wav_upload(), media_type="audio/x-wav", user=notulis)
            services.finish_recording(meeting, user=notulis)
            complete_human_task(meeting.process.task_set.get(flow_task=MinutesFlow.record), notulis)
        line = meeting.lines.get()
        services.save_line(line, text=text, speaker=None, agenda_item=None, user=notulis)
        meeting.refresh_from_db()
        return line

    return _transcribed
