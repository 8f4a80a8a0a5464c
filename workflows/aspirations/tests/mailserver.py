"""The real mail servers the e-mail channel's tests talk to, and the mails residents send.

IMAP is the Dovecot that ``tests/services/up.sh`` starts on 127.0.0.1:10143
(its login in ``tests/services/dovecot-users``); each test works in folders
of its own, removed afterwards, so tests (and concurrent runs) never see
each other's mail. SMTP is ``tests.smtp``'s aiosmtpd server (the
``smtp_server`` fixture of the root conftest).
"""

import os
import socket
import uuid
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from imap_tools import AND, MailBoxUnencrypted

IMAP_HOST = "127.0.0.1"
IMAP_PORT = int(os.environ.get("SIAP_TEST_IMAP_PORT", "10143"))
IMAP_USER, IMAP_PASSWORD = "aspirasi@test.local", "aspirasi-uji"
RESIDENT = "warga@example.org"  # a sender whose mail stays in a test's own folder


def require_dovecot():
    """Skip when Dovecot is not running; under ``make test`` (SIAP_REQUIRE_TOOLS) fail instead."""
    try:
        socket.create_connection((IMAP_HOST, IMAP_PORT), timeout=3).close()
    except OSError:
        where = f"Dovecot (IMAP) on {IMAP_HOST}:{IMAP_PORT}"
        if os.environ.get("SIAP_REQUIRE_TOOLS"):
            pytest.fail(f"{where} is not running (make test starts it: tests/services/up.sh)")
        pytest.skip(f"{where} is not running (tests/services/up.sh starts it)")


class OwnFolders:
    """The test's own part of the Dovecot mailbox: ``folder`` to read, ``done`` to move to, and ``resident``,
    a sender address of its own for what it puts in the shared INBOX."""

    def __init__(self):
        require_dovecot()
        prefix = f"t{uuid.uuid4().hex[:12]}"
        self.folder, self.done = f"{prefix}-masuk", f"{prefix}-selesai"
        self.resident = f"warga-{prefix}@example.org"
        with self.connect() as box:
            box.folder.create(self.folder)

    def connect(self):
        return MailBoxUnencrypted(IMAP_HOST, IMAP_PORT).login(IMAP_USER, IMAP_PASSWORD, initial_folder=None)

    def append(self, message, folder=None):
        with self.connect() as box:
            box.append(bytes(message), folder or self.folder)

    def messages(self, folder=None):
        """(uid, flags, subject) of every mail in the folder, headers only."""
        with self.connect() as box:
            if not box.folder.exists(folder or self.folder):
                return []
            box.folder.set(folder or self.folder)
            return [(m.uid, m.flags, m.subject) for m in box.fetch(AND(all=True), mark_seen=False, headers_only=True)]

    def remove(self):
        with self.connect() as box:
            box.folder.set("INBOX")
            left = box.uids(AND(from_=self.resident))
            if left:
                box.delete(left)
            for folder in (self.folder, self.done):
                if box.folder.exists(folder):
                    box.folder.delete(folder)


def resident_mail(subject="Jalan berlubang di Klandasan", text="Jalan di depan SD 012 berlubang besar.", *,
                  sender=RESIDENT, html=None, attachments=(), in_reply_to=None):
    """A mail as a resident's program writes it: text (and/or HTML), attachments as (name, bytes, media type)."""
    message = EmailMessage()
    message["From"] = f"Warga Klandasan <{sender}>"
    message["To"] = IMAP_USER
    if subject:
        message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="example.org")
    if in_reply_to:
        message["In-Reply-To"] = message["References"] = in_reply_to
    if text is not None:
        message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html") if text is not None else message.set_content(html, subtype="html")
    for name, content, media_type in attachments:
        maintype, subtype = media_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def nested_mail(levels):
    """A mail whose text sits ``levels`` multiparts deep (a parser bomb in small)."""
    part = "Content-Type: text/plain; charset=utf-8\r\n\r\nIsi di dasar.\r\n"
    for level in range(levels):
        boundary = f"lapis{level}"
        part = (f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
                f"--{boundary}\r\n{part}\r\n--{boundary}--\r\n")
    head = (f"From: Warga <{RESIDENT}>\r\nTo: {IMAP_USER}\r\nSubject: Bersarang\r\n"
            f"Message-ID: {make_msgid(domain='example.org')}\r\nMIME-Version: 1.0\r\n")
    return (head + part).encode()
