"""Hashtags from captions: the rule that finds them, and the links that store them.

The rule (docs/ARCHITECTURE.md, "Search and hashtags"), applied to the caption after Unicode
NFKC normalization (so a tag typed in full-width letters, as Japanese keyboards do, is the same
tag):

- a tag is ``#`` followed by a run of word characters: letters, combining marks and digits of
  any script, connector punctuation such as ``_``, and the zero-width (non-)joiners some scripts
  write inside words; the run ends at the first other character (space, punctuation, emoji);
- the ``#`` starts the tag only at the start of the caption or after a character that is not a
  word character nor ``&``, ``/`` or ``#``: ``C#``, ``&#39;``, ``a/#b`` and ``##b`` hold no tag, and
  neither does a link (``https://…#section``, ``www.…``), which is skipped whole;
- the run must hold a letter (``#1`` and ``#2024`` are not tags) and is stored lower-cased, so
  ``#Dance`` and ``#dance`` are one tag; a run longer than ``HASHTAG_MAX_LENGTH`` once lower-cased
  is not a tag at all (never cut into one its author did not write);
- a caption links its first ``MAX_HASHTAGS_PER_VIDEO`` distinct tags, in order of appearance.

Parsing is pure; ``link_caption_hashtags`` writes the links, for the services, the demo seeding
and the backfill migration alike (it works on the migration's historical models too).
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from engagement.models import HASHTAG_MAX_LENGTH

MAX_HASHTAGS_PER_VIDEO = 30
_JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner (Persian, Indic scripts)
_NOT_BEFORE_A_TAG = frozenset("&/#")
_LINK = re.compile(r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S*", re.IGNORECASE)
_BATCH = 500  # names per IN (...) list: well under SQLite's limit on query parameters


def is_word_character(character: str) -> bool:
    """A letter, mark or number of any script, connector punctuation (``_``) or a joiner."""
    category = unicodedata.category(character)
    return category[0] in "LMN" or category == "Pc" or character in _JOINERS


def _tag_name(run: str) -> str | None:
    """The stored form of a run of word characters, or None when it cannot be a tag."""
    name = run.lower()
    if len(name) > HASHTAG_MAX_LENGTH or not any(unicodedata.category(c).startswith("L") for c in name):
        return None
    return name


def parse_hashtags(caption: str) -> list[str]:
    """The distinct tags of a caption, lower-case and without ``#``, in order of appearance; at
    most ``MAX_HASHTAGS_PER_VIDEO``."""
    text = _LINK.sub(" ", unicodedata.normalize("NFKC", caption))
    names: dict[str, None] = {}
    position = text.find("#")
    while position != -1 and len(names) < MAX_HASHTAGS_PER_VIDEO:
        end = position + 1
        while end < len(text) and is_word_character(text[end]):
            end += 1
        before = text[position - 1] if position else " "
        if not is_word_character(before) and before not in _NOT_BEFORE_A_TAG:
            name = _tag_name(text[position + 1 : end])
            if name is not None:
                names.setdefault(name)
        position = text.find("#", max(end, position + 1))
    return list(names)


def _searchable_form(text: str) -> str:
    """What a client typed for a tag, in the stored form: NFKC, trimmed, one ``#`` dropped, lower-case."""
    return unicodedata.normalize("NFKC", text).strip().removeprefix("#").lower()


def hashtag_name(text: str) -> str | None:
    """The tag a client names (``#Dance``, ``dance``), or None when no tag can have that name."""
    name = _searchable_form(text)
    if not name or not all(is_word_character(character) for character in name):
        return None
    return _tag_name(name)


def hashtag_prefix(text: str) -> str | None:
    """The start of a tag a client typed, or None when no tag can start so."""
    prefix = _searchable_form(text)
    if not prefix or len(prefix) > HASHTAG_MAX_LENGTH:
        return None
    return prefix if all(is_word_character(character) for character in prefix) else None


# Storing --------------------------------------------------------------------------------------


def link_caption_hashtags(videos: Sequence[Any]) -> None:
    """Make each video's hashtags those of its caption, creating tags not seen before. Call it in
    the transaction that wrote the captions. The models are taken from the videos, so a migration
    passes its historical ones."""
    if not videos:
        return
    links = type(videos[0]).hashtags.through
    tags = links._meta.get_field("hashtag").related_model
    names_of = {video.pk: parse_hashtags(video.caption) for video in videos}
    ids = _hashtag_ids(tags, {name for names in names_of.values() for name in names})
    links.objects.filter(video_id__in=list(names_of)).delete()
    links.objects.bulk_create(
        [links(video_id=pk, hashtag_id=ids[name]) for pk, names in names_of.items() for name in names],
        batch_size=_BATCH,
    )


def _hashtag_ids(tags: Any, names: Iterable[str]) -> dict[str, int]:
    """The id of each named tag, inserting the missing ones. A tag another transaction inserts
    meanwhile is a conflict ignored, then read like any other."""
    ids: dict[str, int] = {}
    wanted = sorted(names)
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start : start + _BATCH]
        ids.update(tags.objects.filter(name__in=batch).values_list("name", "pk"))
        missing = [name for name in batch if name not in ids]
        if missing:
            tags.objects.bulk_create([tags(name=name) for name in missing], ignore_conflicts=True)
            ids.update(tags.objects.filter(name__in=missing).values_list("name", "pk"))
    return ids
