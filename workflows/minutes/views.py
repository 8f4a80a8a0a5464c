"""Pages of the minutes service.

Every page and file goes through ``visible_meeting``: a meeting the user may
not see answers 404, whatever the URL (closed meetings are not revealed).
The notulis's and the chair's steps are reached through the task inbox
(``workflows.views.task_page``), which has already checked that the task is
theirs; line edits check the open correction task themselves.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.responses import protect, ranged_file_response
from project.audit.models import AuditEvent
from project.forms import DoubleSubmission, claim_submission
from project.notifications.services import mark_read
from project.redirects import safe_next
from project.request_limits import allows_body
from workflows.inbox import my_open_tasks, open_task
from workflows.pages import TaskPage, create_page

from . import printouts, services
from .forms import AttendanceForm, LineForm, RecordingForm, ScheduleMeetingForm
from .models import DOCUMENT_ROLE_LABELS, AUDIO, Meeting, Recording, TranscriptLine

PAGE_SIZE = 25
LINES_PER_PAGE = 150


def visible_meeting(user, pk):
    """The meeting if ``user`` may see it; 404 otherwise (existence is not revealed)."""
    return Meeting.visible_or_404(user, pk, Meeting.objects.select_related("unit", "chair", "secretary"))


def manages(user, meeting):
    """The notulis, or secretariat staff who schedule meetings, run its recordings and attendance."""
    return meeting.secretary_id == user.pk or user.has_perm("minutes.schedule_meeting")


@login_required
def meeting_list(request):
    meetings = Meeting.objects.visible_to(request.user).select_related("unit")
    status = request.GET.get("status", "")
    if status in Meeting.Status.values:
        meetings = meetings.filter(status=status)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "minutes/meeting_list.html", {
        "page": page, "status": status, "statuses": Meeting.Status.choices,
        "can_schedule": request.user.has_perm("minutes.schedule_meeting"),
    })


@login_required
@permission_required("minutes.schedule_meeting", raise_exception=True)
def schedule(request):
    return create_page(
        request,
        ScheduleMeetingForm(request.POST or None),
        "minutes/schedule.html",
        lambda form: services.schedule_meeting(
            data=form.meeting_data(), agenda=form.cleaned_data["agenda"],
            invitees=form.invited_people(), guests=form.cleaned_data["guests"], user=request.user,
        ),
        done=lambda meeting: _("Rapat dijadwalkan."),
        again=_("Formulir ini sudah dikirim; rapat tidak dijadwalkan dua kali."),
    )


@login_required
def meeting_detail(request, pk):
    meeting = visible_meeting(request.user, pk)
    mark_read(request.user, meeting.subject_key)
    recordings = list(meeting.recordings.select_related("document"))
    chosen = _chosen_recording(recordings, request.GET.get("rekaman"))
    lines = meeting.lines.select_related("speaker", "agenda_item", "recording")
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    outputs = [
        (document, DOCUMENT_ROLE_LABELS[document.role]) for document in meeting.documents() if document.role != AUDIO
    ]
    with_jobs = [(recording, recording.job()) for recording in recordings]
    return render(request, "minutes/meeting_detail.html", {
        "meeting": meeting,
        "recordings": with_jobs,
        # the page follows the worker's progress by reloading itself while a job is waiting or running
        "transcribing": any(job and job.status in services.ACTIVE_JOBS for _recording, job in with_jobs),
        "chosen": chosen,
        "start_at": _seconds(request.GET.get("t")),
        "page": page,
        "outputs": outputs,
        "trail": meeting.trail_rows(),
        "my_tasks": my_open_tasks(meeting, request.user),
        "manages": manages(request.user, meeting) and meeting.editable,
        "upload_form": RecordingForm(),
        "quorum": meeting.quorum(),
    })


def _chosen_recording(recordings, wanted):
    for recording in recordings:
        if str(recording.pk) == wanted:
            return recording
    return recordings[0] if recordings else None


def _seconds(value):
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _visible_recording(user, pk):
    recording = get_object_or_404(Recording.objects.select_related("meeting", "document"), pk=pk)
    visible_meeting(user, recording.meeting_id)
    return recording


@login_required
def recording_audio(request, pk):
    """The recording for the player: inline, seekable, recorded in the trail once per play."""
    recording = _visible_recording(request.user, pk)
    version = recording.document.current
    if request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):  # not each seek
        AuditEvent.record(recording.meeting, "recording.played", detail={"recording": recording.pk})
    return ranged_file_response(request, version.blob, version.original_name)


@allows_body("SIAP_MAX_AUDIO_BYTES")
@login_required
@require_POST
def upload_recording(request, pk):
    meeting = visible_meeting(request.user, pk)
    if not manages(request.user, meeting):
        raise PermissionDenied
    form = RecordingForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request, meeting))
    try:
        with transaction.atomic():
            claim_submission(form.cleaned_data["submission_token"], request.user)
            services.add_recording(meeting, file=form.cleaned_data["audio"], media_type=form.media_type, user=request.user)
    except DoubleSubmission:
        messages.warning(request, _("Rekaman ini sudah diunggah; tidak disimpan dua kali."))
    except PermissionDenied as refused:
        messages.warning(request, str(refused))
    else:
        messages.success(request, _("Rekaman diunggah."))
    return redirect(_back(request, meeting))


def _back(request, meeting):
    """Where a small form posted from a task page or the meeting page returns to."""
    return safe_next(request, meeting.get_absolute_url())


@login_required
@require_POST
def retry_transcription(request, pk):
    recording = _visible_recording(request.user, pk)
    if not manages(request.user, recording.meeting):
        raise PermissionDenied
    if services.retry_transcription(recording, user=request.user):
        messages.success(request, _("Transkripsi diulang; pantau kemajuannya di halaman ini."))
    else:
        messages.warning(request, _("Transkripsi ini tidak sedang gagal; tidak ada yang diulang."))
    return redirect(recording.meeting)


@login_required
def attendance(request, pk):
    meeting = visible_meeting(request.user, pk)
    if not manages(request.user, meeting):
        raise PermissionDenied
    form = AttendanceForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_attendance(meeting, form.attendance(), user=request.user)
        except PermissionDenied as refused:
            messages.warning(request, str(refused))
        else:
            messages.success(request, _("Daftar hadir disimpan."))
        if form.data.get(form.ALL_PRESENT):  # without JavaScript: everyone is present now; set the exceptions here
            return redirect("minutes:attendance", meeting.pk)
        return redirect(_back(request, meeting))
    return render(request, "minutes/attendance.html", {"meeting": meeting, "form": form, "quorum": meeting.quorum()})


@login_required
@require_POST
def save_line(request, pk):
    """Save one corrected line (from the correction screen; JSON for its script, a redirect without it)."""

    def save(line, meeting):
        form = LineForm(request.POST, meeting=meeting)
        if not form.is_valid():
            raise ValidationError([error for errors in form.errors.values() for error in errors])
        services.save_line(line, user=request.user, **form.cleaned_data)

    return _change_line(request, pk, save, _("Tersimpan."))


def _change_line(request, pk, change, done):
    """One line changed by the notulis during correction: ``change(line, meeting)`` calls the service.

    The answer says why nothing changed: 403 for anyone else or a refused
    change, 400 for bad input; the meeting's rule first (404 outside it).
    """
    line = get_object_or_404(TranscriptLine.objects.select_related("meeting"), pk=pk)
    meeting = visible_meeting(request.user, line.meeting_id)
    if not _correcting(request, meeting):
        return _line_answer(request, line, _("Transkrip hanya dapat diubah oleh notulis saat tahap koreksi."), 403)
    try:
        change(line, meeting)
    except ValidationError as invalid:
        return _line_answer(request, line, " ".join(invalid.messages), 400)
    except PermissionDenied as refused:
        return _line_answer(request, line, str(refused), 403)
    return _line_answer(request, line, done, 200)


def _correcting(request, meeting):
    """The notulis's open correction task, or None: only the notulis, during correction, reviews lines."""
    from .flows import MinutesFlow

    return open_task(meeting, MinutesFlow.correct, request.user)


