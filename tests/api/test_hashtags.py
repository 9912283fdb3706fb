"""``hashtag(name:)`` and ``Hashtag.videos`` (docs/ARCHITECTURE.md, "Search and hashtags"): a
tag by name in any case, with or without ``#``, and its videos newest first; a tag that only
videos hidden from the viewer carry answers exactly as a tag that does not exist, on
``hashtag(name:)`` and on ``node(id:)`` alike."""

from typing import Any

import pytest

from engagement import services
from engagement.models import Hashtag, Visibility
from kernel.errors import ErrorCode
from tests.api.cases import assert_data, assert_single_error
from tests.api.conftest import gid, missing_gid
from tests.api.search_scene import SHOWN, VIDEOS, Scene, build_scene, caption
from tests.api.test_query_counts import MAX_QUERIES, SIZES, count_queries
from tests.factories import make_user, make_video
from tests.module_data import ModuleData, copy_for_test

HASHTAG = """
query($name: String!, $first: Int, $after: String) {
  hashtag(name: $name) {
    id name
    videos(first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { caption } }
    }
  }
}
"""

NODE = "query($id: ID!) { node(id: $id) { id ... on Hashtag { name videos { edges { node { caption } } } } } }"


@pytest.fixture(scope="module")
def _scene_of_the_module(module_data: ModuleData) -> Scene:
    return module_data.build(build_scene)


@pytest.fixture
def scene(_scene_of_the_module: Scene, db: None) -> Scene:
    return copy_for_test(_scene_of_the_module)


def _viewer(scene: Scene, name: str) -> Any:
    return None if name == "anonymous" else getattr(scene, name)


HIDDEN_FROM_SEARCHER = sorted(VIDEOS.keys() - SHOWN["searcher"])


@pytest.mark.parametrize("typed", ["herd", "#herd", "#HERD", "  Herd ", "\uff03\uff48\uff45\uff52\uff44"])
def test_a_hashtag_is_found_with_or_without_its_hash_in_any_case(gql: Any, scene: Scene, typed: str) -> None:
    response = gql(None)(HASHTAG, {"name": typed})

    tag = assert_data(response, ("hashtag",))
    assert (tag["id"], tag["name"]) == (gid(Hashtag.objects.get(name="herd")), "herd")


@pytest.mark.parametrize("viewer", sorted(SHOWN))
def test_a_hashtag_lists_only_the_videos_the_viewer_may_see(gql: Any, scene: Scene, viewer: str) -> None:
    """Given #herd on a video for each reason to hide one, when each viewer opens #herd, then
    exactly the videos they may see are listed, newest first."""
    response = gql(_viewer(scene, viewer))(HASHTAG, {"name": "herd", "first": 100})

    videos = assert_data(response, ("hashtag", "videos"))
    shown = [key for key in reversed(list(VIDEOS)) if key in SHOWN[viewer]]  # posted in this order
    assert [edge["node"]["caption"] for edge in videos["edges"]] == [caption(key) for key in shown]


@pytest.mark.parametrize("key", HIDDEN_FROM_SEARCHER)
def test_a_hashtag_only_hidden_videos_carry_answers_like_a_missing_one(gql: Any, scene: Scene, key: str) -> None:
    """Given a tag that only a video hidden from the searcher carries (FRIENDS without friendship,
    PRIVATE, a private account not followed, a deactivated owner, a block either way, a mute),
    when the searcher asks for it by name or by global ID, then the answer is byte for byte the one
    for a tag that does not exist."""
    client = gql(scene.searcher)
    tag = Hashtag.objects.get(name=scene.tag(key))

    assert client(HASHTAG, {"name": tag.name}).body == client(HASHTAG, {"name": "no_such_tag"}).body
    assert client(HASHTAG, {"name": tag.name}).body == {"data": {"hashtag": None}}
    assert client(NODE, {"id": gid(tag)}).body == client(NODE, {"id": missing_gid("Hashtag")}).body
    assert client(NODE, {"id": gid(tag)}).body == {"data": {"node": None}}


