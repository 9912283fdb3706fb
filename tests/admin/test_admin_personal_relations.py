"""Staff and people's private rows reached through a relation: no admin screen tells who saved,
liked, viewed, shared, downloaded, was notified of or authorized what by filtering, searching,
sorting or drilling down through a relation, unless the staff member holds the personal-data
permission, and then the listing is logged.

The enumeration takes every screen registered on the site (other apps' included, whatever they
are when the tests run) and every path of one or two relation steps, forward or reverse, from its
model that lands on a personal-data model at either step, and asks for it as a changelist query
parameter."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar

import pytest
from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.auth.models import Group, Permission
from django.db.models import Model
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from oauth2_provider.models import (
    Application,
    get_access_token_model,
    get_device_grant_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
    set_token_value,
)

from accesslog.admin import check_personal_relations, rule_errors
from accesslog.models import PERMISSION_CODENAME, PersonalDataAccess
from accesslog.screens import PersonalDataAdmin, PersonalRelationsGuard, personal_data_models
from accounts.admin import UserAdmin
from accounts.models import User
from engagement import services
from engagement.media import downloads
from engagement.models import Favorite, FavoriteCollection, Like, Notification, Video, View
from tests.factories import attach_files, make_follow, make_user, make_video

pytestmark = pytest.mark.django_db

SAVER = "quiet_saver"
TOKEN_MODELS = (
    get_access_token_model(),
    get_refresh_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_device_grant_model(),
)


@dataclass(frozen=True)
class Saves:
    saver: User
    creator: User
    video: Video
    favorite: Favorite
    like: Like
    view: View
    collection: FavoriteCollection


@pytest.fixture
def saves() -> Saves:
    """A saver with a row of every personal kind on a creator's video, reachable from every screen:
    a favorite in a collection, a like (notifying the creator), a view, a share, a download, a
    comment, a follow, a group membership, and an OAuth app's access and refresh token, grant and
    ID token."""
    creator, saver = make_user("creator"), make_user(SAVER)
    video = make_video(creator)
    collection = services.collection_create(actor=saver, name="Secret recipes")
    favorite = services.favorite_add(actor=saver, video_id=video.pk, collection_id=collection.pk)
    services.like_add(actor=saver, video_id=video.pk)
    view = services.view_record(actor=saver, video_id=video.pk, watched_seconds=3, traffic_source="FOR_YOU")
    services.share_create(actor=saver, video_id=video.pk, channel="SMS")
    attach_files(video)
    downloads.download_create(actor=saver, video_id=video.pk)
    services.comment_create(actor=saver, video_id=video.pk, text="lovely")
    make_follow(saver, creator)
    Group.objects.create(name="Beta testers").user_set.add(saver)
    _authorize(saver, creator)
    return Saves(saver, creator, video, favorite, Like.objects.get(user=saver), view, collection)


def _authorize(user: User, developer: User) -> None:
    application = Application.objects.create(
        name="Analytics Tool",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://tool.example/callback",
        user=developer,
    )
    expires = timezone.now() + timedelta(hours=1)
    access = get_access_token_model()(user=user, application=application, scope="read", expires=expires)
    set_token_value(access, "access-token-of-the-saver")
    access.save()
    refresh = get_refresh_token_model()(user=user, application=application, access_token=access)
    set_token_value(refresh, "refresh-token-of-the-saver")
    refresh.save()
    get_grant_model().objects.create(
        user=user,
        application=application,
        code="grant-of-the-saver",
        expires=expires,
        redirect_uri="https://tool.example/callback",
        code_challenge="x" * 43,
        code_challenge_method="S256",
    )
    get_id_token_model().objects.create(user=user, application=application, expires=expires)


def _staff(name: str, *, permitted: bool) -> tuple[Client, User]:
    """A superuser (every screen is open to them), with or without the personal-data permission."""
    user = make_user(name, is_staff=True, is_superuser=True)
    if permitted:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="accesslog", codename=PERMISSION_CODENAME)
        )
    client = Client()
    client.force_login(user)
    return client, user


def personal_models() -> set[type[Model]]:
    """Personal data as the privacy rules name it: every model shown through ``PersonalDataAdmin``,
    notifications, and django-oauth-toolkit's tokens and grants (who authorized which app)."""
    registry = admin.site._registry
    shown = {model for model, model_admin in registry.items() if isinstance(model_admin, PersonalDataAdmin)}
    return shown | {Notification, *TOKEN_MODELS}


def relations(model: type[Model]) -> list[tuple[str, type[Model]]]:
    """The relations a query can follow from ``model``, forward and reverse, by their query names."""
    return [
        (field.name, field.related_model)
        for field in model._meta.get_fields()
        if field.is_relation and isinstance(field.related_model, type)
    ]


