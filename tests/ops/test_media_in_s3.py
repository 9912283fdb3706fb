"""Video files in an S3-compatible bucket (django-storages), the storage of a deployment that sets
MEDIA_S3_BUCKET: an upload is stored there, the worker reads it from there and writes its copies
back, and a playback or download link is answered, after this service's own checks, by a redirect
to the bucket's short-lived signed link. The bucket is moto's, in this process."""

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from django.test import Client
from moto import mock_aws
from pytest_django import Settings

from engagement.media import downloads, links, storage, tasks, uploads
from engagement.media.links import MediaFile
from engagement.models import ProcessingState, Video
from tests.api.media.conftest import make_clip, needs_ffmpeg
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, needs_ffmpeg]
BUCKET = "videos-under-test"


@pytest.fixture
def bucket(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "media": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "querystring_expire": 60,
                    "file_overwrite": False,
                    "signature_version": "s3v4",
                },
            },
        }
        settings.CELERY_TASK_ALWAYS_EAGER = True
        yield


def _stored_keys() -> list[str]:
    listing = boto3.client("s3", region_name="us-east-1").list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_upload_processing_and_links_go_through_the_bucket(
    bucket: None, tmp_path: Path, django_capture_on_commit_callbacks: object
) -> None:
    creator, viewer = make_user("s3_creator"), make_user("s3_viewer")
    clip = make_clip(tmp_path / "clip.mp4", seconds=2)
    ticket = uploads.upload_start(
        actor=creator, caption="in a bucket", content_type="video/mp4", size_bytes=clip.stat().st_size
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        answer = Client().put(ticket.url, data=clip.read_bytes(), content_type="video/mp4")
    assert answer.status_code == 200, answer.content

    video = Video.objects.select_related("media", "owner").get(pk=ticket.video.pk)
    assert video.processing_state == ProcessingState.READY
    media = video.media
    assert storage.local_path(media.playback) is None
    assert _stored_keys() == sorted([media.original, media.playback, media.poster, media.download])

    played = Client().get(links.file_url(viewer, video, MediaFile.PLAYBACK) or "", HTTP_RANGE="bytes=0-9")
    assert played.status_code == 302
    target = urlsplit(played["Location"])
    query = parse_qs(target.query)
    assert target.path.endswith(media.playback)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query

    grant = downloads.download_create(actor=viewer, video_id=video.pk)
    fetched = Client().get(grant.url)
    assert fetched.status_code == 302
    assert urlsplit(fetched["Location"]).path.endswith(media.download)
    assert "attachment" in parse_qs(urlsplit(fetched["Location"]).query)["response-content-disposition"][0]
    assert parse_qs(urlsplit(fetched["Location"]).query)["response-cache-control"] == ["private, no-store"]


def test_a_hidden_video_is_never_redirected_to_the_bucket(bucket: None, tmp_path: Path) -> None:
    creator, stranger = make_user("s3_owner"), make_user("s3_stranger")
    clip = make_clip(tmp_path / "clip.mp4", seconds=1)
    ticket = uploads.upload_start(
        actor=creator,
        caption="friends only",
        visibility="FRIENDS",
        content_type="video/mp4",
        size_bytes=clip.stat().st_size,
    )
    uploads.upload_receive(
        token=ticket.url.rstrip("/").rsplit("/", 1)[-1],
        body=clip.open("rb"),
        content_type="video/mp4",
        length=str(clip.stat().st_size),
        enqueue=lambda video_id: None,
    )
    tasks.process_video(ticket.video.pk)
    video = Video.objects.get(pk=ticket.video.pk)
    assert video.processing_state == ProcessingState.READY
    # A link made out to the owner, then used by the stranger it was forwarded to, still works
    # for its life (it is a bearer link); one made out to the stranger never does.
    assert links.file_url(creator, video, MediaFile.PLAYBACK) is not None
    forged_for_stranger = links.file_url(stranger, video, MediaFile.PLAYBACK) or ""
    refused = Client().get(forged_for_stranger)
    assert refused.status_code == 404
    assert "Location" not in refused
