"""A local HTTP server that answers like Meta's Graph API for the three calls SIAP makes.

It is the one stand-in the WhatsApp tests use, because the real service is
outside this machine. It speaks the documented format and is strict where
Graph is: every call needs the bearer token (else 401, OAuthException 190);
``POST /{phone-number-id}/messages`` must be a well-formed text or template
message (else 400, as Graph answers a malformed one) and gets
``{"messages": [{"id": "wamid…"}]}``; ``GET /{media-id}`` gives
``{url, mime_type, sha256, file_size}`` whose ``url`` points back here and
also needs the bearer token.
"""

import hashlib
import itertools
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "v21.0"
TEXT_MAX = 4096
TEMPLATE_PARAM_MAX = 1024


class GraphStandIn:
    """The server, what it was sent (``sent``), and the media it serves (``add_media``)."""

    def __init__(self, *, token, phone_number_id, templates):
        self.token = token
        self.phone_number_id = phone_number_id
        self.templates = templates  # {name: language code} of the approved templates
        self.sent = []  # the message requests accepted, in order
        self.refused = []  # (status, body) of requests answered with an error
        self.media = {}  # media id -> (bytes, mime type)
        self.unavailable = set()  # media ids whose download answers 500 (Graph having a bad moment)
        self._ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def graph_url(self):
        return f"{self.base_url}/{VERSION}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def add_media(self, media_id, content, mime_type):
        self.media[media_id] = (content, mime_type)

    def new_wamid(self):
        return f"wamid.STANDIN{next(self._ids):06d}"

    def texts(self):
        return [message["text"]["body"] for message in self.sent if message["type"] == "text"]

    def templates_sent(self):
        return [message["template"] for message in self.sent if message["type"] == "template"]


def message_problem(message, standin):
    """What Graph would object to in a send request, or "" when it is well formed."""
    if not isinstance(message, dict):
        return "body is not a JSON object"
    if message.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if message.get("recipient_type", "individual") != "individual":
        return "recipient_type must be individual"
    if not re.fullmatch(r"\d{8,15}", str(message.get("to", ""))):
        return "to must be a phone number in international format"
    if message.get("type") == "text":
        body = (message.get("text") or {}).get("body")
        if not isinstance(body, str) or not body.strip() or len(body) > TEXT_MAX:
            return "text.body must be 1 to 4096 characters"
        return ""
    if message.get("type") == "template":
        template = message.get("template") or {}
        language = (template.get("language") or {}).get("code")
        if standin.templates.get(template.get("name")) != language:
            return "template name does not exist in the translation"  # Graph's error 132001
        components = template.get("components")
        if not isinstance(components, list) or [c.get("type") for c in components] != ["body"]:
            return "template needs exactly its body component"
        parameters = components[0].get("parameters")
        if not isinstance(parameters, list) or len(parameters) != 1 or parameters[0].get("type") != "text":
            return "the template body has one text parameter"  # Graph's error 132000
        text = parameters[0].get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > TEMPLATE_PARAM_MAX:
            return "parameter text must be 1 to 1024 characters"
        if re.search(r"[\n\t]| {5,}", text):
            return "Param text cannot have new-line/tab characters or more than 4 consecutive spaces"  # 132018
        return ""
    return "type must be text or template"


def _handler(standin):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass  # quiet test output

        def _json(self, status, data):
            body = json.dumps(data).encode()
            if status >= 400:
                standin.refused.append((status, data))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _error(self, status, message, code=100, kind="OAuthException"):
            self._json(status, {"error": {"message": message, "type": kind, "code": code}})

        def _authorised(self):
            if self.headers.get("Authorization") == f"Bearer {standin.token}":
                return True
            self._error(401, "Invalid OAuth access token - Cannot parse access token", code=190)
            return False

        def do_GET(self):
            if not self._authorised():
                return
            download = re.fullmatch(r"/download/(\w+)", self.path)
            if download and download.group(1) in standin.media:
                if download.group(1) in standin.unavailable:
                    return self._error(500, "An unexpected error has occurred. Please retry your request later.",
                                       code=2, kind="OAuthException")
                content, mime_type = standin.media[download.group(1)]
                self.send_response(200)
                self.send_header("Content-Type", mime_type)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
                return
            metadata = re.fullmatch(rf"/{VERSION}/(\w+)", self.path)
            if metadata and metadata.group(1) in standin.media:
                content, mime_type = standin.media[metadata.group(1)]
                return self._json(200, {
                    "messaging_product": "whatsapp", "url": f"{standin.base_url}/download/{metadata.group(1)}",
                    "mime_type": mime_type, "sha256": hashlib.sha256(content).hexdigest(),
                    "file_size": len(content), "id": metadata.group(1),
                })
            self._error(404, "Unsupported get request. Object does not exist", code=100, kind="GraphMethodException")

        def do_POST(self):
            if not self._authorised():
                return
            if self.path != f"/{VERSION}/{standin.phone_number_id}/messages":
                return self._error(404, "Unsupported post request.", kind="GraphMethodException")
            if "application/json" not in self.headers.get("Content-Type", ""):
                return self._error(400, "Content-Type must be application/json")
            try:
                message = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            except ValueError:
                return self._error(400, "(#100) Invalid JSON")
            problem = message_problem(message, standin)
            if problem:
                return self._error(400, f"(#100) {problem}")
            standin.sent.append(message)
            self._json(200, {"messaging_product": "whatsapp",
                             "contacts": [{"input": message["to"], "wa_id": message["to"]}],
                             "messages": [{"id": standin.new_wamid()}]})

    return Handler
