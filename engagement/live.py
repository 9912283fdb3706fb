"""Live notifications, the publishing side: a write that changes someone's notifications tells
that person's open subscriptions once its transaction has committed, through the channel layer
(Redis with ``REDIS_URL``, so every process hears it; the process's own memory otherwise).

A message names a notification id at most, never its content: each subscription reads it back
through the selectors as its own viewer, so video visibility, blocks and mutes apply when it is
delivered. Saves, downloads, views and shares write no notification, so they publish nothing.

Publishing never fails the write nor holds it up for long: a layer that does not answer within
``LIVE_PUBLISH_TIMEOUT_SECONDS`` is logged and left alone for ``LIVE_PUBLISH_RETRY_SECONDS``
(a stalled Redis then costs one timeout per pause and process, not one per write). What is not
published is not retried; the next event brings the right unread count.
"""

import asyncio
import logging
import time
from collections.abc import Collection, Iterable
from functools import partial
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
from django.conf import settings
from django.db import transaction

from engagement.models import Notification

logger = logging.getLogger("engagement.live")

# The channel layer message type, and its handler's name on a consumer (dots become underscores).
NOTIFICATIONS_CHANGED = "notifications.changed"


def notifications_group(user_id: int) -> str:
    """The group of one person's open subscriptions to their notifications."""
    return f"notifications.{user_id}"


def notification_created(notification: Notification) -> None:
    """A notification row was written: its recipient's subscriptions get it on commit."""
    _publish_on_commit([notification.recipient_id], notification.pk)


def unread_counts_changed(recipient_ids: Iterable[int]) -> None:
    """Notifications were read or removed: their recipients' subscriptions get the new count."""
    _publish_on_commit(sorted(set(recipient_ids)), None)


def _publish_on_commit(recipient_ids: Collection[int], notification_id: int | None) -> None:
    if recipient_ids:
        transaction.on_commit(partial(publish, recipient_ids, notification_id))


class _Pause:
    """Until when publishing is skipped after a failure (per process)."""

    until = 0.0


def publish(recipient_ids: Collection[int], notification_id: int | None) -> None:
    """Send the message to each recipient's group now; log and carry on if the layer fails."""
    layer = get_channel_layer()
    if layer is None or time.monotonic() < _Pause.until:
        return
    message = {"type": NOTIFICATIONS_CHANGED, "notification_id": notification_id}
    try:
        async_to_sync(_send)(layer, recipient_ids, message)
    except Exception:  # the write has committed: nothing the layer raises may reach it
        _Pause.until = time.monotonic() + settings.LIVE_PUBLISH_RETRY_SECONDS
        logger.warning(
            "Live notifications not published to %d recipient(s); publishing paused for %s s",
            len(recipient_ids),
            settings.LIVE_PUBLISH_RETRY_SECONDS,
            exc_info=True,
        )


async def _send(layer: BaseChannelLayer, recipient_ids: Collection[int], message: dict[str, Any]) -> None:
    async with asyncio.timeout(settings.LIVE_PUBLISH_TIMEOUT_SECONDS):
        for recipient_id in recipient_ids:
            await layer.group_send(notifications_group(recipient_id), message)
