"""Domain operations on aspirations.

The channels (web form, mailbox, WhatsApp webhook), the pages, the API and
the flow's callbacks call these. Each runs in one transaction: the checks
(who may, in which state), the change, the public timeline, the trail
(``AuditEvent``), the search outbox, the flow's step and the messages to
the resident (sent after commit by ``channels.deliver``).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm
from viewflow.workflow.models import Process

from documents.services import add_document, files_rolled_back_on_error
from project.audit.models import AuditEvent
from project.notifications.services import notify
from project.org import services as org
from project.org.models import Position, Unit
from search import indexing
from workflows.inbox import open_task
from workflows.steps import complete_human_task, lock_assigned_task

from . import channels, deadlines
from .models import (ATTACHMENT, FOLLOW_UP_DOCUMENT, Aspiration, AspirationMessage, AspirationStatus, FollowUpNote,
                     normalise_tracking_code, whatsapp_number)

# search item kinds (search_items.py)
KIND, CONFIDENTIAL_KIND, SENDER_KIND = "aspiration", "aspiration_rahasia", "aspiration_sender"
NEW_NOTICE, LATE_NOTICE, STATUS_NOTICE = "aspiration_new", "aspiration_late", "aspiration_status"  # notification kinds
VERIFY_STEP, FOLLOW_UP_STEP = "verify", "follow_up"

Purpose = AspirationMessage.Purpose


def schedule_index(aspirations):
    """Re-index the search items of each aspiration (content, rahasia content, sender: search_items.py)."""
    indexing.schedule_many([f"{kind}:{aspiration.pk}" for aspiration in aspirations for kind in (KIND, CONFIDENTIAL_KIND, SENDER_KIND)])


def _locked(aspiration):
    return Aspiration.objects.select_for_update().get(pk=aspiration.pk)


def aspiration_of_task(task):
    return Aspiration.objects.get(pk=task.process.artifact_object_id)


def _set_status(aspiration, status, public_note=""):
    aspiration.status = status
    AspirationStatus.objects.create(aspiration=aspiration, status=status, public_note=public_note)


def desk_users():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    perm = Q(groups__permissions__codename="handle_aspiration") | Q(user_permissions__codename="handle_aspiration")
    return users.filter(perm).distinct()


# --- receiving ----------------------------------------------------------------


def receive(*, channel, subject, text, category=Aspiration.Category.ASPIRATION, privacy=Aspiration.Privacy.NORMAL,
            name="", phone="", email="", wa_id="", kelurahan=None, consent=False, attachments=(),
            external_id="", received_at=None):
    """Make one aspiration from what a channel received and start its process; return it.

    ``attachments``: ``(file, media_type)`` pairs already checked and cleaned
    by the channel (``attachments.clean_attachment``). An *anonim*
    aspiration keeps no name at all. The resident is sent the tracking code
    through the channel (after commit) when there is a contact.
    """
    from .flows import AspirationFlow

    if not (subject or "").strip() or not (text or "").strip():
        raise ValidationError(_("Perihal dan isi aspirasi wajib diisi."), code="empty")
    with transaction.atomic(), files_rolled_back_on_error():
        aspiration = Aspiration(
            channel=channel, category=category, privacy=privacy,
            name="" if privacy == Aspiration.Privacy.ANONYMOUS else name.strip()[:200],
            phone=phone.strip()[:30], email=_storable_email(email), wa_id=wa_id.strip() or whatsapp_number(phone),
            kelurahan=kelurahan,
            subject=subject.strip()[:200], text=text.strip(),
            consent_at=timezone.now() if consent else None,
            received_at=received_at or timezone.now(),
        )
        aspiration.verify_due = deadlines.verify_due(aspiration)
        aspiration.save()
        _set_status(aspiration, Aspiration.Status.RECEIVED)
        for file, media_type in attachments:
            add_document(aspiration, role=ATTACHMENT, file=file, media_type=media_type, user=None,
                         title=getattr(file, "name", "") or _("Lampiran"))
        AspirationMessage.objects.create(
            aspiration=aspiration, direction=AspirationMessage.Direction.IN, channel=channel, purpose=Purpose.ORIGINAL,
            text=aspiration.text, external_id=external_id[:300], delivery=AspirationMessage.Delivery.DELIVERED,
        )
        AuditEvent.record(aspiration, "aspiration.received", detail={"channel": channel, "code": aspiration.code},
                          keep_address=False)
        AspirationFlow.receive.run(aspiration=aspiration)
        channels.send(aspiration, Purpose.RECEIPT, channels.receipt_text(aspiration))
        notify(desk_users(), kind=NEW_NOTICE, message=_("Aspirasi baru %(code)s menunggu verifikasi.") % {"code": aspiration.code},
               url=aspiration.get_absolute_url(), subject_key=aspiration.subject_key)
        schedule_index([aspiration])
    return aspiration


def _storable_email(address):
    """An address longer than any real one (254 characters) cannot be written back to: keep none then."""
    address = address.strip()
    return address if len(address) <= Aspiration._meta.get_field("email").max_length else ""


def find_by_code(code):
    """The aspiration a (possibly mistyped) tracking code names, or None."""
    normalised = normalise_tracking_code(code)
    return Aspiration.objects.filter(code=normalised).first() if normalised else None


def receive_reply(aspiration, *, channel, text, attachments=(), external_id=""):
    """The resident wrote again about ``aspiration`` (a reply mail, a WhatsApp message, the tracking page).

    Waiting for information: the verification resumes. Answered, within the
    reply window and never reopened: the aspiration reopens for the unit.
    Otherwise the message is only recorded for the handlers.
    """
    from .flows import AspirationFlow

    with transaction.atomic(), files_rolled_back_on_error():
        # the process row first, as the flow's timers take it (they close the window this reply may reopen)
        Process.objects.select_for_update().filter(pk=aspiration.process_id).exists()
        aspiration = _locked(aspiration)
        AspirationMessage.objects.create(
            aspiration=aspiration, direction=AspirationMessage.Direction.IN, channel=channel, purpose=Purpose.REPLY,
            text=text.strip(), external_id=external_id[:300], delivery=AspirationMessage.Delivery.DELIVERED,
        )
        for file, media_type in attachments:
            add_document(aspiration, role=ATTACHMENT, file=file, media_type=media_type, user=None,
                         title=getattr(file, "name", "") or _("Lampiran"))
        AuditEvent.record(aspiration, "aspiration.reply_received", detail={"channel": channel}, keep_address=False)
        outcome = "recorded"
        if aspiration.status == Aspiration.Status.NEEDS_INFO:
            task = open_task(aspiration, AspirationFlow.await_info)
            if task is not None:
                _set_status(aspiration, Aspiration.Status.RECEIVED, _("Keterangan tambahan diterima."))
                aspiration.verify_due = deadlines.verify_due(aspiration, on=timezone.localdate())
                aspiration.save(update_fields=["status", "verify_due"])
                AspirationFlow.await_info.run(task)
                outcome = "resumed"
        elif aspiration.status == Aspiration.Status.ANSWERED and aspiration.reopened_at is None:
            task = open_task(aspiration, AspirationFlow.await_reply)
            if task is not None:
                aspiration.reopened_at = timezone.now()
                aspiration.follow_up_due = deadlines.follow_up_due(aspiration)
                _set_status(aspiration, Aspiration.Status.IN_FOLLOW_UP, _("Dibuka kembali atas tanggapan pengirim."))
                aspiration.save(update_fields=["status", "reopened_at", "follow_up_due"])
                AuditEvent.record(aspiration, "aspiration.reopened", keep_address=False)
                AspirationFlow.await_reply.run(task)
                outcome = "reopened"
        _tell_handlers(aspiration, _("Pengirim aspirasi %(code)s menanggapi.") % {"code": aspiration.code})
        schedule_index([aspiration])
    return outcome


# --- verification -----------------------------------------------------------------


def verify(task, *, user, decision, note="", duplicate_of=None, referral_note="", info_request="", category=None):
    """The desk's decision: valid, duplicate (merged), not the council's (referred) or more information needed."""
    with transaction.atomic():
        task = lock_assigned_task(task, user)
        aspiration = _locked(aspiration_of_task(task))
        if category:
            aspiration.category = category
        if decision == "valid":
            _set_status(aspiration, Aspiration.Status.VERIFIED, _("Aspirasi terverifikasi dan diteruskan kepada pimpinan."))
        elif decision == "duplicate":
            if duplicate_of is None or duplicate_of.pk == aspiration.pk or duplicate_of.finished:
                raise ValidationError(_("Pilih aspirasi lain yang masih terbuka sebagai induknya."), code="bad_duplicate")
            aspiration.merged_into = duplicate_of
            # the parent's code stays internal: with it, one resident could follow another's aspiration
            _set_status(aspiration, Aspiration.Status.MERGED,
                        _("Digabung dengan aspirasi lain yang membahas hal yang sama; jawabannya akan dikirimkan "
                          "juga kepada Anda."))
            aspiration.closed_at = timezone.now()
        elif decision == "referred":
            if not referral_note.strip():
                raise ValidationError(_("Tuliskan ke instansi mana pengirim sebaiknya menyampaikan hal ini."), code="no_referral")
            aspiration.referral_note = referral_note.strip()
            _set_status(aspiration, Aspiration.Status.REFERRED, aspiration.referral_note)
            aspiration.closed_at = timezone.now()
        elif decision == "needs_info":
            if not info_request.strip():
                raise ValidationError(_("Tuliskan keterangan apa yang diperlukan dari pengirim."), code="no_question")
            aspiration.info_request = info_request.strip()
            _set_status(aspiration, Aspiration.Status.NEEDS_INFO, aspiration.info_request)
        else:
            raise ValidationError(_("Keputusan verifikasi tidak dikenal."), code="bad_decision")
        aspiration.save()
        if note.strip():  # the desk's internal note is content: a note beside the others, not free text in the trail
            FollowUpNote.objects.create(aspiration=aspiration, text=note.strip(), by=user)
        AuditEvent.record(aspiration, "aspiration.verified", user=user, detail={"decision": decision})
        complete_human_task(task, user)
        if decision == "needs_info":
            channels.send(aspiration, Purpose.INFO_REQUEST, channels.info_request_text(aspiration))
        elif decision in ("duplicate", "referred"):
            channels.send(aspiration, Purpose.STATUS, channels.status_text(aspiration))
        schedule_index([aspiration])
    return aspiration


# --- disposition ----------------------------------------------------------------


def dapil_members(aspiration):
    """The council members elected from the resident's kelurahan's dapil (none when no kelurahan is known)."""
    from project.org.models import CouncilMember

    if aspiration.kelurahan_id is None:
        return CouncilMember.objects.none()
    return CouncilMember.objects.filter(dapil=aspiration.kelurahan.kecamatan.dapil).select_related("user")


def disposable_units():
    return Unit.objects.filter(kind__in=[Unit.Kind.KOMISI, Unit.Kind.AKD, Unit.Kind.PANSUS]).order_by("name")


def dispose(task, *, user, unit=None, members=(), note=""):
    """The Pimpinan send the aspiration to one commission or AKD, or to members of the resident's dapil."""
    with transaction.atomic():
        task = lock_assigned_task(task, user)
        aspiration = _locked(aspiration_of_task(task))
        members = list(members)
        if (unit is None) == (not members):
            raise ValidationError(_("Pilih satu unit, atau anggota dapil pengirim — salah satu saja."), code="target")
        if unit is not None and not disposable_units().filter(pk=unit.pk).exists():
            raise ValidationError(_("Aspirasi hanya dapat didisposisikan ke komisi atau alat kelengkapan dewan."), code="unit")
        allowed = set(dapil_members(aspiration).values_list("pk", flat=True))
        if any(member.pk not in allowed for member in members):
            raise ValidationError(_("Hanya anggota dari dapil pengirim yang dapat dipilih."), code="members")
        aspiration.unit = unit
        aspiration.disposition_note = note.strip()
        aspiration.disposed_at = timezone.now()
        aspiration.follow_up_due = deadlines.follow_up_due(aspiration)
        target = unit.name if unit else ", ".join(str(member) for member in members)
        _set_status(aspiration, Aspiration.Status.IN_FOLLOW_UP,
                    _("Didisposisikan kepada %(target)s untuk ditindaklanjuti.") % {"target": target})
        aspiration.save()
        aspiration.members.set(members)
        for member in members:
            assign_perm("aspirations.follow_up_aspiration", member.user, aspiration)
        AuditEvent.record(aspiration, "aspiration.disposed", user=user, acting_for=_chair_holder(),
                          detail={"unit": unit.code if unit else "", "members": [m.pk for m in members]})
        complete_human_task(task, user)
        recipients = list(unit.group.user_set.all()) if unit else [member.user for member in members]
        notify(recipients, kind=NEW_NOTICE,
               message=_("Aspirasi %(code)s didisposisikan kepada Anda untuk ditindaklanjuti.") % {"code": aspiration.code},
               url=aspiration.get_absolute_url(), subject_key=aspiration.subject_key)
        channels.send(aspiration, Purpose.STATUS, channels.status_text(aspiration))
        schedule_index([aspiration])
    return aspiration


