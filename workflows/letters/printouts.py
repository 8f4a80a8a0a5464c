"""The lembar disposisi (disposition sheet) of a letter, as a PDF."""

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from documents.pdf import grid_table, para, render, styles, tanggal, tanggal_jam


def disposition_sheet_pdf(letter):
    s = styles()
    label = lambda text: para(text, s["bold"])  # noqa: E731
    value = lambda text: para(text, s["body"])  # noqa: E731
    header = grid_table(
        [
            [label("Surat dari"), value(letter.sender), label("Diterima tanggal"), value(tanggal(letter.received_date))],
            [label("Nomor surat"), value(letter.sender_number), label("Nomor agenda"), value(letter.agenda_label)],
            [label("Tanggal surat"), value(tanggal(letter.letter_date)), label("Sifat"), value(letter.get_nature_display())],
            [label("Perihal"), value(letter.subject), label("Klasifikasi"), value(letter.classification.code)],
        ],
        [28 * mm, 62 * mm, 30 * mm, 60 * mm],
    )
    story = [header, Spacer(1, 5 * mm), para("DISPOSISI", s["bold"]), Spacer(1, 2 * mm)]
    dispositions = list(letter.dispositions.select_related("given_by", "acting_for").prefetch_related("branches__unit"))
    if not dispositions:
        note = (
            "Diarsipkan tanpa disposisi." if letter.filed_without_disposition else "Belum didisposisikan."
        )
        story.append(para(note, s["body"]))
    rows = [[label("Diteruskan kepada"), label("Instruksi"), label("Catatan"), label("Oleh / waktu")]]
    for disposition in dispositions:
        giver = _name(disposition.given_by)
        if disposition.acting_for:
            giver += f" (a.n. {_name(disposition.acting_for)})"
        recipients = "\n".join(
            f"{branch.unit.name} — {branch.get_status_display()}" for branch in disposition.branches.all()
        )
        rows.append(
            [
                value(recipients),
                value(f"{disposition.get_instruction_display()}\nBatas: {tanggal(disposition.deadline)}"),
                value(disposition.note or "-"),
                value(f"{giver}\n{tanggal_jam(disposition.given_at)}"),
            ]
        )
    if dispositions:
        story.append(grid_table(rows, [48 * mm, 38 * mm, 54 * mm, 40 * mm], header=True))
    return render(_("LEMBAR DISPOSISI"), story, document_title=f"Lembar disposisi {letter.agenda_label}")


def _name(user):
    return user.get_full_name() or user.username
