"""The Query root and the caller's rate limit, declared once for both engines: `me`, `user`,
`video`, `node`, `forYou`, `hashtag`, `search`, `subdivisions` and `rateLimit`; and the Subscription root, served
over WebSocket: `notifications`."""

from collections.abc import Callable
from typing import Any

from accounts import places
from accounts import selectors as account_selectors
from accounts.policies import is_signed_in
from api.contract import ANY_TOKEN, PROFILE_SCOPES, Audience
from api.declarations import PAGE_ARGS, Arg, Call, Field, ObjectType, described_arg
from api.engagement import subscriptions
from api.engagement.resolvers import reads_video_flags
from api.nodes import node_load
from api.policies import may_personalize
from engagement import search
from engagement import selectors as engagement_selectors
from kernel.errors import NotFound
from kernel.ids import decode_id
from kernel.routes import token_scopes_of

P, S = Audience.PUBLIC, Audience.SELF


def _null_when_missing(load: Callable[[], Any]) -> Any:
    """Missing and invisible are both null at the root: the answer never tells them apart."""
    try:
        return load()
    except NotFound:
        return None


def query_me(root: None, call: Call) -> Any:
    viewer = call.viewer
    return viewer if is_signed_in(viewer) else None


def query_user(root: None, call: Call, *, username: str) -> Any:
    return _null_when_missing(lambda: account_selectors.user_get_by_username(viewer=call.viewer, username=username))


def query_video(root: None, call: Call, *, id: str) -> Any:
    video_id = decode_id(id, expected="Video", field="id")
    return _null_when_missing(lambda: engagement_selectors.video_get(viewer=call.viewer, video_id=video_id))


def query_hashtag(root: None, call: Call, *, name: str) -> Any:
    return _null_when_missing(lambda: search.hashtag_get(viewer=call.viewer, name=name))


def query_search(root: None, call: Call, *, query: str) -> Any:
    return search.search_start(query=query)


def query_subdivisions(root: None, call: Call, *, country: str) -> Any:
    return places.country_subdivisions(country)


def query_rate_limit(root: None, call: Call) -> Any:
    """The budget the transport layer charged for this request (None outside HTTP)."""
    return getattr(call.request, "graphql_budget", None)


def query_node(root: None, call: Call, *, id: str) -> Any:
    """By the request, not only its viewer: an access token sees only the node types its scopes
    can read, so a favorite's id answers null to an insights token as a missing one does."""
    return node_load(viewer=call.viewer, global_id=id, token_scopes=token_scopes_of(call.request))


def query_for_you(root: None, call: Call, *, first: int | None, after: str | None) -> Any:
    """The For You feed, personalized for a session, the viewer's global ranking for a token."""
    return engagement_selectors.for_you_page(
        viewer=call.viewer,
        first=first,
        after=after,
        personal=may_personalize(token_scopes_of(call.request)),
        viewer_flags=reads_video_flags(call),
    )


_ID_ARG = {"id": described_arg("id", "ID!")}

OBJECT_TYPES = (
    ObjectType(
        "Query",
        "The read entry points.",
        fields=(
            Field(
                "me",
                "Me",
                S,
                "The signed-in user's own world; null for anonymous requests.",
                resolve=query_me,
                token_scopes=ANY_TOKEN,  # the token's owner; each field of Me has its own rule
            ),
            Field(
                "user",
                "User",
                P,
                "A public profile by username; null when there is no such user.",
                resolve=query_user,
                args={"username": described_arg("username", "String!")},
            ),
            Field(
                "video",
                "Video",
                P,
                "A video by global ID; null when it does not exist or is not visible to the viewer.",
                resolve=query_video,
                args=_ID_ARG,
            ),
            Field(
                "hashtag",
                "Hashtag",
                P,
                "A hashtag by name, with or without `#`, in any case; null when no video the viewer may see (of an "
                "account they did not mute) carries it.",
                resolve=query_hashtag,
                args={"name": described_arg("name", "String!")},
            ),
            Field(
                "search",
                "SearchResults",
                P,
                "Search captions, accounts and hashtags among what the viewer may see. The query is 1 to 100 "
                "characters; anything else is BAD_USER_INPUT.",
                resolve=query_search,
                args={"query": described_arg("query", "String!")},
            ),
            Field(
                "node",
                "Node",
                P,
                "Any object by global ID; null when it does not exist or is not visible to the viewer.",
                resolve=query_node,
                args=_ID_ARG,
            ),
            Field(
                "forYou",
                "VideoConnection!",
                P,
                "Videos the viewer may see, best first by the For You ranking (docs/ARCHITECTURE.md), never the "
                "viewer's own nor those of accounts they muted. The ranking reads public totals, recency and noisy, "
                "coarsened daily totals of saves and completions, refreshed on a schedule; for a signed-in session it "
                "also reads the viewer's own follows, likes and saves, and leaves out the videos they saved or "
                "watched to the end.",
                resolve=query_for_you,
                args=PAGE_ARGS,
                reads_selection=True,
            ),
            Field(
                "subdivisions",
                "[Subdivision!]!",
                P,
                "Reference data: the ISO 3166-2 subdivisions of a country at every level, by code, such as a "
                "profile's `region` takes and breakdowns by region name (by their top level). BAD_USER_INPUT for "
                "anything but an ISO 3166-1 alpha-2 code.",
                resolve=query_subdivisions,
                args={"country": Arg("String!", "An ISO 3166-1 alpha-2 country code, such as FR.")},
            ),
            Field(
                "rateLimit",
                "RateLimit",
                P,
                "The caller's hourly cost budget after this request (GitHub-style).",
                resolve=query_rate_limit,
            ),
        ),
    ),
    ObjectType(
        "Subdivision",
        "An ISO 3166-2 subdivision of a country: reference data, the same for everyone.",
        fields=(
            Field("code", "String!", P, "The ISO 3166-2 code, such as FR-IDF."),
            Field("name", "String!", P, "Its name, as ISO 3166-2 gives it."),
            Field("kind", "String!", P, "Its level, as ISO 3166-2 names it (such as Metropolitan region)."),
            Field("parent", "String", P, "The code of the subdivision it lies in; null at the top level."),
        ),
    ),
    ObjectType(
        "RateLimit",
        "The caller's hourly cost budget: one per credential (the session, each access token or application "
        "grant), anonymous callers per IP.",
        fields=(
            Field("limit", "Int!", P, "Points the caller may spend per hour."),
            Field(
                "cost",
                "Int!",
                P,
                "Points this request cost: the objects it may return, connections multiplied by `first`.",
            ),
            Field("remaining", "Int!", P, "Points left in this hour."),
            Field("resetAt", "DateTime!", P, "When the budget is refilled (UTC).", source="reset_time"),
        ),
    ),
    ObjectType(
        "Subscription",
        "The live entry points, over WebSocket (the graphql-transport-ws protocol) at either GraphQL path; "
        "refused over HTTP.",
        fields=(
            Field(
                "notifications",
                "NotificationEvent!",
                S,
                "The viewer's notifications as they happen: first the unread count as it stands (`notification: "
                "null`), then each new notification and each change of the count. UNAUTHENTICATED when signed out.",
                subscribe=subscriptions.subscription_notifications,
                token_scopes=PROFILE_SCOPES,  # as `Me.notifications`
            ),
        ),
    ),
)
