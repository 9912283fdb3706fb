"""Every field with a non-PUBLIC audience and every mutation, read or called by every role.

The audiences come from ``api.contract.FIELDS``: a field added to the contract enters
these tests by itself. The documented denial for a field of a visible object is ``null`` with
``FORBIDDEN`` (``UNAUTHENTICATED`` for an anonymous viewer); a SELF object of someone else is not
visible at all, so it is just ``null``.
"""

from typing import Any

import pytest
from guardian.shortcuts import assign_perm

from api.contract import MUTATIONS, Audience
from api.type_system import FIELDS
from engagement import services
from kernel.errors import ErrorCode
from tests.api.cases import (
    MUTATION_CASES,
    assert_data,
    assert_denied,
    assert_single_error,
    selection,
    value_at,
)
from tests.api.conftest import ROLES, World, gid, missing_gid
from tests.domain.helpers import db_state
from tests.factories import attach_files

VIDEO_QUERY = "query($id: ID!) {{ video(id: $id) {{ id {field} }} }}"
INSIGHTS_QUERY = "query($id: ID!) {{ video(id: $id) {{ id insights {{ {field} }} }} }}"
NODE_QUERY = "query($id: ID!) {{ node(id: $id) {{ ... on {type} {{ {field} }} }} }}"


def expected_denial(audience: Audience, role: str, *, owner: str) -> str | None:
    """The error code ``role`` gets for a field of ``owner``'s visible object, or None for data."""
    if audience is Audience.PUBLIC:
        return None
    if role == "anonymous":
        return ErrorCode.UNAUTHENTICATED
    if audience is Audience.AUTHENTICATED:
        return None
    if audience in (Audience.SELF, Audience.OWNER_AGGREGATE) and role == owner:
        return None
    return ErrorCode.FORBIDDEN  # STAFF too: none of these roles is staff.


# Video: a visible object whose fields have every audience ----------------------------------------


# Fields the world's video answers null for to whoever may read them, as there is nothing to show:
# it is an original, with no pinned comment, whose file was processed without an error.
NOTHING_TO_SHOW = frozenset({"remixKind", "remixOf", "pinnedComment", "processingError"})


@pytest.mark.parametrize("field", sorted(FIELDS["Video"]))
def test_video_field_by_role(gql: Any, world: World, subtests: pytest.Subtests, field: str) -> None:
    """Given the creator's public video, which every role may see, when each role reads one
    field, then the field's audience decides: data, or null with FORBIDDEN/UNAUTHENTICATED. The
    video has its files, so that its links are data too."""
    attach_files(world.public_video)
    query = VIDEO_QUERY.format(field=selection("Video", field))
    for role in ROLES:
        with subtests.test(role=role):
            response = gql(world.user(role))(query, {"id": gid(world.public_video)})

            code = expected_denial(FIELDS["Video"][field].audience, role, owner="creator")
            if code is None and field in NOTHING_TO_SHOW:
                assert response.errors == [] and response.data["video"][field] is None, response.body
            elif code is None:
                assert_data(response, ("video", field))
            else:
                assert_denied(response, ("video", field), code)
                assert response.data["video"]["id"] == gid(world.public_video)  # The video stays visible.


# Insights the world's video answers null for to whoever may read them: its owner is a creator
# account, and save analytics are business accounts' (tests/api/test_account_type.py).
NO_SAVE_ANALYTICS = frozenset({"saveRate"})


def _watched(world: World) -> None:
    """One view of the public video, so that its rates have views to be counted over."""
    services.view_record(
        actor=world.other_viewer, video_id=world.public_video.pk, watched_seconds=5, traffic_source="FOR_YOU"
    )


@pytest.mark.parametrize("field", sorted(FIELDS["VideoInsights"]))
def test_video_insights_field_by_role(gql: Any, world: World, subtests: pytest.Subtests, field: str) -> None:
    """Given the creator's public video, when each role asks for one insights total, then only
    the owner gets it; everyone else gets ``insights: null`` with the documented code."""
    _watched(world)
    query = INSIGHTS_QUERY.format(field=selection("VideoInsights", field))
    for role in ROLES:
        with subtests.test(role=role):
            response = gql(world.user(role))(query, {"id": gid(world.public_video)})

            code = expected_denial(FIELDS["Video"]["insights"].audience, role, owner="creator")
            if code is None and field in NO_SAVE_ANALYTICS:
                assert response.errors == [] and response.data["video"]["insights"][field] is None, response.body
            elif code is None:
                assert_data(response, ("video", "insights", field))
            else:
                assert_denied(response, ("video", "insights"), code)


