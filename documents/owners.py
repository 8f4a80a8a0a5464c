"""Who owns documents, and who may see them: owners register here.

``documents`` knows no workflow. A workflow registers its owner model with
the queryset of owners a user may see; a document is visible exactly when its
owner is. Archive items for the retention report register the same way.
"""

from dataclasses import dataclass
from typing import Callable, Iterable

from django.contrib.contenttypes.models import ContentType

_OWNERS = {}


@dataclass(frozen=True)
class OwnerRules:
    visible_to: Callable  # user -> queryset of owners the user may see
    # (queryset of owners to build items for, None: all) -> ArchiveItem for the retention report
    archive_items: Callable[..., Iterable] | None = None


def register(model, *, visible_to, archive_items=None):
    _OWNERS[model] = OwnerRules(visible_to=visible_to, archive_items=archive_items)


def rules_for(model):
    return _OWNERS[model]


def registered_models():
    return list(_OWNERS)


def visible_owner(user, document):
    """The document's owner if ``user`` may see it, else None."""
    model = document.owner_type.model_class()
    rules = _OWNERS.get(model)
    if rules is None:
        return None
    return rules.visible_to(user).filter(pk=document.owner_id).first()


def content_type_of(owner):
    return ContentType.objects.get_for_model(owner, for_concrete_model=True)
