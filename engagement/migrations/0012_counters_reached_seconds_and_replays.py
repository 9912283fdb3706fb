"""Two more counters of a video's views: the furthest second each view reached, summed
(``reached_seconds``, for the average share viewed), and the views that started the video again
from the start (``replay_count``). Backfilled from the views recorded before, so every counter
still equals its rows (``engagement.counters.counter_drift``)."""

from typing import Any

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def counters_from_views(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Each totals row from its video's views; the slots spilled before hold no step of these two
    counters, so the row alone carries them."""
    view_model: Any = apps.get_model("engagement", "View")
    counters_model: Any = apps.get_model("engagement", "VideoCounters")
    views = view_model.objects.filter(video_id=OuterRef("video_id")).order_by().values("video_id")
    reached = views.annotate(n=Sum("position_seconds")).values("n")
    replays = views.filter(replayed=True).annotate(n=Count("pk")).values("n")
    counters_model.objects.update(
        reached_seconds=Coalesce(Subquery(reached), Value(0), output_field=models.BigIntegerField()),
        replay_count=Coalesce(Subquery(replays), Value(0), output_field=models.BigIntegerField()),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0011_view_position_device_and_new_breakdowns"),
    ]

    operations = [
        migrations.AddField(
            model_name="videocounters",
            name="reached_seconds",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="videocounters",
            name="replay_count",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="videocounterslot",
            name="reached_seconds",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="videocounterslot",
            name="replay_count",
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name="videocounters",
            constraint=models.CheckConstraint(
                condition=models.Q(("reached_seconds__gte", 0)), name="counters_reached_seconds_gte_0"
            ),
        ),
        migrations.AddConstraint(
            model_name="videocounters",
            constraint=models.CheckConstraint(
                condition=models.Q(("replay_count__gte", 0)), name="counters_replay_count_gte_0"
            ),
        ),
        migrations.RunPython(counters_from_views, migrations.RunPython.noop),
    ]
