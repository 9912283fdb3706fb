"""The time zone a person shows their insights in: an IANA name, checked on the way in.

Rollups count in UTC; a creator reads their followers' active hours in their own zone
(``User.time_zone``). The names are those the host's time zone database knows
(``zoneinfo.available_timezones()``), less ``localtime``, which is the server's own zone and not
an IANA name.
"""

from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError

from kernel.errors import InvalidInput
from kernel.validation import refuse_nul

DEFAULT_TIME_ZONE = "UTC"
TIME_ZONE_MAX_LENGTH = 64


@cache
def known_time_zones() -> frozenset[str]:
    """Read once per process: the database is a directory scan."""
    return frozenset(available_timezones() - {"localtime"}) | {DEFAULT_TIME_ZONE}


def clean_time_zone(value: str, *, field: str = "timeZone") -> str:
    """An IANA name such as ``Europe/Paris``, spelled exactly (names are case-sensitive)."""
    name = refuse_nul(value, field=field).strip()
    if name not in known_time_zones():
        raise InvalidInput(f"{field} must be an IANA time zone name such as Europe/Paris.", field=field)
    return name


def validate_time_zone(value: str) -> None:
    """The model field's validator, for forms (the admin): the services use ``clean_time_zone``."""
    if value not in known_time_zones():
        raise ValidationError("Not an IANA time zone name such as Europe/Paris.", code="time_zone")


def zone_of(name: str) -> ZoneInfo:
    """The zone of a stored name; UTC if the host's database no longer holds it (a name is
    checked when it is set, and time zone databases rarely drop one)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)
