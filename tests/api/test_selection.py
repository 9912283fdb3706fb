"""``api.selection``: the names a query selects below a field, through fragments
and aliases, and nothing for a path the query does not take."""

from types import SimpleNamespace

from graphql import FieldNode, FragmentDefinitionNode, OperationDefinitionNode, parse

from api.selection import Selection

QUERY = """
query($flags: Boolean!) {
  me {
    favorites(first: 5) {
      pageInfo { hasNextPage }
      edges {
        node { id box: collection { name } ...Video }
        ... on FavoriteEdge { cursor node { isAvailable } }
      }
    }
  }
}
fragment Video on Favorite { video { caption ... on Video { viewerHasLiked @include(if: $flags) } ...Again } }
fragment Again on Video { owner { username } ...Again2 }
fragment Again2 on Video { viewerHasSaved }
"""


def _favorites_field() -> Selection:
    """What ``favorites`` selects, as its resolver would be asked."""
    document = parse(QUERY)
    operation = next(node for node in document.definitions if isinstance(node, OperationDefinitionNode))
    fragments = {node.name.value: node for node in document.definitions if isinstance(node, FragmentDefinitionNode)}
    me = operation.selection_set.selections[0]
    assert isinstance(me, FieldNode) and me.selection_set is not None
    favorites = me.selection_set.selections[0]
    return Selection.of(SimpleNamespace(field_nodes=[favorites], fragments=fragments))


def test_names_at_the_top_and_below_a_path() -> None:
    favorites = _favorites_field()

    assert favorites.names() == {"pageInfo", "edges"}
    assert favorites.under("edges").names() == {"node", "cursor"}
    assert favorites.under("edges", "node").names() == {"id", "collection", "video", "isAvailable"}


def test_aliases_count_by_their_field_name() -> None:
    node = _favorites_field().under("edges", "node")

    assert "collection" in node and "box" not in node


def test_fragments_nested_and_conditional_fields_count_as_selected() -> None:
    video = _favorites_field().under("edges", "node", "video")

    assert video.names() == {"caption", "viewerHasLiked", "owner", "viewerHasSaved"}
    assert video.under("owner").names() == {"username"}


def test_a_path_the_query_does_not_take_selects_nothing() -> None:
    favorites = _favorites_field()

    assert favorites.under("edges", "node", "comments").names() == frozenset()
    assert favorites.under("nodes").names() == frozenset()
    assert "id" not in favorites.under("pageInfo")
