"""The worker's daily clean-up of credentials past their end (``CELERY_BEAT_SCHEDULE`` in
backend/settings.py): OAuth2 access, refresh and ID tokens and authorization grants, as
django-oauth-toolkit's ``manage.py cleartokens`` removes them, and browser sessions, as Django's
``manage.py clearsessions`` does (both commands stay for manual runs). Each only deletes rows that
have expired, so a second run, even at once, finds them gone and leaves the same rows."""

from importlib import import_module

from celery import shared_task
from django.conf import settings
from oauth2_provider.models import clear_expired


@shared_task(name="accounts.clear_expired_credentials")
def clear_expired_credentials() -> None:
    clear_expired()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
