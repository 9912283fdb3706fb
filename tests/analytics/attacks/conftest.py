"""The attacks run at the documented settings, against worlds built once for the whole package."""

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from pytest_django import DjangoDbBlocker, Settings

from tests.analytics.attacks.catalogue import ATTACKS
from tests.analytics.attacks.worlds import DEFAULTS, Build, Layout, Worlds


@pytest.fixture(autouse=True)
def documented_settings(exact_thresholds: None, settings: Settings) -> None:
    """Undo tests/analytics/conftest.py's exact counts. The hourly budget is lifted: it limits how
    fast an attacker reads, not what the answers reveal, and the trials read a lot."""
    for name, value in DEFAULTS.items():
        setattr(settings, name, value)
    settings.GRAPHQL_HOURLY_BUDGET_USER = 10**12


@pytest.fixture(scope="package")
def worlds(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Worlds]:
    """Every attack's worlds, one per candidate value, in one database and one rollup; rolled back
    when the package is done, so no other test sees them."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(**DEFAULTS):
            build = Build(Layout.in_the_past())
            built = {
                attack.id: {value: attack.build(build, value) for value in attack.candidates} for attack in ATTACKS
            }
            build.roll_up()
        yield built
        transaction.set_rollback(True)
