"""Execution shared by both engines (both run on graphql-core): a shortcut for plain fields and
the request's viewer without its lazy wrapper.

graphql-core resolves every field the same way: build a ``GraphQLResolveInfo``, call the resolver
(through the engine's wrappers), then dispatch on the return type to complete the value. For a
*plain* field (no arguments, a resolver that reads the parent object and needs nothing of the
resolve info but the request context) most of that is overhead: a page of 100 videos with their
insights resolves 1,300 fields. ``PlainFieldShortcut`` calls such a field's resolver with the
context alone and completes the value directly: a scalar or enum is serialized, an object (or a
list of objects) has its selection executed the same way, one level down. Anything unusual (an
error from the resolver, a resolver that wants more of the resolve info, ``null`` in a non-null
field, a value the type cannot serialize, an object its type does not claim) falls back to
graphql-core's own path for that field before any of its selection ran, which then produces
exactly the result and error it always did; an error inside a selection is located and nulled
as graphql-core does it. What a field returns and who may read it do not change: the resolver,
including its audience guard, is the one the engine built.
"""

from asyncio import gather
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty
from graphql import (
    GraphQLBoolean,
    GraphQLError,
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
    OperationDefinitionNode,
    OperationType,
    is_leaf_type,
    located_error,
)
from graphql.execution import ExecutionContext
from graphql.pyutils import Path, Undefined

from backend.deadlines import ran_out_of_time

PlainResolver = Callable[[Any, Any], Any]


class Guard(Protocol):
    """A field's audience guard as its steps (``backend.graphql.guards.AudienceCheck``): ``check``
    depends only on the viewer, the parent and ``key``, so the fields of one object that share a
    key run it once; ``check_value`` runs only where ``checks_values`` says it can refuse."""

    key: Any
    checks_values: bool

    def check(self, source: Any, info: Any) -> Any: ...

    def check_value(self, state: Any, source: Any, value: Any) -> None: ...


_PLAIN = "_plain_field"
_UNCHECKED = object()
_LEAF, _OBJECT, _OBJECTS = "leaf", "object", "objects"


