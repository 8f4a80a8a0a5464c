"""E-mail channel: residents' mails read from IMAP mailboxes by rules (as Paperless-ngx does), replies sent by SMTP.

Each mail is handled exactly once, whatever crashes where:

1. its ``ProcessedMail`` row (account, folder, UIDVALIDITY, UID, Message-ID)
   is committed first, as PROCESSING — a mail seen again (same UID, or the
   same Message-ID under another UID) finds it;
2. the aspiration (or the reply) and the row's DONE are one transaction,
   taken under a lock on the row: a PROCESSING row therefore means nothing
   was made yet, and a later run (or a second worker) makes it then;
3. the rule's action (mark read, move) runs last; a mail whose row is DONE
   or REFUSED but which is still there gets only the action.

A mail that fails for a reason of its own (an unexpected error) is marked
FAILED and left in the mailbox for an operator (the admin's "proses ulang"
hands it to the next check); the mail server failing leaves the row
PROCESSING, to be taken again next time. A refused mail (too deep, too
large, empty, an automatic reply) is REFUSED with the reason and gets the
rule's action like any handled mail.
"""

import imaplib
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from email.utils import make_msgid, parseaddr
from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from imap_tools import AND, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags
from imap_tools.errors import ImapToolsError
from imap_tools.message import MailAttachment

from .. import services
from ..attachments import clean_attachments
from ..models import Aspiration, AspirationMessage, MailAccount, MailRule, ProcessedMail
from . import send

log = logging.getLogger(__name__)

Status = ProcessedMail.Status
MAIL_SERVER_ERRORS = (ImapToolsError, imaplib.IMAP4.error, OSError)
IMAP_TIMEOUT = 60  # seconds: a stuck server must not hold the worker
MAX_MIME_DEPTH = 20  # real mail nests a few levels; more is a parser bomb
MAX_MIME_PARTS = 100
CODE_IN_SUBJECT = re.compile(r"ASP-?[0-9A-Z]{5}-?[0-9A-Z]{5}", re.IGNORECASE)
MESSAGE_IDS = re.compile(r"<[^<>\s]+>")


class Refused(Exception):
    """A mail that will not become an aspiration; the message (Indonesian) is stored on its row."""


@dataclass
class Incoming:
    """What a mail says, read and cleaned, ready for ``services``."""

    sender: str
    name: str
    subject: str
    text: str
    message_id: str
    references: list
    attachments: list = field(default_factory=list)  # (file, media_type), cleaned
    refused: list = field(default_factory=list)  # why each refused attachment was


# --- reading the mailboxes ------------------------------------------------------------------


def check_all_accounts():
    """Read every enabled mailbox once (the worker's beat, ``manage.py check_mailboxes``); return what happened."""
    summary = Counter()
    for account in MailAccount.objects.filter(enabled=True).order_by("pk"):
        summary.update(check_account(account))
    return dict(summary)


def check_account(account):
    """Apply the account's rules in order; a mail server failure ends this account's run and is kept on it."""
    counts = Counter(accounts=1)
    error = ""
    try:
        with _connect(account) as mailbox:
            for rule in account.rules.filter(enabled=True).order_by("order", "pk"):
                counts.update(_apply_rule(mailbox, rule))
    except MAIL_SERVER_ERRORS as failure:
        error = _("Kotak surel tidak dapat dibaca: %(error)s") % {"error": failure}
        log.warning("mailbox %s: %s", account.name, failure)
        counts["account_errors"] += 1
    MailAccount.objects.filter(pk=account.pk).update(last_checked_at=timezone.now(), last_error=error)
    return counts


def _connect(account):
    """Logged in, no folder selected yet: each rule selects its own."""
    Security = MailAccount.Security
    kind = {Security.SSL: MailBox, Security.STARTTLS: MailBoxStartTls}.get(account.imap_security, MailBoxUnencrypted)
    return kind(account.imap_server, account.imap_port, timeout=IMAP_TIMEOUT).login(
        account.username, account.password, initial_folder=None)


