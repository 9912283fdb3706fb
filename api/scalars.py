"""The contract's date scalars, ``Date`` and ``DateTime``, defined once for both engines: what each
accepts, how it prints, and the one message for a value it refuses, in a variable or a literal.

The engines' own scalars disagree: graphene's and strawberry's word their errors differently,
strawberry's reports a bad literal without its location and as a Python value (``"True"`` for
``true``), and the two parse date-times with different libraries. The formats here are RFC 3339's,
not whatever this Python's ``fromisoformat`` accepts, so the contract does not move with Python.
``JSON`` (``Me.export``) is output only and refuses nothing, so each engine keeps its own.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graphql import GraphQLError, StringValueNode, ValueNode, print_ast
from graphql.pyutils import inspect


@dataclass(frozen=True)
class Scalar:
    name: str
    description: str
    python_type: type[date]
    form: re.Pattern[str]  # what ``parse`` may be given: it may accept more
    parse: Callable[[str], Any]
    expected: str  # the end of the refusal, after "expected"

    def serialize(self, value: Any) -> str:
        if not isinstance(value, self.python_type):
            raise GraphQLError(f"{self.name} cannot represent value: {inspect(value)}")
        return value.isoformat()

    def parse_value(self, value: Any) -> Any:
        """A variable's value, shown in the refusal as graphql-core shows it (``'...'``)."""
        return self._parsed(value, shown=inspect(value), node=None)

    def parse_literal(self, node: ValueNode, _variables: Any = None) -> Any:
        """A value written in the document, shown as written; the refusal points at it."""
        value = node.value if isinstance(node, StringValueNode) else None
        return self._parsed(value, shown=print_ast(node), node=node)

    def _parsed(self, value: Any, *, shown: str, node: ValueNode | None) -> Any:
        if isinstance(value, str) and self.form.fullmatch(value):
            try:
                return self.parse(value)
            except ValueError:  # the right shape, but no such day or time
                pass
        raise GraphQLError(f"{self.name} cannot represent {shown}: expected {self.expected}.", node)


DATE = Scalar(
    name="Date",
    description="A calendar date, `YYYY-MM-DD` (RFC 3339 full-date).",
    python_type=date,
    form=re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII),
    parse=date.fromisoformat,
    expected="a date as a string, YYYY-MM-DD",
)
DATE_TIME = Scalar(
    name="DateTime",
    description="A point in time with its UTC offset, such as `2024-05-01T12:00:00.5+00:00` (RFC 3339).",
    python_type=datetime,
    form=re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})", re.ASCII),
    parse=datetime.fromisoformat,
    expected="a date-time as a string with its UTC offset, such as 2024-05-01T12:00:00Z",
)
SCALARS = (DATE, DATE_TIME)

# ``JSON`` (``Me.export``): strawberry's own scalar, and graphene's passes values through under
# the same description.
JSON_DESCRIPTION = (
    "The `JSON` scalar type represents JSON values as specified by "
    "[ECMA-404](https://ecma-international.org/wp-content/uploads/ECMA-404_2nd_edition_december_2017.pdf)."
)
