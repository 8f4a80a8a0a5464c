"""documents.textquality: garbage text layers go to OCR, ordinary pages never do.

The garbage samples are what pypdf really extracts from one-page PDFs built here with the
font defects met in the wild; the ordinary samples are the kinds of pages SIAP stores.
"""

import io

import pytest
from pypdf import PdfReader

from documents.textquality import Assessment, assess

LETTER = "Dengan hormat, bersama ini kami mengundang Saudara untuk menghadiri rapat kerja Komisi III DPRD"


def pypdf_text(font, content):
    """What pypdf extracts from a one-page PDF whose only font is ``font`` (a dictionary)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        font,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    pdf = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def show(operators):
    return b"BT /F1 12 Tf 72 700 Td " + operators + b" ET"


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

# A TrueType font embedded as Identity-H without a ToUnicode map: pypdf reads the glyph
# ids as UTF-16 code points.
IDENTITY_H_WITHOUT_TO_UNICODE = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Arial /Encoding /Identity-H"
    b" /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Arial"
    b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>] >>"
)


def subset_codes(text):
    """``text`` encoded the way subset fonts do: each new character gets the next code from 33."""
    codes = {}
    for character in text:
        codes.setdefault(character, 33 + len(codes))
    return codes, bytes(codes[character] for character in text)


def pdf_string(data):
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def arial_glyph_ids(word):
    """Arial's glyph ids for a word: character code minus 29 (3 for the space)."""
    return b"<" + b"".join(b"%04X" % (3 if character == " " else ord(character) - 29) for character in word) + b">"


def glyph_names_text():
    codes, data = subset_codes(LETTER)
    names = b" ".join(b"/g%d" % (code * 5 % 200 + 3) for code in sorted(codes.values()))
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Calibri /FirstChar 33 /LastChar 120"
        b" /Encoding << /Type /Encoding /Differences [33 " + names + b"] >> >>"
    )
    return pypdf_text(font, show(pdf_string(data) + b" Tj"))


def type3_text():
    codes, data = subset_codes(LETTER)
    names = b" ".join(b"/a%d" % code for code in sorted(codes.values()))
    font = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0]"
        b" /CharProcs << >> /FirstChar 33 /LastChar 120 /Widths []"
        b" /Encoding << /Type /Encoding /Differences [33 " + names + b"] >> >>"
    )
    return pypdf_text(font, show(pdf_string(data) + b" Tj"))


def identity_h_text():
    return pypdf_text(IDENTITY_H_WITHOUT_TO_UNICODE, show(arial_glyph_ids(LETTER) + b" Tj"))


def identity_h_words_placed_apart_text():
    """The same font, each word placed on its own (no space glyph): pypdf puts spaces in."""
    words = b" -600 ".join(arial_glyph_ids(word) for word in LETTER.split())
    return pypdf_text(IDENTITY_H_WITHOUT_TO_UNICODE, show(b"[" + words + b"] TJ"))


def identity_h_large_font_text():
    """A large font's glyph ids (256 to 1279) read as code points: letters of many scripts."""
    glyph_ids = {character: 0x100 + (ord(character) * 97) % 0x400 for character in set(LETTER)}
    data = b"".join(b"%04X" % (0x20 if character == " " else glyph_ids[character]) for character in LETTER)
    return pypdf_text(IDENTITY_H_WITHOUT_TO_UNICODE, show(b"<" + data + b"> Tj"))


def words_without_gaps_text():
    """Words placed with offsets too small for pypdf to see a space between them."""
    words = b" -120 ".join(pdf_string(word.encode()) for word in LETTER.split())
    return pypdf_text(HELVETICA, show(b"[" + words + b"] TJ"))


def letter_by_letter_text():
    """Every character placed on its own, as wide letter spacing does."""
    return pypdf_text(HELVETICA, show(b"".join(pdf_string(c.encode()) + b" Tj 14 0 Td " for c in LETTER)))


# --- ordinary pages ---------------------------------------------------------------------

