"""One way of producing printouts: A4 PDFs with the DPRD letterhead (kop),
page numbers and Indonesian dates, built with ReportLab.

Callers hand over a title and a list of ReportLab flowables; the frame, kop
and numbering are the same for every printout. The letterhead (``letterhead``)
is the one every printout uses, the outgoing letters' included: the emblem
from ``SIAP_EMBLEM_PATH`` on the left, the lines centred beside it, a double
rule under them. Fonts are the Bitstream Vera TTFs that ship inside
ReportLab, so no system font is needed.
"""

import io
import logging
from pathlib import Path

import reportlab
from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import HRFlowable, Image, Paragraph, SimpleDocTemplate, Table, TableStyle
from xml.sax.saxutils import escape

logger = logging.getLogger(__name__)

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
# Where the DPRD's documents are made: the place before the date above a signature.
PLACE = "Balikpapan"
DRAFT_MARK = "DRAF"

EMBLEM_HEIGHT = 18 * mm

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


def place_and_date(date, place=PLACE):
    """The line above a signature: ``Balikpapan, 29 November 2026``.

    ``date`` may also be a text standing for a date not known yet, such as
    ``(tanggal penandatanganan)``.
    """
    return f"{place}, {date if isinstance(date, str) else tanggal(date)}"


def styles():
    _register_fonts()
    return {
        "body": ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5),
        "small": ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10),
        "bold": ParagraphStyle("bold", fontName=FONT_BOLD, fontSize=9.5, leading=12.5),
        "centre": ParagraphStyle("centre", fontName=FONT, fontSize=9.5, leading=12.5, alignment=TA_CENTER),
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


def emblem(height=EMBLEM_HEIGHT):
    """The emblem from ``SIAP_EMBLEM_PATH`` scaled to ``height``, or None when it cannot be read.

    A missing or broken emblem file must not stop the secretariat printing:
    the printout goes out without it and the administrator finds a warning
    in the log.
    """
    path = settings.SIAP_EMBLEM_PATH
    try:
        reader = ImageReader(str(path))
        reader.getRGBData()  # decoded now: a truncated file would otherwise fail halfway through the build
        width, image_height = reader.getSize()
    except OSError as error:
        logger.warning("Lambang tidak dapat dibaca dari %s (%s); dicetak tanpa lambang.", path, error)
        return None
    return Image(str(path), width=height * width / image_height, height=height)


def letterhead(width, lines=KOP_LINES[:2], address=KOP_LINES[2], space_after=4 * mm):
    """The kop: the emblem on the left, ``lines`` in bold and ``address`` centred beside it, a double rule.

    ``width`` is the frame's; the outgoing letters pass their own ``lines``
    (the DPRD, then the organ in whose name the letter goes).
    """
    style_map = styles()
    text = [para(line, style_map["kop"]) for line in lines]
    if address:
        text.append(para(address, style_map["kop_small"]))
    image = emblem()
    image_width = (image.drawWidth + 2 * mm) if image else 0
    table = Table([[image or "", text]], colWidths=[image_width, width - image_width], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [
        table,
        HRFlowable(width="100%", thickness=2, color=colors.black, spaceBefore=2 * mm, spaceAfter=0.8 * mm),
        HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceAfter=space_after),
    ]


def draw_draft_watermark(canvas, doc):
    """``DRAF`` across the page, in light grey under the content: for a page callback, on every page of a draft."""
    page_width, page_height = doc.pagesize
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.85, 0.85, 0.85))
    canvas.setFont(FONT_BOLD, 120)
    canvas.translate(page_width / 2, page_height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -40, DRAFT_MARK)
    canvas.restoreState()


def render(title, flowables, *, document_title=None, draft=False):
    """Build an A4 PDF with kop, the title and ``flowables``; return its bytes.

    ``draft`` puts the ``DRAF`` watermark on every page.
    """
    style_map = styles()
    buffer = io.BytesIO()
    generated = tanggal_jam(timezone.now())

    def decorate(canvas, doc):
        if draft:
            draw_draft_watermark(canvas, doc)
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
    story = letterhead(doc.width) + [para(title, style_map["title"])] + list(flowables)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
