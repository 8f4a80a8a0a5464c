"""Domain operations on incoming letters.

Views call these; each runs in one transaction, records the audit trail and
moves the Viewflow process. Permission checks that depend on the task (who
may dispose, who may close a branch) are made here too, so no caller can
skip them.
"""

import datetime
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import BigIntegerField, F, OuterRef, Q, Subquery, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.db.models.functions import Lower, Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from documents.models import Document
from documents.pdf import tanggal
from documents.services import add_document, files_rolled_back_on_error
from documents.stamping import forget_stamp_failure, stamp_failed, stamp_failure_messages, stamp_first_page
from documents.validation import PDF
from project.audit.models import AuditEvent
from project.notifications.models import TASK, Notification
from project.notifications.services import notify
from project.org import services as org
from project.org.models import Position, Unit
from workflows.inbox import open_task  # noqa: F401  (callers and tests find it here)
from workflows.steps import complete_human_task, lock_assigned_task

from . import search_items
from .models import (
    ATTACHMENT, REPORT, SCAN, AgendaCounter, DeadlineExtension, Disposition, DispositionBranch, Instruction, Letter,
)

STAMP_NOTE = "Stempel nomor agenda"
RESTAMP_NOTE = "Stempel ulang setelah koreksi"
DISPOSITION_NOTICE, OVERDUE_NOTICE = "disposition", "overdue"  # notification kinds (registered in apps.py)
EXTENSION_NOTICE = "extension"
CORRECTABLE_FIELDS = ("sender", "sender_number", "letter_date", "received_date", "subject", "nature", "classification")


def _letter_url(letter):
    return reverse("letters:detail", args=[letter.pk])


def register_letter(*, data, scan, attachments=(), user, page_count=None):
    """Record a letter with the next agenda number of the year and start its process.

    ``scan`` is the PDF, ``attachments`` (file, media type) pairs, all already
    checked by the form. All or nothing: if anything fails, the transaction
    rolls back and the files written are removed again. After the commit the
    worker reads the scan's text (OCR for scanned pages) and stamps the agenda
    number onto a new version of it.
    """
    from .flows import LetterFlow

    with files_rolled_back_on_error():
        year = timezone.localdate().year
        letter = Letter(**data, registered_by=user, agenda_year=year)
        letter.agenda_number = AgendaCounter.next_number(year)
        letter.save()
        scan_document = add_document(
            letter, role=SCAN, file=scan, media_type=PDF, user=user,
            title=f"Surat {letter.agenda_label}", page_count=page_count, extract_text=False,
        )
        for upload, media_type in attachments:
            add_document(letter, role=ATTACHMENT, file=upload, media_type=media_type, user=user)
        AuditEvent.record(
            letter,
            "letter.registered",
            user=user,
            detail={
                "agenda": letter.agenda_label,
                "sha256": scan_document.current.sha256,
                "attachments": len(attachments),
            },
        )
        LetterFlow.register.run(letter=letter)
        search_items.schedule(letter)
    transaction.on_commit(lambda: _queue_stamp(letter.pk))
    return letter


# The blanks people type into a sender or a number: spaces, tabs, line breaks, no-break spaces.
BLANKS = (" ", "\t", "\n", "\r", "\u00a0")


def _squeezed(value):
    """``value`` as duplicates are compared: case and blanks do not count ("Dinas  PU" is "dinaspu")."""
    for blank in BLANKS:
        value = value.replace(blank, "")
    return value.lower()


def _squeezed_column(name):
    """The column squeezed as ``_squeezed`` squeezes a value, in SQL that PostgreSQL and SQLite (the embedded
    default, which has no ``regexp_replace``) both run."""
    squeezed = Lower(F(name))
    for blank in BLANKS:
        squeezed = Replace(squeezed, Value(blank), Value(""))
    return squeezed


