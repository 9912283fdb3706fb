"""The second engine: graphene-django at /graphql/graphene/, the same contract as strawberry.

Every field is made by ``graphene_base.fields_of``, which takes audience and description from
the contract (a field missing there fails the build); errors are shaped by the same function.
"""

import json
from typing import Any

import graphene
from django.http import HttpRequest, HttpResponseBadRequest
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError

from accounts.api import graphene_types as account_types
from backend.graphql import roots
from backend.graphql.contract import ARGUMENT_DESCRIPTIONS, ErrorCode
from backend.graphql.errors import shape_error
from backend.graphql.graphene_base import DateTime, Node, describe, fields_of, viewer_of
from backend.graphql.graphene_fast import CachedDocumentsView, install_plain_fields
from backend.graphql.graphene_mutations import build_mutation_type
from backend.middleware import request_id_of
from engagement.api import graphene_types as engagement_types

_query = fields_of("Query")


def _argument(of_type: Any, description_key: str) -> graphene.Argument:
    return graphene.Argument(graphene.NonNull(of_type), description=ARGUMENT_DESCRIPTIONS[description_key])


_rate_limit = fields_of("RateLimit")


class RateLimitType(graphene.ObjectType):
    class Meta:
        name = "RateLimit"
        description = describe("RateLimit")

    limit = _rate_limit("limit", graphene.Int, required=True)
    cost = _rate_limit("cost", graphene.Int, required=True)
    remaining = _rate_limit("remaining", graphene.Int, required=True)
    reset_at = _rate_limit("resetAt", DateTime, lambda root, info: root.reset_time, required=True)


class Query(graphene.ObjectType):
    class Meta:
        name = "Query"
        description = describe("Query")

    me = _query("me", account_types.MeType, lambda root, info: roots.query_me(viewer_of(info)))
    user = _query(
        "user",
        account_types.UserType,
        lambda root, info, username: roots.query_user(viewer_of(info), username),
        args={"username": _argument(graphene.String, "username")},
    )
    video = _query(
        "video",
        engagement_types.VideoType,
        lambda root, info, id: roots.query_video(viewer_of(info), id),
        args={"id": _argument(graphene.ID, "id")},
    )
    rate_limit = _query("rateLimit", RateLimitType, lambda root, info: roots.query_rate_limit(info.context))
    node = _query(
        "node",
        Node,
        lambda root, info, id: roots.query_node(info.context, id),
        args={"id": _argument(graphene.ID, "id")},
    )


NAMED_TYPES: dict[str, Any] = {
    "Me": account_types.MeType,
    "User": account_types.UserType,
    "Video": engagement_types.VideoType,
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

schema = graphene.Schema(
    query=Query,
    mutation=build_mutation_type(NAMED_TYPES),
    types=[
        engagement_types.VideoType,
        engagement_types.CommentType,
        engagement_types.FavoriteType,
        engagement_types.FavoriteCollectionType,
        engagement_types.NotificationType,
        account_types.UserType,
    ],
    auto_camelcase=True,
)
install_plain_fields(schema.graphql_schema)


class GrapheneView(CachedDocumentsView):
    """graphene-django's view with our error shaping. Not CSRF-exempt: a cookie session needs the
    CSRF token unless the request could only follow a CORS preflight (backend/preflight.py)."""

    # graphene-django's dispatch without its ``ensure_csrf_cookie``: neither endpoint sets the CSRF
    # cookie (a JSON request needs no token; a client that wants one asks /auth/csrf/).
    dispatch = GraphQLView.dispatch.__wrapped__

    def get_response(self, request: HttpRequest, data: Any, show_graphiql: bool = False) -> tuple[str | None, int]:
        """An error without a path answers like strawberry: 200 with ``data: null``, where
        graphene-django answers 400 without ``data``. Parse, validation and variable errors never
        get here (the transport refuses them first, with an operation type the schema lacks); what
        does is execution failing as a whole, on an exception from the executor."""
        result, status_code = super().get_response(request, data, show_graphiql)
        if status_code == 400 and result:
            body = json.loads(result)
            return self.json_encode(request, {"data": None, **body}), 200
        return result, status_code

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: dict[str, Any],
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        show_graphiql: bool = False,
    ) -> ExecutionResult | None:
        """Every error shaped as on strawberry (code, masking, request id), field errors and the
        bare exception graphene-django hands over when the executor itself raises."""
        result = super().execute_graphql_request(request, data, query, variables, operation_name, show_graphiql)
        if result is not None and result.errors:
            result.errors = [
                error if isinstance(error, GraphQLError) else GraphQLError(str(error), original_error=error)
                for error in result.errors
            ]
            for error in result.errors:
                shape_error(error, request_id=request_id_of(request))
        return result

    def parse_body(self, request: HttpRequest) -> Any:
        """A GET's parameters are its URL's alone, as on strawberry: a body sent with it is not read."""
        return {} if request.method == "GET" else super().parse_body(request)

    @staticmethod
    def get_graphql_params(request: HttpRequest, data: dict[str, Any]) -> tuple[Any, Any, Any, Any]:
        """The URL's parameters for a GET and the body's for a POST, never a mix: the transport
        checked and costed only those (graphene-django would let a POST's URL override its body)."""
        if request.method != "GET":
            return data.get("query"), data.get("variables"), data.get("operationName"), data.get("id")
        try:
            variables = json.loads(request.GET["variables"]) if request.GET.get("variables") else None
        except ValueError:
            raise HttpError(HttpResponseBadRequest("Variables are invalid JSON.")) from None
        return request.GET.get("query"), variables, request.GET.get("operationName"), request.GET.get("id")

    @staticmethod
    def format_error(error: Any) -> dict[str, Any]:
        """graphene-django's own refusals (an ``HttpError``) get a code like every other error."""
        if isinstance(error, GraphQLError):
            return error.formatted  # type: ignore[return-value]
        return {"message": str(error), "extensions": {"code": ErrorCode.BAD_USER_INPUT}}
