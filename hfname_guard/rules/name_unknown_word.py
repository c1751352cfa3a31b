"""Each template field limited to a word list holds a word from it.

Applies to fields with a built-in `vocabulary` (architectures, sizes, tasks, languages) or an
`enum`. The message names the field and the word, and suggests the nearest known word by edit
distance: `lamma` -> `llama`.

Passing (template `{architecture}-{size}`): `acme/llama-base`

Failing: `acme/lamma-base` (did you mean `llama`?), `acme/llama-big`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..suggest import closest

ID = "name/unknown-word"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    match = facts.template_match
    if match is None or match.mismatch is not None:
        return
    template = facts.policy.name.template
    assert template is not None
    for value in match.rejected:
        spec = facts.policy.name.fields[value.field]
        words = spec.words
        if words is None:
            continue  # a pattern field: name/template reports it
        guess = closest(value.value, words, spec.popularity)
        hint = f"; did you mean `{guess}`?" if guess else ""
        replacement = {item.field: item.value for item in match.values}
        replacement[value.field] = guess or spec.example_value()
        yield Problem(
            f"`{value.value}` in field {{{value.field}}} is not {spec.describe()}{hint}",
            suggestion=facts.with_name(facts.policy.name.styled(template.render(replacement, match.alternative))),
        )
