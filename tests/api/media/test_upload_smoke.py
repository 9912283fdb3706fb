"""Upload, process, play: the path a creator and a viewer walk, on both engines."""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.api.cases import assert_data
from tests.api.conftest import World
from tests.api.media.conftest import needs_ffmpeg

pytestmark = [needs_ffmpeg, pytest.mark.both_engines]

START = """mutation($size: Int!) {
  startVideoUpload(input: {caption: "first #clip", visibility: PUBLIC, contentType: "video/mp4", sizeBytes: $size}) {
    video { id processingState } uploadUrl uploadExpiresAt maxBytes contentTypes
  }
}"""
PLAY = "query($id: ID!) { node(id: $id) { ... on Video { playbackUrl posterUrl } } }"
READ = "query($id: ID!) { node(id: $id) { ... on Video { processingState durationSeconds playbackUrl posterUrl } } }"


def test_upload_then_play(gql: Any, world: World, clip: Path, django_capture_on_commit_callbacks: Any) -> None:
    creator = gql(world.creator)
    started = assert_data(creator(START, {"size": clip.stat().st_size}), ("startVideoUpload",))
    assert started["video"]["processingState"] == "AWAITING_UPLOAD"
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().put(urlsplit(started["uploadUrl"]).path, data=clip.read_bytes(), content_type="video/mp4")
    assert response.status_code == 200, response.content
    video = assert_data(creator(READ, {"id": started["video"]["id"]}), ("node",))
    assert video["processingState"] == "READY"
    assert video["durationSeconds"] == 3
    seen = assert_data(gql(None)(PLAY, {"id": started["video"]["id"]}), ("node",))
    played = Client().get(urlsplit(seen["playbackUrl"]).path, HTTP_RANGE="bytes=0-99")
    assert played.status_code == 206
    assert len(played.getvalue()) == 100
