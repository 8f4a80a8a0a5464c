"""The rules of a reses, each a check that raises ``ValidationError`` with the message people read.

Forms call them to put the message next to the field; services call them
again inside their transaction, so no caller (a page, the API, the demo)
can skip them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from documents.pdf import tanggal

from .models import MAX_DAYS, Reses, ResesItem, ResesPeriod

ROMAN = {1: "I", 2: "II", 3: "III"}


def last_masa_sidang_of_term():
    """(year, number) of the term's last masa sidang, which has no reses (PP 12/2018 Pasal 87).

    ``SIAP_RESES_LAST_MASA_SIDANG`` ("2029-2": the 2024–2029 council's term ends in
    August 2029); empty for none.
    """
    value = settings.SIAP_RESES_LAST_MASA_SIDANG
    try:
        year, number = (int(part) for part in value.split("-"))
    except ValueError:
        return None
    return year, number


def period_label(period):
    return _("masa sidang %(number)s tahun %(year)s") % {"number": ROMAN.get(period.number, period.number), "year": period.year}


# --- periods ---------------------------------------------------------------


def check_period(*, year, number, starts_on, ends_on, report_due, instance=None):
    """A period's dates: ends ≥ starts, within its year, report due after it, one per masa sidang."""
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if starts_on.year != year or ends_on.year != year:
        errors.setdefault("ends_on", _("Tanggal masa reses harus berada dalam tahun %(year)s.") % {"year": year})
    if report_due < ends_on:
        errors["report_due"] = _("Batas laporan tidak boleh sebelum masa reses selesai.")
    if (year, number) == last_masa_sidang_of_term():
        errors["number"] = _("Tidak ada reses pada masa sidang terakhir masa jabatan (PP 12/2018 Pasal 87).")
    others = ResesPeriod.objects.exclude(pk=instance.pk if instance else None)
    if others.filter(year=year, number=number).exists():
        errors["number"] = _("Masa reses untuk masa sidang %(number)s tahun %(year)s sudah ada.") % {
            "number": ROMAN.get(number, number), "year": year}
    elif "ends_on" not in errors:
        overlap = others.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).first()
        if overlap:
            errors["starts_on"] = _("Tanggal ini bertumpang tindih dengan %(period)s.") % {"period": period_label(overlap)}
    if instance is not None and instance.pk and not errors:
        outside = instance.reses.exclude(starts_on__gte=starts_on, ends_on__lte=ends_on).count()
        if outside:
            errors["starts_on"] = _("%(count)s reses yang sudah dibuka berada di luar tanggal baru ini.") % {"count": outside}
    if errors:
        raise ValidationError(errors)


# --- opening a reses ---------------------------------------------------------


def check_may_record_for(user, member):
    """The member themself, or one of the member's own staff."""
    from django.core.exceptions import PermissionDenied

    if member.user_id == user.pk or member.staff.filter(pk=user.pk).exists():
        return
    raise PermissionDenied(_("Anda bukan anggota ini atau stafnya."))


def check_previous_report(member, period):
    """Pasal 88(6): a member whose report of an earlier reses is not yet submitted cannot open the next one."""
    unreported = (
        Reses.objects.filter(member=member, period__in=ResesPeriod.objects.before(period))
        .filter(status__in=[Reses.Status.OPEN, Reses.Status.RECORDED])
        .select_related("period")
        .order_by("period__year", "period__number")
        .first()
    )
    if unreported is not None:
        raise ValidationError(
            _("Laporan hasil reses %(period)s belum diserahkan kepada Pimpinan DPRD, sehingga reses berikutnya belum "
              "dapat dibuka (PP 12/2018 Pasal 88 ayat 6). Serahkan laporan itu terlebih dahulu.")
            % {"period": period_label(unreported.period)},
            code="report_missing",
        )


def check_not_opened(member, period, instance=None):
    existing = Reses.objects.filter(member=member, period=period).exclude(pk=instance.pk if instance else None)
    if existing.exists():
        raise ValidationError(
            _("Reses %(member)s untuk %(period)s sudah dibuka.") % {"member": member, "period": period_label(period)},
            code="duplicate",
        )


def check_period_open(period):
    if (period.year, period.number) == last_masa_sidang_of_term():
        raise ValidationError(_("Tidak ada reses pada masa sidang terakhir masa jabatan (PP 12/2018 Pasal 87)."))


