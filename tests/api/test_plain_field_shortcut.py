"""The executor's plain-field shortcut answers exactly what graphql-core's own executor answers:
the same data, the same errors at the same paths, nulls propagated to the same ancestor; and it
resolves a field once, even when its reader raised or its value needs graphql-core to complete."""

from typing import Any

import pytest
from graphql import (
    ExecutionContext,
    GraphQLField,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    execute_sync,
    parse,
)

from api.speedups import ContextInfo, PlainFieldShortcut, mark_plain_field


class Item:
    def __init__(self, name: Any, size: Any = 1) -> None:
        self.name, self.size = name, size


class Shelf:
    def __init__(self, items: Any, best: Any = None) -> None:
        self.items, self.best = items, best


READS: list[str] = []  # each read, by attribute: a field is read once per object


def _read(attribute: str) -> Any:
    def read(source: Any, info: Any) -> Any:
        READS.append(attribute)
        value = getattr(source, attribute)
        if isinstance(value, Exception):
            raise value
        return value

    return read


class Guard:
    """A field guard as ``api.guards.AudienceCheck`` has it: refuses items named
    ``secret`` before the read, and values equal to ``forbidden`` after it."""

    checks_values = True

    def __init__(self, key: str) -> None:
        self.key = key

    def check(self, source: Any, info: Any) -> Any:
        if source.name == "secret":
            raise PermissionError(f"{self.key}: not yours")
        return self.key

    def check_value(self, state: Any, source: Any, value: Any) -> None:
        if value == "forbidden":
            raise PermissionError(f"{state}: not this value")


def _guarded_field(field_type: Any, attribute: str, guard: Guard) -> GraphQLField:
    """A field whose own resolver runs the guard's steps around the read (graphql-core's path),
    marked so that the shortcut runs the same steps itself."""
    read = _read(attribute)

    def resolve(source: Any, info: Any) -> Any:
        state = guard.check(source, info)
        value = read(source, info)
        guard.check_value(state, source, value)
        return value

    field = GraphQLField(field_type, resolve=resolve)
    mark_plain_field(field, read, guard)  # type: ignore[arg-type]
    return field


ITEM = GraphQLObjectType(
    "Item",
    lambda: {
        "name": GraphQLField(GraphQLNonNull(GraphQLString), resolve=_read("name")),
        "size": GraphQLField(GraphQLInt, resolve=_read("size")),
        "guardedName": _guarded_field(GraphQLString, "name", Guard("outer")),
        "strictlyGuardedName": _guarded_field(GraphQLNonNull(GraphQLString), "name", Guard("outer")),
    },
    is_type_of=lambda value, info: isinstance(value, Item),
)
SHELF = GraphQLObjectType(
    "Shelf",
    {
        "items": GraphQLField(GraphQLList(ITEM), resolve=_read("items")),
        "strictItems": GraphQLField(GraphQLList(GraphQLNonNull(ITEM)), resolve=_read("items")),
        "best": GraphQLField(ITEM, resolve=_read("best")),
        "sureBest": GraphQLField(GraphQLNonNull(ITEM), resolve=_read("best")),
    },
)
SCHEMA = GraphQLSchema(GraphQLObjectType("Query", {"shelf": GraphQLField(SHELF, resolve=lambda root, info: root)}))
FIELDS = {name: field for graphql_type in (ITEM, SHELF) for name, field in graphql_type.fields.items()}
PLAIN = sum(mark_plain_field(field, field.resolve) for name, field in FIELDS.items() if "uarded" not in name)

SHELVES = {
    "all fine": Shelf([Item("a"), Item("b", 2)], best=Item("a")),
    "a null name in a nullable list": Shelf([Item("a"), Item(None)], best=Item("a")),
    "a null item": Shelf([Item("a"), None], best=Item("a")),
    "a resolver error": Shelf([Item("a", ValueError("size unknown"))], best=Item(ValueError("no name"))),
    "an object of the wrong type": Shelf([Item("a"), "not an item"], best="not an item"),
    "no list at all": Shelf(42, best=None),
    "a value the scalar refuses": Shelf([Item("a", "many")], best=Item("a")),
    "guards refusing an item and a value": Shelf([Item("a"), Item("secret"), Item("forbidden")], best=Item("secret")),
    "ints at and past 32 bits, bools, floats and numbers as names": Shelf(
        [Item("a", 2**31), Item("b", -(2**31)), Item("c", True), Item(7, 2.0), Item("d", 2**31 - 1)],
        best=Item(False, -(2**31) - 1),
    ),
}
QUERIES = {
    "nullable": "{ shelf { items { name size } best { name } } }",
    "non-null items": "{ shelf { strictItems { name size } } }",
    "non-null object": "{ shelf { sureBest { name size } } }",
    "guarded": "{ shelf { items { guardedName } best { size guardedName } } }",
    "guarded non-null": "{ shelf { strictItems { strictlyGuardedName size } } }",
}


def _answer(shelf: Shelf, query: str, context_class: type[ExecutionContext]) -> Any:
    READS.clear()
    result = execute_sync(SCHEMA, parse(query), root_value=shelf, execution_context_class=context_class)
    errors = sorted((error.message, tuple(error.path or ())) for error in result.errors or [])
    return result.data, errors, sorted(READS)


def test_every_field_of_the_test_schema_takes_the_shortcut() -> None:
    assert PLAIN == 6


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
@pytest.mark.parametrize("shelf", SHELVES.values(), ids=SHELVES.keys())
def test_the_shortcut_answers_as_graphql_core_does(shelf: Shelf, query: str) -> None:
    """The same data and errors, and the same reads: none repeated after an error or a value
    graphql-core had to complete."""
    assert _answer(shelf, query, PlainFieldShortcut) == _answer(shelf, query, ExecutionContext)


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_with_the_switch_off_the_executor_is_graphql_cores(query: str, settings: Any) -> None:
    settings.GRAPHQL_SPEEDUPS = False
    shelf = SHELVES["guards refusing an item and a value"]

    assert _answer(shelf, query, PlainFieldShortcut) == _answer(shelf, query, ExecutionContext)


def test_a_plain_resolver_gets_the_context_alone() -> None:
    seen: list[Any] = []

    def resolve(source: Any, info: Any) -> str:
        seen.append(info)
        return "x"

    field = GraphQLField(GraphQLString, resolve=resolve)
    mark_plain_field(field, resolve)
    schema = GraphQLSchema(GraphQLObjectType("Query", {"x": field}))

    result = execute_sync(schema, parse("{ x }"), context_value="ctx", execution_context_class=PlainFieldShortcut)

    assert result.data == {"x": "x"}
    assert len(seen) == 1 and isinstance(seen[0], ContextInfo) and seen[0].context == "ctx"
