"""How both engines execute an operation (both run on graphql-core), whatever the speed-ups:
a query remembers its field guards' allowed decisions and may read from a replica; a mutation
does neither and keeps its author's next queries on the primary; a subscription's event
remembers decisions and reads the primary; a request out of time stops at its first timed-out
field."""

from typing import Any

from graphql import GraphQLError, GraphQLOutputType, OperationDefinitionNode, OperationType
from graphql.execution import ExecutionContext
from graphql.pyutils import Path

from accounts.viewers import request_user
from api.policies import field_decisions_remembered
from kernel import routers
from kernel.deadlines import ran_out_of_time


class OperationScope(ExecutionContext):
    """graphql-core's executor with the operation's scope: decision memo, replica routing and
    the deadline."""

    def execute_operation(self, operation: OperationDefinitionNode, root_value: Any) -> Any:
        """A query remembers the field guards' allowed decisions per parent object while it runs
        (``api.policies.field_denial``) and may read from a replica (``kernel.routers``); a
        mutation does neither, and keeps its author's next queries on the primary."""
        user = _user_of(self.context_value)
        if operation.operation is OperationType.SUBSCRIPTION:
            # One event of a subscription (api/subscriptions.py): a read, of rows just written, so
            # from the primary.
            with field_decisions_remembered():
                return super().execute_operation(operation, root_value)
        if operation.operation is not OperationType.QUERY:
            try:
                return super().execute_operation(operation, root_value)
            finally:
                routers.pin_to_primary(user)
        with field_decisions_remembered(), routers.replica_reads(routers.may_read_replica(user)):
            return super().execute_operation(operation, root_value)

    def handle_field_error(self, error: GraphQLError, return_type: GraphQLOutputType, path: Path) -> None:
        """A request out of time stops: its error is raised up to the operation, which answers
        ``data: null`` with that one error, instead of each remaining field trying and failing."""
        if ran_out_of_time(error.original_error):
            raise error
        super().handle_field_error(error, return_type, path)


def _user_of(context: Any) -> Any:
    """The viewer of an engine's context (strawberry's carries the request, graphene's is it)."""
    request = getattr(context, "request", context)
    return request_user(request) if hasattr(request, "user") else None
