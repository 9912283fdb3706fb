"""The role matrix: every field of ``schema.graphql``, for every role, on both engines.

Generated from the committed SDL (each field's printed ``@privacy`` audience, the
``@personalData`` marks) and the contract's token rules. For every object type the matrix finds
a way to an instance: a ``node(id:)`` lookup of a sample for Node types, the shortest path from
``Query`` otherwise. It selects every field of the type, asks as each role, and checks each field
against what its audience documents: data for the allowed roles; ``null`` with FORBIDDEN or
UNAUTHENTICATED for the others; ``null`` without an error where the object is not the role's to
see at all (hidden is missing). Every mutation is called by every role the same way.

One role is a viewer the creator blocked ("Blocks and mutes", docs/ARCHITECTURE.md): to them the
creator's profile, videos and the comments on them are missing, so every sample of the creator's
answers ``null`` without an error, and every mutation naming one of them answers NOT_FOUND.

A field, a type reachable from a root, or a mutation added later enters the matrix by itself. A
new Node type needs one sample in ``NODE_SAMPLES``; a new mutation a case in tests/api/cases.py
(``test_every_mutation_has_a_case`` insists). A role is one entry in ``ROLES``.
"""

import json
import math
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputType,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
    is_non_null_type,
    is_required_argument,
)

from accounts import services as account_services
from accounts.models import AccountType, Follow, User
from accounts.scopes import Scope
from accounts.tokens import access_token_create
from api.audit.schema import read_schema
from api.contract import SESSION_ONLY, Audience, TokenScopes, is_plumbing
from api.policies import token_may_read_type
from api.type_system import field_spec
from engagement import services
from engagement.analytics.privacy import Period
from engagement.analytics.rollups import designated_weekday, rollup_day
from engagement.analytics.top_rates import RATE_MIN_VIEWS
from engagement.models import Comment, Favorite, Hashtag, InsightsExport, Video, View
from kernel.errors import ErrorCode
from tests.api.cases import MUTATION_CASES, SAMPLE_NAMED_ARGUMENTS, SCHEMA_PATH, SDL
from tests.api.conftest import ENDPOINTS, GraphQLResponse, World, client_maker, gid
from tests.factories import make_follow, make_user, make_video
from tests.module_data import ModuleData, copy_for_test

# On each engine, every request answered with the speed-ups off and on too (tests/api/speedups_twin.py).
pytestmark = [pytest.mark.differential, pytest.mark.both_engines]

MARKS = read_schema(SCHEMA_PATH.read_text(encoding="utf-8"))
PERSONAL_DATA = frozenset(name for name, object_type in MARKS.objects.items() if object_type.personal_data)


def audience_of(type_name: str, field_name: str) -> Audience:
    """The audience schema.graphql prints for the field."""
    return Audience(MARKS.objects[type_name].fields[field_name].audience)


# The roles ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Role:
    """Who asks: ``user`` names the cast member (None: anonymous); with ``scopes`` the request
    carries a bearer token of that user with those scopes instead of a session; ``blocked_by``
    names the cast member who blocked them."""

    name: str
    user: str | None
    scopes: frozenset[str] | None = None
    blocked_by: str | None = None


ROLES: tuple[Role, ...] = (
    Role("anonymous", None),
    Role("viewer", "viewer"),
    Role("another viewer", "other_viewer"),
    Role("creator", "creator"),
    Role("delegated manager", "manager"),
    Role("blocked viewer", "blocked_viewer", blocked_by="creator"),
    *(
        Role(f"token {scope}", "creator" if scope == Scope.INSIGHTS_READ else "viewer", frozenset({scope.value}))
        for scope in Scope
    ),
)


