"""Attacks on the playback and poster links: a refusal that tells a holder why, and a ``Range``
header that breaks the view instead of being ignored."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from engagement.models import VideoMedia
from tests.api.conftest import World
from tests.api.media.conftest import make_still, needs_ffmpeg
from tests.api.media.helpers import attach_files, file_urls, path_of

pytestmark = [needs_ffmpeg]


@pytest.fixture(scope="module")
def poster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_still(tmp_path_factory.mktemp("posters") / "poster.jpg")


@pytest.fixture
def public_files(world: World, short_clip: Path, poster: Path) -> VideoMedia:
    return attach_files(world.public_video, short_clip, poster)


def _playback_path(gql: Any, world: World) -> str:
    urls = file_urls(gql(world.viewer), world.public_video)
    assert urls is not None and urls["playbackUrl"], urls
    return path_of(urls["playbackUrl"])


def _refusal(response: Any) -> tuple[int, Any, dict[str, str]]:
    """What a holder can read of a refusal: status, body and every header, less the request's own
    id (which differs for every request, refused or not)."""
    body = response.json()
    for error in body["errors"]:
        error["extensions"].pop("requestId")
    headers = {name: value for name, value in response.headers.items() if name.lower() != "x-request-id"}
    return response.status_code, body, headers


def test_a_link_to_a_deleted_file_is_refused_like_a_forged_one(
    gql: Any, world: World, public_files: VideoMedia, media_root: Path
) -> None:
    """The file's refusal must not carry the ``Cache-Control`` of a served file: that header told
    the holder that the link and their access are still good and only the file is gone (and let a
    browser keep the 404 for five minutes)."""
    path = _playback_path(gql, world)
    (media_root / public_files.playback).unlink()
    gone = Client().get(path)
    forged = Client().get(path[:-3] + "xyz/")
    assert gone.status_code == 404
    assert _refusal(gone) == _refusal(forged)


@pytest.mark.parametrize("header", ["bytes=0-" + "9" * 5000, "bytes=" + "9" * 5000 + "-", "bytes=-" + "9" * 5000])
def test_a_range_with_a_number_too_long_to_read_is_not_a_server_error(
    gql: Any, world: World, public_files: VideoMedia, header: str
) -> None:
    """Python refuses to read an integer of more than 4300 digits (ValueError): such a header must
    be ignored or refused as a range, never answered 500."""
    response = Client().get(_playback_path(gql, world), HTTP_RANGE=header)
    assert response.status_code in (200, 206, 416), response.status_code