@pytest.mark.parametrize("field", sorted(FIELDS["VideoInsights"]))
def test_delegate_reads_insights_of_the_delegated_video_only(gql: Any, world: World, field: str) -> None:
    """Given the creator delegated one video's insights to another creator (guardian object
    permission), then that account reads its totals, and still not those of another video."""
    _watched(world)
    assign_perm("engagement.view_video_insights", world.other_creator, world.public_video)
    query = INSIGHTS_QUERY.format(field=selection("VideoInsights", field))
    client = gql(world.other_creator)

    delegated = client(query, {"id": gid(world.public_video)})
    other = client(query, {"id": gid(world.locked_video)})

    if field in NO_SAVE_ANALYTICS:
        assert delegated.errors == [] and delegated.data["video"]["insights"][field] is None, delegated.body
    else:
        assert_data(delegated, ("video", "insights", field))
    assert_denied(other, ("video", "insights"), ErrorCode.FORBIDDEN)


def test_insights_show_the_owner_totals_and_deny_other_viewers_and_creators(gql: Any, world: World) -> None:
    """Given two saves of the creator's video, then the creator reads saveCount 2 while another
    viewer and another creator get FORBIDDEN, and an anonymous viewer UNAUTHENTICATED."""
    query = "query($id: ID!) { video(id: $id) { insights { saveCount likeCount } } }"
    variables = {"id": gid(world.public_video)}

    owner = gql(world.creator)(query, variables)

    assert owner.data == {"video": {"insights": {"saveCount": 2, "likeCount": 2}}}
    for role, code in [
        ("other_viewer", ErrorCode.FORBIDDEN),
        ("other_creator", ErrorCode.FORBIDDEN),
        ("viewer", ErrorCode.FORBIDDEN),
        ("anonymous", ErrorCode.UNAUTHENTICATED),
    ]:
        assert_denied(gql(world.user(role))(query, variables), ("video", "insights"), code)


# SELF objects: reachable by their owner only ----------------------------------------------------

SELF_OBJECTS = {
    "Favorite": ("favorite", "viewer"),
    "FavoriteCollection": ("collection", "viewer"),
    "Notification": ("like_notification", "creator"),
}


@pytest.mark.parametrize(
    ("type_name", "field"), [(type_name, field) for type_name in SELF_OBJECTS for field in sorted(FIELDS[type_name])]
)
def test_self_object_field_by_role(
    gql: Any, world: World, subtests: pytest.Subtests, type_name: str, field: str
) -> None:
    """Given a favorite, a collection and a notification, when each role looks one up by global
    ID, then its owner reads every field and anyone else gets ``node: null``, exactly as for an
    id that names nothing."""
    attribute, owner = SELF_OBJECTS[type_name]
    query = NODE_QUERY.format(type=type_name, field=selection(type_name, field))
    for role in ROLES:
        with subtests.test(role=role):
            client = gql(world.user(role))

            response = client(query, {"id": gid(getattr(world, attribute))})

            if role == owner:
                assert_data(response, ("node", field))
            else:
                assert response.body == {"data": {"node": None}}
                assert response.body == client(query, {"id": missing_gid(type_name)}).body


@pytest.mark.parametrize("field", sorted(FIELDS["Favorite"]))
def test_saver_reads_every_favorite_field_in_me_favorites(gql: Any, world: World, field: str) -> None:
    """Given the viewer's favorite, then every Favorite field is readable in their own list."""
    query = f"{{ me {{ favorites {{ edges {{ node {{ id {selection('Favorite', field)} }} }} }} }} }}"

    response = gql(world.viewer)(query)

    edges = assert_data(response, ("me", "favorites", "edges"))
    assert [edge["node"]["id"] for edge in edges] == [gid(world.favorite)]
    assert edges[0]["node"][field] is not None


@pytest.mark.parametrize(
    ("path", "field"),
    [(("me",), field) for field in sorted(FIELDS["Me"])]
    + [(("me", "privacySettings"), field) for field in sorted(FIELDS["PrivacySettings"])],
    ids=lambda value: ".".join(value) if isinstance(value, tuple) else value,
)
def test_me_field_by_role(gql: Any, world: World, subtests: pytest.Subtests, path: tuple[str, ...], field: str) -> None:
    """Given any role, when it reads a field of ``me``, then a signed-in user reads their own
    value and an anonymous request gets ``me: null`` with no error at all."""
    type_name = "Me" if path == ("me",) else "PrivacySettings"
    inner = selection(type_name, field)
    for key in reversed(path[1:]):
        inner = f"{key} {{ {inner} }}"
    for role in ROLES:
        with subtests.test(role=role):
            user = world.user(role)

            response = gql(user)(f"{{ me {{ id {inner} }} }}")

            if user is None:
                assert response.body == {"data": {"me": None}}
            else:
                assert response.status == 200
                assert response.errors == []
                assert response.data["me"]["id"] == gid(user, "User")
                assert field in value_at(response.data, path)