UNDANGAN_RAPAT = """DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN
SEKRETARIAT DPRD
Jl. Jenderal Sudirman No. 1, Balikpapan, Kalimantan Timur 76111
Telepon (0542) 421234, Laman https://dprd.balikpapan.go.id, Surel setwan@balikpapan.go.id
Balikpapan, 29 November 2026
Nomor : 005/123/DPRD
Sifat : Penting
Lampiran : 1 (satu) berkas
Hal : Undangan Rapat Dengar Pendapat
Yth. Kepala Dinas Pekerjaan Umum dan Penataan Ruang
di -
Balikpapan
Dengan hormat,
Dalam rangka pembahasan Rancangan Peraturan Daerah tentang Pengelolaan Drainase Perkotaan,
bersama ini kami mengundang Saudara untuk menghadiri Rapat Dengar Pendapat yang akan
dilaksanakan pada:
hari/tanggal : Senin, 7 Desember 2026
pukul : 09.00 WITA s.d. selesai
tempat : Ruang Rapat Gabungan Komisi, Lantai 2 Gedung DPRD
acara : Pembahasan pertanggungjawaban pelaksanaan kegiatan dan ketidakberdayaan sistem
drainase di Kelurahan Sepinggan
Mengingat pentingnya acara tersebut, dimohon kehadiran Saudara tepat pada waktunya.
Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.
KETUA DPRD KOTA BALIKPAPAN,
ttd
H. ABDULLAH, S.E., M.Si.
Tembusan:
1. Wali Kota Balikpapan (sebagai laporan);
2. Sekretaris Daerah Kota Balikpapan.
"""

NOTA_DINAS = """NOTA DINAS
Yth. : Ketua Komisi II (Perekonomian dan Keuangan)
Dari : Sekretaris DPRD Kota Balikpapan
Tanggal : 29-11-2026
Nomor : 000.1/45/UMUM
Sifat : Biasa
Lampiran : -
Hal : Penggunaan ruang rapat paripurna
Bersama ini disampaikan jadwal penggunaan ruang rapat paripurna untuk bulan Desember 2026.
Mohon unit Saudara menyesuaikan jadwal rapat komisi dengan jadwal tersebut, dan
mempertanggungjawabkan penggunaan ruang sesuai ketentuan yang berlaku.
• Rapat paripurna penyampaian nota keuangan: Selasa, 1 Desember 2026
• Rapat paripurna pengambilan keputusan: Kamis, 17 Desember 2026
– penyesuaian jadwal dapat dikonsultasikan kepada Bagian Umum
Kepala Bagian Umum,
Drs. SUPRIYADI
NIP. 197005121995031002
"""

POKIR = """USULAN POKOK-POKOK PIKIRAN DPRD TAHUN ANGGARAN 2027
Nama Anggota : Hj. Siti Rahmawati, S.H.
Daerah Pemilihan : Balikpapan Timur
Fraksi : Fraksi Persatuan Pembangunan
No. Usulan Lokasi Perangkat Daerah Perkiraan Biaya
1. Normalisasi saluran drainase RT 05 Kel. Manggar Dinas PU Rp 750.000.000
2. Pembangunan posyandu RT 12 Kel. Lamaru Dinas Kesehatan Rp 350.000.000
3. Pelatihan keterampilan pemuda Kel. Teritip Dinas Pemuda dan Olahraga Rp 125.000.000
Usulan disampaikan berdasarkan hasil reses masa sidang I tahun 2026 dan aspirasi
masyarakat yang dihimpun melalui kunjungan kerja. Pengusul bertanggung jawab atas
kebenaran data usulan ini.
Balikpapan, 15 Oktober 2026
Pengusul,
Hj. Siti Rahmawati, S.H.
"""

BUDGET_TABLE = """RINCIAN ANGGARAN BELANJA SEKRETARIAT DPRD
Kode Rekening Uraian Jumlah (Rp)
5.1.01.01.01.0001 Belanja Gaji Pokok PNS 4.125.000.000,00
5.1.01.01.02.0001 Belanja Tunjangan Keluarga PNS 412.500.000,00
5.1.02.01.01.0024 Belanja Alat Tulis Kantor 185.250.000,00
5.1.02.02.01.0003 Belanja Jasa Tenaga Ahli 1.250.000.000,00
5.1.02.04.01.0001 Belanja Perjalanan Dinas Biasa 2.640.750.000,00
5.2.02.05.01.0001 Belanja Modal Alat Kantor 98.000.000,00
JUMLAH 8.711.500.000,00
SKPD: Sekretariat DPRD APBD TA 2027 No. DPA 900/77/BPKAD
"""

NUMBERS_ONLY_TABLE = """1 4.125.000.000 4.125.000.000 100,00
2 412.500.000 410.000.000 99,39
3 185.250.000 180.125.500 97,23
4 1.250.000.000 1.187.500.000 95,00
5 2.640.750.000 2.500.000.000 94,67
6 98.000.000 97.990.000 99,99
"""

SIGNATURE_BLOCK = """Balikpapan, 29 November 2026
KETUA DPRD KOTA BALIKPAPAN,
H. ABDULLAH, S.E., M.Si.
NIP. 19800101 200501 1 001"""

ENGLISH = """The Council shall meet in plenary session at least once a month. Members who are
unable to attend shall notify the Secretariat in writing before the meeting. The agenda,
together with the supporting documents, is circulated to all members no later than three
working days before the session; late items may be added only with the consent of the
chair. Minutes are approved at the following meeting and published on the Council's
website at https://dprd.example.go.id/minutes within five working days."""

