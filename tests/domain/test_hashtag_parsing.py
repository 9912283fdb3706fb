"""Hashtags from captions (engagement/hashtags.py): the rule that finds them, and the links that
posting, editing, seeding and the backfill migration write by it."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from engagement import hashtags, services
from engagement.hashtags import MAX_HASHTAGS_PER_VIDEO, hashtag_name, hashtag_prefix, parse_hashtags
from engagement.models import HASHTAG_MAX_LENGTH, Hashtag, Video, VideoCounters
from kernel.errors import InvalidInput
from tests.factories import make_user, make_video

# "#Dance" and "#dance" typed in full-width forms, and a Persian word written with its zero-width
# non-joiner (escaped: such characters look like others in source).
FULL_WIDTH_DANCE = "\uff03\uff24\uff41\uff4e\uff43\uff45"
FULL_WIDTH_LOWER_DANCE = "\uff03\uff44\uff41\uff4e\uff43\uff45"
PERSIAN_WORD = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"

# The rule ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "tags"),
    [
        ("Dance time #dance #fyp", ["dance", "fyp"]),
        ("#Dance and #dance and #DANCE", ["dance"]),
        ("#b first, then #a", ["b", "a"]),
        ("#dance_challenge2024!", ["dance_challenge2024"]),
        ("(#dance), #party. #vibes?", ["dance", "party", "vibes"]),
        ("#dance🔥#party", ["dance", "party"]),
        ("new line\n#dance\t#party", ["dance", "party"]),
        ("#tag's end", ["tag"]),
    ],
)
def test_a_tag_is_a_hash_and_a_run_of_word_characters_lower_cased(caption: str, tags: list[str]) -> None:
    assert parse_hashtags(caption) == tags


@pytest.mark.parametrize(
    ("caption", "tags"),
    [
        ("東京 #旅行 #ラーメン", ["旅行", "ラーメン"]),
        ("#हिंदी गाना", ["हिंदी"]),  # vowel signs are combining marks, inside the word
        ("#Танцы", ["танцы"]),
        ("#رقص", ["رقص"]),
        (f"#{PERSIAN_WORD}", [PERSIAN_WORD]),  # the joiner stays inside the word
        (FULL_WIDTH_DANCE, ["dance"]),  # as Japanese keyboards type it: one tag with #dance
        ("#Straße", ["straße"]),
    ],
)
def test_tags_are_found_in_every_script(caption: str, tags: list[str]) -> None:
    assert parse_hashtags(caption) == tags


@pytest.mark.parametrize(
    "caption",
    [
        "I code in C# and F#",
        "a#b",
        "it&#39;s fine",
        "see https://example.com/page#section",
        "see http://example.com/#/route",
        "see www.example.com/#top",
        "see example.com/#top",
        "##double",
        "we are #1 since #2024",
        "#___",
        "# spaced",
        "#",
        "#🔥",
    ],
)
def test_a_hash_inside_a_word_a_link_or_without_a_letter_is_no_tag(caption: str) -> None:
    assert parse_hashtags(caption) == []


def test_a_tag_may_be_as_long_as_the_column_and_a_longer_run_is_no_tag_at_all() -> None:
    longest, too_long = "a" * HASHTAG_MAX_LENGTH, "b" * (HASHTAG_MAX_LENGTH + 1)

    assert parse_hashtags(f"#{longest} #{too_long} #ok") == [longest, "ok"]


def test_a_caption_links_its_first_thirty_distinct_tags() -> None:
    caption = " ".join(f"#tag{index} #TAG{index}" for index in range(MAX_HASHTAGS_PER_VIDEO + 5))

    assert parse_hashtags(caption) == [f"tag{index}" for index in range(MAX_HASHTAGS_PER_VIDEO)]


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("dance", "dance"),
        ("#Dance", "dance"),
        ("  #DANCE ", "dance"),
        (FULL_WIDTH_LOWER_DANCE, "dance"),
        ("#旅行", "旅行"),
    ],
)
def test_a_tag_is_named_with_or_without_its_hash_in_any_case(typed: str, name: str) -> None:
    assert hashtag_name(typed) == name


@pytest.mark.parametrize("typed", ["", "#", "##dance", "two words", "2024", "a" * (HASHTAG_MAX_LENGTH + 1), "da-nce"])
def test_a_name_no_tag_can_have_names_none(typed: str) -> None:
    assert hashtag_name(typed) is None


def test_a_prefix_is_any_start_of_a_tag_digits_included() -> None:
    assert [hashtag_prefix(typed) for typed in ("#Dan", "20", "旅", "da nce", "#", "x" * 101)] == [
        "dan",
        "20",
        "旅",
        None,
        None,
        None,
    ]


# The links --------------------------------------------------------------------------------------


def _tags_of(video: Video) -> set[str]:
    return set(Video.objects.get(pk=video.pk).hashtags.values_list("name", flat=True))


@pytest.mark.django_db
def test_posting_links_the_caption_tags_and_one_tag_serves_every_video() -> None:
    owner, other = make_user(), make_user()

    first = make_video(owner, caption="#Dance with me #fyp")
    second = make_video(other, caption="more #dance")

    assert _tags_of(first) == {"dance", "fyp"}
    assert _tags_of(second) == {"dance"}
    assert Hashtag.objects.filter(name="dance").count() == 1
    assert set(Hashtag.objects.get(name="dance").videos.all()) == {first, second}


@pytest.mark.django_db
def test_editing_the_caption_relinks_and_other_edits_leave_the_tags_alone() -> None:
    owner = make_user()
    video = make_video(owner, caption="#dance #party")

    services.video_update(actor=owner, video_id=video.pk, caption="now #party #chill")
    assert _tags_of(video) == {"party", "chill"}

    services.video_update(actor=owner, video_id=video.pk, visibility="FRIENDS", allow_download=False)
    assert _tags_of(video) == {"party", "chill"}

    services.video_update(actor=owner, video_id=video.pk, caption="no tags now")
    assert _tags_of(video) == set()


@pytest.mark.django_db
def test_a_refused_edit_links_nothing() -> None:
    owner = make_user()
    video = make_video(owner, caption="#dance")

    with pytest.raises(InvalidInput):
        services.video_update(actor=owner, video_id=video.pk, caption="#party", visibility="EVERYWHERE")

    assert _tags_of(video) == {"dance"}
    assert not Hashtag.objects.filter(name="party").exists()


@pytest.mark.django_db
def test_the_links_are_written_in_the_posting_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Given linking fails, when a video is posted, then no video is left without its tags."""
    owner = make_user()

    def failing(videos: object) -> None:
        raise RuntimeError("linking failed")

    monkeypatch.setattr(hashtags, "link_caption_hashtags", failing)
    with pytest.raises(RuntimeError):
        make_video(owner, caption="#dance")

    assert not Video.objects.filter(owner=owner).exists()