def _apply_rule(mailbox, rule):
    """The rule's folder: the matching mails' headers first, then each one handled (bodies fetched one at a time)."""
    mailbox.folder.set(rule.folder)
    uid_validity = str(mailbox.folder.status(rule.folder, ["UIDVALIDITY"])["UIDVALIDITY"])
    if rule.action == MailRule.Action.MOVE and not mailbox.folder.exists(rule.action_parameter):
        mailbox.folder.create(rule.action_parameter)
    headers = list(mailbox.fetch(_criteria(rule), charset="UTF-8", mark_seen=False, headers_only=True))
    counts = Counter()
    for header in headers:
        outcome = _handle(mailbox, rule, uid_validity, header)
        log.info("mailbox %s, folder %s, UID %s: %s", rule.account.name, rule.folder, header.uid, outcome)
        counts[outcome] += 1
    return counts


def _criteria(rule):
    """Like Paperless: a mark-read rule looks at unread mail only (a move rule empties its folder anyway)."""
    terms = {"from_": rule.filter_from, "subject": rule.filter_subject}
    terms = {name: value for name, value in terms.items() if value}
    if rule.action == MailRule.Action.MARK_READ:
        terms["seen"] = False
    return AND(**terms) if terms else AND(all=True)


def _handle(mailbox, rule, uid_validity, header):
    """One mail: made unless its row says it was; the rule's action whenever it was handled (again after a crash)."""
    row = _claim(rule, uid_validity, header)
    outcome = "seen_before"
    if row.status == Status.PROCESSING:
        outcome = _process(mailbox, rule, row, header)
    if row.status == Status.FAILED:
        return "failed"
    if row.status != Status.PROCESSING:
        _after_action(mailbox, rule, header.uid)
    return outcome


def _claim(rule, uid_validity, header):
    """The mail's row: one an earlier run wrote (same UID, or same Message-ID elsewhere), or a new one, committed."""
    message_id = _message_id(header)[:998]
    same = Q(folder=rule.folder, uid_validity=uid_validity, uid=header.uid)
    if message_id:
        same |= Q(message_id=message_id)
    found = ProcessedMail.objects.filter(same, account=rule.account).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ProcessedMail.objects.create(
                account=rule.account, rule=rule, folder=rule.folder, uid_validity=uid_validity, uid=header.uid,
                message_id=message_id, sender=header.from_[:300], subject=header.subject[:300],
            )
    except IntegrityError:  # another worker claimed it between the lookup and the insert
        return ProcessedMail.objects.filter(same, account=rule.account).first()


def _process(mailbox, rule, row, header):
    """Make what the mail asks for; a refusal or an error of the mail's own is recorded on its row."""
    try:
        if header.size_rfc822 > _max_mail_bytes():
            raise Refused(_("Surel terlalu besar (%(size)s); batasnya %(limit)s.") % {
                "size": filesizeformat(header.size_rfc822), "limit": filesizeformat(_max_mail_bytes())})
        message = _fetch(mailbox, header.uid)
        if message is None:
            return "gone"  # moved away meanwhile; its Message-ID finds this row where it went
        return _make(rule, row, read(message))
    except MAIL_SERVER_ERRORS:
        raise  # the row stays PROCESSING: the next run takes the mail again
    except Refused as refusal:
        _finish(row, Status.REFUSED, str(refusal))
        log.warning("mail UID %s (processed mail %s) refused: %s", row.uid, row.pk, refusal)
        return "refused"
    except Exception as error:  # noqa: BLE001 - a mail of its own making must not stop the mailbox
        log.exception("mail UID %s (processed mail %s) failed", row.uid, row.pk)
        _finish(row, Status.FAILED, _("Gagal diproses: %(error)s") % {"error": error})
        return "failed"


def _fetch(mailbox, uid):
    """The whole mail, parsed; Python's parser recurses, so a mail nested past its stack is refused as too deep."""
    try:
        return next(mailbox.fetch(uid_list=[uid], mark_seen=False), None)
    except RecursionError:
        raise _too_deep() from None


def _too_deep():
    return Refused(_("Struktur MIME surel terlalu dalam (lebih dari %(depth)d tingkat).") % {"depth": MAX_MIME_DEPTH})


def _max_mail_bytes():
    """The largest mail worth downloading: every allowed attachment at its limit, base64-encoded, and a body."""
    attachments = settings.SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES * settings.SIAP_ASPIRATION_MAX_ATTACHMENTS
    return attachments * 4 // 3 + 1024 * 1024


