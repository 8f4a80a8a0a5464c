"""The people of the secretariat as Locust users: registrars, the chair, unit members and auditors.

``tests/bench/bench_load.py`` runs this file headless against a running SIAP and prints the figures; run by hand::

    LOAD_SCANS=/path/to/scans .venv/bin/locust -f tests/bench/locustfile.py --host https://127.0.0.1:57204

Each user signs in once, then works through the real pages and forms the way a browser does: it reads the
form it is about to send (CSRF token, the one-time submission token, the choices offered), posts it, and
opens the page the redirect points to as a request of its own, so every figure belongs to one route.
Requests are named by route pattern (``/surat/[id]/``) so that percentiles group across letters and tasks.

``LOAD_SCANS`` is a folder of letter PDFs with a ``manifest.json`` of their register data, written by
``bench_load.py`` with the demo's own letter builder: every registered letter needs its own scan and sender
number, or the register's duplicate check (rightly) asks for a confirmation instead of registering it.
"""

import datetime
import json
import os
import random
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
from gevent.event import Event
from locust import FastHttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "siap-demo")
WORK_SECONDS = float(os.environ.get("LOAD_WORK_SECONDS", "0"))  # 0: Locust's own --run-time ends the run
LETTERS = "letters"
FOLLOW_UP_UNITS = ("Komisi I ", "Komisi II ")  # the units whose members are simulated (trailing space: not III/IV)
SEARCH_WORDS = [
    "banjir", "drainase", "membangun drainase", "anggaran", "pendidikan", "stunting", "penerangan jalan",
    "pemeriksaan keuangan", "rapat koordinasi", "Sepinggan", "audiensi", "peraturan daerah", "tata ruang",
    "pokok pikiran", "izin keramaian", "kunjungan kerja", "laporan masyarakat", "Balikpapan Utara",
]
SEARCH_UNAVAILABLE = "Mesin pencari sedang tidak tersedia"
NUMBERED_SEGMENT = re.compile(r"/\d+(?=/|\.|$)")
TASK_LINK = re.compile(r"/tugas/(\d+)/")

# Task ids one simulated person is working on. All users run in one Locust process, so this is the office's
# shared knowledge of "someone already has that letter in hand": two sessions of the same account never
# race for the same task, which real colleagues avoid by talking to each other.
tasks_in_hand = set()


def route(url):
    """The route pattern of a URL (``/surat/12/`` -> ``/surat/[id]/``), the name its figures group under."""
    return NUMBERED_SEGMENT.sub("/[id]", urlsplit(url).path)


