"""Pinned comments: ``pinComment`` and ``unpinComment`` by the video's owner alone,
``Video.pinnedComment`` and ``Comment.isPinned``. One pinned comment per video (a new pin takes
the old one's place), top comments only; anyone else is FORBIDDEN, or NOT_FOUND where they may
not see the comment at all."""

import threading
from typing import Any

import pytest

from accounts.models import Block, User
from engagement import services
from engagement.models import Comment, Video, Visibility
from tests.api.cases import assert_data, assert_single_error
from tests.api.conftest import gid, missing_gid
from tests.domain.test_concurrency_postgres import BARRIER_TIMEOUT_SECONDS, run_threads
from tests.factories import make_user, make_video

PIN = """
mutation($input: PinCommentInput!) {
  pinComment(input: $input) { comment { id isPinned } unpinnedComment { id isPinned } video { pinnedComment { id } } }
}
"""
UNPIN = """
mutation($input: UnpinCommentInput!) {
  unpinComment(input: $input) { unpinnedComment { id isPinned } video { pinnedComment { id } } }
}
"""
PINNED = "query($id: ID!) { video(id: $id) { pinnedComment { id text isPinned } } }"


def comment(author: User, video: Video, text: str = "hi") -> Comment:
    return services.comment_create(actor=author, video_id=video.pk, text=text)


def pinned_ids() -> list[int]:
    return list(Comment.objects.filter(pinned_at__isnull=False).values_list("pk", flat=True))


def test_the_owner_pins_a_comment_and_everyone_sees_it_pinned(gql: Any, db: None) -> None:
    owner, fan = make_user(), make_user()
    video = make_video(owner)
    chosen = comment(fan, video, "best one")

    response = gql(owner)(PIN, {"input": {"commentId": gid(chosen)}})
    seen = gql(None)(PINNED, {"id": gid(video)})

    assert assert_data(response, ("pinComment",)) == {
        "comment": {"id": gid(chosen), "isPinned": True},
        "unpinnedComment": None,
        "video": {"pinnedComment": {"id": gid(chosen)}},
    }
    assert seen.body == {
        "data": {"video": {"pinnedComment": {"id": gid(chosen), "text": "best one", "isPinned": True}}}
    }


def test_pinning_a_second_comment_unpins_the_first_and_pinning_twice_is_once(gql: Any, db: None) -> None:
    owner = make_user()
    video = make_video(owner)
    first, second = comment(make_user(), video), comment(make_user(), video)
    client = gql(owner)
    client(PIN, {"input": {"commentId": gid(first)}})

    replaced = client(PIN, {"input": {"commentId": gid(second)}})
    again = client(PIN, {"input": {"commentId": gid(second)}})

    assert assert_data(replaced, ("pinComment", "unpinnedComment")) == {"id": gid(first), "isPinned": False}
    assert assert_data(again, ("pinComment", "comment")) == {"id": gid(second), "isPinned": True}
    assert again.data["pinComment"]["unpinnedComment"] is None
    assert pinned_ids() == [second.pk]


def test_each_video_keeps_its_own_pin(db: None) -> None:
    owner = make_user()
    one, two = make_video(owner), make_video(owner)
    on_one, on_two = comment(make_user(), one), comment(make_user(), two)

    services.comment_pin(actor=owner, comment_id=on_one.pk)
    services.comment_pin(actor=owner, comment_id=on_two.pk)

    assert sorted(pinned_ids()) == sorted([on_one.pk, on_two.pk])


