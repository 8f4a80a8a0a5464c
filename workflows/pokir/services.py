"""Domain operations on pokir.

Pages, the API and the flow's callbacks call these. Each runs in one
transaction: the checks (who may, in which state, before which deadline),
the change, the trail (``AuditEvent``), the search outbox and the flow's
step. Nothing here trusts its caller: a member's staff may draft for that
member only, a verifier cannot verify past a failed check without a
reason, a final pokir cannot be changed or deleted by anyone.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents.models import DocumentVersion, TextStatus
from documents.services import add_document, files_rolled_back_on_error
from project.audit.models import AuditEvent
from project.notifications.services import notify
from project.org.models import CouncilMember, Position
from search import indexing
from workflows.inbox import open_task
from workflows.reses.models import ResesItem
from workflows.steps import complete_human_task, lock_assigned_task

from . import checklist as checks
from project.reference import workdays
from .models import PHOTO, DeadlineReminder, Pokir, PokirExport, PokirReview, PokirYear, members_drafted_by

KIND = "pokir"  # search item kind
STATUS_NOTICE, DEADLINE_NOTICE = "pokir_status", "pokir_deadline"  # notification kinds (registered in apps.py)

# What the member fills in (the edit form's fields, and what a reses item pre-fills).
FIELDS = ["title", "problem", "kelurahan", "rt", "rw", "address", "boundaries", "latitude", "longitude", "kind",
          "volume", "unit", "estimated_cost", "kamus", "opd"]

# The groups of fields a verifier can return with a note each (group -> the form fields it covers).
NOTE_FIELDS = {
    "title": ["title"],
    "problem": ["problem"],
    "address": ["address", "kelurahan", "rt", "rw"],  # the note shows at the first
    "boundaries": ["boundaries"],
    "coordinates": ["latitude", "longitude"],
    "photos": [],
    "volume": ["volume", "unit"],
    "kind": ["kind"],
    "estimated_cost": ["estimated_cost"],
    "kamus": ["kamus", "opd"],
    "other": [],
}


def schedule_index(pokirs):
    indexing.schedule_items(KIND, [pokir.pk for pokir in pokirs])


def _member_side(pokir):
    return [pokir.member.user, *pokir.member.staff.all()]


def _tell_member_side(pokir, message):
    notify(_member_side(pokir), kind=STATUS_NOTICE, message=message, url=pokir.get_absolute_url(),
           subject_key=pokir.subject_key)


def may_edit(user, pokir):
    """The member and the member's staff; nobody else writes a member's pokir."""
    return members_drafted_by(user).filter(pk=pokir.member_id).exists()


def _ensure_editable(pokir, user):
    if not may_edit(user, pokir):
        raise PermissionDenied(_("Hanya anggota pengusul dan stafnya yang dapat mengubah pokir ini."))
    if pokir.status not in Pokir.EDITABLE:
        if pokir.locked:
            raise PermissionDenied(_("Pokir ini sudah final dan dikunci; tidak dapat diubah."))
        raise PermissionDenied(_("Pokir berstatus “%(status)s” tidak dapat diubah.") % {"status": pokir.get_status_display()})


def _locked(pokir):
    """The pokir's row, locked for this transaction (two tabs, two people: one change at a time)."""
    return Pokir.objects.select_for_update().select_related("year", "member__user", "member__dapil").get(pk=pokir.pk)


def open_years(today=None):
    """Budget years still taking new pokir (deadline today or later)."""
    return PokirYear.objects.filter(deadline__gte=today or timezone.localdate()).order_by("year")


def usable_items(member):
    """The member's recorded reses items, which a pokir may be built from."""
    return (
        ResesItem.objects.filter(reses__member=member, status=ResesItem.Status.RECORDED)
        .select_related("kelurahan__kecamatan", "reses__period")
        .prefetch_related("pokir")
        .order_by("-reses__period__year", "-reses__period__number", "pk")
    )


