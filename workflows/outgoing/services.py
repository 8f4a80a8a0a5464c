"""The outgoing-letter rules: drafting, verification, paraf, signature with its number, dispatch, receipt.

Every transition here runs in one transaction with its checks, its trail row,
the search outbox entry and the task's completion, so the pages and the API
(both through ``actions.py``) act the same.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from documents.services import add_document, copy_document, files_rolled_back_on_error
from project.audit.models import AuditEvent
from project.notifications.services import notify
from project.org import services as org
from project.org.models import Position, Unit
from project.org.offices import office_title
from project.signing.backends import get_signer
from project.signing.errors import SigningError
from workflows.inbox import open_task
from workflows.letters.models import Nature
from workflows.steps import complete_human_task, lock_assigned_task

from . import kinds, numbering, sheets
from .models import ATTACHMENT, FINAL, Dispatch, OutgoingLetter, ParafRule, ParafStep, Review
from .search_items import schedule

log = logging.getLogger(__name__)

DRAFT_PERMISSION = "org.draft_outgoing"
RETURNED_NOTICE = "outgoing.returned"
SIGNED_NOTICE = "outgoing.signed"
MEMO_NOTICE = "outgoing.memo"
# messages the form and the services both give (the form before saving, the services for every caller)
SIGNER_RULE = gettext_lazy("Naskah unit ini ditandatangani Ketua DPRD, Sekretaris DPRD atau kepala unit itu sendiri.")
UB_NEEDS_AN = gettext_lazy("“u.b.” hanya dipakai bersama “a.n.”.")
ONLY_THE_ANSWERED_LETTERS_FILES = gettext_lazy("Lampiran dari arsip hanya dari surat masuk yang dibalas.")
EDITABLE_FIELDS = [
    "kind", "nature", "classification", "subject", "addressees", "addressee_place", "body", "event_day", "event_time",
    "event_place", "event_agenda", "copies", "email_recipients", "reply_to", "signer_position", "on_behalf_of",
    "through_position",
]


# --- who drafts, who signs ------------------------------------------------------------------------------------------


DRAFTING_ROLES = (Position.Role.STAFF, Position.Role.HEAD, Position.Role.SECRETARY)


def drafting_units(user):
    """The units ``user`` drafts and sends letters for: where they are staff, head or secretary (a council member
    sitting in a commission does not write its letters) and hold the unit permission to draft."""
    if not user.is_authenticated:
        return Unit.objects.none()
    units = Unit.objects.filter(positions__holder=user, positions__role__in=DRAFTING_ROLES).distinct()
    return Unit.objects.filter(pk__in=[unit.pk for unit in units if user.has_perm(DRAFT_PERMISSION, unit)])


def may_edit(user, letter):
    return drafting_units(user).filter(pk=letter.drafting_unit_id).exists()


def head_of(unit):
    return Position.objects.filter(unit=unit, role=Position.Role.HEAD).select_related("holder").first()


def signer_choices(units):
    """Whose signature the letters of ``units`` may carry: the chair, the Sekretaris DPRD, and each unit's own head."""
    codes = [org.CHAIR_UNIT_CODE, settings.SIAP_SECRETARY_UNIT]
    return Position.objects.filter(role=Position.Role.HEAD).filter(Q(unit__code__in=codes) | Q(unit__in=units))


def _check_signer(letter):
    if not signer_choices([letter.drafting_unit]).filter(pk=letter.signer_position_id).exists():
        raise ValidationError({"signer_position": SIGNER_RULE})


def letter_of_process(process):
    return OutgoingLetter.objects.select_related(
        "drafting_unit", "signer_position__unit", "verifier_position", "classification"
    ).get(pk=process.artifact_object_id)


def letter_of_task(task):
    return letter_of_process(task.process)


def next_paraf_step(letter):
    return letter.paraf_steps.filter(initialled_at__isnull=True).select_related("position").order_by("order").first()


def internal_deliveries(letter):
    return list(letter.dispatches.filter(method=Dispatch.Method.INTERNAL).order_by("pk"))


