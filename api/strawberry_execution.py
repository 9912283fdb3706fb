"""How strawberry executes: graphql-core's executor with the operation's scope and the
plain-field shortcut (``api.speedups``), and, when ``GRAPHQL_SPEEDUPS`` is on,
documents parsed and validated once (``api.documents``, shared with the transport and
graphene) instead of once per request."""

from collections.abc import Iterator

from django.conf import settings
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext, validate_document

from api import documents
from api.speedups import PlainFieldShortcut


class ExecutionContext(PlainFieldShortcut, StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context with the operation's scope and the plain-field shortcut."""


class DocumentCache(SchemaExtension):
    """Parse and validate through ``api.documents`` (shared with the transport and
    graphene). A syntax error is left to strawberry's own parse, which reports it as usual."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if settings.GRAPHQL_SPEEDUPS and context.graphql_document is None and context.query:
            try:
                context.graphql_document = documents.parse_document(context.query, **context.parse_options)
            except Exception:  # strawberry parses again and reports the error
                context.graphql_document = None
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        unchecked = context.pre_execution_errors is None and context.validation_rules
        if settings.GRAPHQL_SPEEDUPS and unchecked and document is not None:
            context.pre_execution_errors = documents.validation_errors(
                context.schema._schema,
                context.query or "",
                document,
                context.validation_rules,
                validate_with=validate_document,
            )
        yield
