"""'Did you mean' by edit distance."""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping

MAX_SEARCHES = 20
"""Did-you-mean searches one card or one name may make. A search compares a word with every
choice, about 60 ms against the 8,000 language codes, so a card listing 100,000 unknown codes
gets a hint for its first 20 and a plain finding for each of the rest: a long list costs what
its findings cost, not a search each."""


class SearchBudget:
    """The did-you-mean searches left to one card or one name (``MAX_SEARCHES`` at first)."""

    def __init__(self) -> None:
        self.left = MAX_SEARCHES

    def take(self) -> bool:
        """Whether one more search may run; each True spends one."""
        if self.left <= 0:
            return False
        self.left -= 1
        return True


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn ``a`` into ``b``, or
    ``limit + 1`` as soon as it must exceed ``limit``. A swap counts once: ``bret`` -> ``bert``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i]
        for j in range(1, len(b) + 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cost = min(cost, before_previous[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before_previous, previous = previous, current
    return min(previous[-1], limit + 1)


def closest(word: str, choices: Iterable[str], popularity: Mapping[str, int] | None = None) -> str | None:
    """The choice that is clearly the word meant, ignoring case and separators (`Apache_2.0` ->
    `apache-2.0`); None when none is, or ``word`` is one. A wrong suggestion is worse than none, so
    a choice is near only when it is:

    - within 1 edit for a word of up to 4 letters, with the same first letter for one of up to 3
      (``en`` is not a misspelled ``an``);
    - within 2 edits beyond, the second one only for a word of 7 letters or more or a choice of
      the word's length (``lamma`` -> ``llama``, but not ``space`` -> ``splade``);
    - of the same kind: it may add or drop a number (``apache2`` -> ``apache-2.0``, ``qwen2`` ->
      ``qwen``) but never trade a letter for a digit (``en`` is not ``e5``).

    Ties go to the choice closer as written, then to one with the same first letter (people
    rarely mistype that one), then to the more popular, then to the alphabetically first, so
    the answer never depends on set order.
    """
    original, word = word, word.lower()
    limit = 1 if len(word) <= 4 else 2
    popularity = popularity or {}
    best: tuple[int, int, bool, int, str] | None = None
    bare_word = _bare(word)
    for choice in choices:
        if choice == original:
            return None
        lowered = choice.lower()
        as_written = edit_distance(word, lowered, limit)
        distance = min(as_written, edit_distance(bare_word, _bare(lowered), limit))
        if distance > limit or not _plausible(word, lowered, distance):
            continue
        candidate = (distance, as_written, lowered[:1] != word[:1], -popularity.get(choice, 0), choice)
        if best is None or candidate < best:
            best = candidate
    return best[4] if best is not None else None


def _plausible(word: str, choice: str, distance: int) -> bool:
    """Whether ``choice``, ``distance`` edits from ``word``, is a typo's likely fix (see ``closest``)."""
    if distance == 0:
        return True
    if len(word) <= 3 and word[:1] != choice[:1]:
        return False
    if distance >= 2 and len(word) < 7 and len(_bare(word)) != len(_bare(choice)):
        return False
    digits = [character for character in word if character.isdigit()]
    if digits != [character for character in choice if character.isdigit()]:
        return [c for c in word if c.isalpha()] == [c for c in choice if c.isalpha()]
    return True


def _bare(word: str) -> str:
    """Without separators, so ``apache2`` is one edit from ``apache-2.0``."""
    return word.replace("-", "").replace("_", "").replace(".", "")


def meaning(
    word: str,
    choices: Iterable[str],
    synonyms: Mapping[str, str],
    popularity: Mapping[str, int] | None = None,
    valid_elsewhere: Container[str] = (),
) -> str | None:
    """The choice ``word`` most likely means, and only a choice: the one it stands for in
    ``synonyms`` (``english`` -> ``en``), else the nearest choice by ``closest``, reading synonyms
    too (``germn`` -> ``german`` -> ``de``, where the nearest code would be ``gmn``). A word in
    ``valid_elsewhere`` (a code of another standard: ``deu`` where only ISO 639-1 codes are
    choices) is no typo: it gets its translation from ``synonyms`` (``de``) or nothing."""
    choices = frozenset(choices)
    meant = synonyms.get(word.lower())
    if meant is not None:
        return meant if meant in choices else None
    if word.lower() in valid_elsewhere:
        return None
    guess = closest(word, [*choices, *synonyms], popularity)
    if guess is None:
        return None
    meant = synonyms.get(guess, guess)
    return meant if meant in choices else None
