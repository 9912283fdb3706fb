"""The executor's plain-field shortcut, on when ``GRAPHQL_SPEEDUPS`` is (the default).

graphql-core resolves every field the same way: build a ``GraphQLResolveInfo``, call the resolver
(through the engine's wrappers), then dispatch on the return type to complete the value. A
*plain* field (declared without arguments, ``api.declarations``) needs none of the
resolve info but the request, so ``PlainFieldShortcut`` reads it with its declared reader between
its audience guard's steps, and completes the value directly: a scalar or enum is serialized, an
object (or a list of objects) has its selection executed the same way, one level down.

A value the shortcut cannot complete plainly (``null`` in a non-null field, a value the type
cannot serialize, an object its type does not claim) is completed by graphql-core's own
``complete_value``, and an error from the guard or the reader is reported as ``execute_field``
reports it: a field is never resolved twice. What a field returns and who may read it do not
change: the reader and the guard are the ones the engines build from the same declaration, and
the differential test (tests/api/test_speedups_differential.py) runs the role matrix, the
fuzzer's corpus and the query-count suite with the shortcut on and off.
"""

from asyncio import gather
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from django.conf import settings
from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    is_leaf_type,
    located_error,
)
from graphql.pyutils import Path, Undefined

from api import type_system
from api.declarations import Call
from api.execution import OperationScope
from api.guards import AudienceCheck

PlainReader = Callable[[Any, Any], Any]  # read(source, ContextInfo)

_PLAIN = "_plain_field"
_UNCHECKED = object()
_LEAF, _OBJECT, _OBJECTS = "leaf", "object", "objects"


