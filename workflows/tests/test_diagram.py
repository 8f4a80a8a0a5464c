"""The process diagram on a subject's page: where the process stands and who holds it."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.support import PASSWORD, make_user
from workflows import inbox
from workflows.diagram import Step, flow_layout, process_diagram
from workflows.letters import services as letters
from workflows.letters.flows import LetterFlow
from workflows.minutes import services as minutes
from workflows.minutes.flows import MinutesFlow
from workflows.steps import complete_human_task

SVG = "{http://www.w3.org/2000/svg}"


def states(diagram):
    """Node name -> "active" / "done" for the nodes that are either."""
    return {node.name: state for node, state in diagram["nodes"] if state}


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def svg_of(page):
    return re.search(r"<svg\b.*?</svg>", page.content.decode(), re.DOTALL).group(0)


def test_a_letter_awaiting_disposition_is_at_the_chairs_step(org, register):
    letter = register()
    diagram = process_diagram(letter, org.registrar)
    assert states(diagram) == {"register": "done", "dispose": "active"}
    assert diagram["steps"] == [Step(title="Disposisi pimpinan", holder="Ketua", yours=False)]
    assert process_diagram(letter, org.chair)["steps"][0].yours


def test_after_disposition_each_branch_waits_in_its_units_queue_until_claimed(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1, org.komisi2])
    diagram = process_diagram(letter, org.k1)
    assert states(diagram)["follow_up"] == "active"
    assert states(diagram)["dispose"] == "done"
    assert sorted(step.holder for step in diagram["steps"]) == ["antrean Komisi I", "antrean Komisi II"]
    assert {step.title for step in diagram["steps"]} == {"Tindak lanjut unit"}

    inbox.claim(letter.process.task_set.get(flow_task=LetterFlow.follow_up, data__unit=org.komisi1.pk), user=org.k1)
    steps = process_diagram(letter, org.k1)["steps"]
    assert sorted((step.holder, step.yours) for step in steps) == [("Komisi1", True), ("antrean Komisi II", False)]


def test_an_archived_letter_has_reached_the_end_with_nothing_active(org, register):
    letter = register()
    letters.file_without_disposition(letters.open_task(letter, LetterFlow.dispose), user=org.chair)
    letter.refresh_from_db()
    diagram = process_diagram(letter, org.registrar)
    assert "active" not in states(diagram).values()
    assert states(diagram)["end"] == "done"
    assert diagram["steps"] == [] and diagram["finished"]
    page = client_for(org.registrar).get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert "Proses selesai." in page


def test_a_meeting_in_correction_is_at_the_notulis_step(org):
    notulis = make_user("notulis", first_name="Nurul")
    meeting = minutes.schedule_meeting(
        data={
            "title": "Rapat kerja Komisi II", "kind": "komisi", "is_closed": True, "unit": org.komisi2,
            "date": timezone.localdate(), "start_time": datetime.time(9, 0), "end_time": datetime.time(12, 0),
            "place": "Ruang Rapat Komisi II", "chair": org.k2, "secretary": notulis,
        },
        agenda=["Pembukaan"], invitees=[org.member], guests=[], user=org.registrar,
    )
    complete_human_task(meeting.process.task_set.get(flow_task=MinutesFlow.record), notulis)
    # what the worker does once every recording has its transcript
    MinutesFlow.transcribe.run(meeting.process.task_set.get(flow_task=MinutesFlow.transcribe))
    meeting.refresh_from_db()

    diagram = process_diagram(meeting, org.k2)
    assert states(diagram) == {"schedule": "done", "record": "done", "transcribe": "done", "correct": "active"}
    assert diagram["steps"] == [Step(title="Koreksi transkrip", holder="Nurul", yours=False)]
    page = client_for(notulis).get(meeting.get_absolute_url())
    assert "Alur proses" in page.content.decode()
    assert 'class="node active"' in svg_of(page)


def test_a_user_who_cannot_see_the_letter_gets_no_diagram(org, register, dispose):
    letter = register(subject="Hanya untuk Komisi II")
    dispose(letter, [org.komisi2])
    url = reverse("letters:detail", args=[letter.pk])
    assert "Alur proses" in client_for(org.k2).get(url).content.decode()
    refused = client_for(org.k1).get(url)
    assert refused.status_code == 404
    assert "Alur proses" not in refused.content.decode() and "<svg" not in refused.content.decode()


def test_the_diagram_is_well_formed_svg_with_an_accessible_name(org, register):
    letter = register()
    root = ET.fromstring(svg_of(client_for(org.registrar).get(reverse("letters:detail", args=[letter.pk]))))
    assert root.tag == f"{SVG}svg"
    width, height = flow_layout(LetterFlow, "id").width, flow_layout(LetterFlow, "id").height
    assert root.get("viewBox") == f"0 0 {width} {height}"
    title = root.find(f"{SVG}title")
    assert title.text == "Diagram alur proses Surat masuk"
    assert title.get("id") in root.get("aria-labelledby").split()
    [active] = [g for g in root.iter(f"{SVG}g") if "active" in g.get("class", "").split()]
    assert "Disposisi pimpinan" in [text.text for text in active.iter(f"{SVG}text")]
    assert active.find(f"{SVG}title").text == "Disposisi pimpinan (sedang berjalan)"


@pytest.mark.parametrize("language, title", [("id", "Disposisi pimpinan"), ("en", "Chair's disposition")])
def test_the_layout_is_kept_per_flow_and_language(language, title):
    with translation.override(language):
        layout = flow_layout(LetterFlow, language)
        assert flow_layout(LetterFlow, language) is layout
    assert title in [node.title for node in layout.nodes]
