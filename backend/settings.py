"""Project settings, read from the environment (django-environ) so one build serves every stage.

SQLite in the project folder is the zero-setup default; ``DATABASE_URL`` selects PostgreSQL.
"""

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import environ
from corsheaders.defaults import default_headers
from django.core.exceptions import ImproperlyConfigured

from backend.secret_keys import DEVELOPMENT_SECRET_KEY

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DJANGO_DEBUG=(bool, False),
    DJANGO_ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    PRIVACY_MIN_AUDIENCE=(int, 100),
    PRIVACY_MIN_BUCKET=(int, 10),
)

DEBUG = env("DJANGO_DEBUG")
# The fallback key only exists so that `make run` and the tests work from nothing: with DEBUG off
# the service refuses to start on it (backend/secret_keys.py).
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# A refused CSRF check answers coded GraphQL JSON on the API paths, Django's page on the HTML ones.
CSRF_FAILURE_VIEW = "backend.views.csrf_failure"
# Frontends on other origins (django-cors-headers). Credentials: the session cookie goes with
# their requests, and a JSON POST to the GraphQL endpoints needs no CSRF token (a browser sends
# one only after the preflight these origins pass: kernel/preflight.py), so list only origins
# trusted with their visitors' sessions. DJANGO_CSRF_TRUSTED_ORIGINS is for the CSRF token's
# checks, which such a POST no longer goes through.
CORS_ALLOWED_ORIGINS = env.list("DJANGO_CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_CREDENTIALS = True
# The preflight headers clients may send (kernel/preflight.py) besides django-cors-headers' own.
CORS_ALLOW_HEADERS = (*default_headers, "apollo-require-preflight", "x-apollo-operation-name")
# Response headers a cross-origin page may read besides the safelisted ones: the request id to
# quote, the budget (api/transport.py) and how long to wait when refused.
CORS_EXPOSE_HEADERS = [
    "X-Request-ID",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Used",
    "X-RateLimit-Cost",
    "X-RateLimit-Reset",
    "Retry-After",
]

# Production is DEBUG off with a real secret key: HTTPS only, secure cookies, HSTS. Each can be
# turned off through the environment (a TLS-terminating proxy that forwards plain HTTP, say).
PRODUCTION = not DEBUG and "DJANGO_SECRET_KEY" in env
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=PRODUCTION)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours append to X-Forwarded-For: anonymous budgets and throttles count the
# address the outermost one saw (kernel/ratelimit.py). 0: the header is ignored, as it can be forged.
TRUSTED_PROXY_HOPS = env.int("DJANGO_TRUSTED_PROXY_HOPS", default=1 if BEHIND_PROXY else 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "accesslog.apps.PrivacyAdminConfig",  # django.contrib.admin, on the site of accesslog/site.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "backend",  # the project: its system checks
    "api",  # before strawberry_django: our export_schema replaces its command of that name
    "guardian",
    "strawberry_django",
    "graphene_django",
    "oauth2_provider",
    "accounts",
    "engagement",
    "accesslog",  # staff access to personal data: the explicit permission and its log
    "corsheaders",
    "webclient",  # the single-page client at /app/
    "ide",  # GraphiQL at both GraphQL endpoints when GRAPHQL_IDE is on
    "axes",  # sign-in lockouts on every password form (AXES_* below)
    "django_prometheus",  # request, response and exception metrics at /metrics (METRICS_* below)
]