@login_required
def transcript_updates(request, pk):
    """What the correction page lacks while a recording is still being transcribed; its script asks every few seconds.

    The page sends its page number and the lines it shows (``ada``); the
    answer has the lines of that page it lacks, each with the line it
    follows, so the page inserts them without touching the line being
    edited, and how far the worker is. For the notulis during correction
    only, as editing a line is: 404 outside the meeting, 403 otherwise.
    """
    meeting = visible_meeting(request.user, pk)
    task = _correcting(request, meeting)
    if task is None:
        raise PermissionDenied
    known = set(_ids(request.GET.get("ada", "").split(",")))
    page = Paginator(meeting.lines.values_list("pk", flat=True), LINES_PER_PAGE).get_page(request.GET.get("page"))
    on_page = list(page)
    after = dict(zip(on_page, [None, *on_page]))
    missing = [line for line in on_page if line not in known]
    rows = []
    if missing:
        context = {
            "speakers": list(meeting.participants.all()), "agenda": list(meeting.agenda.all()),
            "back": f"{reverse('tasks:task', args=[task.pk])}?page={page.number}",
        }
        rows = [
            {"after": after[line.pk], "html": render_to_string("minutes/_line.html", {"line": line, **context}, request)}
            for line in meeting.lines.filter(pk__in=missing).select_related("speaker", "agenda_item", "recording")
        ]
    progress = services.transcription_progress(meeting)
    return JsonResponse({
        "rows": rows, "running": progress.running,
        "progress": render_to_string("minutes/_progress.html", {"progress": progress}, request).strip(),
    })


