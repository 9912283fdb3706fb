"""Hashtag ids drawn at random, the tags already there given new ones: a sequential id in a tag's
global ID would tell whether the tag existed before the caller first used it."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

import engagement.models


def rekey_existing_tags(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Each tag moves to a random id with its links: its row renamed out of the way (a ``~``
    never appears in a parsed tag), a new row under its name, its links moved, the old row gone."""
    hashtag = apps.get_model("engagement", "Hashtag")
    links = apps.get_model("engagement", "Video").hashtags.through
    for old in list(hashtag.objects.order_by("pk")):
        hashtag.objects.filter(pk=old.pk).update(name=f"~{old.pk}")
        new = hashtag.objects.create(id=engagement.models.random_hashtag_id(), name=old.name, created_at=old.created_at)
        links.objects.filter(hashtag_id=old.pk).update(hashtag_id=new.pk)
        hashtag.objects.filter(pk=old.pk).delete()


class Migration(migrations.Migration):
    dependencies = [("engagement", "0008_search_hashtags_backfill")]

    operations = [
        migrations.AlterField(
            model_name="hashtag",
            name="id",
            field=models.BigIntegerField(
                default=engagement.models.random_hashtag_id, editable=False, primary_key=True, serialize=False
            ),
        ),
        migrations.RunPython(rekey_existing_tags, migrations.RunPython.noop),
    ]