class ContextInfo:
    """All a plain field's resolver may use of its resolve info: the request context."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


class PlainField(NamedTuple):
    """How ``PlainFieldShortcut`` resolves one field: ``kind`` is a leaf, an object or a list of
    objects; ``named`` the leaf or object type; ``item_type`` (possibly non-null) for a list only."""

    kind: str
    resolve: PlainResolver
    named: Any
    nullable: bool
    item_type: Any
    guards: tuple[Guard, ...]
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
                 "resolve", "subfields", "unguarded")  # fmt: skip

    def __init__(self, name: str, nodes: list[Any], plain: PlainField | None) -> None:
        self.name, self.nodes, self.plain = name, nodes, plain
        self.subfields: dict[str, list[Any]] | None = None  # of an object field, collected once
        single = plain is not None and len(plain.guards) == 1
        self.unguarded = plain is not None and not plain.guards
        self.guard: Guard | None = plain.guards[0] if single else None  # type: ignore[union-attr]
        self.guard_key = self.guard.key if self.guard is not None else None
        self.checks_values = self.guard is not None and self.guard.checks_values
        self.resolve: Any = plain.resolve if plain is not None else None
        self.nullable = plain is not None and plain.nullable
        self.leaf = plain.named if plain is not None and plain.kind is _LEAF else None
        self.exact: Any = _SERIALIZED_AS_IS.get(self.leaf)


def mark_plain_field(field: GraphQLField, resolve: PlainResolver, guards: Sequence[Guard] = ()) -> bool:
    """Let ``PlainFieldShortcut`` resolve ``field`` with ``resolve(source, ContextInfo)`` between
    its ``guards``' checks (outermost first). Only fields without arguments qualify, whose type is
    a (possibly non-null) scalar, enum, object type, or list of object types."""
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
    setattr(field, _PLAIN, PlainField(kind, resolve, inner, nullable, item_type, tuple(guards), field_type))
    return True


def object_fields(schema: GraphQLSchema) -> list[tuple[GraphQLObjectType, str, GraphQLField]]:
    """Every field of every object type of the schema, introspection types aside."""
    return [
        (graphql_type, name, field)
        for type_name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType) and not type_name.startswith("__")
        for name, field in graphql_type.fields.items()
    ]


class PlainFieldShortcut(ExecutionContext):
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
            result: Any = Undefined
            if step.plain is not None:
                try:
                    guard = step.guard
                    if guard is not None:  # the usual case: one audience guard (inlined: per field)
                        state = checked.get(step.guard_key, _UNCHECKED)
                        if state is _UNCHECKED:
                            state = checked[step.guard_key] = guard.check(source_value, info)
                        value = step.resolve(source_value, info)
                        if step.checks_values:
                            guard.check_value(state, source_value, value)
                    elif step.unguarded:
                        value = step.resolve(source_value, info)
                    else:
                        value = _guarded_value(step.resolve, step.plain.guards, source_value, info, checked)
                except Exception:  # the full path below reports it properly
                    value = Undefined
                if value is None:
                    if step.nullable:
                        results[name] = None
                        continue
                elif step.leaf is not None:
                    exact = step.exact
                    if type(value) is exact and (exact is not int or _MIN_INT <= value <= _MAX_INT):
                        results[name] = value  # what the scalar's serialize would return
                        continue
                    if value is not Undefined and not isinstance(value, Exception):
                        result = _serialize(step.leaf, value)
                        if result is not None and result is not Undefined:
                            results[name] = result
                            continue
                        result = Undefined
                elif value is not Undefined and not isinstance(value, Exception):
                    result = self._complete_plain(step, Path(path, name, parent_type.name), value)
            if result is Undefined:
                result = self.execute_field(parent_type, source_value, step.nodes, Path(path, name, parent_type.name))
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

    def _complete_plain(self, step: "_Step", path: Path, value: Any) -> Any:
        """The completed object or list, or ``Undefined`` (nothing ran) when graphql-core's own
        path must answer. An error inside is located and nulled as ``execute_field`` does."""
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

    def handle_field_error(self, error: GraphQLError, return_type: GraphQLOutputType, path: Path) -> None:
        """A request out of time stops: its error is raised up to the operation, which answers
        ``data: null`` with that one error, instead of each remaining field trying and failing."""
        if ran_out_of_time(error.original_error):
            raise error
        super().handle_field_error(error, return_type, path)

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

    def execute_operation(self, operation: OperationDefinitionNode, root_value: Any) -> Any:
        """A query remembers the field guards' allowed decisions per parent object while it runs
        (``backend.policies.field_denial``) and may read from a replica (``backend.routers``); a
        mutation does neither, and keeps its author's next queries on the primary."""
        from backend import routers
        from backend.policies import field_decisions_remembered

        user = _user_of(self.context_value)
        if operation.operation is not OperationType.QUERY:
            try:
                return super().execute_operation(operation, root_value)
            finally:
                routers.pin_to_primary(user)
        with field_decisions_remembered(), routers.replica_reads(routers.may_read_replica(user)):
            return super().execute_operation(operation, root_value)

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
        """Only without field middleware: a middleware must see every field resolve."""
        if self._shortcut is None:
            middleware = getattr(self.middleware_manager, "middlewares", None)
            self._shortcut = not middleware
            self._context_info = ContextInfo(self.context_value)
        return self._shortcut


def _guarded_value(
    resolve: PlainResolver, guards: tuple[Guard, ...], source: Any, info: Any, checked: dict[Any, Any]
) -> Any:
    """``resolve`` between several guards' steps (outermost first), each ``check`` once per object
    and guard key (``checked``). No field of ours has more than one; ``execute_fields`` inlines
    the cases of none and one."""
    states = []
    for guard in guards:
        state = checked.get(guard.key, _UNCHECKED)
        if state is _UNCHECKED:
            state = checked[guard.key] = guard.check(source, info)
        states.append(state)
    value = resolve(source, info)
    for guard, state in zip(reversed(guards), reversed(states), strict=True):
        if guard.checks_values:
            guard.check_value(state, source, value)
    return value


def _serialize(leaf: GraphQLLeafType, value: Any) -> Any:
    try:
        return leaf.serialize(value)
    except Exception:  # the full path below reports it properly
        return Undefined


def _user_of(context: Any) -> Any:
    """The viewer of an engine's context (strawberry's carries the request, graphene's is it)."""
    request = getattr(context, "request", context)
    return request_user(request) if hasattr(request, "user") else None


def request_user(request: HttpRequest) -> Any:
    """``request.user`` without Django's lazy wrapper, which routes every attribute read through
    two Python-level lookups; an API request's field guards read the viewer thousands of times.
    The user is loaded once and put back on the request, as ``login()`` does."""
    user = request.user
    if type(user) is SimpleLazyObject:
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
        request.user = user
    return user
