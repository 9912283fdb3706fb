"""Input cleaning shared by services: what every text a user types must satisfy."""

from backend.errors import InvalidInput


def clean_text(value: str, *, field: str, max_length: int, allow_empty: bool = False) -> str:
    """Strip and check user text; NUL bytes are refused because PostgreSQL rejects them."""
    if "\x00" in value:
        raise InvalidInput(f"{field} must not contain NUL characters.", field=field)
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
