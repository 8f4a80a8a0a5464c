"""The outgoing-letter process (e-Piper: naskah dinas keluar).

    draft ──► draft (the drafting unit's staff edit, then submit; services.submit finishes it)
          ──► verify (the head of the drafting unit: verify / return with a note)
          ──► route ── returned ─────────────────────────────► draft
                    ├─ an official of the paraf chain still to initial ─► paraf ─► route
                    └─ chain complete ─► sign (the signer's position: passphrase; the number is taken here)
          ──► dispatch (the drafting unit: e-mail, courier, internal delivery)
          ──► internal? ── no ─────────────────────────────────────────► end
                         └─ one branch per recipient unit: receive (the unit's queue) ─► join ─► end

Paraf rule: the chain is the one configured for the signer's position
(``ParafRule``, at most three officials: substance, wording, typing), copied
onto the letter when it is submitted; each official's task belongs to their
*position*, so a delegate initials during a delegation. Any of them, like the
verifier, may return the draft to the drafting unit; after a return the chain
starts again from the first official. The signature task belongs to the
signer's position: the holder signs, or the delegate as Plh./Plt.

Domain changes happen in ``services.py``; the callbacks here only tie the
process to them.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from project.org.models import Unit
from workflows.nodes import Flow, ForEachSplit, PositionView, UnitView
from workflows.steps import bind_process

from . import services, views


class DraftersView(UnitView):
    """A drafting unit's task that only its staff, head or secretary take (not the council members sitting in it)."""

    def can_assign(self, user, task):
        return super().can_assign(user, task) and services.drafting_units(user).filter(pk=task.data["unit"]).exists()


class OutgoingLetterFlow(Flow):
    process_title = _("Naskah dinas keluar")
    process_description = _("Penyusunan, verifikasi, paraf berjenjang, tanda tangan elektronik, penomoran dan pengiriman.")

    start = flow.StartHandle(this.start_letter).Annotation(title=_("Draf dibuat")).Next(this.draft)

    draft = flow.Handle(this.submitted).Annotation(title=_("Penyusunan oleh unit pengolah")).Next(this.verify)

    verify = (
        PositionView(views.VerifyView.as_view())
        .Annotation(title=_("Verifikasi kepala unit pengolah"))
        .Position(this.verifier_position)
        .Next(this.route)
    )

    route = (
        flow.Switch()
        .Annotation(title=_("Langkah berikutnya"))
        .Case(this.draft, this.is_returned)
        .Case(this.paraf, this.awaits_paraf)
        .Default(this.sign)
    )

    paraf = (
        PositionView(views.ParafView.as_view())
        .Annotation(title=_("Paraf"))
        .Position(this.paraf_position)
        .Next(this.route)
    )

    sign = (
        PositionView(views.SignView.as_view())
        .Annotation(title=_("Tanda tangan elektronik"))
        .Position(this.signer_position)
        .Next(this.dispatch)
    )

    dispatch = (
        DraftersView(views.DispatchView.as_view())
        .Annotation(title=_("Pengiriman naskah"))
        .Permission("org.draft_outgoing")
        .Unit(this.drafting_unit)
        .Next(this.internal)
    )

    internal = (
        flow.If(this.has_internal_recipients)
        .Annotation(title=_("Nota dinas ke unit?"))
        .Then(this.split_to_units)
        .Else(this.end)
    )

    split_to_units = ForEachSplit().Annotation(title=_("Satu cabang per unit penerima")).Next(
        this.receive, data_source=this.delivery_items
    )

    receive = (
        UnitView(views.ReceiveView.as_view())
        .Annotation(title=_("Nota dinas masuk"))
        .Permission("org.receive_memos")
        .Unit(this.recipient_unit)
        .Next(this.join)
    )

    join = flow.Join().Annotation(title=_("Semua unit menerima")).Next(this.end)

    end = flow.End().Annotation(title=_("Selesai"))

    # --- callbacks -------------------------------------------------------

    def start_letter(self, activation, letter):
        return bind_process(letter, activation.process)

    def submitted(self, activation):
        """services.submit has recorded the submission."""

    def verifier_position(self, activation):
        return services.letter_of_process(activation.process).verifier_position

    def is_returned(self, activation):
        return services.letter_of_process(activation.process).status == services.OutgoingLetter.Status.RETURNED

    def awaits_paraf(self, activation):
        return services.next_paraf_step(services.letter_of_process(activation.process)) is not None

    def paraf_position(self, activation):
        return services.next_paraf_step(services.letter_of_process(activation.process)).position

    def signer_position(self, activation):
        return services.letter_of_process(activation.process).signer_position

    def drafting_unit(self, activation):
        return services.letter_of_process(activation.process).drafting_unit

    def has_internal_recipients(self, activation):
        return bool(services.internal_deliveries(services.letter_of_process(activation.process)))

    def delivery_items(self, activation):
        letter = services.letter_of_process(activation.process)
        return [{"unit": dispatch.unit_id, "dispatch": dispatch.pk} for dispatch in services.internal_deliveries(letter)]

    def recipient_unit(self, activation):
        return Unit.objects.get(pk=activation.task.data["unit"])
