"""graphene building blocks shared by the apps' API modules: fields that take audience and
description from the contract behind one audience guard, enums, ``Node``, keyset connections."""

from collections.abc import Callable
from typing import Any

import graphene
from django.db.models import Choices
from graphql import GraphQLResolveInfo, value_from_ast_untyped

from backend.graphql.contract import (
    ANY_TOKEN,
    ARGUMENT_DESCRIPTIONS,
    TYPE_DESCRIPTIONS,
    Audience,
    TokenScopes,
    field_spec,
)
from backend.graphql.execution import request_user
from backend.graphql.guards import AudienceCheck
from backend.graphql.operations import snake_case
from backend.graphql.scalars import DATE, DATE_TIME, Scalar
from backend.graphql.selection import Selection
from backend.pagination import Page

Resolver = Callable[..., Any]


def viewer_of(info: GraphQLResolveInfo) -> Any:
    return request_user(info.context)


def selection_of(info: GraphQLResolveInfo) -> Selection:
    return Selection.of(info)


def _attribute(name: str) -> Resolver:
    def resolve(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        return root[name] if isinstance(root, dict) else getattr(root, name)

    return resolve


def guarded(audience: Audience, resolve: Resolver, token_scopes: TokenScopes = ANY_TOKEN) -> Resolver:
    """Resolve only for the field's audience (and, for a token, its scopes); otherwise null with
    the policy's error (``backend.graphql.guards``)."""
    if audience is Audience.PUBLIC and token_scopes == ANY_TOKEN:
        return resolve
    access = AudienceCheck(audience, token_scopes, request_of=_request)

    def resolve_for_audience(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        return access.resolve(resolve, root, info, **kwargs)

    # For the executor's plain-field path (``backend.graphql.execution``): the guard and the field.
    resolve_for_audience.guard = access  # type: ignore[attr-defined]
    resolve_for_audience.unguarded = resolve  # type: ignore[attr-defined]
    return resolve_for_audience


def _request(info: GraphQLResolveInfo) -> Any:
    return info.context


def fields_of(type_name: str) -> Callable[..., graphene.Field]:
    """A field factory for one GraphQL type; the contract supplies audience and description.

    ``f = fields_of("Video"); caption = f("caption", graphene.String, required=True)``; without a
    resolver the field reads the attribute (or dict key) of the snake_case name.
    """

    def make(name: str, of_type: Any, resolver: Resolver | None = None, **options: Any) -> graphene.Field:
        spec = field_spec(type_name, name)
        resolve = resolver or _attribute(snake_case(name))
        return graphene.Field(
            of_type,
            name=name,
            description=spec.full_description,
            resolver=guarded(spec.audience, resolve, spec.token_scopes),
            **options,
        )

    return make


def describe(type_name: str) -> str:
    return TYPE_DESCRIPTIONS[type_name]


def choices_enum(choices: type[Choices], *, name: str, description: str) -> Any:
    """A GraphQL enum from a model's ``TextChoices``, each value described by its label."""
    return graphene.Enum.from_enum(
        choices,
        name=name,
        description=lambda member: str(member.label) if member is not None else description,
    )


def page_arguments() -> dict[str, graphene.Argument]:
    return {
        "first": graphene.Argument(graphene.Int, default_value=None, description=ARGUMENT_DESCRIPTIONS["first"]),
        "after": graphene.Argument(graphene.String, default_value=None, description=ARGUMENT_DESCRIPTIONS["after"]),
    }


def scalar_type(scalar: Scalar) -> type[graphene.Scalar]:
    """graphene's form of one of the contract's scalars: the same parsing and messages as strawberry's."""
    meta = type("Meta", (), {"name": scalar.name, "description": scalar.description})
    methods = {name: staticmethod(getattr(scalar, name)) for name in ("serialize", "parse_value", "parse_literal")}
    return type(scalar.name, (graphene.Scalar,), {"Meta": meta, **methods})


Date = scalar_type(DATE)
DateTime = scalar_type(DATE_TIME)


class JSON(graphene.Scalar):
    """Any JSON value, passed through as is: strawberry's ``JSON`` scalar on this engine."""

    class Meta:
        name = "JSON"
        description = "A JSON value (ECMA-404)."

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
        description = describe("Node")

    id = graphene.ID(required=True, description="The global ID of this object.")


class PageInfo(graphene.ObjectType):
    class Meta:
        description = "Where a page sits in its list."

    has_next_page = graphene.Boolean(required=True, description="Whether more items follow this page.")
    has_previous_page = graphene.Boolean(required=True, description="Whether items precede this page.")
    start_cursor = graphene.String(description="Cursor of the first item.")
    end_cursor = graphene.String(description="Cursor of the last item; pass it as `after`.")


def _page_itself(page: Page[Any], info: GraphQLResolveInfo) -> Page[Any]:
    return page


def connection_type(node_name: str, node_type: Any) -> type[graphene.ObjectType]:
    """``<Node>Connection`` with ``pageInfo: PageInfo!`` and ``edges: [<Node>Edge!]!``; it resolves
    from a selector's ``Page``."""
    edge = type(
        f"{node_name}Edge",
        (graphene.ObjectType,),
        {
            "Meta": type("Meta", (), {"description": "An item of a list with its cursor."}),
            "cursor": graphene.String(required=True, description="Opaque position of this item."),
            "node": graphene.Field(node_type, required=True, description="The item."),
        },
    )

    def resolve_edges(page: Page[Any], info: GraphQLResolveInfo) -> list[Any]:
        return page.edges()  # ``cursor`` and ``node``, cursors encoded on demand

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
                graphene.NonNull(edge), required=True, description="The items of this page.", resolver=resolve_edges
            ),
        },
    )
