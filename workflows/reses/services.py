"""Domain operations on reses: each in one transaction with its checks, trail, search outbox and task step.

Pages, the API, the task actions and the demo all call these; the rules
(``rules.py``) are checked here again, so no caller can skip them.
"""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.services import add_document, add_version, files_rolled_back_on_error
from documents.validation import PDF
from project.audit.models import AuditEvent
from project.notifications.services import notify
from project.org import services as org
from project.org.models import CouncilMember
from workflows.steps import complete_human_task, lock_assigned_task

from . import rules, search_items
from .models import ATTENDANCE, PHOTO, REPORT, AttendanceSheet, Reses, ResesItem, ResesPeriod

REPORT_NOTICE, ACKNOWLEDGED_NOTICE = "reses_report", "reses_acknowledged"  # notification kinds (apps.py)
ITEM_FIELDS = (
    "problem", "request", "kelurahan", "rt", "rw", "address", "boundaries", "latitude", "longitude", "kind", "volume",
    "unit", "estimated_cost", "kamus", "opd", "proposer_group", "proposer_name", "proposer_phone",
)


def members_recorded_by(user):
    """The council members whose reses ``user`` records: themself, and the members they assist."""
    if not user.is_authenticated:
        return CouncilMember.objects.none()
    assisted = CouncilMember.objects.filter(staff=user).values("pk")
    return CouncilMember.objects.filter(Q(user=user) | Q(pk__in=assisted)).select_related("user", "dapil", "fraksi")


def _locked_reses(reses):
    return Reses.objects.select_for_update(of=("self",)).select_related("member__dapil", "period").get(pk=reses.pk)


def _editable(reses, user):
    """The reses, locked, if ``user`` is on the member's side and recording is still open."""
    reses = _locked_reses(reses)
    rules.check_may_record_for(user, reses.member)
    rules.check_open_for_recording(reses)
    return reses


# --- periods -----------------------------------------------------------------------


@transaction.atomic
def save_period(*, data, user, instance=None):
    """Create or change a reses period (the secretariat: ``reses.manage_reses_periods``)."""
    if not user.has_perm("reses.manage_reses_periods"):
        raise PermissionDenied(_("Anda tidak berwenang mengatur masa reses."))
    rules.check_period(instance=instance, **data)
    period = instance or ResesPeriod()
    before = {name: str(getattr(period, name)) for name in data} if instance else None
    for name, value in data.items():
        setattr(period, name, value)
    period.save()
    AuditEvent.record(period, "period.changed" if before else "period.created", user=user,
                      detail={name: str(value) for name, value in data.items()})
    return period


# --- opening and describing a reses -----------------------------------------------------


def open_reses(*, period, member, starts_on, ends_on, places, venue, residents_present=0, user):
    """Open a member's reses in ``period`` and start its process (the member or their staff)."""
    from .flows import ResesFlow

    with transaction.atomic():
        member = CouncilMember.objects.select_for_update(of=("self",)).select_related("dapil", "user").get(pk=member.pk)
        rules.check_may_record_for(user, member)
        rules.check_period_open(period)
        rules.check_previous_report(member, period)
        rules.check_not_opened(member, period)
        rules.check_dates(period, starts_on, ends_on)
        rules.check_places(member, places)
        reses = Reses.objects.create(
            period=period, member=member, starts_on=starts_on, ends_on=ends_on, venue=venue,
            residents_present=residents_present or 0, created_by=user,
        )
        reses.places.set(places)
        AuditEvent.record(reses, "reses.opened", user=user, detail={
            "period": period.key, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
            "places": [place.name for place in places],
        })
        ResesFlow.open.run(reses=reses)
    return reses


@transaction.atomic
def update_reses(reses, *, starts_on, ends_on, places, venue, residents_present, user):
    """Correct the reses's dates, places, venue and attendance count while it is being recorded."""
    reses = _editable(reses, user)
    rules.check_dates(reses.period, starts_on, ends_on)
    rules.check_places(reses.member, places)
    reses.starts_on, reses.ends_on, reses.venue, reses.residents_present = starts_on, ends_on, venue, residents_present
    reses.save(update_fields=["starts_on", "ends_on", "venue", "residents_present"])
    reses.places.set(places)
    AuditEvent.record(reses, "reses.updated", user=user, detail={
        "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "venue": venue,
        "residents_present": residents_present, "places": [place.name for place in places],
    })
    search_items.schedule_reses(reses)
    return reses


