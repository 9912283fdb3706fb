"""The log of staff access to personal data in the admin, and the permission that access takes."""

from django.conf import settings
from django.db import models
from django.utils import timezone

PERMISSION_CODENAME = "view_personal_data"
PERMISSION = f"accesslog.{PERMISSION_CODENAME}"


class AccessAction(models.TextChoices):
    LIST = "LIST", "Listed rows"
    VIEW = "VIEW", "Opened one row"
    FILTER = "FILTER", "Listed rows through a relation to personal data"


class PersonalDataAccess(models.Model):
    """One time a staff member saw someone's favorites, collections, likes, views, shares or
    downloads in the admin: who, when, which screen, which rows and whose. Written by the admin
    itself (``accesslog.screens.PersonalDataAdmin``), never edited or deleted from it."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    staff_username = models.CharField(max_length=150, help_text="Kept if the staff account is deleted.")
    action = models.CharField(max_length=8, choices=AccessAction.choices)
    model = models.CharField(max_length=100, help_text="The screen's model, as app_label.model.")
    object_id = models.CharField(max_length=64, blank=True, help_text="The row opened (VIEW only).")
    subject_ids = models.JSONField(default=list, help_text="Ids of the users whose rows were shown.")
    row_count = models.PositiveIntegerField(default=0)
    query = models.CharField(max_length=500, blank=True, help_text="Search and filters of a listing.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "personal data access"
        verbose_name_plural = "personal data accesses"
        permissions = [
            (
                PERMISSION_CODENAME,
                "Can see users' favorites, collections, likes, views, shares and downloads in the admin "
                "(every access is logged; superuser status alone does not grant it)",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_username} {self.action} {self.model} at {self.created_at:%Y-%m-%d %H:%M}"
