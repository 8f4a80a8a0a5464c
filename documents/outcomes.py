"""What happened when a file was read, OCR'd or stamped, in words a registrar can act on.

A version's ``text_problems`` holds records made by ``problem()``: a code and
its few facts (a page, a reason, a limit). The technical detail (a program's
error text, pypdf's exception) goes to the log where it happens; this module
turns the records into plain Indonesian (English through the catalogue), and
pages with the same problem into one sentence.
"""

from django.utils.translation import gettext_lazy

# Why a program or a reading child stopped (``project.sandbox.SandboxFailure.reason``) or a page was not usable
# (``documents.textquality``).
REASONS = {
    "timeout": gettext_lazy("waktu habis"),
    "memory": gettext_lazy("memori tidak cukup"),
    "output": gettext_lazy("keluaran terlalu besar"),
    "crash": gettext_lazy("program pembaca berhenti"),
    "encrypted": gettext_lazy("berkas terenkripsi"),
    "unreadable": gettext_lazy("struktur PDF tidak dapat dibaca"),
    "error": gettext_lazy("halaman tidak dapat diurai"),
    "empty": gettext_lazy("tidak ditemukan teks"),
    "glyph_names": gettext_lazy("berisi nama glyph, bukan huruf"),
    "garbage_symbols": gettext_lazy("berisi simbol acak"),
    "replacement_characters": gettext_lazy("banyak karakter yang tidak dikenali"),
    "run_together": gettext_lazy("kata-kata menyatu tanpa spasi"),
    "no_words": gettext_lazy("tidak berisi kata"),
}

MESSAGES = {
    "password_required": gettext_lazy(
        "PDF ini dikunci dengan kata sandi, sehingga isinya tidak dapat dibaca. Minta pengirim mengirim salinan "
        "tanpa kata sandi, atau buka dengan kata sandinya lalu cetak ulang ke PDF dan unggah sebagai versi baru."),
    "encrypted_empty_password": gettext_lazy(
        "PDF ini terenkripsi tanpa kata sandi pembuka; isinya tetap dibaca."),
    "repaired": gettext_lazy("PDF ini memuat kesalahan struktur yang diperbaiki saat dibaca."),
    "structure_unreadable": gettext_lazy(
        "Pembaca utama tidak dapat membuka PDF ini (%(why)s), tetapi halamannya dapat ditampilkan; teksnya dibaca "
        "dengan pembaca kedua (poppler) atau dengan OCR dari gambar halaman."),
    "unreadable": gettext_lazy(
        "PDF ini rusak dan tidak dapat dibaca oleh program mana pun di server (%(why)s). Minta salinan baru "
        "dari pengirim atau pindai ulang dokumennya."),
    "too_many_pages": gettext_lazy(
        "PDF ini berisi %(count)s halaman; hanya %(limit)s halaman pertama yang dibaca."),
    "page_unreadable": gettext_lazy("Halaman %(pages)s tidak dapat diurai; dicoba dibaca dengan OCR."),
    "text_layer_reread": gettext_lazy(
        "Lapisan teks halaman %(pages)s tidak terbaca rapi oleh pembaca utama (%(why)s); halaman itu dibaca dengan "
        "pembaca kedua (poppler)."),
    "text_layer_unusable": gettext_lazy(
        "Lapisan teks halaman %(pages)s tidak dapat dipakai (%(why)s); halaman itu dibaca dengan OCR."),
    "ocr_failed": gettext_lazy("OCR halaman %(pages)s gagal (%(why)s); halaman itu tanpa teks."),
    "ocr_budget_pages": gettext_lazy(
        "Batas OCR per dokumen (%(limit)s halaman) tercapai; %(unread)s halaman lagi belum dibaca."),
    "ocr_budget_seconds": gettext_lazy(
        "Batas waktu OCR per dokumen (%(limit)s detik) habis; %(unread)s halaman lagi belum dibaca."),
    "ocr_unavailable": gettext_lazy(
        "OCR tidak tersedia di server ini (%(what)s belum terpasang); halaman hasil pindaian tidak dibaca."),
    "ocr_disabled": gettext_lazy("OCR dimatikan di server ini; halaman hasil pindaian tidak dibaca."),
    "no_text_found": gettext_lazy("Tidak ada teks yang terbaca pada halaman %(pages)s (halaman kosong atau gambar)."),
    "stamp_failed": gettext_lazy("Stempel agenda tidak dapat dibubuhkan (%(why)s)."),
}


def problem(code, **facts):
    """One record for ``text_problems``: its code and the facts its message needs (JSON-safe values)."""
    if code not in MESSAGES:
        raise ValueError(f"unknown problem code {code!r}")
    return {"code": code, **facts}


def describe(problems):
    """The records as sentences, in order; records that differ only in their page become one sentence."""
    sentences, pages_of = [], {}
    for record in problems:
        if not isinstance(record, dict):
            sentences.append(str(record))  # recorded before problems had codes
            continue
        if "page" in record:
            key = (record["code"], record.get("why", ""))
            if key not in pages_of:
                pages_of[key] = []
                sentences.append(key)
            pages_of[key].append(record["page"])
        else:
            sentences.append(_sentence(record))
    return [
        _sentence({"code": item[0], "why": item[1], "pages": page_ranges(pages_of[item])}) if isinstance(item, tuple)
        else item
        for item in sentences
    ]


def _sentence(record):
    facts = dict(record)
    if "why" in facts:
        facts["why"] = REASONS.get(facts["why"], facts["why"])
    return str(MESSAGES[record["code"]]) % facts


def page_ranges(numbers):
    """``1–3, 7`` for pages 1, 2, 3 and 7."""
    numbers = sorted(set(numbers))
    ranges, start = [], None
    for index, number in enumerate(numbers):
        if start is None:
            start = number
        if index + 1 == len(numbers) or numbers[index + 1] != number + 1:
            ranges.append(str(start) if start == number else f"{start}–{number}")
            start = None
    return ", ".join(ranges)

