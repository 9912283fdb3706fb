"""The rules of the privacy audit, as plain functions over an SDL document.

What the audit proves from the SDL alone (docs/PRIVACY.md explains each rule):

* every data field declares exactly one known audience (``@privacy``), Relay plumbing aside;
* every path from ``Query``, ``Mutation`` and ``Subscription`` that reaches a type marked
  ``@personalData`` enters it through a SELF edge bound to the viewer, or through a nullable ID
  lookup of a sealed type;
* no list of people (``User``) hangs off anything but the viewer's own world, but for the named
  profile lookups (``PROFILE_LOOKUPS``), which the report lists;
* every field of a personal-data type is SELF (the type is *sealed*);
* every OWNER_AGGREGATE field returns numbers, dates, flags, enums or aggregate types built of
  them: never a string, an ID or a person that could name someone.

A SELF edge is *bound to the viewer* when its parent is owned by no one but the request: a root
(``Query.me``, ``Subscription.notifications``), a mutation's payload (built for the actor alone),
or personal data already bound. The policy layer enforces the same thing at run time: a SELF
field of a bound parent answers only for the parent's owner, and a SELF field of a root or
payload only with the viewer's own value.
"""

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from api.audit.schema import Field, Schema, TypeRef, read_schema
from api.contract import Audience, is_plumbing

KNOWN_AUDIENCES = tuple(audience.value for audience in Audience)
SELF = Audience.SELF.value
OWNER_AGGREGATE = Audience.OWNER_AGGREGATE.value

PERSON_TYPES = frozenset({"User"})
"""Types that name a person. One public profile is public data; a list of them outside the
viewer's own world says who did something (saved, liked, viewed), which is personal data."""

PROFILE_LOOKUPS = frozenset({"SearchResults.users"})
"""Lists of people a viewer gets by typing: accounts matched on what their public profile shows
(username, display name) by the viewer's own query, ordered by public counts. They say who is
called so, not who did something, so they are no identity list; each is named here by review,
and the report lists the paths to it."""

AGGREGATE_SCALARS = frozenset({"Int", "Float", "Boolean", "Date", "DateTime"})
"""Leaves an OWNER_AGGREGATE field may return: numbers, dates and flags."""

PLUMBING_FIELDS = {
    "Connection": frozenset({"pageInfo", "edges"}),
    "Edge": frozenset({"cursor", "node"}),
    "PageInfo": frozenset({"hasNextPage", "hasPreviousPage", "startCursor", "endCursor"}),
}
"""Relay plumbing is exempt from ``@privacy`` for exactly these fields; any other field of a
connection, edge or page info is data and needs an audience."""


class FindingKind(StrEnum):
    PERSONAL_DATA_PATH = "PERSONAL_DATA_PATH"
    IDENTITY_LIST = "IDENTITY_LIST"
    AGGREGATE_NOT_NUMERIC = "AGGREGATE_NOT_NUMERIC"
    MISSING_AUDIENCE = "MISSING_AUDIENCE"
    UNKNOWN_AUDIENCE = "UNKNOWN_AUDIENCE"
    UNSEALED_PERSONAL_TYPE = "UNSEALED_PERSONAL_TYPE"
    NO_PERSONAL_DATA_MARKED = "NO_PERSONAL_DATA_MARKED"


FINDING_EXPLANATIONS = {
    FindingKind.PERSONAL_DATA_PATH: "reaches personal data without a SELF edge bound to the viewer",
    FindingKind.IDENTITY_LIST: "lists people outside the viewer's own world (who did what is personal data)",
    FindingKind.AGGREGATE_NOT_NUMERIC: "OWNER_AGGREGATE field returns more than numbers, dates or aggregates",
    FindingKind.MISSING_AUDIENCE: "field has no @privacy audience (deny by default)",
    FindingKind.UNKNOWN_AUDIENCE: "audience is not one of " + ", ".join(KNOWN_AUDIENCES),
    FindingKind.UNSEALED_PERSONAL_TYPE: "field of a personal-data type is not SELF",
    FindingKind.NO_PERSONAL_DATA_MARKED: "no type is marked @personalData, so no path could be checked",
}


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    where: str
    detail: str
    path: tuple[str, ...] = ()

    @property
    def path_text(self) -> str:
        return " → ".join(self.path)


