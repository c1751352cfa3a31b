"""The name follows the policy's case style and word separator.

Configure with `name.case` (`lower`, `upper` or `as-is`, the default) and
`name.separator` (`-`, `_` or `.`). A `.` between two digits is a decimal point
(`v1.5`, `1.5b`), never a separator, and text the template spells out is left alone.

Passing (`case: lower`, `separator: "-"`): `acme/llama-7b-v1.5`

Failing: `acme/Llama-7B` (upper-case letters), `acme/llama_7b` (`_` between words)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "name/case"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    if not facts.has_parts:
        return
    policy = facts.policy.name
    name = facts.name
    if policy.styled(name) != name:
        yield Problem(f"`{name}` is not {policy.case}-case",
                      suggestion=facts.name_fix(facts.with_name(policy.styled(name))))
        name = policy.styled(name)
    if policy.separator is None:
        return
    literal = policy.template.text if policy.template is not None else ""
    wrong = sorted({sep for sep in "-_." if sep != policy.separator and sep not in literal and _separates(sep, name)})
    if wrong:
        fixed = name
        for separator in wrong:
            fixed = re.sub(_between_words(separator), policy.separator, fixed)
        shown = " and ".join(f"`{separator}`" for separator in wrong)
        yield Problem(
            f"`{facts.name}` separates words with {shown}; the policy's separator is `{policy.separator}`",
            suggestion=facts.name_fix(facts.with_name(fixed)),
        )


def _between_words(separator: str) -> str:
    escaped = re.escape(separator)
    return rf"(?<!\d){escaped}|{escaped}(?!\d)" if separator == "." else escaped


def _separates(separator: str, name: str) -> bool:
    return re.search(_between_words(separator), name) is not None
