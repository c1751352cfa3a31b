"""Helpers shared by the card rules: the card, where a card finding points, and a value that
must come from a word list."""

from __future__ import annotations

from ..card import Card
from ..facts import Facts
from ..findings import Problem
from ..suggest import closest

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any


def card_of(facts: Facts) -> Card:
    """The target's card: folder rules run only on targets with a folder, and every folder has
    one (card/missing and card/syntax report one that cannot be used)."""
    card = facts.card
    assert card is not None
    return card


def problem(facts: Facts, message: str, *path: Any, suggestion: str | None = None,
            at_most: str | None = None) -> Problem:
    card = card_of(facts)
    line, column = card.position(*path)
    return Problem(message, suggestion=suggestion, file=str(card.path), line=line, column=column, at_most=at_most)


def not_listed(
    facts: Facts, key: str, value: str, allowed: frozenset[str] | None, known: frozenset[str], known_as: str,
    *, fold_case: bool = False, why: str = "", at_most: str | None = None,
) -> Problem | None:
    """The problem of a card field ``key`` whose ``value`` is not one of the policy's ``allowed``
    words, or, where the policy lists none, of the ``known`` ones (described as ``known_as``:
    "a Hub pipeline tag"); with the nearest word as "did you mean" and fix. With ``fold_case``
    words compare without case (`MIT` is `mit`). ``why`` follows the message of a value that is
    not one of the ``known`` words, and ``at_most`` caps that problem's severity (see
    ``Problem.at_most``); a value outside the policy's own list is the policy's, at its severity."""
    choices = allowed if allowed is not None else known
    if value in choices or (fold_case and value.lower() in {choice.lower() for choice in choices}):
        return None
    guess = closest(value, choices)
    hint = f"; did you mean `{guess}`?" if guess else ""
    if allowed is not None:
        return problem(facts, f"{key} `{value}` is not allowed by the policy{hint}", key, suggestion=guess)
    return problem(facts, f"{key} `{value}` is not {known_as}{why}{hint}", key, suggestion=guess, at_most=at_most)
