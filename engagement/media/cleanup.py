"""A video's files go with it: however its row is deleted (``deleteVideo``, its owner's account
erased, the admin), its files are removed from the storage once the deletion commits."""

from typing import Any

from django.db import transaction

from engagement.media import storage
from engagement.models import VideoMedia


def delete_files(sender: type[VideoMedia], instance: VideoMedia, **kwargs: Any) -> None:
    keys = (instance.original, instance.playback, instance.poster, instance.download)
    transaction.on_commit(lambda: storage.delete(*keys))
