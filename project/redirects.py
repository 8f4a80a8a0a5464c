"""Where a form may send the browser back to: a path on this site, never another site.

A ``next`` parameter comes from the request, so anyone can write a link or a form that carries one; followed
blindly it turns SIAP into a redirector to any site (a page that looks like SIAP's login, for instance). Only a
path of this site is kept: it starts with one "/" (not "//" nor "/\\", which browsers read as another host) and
Django's own check accepts it as local.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default, field="next"):
    """The ``next`` path of the request (POST, then GET) when it is local to SIAP, otherwise ``default``."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if is_local_path(target, request):
        return target
    return default


def is_local_path(target, request):
    return (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=request.is_secure())
    )
