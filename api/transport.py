"""The HTTP rules in front of both GraphQL endpoints, so both engines answer alike (GraphQL over
HTTP): the answer's media type, body size, content type, JSON shape, no batching, no mutation
over GET, no subscription at all (they are served over WebSocket: ``api.websocket``), the
GraphQL request errors (``admission``), cost budgets, the request's deadline and
the ``X-RateLimit-*`` headers. Every answer on these paths is UTF-8 JSON, in the negotiated media
type, with a code on every error and the request id on every refusal, and at most
``max_errors`` errors."""

import json
import re
from collections.abc import Callable
from http import HTTPStatus
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from graphql import GraphQLError, OperationType

from api import admission
from api.errors import INTERNAL_MESSAGE, cap_errors, logger, request_error
from api.limits import Limits
from api.strawberry_schema import schema  # the contract's type system, for the request errors
from ide.views import shows_graphiql
from kernel import media
from kernel.deadlines import deadline
from kernel.errors import ErrorCode, RateLimited
from kernel.graphql_http import error_response, on_graphql_path
from kernel.ratelimit import Budget, budget_spend, budget_standing
from kernel.request_ids import request_id_of

ALLOWED_METHODS = ("GET", "POST")
SUBSCRIPTIONS_OVER_WEBSOCKET = (
    "Subscriptions are served over WebSocket (the graphql-transport-ws protocol) at this path, not over HTTP."
)
_CLIENT_EXCEPTIONS = (Http404, PermissionDenied, SuspiciousOperation, BadRequest)
MAX_JSON_DEPTH = 64  # far beyond any real variables; json.loads recurses once per level
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in _BRACKET_STEP)
_CODE_OF_STATUS = {
    401: ErrorCode.UNAUTHENTICATED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    429: ErrorCode.RATE_LIMITED,
}


def _refusal(
    request: HttpRequest, message: str, *, status: int, code: str = ErrorCode.BAD_USER_INPUT, **extensions: Any
) -> JsonResponse:
    """A transport refusal, with the request id a client quotes when it reports one."""
    return error_response(message, code=code, status=status, **extensions, requestId=request_id_of(request))


def _rate_limited(request: HttpRequest, error: RateLimited) -> JsonResponse:
    response = _refusal(request, error.message, code=error.code, status=429, retryAfter=error.retry_after)
    response["Retry-After"] = str(error.retry_after)
    return response


def _request_errors(request: HttpRequest, errors: list[GraphQLError], limits: Limits) -> JsonResponse:
    """GraphQL request errors: a well-formed request that cannot run, so no ``data``, and the
    status of its media type (200 under application/json, 400 under the GraphQL one)."""
    request_id = request_id_of(request)
    shaped = [request_error(error, request_id=request_id) for error in errors]
    status = media.request_error_status(getattr(request, "graphql_media", None) or media.JSON)
    return JsonResponse({"errors": cap_errors(shaped, limit=limits.max_errors, request_id=request_id)}, status=status)


def _rate_limit_headers(response: HttpResponse, budget: Budget) -> None:
    response["X-RateLimit-Limit"] = str(budget.limit)
    response["X-RateLimit-Remaining"] = str(budget.remaining)
    response["X-RateLimit-Used"] = str(budget.used)
    response["X-RateLimit-Cost"] = str(budget.cost)
    response["X-RateLimit-Reset"] = str(budget.reset_at)


