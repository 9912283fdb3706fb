"""Hashtags for the videos posted before captions were parsed, and on PostgreSQL the GIN index
that caption search reads (docs/ARCHITECTURE.md, "Search and hashtags").

The index is on the very expression ``engagement.search`` queries, ``to_tsvector('simple',
COALESCE(caption, ''))``, built by Django from the same ``SearchVector`` so the two cannot differ
in spelling. It is created on PostgreSQL only and holds no migration state, so SQLite migrates
as before and ``makemigrations --check`` has nothing to add.
"""

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from engagement.hashtags import link_caption_hashtags

BATCH = 1000
CAPTION_SEARCH_INDEX = GinIndex(SearchVector("caption", config="simple"), name="video_caption_search_idx")


def backfill_hashtags(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    video_model: Any = apps.get_model("engagement", "Video")
    videos = video_model.objects.only("pk", "caption").order_by("pk")
    last = 0
    while batch := list(videos.filter(pk__gt=last)[:BATCH]):
        link_caption_hashtags(batch)
        last = batch[-1].pk


def create_caption_search_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("engagement", "Video"), CAPTION_SEARCH_INDEX)


def drop_caption_search_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("engagement", "Video"), CAPTION_SEARCH_INDEX)


class Migration(migrations.Migration):
    dependencies = [("engagement", "0007_hashtags_replies_pins_ranks")]

    operations = [
        # Reversed, the links stay: they are what the captions say.
        migrations.RunPython(backfill_hashtags, migrations.RunPython.noop),
        migrations.RunPython(create_caption_search_index, drop_caption_search_index),
    ]
