"""Playback and poster links: byte ranges served as a player asks for them, and access decided
again on every request, so that a link outlives neither its time nor its holder's right to see
the video; a link names one video, one file and one holder, and cannot be bent to another."""

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client

from accounts import services as account_services
from accounts.models import User
from engagement import services
from engagement.models import Video, VideoMedia, Visibility
from kernel.errors import ErrorCode
from tests.api.conftest import World
from tests.api.media.conftest import make_still, needs_ffmpeg
from tests.api.media.helpers import attach_files, file_urls, path_of
from tests.api.test_json_answers import coded

pytestmark = [needs_ffmpeg]


@pytest.fixture(scope="module")
def poster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_still(tmp_path_factory.mktemp("posters") / "poster.jpg")


@pytest.fixture
def files(world: World, short_clip: Path, poster: Path) -> VideoMedia:
    """The creator's public video, its friends-only one and its private one, each with files."""
    for video in (world.friends_video, world.private_video):
        attach_files(video, short_clip, poster)
    return attach_files(world.public_video, short_clip, poster)


def _link(gql: Any, holder: User | None, video: Video, field: str = "playbackUrl") -> str:
    """The path of the link ``holder`` is given to the video's file."""
    urls = file_urls(gql(holder), video)
    assert urls is not None and urls[field] is not None, urls
    return path_of(urls[field])


def _status(path: str) -> int:
    return Client().get(path, HTTP_RANGE="bytes=0-9").status_code


# Byte ranges -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=0-0", 0, 0),
        ("bytes=-100", -100, -1),
        ("bytes=100-", 100, -1),
        ("bytes=1000-99999999", 1000, -1),  # the end past the file: up to its last byte
        ("bytes = 10 - 19", 10, 19),
    ],
)
def test_a_byte_range_is_answered_206_with_exactly_those_bytes(
    gql: Any, world: World, files: VideoMedia, short_clip: Path, header: str, first: int, last: int
) -> None:
    whole = short_clip.read_bytes()
    first, last = first % len(whole), last % len(whole)

    response = Client().get(_link(gql, world.other_viewer, world.public_video), HTTP_RANGE=header)

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(whole)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert (response["Content-Type"], response["Accept-Ranges"]) == ("video/mp4", "bytes")
    assert response["Cache-Control"] == "private, no-cache"
    assert response.getvalue() == whole[first : last + 1]


@pytest.mark.parametrize("header", ["bytes={size}-", "bytes={size}-{size}", "bytes=-0", "bytes=20-10"])
def test_a_range_outside_the_file_is_416(
    gql: Any, world: World, files: VideoMedia, short_clip: Path, header: str
) -> None:
    size = short_clip.stat().st_size

    response = Client().get(_link(gql, world.other_viewer, world.public_video), HTTP_RANGE=header.format(size=size))

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert response.content == b""


@pytest.mark.parametrize("header", ["bytes=abc", "items=0-10", "bytes=0-1,5-6", "bytes=-", "0-99", ""])
def test_a_header_that_is_not_one_byte_range_gets_the_whole_file(
    gql: Any, world: World, files: VideoMedia, short_clip: Path, header: str
) -> None:
    response = Client().get(_link(gql, world.other_viewer, world.public_video), HTTP_RANGE=header)

    assert response.status_code == 200
    assert response["Content-Length"] == str(short_clip.stat().st_size)
    assert response.getvalue() == short_clip.read_bytes()


def test_head_answers_the_headers_alone(gql: Any, world: World, files: VideoMedia, short_clip: Path) -> None:
    link = _link(gql, world.other_viewer, world.public_video)

    whole = Client().head(link)
    ranged = Client().head(link, HTTP_RANGE="bytes=0-99")

    assert (whole.status_code, whole["Content-Length"], whole.getvalue()) == (200, str(short_clip.stat().st_size), b"")
    assert (ranged.status_code, ranged["Content-Length"], ranged.getvalue()) == (206, "100", b"")


def test_the_poster_link_serves_the_jpeg(gql: Any, world: World, files: VideoMedia, poster: Path) -> None:
    response = Client().get(_link(gql, world.other_viewer, world.public_video, "posterUrl"))

    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert response.getvalue() == poster.read_bytes()


def test_a_link_used_with_another_method_is_405(gql: Any, world: World, files: VideoMedia) -> None:
    response = Client().post(_link(gql, world.other_viewer, world.public_video))

    assert coded(response, 405, ErrorCode.BAD_USER_INPUT)["message"] == "This link answers GET and HEAD only."
    assert response["Allow"] == "GET, HEAD"


# Who is given a link -------------------------------------------------------------------------------


@pytest.mark.both_engines
@pytest.mark.parametrize(
    ("role", "video", "given"),
    [
        ("anonymous", "public_video", True),
        ("other_viewer", "public_video", True),
        ("viewer", "friends_video", True),
        ("creator", "private_video", True),
        ("anonymous", "friends_video", False),
        ("other_viewer", "friends_video", False),
        ("viewer", "private_video", False),
        ("other_creator", "private_video", False),
    ],
)
def test_links_are_given_only_with_the_video(
    gql: Any, world: World, files: VideoMedia, role: str, video: str, given: bool
) -> None:
    """Whoever may not see the video does not find it, so gets no link; whoever may, gets working ones."""
    urls = file_urls(gql(world.user(role)), getattr(world, video))

    if not given:
        assert urls is None
        return
    assert urls is not None
    assert [_status(path_of(urls[field])) for field in ("playbackUrl", "posterUrl")] == [206, 206]


