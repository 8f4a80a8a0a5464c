from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from project.forms import OnceOnlyForm
from workflows.pages import TaskPage

from .models import Memo


class ReviewForm(OnceOnlyForm):
    note = forms.CharField(max_length=500)


@login_required
def memo_list(request):
    return render(request, "memos/list.html", {"memos": Memo.objects.visible_to(request.user)})


@login_required
def memo_detail(request, pk):
    return render(request, "memos/detail.html", {"memo": Memo.visible_or_404(request.user, pk)})


class ReviewView(TaskPage):
    template_name = "memos/review.html"
    subject_name = "memo"

    def get(self, request):
        return self.render(form=self.action_form("review"))

    def post(self, request):
        form = self.action_form("review", request.POST)
        if not form.is_valid():
            return self.render(form=form)
        return self.act("review", form)
