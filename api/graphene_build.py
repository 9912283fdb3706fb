"""graphene's form of the declared types (``api.type_system``), the same builder as
strawberry's in graphene's terms: no type written by hand. Each field is guarded for its
audience and resolves by handing the declared resolver its parent, a ``Call`` and its arguments.
Types refer to each other through ``TYPES``, filled as they are built and read when graphene
builds the schema.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

import graphene
from graphql import GraphQLResolveInfo, value_from_ast_untyped

from api.contract import ANY_TOKEN, Audience, TokenScopes
from api.declarations import (
    Call,
    EnumType,
    Field,
    InputType,
    ObjectType,
    TypeRef,
    parse_type_ref,
)
from api.guards import AudienceCheck, is_open
from api.scalars import DATE, DATE_TIME, JSON_DESCRIPTION, Scalar
from kernel.pagination import Page

Resolver = Callable[..., Any]


def request_of(info: Any) -> Any:
    """The request, which is graphene-django's context (a resolve info, or the executor's ``ContextInfo``)."""
    return info.context


def guarded(audience: Audience, resolve: Resolver, token_scopes: TokenScopes = ANY_TOKEN) -> Resolver:
    """Resolve only for the field's audience (and, for a token, its scopes); otherwise null with
    the policy's error (``api.guards``)."""
    if is_open(audience, token_scopes):
        return resolve
    access = AudienceCheck(audience, token_scopes, request_of=request_of)

    def resolve_for_audience(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        return access.resolve(resolve, root, info, **kwargs)

    return resolve_for_audience


def scalar_type(scalar: Scalar) -> type[graphene.Scalar]:
    """graphene's form of one of the contract's scalars: the same parsing and messages as strawberry's."""
    meta = type("Meta", (), {"name": scalar.name, "description": scalar.description})
    methods = {name: staticmethod(getattr(scalar, name)) for name in ("serialize", "parse_value", "parse_literal")}
    return type(scalar.name, (graphene.Scalar,), {"Meta": meta, **methods})


class JSON(graphene.Scalar):
    """Any JSON value, passed through as is: strawberry's ``JSON`` scalar on this engine."""

    class Meta:
        name = "JSON"
        description = JSON_DESCRIPTION

    @staticmethod
    def serialize(value: Any) -> Any:
        return value

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @staticmethod
    def parse_literal(node: Any, _variables: Any = None) -> Any:
        return value_from_ast_untyped(node, _variables)


class Node(graphene.Interface):
    class Meta:
        name = "Node"
        description = "An object with a global ID, fetchable with `node(id:)`."

    id = graphene.ID(required=True, description="The global ID of this object.")


class PageInfo(graphene.ObjectType):
    class Meta:
        description = "Where a page sits in its list."

    has_next_page = graphene.Boolean(required=True, description="Whether more items follow this page.")
    has_previous_page = graphene.Boolean(required=True, description="Whether items precede this page.")
    start_cursor = graphene.String(description="Cursor of the first item.")
    end_cursor = graphene.String(description="Cursor of the last item; pass it as `after`.")


def _edges(page: Page[Any], info: GraphQLResolveInfo) -> list[Any]:
    return page.edges()  # ``cursor`` and ``node``, cursors encoded on demand


def connection_type(node_name: str) -> type[graphene.ObjectType]:
    """``<Node>Connection`` with ``pageInfo: PageInfo!`` and ``edges: [<Node>Edge!]!``; it resolves
    from a selector's ``Page``."""
    edge = type(
        f"{node_name}Edge",
        (graphene.ObjectType,),
        {
            "Meta": type("Meta", (), {"description": "An item of a list with its cursor."}),
            "cursor": graphene.String(required=True, description="Opaque position of this item."),
            "node": graphene.Field(partial(TYPES.__getitem__, node_name), required=True, description="The item."),
        },
    )
    return type(
        f"{node_name}Connection",
        (graphene.ObjectType,),
        {
            "Meta": type(
                "Meta", (), {"description": "A page of a list, keyset-paginated (page 1000 costs what page 1 costs)."}
            ),
            "page_info": graphene.Field(
                PageInfo,
                required=True,
                description="Where this page sits in the list.",
                resolver=lambda page, info: page,
            ),
            "edges": graphene.List(
                graphene.NonNull(edge), required=True, description="The items of this page.", resolver=_edges
            ),
        },
    )


# Every type by GraphQL name: the scalars now, the rest as it is built.
TYPES: dict[str, Any] = {
    "ID": graphene.ID,
    "String": graphene.String,
    "Int": graphene.Int,
    "Float": graphene.Float,
    "Boolean": graphene.Boolean,
    "Date": scalar_type(DATE),
    "DateTime": scalar_type(DATE_TIME),
    "JSON": JSON,
    "Node": Node,
}


def _named(name: str) -> Any:
    """A type by name, looked up when graphene builds the schema (``TYPES`` is complete then)."""
    if name.endswith("Connection") and name not in TYPES:
        TYPES[name] = connection_type(name.removesuffix("Connection"))
    return partial(TYPES.__getitem__, name)


def _graphene_type(ref: TypeRef) -> Any:
    of_type = _named(ref.name)
    if ref.is_list:
        of_type = graphene.List(graphene.NonNull(of_type))
    return graphene.NonNull(of_type) if ref.required else of_type


def _resolver(owner: ObjectType, declared: Field) -> Resolver:
    reader = owner.reader(declared)
    if reader is not None:
        plain = reader
        return lambda root, info: plain(root, Call(info.context, info))
    function = declared.resolve
    assert function is not None

    def resolve(root: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        return function(root, Call(info.context, info), **arguments)

    return resolve


def _subscriber(owner: ObjectType, declared: Field) -> Resolver:
    """A subscription field's ``subscribe_<field>``: its guarded source stream
    (``AudienceCheck.stream``); graphene resolves the field to each event."""
    spec = owner.spec(declared)
    guard = AudienceCheck(spec.audience, spec.token_scopes, request_of=request_of)
    subscribe = declared.subscribe
    assert subscribe is not None

    def subscribe_field(root: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        return guard.stream(subscribe, root, info, Call(info.context, info), **arguments)

    return subscribe_field


def _field(owner: ObjectType, declared: Field) -> graphene.Field:
    spec = owner.spec(declared)
    arguments = {}
    for name, declared_arg in declared.args.items():
        ref = parse_type_ref(declared_arg.type)
        arguments[declared_arg.keyword(name)] = graphene.Argument(
            _graphene_type(ref),
            name=name,
            description=declared_arg.description,
            **({} if ref.required else {"default_value": None}),
        )
    if declared.subscribe is not None:  # resolved to each event of ``subscribe_<field>``
        return graphene.Field(
            _graphene_type(declared.type_ref), name=declared.name, description=spec.full_description, args=arguments
        )
    return graphene.Field(
        _graphene_type(declared.type_ref),
        name=declared.name,
        description=spec.full_description,
        resolver=guarded(spec.audience, _resolver(owner, declared), spec.token_scopes),
        args=arguments,
    )


def build_enum(declared: EnumType) -> Any:
    built = graphene.Enum.from_enum(
        declared.choices,
        name=declared.name,
        description=lambda member: str(member.label) if member is not None else declared.description,
    )
    TYPES[declared.name] = built
    return built


def build_input(declared: InputType) -> Any:
    meta = type("Meta", (), {"name": declared.name, "description": declared.description})
    namespace: dict[str, Any] = {"Meta": meta}
    for input_field in declared.fields:
        ref = parse_type_ref(input_field.type)
        namespace[input_field.keyword] = graphene.InputField(
            _graphene_type(ref),
            name=input_field.name,
            description=input_field.description,
            **({} if ref.required else {"default_value": None}),
        )
    built = type(declared.name, (graphene.InputObjectType,), namespace)
    TYPES[declared.name] = built
    return built


def build_object(declared: ObjectType) -> Any:
    meta: dict[str, Any] = {"name": declared.name, "description": declared.description}
    if declared.node:
        meta.update(interfaces=(Node,), possible_types=(declared.model,))
    namespace: dict[str, Any] = {"Meta": type("Meta", (), meta)}
    namespace.update({field.keyword: _field(declared, field) for field in declared.fields})
    namespace.update(
        {
            f"subscribe_{field.keyword}": staticmethod(_subscriber(declared, field))
            for field in declared.fields
            if field.subscribe is not None
        }
    )
    built = type(declared.name, (graphene.ObjectType,), namespace)
    TYPES[declared.name] = built
    return built
