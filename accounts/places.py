"""The places a person declares, checked on the way in: a country (an assigned ISO 3166-1 alpha-2
code) and a region in it (an ISO 3166-2 subdivision).

The codes and their names come from pycountry's copies of ISO 3166-1 and ISO 3166-2 (about
5,000 subdivisions at any level: a French department as well as its region). Insights count
people by the top-level subdivision their declared one belongs to (``top_level``): a country's
regions, not its thousands of districts, so a breakdown by region has a few dozen buckets that
can fill up.
"""

from dataclasses import dataclass
from functools import cache

import pycountry
from django.core.exceptions import ValidationError

from kernel.errors import InvalidInput
from kernel.validation import refuse_nul

REGION_MAX_LENGTH = 6  # the longest ISO 3166-2 code: two letters, a hyphen, up to three characters
# ISO 3166-1 alpha-2, every officially assigned code: the countries a person may declare.
COUNTRY_CODES = tuple(sorted(country.alpha_2 for country in pycountry.countries))
_COUNTRIES = frozenset(COUNTRY_CODES)


@dataclass(frozen=True)
class Subdivision:
    code: str  # "FR-IDF"
    name: str  # "Île-de-France"
    kind: str  # "Metropolitan region", as ISO 3166-2 names the level
    parent: str | None  # the code of the subdivision it lies in, if any


@cache
def subdivisions() -> dict[str, Subdivision]:
    """Every subdivision by code, read once per process."""
    return {
        entry.code: Subdivision(entry.code, entry.name, entry.type, getattr(entry, "parent_code", None))
        for entry in pycountry.subdivisions
    }


@cache
def subdivisions_of(country: str) -> tuple[Subdivision, ...]:
    """A country's subdivisions at every level, by code."""
    prefix = f"{country}-"
    return tuple(sorted((s for code, s in subdivisions().items() if code.startswith(prefix)), key=lambda s: s.code))


@cache
def top_level_codes() -> tuple[str, ...]:
    """Every subdivision that lies in no other: the keys a breakdown by region can hold."""
    return tuple(sorted(code for code, subdivision in subdivisions().items() if subdivision.parent is None))


@cache
def top_level_of(country: str) -> tuple[str, ...]:
    """A country's top-level subdivisions: the vocabulary of its breakdown by region."""
    prefix = f"{country}-"
    return tuple(code for code in top_level_codes() if code.startswith(prefix))


def top_level(code: str) -> str | None:
    """The top-level subdivision ``code`` lies in (itself at the top); None for an unknown code."""
    known = subdivisions()
    seen: set[str] = set()
    while code in known and known[code].parent and code not in seen:
        seen.add(code)
        code = str(known[code].parent)
    return code if code in known else None


def clean_country(value: str, *, field: str = "country", allow_empty: bool = True) -> str:
    """An assigned ISO 3166-1 alpha-2 code such as ``FR``, in any case; empty clears it (where
    ``allow_empty``)."""
    code = refuse_nul(value, field=field).strip().upper()
    if code in _COUNTRIES or (allow_empty and not code):
        return code
    raise InvalidInput(f"{field} must be an ISO 3166-1 alpha-2 code such as FR.", field=field)


def country_subdivisions(country: str) -> tuple[Subdivision, ...]:
    """A country's subdivisions, for a client's list."""
    return subdivisions_of(clean_country(country, allow_empty=False))


def describe(code: str) -> str:
    """``Île-de-France (FR, Metropolitan region)``: what a code names, for the schema's enum."""
    subdivision = subdivisions()[code]
    return f"{subdivision.name} ({code[:2]}, {subdivision.kind})"


def clean_region(value: str, *, country: str, field: str = "region") -> str:
    """An ISO 3166-2 code such as ``FR-IDF`` that lies in ``country``; empty clears it."""
    code = refuse_nul(value, field=field).strip().upper()
    if not code:
        return ""
    if not country:
        raise InvalidInput("Declare a country before a region.", field=field)
    if code not in subdivisions() or not code.startswith(f"{country}-"):
        raise InvalidInput(
            f"{field} must be an ISO 3166-2 subdivision of {country}, such as {_example(country)}.", field=field
        )
    return code


def _example(country: str) -> str:
    codes = top_level_of(country)
    return codes[0] if codes else "FR-IDF"


def validate_region(value: str) -> None:
    """The model field's validator, for forms (the admin): the services use ``clean_region``,
    which also checks the region lies in the person's country."""
    if value and value not in subdivisions():
        raise ValidationError("Not an ISO 3166-2 subdivision code such as FR-IDF.", code="region")
