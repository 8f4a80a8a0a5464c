"""The e-Risalah process: a meeting's audio becomes approved, printable minutes.

    schedule ──► record (notulis uploads the recordings)
             ──► transcribe (the worker; completes with the first transcribed lines, or when
                 every recording's job is done; a job that fails before any line waits here
                 until someone retries it)
             ──► correct (notulis: transcript, speakers, times, catatan rapat; the lines of a
                 recording still being transcribed arrive while the notulis works, and the
                 minutes go on only once every transcript is complete)
             ──► approve (the meeting's chair) ── returned with notes ──► correct
             ──► publish (the worker prints the risalah, catatan rapat and laporan singkat
                 as PDFs: a three-hour paripurna's risalah takes seconds, not for a request) ──► end

Who sees a meeting at all is one rule, ``MeetingQuerySet.visible_to``; the
human steps belong to the meeting's notulis and chair by name. Domain
changes happen in ``services.py``; the callbacks here only tie the process
to them.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from workflows.nodes import Flow
from workflows.steps import bind_process

from . import services, views


class MinutesFlow(Flow):
    process_title = _("Risalah rapat")
    process_description = _("Rekaman rapat ditranskripsi, dikoreksi notulis, disetujui pimpinan rapat dan diterbitkan.")

    schedule = flow.StartHandle(this.start_meeting).Annotation(title=_("Rapat dijadwalkan")).Next(this.record)

    record = (
        flow.View(views.RecordView.as_view())
        .Annotation(title=_("Unggah rekaman rapat"))
        .Assign(this.notulis)
        .Next(this.transcribe)
    )

    transcribe = flow.Handle(this.transcripts_ready).Annotation(title=_("Transkripsi mesin")).Next(this.correct)

    correct = (
        flow.View(views.CorrectView.as_view())
        .Annotation(title=_("Koreksi transkrip"))
        .Assign(this.notulis)
        .Next(this.approve)
    )

    approve = (
        flow.View(views.ApproveView.as_view())
        .Annotation(title=_("Persetujuan risalah"))
        .Assign(this.meeting_chair)
        .Next(this.check_approval)
    )

    check_approval = (
        flow.If(this.is_approved).Annotation(title=_("Disetujui?")).Then(this.publish).Else(this.correct)
    )

    publish = flow.Handle(this.publish_minutes).Annotation(title=_("Cetak dan terbitkan")).Next(this.end)

    end = flow.End().Annotation(title=_("Selesai"))

    # --- callbacks -------------------------------------------------------

    def start_meeting(self, activation, meeting):
        return bind_process(meeting, activation.process)

    def notulis(self, activation):
        return activation.process.artifact.secretary

    def meeting_chair(self, activation):
        return activation.process.artifact.chair

    def transcripts_ready(self, activation):
        services.mark_correcting(activation.process.artifact)

    def is_approved(self, activation):
        return activation.process.artifact.approved_at is not None

    def publish_minutes(self, activation):
        services.publish(activation.process.artifact)
