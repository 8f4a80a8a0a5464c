"""What search finds of an aspiration, and who may find it.

Two items per aspiration, so personal data is indexed only for those who may see it:

- ``aspiration:<pk>``: code, subject, text, kelurahan, answer and follow-up
  notes, for everyone ``AspirationQuerySet.visible_to`` lets see it — the
  desk and auditors (``perm:aspirations.view_all_aspirations``), the chair's
  ``position:`` (held or acted for), the Pimpinan's ``unit:``, the unit it
  was disposed to and the ``user:`` of each dapil member it went to. A
  *rahasia* aspiration's item is for its handlers only: the auditors'
  permission is left out and the desk's ``perm:aspirations.handle_aspiration``
  put in.
- ``aspiration_sender:<pk>``: the sender's name, telephone, e-mail and
  WhatsApp number, for ``perm:aspirations.view_aspiration_personal_data``
  only (never for an *anonim* sender's name, which is not kept).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from project.org import services as org
from project.org.models import Position, Unit
from search import registry
from search.port import SearchItem

from .models import Aspiration, Category
from .services import KIND, SENDER_KIND


def principals(aspiration):
    found = ["perm:aspirations.handle_aspiration" if aspiration.confidential else "perm:aspirations.view_all_aspirations"]
    chair = Position.objects.filter(unit__code=org.CHAIR_UNIT_CODE, role=Position.Role.HEAD).first()
    if chair is not None:
        found.append(f"position:{chair.pk}")
    pimpinan = Unit.objects.filter(code=org.CHAIR_UNIT_CODE).first()
    if pimpinan is not None:
        found.append(f"unit:{pimpinan.pk}")
    if aspiration.unit_id:
        found.append(f"unit:{aspiration.unit_id}")
    found += [f"user:{pk}" for pk in aspiration.members.values_list("user_id", flat=True)]
    return sorted(set(found))


def _facets(aspiration):
    facets = {"channel": [aspiration.channel], "category": [aspiration.category], "status": [aspiration.status]}
    if aspiration.kelurahan_id:
        facets["kecamatan"] = [aspiration.kelurahan.kecamatan.name]
    return facets


def _load(pk):
    return Aspiration.objects.filter(pk=pk).select_related("kelurahan__kecamatan", "unit").first()


def build(pk):
    aspiration = _load(pk)
    if aspiration is None:
        return None
    texts = [aspiration.code, aspiration.subject, aspiration.text, aspiration.answer, aspiration.referral_note,
             str(aspiration.kelurahan or ""), str(aspiration.unit or "")]
    texts += list(aspiration.follow_up_notes.values_list("text", flat=True))
    return SearchItem(
        id=f"{KIND}:{aspiration.pk}", kind=KIND, title=f"{aspiration.code} — {aspiration.subject}",
        body="\n".join(text for text in texts if text), url=aspiration.get_absolute_url(),
        date=timezone.localdate(aspiration.received_at), principals=principals(aspiration), facets=_facets(aspiration),
    )


def build_sender(pk):
    aspiration = _load(pk)
    if aspiration is None or not any((aspiration.name, aspiration.phone, aspiration.email, aspiration.wa_id)):
        return None
    return SearchItem(
        id=f"{SENDER_KIND}:{aspiration.pk}", kind=SENDER_KIND, title=f"{aspiration.code} — {_('pengirim')}",
        body="\n".join(text for text in (aspiration.name, aspiration.phone, aspiration.email, aspiration.wa_id) if text),
        url=aspiration.get_absolute_url(), date=timezone.localdate(aspiration.received_at),
        principals=["perm:aspirations.view_aspiration_personal_data"], facets=_facets(aspiration),
    )


def all_ids():
    return Aspiration.objects.order_by("pk").values_list("pk", flat=True).iterator()


def register():
    labels = {
        "kind": {KIND: _("Aspirasi"), SENDER_KIND: _("Pengirim aspirasi")},
        "status": dict(Aspiration.Status.choices), "channel": dict(Aspiration.Channel.choices),
        "category": dict(Category.choices),
    }
    facets = {"channel": _("Saluran"), "category": _("Kategori"), "status": _("Status"), "kecamatan": _("Kecamatan")}
    registry.register(KIND, build=build, all_ids=all_ids, facets=facets, labels=labels)
    registry.register(SENDER_KIND, build=build_sender, all_ids=all_ids, facets=facets, labels=labels)
