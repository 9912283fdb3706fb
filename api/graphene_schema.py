"""The second engine: graphene-django at /graphql/graphene/, built from the same declared types
as strawberry (``api.graphene_build``), checked against them the same way, its errors
shaped by the same function.
"""

import json
from typing import Any

import graphene
from django.http import HttpRequest, HttpResponseBadRequest
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError

from api import type_system
from api.errors import shape_error
from api.graphene_build import TYPES, build_enum, build_input, build_object, request_of
from api.graphene_execution import CachedDocumentsView, ExecutionContext
from api.speedups import install_plain_fields
from api.subscriptions import SubscriptionRunner
from kernel.errors import ErrorCode
from kernel.request_ids import request_id_of

for _enum in type_system.ENUMS:
    build_enum(_enum)
for _input in type_system.INPUT_TYPES:
    build_input(_input)
for _object in type_system.OBJECT_TYPES:
    build_object(_object)

schema = graphene.Schema(
    query=TYPES["Query"],
    mutation=TYPES["Mutation"],
    subscription=TYPES[type_system.SUBSCRIPTION_ROOT],
    types=[TYPES[declared.name] for declared in type_system.NODE_TYPES],
    auto_camelcase=True,
)
type_system.check_schema(schema.graphql_schema)
install_plain_fields(schema.graphql_schema, request_of)
# Subscriptions over WebSocket (api/websocket.py): graphene-django's context is the request itself.
subscriptions = SubscriptionRunner(
    schema.graphql_schema, context_of=lambda request: request, execution_context_class=ExecutionContext
)


class GrapheneView(CachedDocumentsView):
    """graphene-django's view with our error shaping. Not CSRF-exempt: a cookie session needs the
    CSRF token unless the request could only follow a CORS preflight (kernel/preflight.py)."""

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