@dataclass
class Cast:
    """The API tests' ``World``, a manager the creator delegated the public video's insights to
    (through the delegation service), a comment, a hashtag of a public video, a viewer who
    followed the creator until the creator blocked them, the creator's insights export (asked
    for, its job not run: a link, which names its time of issue, would differ between the
    twinned answers), and one bearer token per token role."""

    world: World
    manager: User
    comment: Comment
    hashtag: Hashtag
    blocked_viewer: User
    export: InsightsExport
    tokens: dict[str, str] = field(default_factory=dict)

    def user(self, name: str | None) -> User | None:
        if name is None:
            return None
        return {"manager": self.manager, "blocked_viewer": self.blocked_viewer}.get(name) or self.world.user(name)


YESTERDAY = (datetime.now(UTC) - timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)


# The privacy floors lowered to one person, the noise turned off (the geographic releases' too)
# and periods shortened to a day, for this module only: their effect is analytics' tests'.
FLOORS_OF_ONE = {
    "PRIVACY_MIN_AUDIENCE": 1,
    "PRIVACY_MIN_BUCKET": 1,
    "PRIVACY_EPSILON": math.inf,
    "PRIVACY_GEO_EPSILON": math.inf,
    "PRIVACY_PERIOD_DAYS": 1,
    "INSIGHTS_FINALIZE_AFTER_SECONDS": 0,
}


@pytest.fixture(scope="module", autouse=True)
def _floors_of_one() -> Iterator[None]:
    with override_settings(**FLOORS_OF_ONE):
        yield


def _lived_through_yesterday(members: list[User]) -> None:
    """Give each member the history their own insights read, so that every insights field has
    data for the roles allowed to read it: a business account (the type that reads every insights
    field, save analytics included; what personal and creator accounts are refused is
    tests/api/test_account_type.py's), a video posted yesterday that a fan (who follows them)
    viewed and saved (a fan of a declared country and region, so the breakdowns by region and the
    viewers of a country have them), and enough anonymous people watched to rank it by rate, and
    yesterday and today rolled up."""
    fan = _fan_counted_on(YESTERDAY.date())
    User.objects.filter(pk__in=[member.pk for member in members]).update(account_type=AccountType.BUSINESS)
    for member in members:
        video = make_video(member, caption=f"{member.username}'s diary")
        make_follow(fan, member)
        services.view_record(actor=fan, video_id=video.pk, watched_seconds=30, traffic_source="PROFILE")
        services.favorite_add(actor=fan, video_id=video.pk)
        View.objects.bulk_create(
            View(video=video, watched_seconds=5, traffic_source="FOR_YOU", created_at=YESTERDAY)
            for _ in range(RATE_MIN_VIEWS)
        )
        Video.objects.filter(pk=video.pk).update(created_at=YESTERDAY)
    Follow.objects.filter(follower=fan).update(created_at=YESTERDAY)
    View.objects.filter(viewer=fan).update(created_at=YESTERDAY)
    Favorite.objects.filter(user=fan).update(created_at=YESTERDAY)
    rollup_day(YESTERDAY.date())
    rollup_day(datetime.now(UTC).date())


def _fan_counted_on(day: date) -> User:
    """A new account for whom ``day`` is the weekday its (one-day) period draws, so that the
    weekday hours count them and the best times to post have one (``designated_weekday``)."""
    period = Period.of(day)
    fans = (make_user(f"fan{n}", country="FR", region="FR-75C", birth_year=1990, gender="FEMALE") for n in count())
    return next(fan for fan in fans if designated_weekday(period, fan.pk) == day.weekday())


def _signed_in(user: User | None) -> User:
    assert user is not None, "a token belongs to a member of the cast"
    return user


@pytest.fixture(scope="module")
def _cast_of_the_module(_floors_of_one: None, _world_of_the_module: World, module_data: ModuleData) -> Cast:
    return module_data.build(lambda: _assemble_cast(_world_of_the_module))


@pytest.fixture
def cast(_cast_of_the_module: Cast, db: None) -> Cast:
    """Built once for the module; each test has its own copy and its writes are rolled back."""
    return copy_for_test(_cast_of_the_module)


