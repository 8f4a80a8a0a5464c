"""The printed letter: layouts per kind, the signature block rules of Pasal 44, paraf, QR, drafts.

The PDFs are read back with pypdf's text extraction, so every assertion is
about what a reader of the printed letter sees. No database is needed.
"""

import dataclasses
import datetime
import io
import re

import pypdf
import pytest
from reportlab.lib.units import mm

from workflows.outgoing.kinds import TITLE_OF, Kind
from workflows.outgoing.rendering import (
    PENDING_DATE,
    PENDING_NUMBER,
    QR_CAPTION,
    SIGNED_ELECTRONICALLY,
    LetterSheet,
    ParafMark,
    initials,
    render_letter_pdf,
)
from workflows.outgoing.signature_block import Authority, Signatory, SignatureLines, signature_lines

SECRETARY = Signatory(
    name="Andi Rahman",
    name_with_titles="Dr. Andi Rahman, S.H., M.H.",
    nip="197001011995031001",
    rank="Pembina Utama Muda (IV/c)",
)
CHAIR = Signatory(name="Budi Santoso", name_with_titles="H. Budi Santoso, S.E., M.M.")
SECRETARY_OFFICE = Authority("Sekretaris DPRD Kota Balikpapan")
CHAIR_OFFICE = Authority("Ketua DPRD Kota Balikpapan")

NUMBER = "000.1.5/0421/DPRD"
QR_URL = "https://siap.example.test/verifikasi/8f3a2c"
TITLED_KINDS = [Kind.SURAT_TUGAS, Kind.BERITA_ACARA, Kind.SURAT_KETERANGAN]
CORRESPONDENCE_KINDS = [Kind.SURAT_DINAS, Kind.UNDANGAN]


def make_sheet(kind, signatory=SECRETARY, authority=SECRETARY_OFFICE, **fields):
    values = dict(
        kind=kind,
        signature=signature_lines(kind, authority, signatory),
        organ_lines=["DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN", "KOMISI I"],
        number=NUMBER,
        date=datetime.date(2026, 12, 7),
        nature="Segera",
        attachments_label="1 (satu) berkas",
        subject="Rapat dengar pendapat penanganan banjir",
        addressees=["Wali Kota Balikpapan"],
        addressee_place="di Balikpapan",
        body="Dengan hormat, bersama ini kami sampaikan pokok surat.\n\nDemikian kami sampaikan, terima kasih.",
        copies=["Ketua DPRD Kota Balikpapan", "Arsip"],
        memo_from="Ketua Komisi I",
        memo_to=["Ketua DPRD Kota Balikpapan"],
        qr_url=QR_URL,
        document_title="Surat uji",
    )
    values.update(fields)
    return LetterSheet(**values)


