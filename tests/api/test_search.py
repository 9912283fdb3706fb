"""``search(query:)``: videos by caption, accounts and hashtags, among what the viewer may see
(docs/ARCHITECTURE.md, "Search and hashtags"). Nothing private is searchable: each rule of video
visibility, private accounts, deactivation, blocks both ways and mutes keeps its video, its tags
and its account out of every kind of result. Bad queries are BAD_USER_INPUT, odd ones never a 500.

These run on SQLite (the fallback) and on PostgreSQL (full-text search) alike; what only
PostgreSQL's ranking shows is marked ``postgres``."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from engagement import search, services
from engagement.models import Visibility
from kernel.errors import ErrorCode
from tests.api.cases import assert_data, assert_single_error
from tests.api.conftest import GraphQLClient
from tests.api.search_scene import SHOWN, Scene, build_scene, caption
from tests.api.test_query_counts import MAX_QUERIES, SIZES, count_queries
from tests.factories import make_user, make_video
from tests.module_data import ModuleData, copy_for_test

SEARCH = """
query($query: String!, $first: Int) {
  search(query: $query) {
    query
    videos(first: $first) { edges { node { caption owner { username } } } }
    users(first: $first) { edges { node { username } } }
    hashtags(first: $first) { edges { node { name } } }
  }
}
"""


def page_of(kind: str) -> str:
    """A page of one kind of result, each node's text as ``key``."""
    key = {"videos": "caption", "users": "username", "hashtags": "name"}[kind]
    return f"""
query($query: String!, $first: Int, $after: String) {{
  search(query: $query) {{
    {kind}(first: $first, after: $after) {{
      pageInfo {{ hasNextPage endCursor }}
      edges {{ node {{ key: {key} }} }}
    }}
  }}
}}
"""


VIDEO_PAGE = page_of("videos")


@pytest.fixture(scope="module")
def _scene_of_the_module(module_data: ModuleData) -> Scene:
    return module_data.build(build_scene)


@pytest.fixture
def scene(_scene_of_the_module: Scene, db: None) -> Scene:
    return copy_for_test(_scene_of_the_module)


def found(client: GraphQLClient, query: str, first: int = 100) -> dict[str, list[str]]:
    """What a search finds, by kind: captions, usernames, tag names, in the order given."""
    response = client(SEARCH, {"query": query, "first": first})
    results = assert_data(response, ("search",))
    return {
        kind: [edge["node"][key] for edge in results[kind]["edges"]]
        for kind, key in (("videos", "caption"), ("users", "username"), ("hashtags", "name"))
    }


def _captions(keys: set[str]) -> set[str]:
    return {caption(key) for key in keys}


def _viewer(scene: Scene, name: str) -> User | None:
    return None if name == "anonymous" else getattr(scene, name)


# Nothing private is searchable --------------------------------------------------------------------


@pytest.mark.parametrize("viewer", sorted(SHOWN))
def test_videos_are_found_only_where_the_viewer_may_see_them(gql: Any, scene: Scene, viewer: str) -> None:
    """Given a video for each reason to hide one (FRIENDS without friendship, PRIVATE, a private
    account not followed, a deactivated owner, a block either way, a mute), when each viewer
    searches their common word, then exactly the videos they may see come back."""
    results = found(gql(_viewer(scene, viewer)), "zebra")

    assert set(results["videos"]) == _captions(SHOWN[viewer])


@pytest.mark.parametrize("viewer", sorted(SHOWN))
def test_a_hashtag_is_found_only_through_a_video_the_viewer_may_see(gql: Any, scene: Scene, viewer: str) -> None:
    """Given each hidden video carries a tag no visible one does, when each viewer searches the
    tags, then no tag comes back because of a video they may not see."""
    results = found(gql(_viewer(scene, viewer)), "#zebra")

    assert set(results["hashtags"]) == {"zebra"} | {scene.tag(key) for key in SHOWN[viewer]}


