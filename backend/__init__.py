"""The project: settings, URLs, the ASGI and WSGI applications and the worker's Celery app, loaded
with Django so that every task binds to it."""

from backend.celery import app as celery_app

__all__ = ["celery_app"]