class ContextInfo:
    """All a plain field's reader may use of its resolve info: the request context."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


class PlainField(NamedTuple):
    """How ``PlainFieldShortcut`` resolves one field: ``kind`` is a leaf, an object or a list of
    objects; ``named`` the leaf or object type; ``item_type`` (possibly non-null) for a list only."""

    kind: str
    read: PlainReader
    named: Any
    nullable: bool
    item_type: Any
    guard: AudienceCheck | None
    return_type: GraphQLOutputType


_MIN_INT, _MAX_INT = -(2**31), 2**31 - 1
# Values these scalars serialize to themselves (``Int`` within its 32 bits): the executor skips the call.
_SERIALIZED_AS_IS: dict[Any, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool, GraphQLInt: int}
# What a synchronous completion returns: never awaitable, so the executor's (Python-level) test is skipped.
_COMPLETED = frozenset({dict, list, type(None)})


class _Step:
    """One field of a selection as ``execute_fields`` runs it, its plain field unpacked into
    attributes once per selection rather than once per object."""

    __slots__ = ("checks_values", "exact", "guard", "guard_key", "leaf", "name", "nodes", "nullable", "plain",
                 "read", "subfields")  # fmt: skip

    def __init__(self, name: str, nodes: list[Any], plain: PlainField | None) -> None:
        self.name, self.nodes, self.plain = name, nodes, plain
        self.subfields: dict[str, list[Any]] | None = None  # of an object field, collected once
        self.guard = plain.guard if plain is not None else None
        self.guard_key = self.guard.key if self.guard is not None else None
        self.checks_values = self.guard is not None and self.guard.checks_values
        self.read: Any = plain.read if plain is not None else None
        self.nullable = plain is not None and plain.nullable
        self.leaf = plain.named if plain is not None and plain.kind is _LEAF else None
        self.exact: Any = _SERIALIZED_AS_IS.get(self.leaf)


def mark_plain_field(field: GraphQLField, read: PlainReader, guard: AudienceCheck | None = None) -> bool:
    """Let ``PlainFieldShortcut`` resolve ``field`` with ``read(source, ContextInfo)`` between
    ``guard``'s steps. Only fields without arguments qualify, whose type is a (possibly
    non-null) scalar, enum, object type, or list of object types."""
    if field.args:
        return False
    field_type: Any = field.type
    nullable = not isinstance(field_type, GraphQLNonNull)
    inner = field_type if nullable else field_type.of_type
    item_type = None
    if is_leaf_type(inner):
        kind = _LEAF
    elif isinstance(inner, GraphQLObjectType):
        kind = _OBJECT
    elif isinstance(inner, GraphQLList):
        item_type = inner.of_type
        inner = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(inner, GraphQLObjectType):
            return False
        kind = _OBJECTS
    else:
        return False
    setattr(field, _PLAIN, PlainField(kind, read, inner, nullable, item_type, guard, field_type))
    return True


def install_plain_fields(schema: GraphQLSchema, request_of: Callable[[Any], Any]) -> int:
    """Mark every declared plain field of an engine's built ``schema`` with its declared reader
    and guard; ``request_of(info)`` finds the request in that engine's context. Returns how many
    fields were marked."""
    marked = 0
    for declared in type_system.OBJECT_TYPES:
        graphql_type = schema.type_map[declared.name]
        assert isinstance(graphql_type, GraphQLObjectType)
        for declared_field in declared.fields:
            reader = declared.reader(declared_field)
            if reader is None:
                continue
            spec = declared.spec(declared_field)
            guard = AudienceCheck(spec.audience, spec.token_scopes, request_of=request_of)
            root_read = declared.root_reader(declared_field)
            read = _from_root(root_read) if root_read is not None else _with_call(reader, request_of)
            marked += mark_plain_field(graphql_type.fields[declared_field.name], read, None if guard.is_open else guard)
    return marked


def _from_root(read_root: Callable[[Any], Any]) -> PlainReader:
    """Most plain fields read their parent alone: no ``Call`` is built for them."""

    def read(source: Any, info: Any) -> Any:
        return read_root(source)

    return read


def _with_call(reader: Callable[[Any, Call], Any], request_of: Callable[[Any], Any]) -> PlainReader:
    def read(source: Any, info: Any) -> Any:
        return reader(source, Call(request_of(info)))

    return read


class PlainFieldShortcut(OperationScope):
    """graphql-core's executor with the plain-field shortcut (see the module docstring)."""

    _context_info: ContextInfo | None = None
    _shortcut: bool | None = None
    _plans: dict[int, tuple[Any, list["_Step"]]] | None = None

    def execute_fields(
        self, parent_type: GraphQLObjectType, source_value: Any, path: Any, fields: dict[str, list[Any]]
    ) -> Any:
        if not (self._shortcut or self._shortcut_allowed()):
            return super().execute_fields(parent_type, source_value, path, fields)
        info = self._context_info
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        checked: dict[Any, Any] = {}  # guard key -> what its check returned, for this object
        for step in self._plan(parent_type, fields):
            name = step.name
            if step.plain is None:
                result = self.execute_field(parent_type, source_value, step.nodes, Path(path, name, parent_type.name))
            else:
                try:
                    guard = step.guard
                    if guard is None:
                        value = step.read(source_value, info)
                    else:
                        state = checked.get(step.guard_key, _UNCHECKED)
                        if state is _UNCHECKED:
                            state = checked[step.guard_key] = guard.check(source_value, info)
                        value = step.read(source_value, info)
                        if step.checks_values:
                            guard.check_value(state, source_value, value)
                except Exception as raw_error:
                    self._field_error(raw_error, step.nodes, Path(path, name, parent_type.name), step.plain.return_type)
                    results[name] = None
                    continue
                if value is None and step.nullable:
                    results[name] = None
                    continue
                leaf = step.leaf
                if leaf is not None and value is not None:
                    exact = step.exact
                    if type(value) is exact and (exact is not int or _MIN_INT <= value <= _MAX_INT):
                        results[name] = value  # what the scalar's serialize would return
                        continue
                    serialized = _serialize(leaf, value)
                    if serialized is not None and serialized is not Undefined:
                        results[name] = serialized
                        continue
                field_path = Path(path, name, parent_type.name)
                result = (
                    Undefined if leaf is not None or value is None else self._complete_plain(step, field_path, value)
                )
                if result is Undefined:
                    result = self._complete_resolved(parent_type, step, field_path, value)
            if result is not Undefined:
                results[name] = result
                if type(result) not in _COMPLETED and self.is_awaitable(result):
                    awaitable_fields.append(name)
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            values = await gather(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, values, strict=True))
            return results

        return get_results()

    def _complete_resolved(self, parent_type: GraphQLObjectType, step: "_Step", path: Path, value: Any) -> Any:
        """A resolved value the shortcut cannot complete plainly, completed by graphql-core as
        ``execute_field`` would complete it (its error located and handled the same way)."""
        field_nodes = step.nodes
        field_def = parent_type.fields[field_nodes[0].name.value]
        return_type = field_def.type
        info = self.build_resolve_info(field_def, field_nodes, parent_type, path)
        try:
            completed = self.complete_value(return_type, field_nodes, info, path, value)
        except Exception as raw_error:
            self._field_error(raw_error, field_nodes, path, return_type)
            return None
        if type(completed) in _COMPLETED or not self.is_awaitable(completed):
            return completed

        async def await_completed() -> Any:
            try:
                return await completed
            except Exception as raw_error:
                self._field_error(raw_error, field_nodes, path, return_type)
                return None

        return await_completed()

    def _complete_plain(self, step: "_Step", path: Path, value: Any) -> Any:
        """The completed object or list, or ``Undefined`` (nothing ran) when graphql-core's
        ``complete_value`` must answer. An error inside is located and nulled as
        ``execute_field`` does."""
        plain: PlainField = step.plain  # type: ignore[assignment]
        field_nodes = step.nodes
        object_type: GraphQLObjectType = plain.named
        if plain.kind is _OBJECT:
            if not self._claims(object_type, value):
                return Undefined
            items = None
        else:
            if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
                return Undefined
            items = list(value)
            strict = isinstance(plain.item_type, GraphQLNonNull)
            if any((strict if item is None else not self._claims(object_type, item)) for item in items):
                return Undefined
        if step.subfields is None:
            step.subfields = self.collect_subfields(object_type, field_nodes)
        subfields = step.subfields
        try:
            if items is None:
                completed = self.execute_fields(object_type, value, path, subfields)
            else:
                completed = self._complete_items(plain, object_type, field_nodes, path, subfields, items)
        except Exception as raw_error:
            self._field_error(raw_error, field_nodes, path, plain.return_type)
            return None
        if type(completed) in _COMPLETED or not self.is_awaitable(completed):
            return completed

        async def await_completed() -> Any:
            try:
                return await completed
            except Exception as raw_error:
                self._field_error(raw_error, field_nodes, path, plain.return_type)
                return None

        return await_completed()

    def _complete_items(
        self,
        plain: PlainField,
        object_type: GraphQLObjectType,
        field_nodes: list[Any],
        path: Path,
        subfields: dict[str, list[Any]],
        items: list[Any],
    ) -> Any:
        """A list of objects, as graphql-core's ``complete_list_value`` completes it."""
        completed: list[Any] = []
        awaitable_indices: list[int] = []
        for index, item in enumerate(items):
            if item is None:
                completed.append(None)
                continue
            item_path = path.add_key(index, None)
            try:
                result = self.execute_fields(object_type, item, item_path, subfields)
            except Exception as raw_error:
                self._field_error(raw_error, field_nodes, item_path, plain.item_type)
                result = None
            if type(result) not in _COMPLETED and self.is_awaitable(result):
                awaitable_indices.append(index)
            completed.append(result)
        if not awaitable_indices:
            return completed

        async def get_completed() -> list[Any]:
            for index in awaitable_indices:
                item_path = path.add_key(index, None)
                try:
                    completed[index] = await completed[index]
                except Exception as raw_error:
                    self._field_error(raw_error, field_nodes, item_path, plain.item_type)
                    completed[index] = None
            return completed

        return get_completed()

    def _field_error(self, raw_error: Exception, field_nodes: list[Any], path: Path, return_type: Any) -> None:
        """Locate the error and null the field, or raise it on to a nullable ancestor."""
        self.handle_field_error(located_error(raw_error, field_nodes, path.as_list()), return_type, path)

    def _claims(self, object_type: GraphQLObjectType, value: Any) -> bool:
        """Whether the object type's ``is_type_of`` (when it has one) plainly accepts ``value``."""
        if object_type.is_type_of is None:
            return True
        try:
            claimed = object_type.is_type_of(value, self._context_info)  # type: ignore[arg-type]
        except Exception:  # the full path below reports it properly
            return False
        return claimed is True

    def _plan(self, parent_type: GraphQLObjectType, fields: dict[str, list[Any]]) -> list["_Step"]:
        """Per selection (graphql-core reuses the same dict for every object of a list): each
        field as a ``_Step``."""
        if self._plans is None:
            self._plans = {}
        cached = self._plans.get(id(fields))
        if cached is not None and cached[0] is fields:
            return cached[1]
        plan = [
            _Step(name, nodes, getattr(parent_type.fields.get(nodes[0].name.value), _PLAIN, None))
            for name, nodes in fields.items()
        ]
        self._plans[id(fields)] = (fields, plan)  # holding ``fields`` keeps its id from being reused
        return plan

    def _shortcut_allowed(self) -> bool:
        """Only with ``GRAPHQL_SPEEDUPS`` on and without field middleware: a middleware must see
        every field resolve."""
        if self._shortcut is None:
            middleware = getattr(self.middleware_manager, "middlewares", None)
            self._shortcut = settings.GRAPHQL_SPEEDUPS and not middleware
            self._context_info = ContextInfo(self.context_value)
        return self._shortcut


def _serialize(leaf: GraphQLLeafType, value: Any) -> Any:
    try:
        return leaf.serialize(value)
    except Exception:  # ``complete_value`` reports it properly
        return Undefined
