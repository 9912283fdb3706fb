"""``kernel.routers``: GraphQL queries read from the replica when one is configured; mutations,
sessions and a viewer who just wrote use the primary.

A second PostgreSQL database stands in for the replica. It holds a *different* caption for the
same video, so each answer shows which database it came from.
"""

import json
from collections.abc import Iterator
from copy import deepcopy
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from graphql_relay import to_global_id
from pytest_django import DjangoDbBlocker, Settings

from accounts.models import Follow, User
from engagement.models import Video, VideoCounters, Visibility
from kernel import routers
from tests.factories import make_friends, make_user, make_video

# The replica is one of each test's databases, so the flush after each test empties it too.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases=["default", routers.REPLICA])]

QUERY = "query($id: ID!) { video(id: $id) { caption } }"
LIKE = "mutation($id: ID!) { likeVideo(input: {videoId: $id}) { video { likeCount } } }"


def _admin_url(settings_dict: dict[str, Any]) -> str:
    user = quote(settings_dict.get("USER") or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/postgres"


def _drop_and_create(url: str, name: str, *, create: bool) -> None:
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            admin.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="module", autouse=True)
def _replica_database(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """A migrated second database under the ``replica`` alias, made once for the module (creating
    and migrating it takes seconds), and known before each test starts."""
    primary = connection.settings_dict
    name, admin = f"{primary['NAME']}_replica", _admin_url(primary)
    with django_db_blocker.unblock():
        _drop_and_create(admin, name, create=True)
        connections.databases[routers.REPLICA] = {**deepcopy(primary), "NAME": name}
        call_command("migrate", database=routers.REPLICA, verbosity=0)
    yield
    with django_db_blocker.unblock():
        connections[routers.REPLICA].close()
        del connections[routers.REPLICA]
        del connections.databases[routers.REPLICA]
        _drop_and_create(admin, name, create=False)


@pytest.fixture
def replica(settings: Settings) -> str:
    """The router on, and a cache without the pins of an earlier test."""
    settings.DATABASE_ROUTERS = ["kernel.routers.ReplicaRouter"]
    cache.clear()
    return routers.REPLICA


def _copy_to_replica(video: Video, caption: str) -> None:
    """The same rows on the replica, but a caption that tells the copy apart."""
    owner = User.objects.get(pk=video.owner_id)
    owner.save(using=routers.REPLICA, force_insert=True)
    copy = Video.objects.get(pk=video.pk)
    copy.caption = caption
    copy.save(using=routers.REPLICA, force_insert=True)
    VideoCounters(video_id=video.pk).save(using=routers.REPLICA, force_insert=True)


def _ask(client: Client, query: str, video: Video) -> dict[str, Any]:
    response = client.post(
        "/graphql/",
        data=json.dumps({"query": query, "variables": {"id": to_global_id("Video", str(video.pk))}}),
        content_type="application/json",
    )
    body: dict[str, Any] = response.json()
    assert not body.get("errors"), body
    return body["data"]


def test_queries_read_the_replica_and_a_writer_then_reads_the_primary(replica: str) -> None:
    """Given a replica holding another caption, when a signed-in viewer queries the video, then
    the answer comes from the replica (the session was still found on the primary); after the
    viewer's mutation, their next query reads the primary, whose write it must see."""
    owner = make_user("owner")
    video = make_video(owner, caption="on the primary")
    _copy_to_replica(video, "on the replica")
    client = Client()
    client.force_login(owner)

    assert _ask(client, QUERY, video) == {"video": {"caption": "on the replica"}}

    liked = _ask(client, LIKE, video)
    assert liked == {"likeVideo": {"video": {"likeCount": 1}}}  # read back from the primary
    assert _ask(client, QUERY, video) == {"video": {"caption": "on the primary"}}


def test_anonymous_queries_read_the_replica(replica: str) -> None:
    owner = make_user("owner")
    video = make_video(owner, caption="on the primary")
    _copy_to_replica(video, "on the replica")

    assert _ask(Client(), QUERY, video) == {"video": {"caption": "on the replica"}}


def test_without_the_router_everything_reads_the_primary(replica: str, settings: Settings) -> None:
    settings.DATABASE_ROUTERS = []
    owner = make_user("owner")
    video = make_video(owner, caption="on the primary")
    _copy_to_replica(video, "on the replica")

    assert _ask(Client(), QUERY, video) == {"video": {"caption": "on the primary"}}


def test_reads_inside_a_transaction_and_other_apps_stay_on_the_primary(replica: str) -> None:
    """The router's own rules, without HTTP: a transaction reads its own writes, and sessions or
    permissions are read where they are written."""
    router = routers.ReplicaRouter()
    with routers.replica_reads():
        assert router.db_for_read(Video) == routers.REPLICA
        assert router.db_for_read(User) == routers.REPLICA
        from django.contrib.sessions.models import Session

        assert router.db_for_read(Session) is None
        from django.db import transaction

        with transaction.atomic():
            assert router.db_for_read(Video) is None
    assert router.db_for_read(Video) is None
    assert router.db_for_write(Video) == "default"


# Other people's writes that change what a viewer may see ----------------------------------------

MAKE_PRIVATE = "mutation($id: ID!) { updateVideo(input: {videoId: $id, visibility: PRIVATE}) { video { id } } }"
UNFOLLOW = "mutation($name: String!) { unfollow(input: {username: $name}) { removed } }"


def _body(client: Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    data = json.dumps({"query": query, "variables": variables})
    body: dict[str, Any] = client.post("/graphql/", data=data, content_type="application/json").json()
    return body


def _caption_seen(client: Client, video: Video) -> str | None:
    """The caption the client's next query shows, None when the video is not found: the replica
    copies below stay as they were, so a hidden video still shows there."""
    found = _body(client, QUERY, {"id": to_global_id("Video", str(video.pk))})["data"]["video"]
    return None if found is None else str(found["caption"])


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _also_on_replica(*rows: Any) -> None:
    for row in rows:
        row.save(using=routers.REPLICA, force_insert=True)


def _copy_video_to_replica(video: Video, caption: str) -> None:
    copy = Video.objects.get(pk=video.pk)
    copy.caption = caption
    _also_on_replica(copy, VideoCounters(video_id=video.pk))


def test_after_a_video_is_made_private_other_viewers_read_the_primary(replica: str) -> None:
    """Given a viewer who read the owner's video from the replica, when the owner makes it
    private, then the viewer's next query (and an anonymous one) reads the primary, where the
    video is gone, not the lagging replica that still shows it."""
    owner, viewer = make_user("owner"), make_user("viewer")
    video = make_video(owner, caption="on the primary")
    _copy_to_replica(video, "on the replica")
    reader = _signed_in(viewer)
    assert _caption_seen(reader, video) == "on the replica"

    _ask(_signed_in(owner), MAKE_PRIVATE, video)

    assert _caption_seen(reader, video) is None
    assert _caption_seen(Client(), video) is None


def test_after_an_unfollow_both_parties_read_the_primary_and_others_the_replica(replica: str) -> None:
    """Given friends and a FRIENDS video read from the replica, when its owner unfollows the
    friend, then the friend's next query reads the primary (the video is gone); a bystander's
    query still reads the replica."""
    owner, friend, bystander = make_user("owner"), make_user("friend"), make_user("bystander")
    make_friends(owner, friend)
    friends_only = make_video(owner, visibility=Visibility.FRIENDS, caption="on the primary")
    public = make_video(owner, caption="on the primary")
    _copy_to_replica(friends_only, "on the replica")
    _copy_video_to_replica(public, "on the replica")
    _also_on_replica(friend, *Follow.objects.all())
    reader = _signed_in(friend)
    assert _caption_seen(reader, friends_only) == "on the replica"

    assert _body(_signed_in(owner), UNFOLLOW, {"name": "friend"}) == {"data": {"unfollow": {"removed": True}}}

    assert _caption_seen(reader, friends_only) is None
    assert _caption_seen(_signed_in(bystander), public) == "on the replica"


def test_an_unrelated_write_does_not_pin_other_viewers(replica: str) -> None:
    """Given a viewer reading from the replica, when someone else likes the video, then only
    the liker is pinned: the viewer still reads the replica."""
    owner, viewer, liker = make_user("owner"), make_user("viewer"), make_user("liker")
    video = make_video(owner, caption="on the primary")
    _copy_to_replica(video, "on the replica")

    _ask(_signed_in(liker), LIKE, video)

    assert _caption_seen(_signed_in(viewer), video) == "on the replica"
    assert _caption_seen(Client(), video) == "on the replica"