def _assemble_cast(world: World) -> Cast:
    manager = make_user("manager")
    services.insights_access_grant(actor=world.creator, username="manager", video_id=world.public_video.pk)
    comment = services.comment_create(actor=world.other_viewer, video_id=world.public_video.pk, text="first")
    make_video(world.creator, caption="Tagged #sample")
    blocked_viewer = make_user("blocked_viewer")
    services.follow(actor=blocked_viewer, username="creator")
    account_services.user_block(actor=world.creator, username="blocked_viewer")
    matrix_cast = Cast(
        world=world,
        manager=manager,
        comment=comment,
        hashtag=Hashtag.objects.get(name="sample"),
        blocked_viewer=blocked_viewer,
        export=InsightsExport.objects.create(
            owner=world.creator,
            first_day=YESTERDAY.date(),
            last_day=YESTERDAY.date(),
            expires_at=datetime.now(UTC) + timedelta(days=1),
        ),
    )
    # Watched yesterday too, by a viewer of a declared country and region, so that the public
    # video's retention curve, its regions and its viewers of a country have points to check.
    User.objects.filter(pk=world.other_viewer.pk).update(country="FR", region="FR-75C")
    view = services.view_record(
        actor=world.other_viewer, video_id=world.public_video.pk, watched_seconds=30, traffic_source="FOR_YOU"
    )
    View.objects.filter(pk=view.pk).update(created_at=YESTERDAY)
    members = sorted({role.user for role in ROLES if role.user is not None})
    _lived_through_yesterday([matrix_cast.user(member) for member in members])  # type: ignore[misc]
    for member in members:  # an instance of Me.accessTokens each
        access_token_create(actor=_signed_in(matrix_cast.user(member)), name="script", scopes=[Scope.PROFILE_READ])
    for role in ROLES:
        if role.scopes is not None:
            actor = _signed_in(matrix_cast.user(role.user))
            _, raw = access_token_create(actor=actor, name=role.name, scopes=sorted(role.scopes))
            matrix_cast.tokens[role.name] = raw
    return matrix_cast


def client_of(gql: Any, cast: Cast, role: Role) -> Callable[..., GraphQLResponse]:
    """A client acting as ``role``: a session, or a bearer token and no session at all."""
    if role.scopes is None:
        session: Callable[..., GraphQLResponse] = gql(cast.user(role.user))
        return session
    client = gql(None)
    token = cast.tokens[role.name]
    return lambda query, variables=None: client(query, variables, Authorization=f"Bearer {token}")


# How to reach an instance of each type ----------------------------------------------------------

# A sample per Node type and the cast member it belongs to. Public samples are visible to every
# role; a personal-data sample only to its owner. The User sample shows its likes to everyone, so
# its PUBLIC ``likedVideos`` is open by the subject's own choice (the ONLY_ME case: test_roles.py).
NODE_SAMPLES: dict[str, Callable[[Cast], tuple[Any, str]]] = {
    "User": lambda c: (c.world.other_viewer, "other_viewer"),
    "Video": lambda c: (c.world.public_video, "creator"),
    "Comment": lambda c: (c.comment, "other_viewer"),
    "Favorite": lambda c: (c.world.favorite, "viewer"),
    "FavoriteCollection": lambda c: (c.world.collection, "viewer"),
    "Notification": lambda c: (c.world.like_notification, "creator"),
    "Hashtag": lambda c: (c.hashtag, "creator"),
    "InsightsExport": lambda c: (c.export, "creator"),
}
ROOT = "(root)"
SELF_OWNER = "(the role itself)"
# Whose content a sample sits in besides its owner's: a comment is on the creator's video.
SAMPLE_HOSTS = {"Comment": "creator"}


def hidden_by_block(role: Role, sample_type: str, cast: Cast) -> bool:
    """Whether the sample is its blocker's, or sits in their content: not the role's to see at all."""
    _, owner = NODE_SAMPLES[sample_type](cast)
    return role.blocked_by is not None and role.blocked_by in (owner, SAMPLE_HOSTS.get(sample_type))


