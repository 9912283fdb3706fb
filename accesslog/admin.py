"""Admin screens over people's private rows open only to staff holding an explicit permission, and
every access written to a log the admin shows.

Django lets a superuser do anything and lets any model permission come from a group handed out
in bulk; neither is an *explicit* decision to look at someone's saves. So these screens ask for
``accesslog.view_personal_data`` held by the user or one of their groups, superuser or not. A
superuser can still grant it to themselves, and that grant lands in Django's own change history.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db.models import Model, Q
from django.http import HttpRequest, HttpResponse

from accesslog.models import PERMISSION_CODENAME, AccessAction, PersonalDataAccess


def holds_personal_data_permission(user: Any) -> bool:
    """Whether an active staff member holds the permission itself (directly or through a group);
    superuser status is not enough."""
    if not (user.is_active and user.is_staff):
        return False
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user), content_type__app_label="accesslog", codename=PERMISSION_CODENAME
    ).exists()


def log_access(
    request: HttpRequest,
    *,
    action: str,
    model: type[Model],
    subject_ids: list[int],
    object_id: str = "",
    row_count: int = 0,
) -> PersonalDataAccess:
    user: Any = request.user
    return PersonalDataAccess.objects.create(
        staff=user,
        staff_username=user.get_username(),
        action=action,
        model=model._meta.label_lower,
        object_id=object_id,
        subject_ids=sorted(set(subject_ids)),
        row_count=row_count,
        query=request.GET.urlencode()[:500],
    )


class PersonalDataAdmin(admin.ModelAdmin):
    """Read-only screen over rows that belong to one person each (``subject_field`` names them):
    absent from the admin for anyone without the explicit permission, and each listing or
    opened row logged with whose rows were shown."""

    subject_field = "user"

    def _subject_of(self, obj: Any) -> int | None:
        subject_id: int | None = getattr(obj, f"{self.subject_field}_id")
        return subject_id

    def has_module_permission(self, request: HttpRequest) -> bool:
        return holds_personal_data_permission(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return holds_personal_data_permission(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code == 200 and changelist is not None:
            rows = list(changelist.result_list)
            subjects = [subject for subject in map(self._subject_of, rows) if subject is not None]
            log_access(request, action=AccessAction.LIST, model=self.model, subject_ids=subjects, row_count=len(rows))
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        original = (getattr(response, "context_data", None) or {}).get("original")
        if response.status_code == 200 and original is not None:
            subject = self._subject_of(original)
            log_access(
                request,
                action=AccessAction.VIEW,
                model=self.model,
                subject_ids=[subject] if subject is not None else [],
                object_id=str(original.pk),
                row_count=1,
            )
        return response


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The access log, read-only: written by the screens above, never edited or deleted here."""

    list_display = ("created_at", "staff_username", "action", "model", "object_id", "row_count", "subject_ids")
    list_filter = ("action", "model")
    search_fields = ("staff_username", "model", "object_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