@pytest.mark.django_db
def test_the_backfill_migration_links_the_videos_posted_before_it() -> None:
    """Given videos written without the services (as before captions were parsed), when the
    migration's backfill runs, then each has its caption's tags and nothing else."""
    owner = make_user()
    old = [Video.objects.create(owner=owner, caption=f"#old{index} #Shared", duration_seconds=5) for index in range(3)]
    VideoCounters.objects.bulk_create([VideoCounters(video=video) for video in old])
    untagged = Video.objects.create(owner=owner, caption="nothing", duration_seconds=5)
    migration = importlib.import_module("engagement.migrations.0008_search_hashtags_backfill")

    migration.backfill_hashtags(apps, connection.schema_editor())

    assert [_tags_of(video) for video in old] == [{f"old{index}", "shared"} for index in range(3)]
    assert _tags_of(untagged) == set()


@pytest.mark.django_db
def test_tag_ids_tell_nothing_of_when_a_tag_was_first_used() -> None:
    """A tag's global ID holds its id: were ids sequential, a caller who makes a tag and compares
    ids would learn which tags already existed, hidden videos' tags among them."""
    owner = make_user("tagger")
    for index in range(20):
        services.video_post(actor=owner, caption=f"#tag{index:02d}x", visibility="PRIVATE", duration_seconds=5)

    ids_in_order_of_use = list(Hashtag.objects.order_by("name").values_list("pk", flat=True))

    assert ids_in_order_of_use != sorted(ids_in_order_of_use)  # 1 chance in 20! of failing by luck
    assert all(0 < pk < 2**53 for pk in ids_in_order_of_use)
