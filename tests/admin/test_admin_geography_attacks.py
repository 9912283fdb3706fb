"""Attacks on what people declare for the breakdowns through the admin: a person's page shows
their country, region, gender and birth year, but no query parameter may list people by them."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import Follow
from engagement.models import Comment
from tests.factories import make_user, make_video


@pytest.fixture
def staff(db: None) -> Client:
    """A staff member who may view users, no superuser, without the personal-data permission."""
    user = make_user("staff_viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(content_type__app_label="accounts", codename="view_user"))
    client = Client()
    client.force_login(user)
    return client


def listed(client: Client, query: str) -> tuple[int, set[str]]:
    """The status of the user list filtered by ``query`` and which of the targets it lists."""
    response = client.get(f"{reverse('admin:accounts_user_changelist')}?{query}")
    text = response.content.decode() if response.status_code == 200 else ""
    return response.status_code, {name for name in ("target_idf", "target_bre") if f">{name}<" in text}


@pytest.mark.parametrize(
    ("idf", "bre"),
    [
        ("region=FR-IDF", "region=FR-BRE"),
        ("region__startswith=FR-I", "region__startswith=FR-B"),
        ("gender=FEMALE", "gender=MALE"),
        ("birth_year__lt=1990", "birth_year__gte=1990"),
        ("country=FR", "country=DE"),
    ],
    ids=["region", "region prefix", "gender", "birth year", "country"],
)
def test_the_user_list_does_not_filter_by_declared_attributes(staff: Client, idf: str, bre: str) -> None:
    """Attack: a staff member filters the user list by ``?region=`` (one step of a local field,
    which Django's admin allows by default), or by another declared attribute, and reads who
    declared what. Defense: the list refuses, whatever the query names."""
    make_user("target_idf", country="FR", region="FR-IDF", gender="FEMALE", birth_year=1985)
    make_user("target_bre", country="DE", region="", gender="MALE", birth_year=1995)

    assert listed(staff, idf) == listed(staff, bre) == (400, set())


@pytest.fixture
def moderator(db: None) -> Client:
    """A staff member who may view videos, comments and follows only."""
    user = make_user("moderator", is_staff=True)
    for model in ("video", "comment", "follow"):
        user.user_permissions.add(Permission.objects.get(codename=f"view_{model}"))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("screen", "lookup"),
    [
        ("engagement_video", "owner__region"),
        ("engagement_comment", "author__region"),
        ("accounts_follow", "follower__region"),
    ],
)
def test_no_list_filters_by_a_person_s_region_through_a_relation(moderator: Client, screen: str, lookup: str) -> None:
    """Attack: the same filter one relation away, on screens a moderator opens (videos by their
    owner's region, comments by their author's, follows by the follower's). Defense: the list
    answers the same, or refuses, whatever region the query names."""
    idf = make_user("author_idf", country="FR", region="FR-IDF")
    bre = make_user("author_bre", country="FR", region="FR-BRE")
    for person in (idf, bre):
        video = make_video(person, caption=f"caption of {person.username}")
        Comment.objects.create(video=video, author=person, text=f"comment by {person.username}")
        Follow.objects.create(follower=person, followee=make_user(f"followee_of_{person.username}"))
    url = reverse(f"admin:{screen}_changelist")

    def names(region: str) -> tuple[int, set[str]]:
        response = moderator.get(f"{url}?{lookup}={region}")
        text = response.content.decode() if response.status_code == 200 else ""
        return response.status_code, {name for name in ("author_idf", "author_bre") if name in text}

    assert names("FR-IDF") == names("FR-BRE")
    unfiltered = moderator.get(url).content.decode()
    assert "author_idf" in unfiltered and "author_bre" in unfiltered  # the list would tell them apart
