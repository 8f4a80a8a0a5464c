"""Outgoing letters share the letterhead of every printout: the DPRD's emblem beside the kop lines."""

import io

import pypdf

from workflows.outgoing.kinds import Kind
from workflows.outgoing.rendering import render_letter_pdf

from .test_rendering import make_sheet


def test_the_letter_kop_carries_the_emblem():
    page = pypdf.PdfReader(io.BytesIO(render_letter_pdf(make_sheet(Kind.SURAT_DINAS)))).pages[0]
    assert len(page.images) == 1
    assert "DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN" in page.extract_text()


def test_a_letter_without_its_emblem_file_still_prints(settings, tmp_path):
    settings.SIAP_EMBLEM_PATH = tmp_path / "hilang.png"
    page = pypdf.PdfReader(io.BytesIO(render_letter_pdf(make_sheet(Kind.SURAT_DINAS)))).pages[0]
    assert not page.images
    assert "DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN" in page.extract_text()
