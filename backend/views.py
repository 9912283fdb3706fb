"""HTTP endpoints around the GraphQL API: the CSRF bootstrap for browser clients."""

from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET


@require_GET
@ensure_csrf_cookie
def csrf_token(request: HttpRequest) -> JsonResponse:
    """Set the CSRF cookie and return its token: browser clients send it as X-CSRFToken."""
    return JsonResponse({"csrfToken": get_token(request)})
