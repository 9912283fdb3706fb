"""The README's example operations answer as shown, on both engines, against the demo data."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django import DjangoDbBlocker

from accounts.models import User
from engagement.analytics.models import VideoDailyStats
from engagement.analytics.privacy import days_in
from engagement.analytics.rollups import rollup_day

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLE = re.compile(r"<!-- example: (?P<user>\w+) -->\s*```graphql\n(?P<query>.*?)```", re.DOTALL)
EXAMPLES = [(match["user"], match["query"]) for match in EXAMPLE.finditer(README.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def demo_data(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo data, seeded once for the module (seeding is the slow part) in a transaction
    rolled back after it; each test runs inside it, in a savepoint of its own."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--no-progress", stdout=None)
        yield
        transaction.set_rollback(True)


def test_the_readme_has_examples_for_anyone_a_viewer_and_a_creator() -> None:
    assert {user for user, _ in EXAMPLES} == {"anonymous", "demo_viewer", "demo_creator"}


@pytest.mark.parametrize(("username", "query"), EXAMPLES, ids=[f"{u}-{i}" for i, (u, _) in enumerate(EXAMPLES)])
def test_readme_example_answers_with_data(demo_data: None, gql, username: str, query: str) -> None:
    """Given the demo data, when the README's operation runs as its user, then it answers with
    data and no error, and lists are not empty (the examples show something). ``anonymous`` runs
    signed out."""
    user = None if username == "anonymous" else User.objects.get(username=username)

    response = gql(user)(query)

    assert response.status == 200
    assert response.errors == []
    assert re.search(r"'edges': \[\{", str(response.data)), response.data


@pytest.mark.both_engines
def test_the_creator_example_compares_the_overview_with_the_previous_period(demo_data: None, gql) -> None:
    """Given the demo's last 15 days rolled up, when the creator's example runs over the last 7
    of them (its dates put in), then the overview holds the week before as the previous range,
    the exact totals of the rollups of each, and the relative change."""
    (query,) = [query for user, query in EXAMPLES if user == "demo_creator" and "overview(" in query]
    assert "compareTo: PREVIOUS_PERIOD" in query
    today = datetime.now(UTC).date()
    first, last = today - timedelta(days=7), today - timedelta(days=1)
    for day in days_in(first - timedelta(days=8), last):
        rollup_day(day)
    recent = re.sub(r'from: "[^"]*", to: "[^"]*"', f'from: "{first}", to: "{last}"', query)
    creator = User.objects.get(username="demo_creator")

    response = gql(creator)(recent)

    assert response.errors == []
    overview = response.data["me"]["insights"]["overview"]
    previous = (first - timedelta(days=7), first - timedelta(days=1))
    assert (overview["previousFrom"], overview["previousTo"]) == tuple(day.isoformat() for day in previous)
    views = [
        sum(VideoDailyStats.objects.filter(video__owner=creator, day__range=days).values_list("views", flat=True))
        for days in ((first, last), previous)
    ]
    assert [overview["totals"]["views"], overview["previous"]["views"]] == views and views[0] > 0
    assert overview["change"]["views"] == (views[0] - views[1]) / views[1]
    assert None not in (overview["totals"]["netFollowers"], overview["previous"]["netFollowers"])
