"""The search page: every logged-in user, hits filtered by what they may read."""

import logging
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from documents.responses import EscapingCsvWriter, protect
from project.audit.models import AuditEvent

from .forms import SearchForm
from .indexing import backend
from .registry import facet_label, facet_titles, principals_of

logger = logging.getLogger(__name__)
EXPORT_LIMIT = 5000


@login_required
def search_page(request):
    form = SearchForm(request.GET)
    result, error = None, None
    if form.is_valid() and form.cleaned_data["q"].strip():
        exporting = request.GET.get("format") == "csv" and request.user.has_perm("search.export_results")
        # The page may offer any-word results when all the words find nothing; an export holds
        # exactly what all the words find (an empty file rather than a silently looser list).
        query = form.query(principals_of(request.user), per_page=EXPORT_LIMIT if exporting else 20,
                           fallback=not exporting)
        if exporting:
            query.page = 1
        try:
            result = backend().search(query)
        except Exception:  # noqa: BLE001 - the page says so instead of failing
            logger.exception("search failed")
            error = _("Mesin pencari sedang tidak tersedia. Coba lagi sebentar lagi.")
        if result is not None and exporting:
            return _export(request, query, result)
    facets = []
    if result is not None:
        titles = facet_titles()
        for name, values in result.facets.items():
            facets.append((titles.get(name, name), name, [
                {"value": value, "label": facet_label(name, value), "count": count,
                 "active": value in form.facet_filters.get(name, [])}
                for value, count in values
            ]))
    params = request.GET.copy()
    params.pop("page", None)
    page = form.cleaned_data.get("page") or 1 if form.is_valid() else 1
    pages = (result.total + 19) // 20 if result else 0
    return render(
        request,
        "search/search.html",
        {
            "form": form, "result": result, "error": error, "facets": facets, "page": page, "pages": pages,
            "query_string": urlencode(list(params.lists()), doseq=True),
            "suggestion_string": _with_text(params, result.suggestion) if result and result.suggestion else "",
            "can_export": request.user.has_perm("search.export_results"),
        },
    )


def _with_text(params, text):
    """The page's parameters with the query line replaced (the link of a spelling suggestion)."""
    params = params.copy()
    params["q"] = text
    return urlencode(list(params.lists()), doseq=True)


def _export(request, query, result):
    AuditEvent.record(request.user, "search.exported", detail={"q": query.text, "hits": result.total})
    response = protect(HttpResponse(content_type="text/csv; charset=utf-8"), "hasil-pencarian.csv")
    response.write("\ufeff")
    writer = EscapingCsvWriter(response)
    writer.writerow([_("Jenis"), _("Judul"), _("Tanggal"), _("Tautan")])
    for hit in result.hits:
        writer.writerow(
            [facet_label("kind", hit.kind), hit.title, hit.date.isoformat(), request.build_absolute_uri(hit.url)]
        )
    return response
