"""Each of the card's `language` entries is a valid language code.

Configure with `card.languages` to limit the codes; by default any ISO 639-1 or 639-3 code
(`en`, `deu`), a region or script after it (`pt-BR`, `zh-Hans`), or the Hub's
`multilingual` and `code`.

A value that is not a string (`language: no` reads as the boolean false) is
`card/field-type`'s to report. The first 20 unknown codes of a card get a "did you mean";
the rest are reported without one, so a card listing thousands is still checked at once.

Passing: `language: [en, de]`

Failing: `language: english` (use `en`), `language: [en, xx]`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.vocabularies import vocabulary
from ..suggest import SearchBudget, meaning
from ._card import card_of, problem

ID = "card/language"
SEVERITY = "error"
SUBJECT = "folder"

def check(facts: Facts) -> Iterator[Problem]:
    allowed = facts.policy.card.languages
    listed = _listed(allowed) if allowed is not None else ""
    searches = SearchBudget()
    for path, code in card_of(facts).strings("language") or ():
        primary = code.split("-", 1)[0].lower()
        if allowed is not None:
            if code not in allowed:
                yield problem(facts, f"language `{code}` is not allowed by the policy ({listed})",
                              *path)
        elif primary not in vocabulary("languages"):
            guess = _guess(primary) if searches.take() else None
            hint = f"; did you mean `{guess}`?" if guess else ""
            yield problem(facts, f"language `{code}` is not an ISO 639-1 or 639-3 code{hint}", *path,
                          suggestion=guess)


def _listed(allowed: frozenset[str], shown: int = 12) -> str:
    """The policy's codes for a message, once per card and at most ``shown`` of them: a card
    of 100,000 codes against a list of 8,000 must not print the list 100,000 times."""
    codes = sorted(allowed)
    more = f", ... ({len(codes):,} in all)" if len(codes) > shown else ""
    return ", ".join(codes[:shown]) + more


def _guess(primary: str) -> str | None:
    from ..names.knowledge import language_names  # only for a card that needs a hint

    return meaning(primary, vocabulary("languages").words, language_names())
