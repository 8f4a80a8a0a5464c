"""The laporan hasil reses as a PDF, through ``documents.pdf``.

What PP 12/2018 Pasal 88(5) asks a report to contain at least: the time
and place of the reses; the responses, aspirations and complaints received
(the residents' requests, one row each); and the documentation of the
participants and the activity (the attendance count with a reference to the
attendance sheet, and photos as thumbnails). Residents' names and telephone
numbers are printed only in a copy made for someone who may see them
(``personal=True``); the copy submitted to the Pimpinan has none.
"""

import io

from django.utils.translation import gettext as _
from PIL import Image as PILImage
from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer, Table, TableStyle

from documents.pdf import grid_table, para, render, styles, tanggal, tanggal_jam

from .models import PHOTO, ResesItem
from .rules import period_label

MAX_THUMBNAILS = 12
THUMB_PIXELS = 480


def _name(user):
    return (user.get_full_name() or user.username) if user else "-"


def _number(value):
    if value is None:
        return "-"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _rupiah(value):
    return "-" if value is None else "Rp " + f"{int(value):,}".replace(",", ".")


def _header(reses, s):
    label = lambda text: para(text, s["bold"])  # noqa: E731
    value = lambda text: para(text, s["body"])  # noqa: E731
    member = reses.member
    sheet = reses.attendance_sheet()
    if sheet is not None:
        version = sheet.current
        sheet_text = _("%(title)s, dokumen no. %(id)s versi %(version)s, SHA-256 %(sha)s…") % {
            "title": sheet.title, "id": sheet.pk, "version": version.number, "sha": version.sha256[:16]}
    else:
        sheet_text = _("belum diunggah")
    when = _("%(start)s s.d. %(end)s (%(days)s hari)") % {
        "start": tanggal(reses.starts_on, with_day=True), "end": tanggal(reses.ends_on, with_day=True), "days": reses.days}
    rows = [
        [label(_("Nama anggota")), value(str(member)), label(_("Fraksi")), value(str(member.fraksi))],
        [label(_("Daerah pemilihan")), value(str(member.dapil)), label(_("Masa reses")), value(period_label(reses.period))],
        [label(_("Waktu")), value(when), label(_("Tempat")), value(reses.venue)],
        [label(_("Kelurahan")), value(", ".join(f"{place.name} (Kec. {place.kecamatan.name})"
                                                 for place in reses.places.select_related("kecamatan"))),
         label(_("Warga hadir")), value(_("%(count)s orang") % {"count": reses.residents_present})],
        [label(_("Daftar hadir")), value(sheet_text), label(_("Status")), value(reses.get_status_display())],
    ]
    return [grid_table(rows, [27 * mm, 63 * mm, 25 * mm, 65 * mm])]


def _items(reses, s, personal):
    items = list(
        ResesItem.objects.filter(reses=reses, status=ResesItem.Status.RECORDED)
        .select_related("kelurahan__kecamatan", "kamus", "opd")
    )
    head = [para(text, s["bold"]) for text in (
        _("No"), _("Permasalahan dan usulan"), _("Lokasi"), _("Jenis, volume, biaya"), _("Bidang dan OPD"), _("Pengusul"))]
    rows = [head]
    for number, item in enumerate(items, start=1):
        proposer = [item.proposer_group]
        if personal:
            proposer += [item.proposer_name, item.proposer_phone]
        location = item.location_text
        if item.boundaries:
            location += "\n" + _("Batas: %(b)s") % {"b": item.boundaries}
        if item.has_coordinates():
            location += f"\n{item.latitude}, {item.longitude}"
        rows.append([
            para(str(number), s["small"]),
            para(f"{item.problem}\n\u2192 {item.request}", s["small"]),
            para(location, s["small"]),
            para(f"{item.get_kind_display()}\n{_number(item.volume)} {item.unit}\n{_rupiah(item.estimated_cost)}", s["small"]),
            para(f"{item.urusan}\n{item.kamus.name if item.kamus_id else ''}\n{item.opd.name if item.opd_id else ''}", s["small"]),
            para("\n".join(part for part in proposer if part) or "-", s["small"]),
        ])
    story = [Spacer(1, 4 * mm), para(_("ASPIRASI DAN USULAN WARGA (%(count)s usulan)") % {"count": len(items)}, s["bold"]),
             Spacer(1, 1 * mm)]
    if items:
        story.append(grid_table(rows, [8 * mm, 52 * mm, 38 * mm, 26 * mm, 34 * mm, 22 * mm], header=True))
    else:
        story.append(para(_("Belum ada usulan yang dicatat."), s["body"]))
    return story


def _thumbnail(document, width):
    version = document.current
    with version.blob.file.open("rb") as handle, PILImage.open(handle) as image:
        image.draft("RGB", (THUMB_PIXELS, THUMB_PIXELS))
        image = image.convert("RGB")
        image.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80)
        ratio = image.height / image.width
    buffer.seek(0)
    return Image(buffer, width=width, height=width * ratio)


def photo_documents(reses):
    """The reses's documentation photos, then its recorded items' photos (at most ``MAX_THUMBNAILS``)."""
    photos = list(reses.documents(PHOTO))
    for item in ResesItem.objects.filter(reses=reses, status=ResesItem.Status.RECORDED):
        if len(photos) >= MAX_THUMBNAILS:
            break
        photos += list(item.documents(PHOTO))
    return photos[:MAX_THUMBNAILS]


def _documentation(reses, s):
    story = [Spacer(1, 4 * mm), para(_("DOKUMENTASI"), s["bold"]), Spacer(1, 1 * mm),
             para(_("Peserta: %(count)s warga hadir (lihat daftar hadir).") % {"count": reses.residents_present}, s["body"])]
    photos = photo_documents(reses)
    if not photos:
        story.append(para(_("Tidak ada foto."), s["body"]))
        return story
    width = 56 * mm
    cells = [_thumbnail(document, width) for document in photos]
    rows = [cells[index:index + 3] for index in range(0, len(cells), 3)]
    rows[-1] += [""] * (3 - len(rows[-1]))
    table = Table(rows, colWidths=[60 * mm] * 3)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    story += [Spacer(1, 2 * mm), table]
    return story


def _closing(reses, s):
    story = []
    if reses.summary:
        story += [Spacer(1, 4 * mm), para(_("RINGKASAN"), s["bold"]), Spacer(1, 1 * mm), para(reses.summary, s["body"])]
    when = tanggal_jam(reses.reported_at) if reses.reported_at else tanggal(None)
    story += [
        Spacer(1, 8 * mm),
        para(_("Disampaikan kepada Pimpinan DPRD Kota Balikpapan, %(when)s") % {"when": when}, s["body"]),
        Spacer(1, 12 * mm),
        para(str(reses.member), s["bold"]),
        para(_("Anggota DPRD Kota Balikpapan, %(dapil)s") % {"dapil": reses.member.dapil}, s["body"]),
    ]
    if reses.acknowledged_at:
        story += [Spacer(1, 4 * mm), para(_("Diterima Pimpinan DPRD: %(name)s, %(when)s") % {
            "name": _name(reses.acknowledged_by), "when": tanggal_jam(reses.acknowledged_at)}, s["small"])]
    return story


def report_pdf(reses, *, personal=False):
    """The laporan hasil reses; with residents' names and telephone numbers only when ``personal``."""
    s = styles()
    story = _header(reses, s) + _items(reses, s, personal) + _documentation(reses, s) + _closing(reses, s)
    return render(_("LAPORAN HASIL RESES"), story, document_title=f"Laporan hasil reses {reses}")
