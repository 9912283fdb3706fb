"""Staff screens for accounts and the follow graph.

Counters are read-only here: services keep them in step with ``F()``, and a follow deleted
from the admin has its users' counters recounted (``engagement.counters``), so the admin never
leaves drift behind. Both screens follow ``accesslog.screens.PersonalRelationsGuard``: the user
list filtered by ``?favorites__in=`` would otherwise name who saved what.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UsernameField
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from accesslog.screens import PersonalRelationsGuard, StaffModelAdmin
from accounts.models import Follow, User
from engagement import counters


class UserCreationForm(AdminUserCreationForm):
    """Django's forms name ``auth.User``, which our swapped model replaces."""

    class Meta:
        model = User
        fields = ("username",)
        field_classes = {"username": UsernameField}


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}


@admin.register(User)
class UserAdmin(PersonalRelationsGuard, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("username", "email", "account_type", "is_private", "follower_count", "is_staff", "is_active")
    list_filter = ("account_type", "is_private", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "email", "display_name", "first_name", "last_name")
    readonly_fields = ("follower_count", "following_count", "last_login", "date_joined")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Profile", {"fields": ("account_type", "display_name", "bio", "country", "birth_year", "gender")}),
        (
            "Privacy and creator defaults",
            {
                "fields": (
                    "is_private",
                    "liked_videos_visibility",
                    "default_allow_download",
                    "default_allow_comments",
                    "default_allow_duet",
                    "default_allow_stitch",
                )
            },
        ),
        (
            "Counters",
            {
                "fields": ("follower_count", "following_count"),
                "description": "Accepted follows only. Maintained by the services; "
                "`manage.py reconcile_counters --fix` repairs drift.",
            },
        ),
    )
    add_fieldsets = (
        *(DjangoUserAdmin.add_fieldsets or ()),
        ("Profile", {"fields": ("email", "account_type")}),
    )


@admin.register(Follow)
class FollowAdmin(StaffModelAdmin):
    """View and delete only: a follow is made, approved or declined by the people involved,
    through the services that also move the counters and notify."""

    list_display = ("id", "follower", "followee", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("follower", "followee")
    search_fields = ("follower__username", "followee__username")
    raw_id_fields = ("follower", "followee", "source_video")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Follow) -> None:
        users = [obj.follower_id, obj.followee_id]
        super().delete_model(request, obj)
        counters.counters_repair(user_ids=users)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Follow]) -> None:
        users = {user for pair in queryset.values_list("follower_id", "followee_id") for user in pair}
        super().delete_queryset(request, queryset)
        counters.counters_repair(user_ids=users)
