"""``kernel.loading.FastLoading``: instances read from the database hold exactly what Django's
own ``Model.__init__`` path would have put in them."""

from typing import Any

import pytest
from django.db.models import Model, signals

from accounts.models import Follow, User
from engagement.models import (
    Comment,
    Favorite,
    FavoriteCollection,
    Like,
    Notification,
    Video,
    VideoCounters,
)
from kernel.loading import FastLoading, _plain_assignment
from tests.factories import make_follow, make_user, make_video

pytestmark = pytest.mark.django_db

BULK_READ_MODELS = (User, Follow, Video, VideoCounters, Favorite, FavoriteCollection, Like, Comment, Notification)


def _django_loaded(instance: Model) -> Model:
    """The same row as Django's own ``from_db`` builds it."""
    model = type(instance)
    names = [field.attname for field in model._meta.concrete_fields if field.attname in instance.__dict__]
    return Model.from_db.__func__(model, "default", names, [instance.__dict__[name] for name in names])  # type: ignore[attr-defined]


def _contents(instance: Model) -> dict[str, Any]:
    return {key: value for key, value in instance.__dict__.items() if key != "_state"}


def test_the_bulk_read_models_take_the_fast_path() -> None:
    for model in BULK_READ_MODELS:
        assert issubclass(model, FastLoading) and _plain_assignment(model), model


def test_a_loaded_video_holds_what_djangos_path_gives_it() -> None:
    video = make_video(make_user("owner"), caption="hello")

    loaded = Video.objects.get(pk=video.pk)

    assert _contents(loaded) == _contents(_django_loaded(loaded))
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert loaded.owner.username == "owner"  # the foreign key still loads its object


def test_deferred_columns_stay_deferred_and_load_on_access() -> None:
    make_user("someone", bio="a bio")

    loaded = User.objects.only("username").get(username="someone")

    assert loaded.get_deferred_fields() == _django_loaded(loaded).get_deferred_fields()
    assert "bio" in loaded.get_deferred_fields()
    assert loaded.bio == "a bio"


def test_a_loaded_instance_saves_as_an_update() -> None:
    follow = make_follow(make_user("a"), make_user("b"))

    loaded = Follow.objects.get(pk=follow.pk)
    loaded.save()

    assert Follow.objects.count() == 1


def test_a_model_with_init_receivers_keeps_djangos_path() -> None:
    video = make_video(make_user("owner"))
    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    signals.post_init.connect(receiver, sender=Video)
    try:
        loaded = Video.objects.get(pk=video.pk)
    finally:
        signals.post_init.disconnect(receiver, sender=Video)

    assert seen == [loaded]