class _Refused(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _nests_deeper_than(text: bytes, limit: int) -> bool:
    """Whether JSON ``text`` nests arrays and objects deeper than ``limit``, found without
    parsing: json.loads recurses once per level, so a body of ``[`` ends in a RecursionError."""
    if text.count(b"[") + text.count(b"{") <= limit:
        return False
    brackets = _JSON_STRING.sub(b"", text).translate(None, _NOT_BRACKETS)
    depth = 0
    for start in range(0, len(brackets), 4096):  # in chunks, to stop early on ``[[[[...``
        levels = list(accumulate(map(_BRACKET_STEP.__getitem__, brackets[start : start + 4096]), initial=depth))
        if max(levels) > limit:
            return True
        depth = levels[-1]
    return False


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _json_value(raw: bytes, what: str) -> Any:
    """Strict JSON (RFC 8259): UTF-8 without a byte-order mark, no NaN or Infinity, bounded
    nesting; raises ``_Refused`` with what is wrong."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4]:
        raise _Refused(f"{what} must be UTF-8 JSON; it looks like UTF-16 or UTF-32.", status=415)
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _Refused(f"{what} must be UTF-8 JSON without a byte-order mark.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(f"{what} is not valid UTF-8.") from None
    if _nests_deeper_than(raw, MAX_JSON_DEPTH):
        raise _Refused(f"{what} nests deeper than {MAX_JSON_DEPTH} levels.")
    try:
        return json.loads(text, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        raise _Refused(f"{what} is not valid JSON.") from None


def _checked(payload: Any) -> dict[str, Any]:
    """The parameters of one GraphQL request, each of the type the GraphQL-over-HTTP spec gives it."""
    if isinstance(payload, list):
        raise _Refused("Batched operations are not supported.")
    if not isinstance(payload, dict):
        raise _Refused("The body must be a JSON object with a `query` string.")
    if payload.get("query") is None:
        raise _Refused("`query` is missing: send the GraphQL document as a string.")
    if not isinstance(payload["query"], str):
        raise _Refused("`query` must be a string.")
    if not isinstance(payload.get("operationName"), str | None):
        raise _Refused("`operationName` must be a string or null.")
    for name in ("variables", "extensions"):
        if not isinstance(payload.get(name), dict | None):
            raise _Refused(f"`{name}` must be a JSON object or null.")
    return payload


def _payload(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    """The GraphQL parameters of a request, or the response refusing it. A GET reads the URL
    only and a POST the body only, as both engines do."""
    try:
        if request.method == "GET":
            params = request.GET
            payload: Any = {"query": params.get("query"), "operationName": params.get("operationName")}
            for name in ("variables", "extensions"):
                if params.get(name):
                    payload[name] = _json_value(params[name].encode("utf-8", "surrogatepass"), f"`{name}`")
        else:
            payload = _json_value(request.body or b"null", "The request body")
        return _checked(payload)
    except RequestDataTooBig:
        return _refusal(request, "The request body is too large.", status=413)
    except _Refused as refused:
        return _refusal(request, refused.message, status=refused.status)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "The request was refused."


def _as_json(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """An engine's own refusal (strawberry's are plain text) as a coded JSON error. The GraphiQL
    page passes as it is, even its 503 when GraphiQL's files are not installed."""
    if response.status_code < 400 or response.streaming or response["Content-Type"].startswith(media.JSON):
        return response
    if shows_graphiql(request):
        return response
    status = response.status_code
    if status >= 500:
        replacement = _refusal(request, INTERNAL_MESSAGE, code=ErrorCode.INTERNAL, status=status)
    else:
        text = response.content.decode("utf-8", "replace").strip()
        plain = response["Content-Type"].startswith("text/plain") and text
        message = text[:500] if plain else _phrase(status)
        if status == 403 and "CSRF" in text:  # Django's HTML page, should CSRF_FAILURE_VIEW not be ours
            message = "CSRF verification failed."
        code = _CODE_OF_STATUS.get(status, ErrorCode.BAD_USER_INPUT)
        replacement = _refusal(request, message, code=code, status=status)
    for header, value in response.items():
        if header.lower() not in ("content-type", "content-length"):
            replacement[header] = value
    replacement.cookies = response.cookies
    return replacement


def _finish(request: HttpRequest, response: HttpResponse) -> None:
    """Label a JSON answer with the negotiated media type and cut a long error list (an
    engine's field errors: the transport's own lists are cut already). The count of
    ``"message"`` bounds the errors from above, so a short answer is not parsed again."""
    if response.streaming or not response["Content-Type"].startswith(media.JSON):
        return  # the GraphiQL page (ide.views)
    limit = Limits.from_settings().max_errors
    if response.content.count(b'"message"') > limit:
        body = json.loads(response.content)
        if isinstance(body, dict) and len(body.get("errors") or ()) > limit:
            body["errors"] = cap_errors(body["errors"], limit=limit, request_id=request_id_of(request))
            response.content = json.dumps(body, separators=(",", ":")).encode()
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
    response["Content-Type"] = media.content_type(getattr(request, "graphql_media", None) or media.JSON)


