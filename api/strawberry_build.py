"""strawberry's form of the declared types (``api.type_system``): one generic builder,
no type written by hand. Each field gets the ``@privacy`` directive, its audience guard and a
resolver that hands the declared one its parent, a ``Call`` and its arguments.

Output types refer to each other (a ``Video`` has an ``owner``, a ``User`` has ``videos``), so
their annotations are strings resolved, when the schema is built, in one namespace that holds
every built type by its GraphQL name.
"""

import enum
import inspect
import sys
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime
from types import ModuleType
from typing import Annotated, Any, Generic, Optional, TypeVar

import strawberry
import strawberry_django
from strawberry.extensions import FieldExtension
from strawberry.scalars import JSON
from strawberry.schema_directive import Location
from strawberry.types import Info

from api.contract import ANY_TOKEN, AUDIENCE_DESCRIPTIONS, Audience, TokenScopes
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
from api.scalars import Scalar
from kernel.pagination import Page

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


def request_of(info: Any) -> Any:
    """The request in strawberry's context (a resolve info, or the executor's ``ContextInfo``)."""
    return info.context.request


class AudienceGuard(FieldExtension):
    """Resolve the field only for its audience (and, for a token, its scopes); otherwise null
    with the policy's error (``api.guards``)."""

    def __init__(self, audience: Audience, token_scopes: TokenScopes = ANY_TOKEN) -> None:
        self.access = AudienceCheck(audience, token_scopes, request_of=request_of)

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        return self.access.resolve(next_, source, info, **kwargs)


@strawberry.interface(name="Node", description="An object with a global ID, fetchable with `node(id:)`.")
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
        edges=page.edges(),  # type: ignore[arg-type] # read like ``Edge``; cursors encoded on demand
    )


def scalar_definition(scalar: Scalar) -> Any:
    """strawberry's form of one of the contract's scalars: the same parsing and messages as graphene's."""
    return strawberry.scalar(
        name=scalar.name,
        description=scalar.description,
        serialize=scalar.serialize,
        parse_value=scalar.parse_value,
        parse_literal=scalar.parse_literal,
    )


# Where the output annotations are resolved: strawberry looks a resolver's annotations up in the
# module named by its ``__module__``.
NAMESPACE = ModuleType(f"{__name__}.types")
sys.modules[NAMESPACE.__name__] = NAMESPACE
NAMESPACE.__dict__.update(
    {
        "Optional": Optional,
        "AsyncIterator": AsyncIterator,
        "Connection": Connection,
        "Node": Node,
        "ID": strawberry.ID,
        "String": str,
        "Int": int,
        "Float": float,
        "Boolean": bool,
        "Date": date,
        "DateTime": datetime,
        "JSON": JSON,
    }
)


def _annotation(ref: TypeRef) -> str:
    """The annotation of a type reference, as text for ``NAMESPACE``."""
    core = f"Connection[{ref.connection_of}]" if ref.connection_of else ref.name
    if ref.is_list:
        core = f"list[{core}]"
    return core if ref.required else f"Optional[{core}]"


def _argument_type(ref: TypeRef) -> Any:
    """An argument's type: a scalar, enum or input type, all built before any output type."""
    annotation = NAMESPACE.__dict__[ref.name]
    if ref.is_list:
        annotation = list[annotation]
    return annotation if ref.required else Optional[annotation]  # noqa: UP045 - built at runtime


def _plain(value: Any) -> Any:
    """An input object as a dict of its snake_case fields, an enum member as its value (what the
    declared resolvers take)."""
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(value, "__strawberry_definition__"):
        return {
            field.python_name: getattr(value, field.python_name) for field in value.__strawberry_definition__.fields
        }
    return value


def _call_of(info: Info) -> Call:
    return Call(info.context.request, info._raw_info)


def _plain_resolver(reader: Callable[[Any, Call], Any], connection: bool) -> Callable[..., Any]:
    def resolve(root: Any, info: Info) -> Any:
        value = reader(root, _call_of(info))
        return connection_from(value) if connection and value is not None else value

    return resolve


def _argument_resolver(function: Callable[..., Any], connection: bool) -> Callable[..., Any]:
    def resolve(root: Any, info: Info, **arguments: Any) -> Any:
        converted = {keyword: _plain(value) for keyword, value in arguments.items()}
        value = function(root, _call_of(info), **converted)
        return connection_from(value) if connection and value is not None else value

    return resolve