def _finish(row, status, error):
    """Only a row still PROCESSING: a second worker may have finished the mail meanwhile."""
    ProcessedMail.objects.filter(pk=row.pk, status=Status.PROCESSING).update(
        status=status, error=error, processed_at=timezone.now())
    row.refresh_from_db()


def _make(rule, row, incoming):
    """The aspiration (or the reply) and the row's DONE, in one transaction under the row's lock."""
    with transaction.atomic():
        locked = ProcessedMail.objects.select_for_update().get(pk=row.pk)
        if locked.status != Status.PROCESSING:  # another worker made it while this one read the mail
            row.status = locked.status
            return "seen_before"
        aspiration = _replied_to(incoming)
        outcome = "aspiration" if aspiration is None else "reply"
        if aspiration is not None:
            services.receive_reply(aspiration, channel=Aspiration.Channel.EMAIL, text=incoming.text,
                                   attachments=incoming.attachments, external_id=incoming.message_id)
        else:
            aspiration = services.receive(
                channel=Aspiration.Channel.EMAIL, category=rule.category, subject=incoming.subject,
                text=incoming.text, name=incoming.name, email=incoming.sender, attachments=incoming.attachments,
                external_id=incoming.message_id,
            )
        _tell_refused_attachments(aspiration, incoming.refused)
        locked.status, locked.aspiration, locked.processed_at = Status.DONE, aspiration, timezone.now()
        locked.error = "\n".join(incoming.refused)
        locked.save(update_fields=["status", "aspiration", "processed_at", "error"])
    row.status = Status.DONE
    return outcome


def _replied_to(incoming):
    """The aspiration a mail answers (threaded to our mail, or its code in the subject) if the sender is its resident."""
    aspiration = None
    if incoming.references:
        ours = AspirationMessage.objects.filter(direction=AspirationMessage.Direction.OUT)
        sent = ours.filter(external_id__in=incoming.references).select_related("aspiration").first()
        aspiration = sent.aspiration if sent is not None else None
    if aspiration is None:
        code = CODE_IN_SUBJECT.search(incoming.subject)
        aspiration = services.find_by_code(code.group()) if code else None
    if aspiration is None or not incoming.sender or aspiration.email.casefold() != incoming.sender.casefold():
        return None  # someone else quoting a code starts an aspiration of their own
    return aspiration


def _tell_refused_attachments(aspiration, refused):
    """The aspiration is kept without them; the resident learns which and may send them again by replying."""
    if refused:
        text = _("Aspirasi %(code)s: lampiran berikut tidak kami terima:\n%(files)s\n\n"
                 "Lampiran yang diterima hanya PDF, JPEG atau PNG. Silakan kirim ulang dengan membalas surel ini.") % {
            "code": aspiration.code, "files": "\n".join(f"- {reason}" for reason in refused)}
        send(aspiration, AspirationMessage.Purpose.STATUS, text)


def _after_action(mailbox, rule, uid):
    """Mark read or move: after the aspiration committed, or on a later run when a crash came in between."""
    if rule.action == MailRule.Action.MOVE:
        mailbox.move(uid, rule.action_parameter)
    else:
        mailbox.flag(uid, MailMessageFlags.SEEN, True)


# --- what a mail says ------------------------------------------------------------------------


def read(message):
    """An ``Incoming`` from an imap-tools message, or ``Refused`` saying why it cannot be one."""
    if message.headers.get("auto-submitted", ("no",))[0].strip().lower() != "no":
        raise Refused(_("Surel balasan otomatis (Auto-Submitted) tidak diproses."))
    parts = _leaves(message.obj)
    text = _body(parts)
    uploads = _uploads(parts)
    subject = " ".join(message.subject.split())
    if not (text or subject or uploads):
        raise Refused(_("Surel kosong: tanpa perihal, isi, maupun lampiran."))
    address = message.from_values.email if message.from_values else ""
    incoming = Incoming(
        sender=address if _valid_address(address) else "", name=message.from_values.name if address else "",
        subject=subject or _("(tanpa perihal)"), text=text or _("(tanpa isi)"),
        message_id=_message_id(message), references=_references(message),
    )
    incoming.attachments, incoming.refused = _clean(uploads)
    return incoming


def _valid_address(address):
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def _header(message, name):
    return " ".join(" ".join(message.headers.get(name, ())).split())


def _message_id(message):
    found = MESSAGE_IDS.search(_header(message, "message-id"))
    return found.group() if found else ""


