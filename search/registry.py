"""Workflows tell search what to index: a source per item kind.

``register(kind, build=..., all_ids=...)``: ``build(pk)`` returns the
``SearchItem`` for one object (or None when it is gone), ``all_ids()``
yields every pk for a full rebuild. ``principals_for_user`` functions add
the principals a user holds (units, positions, permissions) for queries.
"""

from dataclasses import dataclass
from typing import Callable, Iterable

_SOURCES = {}
_USER_PRINCIPALS = []


@dataclass(frozen=True)
class Source:
    kind: str
    build: Callable
    all_ids: Callable[[], Iterable]
    labels: dict  # facet name -> {value: label people read}


def register(kind, *, build, all_ids, labels=None):
    _SOURCES[kind] = Source(kind, build, all_ids, labels or {})


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


def register_user_principals(function):
    _USER_PRINCIPALS.append(function)


def principals_of(user):
    """Every principal ``user`` holds; None means unrestricted (superusers)."""
    if user.is_superuser:
        return None
    principals = {f"user:{user.pk}", "public"}
    principals |= {f"perm:{perm}" for perm in user.get_all_permissions()}
    for function in _USER_PRINCIPALS:
        principals |= set(function(user))
    return sorted(principals)
