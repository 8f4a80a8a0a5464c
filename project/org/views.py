"""Delegations (pelimpahan wewenang): a holder lends their position for a period.

A holder may delegate only their own positions; users with
``org.add_delegation`` (secretariat administrators) may delegate any.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import DelegationForm
from .models import Delegation, Position


def _positions_manageable_by(user):
    if user.has_perm("org.add_delegation"):
        return Position.objects.select_related("unit", "holder")
    return Position.objects.filter(holder=user).select_related("unit", "holder")


@login_required
def delegations(request):
    positions = _positions_manageable_by(request.user)
    if request.method == "POST":
        form = DelegationForm(request.POST, positions=positions)
        if form.is_valid():
            services.create_delegation(**form.cleaned_data, created_by=request.user)
            messages.success(request, _("Pelimpahan wewenang dicatat."))
            return redirect("delegations")
    else:
        form = DelegationForm(positions=positions)
    listed = (
        Delegation.objects.filter(position__in=positions) | Delegation.objects.filter(delegate=request.user)
    ).select_related("position__unit", "position__holder", "delegate").distinct()
    return render(request, "org/delegations.html", {"form": form, "delegations": listed})


@login_required
@require_POST
def revoke(request, pk):
    delegation = Delegation.objects.filter(pk=pk, position__in=_positions_manageable_by(request.user)).first()
    if delegation is None:
        raise Http404(_("Pelimpahan tidak ditemukan."))
    services.revoke_delegation(delegation, by=request.user)
    messages.success(request, _("Pelimpahan wewenang dicabut."))
    return redirect("delegations")
