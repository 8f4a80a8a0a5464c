"""Risalah, catatan rapat and laporan singkat as official documents: number, place and date, signers, draft mark."""

import datetime
import io

import pytest
from pypdf import PdfReader

from workflows.minutes.models import Meeting
from workflows.minutes.printouts import catatan_pdf, laporan_singkat_pdf, risalah_pdf

NUMBER = "RIS/KOM/0007/DPRD/2026"
DECISION = "Dinas PU menyusun jadwal pengerjaan."


def page_texts(content):
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def approved(meeting):
    meeting.status = Meeting.Status.PUBLISHED
    meeting.approved_at = datetime.datetime(2026, 11, 29, 3, 0, tzinfo=datetime.UTC)  # 11.00 WITA
    meeting.document_number = NUMBER
    return meeting


@pytest.fixture
def minutes(meeting):
    return meeting(main_points="Drainase Sepinggan.", conclusions="Anggaran disetujui.", decisions=DECISION)


@pytest.mark.parametrize("build", [risalah_pdf, catatan_pdf, laporan_singkat_pdf])
def test_approved_minutes_carry_number_place_and_date_and_both_signers(build, minutes):
    pages = page_texts(build(approved(minutes)))
    text = "\n".join(pages)
    for expected in (f"Nomor: {NUMBER}", "Balikpapan, 29 November 2026", "Notulis,", "Pimpinan Rapat,", "Nurul"):
        assert expected in text, expected
    assert not any("DRAF" in page for page in pages)
    assert len(PdfReader(io.BytesIO(build(minutes))).pages[0].images) == 1, "the emblem on the letterhead"


@pytest.mark.parametrize("build", [risalah_pdf, catatan_pdf, laporan_singkat_pdf])
def test_draft_minutes_have_no_number_and_say_draf(build, minutes):
    minutes.document_number = NUMBER  # kept from an approval before the minutes were returned for correction
    minutes.status = Meeting.Status.CORRECTING
    text = "\n".join(page_texts(build(minutes)))
    assert "DRAF" in text
    assert NUMBER not in text and "Nomor:" not in text


def test_every_page_of_a_long_draft_says_draf(minutes):
    minutes.main_points = "\n".join(f"Pokok pembicaraan {number}." for number in range(150))
    pages = page_texts(catatan_pdf(minutes))
    assert len(pages) > 2
    assert all("DRAF" in page for page in pages)
    assert not any("DRAF" in page for page in page_texts(catatan_pdf(approved(minutes))))


def test_the_signers_stay_on_the_page_where_the_text_ends(minutes):
    """Whatever the length of the text, the last section and the signer blocks share a page."""
    approved(minutes)
    page_counts = set()
    for length in range(5, 35, 2):
        minutes.main_points = "\n".join(f"Pokok pembicaraan {number}." for number in range(length))
        pages = page_texts(catatan_pdf(minutes))
        page_counts.add(len(pages))
        [signed] = [page for page in pages if "Pimpinan Rapat," in page]
        assert DECISION in signed and "Balikpapan, 29 November 2026" in signed, length
    assert len(page_counts) == 2, "the text grew across a page break"