def add_attendance_sheet(reses, *, file, media_type, user, page_count=None):
    """The attendance sheet (a scan checked by ``photos.clean_attendance``); a new upload is a new version."""
    with files_rolled_back_on_error():
        reses = _editable(reses, user)
        owner, _created = AttendanceSheet.objects.get_or_create(reses=reses)
        document = owner.documents(ATTENDANCE).first()
        if document is None:
            document = add_document(owner, role=ATTENDANCE, file=file, media_type=media_type, user=user,
                                    title=_("Daftar hadir reses"), page_count=page_count, extract_text=False)
            version = document.current
        else:
            version = add_version(document, file=file, media_type=media_type, user=user, page_count=page_count,
                                  note=_("Pindaian baru"), extract_text=False)
        AuditEvent.record(reses, "attendance.uploaded", user=user,
                          detail={"document": document.pk, "version": version.number, "sha256": version.sha256})
    return document


def add_photos(reses, *, photos, user):
    """Documentation photos of the reses itself (``photos.CleanPhoto``: their location is not kept)."""
    with files_rolled_back_on_error():
        reses = _editable(reses, user)
        documents = [_store_photo(reses, photo, user) for photo in photos]
        AuditEvent.record(reses, "photos.added", user=user, detail={"count": len(documents)})
    return documents


def _store_photo(owner, photo, user):
    return add_document(owner, role=PHOTO, file=photo.as_file(), media_type="image/jpeg", user=user,
                        title=photo.name, page_count=1, extract_text=False)


# --- items ---------------------------------------------------------------------------------


def save_item(reses, *, client_key, data, user, photos=(), record=False):
    """Save what was typed of a request under the page's ``client_key``; returns (item, what happened).

    The same key always updates the same item, so an autosave sent twice,
    or a form sent again after a dropped connection, makes one item.
    ``record`` ("Catat") also checks the item is complete and records it; an
    item already recorded must stay complete. Photos (``photos.CleanPhoto``)
    are stored without metadata; the first location they carry becomes the
    item's coordinates when it has none. Nothing is saved when a check fails.
    """
    with files_rolled_back_on_error():
        reses = _editable(reses, user)
        item = ResesItem.objects.select_for_update().filter(client_key=client_key).first()
        if item is not None and item.reses_id != reses.pk:
            raise PermissionDenied(_("Draf ini milik reses lain."))
        created = item is None
        if created:
            item = ResesItem(reses=reses, client_key=client_key, created_by=user)
        was_recorded = item.status == ResesItem.Status.RECORDED
        coordinates = (item.latitude, item.longitude)
        for name in ITEM_FIELDS:
            if name in data:
                setattr(item, name, data[name])
        fill_from_kamus(item)
        if (item.latitude, item.longitude) != coordinates:
            item.coordinates_from_photo = False  # typed in (or cleared) by the person
        located = next((photo for photo in photos if photo.has_location), None)
        if located is not None and not item.has_coordinates():
            item.latitude, item.longitude, item.coordinates_from_photo = located.latitude, located.longitude, True
        rules.check_item_place(item, reses.member)
        if record or was_recorded:
            rules.check_recordable(item, reses.member)
        if record and not was_recorded:
            item.status, item.recorded_at = ResesItem.Status.RECORDED, timezone.now()
        rules.check_item_values(item)
        item.save()
        for photo in photos:
            _store_photo(item, photo, user)
        detail = {"item": item.pk, "request": item.request[:80], "photos": len(photos)}
        if created:
            AuditEvent.record(reses, "item.drafted", user=user, detail=detail)
        if item.status == ResesItem.Status.RECORDED:
            AuditEvent.record(reses, "item.updated" if was_recorded else "item.recorded", user=user, detail=detail)
            search_items.schedule_items([item])
    outcome = "updated" if was_recorded else "recorded" if item.status == ResesItem.Status.RECORDED else "drafted"
    return item, outcome


def fill_from_kamus(item):
    """A kamus entry brings its kind, unit and agency where the item has none of its own."""
    if item.kamus_id:
        kamus = item.kamus
        item.kind = item.kind or kamus.kind
        item.unit = item.unit or kamus.unit
        if not item.opd_id:
            item.opd = kamus.opd


@transaction.atomic
def delete_draft(item, *, user):
    """A draft that will not be recorded (with its photos)."""
    reses = _editable(item.reses, user)
    item = ResesItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ResesItem.Status.DRAFT:
        raise PermissionDenied(_("Usulan yang sudah dicatat tidak dapat dihapus."))
    photos = list(item.documents())
    for document in photos:
        document.delete()
    AuditEvent.record(reses, "item.deleted", user=user, detail={"item": item.pk, "request": item.request[:80]})
    item.delete()


# --- the process's steps --------------------------------------------------------------------


def _task_reses(task):
    return _locked_reses(Reses(pk=task.process.artifact_object_id))


