"""Staff and people's private rows: no favorites, collections, likes, views, shares or downloads
in the admin without the explicit permission (superusers included), and every access logged in
a log the admin shows and nobody can edit."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from accesslog.models import PERMISSION_CODENAME, PersonalDataAccess
from accesslog.screens import holds_personal_data_permission
from accounts.models import User
from engagement import services
from engagement.media import downloads
from engagement.models import Favorite, Like, View
from tests.factories import attach_files, make_user, make_video

pytestmark = pytest.mark.django_db

PRIVATE_SCREENS = (
    "engagement_favorite",
    "engagement_favoritecollection",
    "engagement_like",
    "engagement_view",
    "engagement_share",
    "engagement_download",
)


@pytest.fixture
def saves() -> dict[str, object]:
    """A saver's favorite (in a collection), like, view, share and download of a creator's video."""
    creator, saver = make_user("creator"), make_user("saver")
    video = make_video(creator)
    collection = services.collection_create(actor=saver, name="Secret recipes")
    favorite = services.favorite_add(actor=saver, video_id=video.pk, collection_id=collection.pk)
    services.like_add(actor=saver, video_id=video.pk)
    services.view_record(actor=saver, video_id=video.pk, watched_seconds=3, traffic_source="FOR_YOU")
    services.share_create(actor=saver, video_id=video.pk, channel="SMS")
    attach_files(video)
    downloads.download_create(actor=saver, video_id=video.pk)
    return {"saver": saver, "favorite": favorite, "collection": collection}


def _staff(name: str, *, superuser: bool = False, model_perms: bool = False) -> Client:
    user = make_user(name, is_staff=True, is_superuser=superuser)
    if model_perms:  # every default view permission of the private models, as a bulk group grant would give
        codenames = [f"view_{model}" for model in ("favorite", "favoritecollection", "like", "view")]
        user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def _grant(client: Client, *, through_group: bool = False) -> None:
    user = User.objects.get(pk=client.session["_auth_user_id"])
    permission = Permission.objects.get(content_type__app_label="accesslog", codename=PERMISSION_CODENAME)
    if through_group:
        group = Group.objects.create(name="Trust and safety")
        group.permissions.add(permission)
        user.groups.add(group)
    else:
        user.user_permissions.add(permission)


@pytest.mark.parametrize(
    "who",
    ["staff", "staff with the models' view permissions", "superuser"],
)
def test_private_rows_are_hidden_without_the_explicit_permission(saves: dict[str, object], who: str) -> None:
    """Given staff without ``accesslog.view_personal_data`` (a superuser, or staff holding
    Django's per-model view permissions), then no private screen is listed, each one answers
    403, even by id, and nothing is logged (nothing was seen)."""
    client = _staff("mod", superuser=who == "superuser", model_perms="model" in who)
    favorite: Favorite = saves["favorite"]  # type: ignore[assignment]

    index = client.get(reverse("admin:index")).content.decode()
    statuses = [client.get(reverse(f"admin:{screen}_changelist")).status_code for screen in PRIVATE_SCREENS]
    detail = client.get(reverse("admin:engagement_favorite_change", args=[favorite.pk]))

    assert "Favorites" not in index and "Likes" not in index
    assert statuses == [403] * len(PRIVATE_SCREENS)
    assert detail.status_code == 403
    assert "Secret recipes" not in detail.content.decode()
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("through_group", [False, True])
def test_with_the_permission_every_listing_and_opened_row_is_logged(
    saves: dict[str, object], through_group: bool
) -> None:
    """Given a moderator holding the permission (directly or through a group), when they list
    favorites searching for a username and open one, then they see it, read-only, and two log
    entries name them, the screen, the search, the row and whose it was."""
    client = _staff("mod")
    _grant(client, through_group=through_group)
    saver: User = saves["saver"]  # type: ignore[assignment]
    favorite: Favorite = saves["favorite"]  # type: ignore[assignment]

    listing = client.get(reverse("admin:engagement_favorite_changelist"), {"q": "saver"})
    detail = client.get(reverse("admin:engagement_favorite_change", args=[favorite.pk]))

    assert listing.status_code == detail.status_code == 200
    assert listing.context["cl"].result_count == 1
    assert 'name="collection"' not in detail.content.decode()  # read-only: no form field
    entries = list(PersonalDataAccess.objects.order_by("id").values())
    assert [(e["staff_username"], e["action"], e["model"], e["subject_ids"]) for e in entries] == [
        ("mod", "LIST", "engagement.favorite", [saver.pk]),
        ("mod", "VIEW", "engagement.favorite", [saver.pk]),
    ]
    assert entries[0]["query"] == "q=saver" and entries[0]["row_count"] == 1
    assert entries[1]["object_id"] == str(favorite.pk)


def test_every_private_screen_renders_and_logs_for_a_permitted_moderator(saves: dict[str, object]) -> None:
    client = _staff("mod", superuser=True)
    _grant(client)

    statuses = {screen: client.get(reverse(f"admin:{screen}_changelist")).status_code for screen in PRIVATE_SCREENS}

    assert statuses == dict.fromkeys(PRIVATE_SCREENS, 200)
    assert PersonalDataAccess.objects.filter(action="LIST").count() == len(PRIVATE_SCREENS)
    assert set(PersonalDataAccess.objects.values_list("model", flat=True)) == {
        f"engagement.{screen.split('_', 1)[1]}" for screen in PRIVATE_SCREENS
    }


def test_private_rows_cannot_be_added_changed_or_deleted_from_the_admin(saves: dict[str, object]) -> None:
    client = _staff("mod", superuser=True)
    _grant(client)
    favorite: Favorite = saves["favorite"]  # type: ignore[assignment]
    like = Like.objects.get()

    add = client.get(reverse("admin:engagement_favorite_add"))
    delete = client.post(reverse("admin:engagement_like_delete", args=[like.pk]), {"post": "yes"})
    change = client.post(reverse("admin:engagement_favorite_change", args=[favorite.pk]), {"collection": ""})

    assert add.status_code == 403 and delete.status_code == 403 and change.status_code == 403
    assert Favorite.objects.get().collection_id == saves["collection"].pk  # type: ignore[attr-defined]
    assert Like.objects.exists() and View.objects.exists()


def test_the_access_log_is_shown_in_the_admin_and_cannot_be_edited(saves: dict[str, object]) -> None:
    moderator = _staff("mod")
    _grant(moderator)
    moderator.get(reverse("admin:engagement_view_changelist"))
    auditor = _staff("auditor", superuser=True)
    _grant(auditor)  # the log is personal data too: superuser status alone does not open it
    entry = PersonalDataAccess.objects.get()

    listing = auditor.get(reverse("admin:accesslog_personaldataaccess_changelist"))
    delete = auditor.post(reverse("admin:accesslog_personaldataaccess_delete", args=[entry.pk]), {"post": "yes"})
    change = auditor.post(reverse("admin:accesslog_personaldataaccess_change", args=[entry.pk]), {"action": "VIEW"})

    assert listing.status_code == 200 and "engagement.view" in listing.content.decode()
    assert delete.status_code == 403 and change.status_code == 403
    first = PersonalDataAccess.objects.get(pk=entry.pk)
    assert first.action == "LIST" and first.model == "engagement.view"
    assert PersonalDataAccess.objects.filter(model="accesslog.personaldataaccess").count() == 1  # the auditor's look


def test_the_permission_needs_an_active_staff_account() -> None:
    user = make_user("former", is_staff=False)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="accesslog", codename=PERMISSION_CODENAME))

    assert not holds_personal_data_permission(user)
    user.is_staff = True
    assert holds_personal_data_permission(user)
    user.is_active = False
    assert not holds_personal_data_permission(user)
