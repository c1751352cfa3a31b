"""The card's `license` is one the policy allows, and `other` is explained.

Configure with `card.licenses`; by default any license the Hub accepts. `license: other`
also needs `license_name` and `license_link`, as the Hub asks. Presence is
`card/required`'s business.

Passing: `license: apache-2.0`; `license: other` with `license_name` and `license_link`

Failing: `license: apache2` (did you mean `apache-2.0`?), `license: other` alone
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.vocabularies import licenses
from ..suggest import closest
from ._card import metadata, problem

ID = "card/license"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    data = metadata(facts)
    if data is None or data.get("license") in (None, ""):
        return
    value = data["license"]
    allowed = facts.policy.card.licenses
    choices = allowed if allowed is not None else licenses()
    if not isinstance(value, str):
        yield problem(facts, "`license` must be a single license id, such as `apache-2.0`", "license")
        return
    if value not in choices:
        guess = closest(value, choices)
        hint = f"; did you mean `{guess}`?" if guess else ""
        scope = "allowed by the policy" if allowed is not None else "accepted by the Hub"
        yield problem(facts, f"license `{value}` is not {scope}{hint}", "license", suggestion=guess)
    elif value == "other":
        for key in ("license_name", "license_link"):
            if not data.get(key):
                yield problem(facts, f"`license: other` needs `{key}` too", "license")
