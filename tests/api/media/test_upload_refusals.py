"""The ``PUT`` to an upload link refuses what is not an acceptable video, each time with a JSON
error that says why, and keeps nothing of it: no file in the storage, no scratch folder, the draft
still AWAITING_UPLOAD and its link still taking a good file. Sending again before the worker has
the file replaces it; after, the link is gone."""

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from pytest_django import Settings

from engagement.media import tasks
from engagement.models import ProcessingState, Video, VideoMedia
from kernel.errors import ErrorCode
from tests.api.cases import assert_data
from tests.api.conftest import World
from tests.api.media.conftest import make_clip, make_still, make_tone, needs_ffmpeg
from tests.api.media.helpers import RESTART, Draft, put_file, start_upload, stored_files
from tests.api.test_json_answers import coded

pytestmark = [needs_ffmpeg]

# A file that is not what it claims to be, and what the refusal says of it.
Body = Callable[[Path, Path], bytes]


def _random_bytes(clip: Path, folder: Path) -> bytes:
    return os.urandom(4096)


def _text(clip: Path, folder: Path) -> bytes:
    return b"just some words, not a video\n" * 50


def _png(clip: Path, folder: Path) -> bytes:
    return make_still(folder / "frame.png").read_bytes()


def _jpeg(clip: Path, folder: Path) -> bytes:
    return make_still(folder / "frame.jpg").read_bytes()


