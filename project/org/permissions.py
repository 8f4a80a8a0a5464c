"""Object permissions on units that processes need (``org.<codename>``, granted per unit).

A process registers the unit permissions its tasks use (``UnitView``'s
``.Permission("org.follow_up_letters")``); each unit's group holds all of
them on its own unit. Rows are made on demand and after every migration, so
a new process needs no migration in ``org``.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

_LABELS = {}  # "org.<codename>" -> label


def register_unit_permissions(labels):
    for name in labels:
        app_label, _codename = name.split(".")
        if app_label != "org":
            raise ValueError(f"unit permission {name!r} must be org.<codename>")
    _LABELS.update(labels)


def unit_permissions():
    """Every registered unit permission, as ``org.<codename>`` names."""
    return sorted(_LABELS)


def ensure_unit_permissions(**kwargs):
    """The Permission rows of every registered unit permission (made when missing)."""
    from .models import Unit

    content_type = ContentType.objects.get_for_model(Unit)
    for name, label in _LABELS.items():
        codename = name.split(".")[1]
        permission, created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": str(label)[:255]}
        )
        if not created and permission.name != str(label)[:255]:
            permission.name = str(label)[:255]
            permission.save(update_fields=["name"])
