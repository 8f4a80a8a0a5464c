"""The smoke journey over HTTPS through the proxy: what `make prod-check` and tests/prod/test_prod_check.py run.

registrar registers an incoming letter with a PDF scan → the worker reads and stamps it (version 2) → the chair
disposes it to Komisi I → Komisi I's queue holds the follow-up → a word of the letter finds it in Elasticsearch
→ the scan comes back through nginx (X-Accel-Redirect) → the registrar, notulis of a meeting, uploads Indonesian
speech → the `asr` worker transcribes it with Whisper.

Each step is a function returning what it produced, so the test can assert on it; a step that fails raises
with the step's name and what the page said.
"""

import datetime
import hashlib
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

from .client import SiapClient, page_text

DEMO_PASSWORD = "siap-demo"  # fixtures.organisation.DEMO_PASSWORD: the topology loads the demo organisation
REGISTRAR, CHAIR, UNIT_HEAD = "registrar", "chair", "komisi1"
UNIT_NAME = "Komisi I ("  # the demo's Komisi I (Pemerintahan dan Hukum)
SPEECH = [
    "Rapat komisi membahas anggaran pembangunan drainase di Kelurahan Sepinggan.",
    "Rapat ditutup pada pukul dua belas siang.",
]


class StepFailed(AssertionError):
    pass


@dataclass
class Journey:
    """What the steps produced, for the next step and for the test's assertions."""

    base_url: str
    verify: object = False
    workdir: Path = None
    word: str = field(default_factory=lambda: "dprdcek" + secrets.token_hex(3))  # one letter's own search word
    scan: bytes = b""
    letter_url: str = ""
    agenda_label: str = ""
    document_url: str = ""
    document_page: str = ""  # the scan's page: its versions with their SHA-256
    versions: list = field(default_factory=list)
    unit_queue: str = ""
    search_hits: list = field(default_factory=list)
    downloaded: dict = field(default_factory=dict)
    meeting_url: str = ""
    transcript: list = field(default_factory=list)

    def client(self, username):
        person = SiapClient(self.base_url, verify=self.verify)
        person.login(username, DEMO_PASSWORD)
        return person


