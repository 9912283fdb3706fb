"""The primary engine: strawberry's schema built from the declared types
(``api.strawberry_build``), checked against the declarations, with our error shaping
and, when ``GRAPHQL_SPEEDUPS`` is on, the executor's plain-field shortcut.

strawberry-django's query optimizer is not used: our selectors shape every queryset themselves
(``select_related`` and SQL annotations, pinned by the query-count tests) and no resolver hands a
queryset to strawberry, so the optimizer had nothing to optimize and cost a middleware call on
every field."""

from typing import Any

import strawberry
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from graphql import GraphQLError
from strawberry.django.context import StrawberryDjangoContext
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api import type_system
from api.errors import shape_error
from api.scalars import SCALARS
from api.speedups import install_plain_fields
from api.strawberry_build import build_enum, build_input, build_object, request_of, scalar_definition
from api.strawberry_execution import DocumentCache
from api.strawberry_execution import ExecutionContext as Execution
from api.subscriptions import SubscriptionRunner
from kernel.request_ids import request_id_of

for _enum in type_system.ENUMS:
    build_enum(_enum)
for _input in type_system.INPUT_TYPES:
    build_input(_input)
TYPES: dict[str, Any] = {declared.name: build_object(declared) for declared in type_system.OBJECT_TYPES}


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


schema = ApiSchema(
    query=TYPES["Query"],
    mutation=TYPES["Mutation"],
    subscription=TYPES[type_system.SUBSCRIPTION_ROOT],
    types=[TYPES[declared.name] for declared in type_system.NODE_TYPES],
    extensions=[DocumentCache, ErrorShaping],
    execution_context_class=Execution,
    config=StrawberryConfig(
        auto_camel_case=True,
        disable_field_suggestions=not settings.DEBUG,
        scalar_map={scalar.python_type: scalar_definition(scalar) for scalar in SCALARS},
    ),
)
type_system.check_schema(schema._schema)
install_plain_fields(schema._schema, request_of)


def _context_of(request: HttpRequest) -> StrawberryDjangoContext:
    """``info.context`` as strawberry's Django view makes it; resolvers read its ``request``."""
    return StrawberryDjangoContext(request=request, response=HttpResponse())


# Subscriptions over WebSocket (api/websocket.py).
subscriptions = SubscriptionRunner(schema._schema, context_of=_context_of, execution_context_class=Execution)
