"""Parse the type references used in mutation shapes (``"ID!"``, ``"[ID!]"``, ``"Video"``)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TypeRef:
    name: str
    required: bool
    is_list: bool = False


def parse_type_ref(ref: str) -> TypeRef:
    """``"[ID!]"`` → a nullable list of non-null IDs; only that list form is used."""
    required = ref.endswith("!")
    core = ref.rstrip("!")
    if core.startswith("["):
        return TypeRef(name=core.strip("[]!"), required=required, is_list=True)
    return TypeRef(name=core, required=required)