def names_content_of(cast: Cast, person: str, values: dict[str, Any]) -> bool:
    """Whether a mutation's input names ``person`` (their username), one of their videos or a
    comment by them or on their videos (a global ID)."""
    user = cast.user(person)
    comments = Comment.objects.filter(Q(author=user) | Q(video__owner=user))
    named = {user.username if user else "", *map(gid, Video.objects.filter(owner=user)), *map(gid, comments)}
    return bool(named & {value for value in values.values() if isinstance(value, str)})


def _literal(value: Any) -> str:
    return json.dumps(value)


def argument_literal(name: str, type_: GraphQLInputType, cast: Cast) -> str:
    """A value for a required argument: the sample for ``id``/``username``, a country code for
    ``country``, else one by type."""
    named = get_named_type(type_)
    if name in SAMPLE_NAMED_ARGUMENTS:
        return SAMPLE_NAMED_ARGUMENTS[name]
    if name == "username":
        sample, _ = NODE_SAMPLES["User"](cast)
        return _literal(sample.username)
    if name == "id":
        sample, _ = NODE_SAMPLES["Video"](cast)
        return _literal(gid(sample))
    if isinstance(named, GraphQLEnumType):
        return next(iter(named.values))
    today = datetime.now(UTC)
    if named.name == "Date" and name == "from":
        return _literal(YESTERDAY.date().isoformat())  # the cast's history starts yesterday
    by_scalar = {
        "Date": _literal(today.date().isoformat()),
        "DateTime": _literal(today.isoformat()),
        "Int": "1",
        "Float": "1.0",
        "Boolean": "true",
        "String": _literal("x"),
    }
    assert isinstance(named, GraphQLScalarType) and named.name in by_scalar, f"no value for argument {name}"
    return by_scalar[named.name]


def _fillable(argument_name: str, graphql_field: GraphQLField) -> bool:
    named = get_named_type(graphql_field.args[argument_name].type)
    return argument_name in ("id", "username") or named.name != "ID"


def _given(argument: Any) -> bool:
    """Required arguments, and optional enum ones (such as an overview's ``compareTo``): what the
    choice adds is reached too."""
    return is_required_argument(argument) or isinstance(get_named_type(argument.type), GraphQLEnumType)


def arguments(graphql_field: GraphQLField, cast: Cast) -> str:
    given = [(n, a) for n, a in graphql_field.args.items() if _given(a)]
    if not given:
        return ""
    return "(" + ", ".join(f"{n}: {argument_literal(n, a.type, cast)}" for n, a in given) + ")"


def field_call(type_name: str, field_name: str, cast: Cast) -> str:
    """The field with its required arguments filled in."""
    return f"{field_name}{arguments(object_type(type_name).fields[field_name], cast)}"


def selection(type_name: str, field_name: str, cast: Cast) -> str:
    text = field_call(type_name, field_name, cast)
    composite = is_composite_type(get_named_type(object_type(type_name).fields[field_name].type))
    return f"{text} {{ __typename }}" if composite else text


def object_type(type_name: str) -> GraphQLObjectType:
    graphql_type = SDL.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType), type_name
    return graphql_type


@dataclass(frozen=True)
class Hop:
    """One field on the way to an instance; ``keys`` lead from its value to the next object
    (``edges, 0, node`` through a connection, ``0`` into a list)."""

    parent: str
    field: str
    keys: tuple[str | int, ...] = ()


@dataclass(frozen=True)
class Anchor:
    hops: tuple[Hop, ...]
    owner: str | None  # whose object the root hop leads to (SELF_OWNER through ``me``)
    node_type: str | None = None  # set for a ``node(id:)`` lookup of a sample


def _edges_from(type_name: str) -> list[tuple[Hop, str]]:
    out = []
    for name, graphql_field in object_type(type_name).fields.items():
        target = get_named_type(graphql_field.type)
        if not isinstance(target, GraphQLObjectType):
            continue
        if not all(_fillable(a, graphql_field) for a, arg in graphql_field.args.items() if is_required_argument(arg)):
            continue
        keys: tuple[str | int, ...] = (0,) if is_list_type(get_nullable_type(graphql_field.type)) else ()
        if target.name.endswith("Connection"):
            edge = get_named_type(target.fields["edges"].type)
            assert isinstance(edge, GraphQLObjectType)
            target = get_named_type(edge.fields["node"].type)
            keys = ("edges", 0, "node")
        if isinstance(target, GraphQLObjectType) and not is_plumbing(target.name):
            out.append((Hop(type_name, name, keys), target.name))
    return out


