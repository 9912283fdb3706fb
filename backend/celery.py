"""The worker's Celery application: ``celery -A backend worker --beat`` runs the media jobs and
the scheduled ones (``CELERY_*`` in backend/settings.py, README "Serving in production")."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

app = Celery("backend")
app.config_from_object("django.conf:settings", namespace="CELERY")
