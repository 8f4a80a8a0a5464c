"""A real SMTP server for tests that send mail: aiosmtpd on loopback, in the test process, on a free port.

Django's SMTP backend talks to it as to any mail server; ``.handler.messages``
are the mails it received, parsed.
"""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


def start_smtp_server():
    """An aiosmtpd server on loopback; ``.handler.messages`` are the mails it received."""
    controller = Controller(_Collector(), hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
