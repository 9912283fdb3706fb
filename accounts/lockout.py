"""What a locked-out sign-in is told (django-axes' ``AXES_LOCKOUT_CALLABLE``).

axes replaces the whole answer of a request whose sign-in it refused. On the GraphQL endpoints
that answer must still be GraphQL, the RATE_LIMITED error of every other limit, alike on both
engines; the HTML password forms get a short readable page.
"""

from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from kernel.errors import RateLimited
from kernel.graphql_http import error_response, on_graphql_path


def lockout_error(request: HttpRequest) -> RateLimited:
    """The refusal, with the wait: a refused try restarts the cool-off, so it is a whole one."""
    cool_off = get_cool_off(request)
    seconds = max(int(cool_off.total_seconds()), 1) if cool_off else 3600  # no cool-off: staff lift it
    return RateLimited(f"Too many failed sign-ins; try again in {seconds} seconds.", retry_after=seconds)


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """Built afresh, never from ``original_response``: axes' async middleware passes the
    credentials in its place."""
    error = lockout_error(request)
    response: HttpResponse
    if on_graphql_path(request):
        response = error_response(error.message, code=error.code, status=429, retryAfter=error.retry_after)
    else:
        minutes = -(-error.retry_after // 60)
        page = render_to_string("registration/locked_out.html", {"minutes": minutes})
        response = HttpResponse(page, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response
