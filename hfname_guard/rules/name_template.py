"""The name has the shape of the policy's name template.

Configure with `name.template` and `name.fields`. A template is literal text, `{field}`
placeholders and `[optional groups]`: `{architecture}-{size}[-{variant}]-v{version}`. The
message says where the name stops fitting (or which field holds text its pattern rejects) and
shows a conforming example; the fix is the name the model's own facts give (what `hfname-guard
suggest` prints: the architecture from config.json, the count from the weights, the language
from the card, the rest kept from the name), and there is none when the facts cannot fill the
template, rather than a name made of example values. A value that another field holds gets that
field named (`base` in `{parameters}`: "it is a size word: use `{size}` for size words"); the fix
then puts it in its field when the template has one, and there is none when it has not, since
the template may be what is wrong. Fields limited to a word list (a vocabulary or an `enum`) report
unknown words through `name/unknown-word` instead, with a "did you mean".

Passing (template `{architecture}-{parameters}-v{version}`): `acme/llama-7b-v1`

Failing: `acme/llama-7b` (no `-v{version}`), `acme/llama-7b-vnext` (`next` is not a version)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "name/template"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    match = facts.template_match
    if match is None:
        return
    template = facts.policy.name.template
    assert template is not None
    fields = facts.policy.name.fields
    examples = {name: spec.example_value() for name, spec in fields.items()}
    mismatch = match.mismatch
    if mismatch is not None:
        position = mismatch.position
        found = f"`{facts.name[position:]}`" if position < len(facts.name) else "the end of the name"
        example = facts.policy.name.styled(template.render({**examples, **mismatch.values}, mismatch.alternative))
        yield Problem(
            f"`{facts.name}` does not fit the template `{template.text}`: expected `{mismatch.expected}` "
            f"at character {position + 1}, found {found}; e.g. `{example}`",
            suggestion=facts.name_fix(),
        )
        return
    for value in match.rejected:
        spec = fields[value.field]
        if spec.words is not None:
            continue  # a word-list field: name/unknown-word reports it
        message = (f"field {{{value.field}}} holds `{value.value}` (character {value.start + 1}); "
                   f"expected {spec.describe()}")
        from ._field_hint import field_hint  # only a rejected value pays for it

        fits = field_hint(value.value, spec, facts.policy.name)
        yield Problem(f"{message}; {fits}" if fits is not None else message, suggestion=facts.name_fix())