def _chair_holder():
    return org.chair_position().holder


# --- follow-up and answer --------------------------------------------------------------


def follow_up_claimed(task, *, user):
    AuditEvent.record(task.process.artifact, "task.claimed", user=user, detail={"task": str(task.flow_task.task_title)})


def may_follow_up(user, aspiration):
    """Those the aspiration went to (its unit's members, its dapil members) and the desk."""
    if user.has_perm("aspirations.handle_aspiration"):
        return True
    if aspiration.unit_id and org.units_of(user).filter(pk=aspiration.unit_id).exists():
        return True
    return aspiration.members.filter(user=user).exists()


def add_note(aspiration, *, user, text, file=None, media_type=None):
    """A follow-up note (and a document) by someone the aspiration went to, while it is being followed up."""
    with transaction.atomic(), files_rolled_back_on_error():
        aspiration = _locked(aspiration)
        if not may_follow_up(user, aspiration):
            raise PermissionDenied(_("Hanya unit atau anggota yang dituju yang dapat mencatat tindak lanjut."))
        if aspiration.status not in (Aspiration.Status.IN_FOLLOW_UP, Aspiration.Status.ANSWER_DRAFTED):
            raise PermissionDenied(_("Catatan tindak lanjut hanya dapat ditambahkan selama aspirasi ditindaklanjuti."))
        note = FollowUpNote.objects.create(aspiration=aspiration, text=text.strip(), by=user)
        if file is not None:
            add_document(aspiration, role=FOLLOW_UP_DOCUMENT, file=file, media_type=media_type, user=user)
        AuditEvent.record(aspiration, "aspiration.note_added", user=user, detail={"document": file is not None})
        schedule_index([aspiration])
    return note


