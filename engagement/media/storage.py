"""Where a video's files live, and insights exports' (``engagement.analytics.export_files``): the
``media`` storage of ``STORAGES`` (the local file system, or an S3-compatible bucket through
django-storages), under keys that no one can guess. Nothing here decides who may read a file: the
links (``engagement.media.links``, ``engagement.analytics.export_links``) do, before anything is
read."""

import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages


def media_storage() -> Storage:
    return storages["media"]


def new_key(video_id: int, name: str) -> str:
    """A fresh key for one of a video's files: ``videos/<id>/<random>/<name>``."""
    return f"videos/{video_id}/{secrets.token_urlsafe(12)}/{name}"


def save(key: str, source: Path) -> str:
    """Store ``source`` under ``key``; returns the key the storage used."""
    with source.open("rb") as handle:
        return media_storage().save(key, File(handle, name=key))


def save_bytes(key: str, content: bytes) -> str:
    """Store ``content`` under ``key``; returns the key the storage used."""
    return media_storage().save(key, ContentFile(content, name=key))


def delete(*keys: str) -> None:
    """Remove the given files; a missing one is no error (a retried clean-up finds less)."""
    storage = media_storage()
    for key in keys:
        if key and storage.exists(key):
            storage.delete(key)


def local_path(key: str) -> Path | None:
    """The file's path when the storage is the local file system (served by this service with
    byte ranges), None for a bucket (which serves them itself, behind a signed redirect)."""
    storage = media_storage()
    return Path(storage.path(key)) if isinstance(storage, FileSystemStorage) else None


def bucket_url(key: str, *, filename: str | None = None) -> str:
    """A bucket's own short-lived signed link to the file (``MEDIA_S3_URL_SECONDS``); a named file
    is an attachment (a download, an insights export) that no cache keeps, as when served here."""
    params = (
        {
            "ResponseContentDisposition": f'attachment; filename="{filename}"',
            "ResponseCacheControl": "private, no-store",
        }
        if filename
        else None
    )
    return media_storage().url(key, parameters=params)  # type: ignore[call-arg]


@contextmanager
def workspace() -> Iterator[Path]:
    """A private scratch folder for one job, removed with everything in it when the job ends."""
    folder = Path(tempfile.mkdtemp(prefix="video-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def fetch(key: str, target: Path) -> Path:
    """Copy a stored file into the workspace for ffmpeg, which needs a real path."""
    with media_storage().open(key, "rb") as source, target.open("wb") as out:
        shutil.copyfileobj(source, out, length=1024 * 1024)
    return target
