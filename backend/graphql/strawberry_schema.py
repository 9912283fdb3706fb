"""The primary engine: merges the apps' strawberry parts into one schema, checks that every field
declares its audience, shapes errors, and resolves plain fields the lean way
(``backend.graphql.strawberry_fast``).

strawberry-django's query optimizer is not used: our selectors shape every queryset themselves
(``select_related`` and SQL annotations, pinned by the query-count tests) and no resolver hands a
queryset to strawberry, so the optimizer had nothing to optimize and cost a middleware call on
every field."""

from datetime import datetime
from typing import Annotated, Any

import strawberry
from django.conf import settings
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext, Info

from accounts.api import strawberry_types as account_types
from accounts.api.strawberry_types import MeType, UserType
from backend.graphql import roots
from backend.graphql.contract import ARGUMENT_DESCRIPTIONS, FIELDS, SchemaContractError, is_plumbing
from backend.graphql.errors import shape_error
from backend.graphql.scalars import SCALARS
from backend.graphql.strawberry_base import Node, Privacy, describe, fields_of, scalar_definition, viewer_of
from backend.graphql.strawberry_fast import DocumentCache, install_lean_resolvers
from backend.graphql.strawberry_fast import ExecutionContext as FastExecutionContext
from backend.graphql.strawberry_mutations import build_mutation_type
from backend.middleware import request_id_of
from engagement.api import strawberry_types as engagement_types
from engagement.api.strawberry_types import VideoType

_query = fields_of("Query")
Username = Annotated[str, strawberry.argument(description=ARGUMENT_DESCRIPTIONS["username"])]
GlobalId = Annotated[strawberry.ID, strawberry.argument(description=ARGUMENT_DESCRIPTIONS["id"])]


_rate_limit = fields_of("RateLimit")


@strawberry.type(name="RateLimit", description=describe("RateLimit"))
class RateLimitType:
    limit: int = _rate_limit("limit")
    cost: int = _rate_limit("cost")
    remaining: int = _rate_limit("remaining")
    reset_at: datetime = _rate_limit("resetAt", lambda root: root.reset_time)


@strawberry.type(name="Query", description=describe("Query"))
class Query:
    @_query("me")
    def me(self, info: Info) -> MeType | None:
        return roots.query_me(viewer_of(info))

    @_query("user")
    def user(self, info: Info, username: Username) -> UserType | None:
        return roots.query_user(viewer_of(info), username)

    @_query("video")
    def video(self, info: Info, id: GlobalId) -> VideoType | None:
        return roots.query_video(viewer_of(info), id)

    @_query("rateLimit")
    def rate_limit(self, info: Info) -> RateLimitType | None:
        return roots.query_rate_limit(info.context.request)

    @_query("node")
    def node(self, info: Info, id: GlobalId) -> Node | None:
        return roots.query_node(info.context.request, id)


NAMED_TYPES: dict[str, Any] = {
    "Me": MeType,
    "User": UserType,
    "Video": VideoType,
    "Favorite": engagement_types.FavoriteType,
    "FavoriteCollection": engagement_types.FavoriteCollectionType,
    "Comment": engagement_types.CommentType,
    "Notification": engagement_types.NotificationType,
    "AccountType": account_types.AccountTypeEnum,
    "Gender": account_types.GenderEnum,
    "LikedVideosVisibility": account_types.LikedVideosVisibilityEnum,
    "InteractionAudience": account_types.InteractionAudienceEnum,
    "FollowStatus": account_types.FollowStatusEnum,
    "Visibility": engagement_types.VisibilityEnum,
    "RemixKind": engagement_types.RemixKindEnum,
    "ShareChannel": engagement_types.ShareChannelEnum,
    "TrafficSource": engagement_types.TrafficSourceEnum,
    "AccessToken": account_types.AccessTokenType,
    "TokenScope": account_types.TokenScopeEnum,
}
Mutation = build_mutation_type(NAMED_TYPES)


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
    extensions=[DocumentCache, ErrorShaping],
    execution_context_class=FastExecutionContext,
    config=StrawberryConfig(
        auto_camel_case=True,
        disable_field_suggestions=not settings.DEBUG,
        scalar_map={scalar.python_type: scalar_definition(scalar) for scalar in SCALARS},
    ),
)
check_audiences(schema)
install_lean_resolvers(schema)
