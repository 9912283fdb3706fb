"""Delegated insights (docs/ARCHITECTURE.md, "Delegation is an object permission"): grant and revoke,
one video or all of an owner's videos (present and future), ``Me.managedVideos``, and no leak to anyone
else's videos."""

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User
from tests.analytics.conftest import backdate, crowd_watches, days_ago, last_ten_days, roll_up, token_for
from tests.api.cases import assert_data, assert_denied, assert_single_error
from tests.api.conftest import World, gid, missing_gid
from tests.domain.helpers import db_state
from tests.factories import make_video

GRANT = """
mutation($name: String!, $video: ID) {
  grantInsightsAccess(input: {username: $name, videoId: $video}) { grantee { username } video { id } }
}
"""
REVOKE = """
mutation($name: String!, $video: ID) {
  revokeInsightsAccess(input: {username: $name, videoId: $video}) { grantee { username } revoked }
}
"""
INSIGHTS = """
query($id: ID!, $from: Date!, $to: Date!) {
  video(id: $id) { id insights { saveCount daily(from: $from, to: $to) { date views } } }
}
"""
MANAGED = "{ me { managedVideos { edges { node { id owner { username } insights { viewCount } } } } } }"


def reads_insights(client: Any, video: Any) -> bool:
    """Whether ``client`` reads the video's insights; otherwise the denial is checked to be FORBIDDEN."""
    response = client(INSIGHTS, {"id": gid(video), **last_ten_days()})
    if response.errors:
        assert_denied(response, ("video", "insights"), "FORBIDDEN")
        return False
    assert response.data["video"]["insights"]["daily"] is not None
    return True


def managed(client: Any) -> list[str]:
    return [edge["node"]["id"] for edge in assert_data(client(MANAGED), ("me", "managedVideos", "edges"))]


def test_one_video_granted_then_revoked(gql: Any, world: World) -> None:
    """Given the creator grants the other creator one video, then that account reads that video's
    totals and series, lists it in managedVideos, and still not the creator's other video; after
    the revoke it reads neither and lists nothing."""
    owner, delegate = gql(world.creator), gql(world.other_creator)
    crowd_watches(backdate(world.public_video, 20), days_ago(5))
    roll_up(days_ago(10))

    granted = owner(GRANT, {"name": "other_creator", "video": gid(world.public_video)})

    assert granted.data == {
        "grantInsightsAccess": {"grantee": {"username": "other_creator"}, "video": {"id": gid(world.public_video)}}
    }
    assert reads_insights(delegate, world.public_video)
    assert not reads_insights(delegate, world.locked_video)
    assert managed(delegate) == [gid(world.public_video)]
    series = delegate(INSIGHTS, {"id": gid(world.public_video), **last_ten_days()}).data["video"]["insights"]["daily"]
    assert {"date": days_ago(5).isoformat(), "views": 150} in series

    revoked = owner(REVOKE, {"name": "other_creator", "video": gid(world.public_video)})
    again = owner(REVOKE, {"name": "other_creator", "video": gid(world.public_video)})

    assert revoked.data["revokeInsightsAccess"] == {"grantee": {"username": "other_creator"}, "revoked": True}
    assert again.data["revokeInsightsAccess"]["revoked"] is False
    assert not reads_insights(delegate, world.public_video)
    assert managed(delegate) == []


def test_all_videos_granted_covers_future_videos_and_nobody_elses(gql: Any, world: World) -> None:
    """Given the creator grants all their videos (no videoId), then the delegate reads every one
    of them, including one posted afterwards and a PRIVATE one, and none of another owner's; the
    revoke without videoId takes everything back, per-video grants included."""
    owner, delegate = gql(world.creator), gql(world.viewer)
    owner(GRANT, {"name": "viewer", "video": gid(world.public_video)})

    granted = owner(GRANT, {"name": "viewer"})
    later = make_video(world.creator, caption="posted after the grant")

    assert granted.data == {"grantInsightsAccess": {"grantee": {"username": "viewer"}, "video": None}}
    creators_videos = [world.public_video, world.friends_video, world.locked_video, later]
    assert all(reads_insights(delegate, video) for video in creators_videos)
    assert not reads_insights(delegate, world.other_creator_video)
    assert set(managed(delegate)) == {gid(video) for video in [*creators_videos, world.private_video]}

    revoked = owner(REVOKE, {"name": "viewer"})

    assert revoked.data["revokeInsightsAccess"]["revoked"] is True
    assert managed(delegate) == []
    assert not any(reads_insights(delegate, video) for video in creators_videos)


