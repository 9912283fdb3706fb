from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccesslogConfig(AppConfig):
    """Staff access to people's private rows: the explicit permission it takes and the log of
    every access (docs/PRIVACY.md, "Staff")."""

    name = "accesslog"
    verbose_name = "Personal data access"
    default_auto_field = "django.db.models.BigAutoField"


class PrivacyAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the project's site (``accesslog.site``) as ``admin.site``."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin; the app's own is above
    default_site = "accesslog.site.PrivacyAdminSite"