def _root_owner(first_hop: Hop) -> str | None:
    if first_hop.field == "me":
        return SELF_OWNER
    target = get_named_type(object_type("Query").fields[first_hop.field].type).name
    return target if target in NODE_SAMPLES else None  # resolved to the sample's owner later


def find_anchors() -> dict[str, Anchor]:
    """An anchor for every object type reachable from Query, payloads and plumbing aside."""
    anchors: dict[str, Anchor] = {"Query": Anchor(hops=(), owner=ROOT)}
    paths: dict[str, tuple[Hop, ...]] = {"Query": ()}
    queue = deque(["Query"])
    while queue:
        current = queue.popleft()
        for hop, target in _edges_from(current):
            if target not in paths:
                paths[target] = (*paths[current], hop)
                queue.append(target)
    for name, hops in paths.items():
        if name == "Query":
            continue
        if "Node" in [interface.name for interface in object_type(name).interfaces]:
            anchors[name] = Anchor(hops=(Hop("Query", "node"),), owner=None, node_type=name)
        else:
            anchors[name] = Anchor(hops=hops, owner=_root_owner(hops[0]))
    return anchors


ANCHORS = find_anchors()


def reachable_from(root: str) -> set[str]:
    """The object types reachable from ``root``, itself included, payloads and plumbing aside."""
    seen, queue = {root}, deque([root])
    while queue:
        for _, target in _edges_from(queue.popleft()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


# Reached from the Subscription root alone, over WebSocket: every field of them by every role, on
# both engines, in tests/api/test_live_role_matrix.py.
LIVE_ONLY_TYPES = frozenset(reachable_from("Subscription") - set(ANCHORS))


# What each role should get -------------------------------------------------------------------------

OK, NULL, DENIED = "data", "null (not found)", "denied"


@dataclass(frozen=True)
class Outcome:
    kind: str
    at: int = 0  # index of the edge (hop, or the field itself) where it happens
    code: str | None = None
    by_scope: bool = False  # refused for the token's scopes, not for the audience


def lacks_scope(role: Role, required: TokenScopes) -> bool:
    """Whether a token role's scopes miss what a field asks of tokens (sessions are not scoped)."""
    if role.scopes is None:
        return False
    return required is SESSION_ONLY or bool(required and not role.scopes & {scope.value for scope in required})


def edge_outcome(role: Role, parent: str, field_name: str, owner: str | None, *, delegated: bool) -> Outcome:
    """What ``role`` gets for one field of a visible object owned by ``owner``."""
    audience = audience_of(parent, field_name)
    if lacks_scope(role, field_spec(parent, field_name).token_scopes):
        return Outcome(DENIED, code=ErrorCode.FORBIDDEN, by_scope=True)
    if audience is Audience.PUBLIC:
        return Outcome(OK)
    if audience is Audience.SELF and owner == ROOT:
        return Outcome(NULL) if role.user is None else Outcome(OK)  # ``me``: the role's own, or null
    if role.user is None:
        return Outcome(DENIED, code=ErrorCode.UNAUTHENTICATED)
    if audience is Audience.AUTHENTICATED:
        return Outcome(OK)
    if audience is Audience.SELF and role.user == owner:
        return Outcome(OK)
    if audience is Audience.OWNER_AGGREGATE and (role.user == owner or (delegated and role.user == "manager")):
        return Outcome(OK)
    return Outcome(DENIED, code=ErrorCode.FORBIDDEN)


def expected(role: Role, anchor: Anchor, type_name: str, field_name: str, cast: Cast) -> Outcome:
    """The first refusal on the way to ``type_name.field_name``, or data."""
    owner: str | None
    edges: list[tuple[str, str, str | None]]
    if anchor.node_type is not None:
        _, owner = NODE_SAMPLES[anchor.node_type](cast)
        if not token_may_read_type(role.scopes, anchor.node_type):
            return Outcome(NULL)  # a type the token's scopes cannot read: not even its __typename
        if anchor.node_type in PERSONAL_DATA and role.user != owner:
            return Outcome(NULL)  # someone else's private row: exactly like a missing id
        if hidden_by_block(role, anchor.node_type, cast):
            return Outcome(NULL)  # across a block: exactly like a missing id
        edges = [("Query", "node", ROOT), (type_name, field_name, owner)]
        delegated = anchor.node_type == "Video"
    else:
        owner = anchor.owner
        if owner in NODE_SAMPLES:
            if hidden_by_block(role, owner, cast):
                return Outcome(NULL)  # the root answers null, as for a missing id
            _, owner = NODE_SAMPLES[owner](cast)
        if owner == SELF_OWNER:
            owner = role.user
        edges = [(hop.parent, hop.field, ROOT if index == 0 else owner) for index, hop in enumerate(anchor.hops)]
        edges.append((type_name, field_name, ROOT if not anchor.hops else owner))
        delegated = bool(anchor.hops) and anchor.hops[0].field == "video"
    for index, (parent, name, parent_owner) in enumerate(edges):
        outcome = edge_outcome(role, parent, name, parent_owner, delegated=delegated)
        if outcome.kind != OK:
            return Outcome(outcome.kind, at=index, code=outcome.code, by_scope=outcome.by_scope)
    return Outcome(OK, at=len(edges) - 1)


def document(anchor: Anchor, type_name: str, field_names: list[str], cast: Cast) -> str:
    inner = " ".join(selection(type_name, name, cast) for name in field_names)
    if anchor.node_type is not None:
        sample, _ = NODE_SAMPLES[anchor.node_type](cast)
        return f"query {{ node(id: {_literal(gid(sample, anchor.node_type))}) {{ ... on {type_name} {{ {inner} }} }} }}"
    for hop in reversed(anchor.hops):
        for key in reversed(hop.keys):
            if isinstance(key, str):
                inner = f"{key} {{ {inner} }}"
        inner = f"{field_call(hop.parent, hop.field, cast)} {{ {inner} }}"
    return f"query {{ {inner} }}"


def edge_paths(anchor: Anchor, field_name: str) -> list[tuple[str | int, ...]]:
    """The response path of each edge: the hops, then the field itself."""
    paths: list[tuple[str | int, ...]] = []
    current: tuple[str | int, ...] = ()
    for hop in anchor.hops:
        current = (*current, hop.field)
        paths.append(current)
        current = (*current, *hop.keys)
    paths.append((*current, field_name))
    return paths


def value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        if data is None:
            return None
        if isinstance(key, int):
            assert isinstance(data, list), (path, data)
            assert data, f"an empty list on {path}: the cast has no instance to check there"
        data = data[key]
    return data


def response_errors(response: GraphQLResponse) -> dict[tuple[str | int, ...], str]:
    assert response.status == 200, response.body
    errors = {tuple(error.get("path") or ()): error["extensions"]["code"] for error in response.errors}
    assert ErrorCode.INTERNAL not in errors.values(), response.body
    return errors


def check_cell(response: GraphQLResponse, outcome: Outcome, paths: list[tuple[str | int, ...]], where: str) -> None:
    errors = response_errors(response)
    path = paths[outcome.at]
    if outcome.kind == OK:
        parent = value_at(response.data, path[:-1])
        assert isinstance(parent, dict), f"{where}: no object at {path[:-1]}: {response.body}"
        assert path[-1] in parent, f"{where}: {response.body}"
        assert not [p for p in errors if p[: len(path)] == path], f"{where}: {response.body}"
    elif outcome.kind == NULL:
        assert value_at(response.data, path) is None, f"{where}: {response.body}"
        assert errors == {}, f"{where}: a hidden object is null without an error: {response.body}"
    else:
        assert errors.get(path) == outcome.code, f"{where}: expected {outcome.code} at {path}: {response.body}"
        assert value_at(response.data, path) is None
        if not outcome.by_scope:  # a token's missing scope may null a whole object: that is the design
            parent = value_at(response.data, path[:-1]) if len(path) > 1 else response.data
            assert parent is not None, f"{where}: a field refused by audience must be nullable, or it nulls its parent"


# The matrix -----------------------------------------------------------------------------------------

MATRIX_TYPES = sorted(ANCHORS)


def test_the_matrix_covers_every_object_type_of_the_schema() -> None:
    """Every object type but the roots' payloads, the Relay plumbing and what only subscriptions
    reach (their own matrix) has an anchor, so no field escapes the matrix; every Node type has a
    sample."""
    data_types = {
        name
        for name, graphql_type in SDL.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType)
        and not name.startswith("__")
        and not is_plumbing(name)
        and not name.endswith("Payload")
        and name != "Mutation"
        and name not in LIVE_ONLY_TYPES
    }

    assert data_types == set(ANCHORS), "a type no query reaches: give it a path or a sample"
    assert {name for name, anchor in ANCHORS.items() if anchor.node_type} <= set(NODE_SAMPLES)