MIDDLEWARE = [
    # First: every answer carries a request id, even a refusal made before the metrics below.
    "kernel.request_ids.RequestIdMiddleware",
    # A Content-Length that is not a number is a JSON 400 here, before django-prometheus's int() of it.
    "backend.content_length.ContentLengthMiddleware",
    # Next and next to last (django-prometheus): request metrics timed around everything else.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Before anything that may answer early, so that every answer to an allowed origin has CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (the web client's) without a separate server: whitenoise, quiet about a
    # STATIC_ROOT that only exists after collectstatic (webclient/middleware.py).
    "webclient.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # GraphQL requests by operation, engine and outcome: before the two below, to count their refusals.
    "api.observability.GraphQLMetricsMiddleware",
    # After the session user is set and before any view check runs (CSRF, limits, budgets): each
    # request is held to the credentials its route declares (backend/urls.py); on the GraphQL
    # routes a valid bearer token replaces the user and exempts that request alone from CSRF.
    "backend.route_access.RouteAccessMiddleware",
    "api.transport.GraphQLTransportMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, so its lockout answer still passes every middleware above (CORS, session, headers).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Deadlines: a statement or a lock wait that outlives them fails (on PostgreSQL a retryable TIMEOUT
# with the request id, kernel/deadlines.py) instead of holding a worker until the server kills it.
# PostgreSQL gets both per session; SQLite's busy timeout is the lock wait, kept short for the same
# reason (a request behind a long write fails in seconds rather than queueing the whole worker
# pool). 0: no limit.
DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=5000)
DATABASE_LOCK_TIMEOUT_MS = env.int("DATABASE_LOCK_TIMEOUT_MS", default=2000)
DATABASE_SQLITE_BUSY_TIMEOUT_SECONDS = env.float("DATABASE_SQLITE_BUSY_TIMEOUT_SECONDS", default=5.0)
# The whole of a GraphQL request, from the transport on: past it, its next query is refused and it
# answers TIMEOUT (kernel/deadlines.py). Below gunicorn's 30 s worker timeout, which would kill
# the worker and every request it holds. 0: no deadline.
REQUEST_DEADLINE_SECONDS = env.float("DJANGO_REQUEST_DEADLINE_SECONDS", default=20.0)
# PostgreSQL connections come from a pool per process (psycopg_pool, Django's "pool" option):
# at most DATABASE_POOL_MAX per process, under gunicorn and uvicorn alike (Django hands a request's
# connection back when the request ends, whichever thread served it), a request waiting at most
# DATABASE_POOL_TIMEOUT_SECONDS for one. The pool requires CONN_MAX_AGE 0. DATABASE_POOL=0: a new
# connection per request (or `?conn_max_age=N` in DATABASE_URL, which leaks under uvicorn).
DATABASE_POOL = env.bool("DATABASE_POOL", default=True)
DATABASE_POOL_MIN = env.int("DATABASE_POOL_MIN", default=2)
DATABASE_POOL_MAX = env.int("DATABASE_POOL_MAX", default=10)
DATABASE_POOL_TIMEOUT_SECONDS = env.float("DATABASE_POOL_TIMEOUT_SECONDS", default=10.0)


def _postgres_options(database: dict) -> None:
    """Deadlines and the pool of one PostgreSQL alias, added to what its URL set."""
    options = database.setdefault("OPTIONS", {})
    deadlines = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS} -c lock_timeout={DATABASE_LOCK_TIMEOUT_MS}"
    options["options"] = f"{options.get('options', '')} {deadlines}".strip()
    if DATABASE_POOL:
        options["pool"] = {
            "min_size": min(DATABASE_POOL_MIN, DATABASE_POOL_MAX),
            "max_size": DATABASE_POOL_MAX,
            "timeout": DATABASE_POOL_TIMEOUT_SECONDS,
        }
        database["CONN_MAX_AGE"] = 0
        # The pool checks a connection as it hands it out (one round trip), so one the server
        # ended (a restart, a killed session) is replaced instead of failing the request.
        database["CONN_HEALTH_CHECKS"] = True


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for the lock instead of failing at once, and WAL lets readers
    # run beside a writer; both are applied per connection by the backend.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": DATABASE_SQLITE_BUSY_TIMEOUT_SECONDS,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _postgres_options(DATABASES["default"])
# Past one machine (docs/PERFORMANCE.md): GraphQL queries may read from a PostgreSQL replica;
# mutations, sessions and commands use the primary, and a viewer who just wrote reads the primary
# for DATABASE_REPLICA_PIN_SECONDS (kernel/routers.py).
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        _postgres_options(DATABASES["replica"])
    DATABASE_ROUTERS = ["kernel.routers.ReplicaRouter"]
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A video's counter steps that find its totals row locked spill into one of this many slot rows
# (PostgreSQL; engagement/counters.py). Off: every step waits for the row, as on SQLite.
VIDEO_COUNTER_SPILL = env.bool("VIDEO_COUNTER_SPILL", default=True)
VIDEO_COUNTER_SLOTS = env.int("VIDEO_COUNTER_SLOTS", default=16)

