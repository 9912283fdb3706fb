"""The committed ``schema.graphql`` is the contract auditors read: it must be what the server
exports, every data field must carry its ``@privacy`` audience (the one the contract declares),
and everything in it must be described."""

from io import StringIO

import pytest
from django.core.management import call_command
from graphql import parse
from graphql.language import (
    ArgumentNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumValueNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    TypeDefinitionNode,
)

from api.contract import Audience, is_plumbing
from api.type_system import FIELDS
from tests.api.cases import SCHEMA_PATH


@pytest.fixture(scope="module")
def document() -> DocumentNode:
    return parse(SCHEMA_PATH.read_text(encoding="utf-8"))


def test_export_schema_matches_the_committed_file() -> None:
    """Given the running code, when the schema is exported, then it equals ``schema.graphql``
    byte for byte: a changed audience or type shows up as a diff to review, never silently."""
    out = StringIO()

    call_command("export_schema", stdout=out)

    assert out.getvalue() == SCHEMA_PATH.read_text(encoding="utf-8"), (
        "schema.graphql is stale: run `python manage.py export_schema -o schema.graphql` and review the diff"
    )


def _object_types(document: DocumentNode) -> list[ObjectTypeDefinitionNode]:
    return [node for node in document.definitions if isinstance(node, ObjectTypeDefinitionNode)]


def _audience_of(field: FieldDefinitionNode) -> list[str]:
    """The audiences of the field's ``@privacy`` directives, read from the AST (``build_schema``
    drops directives applied to fields)."""
    audiences = []
    for directive in field.directives or ():
        if directive.name.value != "privacy":
            continue
        arguments: dict[str, ArgumentNode] = {argument.name.value: argument for argument in directive.arguments}
        value = arguments["audience"].value
        assert isinstance(value, EnumValueNode)
        audiences.append(value.value)
    return audiences


def test_every_data_field_carries_exactly_one_privacy_audience(document: DocumentNode) -> None:
    """Given schema.graphql, then every field of every object type except the Relay plumbing
    (connections, edges, page info) has one ``@privacy(audience: ...)`` naming a known audience."""
    known = {audience.value for audience in Audience}
    problems = []
    checked = 0
    for node in _object_types(document):
        if is_plumbing(node.name.value) or node.name.value.endswith(("Connection", "Edge")):
            continue
        for field in node.fields or ():
            audiences = _audience_of(field)
            checked += 1
            if len(audiences) != 1 or audiences[0] not in known:
                problems.append(f"{node.name.value}.{field.name.value}: {audiences}")

    assert problems == []
    assert checked > 100  # The walk really saw the schema.


def test_the_printed_audiences_are_the_contracts(document: DocumentNode) -> None:
    """Given schema.graphql and ``contract.FIELDS``, then each field's printed audience is the
    declared one, and the schema has no data field the contract does not declare."""
    printed = {
        (node.name.value, field.name.value): _audience_of(field)[0]
        for node in _object_types(document)
        if not (is_plumbing(node.name.value) or node.name.value.endswith(("Connection", "Edge")))
        for field in node.fields or ()
    }
    declared = {
        (type_name, field_name): spec.audience.value
        for type_name, fields in FIELDS.items()
        if type_name != "MutationPayload"  # Shared base of the payloads, not a type of its own.
        for field_name, spec in fields.items()
    }

    assert printed == declared


def test_the_plumbing_has_no_data_of_its_own(document: DocumentNode) -> None:
    """Connections, edges and page info are exempt from ``@privacy`` only because they carry
    nothing but pagination: edges, a node, a cursor and page info."""
    allowed = {"edges", "node", "cursor", "pageInfo", "hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}
    extra = sorted(
        f"{node.name.value}.{field.name.value}"
        for node in _object_types(document)
        if is_plumbing(node.name.value) or node.name.value.endswith(("Connection", "Edge"))
        for field in node.fields or ()
        if field.name.value not in allowed
    )

    assert extra == []


def _described(node: object) -> bool:
    description = getattr(node, "description", None)
    return description is not None and bool(description.value.strip())


def test_every_type_field_argument_and_enum_value_is_described(document: DocumentNode) -> None:
    """Given schema.graphql, then every type, field, input field, argument and enum value has
    a description: the schema is the documentation frontend developers and auditors read."""
    missing = []
    for node in document.definitions:
        if isinstance(node, DirectiveDefinitionNode):
            if not _described(node):
                missing.append(f"@{node.name.value}")
            continue  # strawberry prints no descriptions for a schema directive's arguments.
        if not isinstance(node, TypeDefinitionNode):
            continue
        name = node.name.value
        if not _described(node):
            missing.append(name)
        if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode | InputObjectTypeDefinitionNode):
            for field in node.fields or ():
                if not _described(field):
                    missing.append(f"{name}.{field.name.value}")
                for argument in getattr(field, "arguments", None) or ():
                    if not _described(argument):
                        missing.append(f"{name}.{field.name.value}({argument.name.value}:)")
        if isinstance(node, EnumTypeDefinitionNode):
            missing.extend(f"{name}.{value.name.value}" for value in node.values or () if not _described(value))

    assert missing == []


def test_field_descriptions_name_their_audience(document: DocumentNode) -> None:
    """Introspection does not show directives, so each data field's description ends with its
    audience ("Audience: SELF."), where GraphiQL and client tooling show it."""
    wrong = [
        f"{node.name.value}.{field.name.value}"
        for node in _object_types(document)
        if not (is_plumbing(node.name.value) or node.name.value.endswith(("Connection", "Edge")))
        for field in node.fields or ()
        if field.description is None or not field.description.value.endswith(f"Audience: {_audience_of(field)[0]}.")
    ]

    assert wrong == []
