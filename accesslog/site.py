"""The project's admin site: every screen registered on it follows the personal-data rule
(``accesslog.screens``), whoever registers it, and the OAuth2 token screens are never on it.

Installed as the default site through ``accesslog.apps.PrivacyAdminConfig``, Django's own way to
replace ``admin.site``, so third-party apps' screens (django-oauth-toolkit's, say) are covered the
moment they register, in whatever order the apps load."""

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.db.models.base import ModelBase

from accesslog.screens import NOT_IN_THE_ADMIN, following_the_rule


class PrivacyAdminSite(admin.AdminSite):
    def register(
        self, model_or_iterable: type[Model] | Iterable[type[Model]], admin_class: Any = None, **options: Any
    ) -> None:
        models = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else list(model_or_iterable)
        kept = [model for model in models if model not in NOT_IN_THE_ADMIN]
        if kept:
            super().register(kept, following_the_rule(admin_class or admin.ModelAdmin), **options)
