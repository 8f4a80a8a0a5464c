from django.apps import AppConfig


class MemosConfig(AppConfig):
    name = "tests.memos"
    label = "memos"
    verbose_name = "Memo"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from project.org import roles
        from workflows import registry
        from workflows.registry import Counter, MenuEntry, TaskAction

        from . import search_items, services
        from .flows import MemoFlow
        from .models import Memo
        from .views import ReviewForm

        def review(task, user, data):
            services.review(task, user=user, note=data["note"])
            return "Memo ditinjau."

        registry.register(registry.Process.of_app(
            self,
            subject_model=Memo,
            flows=(MemoFlow,),
            url_prefix="memo/",
            menu=(MenuEntry("Memo", "memos:list"),),
            counters=lambda user: [Counter("Memo menunggu", Memo.objects.visible_to(user).exclude(status="done").count(), "memos:list")],
            trail_labels={"memo.created": "Memo dibuat", "memo.claimed": "Memo diambil", "memo.reviewed": "Memo ditinjau"},
            unit_permissions={"org.review_memos": "Meninjau memo unit"},
            role_permissions={roles.AUDITOR: ["memos.view_all_memos"]},
            task_actions={MemoFlow.review: [
                TaskAction("review", _("Tinjau"), lambda task, user, data=None, files=None, prefix=None: ReviewForm(data, prefix=prefix), review),
            ]},
            periodic_tasks=(("memos-open-count", "tests.memos.tasks.count_open_memos", 3600),),
            demo="tests.memos.services.demo",
        ))
        search_items.register()
