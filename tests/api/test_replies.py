"""Replies: ``commentOnVideo(replyToId:)``, ``Comment.replyTo``, ``Comment.replies`` and
``Comment.replyCount``; ``Video.comments`` lists top comments only. Threads are one level deep;
a reply notifies the author replied to (REPLY) and the video's owner (COMMENT), never twice and
never the actor; deleting a comment takes its replies and moves ``commentCount`` by all of them."""

from typing import Any

import pytest

from accounts import services as account_services
from accounts.models import Block, User
from engagement import counters, services
from engagement.models import Comment, Notification, NotificationKind, Video, Visibility
from tests.api.cases import assert_data, assert_single_error
from tests.api.conftest import gid, missing_gid
from tests.api.test_query_counts import MAX_QUERIES, SIZES, count_queries
from tests.domain.helpers import counter_drift, counters_of
from tests.factories import make_user, make_video

REPLY = """
mutation($input: CommentOnVideoInput!) {
  commentOnVideo(input: $input) {
    comment { id text replyTo { id replyCount } }
    video { commentCount }
  }
}
"""
THREAD = """
query($id: ID!) {
  video(id: $id) {
    commentCount
    comments { edges { node { id replyTo { id } replyCount replies { edges { node { id replyTo { id } } } } } } }
  }
}
"""
DELETE = """
mutation($input: DeleteCommentInput!) {
  deleteComment(input: $input) { deletedCommentId video { commentCount } replyTo { id replyCount } }
}
"""


def comment(author: User, video: Video, text: str = "hi", reply_to: Comment | None = None) -> Comment:
    return services.comment_create(
        actor=author, video_id=video.pk, text=text, reply_to_id=reply_to.pk if reply_to else None
    )


def reply_input(video: Video, reply_to: str, text: str = "agreed") -> dict[str, Any]:
    return {"input": {"videoId": gid(video), "text": text, "replyToId": reply_to}}


def notified(*, kind: str | None = None) -> list[tuple[str, str]]:
    rows = Notification.objects.order_by("pk")
    if kind is not None:
        rows = rows.filter(kind=kind)
    return [(row.recipient.username, row.kind) for row in rows]


# Replying ------------------------------------------------------------------------------------------


def test_a_reply_hangs_under_its_comment_and_the_video_lists_top_comments_only(gql: Any, db: None) -> None:
    """Given a comment, when someone replies to it through the API, then the payload's comment
    names its parent (one reply now), the video counts both, and ``Video.comments`` lists the top
    comment alone with the reply under it."""
    owner, fan, replier = make_user("owner"), make_user("fan"), make_user("replier")
    video = make_video(owner)
    top = comment(fan, video, "first")

    response = gql(replier)(REPLY, reply_input(video, gid(top)))
    thread = gql(None)(THREAD, {"id": gid(video)})

    payload = assert_data(response, ("commentOnVideo",))
    reply_id = payload["comment"]["id"]
    assert payload["comment"]["replyTo"] == {"id": gid(top), "replyCount": 1}
    assert payload["video"]["commentCount"] == 2
    assert assert_data(thread, ("video",)) == {
        "commentCount": 2,
        "comments": {
            "edges": [
                {
                    "node": {
                        "id": gid(top),
                        "replyTo": None,
                        "replyCount": 1,
                        "replies": {"edges": [{"node": {"id": reply_id, "replyTo": {"id": gid(top)}}}]},
                    }
                }
            ]
        },
    }


def test_a_reply_to_a_reply_joins_the_thread_of_its_top_comment(db: None) -> None:
    owner, fan, first, second = make_user(), make_user(), make_user(), make_user()
    video = make_video(owner)
    top = comment(fan, video)
    reply = comment(first, video, reply_to=top)

    answer = comment(second, video, f"@{first.username} yes", reply_to=reply)

    assert answer.reply_to_id == top.pk
    assert list(Comment.objects.filter(reply_to=top).order_by("pk")) == [reply, answer]


