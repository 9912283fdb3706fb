"""The API's types, engine-neutral: each object type, field, argument, input and enum declared
once, with its audience, description, token rule and resolver. ``strawberry_build`` and
``graphene_build`` turn the same declarations into each engine's types, so the engines cannot
drift and neither holds any logic of its own.

A field reads its parent one of three ways: an attribute (the default, ``source`` names it when
it is not the field's snake_case name), ``read(root)`` for a value computed from the parent
alone, or ``resolve(root, call, **arguments)`` when it needs the request, the viewer, the query's
selection below it (to load only what is read) or arguments. Fields without arguments whose
value comes from the parent alone are *plain*: the executor's shortcut may resolve them without
building a resolve info (``api.speedups``).

A field of the Subscription root has ``subscribe(root, call, **arguments)`` instead: it returns
the field's source stream (an async iterator; whatever it refuses, it raises before returning
it), and each event it yields is the field's value, executed with the operation's selection.
"""

import keyword
import re
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

from django.db.models import Choices
from django.http import HttpRequest

from accounts.viewers import Viewer, request_user
from api.contract import (
    ANY_TOKEN,
    ARGUMENT_DESCRIPTIONS,
    INPUT_FIELD_DESCRIPTIONS,
    SESSION_ONLY,
    TYPE_TOKEN_SCOPES,
    Audience,
    FieldSpec,
    TokenScopes,
)
from api.selection import Selection
from kernel.ids import global_id


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class TypeRef:
    """A parsed GraphQL type reference: ``"Video!"``, ``"[ID!]"``, ``"VideoConnection!"``."""

    name: str
    required: bool
    is_list: bool = False

    @property
    def connection_of(self) -> str | None:
        """The node type of a Relay connection (``VideoConnection`` → ``Video``), else None."""
        return self.name.removesuffix("Connection") if self.name.endswith("Connection") else None


def parse_type_ref(ref: str) -> TypeRef:
    """``"[ID!]"`` → a nullable list of non-null items; only that list form is used."""
    required = ref.endswith("!")
    core = ref.removesuffix("!")
    if core.startswith("["):
        if not core.endswith("!]"):
            raise ValueError(f"{ref}: list items are non-null in this API")
        return TypeRef(name=core[1:-2], required=required, is_list=True)
    return TypeRef(name=core, required=required)


class Call:
    """What a resolver may use of the call besides its parent and arguments, the same on both
    engines: the request, its viewer and what the query selects below the field."""

    __slots__ = ("_info", "request")

    def __init__(self, request: HttpRequest, info: Any = None) -> None:
        self.request = request
        self._info = info  # graphql-core's resolve info; None on the executor's plain-field path

    @property
    def viewer(self) -> Viewer:
        return request_user(self.request)

    def selection(self) -> Selection:
        if self._info is None:
            raise RuntimeError("only a field declared with reads_selection may read its selection")
        return Selection.of(self._info)


Resolve = Callable[..., Any]  # resolve(root, call, **arguments)
Subscribe = Callable[..., AsyncGenerator[Any, None]]  # subscribe(root, call, **arguments) -> the events


@dataclass(frozen=True)
class Arg:
    """An argument. ``python_name`` is the resolver's keyword when the GraphQL name is a Python
    keyword (``from``)."""

    type: str
    description: str
    python_name: str | None = None

    def keyword(self, name: str) -> str:
        return self.python_name or snake_case(name)


def described_arg(name: str, type_ref: str, **options: Any) -> Arg:
    """An argument described by the contract's wording for arguments of that name."""
    return Arg(type_ref, ARGUMENT_DESCRIPTIONS[name], **options)


PAGE_ARGS: Mapping[str, Arg] = {"first": described_arg("first", "Int"), "after": described_arg("after", "String")}
# A range's bounds as resolvers and mutations take them: ``from`` is a keyword in Python.
RANGE_KEYWORDS: Mapping[str, str] = {"from": "first", "to": "last"}


def python_name(name: str) -> str:
    """A field's or input field's name in Python (both engines make dataclasses of them): its
    snake_case name, a range's bounds as above, any other keyword with ``_`` after it."""
    snake = RANGE_KEYWORDS.get(name) or snake_case(name)
    return f"{snake}_" if keyword.iskeyword(snake) else snake


RANGE_ARGS: Mapping[str, Arg] = {
    name: described_arg(name, "Date!", python_name=keyword) for name, keyword in RANGE_KEYWORDS.items()
}