def scan_sha256(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def earlier_letters(user, *, sender, sender_number, sha256=None):
    """Letters ``user`` may see that look like this one: same sender and number, or the very same scan.

    Cancelled registrations do not count: registering a letter again after
    cancelling a mistaken entry is the usual way to correct it.
    """
    same_scan = Document.objects.filter(
        owner_type=ContentType.objects.get_for_model(Letter), role=SCAN, versions__blob__sha256=sha256
    ).values_list("owner_id", flat=True) if sha256 else []
    return (
        Letter.objects.visible_to(user)
        .alias(squeezed_sender=_squeezed_column("sender"), squeezed_number=_squeezed_column("sender_number"))
        .filter(
            Q(squeezed_sender=_squeezed(sender), squeezed_number=_squeezed(sender_number))
            | Q(pk__in=[int(owner_id) for owner_id in same_scan])
        )
        .exclude(status=Letter.Status.CANCELLED).order_by("registered_at")
    )


@transaction.atomic
def correct_letter(letter, *, user, data):
    """The registrar corrects a letter's register data while it awaits disposition; the trail keeps old → new."""
    letter = _letter_awaiting_disposition(letter, user, _("Data surat hanya dapat dikoreksi sebelum didisposisikan."))
    changes, changed = {}, set()
    for name in CORRECTABLE_FIELDS:
        old, new = getattr(letter, name), data[name]
        if old != new:
            changes[str(Letter._meta.get_field(name).verbose_name)] = {"old": _shown(old), "new": _shown(new)}
            changed.add(name)
            setattr(letter, name, new)
    if not changes:
        return letter
    letter.save(update_fields=list(CORRECTABLE_FIELDS))
    AuditEvent.record(letter, "letter.corrected", user=user, detail={"changes": changes})
    search_items.schedule(letter)
    if "received_date" in changed:  # the stamp on the scan shows the received date: stamp it again
        transaction.on_commit(lambda: _queue_restamp(letter.pk))
    return letter


def _shown(value):
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


@transaction.atomic
def cancel_letter(letter, *, user, reason):
    """Cancel a mistaken registration: kept and still visible, marked Dibatalkan; its number is never reused.

    The chair's open task goes with the process, and the notifications about
    the letter are marked read for everyone. Locks follow the order a
    disposition takes (task, then letter, then process), so a cancel and a
    disposition at the same moment queue instead of deadlocking; whichever
    comes second is refused.
    """
    from .flows import LetterFlow

    list(Task.objects.select_for_update().filter(process=letter.process_id).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED]
    ))
    letter = _letter_awaiting_disposition(letter, user, _("Surat yang sudah didisposisikan tidak dapat dibatalkan."))
    letter.status = Letter.Status.CANCELLED
    letter.cancel_reason = reason
    letter.cancelled_at = timezone.now()
    letter.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    LetterFlow.instance.cancel(letter.process)
    # what told the chair (or anyone) about it is no longer something to act on
    Notification.objects.filter(subject_key=letter.subject_key, read_at__isnull=True).update(read_at=timezone.now())
    AuditEvent.record(letter, "letter.cancelled", user=user, detail={"reason": reason, "agenda": letter.agenda_label})
    search_items.schedule(letter)
    return letter


def _letter_awaiting_disposition(letter, user, refusal):
    if not user.has_perm("letters.add_letter"):
        raise PermissionDenied(_("Hanya petugas pendaftaran surat yang dapat melakukan ini."))
    letter = Letter.objects.select_for_update().get(pk=Letter.visible_or_404(user, letter.pk).pk)
    if not letter.awaiting_disposition:
        raise ValidationError(refusal)
    return letter


def _queue_stamp(letter_pk):
    from .tasks import prepare_scan

    prepare_scan.delay(letter_pk)


def _queue_restamp(letter_pk):
    from .tasks import restamp_scan

    restamp_scan.delay(letter_pk)


def stamp_scan(letter, *, again=False):
    """Stamp the agenda number and received date onto page 1 of the scan, as a new version.

    The stamp is always laid on version 1 (the scan as received). ``again``:
    the register data the stamp shows was corrected, so a stamped scan gets a
    new stamped version ("Stempel ulang setelah koreksi"); a scan not stamped
    yet is left to its first stamp, which reads the corrected data.
    """
    scan = letter.scan
    original = scan.versions.order_by("number").first()
    stamped = scan.versions.filter(note=STAMP_NOTE).exists()
    if stamped != again:
        return None
    lines = [
        f"DPRD KOTA BALIKPAPAN  No. Agenda {letter.agenda_label}",
        f"Diterima: {tanggal(letter.received_date)}",
    ]
    version = stamp_first_page(original, lines=lines, note=RESTAMP_NOTE if again else STAMP_NOTE)
    if version is not None:
        AuditEvent.record(letter, "scan.restamped" if again else "scan.stamped",
                          detail={"version": version.number, "sha256": version.sha256})
    return version


