"""Every type of the API, gathered from its declarations: the apps' object types and enums, the
Query root, and for each declared mutation its input, payload and root field. Both engines build
exactly this, and ``check_schema`` proves a built schema holds nothing else (deny by default).
"""

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema

from api import roots
from api.accounts import mutations as _account_mutations  # noqa: F401 - declares its mutations
from api.accounts import types as account_types
from api.contract import (
    ANY_TOKEN,
    ARGUMENT_DESCRIPTIONS,
    FIELD_TOKEN_SCOPES,
    MUTATIONS,
    PAYLOADS,
    TYPE_TOKEN_SCOPES,
    Audience,
    FieldSpec,
    SchemaContractError,
    is_plumbing,
)
from api.declarations import (
    Arg,
    Call,
    EnumType,
    Field,
    InputField,
    InputType,
    ObjectType,
)
from api.engagement import mutations as _engagement_mutations  # noqa: F401 - declares its mutations
from api.engagement import types as engagement_types
from api.mutations import MUTATION_OPERATIONS, MutationOperation, execute_mutation

_CLIENT_MUTATION_ID = "The client's own id for this mutation, echoed back."


def _title(name: str) -> str:
    return f"{name[0].upper()}{name[1:]}"


def _input_type(operation: MutationOperation) -> InputType:
    fields = {"clientMutationId": "String", **operation.inputs}
    return InputType(
        f"{_title(operation.name)}Input",
        f"Input of `{operation.name}`.",
        tuple(InputField(name, ref) for name, ref in fields.items()),
    )


def _payload_type(operation: MutationOperation) -> ObjectType:
    """A payload's fields take the audience the contract gives them and, for a token, follow
    their mutation (checked first) unless the contract says otherwise."""
    name = f"{_title(operation.name)}Payload"
    specs = PAYLOADS[name]
    fields = [Field("clientMutationId", "String", Audience.PUBLIC, _CLIENT_MUTATION_ID)]
    for field_name, ref in operation.payload.items():
        spec = specs[field_name]
        scopes = FIELD_TOKEN_SCOPES.get((name, field_name), ANY_TOKEN)
        fields.append(Field(field_name, ref, spec.audience, spec.description, token_scopes=scopes))
    return ObjectType(name, f"The result of `{operation.name}`.", tuple(fields), mapping=True)


def _mutation_field(operation: MutationOperation) -> Field:
    audience, description = MUTATIONS[operation.name]

    def resolve(root: Any, call: Call, *, input: Mapping[str, Any]) -> Any:
        return execute_mutation(operation.name, request=call.request, data=dict(input))

    scopes = FIELD_TOKEN_SCOPES.get(("Mutation", operation.name), TYPE_TOKEN_SCOPES["Mutation"])
    return Field(
        operation.name,
        f"{_title(operation.name)}Payload",
        audience,
        description,
        resolve=resolve,
        args={"input": Arg(f"{_title(operation.name)}Input!", ARGUMENT_DESCRIPTIONS["input"])},
        token_scopes=scopes,
    )


_OPERATIONS = [MUTATION_OPERATIONS[name] for name in MUTATIONS]

ENUMS: tuple[EnumType, ...] = (*account_types.ENUMS, *engagement_types.ENUMS)
INPUT_TYPES: tuple[InputType, ...] = tuple(_input_type(operation) for operation in _OPERATIONS)
OBJECT_TYPES: tuple[ObjectType, ...] = (
    *roots.OBJECT_TYPES,
    *account_types.OBJECT_TYPES,
    *engagement_types.OBJECT_TYPES,
    ObjectType("Mutation", "Every state change a client can make.", tuple(map(_mutation_field, _OPERATIONS))),
    *map(_payload_type, _OPERATIONS),
)
NODE_TYPES: tuple[ObjectType, ...] = tuple(declared for declared in OBJECT_TYPES if declared.node)
SUBSCRIPTION_ROOT = "Subscription"
PERSONAL_DATA_TYPES = frozenset(declared.name for declared in OBJECT_TYPES if declared.personal_data)

# Each field's audience, description and token rule, by type and field name.
FIELDS: dict[str, dict[str, FieldSpec]] = {
    declared.name: {field.name: declared.spec(field) for field in declared.fields} for declared in OBJECT_TYPES
}


def _check_subscription_fields() -> None:
    """A source stream belongs to a field of the Subscription root, and every field there has one."""
    for declared in OBJECT_TYPES:
        for declared_field in declared.fields:
            if (declared_field.subscribe is not None) != (declared.name == SUBSCRIPTION_ROOT):
                raise SchemaContractError(
                    f"{declared.name}.{declared_field.name}: subscribe= is for {SUBSCRIPTION_ROOT}"
                )


_check_subscription_fields()


def field_spec(type_name: str, field_name: str) -> FieldSpec:
    try:
        return FIELDS[type_name][field_name]
    except KeyError:
        raise SchemaContractError(f"{type_name}.{field_name} has no declared audience") from None


def check_schema(schema: GraphQLSchema) -> None:
    """Deny by default, the same check for both engines: every field of every object type (the
    plumbing of connections aside) is a declared one, described with its audience and token
    rule, and every declared field is there."""
    seen: set[tuple[str, str]] = set()
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__") or is_plumbing(type_name):
            continue
        for name, graphql_field in graphql_type.fields.items():
            spec = field_spec(type_name, name)
            if graphql_field.description != spec.full_description:
                raise SchemaContractError(f"{type_name}.{name} is not described as declared")
            seen.add((type_name, name))
    declared = {(type_name, name) for type_name, fields in FIELDS.items() for name in fields}
    if missing := declared - seen:
        raise SchemaContractError(f"declared but not in the schema: {sorted(missing)}")