def test_accounts_are_found_unless_deactivated_blocked_either_way_or_muted(gql: Any, scene: Scene) -> None:
    """Given accounts that match, when the searcher looks for them, then the deactivated one, the
    one who blocked them, the one they blocked and the one they muted are left out; private
    accounts are found (their profile is public, not their videos)."""
    results = found(gql(scene.searcher), "zebra")

    assert set(results["users"]) == {"zebra_owner", "zebra_friend", "zebra_locked", "zebra_followed"}


def test_anonymous_visitors_find_every_active_account(gql: Any, scene: Scene) -> None:
    """Control for the test above: blocks and mutes are the searcher's, so others still find them."""
    results = found(gql(None), "zebra")

    assert set(results["users"]) == {
        f"zebra_{name}" for name in ("owner", "friend", "locked", "followed", "blocker", "blocked", "muted")
    }


def test_a_saved_video_that_became_hidden_is_not_found_by_its_saver(gql: Any, scene: Scene) -> None:
    """Given the searcher saved a video that its owner then made private, when the saver searches
    for it, then neither the video nor its tag is found: search reads no favorites, the saver's own
    included."""
    video = make_video(scene.owner, caption="Okapi #okapi")
    services.favorite_add(actor=scene.searcher, video_id=video.pk)
    services.video_update(actor=scene.owner, video_id=video.pk, visibility=Visibility.PRIVATE)

    assert found(gql(scene.searcher), "okapi") == {"videos": [], "users": [], "hashtags": []}


def test_the_order_of_hashtags_counts_only_videos_the_viewer_may_see(gql: Any, scene: Scene) -> None:
    """Given #stripes_a on two visible videos and #stripes_b on one visible and five private ones,
    when the searcher lists tags, then #stripes_a comes first: the hidden videos do not count
    (with them, #stripes_b would lead)."""
    for _ in range(2):
        make_video(scene.owner, caption="#stripes_a")
    make_video(scene.owner, caption="#stripes_b")
    for _ in range(5):
        make_video(scene.owner, visibility=Visibility.PRIVATE, caption="#stripes_b")

    assert found(gql(scene.searcher), "stripes")["hashtags"] == ["stripes_a", "stripes_b"]
    assert found(gql(scene.owner), "stripes")["hashtags"] == ["stripes_b", "stripes_a"]  # control: the owner sees all


def test_an_exact_hashtag_comes_before_longer_ones(gql: Any, scene: Scene) -> None:
    for _ in range(3):
        make_video(scene.owner, caption="#stripesforever")
    make_video(scene.owner, caption="#stripes")

    assert found(gql(scene.searcher), "#Stripes")["hashtags"] == ["stripes", "stripesforever"]


def test_an_exact_username_comes_first_then_usernames_starting_with_the_query(gql: Any, scene: Scene) -> None:
    make_user("stripe_fan", display_name="Loves stripes")
    make_user("stripes_official", display_name="Official")
    make_user("stripes", display_name="The one")
    make_user("plain", display_name="Stripes and more")

    results = found(gql(scene.searcher), "@Stripes")

    assert results["users"][:2] == ["stripes", "stripes_official"]
    assert set(results["users"][2:]) == {"plain", "stripe_fan"}  # by display name


def test_the_viewer_finds_their_own_videos_of_any_visibility(gql: Any, scene: Scene) -> None:
    make_video(scene.searcher, visibility=Visibility.PRIVATE, caption="my draft #quagga")

    results = found(gql(scene.searcher), "quagga")

    assert results["videos"] == ["my draft #quagga"]
    assert results["hashtags"] == ["quagga"]
    assert found(gql(None), "quagga") == {"videos": [], "users": [], "hashtags": []}


# Matching --------------------------------------------------------------------------------------------


def test_every_word_of_the_query_must_be_in_the_caption_in_any_case(gql: Any, scene: Scene) -> None:
    make_video(scene.owner, caption="Sunset over the SAVANNA with giraffes")
    make_video(scene.owner, caption="Savanna at noon")

    assert found(gql(None), "savanna giraffes")["videos"] == ["Sunset over the SAVANNA with giraffes"]
    assert set(found(gql(None), "Savanna")["videos"]) == {"Sunset over the SAVANNA with giraffes", "Savanna at noon"}


