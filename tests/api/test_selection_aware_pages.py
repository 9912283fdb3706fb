"""Pages load what the query reads: the viewer's flags of each video (two joins) and a
favorite's collection (one join) only when the query selects them, however it selects them
(fragments, aliases), and the answers are the same either way."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagement import selectors, services
from engagement.models import Video, Visibility
from tests.api.conftest import GraphQLClient, World, gid

FAVORITES = """
query {
  me { favorites(first: 10) { edges { node { id %s video { id caption %s } } } } }
}
"""

MY_VIDEOS = "query { me { videos(first: 10) { edges { node { id caption %s } } } } }"

WITH_FRAGMENTS = """
query {
  me { favorites(first: 10) { edges { ...Edge } } }
}
fragment Edge on FavoriteEdge { node { ... on Favorite { id box: collection { name } video { ...Flags } } } }
fragment Flags on Video { id caption saved: viewerHasSaved liked: viewerHasLiked }
"""


def _run(client: GraphQLClient, query: str) -> tuple[Any, str]:
    """The data of one request and the SQL of its queries, one string."""
    client("{ __typename }")  # the session and CSRF cookies, outside the capture
    with CaptureQueriesContext(connection) as queries:
        response = client(query)
    assert response.errors == [], response.errors
    return response.data, "\n".join(query["sql"] for query in queries.captured_queries)


def _joins(sql: str) -> dict[str, bool]:
    return {"like": '"engagement_like"' in sql, "collection": '"engagement_favoritecollection"' in sql}


def test_a_favorites_page_without_flags_or_collections_does_not_join_them(gql: Any, world: World) -> None:
    data, sql = _run(gql(world.viewer), FAVORITES % ("", ""))

    assert _joins(sql) == {"like": False, "collection": False}
    [edge] = data["me"]["favorites"]["edges"]
    assert edge["node"]["video"]["caption"] == "public"


def test_a_favorites_page_that_asks_for_them_gets_them_in_the_same_query(gql: Any, world: World) -> None:
    lean, _ = _run(gql(world.viewer), FAVORITES % ("", ""))
    data, sql = _run(gql(world.viewer), FAVORITES % ("collection { name }", "viewerHasSaved viewerHasLiked"))

    assert _joins(sql) == {"like": True, "collection": True}
    [edge] = data["me"]["favorites"]["edges"]
    assert edge["node"]["collection"] == {"name": "Recipes"}
    assert edge["node"]["video"]["viewerHasSaved"] is True
    assert edge["node"]["video"]["viewerHasLiked"] is True
    assert lean["me"]["favorites"]["edges"][0]["node"]["id"] == edge["node"]["id"]


def test_fields_asked_through_fragments_and_aliases_are_loaded(gql: Any, world: World) -> None:
    data, sql = _run(gql(world.viewer), WITH_FRAGMENTS)

    assert _joins(sql) == {"like": True, "collection": True}
    [edge] = data["me"]["favorites"]["edges"]
    assert edge["node"]["box"] == {"name": "Recipes"}
    assert edge["node"]["video"]["saved"] is True
    assert edge["node"]["video"]["liked"] is True


def test_a_flag_asked_alone_brings_both_in_one_query(gql: Any, world: World) -> None:
    _, without = _run(gql(world.viewer), FAVORITES % ("", ""))
    data, sql = _run(gql(world.viewer), FAVORITES % ("", "viewerHasLiked"))

    assert _joins(sql)["like"] is True
    assert sql.count("SELECT") == without.count("SELECT")
    assert data["me"]["favorites"]["edges"][0]["node"]["video"]["viewerHasLiked"] is True


@pytest.mark.parametrize("asked", ["", "viewerHasSaved viewerHasLiked"])
def test_my_videos_join_the_flags_only_when_asked(gql: Any, world: World, asked: str) -> None:
    services.favorite_add(actor=world.creator, video_id=world.public_video.pk)

    data, sql = _run(gql(world.creator), MY_VIDEOS % asked)

    assert _joins(sql)["like"] is bool(asked)
    nodes = {edge["node"]["caption"]: edge["node"] for edge in data["me"]["videos"]["edges"]}
    assert set(nodes) == {"public", "friends", "private", "locked"}
    if asked:
        assert nodes["public"]["viewerHasSaved"] is True and nodes["public"]["viewerHasLiked"] is False
        assert nodes["friends"]["viewerHasSaved"] is False


def test_flags_of_a_video_read_without_them_cost_one_query_and_are_right(world: World) -> None:
    page = selectors.user_videos_page(
        viewer=world.viewer, owner=world.creator, first=10, after=None, viewer_flags=False
    )
    public = next(video for video in page.items if video.pk == world.public_video.pk)

    with CaptureQueriesContext(connection) as queries:
        flags = selectors.video_viewer_flags(viewer=world.viewer, video=public)
        again = selectors.video_viewer_flags(viewer=world.viewer, video=public)

    assert flags == again == {"viewer_has_saved": True, "viewer_has_liked": True}
    assert len(queries) == 1


def test_an_anonymous_viewer_has_no_flags_and_costs_no_query(world: World) -> None:
    page = selectors.user_videos_page(
        viewer=AnonymousUser(), owner=world.creator, first=10, after=None, viewer_flags=False
    )

    with CaptureQueriesContext(connection) as queries:
        flags = [selectors.video_viewer_flags(viewer=AnonymousUser(), video=video) for video in page.items]

    assert flags and all(flag == {"viewer_has_saved": False, "viewer_has_liked": False} for flag in flags)
    assert len(queries) == 0


def test_a_video_from_a_mutation_payload_shows_the_viewers_flags(gql: Any, world: World) -> None:
    services.like_add(actor=world.creator, video_id=world.public_video.pk)
    mutation = """mutation($id: ID!) { updateVideo(input: {videoId: $id, caption: "new"}) {
      video { caption viewerHasSaved viewerHasLiked } } }"""

    response = gql(world.creator)(mutation, {"id": gid(world.public_video)})

    assert response.errors == []
    assert response.data["updateVideo"]["video"] == {"caption": "new", "viewerHasSaved": False, "viewerHasLiked": True}


def test_flags_read_on_demand_go_through_the_visibility_rule(world: World) -> None:
    """A video the viewer may no longer see tells nothing about it, not even their own save."""
    page = selectors.user_videos_page(
        viewer=world.viewer, owner=world.creator, first=10, after=None, viewer_flags=False
    )
    public = next(video for video in page.items if video.pk == world.public_video.pk)
    Video.objects.filter(pk=public.pk).update(visibility=Visibility.PRIVATE)

    assert selectors.video_viewer_flags(viewer=world.viewer, video=public) == {
        "viewer_has_saved": False,
        "viewer_has_liked": False,
    }
