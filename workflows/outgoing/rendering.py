"""An outgoing letter (naskah dinas) as an A4 PDF, laid out by the tata naskah dinas.

Three layouts, chosen by the kind's group (``kinds``):

- correspondence (surat dinas, undangan): kop, place and date on the right,
  ``Nomor / Sifat / Lampiran / Hal``, ``Yth.`` and the addressees, the body,
  the signature block on the right half, ``Tembusan`` at the bottom left;
- nota dinas: kop, ``NOTA DINAS``, the memo heading (Yth., Dari, Tembusan,
  Tanggal, Nomor, Sifat, Lampiran, Hal), a rule, the body, the signature;
- titled kinds (keputusan, surat tugas, berita acara, surat keterangan): kop,
  the centred title and ``NOMOR``, for a keputusan also ``TENTANG`` and the
  subject; the body; ``Ditetapkan di … pada tanggal …`` (keputusan) or place
  and date above the signature block.

Beside the signature block, on its left, is the paraf box: who initialled
the draft for which aspect. A signed letter carries a QR code at the bottom
left of its last page that leads to the verification page; a draft carries a
``DRAF`` watermark and never a QR code. Pages after the first are numbered at
the top centre (``- 2 -``), as the tata naskah dinas has it; the first page,
with the kop, is not numbered.

Content streams are left uncompressed (``pageCompression=0``) so a test can
change one byte of page content and prove a signature notices.

Everything the user typed is escaped and printed literally. This module
knows no Django models: the caller fills a ``LetterSheet``.
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable, HRFlowable, Indenter, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle,
)

from documents.pdf import (
    FONT, FONT_BOLD, KOP_LINES, PLACE, draw_draft_watermark, grid_table, letterhead, para, place_and_date, styles,
    tanggal,
)
from workflows.outgoing import kinds
from workflows.outgoing.signature_block import SignatureLines

PENDING_NUMBER = "(diberikan saat penandatanganan)"
PENDING_DATE = "(tanggal penandatanganan)"
SIGNED_ELECTRONICALLY = "Ditandatangani secara elektronik"
QR_CAPTION = "Pindai untuk memeriksa keaslian dokumen"

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN, RIGHT_MARGIN, TOP_MARGIN, BOTTOM_MARGIN = 25 * mm, 20 * mm, 20 * mm, 20 * mm
TEXT_WIDTH = PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN
QR_SIZE = 22 * mm
SIGNATURE_SPACE = 22 * mm
SIGNATURE_WIDTH = TEXT_WIDTH * 0.55

# Honorifics and academic titles written before a name; they are no part of the initials.
PREFIX_TITLES = {"prof.", "dr.", "drs.", "dra.", "ir.", "h.", "hj.", "kh.", "k.h."}


@dataclass(frozen=True)
class ParafMark:
    """One line of the paraf box: who checked the draft, for which aspect, and when.

    ``aspect`` is what was checked (``Substansi``, ``Redaksi``,
    ``Pengetikan``); ``initialled_at`` is empty while the official has not
    initialled yet, and the paraf cell stays blank.
    """

    order: int
    aspect: str
    office: str
    name: str
    initialled_at: datetime.datetime | None = None


@dataclass
class LetterSheet:
    """Everything printed on a letter, as plain values.

    - ``kind``: a ``kinds.Kind`` value; it picks the layout.
    - ``signature``: the block from ``signature_block.signature_lines``.
    - ``organ_lines``: the kop lines in bold (the DPRD, then the organ, e.g.
      ``KOMISI I``); ``address_line`` under them.
    - ``number``: the letter number; empty until it is given at signing, and
      then ``PENDING_NUMBER`` is printed. ``date`` likewise (``PENDING_DATE``).
    - ``place``: where the letter is made, before the date.
    - ``nature`` (sifat), ``attachments_label`` (lampiran), ``subject`` (hal;
      the ``TENTANG`` of a keputusan).
    - ``addressees`` after ``Yth.`` (several are numbered) and
      ``addressee_place`` (``di Tempat``) under them: correspondence only.
    - ``body``: plain text, paragraphs separated by blank lines.
    - ``event``: rows like ``("Waktu", "09.00 WITA")`` of an invitation,
      printed after the first paragraph of the body.
    - ``copies``: the tembusan; none printed when empty.
    - ``memo_from`` (Dari) and ``memo_to`` (Yth.): the nota dinas heading.
    - ``signed_electronically``: the signature space says so instead of
      staying blank for a wet signature.
    - ``paraf``: the paraf box; omitted when empty.
    - ``qr_url``: the verification address printed as a QR code; empty for
      drafts.
    - ``draft``: print the ``DRAF`` watermark.
    - ``document_title``: the PDF's title metadata (the subject when empty).
    """

    kind: str
    signature: SignatureLines
    organ_lines: list[str] = field(default_factory=lambda: [KOP_LINES[0]])
    address_line: str = KOP_LINES[2]
    number: str = ""
    place: str = PLACE
    date: datetime.date | None = None
    nature: str = "Biasa"
    attachments_label: str = "-"
    subject: str = ""
    addressees: list[str] = field(default_factory=list)
    addressee_place: str = "di Tempat"
    body: str = ""
    event: list[tuple[str, str]] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    memo_from: str = ""
    memo_to: list[str] = field(default_factory=list)
    signed_electronically: bool = False
    paraf: list[ParafMark] = field(default_factory=list)
    qr_url: str = ""
    draft: bool = False
    document_title: str = ""


def render_letter_pdf(sheet):
    """The letter as PDF bytes."""
    s = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=sheet.document_title or sheet.subject,
        subject=sheet.subject,
        author=KOP_LINES[0],
        creator="SIAP DPRD Kota Balikpapan",
        pageCompression=0,
    )
    story = _kop(sheet) + _layout_of(sheet)(sheet, s)
    if sheet.qr_url and not sheet.draft:
        story.append(_AtFrameBottom(_qr_block(sheet.qr_url, s)))
    decorate = _page_decoration(sheet)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def initials(name):
    """The initials of a name for the paraf box: ``Dr. H. Andi Rahman, S.H.`` → ``AR``.

    Titles after the first comma and honorifics before the name are dropped.
    """
    words = name.split(",")[0].split()
    while words and words[0].lower() in PREFIX_TITLES:
        words.pop(0)
    return "".join(word[0].upper() for word in words if word[0].isalpha())


# --- layouts -----------------------------------------------------------------


def _layout_of(sheet):
    if kinds.is_correspondence(sheet.kind):
        return _correspondence
    if kinds.Kind(sheet.kind) == kinds.Kind.NOTA_DINAS:
        return _nota_dinas
    return _titled


def _correspondence(sheet, s):
    heading = _colon_table([
        ("Nomor", sheet.number or PENDING_NUMBER),
        ("Sifat", sheet.nature),
        ("Lampiran", sheet.attachments_label),
        ("Hal", sheet.subject),
    ], s, label_width=22 * mm)
    return [
        para(place_and_date(_date_text(sheet), sheet.place), s["right"]),
        Spacer(1, 4 * mm),
        heading,
        Spacer(1, 5 * mm),
        _addressee_block(sheet, s),
        Spacer(1, 5 * mm),
        *_body(sheet, s),
        _signature_row(sheet, [], s),
        *_copies(sheet, s),
    ]


def _nota_dinas(sheet, s):
    rows = _list_rows("Yth.", sheet.memo_to, s) + [("Dari", sheet.memo_from)]
    rows += _list_rows("Tembusan", sheet.copies, s) if sheet.copies else []
    rows += [
        ("Tanggal", _date_text(sheet)),
        ("Nomor", sheet.number or PENDING_NUMBER),
        ("Sifat", sheet.nature),
        ("Lampiran", sheet.attachments_label),
        ("Hal", sheet.subject),
    ]
    return [
        para(kinds.TITLE_OF[kinds.Kind.NOTA_DINAS], s["title"]),
        Spacer(1, 3 * mm),
        _colon_table(rows, s, label_width=22 * mm),
        HRFlowable(width="100%", thickness=1, color=colors.black, spaceBefore=2 * mm, spaceAfter=4 * mm),
        *_body(sheet, s),
        _signature_row(sheet, [], s),
    ]


def _titled(sheet, s):
    kind = kinds.Kind(sheet.kind)
    story = [
        para(kinds.TITLE_OF[kind], s["title"]),
        para(f"NOMOR {sheet.number or PENDING_NUMBER}", s["centre"]),
    ]
    if kind == kinds.Kind.KEPUTUSAN:
        story += [para("TENTANG", s["centre"]), para(sheet.subject.upper(), s["centre_bold"])]
        date_lines = [f"Ditetapkan di {sheet.place}", f"pada tanggal {_date_text(sheet)}"]
    else:
        date_lines = [place_and_date(_date_text(sheet), sheet.place)]
    return story + [
        Spacer(1, 6 * mm),
        *_body(sheet, s),
        _signature_row(sheet, date_lines, s),
        *_copies(sheet, s),
    ]


# --- parts -------------------------------------------------------------------


def _kop(sheet):
    """The letterhead of every printout, with the letter's organ lines."""
    return letterhead(TEXT_WIDTH, sheet.organ_lines, sheet.address_line, space_after=5 * mm)