# The shared cache holds budgets, throttles and replica pins, nothing a request cannot do without:
# each Redis call gives up after REDIS_SOCKET_TIMEOUT_SECONDS, and then budgets and throttles count
# per process and queries read the primary until the cache answers again, tried at most every
# CACHE_FALLBACK_RETRY_SECONDS (kernel/ratelimit.py). Sessions stay in the database (Django's db
# engine, set explicitly): signing in never depends on Redis.
REDIS_SOCKET_TIMEOUT_SECONDS = env.float("REDIS_SOCKET_TIMEOUT_SECONDS", default=0.25)
CACHE_FALLBACK_RETRY_SECONDS = env.float("CACHE_FALLBACK_RETRY_SECONDS", default=2.0)
SESSION_ENGINE = "django.contrib.sessions.backends.db"
if env("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT_SECONDS,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Live notifications over WebSocket (engagement/live.py, api/websocket.py). The channel layer carries
# "this person's notifications changed" from the process that wrote them to every process holding
# one of their subscriptions: Redis with REDIS_URL (channels-redis; its blocking reads need no
# socket timeout, a connection attempt gives up after REDIS_SOCKET_TIMEOUT_SECONDS). Without it,
# the process's own memory, which reaches only subscriptions held by the same process: enough for
# the one process of `make run`, not for several workers or a WSGI server beside an ASGI one.
if env("REDIS_URL", default=""):
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": env("REDIS_URL"),
                        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
                        "socket_timeout": None,
                    }
                ],
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# A write publishes after its commit and waits at most this long for the layer; a layer that failed
# is left alone for LIVE_PUBLISH_RETRY_SECONDS (per process), the write never fails for it.
LIVE_PUBLISH_TIMEOUT_SECONDS = env.float("LIVE_PUBLISH_TIMEOUT_SECONDS", default=0.5)
LIVE_PUBLISH_RETRY_SECONDS = env.float("LIVE_PUBLISH_RETRY_SECONDS", default=5.0)
# A WebSocket must send connection_init within this time (else closed 4408), and holds at most this
# many subscriptions at once (more are refused with an error, the connection stays open).
LIVE_CONNECTION_INIT_TIMEOUT_SECONDS = env.float("LIVE_CONNECTION_INIT_TIMEOUT_SECONDS", default=10.0)
LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION = env.int("LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION", default=10)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out sign-in before any password is checked (AXES_* below).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# guardian: no anonymous user row; anonymous viewers never hold object permissions.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

# Password guessing (django-axes): one count of failed sign-ins shared by every password form, the
# logIn mutation, /accounts/login/ and /admin/login/, kept in the database (axes_accessattempt).
# A username is locked out from one address only: locking by username alone would let anyone,
# anywhere, lock any account out; by address alone, one guesser behind a shared NAT (or behind a
# proxy when DJANGO_TRUSTED_PROXY_HOPS is wrong) would lock out everyone there. The address is
# ours (kernel.ratelimit.client_ip, honouring TRUSTED_PROXY_HOPS), not django-ipware's guess.
# Many addresses guessing one account's password each get their own count: not stopped here.
# A lock lifts after the cool-off, which every refused try restarts (so Retry-After is the whole
# cool-off); staff can lift one sooner with `manage.py axes_reset_username <name>`,
# `axes_reset_ip_username <ip> <name>` or `axes_reset` (every lock).
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "kernel.ratelimit.client_ip_address"
AXES_RESET_ON_SUCCESS = True  # the failures before a right password were typos, not an attack
# Locked out, the GraphQL endpoints answer RATE_LIMITED as JSON and the forms a short 429 page.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# Usernames and addresses are personal data: no log of successful sign-ins or of every failure,
# only the live counts above, and none of it in the admin.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_ENABLE_ADMIN = False

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# whitenoise serves the apps' static files straight from their folders, so no collectstatic step.
WHITENOISE_USE_FINDERS = True

# Video files (engagement/media): in MEDIA_ROOT by default, so that `make run` needs nothing else;
# in an S3-compatible bucket (django-storages) when MEDIA_S3_BUCKET is set, with the usual AWS_*
# credentials or MEDIA_S3_ENDPOINT_URL for another provider. Either way the files are private: they
# are reached only through this service's short-lived links, which decide again on each request who
# may see the video (a bucket link is handed out, by redirect, only after that, and lives
# MEDIA_S3_URL_SECONDS).
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET", default="")
MEDIA_S3_URL_SECONDS = env.int("MEDIA_S3_URL_SECONDS", default=60)
if MEDIA_S3_BUCKET:
    _media_storage: dict = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL", default=None),
            "region_name": env("MEDIA_S3_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": MEDIA_S3_URL_SECONDS,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}  # in MEDIA_ROOT
