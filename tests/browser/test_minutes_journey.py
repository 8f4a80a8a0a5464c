"""A meeting's minutes in headless Chromium, from spoken Indonesian to a search hit at the right second.

The notulis uploads speech that espeak-ng's Indonesian voice reads from a
script about a budget meeting; a real Celery worker transcribes it with the
Whisper engine (the model `make install` assembles); the notulis corrects
one segment and names its speaker, marks another checked, and is asked
to confirm the segments nobody examined; the meeting's chair, warned of
them too, confirms and approves from a phone; the published risalah
carries the correction; and a search for a word said in another segment
opens the meeting with the player at the second it was said.

With ``SIAP_SCREENSHOTS=1`` it also writes the README's screenshots of the
approval page with the warning, on a phone and on a laptop, into docs/.
"""

import datetime
import os
import time

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.audio import ESPEAK, character_error_rate, speak
from tests.support import make_user, pdf_text, require_tool, requires_redis, whisper_model
from workflows.minutes import services
from workflows.minutes.models import RISALAH, Meeting

from .conftest import LAPTOP, PHONE, Person
from .test_outgoing_journey import screenshot

pytestmark = pytest.mark.browser

SCRIPT = [
    "Rapat komisi dua membahas anggaran pendapatan dan belanja daerah tahun depan.",
    "Ketua komisi meminta dinas pekerjaan umum menjelaskan rencana pembangunan drainase.",
    "Anggaran untuk perbaikan jalan naik menjadi dua puluh miliar rupiah.",
    "Rapat ditutup pada pukul dua belas siang.",
]
CORRECTED = "Rapat Komisi II membahas anggaran pendapatan dan belanja daerah tahun depan."


def wait_for(condition, timeout, message):
    deadline = timezone.now() + datetime.timedelta(seconds=timeout)
    while not condition():
        assert timezone.now() < deadline, message
        time.sleep(0.5)


