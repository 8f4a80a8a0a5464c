"""How SIAP writes back to a resident: through the channel the aspiration came by.

``send`` records the outgoing ``AspirationMessage`` inside the caller's
transaction and hands it to the worker after commit
(``tasks.deliver_message``): a rolled-back decision sends nothing, and a
mail server or the Graph API being down delays a message instead of
failing the desk's click. Each channel module delivers its own messages:
``mail.deliver`` (SMTP) and ``whatsapp.deliver`` (Cloud API). A web-form
aspiration is answered by e-mail when the resident gave an address, else by
WhatsApp to the mobile number given; the tracking page shows every status
and the answer whatever the channel.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Aspiration, AspirationMessage

Channel = Aspiration.Channel


def reply_channel(aspiration):
    """The channel a message to the resident goes through, or None when there is no way to reach them.

    The channel it came by first; a web-form aspiration by e-mail when one was
    given, else by WhatsApp to the mobile number given (as the approved
    template: the resident has not written to the number).
    """
    if aspiration.channel == Channel.WHATSAPP and aspiration.wa_id:
        return Channel.WHATSAPP
    if aspiration.email:
        return Channel.EMAIL
    if aspiration.wa_id:
        return Channel.WHATSAPP
    return None


def reachable(aspiration):
    """Whether this installation can write back to the resident at all (the form tells them to keep the code if not)."""
    channel = reply_channel(aspiration)
    return channel is not None and configured(channel)


def configured(channel):
    """Whether this installation can send through ``channel`` (an SMTP host; a WhatsApp number and token)."""
    if channel == Channel.EMAIL:
        return settings.SIAP_SEND_EMAIL
    return bool(settings.WHATSAPP_PHONE_NUMBER_ID and settings.WHATSAPP_ACCESS_TOKEN)


def send(aspiration, purpose, text):
    """Record a message to the resident and deliver it after commit; returns the message.

    Without a contact, or on an installation where the channel is not set up
    (the embedded demo), the message is recorded as not sent: the tracking
    page still shows the resident every status and the answer.
    """
    channel = reply_channel(aspiration)
    deliverable = channel is not None and configured(channel)
    message = AspirationMessage.objects.create(
        aspiration=aspiration, direction=AspirationMessage.Direction.OUT, channel=channel or aspiration.channel,
        purpose=purpose, text=text,
        delivery=AspirationMessage.Delivery.PENDING if deliverable else AspirationMessage.Delivery.NOT_SENT,
        error="" if deliverable or channel is None else _("Saluran %(channel)s belum dikonfigurasi.") % {
            "channel": Channel(channel).label},
    )
    if deliverable:
        transaction.on_commit(lambda: _queue(message.pk))
    return message


def _queue(message_pk):
    from ..tasks import deliver_message

    deliver_message.delay(message_pk)


def deliverer(channel):
    from . import mail, whatsapp

    return {Channel.EMAIL: mail.deliver, Channel.WHATSAPP: whatsapp.deliver}[channel]


def _tracking_link(aspiration):
    return f"{settings.SIAP_BASE_URL.rstrip('/')}{aspiration.tracking_url()}"


def receipt_text(aspiration):
    return _(
        "Terima kasih. Aspirasi Anda kepada DPRD Kota Balikpapan telah kami terima dengan kode pelacakan %(code)s. "
        "Simpan kode ini untuk melihat perkembangannya di %(link)s."
    ) % {"code": aspiration.code, "link": _tracking_link(aspiration)}


def info_request_text(aspiration):
    return _(
        "Aspirasi %(code)s: kami memerlukan keterangan tambahan sebelum dapat menindaklanjutinya:\n\n%(request)s\n\n"
        "Silakan balas pesan ini dalam 10 hari kerja."
    ) % {"code": aspiration.code, "request": aspiration.info_request}


def status_text(aspiration):
    latest = aspiration.timeline.order_by("-at", "-pk").first()
    note = f"\n\n{latest.public_note}" if latest is not None and latest.public_note else ""
    return _("Aspirasi %(code)s: %(status)s.%(note)s\n\nPerkembangan: %(link)s") % {
        "code": aspiration.code, "status": aspiration.get_status_display(), "note": note,
        "link": _tracking_link(aspiration),
    }


def answer_text(aspiration):
    return _(
        "Jawaban DPRD Kota Balikpapan atas aspirasi %(code)s:\n\n%(answer)s\n\n"
        "Bila masih ada yang perlu disampaikan, balas pesan ini dalam 10 hari kerja. %(link)s"
    ) % {"code": aspiration.code, "answer": aspiration.answer, "link": _tracking_link(aspiration)}