STORAGES = {
    "default": _media_storage,
    "media": _media_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads: at most this many bytes and seconds, of these container types (the file itself is
# probed too: a name or a header proves nothing). Behind a proxy, let it refuse larger bodies first.
MEDIA_MAX_UPLOAD_BYTES = env.int("MEDIA_MAX_UPLOAD_BYTES", default=200 * 1024 * 1024)
MEDIA_UPLOAD_CONTENT_TYPES = env.list(
    "MEDIA_UPLOAD_CONTENT_TYPES", default=["video/mp4", "video/quicktime", "video/webm", "video/x-matroska"]
)
# Frames larger than 4K would cost the worker's memory and time for nothing: the copies are 720p.
MEDIA_MAX_FRAME_SIDE = env.int("MEDIA_MAX_FRAME_SIDE", default=4096)
MEDIA_UPLOAD_URL_SECONDS = env.int("MEDIA_UPLOAD_URL_SECONDS", default=3600)
# The longest video taken; never more than the table allows (engagement.models.MAX_DURATION_SECONDS).
MEDIA_MAX_DURATION_SECONDS = env.int("MEDIA_MAX_DURATION_SECONDS", default=60 * 60)
# Playback and poster links: long enough to watch and seek, short enough that a copied link dies.
MEDIA_URL_SECONDS = env.int("MEDIA_URL_SECONDS", default=15 * 60)
MEDIA_PROBE_TIMEOUT_SECONDS = env.float("MEDIA_PROBE_TIMEOUT_SECONDS", default=20.0)
MEDIA_TRANSCODE_TIMEOUT_SECONDS = env.float("MEDIA_TRANSCODE_TIMEOUT_SECONDS", default=600.0)
MEDIA_PROCESSING_RETRIES = env.int("MEDIA_PROCESSING_RETRIES", default=2)

# The worker (Celery, backend/celery.py): video processing and the scheduled jobs (rollups, counter
# folding, ranking, token clean-up; CELERY_BEAT_SCHEDULE below). The broker is CELERY_BROKER_URL,
# else REDIS_URL, else a folder on disk (kombu's filesystem transport), which needs no service and
# serves the one machine of `make run`. CELERY_TASK_ALWAYS_EAGER=1 runs tasks in the process that
# queues them (the tests do).
# (The folder's URL names a host only so that kombu does not warn, in every process, that it has none.)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="")) or "filesystem://localhost//"
_CELERY_QUEUE_DIR = Path(env("CELERY_QUEUE_DIR", default=str(BASE_DIR / "var" / "celery")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_CELERY_QUEUE_DIR),
        "data_folder_out": str(_CELERY_QUEUE_DIR),
        "control_folder": str(_CELERY_QUEUE_DIR / "control"),
    }
CELERY_IMPORTS = (
    "engagement.media.tasks",
    "engagement.analytics.export_tasks",
    "engagement.scheduled",
    "accounts.scheduled",
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Eager tasks retry at once, as a worker would later, and an error they let out is logged, not
# raised into the request that queued them (the tests raise it, so that a task's bug fails them).
CELERY_TASK_EAGER_PROPAGATES = env.bool("CELERY_TASK_EAGER_PROPAGATES", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves it for another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(_CELERY_QUEUE_DIR / "beat-schedule")


def _every(task: str, seconds: float) -> dict:
    """A beat entry. A run still queued when the next one is due is dropped (``expires``), so a
    worker that was away does not come back to a pile of the same job."""
    return {"task": task, "schedule": seconds, "options": {"expires": seconds}}


# What the beat (one per deployment: `worker -B`, or `celery -A backend beat`) queues, every
# SCHEDULE_<JOB>_SECONDS: the insights rollup hourly, which queues the For You ranking when it ends
# (the ranking reads the rollups); counter folding every few minutes, as fold_counters' help asks;
# expired tokens, grants and sessions daily; expired insights exports (files and rows) hourly. The
# management commands stay for manual runs.
CELERY_BEAT_SCHEDULE = {
    "rollup-insights-then-rank-videos": _every(
        "engagement.rollup_insights", env.float("SCHEDULE_ROLLUP_INSIGHTS_SECONDS", default=3600)
    ),
    "fold-counters": _every("engagement.fold_counters", env.float("SCHEDULE_FOLD_COUNTERS_SECONDS", default=300)),
    "clear-expired-credentials": _every(
        "accounts.clear_expired_credentials", env.float("SCHEDULE_CLEAR_EXPIRED_SECONDS", default=86400)
    ),
    "delete-expired-insights-exports": _every(
        "engagement.delete_expired_insights_exports", env.float("SCHEDULE_EXPIRED_EXPORTS_SECONDS", default=3600)
    ),
}

GRAPHENE = {"SCHEMA": "api.graphene_schema.schema"}

# The speed-ups that reach into the libraries' internals, all behind this one switch: the executor's
# plain-field shortcut (api/speedups.py), documents parsed and validated once
# (api/documents.py) and rows loaded without Model.__init__ (kernel/loading.py).
# Off, every request takes the libraries' own paths; the answers are the same (the differential test).
GRAPHQL_SPEEDUPS = env.bool("GRAPHQL_SPEEDUPS", default=True)

# GraphQL operation limits (OWASP cheat sheet, graphql-armor), applied to both engines by
# api.transport before they run anything. Cost = objects an operation may return.
# The two GraphQL endpoints, each served by its engine (one contract, api/type_system.py).
GRAPHQL_ENGINES = {"/graphql/": "strawberry", "/graphql/graphene/": "graphene"}
GRAPHQL_PATHS = tuple(GRAPHQL_ENGINES)
# GraphiQL (ide/, from our own static files) for a browser opening either endpoint; off, such a
# GET is refused like any other without a query.
GRAPHQL_IDE = env.bool("GRAPHQL_IDE", default=DEBUG)
GRAPHQL_MAX_BODY_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = GRAPHQL_MAX_BODY_BYTES
GRAPHQL_LIMITS = {
    "max_depth": 10,
    "max_aliases": 15,
    "max_tokens": 2000,
    "max_directives": 20,
    "max_cost": env.int("GRAPHQL_MAX_COST", default=10_000),
    # Errors listed in one answer; past it the last one says the rest were left out. Validation
    # and variable coercion stop there, so a document full of mistakes costs little to refuse.
    "max_errors": 10,
}
# Hourly cost budgets (GitHub-style), per signed-in user and per IP for anonymous requests.
GRAPHQL_HOURLY_BUDGET_USER = env.int("GRAPHQL_HOURLY_BUDGET_USER", default=200_000)
GRAPHQL_HOURLY_BUDGET_IP = env.int("GRAPHQL_HOURLY_BUDGET_IP", default=50_000)
# Bursts of spam-prone mutations: (actions, per seconds) per actor, in a sliding window. Each can
# be set from the environment (below): GRAPHQL_THROTTLE_<ACTION>=<actions>/<seconds>, the action in
# upper snake case (GRAPHQL_THROTTLE_LIKE_VIDEO=30/60, GRAPHQL_THROTTLE_LOG_IN=10/300), or `off`.
GRAPHQL_MUTATION_THROTTLES = {
    "favoriteVideo": (60, 60),
    "unfavoriteVideo": (60, 60),
    "likeVideo": (60, 60),
    "unlikeVideo": (60, 60),
    "follow": (30, 60),
    "unfollow": (30, 60),
    "blockUser": (30, 60),
    "unblockUser": (30, 60),
    "muteUser": (30, 60),
    "unmuteUser": (30, 60),
    "commentOnVideo": (20, 60),
    "pinComment": (30, 60),
    "unpinComment": (30, 60),
    # Views feed creators' totals: a script must not inflate them (one person watches ~1 a second).
    "recordView": (120, 60),
    "recordProfileView": (60, 60),
    # Each upload stores a file and each download may start a job in the worker.
    "startVideoUpload": (30, 3600),
    "restartVideoUpload": (30, 3600),
    "downloadVideo": (30, 60),
    # Each export is a job in the worker and a file kept for a day.
    "exportInsights": (10, 3600),
    # Password guessing, per IP (anonymous) or per account: 20 tries in 5 minutes.
    "logIn": (20, 300),
    "signUp": (20, 3600),
    "deleteAccount": (5, 3600),  # it asks for the password again: no guessing it through here
}


def throttles_from_environment(
    defaults: dict[str, tuple[int, int]], environ: Mapping[str, str]
) -> dict[str, tuple[int, int]]:
    """``defaults`` with every ``GRAPHQL_THROTTLE_<ACTION>`` of ``environ`` applied."""
    throttles = dict(defaults)
    for name, value in environ.items():
        if not name.startswith("GRAPHQL_THROTTLE_"):
            continue
        first, *rest = name.removeprefix("GRAPHQL_THROTTLE_").lower().split("_")
        action = first + "".join(word.capitalize() for word in rest)  # LIKE_VIDEO: likeVideo
        if value.strip().lower() == "off":
            throttles.pop(action, None)
            continue
        try:
            actions, seconds = (int(part) for part in value.split("/"))
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be <actions>/<seconds> or off, not {value!r}") from None
        if actions < 0 or seconds <= 0:
            raise ImproperlyConfigured(f"{name} must count actions >= 0 in seconds > 0, not {value!r}")
        throttles[action] = (actions, seconds)
    return throttles


GRAPHQL_MUTATION_THROTTLES = throttles_from_environment(GRAPHQL_MUTATION_THROTTLES, os.environ)

# Privacy thresholds for aggregate breakdowns, so owners see totals, never people (docs/ARCHITECTURE.md).
PRIVACY_MIN_AUDIENCE = env("PRIVACY_MIN_AUDIENCE")
PRIVACY_MIN_BUCKET = env("PRIVACY_MIN_BUCKET")
# The privacy model of breakdowns (docs/PRIVACY.md §8): the loss one person's data may cause in
# one creator's releases of a period, the period's length in days, and in how many of a creator's
# videos a person is counted per period. Fixed for a deployment: changing them after periods were
# released publishes the same people again under new noise.
PRIVACY_EPSILON = env.float("PRIVACY_EPSILON", default=1.0)
PRIVACY_PERIOD_DAYS = env.int("PRIVACY_PERIOD_DAYS", default=28)
PRIVACY_VIDEOS_PER_PERSON = env.int("PRIVACY_VIDEOS_PER_PERSON", default=1)
# The loss the geographic analytics (regions, and every breakdown sliced by `country:`) may cause
# besides PRIVACY_EPSILON, per person, creator and period: the two add up (docs/PRIVACY.md §8.4).
# 0 turns those analytics off, leaving the loss at PRIVACY_EPSILON.
PRIVACY_GEO_EPSILON = env.float("PRIVACY_GEO_EPSILON", default=1.0)
# A dedicated secret. Rotating it draws fresh noise, a second sample for an attacker: rotate only when compromised.
PRIVACY_NOISE_KEY = env("DJANGO_PRIVACY_NOISE_KEY", default="")
# A day is final (its breakdowns frozen) when rolled up at least this long after it ended.
INSIGHTS_FINALIZE_AFTER_SECONDS = env.int("INSIGHTS_FINALIZE_AFTER_SECONDS", default=3600)
# How long an insights export (exportInsights) is kept, file and row, from the moment it is asked for.
INSIGHTS_EXPORT_TTL_SECONDS = env.int("INSIGHTS_EXPORT_TTL_SECONDS", default=24 * 3600)
# The For You ranking (docs/PRIVACY.md §11): the privacy loss one save, or one completed view, may
# cause through the order of the feed. Each settled day's saves and completions of a video are
# released once, with keyed noise of scale 1/RANKING_EPSILON, under the same noise key as breakdowns.
RANKING_EPSILON = env.float("RANKING_EPSILON", default=1.0)

# Tokens for scripts and third-party tools (django-oauth-toolkit): the authorization-code flow
# with PKCE (S256) at /o/, tokens stored as SHA-256 checksums only, scopes from the contract.
LOGIN_URL = "/accounts/login/"
# Named so that migrations referring to the (swappable) token model can resolve it.
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "accounts.scopes.ContractScopes",
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 3600,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["http", "https"],
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}

# Operations (README "Operations"): /healthz and /readyz for probes, /metrics for Prometheus, and
# logs that carry the request id.
# /readyz: the statement timeout of its database query on PostgreSQL (waiting for a connection is
# bounded by DATABASE_POOL_TIMEOUT_SECONDS, or by connect_timeout=N in DATABASE_URL without the pool).
HEALTH_CHECK_TIMEOUT_SECONDS = env.float("HEALTH_CHECK_TIMEOUT_SECONDS", default=2.0)
# /metrics answers these addresses or networks (as kernel.ratelimit.client_ip sees them, so set
# DJANGO_TRUSTED_PROXY_HOPS behind a proxy) and 404 to everyone else; empty: off for everyone.
METRICS_ALLOWED_IPS = env.list("DJANGO_METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
# Distinct client-chosen operation names counted per process before the rest become "other".
GRAPHQL_METRICS_MAX_OPERATIONS = env.int("GRAPHQL_METRICS_MAX_OPERATIONS", default=100)
# Every record carries request_id ("-" outside a request, backend/logs.py); DJANGO_LOG_FORMAT=json
# writes one JSON object a line for log shippers, plain text otherwise.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "backend.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "backend.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