def _date_text(sheet):
    return tanggal(sheet.date) if sheet.date else PENDING_DATE


def _list_items(items, s):
    """One paragraph per item, so long lists break across pages; several items are numbered."""
    if len(items) == 1:
        return [para(items[0], s["text"])]
    return [para(f"{number}. {item}", s["item"]) for number, item in enumerate(items, start=1)]


def _list_rows(label, items, s):
    """A label against a list: the first item on the label's row, the others under it."""
    paragraphs = _list_items(items, s) or [para("-", s["text"])]
    return [(label, paragraphs[0])] + [(None, paragraph) for paragraph in paragraphs[1:]]


def _colon_table(rows, s, label_width, width=TEXT_WIDTH):
    """``label : value`` rows; a value is text or a paragraph, a row labelled ``None`` continues the one above."""
    data = [
        [
            para(label or "", s["text"]),
            ":" if label is not None else "",
            value if isinstance(value, Paragraph) else para(value, s["text"]),
        ]
        for label, value in rows
    ]
    colon_width = 4 * mm
    table = Table(data, colWidths=[label_width, colon_width, width - label_width - colon_width], hAlign="LEFT")
    table.setStyle(_plain_table_style(s))
    return table


def _plain_table_style(s):
    return TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), FONT, s["text"].fontSize, s["text"].leading),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ])