def prefill_from(item):
    """What a reses item tells a new pokir: its request, problem, place, kind, volume, cost, kamus and OPD."""
    data = {
        "title": (item.request or item.problem or "").strip()[:300],
        "problem": item.problem,
        "kelurahan": item.kelurahan,
        "rt": item.rt, "rw": item.rw, "address": item.address, "boundaries": item.boundaries,
        "latitude": item.latitude, "longitude": item.longitude,
        "kind": item.kind, "volume": item.volume if item.volume and item.volume > 0 else None, "unit": item.unit,
        "estimated_cost": item.estimated_cost, "kamus": item.kamus, "opd": item.opd,
    }
    kamus = item.kamus
    if kamus is not None:
        data["opd"] = data["opd"] or kamus.opd
        data["unit"] = data["unit"] or kamus.unit
        data["kind"] = data["kind"] or kamus.kind
    return data


def _check_items(member, items):
    foreign = [item for item in items if item.reses.member_id != member.pk or item.status != ResesItem.Status.RECORDED]
    if foreign:
        raise PermissionDenied(_("Pokir hanya dapat dibuat dari usulan reses anggota itu sendiri yang sudah tercatat."))


def create_draft(*, member, year, user, items=(), title=""):
    """A new draft of ``member`` for ``year``, pre-filled from the first reses item; its process starts."""
    from .flows import PokirFlow

    items = list(items)
    with transaction.atomic():
        if not members_drafted_by(user).filter(pk=member.pk).exists():
            raise PermissionDenied(_("Anda hanya dapat menyusun pokir untuk diri sendiri atau anggota yang Anda bantu."))
        _check_items(member, items)
        data = prefill_from(items[0]) if items else {}
        if title.strip():
            data["title"] = title.strip()
        if not data.get("title"):
            raise ValidationError(_("Isi usulan atau pilih usulan reses."))
        pokir = Pokir.objects.create(year=year, member=member, created_by=user, **data)
        pokir.reses_items.set(items)
        AuditEvent.record(pokir, "pokir.created", user=user, detail={
            "year": year.year, "member": str(member), "reses_items": [item.pk for item in items],
        })
        PokirFlow.start.run(pokir=pokir)
        schedule_index([pokir])
    return pokir


def update_pokir(pokir, *, user, data, items=None):
    """Save the member's edits (draft or returned only); the trail names the fields that changed."""
    with transaction.atomic():
        pokir = _locked(pokir)
        _ensure_editable(pokir, user)
        changed = []
        for name in FIELDS:
            if name in data and getattr(pokir, name) != data[name]:
                setattr(pokir, name, data[name])
                changed.append(name)
        if items is not None:
            items = list(items)
            _check_items(pokir.member, items)
            if {item.pk for item in items} != set(pokir.reses_items.values_list("pk", flat=True)):
                pokir.reses_items.set(items)
                changed.append("reses_items")
        if not changed:
            return pokir
        pokir.full_clean(exclude=["reses_items"])
        pokir.save()
        AuditEvent.record(pokir, "pokir.updated", user=user, detail={"fields": changed})
        schedule_index([pokir])
    return pokir


def add_photos(pokir, *, user, files):
    """``files``: (upload, media type) pairs already checked by the form's upload policy."""
    with files_rolled_back_on_error():
        pokir = _locked(pokir)
        _ensure_editable(pokir, user)
        documents = [
            add_document(pokir, role=PHOTO, file=upload, media_type=media_type, user=user,
                         title=_("Foto %(number)s") % {"number": pokir.number}, extract_text=False)
            for upload, media_type in files
        ]
        # a photo of a road is not a text document: no OCR job for it
        DocumentVersion.objects.filter(document__in=documents).update(text_status=TextStatus.NOT_APPLICABLE)
        AuditEvent.record(pokir, "pokir.photo_added", user=user, detail={
            "photos": [document.pk for document in documents],
            "sha256": [document.current.sha256 for document in documents],
        })
        schedule_index([pokir])
    return documents


def deadline_passed_message(year):
    return _("Batas pengajuan pokir TA %(year)s sudah lewat (%(date)s); pokir baru tidak dapat diajukan lagi.") % {
        "year": year.year, "date": date_format(year.deadline, "j F Y"),
    }


