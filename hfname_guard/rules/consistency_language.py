"""The language the name states is one the card declares.

A `-en` name over a card that says `language: de` confuses people searching by language. The
rule reads the name's language words (`en`, `german`, `zh`) and compares them with the card's
`language` list. A card that says `multilingual`, or no language at all, is not contradicted
(`card/required` asks for the field when the policy wants it).

Passing: `acme/bert-base-de` with `language: [de]`

Failing: `acme/bert-base-en` with `language: de`
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.tokens import words
from ._card import card_of

ID = "consistency/language"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    card = card_of(facts)
    declared = [code for _, code in card.strings("language") or ()]
    codes = {code.split("-")[0].lower() for code in declared}
    if not codes or "multilingual" in codes:
        return
    from ..names.knowledge import language_words

    if not (set(words(facts.name)) - codes) & language_words():
        return  # no language word the card does not declare: no need to read the name closely
    for component in facts.named("L"):
        code = (component.value or component.text).lower()
        if code not in codes and code != "multilingual":
            line, column = card.position("language")
            listed = ", ".join(f"`{code}`" for code in declared)
            yield Problem(
                f"the name says `{component.text}` ({code}); {os.path.basename(card.path)} says language {listed}",
                file=card.path, line=line, column=column,
            )