def _locked(letter):
    return OutgoingLetter.objects.select_for_update().get(pk=letter.pk)


def _ensure_editable(letter, user):
    if not may_edit(user, letter):
        raise PermissionDenied(_("Hanya staf unit pengolah yang dapat mengubah draf ini."))
    if letter.status not in OutgoingLetter.EDITABLE:
        raise PermissionDenied(
            _("Naskah ini berstatus “%(status)s” dan tidak dapat diubah lagi.") % {"status": letter.get_status_display()}
        )


def _check_content(letter):
    """What a letter of its kind must have before it goes to verification (and before a PDF is made of it)."""
    errors = {}
    if kinds.is_correspondence(letter.kind) and not letter.addressee_list():
        errors["addressees"] = _("Surat harus mempunyai tujuan (Yth.).")
    if letter.kind == kinds.Kind.UNDANGAN and not (letter.event_day and letter.event_time and letter.event_place):
        errors["event_day"] = _("Undangan harus menyebut hari/tanggal, waktu dan tempat acara.")
    if letter.kind == kinds.Kind.NOTA_DINAS and not (letter.addressee_list() or letter.pk and letter.recipient_units.exists()):
        errors["addressees"] = _("Nota dinas harus ditujukan kepada pejabat atau unit.")
    if letter.through_position_id and not letter.on_behalf_of_id:
        errors["through_position"] = UB_NEEDS_AN
    if letter.on_behalf_of_id and letter.on_behalf_of_id == letter.signer_position_id:
        errors["on_behalf_of"] = _("Penanda tangan tidak menandatangani atas nama dirinya sendiri.")
    if errors:
        raise ValidationError(errors)


# --- drafting -------------------------------------------------------------------------------------------------------


