"""Settings for Involvement Hub, read from the environment (django-environ).

ENVIRONMENT chooses the defaults: `development` (the default) and `test` get safe local
defaults; `production` has none for secrets and stops with a plain message naming every
missing variable. Every variable is listed in `.env.example` and in the README.
"""

import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from involvement import permissions_policy
from involvement.schedule import beat_schedule

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ENVIRONMENT = env.str("ENVIRONMENT", default="development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise SystemExit(f"ENVIRONMENT must be development, test or production (it is {ENVIRONMENT!r}).")
PRODUCTION = ENVIRONMENT == "production"

# In production these have no default: a missing one stops start-up with a message that
# names it, rather than a traceback or, worse, a silent development default.
_required_in_production = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"]
if PRODUCTION:
    _missing_variables = [name for name in _required_in_production if not env.str(name, default="")]
    if _missing_variables:
        sys.stderr.write(
            "Involvement Hub cannot start: set these environment variables for production: "
            + ", ".join(_missing_variables)
            + " (see .env.example and the README's configuration table).\n"
        )
        raise SystemExit(1)

_dev = not PRODUCTION
SECRET_KEY = env.str(
    "SECRET_KEY", default="django-insecure-development-only-key-do-not-use-in-production" if _dev else ""
)
DEBUG = env.bool("DEBUG", default=ENVIRONMENT == "development")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if _dev else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, with its answers to hostile input made 4xx (involvement/admin_site.py).
    "involvement.admin_site.InvolvementAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Signed-in devices, each of which a person can end (issue 16, item 6).
    "allauth.usersessions",
    "csp",
    "involvement",
    # The apps in their order of dependence, bottom to top (docs/architecture.md).
    "catalogue",
    "accounts",
    "notifications",
    "opportunities",
    "feedback",
    "payments",
    "records",
    "charter",
    "home",
    "dashboard",
    "privacy",
    # Demo data and `seed_demo`, on top of everything; nothing in the product imports it.
    "demo",
]

MIDDLEWARE = [
    # First, so that its header is on every response: static files, redirects and errors too.
    "involvement.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # TRACE and other methods no page uses: 405 before any view (or static file) is reached.
    "involvement.middleware.AllowedMethodsMiddleware",
    # A null character in the address or query string: 400 (PostgreSQL cannot compare it).
    "involvement.request_guards.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in pages, account pages and downloads: Cache-Control: no-store, private.
    "involvement.middleware.PrivatePagesNotCachedMiddleware",
    # Secure by default: every page needs a log-in unless its view opts out.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle (by role) and absolute session timeouts, then the devices page's "last seen".
    "accounts.sessions.SessionTimeoutMiddleware",
    "accounts.sessions.DeviceActivityMiddleware",
    # Role changes know who made them; protected pages refused are written down.
    "accounts.access_log.AccessLogMiddleware",
    # A GET to a POST-only address gets our 405 page rather than an empty one.
    "involvement.error_pages.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
    "accounts.middleware.OnboardingMiddleware",
]

ROOT_URLCONF = "involvement.urls"
WSGI_APPLICATION = "involvement.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://localhost/involvement")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://localhost:6379/0")
# A shared cache: allauth's rate limits count across every web process only if the
# cache is shared, so it lives in Redis, never in a per-process memory cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "involvement",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail is the log-in, verification is mandatory, and a one-time code by
# e-mail is offered beside the password because a password is a barrier for some people.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_ADAPTER = "notifications.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Involvement Hub: "
ACCOUNT_RATE_LIMITS_ENABLED = True  # allauth's defaults, counted in the shared Redis cache
# Behind a proxy every request comes from the proxy's address, so the per-address limits
# would lock out everyone at once. allauth then takes the client's address from
# X-Forwarded-For, counting this many proxies back from the end (each proxy appends the
# address it saw). 0 ignores the header, which anyone can forge: only count proxies that are
# the sole way in. Production runs behind one by default (README, "Running in production").
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if PRODUCTION else 0)
# A password reset or log-in code asked for an address with no account sends nothing (not
# even "you have no account"): the page says the same either way, and nobody can use the
# form to send e-mail to a stranger.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Involvement Hub"
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=PRODUCTION)

