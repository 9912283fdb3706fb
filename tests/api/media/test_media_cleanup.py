"""A video's files go with it, once the deletion commits: ``deleteVideo``, and its owner's
account erased (``deleteAccount``); nobody else's files go with them."""

from pathlib import Path
from typing import Any

import pytest

from engagement.models import ProcessingState, VideoMedia
from tests.api.cases import assert_data
from tests.api.conftest import World, gid
from tests.api.media.conftest import make_still, needs_ffmpeg
from tests.api.media.helpers import attach_files, put_file, start_upload, stored_files
from tests.factories import password_of

pytestmark = [needs_ffmpeg, pytest.mark.both_engines]

DELETE_VIDEO = "mutation($id: ID!) { deleteVideo(input: {videoId: $id}) { deletedVideoId } }"
DELETE_ACCOUNT = "mutation($password: String!) { deleteAccount(input: {password: $password}) { deletedUserId } }"


@pytest.fixture
def published(gql: Any, world: World, short_clip: Path, django_capture_on_commit_callbacks: Any) -> VideoMedia:
    """A video of the creator's uploaded and processed: its upload, playable copy, poster and
    download copy all stored."""
    draft = start_upload(gql(world.creator), size=short_clip.stat().st_size)
    with django_capture_on_commit_callbacks(execute=True):
        assert put_file(draft.upload_path, short_clip.read_bytes()).status_code == 200
    media = VideoMedia.objects.select_related("video").get(pk=draft.pk)
    assert media.video.processing_state == ProcessingState.READY
    assert all((media.original, media.playback, media.poster, media.download))
    return media


@pytest.fixture
def someone_elses(world: World, short_clip: Path, tmp_path: Path) -> VideoMedia:
    return attach_files(world.other_creator_video, short_clip, make_still(tmp_path / "poster.jpg"))


def _keys(media: VideoMedia) -> set[str]:
    return {key for key in (media.original, media.playback, media.poster, media.download) if key}


def _stored_keys(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in stored_files(root)}


def test_deleting_a_video_deletes_its_files(
    gql: Any,
    world: World,
    published: VideoMedia,
    someone_elses: VideoMedia,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    assert _stored_keys(media_root) == _keys(published) | _keys(someone_elses)

    with django_capture_on_commit_callbacks(execute=True):
        assert_data(gql(world.creator)(DELETE_VIDEO, {"id": gid(published.video)}), ("deleteVideo",))

    assert _stored_keys(media_root) == _keys(someone_elses)


def test_erasing_the_owners_account_deletes_their_files(
    gql: Any,
    world: World,
    published: VideoMedia,
    someone_elses: VideoMedia,
    short_clip: Path,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Every video of theirs with files, the published one and one still a draft, loses them."""
    draft = start_upload(gql(world.creator), size=short_clip.stat().st_size)
    with django_capture_on_commit_callbacks():  # received, not processed: the draft holds its upload
        assert put_file(draft.upload_path, short_clip.read_bytes()).status_code == 200
    uploaded = VideoMedia.objects.get(pk=draft.pk)
    assert _stored_keys(media_root) == _keys(published) | _keys(uploaded) | _keys(someone_elses)

    with django_capture_on_commit_callbacks(execute=True):
        response = gql(world.creator)(DELETE_ACCOUNT, {"password": password_of(world.creator.username)})

    assert_data(response, ("deleteAccount",))
    assert _stored_keys(media_root) == _keys(someone_elses)