def test_replies_are_listed_newest_first_and_keyset_paginated(gql: Any, db: None) -> None:
    video = make_video(make_user())
    top = comment(make_user(), video)
    replies = [comment(make_user(), video, f"r{index}", reply_to=top) for index in range(5)]
    query = """query($id: ID!, $after: String) { node(id: $id) { ... on Comment {
      replies(first: 3, after: $after) { edges { node { text } } pageInfo { hasNextPage endCursor } } } } }"""
    client = gql(None)

    first = client(query, {"id": gid(top)})
    page = first.data["node"]["replies"]
    rest = client(query, {"id": gid(top), "after": page["pageInfo"]["endCursor"]})

    texts = [edge["node"]["text"] for response in (first, rest) for edge in response.data["node"]["replies"]["edges"]]
    assert texts == [reply.text for reply in reversed(replies)]
    assert page["pageInfo"]["hasNextPage"] is True


# Who is told ------------------------------------------------------------------------------------------


def test_a_reply_notifies_the_author_replied_to_and_the_owner(db: None) -> None:
    owner, fan, replier = make_user("owner"), make_user("fan"), make_user("replier")
    video = make_video(owner)
    top = comment(fan, video)
    Notification.objects.all().delete()

    comment(replier, video, reply_to=top)

    assert notified() == [("fan", NotificationKind.REPLY), ("owner", NotificationKind.COMMENT)]


def test_a_reply_to_the_owners_comment_notifies_them_once_as_a_reply(db: None) -> None:
    owner, replier = make_user("owner"), make_user("replier")
    video = make_video(owner)
    top = comment(owner, video)

    comment(replier, video, reply_to=top)

    assert notified() == [("owner", NotificationKind.REPLY)]


def test_replying_to_yourself_tells_only_the_owner_and_the_owner_replying_tells_the_author(db: None) -> None:
    owner, fan = make_user("owner"), make_user("fan")
    video = make_video(owner)
    top = comment(fan, video)
    Notification.objects.all().delete()

    comment(fan, video, reply_to=top)
    comment(owner, video, reply_to=top)

    assert notified() == [("owner", NotificationKind.COMMENT), ("fan", NotificationKind.REPLY)]


def test_a_reply_to_a_reply_notifies_the_author_of_that_reply(db: None) -> None:
    owner, fan, first, second = make_user("owner"), make_user("fan"), make_user("first"), make_user("second")
    video = make_video(owner)
    reply = comment(first, video, reply_to=comment(fan, video))
    Notification.objects.all().delete()

    comment(second, video, reply_to=reply)

    assert notified() == [("first", NotificationKind.REPLY), ("owner", NotificationKind.COMMENT)]


def test_comments_notifications_off_silences_replies_too(db: None) -> None:
    owner, fan, replier = make_user("owner"), make_user("fan"), make_user("replier")
    video = make_video(owner)
    top = comment(fan, video)
    account_services.user_update_notification_settings(actor=fan, comments=False)

    comment(replier, video, reply_to=top)

    assert notified(kind=NotificationKind.REPLY) == []
    assert notified(kind=NotificationKind.COMMENT)[-1] == ("owner", NotificationKind.COMMENT)


def test_mentions_in_a_reply_notify_as_in_a_comment(db: None) -> None:
    owner, fan, replier, friend = make_user("owner"), make_user("fan"), make_user("replier"), make_user("pal")
    video = make_video(owner)
    top = comment(fan, video)

    comment(replier, video, "look @pal", reply_to=top)

    assert notified(kind=NotificationKind.MENTION) == [("pal", NotificationKind.MENTION)]
    assert Notification.objects.get(recipient=friend).comment.reply_to_id == top.pk  # type: ignore[union-attr]


# Refused replies change nothing ---------------------------------------------------------------------


def test_a_reply_to_a_comment_of_another_video_is_bad_user_input(gql: Any, db: None) -> None:
    owner = make_user()
    video, other = make_video(owner), make_video(owner)
    elsewhere = comment(make_user(), other)

    response = gql(make_user())(REPLY, reply_input(video, gid(elsewhere)))

    error = assert_single_error(response, "BAD_USER_INPUT")
    assert error["extensions"]["field"] == "replyToId"
    assert Comment.objects.count() == 1 and counters_of(video)["comment_count"] == 0


