"""Input cleaning shared by services: what every text a user types must satisfy."""

from kernel.errors import InvalidInput


def refuse_nul(value: str, *, field: str) -> str:
    """Refuse text no database can take, even as a lookup's parameter: NUL bytes (PostgreSQL
    rejects them) and lone surrogates (no UTF-8 form; JSON's "\\ud800" escape makes one)."""
    if "\x00" in value:
        raise InvalidInput(f"{field} must not contain NUL characters.", field=field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidInput(f"{field} is not valid Unicode text.", field=field) from error
    return value


def clean_text(value: str, *, field: str, max_length: int, allow_empty: bool = False) -> str:
    """Strip and check user text; NUL bytes are refused because PostgreSQL rejects them."""
    refuse_nul(value, field=field)
    cleaned = value.strip()
    if not cleaned and not allow_empty:
        raise InvalidInput(f"{field} must not be empty.", field=field)
    if len(cleaned) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length} characters.", field=field)
    return cleaned


def clean_range(value: int, *, field: str, minimum: int, maximum: int) -> int:
    """Check that a number lies in an inclusive range."""
    if not minimum <= value <= maximum:
        raise InvalidInput(f"{field} must be between {minimum} and {maximum}.", field=field)
    return value


def clean_choice(value: str, *, field: str, choices: type) -> str:
    """Check a value against a Django ``TextChoices`` class."""
    allowed: list[str] = choices.values  # type: ignore[attr-defined]
    if value not in allowed:
        raise InvalidInput(f"{field} must be one of {', '.join(allowed)}.", field=field)
    return value