def submit(pokir, *, user, today=None):
    """Send a draft (or a returned pokir, corrected) to verification.

    After the year's deadline nothing new is submitted; a returned pokir
    may still come back corrected (it is not new: REFERENCE.md §1).
    """
    from .flows import PokirFlow

    today = today or timezone.localdate()
    with transaction.atomic():
        pokir = _locked(pokir)
        if not may_edit(user, pokir):
            raise PermissionDenied(_("Hanya anggota pengusul dan stafnya yang dapat mengajukan pokir ini."))
        if pokir.status not in Pokir.EDITABLE:
            raise PermissionDenied(_("Pokir ini sudah diajukan (status: %(status)s).") % {"status": pokir.get_status_display()})
        first = pokir.status == Pokir.Status.DRAFT
        if first and today > pokir.year.deadline:
            raise PermissionDenied(deadline_passed_message(pokir.year))
        task = open_task(pokir, PokirFlow.prepare)
        if task is None:
            raise PermissionDenied(_("Pokir ini sedang diproses; muat ulang halaman."))
        now = timezone.now()
        pokir.status = Pokir.Status.SUBMITTED
        pokir.submitted_at = pokir.submitted_at or now
        pokir.last_submitted_at = now
        pokir.return_notes = {}
        pokir.save(update_fields=["status", "submitted_at", "last_submitted_at", "return_notes", "updated_at"])
        AuditEvent.record(pokir, "pokir.submitted" if first else "pokir.resubmitted", user=user)
        PokirFlow.prepare.run(task)
        schedule_index([pokir])
    return pokir


def discard_draft(pokir, *, user):
    """Throw away a draft that was never submitted (with its process)."""
    with transaction.atomic():
        pokir = _locked(pokir)
        if not may_edit(user, pokir):
            raise PermissionDenied(_("Hanya anggota pengusul dan stafnya yang dapat menghapus draf ini."))
        if pokir.status != Pokir.Status.DRAFT or pokir.submitted_at is not None:
            raise PermissionDenied(_("Pokir yang sudah diajukan tidak dapat dihapus."))
        AuditEvent.record(pokir, "pokir.discarded", user=user, detail={"title": pokir.title})
        process, pk = pokir.process, pokir.pk
        pokir.delete()
        if process is not None:
            process.delete()
        indexing.schedule_items(KIND, [pk])


# --- verification (the verifier's step; see actions.py) ----------------------------------


def pokir_of_task(task):
    return Pokir.objects.select_related("year", "member__user", "member__dapil").get(pk=task.process.artifact_object_id)


def _decided(task, user, expected):
    task = lock_assigned_task(task, user)
    pokir = _locked(pokir_of_task(task))
    if pokir.status != expected:
        raise PermissionDenied(_("Pokir ini berstatus “%(status)s”; langkah ini tidak berlaku lagi.") % {"status": pokir.get_status_display()})
    return task, pokir


@transaction.atomic
def verify(task, *, user, overrides, note=""):
    """Verify the pokir: every check passes, or each failed one is overridden with a reason.

    The checklist is computed again here, so a page left open while another
    pokir made this one a duplicate cannot verify past the new failure.
    """
    task, pokir = _decided(task, user, Pokir.Status.SUBMITTED)
    failures = checks.failed(checks.checklist(pokir))
    missing = [check for check in failures if not (overrides.get(check.code) or "").strip()]
    if missing:
        raise PermissionDenied(
            _("Pokir belum dapat diverifikasi: pemeriksaan %(checks)s gagal dan belum diabaikan dengan alasan.")
            % {"checks": ", ".join(f"“{check.title}”" for check in missing)}
        )
    used = {check.code: overrides[check.code].strip() for check in failures}
    pokir.status = Pokir.Status.VERIFIED
    pokir.verified_by, pokir.verified_at = user, timezone.now()
    pokir.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    PokirReview.objects.create(pokir=pokir, decision=PokirReview.Decision.VERIFIED, overrides=used, reason=note, by=user)
    AuditEvent.record(pokir, "pokir.verified", user=user, detail={"overrides": used, "note": note})
    complete_human_task(task, user)
    schedule_index([pokir])
    _tell_member_side(pokir, _("Pokir terverifikasi: %(pokir)s") % {"pokir": pokir})
    return pokir