def test_a_grant_reaches_no_other_owners_video(gql: Any, world: World) -> None:
    """Given the other creator granted the viewer all their videos, then the viewer reads none of
    the creator's, and the creator's delegate reads none of the other creator's."""
    gql(world.other_creator)(GRANT, {"name": "viewer"})
    gql(world.creator)(GRANT, {"name": "other_viewer", "video": gid(world.public_video)})

    assert reads_insights(gql(world.viewer), world.other_creator_video)
    assert not reads_insights(gql(world.viewer), world.public_video)
    assert not reads_insights(gql(world.other_viewer), world.other_creator_video)
    assert managed(gql(world.other_viewer)) == [gid(world.public_video)]


def test_a_delegate_of_a_personal_accounts_video_gets_totals_only(gql: Any, world: World) -> None:
    video = make_video(world.viewer)
    gql(world.viewer)(GRANT, {"name": "creator", "video": gid(video)})

    response = gql(world.creator)(INSIGHTS, {"id": gid(video), **last_ten_days()})

    assert_denied(response, ("video", "insights", "daily"), "FORBIDDEN")
    assert response.data["video"]["insights"]["saveCount"] == 0


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("another owner's video", "FORBIDDEN"),
        ("a video the actor cannot see", "NOT_FOUND"),
        ("a missing video", "NOT_FOUND"),
        ("an unknown account", "NOT_FOUND"),
        ("oneself", "BAD_USER_INPUT"),
    ],
)
@pytest.mark.parametrize("document", [GRANT, REVOKE], ids=["grant", "revoke"])
def test_refused_delegations_change_nothing(gql: Any, world: World, document: str, case: str, code: str) -> None:
    """Only an owner delegates their own videos, to someone else who exists; a video the actor
    cannot see is NOT_FOUND like a missing one (hidden is missing)."""
    variables = {
        "another owner's video": {"name": "viewer", "video": gid(world.other_creator_video)},
        "a video the actor cannot see": {"name": "viewer", "video": gid(world.private_account_video)},
        "a missing video": {"name": "viewer", "video": missing_gid("Video")},
        "an unknown account": {"name": "nobody_at_all"},
        "oneself": {"name": "creator"},
    }[case]
    before = db_state()

    response = gql(world.creator)(document, variables)

    assert_single_error(response, code)
    assert db_state() == before
    assert managed(gql(world.viewer)) == []


@pytest.mark.parametrize("document", [GRANT, REVOKE], ids=["grant", "revoke"])
def test_delegation_needs_a_signed_in_session(gql: Any, world: World, document: str) -> None:
    """Anonymous: UNAUTHENTICATED. A token, even with every scope: FORBIDDEN (delegation is the
    owner's own act, never a script's)."""
    every_scope = token_for(world.creator, "INSIGHTS_READ", "PROFILE_READ", "FAVORITES_READ", "INTERACTIONS_WRITE")
    variables = {"name": "viewer"}
    name = "grantInsightsAccess" if document is GRANT else "revokeInsightsAccess"

    assert_denied(gql(None)(document, variables), (name,), "UNAUTHENTICATED")
    assert_denied(gql(token=every_scope)(document, variables), (name,), "FORBIDDEN")
    assert managed(gql(world.viewer)) == []


def test_global_permissions_do_not_widen_delegation(gql: Any, world: World) -> None:
    """Given the other creator holds the model-level permissions (both of them), then they still
    read no video's insights but their own: only object permissions delegate."""
    user = User.objects.get(pk=world.other_creator.pk)
    user.user_permissions.add(*Permission.objects.filter(codename="view_video_insights"))

    assert not reads_insights(gql(user), world.public_video)
    assert managed(gql(user)) == []
