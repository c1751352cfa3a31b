"""Helpers shared by the card rules: where a card finding points, and list-or-string values."""

from __future__ import annotations

from ..facts import Facts
from ..findings import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any


def problem(facts: Facts, message: str, *path: Any, suggestion: str | None = None) -> Problem:
    card = facts.card
    assert card is not None
    line, column = card.position(*path)
    return Problem(message, suggestion=suggestion, file=str(card.path), line=line, column=column)


def metadata(facts: Facts) -> dict[str, Any] | None:
    """The card's metadata when it could be read; card/missing and card/syntax cover the rest."""
    return facts.card.metadata if facts.card is not None else None


def entries(value: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """`(sub-path, item)` for a field that may hold one value or a list of them."""
    if isinstance(value, list):
        return [((index,), item) for index, item in enumerate(value)]
    return [((), value)]
