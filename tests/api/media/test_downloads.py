"""Downloads of a real clip, uploaded and processed by the worker (eagerly), on both engines: the
file a link serves is an MP4 that differs from the playable copy where ffmpeg drew the
creator's @username and nowhere else; who may download is decided when the link is given and
again when it is used; a renamed creator's copy is made anew; a download is counted and tells no one."""

import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from accounts.models import User
from engagement.models import Notification, VideoMedia
from kernel.errors import ErrorCode
from tests.api.cases import assert_data, assert_denied
from tests.api.conftest import GraphQLClient, World, missing_gid
from tests.api.media.conftest import make_clip, needs_ffmpeg

pytestmark = [needs_ffmpeg, pytest.mark.both_engines]

START = """mutation($size: Int!) {
  startVideoUpload(input: {
    caption: "to keep", visibility: FRIENDS, allowDownload: true, contentType: "video/mp4", sizeBytes: $size
  }) { video { id } uploadUrl }
}"""
DOWNLOAD = "mutation($id: ID!) { downloadVideo(input: {videoId: $id}) { url } }"
PLAY = "query($id: ID!) { node(id: $id) { ... on Video { playbackUrl } } }"
DOWNLOADS_OFF = "mutation($id: ID!) { updateVideo(input: {videoId: $id, allowDownload: false}) { video { id } } }"
INSIGHTS = "query($id: ID!) { video(id: $id) { insights { downloadCount } } }"

WIDTH, HEIGHT = 320, 240
# Where engagement/media/ffmpeg.py draws @username on a 320x240 frame (x from w/24, its box's
# bottom h/12 above the frame's), and a corner far from it; (left, top, right, bottom).
MARK = (8, 200, 72, 224)
FAR_FROM_IT = (240, 0, 320, 60)
# Where "@creator_renamed" runs on past "@creator": the two marks differ only there.
PAST_THE_OLD_NAME = (80, 202, 120, 226)


@pytest.fixture
def silent_clip(tmp_path: Path) -> Path:
    """Two seconds without sound: enough for a frame a second in, quicker to process."""
    return make_clip(tmp_path / "clip.mp4", seconds=2, audio=False)


@pytest.fixture
def published(gql: Any, world: World, silent_clip: Path, django_capture_on_commit_callbacks: Any) -> str:
    """The global ID of the creator's FRIENDS video of ``silent_clip``, uploaded and processed by the
    worker: the viewer (a friend) sees it, other_viewer does not."""
    started = assert_data(gql(world.creator)(START, {"size": silent_clip.stat().st_size}), ("startVideoUpload",))
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().put(
            urlsplit(started["uploadUrl"]).path, data=silent_clip.read_bytes(), content_type="video/mp4"
        )
    assert response.status_code == 200, response.content
    return str(started["video"]["id"])


def fetch(url: str) -> bytes:
    response = Client().get(urlsplit(url).path)
    assert response.status_code == 200, response.content
    return response.getvalue()


def download(client: GraphQLClient, video_id: str) -> str:
    """The URL of a new download link."""
    return str(assert_data(client(DOWNLOAD, {"id": video_id}), ("downloadVideo", "url")))


def gray_frame(video: bytes, folder: Path, name: str) -> bytes:
    """The frame a second into ``video``, one gray byte a pixel, row by row."""
    path = folder / name
    path.write_bytes(video)
    decoded = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-ss",
            "1",
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert len(decoded.stdout) == WIDTH * HEIGHT, "not a 320x240 video"
    return decoded.stdout


def difference(first: bytes, second: bytes, box: tuple[int, int, int, int]) -> float:
    """The mean absolute difference of two frames' gray levels (0-255) inside ``box``."""
    left, top, right, bottom = box
    pixels = [y * WIDTH + x for y in range(top, bottom) for x in range(left, right)]
    return sum(abs(first[p] - second[p]) for p in pixels) / len(pixels)


def marked_apart(
    download: bytes, playback: bytes, folder: Path, mark: tuple[int, int, int, int] = MARK
) -> tuple[float, float]:
    """How far the download's frame is from the other copy's where the mark is, and far from it."""
    ours, theirs = gray_frame(download, folder, "download.mp4"), gray_frame(playback, folder, "playback.mp4")
    return difference(ours, theirs, mark), difference(ours, theirs, FAR_FROM_IT)


