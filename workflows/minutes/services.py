"""Domain operations on meetings and their minutes.

Views and the worker call these; each runs in one transaction, records the
audit trail and moves the Viewflow process. Checks that depend on who holds
the task are made by the views through the task; checks that depend on the
meeting's state (nothing edited after publication) are made here.
"""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.status import STATUS

from asr import jobs as asr_jobs
from asr.models import TranscriptionJob
from documents.services import add_document, files_rolled_back_on_error
from documents.validation import PDF
from project.audit.models import AuditEvent
from workflows.steps import complete_human_task, lock_assigned_task
from project.notifications.models import TASK
from project.notifications.services import notify

from . import printouts, search_items
from .models import (
    AUDIO, CATATAN, LAPORAN, RISALAH, AgendaItem, Meeting, MinutesCounter, Participant, Recording, TranscriptLine,
    minutes_number,
)


def _tell(person, meeting, message):
    """A task notification about ``meeting``; ``message`` has a ``%(title)s``."""
    notify([person], kind=TASK, message=message % {"title": meeting.title},
           url=meeting.get_absolute_url(), subject_key=meeting.subject_key)


def schedule_meeting(*, data, agenda, invitees, guests, user):
    """Create the meeting, its agenda and invitation list, and start its process.

    ``agenda``: titles in order; ``invitees``: users; ``guests``: (name, role)
    pairs for people without an account. The chair and the notulis are
    participants too.
    """
    from .flows import MinutesFlow

    with transaction.atomic():
        meeting = Meeting.objects.create(**data, created_by=user)
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=index, title=title) for index, title in enumerate(agenda, start=1)
        )
        people = {meeting.chair.pk: (meeting.chair, _("Pimpinan rapat")), meeting.secretary.pk: (meeting.secretary, _("Notulis"))}
        for invitee in invitees:
            people.setdefault(invitee.pk, (invitee, ""))
        for person, role in people.values():
            Participant.objects.create(meeting=meeting, user=person, name=person.get_full_name() or person.username, role=role)
        for name, role in guests:
            Participant.objects.create(meeting=meeting, name=name, role=role)
        AuditEvent.record(meeting, "meeting.scheduled", user=user, detail={"title": meeting.title, "closed": meeting.is_closed})
        MinutesFlow.schedule.run(meeting=meeting)
        _tell(meeting.secretary, meeting, _("Anda notulis rapat: %(title)s"))
    return meeting


def _ensure_editable(meeting):
    if not meeting.editable:
        raise PermissionDenied(_("Risalah rapat ini sudah disetujui dan tidak dapat diubah lagi."))


def add_recording(meeting, *, file, media_type, user):
    """Store one recording; after the recording step it is transcribed at once."""
    _ensure_editable(meeting)
    with files_rolled_back_on_error():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        position = meeting.recordings.count() + 1
        document = add_document(
            meeting, role=AUDIO, file=file, media_type=media_type, user=user,
            title=_("Rekaman %(number)s — %(title)s") % {"number": position, "title": meeting.title}, extract_text=False,
        )
        recording = Recording.objects.create(meeting=meeting, document=document, position=position)
        AuditEvent.record(meeting, "meeting.recording_added", user=user,
                          detail={"recording": recording.pk, "sha256": document.current.sha256, "name": file.name})
        if meeting.status != Meeting.Status.SCHEDULED:
            asr_jobs.queue_transcription(recording)
    return recording


# --- the human steps: lock the task, act, complete it (one transaction; pages and the API call these) ---


@transaction.atomic
def start_transcription(task, *, user):
    """The recording step: the notulis has uploaded the recordings."""
    task = lock_assigned_task(task, user)
    finish_recording(task.process.artifact, user=user)
    complete_human_task(task, user)


@transaction.atomic
def submit_minutes(task, *, user, data, confirm=False):
    """The correction step: the notulis submits the corrected transcript and the catatan rapat."""
    task = lock_assigned_task(task, user)
    submit_for_approval(Meeting.objects.get(pk=task.process.artifact_object_id), data=data, user=user, confirm=confirm)
    complete_human_task(task, user)


@transaction.atomic
def decide_minutes(task, *, user, approve, note, confirm=False):
    """The approval step: the meeting's chair approves, or returns the minutes with a note."""
    task = lock_assigned_task(task, user)
    decide(Meeting.objects.get(pk=task.process.artifact_object_id), approve=approve, note=note, user=user,
           confirm=confirm)
    complete_human_task(task, user)