def test_unpin_by_comment_or_by_video_and_twice_is_once(gql: Any, db: None) -> None:
    owner = make_user()
    video = make_video(owner)
    chosen = comment(make_user(), video)
    client = gql(owner)
    client(PIN, {"input": {"commentId": gid(chosen)}})

    by_comment = client(UNPIN, {"input": {"commentId": gid(chosen)}})
    client(PIN, {"input": {"commentId": gid(chosen)}})
    by_video = client(UNPIN, {"input": {"videoId": gid(video)}})
    again = client(UNPIN, {"input": {"videoId": gid(video)}})

    unpinned = {"unpinnedComment": {"id": gid(chosen), "isPinned": False}, "video": {"pinnedComment": None}}
    assert assert_data(by_comment, ("unpinComment",)) == unpinned
    assert assert_data(by_video, ("unpinComment",)) == unpinned
    assert assert_data(again, ("unpinComment", "video")) == {"pinnedComment": None}
    assert again.data["unpinComment"]["unpinnedComment"] is None
    assert pinned_ids() == []


@pytest.mark.parametrize("given", [{}, {"both": True}])
def test_unpin_needs_exactly_one_of_comment_and_video(gql: Any, db: None, given: dict[str, bool]) -> None:
    owner = make_user()
    video = make_video(owner)
    chosen = comment(make_user(), video)
    services.comment_pin(actor=owner, comment_id=chosen.pk)
    ids = {"commentId": gid(chosen), "videoId": gid(video)} if given else {}

    response = gql(owner)(UNPIN, {"input": ids})

    assert assert_single_error(response, "BAD_USER_INPUT")["extensions"]["field"] == "commentId"
    assert pinned_ids() == [chosen.pk]


# Refusals change nothing -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["the comment's author", "another viewer", "a delegate of the video's insights"])
def test_only_the_owner_pins_or_unpins_anyone_else_is_forbidden(gql: Any, db: None, who: str) -> None:
    """Given a comment the caller can see, when anyone but the video's owner pins or unpins it
    (its own author included), then each call is FORBIDDEN and the pin stays as it was."""
    owner, author = make_user(), make_user()
    video = make_video(owner)
    chosen, pinned = comment(author, video), comment(make_user(), video)
    services.comment_pin(actor=owner, comment_id=pinned.pk)
    caller = {"the comment's author": author, "another viewer": make_user()}.get(who) or make_user()
    if who.startswith("a delegate"):
        services.insights_access_grant(actor=owner, username=caller.username, video_id=video.pk)
    client = gql(caller)

    answers = [
        client(PIN, {"input": {"commentId": gid(chosen)}}),
        client(UNPIN, {"input": {"commentId": gid(pinned)}}),
        client(UNPIN, {"input": {"videoId": gid(video)}}),
    ]

    for response in answers:
        assert_single_error(response, "FORBIDDEN")
    assert pinned_ids() == [pinned.pk]


def test_an_anonymous_caller_must_sign_in(gql: Any, db: None) -> None:
    video = make_video(make_user())
    chosen = comment(make_user(), video)

    response = gql(None)(PIN, {"input": {"commentId": gid(chosen)}})

    assert_single_error(response, "UNAUTHENTICATED")
    assert pinned_ids() == []


def _missing(owner: User) -> str:
    return missing_gid("Comment")


def _on_someone_elses_hidden_video(owner: User) -> str:
    hidden = make_video(make_user(), visibility=Visibility.PRIVATE)
    return gid(comment(hidden.owner, hidden))


def _by_someone_the_owner_blocked(owner: User) -> str:
    video = Video.objects.get(owner=owner)
    author = make_user()
    written = comment(author, video)
    Block.objects.create(blocker=owner, blocked=author)
    return gid(written)


NOT_VISIBLE = {
    "missing": _missing,
    "on a video the caller may not see": _on_someone_elses_hidden_video,
    "by someone the owner blocked": _by_someone_the_owner_blocked,
}


@pytest.mark.parametrize("case", sorted(NOT_VISIBLE))
def test_a_comment_the_caller_may_not_see_is_not_found(gql: Any, db: None, case: str) -> None:
    owner = make_user()
    make_video(owner)
    comment_id = NOT_VISIBLE[case](owner)

    answers = [gql(owner)(document, {"input": {"commentId": comment_id}}) for document in (PIN, UNPIN)]

    for response in answers:
        assert_single_error(response, "NOT_FOUND")
    assert pinned_ids() == []