@transaction.atomic
def return_pokir(task, *, user, notes):
    """Send the pokir back to the member with a note per field (dikembalikan ≠ ditolak)."""
    notes = {field: text.strip() for field, text in notes.items() if field in NOTE_FIELDS and text and text.strip()}
    if not notes:
        raise PermissionDenied(_("Tulis sedikitnya satu catatan pada isian yang harus diperbaiki."))
    task, pokir = _decided(task, user, Pokir.Status.SUBMITTED)
    pokir.status = Pokir.Status.RETURNED
    pokir.return_notes = notes
    pokir.save(update_fields=["status", "return_notes", "updated_at"])
    PokirReview.objects.create(pokir=pokir, decision=PokirReview.Decision.RETURNED, notes=notes, by=user)
    AuditEvent.record(pokir, "pokir.returned", user=user, detail={"notes": notes})
    complete_human_task(task, user)
    schedule_index([pokir])
    _tell_member_side(pokir, _("Pokir dikembalikan untuk diperbaiki: %(pokir)s") % {"pokir": pokir})
    return pokir


@transaction.atomic
def reject(task, *, user, reason):
    reason = reason.strip()
    if not reason:
        raise PermissionDenied(_("Tuliskan alasan penolakan."))
    task, pokir = _decided(task, user, Pokir.Status.SUBMITTED)
    pokir.status = Pokir.Status.REJECTED
    pokir.rejection_reason = reason
    pokir.save(update_fields=["status", "rejection_reason", "updated_at"])
    PokirReview.objects.create(pokir=pokir, decision=PokirReview.Decision.REJECTED, reason=reason, by=user)
    AuditEvent.record(pokir, "pokir.rejected", user=user, detail={"reason": reason})
    complete_human_task(task, user)
    schedule_index([pokir])
    _tell_member_side(pokir, _("Pokir ditolak: %(pokir)s") % {"pokir": pokir})
    return pokir


# --- the Pimpinan's recap, final, export ----------------------------------------------------


@transaction.atomic
def approve_recap(task, *, user, note=""):
    """The chair (or whoever acts for the chair) takes the verified pokir into the year's recap: it becomes final."""
    task, pokir = _decided(task, user, Pokir.Status.VERIFIED)
    position = Position.objects.get(pk=task.data["position"])
    acting_for = position.holder if position.holder_id != user.pk else None
    PokirReview.objects.create(pokir=pokir, decision=PokirReview.Decision.APPROVED, reason=note, by=user, acting_for=acting_for)
    AuditEvent.record(pokir, "pokir.approved", user=user, acting_for=acting_for, detail={"note": note})
    complete_human_task(task, user)  # the flow's finalise step runs next (finalise below)
    pokir.refresh_from_db()
    return pokir


def finalise(pokir):
    """Called by the flow after the recap: the pokir is final and locked."""
    pokir.status = Pokir.Status.FINAL
    pokir.finalised_at = timezone.now()
    pokir.save(update_fields=["status", "finalised_at", "updated_at"])
    AuditEvent.record(pokir, "pokir.finalised", user=None)
    schedule_index([pokir])
    _tell_member_side(pokir, _("Pokir final dalam rekap pimpinan: %(pokir)s") % {"pokir": pokir})


def recap_tasks(user):
    """The recap steps waiting in ``user``'s inbox."""
    from workflows.inbox import inbox_tasks

    from .flows import PokirFlow

    return inbox_tasks(user).filter(flow_task=PokirFlow.recap)


