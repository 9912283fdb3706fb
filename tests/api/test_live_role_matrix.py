"""The role matrix of what only subscriptions reach (``LIVE_ONLY_TYPES`` of the role matrix): every
field of the Subscription root and of what it returns, selected by every role of the matrix, on
both engines, over WebSocket. Each role gets what the field's audience and token rule document
(the matrix's own ``edge_outcome``), with one difference the schema states: where a signed-out
``Query.me`` is null, a signed-out subscription is refused UNAUTHENTICATED."""

from typing import Any

import pytest
from channels.db import database_sync_to_async
from graphql import get_named_type

from accounts.models import User
from accounts.tokens import access_token_create
from engagement import services
from tests.api.test_role_matrix import (
    LIVE_ONLY_TYPES,
    NULL,
    OK,
    ROLES,
    ROOT,
    Role,
    edge_outcome,
    object_type,
    selection,
)
from tests.factories import make_user, make_video
from tests.websockets import ENDPOINTS, Socket, run, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

SUBSCRIPTION = "Subscription"
FIELDS = {
    name: get_named_type(graphql_field.type).name for name, graphql_field in object_type(SUBSCRIPTION).fields.items()
}


def document(field_name: str) -> str:
    """The subscription field with every field of its type selected."""
    type_name = FIELDS[field_name]
    inner = " ".join(selection(type_name, name, None) for name in object_type(type_name).fields)  # type: ignore[arg-type]
    return f"subscription {{ {field_name} {{ {inner} }} }}"


def test_the_live_matrix_covers_every_type_only_subscriptions_reach() -> None:
    """The Subscription root and the types of its fields are all that only subscriptions reach
    (a deeper one would need this matrix to walk further)."""
    assert {SUBSCRIPTION, *FIELDS.values()} == LIVE_ONLY_TYPES


class Cast:
    """The matrix's people, each made once: a role's user owns the videos a stranger likes."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.stranger = make_user("stranger")

    def user(self, username: str) -> User:
        if username not in self.users:
            self.users[username] = make_user(username)
        return self.users[username]

    def credential(self, role: Role) -> tuple[str | None, dict[str, str] | None]:
        """The role's session cookie, or its bearer token's connection_init payload."""
        if role.user is None:
            return None, None
        user = self.user(role.user)
        if role.scopes is None:
            return session_cookie(user), None
        _, token = access_token_create(actor=user, name=role.name, scopes=sorted(role.scopes))
        return None, {"authorization": f"Bearer {token}"}


@pytest.mark.parametrize("engine", sorted(ENDPOINTS))
def test_every_live_field_by_every_role(asgi_application: Any, engine: str, subtests: pytest.Subtests) -> None:
    """Given each role, when it subscribes selecting every field, then a role the field's audience
    and token rule allow gets every field, first the count as it stands and then, when someone
    likes its video, the notification; any other role gets one ``error`` with the refusal's code.
    (One cast for the matrix; one subtest per field and role.)"""
    cast = Cast()
    for field_name, role in ((field_name, role) for field_name in sorted(FIELDS) for role in ROLES):
        with subtests.test(field=field_name, role=role.name):
            _check_cell(asgi_application, engine, cast, field_name, role)


def _check_cell(asgi_application: Any, engine: str, cast: Cast, field_name: str, role: Role) -> None:
    cookie, init = cast.credential(role)
    video = make_video(cast.user(role.user)) if role.user is not None else None
    root = edge_outcome(role, SUBSCRIPTION, field_name, ROOT, delegated=False)
    type_name = FIELDS[field_name]
    fields = list(object_type(type_name).fields)

    async def conversation() -> None:
        socket = Socket(asgi_application, ENDPOINTS[engine], cookie=cookie)
        await socket.connect(init)
        await socket.subscribe(document(field_name))
        if root.kind != OK:
            refusal = await socket.receive()
            await socket.close()
            code = "UNAUTHENTICATED" if root.kind == NULL else root.code
            assert refusal["type"] == "error", refusal
            assert [error["extensions"]["code"] for error in refusal["payload"]] == [code]
            return
        assert video is not None
        first = (await socket.next_data())[field_name]
        await database_sync_to_async(services.like_add)(actor=cast.stranger, video_id=video.pk)
        second = (await socket.next_data())[field_name]
        await socket.close()

        for name in fields:
            assert edge_outcome(role, type_name, name, role.user, delegated=False).kind == OK, name
        assert set(first) == set(second) == set(fields)
        assert first["notification"] is None
        assert second["notification"] == {"__typename": "Notification"}
        assert second["unreadNotificationCount"] == first["unreadNotificationCount"] + 1

    run(conversation)
