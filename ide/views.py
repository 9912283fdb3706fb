"""The GraphiQL page, served at either GraphQL endpoint to a browser opening it while
``GRAPHQL_IDE`` is on. Everything else at those paths goes to the engine, through the transport
(``api/transport.py``), which lets these page requests by with the same test."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import get_script_prefix
from django.utils.cache import patch_vary_headers

from ide import assets
from kernel import media

# Same origin only, and no inline script or style: the page is our template, our JS and CSS files
# and GraphiQL's bundles (ide/assets.py); its fonts and icons are data: URLs inside its CSS.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
_ANSWER_TYPES = (media.JSON, media.GRAPHQL_RESPONSE_JSON, "text/html")


def shows_graphiql(request: HttpRequest) -> bool:
    """A browser opening an endpoint: a GET without a query that prefers HTML to our JSON types
    (``*/*`` alone gets JSON), while the IDE is on."""
    return (
        settings.GRAPHQL_IDE
        and request.method == "GET"
        and "query" not in request.GET
        and request.get_preferred_type(_ANSWER_TYPES) == "text/html"
    )


def graphiql(request: HttpRequest) -> HttpResponse:
    """The page, pointed at the endpoint it was opened on; a select switches to the other. Without
    GraphiQL's downloaded files, a 503 page that says how to fetch them rather than a blank one."""
    if assets.installed():
        prefix = get_script_prefix()  # the service may be mounted below the root
        endpoints = [
            {"url": prefix + path.removeprefix("/"), "engine": engine, "chosen": path == request.path_info}
            for path, engine in settings.GRAPHQL_ENGINES.items()
        ]
        response = render(request, "ide/graphiql.html", {"endpoints": endpoints})
    else:
        response = render(request, "ide/not_installed.html", status=503)
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    patch_vary_headers(response, ["Accept"])  # the same URL answers JSON to other clients
    return response


def with_graphiql(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """An engine's view that answers a browser opening it with the page instead."""

    @wraps(view)
    def page_or_engine(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        return graphiql(request) if shows_graphiql(request) else view(request, *args, **kwargs)

    return page_or_engine
