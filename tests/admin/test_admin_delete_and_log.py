"""Two ways out of the admin that a relation rule does not cover: the delete page, which lists
what a deletion takes along, and the access log itself, which repeats every look a holder made."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils.html import escape

from accesslog.models import PERMISSION_CODENAME
from accesslog.screens import PRIVATE_ROWS
from engagement import services
from engagement.models import Video
from tests.factories import make_user, make_video

pytestmark = pytest.mark.django_db


def _staff(name: str, *, personal_data: bool) -> Client:
    permissions = Permission.objects.all()
    if not personal_data:
        permissions = permissions.exclude(codename=PERMISSION_CODENAME)
    member = make_user(name, is_staff=True)
    member.user_permissions.set(permissions)
    client = Client()
    client.force_login(member)
    return client


def test_the_delete_page_names_no_kind_of_private_row() -> None:
    """Given one person who saved a video and one who saved nothing, when staff without the
    permission open each one's delete page, then both pages refuse alike and name no kind of
    private row (before, "favorite" appeared for the saver only)."""
    saver, idle = make_user("saver"), make_user("idle")
    services.favorite_add(actor=saver, video_id=make_video(make_user("creator")).pk)
    staff = _staff("staff_member", personal_data=False)

    pages = [staff.get(f"/admin/accounts/user/{person.pk}/delete/") for person in (saver, idle)]

    texts = [page.content.decode() for page in pages]
    assert [page.status_code for page in pages] == [200, 200]
    assert all(escape(PRIVATE_ROWS) in text and "favorite" not in text.lower() for text in texts)


def test_the_access_log_is_for_holders_of_the_permission_only() -> None:
    """Given a holder looked at a video's savers, when staff without the permission (superuser
    status included) open the access log, then it is refused; the holder sees it."""
    saver = make_user("saver")
    video = make_video(make_user("creator"))
    services.favorite_add(actor=saver, video_id=video.pk)
    holder = _staff("privacy_officer", personal_data=True)
    holder.get(f"/admin/engagement/favorite/?video__id__exact={video.pk}")
    superuser = make_user("root", is_staff=True, is_superuser=True)
    other = Client()
    other.force_login(superuser)

    refused = [
        client.get("/admin/accesslog/personaldataaccess/")
        for client in (other, _staff("staff_member", personal_data=False))
    ]
    allowed = holder.get("/admin/accesslog/personaldataaccess/")

    assert [answer.status_code for answer in refused] == [403, 403]
    assert allowed.status_code == 200 and str(saver.pk).encode() in allowed.content


def test_a_moderator_deletes_a_saved_video_without_seeing_who_saved_it() -> None:
    """Given a video two people saved, when staff without the permission open its delete page and
    confirm, then the page lists no favorite and the video is gone (moderation still works)."""
    video = make_video(make_user("creator"), caption="to remove")
    for name in ("first_saver", "second_saver"):
        services.favorite_add(actor=make_user(name), video_id=video.pk)
    staff = _staff("moderator", personal_data=False)

    page = staff.get(f"/admin/engagement/video/{video.pk}/delete/")
    confirmed = staff.post(f"/admin/engagement/video/{video.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200 and b"saver" not in page.content and b"Favorite:" not in page.content
    assert confirmed.status_code == 302
    assert not Video.objects.filter(pk=video.pk).exists()