def test_every_field_by_every_role(gql: Any, cast: Cast, subtests: pytest.Subtests) -> None:
    """Given an instance of each type reachable by the roles that may see it, when each role
    selects every field of the type, then each field gets what its audience documents. (One cast
    for the whole matrix: these requests change nothing. One subtest per type and role.)"""
    clients = {role.name: client_of(gql, cast, role) for role in ROLES}
    for type_name, role in ((type_name, role) for type_name in MATRIX_TYPES for role in ROLES):
        anchor = ANCHORS[type_name]
        field_names = list(object_type(type_name).fields)
        last = len(anchor.hops)
        with subtests.test(type=type_name, role=role.name):
            outcomes = {name: expected(role, anchor, type_name, name, cast) for name in field_names}
            # One request for all fields, unless a refused non-null field would null its siblings.
            refused_non_null = any(
                o.kind == DENIED and o.at == last and is_non_null_type(object_type(type_name).fields[name].type)
                for name, o in outcomes.items()
            )
            batches = [[name] for name in field_names] if refused_non_null else [field_names]
            for batch in batches:
                response = clients[role.name](document(anchor, type_name, batch, cast))

                refused = set()
                for name in batch:
                    paths = edge_paths(anchor, name)
                    check_cell(response, outcomes[name], paths, f"{type_name}.{name} as {role.name}")
                    if outcomes[name].kind == DENIED:
                        refused.add(paths[outcomes[name].at])
                assert set(response_errors(response)) == refused, response.body


