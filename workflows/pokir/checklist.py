"""The verification checklist: what the secretariat checks before a pokir may go to SIPD.

``checklist(pokir)`` returns one ``Check`` per rule, each passed or failed
with the reason in words. Each rule is a pure function of the pokir and
the facts gathered for it (photo count, the member's other proposals, the
year's calendar, similar proposals); ``checklist`` gathers those facts and
never changes anything. The verifier may verify only when every check
passes, or after overriding each failed check with a reason
(``services.verify`` enforces it; the page and the API show the list).

Why these rules: SIPD returns pokir without a full address, a photo, the
boundaries (*letak batas*) or a volume; every pokir must fit the *kamus
usulan* and its agency; a member proposes for their own dapil; the year may
cap the total per member; nothing new may come after the deadline; and the
same request must not be proposed twice (REFERENCE.md §1).
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DUPLICATE_RATIO = 0.85  # difflib ratio of the normalised texts from which two proposals count as similar

TITLES = {
    "address": gettext_lazy("Alamat lengkap"),
    "boundaries": gettext_lazy("Letak batas"),
    "photo": gettext_lazy("Foto lokasi"),
    "volume": gettext_lazy("Volume dan satuan"),
    "kamus": gettext_lazy("Kamus usulan dan OPD"),
    "dapil": gettext_lazy("Lokasi dalam dapil anggota"),
    "ceiling": gettext_lazy("Dalam pagu per anggota"),
    "deadline": gettext_lazy("Diajukan sebelum batas"),
    "duplicates": gettext_lazy("Tidak ada usulan serupa"),
}
CODES = tuple(TITLES)
CODE_CHOICES = [(code, code) for code in CODES]


@dataclass(frozen=True)
class Similar:
    pokir: object
    ratio: float

    @property
    def percent(self):
        return round(self.ratio * 100)


@dataclass(frozen=True)
class Check:
    code: str
    passed: bool
    reason: str
    similar: tuple = field(default=())

    @property
    def title(self):
        return str(TITLES[self.code])


def rupiah(value):
    return "Rp " + f"{int(value):,}".replace(",", ".")


def _day(value):
    return date_format(value, "j F Y")


# --- the rules (pure) -------------------------------------------------------


def check_address(pokir):
    missing = [label for label, value in (
        (_("kelurahan"), pokir.kelurahan_id), (_("RT"), pokir.rt.strip()), (_("RW"), pokir.rw.strip()),
        (_("alamat (jalan/gang/nomor)"), pokir.address.strip()),
    ) if not value]
    if missing:
        return Check("address", False, _("Belum diisi: %(fields)s.") % {"fields": ", ".join(missing)})
    return Check("address", True, pokir.full_address)


def check_boundaries(pokir):
    if not pokir.boundaries.strip():
        return Check("boundaries", False, _("Letak batas lokasi belum diisi (mis. dari ujung gang sampai jembatan)."))
    return Check("boundaries", True, pokir.boundaries)


def check_photo(pokir, photo_count):
    if photo_count < 1:
        return Check("photo", False, _("Belum ada foto lokasi."))
    return Check("photo", True, _("%(n)d foto.") % {"n": photo_count})


def check_volume(pokir):
    problems = []
    if pokir.volume is None or pokir.volume <= 0:
        problems.append(_("volume harus lebih dari 0"))
    if not pokir.unit.strip():
        problems.append(_("satuan belum diisi"))
    if problems:
        return Check("volume", False, "; ".join(problems).capitalize() + ".")
    return Check("volume", True, f"{pokir.volume.normalize():f} {pokir.unit}")


def check_kamus(pokir):
    kamus = pokir.kamus
    if kamus is None:
        return Check("kamus", False, _("Belum memilih entri kamus usulan."))
    if not kamus.active:
        return Check("kamus", False, _("Entri kamus usulan “%(entry)s” sudah tidak aktif.") % {"entry": kamus.name})
    if pokir.opd_id is None:
        return Check("kamus", False, _("OPD tujuan belum diisi; menurut kamus usulan: %(opd)s.") % {"opd": kamus.opd})
    if pokir.opd_id != kamus.opd_id:
        return Check("kamus", False, _("OPD tujuan (%(opd)s) tidak sesuai kamus usulan (%(expected)s).")
                     % {"opd": pokir.opd, "expected": kamus.opd})
    return Check("kamus", True, f"{kamus.name} — {kamus.opd}")


def check_dapil(pokir):
    if pokir.kelurahan_id is None:
        return Check("dapil", False, _("Kelurahan belum diisi, dapil tidak dapat diperiksa."))
    kecamatan = pokir.kelurahan.kecamatan
    if kecamatan.dapil_id != pokir.member.dapil_id:
        return Check("dapil", False, _("Kelurahan %(kelurahan)s (Kec. %(kecamatan)s) ada di %(dapil)s, bukan dapil anggota (%(own)s).") % {
            "kelurahan": pokir.kelurahan.name, "kecamatan": kecamatan.name, "dapil": kecamatan.dapil,
            "own": pokir.member.dapil,
        })
    return Check("dapil", True, _("%(kecamatan)s, %(dapil)s") % {"kecamatan": kecamatan.name, "dapil": kecamatan.dapil})


def check_ceiling(pokir, ceiling, others_total):
    """``others_total``: the estimated costs of the member's other live pokir of the year."""
    if ceiling is None:
        return Check("ceiling", True, _("Tahun anggaran ini tidak memakai pagu per anggota."))
    if pokir.estimated_cost is None:
        return Check("ceiling", False, _("Perkiraan biaya belum diisi; pagu per anggota %(ceiling)s.") % {"ceiling": rupiah(ceiling)})
    total = others_total + pokir.estimated_cost
    words = {"total": rupiah(total), "ceiling": rupiah(ceiling)}
    if total > ceiling:
        return Check("ceiling", False, _("Jumlah pokir anggota %(total)s melampaui pagu %(ceiling)s.") % words)
    return Check("ceiling", True, _("Jumlah pokir anggota %(total)s dari pagu %(ceiling)s.") % words)