def missing_stamp(letter):
    """Why the letter's scan has no stamped version, in plain words; None when it has one or is being stamped.

    Stamping runs in the worker after registration; a scan that cannot be
    stamped (damaged, locked with a password, too heavy) keeps the reason on
    its version 1, and the letter page shows it with a way to try again.
    """
    scan = letter.scan
    if scan is None or scan.versions.filter(note=STAMP_NOTE).exists():
        return None
    return stamp_failure_messages(scan.versions.order_by("number").first()) or None


@transaction.atomic
def retry_stamp(letter, *, user):
    """The registrar asks for the stamp again (after the file was replaced, or a passing failure)."""
    if not user.has_perm("letters.add_letter"):
        raise PermissionDenied(_("Hanya petugas pendaftaran surat yang dapat melakukan ini."))
    letter = Letter.visible_or_404(user, letter.pk)
    scan = Document.objects.select_for_update().get(pk=letter.scan.pk)
    original = scan.versions.order_by("number").first()
    if not stamp_failed(original) or scan.versions.filter(note=STAMP_NOTE).exists():
        raise ValidationError(_("Berkas surat ini tidak sedang menunggu stempel ulang."))
    original.text_problems = forget_stamp_failure(original.text_problems)
    original.save(update_fields=["text_problems"])
    AuditEvent.record(letter, "scan.stamp_retried", user=user)
    transaction.on_commit(lambda: _queue_stamp(letter.pk))


def branch_of_task(task):
    """The disposition branch a follow-up task (or its timer/overdue successors) belongs to."""
    while task is not None:
        if task.data and "branch" in task.data:
            return DispositionBranch.objects.select_related("disposition__letter", "unit").get(pk=task.data["branch"])
        task = task.previous.first()
    raise LookupError("task is not part of a disposition branch")


def _lock_dispose_task(task):
    """The chair's dispose task, locked; a letter whose registration was cancelled meanwhile is said so first."""
    cancelled = Letter.objects.filter(process=task.process_id, status=Letter.Status.CANCELLED).exists()
    if cancelled:
        raise ValidationError(_("Pendaftaran surat ini sudah dibatalkan."))
    return lock_assigned_task(task)


@transaction.atomic
def dispose(task, *, user, units, instruction, note, deadline):
    """The chair's disposition: one branch per recipient unit, then the process splits.

    "Untuk diketahui" carries no deadline (``deadline`` is ignored for it):
    its branches' overdue timers are cancelled as soon as they are armed.
    """
    from .flows import LetterFlow

    if instruction == Instruction.DIKETAHUI:
        deadline = None
    task = _lock_dispose_task(task)
    letter = task.process.artifact
    position = Position.objects.get(pk=task.data["position"])
    acting_for = position.holder if position.holder_id != user.pk else None
    disposition = Disposition.objects.create(
        letter=letter, instruction=instruction, note=note, deadline=deadline, given_by=user, acting_for=acting_for
    )
    for unit in units:
        DispositionBranch.objects.create(disposition=disposition, unit=unit, deadline=deadline)
    letter.status = Letter.Status.IN_FOLLOW_UP
    letter.save(update_fields=["status"])
    AuditEvent.record(
        letter,
        "letter.disposed",
        user=user,
        acting_for=acting_for,
        detail={
            "units": [unit.name for unit in units],
            "instruction": disposition.get_instruction_display(),
            "deadline": deadline.isoformat() if deadline else None,
        },
    )
    complete_human_task(task, user)
    if deadline is None:
        for branch in disposition.branches.all():
            LetterFlow.follow_up.cancel_timeouts(_branch_task(branch))
    search_items.schedule(letter)
    members = [member for unit in units for member in unit.group.user_set.all()]
    notify(
        members,
        kind=DISPOSITION_NOTICE,
        message=_("Disposisi baru: %(agenda)s — %(subject)s") % {"agenda": letter.agenda_label, "subject": letter.subject},
        url=_letter_url(letter),
        subject_key=letter.subject_key,
    )
    return disposition


