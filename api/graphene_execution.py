"""How graphene executes: graphql-core's executor with the operation's scope and the plain-field
shortcut (``api.speedups``) and, when ``GRAPHQL_SPEEDUPS`` is on, documents parsed and
validated once (``api.documents``).

graphene-django's view parses and validates every request from scratch; ``CachedDocumentsView``
is the same request handling (graphene-django 3.2's ``execute_graphql_request``, step for step)
with the parse and the validation taken from ``api.documents``.
"""

from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponseNotAllowed
from django.http.response import HttpResponseBadRequest
from graphene_django.constants import MUTATION_ERRORS_FLAG
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import (
    ExecutionResult,
    GraphQLSchema,
    OperationType,
    execute,
    get_operation_ast,
    validate,
    validate_schema,
)

from api import documents
from api.speedups import PlainFieldShortcut


class ExecutionContext(PlainFieldShortcut):
    """graphql-core's execution context with the operation's scope and the plain-field shortcut."""


class CachedDocumentsView(GraphQLView):
    """graphene-django's view with the operation's scope and the plain-field shortcut and, when
    ``GRAPHQL_SPEEDUPS`` is on, cached parsing and validation."""

    execution_context_class = ExecutionContext

    def execute_graphql_request(
        self,
        request: HttpRequest,
        data: dict[str, Any],
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        show_graphiql: bool = False,
    ) -> ExecutionResult | None:
        if not settings.GRAPHQL_SPEEDUPS:
            return super().execute_graphql_request(request, data, query, variables, operation_name, show_graphiql)
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))

        schema = self.schema.graphql_schema
        schema_validation_errors = validate_schema(schema)
        if schema_validation_errors:
            return ExecutionResult(data=None, errors=schema_validation_errors)

        try:
            document = documents.parse_document(query)
        except Exception as error:  # reported to the client, as graphene-django does
            return ExecutionResult(errors=[error])  # type: ignore[list-item]

        operation_ast = get_operation_ast(document, operation_name)
        is_get = bool(request.method and request.method.lower() == "get")
        if is_get and operation_ast is not None and operation_ast.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"], f"Can only perform a {operation_ast.operation.value} operation from a POST request."
                )
            )

        errors = documents.validation_errors(
            schema, query, document, self.validation_rules, validate_with=_validate_with_max_errors
        )
        if errors:
            return ExecutionResult(data=None, errors=errors)

        try:
            options: dict[str, Any] = {
                "root_value": self.get_root_value(request),
                "context_value": self.get_context(request),
                "variable_values": variables,
                "operation_name": operation_name,
                "middleware": self.get_middleware(request),
            }
            options["execution_context_class"] = self.execution_context_class
            if (
                operation_ast is not None
                and operation_ast.operation == OperationType.MUTATION
                and (
                    graphene_settings.ATOMIC_MUTATIONS is True
                    or connection.settings_dict.get("ATOMIC_MUTATIONS", False) is True
                )
            ):
                with transaction.atomic():
                    result = execute(schema, document, **options)
                    if getattr(request, MUTATION_ERRORS_FLAG, False) is True:
                        transaction.set_rollback(True)
                return result  # type: ignore[return-value]
            return execute(schema, document, **options)  # type: ignore[return-value]
        except Exception as error:  # reported to the client, as graphene-django does
            return ExecutionResult(errors=[error])  # type: ignore[list-item]


def _validate_with_max_errors(schema: GraphQLSchema, document: Any, rules: tuple[Any, ...]) -> list[Any]:
    return validate(schema, document, rules or None, graphene_settings.MAX_VALIDATION_ERRORS)
