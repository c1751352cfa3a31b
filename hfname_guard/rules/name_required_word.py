"""The name contains a word of each vocabulary the policy requires.

Configure with `name.must-contain` (vocabulary names). The default policy requires an
`architectures` word, because the naming study found the architecture is the element readers
rely on most (83% of Hub names carry one). A vocabulary that a required field of the name
template already demands is left to the template rules. Words are read across separators and digits:
`Llama-2`, `llama2`, `xlm-roberta` and `gpt_neox` are all recognized. A near miss gets
a "did you mean".

Passing (`must-contain: [architectures]`): `acme/llama2-7b`, `acme/xlm-roberta-ner`

Failing: `acme/super-model-7b` (no architecture), `acme/lamma-7b` (did you mean `llama`?)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.tokens import candidates, words
from ..names.vocabularies import vocabulary
from ..suggest import SearchBudget, closest

ID = "name/required-word"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    if not facts.has_parts:
        return
    found = candidates(facts.name)
    searches = SearchBudget()
    for vocabulary_name in facts.policy.name.must_contain:
        if vocabulary_name in _template_vocabularies(facts):
            continue
        known = vocabulary(vocabulary_name)
        if any(word in known for word in found):
            continue
        message = f"`{facts.name}` has no {known.singular} word (such as `{known.example}`)"
        suggestion = None
        if known.is_word_list:
            for word in words(facts.name):
                if not searches.take():
                    break
                guess = closest(word, known.words, known.popularity)
                if guess and guess[0] == word[0]:  # a different first letter is another word, not a typo
                    message += f"; did you mean `{guess}` for `{word}`?"
                    suggestion = facts.with_name(facts.name.lower().replace(word, guess, 1))
                    break
        yield Problem(message, suggestion=suggestion)


def _template_vocabularies(facts: Facts) -> set[str]:
    template = facts.policy.name.template
    if template is None:
        return set()
    specs = (facts.policy.name.fields[name] for name in template.required_fields)
    return {spec.vocabulary.name for spec in specs if spec.vocabulary is not None}
