"""Admin screens over people's private rows open only to staff holding an explicit permission, and
every access written to a log the admin shows.

Django lets a superuser do anything and lets any model permission come from a group handed out
in bulk; neither is an *explicit* decision to look at someone's saves. So these screens ask for
``accesslog.view_personal_data`` held by the user or one of their groups, superuser or not. A
superuser can still grant it to themselves, and that grant lands in Django's own change history.

Any other screen can tell the same thing through a relation: ``/admin/accounts/user/?favorites__in=1``
lists whoever saved favorite 1, and Django's own ``lookup_allowed`` lets a single relation step
through. So every screen on the site follows one rule, ``PersonalRelationsGuard``: a query parameter,
search, column, ordering, list filter or date drill-down whose path lands, at any step, on a
personal-data model (one shown through ``PersonalDataAdmin``, or declared with
``declare_personal_data``) is refused the way Django refuses a disallowed lookup (400) unless the
staff member holds the permission, and with it the listing is logged as a FILTER access. The
project's screens inherit the rule (``StaffModelAdmin``); screens other apps register are put under
it by the site itself (``accesslog.site.PrivacyAdminSite``, the project's admin site). A system
check (``accesslog.E001``-``E003``) names at start-up a screen that breaks the rule in its own
declarations, rather than leaving it to a staff member's first 400.

django-oauth-toolkit registers its own screens. Application stays, under the rule: staff manage the
client apps. AccessToken, RefreshToken, Grant, IDToken and DeviceGrant are taken off the admin:
each row says who authorized which app, which is personal, and no staff task needs a list of them
(people revoke their own tokens; the OAuth flows issue and expire them). They still count as
personal data, so no screen reaches them through a relation without the permission either.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.sites import AdminSite
from django.contrib.admin.utils import build_q_object_from_lookup_parameters, prepare_lookup_value
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.contrib.auth.models import Permission
from django.core.exceptions import FieldDoesNotExist, FieldError, ValidationError
from django.db.models import F, Model, Q, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse
from django.utils.text import capfirst
from oauth2_provider.models import (
    get_access_token_model,
    get_device_grant_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

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


# Personal data reached through a relation ---------------------------------------------------------

# Models whose rows are personal although no PersonalDataAdmin shows them, with the fields naming
# whose they are. Every model registered with a PersonalDataAdmin counts too (``subject_field``).
_DECLARED_PERSONAL_DATA: dict[type[Model], tuple[str, ...]] = {}

# Off the admin altogether (see the module docstring); registering them later is ignored as well.
NOT_IN_THE_ADMIN: tuple[type[Model], ...] = (
    get_access_token_model(),
    get_refresh_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_device_grant_model(),
)


def declare_personal_data(model: type[Model], *subject_fields: str) -> None:
    """Count ``model``'s rows as personal data, ``subject_fields`` naming the people they belong to,
    for a model no ``PersonalDataAdmin`` shows (its own screen, if any, decides what it lists)."""
    _DECLARED_PERSONAL_DATA[model] = subject_fields


for _token_model in NOT_IN_THE_ADMIN:
    declare_personal_data(_token_model, "user")


def personal_data_models(site: AdminSite) -> dict[type[Model], tuple[str, ...]]:
    """Every personal-data model, with the fields that name whose each row is."""
    found = dict(_DECLARED_PERSONAL_DATA)
    for model, model_admin in site._registry.items():
        if isinstance(model_admin, PersonalDataAdmin):
            found[model] = (model_admin.subject_field,)
    return found


def relation_steps(model: type[Model], path: str) -> list[tuple[str, type[Model]]]:
    """Each relation ``path`` crosses from ``model``, as (the path up to it, the model it lands on).

    Walks field names the way the ORM resolves them (reverse relations by their query name, ``pk``,
    ``<fk>_id``) and stops at the first part that is not a relation: the rest are transforms and
    lookups (``__year``, ``__in``) or names that are not fields at all."""
    steps: list[tuple[str, type[Model]]] = []
    parts = path.lstrip("-?").split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        try:
            field: Any = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        target: Any = field.related_model  # None on a generic foreign key
        if not (field.is_relation and isinstance(target, type) and issubclass(target, Model)):
            break
        model = target
        steps.append((LOOKUP_SEP.join(parts[: index + 1]), model))
    return steps


def _order_paths(value: Any) -> list[str]:
    """The field paths an ordering (a name, ``F()`` or an ordering expression) sorts by."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, F):
        return [value.name]
    if hasattr(value, "flatten"):
        return [part.name for part in value.flatten() if isinstance(part, F)]
    return []


