"""The name contains none of the policy's forbidden words.

Configure with `name.forbidden-words`: words or phrases (`my-model`) compared case-insensitively
with whole words of the name, so `test` forbids `llama-test` but not `llama-attest`. The
default policy forbids placeholders the naming study found on the Hub: test, tmp, temp, untitled,
my-model, new-model, final, asdf, foo, dummy.

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
    if not facts.has_parts:
        return
    name_words = words(facts.name)
    present = set(name_words)
    for phrase, phrase_words in _phrases(facts.policy.name.forbidden_words):
        if phrase_words[0] not in present:
            continue
        width = len(phrase_words)
        for start in range(len(name_words) - width + 1):
            if name_words[start : start + width] == phrase_words:
                rest = name_words[:start] + name_words[start + width :]
                yield Problem(
                    f"`{facts.name}` contains the forbidden word `{phrase}`",
                    suggestion=facts.name_fix(facts.with_name("-".join(rest)) if rest else None),
                )
                break


@cache
def _phrases(forbidden: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """Each forbidden phrase with its words, split once a run however many names it is looked
    for in; a phrase of no word (``--``) forbids nothing."""
    return [(phrase, phrase_words) for phrase in forbidden if (phrase_words := words(phrase))]
