"""The lembar disposisi: the secretariat's bordered form, filled in or blank for handwriting."""

import datetime
import io

from django.utils import timezone
from pypdf import PdfReader

from documents.models import ClassificationCode
from project.org.models import Delegation
from tests.support import pdf_text
from workflows.letters.models import Disposition, DispositionBranch, Instruction
from workflows.letters.printouts import TICK, disposition_sheet_pdf


def ticked(text):
    """The labels printed right after a tick mark (the text comes out with the tick on a line of its own)."""
    lines = [line.strip() for line in text.splitlines()]
    return [label for mark, label in zip(lines, lines[1:]) if mark == TICK]


def test_a_disposed_sheet_has_every_box_filled(org, register, dispose):
    org.chair.first_name, org.chair.last_name = "Andi", "Rahman"
    org.chair.save()
    code = ClassificationCode.objects.create(code="005", name="Undangan")
    letter = register(
        nature="segera", classification=code, letter_date=datetime.date(2026, 11, 26),
        received_date=datetime.date(2026, 11, 27), subject="Permohonan audiensi <b>banjir</b>",
    )
    dispose(letter, [org.komisi1, org.komisi2], deadline=datetime.date(2026, 12, 4))
    Disposition.objects.filter(letter=letter).update(given_at=datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC))

    text = pdf_text(disposition_sheet_pdf(letter))

    for expected in [
        "LEMBAR DISPOSISI", "DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN", letter.agenda_label,
        "Dinas Pekerjaan Umum", "600/12/DPU", "26 November 2026", "27 November 2026",
        "Permohonan audiensi <b>banjir</b>", "005 — Undangan", "Komisi I", "Komisi II", "Mohon ditindaklanjuti",
        "Batas waktu:", "4 Desember 2026", "Balikpapan, 29 November 2026", "KETUA DPRD KOTA BALIKPAPAN,",
        "Andi Rahman",
    ]:
        assert expected in text, expected
    assert ticked(text) == ["Segera", "Komisi I", "Komisi II", "Untuk ditindaklanjuti"]
    for status_word in ("Belum", "Tanpa batas waktu", "Plh."):
        assert status_word not in text, status_word


def test_a_disposition_for_information_has_no_deadline(org, register):
    letter = register()
    disposition = Disposition.objects.create(
        letter=letter, instruction=Instruction.DIKETAHUI, note="", deadline=None, given_by=org.chair,
    )
    DispositionBranch.objects.create(disposition=disposition, unit=org.komisi1)

    text = pdf_text(disposition_sheet_pdf(letter))

    assert "Tanpa batas waktu" in text
    assert ticked(text) == ["Biasa", "Komisi I", "Untuk diketahui"]


def test_a_sheet_before_the_disposition_is_blank_for_handwriting(org, register):
    letter = register(nature="rahasia")

    text = pdf_text(disposition_sheet_pdf(letter))

    assert ticked(text) == ["Rahasia"], "only the letter's nature is ticked; the chair ticks the rest by hand"
    for instruction in Instruction.labels:
        assert str(instruction) in text, instruction
    assert "Balikpapan, ....." in text and "Ketua" in text  # the chair of today signs, on a date to be written
    for status_word in ("Belum", "Menunggu", "Tanpa batas waktu", "Komisi I"):
        assert status_word not in text, status_word


def test_a_disposition_given_by_the_delegate_is_marked_plh(org, register):
    now = timezone.now()
    position = org.chair_position
    Delegation.objects.create(
        position=position, delegate=org.deputy, starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=1),
    )
    letter = register()
    disposition = Disposition.objects.create(
        letter=letter, instruction=Instruction.DIBAHAS, deadline=now.date(), given_by=org.deputy, acting_for=org.chair,
    )
    DispositionBranch.objects.create(disposition=disposition, unit=org.komisi2)

    text = pdf_text(disposition_sheet_pdf(letter))

    assert "Plh. KETUA DPRD KOTA BALIKPAPAN," in text
    assert "Wakil" in text, "the delegate's name is under the signature space"


def test_the_sheet_has_the_emblem_on_its_letterhead(org, register):
    page = PdfReader(io.BytesIO(disposition_sheet_pdf(register()))).pages[0]
    assert len(page.images) == 1
