"""The card's `license` is one the policy allows, and `other` is explained.

Configure with `card.licenses`; by default any license the Hub accepts. Licenses compare
without case, as the Hub compares them (`MIT` is `mit`). `license: other`
also needs `license_name` and `license_link`, as the Hub's card spec asks: at most a warning,
whatever the policy sets, for the Hub accepts and shows `other` without them. Presence is
`card/required`'s business; a value that is not a string (`license: [mit, apache-2.0]`) is
`card/field-type`'s.

Passing: `license: apache-2.0`; `license: MIT` (the Hub's `mit`); `license: other` with
`license_name` and `license_link`

Failing: `license: apache2` (did you mean `apache-2.0`?), `license: other` alone (a warning)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..card import is_empty
from ..facts import Facts
from ..findings import Problem
from ..names.vocabularies import licenses
from ._card import card_of, not_listed, problem

ID = "card/license"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    card = card_of(facts)
    value = card.string("license")
    if value is None:
        return
    found = not_listed(facts, "license", value, facts.policy.card.licenses, licenses(), "accepted by the Hub",
                       fold_case=True)
    if found is not None:
        yield found
    elif value.lower() == "other":
        for key in ("license_name", "license_link"):
            if is_empty((card.metadata or {}).get(key)):
                yield problem(facts, f"`license: other` needs `{key}` too, to say which license it is",
                          "license", at_most="warning")