def final_recap(year, user):
    """The year's final (and already exported) pokir that ``user`` sees, in the recap's order."""
    return (
        Pokir.objects.visible_to(user).filter(year=year, status__in=Pokir.LOCKED)
        .select_related("member__user", "member__dapil", "member__fraksi", "kelurahan__kecamatan__dapil", "kamus", "opd")
        .order_by("member__dapil__code", "kelurahan__kecamatan__name", "pk")
    )


def export_year(year, *, user, fmt):
    """Export the year's final recap for SIPD input: (export record, file bytes, file name).

    Recorded in the trail of the export and of every pokir in it; the
    final ones move on to "exported" (the flow's export step).
    """
    from . import exports
    from .flows import PokirFlow

    if not user.has_perm("pokir.export_pokir"):
        raise PermissionDenied(_("Anda tidak berwenang mengekspor rekap pokir."))
    with transaction.atomic():
        year = PokirYear.objects.select_for_update().get(pk=year.pk)  # one export of a year at a time
        pokirs = list(final_recap(year, user))
        if not pokirs:
            raise PermissionDenied(_("Belum ada pokir final untuk TA %(year)s.") % {"year": year.year})
        content = exports.xlsx(pokirs) if fmt == PokirExport.Format.XLSX else exports.csv_bytes(pokirs)
        export = PokirExport.objects.create(
            year=year, format=fmt, count=len(pokirs), pokir_ids=[pokir.pk for pokir in pokirs],
            sha256=exports.sha256(content), made_by=user,
        )
        AuditEvent.record(export, "pokir.export_made", user=user, detail={
            "year": year.year, "format": fmt, "count": len(pokirs), "sha256": export.sha256,
        })
        now = timezone.now()
        for pokir in pokirs:
            AuditEvent.record(pokir, "pokir.exported", user=user, detail={"export": export.pk, "format": fmt})
            if pokir.status == Pokir.Status.FINAL:
                task = open_task(pokir, PokirFlow.export)
                pokir.status, pokir.exported_at = Pokir.Status.EXPORTED, now
                pokir.save(update_fields=["status", "exported_at", "updated_at"])
                if task is not None:
                    PokirFlow.export.run(task)
        schedule_index(pokirs)
    return export, content, f"pokir-sipd-{year.year}.{fmt}"


def record_realisation(pokir, *, user, data):
    """What became of an exported pokir in the government's plan (RKPD / reserve / not accommodated)."""
    if not user.has_perm("pokir.verify_pokir"):
        raise PermissionDenied(_("Hanya verifikator yang mencatat realisasi pokir."))
    with transaction.atomic():
        pokir = _locked(pokir)
        if pokir.status != Pokir.Status.EXPORTED:
            raise PermissionDenied(_("Realisasi dicatat setelah pokir diekspor untuk SIPD."))
        for name in ("realisation", "realisation_opd", "realisation_year", "realisation_budget", "realisation_note"):
            setattr(pokir, name, data.get(name))
        pokir.realisation_note = pokir.realisation_note or ""
        pokir.realised_by, pokir.realised_at = user, timezone.now()
        pokir.save()
        AuditEvent.record(pokir, "pokir.realisation_recorded", user=user, detail={
            "realisation": pokir.realisation, "opd": str(pokir.realisation_opd or ""),
            "year": pokir.realisation_year, "budget": str(pokir.realisation_budget or ""),
        })
        schedule_index([pokir])
    return pokir


# --- the year's calendar, and reminders ----------------------------------------------------


def save_year(*, user, instance=None, data):
    if not user.has_perm("pokir.manage_pokir_years"):
        raise PermissionDenied(_("Hanya verifikator yang mengatur kalender pokir."))
    with transaction.atomic():
        year = instance or PokirYear()
        for name, value in data.items():
            setattr(year, name, value)
        year.updated_by = user
        year.full_clean()
        year.save()
        AuditEvent.record(year, "pokir_year.saved", user=user, detail={
            "year": year.year, "deadline": year.deadline.isoformat(),
            "ceiling": str(year.ceiling_per_member) if year.ceiling_per_member is not None else None,
            "reminder_working_days": year.reminder_working_days,
        })
    return year


