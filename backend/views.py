"""HTTP endpoints around the GraphQL API: the CSRF bootstrap for clients that send the token, and
Django's error pages (``handler400`` … ``handler500``, the CSRF failure view) as JSON for clients."""

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.views import csrf, defaults
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from api.errors import INTERNAL_MESSAGE
from kernel.errors import ErrorCode
from kernel.graphql_http import error_response, on_graphql_path
from kernel.request_ids import request_id_of

# Pages a person reads in a browser keep Django's HTML errors. Everything else is read by
# programs (GraphQL, the CSRF bootstrap, download links, OAuth2 token endpoints and metadata),
# and so is a mistyped URL: JSON is the default, and a new HTML page has to be listed here.
HTML_PREFIXES = ("/admin/", "/accounts/", "/o/authorize/", "/o/applications/", "/app/")


@require_GET
@ensure_csrf_cookie
def csrf_token(request: HttpRequest) -> JsonResponse:
    """Set the CSRF cookie and return its token: browser clients send it as X-CSRFToken."""
    return JsonResponse({"csrfToken": get_token(request)})


def _answers_html(request: HttpRequest) -> bool:
    return request.path_info.startswith(HTML_PREFIXES)


def _error(request: HttpRequest, message: str, *, code: str, status: int) -> JsonResponse:
    return error_response(message, code=code, status=status, requestId=request_id_of(request))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: the exception's text is not shown (it may quote a Host header)."""
    if _answers_html(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return _error(request, "The request is too large.", code=ErrorCode.BAD_USER_INPUT, status=413)
    return _error(request, "Bad request.", code=ErrorCode.BAD_USER_INPUT, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _answers_html(request):
        return defaults.permission_denied(request, exception)
    return _error(request, "Forbidden.", code=ErrorCode.FORBIDDEN, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _answers_html(request):
        return defaults.page_not_found(request, exception)
    return _error(request, "Not found.", code=ErrorCode.NOT_FOUND, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: no template, no database, nothing that could fail again."""
    if _answers_html(request):
        return defaults.server_error(request)
    return _error(request, INTERNAL_MESSAGE, code=ErrorCode.INTERNAL, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: Django's reasons are fixed texts, safe to pass on. On the GraphQL
    endpoints the answer also says how to do without the token (``kernel.preflight``)."""
    if _answers_html(request):
        return csrf.csrf_failure(request, reason)
    message = f"CSRF verification failed. {reason}".strip()
    if on_graphql_path(request):
        message += " A body sent as Content-Type: application/json needs no CSRF token."
    return _error(request, message, code=ErrorCode.FORBIDDEN, status=403)
