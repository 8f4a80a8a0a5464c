"""An event's ``detail`` as people read it: "Unit: Komisi II, Komisi III", not ``units=['Komisi II', …]``.

The trail keeps codes and ISO dates (stable, machine-readable); every page,
printout and CSV that shows a trail reads it through ``describe``. Keys and
coded values every process shares are named here; a process names its own
in its ``audit_labels.py`` (``TRAIL_DETAILS``, handed over by its registration;
``register_details`` for an app that is not a process).

A process's names hold for its own actions only (the minutes' ``number`` is
"Nomor risalah", an outgoing letter's stays "Nomor"): ``describe`` reads an
event's detail with the names of the process whose action it is, then the
shared names, and only for a key or code neither knows, another process's.
"""

import datetime
import re

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

# detail key -> label
KEY_LABELS = {
    "agenda": _lazy("Nomor agenda"),
    "api_token": _lazy("Token API"),
    "attachments": _lazy("Lampiran"),
    "closed": _lazy("Rapat tertutup"),
    "count": _lazy("Jumlah"),
    "decision": _lazy("Keputusan"),
    "deadline": _lazy("Batas waktu"),
    "delegate": _lazy("Penerima pelimpahan"),
    "document": _lazy("Dokumen"),
    "error": _lazy("Galat"),
    "fields": _lazy("Isian yang diubah"),
    "format": _lazy("Format"),
    "from": _lazy("Dari"),
    "hint": _lazy("Petunjuk token"),
    "hits": _lazy("Jumlah hasil"),
    "inline": _lazy("Dibuka di peramban"),
    "instruction": _lazy("Instruksi"),
    "name": _lazy("Nama berkas"),
    "note": _lazy("Catatan"),
    "number": _lazy("Nomor"),
    "q": _lazy("Kata kunci"),
    "reason": _lazy("Alasan"),
    "register": _lazy("Buku register"),
    "sha256": "SHA-256",
    "task": _lazy("Tugas"),
    "title": _lazy("Judul"),
    "to": _lazy("Kepada"),
    "token": _lazy("Token API"),
    "unit": _lazy("Unit"),
    "units": _lazy("Unit"),
    "version": _lazy("Versi"),
    "via": _lazy("Melalui"),
    "year": _lazy("Tahun"),
}
# detail key -> {coded value -> label}
VALUE_LABELS = {"register": {"retention": _lazy("Laporan retensi arsip")}}
# owner (a process's name) -> (its KEY_LABELS, its VALUE_LABELS); action -> the owner that declared it
_OWN_LABELS = {}
_ACTION_OWNERS = {}

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}")


def person_name(user):
    """A user as the trail names them: full name, else username; nobody ("") for the system."""
    if user is None:
        return ""
    return user.get_full_name() or user.username


def register_details(details, *, owner=None, actions=()):
    """``{key: label}`` names a detail key; ``{key: (label, choices)}`` names its coded values too
    (``choices``: a dict or a ``TextChoices.choices`` list).

    Without ``owner`` the names are shared (every action's); with it (a process's
    name) they are that owner's, for the events of its ``actions``.
    """
    keys, values = (KEY_LABELS, VALUE_LABELS) if owner is None else _OWN_LABELS.setdefault(owner, ({}, {}))
    for key, named in details.items():
        label, coded = named if isinstance(named, tuple) else (named, ())
        keys[key] = label
        values.setdefault(key, {}).update(dict(coded))
    for action in actions:
        _ACTION_OWNERS[action] = owner


def describe(detail, *, action=None, full_hashes=False):
    """``[(label, text)]`` for an event's detail (of ``action``: whose names to read), leaving out what is empty.

    Pages shorten checksums (the first 12 characters identify a file to a
    reader); the CSV and the evidence printout keep them whole for checking.
    """
    names = _names_for(action)
    described = []
    for key, value in detail.items():
        if value in (None, "", [], {}):
            continue
        label = _first(names, lambda keys, _values: keys.get(key)) or key.replace("_", " ").capitalize()
        if key == "sha256" and not full_hashes:
            text = f"{value[:12]}…"
        else:
            text = _value_text(names, key, value)
        described.append((str(label), text))
    return described


def _names_for(action):
    """The label tables to read, in order: the action's owner's, the shared ones, then every other owner's."""
    owner = _ACTION_OWNERS.get(action)
    own = [_OWN_LABELS[owner]] if owner in _OWN_LABELS else []
    return own + [(KEY_LABELS, VALUE_LABELS)] + [names for name, names in _OWN_LABELS.items() if name != owner]


def _first(names, lookup):
    for keys, values in names:
        found = lookup(keys, values)
        if found is not None:
            return found
    return None


def summary(detail, *, action=None, full_hashes=False):
    """The detail in one line: "Unit: Komisi II, Komisi III; Batas waktu: 29 November 2026"."""
    return "; ".join(
        f"{label}: {text}" for label, text in describe(detail, action=action, full_hashes=full_hashes)
    )


def _value_text(names, key, value):
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, (list, tuple)):
        return ", ".join(_value_text(names, key, item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{name}: {_value_text(names, name, item)}" for name, item in value.items())
    label = _first(names, lambda _keys, values: values.get(key, {}).get(value))
    if label is not None:
        return str(label)
    if isinstance(value, str):
        return _date_text(value)
    return str(value)


def _date_text(text):
    """An ISO date or timestamp as a reader writes it ("29 November 2026"); any other text as it is."""
    try:
        if ISO_DATETIME.fullmatch(text[:16]):
            moment = datetime.datetime.fromisoformat(text)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return dateformat.format(moment, "j F Y H:i")
        if ISO_DATE.fullmatch(text):
            return dateformat.format(datetime.date.fromisoformat(text), "j F Y")
    except ValueError:
        pass
    return text
