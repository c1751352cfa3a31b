"""Each template field limited to a word list holds a word from it.

Applies to fields with a built-in `vocabulary` (architectures, sizes, tasks, languages) or an
`enum`. The message names the field and the word, and suggests the nearest known word by edit
distance (`lamma` -> `llama`) or the word a spelled-out one stands for (`english` -> `en`); the
fix is then the name the model's facts give with that word (what `hfname-guard suggest` prints),
so it agrees with every other fix. With no word near it, the fix drops the word from an optional
field (`llama-7b-zorblax-v1` -> `llama-7b-v1`), and there is none for a required one: an example
word is no fix. A word that another field (of the template, or built in) holds gets that field
named instead (`8b` in `{size}`: "it is a parameter count: use `{parameters}` for parameter
counts"); the fix puts it in its field when the template has one (two values in each other's
places are swapped back), and there is none when it has not, since the template may be what is
wrong.

Passing (template `{architecture}-{size}`): `acme/llama-base`

Failing: `acme/lamma-base` (did you mean `llama`?), `acme/llama-big`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

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
        if spec.words is None:
            continue  # a pattern field: name/template reports it
        from ._field_hint import field_hint  # only a rejected value pays for it

        fits = field_hint(value.value, spec, facts.policy.name)
        if fits is not None:  # the name may be right and the template wrong: no guess at a word
            yield Problem(f"`{value.value}` in field {{{value.field}}} is not {spec.describe()}; {fits}",
                          suggestion=facts.name_fix())
            continue
        guess = facts.meaning(value.field, value.value)
        hint = f"; did you mean `{guess}`?" if guess else ""
        yield Problem(f"`{value.value}` in field {{{value.field}}} is not {spec.describe()}{hint}",
                      suggestion=facts.name_fix())
