"""Field-level access: which audience a viewer belongs to for one parent object.

The engines' audience guards ask only this module (``field_denial`` before a field resolves,
``value_denial`` after); it answers with the app policies, so both engines enforce the same rule
from the same place.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from oauth2_provider.models import AccessToken

from accounts.models import User
from accounts.policies import is_signed_in
from accounts.viewers import Viewer
from api.contract import ANY_TOKEN, SESSION_ONLY, TYPE_TOKEN_SCOPES, Audience, TokenScopes
from api.mutations import ActorPayload
from engagement import policies as engagement_policies
from engagement.analytics.overview import InsightsOverview, OverviewChange, OverviewTotals
from engagement.analytics.privacy import AggregateResult
from engagement.analytics.selectors import AccountInsights, TopVideo
from engagement.analytics.top_rates import TopVideoByRate
from engagement.analytics.weekly import WeeklyActivity
from engagement.models import Favorite, FavoriteCollection, InsightsExport, Notification, Video
from engagement.selectors import InsightTotals, NotificationEvent
from kernel.errors import DomainError, PermissionDenied, Unauthenticated
from kernel.pagination import Page

_OWNER_ID_ATTRIBUTE: dict[type, str] = {
    User: "pk",
    Video: "owner_id",
    Favorite: "user_id",
    FavoriteCollection: "owner_id",
    Notification: "recipient_id",
    NotificationEvent: "recipient_id",
    AccessToken: "user_id",
    AccountInsights: "owner_id",
    TopVideo: "owner_id",
    TopVideoByRate: "owner_id",
    InsightsOverview: "owner_id",
    OverviewTotals: "owner_id",
    OverviewChange: "owner_id",
    WeeklyActivity: "owner_id",
    InsightsExport: "owner_id",
}


def _belongs_to_viewer(viewer: Viewer, parent: Any) -> bool:
    """SELF: the parent is the viewer's own."""
    for model, attribute in _OWNER_ID_ATTRIBUTE.items():
        if isinstance(parent, model):  # isinstance, not type(): request.user is a lazy proxy
            return is_signed_in(viewer) and getattr(parent, attribute) == viewer.pk
    return False


def _is_ownerless(parent: Any) -> bool:
    """A root (no parent) or a mutation's payload: made for this request's viewer alone."""
    return parent is None or isinstance(parent, ActorPayload)


def _is_viewers_own(viewer: Viewer, value: Any) -> bool:
    """The value is nothing, or the viewer's own object(s): a page or list only if every item is."""
    if value is None:
        return True
    if isinstance(value, Page):
        return all(_is_viewers_own(viewer, item) for item in value.items)
    if isinstance(value, list | tuple):
        return all(_is_viewers_own(viewer, item) for item in value)
    return _belongs_to_viewer(viewer, value)


def _may_read_aggregates(viewer: Viewer, parent: Any) -> bool:
    if isinstance(parent, InsightTotals | AggregateResult):
        return True  # Built by the insights selectors only after their own policy check.
    if isinstance(parent, Video):
        return engagement_policies.can_view_insights(viewer, parent)
    return False


def scope_denial(token_scopes: frozenset[str] | None, required: TokenScopes) -> DomainError | None:
    """A token request needs one of the field's scopes (the contract's token rule); a session is
    not scoped. Checked before the audience, so both engines refuse a token alike."""
    if token_scopes is None:
        return None
    if required is SESSION_ONLY:
        return PermissionDenied("Access tokens cannot do this: it needs a signed-in session.")
    if required and not token_scopes & {scope.value for scope in required}:
        return PermissionDenied(f"This token's scopes do not include {' or '.join(sorted(required))}.")
    return None


def token_may_read_type(token_scopes: frozenset[str] | None, type_name: str) -> bool:
    """Whether a request's token may see objects of a type at all (a session may): a type its
    scopes cannot read is invisible in every form, ``node(id:)`` and ``__typename`` included."""
    return scope_denial(token_scopes, TYPE_TOKEN_SCOPES.get(type_name, ANY_TOKEN)) is None


def may_personalize(token_scopes: frozenset[str] | None) -> bool:
    """Whether a feed may be ranked with the viewer's own rows (their follows, likes, saves and
    completed views): for a session only. The order of a personalized feed tells those rows, and
    a token's scopes may not cover them (views no scope covers at all)."""
    return token_scopes is None


def field_denial(
    viewer: Viewer,
    audience: Audience,
    parent: Any,
    *,
    token_scopes: frozenset[str] | None = None,
    required_scopes: TokenScopes = ANY_TOKEN,
) -> DomainError | None:
    """None when the viewer may read a field of ``parent`` with this audience; else the error.

    ``token_scopes`` are those of the request's access token (None for a session), checked
    against ``required_scopes``. Unknown parents and unknown audiences are denied: nothing is
    readable by omission.

    Within ``field_decisions_remembered()`` (one query's execution), an *allowed* decision is
    remembered for that very parent object and viewer, so the other fields of the same object
    with the same audience do not ask again; denials are always computed afresh.
    """
    remembered = _remembered.get()
    if remembered is None:
        return _field_denial(viewer, audience, parent, token_scopes, required_scopes)
    key = (id(parent), id(viewer), audience, token_scopes, required_scopes)
    seen = remembered.get(key)
    if seen is not None and seen[0] is parent and seen[1] is viewer:
        return None
    denial = _field_denial(viewer, audience, parent, token_scopes, required_scopes)
    if denial is None:
        remembered[key] = (parent, viewer)  # holding both keeps their ids from being reused
    return denial


_remembered: ContextVar[dict[tuple[Any, ...], tuple[Any, Any]] | None] = ContextVar("field_decisions", default=None)


@contextmanager
def field_decisions_remembered() -> Iterator[None]:
    """Remember allowed field decisions while one *query* executes (see ``field_denial``). Not
    for mutations: a mutation may change what a later field of the same request may read."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def _field_denial(
    viewer: Viewer,
    audience: Audience,
    parent: Any,
    token_scopes: frozenset[str] | None,
    required_scopes: TokenScopes,
) -> DomainError | None:
    denial = scope_denial(token_scopes, required_scopes)
    if denial is not None:
        return denial
    if audience is Audience.PUBLIC:
        return None
    if audience is Audience.SELF and _is_ownerless(parent):
        return None  # A SELF edge of a root (``me``) or a payload: ``value_denial`` checks its value.
    if not is_signed_in(viewer):
        return Unauthenticated("Sign in to see this field.")
    if audience is Audience.AUTHENTICATED:
        return None
    if audience is Audience.SELF and _belongs_to_viewer(viewer, parent):
        return None
    if audience is Audience.OWNER_AGGREGATE and _may_read_aggregates(viewer, parent):
        return None
    if audience is Audience.STAFF and viewer.is_staff:
        return None
    return PermissionDenied("This field is not visible to you.")


def value_denial(viewer: Viewer, audience: Audience, parent: Any, value: Any) -> DomainError | None:
    """After a field resolved: a SELF field of an ownerless parent (a root such as ``me``, a
    mutation's payload) must have produced the viewer's own data, or nothing.

    This is what makes such an edge *bound to the viewer*, the property the privacy audit relies
    on: a resolver that returned someone else's favorite there would be refused, not trusted.
    """
    if not checks_values(audience) or not _is_ownerless(parent) or _is_viewers_own(viewer, value):
        return None
    return PermissionDenied("This field is not visible to you.")


def checks_values(audience: Audience) -> bool:
    """Whether ``value_denial`` can refuse anything for this audience: SELF alone. The engines'
    fast path skips the call for the others."""
    return audience is Audience.SELF
