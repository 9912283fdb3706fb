"""What the layers below the GraphQL one need to know of its HTTP side: which paths are the
GraphQL endpoints, and a refusal in GraphQL's shape (for the route checks, the lockout and the
error pages that answer on those paths before either engine runs)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from kernel import media
from kernel.request_ids import current_request_id


def on_graphql_path(request: HttpRequest) -> bool:
    """Whether ``request`` is for one of the GraphQL endpoints, matched on ``path_info`` as the
    URL resolver and the route declarations match it, so a service mounted under a prefix
    (``SCRIPT_NAME``) keeps every rule of these paths."""
    return request.path_info in settings.GRAPHQL_PATHS


def error_response(message: str, *, code: str, status: int, **extensions: Any) -> JsonResponse:
    """A refusal as a GraphQL response: one coded error with the id of the request it answers,
    and no ``data``, as nothing ran."""
    if "requestId" not in extensions and current_request_id.get():
        extensions["requestId"] = current_request_id.get()
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return JsonResponse(body, status=status, content_type=media.content_type(media.JSON))
