"""The Hub's own metadata validator accepts the card.

Online only. Before it accepts a push, the Hub checks the card's metadata with its own
validator (the `validate-yaml` endpoint that huggingface_hub's `ModelCard.validate` calls);
a card it refuses blocks the upload. The rule sends the card's metadata block (not its text)
once per distinct card and reports the Hub's message at the block, so the refusal is seen
before the push, not during it.

Passing: a card whose metadata the Hub accepts

Failing: `license: my-own-license` (the Hub verifies licenses on push)
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem
from ._card import card_of

ID = "hub/card-validation"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    hub = facts.hub
    if hub is None:
        return
    card = card_of(facts)
    if card.metadata is None:
        return  # no card, or one YAML cannot read: card/missing and card/syntax say so
    refusal = hub.card_error(f"---\n{card.metadata_text or _as_yaml(card.metadata)}\n---\n")
    if refusal is not None:
        yield Problem(f"the Hub refuses this card: {_one_line(refusal)}", file=card.path, line=card.metadata_line,
                      column=1)


def _as_yaml(metadata: dict[str, object]) -> str:
    """Metadata known without its file (a Hub record's `cardData`), written as YAML."""
    import yaml

    return yaml.safe_dump(metadata, sort_keys=False, allow_unicode=True)


MAX_MESSAGE = 300


def _one_line(text: str) -> str:
    """The Hub's message on one line, clipped: it is the Hub's text, shown escaped by every report."""
    joined = " ".join(text.split())
    return joined if len(joined) <= MAX_MESSAGE else joined[: MAX_MESSAGE - 3] + "..."
