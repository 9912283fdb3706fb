"""``manage.py fold_counters``: a thin shell over ``engagement.counters.counters_fold``."""

from typing import Any

from engagement import counters
from kernel.commands import ProjectCommand


class Command(ProjectCommand):
    help = (
        "Fold the counter steps that spilled into slot rows (a video written by many people at once, on "
        "PostgreSQL) back into each video's totals row. The totals that reads show do not change; reads then "
        "add up fewer rows. Safe to run at any time, e.g. every few minutes from cron, while the site writes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        folded = counters.counters_fold()
        self.stdout.write(self.style.SUCCESS(f"Folded {folded} slot row(s) into the totals."))
