"""What each target was judged on, for the JSON report (``check(..., keep_facts=True)``).

Read from a target's ``Facts`` after the rules ran, so what they read is not read again. A
module of its own: only a check that keeps facts imports it, and the pre-commit hook's start
pays nothing for it.
"""

from __future__ import annotations

from .facts import Facts
from .record import Record
from .repoid import MAX_PART_LENGTH

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from .names.tagger import Component


class TargetFacts(Record):
    """What one target was judged on: the facts the consistency rules compare the name with,
    and the name's elements as the tagger and the policy's template read them."""

    model_type: str | None
    """config.json's ``model_type``."""
    architectures: tuple[str, ...]
    """config.json's ``architectures``."""
    parameters: int | None
    """The parameters counted in the safetensors headers; None when there are none to read."""
    tensors_model_type: str | None
    """The model family the tensor names show (``consistency/weights``)."""
    adapter: tuple[str | None, str | None] | None
    """adapter_config.json's ``peft_type`` and base model, when there is one."""
    card: tuple[str, tuple[str, ...] | None] | None
    """The README.md and the fields of its metadata block (None: no readable block); None
    when there is no README.md."""
    name_architecture: str | None
    """The ``model_type`` the name states (``consistency/architecture``)."""
    name_elements: tuple[tuple[Component, str | None], ...]
    """The name's components, each with the template field that holds it (None: none does)."""


def judged(facts: Facts) -> TargetFacts:
    """What the rules judged ``facts``' target on. What no rule asked for (the weights, when
    consistency/size is off) is read now, which only a report that shows it pays for."""
    from .names.tagger import architecture_of

    config, weights, adapter, card = facts.config, facts.weights, facts.adapter, facts.card
    fits = facts.has_parts and len(facts.name) <= MAX_PART_LENGTH  # longer: repo-id/format says so, nothing reads it
    match = facts.template_match
    spans = [] if match is None else [(value.start, value.start + len(value.value), value.field)
                                      for value in match.values]
    elements = tuple(
        (component, next((field for start, end, field in spans
                          if start < component.start + len(component.text) and component.start < end), None))
        for component in (facts.components if fits else [])
    )
    named = architecture_of(facts.name) if fits else None
    card_facts = None
    if card is not None and not any(issue.kind == "missing" for issue in card.issues):
        card_facts = (card.path, None if card.metadata is None else tuple(str(key) for key in card.metadata))
    return TargetFacts(
        model_type=config.model_type if config is not None else None,
        architectures=config.architectures if config is not None else (),
        parameters=weights.total if weights is not None else None,
        tensors_model_type=facts.fingerprint.model_type if facts.fingerprint is not None else None,
        adapter=(adapter.peft_type, adapter.base_model) if adapter is not None else None,
        card=card_facts,
        name_architecture=named[0] if named else None,
        name_elements=elements,
    )