# Sessions end after a period of inactivity, shorter for staff, who can read people's
# personal data; and 12 hours after logging in whatever happens (accounts.sessions).
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=60)
SESSION_IDLE_TIMEOUT_STAFF_MINUTES = env.int("SESSION_IDLE_TIMEOUT_STAFF_MINUTES", default=15)
SESSION_ABSOLUTE_TIMEOUT_HOURS = env.int("SESSION_ABSOLUTE_TIMEOUT_HOURS", default=12)
# The cookie's age before the middleware sets each session's own: the longer idle timeout.
SESSION_COOKIE_AGE = max(SESSION_IDLE_TIMEOUT_MINUTES, SESSION_IDLE_TIMEOUT_STAFF_MINUTES) * 60
# The devices page (allauth.usersessions) shows when and from where each was last used.
USERSESSIONS_TRACK_ACTIVITY = True
# Changing an e-mail address asks for the password again, as two-factor changes already do
# (allauth's MFA_REAUTHENTICATION_REQUIRED defaults to true); changing the password asks for
# the current one.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Not on every request: accounts.sessions renews an active session (its cookie and idle clock)
# once a minute, which spares every signed-in page a savepoint, an UPDATE and a release.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# NHS.UK wording for allauth's pages, labels, errors and messages ("Log in", not "Sign In"),
# as an English-to-English catalogue that overrides allauth's own strings.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # NHS.UK frontend is installed from npm and served as our own static files: no CDN.
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    # Chart.js for the dashboard, from npm like the rest: no CDN.
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Outside production, whitenoise serves straight from the finders: no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_FAIL_SILENTLY = not DEBUG