def finish_recording(meeting, *, user):
    """The notulis has uploaded the recordings: transcribe them all (the worker completes the step)."""
    if not meeting.recordings.exists():
        raise PermissionDenied(_("Unggah sedikitnya satu rekaman sebelum transkripsi dimulai."))
    meeting.status = Meeting.Status.TRANSCRIBING
    meeting.save(update_fields=["status"])
    for recording in meeting.recordings.all():
        asr_jobs.queue_transcription(recording)
    AuditEvent.record(meeting, "meeting.transcription_started", user=user, detail={"recordings": meeting.recordings.count()})


def retry_transcription(recording, *, user):
    job = recording.job()
    if job is None or not asr_jobs.retry(job):
        return False
    AuditEvent.record(recording.meeting, "meeting.transcription_retried", user=user,
                      detail={"recording": recording.pk, "attempt": job.attempts + 1})
    return True


def append_lines(recording, segments):
    """The worker decoded a window of ``recording``: its segments become lines the notulis can correct at once.

    Lines are only ever appended (a retried job resumes after its stored
    segments), so nothing the notulis corrected is replaced. The flow moves
    on to correction with the first lines; the rest keep coming.
    """
    lines = TranscriptLine.objects.bulk_create(
        TranscriptLine(
            meeting=recording.meeting, recording=recording, position=segment.position, start=segment.start,
            end=segment.end, machine_text=segment.text, text=segment.text,
        )
        for segment in segments
    )
    if lines:
        search_items.schedule_lines(TranscriptLine.objects.filter(pk__in=[line.pk for line in lines]))
        transaction.on_commit(lambda: advance_to_correction(recording.meeting_id))


def finish_transcript(job, recording):
    """The worker stored the last window of ``recording``: record it, and move the flow on if it still waits."""
    AuditEvent.record(recording.meeting, "meeting.transcribed", detail={
        "recording": recording.pk, "segments": job.segments.count(), "engine": job.engine,
        "seconds": round(job.audio_seconds or 0, 1),
    })
    transaction.on_commit(lambda: advance_to_correction(recording.meeting_id))


def _jobs(meeting):
    return TranscriptionJob.objects.filter(
        owner_type__model="recording", owner_id__in=[str(pk) for pk in meeting.recordings.values_list("pk", flat=True)]
    )


def advance_to_correction(meeting_pk):
    """Complete the flow's transcribe step once there is something to correct.

    That is the first lines of any recording (the rest are appended while
    the notulis works), or every recording transcribed (a silent one has no
    lines). The minutes go on to the chair only when every transcript is
    complete (``unfinished_transcription``).
    """
    from .flows import MinutesFlow

    meeting = Meeting.objects.get(pk=meeting_pk)
    recordings = meeting.recordings.count()
    done = _jobs(meeting).filter(status=TranscriptionJob.Status.DONE).count()
    if not meeting.lines.exists() and (not recordings or done < recordings):
        return False
    task = meeting.process.task_set.filter(flow_task=MinutesFlow.transcribe, status=STATUS.NEW).first() if meeting.process else None
    if task is None:
        return False
    try:
        MinutesFlow.transcribe.run(task)
    except TransitionNotAllowed:  # two recordings' windows were stored at once; the other worker moved the flow on
        return False
    return True


def unfinished_transcription(meeting):
    """Why the minutes cannot go to the chair yet: a transcript not complete; "" when every one is.

    The correction page is open while recordings are still being transcribed,
    but minutes submitted or approved then would miss what is still to come;
    a failed job (its transcript may stop halfway) is retried first, as it
    is when it fails before the correction step.
    """
    if not _jobs(meeting).exclude(status=TranscriptionJob.Status.DONE).exists():
        return ""
    return _("Transkrip belum lengkap: ada rekaman yang masih ditranskripsi atau gagal ditranskripsi. "
             "Risalah dapat diteruskan setelah semua transkrip lengkap.")


def _require_complete_transcript(meeting):
    message = unfinished_transcription(meeting)
    if message:
        raise ValidationError(message, code="transcribing")


ACTIVE_JOBS = (TranscriptionJob.Status.QUEUED, TranscriptionJob.Status.RUNNING)


@dataclass
class TranscriptionProgress:
    """How far the worker is with each recording whose transcript is not complete, for the correction page."""

    rows: list  # (recording, message)
    running: bool  # lines may still arrive without anyone doing anything: the page keeps asking


