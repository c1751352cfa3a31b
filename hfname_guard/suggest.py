"""'Did you mean' by edit distance."""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The nearest choice within 1 edit for words of up to 4 letters, 2 edits beyond; ties go
    to the alphabetically first, so the answer never depends on set order."""
    word = word.lower()
    limit = 1 if len(word) <= 4 else 2
    best: tuple[int, str] | None = None
    for choice in choices:
        distance = edit_distance(word, choice.lower(), limit)
        if distance <= limit and (best is None or (distance, choice) < best):
            best = (distance, choice)
    return best[1] if best and best[0] > 0 else None