def _references(message):
    return MESSAGE_IDS.findall(f"{_header(message, 'in-reply-to')} {_header(message, 'references')}")


def _leaves(root):
    """The MIME tree's leaf parts in order, walked without recursion; too deep or too many parts is refused."""
    leaves, stack = [], [(root, 0)]
    while stack:
        part, depth = stack.pop()
        if depth > MAX_MIME_DEPTH:
            raise _too_deep()
        if part.is_multipart():
            stack.extend((child, depth + 1) for child in reversed(part.get_payload()))
        else:
            leaves.append(part)
        if len(leaves) + len(stack) > MAX_MIME_PARTS:
            raise Refused(_("Surel memuat terlalu banyak bagian (lebih dari %(count)d).") % {"count": MAX_MIME_PARTS})
    return leaves


def _is_text(part, content_type):
    return (part.get_content_type() == content_type and part.get_content_disposition() != "attachment"
            and not part.get_filename())


def _body(parts):
    """The text/plain body, else the HTML body as plain text; "" when the mail has neither."""
    for content_type, as_text in (("text/plain", str), ("text/html", html_to_text)):
        bodies = [part for part in parts if _is_text(part, content_type)]
        if bodies:
            return _normalised(as_text(_decoded(bodies[0])))
    return ""


def _decoded(part):
    payload = part.get_payload(decode=True) or b""
    try:
        return payload.decode(part.get_content_charset() or "utf-8", "replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", "replace")


def _normalised(text):
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _uploads(parts):
    """Every part that is not a text body, as an upload for ``clean_attachments``."""
    uploads = []
    for number, part in enumerate(parts, start=1):
        if _is_text(part, "text/plain") or _is_text(part, "text/html"):
            continue
        content = part.get_payload(decode=True)
        if content:
            name = MailAttachment(part).filename or _("lampiran-%(number)d") % {"number": number}
            uploads.append(SimpleUploadedFile(name[:200], content, part.get_content_type()))
    return uploads


def _clean(uploads):
    """Each attachment cleaned on its own: the good ones are kept, each refused one says why."""
    limit = settings.SIAP_ASPIRATION_MAX_ATTACHMENTS
    kept, refused = [], []
    for upload in uploads[:limit]:
        try:
            kept.extend(clean_attachments([upload]))
        except ValidationError as refusal:
            refused.append(" ".join(refusal.messages))
    refused += [_("%(name)s: melebihi batas %(count)d lampiran.") % {"name": upload.name, "count": limit}
                for upload in uploads[limit:]]
    return kept, refused


class _TextOfHtml(HTMLParser):
    """The words of an HTML mail: tags never reach the text, nor what scripts, styles and templates hold."""

    HIDDEN = {"script", "style", "title", "template"}
    BREAKS = {"br", "p", "div", "li", "tr", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.words.append("\n")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BREAKS:
            self.words.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.words.append(data)


def html_to_text(html):
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    return "".join(parser.words)


# --- writing to residents ------------------------------------------------------------------


def deliver(message):
    """Send one message to the resident by SMTP; its Message-ID is returned (the external_id) so replies thread back."""
    aspiration = message.aspiration
    sender = _reply_from()
    message_id = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    headers = {"Message-ID": message_id}
    original = aspiration.messages.filter(direction=AspirationMessage.Direction.IN, channel=Aspiration.Channel.EMAIL,
                                          purpose=AspirationMessage.Purpose.ORIGINAL).exclude(external_id="").first()
    if original is not None:  # the resident's mail program shows our mails in their thread
        headers["In-Reply-To"] = headers["References"] = original.external_id
    EmailMessage(subject=mail_subject(aspiration), body=message.text, from_email=sender, to=[aspiration.email],
                 headers=headers).send()
    return message_id


def mail_subject(aspiration):
    """The code always; the subject too unless the aspiration is *rahasia* (mail subjects show in every inbox list)."""
    if aspiration.confidential:
        return f"[{aspiration.code}]"
    return f"[{aspiration.code}] {' '.join(aspiration.subject.split())}"


def _reply_from():
    accounts = MailAccount.objects.filter(enabled=True).exclude(reply_from="").order_by("pk")
    return accounts.values_list("reply_from", flat=True).first() or settings.DEFAULT_FROM_EMAIL