@dataclass(frozen=True)
class Entry:
    """A way into personal data: ``bound`` through a SELF edge bound to the viewer, ``guarded``
    through a nullable ID lookup of a sealed type (every field SELF-checked at run time)."""

    how: str
    where: str
    target: str
    path: tuple[str, ...]

    @property
    def path_text(self) -> str:
        return " → ".join(self.path)


@dataclass(frozen=True)
class FieldAudience:
    where: str
    audience: str | None
    returns: str
    personal_data: bool


@dataclass
class AuditReport:
    fields: list[FieldAudience]
    personal_data_types: list[str]
    plumbing_types: list[str]
    paths_checked: int
    entries: list[Entry]
    findings: list[Finding]
    profile_lookups: list[Entry] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings

    @property
    def audience_counts(self) -> dict[str, int]:
        counts = Counter(entry.audience or "(none)" for entry in self.fields)
        return {
            audience: counts[audience] for audience in (*KNOWN_AUDIENCES, *sorted(set(counts) - set(KNOWN_AUDIENCES)))
        }


# Field-level rules -----------------------------------------------------------------------------


def _plumbing_kind(type_name: str) -> str | None:
    if not is_plumbing(type_name):
        return None
    if type_name == "PageInfo":
        return "PageInfo"
    return "Connection" if type_name.endswith("Connection") else "Edge"


def is_plumbing_field(type_name: str, field_name: str) -> bool:
    kind = _plumbing_kind(type_name)
    return kind is not None and field_name in PLUMBING_FIELDS[kind]


def data_fields(schema: Schema) -> list[Field]:
    """Every field that must carry an audience: all object fields but the plumbing's own."""
    return [
        object_field
        for object_type in schema.objects.values()
        for object_field in object_type.fields.values()
        if not is_plumbing_field(object_type.name, object_field.name)
    ]


def audience_findings(schema: Schema) -> list[Finding]:
    findings = []
    for data_field in data_fields(schema):
        if not data_field.audiences:
            findings.append(Finding(FindingKind.MISSING_AUDIENCE, data_field.qualified, "no @privacy directive"))
        elif len(data_field.audiences) > 1:
            declared = ", ".join(value or "(empty)" for value in data_field.audiences)
            findings.append(
                Finding(FindingKind.UNKNOWN_AUDIENCE, data_field.qualified, f"{declared}: one audience only")
            )
        elif data_field.audience not in KNOWN_AUDIENCES:
            findings.append(
                Finding(
                    FindingKind.UNKNOWN_AUDIENCE, data_field.qualified, f"audience {data_field.audience or '(empty)'}"
                )
            )
    declared_enum = set(schema.enums.get("Audience", KNOWN_AUDIENCES))
    if extra := sorted(declared_enum - set(KNOWN_AUDIENCES)):
        findings.append(Finding(FindingKind.UNKNOWN_AUDIENCE, "enum Audience", f"declares {', '.join(extra)}"))
    return findings


def is_sealed(schema: Schema, type_name: str) -> bool:
    object_type = schema.objects[type_name]
    return bool(object_type.fields) and all(f.audience == SELF for f in object_type.fields.values())


def sealing_findings(schema: Schema) -> list[Finding]:
    return [
        Finding(FindingKind.UNSEALED_PERSONAL_TYPE, f.qualified, f"audience {f.audience}, not SELF")
        for object_type in schema.objects.values()
        if object_type.personal_data
        for f in object_type.fields.values()
        if f.audience is not None and f.audience in KNOWN_AUDIENCES and f.audience != SELF
    ]


