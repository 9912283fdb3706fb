"""W2 taken apart: each engine executing the W2 document on a page of videos loaded beforehand,
timed beside the whole request. No session, no middleware, no SQL: what is left is the engine's
share (field resolution, audience guards, serialization). ``ratio_if_execution_free`` is what
W2's ratio would be if that share cost nothing, which bounds what any executor change can buy.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.http import HttpRequest
from django.test import RequestFactory
from graphql import execute
from strawberry.django.context import StrawberryDjangoContext
from strawberry.django.views import TemporalHttpResponse

from accounts.models import User
from api import documents, graphene_execution, graphene_schema
from api.strawberry_schema import schema as strawberry_schema
from engagement import selectors
from kernel.pagination import Page


def execution_alone(engine: str, user_id: int, query: str, variables: dict[str, Any]) -> Callable[[], Any]:
    """A call that executes ``query`` (one ``me { videos }`` page) with ``engine`` for the user,
    on the page the selector returned once, and gives the result's data."""
    user = User.objects.get(pk=user_id)
    page = _loaded_page(user, first=variables["first"])
    request = _request(user)  # once: building a request is Django's work, not the engine's
    run = _ENGINES[engine]

    def call() -> Any:
        with _serving(page):
            return run(request, query, variables)

    return call


def _loaded_page(user: User, *, first: int) -> Page[Any]:
    page = selectors.user_videos_page(viewer=user, owner=user, first=first, after=None, viewer_flags=False)
    return Page(list(page.items), list(page.cursors), page.has_next_page, page.has_previous_page)


@contextmanager
def _serving(page: Page[Any]) -> Iterator[None]:
    """The selector answers with the loaded page (its own work is timed in the whole request)."""
    with mock.patch.object(selectors, "user_videos_page", lambda **_: page):
        yield


def _request(user: User) -> HttpRequest:
    request = RequestFactory().post("/graphql/")
    request.user = user
    return request


def _graphene(request: HttpRequest, query: str, variables: dict[str, Any]) -> Any:
    """As ``graphene_execution.CachedDocumentsView`` executes: the cached document, our executor."""
    result = execute(
        graphene_schema.schema.graphql_schema,
        documents.parse_document(query),
        context_value=request,
        variable_values=variables,
        execution_context_class=graphene_execution.ExecutionContext,
    )
    return _data(result)


def _strawberry(request: HttpRequest, query: str, variables: dict[str, Any]) -> Any:
    context = StrawberryDjangoContext(request=request, response=TemporalHttpResponse())
    return _data(strawberry_schema.execute_sync(query, variable_values=variables, context_value=context))


def _data(result: Any) -> Any:
    if result.errors:
        raise AssertionError(f"execution alone failed: {result.errors}")
    return result.data


Execute = Callable[[HttpRequest, str, dict[str, Any]], Any]
_ENGINES: dict[str, Execute] = {"graphene": _graphene, "strawberry": _strawberry}
