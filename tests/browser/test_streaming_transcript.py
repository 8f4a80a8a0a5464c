"""In headless Chromium: the notulis corrects the first lines of a recording while the rest is still transcribed.

The test is the worker (``StepwiseWorker``: the real tiny NeMo engine, one window stored when the test says
so). On a laptop the notulis opens the correction page after the first window, starts correcting the first
line, and the next lines appear below it without the typed text or the cursor being disturbed; Ctrl+Enter
saves and moves on to a line that arrived after the page was opened. On a phone the rest of the recording
comes in, the page says the transcript is complete, and a line that arrived meanwhile is marked checked.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from asr import jobs
from tests.audio import bursts_signal, write_wav
from tests.support import make_user
from workflows.minutes import services
from workflows.minutes.tests.test_streaming import StepwiseWorker, start_transcription, store_until_new_lines

from .conftest import PHONE, Person

pytestmark = pytest.mark.browser

TYPED = "Rapat dibuka oleh Ketua Komisi II."


def line_ids(browser):
    return browser.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('form.line'), function (f) { return +f.dataset.line; })"
    )


def test_the_notulis_corrects_while_the_recording_is_still_transcribed(org, live_server, browser, tmp_path, settings,
                                                                        nemo_engine, monkeypatch):
    settings.ASR_WINDOW_SECONDS = {**settings.ASR_WINDOW_SECONDS, "nemo": 4}
    settings.ASR_WINDOW_OVERLAP_SECONDS = 1.5
    settings.SIAP_TRANSCRIPT_POLL_SECONDS = 0.5
    monkeypatch.setattr(jobs, "_send", lambda job_pk: None)  # no broker: the test is the worker
    notulis = make_user("notulis", first_name="Nurul")
    meeting = services.schedule_meeting(
        data={"title": "Rapat kerja drainase", "kind": "komisi", "is_closed": True, "unit": org.komisi2,
              "date": timezone.localdate(), "start_time": datetime.time(9, 0), "end_time": None,
              "place": "Ruang Rapat Komisi II", "chair": org.k2, "secretary": notulis},
        agenda=["Pembahasan drainase"], invitees=[org.member], guests=[], user=org.registrar,
    )

    def upload(onsets, length):
        wav = write_wav(tmp_path / "rapat.wav", bursts_signal(list(onsets), length))
        return SimpleUploadedFile("rapat.wav", wav.read_bytes(), content_type="audio/wav")

    worker = StepwiseWorker(start_transcription(meeting, notulis, upload), tmp_path)
    store_until_new_lines(worker, meeting)
    person = Person(browser, live_server.url)

    # 1. on a laptop: the first lines are there, with how far the transcription is
    person.login("notulis")
    browser.get(live_server.url + "/tugas/")
    person.follow("Koreksi transkrip")
    assert "Transkripsi berjalan" in browser.find_element(By.ID, "transcription-progress").text
    first = meeting.lines.first()
    area = browser.find_element(By.CSS_SELECTOR, f"#baris-{first.pk} textarea")
    area.clear()
    area.send_keys(TYPED)

    # 2. the next lines come in while the notulis is typing; the line being edited stays as it is
    store_until_new_lines(worker, meeting)
    expected = list(meeting.lines.values_list("pk", flat=True))
    WebDriverWait(browser, 10).until(lambda _: line_ids(browser) == expected)
    assert area.get_attribute("value") == TYPED and browser.switch_to.active_element == area
    area.send_keys(Keys.CONTROL, Keys.ENTER)  # save, and go on to the next line: one that has just arrived
    state = browser.find_element(By.CSS_SELECTOR, f"#baris-{first.pk} .save-state")
    WebDriverWait(browser, 10).until(lambda _: state.text == "Tersimpan.")
    first.refresh_from_db()
    assert first.text == TYPED
    following = browser.find_element(By.CSS_SELECTOR, f"#baris-{expected[expected.index(first.pk) + 1]} textarea")
    assert browser.switch_to.active_element == following

    # 3. on a phone: the rest of the recording comes in, and the page says the transcript is complete
    person.login("notulis", size=PHONE)
    browser.get(live_server.url + "/tugas/")
    person.follow("Koreksi transkrip")
    assert person.fits_the_screen(), "the correction page overflows 390 px"
    opened_with = line_ids(browser)
    worker.finish()
    expected = list(meeting.lines.values_list("pk", flat=True))
    progress = browser.find_element(By.ID, "transcription-progress")
    WebDriverWait(browser, 10).until(lambda _: "Transkripsi semua rekaman selesai" in progress.text)
    assert line_ids(browser) == expected and len(expected) > len(opened_with)
    arrived = browser.find_element(By.ID, f"baris-{expected[-1]}")
    check = arrived.find_element(By.CSS_SELECTOR, "button.check")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", check)  # clear of the sticky player
    check.click()
    WebDriverWait(browser, 10).until(lambda _: "Ditandai diperiksa" in arrived.find_element(By.CLASS_NAME, "save-state").text)
    assert meeting.lines.get(pk=expected[-1]).checked_by == notulis
    assert person.fits_the_screen(), "the lines that arrived overflow 390 px"
