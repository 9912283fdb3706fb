"""The HTTP rules in front of both GraphQL endpoints, so both engines answer alike:
body size, content type, JSON shape, no batching, no mutation over GET, operation limits, cost
budgets and the ``X-RateLimit-*`` headers."""

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

from backend.errors import DomainError, InvalidInput, RateLimited
from backend.graphql.limits import Limits, check_limits, operation_stats, parse_operation
from backend.middleware import request_id_of
from backend.ratelimit import Budget, budget_spend


def error_response(message: str, *, code: str, status: int, **extensions: Any) -> JsonResponse:
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return JsonResponse(body, status=status)


def _domain_error_response(error: DomainError, status: int) -> JsonResponse:
    if isinstance(error, RateLimited):
        response = error_response(error.message, code=error.code, status=429, retryAfter=error.retry_after)
        response["Retry-After"] = str(error.retry_after)
        return response
    return error_response(error.message, code=error.code, status=status)


def _rate_limit_headers(response: HttpResponse, budget: Budget) -> None:
    response["X-RateLimit-Limit"] = str(budget.limit)
    response["X-RateLimit-Remaining"] = str(budget.remaining)
    response["X-RateLimit-Used"] = str(budget.used)
    response["X-RateLimit-Cost"] = str(budget.cost)
    response["X-RateLimit-Reset"] = str(budget.reset_at)


def _payload(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    """The GraphQL parameters of a request, or the response refusing it."""
    if request.method == "GET":
        raw_variables = request.GET.get("variables") or "{}"
        try:
            variables = json.loads(raw_variables)
        except ValueError:
            return error_response("`variables` is not valid JSON.", code="BAD_USER_INPUT", status=400)
        return {"query": request.GET.get("query"), "variables": variables, "operationName": None}
    try:
        payload = json.loads(request.body or b"null")
    except RequestDataTooBig:
        return error_response("The request body is too large.", code="BAD_USER_INPUT", status=413)
    except (ValueError, UnicodeDecodeError):
        return error_response("The request body is not valid JSON.", code="BAD_USER_INPUT", status=400)
    if isinstance(payload, list):
        return error_response("Batched operations are not supported.", code="BAD_USER_INPUT", status=400)
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
        return error_response(
            "The body must be a JSON object with a `query` string.", code="BAD_USER_INPUT", status=400
        )
    if not isinstance(payload.get("variables") or {}, dict):
        return error_response("`variables` must be a JSON object.", code="BAD_USER_INPUT", status=400)
    return payload


class GraphQLTransportMiddleware:
    """Listed after CsrfViewMiddleware: transport checks run first (in ``__call__``), the
    GraphQL checks after the CSRF check (in ``process_view``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.paths = frozenset(settings.GRAPHQL_PATHS)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in self.paths:
            return self.get_response(request)
        refusal = self._transport_refusal(request)
        if refusal is not None:
            return refusal
        response = self.get_response(request)
        budget = getattr(request, "graphql_budget", None)
        if budget is not None:
            _rate_limit_headers(response, budget)
        return response

    def _transport_refusal(self, request: HttpRequest) -> HttpResponse | None:
        if request.method not in ("GET", "POST"):
            return error_response("Use GET for queries or POST.", code="BAD_USER_INPUT", status=405)
        if request.method == "POST":
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not length.isdigit() or int(length) > settings.GRAPHQL_MAX_BODY_BYTES:
                return error_response(
                    f"The request body is over {settings.GRAPHQL_MAX_BODY_BYTES} bytes.",
                    code="BAD_USER_INPUT",
                    status=413,
                )
            if request.content_type != "application/json":
                return error_response("POST bodies must be application/json.", code="BAD_USER_INPUT", status=415)
        return None

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if request.path not in self.paths:
            return None
        if request.method == "GET" and "query" not in request.GET:
            return None  # GraphiQL's page, when DEBUG serves it
        payload = _payload(request)
        if isinstance(payload, JsonResponse):
            return payload
        from backend.graphql.strawberry_schema import schema  # the contract's type system

        limits = Limits.from_settings()
        try:
            document = parse_operation(payload["query"], max_tokens=limits.max_tokens)
            stats = operation_stats(
                document,
                schema._schema,
                operation_name=payload.get("operationName"),
                variables=payload.get("variables") or {},
            )
            if request.method == "GET" and stats.operation_type != "query":
                return error_response("Mutations are only accepted over POST.", code="BAD_USER_INPUT", status=405)
            check_limits(stats, limits)
            request.graphql_budget = budget_spend(request, stats.cost)  # type: ignore[attr-defined]
        except InvalidInput as error:
            return _domain_error_response(error, 400)
        except RateLimited as error:
            return _domain_error_response(error, 429)
        request.graphql_request_id = request_id_of(request)  # type: ignore[attr-defined]
        return None
