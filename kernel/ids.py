"""Global IDs (Relay): base64 of ``Type:pk``, the encoding both engines use."""

from graphql_relay import from_global_id, to_global_id

from kernel.errors import InvalidInput


def global_id(type_name: str, pk: int) -> str:
    return to_global_id(type_name, str(pk))


def parse_global_id(value: str, *, field: str = "id") -> tuple[str, int]:
    """Split a global ID; anything malformed is the client's mistake (BAD_USER_INPUT)."""
    try:
        type_name, raw_pk = from_global_id(value)
        pk = int(raw_pk)
    except (ValueError, TypeError, UnicodeError) as error:
        raise InvalidInput(f"{field} is not a valid global ID.", field=field) from error
    if not type_name or not 0 < pk < 2**63:
        raise InvalidInput(f"{field} is not a valid global ID.", field=field)
    return type_name, pk


def decode_id(value: str, *, expected: str, field: str) -> int:
    """The primary key inside a global ID of the expected type."""
    type_name, pk = parse_global_id(value, field=field)
    if type_name != expected:
        raise InvalidInput(f"{field} must be the ID of a {expected}.", field=field)
    return pk