@login_required
@require_POST
def check_line(request, pk):
    """Mark one line checked: the notulis heard it and the machine got it right."""

    def check(line, meeting):
        services.mark_checked(meeting.lines.filter(pk=line.pk), user=request.user)

    return _change_line(request, pk, check, _("Ditandai diperiksa."))


@login_required
@require_POST
def check_lines(request, pk):
    """Mark every line shown on the correction page checked, at once, leaving their text as it is."""
    meeting = visible_meeting(request.user, pk)
    if not _correcting(request, meeting):
        raise PermissionDenied
    try:
        marked = services.mark_checked(meeting.lines.filter(pk__in=_ids(request.POST.getlist("line"))), user=request.user)
    except PermissionDenied as refused:
        messages.warning(request, str(refused))
    else:
        messages.success(request, _("%(count)s baris ditandai diperiksa.") % {"count": marked})
    return redirect(_back(request, meeting))


def _ids(values):
    return [int(value) for value in values if value.isdigit()]


def _line_answer(request, line, message, status):
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": status == 200, "message": message}, status=status)
    (messages.success if status == 200 else messages.error)(request, message)
    return redirect(f"{safe_next(request, line.meeting.get_absolute_url())}#baris-{line.pk}")


@login_required
def draft_printout(request, pk, kind):
    """A printout as it would be published, for the notulis and the chair to check."""
    meeting = visible_meeting(request.user, pk)
    builders = {"risalah": printouts.risalah_pdf, "catatan": printouts.catatan_pdf, "laporan": printouts.laporan_singkat_pdf}
    if kind not in builders:
        raise Http404
    response = HttpResponse(builders[kind](meeting), content_type="application/pdf")
    return protect(response, f"draf-{kind}-rapat-{meeting.pk}.pdf", "inline")


# --- task pages (dispatched from workflows.views.task_page) -----------------


class MeetingTaskPage(TaskPage):
    subject_name = "meeting"
    done_url = None  # a finished step returns to the meeting's page


class RecordView(MeetingTaskPage):
    """The notulis uploads the recordings (one or more), then starts transcription."""

    template_name = "minutes/record.html"

    def get(self, request):
        return self.render(upload_form=RecordingForm(), start_form=self.action_form("start"),
                           recordings=list(self.subject.recordings.select_related("document")))

    def post(self, request):
        form = self.action_form("start", request.POST)
        if not form.is_valid():
            return self.get(request)
        return self.act("start", form)


def review_list(meeting, limit=50):
    """The counts of unreviewed and speaker-less lines, and the first ``limit`` of them with their transcript page.

    The transcript is shown ``LINES_PER_PAGE`` lines a page, so each listed line carries the page its anchor is on.
    """
    gaps = services.review_gaps(meeting)
    counts = gaps.counts()
    if not any(counts.values()):
        return None
    order = {pk: index for index, pk in enumerate(meeting.lines.values_list("pk", flat=True))}
    listed = (gaps.unreviewed | gaps.without_speaker).select_related("recording").order_by(
        "recording__position", "position"
    )[:limit]
    rows = [(line, order[line.pk] // LINES_PER_PAGE + 1) for line in listed]
    return {**counts, "rows": rows, "more": max(0, (gaps.unreviewed | gaps.without_speaker).count() - len(rows))}


class CorrectView(MeetingTaskPage):
    """The correction screen: every line with its time, speaker and text; then the catatan rapat.

    It opens with the first transcribed lines; while recordings are still
    being transcribed it says how far the worker is and its script takes in
    new lines (``transcript_updates``).
    """

    template_name = "minutes/correct.html"

    def get(self, request, form=None):
        lines = self.subject.lines.select_related("speaker", "agenda_item", "recording")
        page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
        return self.render(
            page=page,
            back=request.get_full_path(),
            progress=services.transcription_progress(self.subject),
            poll_seconds=settings.SIAP_TRANSCRIPT_POLL_SECONDS,
            review=review_list(self.subject),
            unchecked=[line.pk for line in page if not line.reviewed],
            speakers=list(self.subject.participants.all()),
            agenda=list(self.subject.agenda.all()),
            recordings=[(recording, recording.job()) for recording in self.subject.recordings.select_related("document")],
            form=form or self.action_form("submit"),
            upload_form=RecordingForm(),
        )

    def post(self, request):
        form = self.action_form("submit", request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        return self.act("submit", form)


class ApproveView(MeetingTaskPage):
    template_name = "minutes/approve.html"

    def get(self, request, form=None):
        """The decision beside the transcript it approves: the unreviewed lines marked, and listed above the form."""
        lines = self.subject.lines.select_related("speaker", "recording")
        return self.render(
            form=form or self.action_form("decide"),
            corrected=self.subject.lines.exclude(edited_at=None).count(),
            page=Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page")),
            review=review_list(self.subject),
        )

    def post(self, request):
        form = self.action_form("decide", request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        return self.act("decide", form)