@pytest.mark.parametrize("key", sorted(SHOWN["searcher"]))
def test_a_hashtag_of_a_visible_video_is_found_by_name_and_global_id(gql: Any, scene: Scene, key: str) -> None:
    """Control for the test above: the same queries find the tags of the videos the searcher sees."""
    client = gql(scene.searcher)
    tag = Hashtag.objects.get(name=scene.tag(key))

    by_name = assert_data(client(HASHTAG, {"name": tag.name}), ("hashtag",))
    by_id = assert_data(client(NODE, {"id": gid(tag)}), ("node",))
    assert by_name["id"] == by_id["id"] == gid(tag)
    assert [edge["node"]["caption"] for edge in by_id["videos"]["edges"]] == [caption(key)]


def test_the_owner_finds_the_tag_of_their_own_private_video(gql: Any, scene: Scene) -> None:
    tag = assert_data(gql(scene.owner)(HASHTAG, {"name": "zebra_private"}), ("hashtag",))

    assert [edge["node"]["caption"] for edge in tag["videos"]["edges"]] == [caption("private")]


def test_a_tag_goes_when_its_last_visible_video_is_hidden_or_recaptioned(gql: Any, scene: Scene) -> None:
    first = make_video(scene.owner, caption="#wildlife")
    second = make_video(scene.owner, caption="#wildlife too")
    client = gql(None)

    services.video_update(actor=scene.owner, video_id=first.pk, visibility=Visibility.PRIVATE)
    tag = assert_data(client(HASHTAG, {"name": "wildlife"}), ("hashtag",))
    assert [edge["node"]["caption"] for edge in tag["videos"]["edges"]] == ["#wildlife too"]

    services.video_update(actor=scene.owner, video_id=second.pk, caption="no tag now")
    assert client(HASHTAG, {"name": "wildlife"}).body == {"data": {"hashtag": None}}


@pytest.mark.parametrize("name", ["", "#", "two words", "##herd", "x" * 500, "herd!"])
def test_a_name_no_tag_can_have_is_null_like_a_missing_tag(gql: Any, scene: Scene, name: str) -> None:
    assert gql(None)(HASHTAG, {"name": name}).body == {"data": {"hashtag": None}}


def test_a_name_with_a_nul_is_bad_user_input(gql: Any, scene: Scene) -> None:
    response = gql(None)(HASHTAG, {"name": "herd\u0000"})

    assert assert_single_error(response, ErrorCode.BAD_USER_INPUT)["extensions"]["field"] == "name"


def test_a_hashtags_videos_page_newest_first_without_repeats(gql: Any, scene: Scene) -> None:
    owner = make_user("migrant")
    captions = [f"#migration day {index}" for index in range(5)]
    for text in captions:
        make_video(owner, caption=text)
    client = gql(None)

    seen, after = [], None
    while True:
        videos = assert_data(client(HASHTAG, {"name": "migration", "first": 2, "after": after}), ("hashtag", "videos"))
        seen += [edge["node"]["caption"] for edge in videos["edges"]]
        if not videos["pageInfo"]["hasNextPage"]:
            break
        after = videos["pageInfo"]["endCursor"]

    assert seen == list(reversed(captions))


# Cost -------------------------------------------------------------------------------------------------

HASHTAG_PAGE = """
query($name: String!, $first: Int!) {
  hashtag(name: $name) {
    name
    videos(first: $first) { edges { node {
      id caption likeCount commentCount viewCount viewerHasSaved viewerHasLiked owner { username displayName }
    } } }
  }
}
"""


@pytest.mark.both_engines
@pytest.mark.differential
def test_a_hashtag_page_costs_the_same_for_5_and_50_videos(gql: Any, db: None) -> None:
    """Given tags on 5 and on 50 videos by several owners (some saved and liked by the viewer),
    when a signed-in viewer reads each tag's page with the usual fields, then both cost the same."""
    counts = {}
    viewer = make_user("tag_reader")
    for size in SIZES:
        owners = [make_user(f"tagger{size}_{index}") for index in range(4)]
        for index in range(size):
            video = make_video(owners[index % 4], caption=f"#crowd{size} number {index}")
            if index % 2:
                services.favorite_add(actor=viewer, video_id=video.pk)
                services.like_add(actor=viewer, video_id=video.pk)
        variables = {"name": f"crowd{size}", "first": size}
        counts[size] = count_queries(gql(viewer), HASHTAG_PAGE, variables)
        page = gql(viewer)(HASHTAG_PAGE, variables).data["hashtag"]  # the measured page is full
        assert len(page["videos"]["edges"]) == size

    print(f"\nhashtag page queries: {counts}")
    assert counts[5] == counts[50] <= MAX_QUERIES
