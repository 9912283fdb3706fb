"""GraphQL request metrics (``kernel.metrics``): requests by operation, engine and outcome, and
latency by engine, for both endpoints alike.

Listed before the route access and transport middleware so it also sees their refusals (an
invalid token, a body too large, a spent budget): the transport answers those from its own
``__call__``, which a middleware listed after it would never see."""

import json
import re
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kernel.metrics import GRAPHQL_LATENCY, GRAPHQL_REQUESTS

UNNAMED, OTHER = "anonymous", "other"
# A GraphQL name, not too long: anything else a client sends is counted as OTHER.
SAFE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


class OperationNames:
    """Operation names are the client's to choose: every distinct one would be a new series in
    every scrape. The first ``limit`` well-formed names a process sees are counted under their
    own name, every later or malformed one as OTHER."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def label(self, name: object) -> str:
        if not name:
            return UNNAMED
        if not isinstance(name, str) or SAFE_NAME.fullmatch(name) is None or name in (UNNAMED, OTHER):
            return OTHER
        if name in self._seen:
            return name
        with self._lock:
            if len(self._seen) >= self.limit and name not in self._seen:
                return OTHER
            self._seen.add(name)
        return name


def outcome_of(response: HttpResponse) -> str:
    """'refused' for a request turned away before it ran (a 4xx: limits, budget, credentials,
    method, body; or errors and no ``data``: a GraphQL request error, answered 200 under
    application/json), 'error' for a 5xx or an answer carrying GraphQL errors, else 'ok'."""
    if response.status_code >= 500:
        return "error"
    if response.status_code >= 400:
        return "refused"
    if getattr(response, "streaming", False) or b'"errors"' not in response.content:
        return "ok"  # the common case, without parsing the answer again
    try:
        body = json.loads(response.content)
    except ValueError:
        return "error"
    if not isinstance(body, dict) or not body.get("errors"):
        return "ok"
    return "error" if "data" in body else "refused"


class GraphQLMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.operations = OperationNames(int(getattr(settings, "GRAPHQL_METRICS_MAX_OPERATIONS", 100)))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        engine = settings.GRAPHQL_ENGINES.get(request.path_info)
        if engine is None:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        GRAPHQL_LATENCY.labels(engine=engine).observe(time.perf_counter() - started)
        # The transport's parsed operation name when it stores one, else the unnamed label.
        operation = self.operations.label(getattr(request, "graphql_operation_name", None))
        GRAPHQL_REQUESTS.labels(operation=operation, engine=engine, outcome=outcome_of(response)).inc()
        return response
