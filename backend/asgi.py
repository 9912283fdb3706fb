"""ASGI entry point (uvicorn backend.asgi:application)."""

import os

from django.core.asgi import get_asgi_application

from backend.secret_keys import require_keys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
application = get_asgi_application()
# uvicorn runs no system checks: with DEBUG off, refuse to serve without real keys here.
require_keys()
