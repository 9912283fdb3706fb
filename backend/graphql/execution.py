"""Execution shared by both engines (both run on graphql-core): a shortcut for plain leaf fields
and the request's viewer without its lazy wrapper.

graphql-core resolves every field the same way: build a ``GraphQLResolveInfo``, call the resolver
(through the engine's wrappers), then dispatch on the return type to complete the value. For a
*plain leaf* field (a scalar or enum with no arguments, whose resolver reads the parent object
and needs nothing of the resolve info but the request context) most of that is overhead: a page
of 100 videos with 14 scalar fields resolves 1,400 of them. ``LeafShortcut`` calls such a field's
resolver with the context alone and serializes the value directly. Anything unusual (an error, a
resolver that wants more of the resolve info, ``null`` in a non-null field, a value the type
cannot serialize) falls back to graphql-core's own path for that field, which then produces
exactly the result and error it always did. What a field returns and who may read it do not
change: the resolver, including its audience guard, is the one the engine built.
"""

from asyncio import gather
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty
from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    is_leaf_type,
)
from graphql.execution import ExecutionContext
from graphql.pyutils import Path, Undefined

PlainResolver = Callable[[Any, Any], Any]


class Guard(Protocol):
    """A field's audience guard as its steps (``backend.graphql.guards.AudienceCheck``): ``check``
    depends only on the viewer, the parent and ``key``, so the fields of one object that share a
    key run it once; ``check_value`` runs only where ``checks_values`` says it can refuse."""

    key: Any
    checks_values: bool

    def check(self, source: Any, info: Any) -> Any: ...

    def check_value(self, state: Any, source: Any, value: Any) -> None: ...


_PLAIN = "_plain_leaf"
_UNCHECKED = object()


class ContextInfo:
    """All a plain field's resolver may use of its resolve info: the request context."""

    __slots__ = ("context",)

    def __init__(self, context: Any) -> None:
        self.context = context


def mark_plain_leaf(field: GraphQLField, resolve: PlainResolver, guards: Sequence[Guard] = ()) -> bool:
    """Let ``LeafShortcut`` resolve ``field`` with ``resolve(source, ContextInfo)`` between its
    ``guards``' checks (outermost first); only fields without arguments whose type is a (possibly
    non-null) scalar or enum qualify."""
    field_type: Any = field.type
    nullable = not isinstance(field_type, GraphQLNonNull)
    leaf = field_type if nullable else field_type.of_type
    if field.args or not is_leaf_type(leaf):
        return False
    setattr(field, _PLAIN, (resolve, leaf, nullable, tuple(guards)))
    return True


def object_fields(schema: GraphQLSchema) -> list[tuple[GraphQLObjectType, str, GraphQLField]]:
    """Every field of every object type of the schema, introspection types aside."""
    return [
        (graphql_type, name, field)
        for type_name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType) and not type_name.startswith("__")
        for name, field in graphql_type.fields.items()
    ]


class LeafShortcut(ExecutionContext):
    """graphql-core's executor with the plain-leaf shortcut (see the module docstring)."""

    _context_info: ContextInfo | None = None
    _shortcut: bool | None = None
    _plans: dict[int, tuple[Any, list[tuple[str, list[Any], Any]]]] | None = None

    def execute_fields(
        self, parent_type: GraphQLObjectType, source_value: Any, path: Any, fields: dict[str, list[Any]]
    ) -> Any:
        if not self._shortcut_allowed():
            return super().execute_fields(parent_type, source_value, path, fields)
        info = self._context_info
        is_awaitable = self.is_awaitable
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        checked: dict[Any, Any] = {}  # guard key -> what its check returned, for this object
        for name, field_nodes, plain in self._plan(parent_type, fields):
            if plain is not None:
                resolve, leaf, nullable, guards = plain
                try:
                    value = _guarded_value(resolve, guards, source_value, info, checked)
                except Exception:  # the full path below reports it properly
                    value = Undefined
                if value is None:
                    if nullable:
                        results[name] = None
                        continue
                elif value is not Undefined and not isinstance(value, Exception):
                    serialized = _serialize(leaf, value)
                    if serialized is not Undefined and serialized is not None:
                        results[name] = serialized
                        continue
            result = self.execute_field(parent_type, source_value, field_nodes, Path(path, name, parent_type.name))
            if result is not Undefined:
                results[name] = result
                if is_awaitable(result):
                    awaitable_fields.append(name)
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            values = await gather(*(results[name] for name in awaitable_fields))
            results.update(zip(awaitable_fields, values, strict=True))
            return results

        return get_results()

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

    def _plan(self, parent_type: GraphQLObjectType, fields: dict[str, list[Any]]) -> list[tuple[str, list[Any], Any]]:
        """Per selection (graphql-core reuses the same dict for every object of a list): each
        field with its plain-leaf resolver, if it has one."""
        if self._plans is None:
            self._plans = {}
        cached = self._plans.get(id(fields))
        if cached is not None and cached[0] is fields:
            return cached[1]
        plan = [
            (name, nodes, getattr(parent_type.fields.get(nodes[0].name.value), _PLAIN, None))
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
    if not guards:
        return resolve(source, info)
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
