"""The incoming-letter process (surat masuk + disposisi).

    register ──► dispose (the chair, or whoever acts for the chair today)
                   │
                   ├─ filed without disposition ─────────────────────┐
                   ▼                                                 ▼
                 one follow-up branch per recipient unit (parallel) ► archive ► end
                   └─ deadline passes → flag overdue, notify (branch keeps running)

    request extension (a unit member holding a branch) ──► decide (the chair) ──► end

A registrar may cancel a letter while it awaits disposition: its process is
cancelled (``services.cancel_letter``) and the chair's task goes with it.

Disposition rule: the dispose task belongs to the chair's *position*; it is
owned by the holder, or by the deputy during a delegation (see
``project.org.services``). Each recipient unit's branch sits in the queue of
every member of that unit until one of them claims it; the claimant may
forward it to a staff member of the unit, or give it back to the unit's
queue (``services.release_branch``), and closes it with a report. The
letter is archived when every branch is closed. A branch "untuk diketahui"
has no deadline: its timer is cancelled as soon as it is armed
(``services.dispose``), so it never goes overdue; a deadline the chair
extends moves the timer (``services.decide_extension``).

A unit asks for a later deadline through ``ExtensionFlow``: a small process
of its own whose artifact is the letter too, so the chair's request shows in
the inbox and is guarded by the letter's visibility like any letter task.
Closing the branch first withdraws a request still pending and cancels that
process (``services.close_branch``), so the chair has nothing left to decide.

Domain changes happen in ``services.py``; the callbacks here only tie the
process to them.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from project.org.models import Unit
from project.org.services import chair_position
from workflows.nodes import Flow, ForEachSplit, PositionView, UnitView
from workflows.steps import bind_process

from . import services, views


class LetterFlow(Flow):
    process_title = _("Surat masuk")
    process_description = _("Pendaftaran surat masuk, disposisi pimpinan dan tindak lanjut unit.")

    register = flow.StartHandle(this.start_letter).Annotation(title=_("Pendaftaran surat")).Next(this.dispose)

    dispose = (
        PositionView(views.DisposeView.as_view())
        .Annotation(title=_("Disposisi pimpinan"))
        .Position(this.disposer_position)
        .Next(this.route)
    )

    route = (
        flow.If(this.is_filed_without_disposition)
        .Annotation(title=_("Diarsipkan tanpa disposisi?"))
        .Then(this.archive)
        .Else(this.split_to_units)
    )

    split_to_units = ForEachSplit().Annotation(title=_("Satu cabang per unit")).Next(this.follow_up, data_source=this.branch_items)

    follow_up = (
        UnitView(views.FollowUpView.as_view())
        .Annotation(title=_("Tindak lanjut unit"))
        .Permission("org.follow_up_letters")
        .Unit(this.branch_unit)
        .OnClaim(this.branch_claimed)
        .OnRelease(this.branch_released)
        .OnTimeout(this.branch_deadline, this.flag_overdue, interrupting=False)
        .Next(this.join)
    )

    flag_overdue = flow.Function(this.mark_overdue).Annotation(title=_("Tandai lewat batas waktu")).Next(this.join)

    join = flow.Join().Annotation(title=_("Semua unit selesai")).Next(this.archive)

    archive = flow.Function(this.archive_letter).Annotation(title=_("Arsipkan surat")).Next(this.end)

    end = flow.End().Annotation(title=_("Selesai"))

    # --- callbacks -------------------------------------------------------

    def start_letter(self, activation, letter):
        return bind_process(letter, activation.process)

    def disposer_position(self, activation):
        return chair_position()

    def is_filed_without_disposition(self, activation):
        return activation.process.artifact.filed_without_disposition

    def branch_items(self, activation):
        letter = activation.process.artifact
        disposition = letter.dispositions.latest("given_at")
        return [{"unit": branch.unit_id, "branch": branch.pk} for branch in disposition.branches.all()]

    def branch_unit(self, activation):
        return Unit.objects.get(pk=activation.task.data["unit"])

    def branch_claimed(self, task, user):
        services.claim_branch(task, user=user)

    def branch_released(self, task, user):
        services.release_branch(task, user=user)

    def branch_deadline(self, activation):
        """Overdue from the first moment (WITA) after the branch's deadline day.

        A branch without a deadline gets "now": ``services.dispose`` cancels
        that timer in the same transaction, before any sweep can see it.
        """
        return services.overdue_moment(services.branch_of_task(activation.task)) or timezone.now()

    def mark_overdue(self, activation):
        services.mark_branch_overdue(services.branch_of_task(activation.task))

    def archive_letter(self, activation):
        services.archive_letter(activation.process.artifact)


class ExtensionFlow(Flow):
    process_title = _("Perpanjangan batas waktu")
    process_description = _("Permintaan unit untuk memperpanjang batas waktu tindak lanjut, diputuskan pimpinan.")

    request = flow.StartHandle(this.start_request).Annotation(title=_("Permintaan perpanjangan")).Next(this.decide)

    decide = (
        PositionView(views.DecideExtensionView.as_view())
        .Annotation(title=_("Putuskan perpanjangan batas waktu"))
        .Position(this.decider_position)
        .Next(this.end)
    )

    end = flow.End().Annotation(title=_("Selesai"))

    def start_request(self, activation, extension):
        process = activation.process
        process.artifact = extension.branch.letter
        process.data = {"extension": extension.pk}
        process.save()
        return extension

    def decider_position(self, activation):
        return chair_position()
