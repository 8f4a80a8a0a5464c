"""One way of producing printouts: A4 PDFs with the DPRD letterhead (kop),
page numbers and Indonesian dates, built with ReportLab.

Callers hand over a title and a list of ReportLab flowables; the frame, kop
and numbering are the same for every printout. Fonts are the Bitstream Vera
TTFs that ship inside ReportLab, so no system font is needed.
"""

import io
from pathlib import Path

import reportlab
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]

KOP_LINES = [
    "DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN",
    "SEKRETARIAT DPRD",
    "Jl. Jenderal Sudirman No. 1, Balikpapan, Kalimantan Timur 76111",
]

_FONT_DIR = Path(reportlab.__file__).parent / "fonts"
FONT, FONT_BOLD = "SiapSans", "SiapSans-Bold"
_fonts_registered = False


def _register_fonts():
    global _fonts_registered
    if not _fonts_registered:
        pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONT_DIR / "VeraBd.ttf")))
        _fonts_registered = True


def tanggal(value, with_day=False):
    """An Indonesian date: ``26 Oktober 2022``, or ``Kamis, 26 Oktober 2022``."""
    if value is None:
        return "-"
    if hasattr(value, "hour") and timezone.is_aware(value):
        value = timezone.localtime(value)
    text = f"{value.day} {BULAN[value.month - 1]} {value.year}"
    return f"{HARI[value.weekday()]}, {text}" if with_day else text


def tanggal_jam(value):
    """An Indonesian date and local time: ``26 Oktober 2022 14.05 WITA``."""
    if value is None:
        return "-"
    local = timezone.localtime(value)
    return f"{tanggal(local)} {local:%H.%M} WITA"


def styles():
    _register_fonts()
    return {
        "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5),
        "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10),
        "bold": ParagraphStyle("bold", fontName=FONT_BOLD, fontSize=9.5, leading=12.5),
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=13, leading=16, alignment=TA_CENTER, spaceAfter=6),
        "kop": ParagraphStyle("kop", fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER),
        "kop_small": ParagraphStyle("kop_small", fontName=FONT, fontSize=8.5, leading=11, alignment=TA_CENTER),
    }


def para(text, style):
    """A paragraph of user text: escaped, so markup in data is printed, never interpreted."""
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def grid_table(rows, col_widths, header=False):
    table = Table(rows, colWidths=col_widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")))
    table.setStyle(TableStyle(commands))
    return table


def _kop(style_map):
    return [
        para(KOP_LINES[0], style_map["kop"]),
        para(KOP_LINES[1], style_map["kop"]),
        para(KOP_LINES[2], style_map["kop_small"]),
        Spacer(1, 2 * mm),
        Table([[""]], colWidths=[180 * mm], style=[("LINEABOVE", (0, 0), (-1, 0), 1.5, colors.black)]),
        Spacer(1, 3 * mm),
    ]


def render(title, flowables, *, document_title=None):
    """Build an A4 PDF with kop, the title and ``flowables``; return its bytes."""
    style_map = styles()
    buffer = io.BytesIO()
    generated = tanggal_jam(timezone.now())

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawString(15 * mm, 10 * mm, f"SIAP DPRD Kota Balikpapan — dicetak {generated}")
        canvas.drawRightString(195 * mm, 10 * mm, f"Halaman {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=18 * mm,
        title=document_title or title,
        author="SIAP DPRD Kota Balikpapan",
    )
    story = _kop(style_map) + [para(title, style_map["title"])] + list(flowables)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