def test_the_download_is_the_playable_copy_marked_with_the_creators_username(
    gql: Any, world: World, published: str, tmp_path: Path
) -> None:
    """Given the viewer downloads the creator's video, then the link serves an MP4 whose frame a
    second in differs from the playable copy's in the lower-left corner, where the @username is
    drawn, and hardly at all in the upper-right one: the same picture, marked."""
    viewer = gql(world.viewer)
    playback = fetch(assert_data(viewer(PLAY, {"id": published}), ("node", "playbackUrl")))

    downloaded = fetch(download(viewer, published))

    assert downloaded[4:8] == b"ftyp" and downloaded != playback
    at_the_mark, elsewhere = marked_apart(downloaded, playback, tmp_path)
    assert at_the_mark > 20, at_the_mark
    assert elsewhere < 3, elsewhere
    assert VideoMedia.objects.get(video__owner=world.creator).download_watermark == "creator"


def test_someone_who_cannot_see_the_video_cannot_download_it(gql: Any, world: World, published: str) -> None:
    """other_viewer is not the creator's friend: the FRIENDS video answers them as a missing one."""
    stranger = gql(world.other_viewer)

    hidden = stranger(DOWNLOAD, {"id": published})
    missing = stranger(DOWNLOAD, {"id": missing_gid("Video")})

    assert_denied(hidden, ("downloadVideo",), ErrorCode.NOT_FOUND)
    assert hidden.body == missing.body


def test_turning_downloads_off_refuses_new_links_and_revokes_given_ones(gql: Any, world: World, published: str) -> None:
    """Given the viewer holds an unused link, when the creator turns downloads off, then the
    viewer is refused a new one (FORBIDDEN) and the one they hold answers 404; the creator still
    downloads their own video (its playable copy: they mark nothing for themselves)."""
    viewer, creator = gql(world.viewer), gql(world.creator)
    given = urlsplit(download(viewer, published)).path

    assert_data(creator(DOWNLOADS_OFF, {"id": published}), ("updateVideo",))

    assert_denied(viewer(DOWNLOAD, {"id": published}), ("downloadVideo",), ErrorCode.FORBIDDEN)
    assert Client().get(given).status_code == 404
    playback = fetch(assert_data(creator(PLAY, {"id": published}), ("node", "playbackUrl")))
    assert fetch(download(creator, published)) == playback


def test_a_renamed_creator_has_their_copy_made_again(
    gql: Any, world: World, published: str, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """Given a download marked @creator, when the creator's username changes, then the next
    download answers UNAVAILABLE once and asks the worker for a new copy; the one after it serves
    that copy, marked with the new name: different where the mark is, the same elsewhere."""
    viewer = gql(world.viewer)
    before = fetch(download(viewer, published))
    User.objects.filter(pk=world.creator.pk).update(username="creator_renamed")

    with django_capture_on_commit_callbacks(execute=True):
        preparing = viewer(DOWNLOAD, {"id": published})
    after = fetch(download(viewer, published))

    assert_denied(preparing, ("downloadVideo",), ErrorCode.UNAVAILABLE)
    assert VideoMedia.objects.get(video__owner=world.creator).download_watermark == "creator_renamed"
    at_the_mark, elsewhere = marked_apart(after, before, tmp_path, PAST_THE_OLD_NAME)
    assert at_the_mark > 10, at_the_mark
    assert elsewhere < 3, elsewhere


def test_a_download_is_counted_and_tells_no_one(gql: Any, world: World, published: str) -> None:
    """The creator's insights count the download; no notification is written for anyone."""
    creator = gql(world.creator)
    notifications = Notification.objects.count()
    assert assert_data(creator(INSIGHTS, {"id": published}), ("video", "insights")) == {"downloadCount": 0}

    fetch(download(gql(world.viewer), published))

    assert assert_data(creator(INSIGHTS, {"id": published}), ("video", "insights")) == {"downloadCount": 1}
    assert Notification.objects.count() == notifications
