"""Settings shared by every environment. Secrets and hosts come from the environment only."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from agora.env import database_from_env, env_bool, env_int, env_list, env_str, tile_hosts

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    # Django's widget templates, for FORM_RENDERER, which reads templates through TEMPLATES.
    "django.forms",
    # Agora's apps come last: their ready() adjusts signal handlers that Wagtail connects
    # in its own ready(). Templates live in templates/ (DIRS), which wins over app folders.
    "home",
    "posts",
    "letter",
    "partners",
    "kiosk",
    "bilans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "agora.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' public pages from the cache (home/cache.py): a hit stops here.
    "home.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view (CSRF's check included) acts on a request; its response half runs once
    # the messages are in the session and before the session is saved (see kiosk.middleware).
    "kiosk.middleware.KioskMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's CSPMiddleware, with the public policy on the admin's previews too.
    "agora.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "agora.urls"
WSGI_APPLICATION = "agora.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "kiosk.context_processors.kiosk",
            ],
        },
    },
]

# Every form is drawn with templates/forms/ (agora.forms).
FORM_RENDERER = "agora.forms.FormRenderer"

DATABASES = {"default": database_from_env(BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A Redis cache when REDIS_URL is set (production, several app servers); local memory otherwise.
# Wagtail keeps image renditions in their own cache, "renditions" (agora/rendition_cache.py).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "agora",
        },
        "renditions": {
            "BACKEND": "agora.rendition_cache.RenditionCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "agora-renditions",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "renditions": {"BACKEND": "agora.rendition_cache.LocMemRenditionCache", "LOCATION": "renditions"},
    }

# Whole-page cache of public pages for anonymous visitors (home/cache.py): on unless
# AGORA_PAGE_CACHE=false (production also needs REDIS_URL); entries are dropped on any
# publication and expire after this time.
AGORA_PAGE_CACHE = env_bool("AGORA_PAGE_CACHE", True)
AGORA_PAGE_CACHE_SECONDS = env_int("AGORA_PAGE_CACHE_SECONDS", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# French first; an English catalogue ships in locale/.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves the files collected into STATIC_ROOT; development and the tests read the
# source folders instead, without collectstatic.
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# Public uploads (images of publications) and private partner files live in two separate
# roots: the private one is never under MEDIA_ROOT, so no URL can ever reach it.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private_media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Photos sent by residents (see posts.uploads): size and pixel limits.
AGORA_UPLOAD_MAX_BYTES = env_int("AGORA_UPLOAD_MAX_BYTES", 8 * 1024 * 1024)
AGORA_UPLOAD_MAX_PIXELS = env_int("AGORA_UPLOAD_MAX_PIXELS", 30_000_000)

# Abuse limits per visitor address: proposals and reports per hour.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AGORA_PROPOSALS_PER_HOUR = env_int("AGORA_PROPOSALS_PER_HOUR", 5)
AGORA_REPORTS_PER_HOUR = env_int("AGORA_REPORTS_PER_HOUR", 10)
# "Signaler ce contenu" (posts.reports) counts distinct networks (an IPv6 /64, an IPv4 /24), as
# one person easily has several addresses: at 3 the moderators are alerted and the page stays
# online; at 5 it goes offline, except within 7 days after a moderator closed its reports.
AGORA_REPORTS_TO_ALERT = env_int("AGORA_REPORTS_TO_ALERT", 3)
AGORA_REPORTS_TO_UNPUBLISH = env_int("AGORA_REPORTS_TO_UNPUBLISH", 5)
AGORA_REPORTS_COOL_DOWN_DAYS = env_int("AGORA_REPORTS_COOL_DOWN_DAYS", 7)
# Residents' e-mail addresses are erased this many months after the decision on their
# proposal, and closed reports deleted this many months after they were closed
# (manage.py purge_expired, daily).
AGORA_RESIDENT_DATA_RETENTION_MONTHS = env_int("AGORA_RESIDENT_DATA_RETENTION_MONTHS", 6)

# The weekly letter (letter): subscription requests per visitor address and hour; at
# most one confirmation e-mail per e-mail address in this many minutes; days a confirmation
# link stays valid before the unconfirmed address is forgotten.
DIGEST_SUBSCRIBE_PER_HOUR = env_int("DIGEST_SUBSCRIBE_PER_HOUR", 5)
DIGEST_CONFIRMATION_INTERVAL_MINUTES = env_int("DIGEST_CONFIRMATION_INTERVAL_MINUTES", 15)
DIGEST_CONFIRMATION_DAYS = env_int("DIGEST_CONFIRMATION_DAYS", 7)

# E-mail: SMTP when EMAIL_HOST is set, the console otherwise.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "agora.mail.SmtpBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "agora.mail.ConsoleBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Agora <agora@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks run inline unless a worker backend is configured: in production the tasks
# are stored in the database and run by `manage.py db_worker` (django-tasks-db).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}
# Seconds to wait before sending again an e-mail the mail server refused (worker backend only):
# 1 min, 5 min, 30 min, 2 h, then the failure is final and logged.
AGORA_MAIL_RETRY_DELAYS = [
    int(s) for s in env_list("AGORA_MAIL_RETRY_DELAYS") or ["60", "300", "1800", "7200"]
]

# Headers sent on every response.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The map (/carte/ and the small maps of event and association pages): tiles from this server,
# with its attribution shown on the map; the CSP lets images come from its hosts only.
# Addresses are placed on it by the national address service when saved in the admin;
# AGORA_GEOCODER_URL empty turns that off (posts.geocoding).
AGORA_MAP_TILES_URL = env_str(
    "AGORA_MAP_TILES_URL", "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png"
)
AGORA_MAP_ATTRIBUTION = env_str(
    "AGORA_MAP_ATTRIBUTION", "© les contributeurs d'OpenStreetMap, fond de carte OpenStreetMap France"
)
AGORA_GEOCODER_URL = env_str("AGORA_GEOCODER_URL", "https://api-adresse.data.gouv.fr/search/")
MAP_TILE_HOSTS = tile_hosts(AGORA_MAP_TILES_URL)

# A strict Content-Security-Policy on the public site: no inline script or style.
# The Wagtail admin relies on inline styles, so it is left out of this policy; it keeps
# X-Frame-Options, nosniff and the Referrer-Policy. Its previews of pages keep the public
# policy, framed by the admin only (agora.middleware.ContentSecurityPolicyMiddleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MAP_TILE_HOSTS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
}

# Database sessions, which a session opened at the kiosk shortens to minutes (agora/sessions.py).
SESSION_ENGINE = "agora.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Flash messages may name a person ("La fiche de … est créée"): they stay on the server, in the
# session, instead of a signed cookie anyone holding the browser can read.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Wagtail
WAGTAIL_SITE_NAME = "Agora"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# On PostgreSQL, words are indexed and searched by their French stems (« ateliers », « atelier »:
# « atel »); SQLite's full-text search has no stemmer and ignores the option (the public search
# adds prefix matching on both, posts.views.public). Changing it needs `manage.py update_index`.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french"},
}
WAGTAIL_PASSWORD_RESET_ENABLED = True
# Each reset request sends an e-mail: at most this many per address, and per account whoever
# asks, in an hour (agora.password_reset).
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "agora.password_reset.RateLimitedPasswordResetForm"  # noqa: S105
AGORA_PASSWORD_RESETS_PER_ADDRESS = env_int("AGORA_PASSWORD_RESETS_PER_ADDRESS", 5)
AGORA_PASSWORD_RESETS_PER_ACCOUNT = env_int("AGORA_PASSWORD_RESETS_PER_ACCOUNT", 3)
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "ods", "docx", "xlsx", "txt", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# Wagtail's own limit, which posts.images also applies to the images it re-encodes.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 128_000_000
# Images uploaded in the admin are re-encoded without their metadata (GPS, serial number…).
WAGTAILIMAGES_IMAGE_FORM_BASE = "posts.images.ImageForm"
# Shared-password private pages would let anyone with the password in; Agora does not use them.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
# Documents are always served through Wagtail's view, which checks collection privacy.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}

# Demo accounts created by seed_demo share this password.
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "agora-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Inline tasks and page actions log every step at INFO; keep the console readable.
    "loggers": {
        name: {"level": env_str("LOG_LEVEL_LIBRARIES", "WARNING")}
        for name in ("django_tasks", "wagtail", "modelsearch")
    },
}
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# --- Partner workspace (partners/) --------------------------------------------------------
# Login lockout (django-axes), the workspace's session rules (idle expiry, no-store) and
# its private files. AxesMiddleware stays the last middleware, as axes requires.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += [
    "partners.middleware.WorkspaceSessionMiddleware",
    "axes.middleware.AxesMiddleware",
]
AUTHENTICATION_BACKENDS = [
    "partners.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# 5 failed logins for one account, or from one address, lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours, as axes reads a number
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Not axes' reset on success: it forgets every failure from the address too, so logging in to
# one's own account between guesses would clear another account's count. A successful login
# forgets only that account's failures (partners.security.forget_own_failures).
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "partners.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "agora.ratelimit.client_address"
AXES_COOLOFF_MESSAGE = _("Trop de tentatives de connexion ont échoué : réessayez plus tard.")
# Idle sessions end after 30 minutes in the workspace.
PARTNERS_IDLE_TIMEOUT_SECONDS = env_int("PARTNERS_IDLE_TIMEOUT_SECONDS", 30 * 60)
# Largest file accepted in shared folders.
PARTNERS_UPLOAD_MAX_BYTES = env_int("PARTNERS_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# When set (e.g. "/fichiers-prives/"), downloads are handed to the proxy with X-Accel-Redirect:
# an nginx `location /fichiers-prives/ { internal; alias <PRIVATE_MEDIA_ROOT>/partners/; }`.
PARTNERS_X_ACCEL_REDIRECT_PREFIX = env_str("PARTNERS_X_ACCEL_REDIRECT_PREFIX")
# GDPR retention: records without contact for 24 months, access-log entries after 12 months
# (manage.py purge_expired, daily).
PARTNERS_RECORD_RETENTION_MONTHS = env_int("PARTNERS_RECORD_RETENTION_MONTHS", 24)
PARTNERS_LOG_RETENTION_MONTHS = env_int("PARTNERS_LOG_RETENTION_MONTHS", 12)

# --- Backups and erasures (home/backups.py, agora/erasure.py) -------------------------------
# age public keys (age1…, separated by commas) that every archive of `manage.py backup` is
# encrypted to; the matching private key is kept off the server. Unset: archives in clear.
BACKUP_ENCRYPT_TO = env_list("BACKUP_ENCRYPT_TO")
# Where `manage.py backup` writes its archives when not given --output.
BACKUP_DIR = BASE_DIR / "backups"
# The erasure journal: ids of the records erased on request or by retention, which `restore`
# erases again. A file outside the database, MEDIA_ROOT, PRIVATE_MEDIA_ROOT and the backups,
# so that no restore can bring back an older copy of it.
AGORA_ERASURE_JOURNAL = Path(env_str("AGORA_ERASURE_JOURNAL") or BASE_DIR / "erasure-journal.jsonl")

# --- Kiosk mode (kiosk/) ----------------------------------------------------------------------
# The social-centre PC returns to the kiosk home after this many seconds without activity;
# the last KIOSK_WARNING_SECONDS of them show a warning with a countdown.
KIOSK_IDLE_SECONDS = env_int("KIOSK_IDLE_SECONDS", 180)
KIOSK_WARNING_SECONDS = env_int("KIOSK_WARNING_SECONDS", 30)