@transaction.atomic
def file_without_disposition(task, *, user, note=""):
    """The chair files the letter: no branch, straight to the archive."""
    task = _lock_dispose_task(task)
    letter = task.process.artifact
    position = Position.objects.get(pk=task.data["position"])
    acting_for = position.holder if position.holder_id != user.pk else None
    letter.filed_without_disposition = True
    letter.save(update_fields=["filed_without_disposition"])
    AuditEvent.record(letter, "letter.filed", user=user, acting_for=acting_for, detail={"note": note})
    complete_human_task(task, user)
    search_items.schedule(letter)


def overdue_moment(branch):
    """The first moment (WITA) after the branch's deadline day; None for a branch without a deadline."""
    if branch.deadline is None:
        return None
    day_after = branch.deadline + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))


def _branch_task(branch):
    """The branch's follow-up task while it runs (None once closed)."""
    from .flows import LetterFlow

    return Task.objects.filter(
        process=branch.letter.process_id, flow_task=LetterFlow.follow_up, data__branch=branch.pk
    ).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).first()


def _reschedule_deadline_timer(branch):
    """Move the branch's overdue timer to its new deadline (armed anew, also when the old one already fired)."""
    host_task = _branch_task(branch)
    if host_task is not None:
        host_task.flow_task.rearm_timeouts(host_task)


def claim_branch(task, *, user):
    """A unit member took the branch's task (``workflows.inbox.claim``): record who holds the branch."""
    branch = branch_of_task(task)
    branch.status = DispositionBranch.Status.CLAIMED
    branch.claimed_by = user
    branch.save(update_fields=["status", "claimed_by"])
    AuditEvent.record(branch.letter, "branch.claimed", user=user, detail={"unit": branch.unit.name})
    return branch


def release_branch(task, *, user):
    """The member holding the branch gave it back to the unit's queue (``workflows.inbox.release``)."""
    branch = branch_of_task(task)
    branch.status = DispositionBranch.Status.OPEN
    branch.claimed_by = None
    branch.forwarded_to = None
    branch.save(update_fields=["status", "claimed_by", "forwarded_to"])
    AuditEvent.record(branch.letter, "branch.released", user=user, detail={"unit": branch.unit.name})
    return branch


@transaction.atomic
def forward_branch(task, *, user, staff, note):
    """Dispose a branch further down to a staff member of the same unit."""
    task = type(task).objects.select_for_update().get(pk=task.pk)
    branch = branch_of_task(task)
    if task.owner_id != user.pk:
        raise PermissionDenied(_("Hanya pemegang tugas yang dapat meneruskannya."))
    if not branch.unit.group.user_set.filter(pk=staff.pk).exists():
        raise PermissionDenied(_("Penerima harus anggota %(unit)s.") % {"unit": branch.unit})
    with task.activation() as activation:
        activation.reassign(user=staff)
    branch.forwarded_to = staff
    branch.forward_note = note
    branch.save(update_fields=["forwarded_to", "forward_note"])
    AuditEvent.record(branch.letter, "branch.forwarded", user=user, detail={"unit": branch.unit.name, "to": staff.username, "note": note})
    notify(
        [staff],
        kind=TASK,
        message=_("Disposisi diteruskan kepada Anda: %(agenda)s") % {"agenda": branch.letter.agenda_label},
        url=_letter_url(branch.letter),
        subject_key=branch.letter.subject_key,
    )
    return branch


def close_branch(task, *, user, report, report_file=None):
    """Close the unit's branch with its report; the last branch archives the letter.

    ``report_file``: an optional (file, media type) pair checked by the form.
    """
    with files_rolled_back_on_error():
        return _close_branch(task, user, report, report_file)