def _comment_on_a_hidden_video(replier: User) -> str:
    video = make_video(make_user(), visibility=Visibility.PRIVATE)
    return gid(comment(video.owner, video))


def _comment_by_someone_who_blocked_the_replier(replier: User) -> str:
    author = make_user()
    Block.objects.create(blocker=author, blocked=replier)
    return gid(comment(author, Video.objects.get(caption="shared")))


def _reply_in_a_thread_hidden_by_a_block(replier: User) -> str:
    video = Video.objects.get(caption="shared")
    author = make_user()
    top = comment(author, video)
    Block.objects.create(blocker=replier, blocked=author)
    return gid(comment(make_user(), video, reply_to=top))


MISSING_OR_HIDDEN = {
    "missing": lambda replier: missing_gid("Comment"),
    "on a hidden video": _comment_on_a_hidden_video,
    "by someone who blocked the replier": _comment_by_someone_who_blocked_the_replier,
    "in a thread a block hides": _reply_in_a_thread_hidden_by_a_block,
}


@pytest.mark.parametrize("case", sorted(MISSING_OR_HIDDEN))
def test_a_reply_to_a_missing_or_hidden_comment_is_not_found(gql: Any, db: None, case: str) -> None:
    """A comment the replier may not read answers as a missing one: NOT_FOUND, nothing written."""
    replier = make_user()
    video = make_video(make_user(), caption="shared")
    reply_to = MISSING_OR_HIDDEN[case](replier)
    before = Comment.objects.count()

    response = gql(replier)(REPLY, reply_input(video, reply_to))

    assert assert_single_error(response, "NOT_FOUND")["path"] == ["commentOnVideo"]
    assert Comment.objects.count() == before


def test_a_reply_id_of_another_type_is_bad_user_input(gql: Any, db: None) -> None:
    video = make_video(make_user())

    response = gql(make_user())(REPLY, reply_input(video, gid(video)))

    assert assert_single_error(response, "BAD_USER_INPUT")["extensions"]["field"] == "replyToId"


def test_a_reply_where_the_creator_turned_comments_off_is_forbidden(gql: Any, db: None) -> None:
    owner = make_user()
    video = make_video(owner)
    top = comment(owner, video)
    Video.objects.filter(pk=video.pk).update(allow_comments="NO_ONE")

    response = gql(make_user())(REPLY, reply_input(video, gid(top)))

    assert_single_error(response, "FORBIDDEN")
    assert Comment.objects.count() == 1


# Who sees which reply ---------------------------------------------------------------------------------


def test_a_block_hides_the_blocked_persons_replies_and_the_count_agrees(gql: Any, db: None) -> None:
    """Given a thread with replies by a stranger and by someone the reader blocked, then the
    reader sees one reply and a count of one; anyone else sees both."""
    reader, blocked = make_user(), make_user()
    video = make_video(make_user())
    top = comment(make_user(), video)
    visible = comment(make_user(), video, reply_to=top)
    comment(blocked, video, reply_to=top)
    Block.objects.create(blocker=reader, blocked=blocked)
    query = "query($id: ID!) { node(id: $id) { ... on Comment { replyCount replies { edges { node { id } } } } } }"

    as_reader = gql(reader)(query, {"id": gid(top)})
    as_anyone = gql(make_user())(query, {"id": gid(top)})

    assert as_reader.data["node"] == {"replyCount": 1, "replies": {"edges": [{"node": {"id": gid(visible)}}]}}
    assert as_anyone.data["node"]["replyCount"] == 2


def test_a_reply_in_a_thread_the_viewer_may_not_see_is_missing(gql: Any, db: None) -> None:
    """Given a reply under a comment by someone who blocked the reader, then the reply is null by
    ``node(id:)`` as a missing one, while its own author is nobody the reader blocked."""
    reader, author = make_user(), make_user()
    video = make_video(make_user())
    reply = comment(make_user(), video, reply_to=comment(author, video))
    Block.objects.create(blocker=author, blocked=reader)
    query = "query($id: ID!) { node(id: $id) { id } }"

    assert gql(reader)(query, {"id": gid(reply)}).body == {"data": {"node": None}}
    assert gql(make_user())(query, {"id": gid(reply)}).body == {"data": {"node": {"id": gid(reply)}}}


