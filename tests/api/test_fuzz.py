"""The fuzzer: hypothesis-graphql writes queries and mutations from ``schema.graphql``, and an
attacker runs them against both engines, where a victim with a private account has favorites in
a named collection, private likes, private videos and notifications.

Whatever the attacker sends (as a creator whose video the victim saved, anonymously, or with a
token of every scope), no response may contain a victim canary: the victim's username (unless
the attacker typed it), the global and raw ids of their favorites, collection and notification,
their collection's name or their private captions. No response is a 5xx, and no error is
INTERNAL. IDs and strings are drawn from pools that include every victim id, so the generated
operations do aim at the victim's rows.

Each example runs in a savepoint rolled back afterwards, so each starts from the same database.
The bounded run is part of ``make test``; ``make fuzz`` sets ``FUZZ_EXAMPLES`` for a long one.
"""

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from graphql_relay import to_global_id
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, nodes, queries

from accounts.models import User
from accounts.scopes import Scope
from accounts.tokens import access_token_create
from engagement import services
from engagement.counters import counters_repair
from engagement.models import Favorite, FavoriteCollection, Notification, NotificationKind, Visibility
from engagement.services import follow
from kernel.errors import ErrorCode
from tests.api.cases import SCHEMA_PATH
from tests.api.conftest import ENDPOINTS, GraphQLClient, gid
from tests.factories import make_user, make_video

# On each engine, every request answered with the speed-ups off and on too (tests/api/speedups_twin.py).
pytestmark = [pytest.mark.differential, pytest.mark.both_engines]

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "75"))
SDL_TEXT = SCHEMA_PATH.read_text(encoding="utf-8")

VICTIM = "vict1m.canary"
COLLECTION_NAME = "canary-nest-4471"
PRIVATE_CAPTION = "canary-caption-private-9913"
FOLLOWERS_CAPTION = "canary-caption-followers-5527"
# Distinctive primary keys, so a raw id in a response can only be the victim's row.
FAVORITE_PKS = (7_390_112_231, 7_390_112_232)
COLLECTION_PK = 6_118_004_417
NODE_TYPES = (
    "User",
    "Video",
    "Comment",
    "Favorite",
    "FavoriteCollection",
    "Notification",
    "AccessToken",
    "InsightsExport",
)


@dataclass
class Battlefield:
    victim: User
    attacker: User
    token: str
    always_secret: list[str]  # never in any response to the attacker
    unless_typed: dict[str, list[str]]  # secret -> what, typed in the request, makes it a public answer
    ids: list[str]
    strings: list[str]


@pytest.fixture
def battlefield(db: None) -> Battlefield:
    victim = make_user(VICTIM, is_private=True, country="FR")
    attacker, bystander = make_user("attacker"), make_user("bystander")
    attacker_video = make_video(attacker, caption="attacker's")
    bystander_video = make_video(bystander, caption="bystander's")
    private_video = make_video(victim, visibility=Visibility.PRIVATE, caption=PRIVATE_CAPTION)
    followers_video = make_video(victim, caption=FOLLOWERS_CAPTION)  # PUBLIC, on a private account

    collection = FavoriteCollection.objects.create(pk=COLLECTION_PK, owner=victim, name=COLLECTION_NAME)
    favorites = [
        Favorite.objects.create(pk=FAVORITE_PKS[0], user=victim, video=attacker_video, collection=collection),
        Favorite.objects.create(pk=FAVORITE_PKS[1], user=victim, video=bystander_video),
    ]
    counters_repair(video_ids=[attacker_video.pk, bystander_video.pk])
    services.like_add(actor=victim, video_id=bystander_video.pk)  # liked videos: ONLY_ME
    follow(actor=bystander, username=VICTIM)  # a pending request: a notification of the victim's
    notification = Notification.objects.get(recipient=victim, kind=NotificationKind.FOLLOW_REQUEST)
    own_collection = services.collection_create(actor=attacker, name="mine")
    services.favorite_add(actor=attacker, video_id=bystander_video.pk, collection_id=own_collection.pk)
    _, token = access_token_create(actor=attacker, name="everything", scopes=list(Scope.values))

    secret_ids = [gid(f) for f in favorites] + [gid(collection), gid(notification)]
    return Battlefield(
        victim=victim,
        attacker=attacker,
        token=token,
        always_secret=[*secret_ids, COLLECTION_NAME, PRIVATE_CAPTION, FOLLOWERS_CAPTION],
        # The username is on the public profile: an answer when the attacker asked for it by name
        # or by the profile's ID, a leak otherwise. Raw ids are a leak unless merely echoed.
        unless_typed={
            VICTIM: [VICTIM, gid(victim, "User")],
            **{str(pk): [str(pk)] for pk in (*FAVORITE_PKS, COLLECTION_PK)},
        },
        ids=[
            *secret_ids,
            gid(private_video),
            gid(followers_video),
            gid(victim, "User"),
            gid(attacker_video),
            gid(bystander_video),
            gid(own_collection),
        ],
        strings=[VICTIM, "attacker", "bystander", f"@{VICTIM} hi", "", "x" * 80, "\x00"],
    )


