"""What search finds of an aspiration, and who may find it.

Up to three items per aspiration, so that content and personal data are
indexed only for those who may read them:

- ``aspiration:<pk>``: code, kelurahan, unit, and — unless it is *rahasia* —
  subject, text, answer and follow-up notes; for everyone
  ``AspirationQuerySet.visible_to`` lets see it: the desk and auditors
  (``perm:aspirations.view_all_aspirations``), the ``position:`` of the chair
  and of the heads who hear of late aspirations
  (``models.overseeing_positions``; held or acted for), the Pimpinan's
  ``unit:``, the unit it was disposed to (and the ``position:`` of its head,
  for whoever acts for the head) and the ``user:`` of each dapil member it
  went to.
- ``aspiration_rahasia:<pk>``: a *rahasia* aspiration's content, for the same
  people less those who see without handling it (auditors): the desk holds
  ``perm:aspirations.handle_aspiration``.
- ``aspiration_sender:<pk>``: the sender's name, telephone, e-mail and
  WhatsApp number, for ``perm:aspirations.view_aspiration_personal_data``
  only (an *anonim* sender's name is never kept).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from project.org import services as org
from project.org.models import Position, Unit
from search import registry
from search.port import SearchItem

from .models import Aspiration, Category, overseeing_positions
from .services import CONFIDENTIAL_KIND, KIND, SENDER_KIND


def principals(aspiration, *, handlers_only=False):
    """``visible_to`` in index form; ``handlers_only`` leaves out those who see without handling (auditors)."""
    found = ["perm:aspirations.handle_aspiration" if handlers_only else "perm:aspirations.view_all_aspirations"]
    found += [f"position:{pk}" for pk in overseeing_positions().values_list("pk", flat=True)]
    pimpinan = Unit.objects.filter(code=org.CHAIR_UNIT_CODE).first()
    if pimpinan is not None:
        found.append(f"unit:{pimpinan.pk}")
    if aspiration.unit_id:
        found.append(f"unit:{aspiration.unit_id}")
        head = Position.objects.filter(unit_id=aspiration.unit_id, role=Position.Role.HEAD).values_list("pk", flat=True)
        found += [f"position:{pk}" for pk in head]  # whoever acts for the unit's head
    found += [f"user:{pk}" for pk in aspiration.members.values_list("user_id", flat=True)]
    return sorted(set(found))


def _facets(aspiration):
    facets = {"channel": [aspiration.channel], "category": [aspiration.category], "status": [aspiration.status]}
    if aspiration.kelurahan_id:
        facets["kecamatan"] = [aspiration.kelurahan.kecamatan.name]
    return facets


def _load(pk):
    return Aspiration.objects.filter(pk=pk).select_related("kelurahan__kecamatan", "unit").first()


def _content(aspiration):
    texts = [aspiration.subject, aspiration.text, aspiration.answer, aspiration.referral_note]
    return texts + list(aspiration.follow_up_notes.values_list("text", flat=True))


def build(pk):
    """The aspiration for everyone who sees it; a *rahasia* one's content is left to ``build_confidential``."""
    aspiration = _load(pk)
    if aspiration is None:
        return None
    texts = [aspiration.code, str(aspiration.kelurahan or ""), str(aspiration.unit or "")]
    if not aspiration.confidential:
        texts += _content(aspiration)
    subject = _("(rahasia)") if aspiration.confidential else aspiration.subject
    return SearchItem(
        id=f"{KIND}:{aspiration.pk}", kind=KIND, title=f"{aspiration.code} — {subject}",
        body="\n".join(text for text in texts if text), url=aspiration.get_absolute_url(),
        date=timezone.localdate(aspiration.received_at), principals=principals(aspiration), facets=_facets(aspiration),
    )


def build_confidential(pk):
    """A *rahasia* aspiration's content, for those who handle it only."""
    aspiration = _load(pk)
    if aspiration is None or not aspiration.confidential:
        return None
    return SearchItem(
        id=f"{CONFIDENTIAL_KIND}:{aspiration.pk}", kind=CONFIDENTIAL_KIND,
        title=f"{aspiration.code} — {aspiration.subject}",
        body="\n".join(text for text in [aspiration.code, *_content(aspiration)] if text),
        url=aspiration.get_absolute_url(), date=timezone.localdate(aspiration.received_at),
        principals=principals(aspiration, handlers_only=True), facets=_facets(aspiration),
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
        "kind": {KIND: _("Aspirasi"), CONFIDENTIAL_KIND: _("Aspirasi rahasia"), SENDER_KIND: _("Pengirim aspirasi")},
        "status": dict(Aspiration.Status.choices), "channel": dict(Aspiration.Channel.choices),
        "category": dict(Category.choices),
    }
    facets = {"channel": _("Saluran"), "category": _("Kategori"), "status": _("Status"), "kecamatan": _("Kecamatan")}
    registry.register(KIND, build=build, all_ids=all_ids, facets=facets, labels=labels)
    registry.register(CONFIDENTIAL_KIND, build=build_confidential, all_ids=all_ids, facets=facets, labels=labels)
    registry.register(SENDER_KIND, build=build_sender, all_ids=all_ids, facets=facets, labels=labels)