def draft_answer(task, *, user, answer):
    """The unit (or member) finishes the follow-up with the answer the resident will receive."""
    if not answer.strip():
        raise ValidationError(_("Jawaban untuk pengirim wajib diisi."), code="empty")
    with transaction.atomic():
        task = lock_assigned_task(task, user)
        aspiration = _locked(aspiration_of_task(task))
        aspiration.answer = answer.strip()
        aspiration.answer_drafted_by = user
        aspiration.answer_return_note = ""
        if aspiration.unit_id:
            _set_status(aspiration, Aspiration.Status.ANSWER_DRAFTED)
        aspiration.save()
        AuditEvent.record(aspiration, "aspiration.answer_drafted", user=user)
        complete_human_task(task, user)
        schedule_index([aspiration])
    return aspiration


def unit_head_position(aspiration):
    return Position.objects.select_related("holder").get(unit_id=aspiration.unit_id, role=Position.Role.HEAD)


def approve_answer(task, *, user, approve, note="", answer=None):
    """The unit's head approves the answer (possibly edited) or returns it to the unit with a note."""
    with transaction.atomic():
        task = lock_assigned_task(task, user)
        aspiration = _locked(aspiration_of_task(task))
        if approve:
            if answer is not None and answer.strip():
                aspiration.answer = answer.strip()
            aspiration.answer_approved_by = user
        else:
            if not note.strip():
                raise ValidationError(_("Tuliskan apa yang perlu diperbaiki pada jawaban."), code="no_note")
            aspiration.answer_return_note = note.strip()
            aspiration.status = Aspiration.Status.IN_FOLLOW_UP  # not a public step: the timeline stays as it was
        aspiration.save()
        AuditEvent.record(aspiration, "aspiration.answer_approved" if approve else "aspiration.answer_returned",
                          user=user)
        complete_human_task(task, user)
    return aspiration


