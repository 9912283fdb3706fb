"""Request ids: every response carries one, and errors are logged with it."""

import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# The id of the request being answered, for log records made anywhere below it (backend/logs.py).
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        reset = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(reset)
        response[REQUEST_ID_HEADER] = request_id
        return response


def request_id_of(request: HttpRequest | None) -> str:
    return getattr(request, "request_id", "") or uuid.uuid4().hex
