"""Operation limits and cost, engine-neutral: computed from the parsed document before either
engine runs it (OWASP's GraphQL cheat sheet, graphql-armor, GitHub's limits).

Cost estimates how many objects an operation can return: every object-valued field costs its
multiplier, and a connection multiplies what is under it by its ``first`` (default 20), so
nested connections multiply. A plain list of objects multiplies by its length: the days of its
``from``/``to`` range for a series, ``MAX_PAGE_SIZE`` otherwise (top videos, breakdown buckets).
"""

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
)
from graphql.language import Visitor, visit

from api.documents import parse_document
from kernel.errors import InvalidInput
from kernel.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# A date-ranged series has a point a day; no range spans more days than this (a leap year).
MAX_SERIES_DAYS = 366
# Longest date text read from a variable (YYYY-MM-DD); longer ones count as the widest range.
_DATE_TEXT = len("2000-01-01")
# Introspection's `ofType` chains are bounded by the schema's type wrappers, not circular.
_FREE_DEPTH_FIELDS = frozenset({"ofType"})


@dataclass(frozen=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_tokens: int
    max_directives: int
    max_cost: int
    max_errors: int  # errors listed in one answer (api/errors.py cap_errors)

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(**settings.GRAPHQL_LIMITS)


@dataclass(frozen=True)
class OperationStats:
    depth: int
    aliases: int
    directives: int
    cost: int


class _Counter(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.aliases = 0
        self.directives = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.alias is not None:
            self.aliases += 1

    def enter_directive(self, *_: Any) -> None:
        self.directives += 1


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    variables: dict[str, Any]

    def page_size(self, node: FieldNode) -> int:
        """The `first` a connection will use; anything invalid counts as the maximum (and the
        engine rejects it anyway)."""
        for argument in node.arguments:
            if argument.name.value != "first":
                continue
            value: Any = argument.value
            if isinstance(value, VariableNode):
                value = self.variables.get(value.name.value)
            elif isinstance(value, IntValueNode):
                value = int(value.value)
            return value if isinstance(value, int) and 1 <= value <= MAX_PAGE_SIZE else MAX_PAGE_SIZE
        return DEFAULT_PAGE_SIZE

    def list_length(self, node: FieldNode) -> int:
        """The most items a plain list of objects holds: its range's days, or ``MAX_PAGE_SIZE``."""
        bounds = {argument.name.value: self._date(argument.value) for argument in node.arguments}
        if "from" not in bounds and "to" not in bounds:
            return MAX_PAGE_SIZE
        first, last = bounds.get("from"), bounds.get("to")
        if first is None or last is None:
            return MAX_SERIES_DAYS
        return min(max((last - first).days + 1, 1), MAX_SERIES_DAYS)

    def _date(self, value: Any) -> date | None:
        if isinstance(value, VariableNode):
            value = self.variables.get(value.name.value)
        elif isinstance(value, StringValueNode):
            value = value.value
        if not isinstance(value, str) or len(value) > _DATE_TEXT:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None

    def selection_set(
        self, selections: SelectionSetNode | None, parent: Any, multiplier: int, seen: frozenset[str]
    ) -> tuple[int, int]:
        """(depth, cost) of a selection set under ``parent``."""
        if selections is None or parent is None:
            return 0, 0
        depth = cost = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                sub_depth, sub_cost = self.field(selection, parent, multiplier, seen)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                sub_depth, sub_cost = self.selection_set(selection.selection_set, target, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue  # unknown or cyclic: validation rejects it later
                target = self.schema.get_type(fragment.type_condition.name.value)
                sub_depth, sub_cost = self.selection_set(fragment.selection_set, target, multiplier, seen | {name})
            else:
                continue
            depth, cost = max(depth, sub_depth), cost + sub_cost
        return depth, cost

    def field(self, node: FieldNode, parent: Any, multiplier: int, seen: frozenset[str]) -> tuple[int, int]:
        name = node.name.value
        own_depth = 0 if name in _FREE_DEPTH_FIELDS else 1
        definition = self._definition(parent, name)
        if definition is None:
            # Unknown field (validation rejects it) or introspection: depth still counts.
            return own_depth + self.selection_set_depth(node.selection_set, seen), 0
        named = get_named_type(definition.type)
        if not is_composite_type(named):
            return own_depth, 0
        own_cost = child_multiplier = multiplier
        if named.name.endswith("Connection"):
            child_multiplier = multiplier * self.page_size(node)
        elif is_list_type(get_nullable_type(definition.type)) and not parent.name.endswith("Connection"):
            own_cost = child_multiplier = multiplier * self.list_length(node)  # a connection's edges are paid
        depth, cost = self.selection_set(node.selection_set, named, child_multiplier, seen)
        return own_depth + depth, own_cost + cost

    def selection_set_depth(self, selections: SelectionSetNode | None, seen: frozenset[str]) -> int:
        """Depth of a subtree the schema cannot type (introspection), cost-free."""
        if selections is None:
            return 0
        depth = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                own = 0 if selection.name.value in _FREE_DEPTH_FIELDS else 1
                depth = max(depth, own + self.selection_set_depth(selection.selection_set, seen))
            elif isinstance(selection, InlineFragmentNode):
                depth = max(depth, self.selection_set_depth(selection.selection_set, seen))
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = self.fragments.get(selection.name.value)
                if fragment is not None:
                    inner = self.selection_set_depth(fragment.selection_set, seen | {selection.name.value})
                    depth = max(depth, inner)
        return depth

    @staticmethod
    def _definition(parent: Any, name: str) -> Any:
        fields = getattr(parent, "fields", None)
        return fields.get(name) if fields and not name.startswith("__") else None


def parse_operation(query: str, *, max_tokens: int) -> DocumentNode:
    """Parse with a token ceiling, so a huge document is refused before any work is done (cached:
    see ``api.documents``); raises ``GraphQLSyntaxError``."""
    return parse_document(query, max_lexical_tokens=max_tokens, max_comments=max_tokens)


def operation_stats(
    document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema, *, variables: dict[str, Any]
) -> OperationStats:
    """The stats of ``operation`` (one of ``document``'s), remembered per document text,
    operation and the variables the walk can read: integers (as ``first``) and short strings (as
    dates; a longer one counts as the widest range, the same as an absent one), so these
    determine the result."""
    source = document.loc.source.body if document.loc is not None else None
    if source is None:
        return _operation_stats(document, operation, schema, variables=variables)
    read = tuple(
        sorted(
            (name, value)
            for name, value in variables.items()
            if isinstance(value, int) or (isinstance(value, str) and len(value) <= _DATE_TEXT)
        )
    )
    key = (id(schema), source, operation.name.value if operation.name else None, read)
    stats = _STATS.get(key)
    if stats is None:
        stats = _operation_stats(document, operation, schema, variables=variables)
        if len(_STATS) >= _STATS_SIZE:
            with contextlib.suppress(StopIteration, RuntimeError):  # another thread evicted first
                _STATS.pop(next(iter(_STATS)), None)
        _STATS[key] = stats
    return stats


_STATS: dict[tuple[Any, ...], OperationStats] = {}
_STATS_SIZE = 1024


def _operation_stats(
    document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema, *, variables: dict[str, Any]
) -> OperationStats:
    """Depth and cost of the operation; aliases and directives of the whole document."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walk = _Walk(schema=schema, fragments=fragments, variables=variables)
    counter = _Counter()
    visit(document, counter)
    root = schema.get_root_type(operation.operation)
    depth, cost = walk.selection_set(operation.selection_set, root, 1, frozenset())
    return OperationStats(depth=depth, aliases=counter.aliases, directives=counter.directives, cost=max(cost, 1))


def check_limits(stats: OperationStats, limits: Limits) -> None:
    """Refuse an operation over any limit, with a message that names the limit."""
    for value, ceiling, what in (
        (stats.depth, limits.max_depth, "depth"),
        (stats.aliases, limits.max_aliases, "number of aliases"),
        (stats.directives, limits.max_directives, "number of directives"),
        (stats.cost, limits.max_cost, "cost"),
    ):
        if value > ceiling:
            raise InvalidInput(f"The operation's {what} is {value}; the limit is {ceiling}.", field="query")