INHERIT: Any = object()  # a token rule not given: the type's, or the default for the audience


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    audience: Audience
    description: str
    read: Callable[[Any], Any] | None = None
    resolve: Resolve | None = None
    args: Mapping[str, Arg] = field(default_factory=dict)
    source: str | None = None  # the attribute (or payload key) read when there is no resolver
    token_scopes: TokenScopes = INHERIT
    # What it loads depends on what the query reads below it (``call.selection()``), so that a
    # page joins the viewer's flags only for a query that shows them.
    reads_selection: bool = False
    # A field of the Subscription root: its source stream of events (see the module docstring).
    subscribe: Subscribe | None = None

    def __post_init__(self) -> None:
        if sum(reader is not None for reader in (self.read, self.resolve, self.subscribe)) > 1:
            raise ValueError(f"{self.name}: give one of read, resolve or subscribe")
        if self.reads_selection and self.subscribe is not None:
            raise ValueError(f"{self.name}: a subscription field executes its selection on each event")
        if (self.args or self.reads_selection) and self.resolve is None and self.subscribe is None:
            raise ValueError(f"{self.name}: a field with arguments or reading its selection needs resolve")

    @property
    def type_ref(self) -> TypeRef:
        return parse_type_ref(self.type)

    @property
    def keyword(self) -> str:
        """The field's attribute on the engines' classes: its snake_case name, a range's ``from``
        and ``to`` as ``first`` and ``last`` (``from`` is a keyword in Python)."""
        return python_name(self.name)

    @property
    def is_plain(self) -> bool:
        """No arguments and no selection to read: a value from the parent alone or the call's
        request and viewer (never a subscription's stream)."""
        return not self.args and not self.reads_selection and self.subscribe is None


def id_field(type_name: str, audience: Audience, **options: Any) -> Field:
    """``id: ID!``, the object's global ID as ``node(id:)`` takes it."""
    return Field(
        "id",
        "ID!",
        audience,
        "The global ID of this object.",
        read=lambda root: global_id(type_name, root.pk),
        **options,
    )


def created_field(audience: Audience, **options: Any) -> Field:
    return Field("createdAt", "DateTime!", audience, "When it was created (UTC).", **options)


@dataclass(frozen=True)
class ObjectType:
    """An object type. ``model`` is the Django model a Node type shows (how ``node(id:)`` and the
    engines tell the types apart); ``mapping`` says the parent is a dict (a mutation payload)."""

    name: str
    description: str
    fields: tuple[Field, ...]
    model: type | None = None
    node: bool = False
    personal_data: bool = False
    mapping: bool = False

    def spec(self, declared: Field) -> FieldSpec:
        """The field's audience, description and token rule: its own rule, else its type's
        (``contract.TYPE_TOKEN_SCOPES``), else open to any token when PUBLIC and closed to tokens
        otherwise (deny by default)."""
        scopes = declared.token_scopes
        if scopes is INHERIT:
            scopes = TYPE_TOKEN_SCOPES.get(self.name, INHERIT)
        if scopes is INHERIT:
            scopes = ANY_TOKEN if declared.audience is Audience.PUBLIC else SESSION_ONLY
        return FieldSpec(declared.audience, declared.description, scopes)

    def root_reader(self, declared: Field) -> Callable[[Any], Any] | None:
        """``read(root)`` for a field whose value comes from its parent alone (an attribute or
        ``read=``); None for any other."""
        if declared.resolve is not None or not declared.is_plain:
            return None
        if declared.read is not None:
            return declared.read
        key = declared.source or snake_case(declared.name)
        return itemgetter(key) if self.mapping else attrgetter(key)

    def reader(self, declared: Field) -> Callable[[Any, Call | None], Any] | None:
        """``read(root, call)`` for a plain field; None when it takes arguments or reads its
        selection."""
        if not declared.is_plain:
            return None
        if declared.resolve is not None:
            resolve = declared.resolve
            return lambda root, call: resolve(root, call)
        read = self.root_reader(declared)
        assert read is not None
        return lambda root, call: read(root)


@dataclass(frozen=True)
class InputField:
    name: str
    type: str

    @property
    def description(self) -> str:
        return INPUT_FIELD_DESCRIPTIONS[self.name]

    @property
    def keyword(self) -> str:
        """The field's key in the input a mutation's function takes (``from`` and ``to`` of a
        range as ``first`` and ``last``, as ``RANGE_ARGS`` gives them to resolvers)."""
        return python_name(self.name)


@dataclass(frozen=True)
class InputType:
    name: str
    description: str
    fields: tuple[InputField, ...]


@dataclass(frozen=True)
class EnumType:
    """A GraphQL enum from a model's ``TextChoices``: each value described by its label."""

    name: str
    description: str
    choices: type[Choices]
