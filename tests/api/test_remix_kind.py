"""``Video.remixKind``: a duet or stitch says so to anyone who may see it, on both engines."""

from typing import Any

from engagement.models import RemixKind
from tests.api.conftest import gid
from tests.factories import make_user, make_video

QUERY = "query($id: ID!) { video(id: $id) { remixKind } }"


def test_a_duet_says_it_is_one_and_an_original_says_nothing(gql: Any) -> None:
    """Given an original video and a duet of it, when an anonymous visitor reads both, then the
    duet is DUET and the original null, with no error (the field is PUBLIC)."""
    original = make_video(make_user("singer"))
    duet = make_video(make_user("partner"), remix_of_id=original.pk, remix_kind=RemixKind.DUET)

    answers = {video.caption: gql(None)(QUERY, {"id": gid(video)}) for video in (original, duet)}

    assert {caption: answer.body for caption, answer in answers.items()} == {
        original.caption: {"data": {"video": {"remixKind": None}}},
        duet.caption: {"data": {"video": {"remixKind": "DUET"}}},
    }


def test_a_remix_of_a_hidden_video_is_still_shown_as_a_remix_without_its_source(gql: Any) -> None:
    """The kind names no one: a stitch of a video that went private still reads STITCH."""
    source = make_video(make_user("secretive"))
    stitch = make_video(make_user("stitcher"), remix_of_id=source.pk, remix_kind=RemixKind.STITCH)
    source.visibility = "PRIVATE"
    source.save(update_fields=["visibility"])

    answer = gql(make_user("stranger"))(QUERY, {"id": gid(stitch)})

    assert answer.body == {"data": {"video": {"remixKind": "STITCH"}}}
