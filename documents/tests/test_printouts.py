"""The parts every printout shares: the letterhead with the emblem, the draft watermark, the place and date line."""

import datetime
import io
import logging

from django.conf import settings
from pypdf import PdfReader

from documents.pdf import para, place_and_date, render, styles


def pages_of(content):
    return PdfReader(io.BytesIO(content)).pages


def long_story(paragraphs=150):
    s = styles()
    return [para(f"Paragraf {number}: isi laporan yang panjang.", s["body"]) for number in range(paragraphs)]


def test_the_letterhead_carries_the_emblem_as_an_image():
    [page] = pages_of(render("DAFTAR", long_story(3)))
    [image] = page.images
    assert image.image.height > 0
    text = page.extract_text()
    assert "DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN" in text and "SEKRETARIAT DPRD" in text


def test_the_emblem_shipped_is_the_configured_placeholder():
    assert settings.SIAP_EMBLEM_PATH.is_file()


def test_a_missing_emblem_prints_without_it_and_warns(settings, tmp_path, caplog):
    settings.SIAP_EMBLEM_PATH = tmp_path / "tidak-ada.png"
    with caplog.at_level(logging.WARNING, logger="documents.pdf"):
        [page] = pages_of(render("DAFTAR", long_story(3)))
    assert not page.images
    assert "DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN" in page.extract_text()
    assert "tidak-ada.png" in caplog.text


def test_a_broken_emblem_prints_without_it(settings, tmp_path, caplog):
    truncated = tmp_path / "lambang.png"
    truncated.write_bytes(settings.SIAP_EMBLEM_PATH.read_bytes()[:2000])
    settings.SIAP_EMBLEM_PATH = truncated
    with caplog.at_level(logging.WARNING, logger="documents.pdf"):
        [page] = pages_of(render("DAFTAR", long_story(3)))
    assert not page.images
    assert "lambang.png" in caplog.text


def test_a_draft_is_watermarked_on_every_page():
    draft, final = pages_of(render("DAFTAR", long_story(), draft=True)), pages_of(render("DAFTAR", long_story()))
    assert len(draft) == len(final) > 1
    assert all("DRAF" in page.extract_text() for page in draft)
    assert not any("DRAF" in page.extract_text() for page in final)


def test_place_and_date_line():
    assert place_and_date(datetime.date(2026, 11, 29)) == "Balikpapan, 29 November 2026"
    assert place_and_date("(tanggal penandatanganan)", "Jakarta") == "Jakarta, (tanggal penandatanganan)"
