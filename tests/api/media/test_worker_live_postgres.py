"""A real worker: ``celery -A backend worker`` in a process of its own, configured as a deployment
is (``DATABASE_URL``, ``CELERY_BROKER_URL``, ``MEDIA_ROOT``), with Redis as the broker. A clip
uploaded through the API here is processed there, and its video becomes READY.

Redis: ``LIVE_WORKER_REDIS_URL`` (by default the local server's database 14, which no other test
uses; it is emptied before and after). The clip is ``LIVE_WORKER_CLIP`` (``seconds,WIDTHxHEIGHT``,
default ``2,320x240``); the time from the upload to READY is printed (``-s`` shows it), never
checked: ``LIVE_WORKER_CLIP=10,640x360`` measures a longer one."""

import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
from django.db import connection
from django.test import Client
from pytest_django import Settings

from backend import celery_app
from tests.api.cases import assert_data
from tests.api.media.conftest import make_clip, needs_ffmpeg
from tests.factories import make_user

pytestmark = [needs_ffmpeg, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
CLIP = os.environ.get("LIVE_WORKER_CLIP", "2,320x240")
READY_WITHIN_SECONDS = 60
START_WITHIN_SECONDS = STOP_WITHIN_SECONDS = 30
START = """mutation($size: Int!) {
  startVideoUpload(input: {caption: "worker", visibility: PUBLIC, contentType: "video/mp4", sizeBytes: $size}) {
    video { id } uploadUrl
  }
}"""
STATE = "query($id: ID!) { node(id: $id) { ... on Video { processingState processingError durationSeconds } } }"


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


def _forget_broker_connections() -> None:
    """Celery keeps the connections to the first broker this process sent to; the next task goes
    to the broker configured now."""
    celery_app._after_fork()


@pytest.fixture
def broker(settings: Settings) -> Iterator[str]:
    """Tasks queued here go to Redis, for the worker, instead of running in this process."""
    url = os.environ.get("LIVE_WORKER_REDIS_URL", "redis://127.0.0.1:6379/14")
    if not _answers(url):
        pytest.skip(f"Redis is unreachable at {url}: the live worker needs it as its broker (LIVE_WORKER_REDIS_URL)")
    redis.Redis.from_url(url).flushdb()
    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _forget_broker_connections()
    yield url
    _forget_broker_connections()
    redis.Redis.from_url(url).flushdb()


def _database_url() -> str:
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    )


@pytest.fixture
def worker(broker: str, media_root: Path, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The worker on this test's database and media folder, once it is ready; stopped as a
    supervisor stops it (SIGTERM: it finishes the task in hand and exits). Its log is shown when
    a test fails."""
    environment = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "MEDIA_ROOT": str(media_root),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    log = tmp_path / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "backend", "worker", "--pool", "solo", "--loglevel", "INFO"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_until_ready(process, log)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_WITHIN_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        print(log.read_text(errors="replace"))


def _wait_until_ready(process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the worker says it is ready, so that the time measured is the processing's."""
    started = time.monotonic()
    while b" ready." not in log.read_bytes():
        assert process.poll() is None, "the worker stopped"
        assert time.monotonic() - started < START_WITHIN_SECONDS, "the worker never said it was ready"
        time.sleep(0.1)


def test_an_upload_is_processed_by_a_real_worker(gql: Any, worker: subprocess.Popen[bytes], tmp_path: Path) -> None:
    seconds, size = CLIP.split(",")
    clip = make_clip(tmp_path / "clip.mp4", seconds=float(seconds), size=size)
    creator = gql(make_user())
    started = assert_data(creator(START, {"size": clip.stat().st_size}), ("startVideoUpload",))

    response = Client().put(urlsplit(started["uploadUrl"]).path, data=clip.read_bytes(), content_type="video/mp4")
    assert response.status_code == 200, response.content
    uploaded = time.monotonic()
    video: dict[str, Any] = {}
    while time.monotonic() - uploaded < READY_WITHIN_SECONDS and worker.poll() is None:
        video = assert_data(creator(STATE, {"id": started["video"]["id"]}), ("node",))
        if video["processingState"] in ("READY", "FAILED"):
            break
        time.sleep(0.2)
    took = time.monotonic() - uploaded
    print(f"a {seconds} s {size} clip: {took:.1f} s from the upload to {video.get('processingState')}")

    assert worker.poll() is None, "the worker stopped"
    assert video["processingState"] == "READY", video
    assert video["durationSeconds"] == math.ceil(float(seconds))
