"""The settings of the web platform, driven by the environment (see ``docs/web/architettura.md``).

``EQUO_ENV`` chooses the safe defaults: ``production`` (the default when unset) refuses to start
without ``EQUO_SECRET_KEY``, ``EQUO_ALLOWED_HOSTS`` and ``DATABASE_URL`` and never runs with
DEBUG on; ``development`` (what ``equo serve`` sets) turns DEBUG on and keeps a generated secret
key in the git-ignored data directory; ``test`` is production-like with fixed test values.
"""

from __future__ import annotations

from datetime import timedelta

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF

from equo.web.settings.env import (
    Ambiente,
    ConfigurazioneErrata,
    ambiente,
    cartella_dati,
    chiave_segreta_sviluppo,
    database_url,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
)

django_stubs_ext.monkeypatch()

AMBIENTE = ambiente()
SVILUPPO = AMBIENTE is Ambiente.SVILUPPO
PRODUZIONE = AMBIENTE is Ambiente.PRODUZIONE
DATA_DIR = cartella_dati()

# --- Core ----------------------------------------------------------------------------------------
DEBUG = env_bool("EQUO_DEBUG", default=SVILUPPO)
if DEBUG and not SVILUPPO:
    raise ConfigurazioneErrata("EQUO_DEBUG can be on only with EQUO_ENV=development")

_chiave = env_secret("EQUO_SECRET_KEY")
if AMBIENTE is Ambiente.TEST:
    SECRET_KEY = _chiave or "test-only-insecure-key-" + "x" * 40
elif SVILUPPO:
    SECRET_KEY = _chiave or chiave_segreta_sviluppo(DATA_DIR)
