"""WhatsApp Business Cloud API channel: the webhook residents' messages arrive by, and SIAP's replies.

Plain ``requests`` rather than pywa: SIAP needs three Graph calls (media
metadata, media bytes, send a message) and one HMAC check, all in this
module; pywa would bring its own handler framework, models for every update
type and an httpx dependency to wrap those few lines, and its release
cadence would decide when SIAP may follow a Graph API version.

The webhook (``webhook``) answers Meta's verification handshake (GET) and,
for signed deliveries (POST), turns each message into an aspiration or a
reply to one (``services.receive`` / ``services.receive_reply``) and each
status into the delivery of SIAP's own message. Each ``wamid`` is claimed by
a ``WhatsAppInbound`` row in the same transaction as the aspiration it
makes, so a webhook Meta delivers twice, or twice at once, changes nothing.

Messages are handled in the request, not in a background job: Meta's media
URLs expire five minutes after they are looked up, a job would need the
webhook's payload stored somewhere first, and the claim row and the
aspiration then commit together. Every Graph call has a timeout and the
download a size cap, so the answer stays well inside Meta's patience; a
media download that fails keeps the text, records the error and still
answers 200 (a 5xx would only make Meta send the same message again).
An unexpected error answers 500 so that Meta retries: messages already
handled were committed one by one and are skipped then.

A message SIAP cannot take (audio, sticker, location…) or an attachment
it refused gets a short direct reply that says what is accepted. It is
sent straight through the Graph API, not through ``channels.send``:
there is often no aspiration to record it on, the resident has just
written so the 24-hour window is open, and if Graph is down the desk
sees the failure on the ``WhatsAppInbound`` row.
"""

import base64
import hashlib
import hmac
import json
import logging
import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import services
from ..attachments import clean_attachment
from ..models import Aspiration, AspirationMessage, WhatsAppInbound

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 1024 * 1024  # Meta's deliveries are a few kB; anything bigger is not Meta
TIMEOUT = (5, 20)  # seconds to connect, seconds between bytes: keeps the webhook's answer within Meta's patience
WINDOW = timedelta(hours=24)  # free-form messages only this long after the resident's last message
SAME_ASPIRATION_WITHIN = timedelta(minutes=30)  # a message this soon after a new one adds to it (text, then photo)
TEXT_MAX = 4096  # characters of a text message's body
TEMPLATE_PARAM_MAX = 900  # a template's body is at most 1024 characters, its own words included
MEDIA_TYPES = ("image", "document")
SILENT_TYPES = ("reaction", "system")  # not something the resident wrote to us: recorded, never answered
CODE_IN_TEXT = re.compile(r"\bASP[\s-]*[0-9A-Z]{5}[\s-]*[0-9A-Z]{5}\b", re.IGNORECASE)
TRAILING_LINK = re.compile(r"\s*(https?://\S+)\s*$")
DELIVERY_RANK = {"sent": 1, "delivered": 2, "read": 3}  # statuses may arrive out of order; never step back

Delivery = AspirationMessage.Delivery


class MediaUnavailable(Exception):
    """Graph would not give the file (expired, down, or not what its metadata promised)."""


# --- the webhook ----------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request):
    """Meta's verification handshake (GET) and its signed deliveries of messages and statuses (POST)."""
    if request.method == "GET":
        return _handshake(request)
    declared = request.META.get("CONTENT_LENGTH") or ""
    if (declared.isdigit() and int(declared) > MAX_WEBHOOK_BYTES) or len(request.body) > MAX_WEBHOOK_BYTES:
        return HttpResponse(status=413)
    body = request.body
    if not _signed(body, request.headers.get("X-Hub-Signature-256", "")):
        logger.warning("WhatsApp webhook refused: missing or bad X-Hub-Signature-256 (from %s)",
                       request.META.get("REMOTE_ADDR"))
        return HttpResponseForbidden()
    try:
        payload = json.loads(body)
    except ValueError:
        logger.warning("WhatsApp webhook refused: signed body is not JSON")
        return HttpResponseBadRequest()
    if not isinstance(payload, dict):
        logger.warning("WhatsApp webhook refused: signed body is not a JSON object")
        return HttpResponseBadRequest()
    for value in _values(payload):
        names = {contact.get("wa_id"): str((contact.get("profile") or {}).get("name") or "")
                 for contact in _dicts(value.get("contacts"))}
        for message in _dicts(value.get("messages")):
            _handle_message(message, names)
        for status in _dicts(value.get("statuses")):
            _handle_status(status)
    return HttpResponse(status=200)


