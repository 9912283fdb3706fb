"""A request whose Content-Length is not a number is refused before anything reads it as one:
django-prometheus's request metrics and Django's body reading both call ``int()`` on it and would
answer 500. Servers refuse such requests themselves; this covers those that pass them on."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kernel.errors import ErrorCode
from kernel.graphql_http import error_response
from kernel.request_ids import request_id_of


def well_formed(content_length: str) -> bool:
    """Absent, or digits only (RFC 9110 §8.6): no sign, no spaces, nothing ``int()`` alone accepts."""
    return not content_length or (content_length.isascii() and content_length.isdigit())


class ContentLengthMiddleware:
    """Listed after the request id and before django-prometheus: a JSON 400 with a code and the
    request id, on every route (no page a person reads is ever sent such a request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not well_formed(request.META.get("CONTENT_LENGTH", "")):
            return error_response(
                "The Content-Length header must be a number of bytes.",
                code=ErrorCode.BAD_USER_INPUT,
                status=400,
                requestId=request_id_of(request),
            )
        return self.get_response(request)