def _same_for_any_request(value: Any) -> Any:
    """An answer without what differs from one request to the next: each error's request id and
    the moment ``Me.export`` was made."""
    if isinstance(value, list):
        return [_same_for_any_request(item) for item in value]
    if not isinstance(value, dict):
        return value
    return {key: _same_for_any_request(item) for key, item in value.items() if key not in ("requestId", "exportedAt")}


# Each request spends the budget that the next one reads: two answers never agree on it.
PER_REQUEST_TYPES = frozenset({"RateLimit"})


def test_both_engines_answer_every_matrix_document_alike(cast: Cast, subtests: pytest.Subtests) -> None:
    """Given the matrix's documents (every field of every type, by every role), when each is sent
    to both endpoints, then the two answers are the same JSON: data, errors, messages, paths and
    codes (each error's request id aside). Other behaviour tests run on strawberry alone."""
    engines = {
        engine: {role.name: client_of(client_maker(endpoint), cast, role) for role in ROLES}
        for engine, endpoint in ENDPOINTS.items()
    }
    compared = [type_name for type_name in MATRIX_TYPES if type_name not in PER_REQUEST_TYPES]
    for type_name, role in ((type_name, role) for type_name in compared for role in ROLES):
        query = document(ANCHORS[type_name], type_name, list(object_type(type_name).fields), cast)
        with subtests.test(type=type_name, role=role.name):
            answers = {engine: clients[role.name](query) for engine, clients in engines.items()}

            strawberry, graphene = (answers[engine] for engine in ("strawberry", "graphene"))
            assert strawberry.status == graphene.status
            assert _same_for_any_request(strawberry.body) == _same_for_any_request(graphene.body)


