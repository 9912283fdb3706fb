"""How a subscription operation runs, the same for both engines. strawberry's graphql-transport-ws
handler (``api.websocket``) asks the endpoint's ``SubscriptionRunner`` for ``stream(...)`` where
it would ask a strawberry schema; the runner runs graphql-core on the engine's own built schema,
so strawberry's and graphene's subscriptions are served from this one place:

1. The operation is admitted as an HTTP request is (``api.admission``, ``api.limits``): it parses
   within the token limit, one operation is chosen and it is a subscription (queries and mutations
   go over HTTP), it stays within depth, aliases, directives and cost, it validates and its
   variables coerce; then its cost is spent from the caller's hourly budget. What fails is an
   ``error`` message, coded as over HTTP.
2. graphql-core creates the source stream: the field's guard, then its ``subscribe``
   (``api.guards.AudienceCheck.stream``); a refusal there is an ``error`` message too.
3. Each event executes the operation's selection in the database thread, with the engine's own
   executor, guards and resolvers, as a query does (from the primary, within the request
   deadline), its errors shaped by ``api.errors``. An error of the stream itself (a credential
   that ended) is the last ``next``, and the operation completes.
"""

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.http import HttpRequest
from graphql import (
    DocumentNode,
    ExecutionContext,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    located_error,
)
from graphql.execution import ExecutionResult as CoreExecutionResult
from graphql.execution import create_source_event_stream
from strawberry.types.execution import ExecutionResult, PreExecutionError

from api import admission
from api.errors import request_graphql_error, shape_error
from api.limits import Limits
from kernel.deadlines import deadline
from kernel.errors import DomainError
from kernel.ratelimit import budget_spend
from kernel.request_ids import request_id_of

ONLY_SUBSCRIPTIONS = "Only subscriptions are served over WebSocket; send queries and mutations over HTTP."


class _Refused(Exception):
    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__(errors[0].message)
        self.errors = errors


class SubscriptionRunner:
    """One endpoint's subscriptions: its engine's built schema, the context its resolvers read
    (``context_of(request)``) and its executor."""

    def __init__(
        self,
        schema: GraphQLSchema,
        *,
        context_of: Callable[[HttpRequest], Any],
        execution_context_class: type[ExecutionContext],
    ) -> None:
        self.schema = schema
        self.context_of = context_of
        self.execution_context_class = execution_context_class

    async def stream(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any = None,
        root_value: Any = None,
        operation_name: str | None = None,
        **_: Any,
    ) -> AsyncGenerator[ExecutionResult, None]:
        """The operation's results, as strawberry's handler reads them; ``context_value`` is the
        connection's request (``api.websocket``)."""
        payload = {"query": query, "variables": variable_values, "operationName": operation_name}
        return self._results(context_value, payload)

    async def _results(self, request: HttpRequest, payload: dict[str, Any]) -> AsyncGenerator[ExecutionResult, None]:
        request_id = request_id_of(request)
        try:
            document, operation = await database_sync_to_async(self._admit)(request, payload)
        except _Refused as refused:
            yield PreExecutionError(data=None, errors=refused.errors)
            return
        context = self.context_of(request)
        variables = payload["variables"]
        name = payload["operationName"]
        source = await create_source_event_stream(self.schema, document, None, context, variables, name)
        if isinstance(source, CoreExecutionResult):
            errors = [shape_error(error, request_id=request_id) for error in source.errors or ()]
            yield PreExecutionError(data=None, errors=errors)
            return
        async with aclosing(source):  # type: ignore[type-var]
            try:
                async for event in source:
                    result = await database_sync_to_async(self._execute)(document, event, context, variables, name)
                    errors = [shape_error(error, request_id=request_id) for error in result.errors or ()]
                    yield ExecutionResult(data=result.data, errors=errors or None)
            except Exception as error:  # the stream's own error ends it
                yield ExecutionResult(
                    data=None, errors=[shape_error(_at_root_field(error, operation), request_id=request_id)]
                )

    def _admit(self, request: HttpRequest, payload: dict[str, Any]) -> tuple[DocumentNode, OperationDefinitionNode]:
        """``admission`` as the HTTP transport applies it, subscriptions only, then the budget."""
        request_id = request_id_of(request)
        limits = Limits.from_settings()
        if not isinstance(payload["query"], str) or not isinstance(payload["variables"], dict | None):
            message = "`query` must be a string and `variables` a JSON object or null."
            raise _Refused([request_graphql_error(GraphQLError(message), request_id=request_id)])
        try:
            document, operation = admission.operation_of(payload, limits)
            if operation.operation is not OperationType.SUBSCRIPTION:
                raise admission.RequestErrors([GraphQLError(ONLY_SUBSCRIPTIONS, operation)])
            stats = admission.admit(self.schema, payload, document, operation, limits)
        except admission.RequestErrors as refused:
            raise _Refused([request_graphql_error(error, request_id=request_id) for error in refused.errors]) from None
        try:
            budget_spend(request, stats.cost)
        except DomainError as error:
            refusal = GraphQLError(error.message, original_error=error)
            raise _Refused([shape_error(refusal, request_id=request_id)]) from None
        return document, operation

    def _execute(
        self, document: DocumentNode, event: Any, context: Any, variables: dict[str, Any] | None, name: str | None
    ) -> CoreExecutionResult:
        with deadline(settings.REQUEST_DEADLINE_SECONDS):
            result = execute(
                self.schema,
                document,
                root_value=event,
                context_value=context,
                variable_values=variables,
                operation_name=name,
                execution_context_class=self.execution_context_class,
            )
        assert isinstance(result, CoreExecutionResult), "the engines' resolvers are synchronous"
        return result


def _at_root_field(error: Exception, operation: OperationDefinitionNode) -> GraphQLError:
    """An error of the source stream, located at the subscription's field (there is one)."""
    field = operation.selection_set.selections[0]
    path = [(field.alias or field.name).value] if isinstance(field, FieldNode) else None
    return located_error(error, [field], path)
