"""Services of the accounts app: sign-up, profile and privacy settings, the follow graph.

Every refusal is checked twice: the right domain error, and a database that did not move.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.models import Follow, FollowStatus, InteractionAudience, LikedVideosVisibility, User
from engagement.models import Notification, NotificationKind
from engagement.services import follow
from kernel.errors import InvalidInput, NotFound, Unauthenticated
from tests.domain.helpers import anonymous, db_state
from tests.factories import make_follow, make_user

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "correct-horse-battery-staple-91"


def counts(user: User) -> tuple[int, int]:
    user.refresh_from_db()
    return user.follower_count, user.following_count


# Sign-up -------------------------------------------------------------------------------------


def test_sign_up_creates_a_user_with_a_hashed_password() -> None:
    user = services.user_sign_up(username="New.User_1", password=GOOD_PASSWORD, email="new@example.com", country="fr")

    stored = User.objects.get(pk=user.pk)
    assert stored.username == "new.user_1"  # usernames are case-insensitive, stored lower-case
    assert stored.country == "FR"
    assert stored.password != GOOD_PASSWORD
    assert stored.check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("short1!", id="too-short"),
        pytest.param("password", id="common"),
        pytest.param("48291637502", id="numeric"),
        pytest.param("sunflower.fan", id="similar-to-username"),
    ],
)
def test_sign_up_validates_passwords_with_django_validators(password: str) -> None:
    """Weak passwords are refused by AUTH_PASSWORD_VALIDATORS, not by a home-made rule."""
    before = db_state()

    with pytest.raises(InvalidInput) as caught:
        services.user_sign_up(username="sunflower.fan", password=password, email="sun@example.com")

    assert caught.value.field == "password"
    assert db_state() == before


@pytest.mark.parametrize("username", ["taken", "TAKEN", "  Taken "])
def test_sign_up_rejects_a_duplicate_username(username: str) -> None:
    services.user_sign_up(username="taken", password=GOOD_PASSWORD, email="one@example.com")
    before = db_state()

    with pytest.raises(InvalidInput) as caught:
        services.user_sign_up(username=username, password=GOOD_PASSWORD, email="two@example.com")

    assert caught.value.field == "username"
    assert db_state() == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"username": "nul\x00name"}, "username", id="nul-in-username"),
        pytest.param({"username": "x" * 31}, "username", id="username-too-long"),
        pytest.param({"username": "a"}, "username", id="username-too-short"),
        pytest.param({"username": "no spaces"}, "username", id="username-bad-characters"),
        pytest.param({"email": "not-an-email"}, "email", id="email-without-at"),
        pytest.param({"email": "a@b\x00.com"}, "email", id="nul-in-email"),
        pytest.param({"account_type": "ROBOT"}, "accountType", id="unknown-account-type"),
        pytest.param({"country": "France"}, "country", id="country-not-alpha2"),
    ],
)
def test_sign_up_rejects_bad_input_and_creates_nothing(fields: dict[str, Any], field: str) -> None:
    arguments: dict[str, Any] = {"username": "fine.name", "password": GOOD_PASSWORD, "email": "fine@example.com"}
    arguments.update(fields)

    with pytest.raises(InvalidInput) as caught:
        services.user_sign_up(**arguments)

    assert caught.value.field == field
    assert not User.objects.exists()


# Profile and privacy settings ----------------------------------------------------------------


def test_update_profile_changes_only_given_fields() -> None:
    me = make_user(display_name="Old", bio="old bio")

    services.user_update_profile(actor=me, bio="  new bio  ", birth_year=1990, gender="UNDISCLOSED")

    me.refresh_from_db()
    assert (me.display_name, me.bio, me.birth_year, me.gender) == ("Old", "new bio", 1990, "UNDISCLOSED")


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"bio": "evil\x00bio"}, id="nul-in-bio"),
        pytest.param({"bio": "b" * 161}, id="bio-too-long"),
        pytest.param({"display_name": "d" * 65}, id="display-name-too-long"),
        pytest.param({"birth_year": 1899}, id="birth-year-too-early"),
        pytest.param({"gender": "ROBOT"}, id="unknown-gender"),
        pytest.param({"display_name": "fine", "country": "XYZ"}, id="valid-field-with-invalid-one"),
        pytest.param({"bio": "fine", "time_zone": "Mars/Olympus_Mons"}, id="unknown-time-zone"),
        pytest.param({"time_zone": "europe/paris"}, id="time-zone-in-the-wrong-case"),
        pytest.param({"time_zone": "localtime"}, id="the-servers-own-zone"),
    ],
)
def test_update_profile_rejects_bad_input_and_changes_nothing(fields: dict[str, Any]) -> None:
    me = make_user()
    before = db_state()

    with pytest.raises(InvalidInput):
        services.user_update_profile(actor=me, **fields)

    assert db_state() == before


def test_update_profile_needs_a_signed_in_user() -> None:
    with pytest.raises(Unauthenticated):
        services.user_update_profile(actor=anonymous(), bio="hi")


def test_update_privacy_settings() -> None:
    me = make_user()

    services.user_update_privacy_settings(
        actor=me,
        is_private=True,
        liked_videos_visibility=LikedVideosVisibility.EVERYONE,
        default_allow_download=False,
        default_allow_comments=InteractionAudience.FRIENDS,
    )

    me.refresh_from_db()
    assert me.is_private
    assert me.liked_videos_visibility == LikedVideosVisibility.EVERYONE
    assert not me.default_allow_download
    assert me.default_allow_comments == InteractionAudience.FRIENDS


def test_a_settings_change_keeps_a_follow_that_landed_meanwhile() -> None:
    """The signed-in user was loaded when the request began; a follow moved their counter in
    SQL since. Saving the settings must not put the old count back."""
    me, fan = make_user(), make_user()
    stale_me = User.objects.get(pk=me.pk)
    follow(actor=fan, username=me.username)

    services.user_update_privacy_settings(actor=stale_me, default_allow_download=False)
    services.user_update_profile(actor=stale_me, bio="still here")

    assert counts(me) == (1, 0)


def test_going_public_accepts_the_waiting_requests() -> None:
    """A public account has no requests: those waiting become followers, counted both ways."""
    me = make_user(is_private=True)
    fans = [make_user(), make_user()]
    for fan in fans:
        follow(actor=fan, username=me.username)
    assert counts(me) == (0, 0)

    services.user_update_privacy_settings(actor=me, is_private=False)

    assert set(Follow.objects.filter(followee=me).values_list("status", flat=True)) == {FollowStatus.ACCEPTED}
    assert counts(me) == (2, 0)
    assert [counts(fan) for fan in fans] == [(0, 1), (0, 1)]
    services.user_update_privacy_settings(actor=me, is_private=False)  # again: nothing left to accept
    assert counts(me) == (2, 0)


def test_staying_private_keeps_requests_pending() -> None:
    me, fan = make_user(is_private=True), make_user()
    follow(actor=fan, username=me.username)

    services.user_update_privacy_settings(actor=me, is_private=True, default_allow_download=False)

    assert Follow.objects.get().status == FollowStatus.PENDING
    assert counts(me) == (0, 0)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"is_private": True, "liked_videos_visibility": "FRIENDS"}, id="unknown-liked-visibility"),
        pytest.param({"default_allow_download": False, "default_allow_duet": "SOME"}, id="unknown-audience"),
    ],
)
def test_update_privacy_settings_rejects_unknown_enum_values_and_changes_nothing(fields: dict[str, Any]) -> None:
    """A valid field next to an invalid one is not half-applied."""
    me = make_user()
    before = db_state()

    with pytest.raises(InvalidInput):
        services.user_update_privacy_settings(actor=me, **fields)

    assert db_state() == before


def test_update_privacy_settings_needs_a_signed_in_user() -> None:
    with pytest.raises(Unauthenticated):
        services.user_update_privacy_settings(actor=anonymous(), is_private=True)


# Follow graph --------------------------------------------------------------------------------


def test_follow_a_public_account() -> None:
    """Given an open account, when I follow it, then the edge is accepted, both counters move and
    the followee is told."""
    me, idol = make_user(), make_user()

    edge = follow(actor=me, username=idol.username)

    assert edge.status == FollowStatus.ACCEPTED
    assert counts(idol) == (1, 0)
    assert counts(me) == (0, 1)
    assert list(Notification.objects.values_list("recipient_id", "actor_id", "kind")) == [
        (idol.pk, me.pk, NotificationKind.FOLLOW)
    ]


def test_follow_twice_is_one_follow() -> None:
    me, idol = make_user(), make_user()

    first = follow(actor=me, username=idol.username)
    second = follow(actor=me, username=idol.username)

    assert first.pk == second.pk
    assert Follow.objects.count() == 1
    assert counts(idol) == (1, 0)
    assert counts(me) == (0, 1)
    assert Notification.objects.count() == 1


def test_follow_a_private_account_is_a_request_until_approved() -> None:
    """Given a private account, when I follow it, then a PENDING edge and a FOLLOW_REQUEST
    notification exist and no counter moves; approval moves them."""
    me, private = make_user(), make_user(is_private=True)

    edge = follow(actor=me, username=private.username)

    assert edge.status == FollowStatus.PENDING
    assert counts(private) == (0, 0)
    assert counts(me) == (0, 0)
    assert list(Notification.objects.values_list("recipient_id", "kind")) == [
        (private.pk, NotificationKind.FOLLOW_REQUEST)
    ]
    follow(actor=me, username=private.username)  # asking twice is one request
    assert Follow.objects.count() == 1
    assert Notification.objects.count() == 1

    approved = services.follow_request_approve(actor=private, username=me.username)

    assert approved.status == FollowStatus.ACCEPTED
    assert Follow.objects.get().status == FollowStatus.ACCEPTED
    assert counts(private) == (1, 0)
    assert counts(me) == (0, 1)


@pytest.mark.postgres
def test_approving_locks_the_request_row_only() -> None:
    """Locking the requester's user row too would make an approval wait on (and deadlock with)
    the counter updates of their follows."""
    me, private = make_user(), make_user(is_private=True)
    follow(actor=me, username=private.username)

    with CaptureQueriesContext(connection) as queries:
        services.follow_request_approve(actor=private, username=me.username)

    locks = [query["sql"] for query in queries.captured_queries if "FOR UPDATE" in query["sql"]]
    assert locks
    assert all(sql.endswith('FOR UPDATE OF "accounts_follow"') for sql in locks), locks


def test_approving_twice_is_not_found_and_counts_once() -> None:
    me, private = make_user(), make_user(is_private=True)
    follow(actor=me, username=private.username)
    services.follow_request_approve(actor=private, username=me.username)

    with pytest.raises(NotFound):
        services.follow_request_approve(actor=private, username=me.username)

    assert counts(private) == (1, 0)


def test_only_the_followee_approves() -> None:
    me, private, intruder = make_user(), make_user(is_private=True), make_user()
    follow(actor=me, username=private.username)
    before = db_state()

    with pytest.raises(NotFound):
        services.follow_request_approve(actor=intruder, username=me.username)
    with pytest.raises(NotFound):
        services.follow_request_approve(actor=me, username=private.username)

    assert db_state() == before


def test_decline_removes_the_request_without_counting() -> None:
    me, private = make_user(), make_user(is_private=True)
    follow(actor=me, username=private.username)

    assert services.follow_request_decline(actor=private, username=me.username) is True

    assert not Follow.objects.exists()
    assert counts(private) == (0, 0)
    assert counts(me) == (0, 0)


def test_unfollow_moves_counters_back() -> None:
    me, idol = make_user(), make_user()
    follow(actor=me, username=idol.username)

    assert services.unfollow(actor=me, username=idol.username) is True
    assert services.unfollow(actor=me, username=idol.username) is False

    assert not Follow.objects.exists()
    assert counts(idol) == (0, 0)
    assert counts(me) == (0, 0)


def test_withdrawing_a_pending_request_moves_no_counter() -> None:
    me, private = make_user(), make_user(is_private=True)
    make_follow(make_user(), private)  # someone already accepted, so a wrong decrement would show
    follow(actor=me, username=private.username)

    assert services.unfollow(actor=me, username=private.username) is True

    assert counts(private) == (1, 0)
    assert counts(me) == (0, 0)


def test_cannot_follow_yourself() -> None:
    me = make_user()
    with pytest.raises(InvalidInput):
        follow(actor=me, username=me.username)
    assert not Follow.objects.exists()


def test_following_a_deactivated_account_is_not_found_like_a_missing_one() -> None:
    me, gone = make_user(), make_user(is_active=False)

    with pytest.raises(NotFound) as hidden:
        follow(actor=me, username=gone.username)
    with pytest.raises(NotFound) as missing:
        follow(actor=me, username="nobody.here")

    assert str(hidden.value) == str(missing.value)
    assert not Follow.objects.exists()
    assert not Notification.objects.exists()


FOLLOW_GRAPH_WRITES: dict[str, Callable[..., Any]] = {
    "follow": follow,
    "unfollow": services.unfollow,
    "follow_request_approve": services.follow_request_approve,
    "follow_request_decline": services.follow_request_decline,
}


@pytest.mark.parametrize("operation", sorted(FOLLOW_GRAPH_WRITES))
def test_follow_graph_needs_a_signed_in_user(operation: str) -> None:
    target = make_user()
    before = db_state()

    with pytest.raises(Unauthenticated):
        FOLLOW_GRAPH_WRITES[operation](actor=anonymous(), username=target.username)

    assert db_state() == before


def test_usernames_are_found_whatever_their_case() -> None:
    """Sign-up stores lower case, so ``@New.Fan`` and ``new.fan`` are the same person."""
    me = make_user()
    fan = services.user_sign_up(username="New.Fan", password=GOOD_PASSWORD, email="fan@example.com")

    follow(actor=me, username="NEW.FAN")

    assert Follow.objects.get().followee == fan
