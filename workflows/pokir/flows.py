"""The e-Pokir process: a member's proposal becomes part of the Pimpinan's recap for SIPD.

    draft ──► prepare (the member or their staff edit, then submit; services.submit finishes it)
          ──► verify (any verifier claims it from the queue: checklist; verify / return / reject)
          ──► decided? ── returned with notes per field ──► prepare (corrected, submitted again)
                      ├── rejected (with a reason) ──► rejected end
                      └── verified ──► recap (the chair, or whoever acts for the chair: approve)
          ──► finalise (final and locked) ──► export (the year's recap exported for SIPD) ──► end

The realisation (accommodated in the RKPD, reserve, not accommodated) is
recorded on an exported pokir by a verifier later, outside the flow.
Domain changes happen in ``services.py``; the callbacks here only tie the
process to them.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from project.org.services import chair_position
from workflows.nodes import Flow, PositionView
from workflows.steps import bind_process

from . import services, views
from .models import Pokir


class PokirFlow(Flow):
    process_title = _("Pokir")
    process_description = _("Pokok-pokok pikiran anggota: verifikasi sekretariat, rekap pimpinan, ekspor untuk SIPD.")

    start = flow.StartHandle(this.start_pokir).Annotation(title=_("Draf dibuat")).Next(this.prepare)

    prepare = flow.Handle(this.prepared).Annotation(title=_("Penyusunan oleh anggota")).Next(this.verify)

    verify = (
        flow.View(views.VerifyView.as_view())
        .Annotation(title=_("Verifikasi sekretariat"))
        .Permission("pokir.verify_pokir")
        .Next(this.decided)
    )

    decided = (
        flow.Switch()
        .Annotation(title=_("Hasil verifikasi"))
        .Case(this.prepare, this.is_returned)
        .Case(this.rejected, this.is_rejected)
        .Default(this.recap)
    )

    recap = (
        PositionView(views.RecapView.as_view())
        .Annotation(title=_("Rekap pimpinan"))
        .Position(this.recap_position)
        .Next(this.finalise)
    )

    finalise = flow.Function(this.finalise_pokir).Annotation(title=_("Final dan dikunci")).Next(this.export)

    export = flow.Handle(this.exported).Annotation(title=_("Ekspor untuk SIPD")).Next(this.end)

    end = flow.End().Annotation(title=_("Selesai"))

    rejected = flow.End().Annotation(title=_("Ditolak"))

    # --- callbacks -------------------------------------------------------

    def start_pokir(self, activation, pokir):
        return bind_process(pokir, activation.process)

    def prepared(self, activation):
        """services.submit has recorded the submission."""

    def is_returned(self, activation):
        return Pokir.objects.get(pk=activation.process.artifact_object_id).status == Pokir.Status.RETURNED

    def is_rejected(self, activation):
        return Pokir.objects.get(pk=activation.process.artifact_object_id).status == Pokir.Status.REJECTED

    def recap_position(self, activation):
        return chair_position()

    def finalise_pokir(self, activation):
        services.finalise(Pokir.objects.get(pk=activation.process.artifact_object_id))

    def exported(self, activation):
        """services.export_year has recorded the export."""