else:
    if not _chiave:
        raise ConfigurazioneErrata(
            "EQUO_SECRET_KEY (or EQUO_SECRET_KEY_FILE) must be set in production: "
            'generate one with python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    if len(_chiave) < 50:
        raise ConfigurazioneErrata("EQUO_SECRET_KEY must be at least 50 characters long")
    SECRET_KEY = _chiave

if PRODUZIONE:
    ALLOWED_HOSTS = env_list("EQUO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ConfigurazioneErrata(
            "EQUO_ALLOWED_HOSTS must list the host names of the site (comma-separated)"
        )
elif SVILUPPO:
    ALLOWED_HOSTS = env_list("EQUO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
else:
    ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
CSRF_TRUSTED_ORIGINS = env_list("EQUO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours first, so that our templates (login, errors) win over the contrib ones.
    "equo.web.ui",
    "equo.web.accounts",
    "equo.web.enti",
    "equo.web.audit",
    "equo.web.anagrafe",
    "equo.web.cartella",
    "equo.web.api",
    "equo.web.ui.admin_config.EquoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *(["whitenoise.middleware.WhiteNoiseMiddleware"] if PRODUZIONE else []),
    "equo.web.ui.middleware.RegistroRichiesteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every view needs a logged-in user unless it is marked @login_not_required: a new view
    # cannot forget authentication (tenant scoping is the job of equo.web.enti.scoping).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "equo.web.audit.middleware.ContestoAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "equo.web.urls"
FORM_RENDERER = "equo.web.ui.forms.RendererEquo"
MESSAGE_TAGS = {40: "danger"}  # messages.ERROR → Bootstrap Italia's alert-danger
WSGI_APPLICATION = "equo.web.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "equo.web.ui.context_processors.equo",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------
_db = dj_database_url.parse(
    database_url(AMBIENTE),
    conn_max_age=env_int("EQUO_DB_CONN_MAX_AGE", 60 if PRODUZIONE else 0, minimo=0),
    conn_health_checks=True,
)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time: take the write lock at BEGIN instead of failing half-way through.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES = {"default": _db}

# --- Authentication ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.Utente"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Only to read (and upgrade on login) hashes made elsewhere; new hashes are argon2.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "equo.web.accounts.validators.LunghezzaMinimaValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:accedi"
LOGIN_REDIRECT_URL = "ui:home"
LOGOUT_REDIRECT_URL = "accounts:accedi"

# django-axes: lock a username from an address after repeated failures.
AXES_FAILURE_LIMIT = env_int("EQUO_LOGIN_TENTATIVI", 5, minimo=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("EQUO_LOGIN_BLOCCO_MINUTI", 15, minimo=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/bloccato.html"
AXES_VERBOSE = SVILUPPO
# django-otp: the name shown by the authenticator app.
OTP_TOTP_ISSUER = env_str("EQUO_TOTP_ISSUER", "Equo")

# --- Sessions and cookies ------------------------------------------------------------------------
_cookie_sicuri = env_bool("EQUO_COOKIE_SICURI", default=not SVILUPPO)
SESSION_COOKIE_SECURE = _cookie_sicuri
CSRF_COOKIE_SECURE = _cookie_sicuri
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # htmx takes the token from the page (hx-headers), not the cookie
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "equo_sessione" if not _cookie_sicuri else "__Host-equo_sessione"
CSRF_COOKIE_NAME = "equo_csrf" if not _cookie_sicuri else "__Host-equo_csrf"
# Idle timeout: a session ends after this many minutes without a request.
SESSION_COOKIE_AGE = env_int("EQUO_SESSIONE_MINUTI", 30, minimo=1) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Security headers ----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUZIONE:
    SECURE_SSL_REDIRECT = env_bool("EQUO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("EQUO_HSTS_SECONDI", 31_536_000, minimo=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("EQUO_HSTS_SOTTODOMINI", False)
    if env_bool("EQUO_DIETRO_PROXY", False):
        # Only behind a reverse proxy that sets this header and strips it from clients.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content Security Policy: only our own origin; no inline scripts or styles anywhere (page
# scripts are static files). Bootstrap Italia's CSS embeds small SVG icons as data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano")]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# --- Static files --------------------------------------------------------------------------------
# Bootstrap Italia and htmx are downloaded by `python -m equo.web.assets` (run by make) into
# equo/web/ui/static/vendor/; production serves `collectstatic` output with WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = env_str("EQUO_STATIC_ROOT", str(DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUZIONE
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Attachments of the cartella sociale ---------------------------------------------------------
# Stored outside the web root (never under STATIC_ROOT or a served media directory) and read only
# through the cartella's view, which checks need-to-know and audits the read.
EQUO_ALLEGATI_DIR = env_str("EQUO_ALLEGATI_DIR", str(DATA_DIR / "allegati"))
EQUO_ALLEGATI_MAX_BYTES = env_int("EQUO_ALLEGATI_MAX_BYTES", 10 * 1024 * 1024, minimo=1)
EQUO_ALLEGATI_TIPI = env_list("EQUO_ALLEGATI_TIPI", ["pdf", "png", "jpg", "jpeg", "odt", "docx"])
# How many files one diario entry may carry (each checked for type and size as above).
EQUO_ALLEGATI_MAX_PER_VOCE = env_int("EQUO_ALLEGATI_MAX_PER_VOCE", 5, minimo=1)

# --- Regional closure codes of the cartella sociale (optional) -----------------------------------
# Path of a CSV (codice, codice_regionale, etichetta_regionale) mapping the local closure reasons
# to the region's codes; empty: none. Checked at start (system check cartella.E001).
EQUO_MOTIVI_CHIUSURA_REGIONALI = env_str("EQUO_MOTIVI_CHIUSURA_REGIONALI", "")

# --- Personal API tokens (token personali) -------------------------------------------------------
# The longest validity an operator may give a personal token (cartella sociale API): a token
# acting in a person's name must expire, and 90 days is one quarter, long enough for a home-visit
# app not to nag and short enough that a forgotten token dies on its own.
EQUO_TOKEN_PERSONALE_GIORNI_MAX = env_int("EQUO_TOKEN_PERSONALE_GIORNI_MAX", 90, minimo=1)

# --- Logging -------------------------------------------------------------------------------------
# JSON lines on standard output outside development (one object per event, for a log collector);
# readable text in development. EQUO_LOG_FORMATO=json|testo overrides.
_formato_log = env_str("EQUO_LOG_FORMATO", "testo" if SVILUPPO else "json")
if _formato_log not in {"json", "testo"}:
    raise ConfigurazioneErrata(f"EQUO_LOG_FORMATO={_formato_log!r}: use json or testo")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "ora", "levelname": "livello", "name": "logger"},
        },
        "testo": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": _formato_log},
    },
    "root": {"handlers": ["console"], "level": env_str("EQUO_LOG_LIVELLO", "INFO")},
    "loggers": {
        # Our request log replaces runserver's own lines.
        "django.server": {"level": "WARNING"},
    },
}
