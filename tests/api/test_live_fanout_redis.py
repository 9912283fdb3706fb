"""Fan-out across processes on the channels-redis layer: a notification written where one channel
layer publishes reaches a subscription held by another, through Redis alone. In one process with
two layer instances (each process has its own), and on PostgreSQL with a real second process
doing the write.

Redis: ``LIVE_TEST_REDIS_URL`` (by default the local server's database 9, plus the pytest-xdist
worker's number), else a private ``redis-server`` started for the module."""

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from channels.db import database_sync_to_async
from channels_redis.core import RedisChannelLayer
from django.db import connection
from django.test import override_settings

from accounts.models import User
from engagement import live, services
from tests.factories import make_user, make_video
from tests.websockets import ENDPOINTS, Socket, run, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _worker_database(url: str) -> str:
    parts = urlsplit(url)
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    return urlunsplit(parts._replace(path=f"/{int(parts.path.strip('/') or 0) + worker}"))


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    url = _worker_database(os.environ.get("LIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379/9"))
    if _answers(url):
        yield url
        return
    if shutil.which("redis-server") is None:
        pytest.skip(f"no Redis at {url} and no redis-server to start one (apt-get install redis-server)")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(50):
            if _answers(url):
                break
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _layer_config(url: str, **config: Any) -> dict[str, Any]:
    """The layer settings make of ``REDIS_URL`` (backend/settings.py), with ``config`` added."""
    hosts = [{"address": url, "socket_connect_timeout": 0.25, "socket_timeout": None}]
    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": hosts, **config}}}


@pytest.fixture
def creator() -> User:
    return make_user("creator")


@pytest.mark.parametrize("engine", sorted(ENDPOINTS))
def test_a_publish_from_another_layer_instance_reaches_the_subscription(
    asgi_application: Any, redis_url: str, creator: User, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given the creator subscribed through this process's Redis layer, when a like is written
    where another layer instance publishes (another process's), then it arrives through Redis."""
    config = _layer_config(redis_url, prefix=f"test-{uuid.uuid4().hex}")
    writer = RedisChannelLayer(**config["default"]["CONFIG"])
    monkeypatch.setattr(live, "get_channel_layer", lambda: writer)
    video = make_video(creator, caption="over redis")
    fan = make_user("fan")
    cookie = session_cookie(creator)

    async def conversation() -> None:
        socket = Socket(asgi_application, ENDPOINTS[engine], cookie=cookie)
        await socket.connect()
        await socket.live()
        await database_sync_to_async(services.like_add)(actor=fan, video_id=video.pk)
        event = (await socket.next_data())["notifications"]
        await socket.close()

        assert event["notification"]["video"] == {"caption": "over redis"}
        assert event["unreadNotificationCount"] == 1

    with override_settings(CHANNEL_LAYERS=config):
        run(conversation)


@pytest.mark.postgres
def test_a_notification_written_by_another_process_reaches_the_subscription(
    asgi_application: Any, redis_url: str, creator: User
) -> None:
    """Given the creator subscribed here, when a second Python process (configured as a server
    is, by ``DATABASE_URL`` and ``REDIS_URL``) writes a like, then it arrives here."""
    video = make_video(creator, caption="from afar")
    fan = make_user("fan")
    cookie = session_cookie(creator)
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "REDIS_URL": redis_url,
        "DATABASE_URL": f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
    }
    write = (
        "import django; django.setup(); from engagement import services; from accounts.models import User; "
        f"services.like_add(actor=User.objects.get(pk={fan.pk}), video_id={video.pk})"
    )

    async def conversation() -> None:
        socket = Socket(asgi_application, ENDPOINTS["strawberry"], cookie=cookie)
        await socket.connect()
        await socket.live()
        writer = await asyncio.create_subprocess_exec(
            sys.executable, "-c", write, cwd=ROOT, env=environment, stderr=asyncio.subprocess.PIPE
        )
        _, errors = await asyncio.wait_for(writer.communicate(), timeout=60)
        assert writer.returncode == 0, errors.decode()
        event = (await socket.next_data())["notifications"]
        await socket.close()

        assert event["notification"]["video"] == {"caption": "from afar"}

    with override_settings(CHANNEL_LAYERS=_layer_config(redis_url)):
        run(conversation)