def send_answer(aspiration):
    """The flow's step: the approved answer goes out through the channel it came by and onto the tracking page."""
    aspiration = _locked(aspiration)
    aspiration.answered_at = timezone.now()
    _set_status(aspiration, Aspiration.Status.ANSWERED, aspiration.answer)
    aspiration.save(update_fields=["status", "answered_at"])
    AuditEvent.record(aspiration, "aspiration.answered")
    channels.send(aspiration, Purpose.ANSWER, channels.answer_text(aspiration))
    for merged in aspiration.merged.select_for_update().filter(status=Aspiration.Status.MERGED):
        _pass_on_answer(aspiration, merged)
    schedule_index([aspiration, *aspiration.merged.all()])


def _pass_on_answer(parent, merged):
    """Residents whose aspirations were merged into ``parent`` get its answer too, on their page and channel."""
    merged.answer, merged.answered_at = parent.answer, parent.answered_at
    merged.save(update_fields=["answer", "answered_at"])
    AspirationStatus.objects.create(aspiration=merged, status=Aspiration.Status.ANSWERED, public_note=parent.answer)
    AuditEvent.record(merged, "aspiration.answered", detail={"via": parent.code})
    channels.send(merged, Purpose.ANSWER, channels.answer_text(merged))


def close(aspiration):
    aspiration = _locked(aspiration)
    aspiration.closed_at = timezone.now()
    _set_status(aspiration, Aspiration.Status.CLOSED)
    aspiration.save(update_fields=["status", "closed_at"])
    AuditEvent.record(aspiration, "aspiration.closed")
    schedule_index([aspiration])