def _aggregate_problems(schema: Schema, ref: TypeRef, trail: str, visiting: frozenset[str]) -> list[str]:
    """Why a value of type ``ref`` is not an aggregate; empty when it is one."""
    name = ref.name
    if name in AGGREGATE_SCALARS or schema.is_enum(name):
        return []
    if name in PERSON_TYPES or (name in schema.objects and schema.objects[name].personal_data):
        return [f"{trail}: {ref.printed} names a person or holds personal data"]
    if name in schema.scalars:
        return [f"{trail}: {ref.printed} could name someone"]
    possible = schema.possible_types(name)
    if not possible:
        return [f"{trail}: unknown type {name}"]
    problems = []
    for type_name in possible:
        if type_name in visiting:
            continue
        object_type = schema.objects[type_name]
        if object_type.personal_data or type_name in PERSON_TYPES:
            problems.append(f"{trail}: {type_name} names a person or holds personal data")
            continue
        for nested in object_type.fields.values():
            if nested.name in ("cursor", "pageInfo") and is_plumbing_field(type_name, nested.name):
                continue  # Opaque positions in a list of aggregates.
            if nested.audience == OWNER_AGGREGATE:
                continue  # Checked on its own, and reported there.
            problems += _aggregate_problems(
                schema, nested.returns, f"{trail} → {nested.qualified}", visiting | {type_name}
            )
    return problems


def aggregate_findings(schema: Schema) -> list[Finding]:
    findings = []
    for data_field in data_fields(schema):
        if data_field.audience != OWNER_AGGREGATE:
            continue
        problems = _aggregate_problems(schema, data_field.returns, data_field.qualified, frozenset({data_field.owner}))
        if problems:
            findings.append(Finding(FindingKind.AGGREGATE_NOT_NUMERIC, data_field.qualified, "; ".join(problems)))
    return findings


# Path rules ------------------------------------------------------------------------------------

_ROOT, _PAYLOAD, _BOUND, _PLAIN = "root", "payload", "bound", "plain"


@dataclass(frozen=True)
class _Arrival:
    """How a walk arrives at a type: through which data field, and whether bound to the viewer,
    through a list (plumbing included) and through an interface or union."""

    field: Field
    origin: str  # The context in which ``field`` was traversed.
    bound: bool
    list_like: bool
    abstract: bool


