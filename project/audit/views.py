"""The auditors' view of the whole trail (each subject's page shows its own)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import selection
from .details import describe, person_name
from .models import action_label

PAGE_SIZE = 50


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def events(request):
    """Every event of a group (exports, openings of rahasia letters) over the last days that the user may read
    (``selection.events``): exactly what the counter counts."""
    group, days = selection.from_query(request.GET)
    found = selection.events(request.user, group, days).select_related("user", "acting_for", "content_type")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    prefetch_related_objects([event for event in page if event.object_id], "subject")
    return render(request, "audit/events.html", {
        "page": page,
        "rows": [_row(event) for event in page],
        "group": group,
        "days": days,
        "groups": [(key, title) for key, (title, _actions) in selection.GROUPS.items()],
        "query_string": urlencode({key: value for key, value in (("kelompok", group), ("sejak", days)) if value}),
    })


def _row(event):
    # None once its subject is gone (a draft deleted before it was submitted), or for an event about no record
    subject = event.subject if event.object_id else None
    model = event.content_type.model_class()
    return {
        "at": event.at,
        "action": action_label(event.action),
        "user": person_name(event.user),
        "acting_for": person_name(event.acting_for),
        "client_address": event.client_address or "",
        "subject": subject,
        # no subject: deleted since, or an event about no record at all (a sign-in on a username no account has)
        "missing": (_("(%(kind)s tidak dikenal)") % {"kind": model._meta.verbose_name} if model and not event.object_id
                    else _("(sudah dihapus)")),
        # the name an auditor's evidence bundle gives it: a rahasia aspiration's subject line is content, its code is not
        "title": subject.evidence_title() if hasattr(subject, "evidence_title") else str(subject),
        "subject_kind": model._meta.verbose_name if model else "",
        "url": subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else "",
        "details": describe(event.detail, action=event.action),
    }
