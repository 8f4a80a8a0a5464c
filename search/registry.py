"""Workflows tell search what to index: a source per item kind.

``register(kind, build=..., all_ids=..., facets=...)``: ``build(pk)``
returns the ``SearchItem`` for one object (or None when it is gone),
``all_ids()`` yields every pk for a full rebuild, ``facets`` declares the
facets its items carry with their titles (the schema of both engines is
built from these declarations; an item with an undeclared facet is
refused by both), ``labels`` the values' labels people read.

A user's principals are their ``user:``, their permissions (``perm:``),
the units they belong to (``unit:``) and the positions they hold or act
for now (``position:``): delegations need no reindexing.
"""

from dataclasses import dataclass, field
from typing import Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_SOURCES = {}
KIND_TITLE = _("Jenis")


class UndeclaredFacet(ValueError):
    """An item carries a facet no source declared: it would be searchable on one engine only."""


@dataclass(frozen=True)
class Source:
    kind: str
    build: Callable
    all_ids: Callable[[], Iterable]
    labels: dict  # facet name -> {value: label people read}
    facets: dict = field(default_factory=dict)  # facet name -> title


def register(kind, *, build, all_ids, facets, labels=None):
    _SOURCES[kind] = Source(kind, build, all_ids, labels or {}, dict(facets))


def unregister(kind):
    """For tests that register a source of their own."""
    _SOURCES.pop(kind, None)


def facet_titles():
    """Every declared facet, ``kind`` first, with its title."""
    titles = {"kind": KIND_TITLE}
    for source in _SOURCES.values():
        for name, title in source.facets.items():
            titles.setdefault(name, title)
    return titles


def facet_names():
    return list(facet_titles())


def check_facets(item):
    """Refuse an item whose facets its source did not declare (both engines call this)."""
    declared = _SOURCES[item.kind].facets if item.kind in _SOURCES else {}
    undeclared = sorted(set(item.facets) - set(declared))
    if undeclared:
        raise UndeclaredFacet(f"{item.id}: facet(s) {', '.join(undeclared)} not declared by source {item.kind!r}")


def facet_label(name, value):
    for source in _SOURCES.values():
        label = source.labels.get(name, {}).get(value)
        if label is not None:
            return label
    return value


def sources():
    return list(_SOURCES.values())


def source(kind):
    return _SOURCES[kind]


def principals_of(user):
    """Every principal ``user`` holds; None means unrestricted (superusers)."""
    from project.org import services as org
    from project.org.models import Delegation, Position

    if user.is_superuser:
        return None
    principals = {f"user:{user.pk}", "public"}
    principals |= {f"perm:{perm}" for perm in user.get_all_permissions()}
    principals |= {f"unit:{unit.pk}" for unit in org.units_of(user)}
    principals |= {f"position:{pk}" for pk in Position.objects.filter(holder=user).values_list("pk", flat=True)}
    acting = Delegation.objects.active(timezone.now()).filter(delegate=user).values_list("position_id", flat=True)
    principals |= {f"position:{pk}" for pk in acting}
    return sorted(principals)
