"""The worker (run eagerly after the upload's commit) publishes a draft with what ffprobe found:
its length, a JPEG poster and an H.264 MP4 to play. A failure is tried again
MEDIA_PROCESSING_RETRIES times, then the draft is FAILED with the reason and none of its files
kept; a machine without ffmpeg says so at the upload. A duet notifies its source's owner when it
is published, not when its draft is started."""

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from engagement.media import ffmpeg, tasks
from engagement.models import Notification, NotificationKind, ProcessingState, Video, VideoMedia
from kernel.errors import ErrorCode
from tests.api.cases import assert_data
from tests.api.conftest import World, gid
from tests.api.media.conftest import make_clip, needs_ffmpeg
from tests.api.media.helpers import RESTART, Draft, path_of, put_file, start_upload, stored_files
from tests.api.test_json_answers import coded

pytestmark = [needs_ffmpeg]

OWN = """query($id: ID!) {
  node(id: $id) { ... on Video { processingState processingError durationSeconds playbackUrl posterUrl } }
}"""


def _upload(draft: Draft, clip: Path, capture: Any) -> None:
    """Send the file; the worker runs once the upload commits."""
    with capture(execute=True):
        assert put_file(draft.upload_path, clip.read_bytes()).status_code == 200


def _probe(path: Path) -> dict[str, Any]:
    """ffprobe's own account of a file, independent of the code under test."""
    args = ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)]
    info: dict[str, Any] = json.loads(subprocess.run(args, capture_output=True, check=True, timeout=30).stdout)
    return info


def _fetched(url: str, target: Path) -> Path:
    response = Client().get(path_of(url))
    assert response.status_code == 200, response.content
    target.write_bytes(response.getvalue())
    return target


@pytest.mark.both_engines
def test_the_worker_publishes_a_playable_video_with_its_poster(
    gql: Any, world: World, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """Given a 2-second clip uploaded to a draft, when the worker has run, then the video is READY,
    2 seconds long, its poster a JPEG and its playback file H.264 in MP4, each served to its owner."""
    clip = make_clip(tmp_path / "two.mp4", seconds=2)
    creator = gql(world.creator)
    draft = start_upload(creator, size=clip.stat().st_size)

    _upload(draft, clip, django_capture_on_commit_callbacks)

    video = assert_data(creator(OWN, {"id": draft.id}), ("node",))
    assert (video["processingState"], video["processingError"], video["durationSeconds"]) == ("READY", None, 2)
    poster = _fetched(video["posterUrl"], tmp_path / "poster")
    assert poster.read_bytes()[:3] == b"\xff\xd8\xff"
    playback = _probe(_fetched(video["playbackUrl"], tmp_path / "playback"))
    assert "mp4" in playback["format"]["format_name"].split(",")
    assert [(s["codec_type"], s["codec_name"]) for s in playback["streams"]] == [("video", "h264"), ("audio", "aac")]
    assert (playback["streams"][0]["width"], playback["streams"][0]["height"]) == (320, 240)


def test_a_failure_is_retried_then_reported_and_every_file_deleted(
    gql: Any,
    world: World,
    short_clip: Path,
    media_root: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    eager_retries: None,
) -> None:
    """Given a rendition that always fails, when a file is uploaded, then the worker tries
    1 + MEDIA_PROCESSING_RETRIES times, the draft is FAILED with the reason for its owner alone,
    the storage holds none of its files, and a new link takes a file that then publishes."""
    settings.MEDIA_PROCESSING_RETRIES = 2
    calls: list[Path] = []
    rendition = ffmpeg.make_rendition

    def broken(source: Path, target: Path) -> None:
        calls.append(source)
        raise ffmpeg.MediaError("ffmpeg could not process the video (test).")

    monkeypatch.setattr(ffmpeg, "make_rendition", broken)
    creator = gql(world.creator)
    draft = start_upload(creator, size=short_clip.stat().st_size)

    _upload(draft, short_clip, django_capture_on_commit_callbacks)

    assert len(calls) == 3
    failed = assert_data(creator(OWN, {"id": draft.id}), ("node",))
    assert failed["processingState"] == "FAILED" and failed["playbackUrl"] is None
    assert failed["processingError"] == (
        "The video could not be processed: ffmpeg could not process the video (test). Upload it again, or another file."
    )
    assert stored_files(media_root) == []
    assert VideoMedia.objects.get(pk=draft.pk).attempts == 3
    monkeypatch.setattr(ffmpeg, "make_rendition", rendition)
    restarted = assert_data(creator(RESTART, {"id": draft.id}), ("restartVideoUpload", "uploadUrl"))
    _upload(Draft(draft.id, draft.pk, path_of(restarted)), short_clip, django_capture_on_commit_callbacks)
    assert Video.objects.get(pk=draft.pk).processing_state == ProcessingState.READY


def test_without_ffmpeg_the_upload_is_unavailable_and_says_how_to_install_it(
    gql: Any,
    world: World,
    short_clip: Path,
    tmp_path: Path,
    media_root: Path,
    scratch_root: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    draft = start_upload(gql(world.creator), size=short_clip.stat().st_size)
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools-here"))

    response = put_file(draft.upload_path, short_clip.read_bytes())

    assert coded(response, 503, ErrorCode.UNAVAILABLE)["message"] == ffmpeg.FFMPEG_MISSING
    assert "apt-get install ffmpeg" in ffmpeg.FFMPEG_MISSING
    assert stored_files(media_root) == [] and list(scratch_root.iterdir()) == []
    assert Video.objects.get(pk=draft.pk).processing_state == ProcessingState.AWAITING_UPLOAD


def test_a_duet_notifies_its_source_owner_when_published_not_before(
    gql: Any, world: World, short_clip: Path, django_capture_on_commit_callbacks: Any
) -> None:
    def duets() -> int:
        return Notification.objects.filter(recipient=world.creator, kind=NotificationKind.DUET).count()

    draft = start_upload(
        gql(world.other_creator), size=short_clip.stat().st_size, remixOfId=gid(world.public_video), remixKind="DUET"
    )
    with django_capture_on_commit_callbacks() as after_the_upload:
        assert put_file(draft.upload_path, short_clip.read_bytes()).status_code == 200
    assert duets() == 0

    with django_capture_on_commit_callbacks(execute=True):  # the upload commits: the worker runs
        for callback in after_the_upload:
            callback()

    notification = Notification.objects.get(recipient=world.creator, kind=NotificationKind.DUET)
    assert (notification.actor, notification.video_id) == (world.other_creator, draft.pk)


def test_an_unexpected_error_fails_the_draft_rather_than_leaving_it_processing(
    gql: Any,
    world: World,
    short_clip: Path,
    media_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A bug in the job is not retried, but the draft must not stay PROCESSING, where its owner
    could never upload again: it is FAILED, without its files, and the error still raised."""

    def buggy(source: Path, target: Path) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(ffmpeg, "make_rendition", buggy)
    creator = gql(world.creator)
    draft = start_upload(creator, size=short_clip.stat().st_size)

    with django_capture_on_commit_callbacks():  # received; the worker is run below
        assert put_file(draft.upload_path, short_clip.read_bytes()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ZeroDivisionError):
        tasks.process_video.delay(draft.pk)

    failed = assert_data(creator(OWN, {"id": draft.id}), ("node",))
    assert failed["processingState"] == "FAILED"
    assert (
        failed["processingError"]
        == "The video could not be processed: an error on our side. Upload it again, or another file."
    )
    assert stored_files(media_root) == []
    assert_data(creator(RESTART, {"id": draft.id}), ("restartVideoUpload", "uploadUrl"))
