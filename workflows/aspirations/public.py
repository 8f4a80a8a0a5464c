"""What guards the residents' public pages (the web form and the tracking page), which need no login.

- a request rate per client address (``SIAP_ASPIRATION_FORM_RATE`` for sending
  the form, ``SIAP_ASPIRATION_TRACK_RATE`` for looking up codes; ``project.throttling``);
- a honeypot field: a bot that fills it is told it succeeded, nothing is stored;
- the form's one-time token (``OnceOnlyForm``): without a user to tie a
  ``SubmissionReceipt`` to, the token is claimed in the cache, so a resent
  POST shows the first aspiration's code instead of creating a twin;
- the code of what was just sent is kept in the session, never in a URL.
"""

import logging

from django.conf import settings
from django.core.cache import cache

from project import throttling
from project.audit.middleware import client_address

from .channels import reachable
from .models import Aspiration, new_tracking_code

log = logging.getLogger(__name__)

FORM, TRACK = "aspiration_form", "aspiration_track"
RATES = {FORM: "SIAP_ASPIRATION_FORM_RATE", TRACK: "SIAP_ASPIRATION_TRACK_RATE"}
TOKEN_SECONDS = 24 * 3600
PENDING = 0  # a token's value while its aspiration is being made
SESSION_KEY = "aspiration_sent"
TOKENS_KEY = "aspiration_form_tokens"


def allowed(request, scope):
    """Whether this client address may send the form (or look up a code) once more now (the request is counted)."""
    return throttling.allowed(request, scope, RATES[scope])


def is_bot(form):
    """The honeypot: a field people never see (hidden, out of the tab order) that bots fill."""
    return bool(form.data.get(form.HONEYPOT, "").strip())


def pretend_success(request):
    """A bot filled the honeypot: answer as if it worked, with a code that names nothing; keep nothing."""
    log.warning("aspiration form: honeypot filled from %s; nothing stored", client_address(request))
    request.session[SESSION_KEY] = {"code": new_tracking_code()}


def _token_key(token):
    return f"aspirations:form-token:{token}"


def claim_token(request, token):
    """Claim the form's one-time token; ``None`` when it was free, else the pk of what it made (``PENDING`` while
    the first submission is still being handled).

    The cache catches a double click (two requests at once); the session
    remembers the tokens this browser already used, should the cache not be
    shared by every server process.
    """
    used = request.session.get(TOKENS_KEY, {}).get(token)
    if used:
        return used
    if cache.add(_token_key(token), PENDING, TOKEN_SECONDS):
        return None
    return cache.get(_token_key(token), PENDING)


def token_done(request, token, aspiration):
    cache.set(_token_key(token), aspiration.pk, TOKEN_SECONDS)
    used = request.session.get(TOKENS_KEY, {})
    used = dict(list(used.items())[-9:])  # the last ten are enough
    used[token] = aspiration.pk
    request.session[TOKENS_KEY] = used


def token_failed(token):
    cache.delete(_token_key(token))


def remember_sent(request, aspiration):
    request.session[SESSION_KEY] = {"pk": aspiration.pk}


def sent(request):
    """What the session says was just sent: ``(code, reachable)`` or ``None``."""
    value = request.session.get(SESSION_KEY) or {}
    if "pk" in value:
        aspiration = Aspiration.objects.filter(pk=value["pk"]).only("code", "channel", "email", "wa_id").first()
        if aspiration is not None:
            return aspiration.code, reachable(aspiration)
    if "code" in value:
        return value["code"], True
    return None


def too_large(request):
    """A request bigger than every allowed attachment together plus the text fields: refused before it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.SIAP_ASPIRATION_MAX_ATTACHMENTS * settings.SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES
    return length > limit + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
