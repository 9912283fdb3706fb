"""The engagement app's subscriptions, declared on the Subscription root (``api.roots``) for both
engines: each returns its source stream, after refusing what it must."""

from collections.abc import AsyncGenerator

from accounts.models import User
from accounts.selectors import require_signed_in
from api.declarations import Call
from api.live import LiveConnection, live_connection_of
from engagement import live, selectors
from engagement.selectors import NotificationEvent


def subscription_notifications(root: None, call: Call) -> AsyncGenerator[NotificationEvent, None]:
    """The viewer's notification events: first the unread count as it stands, then each new
    notification and each change of the count, read when it arrives through the same selectors
    as ``Me.notifications``, so video visibility, blocks and mutes apply at delivery.
    Anonymous: ``Unauthenticated``."""
    me = require_signed_in(call.viewer)
    return _notification_events(me, live_connection_of(call.request))


async def _notification_events(me: User, connection: LiveConnection) -> AsyncGenerator[NotificationEvent, None]:
    group = live.notifications_group(me.pk)
    async with connection.listen(group, live.NOTIFICATIONS_CHANGED) as messages:
        # Read once listening: a change made in between arrives as an event after this one.
        current = await connection.read(selectors.notification_event, viewer=me, notification_id=None)
        if current is not None:
            yield current
        async for message in messages:
            notification_id = message.get("notification_id")
            event = await connection.read(selectors.notification_event, viewer=me, notification_id=notification_id)
            if event is not None:
                yield event
