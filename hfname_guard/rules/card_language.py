"""Each of the card's `language` entries is a valid language code.

Configure with `card.languages` to limit the codes; by default every code the Hub knows:
any ISO 639-1 or 639-3 code (`en`, `deu`), an ISO 639-5 language group (`gem`, `sla`,
`zlw`), `sh` (Serbo-Croatian, which the Hub still uses) and the Hub's `multilingual` and
`code`, each alone or as the first part of a BCP 47 tag: a script of four letters, a region
of two letters or three digits, then variants, in any case (`pt-BR`, `pt-br`, `zh-Hans`,
`zh-Hant-TW`, `es-419`, `sl-rozaj`). A tag whose parts are not of that shape (`en-`, `en-USA`,
`english-US`) is reported.

Two severities, one rule: a code outside the policy's own `card.languages` is the policy's
error (at the severity the policy gives this rule). Without such a list, a value that is no
language code, or a malformed tag, is at most a warning, whatever the policy sets: the Hub
does not check card languages, it accepts any such value and shows it as a tag. (The finding
carries that cap; the policy can still make it milder, `info` or `off`.) A language name or a
common wrong code still gets its code as "did you mean" and fix (`English` → `en`, `korean` →
`ko`, `jp` → `ja`).

A value that is not a string (`language: no` reads as the boolean false) is
`card/field-type`'s to report. The first 20 unknown codes of a card get a "did you mean";
the rest are reported without one, so a card listing thousands is still checked at once.

Passing: `language: [en, de]`, `language: [sh, gem, en-US, zh-Hans, es-419]`

Failing: `language: english` (a warning: did you mean `en`?), `language: [en, xx]`, `language: en-`
(warnings), `language: fr` against a policy's `card.languages: [en, de]` (an error)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.vocabularies import is_card_language_code, vocabulary
from ..suggest import SearchBudget, meaning
from ._card import card_of, problem

ID = "card/language"
SEVERITY = "error"
SUBJECT = "folder"

HUB_ACCEPTS = "warning"
"""The most severe a code the Hub accepts may be (see ``Problem.at_most``): the Hub takes any
string as a card language and shows it as a tag."""

SUBTAGS = r"(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*"
"""What may follow the primary code of a BCP 47 tag (RFC 5646), in lower case: script, region,
variants (a pattern, compiled by the first tag that has them)."""


def check(facts: Facts) -> Iterator[Problem]:
    allowed = facts.policy.card.languages
    listed = _listed(allowed) if allowed is not None else ""
    searches = SearchBudget()
    for path, code in card_of(facts).strings("language") or ():
        primary, dash, rest = code.partition("-")
        primary = primary.lower()
        if allowed is not None:
            if code not in allowed:
                yield problem(facts, f"language `{code}` is not allowed by the policy ({listed})",
                              *path)
        elif not is_card_language_code(primary):
            guess = _guess(primary) if searches.take() else None
            hint = f"; did you mean `{guess}`?" if guess else ""
            yield problem(facts, f"language `{code}` is not an ISO 639-1, 639-3 or 639-5 code{hint}", *path,
                          suggestion=guess, at_most=HUB_ACCEPTS)
        elif dash and re.fullmatch(SUBTAGS, (dash + rest).lower()) is None:
            yield problem(facts, f"language `{code}` is not a well-formed language tag: after `{primary}` come "
                                 "only a script (`Hans`), a region (`US`, `419`) or variants, each after a `-`",
                          *path, suggestion=code.rstrip("-") if not rest.strip("-") else None, at_most=HUB_ACCEPTS)


def _listed(allowed: frozenset[str], shown: int = 12) -> str:
    """The policy's codes for a message, once per card and at most ``shown`` of them: a card
    of 100,000 codes against a list of 8,000 must not print the list 100,000 times."""
    codes = sorted(allowed)
    more = f", ... ({len(codes):,} in all)" if len(codes) > shown else ""
    return ", ".join(codes[:shown]) + more


def _guess(primary: str) -> str | None:
    from ..names.knowledge import language_names  # only for a card that needs a hint

    return meaning(primary, vocabulary("languages").words, language_names())
