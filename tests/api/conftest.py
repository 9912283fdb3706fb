"""A GraphQL client over HTTP with CSRF enforced, signed in as any role, per engine."""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from graphql_relay import to_global_id

from accounts.models import AccountType, InteractionAudience, LikedVideosVisibility, User
from engagement import services
from engagement.models import (
    Favorite,
    FavoriteCollection,
    Notification,
    NotificationKind,
    Video,
    Visibility,
)
from tests.api.speedups_twin import speedups_twinned
from tests.clients import shared_client
from tests.factories import make_friends, make_user, make_video
from tests.module_data import ModuleData, copy_for_test

ENDPOINTS = {"strawberry": "/graphql/", "graphene": "/graphql/graphene/"}


@pytest.fixture(autouse=True)
def _speedups_differential(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test marked ``differential`` has each of its GraphQL requests answered with the
    speed-ups off and on, and fails where the answers differ (tests/api/speedups_twin.py)."""
    if request.node.get_closest_marker("differential") is None:
        yield
        return
    with speedups_twinned():
        yield


@dataclass
class GraphQLResponse:
    status: int
    body: dict[str, Any]

    @property
    def data(self) -> Any:
        return self.body.get("data")

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.body.get("errors") or []

    @property
    def codes(self) -> list[str]:
        return [error.get("extensions", {}).get("code") for error in self.errors]


@dataclass
class GraphQLClient:
    """Talks to one engine like a browser (session cookie plus the CSRF token header), or like a
    script with ``token``: ``Authorization: Bearer`` and no CSRF token at all."""

    endpoint: str
    http: Client = field(default_factory=shared_client)
    token: str | None = None

    def sign_in(self, user: User | None) -> "GraphQLClient":
        if user is not None:
            self.http.force_login(user)
        return self

    def _csrf(self) -> str:
        token = self.http.cookies.get("csrftoken")
        if token is None:
            self.http.get("/auth/csrf/")
            token = self.http.cookies["csrftoken"]
        return token.value

    def __call__(self, query: str, variables: dict[str, Any] | None = None, **headers: Any) -> GraphQLResponse:
        response = self.http.post(
            self.endpoint,
            data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            headers={**self._credentials(), **headers},
        )
        return GraphQLResponse(status=response.status_code, body=json.loads(response.content or b"{}"))

    def _credentials(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {"X-CSRFToken": self._csrf()}


PRIMARY_ENGINE = "strawberry"


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """strawberry; a test marked ``both_engines`` runs once on each engine (tests/conftest.py)."""
    return str(getattr(request, "param", PRIMARY_ENGINE))


def client_maker(endpoint: str) -> Callable[..., GraphQLClient]:
    """``make(user)`` returns a client of ``endpoint`` signed in as ``user`` (None: anonymous);
    ``make(token=...)`` one that sends a bearer token instead of a session."""

    def make(user: User | None = None, *, token: str | None = None) -> GraphQLClient:
        return GraphQLClient(endpoint=endpoint, token=token).sign_in(user)

    return make


@pytest.fixture
def gql(engine: str, db: None) -> Callable[..., GraphQLClient]:
    """``gql(user)`` or ``gql(token=...)``: a client of the current engine (``client_maker``)."""
    return client_maker(ENDPOINTS[engine])


# The roles and the data every API test reads ---------------------------------------------------


ROLES = ("anonymous", "viewer", "other_viewer", "creator", "other_creator")


@dataclass
class World:
    """Five roles around one creator's videos, with private rows that must never leak.

    ``viewer`` is the creator's friend (mutual follow) and has saved the public video into a
    collection, liked it privately (liked videos: ONLY_ME) and so notified the creator.
    ``other_viewer`` saved the same video too and shows their likes to everyone.
    """

    viewer: User
    other_viewer: User
    creator: User
    other_creator: User
    private_account: User
    public_video: Video
    friends_video: Video
    private_video: Video
    locked_video: Video  # PUBLIC, comments NO_ONE, downloads off
    other_creator_video: Video
    private_account_video: Video
    collection: FavoriteCollection
    favorite: Favorite
    other_collection: FavoriteCollection
    other_favorite: Favorite
    like_notification: Notification

    def user(self, role: str) -> User | None:
        """The user playing ``role`` (one of ``ROLES``); None for the anonymous one."""
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture(scope="module")
def _world_of_the_module(module_data: ModuleData) -> World:
    return module_data.build(build_world)


@pytest.fixture
def world(_world_of_the_module: World, db: None) -> World:
    """Built once per module; each test has its own copy and its writes are rolled back."""
    return copy_for_test(_world_of_the_module)


def build_world() -> World:
    creator = make_user("creator", account_type=AccountType.CREATOR, display_name="The Creator")
    other_creator = make_user("other_creator", account_type=AccountType.CREATOR)
    viewer = make_user("viewer", display_name="Viewer")
    other_viewer = make_user("other_viewer", liked_videos_visibility=LikedVideosVisibility.EVERYONE)
    private_account = make_user("private_account", is_private=True)
    make_friends(viewer, creator)

    public_video = make_video(creator, caption="public")
    friends_video = make_video(creator, visibility=Visibility.FRIENDS, caption="friends")
    private_video = make_video(creator, visibility=Visibility.PRIVATE, caption="private")
    locked_video = make_video(
        creator, caption="locked", allow_comments=InteractionAudience.NO_ONE, allow_download=False
    )
    other_creator_video = make_video(other_creator, caption="other creator's")
    private_account_video = make_video(private_account, caption="for approved followers")

    collection = services.collection_create(actor=viewer, name="Recipes")
    favorite = services.favorite_add(actor=viewer, video_id=public_video.pk, collection_id=collection.pk)
    other_collection = services.collection_create(actor=other_viewer, name="Later")
    other_favorite = services.favorite_add(
        actor=other_viewer, video_id=public_video.pk, collection_id=other_collection.pk
    )
    services.like_add(actor=viewer, video_id=public_video.pk)
    services.like_add(actor=other_viewer, video_id=public_video.pk)
    like_notification = Notification.objects.get(recipient=creator, actor=viewer, kind=NotificationKind.LIKE)
    return World(
        viewer=viewer,
        other_viewer=other_viewer,
        creator=creator,
        other_creator=other_creator,
        private_account=private_account,
        public_video=public_video,
        friends_video=friends_video,
        private_video=private_video,
        locked_video=locked_video,
        other_creator_video=other_creator_video,
        private_account_video=private_account_video,
        collection=collection,
        favorite=favorite,
        other_collection=other_collection,
        other_favorite=other_favorite,
        like_notification=like_notification,
    )


def gid(obj: Any, type_name: str | None = None) -> str:
    """The Relay global ID of a model instance (``Type:pk`` in base64, the same in both engines)."""
    return to_global_id(type_name or type(obj).__name__, str(obj.pk))


def missing_gid(type_name: str) -> str:
    """A well-formed global ID of ``type_name`` that names no row."""
    return to_global_id(type_name, "987654321")