def transcription_progress(meeting):
    jobs = {job.owner_id: job for job in _jobs(meeting).exclude(status=TranscriptionJob.Status.DONE)}
    rows = []
    for recording in meeting.recordings.select_related("document").filter(pk__in=[int(pk) for pk in jobs]):
        job = jobs[str(recording.pk)]
        if job.status == TranscriptionJob.Status.FAILED:
            message = _("Transkripsi gagal: %(reason)s Ulangi transkripsinya di bagian Rekaman.") % {"reason": job.message}
        elif job.audio_seconds:
            message = _("Transkripsi berjalan: %(done)s dari %(total)s sudah dapat dikoreksi; "
                        "baris berikutnya muncul di sini dengan sendirinya.") % {
                "done": clock(job.transcribed_seconds), "total": clock(job.audio_seconds),
            }
        else:
            message = _("Menunggu bagian pertama transkrip; baris muncul di sini dengan sendirinya.")
        rows.append((recording, message))
    return TranscriptionProgress(rows, running=any(job.status in ACTIVE_JOBS for job in jobs.values()))


def clock(seconds):
    """``1:05:09`` or ``12:30``: a place in a recording as a player shows it."""
    minutes, second = divmod(int(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours}:{minute:02d}:{second:02d}" if hours else f"{minute}:{second:02d}"


def mark_correcting(meeting):
    meeting.status = Meeting.Status.CORRECTING
    meeting.save(update_fields=["status"])
    _tell(meeting.secretary, meeting, _("Transkrip rapat siap dikoreksi: %(title)s"))


def clean_text(text):
    """Plain text as typed: no control characters (markup is escaped where it is shown)."""
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return text.strip()


def save_line(line, *, text, speaker, agenda_item, user):
    """Store one corrected line; the trail keeps what the machine heard."""
    _ensure_editable(line.meeting)
    if speaker is not None and speaker.meeting_id != line.meeting_id:
        raise PermissionDenied(_("Pembicara harus dipilih dari daftar hadir rapat ini."))
    if agenda_item is not None and agenda_item.meeting_id != line.meeting_id:
        raise PermissionDenied(_("Acara harus dipilih dari agenda rapat ini."))
    with transaction.atomic():
        line.text = clean_text(text)
        line.speaker = speaker
        line.agenda_item = agenda_item
        line.edited_by = user
        line.edited_at = timezone.now()
        line.save(update_fields=["text", "speaker", "agenda_item", "edited_by", "edited_at"])
        search_items.schedule_lines(TranscriptLine.objects.filter(pk=line.pk))
    return line


def mark_checked(lines, *, user):
    """The notulis heard these lines and found them right: reviewed, their text untouched.

    Lines already edited or checked keep who reviewed them first; returns how many were marked.
    The lines are those of one meeting, which is locked while they are marked, so the chair's
    approval cannot slip in between; the trail records only a marking that marked something.
    """
    meeting_id = lines.values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        return 0
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        pks = list(lines.filter(meeting=meeting).unreviewed().values_list("pk", flat=True))
        if not pks:
            return 0
        _ensure_editable(meeting)
        marked = TranscriptLine.objects.filter(pk__in=pks).unreviewed().update(checked_by=user, checked_at=timezone.now())
        if marked:
            AuditEvent.record(meeting, "meeting.lines_checked", user=user, detail={"lines": marked})
    return marked


@dataclass
class ReviewGaps:
    """What the notulis has not looked at: lines the machine's word still stands for, and lines nobody said."""

    unreviewed: object  # TranscriptLine queryset
    without_speaker: object

    def counts(self):
        return {"unreviewed": self.unreviewed.count(), "without_speaker": self.without_speaker.count()}

    def message(self):
        counts = self.counts()
        if not any(counts.values()):
            return ""
        return _(
            "%(unreviewed)s baris belum dikoreksi atau ditandai diperiksa, %(without_speaker)s baris tanpa "
            "pembicara. Centang konfirmasi bila risalah tetap akan diteruskan."
        ) % counts


def review_gaps(meeting):
    lines = TranscriptLine.objects.filter(meeting=meeting)
    return ReviewGaps(unreviewed=lines.unreviewed(), without_speaker=lines.without_speaker())


def _require_confirmation(meeting, confirm):
    """Minutes go on with unexamined or speaker-less lines only when the person says so (pages and API alike)."""
    if confirm:
        return
    message = review_gaps(meeting).message()
    if message:
        raise ValidationError(message, code="unconfirmed")


def update_attendance(meeting, attendance, *, user):
    """``attendance``: {participant pk: status}. Participants' access to a closed meeting follows them."""
    _ensure_editable(meeting)
    with transaction.atomic():
        for participant in meeting.participants.filter(pk__in=attendance):
            participant.attendance = attendance[participant.pk]
            participant.save(update_fields=["attendance"])
        AuditEvent.record(meeting, "meeting.attendance_recorded", user=user,
                          detail={"present": meeting.present().count()})


def submit_for_approval(meeting, *, data, user, confirm=False):
    _ensure_editable(meeting)
    _require_complete_transcript(meeting)
    _require_confirmation(meeting, confirm)
    for field, value in data.items():
        setattr(meeting, field, clean_text(value) if isinstance(value, str) else value)
    meeting.status = Meeting.Status.APPROVING
    meeting.approved_at = None
    meeting.save()
    AuditEvent.record(meeting, "meeting.submitted", user=user, detail={
        "corrected": meeting.lines.exclude(text=F("machine_text")).count(), **review_gaps(meeting).counts(),
    })
    _tell(meeting.chair, meeting, _("Risalah menunggu persetujuan Anda: %(title)s"))


@transaction.atomic
def decide(meeting, *, approve, note, user, confirm=False):
    """The meeting chair approves the minutes, or returns them to the notulis with a note."""
    _ensure_editable(meeting)
    if approve:
        _require_complete_transcript(meeting)
        _require_confirmation(meeting, confirm)
        meeting.approved_at = timezone.now()
        meeting.return_note = ""
        _number(meeting)
        meeting.status = Meeting.Status.PRINTING
        transaction.on_commit(lambda: _queue_publication(meeting.pk))
    else:
        meeting.approved_at = None
        meeting.return_note = clean_text(note)
        meeting.status = Meeting.Status.CORRECTING
        _tell(meeting.secretary, meeting, _("Risalah dikembalikan untuk diperbaiki: %(title)s"))
    meeting.save()
    detail = {"note": meeting.return_note}
    if approve:  # the trail keeps the number, and what the chair confirmed unexamined
        detail.update(number=meeting.document_number, **review_gaps(meeting).counts())
    AuditEvent.record(meeting, "meeting.approved" if approve else "meeting.returned", user=user, detail=detail)


def _number(meeting):
    """Give approved minutes their number, once: a meeting never has two, and no number is skipped."""
    if meeting.document_number:
        return
    year = timezone.localdate(meeting.approved_at).year
    serial = MinutesCounter.next_number(year=year, kind=meeting.kind)
    meeting.document_number = minutes_number(meeting.kind, serial, year)


def _queue_publication(meeting_pk):
    from .tasks import publish_minutes

    publish_minutes.delay(meeting_pk)


def complete_publication(meeting_pk):
    """In the worker: run the flow's publish step (which prints) if it is still waiting."""
    from .flows import MinutesFlow

    meeting = Meeting.objects.get(pk=meeting_pk)
    task = meeting.process.task_set.filter(flow_task=MinutesFlow.publish, status=STATUS.NEW).first()
    if task is None:
        return False
    try:
        MinutesFlow.publish.run(task)
    except TransitionNotAllowed:  # a second delivery of the same message
        return False
    return True


def publish(meeting):
    """Print the three outputs into the document store and open the minutes to their readers."""
    outputs = (
        (RISALAH, printouts.risalah_pdf, _("Risalah")),
        (CATATAN, printouts.catatan_pdf, _("Catatan rapat")),
        (LAPORAN, printouts.laporan_singkat_pdf, _("Laporan singkat")),
    )
    with files_rolled_back_on_error():
        meeting.status = Meeting.Status.PUBLISHED
        meeting.published_at = timezone.now()
        meeting.save(update_fields=["status", "published_at"])
        for role, build, label in outputs:
            name = f"{role}-rapat-{meeting.pk}.pdf"
            add_document(
                meeting, role=role, file=ContentFile(build(meeting), name=name), media_type=PDF,
                user=meeting.chair, title=f"{label} — {meeting.title}",
            )
        AuditEvent.record(meeting, "meeting.published", user=meeting.chair, detail={"lines": meeting.lines.count()})


def dashboard_counters(user):
    """The minutes waiting for ``user``'s own step, each opening the inbox filtered to exactly those tasks.

    Shown to people who chair or take minutes of some meeting; everyone else has nothing to count here.
    """
    from workflows.inbox import inbox_tasks
    from workflows.registry import Counter

    from .flows import MinutesFlow

    counters = []
    for role, node, label in (
        ("chair", MinutesFlow.approve, _("Risalah menunggu persetujuan Anda")),
        ("secretary", MinutesFlow.correct, _("Transkrip rapat menunggu koreksi Anda")),
    ):
        if Meeting.objects.filter(**{role: user}).exists():
            counters.append(Counter(label, inbox_tasks(user).filter(flow_task=node).count(), "tasks:inbox",
                                    {"proses": "minutes", "langkah": node.name}))
    return counters
