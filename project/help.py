"""The help page: a few paragraphs for each role the user holds, and only those.

What a person reads here follows from the same facts that give them their
work: their role groups, their seats (positions) and units, and whether
they are a council member or one's staff.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from project.org import roles
from project.org.models import CouncilMember, Position, Unit
from project.org.services import positions_of, units_of

# In the order the page shows them.
SECTIONS = ("pimpinan", "registrar", "unit", "notulis", "member", "verifier", "archivist", "auditor")


def sections_for(user):
    """The help sections for ``user``: the names in ``SECTIONS`` that apply to them."""
    groups = set(user.groups.values_list("name", flat=True))
    positions = positions_of(user)
    held = {
        "pimpinan": positions.filter(unit__kind=Unit.Kind.PIMPINAN).exists(),
        "registrar": roles.REGISTRAR in groups,
        "unit": units_of(user).exclude(kind=Unit.Kind.PIMPINAN).exists(),
        "notulis": positions.filter(role=Position.Role.SECRETARY).exists()
        or units_of(user).filter(kind=Unit.Kind.SEKRETARIAT).exists(),
        "member": CouncilMember.objects.filter(user=user).exists() or user.assisted_members.exists(),
        "verifier": roles.VERIFIER in groups,
        "archivist": roles.ARCHIVIST in groups,
        "auditor": roles.AUDITOR in groups,
    }
    return [name for name in SECTIONS if held[name]]


@login_required
def help_page(request):
    return render(request, "help/index.html", {"sections": sections_for(request.user)})
