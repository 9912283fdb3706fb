"""Probes and metrics for whoever runs the service. Liveness touches nothing but the process, so a
database outage never gets healthy processes restarted; readiness checks what a request needs, so
a load balancer stops sending traffic to a process that cannot answer it. Both answer JSON with
check names and statuses only: a failure's detail goes to the log, under the request id."""

import ipaddress
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_prometheus.exports import ExportToDjangoView

from kernel.ratelimit import client_ip

logger = logging.getLogger(__name__)

OK, FAILED, SKIPPED = "ok", "failed", "skipped"


def _select_one() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def check_database() -> None:
    """A trivial query on the default database. On PostgreSQL under a statement timeout local to
    its own transaction, so the connection keeps its settings; on SQLite outside any transaction,
    which there would take the write lock (IMMEDIATE) and queue behind writers."""
    if connection.vendor != "postgresql":
        _select_one()
        return
    timeout_ms = int(settings.HEALTH_CHECK_TIMEOUT_SECONDS * 1000)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{timeout_ms}ms"])
        _select_one()


def check_cache() -> None:
    """A write and a read of a throwaway key: budgets, throttles and replica pins need both."""
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return what was just written")
    finally:
        cache.delete(key)


def check_migrations() -> None:
    """Every migration this code ships is applied: a process ahead of its database is not ready."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "migrations": check_migrations,
}
NEEDS_DATABASE = frozenset({"migrations"})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Nothing else is touched."""
    return JsonResponse({"status": OK})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: 200 with every check's status, or 503 naming the failed ones."""
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name in NEEDS_DATABASE and checks.get("database") != OK:
            checks[name] = SKIPPED  # unknowable without the database, and already failing
            continue
        try:
            check()
        except Exception:
            logger.warning("readiness check %r failed", name, exc_info=True)
            checks[name] = FAILED
        else:
            checks[name] = OK
    failed = [name for name, status in checks.items() if status == FAILED]
    if failed:
        return JsonResponse({"status": "unavailable", "checks": checks, "failed": failed}, status=503)
    return JsonResponse({"status": OK, "checks": checks})


def metrics_allowed(request: HttpRequest) -> bool:
    """Whether the client's address (``client_ip``: behind our proxies, the address the outermost
    one saw) is in ``METRICS_ALLOWED_IPS``, each entry an address or a network."""
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    for entry in settings.METRICS_ALLOWED_IPS:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue  # a malformed entry admits no one
    return False


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """django-prometheus's exporter (its series and ours share the default registry), answered
    only to allowed addresses; anyone else gets the 404 of a route that does not exist."""
    if not metrics_allowed(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response: HttpResponse = ExportToDjangoView(request)
    return response