# Deleting ------------------------------------------------------------------------------------------------


def test_deleting_a_comment_takes_its_replies_and_moves_the_count_by_all(gql: Any, db: None) -> None:
    owner = make_user()
    video = make_video(owner)
    top = comment(make_user(), video)
    for _ in range(3):
        comment(make_user(), video, reply_to=top)
    kept = comment(make_user(), video)

    response = gql(owner)(DELETE, {"input": {"commentId": gid(top)}})

    assert assert_data(response, ("deleteComment",)) == {
        "deletedCommentId": gid(top),
        "video": {"commentCount": 1},
        "replyTo": None,
    }
    assert list(Comment.objects.all()) == [kept]
    assert not Notification.objects.filter(kind=NotificationKind.REPLY).exists()
    assert counter_drift() == [] and counters.counter_drift() == []


def test_deleting_a_reply_moves_the_count_by_one_and_returns_its_comment(gql: Any, db: None) -> None:
    video = make_video(make_user())
    top = comment(make_user(), video)
    replier = make_user()
    reply = comment(replier, video, reply_to=top)
    comment(make_user(), video, reply_to=top)

    response = gql(replier)(DELETE, {"input": {"commentId": gid(reply)}})

    assert assert_data(response, ("deleteComment",)) == {
        "deletedCommentId": gid(reply),
        "video": {"commentCount": 2},
        "replyTo": {"id": gid(top), "replyCount": 1},
    }
    assert counter_drift() == []


def test_erasing_an_account_takes_the_replies_to_its_comments_off_the_counts(db: None) -> None:
    """Given replies by others to a leaver's comment (and the leaver's reply to their own), when
    the leaver deletes their account, then those replies are gone with it and every counter
    still equals its rows."""
    leaver, stayer = make_user("leaver"), make_user("stayer")
    video = make_video(make_user())
    top = comment(leaver, video)
    comment(stayer, video, reply_to=top)
    comment(leaver, video, reply_to=top)
    comment(stayer, video)

    services.user_delete_account(actor=leaver, password="pw-leaver-123!")

    assert counters_of(video)["comment_count"] == 1 == Comment.objects.count()
    assert counter_drift() == []


# What a page of replies costs -------------------------------------------------------------------------

REPLIES_PAGE = """
query($id: ID!, $first: Int!) {
  node(id: $id) { ... on Comment {
    replyCount
    replies(first: $first) { edges { node { id text replyCount createdAt author { username displayName }
      replyTo { id text } } } }
  } }
}
"""
COMMENTS_PAGE = """
query($id: ID!, $first: Int!) {
  video(id: $id) { comments(first: $first) { edges { node { id replyCount replyTo { id } author { username } } } } }
}
"""


@pytest.mark.differential
@pytest.mark.both_engines
def test_a_replies_page_and_a_comments_page_cost_the_same_for_5_and_50(gql: Any, db: None) -> None:
    """Given threads of 5 and 50 replies by several authors (and videos of 5 and 50 comments with
    replies), when a page of each is read with authors, parents and reply counts, then the cost
    does not depend on the number of rows."""
    reader = make_user("reader")
    counts: dict[str, dict[int, int]] = {"replies": {}, "comments": {}}
    for size in SIZES:
        video = make_video(make_user(f"host{size}"))
        authors = [make_user(f"author{size}_{index}") for index in range(5)]
        top = comment(authors[0], video)
        for index in range(size):
            comment(authors[index % len(authors)], video, f"r{index}", reply_to=top)
            comment(authors[index % len(authors)], video, f"c{index}", reply_to=None)
        counts["replies"][size] = count_queries(gql(reader), REPLIES_PAGE, {"id": gid(top), "first": size})
        counts["comments"][size] = count_queries(gql(reader), COMMENTS_PAGE, {"id": gid(video), "first": size})

    print(f"\nreplies and comments pages queries: {counts}")
    for by_size in counts.values():
        assert by_size[5] == by_size[50] <= MAX_QUERIES