def _close_branch(task, user, report, report_file):
    task = type(task).objects.select_for_update().get(pk=task.pk)
    if task.status != STATUS.ASSIGNED or task.owner_id != user.pk:
        raise PermissionDenied(_("Tugas ini tidak berada di kotak masuk Anda."))
    branch_pk = branch_of_task(task).pk
    # the chair's decide tasks before the branch row: the order decide_extension locks them in
    pending = _lock_pending_extensions(branch_pk)
    branch = DispositionBranch.objects.select_for_update(of=("self",)).select_related(
        "disposition__letter", "unit").get(pk=branch_pk)
    branch.report = report
    if report_file is not None:
        upload, media_type = report_file
        branch.report_document = add_document(
            branch.letter, role=REPORT, file=upload, media_type=media_type, user=user,
            title=f"Laporan {branch.unit.name}",
        )
    branch.status = DispositionBranch.Status.CLOSED
    branch.closed_by = user
    branch.closed_at = timezone.now()
    branch.save(update_fields=["report", "report_document", "status", "closed_by", "closed_at"])
    AuditEvent.record(branch.letter, "branch.closed", user=user, detail={"unit": branch.unit.name})
    for extension in pending:
        _withdraw_extension(extension, branch)
    complete_human_task(task, user)
    search_items.schedule(branch.letter)
    return branch


def _extension_processes(extension_pks):
    from .flows import ExtensionFlow

    return Process.objects.filter(flow_class=ExtensionFlow, data__extension__in=list(extension_pks))


def _lock_pending_extensions(branch_pk):
    """The branch's pending extension requests, locked after the chair's open tasks deciding them."""
    pending = DeadlineExtension.objects.filter(branch=branch_pk, status=DeadlineExtension.Status.PENDING)
    list(Task.objects.select_for_update().filter(
        process__in=_extension_processes(pending.values_list("pk", flat=True))
    ).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]))
    return list(pending.select_for_update())


def _withdraw_extension(extension, branch):
    """The branch closed before the chair decided: the request lapses and the chair's task goes."""
    from .flows import ExtensionFlow

    extension.status = DeadlineExtension.Status.WITHDRAWN
    extension.decided_at = timezone.now()
    extension.save(update_fields=["status", "decided_at"])
    for process in _extension_processes([extension.pk]).exclude(status__in=[PROCESS.DONE, PROCESS.CANCELED]):
        ExtensionFlow.instance.cancel(process)
    AuditEvent.record(branch.letter, "extension.withdrawn", detail={
        "unit": branch.unit.name, "to": extension.new_deadline.isoformat(),
    })


def mark_branch_overdue(branch):
    """Flag an open branch past its deadline and tell its unit and the chair."""
    if branch.status == DispositionBranch.Status.CLOSED or branch.overdue or branch.deadline is None:
        return
    branch.overdue = True
    branch.save(update_fields=["overdue"])
    letter = branch.letter
    AuditEvent.record(letter, "branch.overdue", detail={"unit": branch.unit.name, "deadline": branch.deadline.isoformat()})
    chair = chair_acting_holder()
    notify(
        list(branch.unit.group.user_set.all()) + [chair],
        kind=OVERDUE_NOTICE,
        message=_("Lewat batas waktu: %(agenda)s (%(unit)s)") % {"agenda": letter.agenda_label, "unit": branch.unit},
        url=_letter_url(letter),
        subject_key=letter.subject_key,
    )


