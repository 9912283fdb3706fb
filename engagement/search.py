"""Search over captions, hashtags and accounts, and a hashtag's videos: reads, keyword-only,
viewer first, each through a policy scope (docs/ARCHITECTURE.md, "Search and hashtags").

Only what the viewer may see is searched, so what they may not see cannot sway a result: videos
through ``shown_videos`` (visibility, private accounts, deactivated owners, blocks both ways,
mutes), accounts through ``shown_users``, tags through ``visible_hashtags``. Nothing here reads
favorites, likes or views of anyone.

Captions are matched with PostgreSQL's full-text search where the database is PostgreSQL, and
with a plain word match elsewhere (SQLite); ``_full_text_search`` is the one place that chooses.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Cast

from accounts.models import User
from accounts.policies import shown_users
from accounts.viewers import Viewer
from engagement import policies
from engagement.hashtags import hashtag_name, hashtag_prefix
from engagement.models import Hashtag, Video
from engagement.selectors import with_page_fields, with_remix_sources
from kernel.errors import NotFound
from kernel.pagination import Page, keyset_page, ranked_page
from kernel.validation import clean_text, refuse_nul

SEARCH_QUERY_MAX_LENGTH = 100
# No stemming and no stop words: captions are in every language, and a word is matched as written.
# The caption index of migration engagement 0008 is built on this very configuration.
TEXT_SEARCH_CONFIG = "simple"
RANK = "search_rank"
# Tiers of a ranked result, far apart so that the count added within a tier never reaches the next
# (a score stays an exact float: cursors carry it).
_TIER = 1e12
_QUERY_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class Search:
    """A search the viewer asked for: its query, cleaned. Each kind of result is paged apart."""

    query: str


def search_start(*, query: str) -> Search:
    """The query trimmed; empty, longer than ``SEARCH_QUERY_MAX_LENGTH`` or holding NUL is bad input."""
    return Search(query=clean_text(query, field="query", max_length=SEARCH_QUERY_MAX_LENGTH))


def _full_text_search() -> bool:
    """PostgreSQL has full-text search and the caption index; any other database gets the fallback."""
    return connection.vendor == "postgresql"


# Videos ------------------------------------------------------------------------------------------


def videos_search_page(
    *, viewer: Viewer, search: Search, first: int | None, after: str | None, viewer_flags: bool = True
) -> Page[Video]:
    """Videos whose caption matches, hashtags included (they are words of the caption).

    PostgreSQL: every word of the query (web-search syntax: ``"a phrase"``, ``or``, ``-word``) as a
    whole word, most relevant first (``ts_rank``), then newest. Elsewhere: every word of the query
    inside the caption, case-insensitively, newest first."""
    shown = policies.shown_videos(viewer, Video.objects.all())
    videos = with_remix_sources(viewer, with_page_fields(viewer, shown, viewer_flags=viewer_flags))
    if _full_text_search():
        vector = SearchVector("caption", config=TEXT_SEARCH_CONFIG)
        # websearch_to_tsquery takes any text: no query is a syntax error there.
        query = SearchQuery(search.query, config=TEXT_SEARCH_CONFIG, search_type="websearch")
        # The rank as double precision: float4 would not survive the trip through a cursor.
        matches = videos.alias(caption_vector=vector).filter(caption_vector=query)
        ranked = matches.annotate(**{RANK: Cast(SearchRank(vector, query), FloatField())})
        return ranked_page(ranked, score=RANK, first=first, after=after)
    words = _QUERY_WORDS.findall(search.query)
    for word in words:
        videos = videos.filter(caption__icontains=word)
    return keyset_page(videos if words else videos.none(), first=first, after=after)


# Accounts ----------------------------------------------------------------------------------------


def users_search_page(*, viewer: Viewer, search: Search, first: int | None, after: str | None) -> Page[User]:
    """Accounts whose username or display name holds the query (an ``@`` before it is dropped):
    the exact username first, then usernames that start with it, then the rest, each by followers."""
    text = search.query.removeprefix("@")
    tier = Case(
        When(username__iexact=text, then=Value(3 * _TIER)),
        When(username__istartswith=text, then=Value(2 * _TIER)),
        default=Value(_TIER),
    )
    matches = User.objects.filter(Q(username__icontains=text) | Q(display_name__icontains=text))
    users = shown_users(viewer, matches if text else User.objects.none())
    ranked = users.annotate(**{RANK: Cast(tier + F("follower_count"), FloatField())})
    return ranked_page(ranked, score=RANK, first=first, after=after)


# Hashtags ----------------------------------------------------------------------------------------


def hashtags_search_page(*, viewer: Viewer, search: Search, first: int | None, after: str | None) -> Page[Hashtag]:
    """Tags that start with the query (a ``#`` before it is dropped) and that a video shown to
    the viewer carries: the exact tag first, then by how many videos shown to the viewer carry
    each. Only those videos are counted, so the order tells nothing of videos the viewer may not
    see."""
    prefix = hashtag_prefix(search.query)
    matches = Hashtag.objects.filter(name__startswith=prefix) if prefix else Hashtag.objects.none()
    tier = Case(When(name=prefix, then=Value(_TIER)), default=Value(0.0))
    tags = policies.visible_hashtags_counted(viewer, matches)
    ranked = tags.annotate(**{RANK: Cast(tier + F("shown_video_count"), FloatField())})
    return ranked_page(ranked, score=RANK, first=first, after=after)


def hashtag_get(*, viewer: Viewer, name: str) -> Hashtag:
    """A tag by name (``#Dance``, ``dance``), or ``NotFound`` when no video shown to the viewer
    carries it: missing and hidden answer alike."""
    refuse_nul(name, field="name")
    stored = hashtag_name(name)
    tag = policies.visible_hashtags(viewer, Hashtag.objects.filter(name=stored)).first() if stored else None
    if tag is None:
        raise NotFound("No hashtag with that name.")
    return tag


def hashtags_by_ids(*, viewer: Viewer, hashtag_ids: list[int]) -> dict[int, Hashtag]:
    """Batch read for node lookups: the tags among ``hashtag_ids`` the viewer may see."""
    return {tag.pk: tag for tag in policies.visible_hashtags(viewer, Hashtag.objects.filter(pk__in=hashtag_ids))}


def hashtag_videos_page(
    *, viewer: Viewer, hashtag: Hashtag, first: int | None, after: str | None, viewer_flags: bool = True
) -> Page[Video]:
    """The videos shown to the viewer that carry the tag, newest first."""
    videos = policies.shown_videos(viewer, Video.objects.filter(hashtags=hashtag))
    rows = with_remix_sources(viewer, with_page_fields(viewer, videos, viewer_flags=viewer_flags))
    return keyset_page(rows, first=first, after=after)