def scalars(field: Battlefield) -> dict[str, st.SearchStrategy[Any]]:
    """Values aimed at the victim: every victim id and username in the pools, and noise around."""
    any_global_id = st.builds(to_global_id, st.sampled_from(NODE_TYPES), st.integers(-3, 10**13).map(str))
    ids = st.one_of(st.sampled_from(field.ids), any_global_id, st.text(max_size=16))
    strings = st.one_of(st.sampled_from(field.strings), st.text(max_size=24))
    return {
        "ID": ids.map(nodes.String),
        "String": strings.map(nodes.String),
        "Date": st.dates(min_value=date(1999, 1, 1), max_value=date(2100, 12, 31)).map(nodes.String),
    }


def attackers(gql_engine: str, field: Battlefield) -> dict[str, GraphQLClient]:
    session = GraphQLClient(endpoint=ENDPOINTS[gql_engine]).sign_in(field.attacker)
    return {"session": session, "anonymous": GraphQLClient(endpoint=ENDPOINTS[gql_engine]), "token": session}


def send(client: GraphQLClient, who: str, field: Battlefield, operation: str) -> tuple[int, str]:
    """POST the operation as ``who``; the status and the raw body (a 5xx need not be JSON)."""
    headers = {"X-CSRFToken": client._csrf()}
    if who == "token":
        headers = {"Authorization": f"Bearer {field.token}"}
    cookies = {key: morsel.value for key, morsel in client.http.cookies.items()}
    try:
        if who == "token":
            client.http.cookies.clear()  # the token alone: no session rides along
        response = client.http.post(
            client.endpoint, data=json.dumps({"query": operation}), content_type="application/json", headers=headers
        )
    finally:  # a generated logOut, logIn or signUp must not change who the next example is
        client.http.cookies.clear()
        for key, value in cookies.items():
            client.http.cookies[key] = value
    return response.status_code, response.content.decode(errors="replace")


def verdict(field: Battlefield, operation: str, status: int, body: str) -> list[str]:
    """Everything wrong with one answer; empty when it is fine."""
    problems = []
    if status >= 500:
        problems.append(f"HTTP {status}")
    try:
        codes = [error.get("extensions", {}).get("code") for error in json.loads(body).get("errors") or []]
    except ValueError:
        codes = ["(not JSON)"]
    if ErrorCode.INTERNAL in codes or "(not JSON)" in codes:
        problems.append(f"error codes {codes}")
    problems += [f"leaked {secret!r}" for secret in field.always_secret if secret in body]
    problems += [
        f"leaked {secret!r}"
        for secret, typed in field.unless_typed.items()
        if secret in body and not any(value in operation for value in typed)
    ]
    return problems


def run_fuzz(engine: str, field: Battlefield, operations: Callable[..., st.SearchStrategy[str]]) -> int:
    clients = attackers(engine, field)
    seen = 0

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(operation=operations(SDL_TEXT, custom_scalars=scalars(field)), who=st.sampled_from(sorted(clients)))
    def attack(operation: str, who: str) -> None:
        nonlocal seen
        seen += 1
        cache.clear()  # budgets and throttles would soon refuse everything: not what is tested here
        with transaction.atomic():
            status, body = send(clients[who], who, field, operation)
            transaction.set_rollback(True)
        note(f"as {who}: {operation}\n-> {status} {body[:2000]}")
        assert verdict(field, operation, status, body) == []

    attack()
    return seen


@pytest.mark.parametrize("kind", ["queries", "mutations"])
def test_generated_operations_never_leak_the_victim_nor_fail(engine: str, battlefield: Battlefield, kind: str) -> None:
    """Given the victim's private rows, when the attacker sends operations generated from the
    schema, then no answer names the victim's rows, is a 5xx or carries an INTERNAL error."""
    operations = queries if kind == "queries" else mutations

    examples = run_fuzz(engine, battlefield, operations)

    assert examples >= min(FUZZ_EXAMPLES, 20)


def test_the_verdict_catches_each_kind_of_failure(battlefield: Battlefield) -> None:
    """The checker the fuzzer relies on is not blind: a leaked favorite id, a collection name, a
    raw id nobody typed, an INTERNAL error and a 500 are each reported; a username the attacker
    typed is not a leak."""
    ok = json.dumps({"data": {"user": {"username": VICTIM}}})
    assert verdict(battlefield, f'{{ user(username: "{VICTIM}") {{ username }} }}', 200, ok) == []
    by_id = f'{{ node(id: "{gid(battlefield.victim, "User")}") {{ ... on User {{ username }} }} }}'
    assert verdict(battlefield, by_id, 200, ok) == []
    leaks = {
        "favorite id": json.dumps({"data": {"node": {"id": battlefield.always_secret[0]}}}),
        "collection name": json.dumps({"data": {"x": COLLECTION_NAME}}),
        "raw id": json.dumps({"data": {"x": FAVORITE_PKS[0]}}),
        "username": json.dumps({"data": {"actor": {"username": VICTIM}}}),
        "internal": json.dumps({"data": None, "errors": [{"extensions": {"code": "INTERNAL"}}]}),
    }
    for label, body in leaks.items():
        assert verdict(battlefield, "{ me { id } }", 200, body) != [], label
    assert verdict(battlefield, "{ me { id } }", 500, "<html>") != []
