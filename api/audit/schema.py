"""An SDL document as the audit sees it: object types, their fields' ``@privacy`` audiences and
the ``@personalData`` marks, read from graphql-core's AST.

``graphql.build_schema`` would drop directives applied to fields and types, so this walks the
parsed document instead. Only what the rules need is kept.
"""

from dataclasses import dataclass, field

from graphql import parse
from graphql.language import (
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    EnumValueNode,
    FieldDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    print_ast,
)

PRIVACY_DIRECTIVE = "privacy"
PERSONAL_DATA_DIRECTIVE = "personalData"
BUILT_IN_SCALARS = frozenset({"Int", "Float", "String", "Boolean", "ID"})


@dataclass(frozen=True)
class TypeRef:
    """A field's type: the named type underneath, and whether a list wraps it."""

    name: str
    printed: str
    is_list: bool
    nullable: bool


@dataclass(frozen=True)
class Field:
    owner: str
    name: str
    returns: TypeRef
    audiences: tuple[str, ...]
    """One entry per applied ``@privacy``: the enum value, or the printed argument when it is not
    an enum value (``"PUBLIC"`` as a string, say), or ``""`` when the argument is missing."""

    @property
    def qualified(self) -> str:
        return f"{self.owner}.{self.name}"

    @property
    def audience(self) -> str | None:
        """The audience when exactly one is declared; None otherwise (the rules report why)."""
        return self.audiences[0] if len(self.audiences) == 1 else None


@dataclass
class ObjectType:
    name: str
    fields: dict[str, Field] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    personal_data: bool = False


@dataclass
class Schema:
    objects: dict[str, ObjectType]
    interfaces: set[str]
    unions: dict[str, list[str]]
    enums: dict[str, list[str]]
    scalars: set[str]
    query: str | None
    mutation: str | None
    subscription: str | None = None

    def is_object(self, name: str) -> bool:
        return name in self.objects

    def is_abstract(self, name: str) -> bool:
        return name in self.interfaces or name in self.unions

    def is_enum(self, name: str) -> bool:
        return name in self.enums

    def possible_types(self, name: str) -> list[str]:
        """The object types a value of ``name`` can be: itself, an interface's implementations
        or a union's members."""
        if name in self.objects:
            return [name]
        if name in self.unions:
            return [member for member in self.unions[name] if member in self.objects]
        if name in self.interfaces:
            return sorted(object_type.name for object_type in self.objects.values() if name in object_type.interfaces)
        return []

    @property
    def roots(self) -> list[str]:
        roots = (self.query, self.mutation, self.subscription)
        return [root for root in roots if root is not None and root in self.objects]


def _type_ref(node: TypeNode) -> TypeRef:
    printed = print_ast(node)
    nullable = not isinstance(node, NonNullTypeNode)
    is_list = False
    while not isinstance(node, NamedTypeNode):
        if isinstance(node, ListTypeNode):
            is_list = True
        node = node.type  # type: ignore[attr-defined]
    return TypeRef(name=node.name.value, printed=printed, is_list=is_list, nullable=nullable)


def _audience(directive: ConstDirectiveNode) -> str:
    for argument in directive.arguments or ():
        if argument.name.value == "audience":
            value = argument.value
            return value.value if isinstance(value, EnumValueNode) else print_ast(value)
    return ""


def _field(owner: str, node: FieldDefinitionNode) -> Field:
    audiences = tuple(
        _audience(directive) for directive in node.directives or () if directive.name.value == PRIVACY_DIRECTIVE
    )
    return Field(owner=owner, name=node.name.value, returns=_type_ref(node.type), audiences=audiences)


def _marked(directives: tuple[ConstDirectiveNode, ...] | None) -> bool:
    return any(directive.name.value == PERSONAL_DATA_DIRECTIVE for directive in directives or ())


def read_schema(document: DocumentNode | str) -> Schema:
    """The audit's view of an SDL document (a string is parsed first; a syntax error raises
    ``graphql.GraphQLError``). Type extensions are merged into their types."""
    if isinstance(document, str):
        document = parse(document)
    schema = Schema(
        objects={}, interfaces=set(), unions={}, enums={}, scalars=set(BUILT_IN_SCALARS), query=None, mutation=None
    )
    explicit_roots: dict[str, str] = {}
    for node in document.definitions:
        if isinstance(node, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
            name = node.name.value
            object_type = schema.objects.setdefault(name, ObjectType(name=name))
            object_type.interfaces.extend(interface.name.value for interface in node.interfaces or ())
            object_type.personal_data |= _marked(node.directives)
            for field_node in node.fields or ():
                object_type.fields[field_node.name.value] = _field(name, field_node)
        elif isinstance(node, InterfaceTypeDefinitionNode | InterfaceTypeExtensionNode):
            schema.interfaces.add(node.name.value)
        elif isinstance(node, UnionTypeDefinitionNode | UnionTypeExtensionNode):
            schema.unions.setdefault(node.name.value, []).extend(member.name.value for member in node.types or ())
        elif isinstance(node, EnumTypeDefinitionNode | EnumTypeExtensionNode):
            schema.enums.setdefault(node.name.value, []).extend(value.name.value for value in node.values or ())
        elif isinstance(node, ScalarTypeDefinitionNode):
            schema.scalars.add(node.name.value)
        elif isinstance(node, SchemaDefinitionNode):
            for operation in node.operation_types:
                explicit_roots[operation.operation.value] = operation.type.name.value
    schema.query = explicit_roots.get("query", "Query" if "Query" in schema.objects else None)
    schema.mutation = explicit_roots.get("mutation", "Mutation" if "Mutation" in schema.objects else None)
    schema.subscription = explicit_roots.get(
        "subscription", "Subscription" if "Subscription" in schema.objects else None
    )
    return schema