def _addressee_block(sheet, s):
    """``Yth.`` against the addressees (numbered when several), then the place under them."""
    rows = [[para(label or "", s["text"]), paragraph] for label, paragraph in _list_rows("Yth.", sheet.addressees, s)]
    if sheet.addressee_place:
        rows.append(["", para(sheet.addressee_place, s["text"])])
    label_width = 10 * mm
    table = Table(rows, colWidths=[label_width, TEXT_WIDTH * 0.6 - label_width], hAlign="LEFT")
    table.setStyle(_plain_table_style(s))
    return table


def _body(sheet, s):
    """The body paragraphs, justified; the invitation rows follow the first paragraph."""
    paragraphs = [para(text, s["justified"]) for text in re.split(r"\n\s*\n", sheet.body.strip()) if text.strip()]
    if sheet.event:
        indent = 10 * mm
        event = _colon_table(sheet.event, s, label_width=30 * mm, width=TEXT_WIDTH - indent)
        paragraphs[1:1] = [Indenter(left=indent), event, Indenter(left=-indent), Spacer(1, 3 * mm)]
    return paragraphs


def _signature_row(sheet, date_lines, s):
    """The paraf box on the left, the signature block on the right, side by side.

    The signature column is a little over half the width so that an office
    line like ``Plh. SEKRETARIS DPRD KOTA BALIKPAPAN,`` stays on one line.
    """
    left = [_paraf_box(sheet.paraf, s)] if sheet.paraf else ""
    right = _signature_block(sheet.signature, date_lines, sheet.signed_electronically, s)
    table = Table([[left, right]], colWidths=[TEXT_WIDTH - SIGNATURE_WIDTH, SIGNATURE_WIDTH], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (0, 0), "BOTTOM"),
        ("VALIGN", (1, 0), (1, 0), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 6 * mm),
    ]))
    return table


def _signature_block(signature, date_lines, signed_electronically, s):
    lines = [para(line, s["text"]) for line in date_lines]
    lines += [para(line, s["text"]) for line in signature.office_lines]
    if signed_electronically:
        lines += [Spacer(1, 6 * mm), para(SIGNED_ELECTRONICALLY, s["note"]), Spacer(1, 6 * mm)]
    else:
        lines.append(Spacer(1, SIGNATURE_SPACE))
    lines.append(Paragraph(f"<u>{escape(signature.name)}</u>", s["bold"]))
    return lines + [para(line, s["text"]) for line in signature.detail_lines]