# --- deadlines and escalation ------------------------------------------------------------


def _head_of(unit_code=None, unit_id=None):
    position = Position.objects.filter(role=Position.Role.HEAD).select_related("holder")
    position = position.filter(unit__code=unit_code) if unit_code else position.filter(unit_id=unit_id)
    position = position.first()
    return position.acting_holder() if position is not None else None


def escalate(aspiration, *, step, level):
    """A step passed its deadline: level 1 tells the step's unit head, level 2 the Sekretaris DPRD.

    Once per step, level and deadline: a step that comes round again (after
    the resident's information, a returned answer, a reopening) has a new
    deadline and is escalated again when that passes. A follow-up by dapil
    members has no unit head: the desk's head hears of it.
    """
    due = aspiration.verify_due if step == VERIFY_STEP else aspiration.follow_up_due
    key = {"step": step, "level": level, "due": due.isoformat() if due else ""}
    if AuditEvent.objects.for_object(aspiration).filter(action="aspiration.escalated", **{
            f"detail__{name}": value for name, value in key.items()}).exists():
        return None
    if level == 2:
        recipient = _head_of(unit_code=settings.SIAP_SECRETARY_UNIT)
    elif step == FOLLOW_UP_STEP and aspiration.unit_id:
        recipient = _head_of(unit_id=aspiration.unit_id)
    else:
        recipient = _head_of(unit_code=settings.SIAP_ASPIRATION_DESK_UNIT)
    Aspiration.objects.filter(pk=aspiration.pk, escalated_at__isnull=True).update(escalated_at=timezone.now())
    AuditEvent.record(aspiration, "aspiration.escalated", detail={**key, "to": recipient.username if recipient else ""})
    if recipient is not None:
        what = _("verifikasi") if step == VERIFY_STEP else _("tindak lanjut")
        notify([recipient], kind=LATE_NOTICE,
               message=_("Aspirasi %(code)s lewat batas %(what)s (%(due)s).")
               % {"code": aspiration.code, "what": what, "due": due.strftime("%d-%m-%Y") if due else "-"},
               url=aspiration.get_absolute_url(), subject_key=aspiration.subject_key)
    return recipient


def task_deadline(task):
    """The inbox's deadline of an aspiration step (verification, follow-up)."""
    node = task.flow_task.name
    if node not in (VERIFY_STEP, FOLLOW_UP_STEP):
        return None
    aspiration = task.process.artifact  # the inbox loads it with the task
    return aspiration.verify_due if node == VERIFY_STEP else aspiration.follow_up_due


def task_deadline_expression():
    """``task_deadline`` as a database expression on task rows (the inbox filters and sorts by it)."""
    from .flows import AspirationFlow

    aspiration = Aspiration.objects.filter(process=OuterRef("process_id"))  # no join of the task's process
    return {
        AspirationFlow.instance.node(VERIFY_STEP): Subquery(aspiration.values("verify_due")[:1]),
        AspirationFlow.instance.node(FOLLOW_UP_STEP): Subquery(aspiration.values("follow_up_due")[:1]),
    }


def late_aspirations(queryset, today=None):
    """Open aspirations past the deadline of the step they are in."""
    today = today or timezone.localdate()
    return queryset.filter(
        Q(status=Aspiration.Status.RECEIVED, verify_due__lt=today)
        | Q(status__in=[Aspiration.Status.IN_FOLLOW_UP, Aspiration.Status.ANSWER_DRAFTED], follow_up_due__lt=today)
    )


def _tell_handlers(aspiration, message):
    recipients = set(desk_users())
    if aspiration.unit_id:
        recipients |= set(aspiration.unit.group.user_set.all())
    recipients |= {member.user for member in aspiration.members.select_related("user")}
    notify(list(recipients), kind=STATUS_NOTICE, message=message, url=aspiration.get_absolute_url(),
           subject_key=aspiration.subject_key)


