"""The lembar disposisi (disposition sheet) of a letter, as a PDF.

The bordered form secretariats use: the letter's facts in boxes (sender,
numbers, dates, the four natures as tick boxes, subject, classification with
its name), then the disposition (recipient units, the instructions as tick
boxes, what the chair wrote, the deadline), then the chair's block with a
space for the signature or paraf.

The sheet is also printed before the chair has decided, to be filled in by
hand: then nothing is ticked and the disposition boxes hold empty lines,
never a status word.
"""

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from documents.pdf import FONT_BOLD, para, place_and_date, render, styles, tanggal
from project.org.offices import acting_mark, office_title
from project.org.services import chair_position

from .models import Instruction, Nature

WIDTH = 180 * mm
TICK = "√"
HANDWRITING_LINE = 7 * mm
SIGNATURE_SPACE = 20 * mm


class _TickBox(Flowable):
    """A small square, with a tick in it when ``ticked``."""

    size = 3.4 * mm

    def __init__(self, ticked):
        super().__init__()
        self.ticked = ticked

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        self.canv.setLineWidth(0.6)
        self.canv.rect(0, 0, self.size, self.size)
        if self.ticked:
            self.canv.setFont(FONT_BOLD, 9)
            self.canv.drawCentredString(self.size / 2, 0.5 * mm, TICK)


class _Lines(Flowable):
    """Dotted lines across the box, to be written on by hand."""

    def __init__(self, count):
        super().__init__()
        self.count = count

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.count * HANDWRITING_LINE

    def draw(self):
        self.canv.setDash(1, 2)
        self.canv.setLineWidth(0.5)
        for number in range(self.count):
            self.canv.line(0, number * HANDWRITING_LINE, self.width, number * HANDWRITING_LINE)


def _ticks(choices, chosen, width, s):
    """Each choice behind a tick box, the ``chosen`` ones ticked."""
    rows = [[_TickBox(value in chosen), para(label, s["body"])] for value, label in choices]
    table = Table(rows, colWidths=[5 * mm, width - 5 * mm], hAlign="LEFT")
    table.setStyle(_plain_style(padding=1))
    return table


def _plain_style(padding=0):
    return TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
    ])


def _boxes(rows, col_widths, spans=()):
    table = Table(rows, colWidths=col_widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1, colors.black),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        *[("SPAN", start, end) for start, end in spans],
    ]))
    return table


def _letter_boxes(letter, s):
    label = lambda text: para(text, s["bold"])  # noqa: E731
    value = lambda text: para(text, s["body"])  # noqa: E731
    classification = f"{letter.classification.code} — {letter.classification.name}"
    natures = _ticks(Nature.choices, {letter.nature}, 54 * mm, s)
    return _boxes(
        [
            [label(_("Surat dari")), value(letter.sender), label(_("Diterima tgl.")), value(tanggal(letter.received_date))],
            [label(_("No. surat")), value(letter.sender_number), label(_("No. agenda")), value(letter.agenda_label)],
            [label(_("Tgl. surat")), value(tanggal(letter.letter_date)), label(_("Sifat")), natures],
            [label(_("Perihal")), value(letter.subject), "", ""],
            [label(_("Klasifikasi")), value(classification), "", ""],
        ],
        [28 * mm, 62 * mm, 28 * mm, 62 * mm],
        spans=[((1, 3), (3, 3)), ((1, 4), (3, 4))],
    )


def _disposition_boxes(letter, disposition, s):
    """Recipients and instruction side by side, then what the chair wrote and the deadline."""
    half = WIDTH / 2
    if disposition is None:
        recipients, chosen, deadline = [_Lines(4)], set(), [_Lines(1)]
        note = [para(_("Diarsipkan tanpa disposisi."), s["body"])] if letter.filed_without_disposition else [_Lines(3)]
    else:
        units = [branch.unit.name for branch in disposition.branches.all()]
        recipients = [_ticks([(name, name) for name in units], set(units), half - 8 * mm, s)]
        chosen = {disposition.instruction}
        note = [para(disposition.note or "-", s["body"])]
        deadline_text = tanggal(disposition.deadline) if disposition.deadline else _("Tanpa batas waktu")
        deadline = [para(deadline_text, s["body"])]
    heading = lambda text: [para(text, s["bold"]), Spacer(1, 1.5 * mm)]  # noqa: E731
    return _boxes(
        [
            [heading(_("Diteruskan kepada:")) + recipients,
             heading(_("Instruksi:")) + [_ticks(Instruction.choices, chosen, half - 8 * mm, s)]],
            [heading(_("Isi disposisi:")) + note, ""],
            [heading(_("Batas waktu:")) + deadline, ""],
        ],
        [half, half],
        spans=[((0, 1), (1, 1)), ((0, 2), (1, 2))],
    )


def _chair(disposition):
    """Who signs the sheet, the acting mark before the office, and when.

    A given disposition is signed by whoever gave it; a blank sheet by whoever
    disposes today (the flow gives the task to the chair's delegate while a
    delegation runs), on a date still to be written.
    """
    position = chair_position()
    if disposition is None:
        user = position.acting_holder()
        return position, user, acting_mark(position, user), None
    user, when = disposition.given_by, disposition.given_at
    return position, user, acting_mark(position, user, when) if disposition.acting_for_id else "", when


def _chair_block(disposition, s):
    position, user, mark, when = _chair(disposition)
    lines = [place_and_date(when if when else "." * 30)]
    lines.append(f"{mark} {office_title(position).upper()},".lstrip())
    name = (user.get_full_name() or user.username) if user else "." * 30
    block = [para(line, s["body"]) for line in lines] + [
        Spacer(1, SIGNATURE_SPACE),
        Paragraph(f"<u>{escape(name)}</u>", s["bold"]),
    ]
    table = Table([["", block]], colWidths=[WIDTH - 85 * mm, 85 * mm], hAlign="LEFT")
    table.setStyle(_plain_style())
    return KeepTogether([Spacer(1, 6 * mm), table])


def disposition_sheet_pdf(letter):
    s = styles()
    disposition = (
        letter.dispositions.select_related("given_by", "acting_for").prefetch_related("branches__unit")
        .order_by("-given_at").first()
    )
    story = [
        _letter_boxes(letter, s),
        Spacer(1, 4 * mm),
        _disposition_boxes(letter, disposition, s),
        _chair_block(disposition, s),
    ]
    return render(_("LEMBAR DISPOSISI"), story, document_title=f"Lembar disposisi {letter.agenda_label}")
