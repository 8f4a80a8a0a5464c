"""The export for SIPD input: a year's final recap as XLSX (openpyxl) or CSV.

SIPD's own field list is not published (REFERENCE.md §1), so the columns
are a map from the header the secretariat needs to a field SIAP knows:
``SIAP_POKIR_EXPORT_COLUMNS`` (settings, from the environment) as JSON — a list of ``[header, field]`` pairs or an
object ``{"header": "field", …}`` in column order — or ``DEFAULT_COLUMNS``.

Fields: nomor, usulan, masalah, alamat, rt, rw, batas, kelurahan,
kecamatan, dapil, koordinat, lintang, bujur, jenis, volume, satuan, urusan,
kamus, opd, biaya, pengusul, fraksi, tahun, status, reses.

Cells a spreadsheet would run as formulas (``=``, ``+``, ``-``, ``@``…) are
written as plain text: ``EscapingCsvWriter`` in the CSV, an explicit string cell in
the XLSX.
"""

import hashlib
import io
import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from documents.responses import EscapingCsvWriter

FIELDS = {
    "nomor": lambda p: p.number,
    "usulan": lambda p: p.title,
    "masalah": lambda p: p.problem,
    "alamat": lambda p: ", ".join(part for part in (p.address, _rt_rw(p)) if part),
    "rt": lambda p: p.rt,
    "rw": lambda p: p.rw,
    "batas": lambda p: p.boundaries,
    "kelurahan": lambda p: p.kelurahan.name if p.kelurahan_id else "",
    "kecamatan": lambda p: p.kelurahan.kecamatan.name if p.kelurahan_id else "",
    "dapil": lambda p: p.member.dapil.name,
    "koordinat": lambda p: f"{p.latitude}, {p.longitude}" if p.latitude is not None and p.longitude is not None else "",
    "lintang": lambda p: float(p.latitude) if p.latitude is not None else None,
    "bujur": lambda p: float(p.longitude) if p.longitude is not None else None,
    "jenis": lambda p: str(p.get_kind_display()) if p.kind else "",
    "volume": lambda p: float(p.volume) if p.volume is not None else None,
    "satuan": lambda p: p.unit,
    "urusan": lambda p: p.kamus.urusan if p.kamus_id else "",
    "kamus": lambda p: p.kamus.name if p.kamus_id else "",
    "opd": lambda p: p.opd.name if p.opd_id else "",
    "biaya": lambda p: int(p.estimated_cost) if p.estimated_cost is not None else None,
    "pengusul": lambda p: str(p.member),
    "fraksi": lambda p: p.member.fraksi.name,
    "tahun": lambda p: p.year_id,
    "status": lambda p: str(p.get_status_display()),
    "reses": lambda p: ", ".join(str(pk) for pk in sorted(p.reses_items.values_list("pk", flat=True))),
}

DEFAULT_COLUMNS = [
    ("Nomor", "nomor"),
    ("Usulan", "usulan"),
    ("Masalah", "masalah"),
    ("Alamat", "alamat"),
    ("Kelurahan", "kelurahan"),
    ("Kecamatan", "kecamatan"),
    ("Dapil", "dapil"),
    ("Volume", "volume"),
    ("Satuan", "satuan"),
    ("Urusan/Bidang", "urusan"),
    ("OPD", "opd"),
    ("Perkiraan biaya", "biaya"),
    ("Pengusul", "pengusul"),
]


def _rt_rw(pokir):
    if not (pokir.rt or pokir.rw):
        return ""
    return f"RT {pokir.rt or '-'}/RW {pokir.rw or '-'}"


def columns():
    """[(header, field)] from SIAP_POKIR_EXPORT_COLUMNS, or the default; a wrong map is refused loudly."""
    configured = settings.SIAP_POKIR_EXPORT_COLUMNS
    if isinstance(configured, str):
        if not configured.strip():
            return list(DEFAULT_COLUMNS)
        try:
            configured = json.loads(configured)
        except ValueError as error:
            raise ImproperlyConfigured(f"SIAP_POKIR_EXPORT_COLUMNS is not valid JSON: {error}") from error
    pairs = list(configured.items()) if isinstance(configured, dict) else [tuple(pair) for pair in configured]
    if not pairs:
        raise ImproperlyConfigured("SIAP_POKIR_EXPORT_COLUMNS names no column")
    for pair in pairs:
        if len(pair) != 2 or not isinstance(pair[0], str) or pair[1] not in FIELDS:
            raise ImproperlyConfigured(
                f"SIAP_POKIR_EXPORT_COLUMNS: {pair!r} is not [header, field] with a field among {', '.join(FIELDS)}"
            )
    return pairs


def rows(pokirs, cols=None):
    cols = cols or columns()
    for pokir in pokirs:
        yield [FIELDS[field](pokir) for _header, field in cols]


def xlsx(pokirs):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    cols = columns()
    book = Workbook()
    sheet = book.active
    sheet.title = "Pokir"
    sheet.append([header for header, _field in cols])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, values in enumerate(rows(pokirs, cols), start=2):
        for column_number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text as typed, never a formula
    sheet.freeze_panes = "A2"
    for index, (header, _field) in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(60, len(header) + 4))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(pokirs):
    cols = columns()
    out = io.StringIO()
    writer = EscapingCsvWriter(out)
    writer.writerow([header for header, _field in cols])
    for values in rows(pokirs, cols):
        writer.writerow([_plain(value) for value in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def sha256(content):
    return hashlib.sha256(content).hexdigest()
