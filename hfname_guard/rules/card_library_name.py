"""The card's `library_name` is a library the Hub knows (or the policy allows).

Configure with `card.library-names`; by default the Hub's 257 library names. The library
decides the "Use this model" snippet the Hub shows.

Passing: `library_name: transformers`

Failing: `library_name: transformer` (did you mean `transformers`?)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.vocabularies import library_names
from ..suggest import closest
from ._card import metadata, problem

ID = "card/library-name"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    data = metadata(facts)
    if data is None or data.get("library_name") in (None, ""):
        return
    value = data["library_name"]
    allowed = facts.policy.card.library_names
    choices = allowed if allowed is not None else library_names()
    if isinstance(value, str) and value in choices:
        return
    guess = closest(value, choices) if isinstance(value, str) else None
    hint = f"; did you mean `{guess}`?" if guess else ""
    scope = "allowed by the policy" if allowed is not None else "a library the Hub knows"
    yield problem(facts, f"library_name `{value}` is not {scope}{hint}", "library_name", suggestion=guess)