def test_a_reply_cannot_be_pinned(gql: Any, db: None) -> None:
    owner = make_user()
    video = make_video(owner)
    reply = services.comment_create(
        actor=make_user(), video_id=video.pk, text="reply", reply_to_id=comment(make_user(), video).pk
    )

    response = gql(owner)(PIN, {"input": {"commentId": gid(reply)}})

    assert assert_single_error(response, "BAD_USER_INPUT")["extensions"]["field"] == "commentId"
    assert pinned_ids() == []


# Who sees the pin --------------------------------------------------------------------------------------


def test_a_pinned_comment_hidden_by_a_block_is_null_for_that_viewer_and_the_owner_can_still_unpin(
    gql: Any, db: None
) -> None:
    """Given a pinned comment by someone the reader blocked, then the reader's ``pinnedComment``
    is null while others see it; and once the owner blocks the author too, they can no longer
    name the comment but still unpin it by the video."""
    owner, author, reader = make_user(), make_user(), make_user()
    video = make_video(owner)
    chosen = comment(author, video)
    services.comment_pin(actor=owner, comment_id=chosen.pk)
    Block.objects.create(blocker=reader, blocked=author)

    as_reader = gql(reader)(PINNED, {"id": gid(video)})
    as_anyone = gql(make_user())(PINNED, {"id": gid(video)})
    Block.objects.create(blocker=owner, blocked=author)
    unpinned = gql(owner)(UNPIN, {"input": {"videoId": gid(video)}})

    assert as_reader.body == {"data": {"video": {"pinnedComment": None}}}
    assert as_anyone.data["video"]["pinnedComment"]["id"] == gid(chosen)
    assert assert_data(unpinned, ("unpinComment", "video")) == {"pinnedComment": None}
    assert unpinned.data["unpinComment"]["unpinnedComment"] is None  # hidden from the owner now
    assert pinned_ids() == []


def test_the_comments_list_keeps_its_order_with_the_pinned_one_in_its_place(gql: Any, db: None) -> None:
    """Pinning changes no order: the list stays newest first (one keyset order), with the pinned
    comment where it was and ``isPinned`` on it; clients put ``pinnedComment`` on top."""
    owner = make_user()
    video = make_video(owner)
    older = comment(make_user(), video, "older")
    comment(make_user(), video, "newer")
    services.comment_pin(actor=owner, comment_id=older.pk)
    query = "query($id: ID!) { video(id: $id) { comments { edges { node { text isPinned } } } } }"

    response = gql(None)(query, {"id": gid(video)})

    assert [edge["node"] for edge in assert_data(response, ("video", "comments", "edges"))] == [
        {"text": "newer", "isPinned": False},
        {"text": "older", "isPinned": True},
    ]


def test_deleting_the_pinned_comment_leaves_no_pin(gql: Any, db: None) -> None:
    owner = make_user()
    video = make_video(owner)
    chosen = comment(make_user(), video)
    services.comment_pin(actor=owner, comment_id=chosen.pk)

    services.comment_delete(actor=owner, comment_id=chosen.pk)

    assert gql(None)(PINNED, {"id": gid(video)}).body == {"data": {"video": {"pinnedComment": None}}}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_pins_of_one_video_leave_one_pin_and_fail_none() -> None:
    """Given an owner pinning eight comments of one video at once (a frantic client), then every
    call succeeds (the video's row orders them; the one-pin constraint never fails one) and
    exactly one comment is pinned."""
    owner = make_user()
    video = make_video(owner)
    comments = [comment(make_user(), video) for _ in range(8)]
    start = threading.Barrier(len(comments), timeout=BARRIER_TIMEOUT_SECONDS)

    def pin(index: int) -> None:
        start.wait()
        services.comment_pin(actor=owner, comment_id=comments[index].pk)

    assert run_threads(len(comments), pin) == []
    assert len(pinned_ids()) == 1