def personal_paths(model: type[Model]) -> list[str]:
    """Every path of one or two relation steps from ``model`` that lands on personal data."""
    personal = personal_models()
    paths = []
    for first, over in relations(model):
        if over in personal:
            paths.append(first)
        paths += [f"{first}__{second}" for second, to in relations(over) if over in personal or to in personal]
    return paths


def enumeration() -> list[tuple[Any, str]]:
    return [
        (model_admin, path) for model, model_admin in admin.site._registry.items() for path in personal_paths(model)
    ]


def _changelist(model_admin: Any) -> str:
    opts = model_admin.model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def _request(user: User, path: str = "/admin/", data: dict[str, str] | None = None) -> HttpRequest:
    request = RequestFactory().get(path, data or {})
    request.user = user
    return request


def django_allows(model_admin: Any, lookup: str, value: str) -> bool:
    """Django's own ``lookup_allowed``: what the screen allowed before the rule, and still allows
    with the permission."""
    allowed: bool = super(PersonalRelationsGuard, model_admin).lookup_allowed(lookup, value, RequestFactory().get("/"))
    return allowed


def test_the_enumeration_covers_every_screen_and_the_reported_paths() -> None:
    covered = {(model_admin.model._meta.label_lower, path) for model_admin, path in enumeration()}

    assert {
        ("accounts.user", "favorites"),
        ("accounts.user", "likes"),
        ("accounts.user", "views"),
        ("accounts.user", "collections"),
        ("accounts.user", "notifications"),
        ("accounts.user", "oauth2_provider_accesstoken"),
        ("accounts.user", "videos__favorites"),
        ("accounts.user", "favorites__video"),
        ("engagement.video", "owner__likes"),
        ("accounts.follow", "follower__favorites"),
        ("auth.group", "user__favorites"),
        ("oauth2_provider.application", "accesstoken__user"),
        ("accesslog.personaldataaccess", "staff__shares"),
    } <= covered
    assert personal_models() <= set(personal_data_models(admin.site))


def test_every_screen_on_the_site_follows_the_rule() -> None:
    """Every registered screen, other apps' included, follows the rule; the token and grant screens
    are off the admin, django-oauth-toolkit's application screen stays; the system check is clean."""
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, PersonalRelationsGuard), model

    assert not [model for model in TOKEN_MODELS if admin.site.is_registered(model)]
    assert admin.site.is_registered(Application)
    assert check_personal_relations() == []


@pytest.mark.parametrize("parameter", ["favorites__in", "likes", "views", "collections"])
def test_the_user_list_no_longer_names_who_saved_liked_viewed_or_collected(saves: Saves, parameter: str) -> None:
    """Given a user who saved, liked and viewed a video, when staff without the permission filter
    the user list by those rows' ids (the reported requests, which Django's own rule lets through:
    one relation step), then the answer is Django's refusal of a lookup (400) and names no one, and
    nothing is logged."""
    client, _ = _staff("mod", permitted=False)
    row_id = {
        "favorites__in": f"{saves.favorite.pk},{saves.favorite.pk + 1}",
        "likes": str(saves.like.pk),
        "views": str(saves.view.pk),
        "collections": str(saves.collection.pk),
    }[parameter]
    user_admin = admin.site.get_model_admin(User)

    response = client.get(reverse("admin:accounts_user_changelist"), {parameter: row_id})

    assert django_allows(user_admin, parameter, row_id)
    assert response.status_code == 400
    assert SAVER not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("parameter", ["favorites__in", "likes", "views", "collections"])
def test_with_the_permission_the_same_filter_is_answered_and_logged(saves: Saves, parameter: str) -> None:
    """Given a moderator holding the permission, when they make the same request, then they see
    the saver, and a FILTER entry names them, the screen, the query and the saver."""
    client, _ = _staff("mod", permitted=True)
    row_id = {
        "favorites__in": str(saves.favorite.pk),
        "likes": str(saves.like.pk),
        "views": str(saves.view.pk),
        "collections": str(saves.collection.pk),
    }[parameter]

    response = client.get(reverse("admin:accounts_user_changelist"), {parameter: row_id})

    assert response.status_code == 200
    assert [user.username for user in response.context["cl"].result_list] == [SAVER]
    entry = PersonalDataAccess.objects.get()
    assert (entry.staff_username, entry.action, entry.model, entry.query) == (
        "mod",
        "FILTER",
        "accounts.user",
        f"{parameter}={row_id}",
    )
    assert (entry.subject_ids, entry.row_count) == ([saves.saver.pk], 1)