def _paraf_box(marks, s):
    """No | Jabatan | Paraf: the office and aspect, and initials and date once initialled."""
    rows = [[para(text, s["small_bold"]) for text in ("No", "Jabatan", "Paraf")]]
    for mark in sorted(marks, key=lambda mark: mark.order):
        rows.append([
            para(str(mark.order), s["small"]),
            para(f"{mark.office}\n({mark.aspect})", s["small"]),
            para(_paraf_text(mark), s["small"]),
        ])
    return grid_table(rows, [9 * mm, 40 * mm, 20 * mm], header=True)


def _paraf_text(mark):
    if mark.initialled_at is None:
        return ""
    when = mark.initialled_at
    if isinstance(when, datetime.datetime) and timezone.is_aware(when):
        when = timezone.localtime(when)
    return f"{initials(mark.name)}\n{when:%d-%m-%Y}"


def _copies(sheet, s):
    if not sheet.copies:
        return []
    return [Spacer(1, 6 * mm), KeepTogether([para("Tembusan:", s["text"]), *_list_items(sheet.copies, s)])]


def _qr_block(url, s):
    """The verification QR code with its caption, for the bottom left of the last page."""
    code = QrCodeWidget(url, barWidth=QR_SIZE, barHeight=QR_SIZE, barBorder=0)
    drawing = Drawing(QR_SIZE, QR_SIZE)
    drawing.add(code)
    caption = [para(QR_CAPTION, s["small"]), para(url, s["small"])]
    table = Table([[drawing, caption]], colWidths=[QR_SIZE + 3 * mm, 80 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


class _AtFrameBottom(Flowable):
    """Takes all the room left in the frame and draws its content at the frame's bottom.

    As the last flowable of the story it puts the content at the foot of the
    last page, never over text; when the room left is too small it moves to a
    new page.
    """

    def __init__(self, content):
        super().__init__()
        self.content = content

    def wrap(self, available_width, available_height):
        _, self.content_height = self.content.wrap(available_width, available_height)
        self.width = available_width
        self.height = max(self.content_height, available_height)
        return self.width, self.height

    def draw(self):
        self.content.drawOn(self.canv, 0, 0)


# --- page decoration -----------------------------------------------------------


def _page_decoration(sheet):
    """Drawn at the start of each page, under the content: the draft watermark and the page number."""

    def decorate(canvas, doc):
        if sheet.draft:
            draw_draft_watermark(canvas, doc)
        if doc.page > 1:
            _draw_page_number(canvas, doc.page)

    return decorate


def _draw_page_number(canvas, page):
    """``- 2 -`` at the top centre; the first page, with the kop, has none."""
    canvas.saveState()
    canvas.setFont(FONT, 10)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - TOP_MARGIN / 2, f"- {page} -")
    canvas.restoreState()


def _styles():
    """The letter's paragraph styles, built on ``documents.pdf.styles`` (which registers the fonts)."""
    base = styles()
    text = ParagraphStyle("letter_text", parent=base["body"], fontSize=11, leading=15)
    bold = ParagraphStyle("letter_bold", parent=text, fontName=FONT_BOLD)
    small = ParagraphStyle("letter_small", parent=base["small"])
    return {
        "text": text,
        "bold": bold,
        "small": small,
        "small_bold": ParagraphStyle("letter_small_bold", parent=small, fontName=FONT_BOLD),
        "note": ParagraphStyle("letter_note", parent=small, textColor=colors.Color(0.3, 0.3, 0.3)),
        "justified": ParagraphStyle("letter_justified", parent=text, alignment=TA_JUSTIFY, spaceAfter=2 * mm),
        "item": ParagraphStyle("letter_item", parent=text, leftIndent=5 * mm, firstLineIndent=-5 * mm),
        "right": ParagraphStyle("letter_right", parent=text, alignment=TA_RIGHT),
        "centre": ParagraphStyle("letter_centre", parent=text, alignment=TA_CENTER),
        "centre_bold": ParagraphStyle("letter_centre_bold", parent=bold, alignment=TA_CENTER),
        "title": ParagraphStyle("letter_title", parent=base["title"], fontSize=12, leading=15, spaceAfter=1 * mm),
    }
