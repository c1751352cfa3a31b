"""The card's `library_name` is a library the Hub knows (or the policy allows).

Configure with `card.library-names`; by default the Hub's 257 library names. The library
decides the "Use this model" snippet the Hub shows.

Two severities, one rule: a value outside the policy's own `card.library-names` is the
policy's error (at the severity the policy gives this rule). Without such a list, a value the
Hub does not know is at most a warning, whatever the policy sets: the Hub accepts it and shows
it on the model page, it only offers no snippet for it. (The finding carries that cap; the
policy can still make it milder, `info` or `off`.)

A value that is not a string is `card/field-type`'s to report.

Passing: `library_name: transformers`

Failing: `library_name: transformer` (a warning: did you mean `transformers`?)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.vocabularies import library_names
from ._card import card_of, not_listed

ID = "card/library-name"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    value = card_of(facts).string("library_name")
    if value is None:
        return
    found = not_listed(facts, "library_name", value, facts.policy.card.library_names,
                       library_names(), "a library the Hub knows",
                       why=" (the Hub shows it, but offers no \"Use this model\" snippet for it)", at_most="warning")
    if found is not None:
        yield found
