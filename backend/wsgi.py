"""WSGI entry point (gunicorn backend.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

from backend.secret_keys import require_keys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
application = get_wsgi_application()
# gunicorn runs no system checks: with DEBUG off, refuse to serve without real keys here.
require_keys()