def test_a_query_of_a_hashtag_finds_the_videos_that_carry_it(gql: Any, scene: Scene) -> None:
    make_video(scene.owner, caption="Night safari #Serengeti")

    assert found(gql(None), "#serengeti")["videos"] == ["Night safari #Serengeti"]


def test_like_wildcards_in_the_query_are_plain_characters(gql: Any, scene: Scene) -> None:
    """``%`` and ``_`` mean any text and any character to SQL's LIKE: here they are themselves."""
    make_user("zebraXowner")

    assert found(gql(None), "%")["users"] == []
    assert found(gql(None), "zebra_owner")["users"] == ["zebra_owner"]


# Paging -----------------------------------------------------------------------------------------------


def _all_pages(client: GraphQLClient, kind: str, query: str, first: int) -> Iterator[list[str]]:
    after = None
    while True:
        response = client(page_of(kind), {"query": query, "first": first, "after": after})
        results = assert_data(response, ("search", kind))
        yield [edge["node"]["key"] for edge in results["edges"]]
        if not results["pageInfo"]["hasNextPage"]:
            return
        after = results["pageInfo"]["endCursor"]


def test_pages_of_results_follow_each_other_without_repeats_or_gaps(gql: Any, scene: Scene) -> None:
    """Given results of different rank and many of equal rank (videos by relevance or date,
    accounts by tier and followers, tags by visible videos), when each kind is read two at a
    time, then its pages hold every result once, in the order of one long page."""
    for index in range(7):
        caption = f"gnu {index} #gnu_{index % 4}" + (" gnu gnu" if index % 3 == 0 else "")
        make_video(make_user(f"gnu_{index}", display_name="Gnu"), caption=caption)
    client = gql(None)

    for kind, total in (("videos", 7), ("users", 7), ("hashtags", 4)):
        pages = list(_all_pages(client, kind, "gnu", 2))

        whole = found(client, "gnu")[kind]
        assert [key for page in pages for key in page] == whole, kind
        assert len(whole) == total and len(pages) == (total + 1) // 2, kind


@pytest.mark.postgres
def test_more_relevant_captions_come_first_on_postgresql(gql: Any, scene: Scene) -> None:
    """Full-text ranking: a caption where the word weighs more ranks above one where it is lost."""
    make_video(scene.owner, caption="impala impala impala")
    make_video(scene.owner, caption="a long caption that mentions the impala only once among many other words")

    assert found(gql(None), "impala")["videos"][0] == "impala impala impala"


@pytest.mark.postgres
def test_web_search_syntax_works_on_postgresql(gql: Any, scene: Scene) -> None:
    make_video(scene.owner, caption="lion cub plays")
    make_video(scene.owner, caption="lion roars")
    make_video(scene.owner, caption="cub sleeps")

    assert found(gql(None), '"lion cub"')["videos"] == ["lion cub plays"]
    assert set(found(gql(None), "lion -cub")["videos"]) == {"lion roars"}
    assert set(found(gql(None), "roars or sleeps")["videos"]) == {"lion roars", "cub sleeps"}


