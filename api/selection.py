"""What a query selects below the field being resolved, for both engines (both hand their
resolvers graphql-core's resolve info underneath).

A page resolver asks this so that its selector loads only what the query will read: the
viewer's flags of each video are two joins that a page of insights never shows. The answer
errs on the side of loading: a field under ``@skip``/``@include``, or in a fragment on any type,
counts as selected.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode


class Selection:
    """The fields selected at one place of a query, with the way further down."""

    __slots__ = ("_fragments", "_sets")

    def __init__(self, sets: Iterable[SelectionSetNode | None], fragments: dict[str, FragmentDefinitionNode]) -> None:
        self._sets = [selection_set for selection_set in sets if selection_set is not None]
        self._fragments = fragments

    @classmethod
    def of(cls, info: Any) -> "Selection":
        """What the field being resolved selects; ``info`` is graphql-core's resolve info."""
        return cls((node.selection_set for node in info.field_nodes), info.fragments)

    def names(self) -> frozenset[str]:
        """The names (not aliases) of the fields selected here."""
        return frozenset(field.name.value for field in self._fields())

    def under(self, *path: str) -> "Selection":
        """The selection below the fields named ``path``, one name a level (``"edges", "node"``)."""
        selection = self
        for name in path:
            sets = (field.selection_set for field in selection._fields() if field.name.value == name)
            selection = Selection(sets, self._fragments)
        return selection

    def __contains__(self, name: object) -> bool:
        return any(field.name.value == name for field in self._fields())

    def _fields(self) -> Iterator[FieldNode]:
        pending = list(self._sets)
        seen: set[str] = set()
        while pending:
            for selection in pending.pop().selections:
                if isinstance(selection, FieldNode):
                    yield selection
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                    seen.add(selection.name.value)
                    fragment = self._fragments.get(selection.name.value)
                    if fragment is not None:
                        pending.append(fragment.selection_set)