ODD_LINE_BREAKS = """Dengan
hormat,
bersama ini kami sampai-
kan bahwa rapat
koordinasi penyelenggara-
an pemilihan
akan dilaksanakan
pada tanggal
3 Desember 2026."""

LIGATURES = (
    "Verifikasi data dilakukan oleh tim: ﬁnalisasi dokumen, klariﬁkasi kepada pengusul, "
    "dan pengisian ﬂowchart alur disposisi surat masuk sebelum diteruskan kepada pimpinan."
)


@pytest.mark.parametrize(
    "text",
    [
        UNDANGAN_RAPAT,
        NOTA_DINAS,
        POKIR,
        BUDGET_TABLE,
        NUMBERS_ONLY_TABLE,
        SIGNATURE_BLOCK,
        ENGLISH,
        ODD_LINE_BREAKS,
        LIGATURES,
        "Lampiran",
        "- 3 -\nLAMPIRAN II",
        "DAFTAR ISI\nBAB I PENDAHULUAN .......... 1\nBAB II TINJAUAN PUSTAKA . . . . . . . . 12\n",
        "Nama : ..............................\nNIP : ______________________\nJabatan : ..........",
        "REALISASI RESES\nBulan Lokasi Peserta Biaya\nJan - - -\nFeb - - -\nMar 3 240 -\nApr - - -\nMei - - -",
        "Sifat: □ Biasa ■ Segera □ Sangat segera\n\uf0b7 Rapat komisi\n\uf0b7 Kunjungan kerja",
        "Kontak: 0812-3456-7890, ID permohonan PRM-2026-000123, NIP.198001012005011001",
        "Lihat berkas https://jdih.balikpapan.go.id/peraturandaerahtentangpengelolaandrainaseperkotaan.pdf",
        "Surat elektronik dikirim ke sekretariatdewanperwakilanrakyatdaerah@balikpapan.go.id hari ini.",
        "Ketua (μ = 10μm) menerima salinan dokumen dengan lampiran beraksara Arab: بسم الله",
    ],
    ids=[
        "undangan-rapat",
        "nota-dinas",
        "pokir",
        "budget-table",
        "numbers-only-table",
        "signature-block",
        "english",
        "odd-line-breaks",
        "ligatures",
        "one-word",
        "page-number-and-heading",
        "table-of-contents-leaders",
        "form-fill-in-lines",
        "table-with-empty-cells",
        "check-boxes-and-symbol-font-bullets",
        "ids-and-phone-numbers",
        "long-url",
        "long-email-address",
        "greek-and-arabic-words",
    ],
)
def test_ordinary_pages_are_usable(text):
    assessment = assess(text)

    assert (assessment.usable, assessment.reason) == (True, "ok")
    assert assessment.score > 0.8


@pytest.mark.parametrize("text", ["", None, "  \n\t ", "12", "\n-\n"])
def test_fewer_than_three_visible_characters_is_empty(text):
    assert assess(text) == Assessment(usable=False, reason="empty", score=0.0)


def test_three_visible_characters_are_not_empty():
    assert assess(" 12 3 ").reason != "empty"


# --- glyph names ------------------------------------------------------------------------


def test_pypdf_glyph_names_of_a_font_without_to_unicode_are_unusable():
    text = glyph_names_text()
    assert text.startswith("/g")  # pypdf's own output, not a made-up sample

    assert assess(text) == Assessment(usable=False, reason="glyph_names", score=0.0)


@pytest.mark.parametrize(
    "text",
    [
        "g18g152g3g44 g18g7g91 g5g18g152",
        "(cid:12)(cid:52)(cid:3)(cid:18) (cid:44)(cid:7)",
        "/uni0041/uni0042/uni0043 /uni0044/uni0045",
        "/C0_0/C0_12/C0_7 /C0_3/C0_44",
        "glyph123 glyph17 glyph5 glyph88 glyph91",
    ],
    ids=["g-without-slash", "pdfminer-cid", "uni", "c-underscore", "glyph"],
)
def test_glyph_names_in_other_spellings_are_unusable(text):
    assert assess(text).reason == "glyph_names"


def test_a_common_letter_lost_to_glyph_names_is_unusable():
    text = UNDANGAN_RAPAT.replace("a", "/g68")

    assert assess(text).reason == "glyph_names"


def test_a_few_glyph_names_on_a_clean_page_do_not_spoil_it():
    text = UNDANGAN_RAPAT.replace("Penting", "P/g72nting")

    assert assess(text).usable


def test_units_and_codes_that_look_like_glyph_names_are_text():
    assert assess("Paket 3kg2 dan 5kg4").usable


# --- replacement characters -------------------------------------------------------------


