"""Field-level access: which audience a viewer belongs to for one parent object.

The engines' audience guards ask only this function; it answers with the app policies, so
both engines enforce the same rule from the same place.
"""

from typing import Any

from accounts.models import User
from accounts.policies import Viewer, is_signed_in
from backend.errors import DomainError, PermissionDenied, Unauthenticated
from backend.graphql.contract import Audience
from engagement import policies as engagement_policies
from engagement.models import Favorite, FavoriteCollection, Notification, Video
from engagement.selectors import InsightTotals

_OWNER_ID_ATTRIBUTE: dict[type, str] = {
    User: "pk",
    Video: "owner_id",
    Favorite: "user_id",
    FavoriteCollection: "owner_id",
    Notification: "recipient_id",
}


def _belongs_to_viewer(viewer: Viewer, parent: Any) -> bool:
    """SELF: the parent is the viewer's own."""
    for model, attribute in _OWNER_ID_ATTRIBUTE.items():
        if isinstance(parent, model):  # isinstance, not type(): request.user is a lazy proxy
            return is_signed_in(viewer) and getattr(parent, attribute) == viewer.pk
    return False


def _may_read_aggregates(viewer: Viewer, parent: Any) -> bool:
    if isinstance(parent, InsightTotals):
        return True  # Built by the insights selector only after its own policy check.
    if isinstance(parent, Video):
        return engagement_policies.can_view_insights(viewer, parent)
    return False


def field_denial(viewer: Viewer, audience: Audience, parent: Any) -> DomainError | None:
    """None when the viewer may read a field of ``parent`` with this audience; else the error.

    Unknown parents and unknown audiences are denied: nothing is readable by omission.
    """
    if audience is Audience.PUBLIC:
        return None
    if audience is Audience.SELF and parent is None:
        return None  # A root SELF edge (``me``) resolves to the viewer's own world, or null.
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
