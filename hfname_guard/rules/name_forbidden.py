"""The name contains none of the policy's forbidden words.

Configure with `name.forbidden-words`: words or phrases (`my-model`) compared case-insensitively
with whole words of the name, so `test` forbids `llama-test` but not `llama-attest`. The
default policy forbids placeholders the naming study found on the Hub: test, tmp, temp, untitled,
my-model, new-model, final, asdf, foo, dummy.

The fix drops the forbidden words, keeping the rest as written (`acme/llama-7b`); like every fix
of a name, it is the name `hfname-guard suggest` prints, so that every fix of one model agrees.
There is none when nothing would be left, or when what is left would break another rule the
facts cannot mend (`acme/test-model` has no architecture word, and no config.json says which).

Passing: `acme/llama-7b-chat`

Failing: `acme/llama-7b-test`, `acme/My_Model-2`
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from ..facts import Facts
from ..findings import Problem
from ..names.tokens import words

ID = "name/forbidden"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    for phrase, _ in facts.shared(forbidden_in):
        yield Problem(f"`{facts.name}` contains the forbidden word `{phrase}`", suggestion=facts.name_fix())


def forbidden_in(facts: Facts) -> list[tuple[str, tuple[int, int]]]:
    """Each forbidden phrase the name contains, with the span of its first occurrence among the
    name's words (``(first word, words)``): what the rule reports and the name engine drops."""
    if not facts.has_parts:
        return []
    name_words = words(facts.name)
    present = set(name_words)
    found = []
    for phrase, phrase_words in _phrases(facts.policy.name.forbidden_words):
        if phrase_words[0] not in present:
            continue
        width = len(phrase_words)
        start = next((start for start in range(len(name_words) - width + 1)
                      if name_words[start : start + width] == phrase_words), None)
        if start is not None:
            found.append((phrase, (start, width)))
    return found


@cache
def _phrases(forbidden: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """Each forbidden phrase with its words, split once a run however many names it is looked
    for in; a phrase of no word (``--``) forbids nothing."""
    return [(phrase, phrase_words) for phrase in forbidden if (phrase_words := words(phrase))]