def test_me_is_null_for_anonymous_without_error(gql: Any, world: World) -> None:
    """Given no session, then ``me`` is null and there is no error: not signed in is not a fault."""
    response = gql(None)("{ me { id username favorites { edges { node { id } } } } }")

    assert response.status == 200
    assert response.body == {"data": {"me": None}}


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_me_lists_only_the_viewers_own_favorites_and_collections(gql: Any, world: World, role: str) -> None:
    """Given two savers of the same video, then each one's ``me`` lists their own favorite and
    collection only, and a user who saved nothing lists nothing."""
    user = world.user(role)
    query = "{ me { favorites { edges { node { id } } } collections { edges { node { id } } } } }"

    response = gql(user)(query)

    assert response.errors == []
    favorites = {edge["node"]["id"] for edge in response.data["me"]["favorites"]["edges"]}
    collections = {edge["node"]["id"] for edge in response.data["me"]["collections"]["edges"]}
    assert favorites == {gid(favorite) for favorite in user.favorites.all()}  # type: ignore[union-attr]
    assert collections == {gid(collection) for collection in user.collections.all()}  # type: ignore[union-attr]


# User.likedVideos: SELF unless the user shows them to everyone ------------------------------------

LIKED_QUERY = "query($name: String!) { user(username: $name) { username likedVideos { edges { node { id } } } } }"


@pytest.mark.parametrize("role", [role for role in ROLES if role != "viewer"])
def test_liked_videos_kept_to_only_me_are_forbidden_to_everyone_else(gql: Any, world: World, role: str) -> None:
    """Given the viewer keeps liked videos to ONLY_ME, when anyone else reads them, then
    ``likedVideos`` is null with FORBIDDEN while the profile itself stays readable."""
    response = gql(world.user(role))(LIKED_QUERY, {"name": world.viewer.username})

    assert_denied(response, ("user", "likedVideos"), ErrorCode.FORBIDDEN)
    assert response.data["user"]["username"] == world.viewer.username


@pytest.mark.parametrize("role", ROLES)
def test_liked_videos_shown_to_everyone_are_readable_by_every_role(gql: Any, world: World, role: str) -> None:
    """Given another viewer shows liked videos to EVERYONE, then every role reads them."""
    response = gql(world.user(role))(LIKED_QUERY, {"name": world.other_viewer.username})

    edges = assert_data(response, ("user", "likedVideos", "edges"))
    assert [edge["node"]["id"] for edge in edges] == [gid(world.public_video)]


def test_own_liked_videos_are_readable_through_user_and_me(gql: Any, world: World) -> None:
    """Given the viewer keeps likes to ONLY_ME, then the viewer still reads them, both ways."""
    client = gql(world.viewer)

    through_user = client(LIKED_QUERY, {"name": world.viewer.username})
    through_me = client("{ me { likedVideos { edges { node { id } } } } }")

    assert [e["node"]["id"] for e in assert_data(through_user, ("user", "likedVideos", "edges"))] == [
        gid(world.public_video)
    ]
    assert [e["node"]["id"] for e in assert_data(through_me, ("me", "likedVideos", "edges"))] == [
        gid(world.public_video)
    ]


# Mutations: every one, by the role allowed to make it and by an anonymous request ------------------


def test_every_mutation_has_a_case() -> None:
    """A mutation added to the contract must get a case here, or this suite would skip it."""
    assert set(MUTATION_CASES) == set(MUTATIONS)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_by_allowed_role_returns_data(gql: Any, world: World, name: str) -> None:
    """Given a valid input, when the role allowed to make the call makes it, then the payload
    comes back without errors."""
    case = MUTATION_CASES[name]
    variables = {"input": case.input(world)}

    response = gql(case.actor_of(world))(case.document(name), variables)

    assert_data(response, (name,))


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_mutation_by_anonymous_is_unauthenticated_and_changes_nothing(gql: Any, world: World, name: str) -> None:
    """Given no session, when any mutation needing a signed-in user is called, then it answers
    ``null`` with UNAUTHENTICATED and the database is untouched; PUBLIC ones (signUp, logIn,
    logOut, recordView) work anonymously."""
    case = MUTATION_CASES[name]
    variables = {"input": case.input(world)}
    before = db_state()

    response = gql(None)(case.document(name), variables)

    if MUTATIONS[name][0] is Audience.PUBLIC:
        assert_data(response, (name,))
    else:
        assert_denied(response, (name,), ErrorCode.UNAUTHENTICATED)
        assert db_state() == before