def page_texts(pdf):
    """The text of each page, whitespace collapsed (table cells and wrapped lines come out as separate lines)."""
    return [" ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf):
    return " ".join(page_texts(pdf))


def assert_in_order(text, *parts):
    positions = [text.find(part) for part in parts]
    assert -1 not in positions, dict(zip(parts, positions))
    assert positions == sorted(positions), dict(zip(parts, positions))


def rectangles_per_page(pdf):
    """How many rectangles each page draws: the QR code is hundreds of them."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [len(re.findall(rb" re\b", page.get_contents().get_data())) for page in reader.pages]


def height_of(pdf, needle, page=0):
    """How far above the bottom edge of the page (in points) the first text run containing ``needle`` is drawn."""
    heights = []

    def visit(text, cm, tm, font_dict, font_size):
        if needle in text:
            heights.append(tm[4] * cm[1] + tm[5] * cm[3] + cm[5])

    pypdf.PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    assert heights, needle
    return heights[0]


# --- signature_lines, the pure rule ---------------------------------------------


def test_civil_servant_on_a_surat_dinas_shows_titles_rank_and_nip():
    lines = signature_lines(Kind.SURAT_DINAS, SECRETARY_OFFICE, SECRETARY)
    assert lines == SignatureLines(
        office_lines=["SEKRETARIS DPRD KOTA BALIKPAPAN,"],
        name="Dr. Andi Rahman, S.H., M.H.",
        detail_lines=["Pembina Utama Muda (IV/c)", "NIP. 197001011995031001"],
    )


def test_on_a_keputusan_the_name_has_no_academic_titles_but_rank_and_nip_stay():
    lines = signature_lines(Kind.KEPUTUSAN, SECRETARY_OFFICE, SECRETARY)
    assert lines.name == "Andi Rahman"
    assert lines.detail_lines == ["Pembina Utama Muda (IV/c)", "NIP. 197001011995031001"]


@pytest.mark.parametrize("kind", [kind for kind in Kind if kind != Kind.KEPUTUSAN])
def test_other_kinds_print_the_name_with_titles(kind):
    assert signature_lines(kind, SECRETARY_OFFICE, SECRETARY).name == "Dr. Andi Rahman, S.H., M.H."


@pytest.mark.parametrize("kind", list(Kind))
def test_a_council_member_has_neither_rank_nor_nip(kind):
    assert signature_lines(kind, CHAIR_OFFICE, CHAIR).detail_lines == []


def test_a_rank_without_nip_is_not_printed():
    """Only civil servants show a rank, and a civil servant has a NIP."""
    signer = dataclasses.replace(CHAIR, rank="Pembina (IV/a)")
    assert signature_lines(Kind.SURAT_DINAS, CHAIR_OFFICE, signer).detail_lines == []


def test_a_name_without_a_titled_form_falls_back_to_the_name():
    signer = Signatory(name="Budi Santoso", name_with_titles="")
    assert signature_lines(Kind.SURAT_DINAS, CHAIR_OFFICE, signer).name == "Budi Santoso"


def test_plain_office_line_is_upper_case_with_a_comma():
    assert signature_lines(Kind.SURAT_DINAS, CHAIR_OFFICE, CHAIR).office_lines == ["KETUA DPRD KOTA BALIKPAPAN,"]


def test_atas_nama_puts_the_mandating_office_first():
    authority = Authority("Sekretaris DPRD Kota Balikpapan", on_behalf_of="Ketua DPRD Kota Balikpapan")
    assert signature_lines(Kind.SURAT_DINAS, authority, SECRETARY).office_lines == [
        "a.n. KETUA DPRD KOTA BALIKPAPAN,",
        "SEKRETARIS DPRD KOTA BALIKPAPAN,",
    ]


def test_untuk_beliau_passes_the_mandate_one_level_down():
    authority = Authority(
        "Kepala Bagian Umum",
        on_behalf_of="Ketua DPRD Kota Balikpapan",
        through="Sekretaris DPRD Kota Balikpapan",
    )
    assert signature_lines(Kind.SURAT_DINAS, authority, SECRETARY).office_lines == [
        "a.n. KETUA DPRD KOTA BALIKPAPAN,",
        "SEKRETARIS DPRD KOTA BALIKPAPAN,",
        "u.b.",
        "KEPALA BAGIAN UMUM,",
    ]


@pytest.mark.parametrize("mark", ["Plt.", "Plh."])
def test_acting_mark_is_written_before_the_office(mark):
    authority = Authority("Ketua DPRD Kota Balikpapan", acting=mark)
    assert signature_lines(Kind.SURAT_DINAS, authority, CHAIR).office_lines == [f"{mark} KETUA DPRD KOTA BALIKPAPAN,"]


def test_acting_signer_under_atas_nama():
    authority = Authority("Sekretaris DPRD Kota Balikpapan", on_behalf_of="Ketua DPRD Kota Balikpapan", acting="Plt.")
    assert signature_lines(Kind.SURAT_DINAS, authority, SECRETARY).office_lines == [
        "a.n. KETUA DPRD KOTA BALIKPAPAN,",
        "Plt. SEKRETARIS DPRD KOTA BALIKPAPAN,",
    ]


def test_unknown_acting_mark_is_refused():
    with pytest.raises(ValueError):
        Authority("Ketua DPRD Kota Balikpapan", acting="PLT")


def test_untuk_beliau_without_atas_nama_is_refused():
    with pytest.raises(ValueError):
        Authority("Kepala Bagian Umum", through="Sekretaris DPRD Kota Balikpapan")


@pytest.mark.parametrize("name, expected", [
    ("Dr. H. Andi Rahman, S.H., M.H.", "AR"),
    ("Hj. Siti Aminah, S.E.", "SA"),
    ("M. Yusuf", "MY"),
    ("Rina Kartika Dewi", "RKD"),
])
def test_initials_drop_titles_and_honorifics(name, expected):
    assert initials(name) == expected


# --- layouts ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", CORRESPONDENCE_KINDS)
def test_correspondence_heading_addressee_and_tembusan(kind):
    text = text_of(render_letter_pdf(make_sheet(kind)))
    assert_in_order(
        text,
        "DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN", "KOMISI I",
        "Balikpapan, 7 Desember 2026",
        "Nomor", NUMBER, "Sifat", "Segera", "Lampiran", "1 (satu) berkas",
        "Hal", "Rapat dengar pendapat penanganan banjir",
        "Yth. Wali Kota Balikpapan", "di Balikpapan",
        "Dengan hormat", "SEKRETARIS DPRD KOTA BALIKPAPAN,",
        "Tembusan:", "1. Ketua DPRD Kota Balikpapan", "2. Arsip",
    )
    assert "TENTANG" not in text
    assert "NOTA DINAS" not in text


def test_several_addressees_are_numbered():
    pdf = render_letter_pdf(make_sheet(Kind.SURAT_DINAS, addressees=["Wali Kota Balikpapan", "Kapolresta Balikpapan"]))
    assert_in_order(text_of(pdf), "Yth.", "1. Wali Kota Balikpapan", "2. Kapolresta Balikpapan", "di Balikpapan")


def test_many_addressees_run_over_pages():
    addressees = [f"Ketua Rukun Tetangga {number} Kelurahan Sepinggan" for number in range(1, 61)]
    pdf = render_letter_pdf(make_sheet(Kind.UNDANGAN, addressees=addressees))
    pages = page_texts(pdf)
    assert len(pages) >= 2
    assert_in_order(" ".join(pages), "1. Ketua Rukun Tetangga 1 Kelurahan", "60. Ketua Rukun Tetangga 60 Kelurahan",
                    "di Balikpapan", "Dengan hormat")


def test_invitation_rows_follow_the_first_paragraph():
    event = [
        ("Hari/tanggal", "Senin, 7 Desember 2026"),
        ("Waktu", "09.00 WITA s.d. selesai"),
        ("Tempat", "Ruang Rapat Gabungan"),
        ("Acara", "Rapat dengar pendapat"),
    ]
    text = text_of(render_letter_pdf(make_sheet(Kind.UNDANGAN, event=event)))
    assert_in_order(
        text,
        "pokok surat.",
        "Hari/tanggal : Senin, 7 Desember 2026",
        "Waktu : 09.00 WITA s.d. selesai",
        "Tempat : Ruang Rapat Gabungan",
        "Acara : Rapat dengar pendapat",
        "Demikian kami sampaikan",
    )


def test_nota_dinas_uses_the_memo_heading():
    text = text_of(render_letter_pdf(make_sheet(Kind.NOTA_DINAS)))
    assert_in_order(
        text,
        "NOTA DINAS",
        "Yth. : Ketua DPRD Kota Balikpapan",
        "Dari : Ketua Komisi I",
        "Tembusan : 1. Ketua DPRD Kota Balikpapan", "2. Arsip",
        "Tanggal : 7 Desember 2026",
        f"Nomor : {NUMBER}",
        "Sifat : Segera",
        "Lampiran : 1 (satu) berkas",
        "Hal : Rapat dengar pendapat penanganan banjir",
        "Dengan hormat",
        "SEKRETARIS DPRD KOTA BALIKPAPAN,",
    )
    assert "Tembusan:" not in text  # in the heading, not at the foot
    assert "Wali Kota Balikpapan" not in text  # the letter addressees are no part of a nota dinas


def test_keputusan_has_title_number_tentang_and_ditetapkan():
    text = text_of(render_letter_pdf(make_sheet(Kind.KEPUTUSAN, subject="Pembentukan panitia khusus")))
    assert_in_order(
        text,
        "KEPUTUSAN PIMPINAN DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN",
        f"NOMOR {NUMBER}",
        "TENTANG",
        "PEMBENTUKAN PANITIA KHUSUS",
        "Dengan hormat",
        "Ditetapkan di Balikpapan",
        "pada tanggal 7 Desember 2026",
        "SEKRETARIS DPRD KOTA BALIKPAPAN,",
    )
    for correspondence_only in ("Sifat", "Lampiran", "Yth."):
        assert correspondence_only not in text


@pytest.mark.parametrize("kind", TITLED_KINDS)
def test_titled_kinds_have_title_and_number_but_no_tentang(kind):
    text = text_of(render_letter_pdf(make_sheet(kind)))
    assert_in_order(text, TITLE_OF[kind], f"NOMOR {NUMBER}", "Dengan hormat", "Balikpapan, 7 Desember 2026",
                    "SEKRETARIS DPRD KOTA BALIKPAPAN,", "Tembusan:")
    for absent in ("TENTANG", "Ditetapkan di", "Sifat", "Yth."):
        assert absent not in text


@pytest.mark.parametrize("kind", [Kind.SURAT_DINAS, Kind.NOTA_DINAS, Kind.KEPUTUSAN])
def test_a_draft_without_number_or_date_prints_placeholders(kind):
    text = text_of(render_letter_pdf(make_sheet(kind, number="", date=None, draft=True, qr_url="")))
    assert PENDING_NUMBER in text
    assert PENDING_DATE in text
    assert NUMBER not in text


def test_empty_optional_fields_still_render():
    sheet = make_sheet(
        Kind.SURAT_DINAS, number="", date=None, subject="", addressees=[], body="", copies=[], event=[],
        paraf=[], qr_url="", organ_lines=["DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN"], address_line="",
    )
    text = text_of(render_letter_pdf(sheet))
    assert_in_order(text, "DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN", "Nomor", "Hal", "Yth. -", "di Balikpapan",
                    "SEKRETARIS DPRD KOTA BALIKPAPAN,")
    for absent in ("Tembusan", "KOMISI I", "Jabatan", QR_CAPTION):
        assert absent not in text


# --- the signature block on paper -------------------------------------------------


def test_civil_servant_signer_on_a_surat_dinas_shows_titles_rank_and_nip():
    text = text_of(render_letter_pdf(make_sheet(Kind.SURAT_DINAS)))
    assert_in_order(text, "SEKRETARIS DPRD KOTA BALIKPAPAN,", "Dr. Andi Rahman, S.H., M.H.",
                    "Pembina Utama Muda (IV/c)", "NIP. 197001011995031001")


def test_the_same_signer_on_a_keputusan_has_no_academic_titles():
    text = text_of(render_letter_pdf(make_sheet(Kind.KEPUTUSAN)))
    assert_in_order(text, "SEKRETARIS DPRD KOTA BALIKPAPAN,", "Andi Rahman", "NIP. 197001011995031001")
    assert "Dr. Andi" not in text
    assert "S.H." not in text


@pytest.mark.parametrize("kind", list(Kind))
def test_the_chair_never_shows_a_nip(kind):
    text = text_of(render_letter_pdf(make_sheet(kind, signatory=CHAIR, authority=CHAIR_OFFICE)))
    assert "KETUA DPRD KOTA BALIKPAPAN," in text
    assert "Budi Santoso" in text
    assert "NIP" not in text


def test_an_ub_and_plh_lines_are_printed_in_order():
    authority = Authority(
        "Kepala Bagian Umum",
        on_behalf_of="Ketua DPRD Kota Balikpapan",
        through="Sekretaris DPRD Kota Balikpapan",
        acting="Plh.",
    )
    text = text_of(render_letter_pdf(make_sheet(Kind.SURAT_DINAS, authority=authority)))
    assert_in_order(text, "a.n. KETUA DPRD KOTA BALIKPAPAN,", "SEKRETARIS DPRD KOTA BALIKPAPAN,", "u.b.",
                    "Plh. KEPALA BAGIAN UMUM,", "Dr. Andi Rahman, S.H., M.H.")


def test_electronic_signature_is_said_in_the_signature_space():
    signed = text_of(render_letter_pdf(make_sheet(Kind.SURAT_DINAS, signed_electronically=True)))
    wet = text_of(render_letter_pdf(make_sheet(Kind.SURAT_DINAS, signed_electronically=False)))
    assert_in_order(signed, "SEKRETARIS DPRD KOTA BALIKPAPAN,", SIGNED_ELECTRONICALLY, "Dr. Andi Rahman")
    assert SIGNED_ELECTRONICALLY not in wet


# --- paraf -------------------------------------------------------------------------


def test_paraf_box_shows_aspects_and_initials_of_those_who_initialled():
    marks = [
        ParafMark(order=2, aspect="Redaksi", office="Kepala Bagian Umum", name="Hj. Siti Aminah, S.E.",
                  initialled_at=datetime.datetime(2026, 12, 6, 10, 30)),
        ParafMark(order=1, aspect="Substansi", office="Kepala Subbagian Tata Usaha", name="Rina Kartika Dewi",
                  initialled_at=datetime.datetime(2026, 12, 5, 9, 0)),
        ParafMark(order=3, aspect="Pengetikan", office="Pengadministrasi Umum", name="M. Yusuf"),
    ]
    text = text_of(render_letter_pdf(make_sheet(Kind.SURAT_DINAS, paraf=marks)))
    assert_in_order(
        text,
        "No Jabatan Paraf",
        "1 Kepala Subbagian Tata Usaha (Substansi) RKD 05-12-2026",
        "2 Kepala Bagian Umum (Redaksi) SA 06-12-2026",
        "3 Pengadministrasi Umum (Pengetikan)",
    )
    assert "MY" not in text  # not initialled yet: the cell stays empty


def test_paraf_date_is_the_local_date(settings):
    settings.TIME_ZONE = "Asia/Makassar"
    late_evening_utc = datetime.datetime(2026, 12, 6, 17, 0, tzinfo=datetime.UTC)  # 7 Dec 01.00 WITA
    mark = ParafMark(order=1, aspect="Substansi", office="Kepala Bagian Umum", name="Siti Aminah",
                     initialled_at=late_evening_utc)
    text = text_of(render_letter_pdf(make_sheet(Kind.SURAT_DINAS, paraf=[mark])))
    assert "SA 07-12-2026" in text


def test_no_paraf_box_without_marks():
    text = text_of(render_letter_pdf(make_sheet(Kind.SURAT_DINAS, paraf=[])))
    assert "Jabatan" not in text
    assert "Paraf" not in text


# --- draft, QR, pages, escaping ---------------------------------------------------------


def test_signed_letter_has_the_qr_code_on_its_last_page_only():
    pdf = render_letter_pdf(make_sheet(Kind.SURAT_DINAS, body="Paragraf panjang. " * 900))
    pages = page_texts(pdf)
    rectangles = rectangles_per_page(pdf)
    assert len(pages) >= 2
    assert QR_CAPTION in pages[-1] and QR_URL in pages[-1]
    assert not any(QR_CAPTION in page for page in pages[:-1])
    assert rectangles[-1] > 100
    assert all(count < 20 for count in rectangles[:-1])
    assert "DRAF" not in " ".join(pages)


def test_qr_code_sits_at_the_foot_of_the_page():
    """Not straight after the tembusan: at the bottom left, where a reader looks for it."""
    pdf = render_letter_pdf(make_sheet(Kind.SURAT_DINAS))
    assert len(page_texts(pdf)) == 1
    assert height_of(pdf, QR_CAPTION) < 40 * mm
    assert height_of(pdf, "Tembusan:") > 80 * mm


def test_draft_has_a_watermark_on_every_page_and_no_qr_code():
    pdf = render_letter_pdf(make_sheet(Kind.SURAT_DINAS, draft=True, body="Paragraf panjang. " * 900))
    pages = page_texts(pdf)
    assert len(pages) >= 2
    assert all("DRAF" in page for page in pages)
    assert QR_CAPTION not in " ".join(pages)
    assert QR_URL not in " ".join(pages)  # even when the caller left the address in
    assert all(count < 20 for count in rectangles_per_page(pdf))


def test_a_long_body_runs_over_numbered_pages():
    paragraphs = [f"Paragraf {number}: " + "isi surat yang panjang sekali. " * 40 for number in range(1, 37)]
    pdf = render_letter_pdf(make_sheet(Kind.SURAT_DINAS, body="\n\n".join(paragraphs)))
    pages = page_texts(pdf)
    assert len(pages) >= 5
    assert "- 1 -" not in pages[0]  # the first page, with the kop, is not numbered
    for number, page in enumerate(pages[1:], start=2):
        assert page.startswith(f"- {number} -")
    assert_in_order(" ".join(pages), "Paragraf 1:", "Paragraf 36:", "SEKRETARIS DPRD KOTA BALIKPAPAN,", "Tembusan:")


def test_a_one_page_letter_has_no_page_number():
    pages = page_texts(render_letter_pdf(make_sheet(Kind.SURAT_DINAS, qr_url="")))
    assert len(pages) == 1
    assert "- 1 -" not in pages[0]


def test_user_text_is_printed_literally():
    signer = dataclasses.replace(SECRETARY, name_with_titles="Andi <i>Rahman</i> & Co, S.H.")
    sheet = make_sheet(
        Kind.SURAT_DINAS,
        signatory=signer,
        subject="Hal <b>tebal</b> & lain-lain",
        addressees=["PT <i>Maju</i> & Sons"],
        body="<script>alert('x')</script> & <b>bukan tebal</b>\nbaris kedua",
        event=[("Tempat", "Ruang <u>A</u> & B")],
        copies=["Arsip <br/>"],
    )
    text = text_of(render_letter_pdf(sheet))
    for literal in ("Hal <b>tebal</b> & lain-lain", "PT <i>Maju</i> & Sons", "<script>alert('x')</script>",
                    "& <b>bukan tebal</b> baris kedua", "Ruang <u>A</u> & B", "Arsip <br/>",
                    "Andi <i>Rahman</i> & Co, S.H."):
        assert literal in text


def test_page_content_is_uncompressed_and_title_is_set():
    reader = pypdf.PdfReader(io.BytesIO(render_letter_pdf(make_sheet(Kind.SURAT_DINAS))))
    contents = reader.pages[0]["/Contents"].get_object()
    assert "/Filter" not in contents
    assert reader.metadata.title == "Surat uji"