def _content_type_refusal(request: HttpRequest) -> JsonResponse | None:
    if request.method != "POST":
        return None
    if request.content_type != media.JSON:
        return _refusal(request, "POST bodies must be application/json.", status=415)
    charset = (request.content_params or {}).get("charset", "utf-8")
    if charset.lower() not in ("utf-8", "utf8"):
        return _refusal(request, f"JSON bodies must be UTF-8, not charset={charset[:40]}.", status=415)
    return None


class GraphQLTransportMiddleware:
    """Listed after CsrfViewMiddleware. What needs no body is checked first (in ``__call__``:
    method, Accept, size, so no body too large is ever read); the body and the operation after
    the CSRF check (in ``process_view``), so a form or text body without the CSRF token is
    refused as what it may be, a cross-site request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not on_graphql_path(request):
            return self.get_response(request)
        request.graphql_media = media.negotiate(request.headers.get("Accept", ""))  # type: ignore[attr-defined]
        with deadline(settings.REQUEST_DEADLINE_SECONDS):
            response = self._transport_refusal(request) or _as_json(request, self.get_response(request))
        _finish(request, response)
        _rate_limit_headers(response, getattr(request, "graphql_budget", None) or budget_standing(request))
        return response

    def _transport_refusal(self, request: HttpRequest) -> HttpResponse | None:
        if request.method not in ALLOWED_METHODS:
            response = _refusal(request, "Use GET for queries or POST.", status=405)
            response["Allow"] = ", ".join(ALLOWED_METHODS)
            return response
        if request.graphql_media is None and not shows_graphiql(request):  # type: ignore[attr-defined]
            accepted = f"{media.GRAPHQL_RESPONSE_JSON} or {media.JSON}"
            return _refusal(request, f"Answers are {accepted}; the Accept header allows neither.", status=406)
        if request.method == "POST":
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not length.isdigit() or int(length) > settings.GRAPHQL_MAX_BODY_BYTES:
                return _refusal(
                    request, f"The request body is over {settings.GRAPHQL_MAX_BODY_BYTES} bytes.", status=413
                )
        return None

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if not on_graphql_path(request) or shows_graphiql(request):
            return None
        payload = _content_type_refusal(request) or _payload(request)
        if isinstance(payload, JsonResponse):
            return payload
        limits = Limits.from_settings()
        try:
            document, operation = admission.operation_of(payload, limits)
            if operation.operation is OperationType.SUBSCRIPTION:
                raise admission.RequestErrors([GraphQLError(SUBSCRIPTIONS_OVER_WEBSOCKET, operation)])
            if request.method == "GET" and operation.operation is not OperationType.QUERY:
                response = _refusal(request, "Mutations are only accepted over POST.", status=405)
                response["Allow"] = "POST"
                return response
            stats = admission.admit(schema._schema, payload, document, operation, limits)
            request.graphql_budget = budget_spend(request, stats.cost)  # type: ignore[attr-defined]
        except admission.RequestErrors as refused:
            return _request_errors(request, refused.errors, limits)
        except RateLimited as error:
            return _rate_limited(request, error)
        request.graphql_request_id = request_id_of(request)  # type: ignore[attr-defined]
        request.graphql_operation_name = payload.get("operationName")  # type: ignore[attr-defined]  # metrics
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A bug in an engine's view: logged here once, with the request id, and answered
        INTERNAL. Django's own 400/403/404 exceptions go on to its handlers."""
        if not on_graphql_path(request) or isinstance(exception, _CLIENT_EXCEPTIONS):
            return None
        request_id = request_id_of(request)
        logger.error("Unhandled error in GraphQL request %s", request_id, exc_info=exception)
        response = _refusal(request, INTERNAL_MESSAGE, code=ErrorCode.INTERNAL, status=500)
        response._has_been_logged = True  # type: ignore[attr-defined]  # else django.request logs it again
        return response