def reminder_day(year):
    """The working day members with drafts are reminded: ``reminder_working_days`` working days before the deadline."""
    if not year.reminder_working_days:
        return None
    return workdays.working_days_before(year.deadline, year.reminder_working_days)


def remind_drafts(today=None):
    """Remind members (and their staff) who still have drafts, from the year's reminder day up to its deadline.

    Run by the worker's beat (``tasks.remind_pokir_drafts``) every hour;
    each member is reminded once per year, so running it again sends
    nothing twice. Returns how many members were reminded.
    """
    today = today or timezone.localdate()
    reminded = 0
    for year in PokirYear.objects.filter(deadline__gte=today):
        day = reminder_day(year)
        if day is None or today < day:
            continue
        left = workdays.working_days_between(today, year.deadline)
        drafts = Pokir.objects.filter(year=year, status=Pokir.Status.DRAFT)
        members = CouncilMember.objects.filter(pk__in=drafts.values("member_id")).select_related("user")
        for member in members:
            count = drafts.filter(member=member).count()
            with transaction.atomic():
                _reminder, created = DeadlineReminder.objects.get_or_create(year=year, member=member, defaults={"drafts": count})
                if not created:
                    continue
                message = _(
                    "Batas pengajuan pokir TA %(year)s: %(date)s (%(left)d hari kerja lagi). Anda masih punya %(count)d draf."
                ) % {"year": year.year, "date": date_format(year.deadline, "j F Y"), "left": left, "count": count}
                notify([member.user, *member.staff.all()], kind=DEADLINE_NOTICE, message=message,
                       url=reverse("pokir:drafts"), subject_key=f"pokiryear:{year.year}")
            reminded += 1
    return reminded


# --- what other pages show ---------------------------------------------------------------


def shared_items(pokir):
    """Reses items of this pokir that other pokir use too: {item: [other pokir]} (flagged on both)."""
    result = {}
    for item in pokir.reses_items.all():
        others = [other for other in item.pokir.all() if other.pk != pokir.pk]
        if others:
            result[item] = others
    return result


def own_pokir(user):
    """The pokir ``user`` drafts (as the member or their staff), or None for people who draft none."""
    members = members_drafted_by(user)
    if not members.exists():
        return None
    return Pokir.objects.filter(member__in=members)


def dashboard_counters(user):
    from workflows.registry import Counter

    counters = []
    visible = Pokir.objects.visible_to(user)
    if user.has_perm("pokir.verify_pokir"):
        counters.append(Counter(_("Pokir menunggu verifikasi"), visible.filter(status=Pokir.Status.SUBMITTED).count(),
                                "pokir:awaiting"))
    own = own_pokir(user)
    if own is not None:
        own = visible.filter(pk__in=own.values("pk"))
        counters.append(Counter(_("Pokir dikembalikan"), own.filter(status=Pokir.Status.RETURNED).count(), "pokir:returned",
                                {"sendiri": "1"}))
        counters.append(Counter(_("Draf pokir"), own.filter(status=Pokir.Status.DRAFT).count(), "pokir:drafts",
                                {"sendiri": "1"}))
    return counters


def uses_pokir(user):
    """Whether the menu shows pokir to ``user``: they draft, verify, lead a fraksi, sit in the Pimpinan or audit."""
    from .models import members_visible_to

    if not user.is_authenticated:
        return False
    cached = getattr(user, "_uses_pokir", None)  # the menu asks twice per page
    if cached is None:
        members = members_visible_to(user)
        cached = user._uses_pokir = members is None or members.exists()
    return cached


def by_status(queryset):
    counts = dict.fromkeys(Pokir.Status.values, 0)
    for row in queryset.values("status").order_by().annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def filter_text(queryset, text):
    text = (text or "").strip()
    if not text:
        return queryset
    return queryset.filter(Q(title__icontains=text) | Q(problem__icontains=text) | Q(address__icontains=text))


def days_left(year, today=None):
    today = today or timezone.localdate()
    return workdays.working_days_between(today, year.deadline) if year.deadline >= today else 0
