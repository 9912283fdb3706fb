"""ASGI entry point (uvicorn backend.asgi:application): HTTP, and WebSockets for GraphQL
subscriptions (backend/urls.py ``websocket_urlpatterns``, each handshake held to its route's
declaration by backend/websocket_access.py)."""

import os

from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

from backend.secret_keys import require_keys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
http_application = get_asgi_application()  # sets Django up before the URLconf is imported

from backend.urls import websocket_urlpatterns  # noqa: E402
from backend.websocket_access import WebSocketAccess  # noqa: E402

application = ProtocolTypeRouter(
    {"http": http_application, "websocket": WebSocketAccess(URLRouter(websocket_urlpatterns))}
)
# uvicorn runs no system checks: with DEBUG off, refuse to serve without real keys here.
require_keys()
