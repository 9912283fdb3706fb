"""A schema's structure and descriptions, directives aside: what two engines must agree on."""

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
)


def _default(value: Any) -> Any:
    return "<none>" if value is Undefined else repr(value)


def _fields(type_: GraphQLObjectType | GraphQLInterfaceType) -> dict[str, Any]:
    return {
        name: {
            "type": str(field.type),
            "description": field.description,
            "args": {
                arg_name: (str(arg.type), _default(arg.default_value), arg.description)
                for arg_name, arg in field.args.items()
            },
        }
        for name, field in type_.fields.items()
    }


def schema_structure(schema: GraphQLSchema) -> dict[str, Any]:
    """Types reachable from the roots (directive-only types such as ``Audience`` aside), with
    fields, arguments, defaults, nullability, interfaces, enum values and input fields, each with
    its description."""
    directive_only = {"Audience"}
    structure: dict[str, Any] = {}
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in directive_only:
            continue
        if isinstance(type_, GraphQLObjectType):
            structure[name] = {
                "kind": "OBJECT",
                "description": type_.description,
                "interfaces": sorted(interface.name for interface in type_.interfaces),
                "fields": _fields(type_),
            }
        elif isinstance(type_, GraphQLInterfaceType):
            implementations = schema.get_implementations(type_).objects
            structure[name] = {
                "kind": "INTERFACE",
                "description": type_.description,
                "fields": _fields(type_),
                "implementations": sorted(t.name for t in implementations),
            }
        elif isinstance(type_, GraphQLEnumType):
            structure[name] = {
                "kind": "ENUM",
                "description": type_.description,
                "values": {value_name: value.description for value_name, value in type_.values.items()},
            }
        elif isinstance(type_, GraphQLInputObjectType):
            structure[name] = {
                "kind": "INPUT",
                "description": type_.description,
                "fields": {n: (str(f.type), _default(f.default_value), f.description) for n, f in type_.fields.items()},
            }
        elif isinstance(type_, GraphQLUnionType):
            structure[name] = {
                "kind": "UNION",
                "description": type_.description,
                "types": sorted(t.name for t in type_.types),
            }
        else:
            structure[name] = {"kind": "SCALAR", "description": type_.description}
    return structure


def structure_differences(left: dict[str, Any], right: dict[str, Any], path: str = "") -> list[str]:
    """Human-readable differences, one line each (``Video.insights.type: 'X' != 'Y'``)."""
    if isinstance(left, dict) and isinstance(right, dict):
        lines: list[str] = []
        for key in sorted(set(left) | set(right), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in left:
                lines.append(f"{where}: only in the second schema")
            elif key not in right:
                lines.append(f"{where}: only in the first schema")
            else:
                lines.extend(structure_differences(left[key], right[key], where))
        return lines
    return [] if left == right else [f"{path}: {left!r} != {right!r}"]