@pytest.mark.postgres
def test_caption_search_reads_the_caption_index_on_postgresql(scene: Scene) -> None:
    """The query's caption vector is the very expression migration 0008 indexed: with sequential
    scans priced out, the planner reads the index for it."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    with CaptureQueriesContext(connection) as queries:
        page = search.videos_search_page(viewer=scene.searcher, search=search.Search("zebra"), first=5, after=None)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {queries.captured_queries[-1]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert page.items
    assert "video_caption_search_idx" in plan, plan


# Bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "reason"),
    [("", "empty"), ("   \t\n", "blank"), ("x" * 101, "over 100 characters"), ("a\u0000b", "a NUL")],
)
def test_a_query_that_cannot_be_searched_is_bad_user_input(gql: Any, scene: Scene, query: str, reason: str) -> None:
    response = gql(None)(SEARCH, {"query": query, "first": 5})

    error = assert_single_error(response, ErrorCode.BAD_USER_INPUT)
    assert error["extensions"]["field"] == "query", reason
    assert response.data == {"search": None}


def test_a_lone_surrogate_is_bad_user_input(gql: Any, scene: Scene) -> None:
    response = gql(None)(SEARCH, {"query": "zebra\ud800", "first": 5})

    error = assert_single_error(response, ErrorCode.BAD_USER_INPUT)
    assert error["extensions"]["field"] == "query"


def test_a_query_of_100_characters_is_searched_trimmed(gql: Any, scene: Scene) -> None:
    response = gql(None)(SEARCH, {"query": f"  {'z' * 100}  ", "first": 5})

    assert assert_data(response, ("search", "query")) == "z" * 100


ODD_QUERIES = [
    "'",
    '"',
    '"unterminated',
    "!",
    "!!!",
    "&",
    "|",
    "a & b | !c",
    "zebra:*",
    "(zebra",
    "zebra)",
    "<->",
    "zebra <-> stripes",
    "\\",
    "%",
    "_",
    "*",
    "-",
    "--",
    "-zebra",
    "or",
    "zebra or",
    "' OR 1=1 --",
    "'; DROP TABLE engagement_video; --",
    "#",
    "##",
    "@",
    "@#",
    "🦓",
    "\u200b",
    "\u0301",
    "\uff5a\uff45\uff42\uff52\uff41",  # full-width letters
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_characters_are_searched_never_an_error(gql: Any, scene: Scene, query: str) -> None:
    """Text that is syntax to tsquery, LIKE or SQL is searched as text: an answer, maybe empty,
    never an error (a tsquery syntax error would be a 500)."""
    response = gql(scene.searcher)(SEARCH, {"query": query, "first": 5})

    assert response.status == 200 and response.errors == [], response.body
    assert response.data["search"]["query"] == query.strip()


@pytest.mark.parametrize("first", [0, 101])
def test_a_page_size_outside_1_to_100_is_bad_user_input(gql: Any, scene: Scene, first: int) -> None:
    response = gql(None)(VIDEO_PAGE, {"query": "zebra", "first": first})

    assert assert_single_error(response, ErrorCode.BAD_USER_INPUT)["extensions"]["field"] == "first"


def test_a_cursor_the_api_did_not_make_is_bad_user_input(gql: Any, scene: Scene) -> None:
    response = gql(None)(VIDEO_PAGE, {"query": "zebra", "first": 2, "after": "bm90IGEgY3Vyc29y"})

    assert assert_single_error(response, ErrorCode.BAD_USER_INPUT)["extensions"]["field"] == "after"


# Cost -------------------------------------------------------------------------------------------------

SEARCH_PAGE = """
query($first: Int!) {
  search(query: "wildebeest") {
    videos(first: $first) { edges { node {
      id caption likeCount commentCount viewCount viewerHasSaved viewerHasLiked owner { username displayName }
    } } }
    users(first: $first) { edges { node { username displayName followerCount } } }
    hashtags(first: $first) { edges { node { name } } }
  }
}
"""


@pytest.mark.both_engines
@pytest.mark.differential
def test_a_search_page_costs_the_same_for_5_and_50_results(gql: Any, db: None) -> None:
    """Given 5 and then 50 matching videos by several owners (some saved and liked by the
    searcher), accounts and tags, when a signed-in viewer reads a page of each with the usual
    fields, then both pages cost the same few queries."""
    counts = {}
    searcher = make_user("herd_watcher")
    for size in SIZES:
        owners = [make_user(f"wildebeest{size}_{index}") for index in range(4)]
        for index in range(size):
            video = make_video(owners[index % 4], caption=f"wildebeest {size} #wildebeest{size}_{index}")
            if index % 2:
                services.favorite_add(actor=searcher, video_id=video.pk)
                services.like_add(actor=searcher, video_id=video.pk)
        make_user(f"wildebeest{size}_extra")
        counts[size] = count_queries(gql(searcher), SEARCH_PAGE, {"first": size})
        page = gql(searcher)(SEARCH_PAGE, {"first": size}).data["search"]  # the measured page is full
        assert len(page["videos"]["edges"]) == len(page["hashtags"]["edges"]) == size
        assert len(page["users"]["edges"]) == min(size, 10)

    print(f"\nsearch page queries: {counts}")
    assert counts[5] == counts[50] <= MAX_QUERIES
