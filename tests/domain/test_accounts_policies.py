"""Policies of the accounts app: who is signed in, the follow graph, liked videos
(docs/ARCHITECTURE.md, "Liked videos") and follow lists behind a private account."""

from typing import Any

import pytest

from accounts import policies
from accounts.models import LikedVideosVisibility, User
from tests.domain.helpers import anonymous
from tests.factories import make_follow, make_friends, make_user

pytestmark = pytest.mark.django_db


def test_signed_in_means_authenticated_and_active() -> None:
    """A deactivated account holding a session must not act as a user."""
    active = make_user()
    inactive = make_user(is_active=False)

    assert policies.is_signed_in(active)
    assert not policies.is_signed_in(inactive)
    assert not policies.is_signed_in(anonymous())
    assert not policies.is_signed_in(None)


def test_is_self() -> None:
    me, other = make_user(), make_user()
    assert policies.is_self(me, me)
    assert not policies.is_self(other, me)
    assert not policies.is_self(anonymous(), me)


def test_friendship_needs_two_accepted_follows() -> None:
    """Friends are mutual followers; a one-way or a pending edge is not friendship."""
    a, b, c, d = make_user(), make_user(), make_user(), make_user()
    make_friends(a, b)
    make_follow(a, c)
    make_follow(a, d)
    make_follow(d, a, accepted=False)

    assert policies.are_friends(a, b)
    assert policies.are_friends(b, a)
    assert not policies.are_friends(a, c)
    assert not policies.are_friends(c, a)
    assert not policies.are_friends(a, d)
    assert not policies.are_friends(a, a)
    assert not policies.are_friends(anonymous(), a)


def test_friends_q_matches_only_mutual_followers() -> None:
    me, friend, fan, idol = make_user(), make_user(), make_user(), make_user()
    make_friends(me, friend)
    make_follow(fan, me)
    make_follow(me, idol)

    matched = set(User.objects.filter(policies.friends_q(me, field="pk")).values_list("pk", flat=True))

    assert matched == {friend.pk}
    assert not User.objects.filter(policies.friends_q(anonymous(), field="pk")).exists()


def test_follows_accepted_ignores_pending() -> None:
    follower, pending, target = make_user(), make_user(), make_user(is_private=True)
    make_follow(follower, target)
    make_follow(pending, target, accepted=False)

    assert policies.follows_accepted(follower, target)
    assert not policies.follows_accepted(pending, target)
    assert not policies.follows_accepted(target, follower)
    assert not policies.follows_accepted(anonymous(), target)


def test_visible_users_hides_deactivated_accounts() -> None:
    active, gone = make_user(), make_user(is_active=False)

    visible = policies.visible_users(anonymous(), User.objects.filter(pk__in=[active.pk, gone.pk]))

    assert list(visible) == [active]


SELF, STRANGER, FOLLOWER, ANONYMOUS = "self", "stranger", "follower", "anonymous"

# Who sees a user's liked videos, by (setting, account is private).
WHO_SEES_LIKES: dict[tuple[str, bool], set[str]] = {
    (LikedVideosVisibility.ONLY_ME, False): {SELF},
    (LikedVideosVisibility.ONLY_ME, True): {SELF},
    (LikedVideosVisibility.EVERYONE, False): {SELF, STRANGER, FOLLOWER, ANONYMOUS},
    (LikedVideosVisibility.EVERYONE, True): {SELF, FOLLOWER},
}


def viewer_for(kind: str, user: User) -> Any:
    if kind == SELF:
        return user
    if kind == ANONYMOUS:
        return anonymous()
    viewer = make_user()
    if kind == FOLLOWER:
        make_follow(viewer, user)
    return viewer


@pytest.mark.parametrize(
    ("setting", "private", "kind", "expected"),
    [
        pytest.param(setting, private, kind, kind in seen, id=f"{setting}-{'private' if private else 'open'}-{kind}")
        for (setting, private), seen in WHO_SEES_LIKES.items()
        for kind in (SELF, STRANGER, FOLLOWER, ANONYMOUS)
    ],
)
def test_liked_videos_visibility(setting: str, private: bool, kind: str, expected: bool) -> None:
    """Liked videos are SELF unless the user chose EVERYONE; a private account still limits
    EVERYONE to approved followers."""
    user = make_user(liked_videos_visibility=setting, is_private=private)
    viewer = viewer_for(kind, user)

    assert policies.can_see_liked_videos(viewer, user) is expected


def test_follow_lists_hidden_behind_a_private_account() -> None:
    private, public = make_user(is_private=True), make_user()
    follower, pending, stranger = make_user(), make_user(), make_user()
    make_follow(follower, private)
    make_follow(pending, private, accepted=False)

    assert policies.can_see_follow_lists(private, private)
    assert policies.can_see_follow_lists(follower, private)
    assert not policies.can_see_follow_lists(pending, private)
    assert not policies.can_see_follow_lists(stranger, private)
    assert not policies.can_see_follow_lists(anonymous(), private)
    assert policies.can_see_follow_lists(anonymous(), public)