def test_the_log_names_only_the_people_whose_rows_matched(saves: Saves) -> None:
    """Given two people who saved the same video, when a permitted moderator lists videos by one
    favorite's id, then the entry names that favorite's owner only."""
    other = make_user("other_saver")
    services.favorite_add(actor=other, video_id=saves.video.pk)
    client, _ = _staff("mod", permitted=True)

    response = client.get(reverse("admin:engagement_video_changelist"), {"favorites__in": str(saves.favorite.pk)})

    assert response.status_code == 200 and response.context["cl"].result_count == 1
    assert PersonalDataAccess.objects.get().subject_ids == [saves.saver.pk]


def test_without_the_permission_no_relation_path_reaches_personal_data(saves: Saves) -> None:
    """Given a superuser without the permission, when every screen is asked for every one- or
    two-step relation path to personal data (``?<path>__isnull=False``), then each is refused:
    403 on the private screens themselves, Django's 400 for a disallowed lookup everywhere else;
    no answer names the saver, and nothing is logged."""
    client, _ = _staff("mod", permitted=False)
    cases = enumeration()
    wrong = []

    for model_admin, path in cases:
        response = client.get(_changelist(model_admin), {f"{path}__isnull": "False"})
        expected = 403 if isinstance(model_admin, PersonalDataAdmin) else 400
        if response.status_code != expected or SAVER in response.content.decode():
            wrong.append((model_admin.model._meta.label, path, response.status_code))

    assert wrong == []
    assert len(cases) > 100
    assert not PersonalDataAccess.objects.exists()


def test_with_the_permission_each_path_is_allowed_where_django_allows_it_and_logged(saves: Saves) -> None:
    """Given a superuser holding the permission, when every screen is asked for every such path,
    then the screen answers exactly where Django's own rule allows the lookup (one relation step),
    each answer is logged as one FILTER entry naming the screen, the query, the rows shown and
    whose rows they reached, and each refusal (Django's 400) logs nothing."""
    client, _ = _staff("mod", permitted=True)
    people = {saves.saver.pk, saves.creator.pk}
    wrong = []
    answered = 0

    for model_admin, path in enumeration():
        lookup = f"{path}__isnull"
        last = PersonalDataAccess.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = client.get(_changelist(model_admin), {lookup: "False"})
        logged = list(PersonalDataAccess.objects.filter(id__gt=last, action="FILTER"))
        case = (model_admin.model._meta.label, path, response.status_code, [e.subject_ids for e in logged])
        if not django_allows(model_admin, lookup, "False"):
            if response.status_code != 400 or logged:
                wrong.append(case)
            continue
        answered += 1
        shown = len(response.context["cl"].result_list) if response.status_code == 200 else -1
        entry = logged[0] if len(logged) == 1 else None
        if (
            entry is None
            or (entry.model, entry.query, entry.row_count)
            != (model_admin.model._meta.label_lower, f"{lookup}=False", shown)
            or not set(entry.subject_ids) <= people
            or bool(entry.subject_ids) != bool(shown)
        ):
            wrong.append(case)

    assert wrong == []
    assert answered > 20


@pytest.mark.parametrize(
    ("screen", "parameter", "value"),
    [
        ("accounts_user", "favorites__video__id__in", "1,2"),
        ("accounts_user", "favorites__pk__in", "1,2"),
        ("accounts_user", "favorites__video_id", "1"),
        ("accounts_user", "favorites__created_at__year", "2020"),
        ("accounts_user", "oauth2_provider_accesstoken__application", "1"),
        ("engagement_video", "owner__likes__video", "1"),
        ("engagement_video", "favorites__user__username", SAVER),
        ("accounts_follow", "follower__favorites__video", "1"),
        ("engagement_comment", "author__views__video", "1"),
        ("engagement_notification", "recipient__collections__name", "Secret recipes"),
        ("auth_group", "user__favorites__video", "1"),
        ("oauth2_provider_application", "accesstoken__user", "1"),
    ],
)
def test_every_step_of_a_lookup_is_walked(saves: Saves, screen: str, parameter: str, value: str) -> None:
    """Given staff without the permission, when a lookup reaches personal data at any step, through
    ``pk``, ``<fk>_id`` or a transform, then it is refused as Django refuses a lookup it does not
    allow (the same 400 as ``?videos__owner__username=``), naming no one, logging nothing."""
    client, _ = _staff("mod", permitted=False)
    djangos_own = client.get(reverse("admin:accounts_user_changelist"), {"videos__owner__username": "creator"})

    response = client.get(reverse(f"admin:{screen}_changelist"), {parameter: value})

    assert djangos_own.status_code == response.status_code == 400
    assert response.content == djangos_own.content
    assert not PersonalDataAccess.objects.exists()


