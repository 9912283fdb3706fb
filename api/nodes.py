"""``node(id:)`` lookups, engine-neutral: each node type fetches through its own selector, so a
global ID never bypasses a policy (a favorite is found only by its saver)."""

from collections.abc import Callable
from typing import Any

from accounts import selectors as account_selectors
from accounts.viewers import Viewer
from api.policies import token_may_read_type
from engagement import search
from engagement import selectors as engagement_selectors
from engagement.analytics import exports
from kernel.errors import NotFound
from kernel.ids import parse_global_id

NodeLoader = Callable[[Viewer, int], Any]


def _user(viewer: Viewer, pk: int) -> Any:
    return account_selectors.users_by_ids(viewer=viewer, user_ids=[pk]).get(pk)


def _video(viewer: Viewer, pk: int) -> Any:
    return engagement_selectors.videos_by_ids(viewer=viewer, video_ids=[pk]).get(pk)


def _hashtag(viewer: Viewer, pk: int) -> Any:
    return search.hashtags_by_ids(viewer=viewer, hashtag_ids=[pk]).get(pk)


def _or_none(loader: Callable[..., Any], key: str) -> NodeLoader:
    def load(viewer: Viewer, pk: int) -> Any:
        try:
            return loader(viewer=viewer, **{key: pk})
        except NotFound:
            return None

    return load


NODE_LOADERS: dict[str, NodeLoader] = {
    "User": _user,
    "Video": _video,
    "Comment": _or_none(engagement_selectors.comment_get, "comment_id"),
    "Favorite": _or_none(engagement_selectors.favorite_get, "favorite_id"),
    "FavoriteCollection": _or_none(engagement_selectors.collection_get, "collection_id"),
    "Notification": _or_none(engagement_selectors.notification_get, "notification_id"),
    "Hashtag": _hashtag,
    "InsightsExport": _or_none(exports.export_get, "export_id"),
}


def node_load(*, viewer: Viewer, global_id: str, token_scopes: frozenset[str] | None = None) -> Any:
    """The object behind a global ID, or None when missing, invisible, of an unknown type, or of a
    type the request's token scopes cannot read (``token_scopes``: None for a session)."""
    type_name, pk = parse_global_id(global_id)
    loader = NODE_LOADERS.get(type_name)
    if loader is None or not token_may_read_type(token_scopes, type_name):
        return None
    return loader(viewer, pk)
