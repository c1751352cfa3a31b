"""The name contains a word of each vocabulary the policy requires.

Configure with `name.must-contain` (vocabulary names). The default policy requires an
`architectures` word, because the naming study found the architecture is the element readers
rely on most (83% of Hub names carry one). A vocabulary that a required field of the name
template already demands is left to the template rules. The name is read into words as
`hfname-guard explain` reads it, across separators, digits and case changes: `Llama-2`, `llama2`,
`xlm-roberta`, `gpt_neox` and the `BERT` of `JavaBERT` are all recognized. An unknown word that is a near
miss of a required word gets a "did you mean"; a word of another kind (`en`, `german`) never does.

The fix puts the model's own architecture in the name (config.json's `model_type`, or the
tensors' family) in place of a misspelling or in front (`acme/llama-super-model-7b`), or the
word a near miss means when the facts do not say; like every fix of a name, it is the name
`hfname-guard suggest` prints, so that every fix of one model agrees.

Passing (`must-contain: [architectures]`): `acme/llama2-7b`, `acme/xlm-roberta-ner`

Failing: `acme/super-model-7b` (no architecture), `acme/lamma-7b` (did you mean `llama`?)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ..names.tokens import words
from ..names.vocabularies import Vocabulary, vocabulary
from ..suggest import SearchBudget, closest

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..names.tagger import Component

ID = "name/required-word"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    for known, typo in facts.shared(missing_words):
        message = f"`{facts.name}` has no {known.singular} word (such as `{known.example}`)"
        if typo is not None:
            message += f"; did you mean `{typo[1]}` for `{typo[0].text.lower()}`?"
        yield Problem(message, suggestion=facts.name_fix())


def missing_words(facts: Facts) -> list[tuple[Vocabulary, tuple[Component, str] | None]]:
    """Each vocabulary the policy requires that the name has no word of, with the word of the
    name that is a near miss of one and the word it means (`lamma`: `llama`), when there is one:
    what the rule reports and the name engine corrects."""
    if not facts.has_parts:
        return []
    written = words(facts.name)
    required = [vocabulary(name) for name in facts.policy.name.must_contain
                if name not in _template_vocabularies(facts)]
    missing = [known for known in required if not any(word in known for word in written)]
    if not missing:
        return []  # each required word is written whole: no need for the tagger
    components = facts.components
    searches = SearchBudget()
    found: list[tuple[Vocabulary, tuple[Component, str] | None]] = []
    for known in missing:
        if any(_is_word_of(component, known) for component in components):
            continue
        typo = None
        if known.is_word_list:
            for component in components:
                if component.code != "O":
                    continue  # a word of another kind (`en`, `german`, `7b`) is no misspelling of this one
                if not searches.take():
                    break
                word = component.text.lower()
                guess = closest(word, known.words, known.popularity)
                if guess and guess[0] == word[0]:  # a different first letter is another word, not a typo
                    typo = (component, guess)
                    break
        found.append((known, typo))
    return found


def _is_word_of(component: Component, known: Vocabulary) -> bool:
    """Whether one word of the name, as the tagger reads it, is a word of ``known``: as written
    (``chat``, ``deu``), by its reading (``english`` is the language ``en``, ``1_8b`` the count
    ``1.8b``), or as an architecture word (``BERT`` in ``JavaBERT``)."""
    if known.name == "architectures" and component.code == "A":
        return True
    text = component.text
    if text in known or (component.code == "L" and component.value in known):
        return True
    return component.code == "P" and text.replace("_", ".") in known


def _template_vocabularies(facts: Facts) -> set[str]:
    template = facts.policy.name.template
    if template is None:
        return set()
    specs = (facts.policy.name.fields[name] for name in template.required_fields)
    return {spec.vocabulary.name for spec in specs if spec.vocabulary is not None}