def check_deadline(pokir, deadline, today):
    if deadline is None:
        return Check("deadline", False, _("Kalender tahun anggaran ini belum diatur."))
    if pokir.submitted_at is not None:
        submitted = timezone.localdate(pokir.submitted_at)
        words = {"date": _day(submitted), "deadline": _day(deadline)}
        if submitted > deadline:
            return Check("deadline", False, _("Diajukan %(date)s, sesudah batas %(deadline)s.") % words)
        return Check("deadline", True, _("Diajukan %(date)s; batas %(deadline)s.") % words)
    if today > deadline:
        return Check("deadline", False, _("Belum diajukan dan batas %(deadline)s sudah lewat.") % {"deadline": _day(deadline)})
    return Check("deadline", True, _("Belum diajukan; batas %(deadline)s.") % {"deadline": _day(deadline)})


def check_duplicates(pokir, similar):
    if pokir.kelurahan_id is None:
        return Check("duplicates", True, _("Kelurahan belum diisi; belum dapat dibandingkan."))
    if similar:
        return Check("duplicates", False, _("%(n)d usulan serupa di kelurahan yang sama dari anggota lain atau tahun sebelumnya.")
                     % {"n": len(similar)}, tuple(similar))
    return Check("duplicates", True, _("Tidak ada usulan serupa di kelurahan yang sama."))


# --- similar proposals --------------------------------------------------------

ABBREVIATIONS = {"jl": "jalan", "jln": "jalan", "gg": "gang", "kel": "kelurahan", "kec": "kecamatan", "no": "nomor",
                 "pembuatan": "pembangunan", "perbaikan": "rehabilitasi"}


def normalise(text):
    """Lower case, no accents or punctuation, common abbreviations spelt out, single spaces."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def duplicate_ratio():
    """How alike two pokir's texts must be to be shown as possible duplicates (``SIAP_POKIR_DUPLICATE_RATIO``)."""
    return settings.SIAP_POKIR_DUPLICATE_RATIO


def comparable_text(pokir):
    return normalise(f"{pokir.title} {pokir.address}")


def similarity(first, second):
    return difflib.SequenceMatcher(None, first, second).ratio()


def similar_pokir(pokir, candidates=None, threshold=None):
    """Proposals like this one: same kelurahan, similar text, from another member or an earlier year.

    ``candidates``: the pokir that may be shown (the viewer's visible ones); all by default.
    Drafts (never submitted) are not compared.
    """
    from .models import Pokir

    if pokir.kelurahan_id is None:
        return []
    threshold = threshold if threshold is not None else duplicate_ratio()
    queryset = (candidates if candidates is not None else Pokir.objects.all()).filter(kelurahan_id=pokir.kelurahan_id)
    queryset = queryset.exclude(pk=pokir.pk).exclude(status=Pokir.Status.DRAFT)
    queryset = queryset.filter(~Q(member_id=pokir.member_id) | Q(year_id__lt=pokir.year_id))
    mine = comparable_text(pokir)
    found = []
    for other in queryset.select_related("member__user", "kelurahan__kecamatan", "opd"):
        matcher = difflib.SequenceMatcher(None, mine, comparable_text(other))
        if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
            continue
        ratio = matcher.ratio()
        if ratio >= threshold:
            found.append(Similar(other, ratio))
    return sorted(found, key=lambda item: -item.ratio)


# --- the checklist ------------------------------------------------------------------


def others_total(pokir):
    """The estimated costs of the member's other pokir of the year that are still in play (not drafts, not rejected)."""
    from .models import Pokir

    live = Pokir.objects.filter(member_id=pokir.member_id, year_id=pokir.year_id).exclude(pk=pokir.pk)
    live = live.exclude(status__in=[Pokir.Status.DRAFT, Pokir.Status.REJECTED])
    return live.aggregate(total=Sum("estimated_cost"))["total"] or Decimal(0)


def checklist(pokir, *, today=None, candidates=None):
    """Every check for ``pokir``, in the order the verifier reads them."""
    year = pokir.year
    return [
        check_address(pokir),
        check_boundaries(pokir),
        check_photo(pokir, pokir.photos().count()),
        check_volume(pokir),
        check_kamus(pokir),
        check_dapil(pokir),
        check_ceiling(pokir, year.ceiling_per_member, others_total(pokir)),
        check_deadline(pokir, year.deadline, today or timezone.localdate()),
        check_duplicates(pokir, similar_pokir(pokir, candidates)),
    ]


def failed(checks):
    return [check for check in checks if not check.passed]
