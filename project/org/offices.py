"""How an office is named on paper: the title under a signature and the acting mark before it.

Every printout signed in an office — a naskah dinas, the lembar disposisi —
names it from here, so the chair is "Ketua DPRD Kota Balikpapan" and a
deputy acting for him "Plh. Ketua DPRD Kota Balikpapan" on all of them.
"""

import re

from django.conf import settings

from .models import Position, Unit

CITY = "Kota Balikpapan"


def organ_name(unit):
    """A unit's name without its description: "Komisi I (Pemerintahan dan Hukum)" → "Komisi I"."""
    return re.sub(r"\s*\(.*\)\s*$", "", unit.name)


def office_title(position):
    """The office as a letter names it: the position's own title when set, else one made from its unit and role."""
    if position.title:
        return position.title
    unit = position.unit
    if unit.kind == Unit.Kind.PIMPINAN:
        role = {Position.Role.HEAD: "Ketua", Position.Role.DEPUTY: "Wakil Ketua"}.get(position.role, position.get_role_display())
        return f"{role} DPRD {CITY}"
    if unit.code == settings.SIAP_SECRETARY_UNIT and position.role == Position.Role.HEAD:
        return f"Sekretaris DPRD {CITY}"
    if unit.kind == Unit.Kind.SEKRETARIAT:
        role = "Kepala" if position.role == Position.Role.HEAD else position.get_role_display()
        return f"{role} {organ_name(unit)} Sekretariat DPRD {CITY}"
    return f"{position.get_role_display()} {organ_name(unit)} DPRD {CITY}"


def acting_mark(position, user, at=None):
    """"Plh."/"Plt." when ``user`` acts for ``position``'s holder at ``at`` (now by default), else ""."""
    if user is None or user.pk == position.holder_id:
        return ""
    delegation = position.delegations.active(at).filter(delegate=user).first()
    return delegation.mark if delegation else "Plh."
