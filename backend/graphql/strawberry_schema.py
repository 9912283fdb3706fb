"""The primary engine: merges the apps' strawberry parts into one schema, checks that every field
declares its audience, shapes errors, and turns on the strawberry-django optimizer."""

from typing import Annotated, Any

import strawberry
from django.conf import settings
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info
from strawberry_django.optimizer import DjangoOptimizerExtension

from accounts import selectors as account_selectors
from accounts.api.strawberry_mutations import AccountsMutation
from accounts.api.strawberry_types import MeType, UserType
from accounts.policies import is_signed_in
from backend.errors import NotFound
from backend.graphql.contract import ARGUMENT_DESCRIPTIONS, FIELDS, SchemaContractError, is_plumbing
from backend.graphql.errors import shape_error
from backend.graphql.ids import decode_id
from backend.graphql.nodes import node_load
from backend.graphql.strawberry_base import Node, Privacy, describe, fields_of, viewer_of
from backend.middleware import request_id_of
from engagement import selectors as engagement_selectors
from engagement.api.strawberry_mutations import EngagementMutation
from engagement.api.strawberry_types import VideoType

_query = fields_of("Query")
Username = Annotated[str, strawberry.argument(description=ARGUMENT_DESCRIPTIONS["username"])]
GlobalId = Annotated[strawberry.ID, strawberry.argument(description=ARGUMENT_DESCRIPTIONS["id"])]


def _null_when_missing(load: Any) -> Any:
    try:
        return load()
    except NotFound:
        return None


@strawberry.type(name="Query", description=describe("Query"))
class Query:
    @_query("me")
    def me(self, info: Info) -> MeType | None:
        viewer = viewer_of(info)
        return viewer if is_signed_in(viewer) else None

    @_query("user")
    def user(self, info: Info, username: Username) -> UserType | None:
        return _null_when_missing(
            lambda: account_selectors.user_get_by_username(viewer=viewer_of(info), username=username)
        )

    @_query("video")
    def video(self, info: Info, id: GlobalId) -> VideoType | None:
        video_id = decode_id(id, expected="Video", field="id")
        return _null_when_missing(lambda: engagement_selectors.video_get(viewer=viewer_of(info), video_id=video_id))

    @_query("node")
    def node(self, info: Info, id: GlobalId) -> Node | None:
        return node_load(viewer=viewer_of(info), global_id=id)


Mutation = merge_types("Mutation", (AccountsMutation, EngagementMutation))


class ErrorShaping(SchemaExtension):
    """Codes for the client's mistakes, a masked INTERNAL with a request id for ours."""

    def on_execute(self) -> Any:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            request_id = request_id_of(getattr(self.execution_context.context, "request", None))
            for error in result.errors:
                shape_error(error, request_id=request_id)


class ApiSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Parse and validation errors pass here too: give them their code before they leave."""
        context = execution_context.context if execution_context else None
        request_id = request_id_of(getattr(context, "request", None))
        for error in errors:
            shape_error(error, request_id=request_id)


def check_audiences(schema: strawberry.Schema) -> None:
    """Deny by default (rule 8): every field of every object type carries ``@privacy`` from the
    contract, and the contract names no field the schema lacks."""
    seen: set[tuple[str, str]] = set()
    for type_name, _graphql_type in schema._schema.type_map.items():
        definition = schema.get_type_by_name(type_name)
        if type_name.startswith("__") or is_plumbing(type_name) or not hasattr(definition, "fields"):
            continue
        if getattr(definition, "is_input", False) or getattr(definition, "is_interface", False):
            continue
        for field in definition.fields:
            name = field.graphql_name or schema.config.name_converter.get_graphql_name(field)
            if not any(isinstance(directive, Privacy) for directive in field.directives):
                raise SchemaContractError(f"{type_name}.{name} has no @privacy audience")
            seen.add((type_name, name))
    declared = {(type_name, name) for type_name, fields in FIELDS.items() for name in fields}
    declared -= {("MutationPayload", "clientMutationId")}
    if missing := declared - seen:
        raise SchemaContractError(f"declared in the contract but not in the schema: {sorted(missing)}")


schema = ApiSchema(
    query=Query,
    mutation=Mutation,
    extensions=[DjangoOptimizerExtension, ErrorShaping],
    config=StrawberryConfig(auto_camel_case=True, disable_field_suggestions=not settings.DEBUG),
)
check_audiences(schema)