@transaction.atomic
def finish_recording(task, *, user):
    """The member closes the recording: every request recorded, attendance counted and its sheet uploaded."""
    task = lock_assigned_task(task, user)
    reses = _task_reses(task)
    rules.check_open_for_recording(reses)
    problems = rules.finishing_problems(reses)
    if problems:
        raise PermissionDenied(" ".join(str(problem) for problem in problems))
    reses.status, reses.recorded_at = Reses.Status.RECORDED, timezone.now()
    reses.save(update_fields=["status", "recorded_at"])
    AuditEvent.record(reses, "reses.recorded", user=user, detail={"items": reses.items.recorded().count()})
    complete_human_task(task, user)
    search_items.schedule_reses(reses)
    return reses


def submit_report(task, *, user, summary=""):
    """The member submits the laporan hasil reses to the Pimpinan: printed once and kept as a document."""
    from .printouts import report_pdf

    with files_rolled_back_on_error():
        task = lock_assigned_task(task, user)
        reses = _task_reses(task)
        if reses.status != Reses.Status.RECORDED:
            raise PermissionDenied(_("Laporan reses ini sudah diserahkan."))
        reses.summary = summary
        reses.status, reses.reported_at, reses.reported_by = Reses.Status.REPORTED, timezone.now(), user
        reses.save(update_fields=["summary", "status", "reported_at", "reported_by"])
        content = report_pdf(reses, personal=False)
        document = add_document(
            reses, role=REPORT, file=ContentFile(content, name=f"laporan-{reses.file_stem()}.pdf"), media_type=PDF,
            user=user, title=_("Laporan hasil reses"), extract_text=False,
        )
        AuditEvent.record(reses, "report.submitted", user=user,
                          detail={"document": document.pk, "sha256": document.current.sha256})
        complete_human_task(task, user)
        search_items.schedule_reses(reses)
        notify(
            [org.chair_position().acting_holder()], kind=REPORT_NOTICE,
            message=_("Laporan hasil reses diserahkan: %(reses)s") % {"reses": reses},
            url=reses.get_absolute_url(), subject_key=reses.subject_key,
        )
    return reses


@transaction.atomic
def acknowledge_report(task, *, user, note=""):
    """The chair (or whoever acts for the chair) receives the report; the process ends."""
    task = lock_assigned_task(task, user)
    reses = _task_reses(task)
    if reses.status != Reses.Status.REPORTED:
        raise PermissionDenied(_("Laporan reses ini belum diserahkan atau sudah diterima."))
    position = task.flow_task.position_of(task)
    acting_for = position.holder if position.holder_id != user.pk else None
    reses.status, reses.acknowledged_at, reses.acknowledged_by = Reses.Status.ACKNOWLEDGED, timezone.now(), user
    reses.acknowledgement_note = note
    reses.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    AuditEvent.record(reses, "report.acknowledged", user=user, acting_for=acting_for, detail={"note": note})
    complete_human_task(task, user)
    search_items.schedule_reses(reses)
    member = reses.member
    notify(
        [member.user, *member.staff.all()], kind=ACKNOWLEDGED_NOTICE,
        message=_("Laporan hasil reses diterima Pimpinan: %(period)s") % {"period": reses.period},
        url=reses.get_absolute_url(), subject_key=reses.subject_key,
    )
    return reses


# --- what the shared pages show of reses (registered in apps.py) -----------------------------


def task_deadline(task):
    """The member's steps are due by the period's report date; the Pimpinan's step has none."""
    from .flows import ResesFlow

    if task.flow_task not in (ResesFlow.record, ResesFlow.submit):
        return None
    return task.process.artifact.period.report_due  # the inbox loads the reses with its period


def task_deadline_expression():
    """``task_deadline`` as a database expression on task rows (the inbox filters and sorts by it)."""
    from .flows import ResesFlow

    report_due = Subquery(Reses.objects.filter(process=OuterRef("process_id")).values("period__report_due")[:1])
    return {ResesFlow.record: report_due, ResesFlow.submit: report_due}


def dashboard_counters(user):
    from workflows.registry import Counter

    if not members_recorded_by(user).exists():
        return []
    side = Reses.objects.member_side(user)
    return [
        Counter(_("Reses dengan usulan draf"), side.filter(pk__in=with_draft_items()).count(), "reses:list",
                {"saya": "1", "usulan": "draf"}),
        Counter(_("Reses belum dilaporkan"), side.filter(status__in=UNREPORTED).count(), "reses:list",
                {"saya": "1", "laporan": "belum"}),
    ]


UNREPORTED = (Reses.Status.OPEN, Reses.Status.RECORDED)


def with_draft_items():
    """The reses that still hold a draft request (pks, as a subquery)."""
    return ResesItem.objects.filter(status=ResesItem.Status.DRAFT).values("reses")

