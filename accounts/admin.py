"""Staff screens for accounts.

Counters are read-only here: services keep them in step with ``F()`` (the follow screen, which
recounts them after a deletion, is ``engagement.admin``'s). The user list follows
``accesslog.screens.PersonalRelationsGuard``: filtered by ``?favorites__in=`` it would otherwise
name who saved what. Nor does it list people by what they declared for aggregates (country,
region, gender, birth year): a person's page shows them, but ``?region=FR-IDF`` would name
everyone who declared that region, unlogged. Whom a person blocked or muted is theirs alone (docs/PRIVACY.md §7): those
screens open only to holders of the personal-data permission, read-only, and every access is
logged.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UsernameField
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

from accesslog.screens import PersonalDataAdmin, PersonalRelationsGuard
from accounts.models import Block, Mute, User


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


# What people declare for the breakdowns only: no list of people by them.
DECLARED_ATTRIBUTES = frozenset({"country", "region", "gender", "birth_year"})


@admin.register(User)
class UserAdmin(PersonalRelationsGuard, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("username", "email", "account_type", "is_private", "follower_count", "is_staff", "is_active")
    list_filter = ("account_type", "is_private", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "email", "display_name", "first_name", "last_name")
    readonly_fields = ("follower_count", "following_count", "last_login", "date_joined")

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        return lookup.split(LOOKUP_SEP)[0] not in DECLARED_ATTRIBUTES and super().lookup_allowed(lookup, value, request)

    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            "Profile",
            {
                "fields": (
                    "account_type",
                    "display_name",
                    "bio",
                    "country",
                    "region",
                    "birth_year",
                    "gender",
                    "time_zone",
                )
            },
        ),
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


# People's private choices: explicit permission, read-only, every access logged --------------------


@admin.register(Block)
class BlockAdmin(PersonalDataAdmin):
    subject_field = "blocker"
    list_display = ("id", "blocker", "blocked", "created_at")
    list_select_related = ("blocker", "blocked")
    search_fields = ("blocker__username",)
    date_hierarchy = "created_at"


@admin.register(Mute)
class MuteAdmin(PersonalDataAdmin):
    subject_field = "muter"
    list_display = ("id", "muter", "muted", "created_at")
    list_select_related = ("muter", "muted")
    search_fields = ("muter__username",)
    date_hierarchy = "created_at"
