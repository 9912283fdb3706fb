"""The access log's own screen, and the system check that every screen follows the personal-data
rule (``accesslog.screens``)."""

from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.contrib.admin.sites import all_sites
from django.contrib.admin.utils import flatten_fieldsets
from django.core import checks

from accesslog.models import PersonalDataAccess
from accesslog.screens import (
    PersonalDataAdmin,
    PersonalRelationsGuard,
    _order_paths,
    _search_path,
    personal_data_models,
)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(PersonalDataAdmin):
    """The access log, read-only, never edited or deleted here, and itself a personal-data screen:
    each row repeats the query and the people it found, so showing it to other staff (superusers
    included) would publish every look a holder made. Auditors hold the permission; their own
    reading of the log is logged like any other."""

    subject_field = "staff"
    list_display = ("created_at", "staff_username", "action", "model", "object_id", "row_count", "subject_ids")
    list_filter = ("action", "model")
    search_fields = ("staff_username", "model", "object_id")
    date_hierarchy = "created_at"


@checks.register(checks.Tags.admin)
def check_personal_relations(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """At start-up rather than on a staff member's first 400: every screen follows the rule, and no
    screen but a PersonalDataAdmin is built on a path to personal data or shows it inline."""
    return [
        error for site in all_sites for model_admin in site._registry.values() for error in rule_errors(model_admin)
    ]


def rule_errors(model_admin: Any) -> list[checks.CheckMessage]:
    """What ``model_admin`` gets wrong about the rule, as system-check errors."""
    if not isinstance(model_admin, PersonalRelationsGuard):
        hint = "Inherit accesslog.screens.StaffModelAdmin (or PersonalRelationsGuard)."
        message = f"{type(model_admin).__qualname__} does not follow accesslog.screens.PersonalRelationsGuard."
        return [checks.Error(message, hint=hint, obj=type(model_admin), id="accesslog.E001")]
    if model_admin.screen_is_personal_data:
        return []
    hint = "Show it on a PersonalDataAdmin screen, behind the permission and logged."
    errors: list[checks.CheckMessage] = [
        checks.Error(
            f"{option} reaches personal data through {path!r}.", hint=hint, obj=type(model_admin), id="accesslog.E002"
        )
        for option, path in _declared_paths(model_admin)
        if model_admin.personal_steps(path)
    ]
    personal = personal_data_models(model_admin.admin_site)
    errors += [
        checks.Error(
            f"The inline {inline.__name__} shows personal data.", hint=hint, obj=type(model_admin), id="accesslog.E003"
        )
        for inline in model_admin.inlines
        if inline.model in personal
    ]
    return errors


def _declared_paths(model_admin: Any) -> Iterator[tuple[str, str]]:
    """Every field path ``model_admin`` declares: columns and their sort keys, ordering, search,
    raw-id and autocomplete widgets, read-only and form fields, list filters, select_related and the
    date hierarchy."""
    for column in model_admin.list_display:
        attribute = column if callable(column) else getattr(model_admin, column, None)
        attribute = attribute or getattr(model_admin.model, str(column), None)
        if isinstance(column, str):
            yield "list_display", column
        for path in _order_paths(getattr(attribute, "admin_order_field", None)):
            yield "list_display (ordering)", path
    for option in ("ordering", "search_fields", "raw_id_fields", "autocomplete_fields", "readonly_fields"):
        for value in getattr(model_admin, option) or ():
            for path in _order_paths(value):
                yield option, _search_path(path)
    for list_filter in model_admin.list_filter:
        name = list_filter[0] if isinstance(list_filter, (list, tuple)) else list_filter
        if isinstance(name, str):
            yield "list_filter", name
    if isinstance(model_admin.list_select_related, (list, tuple)):
        for path in model_admin.list_select_related:
            yield "list_select_related", path
    if model_admin.date_hierarchy:
        yield "date_hierarchy", model_admin.date_hierarchy
    fields = flatten_fieldsets(model_admin.fieldsets) if model_admin.fieldsets else model_admin.fields or ()
    for name in fields:
        if isinstance(name, str):
            yield "fields", name