@requires_redis
def test_minutes_from_speech_to_search(org, live_server, browser, tmp_path, settings, redis_worker):
    require_tool(ESPEAK is not None, "espeak-ng")
    settings.ASR_ENGINE, settings.ASR_WHISPER_MODEL = "whisper", whisper_model()
    notulis = make_user("notulis", first_name="Nurul")
    meeting = services.schedule_meeting(
        data={"title": "Rapat kerja anggaran daerah", "kind": "komisi", "is_closed": True, "unit": org.komisi2,
              "date": timezone.localdate(), "start_time": datetime.time(9, 0), "end_time": None,
              "place": "Ruang Rapat Komisi II", "chair": org.k2, "secretary": notulis},
        agenda=["Pembahasan anggaran"], invitees=[org.member], guests=[], user=org.registrar,
    )
    said = speak(tmp_path / "rapat-komisi-2.wav", SCRIPT)
    person = Person(browser, live_server.url)

    # 1. the notulis uploads the recording and starts transcription
    person.login("notulis")
    browser.get(live_server.url + "/tugas/")
    person.follow("Unggah rekaman rapat")
    browser.find_element(By.NAME, "audio").send_keys(str(tmp_path / "rapat-komisi-2.wav"))
    person.submit("upload-submit")
    assert "Rekaman diunggah" in person.message()
    person.submit("start-transcription")
    assert "Transkripsi dimulai" in person.message()

    # 2. the worker transcribes it; the meeting page shows the job until the transcript is ready
    def transcribed():
        meeting.refresh_from_db()
        return meeting.status == Meeting.Status.CORRECTING

    wait_for(transcribed, 240, "the transcription never finished")
    lines = list(meeting.lines.order_by("start"))
    heard = " ".join(line.text for line in lines)
    assert character_error_rate(" ".join(SCRIPT), heard) < 0.35, heard
    first = lines[0]

    # 3. the notulis corrects the first segment, names its speaker, and submits the minutes
    browser.get(live_server.url + "/tugas/")
    person.follow("Koreksi transkrip")
    form = browser.find_element(By.ID, f"baris-{first.pk}")
    Select(form.find_element(By.NAME, "speaker")).select_by_visible_text("Member")
    WebDriverWait(browser, 10).until(lambda _: "Tersimpan" in form.find_element(By.CLASS_NAME, "save-state").text)
    area = form.find_element(By.NAME, "text")
    area.clear()
    area.send_keys(CORRECTED)
    area.send_keys(Keys.CONTROL, Keys.ENTER)  # save and go on to the next segment
    WebDriverWait(browser, 10).until(lambda _: form.find_element(By.CLASS_NAME, "save-state").text == "Tersimpan.")
    first.refresh_from_db()
    assert first.text == CORRECTED and first.speaker.user == org.member
    # the second segment is right as heard: marked checked, its text untouched
    second = browser.find_element(By.ID, f"baris-{lines[1].pk}")
    second.find_element(By.CSS_SELECTOR, "button.check").click()
    WebDriverWait(browser, 10).until(lambda _: "Ditandai diperiksa" in second.find_element(By.CLASS_NAME, "save-state").text)
    unreviewed = len(lines) - 2
    person.set_value("opened_at", "09:02")
    person.set_value("closed_at", "12:00")
    browser.find_element(By.NAME, "conclusions").send_keys("Anggaran drainase dibahas bersama Dinas PU.")
    person.submit("submit-minutes")
    # the segments nobody examined are counted and listed; the notulis confirms and submits
    warning = browser.find_element(By.ID, "belum-diperiksa").text
    assert f"{unreviewed} baris belum dikoreksi" in warning, warning
    assert len(browser.find_elements(By.CSS_SELECTOR, "#belum-diperiksa li")) == len(lines) - 1, "all but the first"
    browser.find_element(By.ID, "id_confirm").click()
    person.submit("submit-minutes")
    assert "diajukan" in person.message()

    # 4. the meeting's chair approves from a phone
    person.login("komisi2", size=PHONE)
    browser.get(live_server.url + "/tugas/")
    person.follow("Persetujuan risalah")
    assert person.fits_the_screen(), "approval page overflows 390 px"
    transcript = browser.find_element(By.ID, "transkrip")
    assert CORRECTED in transcript.text and len(transcript.find_elements(By.CSS_SELECTOR, "li.unreviewed")) == unreviewed
    browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=setujui]").click()
    person.submit("approve-submit")
    assert f"{unreviewed} baris belum dikoreksi" in browser.find_element(By.ID, "belum-diperiksa").text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.APPROVING, "not approved without the confirmation"
    assert person.fits_the_screen(), "the warning overflows 390 px"
    if os.environ.get("SIAP_SCREENSHOTS"):
        screenshot(person, "screenshot-minutes-approve-phone.png")
        browser.set_window_size(*LAPTOP)
        screenshot(person, "screenshot-minutes-approve.png")
        browser.set_window_size(*PHONE)
    browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=setujui]").click()
    browser.find_element(By.ID, "id_confirm").click()
    person.submit("approve-submit")
    assert "disetujui" in person.message()

    def published():
        meeting.refresh_from_db()
        return meeting.status == Meeting.Status.PUBLISHED

    wait_for(published, 60, "the worker never printed the minutes")

    # 5. the risalah carries the correction and the speaker
    risalah = meeting.documents(RISALAH).get()
    content_type, content = person.download(f"/dokumen/{risalah.pk}/v1/")
    assert content_type == "application/pdf"
    text = " ".join(pdf_text(content).split())
    assert CORRECTED in text and "Member" in text

    # 6. a word said in another segment leads to that meeting, at that second
    target = next(line for line in lines[1:] if _distinct_word(line, lines))
    word = _distinct_word(target, lines)
    wait_for(lambda: _indexed(word), 60, "the transcript never reached the index")
    browser.get(live_server.url + f"/cari/?q={word}")
    hit = browser.find_element(By.CSS_SELECTOR, f"a[href*='/rapat/{meeting.pk}/']")
    person.click_to_next_page(hit)
    assert f"t={int(target.start)}" in browser.current_url
    sentence = next(index for index, text in enumerate(SCRIPT) if word in text.lower().split())
    spoken_from, spoken_to = said[sentence]
    assert spoken_from - 1.0 <= target.start <= spoken_to, (word, target.start, said[sentence])
    WebDriverWait(browser, 10).until(
        lambda _: browser.execute_script("return document.getElementById('player').currentTime") >= int(target.start)
    )


def _distinct_word(line, lines):
    """A word of at least five letters heard in ``line`` only, and said in the script."""
    script = " ".join(SCRIPT).lower().replace(".", "")
    others = " ".join(other.text.lower() for other in lines if other.pk != line.pk)
    for word in line.text.lower().replace(".", " ").replace(",", " ").split():
        if len(word) >= 5 and word.isalpha() and word in script.split() and word not in others.split():
            return word
    return None


def _indexed(word):
    from search import indexing
    from search.port import SearchQuery

    return indexing.backend().search(SearchQuery(text=word, principals=None)).total > 0