def _search_path(search_field: str) -> str:
    return search_field.lstrip("^=@")


def _is_autocomplete(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
else:
    _ModelAdmin = object


# What the delete page says instead of listing or naming the private rows a deletion takes along.
PRIVATE_ROWS = "people's private rows (ask a holder of the personal-data permission)"
PRIVATE_ROWS_TAKEN = "Any private rows of people that belong to it (saves, likes, views, …), not listed here"


def _without_labels(listed: list[Any], labels: set[str]) -> list[Any]:
    """Django's nested list of what a deletion takes along, without the entries (and the entries
    nested under them) whose text starts with one of ``labels`` ("Favorite: …")."""
    kept: list[Any] = []
    skipping = False
    for entry in listed:
        if isinstance(entry, list):
            if not skipping:
                kept.append(_without_labels(entry, labels))
            skipping = False
            continue
        skipping = any(str(entry).startswith(f"{label}:") for label in labels)
        if not skipping:
            kept.append(entry)
    return kept


class PersonalRelationsGuard(_ModelAdmin):
    """The rule every screen follows (module docstring): nothing reaches a personal-data model
    through a relation without the permission, and with it the listing is logged.

    ``lookup_allowed`` covers query parameters (date drill-downs and list filters arrive as ones),
    ``get_changelist_instance`` what the screen itself is built on (columns and their sort keys,
    ordering, list filters, date hierarchy, search fields while searching), ``get_search_results``
    the autocomplete view, which has no changelist, and ``to_field_allowed`` ``?_to_field=``."""

    # A PersonalDataAdmin screen is itself behind the permission and logs every listing with its
    # query, so what it is built on needs no second check; what a request adds still does.
    screen_is_personal_data = False

    def personal_steps(self, path: str) -> list[tuple[str, type[Model], tuple[str, ...]]]:
        """The steps of ``path`` that land on a personal-data model, with its subject fields."""
        personal = personal_data_models(self.admin_site)
        return [
            (prefix, model, personal[model]) for prefix, model in relation_steps(self.model, path) if model in personal
        ]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        if self.personal_steps(lookup) and (request is None or not holds_personal_data_permission(request.user)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def to_field_allowed(self, request: HttpRequest, to_field: str) -> bool:
        return not self.personal_steps(to_field) and super().to_field_allowed(request, to_field)

    def screen_paths(self, request: HttpRequest) -> Iterator[str]:
        """The field paths this screen's listing is built on, for this request."""
        for column in self.get_list_display(request):
            attribute = column if callable(column) else getattr(self, column, None) or getattr(self.model, column, None)
            if isinstance(column, str):
                yield column
            yield from _order_paths(getattr(attribute, "admin_order_field", None))
        for ordering in self.get_ordering(request) or ():
            yield from _order_paths(ordering)
        for list_filter in self.get_list_filter(request):
            name = list_filter[0] if isinstance(list_filter, (list, tuple)) else list_filter
            if isinstance(name, str):
                yield name
        if self.date_hierarchy:
            yield self.date_hierarchy
        if request.GET.get(SEARCH_VAR):
            yield from map(_search_path, self.get_search_fields(request))

    def get_changelist_instance(self, request: HttpRequest) -> ChangeList:
        built_on = (
            [] if self.screen_is_personal_data else [p for p in self.screen_paths(request) if self.personal_steps(p)]
        )
        if built_on and not holds_personal_data_permission(request.user):
            raise DisallowedModelAdminLookup(f"Listing through {built_on[0]} not allowed")
        changelist = super().get_changelist_instance(request)  # refuses parameters through lookup_allowed
        requested = {key: values for key, values in changelist.get_filters_params().items() if self.personal_steps(key)}
        if requested or built_on:
            self._log_reach(request, changelist, requested, built_on)
        return changelist

    # Whether staff without the permission may delete an object whose deletion takes people's
    # private rows along (a moderator removing a video takes its saves with it); they never see
    # those rows listed either way.
    deletes_private_rows_unseen = False

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, set[str], list[Any]]:
        """Django's delete page lists every row a deletion takes along and names the kinds the
        staff member may not delete: "Favorite: …", or "favorite" in the refusal, tells that the
        person saved something. Without the permission the page shows neither, and what it says
        about private rows does not depend on whether there are any."""
        listed, counts, missing, protected = super().get_deleted_objects(objs, request)
        personal = personal_data_models(self.admin_site)
        if holds_personal_data_permission(request.user) or not self._relates_to(personal):
            return listed, counts, missing, protected
        names = {str(model._meta.verbose_name) for model in personal}
        plural = {str(model._meta.verbose_name_plural) for model in personal}
        listed = [*_without_labels(listed, {capfirst(name) for name in names}), PRIVATE_ROWS_TAKEN]
        counts = {name: count for name, count in counts.items() if name not in plural}
        missing = {name for name in missing if name not in names}
        if not self.deletes_private_rows_unseen:
            missing.add(PRIVATE_ROWS)
        return listed, counts, missing, protected

    def _relates_to(self, personal: dict[type[Model], tuple[str, ...]]) -> bool:
        return self.model in personal or any(
            relation.related_model in personal
            for relation in self.model._meta.get_fields()
            if relation.is_relation and relation.auto_created and not relation.concrete
        )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        if search_term and not self.screen_is_personal_data:
            reaching = [p for p in map(_search_path, self.get_search_fields(request)) if self.personal_steps(p)]
            # Autocomplete answers are never logged, so they never search through personal data.
            if reaching and (_is_autocomplete(request) or not holds_personal_data_permission(request.user)):
                raise DisallowedModelAdminLookup(f"Searching by {reaching[0]} not allowed")
        return super().get_search_results(request, queryset, search_term)

    def _log_reach(
        self, request: HttpRequest, changelist: ChangeList, requested: dict[str, list[Any]], built_on: list[str]
    ) -> None:
        """Log a listing that reached personal data, naming the people whose rows it reached: for a
        query parameter, those whose rows matched it among the rows shown; for what the screen is
        built on, everyone whose rows the rows shown lead to."""
        shown = [row.pk for row in changelist.result_list]
        rows = self.model._default_manager.filter(pk__in=shown)
        subjects: set[int] = set()
        for key, values in requested.items():
            try:
                prepared: Any = prepare_lookup_value(key, values, ",")
                matched = rows.filter(build_q_object_from_lookup_parameters({key: prepared}))
                subjects |= self._subjects_through(matched, key)
            except (FieldError, ValidationError, ValueError):  # a value only a list filter understands
                subjects |= self._subjects_through(rows, key)
        for path in built_on:
            subjects |= self._subjects_through(rows, path)
        log_access(
            request, action=AccessAction.FILTER, model=self.model, subject_ids=list(subjects), row_count=len(shown)
        )

    def _subjects_through(self, rows: QuerySet[Any], path: str) -> set[int]:
        # In one query with the filter, values_list reuses the filter's joins: only matching rows count.
        subjects: set[int] = set()
        for prefix, _model, subject_fields in self.personal_steps(path):
            for subject_field in subject_fields:
                values = rows.values_list(f"{prefix}{LOOKUP_SEP}{subject_field}", flat=True)
                subjects.update(value for value in values if value is not None)
        return subjects


class StaffModelAdmin(PersonalRelationsGuard, admin.ModelAdmin):
    """The base of every screen of the project."""


class PersonalDataAdmin(StaffModelAdmin):
    """Read-only screen over rows that belong to one person each (``subject_field`` names them):
    absent from the admin for anyone without the explicit permission, and each listing or
    opened row logged with whose rows were shown."""

    subject_field = "user"
    screen_is_personal_data = True

    def _subject_of(self, obj: Any) -> int | None:
        subject_id: int | None = getattr(obj, f"{self.subject_field}_id")
        return subject_id

    def has_module_permission(self, request: HttpRequest) -> bool:
        return holds_personal_data_permission(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nothing in the admin picks one of these rows, and an autocomplete answer is not logged.
        return holds_personal_data_permission(request.user) and not _is_autocomplete(request)

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


def following_the_rule(admin_class: type[Any]) -> type[Any]:
    """``admin_class`` itself if it follows the rule, else a subclass of it that does."""
    if issubclass(admin_class, PersonalRelationsGuard):
        return admin_class
    attributes = {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__}
    return type(admin_class.__name__, (PersonalRelationsGuard, admin_class), attributes)
