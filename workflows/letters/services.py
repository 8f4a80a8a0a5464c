"""Domain operations on incoming letters.

Views call these; each runs in one transaction, records the audit trail and
moves the Viewflow process. Permission checks that depend on the task (who
may dispose, who may close a branch) are made here too, so no caller can
skip them.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from viewflow.workflow.status import STATUS

from documents.pdf import tanggal
from documents.services import add_document, files_rolled_back_on_error
from documents.stamping import stamp_first_page
from documents.validation import PDF
from project.audit.models import AuditEvent
from project.notifications.models import TASK
from project.notifications.services import notify
from project.org import services as org
from project.org.models import Position, Unit
from workflows.inbox import open_task  # noqa: F401  (callers and tests find it here)
from workflows.steps import complete_human_task, lock_assigned_task

from . import search_items
from .models import ATTACHMENT, REPORT, SCAN, AgendaCounter, Disposition, DispositionBranch, Letter

STAMP_NOTE = "Stempel nomor agenda"
DISPOSITION_NOTICE, OVERDUE_NOTICE = "disposition", "overdue"  # notification kinds (registered in apps.py)


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


def _queue_stamp(letter_pk):
    from .tasks import prepare_scan

    prepare_scan.delay(letter_pk)


def stamp_scan(letter):
    """Stamp the agenda number and received date onto page 1 of the scan, as a new version."""
    scan = letter.scan
    original = scan.versions.order_by("number").first()
    if scan.versions.filter(note=STAMP_NOTE).exists():
        return None
    lines = [
        f"DPRD KOTA BALIKPAPAN  No. Agenda {letter.agenda_label}",
        f"Diterima: {tanggal(letter.received_date)}",
    ]
    version = stamp_first_page(original, lines=lines, note=STAMP_NOTE)
    if version is not None:
        AuditEvent.record(letter, "scan.stamped", detail={"version": version.number, "sha256": version.sha256})
    return version


def branch_of_task(task):
    """The disposition branch a follow-up task (or its timer/overdue successors) belongs to."""
    while task is not None:
        if task.data and "branch" in task.data:
            return DispositionBranch.objects.select_related("disposition__letter", "unit").get(pk=task.data["branch"])
        task = task.previous.first()
    raise LookupError("task is not part of a disposition branch")


@transaction.atomic
def dispose(task, *, user, units, instruction, note, deadline):
    """The chair's disposition: one branch per recipient unit, then the process splits."""
    task = lock_assigned_task(task)
    letter = task.process.artifact
    position = Position.objects.get(pk=task.data["position"])
    acting_for = position.holder if position.holder_id != user.pk else None
    disposition = Disposition.objects.create(
        letter=letter, instruction=instruction, note=note, deadline=deadline, given_by=user, acting_for=acting_for
    )
    for unit in units:
        DispositionBranch.objects.create(disposition=disposition, unit=unit)
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
            "deadline": deadline.isoformat(),
        },
    )
    complete_human_task(task, user)
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
    task = lock_assigned_task(task)
    letter = task.process.artifact
    position = Position.objects.get(pk=task.data["position"])
    acting_for = position.holder if position.holder_id != user.pk else None
    letter.filed_without_disposition = True
    letter.save(update_fields=["filed_without_disposition"])
    AuditEvent.record(letter, "letter.filed", user=user, acting_for=acting_for, detail={"note": note})
    complete_human_task(task, user)
    search_items.schedule(letter)


def claim_branch(task, *, user):
    """A unit member took the branch's task (``workflows.inbox.claim``): record who holds the branch."""
    branch = branch_of_task(task)
    branch.status = DispositionBranch.Status.CLAIMED
    branch.claimed_by = user
    branch.save(update_fields=["status", "claimed_by"])
    AuditEvent.record(branch.letter, "branch.claimed", user=user, detail={"unit": branch.unit.name})
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
    branch = branch_of_task(task)
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
    branch.save()
    AuditEvent.record(branch.letter, "branch.closed", user=user, detail={"unit": branch.unit.name})
    complete_human_task(task, user)
    search_items.schedule(branch.letter)
    return branch


def mark_branch_overdue(branch):
    """Flag an open branch past its deadline and tell its unit and the chair."""
    if branch.status == DispositionBranch.Status.CLOSED or branch.overdue:
        return
    branch.overdue = True
    branch.save(update_fields=["overdue"])
    letter = branch.letter
    AuditEvent.record(letter, "branch.overdue", detail={"unit": branch.unit.name, "deadline": branch.disposition.deadline.isoformat()})
    chair = chair_acting_holder()
    notify(
        list(branch.unit.group.user_set.all()) + [chair],
        kind=OVERDUE_NOTICE,
        message=_("Lewat batas waktu: %(agenda)s (%(unit)s)") % {"agenda": letter.agenda_label, "unit": branch.unit},
        url=_letter_url(letter),
        subject_key=letter.subject_key,
    )


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


def archive_items():
    """Archived letters as items of the retention report, under the units that handled them."""
    from documents.retention import ArchiveItem

    letters = Letter.objects.filter(status=Letter.Status.ARCHIVED).select_related("classification")
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
    """A follow-up branch's deadline; the chair's step has none."""
    from .flows import LetterFlow

    if task.flow_task is not LetterFlow.follow_up:
        return None
    return branch_of_task(task).disposition.deadline


def _overdue_branches(user):
    return DispositionBranch.objects.filter(
        disposition__letter__in=Letter.objects.visible_to(user), overdue=True
    ).exclude(status=DispositionBranch.Status.CLOSED)


def dashboard_counters(user):
    from workflows.inbox import inbox_tasks
    from workflows.registry import Counter

    from .flows import LetterFlow

    if user.has_perm("letters.view_all_letters"):
        awaiting = Letter.objects.filter(status=Letter.Status.AWAITING_DISPOSITION).count()
    else:
        awaiting = inbox_tasks(user).filter(flow_task=LetterFlow.dispose).count()
    unread = user.notifications.filter(kind=DISPOSITION_NOTICE, read_at__isnull=True).count()
    return [
        Counter(_("Surat menunggu disposisi"), awaiting, "tasks:inbox"),
        Counter(_("Disposisi belum dibaca"), unread, "notifications"),
        Counter(_("Tindak lanjut lewat batas waktu"), _overdue_branches(user).count(), "letters:list"),
    ]


def overdue_attention(user):
    from workflows.registry import Attention

    branches = _overdue_branches(user).select_related("unit", "disposition__letter")[:10]
    return [
        Attention(
            text=f"{branch.letter.agenda_label} — {branch.unit}",
            url=_letter_url(branch.letter),
            detail=_("batas %(date)s") % {"date": date_format(branch.disposition.deadline, "j M Y")},
        )
        for branch in branches
    ]
