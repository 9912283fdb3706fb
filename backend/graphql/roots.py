"""The Query root's resolution, engine-neutral: `me`, `user`, `video` and `node`."""

from collections.abc import Callable
from typing import Any

from accounts import selectors as account_selectors
from accounts.policies import Viewer, is_signed_in
from backend.errors import NotFound
from backend.graphql.execution import request_user
from backend.graphql.ids import decode_id
from backend.graphql.nodes import node_load
from backend.routes import token_scopes_of
from engagement import selectors as engagement_selectors


def _null_when_missing(load: Callable[[], Any]) -> Any:
    """Missing and invisible are both null at the root (rule 7)."""
    try:
        return load()
    except NotFound:
        return None


def query_me(viewer: Viewer) -> Any:
    return viewer if is_signed_in(viewer) else None


def query_user(viewer: Viewer, username: str) -> Any:
    return _null_when_missing(lambda: account_selectors.user_get_by_username(viewer=viewer, username=username))


def query_video(viewer: Viewer, global_id: str) -> Any:
    video_id = decode_id(global_id, expected="Video", field="id")
    return _null_when_missing(lambda: engagement_selectors.video_get(viewer=viewer, video_id=video_id))


def query_rate_limit(request: Any) -> Any:
    """The budget the transport layer charged for this request (None outside HTTP)."""
    return getattr(request, "graphql_budget", None)


def query_node(request: Any, global_id: str) -> Any:
    """By the request, not only its viewer: an access token sees only the node types its scopes
    can read, so a favorite's id answers null to an insights token as a missing one does."""
    return node_load(viewer=request_user(request), global_id=global_id, token_scopes=token_scopes_of(request))