UPDATE_CAPTION = "mutation($input: UpdateVideoInput!) { updateVideo(input: $input) { video { caption } } }"
DELETE_VIDEO = "mutation($input: DeleteVideoInput!) { deleteVideo(input: $input) { deletedVideoId } }"


@pytest.mark.parametrize("role", ["viewer", "other_viewer", "other_creator"])
@pytest.mark.parametrize(
    ("document", "name", "extra"),
    [(UPDATE_CAPTION, "updateVideo", {"caption": "hijacked"}), (DELETE_VIDEO, "deleteVideo", {})],
)
def test_owner_only_mutations_are_forbidden_to_other_signed_in_roles(
    gql: Any, world: World, document: str, name: str, extra: dict[str, Any], role: str
) -> None:
    """Given the creator's public video, which they may see, when someone else updates or deletes
    it, then the answer is FORBIDDEN and the video is unchanged."""
    before = db_state()

    response = gql(world.user(role))(document, {"input": {"videoId": gid(world.public_video), **extra}})

    assert_denied(response, (name,), ErrorCode.FORBIDDEN)
    assert db_state() == before


def test_delete_comment_is_forbidden_to_anyone_but_its_author_and_the_video_owner(gql: Any, world: World) -> None:
    """Given the viewer's comment on the creator's video, when another viewer deletes it, then
    FORBIDDEN and the comment stays."""
    comment_id = MUTATION_CASES["deleteComment"].input(world)["commentId"]
    before = db_state()

    response = gql(world.other_viewer)(
        "mutation($id: ID!) { deleteComment(input: {commentId: $id}) { deletedCommentId } }", {"id": comment_id}
    )

    assert_denied(response, ("deleteComment",), ErrorCode.FORBIDDEN)
    assert db_state() == before


def test_approving_a_request_that_was_not_made_is_not_found(gql: Any, world: World) -> None:
    """Given no pending request from the viewer, when the private account approves one, then
    NOT_FOUND and no follow appears."""
    before = db_state()

    response = gql(world.private_account)(
        'mutation { approveFollowRequest(input: {username: "viewer"}) { user { username } } }'
    )

    assert_single_error(response, ErrorCode.NOT_FOUND)
    assert db_state() == before


# AUTHENTICATED fields mean the same on every path ------------------------------------------------

FLAG_PATHS = {
    "video": "query($id: ID!) { x: video(id: $id) { id viewerHasSaved viewerHasLiked } }",
    "node": "query($id: ID!) { x: node(id: $id) { id ... on Video { viewerHasSaved viewerHasLiked } } }",
    "me.favorites": "{ me { favorites { edges { node { x: video { id viewerHasSaved viewerHasLiked } } } } } }",
    "me.likedVideos": "{ me { likedVideos { edges { x: node { id viewerHasSaved viewerHasLiked } } } } }",
    "user.videos": '{ user(username: "creator") { videos { edges { x: node { id viewerHasSaved viewerHasLiked } } } } '
    "}",
    "me.notifications": "{ me { notifications { edges { node { x: video { id viewerHasSaved viewerHasLiked } } } } } }",
}


def _flags_of(data: Any, video_id: str) -> list[dict[str, Any]]:
    """Every object aliased ``x`` in ``data`` that is the video ``video_id``."""
    found: list[dict[str, Any]] = []
    if isinstance(data, dict):
        if isinstance(data.get("x"), dict) and data["x"].get("id") == video_id:
            found.append(data["x"])
        for value in data.values():
            found.extend(_flags_of(value, video_id))
    elif isinstance(data, list):
        for item in data:
            found.extend(_flags_of(item, video_id))
    return found


@pytest.mark.parametrize("role", ["viewer", "creator"])
def test_viewer_flags_agree_on_every_path_to_a_video(
    gql: Any, world: World, subtests: pytest.Subtests, role: str
) -> None:
    """Given a user who saved and liked the creator's public video (the creator saved their own
    and has a notification about it), when they reach it through each list and lookup, then
    ``viewerHasSaved`` and ``viewerHasLiked`` are true on every path."""
    services.favorite_add(actor=world.creator, video_id=world.public_video.pk)
    services.like_add(actor=world.creator, video_id=world.public_video.pk)
    video_id = gid(world.public_video)
    client = gql(world.user(role))
    for path, query in FLAG_PATHS.items():
        with subtests.test(path=path):
            response = client(query, {"id": video_id} if "$id" in query else None)

            assert response.errors == []
            flags = _flags_of(response.data, video_id)
            if (role, path) == ("viewer", "me.notifications"):
                assert flags == []  # The viewer has no notification about the video.
            else:
                assert flags == [{"id": video_id, "viewerHasSaved": True, "viewerHasLiked": True}] * len(flags)
                assert flags
