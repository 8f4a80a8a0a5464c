"""The printed daftar arsip usul musnah: the items decided "musnah", for the head to sign.

The list follows the usual table of the archives' disposal procedure (No.,
kode klasifikasi, uraian, kurun waktu, tingkat perkembangan, jumlah,
keterangan) and ends with the place and date and the two signatures.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from .pdf import grid_table, para, place_and_date, render, styles

HEAD_TITLE = "Sekretaris DPRD Kota Balikpapan"


def disposal_list_pdf(rows, archivist):
    s = styles()
    header = [_("No."), _("Kode klasifikasi"), _("Uraian / jenis arsip"), _("Kurun waktu"),
              _("Tingkat perkembangan"), _("Jumlah"), _("Keterangan")]
    table = [[para(text, s["bold"]) for text in header]]
    for number, row in enumerate(rows, 1):
        table.append([
            para(number, s["small"]), para(row.item.code.code, s["small"]), para(row.item.title, s["small"]),
            para(row.item.closed_on.year, s["small"]), para(row.item.level or "-", s["small"]),
            para(_("1 berkas"), s["small"]), para(_remark(row), s["small"]),
        ])
    story = [
        para(_("Unit pengolah: Sekretariat DPRD Kota Balikpapan · Jumlah: %(n)s berkas") % {"n": len(rows)}, s["body"]),
        Spacer(1, 3 * mm),
        grid_table(table, [10 * mm, 22 * mm, 54 * mm, 16 * mm, 24 * mm, 16 * mm, 38 * mm], header=True),
        Spacer(1, 10 * mm),
        _signatures(archivist, s),
    ]
    return render(_("DAFTAR ARSIP USUL MUSNAH"), story, document_title=_("Daftar arsip usul musnah"))


def _remark(row):
    """The retention basis and the archivist's note."""
    remark = _("Retensi berakhir %(year)s (JRA: %(final)s)") % {"year": row.due_year, "final": row.final_disposition}
    return f"{remark}. {row.decision.note}" if row.decision.note else remark


def _signatures(archivist, s):
    head = [para(_("Mengetahui,"), s["body"]), para(HEAD_TITLE, s["body"]), Spacer(1, 18 * mm),
            para("(................................................)", s["body"]), para(_("NIP."), s["body"])]
    mine = [para(place_and_date(timezone.localdate()), s["body"]), para(_("Arsiparis,"), s["body"]),
            Spacer(1, 18 * mm), para(archivist.get_full_name() or archivist.get_username(), s["bold"])]
    return Table([[head, mine]], colWidths=[90 * mm, 90 * mm], style=[("VALIGN", (0, 0), (-1, -1), "TOP")])