class PageForms(HTMLParser):
    """The forms of one page: per form id (or action), its fields with their values and offered choices."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.forms, self.links = {}, []
        self._form = self._select = self._label_input = None
        self.feed(text or "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {"action": attrs.get("action", ""), "values": {}, "choices": {}}
            self.forms[attrs.get("id") or attrs.get("action", "")] = self._form
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name"):
            name, kind = attrs["name"], attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                choice = [attrs.get("value", "on"), ""]
                self._form["choices"].setdefault(name, []).append(choice)
                self._label_input = choice
            elif kind != "file":
                self._form["values"][name] = attrs.get("value", "")
        elif tag == "select" and attrs.get("name"):
            self._select = self._form["choices"].setdefault(attrs["name"], [])
        elif tag == "option" and self._select is not None:
            self._select.append([attrs.get("value", ""), ""])

    def handle_data(self, data):
        if self._label_input is not None:
            self._label_input[1] += data.strip() + " "
        elif self._select:
            self._select[-1][1] += data.strip()

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "label":
            self._label_input = None


class Scans:
    """The prepared letter scans, each handed out once across all registrars."""

    def __init__(self, folder):
        self.folder = Path(folder) if folder else None
        self.entries = json.loads((self.folder / "manifest.json").read_text()) if self.folder else []
        self.next_index = 0

    def take(self):
        if self.next_index >= len(self.entries):
            return None
        entry = self.entries[self.next_index]
        self.next_index += 1
        return entry, (self.folder / entry["file"]).read_bytes()


scans = Scans(os.environ.get("LOAD_SCANS"))


class Arrival:
    """Everyone signs in first; the work, and its clock (``LOAD_WORK_SECONDS``), start once the last one has.

    A sign-in costs a deliberately slow password hash (PBKDF2, about a second of CPU here): a hundred of them
    in the first seconds are a storm no office has (people arrive over half an hour), and pages measured
    during it would tell how long the sign-in queue is, not how the day's work goes. Sign-ins keep their own
    row in the figures.
    """

    def __init__(self):
        self.signed_in = 0
        self.everyone = Event()

    def arrived(self, environment):
        self.signed_in += 1
        runner = environment.runner
        if self.signed_in >= runner.target_user_count and not self.everyone.is_set():
            print(f"all {self.signed_in} users signed in; working for {WORK_SECONDS:.0f} s", flush=True)
            self.everyone.set()
            if WORK_SECONDS:
                gevent.spawn_later(WORK_SECONDS, runner.quit)


arrival = Arrival()


@events.test_stop.add_listener
def say_whether_scans_ran_out(environment, **_kwargs):
    if scans.next_index >= len(scans.entries):
        print(f"all {len(scans.entries)} prepared scans were registered; later registrars only opened the form")


class SiapUser(FastHttpUser):
    """A signed-in person of the secretariat: reads pages, sends forms as a browser does."""

    abstract = True
    username = None
    wait_time = between(1, 5)  # reading a page, typing a note: seconds, not milliseconds

    def on_start(self):
        try:
            page = self.open("/akun/masuk/")
            form = PageForms(page.text).forms[""]  # the sign-in form has neither id nor action
            self.send("/akun/masuk/", {**form["values"], "username": self.username, "password": PASSWORD},
                      name="/akun/masuk/ (sign in)")
        finally:
            arrival.arrived(self.environment)
        arrival.everyone.wait()
        self.wait()  # people do not all click in the same second

    def open(self, url, name=None):
        """GET a page; a page that says the search engine failed counts as failed although it answered 200."""
        with self.client.get(url, name=name or route(url), catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif SEARCH_UNAVAILABLE in (response.text or ""):
                response.failure("search engine unavailable")
            else:
                response.success()
        return response

    def send(self, url, fields, files=None, name=None):
        """POST a form the way the browser sends it and expect the redirect of a form that was accepted.

        A 200 answer means the form came back with errors: that is a failure of the simulated person's input
        (or of the server's rules) and is counted as one. The redirect target is returned, unopened.
        """
        target = self.client.base_url + url
        headers = {"Referer": target, "Origin": "{0.scheme}://{0.netloc}".format(urlsplit(target))}
        if files is None:
            body = urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            options = {"data": body}
        else:
            options = {"data": fields, "files": files}
        with self.client.post(url, name=name or f"{route(url)} (POST)", headers=headers, allow_redirects=False,
                              catch_response=True, **options) as response:
            location = response.headers.get("location") if response.headers else None
            if response.status_code in (301, 302, 303) and location:
                response.success()
                return location
            response.failure(f"HTTP {response.status_code}: form not accepted")
            return None

    def open_redirect(self, location):
        return self.open(location) if location else None

    def take_task(self, links):
        """One task linked from the page that nobody else in this run is working on, reserved for this user."""
        linked = {int(match.group(1)) for match in map(TASK_LINK.fullmatch, links) if match}
        free = sorted(linked - tasks_in_hand)
        if not free:
            return None
        task_pk = random.choice(free)
        tasks_in_hand.add(task_pk)
        return task_pk


class Registrar(SiapUser):
    """Tata Usaha: looks at the inbox, registers incoming letters with their scanned PDF."""

    weight = 10
    username = "registrar"

    @task(1)
    def register_letter(self):
        page = self.open("/surat/daftar/")
        prepared = scans.take()
        if prepared is None:
            return
        entry, content = prepared
        form = PageForms(page.text).forms["register-form"]
        offered = {name: [value for value, _label in choices if value] for name, choices in form["choices"].items()}
        today = datetime.date.today()
        fields = {
            **form["values"],
            "sender": entry["sender"], "sender_number": entry["sender_number"], "subject": entry["subject"],
            "letter_date": entry["letter_date"], "received_date": today.isoformat(),
            "nature": random.choices(offered["nature"], weights=[6] + [1] * (len(offered["nature"]) - 1))[0],
            "classification": random.choice(offered["classification"]),
        }
        self.wait()  # typing the register data
        location = self.send("/surat/daftar/", fields, files={"scan": (entry["file"], content, "application/pdf")})
        self.open_redirect(location)

    @task(4)
    def inbox(self):
        self.open("/tugas/")

    @task(3)
    def letter_list(self):
        self.open("/surat/")


class Chair(SiapUser):
    """Ketua DPRD: opens letters awaiting disposition and disposes each to a commission."""

    weight = 5  # the chair's and the deputy's phone and desk sessions
    username = "chair"

    @task(5)
    def dispose_letter(self):
        inbox = self.open(f"/tugas/?proses={LETTERS}")
        task_pk = self.take_task(PageForms(inbox.text).links)
        if task_pk is None:
            return
        url = f"/tugas/{task_pk}/"
        page = PageForms(self.open(url).text)
        form = page.forms.get("dispose-form")
        if form is None:  # not a disposition (a deadline extension to decide): left for another day
            return
        units = [value for value, label in form["choices"]["units"] if label.startswith(FOLLOW_UP_UNITS)]
        instructions = [value for value, _label in form["choices"]["instruction"] if value]
        self.wait()  # reading the scan, deciding
        location = self.send(url, {
            **form["values"], "decision": "dispose", "units": random.sample(units, random.choice([1, 1, 2])),
            "instruction": random.choice(instructions), "note": "Mohon ditindaklanjuti dan dilaporkan.",
            "deadline": (datetime.date.today() + datetime.timedelta(days=14)).isoformat(),
        })
        self.open_redirect(location)

    @task(1)
    def dashboard(self):
        self.open("/")


class UnitMember(SiapUser):
    """A commission's head or staff: claims a letter's branch from the unit queue and closes it with a report."""

    abstract = True

    @task(2)
    def follow_up(self):
        queue = self.open(f"/tugas/antrean/?proses={LETTERS}")
        task_pk = self.take_task(PageForms(queue.text).links)
        if task_pk is None:
            return
        url = f"/tugas/{task_pk}/"
        claim = PageForms(self.open(url).text).forms.get(f"/tugas/{task_pk}/ambil/")
        if claim is None:
            return
        location = self.send(f"/tugas/{task_pk}/ambil/", claim["values"])
        if location is None or route(location) != "/tugas/[id]/":  # someone outside this run took it first
            self.open_redirect(location)
            return
        close = PageForms(self.open(location).text).forms.get("close-form")
        if close is None:
            return
        self.wait()  # doing the follow-up, writing the report
        location = self.send(url, {
            **close["values"], "close": "",
            "close-report": "Sudah dibahas dalam rapat komisi bersama dinas terkait; hasilnya dicatat dalam notulen.",
        })
        self.open_redirect(location)

    @task(2)
    def inbox(self):
        self.open("/tugas/")

    @task(1)
    def read_letter(self):
        letters = [link for link in PageForms(self.open("/surat/").text).links if route(link) == "/surat/[id]/"]
        if letters:
            self.open(random.choice(letters))


class KomisiOneHead(UnitMember):
    weight = 15
    username = "komisi1"


class KomisiOneStaff(UnitMember):
    weight = 10
    username = "staf.komisi1"


class KomisiTwoHead(UnitMember):
    weight = 15
    username = "komisi2"


class Auditor(SiapUser):
    """Inspektorat: searches the archive with everyday words, opens hits, reads the audit trail."""

    weight = 45
    username = "auditor"

    @task(6)
    def search(self):
        results = self.open(f"/cari/?{urlencode({'q': random.choice(SEARCH_WORDS)})}", name="/cari/?q=")
        hits = [link for link in PageForms(results.text).links if route(link) in ("/surat/[id]/",)]
        if hits:
            self.wait()
            self.open(random.choice(hits))

    @task(2)
    def audit_trail(self):
        self.open("/jejak/")

    @task(1)
    def letter_trail(self):
        letters = [link for link in PageForms(self.open("/surat/").text).links if route(link) == "/surat/[id]/"]
        if letters:
            self.open(random.choice(letters))