# E-mail: a file per message in development (read them in ./sent-mail), SMTP in production.
_email_url = env.str("EMAIL_URL", default="filemail://sent-mail")
EMAIL_CONFIG = env.email_url_config(_email_url)
globals().update(EMAIL_CONFIG)
if _email_url.startswith("filemail://"):
    # django-environ mangles file paths (it reads the first part as a host): take the path
    # as written, relative to the project unless absolute.
    EMAIL_FILE_PATH = str(BASE_DIR / _email_url.removeprefix("filemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Involvement Hub <involvement@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages (notifications/services/texts.py), sent through GOV.UK Notify. Off unless
# TEXT_MESSAGES_ENABLED. Notify holds one SMS template whose whole content is ((body)): we
# render the words here, per kind, and pass them as that personalisation. Without an API
# key, texts go to TEXT_BACKEND: "file" (a file per text in TEXT_FILE_PATH, in
# development), "console" (the log) or "memory" (a list the tests read). In production
# with texts on, a missing key stops the start (notifications/checks.py).
TEXT_MESSAGES_ENABLED = env.bool("TEXT_MESSAGES_ENABLED", default=False)
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_SMS_TEMPLATE_ID = env.str("NOTIFY_SMS_TEMPLATE_ID", default="")
NOTIFY_TIMEOUT_SECONDS = env.float("NOTIFY_TIMEOUT_SECONDS", default=10.0)
TEXT_BACKEND = env.str(
    "TEXT_BACKEND",
    default="notify" if NOTIFY_API_KEY else ("memory" if ENVIRONMENT == "test" else "file"),
)
TEXT_FILE_PATH = str(BASE_DIR / env.str("TEXT_FILE_PATH", default="sent-texts"))
# Confirming a mobile number: how long a code lasts, wrong tries per code, codes an hour.
PHONE_CODE_MINUTES = env.int("PHONE_CODE_MINUTES", default=15)
PHONE_CODE_MAX_ATTEMPTS = env.int("PHONE_CODE_MAX_ATTEMPTS", default=5)
PHONE_CODES_PER_HOUR = env.int("PHONE_CODES_PER_HOUR", default=3)

# The privacy notice a person consents to; bump the version when its text changes.
PRIVACY_NOTICE_VERSION = env.str("PRIVACY_NOTICE_VERSION", default="2026-11")

# Where to get help now, and how to reach the involvement team (F5): shown in the footer, on
# /help/, the privacy notice, the check-in pages and the error pages. The defaults are
# fictional (Ofcom's numbers for drama, example.org) so that a demo never sends anyone to a
# real line; a Trust sets its own. The address is comma-separated lines.
TRUST_NAME = env.str("TRUST_NAME", default="Example NHS Foundation Trust")
TRUST_CRISIS_LINE_PHONE = env.str("TRUST_CRISIS_LINE_PHONE", default="0808 157 0000")
TRUST_CRISIS_LINE_HOURS = env.str("TRUST_CRISIS_LINE_HOURS", default="24 hours a day, every day")
INVOLVEMENT_TEAM_PHONE = env.str("INVOLVEMENT_TEAM_PHONE", default="01632 960 000")
INVOLVEMENT_TEAM_EMAIL = env.str("INVOLVEMENT_TEAM_EMAIL", default="involvement@example.org")
# Who receives the monthly summary of the access log (issue 16): the Trust's data protection
# lead, by address (they may have no account here). Empty: no summary is sent.
DATA_PROTECTION_LEAD_EMAIL = env.str("DATA_PROTECTION_LEAD_EMAIL", default="")
INVOLVEMENT_TEAM_HOURS = env.str("INVOLVEMENT_TEAM_HOURS", default="Monday to Friday, 9am to 5pm")
INVOLVEMENT_TEAM_ADDRESS = env.list(
    "INVOLVEMENT_TEAM_ADDRESS",
    default=["Involvement Team", TRUST_NAME, "1 Example Road", "Exampletown", "AB1 2CD"],
)

# Security. The same protections run in every environment; production adds HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Permissions-Policy (involvement.middleware): every feature the service never uses
# (involvement/permissions_policy.py) is allowed to nobody, so no page may ask for it.
PERMISSIONS_POLICY = {feature: [] for feature in permissions_policy.UNUSED_FEATURES}
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

# Content-Security-Policy: our own files only, and no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Celery: Redis broker, JSON only, acknowledged after the work is done.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
# Redis redelivers an unacknowledged task after the visibility timeout, so it must be longer
# than any task's run time and any countdown we use.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=6 * 60 * 60),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# A request that queues a task must not hang while the broker is down: one quick try, then
# the message waits in the outbox for the sweep.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Periodic jobs, all in one place: involvement/schedule.py (Europe/London).
CELERY_BEAT_SCHEDULE = beat_schedule(
    outbox_sweep_every_seconds=env.float("OUTBOX_SWEEP_EVERY_SECONDS", default=60.0),
    dashboard_refresh_every_minutes=env.int("DASHBOARD_FIGURES_MAX_AGE_MINUTES", default=10) / 2,
)

# The dashboard's figures are kept this long and worked out again by beat before then
# (dashboard/kept.py; issue 17 allows at most 15 minutes). 0 works them out on every request.
DASHBOARD_FIGURES_MAX_AGE_MINUTES = env.int("DASHBOARD_FIGURES_MAX_AGE_MINUTES", default=10)
if not 0 <= DASHBOARD_FIGURES_MAX_AGE_MINUTES <= 15:
    raise ImproperlyConfigured("DASHBOARD_FIGURES_MAX_AGE_MINUTES must be from 0 to 15")

# The feedback loop: outcomes are due this many days after the last session (F2); people
# are invited to check in about activities that ended within this many days.
OUTCOME_DUE_DAYS = env.int("OUTCOME_DUE_DAYS", default=28)
CHECK_IN_INVITE_WITHIN_DAYS = env.int("CHECK_IN_INVITE_WITHIN_DAYS", default=30)
DIGEST_BATCH_SIZE = env.int("DIGEST_BATCH_SIZE", default=500)
# A request for a chat should be picked up within this many working days (issue 13): days
# that are not a Saturday, a Sunday or one of BANK_HOLIDAYS (England and Wales, from
# gov.uk/bank-holidays; extend the list each year, ISO dates, comma-separated).
FOLLOW_UP_TARGET_WORKING_DAYS = env.int("FOLLOW_UP_TARGET_WORKING_DAYS", default=2)
BANK_HOLIDAYS = env.list(
    "BANK_HOLIDAYS",
    default=[
        *("2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31"),
        *("2026-12-25", "2026-12-28", "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03"),
        *("2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"),
    ],
)
# Invitations that widen reach (issue 13, F4): when an opportunity is published, at most this
# many people whose interests match are invited at once, never or least involved first; and
# nobody is invited more than once in INVITATION_GAP_DAYS.
INVITATIONS_PER_OPPORTUNITY = env.int("INVITATIONS_PER_OPPORTUNITY", default=30)
INVITATION_GAP_DAYS = env.int("INVITATION_GAP_DAYS", default=7)

# Payments (issue 12): days from an activity to payment that count as on time; where receipts
# are kept (outside the static and media roots: served only through a permission check); and
# the Trust's page of benefits advice, linked wherever a fee could affect someone's benefits.
PAYMENT_TARGET_DAYS = env.int("PAYMENT_TARGET_DAYS", default=14)
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
RECEIPT_MAX_BYTES = env.int("RECEIPT_MAX_BYTES", default=10 * 1024 * 1024)
# An opportunity's preparation pack (issue 14): a PDF or an image, kept beside the receipts.
PACK_MAX_BYTES = env.int("PACK_MAX_BYTES", default=10 * 1024 * 1024)
# Data rights (issue 16, docs/adr/0017-data-rights.md): how long a copy of a person's data
# can be downloaded, and how long finance keeps payment records before they are anonymised.
DATA_EXPORT_DAYS = env.int("DATA_EXPORT_DAYS", default=7)
PAYMENT_RECORDS_YEARS = env.int("PAYMENT_RECORDS_YEARS", default=6)
# Retention (issue 16, item 4): what is wiped, nightly, once it is this many days old (0: kept).
# What people wrote in check-ins; staff's notes of contacts; the bodies of messages sent; and
# receipts, kept as long as finance keeps payment records (days after the claim was paid).
RETENTION_CHECK_IN_TEXT_DAYS = env.int("RETENTION_CHECK_IN_TEXT_DAYS", default=2 * 365)
RETENTION_CONTACT_LOG_DAYS = env.int("RETENTION_CONTACT_LOG_DAYS", default=6 * 365)
RETENTION_MESSAGE_DAYS = env.int("RETENTION_MESSAGE_DAYS", default=2 * 365)
RETENTION_RECEIPT_DAYS = env.int("RETENTION_RECEIPT_DAYS", default=PAYMENT_RECORDS_YEARS * 365)
# A representative's account unused (no log-in) for this long is warned, and if still unused
# this many days after the warning, put to an administrator for erasure (0: never).
RETENTION_UNUSED_ACCOUNT_DAYS = env.int("RETENTION_UNUSED_ACCOUNT_DAYS", default=3 * 365)
UNUSED_ACCOUNT_WARNING_DAYS = env.int("UNUSED_ACCOUNT_WARNING_DAYS", default=30)
BENEFITS_ADVICE_URL = env.str("BENEFITS_ADVICE_URL", default="/help/#benefits")

# Opportunities: how long an offered place is held, and when reminders go before a session.
OFFER_ACCEPT_HOURS = env.int("OFFER_ACCEPT_HOURS", default=48)
REMINDER_HOURS = [int(hours) for hours in env.list("REMINDER_HOURS", default=["48", "2"])]
# How far ahead sessions (and sign-up deadlines) may be planned, in calendar years: a date
# in a later year is refused with a message by the field. Other dates accept 1900 to ten
# years ahead (involvement/forms.py). Far-off dates would be stored, then overflow pages.
SESSION_MAX_YEARS_AHEAD = env.int("SESSION_MAX_YEARS_AHEAD", default=2)
# Being lead worker opens a person's notes and check-ins while their sign-up is active and
# for this many days after the activity's last session, then closes (PRODUCT.md, roles).
LEAD_ACCESS_DAYS_AFTER = env.int("LEAD_ACCESS_DAYS_AFTER", default=90)

# The outbox (notifications app).
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=200)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_RETRY_MAX_SECONDS = env.int("OUTBOX_RETRY_MAX_SECONDS", default=6 * 60 * 60)
# A message still `sending` after this long belongs to a worker that died: longer than the
# task hard time limit, so a live worker is never overtaken.
OUTBOX_SENDING_LEASE_SECONDS = env.int("OUTBOX_SENDING_LEASE_SECONDS", default=5 * 60)
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=50)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="involve-demo-2026")
HEALTHZ_TIMEOUT_SECONDS = 2
# Help, privacy and accessibility stay reachable before onboarding: someone may need help now.
ONBOARDING_EXEMPT_PREFIXES = (
    "/accounts/",
    "/static/",
    "/healthz",
    "/admin/",
    "/me/welcome/",
    "/help/",
    "/privacy/",
    "/accessibility/",
)