@transaction.atomic
def request_extension(task, *, user, new_deadline, reason):
    """The member holding a branch asks the chair for a later deadline: one open request per branch."""
    from .flows import ExtensionFlow

    task = lock_assigned_task(task, user)
    branch = DispositionBranch.objects.select_for_update().get(pk=branch_of_task(task).pk)
    if branch.deadline is None:
        raise ValidationError(_("Disposisi ini tanpa batas waktu; tidak ada yang perlu diperpanjang."))
    if new_deadline <= branch.deadline:
        raise ValidationError(_("Batas waktu baru harus sesudah batas waktu sekarang."))
    if branch.extensions.filter(status=DeadlineExtension.Status.PENDING).exists():
        raise ValidationError(_("Permintaan perpanjangan untuk disposisi ini masih menunggu keputusan pimpinan."))
    extension = DeadlineExtension.objects.create(
        branch=branch, requested_by=user, previous_deadline=branch.deadline, new_deadline=new_deadline, reason=reason
    )
    AuditEvent.record(branch.letter, "extension.requested", user=user, detail={
        "unit": branch.unit.name, "from": branch.deadline.isoformat(), "to": new_deadline.isoformat(), "reason": reason,
    })
    ExtensionFlow.request.run(extension=extension)
    chair = chair_acting_holder()
    notify(
        [chair] if chair else [],
        kind=TASK,
        message=_("Permintaan perpanjangan batas waktu: %(agenda)s (%(unit)s)") % {
            "agenda": branch.letter.agenda_label, "unit": branch.unit,
        },
        url=reverse("tasks:inbox"),
        subject_key=branch.letter.subject_key,
    )
    return extension


def extension_of_task(task):
    return DeadlineExtension.objects.select_related("branch__unit", "branch__disposition__letter", "requested_by").get(
        pk=task.process.data["extension"]
    )


def _branch_closed():
    return ValidationError(_(
        "Tindak lanjut disposisi ini sudah selesai, jadi permintaan perpanjangannya gugur dan tidak perlu diputuskan lagi."
    ))


@transaction.atomic
def decide_extension(task, *, user, grant, note=""):
    """The chair grants (the branch works to the new date, its overdue timer moves) or refuses a request.

    A request whose branch was closed meanwhile is refused with that reason
    (closing withdraws it and cancels this task; a form opened before says so).
    """
    if extension_of_task(task).status == DeadlineExtension.Status.WITHDRAWN:
        raise _branch_closed()
    task = lock_assigned_task(task)
    extension = DeadlineExtension.objects.select_for_update().get(pk=extension_of_task(task).pk)
    if extension.status == DeadlineExtension.Status.WITHDRAWN:
        raise _branch_closed()
    if extension.status != DeadlineExtension.Status.PENDING:
        raise ValidationError(_("Permintaan ini sudah diputuskan."))
    position = Position.objects.get(pk=task.data["position"])
    acting_for = position.holder if position.holder_id != user.pk else None
    branch = DispositionBranch.objects.select_for_update().get(pk=extension.branch_id)
    if branch.status == DispositionBranch.Status.CLOSED:
        raise _branch_closed()
    extension.status = DeadlineExtension.Status.GRANTED if grant else DeadlineExtension.Status.REFUSED
    extension.decided_by, extension.acting_for, extension.decided_at = user, acting_for, timezone.now()
    extension.decision_note = note
    extension.save()
    if grant:
        branch.deadline = extension.new_deadline
        branch.overdue = branch.overdue and extension.new_deadline < timezone.localdate()
        branch.save(update_fields=["deadline", "overdue"])
        if not branch.overdue:
            _reschedule_deadline_timer(branch)
    letter = branch.letter
    AuditEvent.record(
        letter, "extension.granted" if grant else "extension.refused", user=user, acting_for=acting_for,
        detail={"unit": branch.unit.name, "to": extension.new_deadline.isoformat(), "note": note},
    )
    complete_human_task(task, user)
    search_items.schedule(letter)
    if grant:
        message = _("Perpanjangan batas waktu %(agenda)s dikabulkan sampai %(date)s")
    else:
        message = _("Perpanjangan batas waktu %(agenda)s ditolak (batas tetap %(date)s)")
    shown_date = date_format(branch.deadline, "j M Y")
    notify(
        list(branch.unit.group.user_set.all()),
        kind=EXTENSION_NOTICE,
        message=message % {"agenda": letter.agenda_label, "date": shown_date},
        url=_letter_url(letter),
        subject_key=letter.subject_key,
    )
    return extension


def waiting_dispositions(user):
    """The dispose tasks in ``user``'s inbox (a query), in the order of the inbox sorted by deadline (``urut=batas``).

    A dispose task has no deadline (``task_deadline``), so that order is the
    oldest first; only these tasks are read, not the whole inbox.
    """
    from workflows.inbox import inbox_tasks

    from .flows import LetterFlow

    return inbox_tasks(user).filter(flow_task=LetterFlow.dispose).prefetch_related(None).order_by("created", "pk")


