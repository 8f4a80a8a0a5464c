"""The kinds of official letter (naskah dinas) and the groups Permendagri 1/2023 puts them in.

The group decides the layout and the signature block:

- *korespondensi* (surat dinas, undangan, nota dinas): the date on the right,
  ``Nomor / Sifat / Lampiran / Hal``, the addressee after ``Yth.``; a nota
  dinas uses the memo heading (Kepada / Dari / Tanggal …) instead;
- *penetapan* (keputusan Pimpinan DPRD): a centred title with ``NOMOR`` and
  ``TENTANG``; the signer's name is printed without academic titles
  (Pasal 44);
- *penugasan* (surat tugas) and *khusus* (berita acara, surat keterangan): a
  centred title with ``NOMOR``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    KORESPONDENSI = "korespondensi", _("Naskah dinas korespondensi")
    PENETAPAN = "penetapan", _("Naskah dinas penetapan")
    PENUGASAN = "penugasan", _("Naskah dinas penugasan")
    KHUSUS = "khusus", _("Naskah dinas khusus")


class Kind(models.TextChoices):
    SURAT_DINAS = "surat_dinas", _("Surat dinas")
    UNDANGAN = "undangan", _("Surat undangan")
    NOTA_DINAS = "nota_dinas", _("Nota dinas")
    KEPUTUSAN = "keputusan", _("Keputusan Pimpinan DPRD")
    SURAT_TUGAS = "surat_tugas", _("Surat tugas")
    BERITA_ACARA = "berita_acara", _("Berita acara")
    SURAT_KETERANGAN = "surat_keterangan", _("Surat keterangan")


GROUP_OF = {
    Kind.SURAT_DINAS: Group.KORESPONDENSI,
    Kind.UNDANGAN: Group.KORESPONDENSI,
    Kind.NOTA_DINAS: Group.KORESPONDENSI,
    Kind.KEPUTUSAN: Group.PENETAPAN,
    Kind.SURAT_TUGAS: Group.PENUGASAN,
    Kind.BERITA_ACARA: Group.KHUSUS,
    Kind.SURAT_KETERANGAN: Group.KHUSUS,
}

# The centred title of the titled kinds (the correspondence kinds have none but the nota dinas heading).
TITLE_OF = {
    Kind.NOTA_DINAS: "NOTA DINAS",
    Kind.KEPUTUSAN: "KEPUTUSAN PIMPINAN DEWAN PERWAKILAN RAKYAT DAERAH KOTA BALIKPAPAN",
    Kind.SURAT_TUGAS: "SURAT TUGAS",
    Kind.BERITA_ACARA: "BERITA ACARA",
    Kind.SURAT_KETERANGAN: "SURAT KETERANGAN",
}


def group_of(kind):
    return GROUP_OF[Kind(kind)]


def is_correspondence(kind):
    """Laid out as a letter (date on the right, Nomor/Sifat/Lampiran/Hal, ``Yth.``)."""
    return Kind(kind) in (Kind.SURAT_DINAS, Kind.UNDANGAN)


def names_without_titles(kind):
    """Pasal 44: on *pengaturan* and *penetapan* documents the signer's name carries no academic titles."""
    return group_of(kind) == Group.PENETAPAN