@pytest.mark.both_engines
def test_a_video_without_a_file_has_no_links(gql: Any, world: World) -> None:
    assert file_urls(gql(world.creator), world.locked_video) == {"playbackUrl": None, "posterUrl": None}


# A link ends with its holder's access -----------------------------------------------------------


@pytest.mark.parametrize("visibility", [Visibility.FRIENDS, Visibility.PRIVATE])
def test_a_link_stops_when_the_video_is_hidden_from_its_holder(
    gql: Any, world: World, files: VideoMedia, visibility: str
) -> None:
    """Given links issued while the video was PUBLIC, when its owner narrows who may see it, then
    the links of those who may no longer see it answer 404 (a friend keeps FRIENDS)."""
    links = {role: _link(gql, world.user(role), world.public_video) for role in ("anonymous", "other_viewer", "viewer")}
    assert {role: _status(link) for role, link in links.items()} == dict.fromkeys(links, 206)

    services.video_update(actor=world.creator, video_id=world.public_video.pk, visibility=visibility)

    friend_keeps = visibility == Visibility.FRIENDS
    assert {role: _status(link) for role, link in links.items()} == {
        "anonymous": 404,
        "other_viewer": 404,
        "viewer": 206 if friend_keeps else 404,
    }
    refused = Client().get(links["other_viewer"])
    assert coded(refused, 404, ErrorCode.NOT_FOUND)["message"] == "This media link is invalid or has expired."


def test_a_link_stops_when_the_owner_blocks_its_holder(gql: Any, world: World, files: VideoMedia) -> None:
    link = _link(gql, world.other_viewer, world.public_video)

    account_services.user_block(actor=world.creator, username=world.other_viewer.username)

    assert _status(link) == 404
    account_services.user_unblock(actor=world.creator, username=world.other_viewer.username)
    assert _status(link) == 206  # decided on each request, not remembered


def test_a_link_stops_when_its_holder_is_deactivated(gql: Any, world: World, files: VideoMedia) -> None:
    link = _link(gql, world.other_viewer, world.public_video)

    User.objects.filter(pk=world.other_viewer.pk).update(is_active=False)

    assert _status(link) == 404


def test_a_link_stops_when_the_owner_is_deactivated(gql: Any, world: World, files: VideoMedia) -> None:
    link = _link(gql, None, world.public_video)

    User.objects.filter(pk=world.creator.pk).update(is_active=False)

    assert _status(link) == 404


def test_a_friends_link_stops_when_the_friendship_ends(gql: Any, world: World, files: VideoMedia) -> None:
    link = _link(gql, world.viewer, world.friends_video)

    account_services.unfollow(actor=world.creator, username=world.viewer.username)

    assert _status(link) == 404


def test_a_link_stops_when_the_file_is_gone(gql: Any, world: World, files: VideoMedia, media_root: Path) -> None:
    link = _link(gql, world.other_viewer, world.public_video)

    (media_root / files.playback).unlink()

    assert (
        coded(Client().get(link), 404, ErrorCode.NOT_FOUND)["message"] == "This media link is invalid or has expired."
    )


# A link is what it was signed for --------------------------------------------------------------


def test_a_link_expires(gql: Any, world: World, files: VideoMedia, signing_clock: Any) -> None:
    link = _link(gql, world.other_viewer, world.public_video)

    signing_clock(settings.MEDIA_URL_SECONDS - 2)
    assert _status(link) == 206
    signing_clock(settings.MEDIA_URL_SECONDS + 2)
    assert _status(link) == 404


def _token(path: str) -> str:
    return path.removeprefix("/media/").removesuffix("/")


def _with_payload(path: str, payload: list[Any]) -> str:
    """The link with its payload replaced and its time and signature kept, as a holder could."""
    _, stamp, signature = _token(path).rsplit(":", 2)
    data = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"/media/{data}:{stamp}:{signature}/"


def test_a_link_cannot_be_turned_to_another_video_or_file(gql: Any, world: World, files: VideoMedia) -> None:
    """The holder's link to the public video's playback file, its payload rewritten to name the
    private video, or the poster, or another holder, is refused; unchanged it works."""
    link = _link(gql, world.other_viewer, world.public_video)
    video, kind, holder = signing.loads(_token(link), salt="engagement.media.links.file")
    assert [video, kind, holder] == [world.public_video.pk, "playback", world.other_viewer.pk]
    assert _status(_with_payload(link, [video, kind, holder])) == 206  # the rewriting itself is faithful

    for payload in (
        [world.private_video.pk, kind, holder],
        [video, "poster", holder],
        [video, kind, world.creator.pk],
    ):
        assert _status(_with_payload(link, payload)) == 404, payload


@pytest.mark.parametrize("token", ["nonsense", "a:b:c", "W10:1xZel3:forged"])
def test_a_forged_link_is_404(world: World, files: VideoMedia, token: str) -> None:
    coded(Client().get(f"/media/{token}/"), 404, ErrorCode.NOT_FOUND)
