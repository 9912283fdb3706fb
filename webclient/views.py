"""The HTML shell of the client; everything else happens in the browser through /graphql/."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET


@require_GET
@ensure_csrf_cookie
def index(request: HttpRequest) -> HttpResponse:
    """Serve the shell with the CSRF cookie already set, so the first POST needs no extra trip.
    The privacy threshold and period are passed along so the client can explain breakdowns."""
    context = {"min_audience": settings.PRIVACY_MIN_AUDIENCE, "period_days": settings.PRIVACY_PERIOD_DAYS}
    return render(request, "webclient/index.html", context)
