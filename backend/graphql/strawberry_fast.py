"""strawberry's share of the engine speed-ups: cached documents, lean resolvers for plain fields
and the plain-field shortcut of ``backend.graphql.execution``.

strawberry resolves every field of a ``strawberry_django`` type through the same machinery: an
``Info`` object, argument conversion, the field-extension chain and strawberry-django's
``get_result`` (sync/async checks, descriptor inspection). For a field that takes no arguments
and reads its parent (an attribute, or a resolver of ``root``/``self`` alone), guarded at most by
our ``AudienceGuard``, ``install_lean_resolvers`` swaps that machinery for a direct call: the same
guard, then the same read. Whatever the lean path cannot answer plainly (an error, a denial, a
queryset to evaluate) is handed to strawberry's own resolver, so results and errors are
unchanged.
"""

import inspect
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any

from django.db.models import QuerySet
from django.db.models.manager import BaseManager
from graphql import get_nullable_type, is_leaf_type
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext, validate_document
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from backend.graphql import documents
from backend.graphql.execution import PlainFieldShortcut, mark_plain_field, object_fields
from backend.graphql.strawberry_base import AudienceGuard


class ExecutionContext(PlainFieldShortcut, StrawberryGraphQLCoreExecutionContext):
    """strawberry's execution context with the plain-field shortcut."""


class DocumentCache(SchemaExtension):
    """Parse and validate through ``backend.graphql.documents`` (shared with the transport and
    graphene). A syntax error is left to strawberry's own parse, which reports it as usual."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is None and context.query:
            try:
                context.graphql_document = documents.parse_document(context.query, **context.parse_options)
            except Exception:  # strawberry parses again and reports the error
                context.graphql_document = None
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.pre_execution_errors is None and context.validation_rules and context.graphql_document is not None:
            context.pre_execution_errors = documents.validation_errors(
                context.schema._schema,
                context.query or "",
                context.graphql_document,
                context.validation_rules,
                validate_with=validate_document,
            )
        yield


def _reader(field: StrawberryField, info_class: type) -> Callable[[Any, Any], Any] | None:
    """How the field reads its parent (``read(source, info)``), when it is that simple: an
    attribute, or a resolver of the parent alone or of the parent and ``info``."""
    resolver = field.base_resolver
    if resolver is None:
        attribute = attrgetter(getattr(field, "django_name", None) or field.python_name)
        return lambda source, info: attribute(source)
    if resolver.is_async or resolver.arguments:
        return None
    parameters = list(inspect.signature(resolver.wrapped_func).parameters)  # type: ignore[arg-type]
    bound = resolver.self_parameter or resolver.root_parameter
    if bound is None or parameters[:1] != [bound.name]:
        return None
    function: Callable[..., Any] = resolver.wrapped_func  # type: ignore[assignment]
    if parameters == [bound.name]:
        return lambda source, info: function(source)
    wants_info = resolver.info_parameter
    if wants_info is None or parameters != [bound.name, wants_info.name]:
        return None
    name = wants_info.name
    return lambda source, info: function(source, **{name: info_class(_raw_info=info, _field=field)})


def _lean(
    field: StrawberryField, original: Callable[..., Any], info_class: type, *, leaf: bool
) -> tuple[Callable[..., Any], Callable[[Any, Any], Any], list[AudienceGuard]] | None:
    """The lean resolver of ``field`` (falling back to ``original``), its unguarded read (which
    refuses a queryset, for strawberry-django to evaluate) and its guards (outermost last), or
    None."""
    if field.arguments or field.is_async or field.permission_classes:
        return None
    if any(type(extension) is not AudienceGuard for extension in field.extensions):
        return None
    read = _reader(field, info_class)
    if read is None:
        return None
    guards: list[AudienceGuard] = list(field.extensions)  # type: ignore[arg-type]

    def unguarded(source: Any, info: Any) -> Any:
        value = read(source, info)
        if isinstance(value, QuerySet | BaseManager):
            raise TypeError("a queryset: let strawberry-django evaluate it")
        return value

    core_read = core = read if leaf else unguarded  # a scalar or enum is never a queryset
    for guard in guards:
        core = _guarded(guard, core)

    def resolve(source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return core(source, info)
        except Exception:  # strawberry's own resolver answers (and reports) it
            return original(source, info, **kwargs)

    return resolve, core_read, guards


def _guarded(guard: AudienceGuard, inner: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def resolve(source: Any, info: Any) -> Any:
        return guard.access.resolve(inner, source, info)

    return resolve


def install_lean_resolvers(schema: Any) -> int:
    """Give every eligible field of ``schema`` (a ``strawberry.Schema``) its lean resolver, and
    mark it for the executor's shortcut; returns how many fields were changed."""
    changed = 0
    for _type, _name, graphql_field in object_fields(schema._schema):
        definition = graphql_field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(definition, StrawberryField) or graphql_field.resolve is None:
            continue
        leaf = is_leaf_type(get_nullable_type(graphql_field.type))  # type: ignore[arg-type]
        lean = _lean(definition, graphql_field.resolve, schema.config.info_class, leaf=leaf)
        if lean is None:
            continue
        graphql_field.resolve, read, guards = lean
        mark_plain_field(graphql_field, read, [guard.access for guard in reversed(guards)])
        changed += 1
    return changed
