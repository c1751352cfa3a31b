"""The name follows the policy's case style and word separator.

Configure with `name.case` (`lower`, `upper` or `as-is`, the default) and
`name.separator` (`-`, `_` or `.`). A `.` between two digits is a decimal point
(`v1.5`, `1.5b`), never a separator, and text the template spells out is left alone.

The fix is the name in the policy's case with its separator (`acme/llama-7b-v1.5`, one fix for
both findings); like every fix of a name, it is the name `hfname-guard suggest` prints, so that
every fix of one model agrees.

Passing (`case: lower`, `separator: "-"`): `acme/llama-7b-v1.5`

Failing: `acme/Llama-7B` (upper-case letters), `acme/llama_7b` (`_` between words)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..policy import Policy

ID = "name/case"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    if not facts.has_parts:
        return
    policy = facts.policy.name
    name = facts.name
    if policy.styled(name) != name:
        yield Problem(f"`{name}` is not {policy.case}-case", suggestion=facts.name_fix())
        name = policy.styled(name)
    wrong = _wrong_separators(name, facts.policy)
    if wrong:
        shown = " and ".join(f"`{separator}`" for separator in wrong)
        yield Problem(
            f"`{facts.name}` separates words with {shown}; the policy's separator is `{policy.separator}`",
            suggestion=facts.name_fix(),
        )


def conventional(name: str, policy: Policy) -> str:
    """``name`` in the policy's case style, its words separated by the policy's separator."""
    name = policy.name.styled(name)
    for separator in _wrong_separators(name, policy):
        name = re.sub(_between_words(separator), policy.name.separator or separator, name)
    return name


def _wrong_separators(name: str, policy: Policy) -> list[str]:
    """The separators other than the policy's that ``name`` puts between words, outside the
    template's literal text."""
    separator = policy.name.separator
    if separator is None:
        return []
    literal = policy.name.template.text if policy.name.template is not None else ""
    return sorted({other for other in "-_." if other != separator and other not in literal
                   and _separates(other, name)})


def _between_words(separator: str) -> str:
    escaped = re.escape(separator)
    return rf"(?<!\d){escaped}|{escaped}(?!\d)" if separator == "." else escaped


def _separates(separator: str, name: str) -> bool:
    return re.search(_between_words(separator), name) is not None