# Mutations: every one by every role ----------------------------------------------------------------

MUTATION_FIELDS = sorted(object_type("Mutation").fields)
ALLOWED_REFUSALS = {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND, ErrorCode.BAD_USER_INPUT}


def private_canaries(world: World, role: Role) -> list[str]:
    """The viewers' private rows that no other role's response may contain."""
    secrets = {
        "viewer": [gid(world.favorite), gid(world.collection), world.collection.name],
        "other_viewer": [gid(world.other_favorite), gid(world.other_collection), world.other_collection.name],
    }
    return [secret for owner, values in secrets.items() if owner != role.user for secret in values]


def mutation_document(name: str, cast: Cast) -> str:
    payload = get_named_type(object_type("Mutation").fields[name].type).name
    fields = " ".join(selection(payload, field_name, cast) for field_name in object_type(payload).fields)
    return f"mutation($input: {name[0].upper()}{name[1:]}Input!) {{ {name}(input: $input) {{ {fields} }} }}"


def payload_scope_refusals(role: Role, name: str, payload: str) -> dict[tuple[str | int, ...], str]:
    """The payload fields a token role's scopes do not reach (their own token rule is stricter
    than the mutation's): each is null with FORBIDDEN, its siblings unaffected."""
    return {
        (name, field_name): ErrorCode.FORBIDDEN
        for field_name in object_type(payload).fields
        if lacks_scope(role, field_spec(payload, field_name).token_scopes)
    }


def test_every_mutation_by_every_role(gql: Any, cast: Cast, subtests: pytest.Subtests) -> None:
    """Given a valid call of each mutation, when each role makes it (each from the same starting
    state: a savepoint rolled back after), then the role it is meant for gets every payload field
    (but those its token's scopes do not reach, refused one by one); an anonymous caller or a token
    without the scope gets the documented denial; another signed-in role gets data about its own
    doing or a documented refusal, and never anything of another viewer's private rows. A call
    naming what a block hides from the role is NOT_FOUND, as if it did not exist."""
    for name, role in ((name, role) for name in MUTATION_FIELDS for role in ROLES):
        case = MUTATION_CASES[name]
        query = mutation_document(name, cast)
        payload = get_named_type(object_type("Mutation").fields[name].type).name
        with subtests.test(mutation=name, role=role.name), transaction.atomic():
            values = case.input(cast.world)
            response = client_of(gql, cast, role)(query, {"input": values})

            outcome = edge_outcome(role, "Mutation", name, ROOT, delegated=False)
            text = json.dumps(response.body)
            assert [secret for secret in private_canaries(cast.world, role) if secret in text] == []
            refusals = payload_scope_refusals(role, name, payload)
            if outcome.kind == DENIED:
                check_cell(response, outcome, [(name,)], f"{name} as {role.name}")
            elif role.blocked_by is not None and names_content_of(cast, role.blocked_by, values):
                assert response_errors(response) == {(name,): ErrorCode.NOT_FOUND}, f"{name}: {response.body}"
                assert len(response.errors) == 1, response.body
            elif role.user == case.actor:
                assert response_errors(response) == refusals, f"{name} as {role.name}: {response.body}"
                assert len(response.errors) == len(refusals), response.body
                assert set(response.data[name]) == set(object_type(payload).fields)
                assert all(response.data[name][field_name] is None for _, field_name in refusals)
            else:
                errors = response_errors(response)
                assert (errors in ({}, refusals) and len(response.errors) == len(errors)) or (
                    len(response.errors) == 1 and errors.get((name,)) in ALLOWED_REFUSALS
                ), f"{name} as {role.name}: {response.body}"
            transaction.set_rollback(True)
