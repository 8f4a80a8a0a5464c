"""The three outputs of a meeting, as PDFs through ``documents.pdf``.

- risalah: the complete record — the header facts the rules ask for (kind
  and nature, date, place, agenda, opening and closing times, chair,
  notulis, attendance) and every line of the corrected transcript with its
  speaker;
- catatan rapat: main points, conclusions and decisions;
- laporan singkat: conclusions and decisions only.

All three carry what makes them official documents: under the title the
minutes' number (given when the chair approves them), and at the end the
place and date and the signer blocks of the notulis and the chair, kept on
the page where the text ends. Until the chair approves, every page says
``DRAF`` and no number is printed, even when minutes returned for
correction keep the number of their first approval.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

from documents.pdf import grid_table, para, place_and_date, render, styles, tanggal

from .models import Participant


def _name(user):
    return user.get_full_name() or user.username


def _clock(value):
    return value.strftime("%H.%M") + " WITA" if value else "-"


def _seconds(value):
    minutes, seconds = divmod(int(value), 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{seconds:02d}"


def _header(meeting, s):
    label = lambda text: para(text, s["bold"])  # noqa: E731
    value = lambda text: para(text, s["body"])  # noqa: E731
    nature = _("Tertutup") if meeting.is_closed else _("Terbuka")
    rows = [
        [label(_("Jenis rapat")), value(meeting.get_kind_display()), label(_("Sifat")), value(nature)],
        [label(_("Hari/tanggal")), value(tanggal(meeting.date, with_day=True)), label(_("Tempat")), value(meeting.place)],
        [label(_("Dibuka pukul")), value(_clock(meeting.opened_at or meeting.start_time)), label(_("Ditutup pukul")),
         value(_clock(meeting.closed_at))],
        [label(_("Pimpinan rapat")), value(_name(meeting.chair)), label(_("Notulis")), value(_name(meeting.secretary))],
        [label(_("Alat kelengkapan")), value(meeting.unit.name), label(_("Acara")),
         value("\n".join(str(item) for item in meeting.agenda.all()) or "-")],
    ]
    return [para(meeting.title, s["bold"]), Spacer(1, 2 * mm), grid_table(rows, [28 * mm, 62 * mm, 28 * mm, 62 * mm])]


def _attendance(meeting, s):
    rows = [[para(_("Nama"), s["bold"]), para(_("Jabatan / unsur"), s["bold"]), para(_("Kehadiran"), s["bold"])]]
    for participant in meeting.participants.all():
        rows.append([para(participant.name, s["body"]), para(participant.role or "-", s["body"]),
                     para(participant.get_attendance_display() or _("Belum dicatat"), s["body"])])
    present = meeting.participants.filter(attendance=Participant.Attendance.PRESENT).count()
    return [
        Spacer(1, 4 * mm), para(_("DAFTAR HADIR (%(present)s hadir dari %(total)s undangan)")
                                % {"present": present, "total": len(rows) - 1}, s["bold"]),
        Spacer(1, 1 * mm), grid_table(rows, [70 * mm, 70 * mm, 40 * mm], header=True),
    ]


def _section(title, text, s):
    return [Spacer(1, 4 * mm), para(title, s["bold"]), Spacer(1, 1 * mm), para(text or "-", s["body"])]


def _signer(office, user, s):
    return [para(office, s["body"]), Spacer(1, 20 * mm), Paragraph(f"<u>{escape(_name(user))}</u>", s["bold"])]


def _closing(last_section, meeting, s):
    """The last section with the place and date and the signers: never a signer block alone on a page.

    The date is the chair's approval; a draft bears the day it is printed.
    """
    when = timezone.now() if meeting.editable else meeting.approved_at
    signers = Table(
        [["", para(place_and_date(when), s["body"])],
         [_signer(_("Notulis,"), meeting.secretary, s), _signer(_("Pimpinan Rapat,"), meeting.chair, s)]],
        colWidths=[95 * mm, 85 * mm], hAlign="LEFT",
    )
    signers.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [KeepTogether(last_section + [Spacer(1, 8 * mm), signers])]


def _render(title, story, meeting, document_title):
    """``story`` under the title and, once approved, the minutes' number; a draft is watermarked."""
    s = styles()
    if not meeting.editable and meeting.document_number:
        story = [para(_("Nomor: %(number)s") % {"number": meeting.document_number}, s["centre"]),
                 Spacer(1, 3 * mm)] + story
    return render(title, story, document_title=document_title, draft=meeting.editable)


def risalah_pdf(meeting):
    s = styles()
    story = _header(meeting, s) + _attendance(meeting, s)
    story += [Spacer(1, 4 * mm), para(_("JALANNYA RAPAT"), s["bold"]), Spacer(1, 1 * mm)]
    rows = [[para(_("Waktu"), s["bold"]), para(_("Pembicara"), s["bold"]), para(_("Uraian"), s["bold"])]]
    for line in meeting.lines.select_related("speaker", "recording"):
        time = _seconds(line.start)
        if meeting.recordings.count() > 1:
            time = f"{_('Rekaman')} {line.recording.position}\n{time}"
        rows.append([para(time, s["small"]), para(line.speaker.name if line.speaker else "-", s["body"]),
                     para(line.text, s["body"])])
    story.append(grid_table(rows, [24 * mm, 42 * mm, 114 * mm], header=True))
    story += _section(_("KESIMPULAN"), meeting.conclusions, s)
    story += _closing(_section(_("KEPUTUSAN"), meeting.decisions, s), meeting, s)
    return _render(_("RISALAH RAPAT"), story, meeting, f"Risalah {meeting.title}")


def catatan_pdf(meeting):
    s = styles()
    story = _header(meeting, s) + _attendance(meeting, s)
    story += _section(_("POKOK PEMBICARAAN"), meeting.main_points, s)
    story += _section(_("KESIMPULAN"), meeting.conclusions, s)
    story += _closing(_section(_("KEPUTUSAN"), meeting.decisions, s), meeting, s)
    return _render(_("CATATAN RAPAT"), story, meeting, f"Catatan rapat {meeting.title}")


def laporan_singkat_pdf(meeting):
    s = styles()
    story = _header(meeting, s)
    story += _section(_("KESIMPULAN"), meeting.conclusions, s)
    story += _closing(_section(_("KEPUTUSAN"), meeting.decisions, s), meeting, s)
    return _render(_("LAPORAN SINGKAT"), story, meeting, f"Laporan singkat {meeting.title}")
