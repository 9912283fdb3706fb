"""The admin: what staff can reach, what they cannot (docs/PRIVACY.md §7), and that its deletes leave
counters exact."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from accesslog.screens import PersonalDataAdmin
from accounts.models import Follow, User
from engagement import services
from engagement.counters import counter_drift
from engagement.models import (
    Comment,
    Download,
    Favorite,
    FavoriteCollection,
    Like,
    Notification,
    NotificationKind,
    Share,
    Video,
    View,
)
from tests.factories import make_follow, make_user, make_video

pytestmark = pytest.mark.django_db


def test_private_interactions_are_only_behind_the_personal_data_screens() -> None:
    """Private rows are registered only through ``PersonalDataAdmin``: hidden without the explicit
    permission, read-only and logged (tests/admin/test_personal_data_access.py)."""
    for staff_model in (User, Follow, Video, Comment, Notification):
        assert admin.site.is_registered(staff_model), staff_model
    for private_model in (Favorite, FavoriteCollection, Like, View, Download, Share):
        assert isinstance(admin.site.get_model_admin(private_model), PersonalDataAdmin), private_model


def test_every_registered_screen_renders(admin_client: Client) -> None:
    creator, fan = make_user("creator"), make_user("fan")
    make_follow(fan, creator)
    video = make_video(creator)
    comment = services.comment_create(actor=fan, video_id=video.pk, text="hello")
    screens = ("accounts_user", "accounts_follow", "engagement_video", "engagement_comment", "engagement_notification")
    for name in screens:
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert admin_client.get(reverse("admin:accounts_user_add")).status_code == 200
    assert admin_client.get(reverse("admin:accounts_user_change", args=[creator.pk])).status_code == 200
    page = admin_client.get(reverse("admin:engagement_video_change", args=[video.pk]))
    assert page.status_code == 200 and b"Save count" in page.content
    assert admin_client.get(reverse("admin:engagement_comment_change", args=[comment.pk])).status_code == 200


def test_staff_can_add_a_user_with_the_swapped_model(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": "a-long-enough-password-42",
            "password2": "a-long-enough-password-42",
            "email": "newbie@example.com",
            "account_type": "CREATOR",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert User.objects.get(username="newbie").check_password("a-long-enough-password-42")


def test_like_notifications_are_hidden_from_staff(admin_client: Client) -> None:
    """A LIKE notification says who liked what: staff do not get it, not even by id."""
    creator, fan = make_user("creator"), make_user("fan")
    video = make_video(creator)
    services.like_add(actor=fan, video_id=video.pk)
    services.comment_create(actor=fan, video_id=video.pk, text="hello")
    like = Notification.objects.get(kind=NotificationKind.LIKE)
    listing = admin_client.get(reverse("admin:engagement_notification_changelist"))
    assert listing.context["cl"].result_count == 1  # the comment's notification only
    detail = admin_client.get(reverse("admin:engagement_notification_change", args=[like.pk]))
    assert detail.status_code == 302  # Django's "does not exist" redirect, like any missing id


def test_deleting_a_comment_or_a_follow_keeps_counters_exact(admin_client: Client) -> None:
    creator, fan = make_user("creator"), make_user("fan")
    make_follow(fan, creator)
    video = make_video(creator)
    comment = services.comment_create(actor=fan, video_id=video.pk, text="spam")
    edge = Follow.objects.get()
    for name, pk in (("engagement_comment", comment.pk), ("accounts_follow", edge.pk)):
        response = admin_client.post(reverse(f"admin:{name}_delete", args=[pk]), {"post": "yes"})
        assert response.status_code == 302
    assert not Comment.objects.exists() and not Follow.objects.exists()
    assert counter_drift() == []


def test_bulk_delete_keeps_counters_exact(admin_client: Client) -> None:
    creator, fan = make_user("creator"), make_user("fan")
    video = make_video(creator)
    ids = [services.comment_create(actor=fan, video_id=video.pk, text=f"spam {n}").pk for n in range(3)]
    response = admin_client.post(
        reverse("admin:engagement_comment_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert counter_drift() == []


def test_deleting_a_remixed_video_keeps_its_remixes(admin_client: Client) -> None:
    """The remix stays, with its kind, once its source is gone."""
    creator, remixer = make_user("creator"), make_user("remixer")
    source = make_video(creator)
    remix = make_video(remixer, remix_of_id=source.pk, remix_kind="DUET")
    response = admin_client.post(reverse("admin:engagement_video_delete", args=[source.pk]), {"post": "yes"})
    assert response.status_code == 302
    remix.refresh_from_db()
    assert (remix.remix_of_id, remix.remix_kind) == (None, "DUET")


def test_counters_and_follow_edges_are_read_only(admin_client: Client) -> None:
    creator, fan = make_user("creator"), make_user("fan")
    make_follow(fan, creator)
    video = make_video(creator)
    assert admin_client.get(reverse("admin:engagement_video_add")).status_code == 403
    assert admin_client.get(reverse("admin:accounts_follow_add")).status_code == 403
    page = admin_client.get(reverse("admin:engagement_video_change", args=[video.pk]))
    assert 'name="counters-0-save_count"' not in page.content.decode()
    page = admin_client.get(reverse("admin:accounts_user_change", args=[creator.pk]))
    assert 'name="follower_count"' not in page.content.decode()


def test_staff_edit_a_region_checked_by_the_models_validator(admin_client: Client) -> None:
    """The user screen shows the region beside the country; a code ISO 3166-2 does not hold is
    refused on the form and leaves the row as it was, a known one is saved."""
    person = make_user("person", country="FR")
    url = reverse("admin:accounts_user_change", args=[person.pk])
    page = admin_client.get(url)
    assert 'name="region"' in page.content.decode()
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}

    refused = admin_client.post(url, {**data, "region": "FR-75"})
    person.refresh_from_db()
    assert refused.status_code == 200 and "Not an ISO 3166-2 subdivision code" in refused.content.decode()
    assert person.region == ""

    saved = admin_client.post(url, {**data, "region": "FR-IDF"})
    person.refresh_from_db()
    assert saved.status_code == 302, saved.content[:2000]
    assert person.region == "FR-IDF"