def create_draft(*, user, unit, data, recipient_units=(), attachments=(), archive_documents=()):
    """A new draft of ``unit`` written by ``user``; its process starts and waits for the submission."""
    from .flows import OutgoingLetterFlow

    with files_rolled_back_on_error():
        if not drafting_units(user).filter(pk=unit.pk).exists():
            raise PermissionDenied(_("Anda tidak dapat menyusun naskah dinas untuk unit ini."))
        letter = OutgoingLetter(drafting_unit=unit, created_by=user, **{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
        letter.full_clean()
        _check_signer(letter)
        letter.save()
        letter.recipient_units.set(recipient_units)
        added = _add_attachments(letter, user, attachments, archive_documents)
        AuditEvent.record(letter, "outgoing.created", user=user, detail={
            "kind": letter.kind, "unit": unit.code, "attachments": [document.pk for document in added],
        })
        OutgoingLetterFlow.start.run(letter=letter)
        schedule(letter)
    return letter


def update_draft(letter, *, user, data, recipient_units=None, attachments=(), archive_documents=()):
    """Save the drafting unit's edits (a draft or a returned letter only); the trail names the fields that changed."""
    with files_rolled_back_on_error():
        letter = _locked(letter)
        _ensure_editable(letter, user)
        changed = [name for name in EDITABLE_FIELDS if name in data and getattr(letter, name) != data[name]]
        for name in changed:
            setattr(letter, name, data[name])
        letter.full_clean()
        _check_signer(letter)
        letter.save()
        if recipient_units is not None and set(recipient_units) != set(letter.recipient_units.all()):
            letter.recipient_units.set(recipient_units)
            changed.append("recipient_units")
        added = _add_attachments(letter, user, attachments, archive_documents)
        if changed or added:
            AuditEvent.record(letter, "outgoing.updated", user=user, detail={
                "fields": changed, "attachments": [document.pk for document in added],
            })
            schedule(letter)
    return letter


def _add_attachments(letter, user, attachments, archive_documents=()):
    """``attachments``: (upload, media type) pairs already checked by the form's upload policy;
    ``archive_documents``: documents of the incoming letter it answers, which the drafter may see."""
    from workflows.letters.models import Letter

    added = [
        add_document(letter, role=ATTACHMENT, file=upload, media_type=media_type, user=user,
                     title=_("Lampiran %(name)s") % {"name": upload.name})
        for upload, media_type in attachments
    ]
    answered = Letter.objects.visible_to(user).filter(pk=letter.reply_to_id).first() if archive_documents else None
    for document in archive_documents:
        if answered is None or document.owner_id != str(answered.pk) or document.owner_type.model_class() is not Letter:
            raise PermissionDenied(ONLY_THE_ANSWERED_LETTERS_FILES)
        if answered.nature == Nature.RAHASIA and not letter.is_rahasia:
            raise PermissionDenied(_("Berkas surat masuk yang rahasia hanya dapat dilampirkan pada naskah yang rahasia."))
        added.append(copy_document(document, letter, role=ATTACHMENT, user=user,
                                   note=_("Dari arsip surat masuk %(agenda)s") % {"agenda": answered.agenda_label}))
    return added


def submit(letter, *, user):
    """Send a draft (or a corrected returned one) to the head of the drafting unit; the paraf chain is set anew."""
    from .flows import OutgoingLetterFlow

    with transaction.atomic():
        letter = _locked(letter)
        _ensure_editable(letter, user)
        _check_content(letter)
        verifier = head_of(letter.drafting_unit)
        if verifier is None:
            raise ValidationError(_("Unit %(unit)s belum mempunyai kepala untuk memverifikasi.") % {"unit": letter.drafting_unit})
        task = open_task(letter, OutgoingLetterFlow.draft)
        if task is None:
            raise PermissionDenied(_("Naskah ini sedang diproses; muat ulang halaman."))
        first = letter.status == OutgoingLetter.Status.DRAFT
        letter.verifier_position = verifier
        letter.status = OutgoingLetter.Status.VERIFYING
        letter.submitted_at = timezone.now()
        letter.save(update_fields=["verifier_position", "status", "submitted_at", "updated_at"])
        letter.paraf_steps.all().delete()
        ParafStep.objects.bulk_create(
            ParafStep(letter=letter, order=rule.order, aspect=rule.aspect, position=rule.position)
            for rule in ParafRule.objects.filter(signer_position=letter.signer_position).order_by("order")[:3]
        )
        AuditEvent.record(letter, "outgoing.submitted" if first else "outgoing.resubmitted", user=user)
        OutgoingLetterFlow.draft.run(task)
        schedule(letter)
    return letter


# --- verification and paraf ---------------------------------------------------------------------------------------


def _step(task, user, expected):
    task = lock_assigned_task(task, user)
    letter = _locked(letter_of_task(task))
    if letter.status != expected:
        raise PermissionDenied(
            _("Naskah ini berstatus “%(status)s”; langkah ini tidak berlaku lagi.") % {"status": letter.get_status_display()}
        )
    position = Position.objects.get(pk=task.data["position"])
    if not (position.holder_id == user.pk or org.acts_for(user, position)):
        raise PermissionDenied(_("Anda tidak lagi memegang atau mewakili jabatan untuk langkah ini."))
    acting_for = position.holder if position.holder_id not in (None, user.pk) else None
    return task, letter, acting_for


def _after_review(letter):
    """The status the letter takes once a check is passed: the next paraf, or the signature."""
    pending = next_paraf_step(letter)
    return OutgoingLetter.Status.PARAF if pending else OutgoingLetter.Status.SIGNING


@transaction.atomic
def verify(task, *, user, note=""):
    task, letter, acting_for = _step(task, user, OutgoingLetter.Status.VERIFYING)
    letter.status = _after_review(letter)
    letter.save(update_fields=["status", "updated_at"])
    Review.objects.create(letter=letter, step="verify", decision=Review.Decision.VERIFIED, note=note, by=user,
                          acting_for=acting_for)
    AuditEvent.record(letter, "outgoing.verified", user=user, acting_for=acting_for, detail={"note": note})
    complete_human_task(task, user)
    schedule(letter)
    return letter


@transaction.atomic
def initial(task, *, user, note=""):
    """The official whose turn it is initials the letter (the paraf is recorded and printed in the paraf box)."""
    task, letter, acting_for = _step(task, user, OutgoingLetter.Status.PARAF)
    step = next_paraf_step(letter)
    if step is None or step.position_id != task.data["position"]:
        raise PermissionDenied(_("Belum giliran Anda memaraf naskah ini."))
    step.initialled_by, step.initialled_at = user, timezone.now()
    step.save(update_fields=["initialled_by", "initialled_at"])
    letter.status = _after_review(letter)
    letter.save(update_fields=["status", "updated_at"])
    Review.objects.create(letter=letter, step="paraf", decision=Review.Decision.INITIALLED, note=note, by=user,
                          acting_for=acting_for)
    AuditEvent.record(letter, "outgoing.initialled", user=user, acting_for=acting_for, detail={
        "order": step.order, "aspect": step.aspect, "position": str(step.position), "note": note,
    })
    complete_human_task(task, user)
    schedule(letter)
    return letter


@transaction.atomic
def return_draft(task, *, user, note):
    """The verifier or an official of the chain sends the draft back to the drafting unit with a note."""
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Tuliskan apa yang harus diperbaiki."))
    expected = OutgoingLetter.Status.VERIFYING if task.flow_task.name == "verify" else OutgoingLetter.Status.PARAF
    task, letter, acting_for = _step(task, user, expected)
    letter.status = OutgoingLetter.Status.RETURNED
    letter.save(update_fields=["status", "updated_at"])
    Review.objects.create(letter=letter, step=task.flow_task.name, decision=Review.Decision.RETURNED, note=note, by=user,
                          acting_for=acting_for)
    AuditEvent.record(letter, "outgoing.returned", user=user, acting_for=acting_for, detail={
        "step": task.flow_task.name, "note": note,
    })
    complete_human_task(task, user)
    schedule(letter)
    notify([letter.created_by], kind=RETURNED_NOTICE, message=_("Naskah dikembalikan untuk diperbaiki: %(subject)s") % {
        "subject": letter.subject}, url=letter.get_absolute_url(), subject_key=letter.subject_key)
    return letter


def last_return(letter):
    """The newest return note, shown on the draft page while the letter is being corrected."""
    if letter.status != OutgoingLetter.Status.RETURNED:
        return None
    return letter.reviews.filter(decision=Review.Decision.RETURNED).select_related("by").last()


# --- signature and number ------------------------------------------------------------------------------------------


def acting_mark(position, user, at=None):
    """"Plh."/"Plt." when ``user`` signs for ``position`` through a delegation, "" when they hold it."""
    if position.holder_id == user.pk:
        return ""
    delegation = position.delegations.active(at).filter(delegate=user).order_by("-starts_at").first()
    if delegation is None:
        raise PermissionDenied(_("Anda tidak memegang atau mewakili jabatan penanda tangan."))
    return delegation.mark


SIGN_FAILURES_ALLOWED = 5  # wrong passphrases per signer …
SIGN_FAILURES_WINDOW_SECONDS = 15 * 60  # … within this window, then signing waits


def _refuse_after_many_failures(user):
    """A passphrase is the signature's second factor: it may not be guessed at API speed."""
    if cache.get(f"sign-failures:{user.pk}", 0) >= SIGN_FAILURES_ALLOWED:
        raise ValidationError(_("Terlalu banyak frasa sandi yang salah; coba lagi dalam 15 menit."))


def _count_failure(user, letter):
    """Counted in the cache and logged: the transaction (and its trail row) is rolled back with the refusal."""
    key = f"sign-failures:{user.pk}"
    cache.add(key, 0, SIGN_FAILURES_WINDOW_SECONDS)
    failures = cache.incr(key)
    log.warning("signing refused for %s on outgoing letter %s (%d recent failures)", user.username, letter.pk, failures)


@sensitive_variables("passphrase")
def sign(task, *, user, passphrase):
    """Sign: open the signer's key, take the number, make the final PDF and sign it, in one transaction.

    The key is opened before the number is taken, so a wrong passphrase never
    holds the counter; the counter row stays locked until the transaction
    ends, so numbers are gap-free: any later failure rolls the number back
    with everything else. The signature goes through ``project.signing``'s
    backend (SIAP's own certificate authority, or a certified provider).
    """
    signer = get_signer()
    _refuse_after_many_failures(user)
    with files_rolled_back_on_error():
        task, letter, _acting_for = _step(task, user, OutgoingLetter.Status.SIGNING)
        if next_paraf_step(letter) is not None:
            raise PermissionDenied(_("Naskah belum selesai diparaf; belum dapat ditandatangani."))
        try:
            signer.check_passphrase(user, passphrase)
        except SigningError as refused:
            _count_failure(user, letter)
            raise ValidationError(refused.message) from refused
        now = timezone.now()
        letter.signed_as = acting_mark(letter.signer_position, user, now)
        letter.signed_by, letter.signed_at, letter.letter_date = user, now, timezone.localdate(now)
        complete_human_task(task, user)  # before the number: the counter is held only for the PDF and its signature
        numbering.assign(letter)
        pdf = sheets.letter_pdf(letter, final=True)
        try:
            signed = signer.sign(
                pdf, user=user, passphrase=passphrase, reason=_("Penandatanganan naskah dinas %(number)s") % {
                    "number": letter.number}, location="Balikpapan",
            )
        except SigningError as refused:
            raise ValidationError(refused.message) from refused
        letter.signed_sha256 = hashlib.sha256(signed).hexdigest()
        letter.status = OutgoingLetter.Status.SIGNED
        letter.save()
        add_document(letter, role=FINAL, file=ContentFile(signed, name=f"{letter.file_stem()}.pdf"),
                     media_type="application/pdf", user=user, title=letter.number)
        AuditEvent.record(letter, "outgoing.signed", user=user, acting_for=letter.signer_position.holder if letter.signed_as else None,
                          detail={"number": letter.number, "sha256": letter.signed_sha256, "as": letter.signed_as})
        schedule(letter)
        notify([letter.created_by], kind=SIGNED_NOTICE, message=_("Naskah %(number)s ditandatangani; siap dikirim.") % {
            "number": letter.number}, url=letter.get_absolute_url(), subject_key=letter.subject_key)
    return letter


def preview_pdf(letter):
    """The draft as it will look (watermarked, without number, QR or signature)."""
    return sheets.letter_pdf(letter, final=False)


# --- dispatch and receipt -----------------------------------------------------------------------------------------


@transaction.atomic
def dispatch(task, *, user, courier=False, note=""):
    """Send the signed letter: e-mail to each outside address, delivery of a nota dinas into each recipient unit's
    queue, and (when printed) the courier — each recorded as a ``Dispatch``; e-mails go out after the commit."""
    from .tasks import deliver_email

    task = lock_assigned_task(task, user)
    letter = _locked(letter_of_task(task))
    if letter.status != OutgoingLetter.Status.SIGNED:
        raise PermissionDenied(_("Naskah ini tidak menunggu pengiriman."))
    if not may_edit(user, letter):
        raise PermissionDenied(_("Hanya staf unit pengolah yang mengirim naskah ini."))
    emails = letter.email_list()
    units = list(letter.recipient_units.all())
    if not (emails or units or courier):
        raise ValidationError(_("Pilih cara pengiriman: naskah ini tidak mempunyai alamat e-mail atau unit penerima."))
    now = timezone.now()
    created = [Dispatch(letter=letter, method=Dispatch.Method.EMAIL, recipient=email, by=user) for email in emails]
    created += [Dispatch(letter=letter, method=Dispatch.Method.INTERNAL, recipient=unit.name, unit=unit, by=user,
                         status=Dispatch.Status.SENT, done_at=now) for unit in units]
    if courier:
        created.append(Dispatch(letter=letter, method=Dispatch.Method.COURIER, by=user, status=Dispatch.Status.SENT,
                                done_at=now, recipient=note.strip()[:255] or ", ".join(letter.addressee_list())[:255]))
    Dispatch.objects.bulk_create(created)
    letter.status, letter.sent_at = OutgoingLetter.Status.SENT, now
    letter.save(update_fields=["status", "sent_at", "updated_at"])
    AuditEvent.record(letter, "outgoing.dispatched", user=user, detail={
        "email": emails, "units": [unit.code for unit in units], "courier": courier, "note": note,
    })
    complete_human_task(task, user)  # the flow opens a receipt task in each recipient unit's queue
    schedule(letter)
    for unit in units:
        notify(unit.group.user_set.all(), kind=MEMO_NOTICE, message=_("Nota dinas masuk: %(number)s") % {
            "number": letter.number}, url=letter.get_absolute_url(), subject_key=letter.subject_key)
    for row in letter.dispatches.filter(method=Dispatch.Method.EMAIL, status=Dispatch.Status.PENDING):
        transaction.on_commit(lambda pk=row.pk: deliver_email.delay(pk))
    return letter


@transaction.atomic
def receive(task, *, user, note=""):
    """A recipient unit acknowledges the nota dinas it was sent."""
    task = lock_assigned_task(task, user)
    letter = letter_of_task(task)
    row = Dispatch.objects.select_for_update().get(pk=task.data["dispatch"], letter=letter)
    row.status, row.done_at = Dispatch.Status.RECEIVED, timezone.now()
    row.error = ""
    row.save(update_fields=["status", "done_at", "error"])
    AuditEvent.record(letter, "outgoing.received", user=user, detail={"unit": row.unit.code if row.unit else "", "note": note})
    complete_human_task(task, user)
    return letter


# --- lists ----------------------------------------------------------------------------------------------------------


def register_rows(user, year=None, unit=None):
    """The outgoing register (buku agenda surat keluar): signed letters ``user`` may see, in number order."""
    letters = OutgoingLetter.objects.visible_to(user).signed().select_related(
        "drafting_unit", "classification", "signed_by", "signer_position__unit",
    ).prefetch_related("dispatches")
    if year:
        letters = letters.filter(number_year=year)
    if unit:
        letters = letters.filter(drafting_unit=unit)
    return letters.order_by("number_year", "drafting_unit__code", "number_family", "serial")


def dashboard_counters(user):
    from workflows.registry import Counter

    counters = []
    units = drafting_units(user)
    if units.exists():
        mine = OutgoingLetter.objects.visible_to(user).filter(drafting_unit__in=units)
        drafts = mine.filter(status__in=OutgoingLetter.EDITABLE).count()
        returned = mine.filter(status=OutgoingLetter.Status.RETURNED).count()
        counters.append(Counter(_("Draf naskah dinas unit Anda"), drafts, "outgoing:list", {"unit": "saya", "draf": "1"}))
        if returned:
            counters.append(Counter(_("Naskah dikembalikan untuk diperbaiki"), returned, "outgoing:list",
                                    {"unit": "saya", "status": OutgoingLetter.Status.RETURNED}))
    return counters


def replies_to(subject, user):
    """Outgoing letters that answer an incoming letter and that ``user`` may see (shown on its page)."""
    from django.urls import reverse

    from workflows.letters.models import Letter

    if not isinstance(subject, Letter):
        return []
    items = [(_("Balasan %(number)s — %(subject)s") % {"number": reply.number or _("(draf)"), "subject": reply.subject},
              reply.get_absolute_url()) for reply in OutgoingLetter.objects.visible_to(user).filter(reply_to=subject)]
    if drafting_units(user).exists():
        items.append((_("Buat naskah balasan"), f"{reverse('outgoing:new')}?balas={subject.pk}"))
    return items


# --- the public check -----------------------------------------------------------------------------------------------


def signer_line(letter):
    """Who signed, as the verification page says it: "Plh. Ketua DPRD Kota Balikpapan — Budiono Kartika"."""
    office = office_title(letter.signer_position)
    name = letter.signed_by.get_full_name() or letter.signed_by.username
    return f"{letter.signed_as + ' ' if letter.signed_as else ''}{office} — {name}"


def compare_upload(letter, data, verification):
    """Whether an uploaded file is this letter's signed PDF, byte for byte (beside what its signature says)."""
    return {"same_file": hashlib.sha256(data).hexdigest() == letter.signed_sha256, "verification": verification}