def _first_half(clip: Path, folder: Path) -> bytes:
    whole = clip.read_bytes()
    return whole[: len(whole) // 2]


def _tone(clip: Path, folder: Path) -> bytes:
    return make_tone(folder / "tone.mp4").read_bytes()


@pytest.fixture
def draft(gql: Any, world: World, clip: Path) -> Draft:
    return start_upload(gql(world.creator), size=clip.stat().st_size)


@pytest.fixture
def enqueued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The drafts handed to the worker, which is left out: the file stays UPLOADED."""
    handed: list[int] = []
    monkeypatch.setattr(tasks, "enqueue_processing", handed.append)
    return handed


def _assert_nothing_kept(draft: Draft, media_root: Path, scratch_root: Path, clip: Path) -> None:
    """Nothing of the refused body is anywhere, and the same link still takes a good file."""
    assert stored_files(media_root) == []
    assert list(scratch_root.iterdir()) == []
    media = VideoMedia.objects.select_related("video").get(pk=draft.pk)
    assert (media.video.processing_state, media.original, media.original_bytes) == (
        ProcessingState.AWAITING_UPLOAD,
        "",
        0,
    )
    assert put_file(draft.upload_path, clip.read_bytes()).status_code == 200


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (_random_bytes, "not a video this service reads"),
        (_text, "not a video this service reads"),
        (_png, "not a video this service reads"),
        (_jpeg, "not a video this service reads"),
        (_first_half, "not a video this service reads"),
        (_tone, "no video stream"),
    ],
)
def test_a_file_that_is_no_video_is_refused_and_forgotten(
    draft: Draft,
    clip: Path,
    tmp_path: Path,
    media_root: Path,
    scratch_root: Path,
    enqueued: list[int],
    body: Body,
    reason: str,
) -> None:
    """Given random bytes, text, a PNG or JPEG image, the first half of an MP4 or an MP4 holding only a
    tone, sent as video/mp4, then 422 BAD_USER_INPUT saying what is wrong, and nothing kept."""
    response = put_file(draft.upload_path, body(clip, tmp_path))

    assert reason in coded(response, 422, ErrorCode.BAD_USER_INPUT)["message"]
    assert enqueued == []
    _assert_nothing_kept(draft, media_root, scratch_root, clip)


def test_a_video_longer_than_the_limit_is_refused(
    draft: Draft, clip: Path, media_root: Path, scratch_root: Path, settings: Settings, enqueued: list[int]
) -> None:
    settings.MEDIA_MAX_DURATION_SECONDS = 2

    response = put_file(draft.upload_path, clip.read_bytes())

    assert coded(response, 422, ErrorCode.BAD_USER_INPUT)["message"] == "The video runs 3 s; at most 2 s are accepted."
    settings.MEDIA_MAX_DURATION_SECONDS = 3
    _assert_nothing_kept(draft, media_root, scratch_root, clip)


def test_a_file_larger_than_the_limit_is_refused(
    draft: Draft, clip: Path, media_root: Path, scratch_root: Path, settings: Settings, enqueued: list[int]
) -> None:
    size = clip.stat().st_size
    settings.MEDIA_MAX_UPLOAD_BYTES = size - 1

    response = put_file(draft.upload_path, clip.read_bytes())

    assert str(size - 1) in coded(response, 413, ErrorCode.BAD_USER_INPUT)["message"]
    settings.MEDIA_MAX_UPLOAD_BYTES = size
    _assert_nothing_kept(draft, media_root, scratch_root, clip)


@pytest.mark.parametrize("content_type", ["application/octet-stream", "text/plain", "image/png"])
def test_a_body_of_another_type_is_refused_415(
    draft: Draft, clip: Path, media_root: Path, scratch_root: Path, enqueued: list[int], content_type: str
) -> None:
    response = put_file(draft.upload_path, clip.read_bytes(), content_type=content_type)

    assert "Content-Type must be one of" in coded(response, 415, ErrorCode.BAD_USER_INPUT)["message"]
    _assert_nothing_kept(draft, media_root, scratch_root, clip)


def test_a_body_without_its_length_is_refused_411(
    draft: Draft, clip: Path, media_root: Path, scratch_root: Path, enqueued: list[int]
) -> None:
    """A body sent with no Content-Length (chunked, say) is refused before it is read."""
    body: dict[str, Any] = {"wsgi.input": io.BytesIO(clip.read_bytes()), "CONTENT_TYPE": "video/mp4"}

    response = Client().generic("PUT", draft.upload_path, **body)

    assert "Content-Length is required" in coded(response, 411, ErrorCode.BAD_USER_INPUT)["message"]
    _assert_nothing_kept(draft, media_root, scratch_root, clip)


def test_a_body_shorter_than_its_length_is_refused_400(
    draft: Draft, clip: Path, media_root: Path, scratch_root: Path, enqueued: list[int]
) -> None:
    """The connection ends before Content-Length bytes arrived: what did arrive is thrown away."""
    whole = clip.read_bytes()
    body: dict[str, Any] = {
        "wsgi.input": io.BytesIO(whole[:1000]),
        "CONTENT_TYPE": "video/mp4",
        "CONTENT_LENGTH": str(len(whole)),
    }

    response = Client().generic("PUT", draft.upload_path, **body)

    assert "ended before Content-Length" in coded(response, 400, ErrorCode.BAD_USER_INPUT)["message"]
    _assert_nothing_kept(draft, media_root, scratch_root, clip)


def _forged(draft: Draft) -> str:
    return draft.upload_path.replace("/uploads/", "/uploads/x", 1)


def _of_another_draft(draft: Draft) -> str:
    """A well-signed link naming the same draft with a ticket that was never issued."""
    token = signing.dumps([draft.pk, "0" * 32], salt="engagement.media.links.upload")
    return f"/uploads/{token}/"


@pytest.mark.parametrize("link", [_forged, _of_another_draft])
def test_a_link_that_was_never_issued_is_404(
    draft: Draft, clip: Path, media_root: Path, scratch_root: Path, enqueued: list[int], link: Callable[[Draft], str]
) -> None:
    response = put_file(link(draft), clip.read_bytes())

    assert coded(response, 404, ErrorCode.NOT_FOUND)["message"].startswith("This upload link is invalid")
    _assert_nothing_kept(draft, media_root, scratch_root, clip)


def test_an_expired_link_is_404(
    draft: Draft,
    clip: Path,
    media_root: Path,
    scratch_root: Path,
    settings: Settings,
    enqueued: list[int],
    signing_clock: Callable[[float], None],
) -> None:
    """Past MEDIA_UPLOAD_URL_SECONDS the link is refused; shortly before, it was not."""
    signing_clock(settings.MEDIA_UPLOAD_URL_SECONDS + 2)

    coded(put_file(draft.upload_path, clip.read_bytes()), 404, ErrorCode.NOT_FOUND)

    assert stored_files(media_root) == []
    signing_clock(settings.MEDIA_UPLOAD_URL_SECONDS - 2)
    _assert_nothing_kept(draft, media_root, scratch_root, clip)


def test_get_on_an_upload_link_is_405(draft: Draft) -> None:
    response = Client().get(draft.upload_path)

    assert coded(response, 405, ErrorCode.BAD_USER_INPUT)["message"] == "This link answers PUT only."
    assert response["Allow"] == "PUT"
    assert VideoMedia.objects.get(pk=draft.pk).original == ""


def test_sending_again_before_processing_replaces_the_file(
    draft: Draft,
    clip: Path,
    tmp_path: Path,
    media_root: Path,
    enqueued: list[int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Given a file received but not yet taken by the worker, when the uploader sends another,
    then the second is the draft's file and the first is deleted from the storage."""
    second = make_clip(tmp_path / "second.mp4", seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert put_file(draft.upload_path, clip.read_bytes()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert put_file(draft.upload_path, second.read_bytes()).status_code == 200

    media = VideoMedia.objects.get(pk=draft.pk)
    assert [path.read_bytes() for path in stored_files(media_root)] == [second.read_bytes()]
    assert media_root / media.original == stored_files(media_root)[0]
    assert media.original_bytes == second.stat().st_size
    assert enqueued == [draft.pk, draft.pk]  # the worker finds the second file, and nothing the second time


def test_the_link_is_gone_once_the_file_is_processed(
    draft: Draft, clip: Path, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert put_file(draft.upload_path, clip.read_bytes()).json()["processingState"] == "UPLOADED"
    assert Video.objects.get(pk=draft.pk).processing_state == ProcessingState.READY
    published = stored_files(media_root)

    again = put_file(draft.upload_path, clip.read_bytes())

    coded(again, 404, ErrorCode.NOT_FOUND)
    assert stored_files(media_root) == published


@pytest.mark.parametrize("content_type", ["video/mp4", "text/plain"])
def test_a_replaced_link_is_404_before_the_body_is_looked_at(
    gql: Any, world: World, draft: Draft, clip: Path, scratch_root: Path, settings: Settings, content_type: str
) -> None:
    """A link ended by a new one answers 404 whatever comes with it (a wrong type, a body over the
    limit), as a forged one does, and nothing of the body is even written to a scratch folder."""
    assert_data(gql(world.creator)(RESTART, {"id": draft.id}), ("restartVideoUpload",))
    settings.MEDIA_MAX_UPLOAD_BYTES = 10

    response = put_file(draft.upload_path, clip.read_bytes(), content_type=content_type)

    coded(response, 404, ErrorCode.NOT_FOUND)
    assert list(scratch_root.iterdir()) == []
