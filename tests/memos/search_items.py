from search import registry
from search.port import SearchItem

from .models import Memo


def build(pk):
    memo = Memo.objects.filter(pk=pk).select_related("unit").first()
    if memo is None:
        return None
    return SearchItem(
        id=f"memo:{memo.pk}", kind="memo", title=memo.title, body=memo.note, url=memo.get_absolute_url(),
        date=memo.process.created.date() if memo.process else None,
        principals=["perm:memos.view_all_memos", f"unit:{memo.unit_id}"],
        facets={"priority": [memo.priority], "unit": [memo.unit.name]},
    )


def register():
    registry.register(
        "memo", build=build, all_ids=lambda: Memo.objects.values_list("pk", flat=True),
        facets={"priority": "Prioritas", "unit": "Unit"}, labels={"kind": {"memo": "Memo"}, "priority": dict(Memo.Priority.choices)},
    )
