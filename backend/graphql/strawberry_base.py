"""strawberry building blocks shared by the apps' API modules: the ``@privacy`` directive, the
audience guard, fields that take their audience and description from the contract, enums,
the ``Node`` interface and keyset connections."""

import enum
from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

import strawberry
import strawberry_django
from django.db.models import Choices
from strawberry.extensions import FieldExtension
from strawberry.schema_directive import Location
from strawberry.types import Info

from backend.graphql.contract import (
    ANY_TOKEN,
    ARGUMENT_DESCRIPTIONS,
    AUDIENCE_DESCRIPTIONS,
    INPUT_FIELD_DESCRIPTIONS,
    PERSONAL_DATA_TYPES,
    TYPE_DESCRIPTIONS,
    Audience,
    TokenScopes,
    field_spec,
)
from backend.graphql.execution import request_user
from backend.graphql.guards import AudienceCheck
from backend.graphql.operations import ActorPayload
from backend.graphql.scalars import Scalar
from backend.graphql.selection import Selection
from backend.pagination import Page

AudienceEnum = strawberry.enum(
    enum.Enum(
        "Audience",
        {
            member.name: strawberry.enum_value(member.value, description=AUDIENCE_DESCRIPTIONS[member])
            for member in Audience
        },
    ),
    name="Audience",
    description="Who may read a field.",
)


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    name="privacy",
    description="The audience allowed to read this field; enforced server-side by the policy layer.",
)
class Privacy:
    audience: AudienceEnum


@strawberry.schema_directive(
    locations=[Location.OBJECT],
    name="personalData",
    description="This type holds one person's private data: the privacy audit proves it is reached only "
    "through SELF edges bound to the viewer (docs/PRIVACY.md).",
)
class PersonalData:
    pass


def type_directives(type_name: str) -> list[Any]:
    """The type-level directives of ``type_name``: ``@personalData`` where the contract lists it."""
    return [PersonalData()] if type_name in PERSONAL_DATA_TYPES else []


def viewer_of(info: Info) -> Any:
    return request_user(info.context.request)


def selection_of(info: Info) -> Selection:
    return Selection.of(info._raw_info)


class AudienceGuard(FieldExtension):
    """Resolve the field only for its audience (and, for a token, its scopes); otherwise null
    with the policy's error (``backend.graphql.guards``)."""

    def __init__(self, audience: Audience, token_scopes: TokenScopes = ANY_TOKEN) -> None:
        self.access = AudienceCheck(audience, token_scopes, request_of=_request)

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        return self.access.resolve(next_, source, info, **kwargs)


def _request(info: Info) -> Any:
    return info.context.request


def fields_of(type_name: str) -> Callable[..., Any]:
    """A field factory for one GraphQL type: ``f = fields_of("Video"); caption: str = f("caption")``.

    The audience and description come from the contract; a field missing there fails here, at
    import, so no field reaches the schema without an audience.
    """

    def make(name: str, resolver: Callable[..., Any] | None = None, **options: Any) -> Any:
        spec = field_spec(type_name, name)
        open_to_all = spec.audience is Audience.PUBLIC and spec.token_scopes == ANY_TOKEN
        guard = [] if open_to_all else [AudienceGuard(spec.audience, spec.token_scopes)]
        return strawberry_django.field(
            resolver=resolver,
            name=name,
            description=spec.full_description,
            directives=[Privacy(audience=AudienceEnum[spec.audience.name])],
            extensions=guard,
            **options,
        )

    return make


def describe(type_name: str) -> str:
    return TYPE_DESCRIPTIONS[type_name]


def choices_enum(choices: type[Choices], *, name: str, description: str) -> Any:
    """A GraphQL enum from a model's ``TextChoices``, each value described by its label."""
    members = {member.name: strawberry.enum_value(member.value, description=str(member.label)) for member in choices}
    return strawberry.enum(enum.Enum(name, members), name=name, description=description)


@strawberry.interface(name="Node", description=describe("Node"))
class Node:
    id: strawberry.ID = strawberry.field(description="The global ID of this object.")


@strawberry.type(description="Where a page sits in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item; pass it as `after`.")


NodeT = TypeVar("NodeT")


@strawberry.type(description="An item of a list with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque position of this item.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, keyset-paginated (page 1000 costs what page 1 costs).")
class Connection(Generic[NodeT]):
    page_info: PageInfo = strawberry.field(description="Where this page sits in the list.")
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page.")


def connection_from(page: Page[Any]) -> Any:
    """A selector's page as a connection."""
    return Connection(
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.start_cursor,
            end_cursor=page.end_cursor,
        ),
        edges=page.edges(),  # read like ``Edge`` (``cursor`` and ``node``); cursors encoded on demand
    )


First = Annotated[int | None, strawberry.argument(description=ARGUMENT_DESCRIPTIONS["first"])]
After = Annotated[str | None, strawberry.argument(description=ARGUMENT_DESCRIPTIONS["after"])]


def input_field(name: str, **options: Any) -> Any:
    """An input field described from the contract."""
    return strawberry.field(name=name, description=INPUT_FIELD_DESCRIPTIONS[name], **options)


@strawberry.input(description="Fields every mutation input shares.")
class MutationInput:
    client_mutation_id: str | None = input_field("clientMutationId", default=None)


@strawberry.type(description="Fields every mutation payload shares.")
class MutationPayload(ActorPayload):
    client_mutation_id: str | None = fields_of("MutationPayload")("clientMutationId", default=None)


def mutation_field(name: str, resolver: Callable[..., Any] | None = None) -> Any:
    """A root mutation with its audience and description from the contract."""
    return fields_of("Mutation")(name, resolver)


def payload_type(name: str, **annotations: tuple[str, Any]) -> Any:
    """A mutation payload whose fields take audience and description from the contract:
    ``payload_type("LikeVideoPayload", video=("video", VideoType))``."""
    make = fields_of(name)
    namespace: dict[str, Any] = {"__annotations__": {}}
    for python_name, (graphql_name, annotation) in annotations.items():
        namespace["__annotations__"][python_name] = annotation
        namespace[python_name] = make(graphql_name)
    return strawberry.type(type(name, (MutationPayload,), namespace), name=name, description=describe(name))


def scalar_definition(scalar: Scalar) -> Any:
    """strawberry's form of one of the contract's scalars: the same parsing and messages as graphene's."""
    return strawberry.scalar(
        name=scalar.name,
        description=scalar.description,
        serialize=scalar.serialize,
        parse_value=scalar.parse_value,
        parse_literal=scalar.parse_literal,
    )
