"""A draft is its owner's alone until the worker publishes it: nobody else finds it anywhere (by
id, on the owner's profile, in either feed, in search, under its hashtag, among the remixes of
the video it duets), whatever state its file is in; its owner sees it with its ``processingState``.
``processingState`` and ``processingError`` are SELF fields, of a published video too."""

from collections.abc import Iterator
from typing import Any

import pytest

from engagement.models import ProcessingState, Video, VideoMedia
from kernel.errors import ErrorCode
from tests.api.cases import assert_data, assert_denied
from tests.api.conftest import ROLES, World, gid
from tests.api.media.helpers import Draft, start_upload

pytestmark = [pytest.mark.both_engines]

WORD, TAG = "zebracorn", "unveiling"
EVERYWHERE = """
query($id: ID!, $source: ID!, $word: String!, $tag: String!) {
  node(id: $id) { id }
  video(id: $id) { id }
  user(username: "creator") { videos(first: 50) { edges { node { id } } } }
  forYou(first: 50) { edges { node { id } } }
  search(query: $word) { videos(first: 50) { edges { node { id } } } }
  tags: search(query: $tag) { hashtags(first: 10) { edges { node { name } } } }
  hashtag(name: $tag) { id videos(first: 50) { edges { node { id } } } }
  source: video(id: $source) { remixes(first: 50) { edges { node { id } } } }
}"""
PLACES = ("node", "video", "user", "forYou", "search", "tags", "hashtag", "source")
FOLLOWING_FEED = "{ me { followingFeed(first: 50) { edges { node { id } } } } }"
MINE = """
query($id: ID!) {
  node(id: $id) { ... on Video { id processingState processingError durationSeconds playbackUrl } }
  me { videos(first: 50) { edges { node { id processingState } } } }
}"""
PROCESSING_FIELDS = "query($id: ID!) { video(id: $id) { id processingState processingError } }"
OTHERS = [role for role in ROLES if role != "creator"]
NOT_YET_PUBLISHED = [state for state in ProcessingState if state != ProcessingState.READY]


def _strings(data: Any) -> Iterator[str]:
    """Every string in a response's data: the ids and names it shows."""
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)
    elif isinstance(data, str):
        yield data


def _duet_draft(gql: Any, world: World) -> Draft:
    """A PUBLIC duet of the creator's public video, with a word and a tag no other video has."""
    return start_upload(
        gql(world.creator),
        size=1000,
        caption=f"{WORD} #{TAG}",
        remixOfId=gid(world.public_video),
        remixKind="DUET",
    )


def _seen_by(client: Any, world: World, draft: Draft) -> dict[str, set[str]]:
    """What each place of ``EVERYWHERE`` shows ``client``: its ids and tag names."""
    variables = {"id": draft.id, "source": gid(world.public_video), "word": WORD, "tag": TAG}
    response = client(EVERYWHERE, variables)
    assert response.errors == [], response.errors
    return {place: set(_strings(answer)) for place, answer in response.data.items()}


def _draft_in(seen: dict[str, set[str]], draft: Draft) -> dict[str, bool]:
    """Place by place, whether the draft (its tag, among the tags searched) is there."""
    return {place: (TAG if place == "tags" else draft.id) in found for place, found in seen.items()}


def _publish(draft: Draft) -> None:
    Video.objects.filter(pk=draft.pk).update(processing_state=ProcessingState.READY, duration_seconds=3)


# Every role with a draft awaiting its file; every state of a draft with the owner's friend, who
# would see the most of it.
WHO_AND_WHEN = [(role, ProcessingState.AWAITING_UPLOAD) for role in OTHERS] + [
    ("viewer", state) for state in NOT_YET_PUBLISHED if state != ProcessingState.AWAITING_UPLOAD
]


@pytest.mark.parametrize(("role", "state"), WHO_AND_WHEN)
def test_nobody_else_finds_a_draft_anywhere(gql: Any, world: World, role: str, state: str) -> None:
    """Given a PUBLIC draft in ``state``, when anyone but its owner looks for it, then it is in
    none of the places; once published, the same requests find it in every one of them."""
    draft = _duet_draft(gql, world)
    Video.objects.filter(pk=draft.pk).update(processing_state=state)
    client = gql(world.user(role))

    hidden = _draft_in(_seen_by(client, world, draft), draft)

    assert hidden == dict.fromkeys(PLACES, False)
    _publish(draft)
    assert _draft_in(_seen_by(client, world, draft), draft) == dict.fromkeys(PLACES, True)


@pytest.mark.parametrize("state", NOT_YET_PUBLISHED)
def test_a_draft_stays_out_of_a_friends_following_feed(gql: Any, world: World, state: str) -> None:
    draft = _duet_draft(gql, world)
    Video.objects.filter(pk=draft.pk).update(processing_state=state)
    friend = gql(world.viewer)

    assert draft.id not in set(_strings(assert_data(friend(FOLLOWING_FEED), ("me",))))
    _publish(draft)
    assert draft.id in set(_strings(assert_data(friend(FOLLOWING_FEED), ("me",))))


def test_the_owner_sees_the_draft_with_its_state(gql: Any, world: World) -> None:
    draft = _duet_draft(gql, world)

    mine = assert_data(gql(world.creator)(MINE, {"id": draft.id}), ("node",))

    assert mine == {
        "id": draft.id,
        "processingState": "AWAITING_UPLOAD",
        "processingError": None,
        "durationSeconds": 0,
        "playbackUrl": None,
    }


def test_the_owner_reads_why_processing_failed(gql: Any, world: World) -> None:
    draft = _duet_draft(gql, world)
    Video.objects.filter(pk=draft.pk).update(processing_state=ProcessingState.FAILED)
    VideoMedia.objects.filter(pk=draft.pk).update(error="The video could not be processed: broken.")

    listed = assert_data(gql(world.creator)(MINE, {"id": draft.id}), ("me", "videos", "edges"))
    failed = assert_data(gql(world.creator)(PROCESSING_FIELDS, {"id": draft.id}), ("video",))

    assert {"node": {"id": draft.id, "processingState": "FAILED"}} in listed
    assert failed["processingError"] == "The video could not be processed: broken."


@pytest.mark.parametrize("role", OTHERS)
def test_processing_fields_are_the_owners_alone(gql: Any, world: World, role: str) -> None:
    """Of a published video with a recorded error, others get null and the SELF refusal
    (anonymous: UNAUTHENTICATED; signed in: FORBIDDEN) for each field; the owner reads both."""
    VideoMedia.objects.create(video=world.public_video, error="an old failure")
    code = ErrorCode.UNAUTHENTICATED if role == "anonymous" else ErrorCode.FORBIDDEN
    for field in ("processingState", "processingError"):
        query = f"query($id: ID!) {{ video(id: $id) {{ id {field} }} }}"

        response = gql(world.user(role))(query, {"id": gid(world.public_video)})

        assert_denied(response, ("video", field), code)
    own = assert_data(gql(world.creator)(PROCESSING_FIELDS, {"id": gid(world.public_video)}), ("video",))
    assert own == {"id": gid(world.public_video), "processingState": "READY", "processingError": "an old failure"}