def _resolver(owner: ObjectType, declared: Field) -> Callable[..., Any]:
    """A resolver strawberry can read: ``root``, ``info`` and the declared arguments, typed."""
    connection = declared.type_ref.connection_of is not None
    reader = owner.reader(declared)
    if reader is not None:
        resolve = _plain_resolver(reader, connection)
    else:
        assert declared.resolve is not None
        resolve = _argument_resolver(declared.resolve, connection)
    return _typed(resolve, declared, _annotation(declared.type_ref))


def _subscriber(owner: ObjectType, declared: Field) -> Callable[..., Any]:
    """A subscription field's resolver: its guarded source stream (``AudienceCheck.stream``);
    strawberry resolves the field to each event."""
    spec = owner.spec(declared)
    guard = AudienceCheck(spec.audience, spec.token_scopes, request_of=request_of)
    subscribe = declared.subscribe
    assert subscribe is not None

    def resolve(root: Any, info: Info, **arguments: Any) -> Any:
        converted = {keyword: _plain(value) for keyword, value in arguments.items()}
        return guard.stream(subscribe, root, info, _call_of(info), **converted)

    return _typed(resolve, declared, f"AsyncIterator[{_annotation(declared.type_ref)}]")


def _typed(resolve: Callable[..., Any], declared: Field, return_annotation: str) -> Callable[..., Any]:
    """``resolve`` with the signature strawberry reads: ``root``, ``info`` and the declared
    arguments, typed, returning ``return_annotation`` (resolved in ``NAMESPACE``)."""
    parameters = [
        inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
    ]
    for name, declared_arg in declared.args.items():
        ref = parse_type_ref(declared_arg.type)
        argument = strawberry.argument(name=name, description=declared_arg.description)
        parameters.append(
            inspect.Parameter(
                declared_arg.keyword(name),
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[_argument_type(ref), argument],
                default=inspect.Parameter.empty if ref.required else None,
            )
        )
    resolve.__signature__ = inspect.Signature(parameters, return_annotation=return_annotation)  # type: ignore[attr-defined]
    resolve.__module__ = NAMESPACE.__name__
    resolve.__name__ = declared.keyword
    return resolve


def _field(owner: ObjectType, declared: Field) -> Any:
    spec = owner.spec(declared)
    if declared.subscribe is not None:
        return strawberry.subscription(
            resolver=_subscriber(owner, declared),
            name=declared.name,
            description=spec.full_description,
            directives=[Privacy(audience=AudienceEnum[spec.audience.name])],
        )
    open_to_all = is_open(spec.audience, spec.token_scopes)
    return strawberry_django.field(
        resolver=_resolver(owner, declared),
        name=declared.name,
        description=spec.full_description,
        directives=[Privacy(audience=AudienceEnum[spec.audience.name])],
        extensions=[] if open_to_all else [AudienceGuard(spec.audience, spec.token_scopes)],
    )


def build_enum(declared: EnumType) -> Any:
    members = {
        member.name: strawberry.enum_value(member.value, description=str(member.label)) for member in declared.choices
    }
    built = strawberry.enum(enum.Enum(declared.name, members), name=declared.name, description=declared.description)
    NAMESPACE.__dict__[declared.name] = built
    return built


def build_input(declared: InputType) -> Any:
    namespace: dict[str, Any] = {"__annotations__": {}}
    for input_field in declared.fields:
        ref = parse_type_ref(input_field.type)
        python_name = input_field.keyword
        namespace["__annotations__"][python_name] = _argument_type(ref)
        if ref.required:
            namespace[python_name] = strawberry.field(name=input_field.name, description=input_field.description)
        else:
            namespace[python_name] = strawberry.field(
                name=input_field.name, description=input_field.description, default=None
            )
    built = strawberry.input(type(declared.name, (), namespace), name=declared.name, description=declared.description)
    NAMESPACE.__dict__[declared.name] = built
    return built


def build_object(declared: ObjectType) -> Any:
    namespace: dict[str, Any] = {field.keyword: _field(declared, field) for field in declared.fields}
    namespace["__module__"] = NAMESPACE.__name__
    cls = type(declared.name, (Node,) if declared.node else (), namespace)
    options: dict[str, Any] = {
        "name": declared.name,
        "description": declared.description,
        "directives": [PersonalData()] if declared.personal_data else [],
    }
    built = (
        strawberry_django.type(declared.model, **options)(cls) if declared.model else strawberry.type(cls, **options)
    )
    NAMESPACE.__dict__[declared.name] = built
    return built
