"""The public-aspiration process: from a resident's message to an answer through the same channel.

    receive (web form, e-mail, WhatsApp: services.receive)
       ──► verify (the desk: anyone with aspirations.handle_aspiration claims it)
             ├─ more information needed ──► await_info (asked through the channel; the
             │                                resident's reply resumes it) ──► verify
             │                                └─ no reply in 10 working days ──► close
             ├─ duplicate of an open aspiration ──► merged (end)
             ├─ not the council's authority ──► referred, with a referral note (end)
             └─ valid ──► dispose (the chair, or whoever acts for the chair today)
       ──► follow_up (the unit's queue — a commission or AKD — or the queue of the
             resident's dapil members it went to; notes, documents, then the answer)
       ──► disposed to a unit? ── yes ──► approve (the unit's head; return → follow_up)
       ──► send_answer (through the originating channel, shown on the tracking page)
       ──► await_reply (the resident may reply within 10 working days, once) ── reply ──► follow_up
             └─ the window closes ──► close ──► end

Deadlines are working days (``project.reference.workdays``; per category,
``CategoryDeadline``). When verification or follow-up passes its deadline a
timer tells the step's unit head; ``escalate_after_days`` working days
later, the Sekretaris DPRD. Those timers never stop the step.

Domain changes happen in ``services.py``; the callbacks here only tie the
process to them.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from project.org.services import chair_position
from workflows.nodes import Flow, PositionView, UnitView
from workflows.steps import bind_process

from . import deadlines, services, views
from .models import Aspiration


class FollowUpView(UnitView):
    """The follow-up waits in the queue of the unit it was disposed to, or of the dapil members it went to.

    A unit's members may claim it through the unit permission
    ``org.follow_up_aspirations`` (held by the unit's group); members of a
    dapil through ``aspirations.follow_up_aspiration`` on the aspiration
    itself, granted to each of them at disposition.
    """

    def calc_owner_permission(self, activation):
        aspiration = activation.process.artifact
        return "org.follow_up_aspirations" if aspiration.unit_id else "aspirations.follow_up_aspiration"

    def calc_owner_permission_obj(self, activation):
        aspiration = activation.process.artifact
        if aspiration.unit_id is None:
            return aspiration
        activation.task.data = {**(activation.task.data or {}), "unit": aspiration.unit_id}
        return aspiration.unit


class AspirationFlow(Flow):
    process_title = _("Aspirasi masyarakat")
    process_description = _("Aspirasi dan pengaduan warga lewat web, surel dan WhatsApp: verifikasi, disposisi, "
                            "tindak lanjut dan jawaban dalam batas hari kerja.")

    receive = flow.StartHandle(this.start_aspiration).Annotation(title=_("Aspirasi diterima")).Next(this.verify)

    verify = (
        flow.View(views.VerifyView.as_view())
        .Annotation(title=_("Verifikasi meja aspirasi"))
        .Permission("aspirations.handle_aspiration")
        .OnTimeout(this.verify_late_at, this.verify_late, interrupting=False, title=_("Batas verifikasi lewat"))
        .OnTimeout(this.verify_escalate_at, this.verify_escalated, interrupting=False, title=_("Eskalasi verifikasi"))
        .Next(this.verified)
    )

    verified = (
        flow.Switch()
        .Annotation(title=_("Hasil verifikasi"))
        .Case(this.await_info, this.needs_info)
        .Case(this.merged, this.is_merged)
        .Case(this.referred, this.is_referred)
        .Default(this.dispose)
    )

    await_info = (
        flow.Handle(this.info_received)
        .Annotation(title=_("Menunggu keterangan pengirim"))
        .OnTimeout(this.reply_window_end, this.close, interrupting=True, title=_("Tidak ada keterangan"))
        .Next(this.verify)
    )

    dispose = (
        PositionView(views.DisposeView.as_view())
        .Annotation(title=_("Disposisi pimpinan"))
        .Position(this.disposer_position)
        .Next(this.follow_up)
    )

    follow_up = (
        FollowUpView(views.FollowUpView.as_view())
        .Annotation(title=_("Tindak lanjut dan penyusunan jawaban"))
        .OnClaim(this.follow_up_claimed)
        .OnTimeout(this.follow_up_late_at, this.follow_up_late, interrupting=False, title=_("Batas tindak lanjut lewat"))
        .OnTimeout(this.follow_up_escalate_at, this.follow_up_escalated, interrupting=False,
                   title=_("Eskalasi tindak lanjut"))
        .Next(this.needs_approval)
    )

    needs_approval = (
        flow.If(this.disposed_to_unit)
        .Annotation(title=_("Didisposisikan ke unit?"))
        .Then(this.approve)
        .Else(this.send_answer)
    )

    approve = (
        PositionView(views.ApproveView.as_view())
        .Annotation(title=_("Persetujuan jawaban oleh pimpinan unit"))
        .Position(this.unit_head_position)
        .Next(this.approved)
    )

    approved = (
        flow.If(this.answer_returned)
        .Annotation(title=_("Jawaban dikembalikan?"))
        .Then(this.follow_up)
        .Else(this.send_answer)
    )

    send_answer = flow.Function(this.send).Annotation(title=_("Jawaban dikirim lewat saluran asal")).Next(this.await_reply)

    await_reply = (
        flow.Handle(this.resident_replied)
        .Annotation(title=_("Masa tanggapan pengirim"))
        .OnTimeout(this.reply_window_end, this.close, interrupting=True, title=_("Masa tanggapan berakhir"))
        .Next(this.follow_up)
    )

    close = flow.Function(this.close_aspiration).Annotation(title=_("Ditutup")).Next(this.end)

    verify_late = flow.Function(this.tell_verify_late).Annotation(title=_("Beri tahu kepala unit")).Next(this.late_noted)
    verify_escalated = (
        flow.Function(this.tell_verify_escalated).Annotation(title=_("Beri tahu Sekretaris DPRD")).Next(this.late_noted)
    )
    follow_up_late = (
        flow.Function(this.tell_follow_up_late).Annotation(title=_("Beri tahu kepala unit")).Next(this.late_noted)
    )
    follow_up_escalated = (
        flow.Function(this.tell_follow_up_escalated).Annotation(title=_("Beri tahu Sekretaris DPRD")).Next(this.late_noted)
    )

    end = flow.End().Annotation(title=_("Selesai"))
    merged = flow.End().Annotation(title=_("Digabung"))
    referred = flow.End().Annotation(title=_("Dirujuk"))
    late_noted = flow.End().Annotation(title=_("Keterlambatan dicatat"))

    # --- callbacks -------------------------------------------------------

    def start_aspiration(self, activation, aspiration):
        return bind_process(aspiration, activation.process)

    def _status(self, activation):
        return Aspiration.objects.values_list("status", flat=True).get(pk=activation.process.artifact_object_id)

    def needs_info(self, activation):
        return self._status(activation) == Aspiration.Status.NEEDS_INFO

    def is_merged(self, activation):
        return self._status(activation) == Aspiration.Status.MERGED

    def is_referred(self, activation):
        return self._status(activation) == Aspiration.Status.REFERRED

    def info_received(self, activation):
        """services.receive_reply has recorded the resident's information."""

    def disposer_position(self, activation):
        return chair_position()

    def follow_up_claimed(self, task, user):
        services.follow_up_claimed(task, user=user)

    def disposed_to_unit(self, activation):
        return activation.process.artifact.unit_id is not None

    def unit_head_position(self, activation):
        return services.unit_head_position(activation.process.artifact)

    def answer_returned(self, activation):
        return self._status(activation) == Aspiration.Status.IN_FOLLOW_UP

    def send(self, activation):
        services.send_answer(activation.process.artifact)

    def resident_replied(self, activation):
        """services.receive_reply has reopened the aspiration."""

    def close_aspiration(self, activation):
        services.close(activation.process.artifact)

    # deadlines and escalation: the moment each timer fires
    def verify_late_at(self, activation):
        return deadlines.late_at(activation.process.artifact.verify_due)

    def verify_escalate_at(self, activation):
        return deadlines.escalate_at(activation.process.artifact, activation.process.artifact.verify_due)

    def follow_up_late_at(self, activation):
        return deadlines.late_at(activation.process.artifact.follow_up_due)

    def follow_up_escalate_at(self, activation):
        return deadlines.escalate_at(activation.process.artifact, activation.process.artifact.follow_up_due)

    def reply_window_end(self, activation):
        return deadlines.reply_window_end()

    def tell_verify_late(self, activation):
        services.escalate(activation.process.artifact, step=services.VERIFY_STEP, level=1)

    def tell_verify_escalated(self, activation):
        services.escalate(activation.process.artifact, step=services.VERIFY_STEP, level=2)

    def tell_follow_up_late(self, activation):
        services.escalate(activation.process.artifact, step=services.FOLLOW_UP_STEP, level=1)

    def tell_follow_up_escalated(self, activation):
        services.escalate(activation.process.artifact, step=services.FOLLOW_UP_STEP, level=2)
