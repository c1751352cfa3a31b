"""Each of the card's `language` entries is a valid language code.

Configure with `card.languages` to limit the codes; by default any ISO 639-1 or 639-3 code
(`en`, `deu`), a region or script after it (`pt-BR`, `zh-Hans`), or the Hub's
`multilingual` and `code`.

Passing: `language: [en, de]`

Failing: `language: english` (use `en`), `language: [en, xx]`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.vocabularies import vocabulary
from ..suggest import meaning
from ._card import entries, metadata, problem

ID = "card/language"
SEVERITY = "error"
SUBJECT = "folder"

def check(facts: Facts) -> Iterator[Problem]:
    data = metadata(facts)
    if data is None or data.get("language") in (None, ""):
        return
    allowed = facts.policy.card.languages
    for sub_path, code in entries(data["language"]):
        if not isinstance(code, str):
            yield problem(facts, f"language `{code}` is not a language code", "language", *sub_path)
            continue
        primary = code.split("-", 1)[0].lower()
        if allowed is not None:
            if code not in allowed:
                yield problem(facts, f"language `{code}` is not allowed by the policy ({', '.join(sorted(allowed))})",
                              "language", *sub_path)
        elif primary not in vocabulary("languages"):
            from ..names.knowledge import language_names  # only for a card that needs a hint

            guess = meaning(primary, vocabulary("languages").words, language_names())
            hint = f"; did you mean `{guess}`?" if guess else ""
            yield problem(facts, f"language `{code}` is not an ISO 639-1 or 639-3 code{hint}", "language", *sub_path,
                          suggestion=guess)
