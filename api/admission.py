"""Whether a GraphQL request may run, decided by the transport once for both engines, against the
contract's schema, before either runs anything: the document parses within the token limit,
one operation can be chosen, the schema has its type, it stays within
the operation limits, it passes the GraphQL
specification's validation rules, and its variables coerce.

What fails is a GraphQL request error: the request was well-formed but cannot be executed
(``media.request_error_status`` gives its status). Validation and coercion stop after
``max_errors`` errors, so a document full of mistakes costs little and answers a short list.
The engines find nothing more to refuse and validate again from their own caches.
"""

from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    get_operation_ast,
    specified_rules,
    validate,
)
from graphql.execution.values import get_variable_values

from api import documents
from api.limits import Limits, OperationStats, check_limits, operation_stats, parse_operation
from kernel.errors import InvalidInput


class RequestErrors(Exception):
    """The GraphQL request errors that stop a request."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__(errors[0].message)
        self.errors = errors


def operation_of(payload: dict[str, Any], limits: Limits) -> tuple[DocumentNode, OperationDefinitionNode]:
    """The parsed document and the operation the request names (GraphQL's GetOperation)."""
    try:
        document = parse_operation(payload["query"], max_tokens=limits.max_tokens)
    except GraphQLError as error:
        raise RequestErrors([error]) from None
    name = payload.get("operationName")
    operation = get_operation_ast(document, name)
    if operation is not None:
        return document, operation
    if name is not None:
        message = f"Unknown operation named '{name}'."
    elif any(isinstance(definition, OperationDefinitionNode) for definition in document.definitions):
        message = "Must provide operation name if query contains multiple operations."
    else:
        message = "Must provide an operation."
    raise RequestErrors([GraphQLError(message)])


def admit(
    schema: GraphQLSchema,
    payload: dict[str, Any],
    document: DocumentNode,
    operation: OperationDefinitionNode,
    limits: Limits,
) -> OperationStats:
    """The operation's stats (its cost) once it passed the limits, validation and coercion."""
    if schema.get_root_type(operation.operation) is None:
        kind = operation.operation.value
        raise RequestErrors([GraphQLError(f"Schema is not configured to execute {kind} operation.", operation)])
    variables = payload.get("variables") or {}
    stats = operation_stats(document, operation, schema, variables=variables)
    try:
        check_limits(stats, limits)
    except InvalidInput as error:
        raise RequestErrors([GraphQLError(error.message)]) from None
    errors = documents.validation_errors(schema, payload["query"], document, specified_rules, validate_with=_capped)
    if errors:
        raise RequestErrors(errors)
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables, limits.max_errors)
    if isinstance(coerced, list):
        raise RequestErrors(coerced)
    return stats


def _capped(schema: GraphQLSchema, document: DocumentNode, rules: tuple[Any, ...]) -> list[GraphQLError]:
    """``graphql.validate`` stopping after ``max_errors`` errors."""
    return validate(schema, document, rules, max_errors=Limits.from_settings().max_errors)