def _handshake(request):
    expected = settings.WHATSAPP_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if (request.GET.get("hub.mode") == "subscribe" and expected
            and hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    logger.warning("WhatsApp webhook verification refused (from %s)", request.META.get("REMOTE_ADDR"))
    return HttpResponseForbidden()


def _signed(body, header):
    """Whether ``header`` is ``sha256=`` and the HMAC-SHA256 of the raw body with the app secret (no secret: never)."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.encode("utf-8", "replace"))


def _dicts(value):
    """The objects of a JSON list (anything else: none), so that an odd delivery is skipped, not a 500."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _values(payload):
    """Each ``value`` of the ``messages`` changes addressed to SIAP's own number."""
    if payload.get("object") != "whatsapp_business_account":
        return []
    found = []
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            number = (value.get("metadata") or {}).get("phone_number_id")
            if settings.WHATSAPP_PHONE_NUMBER_ID and number != settings.WHATSAPP_PHONE_NUMBER_ID:
                logger.warning("WhatsApp webhook: change for another number (%s) skipped", number)
                continue
            found.append(value)
    return found


# --- a resident's message -----------------------------------------------------------------


def _handle_message(message, names):
    """One message, once: downloaded outside the transaction, then claimed and routed in one."""
    wamid, wa_id, kind = message.get("id"), message.get("from"), str(message.get("type") or "")
    if not (isinstance(wamid, str) and wamid and isinstance(wa_id, str) and wa_id):
        logger.warning("WhatsApp webhook: message without id or sender skipped")
        return
    if WhatsAppInbound.objects.filter(wamid=wamid).exists():
        return  # a replay: not even the media is fetched again
    body = message.get(kind) if isinstance(message.get(kind), dict) else {}
    text = str(body.get("body" if kind == "text" else "caption") or "").strip()
    attachments, problem, error = [], None, ""
    if kind in MEDIA_TYPES:
        try:
            attachments.append(clean_attachment(_download(body, kind)))
        except ValidationError as refused:
            problem, error = "refused", " ".join(refused.messages)
        except (MediaUnavailable, requests.RequestException) as failure:
            problem, error = "unavailable", f"media: {failure}"
            logger.warning("WhatsApp media of %s not downloaded: %s", wamid, failure)
    elif kind != "text" and kind not in SILENT_TYPES:
        problem = "unsupported"

    with transaction.atomic():
        try:
            with transaction.atomic():
                inbound = WhatsAppInbound.objects.create(
                    wamid=wamid[:200], wa_id=wa_id[:30], kind=kind[:20], sent_at=_timestamp(message.get("timestamp")),
                    error=error,
                )
        except IntegrityError:
            return  # the same message, handled at this moment by another delivery of the webhook
        aspiration = None
        if text or attachments:
            aspiration = _route(wa_id, names.get(wa_id, ""), wamid, text, attachments)
            inbound.aspiration = aspiration
            inbound.save(update_fields=["aspiration"])
        if problem:
            notice = _notice(problem, error, aspiration)
            transaction.on_commit(lambda: _tell(inbound.pk, wa_id, notice))


def _route(wa_id, name, wamid, text, attachments):
    """A reply to the aspiration the resident is asked about or names by code, else a new aspiration."""
    aspiration = _named_by_code(wa_id, text) or _awaiting_reply(wa_id) or _just_sent(wa_id)
    if aspiration is not None:
        services.receive_reply(aspiration, channel=Aspiration.Channel.WHATSAPP, text=text, attachments=attachments,
                               external_id=wamid)
        return aspiration
    text = text or _("(Lampiran dikirim melalui WhatsApp tanpa keterangan.)")
    return services.receive(channel=Aspiration.Channel.WHATSAPP, subject=text.splitlines()[0][:80], text=text,
                            name=name, wa_id=wa_id, phone=f"+{wa_id}", attachments=attachments, external_id=wamid)


def _awaiting_reply(wa_id):
    """The sender's aspiration that waits for their word: asked for information, or answered and not yet reopened
    (after its one reopening, a new message is a new aspiration)."""
    waiting = Q(status=Aspiration.Status.NEEDS_INFO) | Q(status=Aspiration.Status.ANSWERED, reopened_at__isnull=True)
    return Aspiration.objects.filter(waiting, wa_id=wa_id).order_by("-received_at", "-pk").first()


def _just_sent(wa_id):
    """The sender's aspiration received minutes ago and not yet verified: residents send the text, then the photo,
    as separate messages, and they belong together."""
    since = timezone.now() - SAME_ASPIRATION_WITHIN
    return (Aspiration.objects.filter(wa_id=wa_id, status=Aspiration.Status.RECEIVED, received_at__gte=since)
            .order_by("-received_at", "-pk").first())


def _named_by_code(wa_id, text):
    """The aspiration a tracking code in ``text`` names, when it is this sender's (a code is not a password)."""
    for candidate in CODE_IN_TEXT.findall(text):
        aspiration = services.find_by_code(candidate)
        if aspiration is not None and aspiration.wa_id == wa_id:
            return aspiration
    return None


def _timestamp(value):
    try:
        return datetime.fromtimestamp(int(value), tz=dt_timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _notice(problem, error, aspiration):
    accepted = _("Yang dapat kami terima: pesan teks, foto (JPEG atau PNG) dan dokumen PDF.")
    if problem == "unsupported":
        return _("Maaf, jenis pesan ini belum dapat kami terima.") + " " + accepted
    if problem == "refused":
        notice = _("Maaf, lampiran Anda tidak dapat kami terima: %(reason)s") % {"reason": error} + " " + accepted
    else:
        notice = _("Maaf, lampiran Anda gagal kami unduh.")
    if aspiration is not None:
        again = _("Silakan kirim ulang lampiran dengan menuliskan kode %(code)s sebagai keterangannya.")
        return notice + " " + again % {"code": aspiration.code}
    return notice + " " + _("Silakan kirim ulang.")


def _tell(inbound_pk, wa_id, text):
    """A direct reply about the message itself; a failure is left on the inbound row for the desk."""
    try:
        _post_message(_text_payload(wa_id, text))
    except (requests.RequestException, ImproperlyConfigured) as failure:
        logger.warning("WhatsApp notice to the sender of inbound %s not sent: %s", inbound_pk, failure)
        row = WhatsAppInbound.objects.get(pk=inbound_pk)
        row.error = "\n".join(filter(None, [row.error, f"notice: {failure}"]))
        row.save(update_fields=["error"])


# --- media --------------------------------------------------------------------------------


def _download(body, kind):
    """The file a media message carries, as an upload for ``clean_attachment`` (two Graph calls, size-capped)."""
    media_id = body.get("id")
    if not isinstance(media_id, str) or not media_id.isalnum():
        raise MediaUnavailable("no media id")
    limit = settings.SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES
    meta = requests.get(f"{_graph_url()}/{media_id}", headers=_auth(), timeout=TIMEOUT)
    _raise_for_graph(meta)
    meta = meta.json()
    if not isinstance(meta, dict) or not isinstance(meta.get("url"), str):
        raise MediaUnavailable("media metadata without url")
    if isinstance(meta.get("file_size"), int) and meta["file_size"] > limit:
        _refuse_size(meta["file_size"], limit)
    content = bytearray()
    with requests.get(meta["url"], headers=_auth(), timeout=TIMEOUT, stream=True) as response:
        _raise_for_graph(response)
        for chunk in response.iter_content(64 * 1024):
            content += chunk
            if len(content) > limit:
                _refuse_size(len(content), limit)
    expected = meta.get("sha256") or body.get("sha256")
    if expected and not _same_digest(bytes(content), expected):
        raise MediaUnavailable("sha256 does not match")
    name = body.get("filename") if kind == "document" and isinstance(body.get("filename"), str) else ""
    return SimpleUploadedFile(name[:100] or f"whatsapp-{media_id}", bytes(content),
                              content_type=str(meta.get("mime_type") or body.get("mime_type") or ""))


def _refuse_size(size, limit):
    raise ValidationError(_("Berkas terlalu besar (%(size)s); batasnya %(limit)s.")
                          % {"size": filesizeformat(size), "limit": filesizeformat(limit)}, code="too_large")


def _same_digest(content, expected):
    """Graph gives the SHA-256 as hex (media endpoint) or base64 (webhook); either must match."""
    digest = hashlib.sha256(content).digest()
    return expected.strip() in (digest.hex(), base64.b64encode(digest).decode())


# --- statuses of SIAP's messages ---------------------------------------------------------------


def _handle_status(status):
    """Graph's report on a message SIAP sent: sent, delivered, read or failed; ids SIAP never sent are ignored."""
    wamid, state = status.get("id"), status.get("status")
    if not isinstance(wamid, str) or not wamid or state not in (*DELIVERY_RANK, "failed"):
        return
    at = _timestamp(status.get("timestamp")) or timezone.now()
    with transaction.atomic():
        message = (AspirationMessage.objects.select_for_update()
                   .filter(external_id=wamid, direction=AspirationMessage.Direction.OUT,
                           channel=Aspiration.Channel.WHATSAPP).first())
        if message is None:
            return
        current = DELIVERY_RANK.get(message.delivery, 0)
        if state == "failed":
            if current >= DELIVERY_RANK["delivered"]:
                return
            message.delivery = Delivery.FAILED
            message.error = "; ".join(
                f"{error.get('code', '')} {error.get('title') or error.get('message') or ''}".strip()
                for error in _dicts(status.get("errors"))
            )[:2000] or "failed"
        elif DELIVERY_RANK[state] > current:
            if state == "delivered" or message.delivery != Delivery.DELIVERED:
                message.delivered_at = at
            message.delivery = state
        else:
            return
        message.save(update_fields=["delivery", "delivered_at", "error"])


# --- sending ----------------------------------------------------------------------------------


def deliver(message):
    """Send ``message`` to the resident; return Graph's wamid; raise on failure (``tasks.deliver_message`` retries).

    Within 24 hours of the resident's last message a free-form text; after
    that WhatsApp only lets a business write with an approved template,
    whose one body parameter carries the text.
    """
    wa_id = message.aspiration.wa_id
    if _window_open(wa_id):
        payload = _text_payload(wa_id, message.text)
    else:
        payload = _template_payload(wa_id, message.text)
    return _post_message(payload)


def _window_open(wa_id):
    last = WhatsAppInbound.objects.filter(wa_id=wa_id).aggregate(last=Max(Coalesce("sent_at", "received_at")))["last"]
    return last is not None and timezone.now() - last < WINDOW


def _text_payload(wa_id, text):
    return {"messaging_product": "whatsapp", "recipient_type": "individual", "to": wa_id, "type": "text",
            "text": {"body": _fit(text, TEXT_MAX)}}


def _template_payload(wa_id, text):
    # a template parameter may hold no new line, no tab and no more than four spaces in a row (Graph error 132018)
    flat = re.sub(r" {4,}", "   ", re.sub(r"[\r\n\t]+", " ", text)).strip()
    return {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": wa_id, "type": "template",
        "template": {
            "name": settings.WHATSAPP_TEMPLATE_NAME,
            "language": {"code": settings.WHATSAPP_TEMPLATE_LANGUAGE},
            "components": [{"type": "body", "parameters": [{"type": "text", "text": _fit(flat, TEMPLATE_PARAM_MAX)}]}],
        },
    }


def _fit(text, limit):
    """``text`` cut to ``limit`` characters, keeping a tracking link at its end so the resident can read the rest."""
    if len(text) <= limit:
        return text
    link = TRAILING_LINK.search(text)
    if link and len(link.group(1)) < limit // 2:
        tail = f"… {link.group(1)}"
        return text[:link.start()][:limit - len(tail)].rstrip() + tail
    return text[:limit - 1].rstrip() + "…"


def _post_message(payload):
    if not settings.WHATSAPP_PHONE_NUMBER_ID or not settings.WHATSAPP_ACCESS_TOKEN:
        raise ImproperlyConfigured("WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_ACCESS_TOKEN are not set")
    response = requests.post(f"{_graph_url()}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages", json=payload,
                             headers=_auth(), timeout=TIMEOUT)
    _raise_for_graph(response)
    try:
        return response.json()["messages"][0]["id"]
    except (ValueError, KeyError, IndexError, TypeError) as odd:
        raise requests.RequestException(f"Graph API answered without a message id: {response.text[:300]}") from odd


def _graph_url():
    return settings.WHATSAPP_GRAPH_URL.rstrip("/")


def _auth():
    return {"Authorization": f"Bearer {settings.WHATSAPP_ACCESS_TOKEN}"}


def _raise_for_graph(response):
    """An HTTP error with Graph's own explanation (``error.message``, ``error.code``) in its text."""
    if response.ok:
        return
    try:
        error = response.json().get("error") or {}
        detail = f"{error.get('code', '')} {error.get('message', '')}".strip()
    except (ValueError, AttributeError):
        detail = response.text[:300]
    raise requests.HTTPError(f"Graph API {response.status_code}: {detail}", response=response)
