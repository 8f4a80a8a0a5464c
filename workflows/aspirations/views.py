"""Pages of the aspiration service: the handlers' list and pages, the steps, and the residents' public pages.

Every staff page loads aspirations through ``Aspiration.objects.visible_to``
(404 outside it); names and contacts show only to the desk, a *rahasia*
aspiration's content only to its handlers (``models.Aspiration``).
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from project.notifications.services import mark_read
from workflows.inbox import my_open_tasks
from workflows.pages import TaskPage

from . import services
from .models import Aspiration, Category

PAGE_SIZE = 25


class StepView(TaskPage):
    """A step's page: the aspiration as this person may see it, and one form per action of the step."""

    template_name = "aspirations/step.html"
    subject_name = "aspiration"
    actions = ()
    done_url = "tasks:inbox"

    def forms(self, action=None, data=None):
        return [(name, self.action_form(name, data if name == action else None, prefix=name)) for name in self.actions]

    def page(self, forms):
        return self.render(forms=forms, **aspiration_context(self.request.user, self.subject))

    def get(self, request):
        return self.page(self.forms())

    def post(self, request):
        action = next((name for name in self.actions if f"{name}-submission_token" in request.POST), self.actions[0])
        forms = self.forms(action, request.POST)
        form = dict(forms)[action]
        if not form.is_valid():
            return self.page(forms)
        return self.act(action, form)


class VerifyView(StepView):
    actions = ("verify",)

    def page(self, forms):
        return self.render(forms=forms, duplicates=services.open_duplicates_of(self.subject),
                           **aspiration_context(self.request.user, self.subject))


class DisposeView(StepView):
    actions = ("dispose",)


class FollowUpView(StepView):
    actions = ("answer",)


class ApproveView(StepView):
    actions = ("approve", "return")


def aspiration_context(user, aspiration):
    """What any page shows of one aspiration to ``user``: content and sender only as far as the rules allow."""
    return {
        "aspiration": aspiration,
        "show_content": aspiration.content_shown_to(user),
        "show_personal": user.has_perm("aspirations.view_aspiration_personal_data"),
        "sender": aspiration.sender_shown_to(user),
        "timeline": aspiration.timeline.all(),
        "late": aspiration.status == Aspiration.Status.RECEIVED and services.deadlines.is_late(aspiration.verify_due)
        or aspiration.status in (Aspiration.Status.IN_FOLLOW_UP, Aspiration.Status.ANSWER_DRAFTED)
        and services.deadlines.is_late(aspiration.follow_up_due),
    }


@login_required
def aspiration_list(request, preset=None):
    aspirations = Aspiration.objects.visible_to(request.user).select_related("unit", "kelurahan")
    if preset == "late":
        aspirations = services.late_aspirations(aspirations.exclude(status__in=Aspiration.FINISHED))
    filters = {}
    for key, field, values in (("status", "status", Aspiration.Status.values), ("saluran", "channel", Aspiration.Channel.values),
                               ("kategori", "category", Category.values)):
        value = request.GET.get(key, "")
        if value in values:
            aspirations = aspirations.filter(**{field: value})
            filters[key] = value
    page = Paginator(aspirations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "aspirations/list.html", {
        "page": page, "preset": preset, "filters": filters, "query_string": urlencode(filters),
        "statuses": Aspiration.Status.choices, "channels": Aspiration.Channel.choices, "categories": Category.choices,
        "today": timezone.localdate(),
        "rows": [(aspiration, aspiration.content_shown_to(request.user)) for aspiration in page],
    })


@login_required
def late(request):
    return aspiration_list(request, preset="late")


@login_required
def detail(request, pk):
    aspiration = Aspiration.visible_or_404(request.user, pk)
    mark_read(request.user, aspiration.subject_key)
    context = aspiration_context(request.user, aspiration)
    if context["show_content"]:
        context.update(
            documents=aspiration.documents(),
            notes=aspiration.follow_up_notes.select_related("by"),
            messages_=aspiration.messages.all(),
        )
    return render(request, "aspirations/detail.html", {
        **context,
        "my_tasks": my_open_tasks(aspiration, request.user),
        "trail": aspiration.trail_rows(),
    })


def track(request, code):
    """No login: the public timeline and answer of one aspiration, by its code (never a name or contact)."""
    aspiration = services.find_by_code(code)
    if aspiration is None:
        return render(request, "aspirations/track_unknown.html", status=404)
    return render(request, "aspirations/track.html", {"aspiration": aspiration, "timeline": aspiration.timeline.all()})
