"""The reses process: a member's recess in the dapil becomes a report to the Pimpinan.

    open (the member or their staff opens the reses: period, dates, kelurahan)
      ──► record (the member; staff enter requests, photos and the attendance sheet
          through the reses pages, the member closes the recording)
      ──► submit (the member submits the laporan hasil reses, printed and kept as a PDF)
      ──► acknowledge (the chair, or whoever acts for the chair today) ──► end

Without a submitted report no next reses can be opened (PP 12/2018 Pasal
88(6), ``rules.check_previous_report``). Who sees a reses at all is one rule,
``ResesQuerySet.visible_to``. Domain changes happen in ``services.py``; the
callbacks here only tie the process to them.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from project.org.services import chair_position
from workflows.nodes import Flow, PositionView
from workflows.steps import bind_process

from . import views


class ResesFlow(Flow):
    process_title = _("Reses")
    process_description = _("Reses anggota di dapil: pencatatan usulan warga, laporan hasil reses kepada Pimpinan DPRD.")

    open = flow.StartHandle(this.start_reses).Annotation(title=_("Reses dibuka")).Next(this.record)

    record = (
        flow.View(views.RecordStepView.as_view())
        .Annotation(title=_("Pencatatan hasil reses"))
        .Assign(this.member_user)
        .Next(this.submit)
    )

    submit = (
        flow.View(views.SubmitStepView.as_view())
        .Annotation(title=_("Penyerahan laporan reses"))
        .Assign(this.member_user)
        .Next(this.acknowledge)
    )

    acknowledge = (
        PositionView(views.AcknowledgeStepView.as_view())
        .Annotation(title=_("Penerimaan laporan oleh Pimpinan"))
        .Position(this.chair)
        .Next(this.end)
    )

    end = flow.End().Annotation(title=_("Selesai"))

    # --- callbacks -------------------------------------------------------

    def start_reses(self, activation, reses):
        return bind_process(reses, activation.process)

    def member_user(self, activation):
        return activation.process.artifact.member.user

    def chair(self, activation):
        return chair_position()