def check_dates(period, starts_on, ends_on):
    """Within the period, at most ``MAX_DAYS`` days (Pasal 87); errors by field."""
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    elif starts_on < period.starts_on or ends_on > period.ends_on:
        errors["starts_on"] = _("Tanggal reses harus di dalam %(period)s: %(start)s sampai %(end)s.") % {
            "period": period_label(period), "start": tanggal(period.starts_on), "end": tanggal(period.ends_on)}
    elif (ends_on - starts_on).days + 1 > MAX_DAYS:
        errors["ends_on"] = _("Reses anggota DPRD kota paling lama %(max)s hari (PP 12/2018 Pasal 87); yang diisi "
                              "%(days)s hari.") % {"max": MAX_DAYS, "days": (ends_on - starts_on).days + 1}
    if errors:
        raise ValidationError(errors)


def outside_dapil_message(kelurahan, member):
    return _("Kelurahan %(kelurahan)s (Kecamatan %(kecamatan)s) tidak berada di %(dapil)s, dapil %(member)s.") % {
        "kelurahan": kelurahan.name, "kecamatan": kelurahan.kecamatan.name, "dapil": member.dapil, "member": member}


def check_places(member, places):
    if not places:
        raise ValidationError(_("Pilih sedikitnya satu kelurahan yang dikunjungi."), code="required")
    messages = [outside_dapil_message(place, member) for place in places if place.kecamatan.dapil_id != member.dapil_id]
    if messages:
        raise ValidationError(messages, code="outside_dapil")


def check_open_for_recording(reses):
    from django.core.exceptions import PermissionDenied

    if reses.status != Reses.Status.OPEN:
        raise PermissionDenied(_("Pencatatan reses ini sudah selesai; datanya tidak dapat diubah lagi."))


# --- items -------------------------------------------------------------------


def check_item_place(item, member):
    if item.kelurahan_id and item.kelurahan.kecamatan.dapil_id != member.dapil_id:
        raise ValidationError({"kelurahan": outside_dapil_message(item.kelurahan, member)})


def check_item_values(item):
    """What the forms check of single values, again for callers without a form (the demo, scripts)."""
    errors = {}
    if item.volume is not None and item.volume <= 0:
        errors["volume"] = _("Volume harus lebih dari nol.")
    if item.estimated_cost is not None and item.estimated_cost < 0:
        errors["estimated_cost"] = _("Perkiraan biaya tidak boleh negatif.")
    if item.latitude is not None and not -90 <= item.latitude <= 90:
        errors["latitude"] = _("Lintang harus antara -90 dan 90.")
    if item.longitude is not None and not -180 <= item.longitude <= 180:
        errors["longitude"] = _("Bujur harus antara -180 dan 180.")
    if errors:
        raise ValidationError(errors)


def missing_for_recording(item, member):
    """What stops a draft from being recorded (field -> message); empty when it is complete."""
    missing = {}
    if not item.problem.strip():
        missing["problem"] = _("Isi permasalahan yang disampaikan warga.")
    if not item.request.strip():
        missing["request"] = _("Isi usulan warga.")
    if not item.kelurahan_id:
        missing["kelurahan"] = _("Pilih kelurahan lokasi usulan.")
    elif item.kelurahan.kecamatan.dapil_id != member.dapil_id:
        missing["kelurahan"] = outside_dapil_message(item.kelurahan, member)
    if not item.kind:
        missing["kind"] = _("Pilih jenis usulan (fisik atau non-fisik).")
    if item.volume is None:
        missing["volume"] = _("Isi volume usulan.")
    elif item.volume <= 0:
        missing["volume"] = _("Volume harus lebih dari nol.")
    if not item.unit.strip():
        missing["unit"] = _("Isi satuan volume (meter, unit, titik, orang, …).")
    if not item.kamus_id:
        missing["kamus"] = _("Pilih kamus usulan yang sesuai.")
    return missing


def check_recordable(item, member):
    missing = missing_for_recording(item, member)
    if missing:
        raise ValidationError(missing)


def finishing_problems(reses):
    """What stops the member from closing the recording of a reses (a list of messages)."""
    problems = []
    items = ResesItem.objects.filter(reses=reses)
    if not items.recorded().exists():
        problems.append(_("Belum ada usulan warga yang dicatat."))
    drafts = items.drafts().count()
    if drafts:
        problems.append(_("Masih ada %(count)s usulan draf: catat atau hapus dulu.") % {"count": drafts})
    if reses.residents_present <= 0:
        problems.append(_("Isi jumlah warga yang hadir."))
    if reses.attendance_sheet() is None:
        problems.append(_("Unggah pindaian daftar hadir."))
    return problems