def chair_acting_holder():
    return org.chair_position().acting_holder()


def archive_letter(letter):
    letter.status = Letter.Status.ARCHIVED
    letter.archived_at = timezone.now()
    letter.save(update_fields=["status", "archived_at"])
    AuditEvent.record(letter, "letter.archived", user=None)
    search_items.schedule(letter)


def recipient_units_choices():
    return Unit.objects.exclude(code=org.CHAIR_UNIT_CODE)


def archive_items(subjects=None):
    """Archived letters as items of the retention report, under the units that handled them
    (only the letters of ``subjects``, a queryset, when given)."""
    from documents.retention import ArchiveItem

    letters = Letter.objects.filter(status=Letter.Status.ARCHIVED).select_related("classification")
    if subjects is not None:
        letters = letters.filter(pk__in=subjects.values("pk"))
    for letter in letters.prefetch_related("dispositions__branches__unit"):
        units = sorted({branch.unit.name for d in letter.dispositions.all() for branch in d.branches.all()})
        yield ArchiveItem(
            subject=letter,
            code=letter.classification,
            unit=", ".join(units) or _("Sekretariat DPRD"),
            closed_on=timezone.localdate(letter.archived_at),
            title=str(letter),
        )


# --- what the shared pages show of letters (registered in apps.py) ----------


def task_deadline(task):
    """A follow-up branch's deadline (None "untuk diketahui"); the chair's steps have none."""
    from .flows import LetterFlow

    if task.flow_task is not LetterFlow.follow_up:
        return None
    return branch_of_task(task).deadline


def task_deadline_expression():
    """``task_deadline`` as a database expression on task rows (the inbox filters and sorts by it)."""
    from .flows import LetterFlow

    branch = DispositionBranch.objects.filter(pk=Cast(KeyTextTransform("branch", OuterRef("data")), BigIntegerField()))
    return {LetterFlow.follow_up: Subquery(branch.values("deadline")[:1])}


def open_overdue_branches():
    """Branches still open past their deadline: the one definition the list, the counter and the dashboard use."""
    return DispositionBranch.objects.filter(overdue=True).exclude(status=DispositionBranch.Status.CLOSED)


def _overdue_branches(user):
    return open_overdue_branches().filter(disposition__letter__in=Letter.objects.visible_to(user))


def overdue_letters(letters):
    """Those of ``letters`` with a unit's follow-up still open past its deadline (the list's ``?terlambat=1``)."""
    return letters.filter(pk__in=open_overdue_branches().values("disposition__letter"))


def dashboard_counters(user):
    from workflows.registry import Counter, capped_count

    if user.has_perm("letters.view_all_letters"):
        status = Letter.Status.AWAITING_DISPOSITION
        awaiting = Counter(
            _("Surat menunggu disposisi"), capped_count(Letter.objects.filter(status=status)), "letters:list",
            {"status": status.value},
        )
    else:
        awaiting = Counter(
            _("Surat menunggu disposisi"), capped_count(waiting_dispositions(user)),
            "tasks:inbox", {"proses": "letters", "langkah": "dispose"},
        )
    unread = user.notifications.filter(kind=DISPOSITION_NOTICE, read_at__isnull=True).count()
    overdue = overdue_letters(Letter.objects.visible_to(user)).count()
    return [
        awaiting,
        Counter(_("Disposisi belum dibaca"), unread, "notifications", {"jenis": DISPOSITION_NOTICE, "belum_dibaca": "1"}),
        Counter(_("Tindak lanjut lewat batas waktu"), overdue, "letters:list", {"terlambat": "1"}),
    ]


def overdue_attention(user):
    from workflows.registry import Attention

    branches = _overdue_branches(user).select_related("unit", "disposition__letter")[:10]
    return [
        Attention(
            text=f"{branch.letter.agenda_label} — {branch.unit}",
            url=_letter_url(branch.letter),
            detail=_("batas %(date)s") % {"date": date_format(branch.deadline, "j M Y")},
        )
        for branch in branches
    ]