def test_replacement_characters_in_a_notable_share_are_unusable():
    text = NOTA_DINAS.replace("e", "\ufffd")

    assert assess(text).reason == "replacement_characters"


def test_a_stray_replacement_character_does_not_spoil_a_page():
    text = UNDANGAN_RAPAT.replace("Yth.", "\ufffd Yth.")

    assert assess(text).usable


# --- garbage symbols --------------------------------------------------------------------


def test_identity_h_font_without_to_unicode_is_unusable():
    text = identity_h_text()
    assert "\x03" in text  # the space glyph, id 3, read as a control character

    assert assess(text).reason == "garbage_symbols"


def test_type3_font_decoded_as_punctuation_soup_is_unusable():
    text = type3_text()
    assert not any(character.isalpha() for character in text)

    assert assess(text).reason == "garbage_symbols"


def test_subset_font_decoded_as_control_characters_is_unusable():
    assert assess("\x01\x02\x03\x04\x05\x03\x06\x07\x08\x0e\x05\x0b\x0c\x06\x0f\x02").reason == "garbage_symbols"


def test_private_use_characters_inside_words_are_unusable():
    text = "\ue021\ue04a\ue033\ue021 \ue05f\ue04a\ue011 \ue021\ue033\ue04a\ue061\ue021 DPRD"

    assert assess(text).reason == "garbage_symbols"


def test_boxes_for_missing_glyphs_are_unusable():
    text = "P■■■■■■■■ ■■■■ □□□□□ D■■■ ∆∆∆∆∆∆ Kota Balikpapan"

    assert assess(text).reason == "garbage_symbols"


def test_letters_of_several_scripts_mixed_per_character_are_unusable():
    text = identity_h_large_font_text()

    assert assess(text).reason == "garbage_symbols"


def test_a_cyrillic_letter_in_a_latin_word_now_and_then_is_text():
    text = UNDANGAN_RAPAT.replace("Penting", "Pеnting")  # one Cyrillic е

    assert assess(text).usable


# --- words run together -----------------------------------------------------------------


def test_words_extracted_without_spaces_are_unusable():
    text = words_without_gaps_text()
    assert text.startswith("Denganhormat")

    assert assess(text).reason == "run_together"


def test_a_letter_with_its_body_run_together_is_unusable():
    text = (
        "DPRD KOTA BALIKPAPAN\nNomor: 005/77/SPG\n"
        "Suratpermohonanaudiensidrainasesepinggankepadapimpinandewanperwakilanrakyatdaerah\n"
        "Denganhormatbersamainikamisampaikanbahwasaluranairdilingkungankamisudahlamatersumbat\n"
        "sehinggasetiaphujanturunjalanandantanahwargatergenangsampaisetinggilututorangdewasa\n"
        "Ketua RT 05"
    )

    assert assess(text).reason == "run_together"


def test_one_run_together_paragraph_on_a_clean_page_is_unusable():
    glued = "".join(UNDANGAN_RAPAT.split("Dengan hormat,")[1].split()[:40])

    assert assess(UNDANGAN_RAPAT.split("Dengan hormat,")[0] + glued).reason == "run_together"


def test_a_run_together_letterhead_on_a_clean_page_is_tolerated():
    text = UNDANGAN_RAPAT.replace(
        "DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN", "DEWANPERWAKILANRAKYATDAERAHKOTABALIKPAPAN"
    )

    assert assess(text).usable


def test_the_longest_indonesian_words_are_not_run_together():
    text = (
        "Pejabat wajib mempertanggungjawabkannya; ketidakbertanggungjawaban dan "
        "dipertanggungjawabkannya anggaran dibahas, termasuk ketidakberdayaan warga."
    )

    assert assess(text).usable


# --- no words ---------------------------------------------------------------------------


def test_text_extracted_letter_by_letter_is_unusable():
    text = letter_by_letter_text()
    assert text.startswith("D e n g a n")

    assert assess(text).reason == "no_words"


def test_glyph_ids_read_as_shifted_letters_are_unusable():
    text = identity_h_words_placed_apart_text()
    assert text.startswith("'HQJDQ KRUPDW")  # "Dengan hormat" shifted by 29 code points

    assert assess(text).reason == "no_words"


def test_a_page_of_vowelless_abbreviations_is_text():
    text = "DPRD SKPD BPKAD PPKD Rp Yth Jl Kpd dll dsb Tgl Sdr " * 2 + UNDANGAN_RAPAT

    assert assess(text).usable


def test_score_is_the_share_of_plausible_words():
    assert assess("Rapat komisi dimulai pukul 09.00 WITA di ruang rapat gabungan.").score == 1.0
    assert assess("D P R D Kota Balikpapan").score == pytest.approx(2 / 6)
