"""Helpers shared by the card rules: where a card finding points, list-or-string values, and a
value that must come from a word list."""

from __future__ import annotations

from ..facts import Facts
from ..findings import Problem
from ..suggest import closest

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


def not_listed(
    facts: Facts, key: str, value: Any, allowed: frozenset[str] | None, known: frozenset[str], known_as: str
) -> Problem | None:
    """The problem of a card field ``key`` whose ``value`` is not one of the policy's ``allowed``
    words, or, where the policy lists none, of the ``known`` ones (described as ``known_as``:
    "a Hub pipeline tag"); with the nearest word as "did you mean" and fix."""
    choices = allowed if allowed is not None else known
    if isinstance(value, str) and value in choices:
        return None
    guess = closest(value, choices) if isinstance(value, str) else None
    hint = f"; did you mean `{guess}`?" if guess else ""
    scope = "allowed by the policy" if allowed is not None else known_as
    return problem(facts, f"{key} `{value}` is not {scope}{hint}", key, suggestion=guess)