class _OrderedBySaves(UserAdmin):
    ordering = ("-favorites__created_at",)


class _DrilledDownBySaves(UserAdmin):
    date_hierarchy = "favorites__created_at"


class _FilteredBySavedVideo(UserAdmin):
    list_filter: ClassVar[Any] = ("favorites__video",)


class _SearchingSavedCaptions(UserAdmin):
    search_fields: ClassVar[Any] = ("username", "favorites__video__caption")


class _SortedByLastSave(UserAdmin):
    list_display: Any = ("username", "last_save")

    @admin.display(ordering="favorites__created_at")
    def last_save(self, obj: User) -> str:
        return ""


@pytest.mark.parametrize(
    "screen", [_OrderedBySaves, _DrilledDownBySaves, _FilteredBySavedVideo, _SearchingSavedCaptions, _SortedByLastSave]
)
def test_a_screen_built_on_personal_data_is_refused_without_and_logged_with(saves: Saves, screen: type[Any]) -> None:
    """Given a user screen ordered, drilled down, filtered, searched or sorted through favorites,
    then the system check names it, staff without the permission are refused the listing and
    nothing is logged; with the permission the listing is logged with the people it reached."""
    model_admin = screen(User, admin.site)
    data = {"q": "video by"} if screen is _SearchingSavedCaptions else {}  # the saved video's caption
    _, refused = _staff("mod", permitted=False)
    _, permitted = _staff("privacy_officer", permitted=True)

    assert [error.id for error in rule_errors(model_admin)] == ["accesslog.E002"]
    with pytest.raises(DisallowedModelAdminLookup):
        model_admin.get_changelist_instance(_request(refused, data=data))
    assert not PersonalDataAccess.objects.exists()
    changelist = model_admin.get_changelist_instance(_request(permitted, data=data))
    entry = PersonalDataAccess.objects.get()
    assert (entry.staff_username, entry.action, entry.row_count) == (
        "privacy_officer",
        "FILTER",
        len(changelist.result_list),
    )
    assert saves.saver.pk in entry.subject_ids


def test_popups_and_autocomplete_open_no_way_around(saves: Saves, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given a moderator holding the permission, then ``?_to_field=`` naming a relation to personal
    data is refused like any field that may not be referenced (400), and the autocomplete view
    neither lists private rows (403) nor searches through them (400): its answers are not logged."""
    client, _ = _staff("mod", permitted=True)
    popup = client.get(reverse("admin:accounts_user_changelist"), {"_to_field": "favorites", "_popup": "1"})
    lists_favorites = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "accounts", "model_name": "user", "field_name": "favorites", "term": SAVER},
    )
    monkeypatch.setattr(UserAdmin, "search_fields", ("username", "favorites__video__caption"))
    searches_favorites = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "accounts", "model_name": "follow", "field_name": "follower", "term": "video"},
    )

    assert (popup.status_code, lists_favorites.status_code, searches_favorites.status_code) == (400, 403, 400)
    for response in (popup, lists_favorites, searches_favorites):
        assert SAVER not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_the_user_and_video_change_forms_show_no_private_rows(saves: Saves) -> None:
    """Given a permitted moderator opening the saver's account and the saved video, then neither
    form lists a favorite, collection, like or view (they are not logged, so they show none)."""
    client, _ = _staff("mod", permitted=True)

    pages = [
        client.get(reverse("admin:accounts_user_change", args=[saves.saver.pk])),
        client.get(reverse("admin:engagement_video_change", args=[saves.video.pk])),
    ]

    for page in pages:
        content = page.content.decode()
        assert page.status_code == 200
        assert "Secret recipes" not in content
        assert f"Favorite {saves.favorite.pk}" not in content and f"Like {saves.like.pk}" not in content
    assert not PersonalDataAccess.objects.exists()


def test_a_screen_registered_later_follows_the_rule_and_token_screens_stay_off(saves: Saves) -> None:
    """Given an app listed after this one registering a plain ``ModelAdmin`` (as django-axes does
    when its admin is on), then its screen follows the rule; registering a token screen again is
    ignored."""
    _, staff = _staff("mod", permitted=False)

    class PlainPermissionAdmin(admin.ModelAdmin):
        pass

    admin.site.register(Permission, PlainPermissionAdmin)
    try:
        model_admin = admin.site.get_model_admin(Permission)
        assert isinstance(model_admin, PlainPermissionAdmin) and isinstance(model_admin, PersonalRelationsGuard)
        assert not model_admin.lookup_allowed("user__favorites__video", "1", _request(staff))
        assert rule_errors(model_admin) == []
    finally:
        admin.site.unregister(Permission)
    admin.site.register(get_access_token_model())
    assert not admin.site.is_registered(get_access_token_model())
