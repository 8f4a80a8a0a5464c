"""    start ──► review (any member of the memo's unit claims it) ──► end"""

from viewflow import this
from viewflow.workflow import flow

from project.org.models import Unit
from workflows.nodes import Flow, UnitView
from workflows.steps import bind_process

from . import services, views


class MemoFlow(Flow):
    process_title = "Memo"

    start = flow.StartHandle(this.start_memo).Next(this.review)
    review = (
        UnitView(views.ReviewView.as_view())
        .Annotation(title="Tinjau memo")
        .Permission("org.review_memos")
        .Unit(this.memo_unit)
        .OnClaim(this.claimed)
        .Next(this.end)
    )
    end = flow.End()

    def start_memo(self, activation, memo):
        return bind_process(memo, activation.process)

    def memo_unit(self, activation):
        return Unit.objects.get(pk=activation.process.artifact.unit_id)

    def claimed(self, task, user):
        services.mark_claimed(task, user)