# --- taken up inside the council --------------------------------------------------------------


def link_pokir(aspiration, *, user, pokir):
    """The aspiration was taken into a member's pokir; the resident sees that it was."""
    return _link(aspiration, user=user, field="pokir", value=pokir,
                 note=_("Aspirasi ini dimasukkan ke dalam pokok-pokok pikiran DPRD."))


def link_agenda_item(aspiration, *, user, agenda_item):
    """The aspiration was put on a meeting's agenda; the resident sees that it was."""
    return _link(aspiration, user=user, field="agenda_item", value=agenda_item,
                 note=_("Aspirasi ini dibahas dalam rapat DPRD."))


def draft_pokir_from(aspiration, *, user, member, year):
    """A member (or the member's staff) starts a pokir draft from the aspiration — its subject, text and kelurahan
    — and the aspiration is linked to it. A *rahasia* aspiration's content is not copied into a pokir, which
    verifiers and the Pimpinan read: its handlers draft the pokir themselves and link it."""
    from workflows.pokir import services as pokir_services

    with transaction.atomic():
        current = _locked(aspiration)
        if current.confidential:
            raise PermissionDenied(_("Isi aspirasi rahasia tidak disalin ke pokir; susun pokir sendiri lalu tautkan."))
        if not may_follow_up(user, current):
            raise PermissionDenied(_("Hanya meja aspirasi atau yang menindaklanjuti yang dapat menautkan aspirasi."))
        pokir = pokir_services.create_draft(member=member, year=year, user=user, title=current.subject)
        pokir = pokir_services.update_pokir(pokir, user=user, data={"problem": current.text, "kelurahan": current.kelurahan})
        link_pokir(current, user=user, pokir=pokir)
    return pokir


def _link(aspiration, *, user, field, value, note):
    with transaction.atomic():
        aspiration = _locked(aspiration)
        if not may_follow_up(user, aspiration):
            raise PermissionDenied(_("Hanya meja aspirasi atau yang menindaklanjuti yang dapat menautkan aspirasi."))
        if aspiration.finished:
            raise PermissionDenied(_("Aspirasi yang sudah selesai tidak dapat ditautkan lagi."))
        setattr(aspiration, field, value)
        aspiration.save(update_fields=[field])
        AspirationStatus.objects.create(aspiration=aspiration, status=aspiration.status, public_note=note)
        AuditEvent.record(aspiration, f"aspiration.linked_{field}", user=user, detail={field: value.pk})
    return aspiration


# --- dashboard ------------------------------------------------------------------------


def dashboard_counters(user):
    from workflows.registry import Counter

    visible = Aspiration.objects.visible_to(user)
    if not visible.exists():
        return []
    open_ = visible.exclude(status__in=Aspiration.FINISHED)
    counts = open_.aggregate(waiting=Count("pk", filter=Q(status=Aspiration.Status.RECEIVED)), total=Count("pk"))
    late = late_aspirations(open_).count()
    found = [Counter(_("aspirasi terbuka"), counts["total"], "aspirations:list", {"terbuka": "1"})]
    if user.has_perm("aspirations.handle_aspiration"):
        found.append(Counter(_("aspirasi menunggu verifikasi"), counts["waiting"], "aspirations:list",
                             {"status": Aspiration.Status.RECEIVED}))
    if late:
        found.append(Counter(_("aspirasi lewat batas waktu"), late, "aspirations:late"))
    return found


def open_duplicates_of(aspiration):
    """Open aspirations that may be the same matter (same kelurahan or same words in the subject), newest first."""
    candidates = Aspiration.objects.exclude(pk=aspiration.pk).exclude(status__in=Aspiration.FINISHED)
    words = [word for word in aspiration.subject.split() if len(word) > 3][:5]
    match = Q(kelurahan=aspiration.kelurahan) if aspiration.kelurahan_id else Q(pk__in=[])
    for word in words:
        match |= Q(subject__icontains=word)
    return candidates.filter(match).order_by("-received_at")[:10]


def late_attention(user):
    from django.utils.formats import date_format

    from workflows.registry import Attention

    late = late_aspirations(Aspiration.objects.visible_to(user).exclude(status__in=Aspiration.FINISHED))
    return [
        Attention(
            text=f"{aspiration.code} — {aspiration.get_status_display()}",
            url=aspiration.get_absolute_url(),
            detail=_("batas %(date)s") % {"date": date_format(aspiration.current_due, "j M Y")},
        )
        for aspiration in late.order_by("received_at")[:10]
    ]