def wait_for(what, check, timeout, interval=1.0):
    """Poll ``check`` until it returns something true; fail with ``what`` and the last page seen."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        result, last = check()
        if result:
            return result
        time.sleep(interval)
    raise StepFailed(f"{what}: not within {timeout} s. The page said:\n{page_text(last)[:1500] if last else '-'}")


def links(response, pattern):
    document = lxml.html.fromstring(response.content, base_url=response.url)
    document.make_links_absolute()
    return [(" ".join(a.text_content().split()), a.get("href")) for a in document.xpath("//a[@href]")
            if re.search(pattern, a.get("href"))]


def letter_pdf_bytes(word):
    """A real one-page letter (the demo's own PDF builder) whose subject carries this run's search word."""
    from fixtures.letters import letter_pdf

    return letter_pdf("Dinas Pekerjaan Umum Kota Balikpapan", "600.1.2/77/DPU", datetime.date.today(),
                      f"Permohonan audiensi drainase Sepinggan {word}")


# --- the steps ------------------------------------------------------------------------------------------------------


def register_letter(journey):
    journey.scan = letter_pdf_bytes(journey.word)
    registrar = journey.client(REGISTRAR)
    form = registrar.get("/surat/daftar/")
    classification = lxml.html.fromstring(form.content).xpath("//select[@name='classification']/option[@value!='']/@value")
    today = datetime.date.today()
    response = registrar.post_form("/surat/daftar/", {
        "sender": "Dinas Pekerjaan Umum Kota Balikpapan",
        "sender_number": f"600.1.2/{journey.word}/DPU",
        "letter_date": (today - datetime.timedelta(days=1)).isoformat(),
        "received_date": today.isoformat(),
        "subject": f"Permohonan audiensi drainase Sepinggan {journey.word}",
        "nature": "segera",
        "classification": classification[0],
    }, files={"scan": ("surat-dpu.pdf", journey.scan, "application/pdf")})
    if not re.search(r"/surat/\d+/$", response.url):
        raise StepFailed(f"registering the letter: stayed on {response.url}:\n{page_text(response)[:1500]}")
    journey.letter_url = response.url
    journey.agenda_label = " ".join(lxml.html.fromstring(response.content).xpath("//h1")[0].text.split()[1:])
    return response


def wait_for_stamp(journey, timeout=180):
    """The default-queue worker reads the scan's text and stamps the agenda number on it as version 2."""
    registrar = journey.client(REGISTRAR)

    def stamped():
        page = registrar.get(journey.letter_url)
        return [href for _text, href in links(page, r"/dokumen/\d+/v2/$")], page

    journey.document_url = wait_for("the worker stamping the scan (version 2)", stamped, timeout)[0].rsplit("v2/", 1)[0]
    detail = registrar.get(journey.document_url)
    journey.document_page = page_text(detail)
    journey.versions = sorted({int(number) for number in re.findall(r"/dokumen/\d+/v(\d+)/", detail.text)})
    return journey.versions


def dispose(journey):
    chair = journey.client(CHAIR)
    letter = chair.get(journey.letter_url)
    tasks = links(letter, r"/tugas/\d+/$")
    if not tasks:
        raise StepFailed(f"the chair has no task on {journey.letter_url}:\n{page_text(letter)[:1500]}")
    task_page = chair.get(tasks[0][1])
    units = lxml.html.fromstring(task_page.content).xpath(
        f"//label[contains(., '{UNIT_NAME}')]//input[@name='units']/@value")
    if not units:
        raise StepFailed(f"no {UNIT_NAME} on the dispose page:\n{page_text(task_page)[:1500]}")
    response = chair.post_form(task_page.url, {
        "decision": "dispose", "units": [units[0]], "instruction": "ditindaklanjuti",
        "note": "Mohon ditindaklanjuti.", "deadline": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
    })
    if "terkirim" not in page_text(response):
        raise StepFailed(f"the disposition was not sent:\n{page_text(response)[:1500]}")
    queue = journey.client(UNIT_HEAD).get("/tugas/antrean/")
    journey.unit_queue = page_text(queue)
    return response


def search(journey, timeout=120):
    """The worker applies the search outbox to Elasticsearch; the unit the letter went to finds it."""
    unit = journey.client(UNIT_HEAD)

    def found():
        page = unit.get("/cari/", params={"q": journey.word})
        return links(page, r"/surat/\d+/"), page

    journey.search_hits = wait_for(f"the search for “{journey.word}” finding the letter", found, timeout)
    return journey.search_hits


def download(journey):
    """Both versions of the scan through nginx: the registered one is the uploaded file byte for byte."""
    registrar = journey.client(REGISTRAR)
    for number in journey.versions:
        response = registrar.get(f"{journey.document_url}v{number}/")
        if not response.content.startswith(b"%PDF"):
            raise StepFailed(f"version {number} did not come back as a PDF: {response.headers}")
        journey.downloaded[number] = response.content
    return {number: hashlib.sha256(content).hexdigest() for number, content in journey.downloaded.items()}


def transcribe(journey, timeout=300):
    """The registrar schedules a meeting as its notulis, uploads speech; the `asr` worker transcribes it."""
    from tests.audio import speak

    recording = Path(journey.workdir) / "rapat.wav"
    speak(recording, SPEECH)
    registrar = journey.client(REGISTRAR)
    form = lxml.html.fromstring(registrar.get("/rapat/jadwalkan/").content)

    def option(name, text):
        values = form.xpath(f"//select[@name='{name}']/option[contains(., '{text}')]/@value")
        if not values:
            raise StepFailed(f"no “{text}” to choose as {name} on /rapat/jadwalkan/")
        return values[0]

    registrar_name = form.xpath("//span[@class='who']")[0].text_content().strip()  # the one signed in
    response = registrar.post_form("/rapat/jadwalkan/", {
        "title": f"Rapat kerja drainase {journey.word}", "kind": "komisi", "unit": option("unit", "Komisi II"),
        "date": datetime.date.today().isoformat(), "start_time": "09:00", "place": "Ruang Rapat Komisi II",
        "chair": option("chair", registrar_name), "secretary": option("secretary", registrar_name),
        "agenda": "Pembahasan drainase",
    })
    if not re.search(r"/rapat/\d+/$", response.url):
        raise StepFailed(f"scheduling the meeting: stayed on {response.url}:\n{page_text(response)[:1500]}")
    journey.meeting_url = response.url
    task = [href for text, href in links(response, r"/tugas/\d+/$") if "rekaman" in text.lower()]
    if not task:
        raise StepFailed(f"the notulis has no upload task on {response.url}:\n{page_text(response)[:1500]}")
    registrar.post_form(task[0], {}, files={"audio": ("rapat.wav", recording.read_bytes(), "audio/wav")},
                        form="//form[@id='upload-form']")
    started = registrar.post_form(task[0], {}, form="//form[@id='start-form']")
    if "Transkripsi dimulai" not in page_text(started):
        raise StepFailed(f"the transcription did not start:\n{page_text(started)[:1500]}")

    def lines():
        page = registrar.get(journey.meeting_url)
        # each line reads "<second> s — <text>": the text alone
        found = [" ".join(item.text_content().split()).partition(" — ")[2] for item in
                 lxml.html.fromstring(page.content).xpath("//ol[@class='transcript']/li[starts-with(@id, 'baris-')]")]
        return found, page

    journey.transcript = wait_for("the asr worker transcribing the recording", lines, timeout, interval=2)
    return journey.transcript


STEPS = [
    ("register a letter with its scan (registrar)", register_letter),
    ("the worker stamps the scan (version 2)", wait_for_stamp),
    ("dispose it to Komisi I (chair)", dispose),
    ("find it by a word of its subject (Elasticsearch)", search),
    ("download the scan through nginx", download),
    ("transcribe a recording (asr worker, Whisper)", transcribe),
]


def run(journey, report=print):
    """Run every step in order, reporting each with its duration; raises at the first that fails."""
    timings = {}
    for title, step in STEPS:
        began = time.monotonic()
        try:
            step(journey)
        except Exception as problem:
            report(f"FAILED  {title} after {time.monotonic() - began:.1f} s")
            raise StepFailed(f"{title}: {problem}") from problem
        timings[title] = time.monotonic() - began
        report(f"ok      {title}: {timings[title]:.1f} s")
    return timings
