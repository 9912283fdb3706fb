"""The README's example operations answer as shown, on both engines, against the demo data."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django import DjangoDbBlocker

from accounts.models import User

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
