"""Each template field limited to a word list holds a word from it.

Applies to fields with a built-in `vocabulary` (architectures, sizes, tasks, languages) or an
`enum`. The message names the field and the word, and suggests the nearest known word by edit
distance (`lamma` -> `llama`) or the word a spelled-out one stands for (`english` -> `en`); the
fix is then the name the model's facts give with that word (what `hfname-guard suggest` prints),
so it agrees with every other fix. With no word near it, the fix drops the word from an optional
field (`llama-7b-zorblax-v1` -> `llama-7b-v1`), and there is none for a required one: an example
word is no fix. A word that another field (of the
template, or built in) holds gets that field named instead, and no fix, since the template may be
what is wrong (`8b` in `{size}`: "it is a parameter count: use `{parameters}` for parameter
counts"), unless two values only stand in each other's places.

Passing (template `{architecture}-{size}`): `acme/llama-base`

Failing: `acme/lamma-base` (did you mean `llama`?), `acme/llama-big`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..suggest import SearchBudget
from ..template import Field

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see hfname_guard/record.py
    from ..template import Flat, Template

ID = "name/unknown-word"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    match = facts.template_match
    if match is None or match.mismatch is not None:
        return
    template = facts.policy.name.template
    assert template is not None
    searches = SearchBudget()
    for value in match.rejected:
        spec = facts.policy.name.fields[value.field]
        if spec.words is None:
            continue  # a pattern field: name/template reports it
        from ._field_hint import field_hint, swapped  # only a rejected value pays for it

        fits = field_hint(value.value, spec, facts.policy.name)
        if fits is not None:  # the name may be right and the template wrong: no fix but a swap
            fixed = swapped(match, value, facts.policy.name)
            yield Problem(f"`{value.value}` in field {{{value.field}}} is not {spec.describe()}; {fits}",
                          suggestion=facts.with_name(fixed) if fixed is not None else None)
            continue
        guess = spec.suggest(value.value) if searches.take() else None
        hint = f"; did you mean `{guess}`?" if guess else ""
        replacement = {item.field: item.value for item in match.values}
        alternative = match.alternative
        if guess is None and (shorter := _without(template, alternative, value.field)) is not None:
            alternative = shorter  # nothing near it: an optional word is better dropped than swapped for any other
        else:
            replacement[value.field] = guess or spec.example_value()
        local = facts.with_name(facts.policy.name.styled(template.render(replacement, alternative))) \
            if guess is not None or alternative is not match.alternative else None
        yield Problem(f"`{value.value}` in field {{{value.field}}} is not {spec.describe()}{hint}",
                      suggestion=facts.name_fix(local) if guess is not None else local)


def _without(template: Template, alternative: Flat | None, field: str) -> Flat | None:
    """The template's alternative with the fields of ``alternative`` but ``field``, if it has one."""
    if alternative is None:
        return None
    wanted = {part.name for part in alternative if isinstance(part, Field)} - {field}
    return next(
        (
            other for other in template.alternatives
            if {part.name for part in other if isinstance(part, Field)} == wanted
        ),
        None,
    )
