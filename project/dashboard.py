"""The dashboard's numbers, each leading to exactly the list it counts.

Processes declare theirs with the registry (``Process.counters``); apps that
are not processes — the document archive, the audit trail — register theirs
here, so they never import the workflow layer above them.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode


@dataclass(frozen=True)
class Counter:
    """A number on the dashboard and the list it counts.

    ``url_name`` with ``query`` (a dict of GET parameters) must open exactly
    the items counted: "8 surat menunggu disposisi" leads to those 8.
    """

    label: str
    value: int
    url_name: str
    query: dict | None = None

    @property
    def url(self):
        url = reverse(self.url_name)
        return f"{url}?{urlencode(self.query, doseq=True)}" if self.query else url


_COUNTERS = []  # user -> [Counter]


def register_counters(counters):
    """An app that is not a process adds dashboard counters: ``counters(user) -> [Counter]``."""
    _COUNTERS.append(counters)


def counters_for(user):
    return [counter for counters in _COUNTERS for counter in counters(user)]