@dataclass
class _Walk:
    schema: Schema
    paths: int = 0
    findings: dict[tuple[FindingKind, str, str], Finding] = field(default_factory=dict)
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)
    lookups: dict[tuple[str, str], Entry] = field(default_factory=dict)

    def keep_finding(self, kind: FindingKind, arrival: _Arrival, target: str, path: tuple[str, ...]) -> None:
        key = (kind, arrival.field.qualified, target)
        audience = arrival.field.audience or "no audience"
        detail = f"{'list of ' if arrival.list_like else ''}{target} through a {audience} edge"
        if key not in self.findings or len(path) < len(self.findings[key].path):
            self.findings[key] = Finding(kind, arrival.field.qualified, detail, path)

    def keep_entry(
        self, how: str, arrival: _Arrival, target: str, path: tuple[str, ...], into: dict[tuple[str, str], Entry]
    ) -> None:
        key = (arrival.field.qualified, target)
        if key not in into or len(path) < len(into[key].path):
            into[key] = Entry(how, arrival.field.qualified, target, path)

    def visit(
        self, type_name: str, context: str, trail: tuple[str, ...], seen: frozenset[str], carry: _Arrival | None
    ) -> None:
        for data_field in self.schema.objects[type_name].fields.values():
            if carry is not None and is_plumbing_field(type_name, data_field.name):
                arrival = _Arrival(
                    carry.field,
                    carry.origin,
                    carry.bound,
                    carry.list_like or data_field.returns.is_list,
                    carry.abstract,
                )
                step = trail
            else:
                arrival = _Arrival(
                    data_field,
                    origin=context,
                    bound=data_field.audience == SELF and context in (_ROOT, _PAYLOAD, _BOUND),
                    list_like=data_field.returns.is_list,
                    abstract=self.schema.is_abstract(data_field.returns.name),
                )
                step = (*trail, data_field.qualified)
            for target in self.schema.possible_types(data_field.returns.name):
                self.arrive(target, arrival, step, seen)

    def arrive(self, target: str, arrival: _Arrival, trail: tuple[str, ...], seen: frozenset[str]) -> None:
        if is_plumbing(target):
            list_like = arrival.list_like or target.endswith("Connection")
            carried = _Arrival(arrival.field, arrival.origin, arrival.bound, list_like, arrival.abstract)
            self.visit(target, _BOUND if arrival.bound else _PLAIN, trail, seen, carried)
            return
        self.paths += 1
        path = (*trail, target)
        if self.schema.objects[target].personal_data:
            if arrival.bound:
                if arrival.origin != _BOUND:
                    self.keep_entry("bound", arrival, target, path, self.entries)
            elif (
                arrival.abstract
                and not arrival.list_like
                and arrival.field.returns.nullable
                and is_sealed(self.schema, target)
            ):
                self.keep_entry("guarded", arrival, target, path, self.entries)
            else:
                self.keep_finding(FindingKind.PERSONAL_DATA_PATH, arrival, target, path)
                return
            context = _BOUND
        elif target in PERSON_TYPES and arrival.list_like and not arrival.bound:
            if arrival.field.qualified not in PROFILE_LOOKUPS:
                self.keep_finding(FindingKind.IDENTITY_LIST, arrival, target, path)
                return
            self.keep_entry("lookup", arrival, target, path, self.lookups)
            context = _PLAIN
        elif arrival.origin == _ROOT and arrival.field.owner == self.schema.mutation and target.endswith("Payload"):
            context = _PAYLOAD  # built for the actor alone; the runtime checks its SELF values
        else:
            context = _PLAIN
        if target not in seen:
            self.visit(target, context, path[:-1], seen | {target}, None)


def path_findings(schema: Schema) -> tuple[int, list[Entry], list[Finding], list[Entry]]:
    """Walk every simple path (no type twice) from the roots; returns how many paths were
    checked, the ways into personal data, the findings (one per offending field and target,
    with its shortest path) and the profile lookups met."""
    walk = _Walk(schema)
    for root in schema.roots:
        walk.visit(root, _ROOT, (), frozenset({root}), None)
    entries = sorted(walk.entries.values(), key=lambda entry: (entry.how, entry.path))
    lookups = sorted(walk.lookups.values(), key=lambda entry: entry.path)
    return walk.paths, entries, sorted(walk.findings.values(), key=lambda finding: finding.path), lookups


# The whole audit -------------------------------------------------------------------------------


def audit_schema(sdl: str) -> AuditReport:
    """Run every rule over an SDL document; a syntax error raises ``graphql.GraphQLError``."""
    schema = read_schema(sdl)
    personal = sorted(name for name, object_type in schema.objects.items() if object_type.personal_data)
    findings: list[Finding] = []
    if not personal:
        findings.append(Finding(FindingKind.NO_PERSONAL_DATA_MARKED, "schema", "mark types with @personalData"))
    findings += audience_findings(schema) + sealing_findings(schema) + aggregate_findings(schema)
    paths, entries, walked, lookups = path_findings(schema)
    findings += walked
    return AuditReport(
        fields=[
            FieldAudience(f.qualified, f.audience, f.returns.printed, schema.objects[f.owner].personal_data)
            for f in sorted(data_fields(schema), key=lambda f: f.qualified)
        ],
        personal_data_types=personal,
        plumbing_types=sorted(name for name in schema.objects if is_plumbing(name)),
        paths_checked=paths,
        entries=entries,
        findings=findings,
        profile_lookups=lookups,
    )
