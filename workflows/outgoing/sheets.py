"""From an outgoing letter to what is printed on it: the kop, the offices, the signature block and the paraf box.

``rendering`` and ``signature_block`` know nothing of the database; this is
the one place that maps the organisation (positions, delegations, officials'
identities) onto them.
"""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from reportlab.platypus.doctemplate import LayoutError

from documents.pdf import KOP_LINES
from project.org.models import OfficialProfile, Unit
from project.org.offices import acting_mark, office_title, organ_name

from . import kinds
from .rendering import LetterSheet, ParafMark, render_letter_pdf
from .signature_block import Authority, Signatory, signature_lines


def organ_lines(letter):
    """The kop: the DPRD, then the organ in whose name the letter goes (none for the Pimpinan's own letters)."""
    authority = (letter.on_behalf_of or letter.signer_position).unit
    lines = [KOP_LINES[0]]
    if authority.code == settings.SIAP_SECRETARY_UNIT or authority.kind == Unit.Kind.SEKRETARIAT:
        lines.append(KOP_LINES[1])
    elif authority.kind != Unit.Kind.PIMPINAN:
        lines.append(organ_name(authority).upper())
    return lines


def signatory_of(user):
    """How ``user``'s name is printed: from their official identity when recorded (titles, NIP, rank)."""
    name = user.get_full_name() or user.username
    profile = OfficialProfile.objects.filter(user=user).first()
    if profile is None:
        return Signatory(name=name, name_with_titles=name)
    return Signatory(name=name, name_with_titles=profile.name_with_titles, nip=profile.nip, rank=profile.rank)


def _signer(letter):
    """The person printed under the signature: who signed, or (on a draft) whoever would sign today."""
    if letter.signed_by_id:
        return letter.signed_by, letter.signed_as
    acting = letter.signer_position.acting_holder()
    if acting is None:
        return None, ""
    return acting, acting_mark(letter.signer_position, acting)


def signature_of(letter):
    user, mark = _signer(letter)
    authority = Authority(
        position_title=office_title(letter.signer_position),
        on_behalf_of=office_title(letter.on_behalf_of) if letter.on_behalf_of_id else "",
        through=office_title(letter.through_position) if letter.through_position_id and letter.on_behalf_of_id else "",
        acting=mark,
    )
    signatory = signatory_of(user) if user else Signatory(name="…", name_with_titles="…")
    return signature_lines(letter.kind, authority, signatory)


def paraf_marks(letter):
    return [
        ParafMark(
            order=step.order, aspect=step.get_aspect_display(), office=office_title(step.position),
            name=(step.initialled_by.get_full_name() or step.initialled_by.username) if step.initialled_by_id else "",
            initialled_at=step.initialled_at,
        )
        for step in letter.paraf_steps.select_related("position__unit", "initialled_by").order_by("order")
    ]


def _attachments_label(count):
    words = ["-", "1 (satu) berkas", "2 (dua) berkas", "3 (tiga) berkas", "4 (empat) berkas", "5 (lima) berkas"]
    return words[count] if count < len(words) else f"{count} berkas"


def sheet_of(letter, *, final):
    """What is printed on ``letter``: ``final`` for the signed PDF (number, date, QR), else the watermarked draft."""
    from .models import ATTACHMENT

    event = [(label, value) for label, value in [
        ("Hari/tanggal", letter.event_day), ("Waktu", letter.event_time), ("Tempat", letter.event_place),
        ("Acara", letter.event_agenda),
    ] if value] if letter.kind == kinds.Kind.UNDANGAN else []
    memo_to = letter.addressee_list() + [unit.name for unit in letter.recipient_units.all()]
    qr_url = ""
    if final:
        qr_url = settings.SIAP_BASE_URL.rstrip("/") + reverse("outgoing:verification", args=[letter.verification_token])
    return LetterSheet(
        kind=letter.kind,
        signature=signature_of(letter),
        organ_lines=organ_lines(letter),
        number=letter.number if final else "",
        date=letter.letter_date if final else None,
        nature=letter.get_nature_display(),
        attachments_label=_attachments_label(len(letter.documents(ATTACHMENT))),
        subject=letter.subject,
        addressees=letter.addressee_list(),
        addressee_place=f"di {letter.addressee_place}" if letter.addressee_place else "",
        body=letter.body,
        event=event,
        copies=letter.copy_list(),
        memo_from=office_title(letter.on_behalf_of or letter.signer_position),
        memo_to=memo_to,
        signed_electronically=final,
        paraf=paraf_marks(letter),
        qr_url=qr_url,
        draft=not final,
        document_title=f"{letter.get_kind_display()} {letter.number}".strip(),
    )


def letter_pdf(letter, *, final):
    try:
        return render_letter_pdf(sheet_of(letter, final=final))
    except LayoutError as error:  # a single line or cell taller than a page: nothing ReportLab can break
        raise ValidationError(_(
            "Naskah tidak dapat disusun menjadi PDF: ada isian yang terlalu panjang tanpa jeda "
            "(mis. tujuan atau tembusan). Perpendek lalu coba lagi.")) from error
