"""The name a model should have, from its own facts: what `hfname-guard suggest` prints.

The policy's name template is filled field by field, each value with where it came from: the
architecture from config.json's `model_type` (or the tensor names), spelled as names write it
and as the field accepts; the parameter count from the weights' headers, written as the name
writes counts; the language from the card; every other field kept from the current name when
the field accepts it there. A required field the facts cannot fill is named, with why, and no
name is invented for it: a wrong suggestion is worse than none.
"""

from __future__ import annotations

import os

from .facts import Facts
from .record import Record
from .template import Field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .template import Flat, Template


class Part(Record):
    """One field of the proposed name: its value, and where that came from."""

    field: str
    value: str
    source: str


class Proposal(Record):
    current: str
    repo_id: str | None
    """The proposed repo id; None when a required field cannot be filled (``missing``)."""
    parts: tuple[Part, ...]
    missing: tuple[tuple[str, str], ...]
    """(field, why) for each required field the facts cannot fill."""

    @property
    def conforms(self) -> bool:
        return self.repo_id == self.current


def propose(facts: Facts) -> Proposal:
    """The repo id ``facts``' model should have under its policy's template."""
    template = facts.policy.name.template
    if template is None:
        return Proposal(facts.repo_id, facts.repo_id, (), (("template", "the policy has no name template"),))
    match = facts.template_match
    current = {value.field: value.value for value in match.values if value.accepted} if match is not None else {}
    rejected = {value.field: value.value for value in match.values if not value.accepted} if match is not None else {}
    parts: list[Part] = []
    missing: list[tuple[str, str]] = []
    forbidden = {word.lower() for word in facts.policy.name.forbidden_words}
    for field in template.fields:
        meant = _meant(facts, rejected, field) if rejected.get(field, "").lower() not in forbidden else None
        found = _from_facts(facts, field) or _kept(current, field) or meant or _named(facts, field)
        if found is None and field in template.required_fields:
            found = _task(facts, field)
        if found is not None and found[0].lower() in forbidden:
            found = None  # a word the policy forbids is dropped, not kept nor "corrected"
        if found is not None:
            parts.append(Part(field, *found))
        elif field in template.required_fields:
            missing.append((field, _why_missing(field)))
    if missing:
        return Proposal(facts.repo_id, None, tuple(parts), tuple(missing))
    values = {part.field: part.value for part in parts}
    fitting = [alternative for alternative in template.alternatives
               if {part.name for part in alternative if isinstance(part, Field)} <= values.keys()]
    chosen = max(fitting, key=lambda alternative: sum(isinstance(part, Field) for part in alternative))
    name = facts.policy.name.styled(template.render(values, chosen))
    free = _free_version(facts, template, chosen, values, name)
    if free is not None:
        name, parts = free[0], [part if part.field != "version" else free[1] for part in parts]
    return Proposal(facts.repo_id, facts.with_name(name), tuple(parts), ())


MAX_VERSION_STEPS = 100


def _free_version(facts: Facts, template: Template, chosen: Flat, values: dict[str, str],
                  name: str) -> tuple[str, Part] | None:
    """Online, when the proposed name is another repository of the namespace already, the same
    name at the next version no repository holds; None offline, or when the name is free."""
    hub, namespace = facts.hub, facts.namespace
    version = values.get("version", "")
    if hub is None or namespace is None or not version.isdigit():
        return None
    from .errors import HubUnreachable

    try:
        taken = {repo_id.lower() for repo_id in hub.namespace(namespace).repo_ids} - {facts.repo_id.lower()}
    except HubUnreachable:
        return None
    if f"{namespace}/{name}".lower() not in taken:
        return None
    for number in range(int(version) + 1, int(version) + MAX_VERSION_STEPS):
        candidate = facts.policy.name.styled(template.render({**values, "version": str(number)}, chosen))
        if f"{namespace}/{candidate}".lower() not in taken:
            return candidate, Part("version", str(number), f"the next version {namespace} does not hold yet")
    return None


def _from_facts(facts: Facts, field: str) -> tuple[str, str] | None:
    spec = facts.policy.name.fields.get(field)
    if spec is None:
        return None
    if field == "architecture":
        found = _architecture(facts)
    elif field == "parameters":
        found = _parameters(facts)
    elif field == "language":
        found = _language(facts)
    else:
        return None
    return found if found is not None and spec.accepts(found[0]) else None


def _architecture(facts: Facts) -> tuple[str, str] | None:
    from .names.knowledge import key, knowledge, same_family
    from .names.tagger import architecture_of

    config = facts.config
    if config is not None and config.model_type:
        actual, source = config.model_type, f"{os.path.basename(config.file)} says model_type `{config.model_type}`"
    elif facts.fingerprint is not None:
        actual, source = facts.fingerprint.model_type, f"the tensor names are those of `{facts.fingerprint.model_type}`"
    else:
        return None
    named = architecture_of(facts.name)
    if named is not None and same_family(named[0], actual):
        return named[1].lower(), f"kept from the current name: {source}"
    spelled = actual.replace("_", "-")
    if knowledge().words.get(key(spelled)) != actual:
        return None
    return spelled, source


def _parameters(facts: Facts) -> tuple[str, str] | None:
    weights = facts.weights
    if facts.adapter is not None or weights is None or not weights.total:
        return None  # an adapter's name states its base's size: the current name's, kept
    from .rules.consistency_size import SIZE_TOLERANCE, accepted_range, count_word

    held = os.path.basename(weights.files[0]) if len(weights.files) == 1 else f"{len(weights.files)} shards"
    source = f"{held} hold {weights.total:,} parameters"
    tolerance = facts.policy.consistency.size_tolerance
    for component in facts.named("P"):  # a count the name states that is still true stays as written
        low, high = accepted_range(component.value or "", SIZE_TOLERANCE if tolerance is None else tolerance)
        if low is not None and high is not None and low <= weights.total <= high:
            return component.text.lower(), f"kept from the current name: {source}"
    return count_word(weights.total, "b"), source


def _language(facts: Facts) -> tuple[str, str] | None:
    card = facts.card
    codes = card.strings("language") if card is not None and card.metadata else None
    if not codes or len(codes) != 1:
        return None  # several languages: which one the name states is the author's choice
    code = codes[0][1].lower()
    return code, f"{os.path.basename(card.path)} says language `{code}`" if card is not None else ""


def _kept(current: dict[str, str], field: str) -> tuple[str, str] | None:
    value = current.get(field)
    return (value, "kept from the current name") if value is not None else None


WHY_MISSING = {
    "architecture": "no config.json model_type or tensor names say which, and the name states none the field accepts",
    "parameters": "no safetensors weights to count, and the name states no count the field accepts",
}


def _meant(facts: Facts, rejected: dict[str, str], field: str) -> tuple[str, str] | None:
    """The word a value the field rejects clearly means (`lamma`: `llama`), as did-you-mean finds it."""
    value = rejected.get(field)
    spec = facts.policy.name.fields.get(field)
    guess = spec.suggest(value) if value is not None and spec is not None else None
    return (guess, f"`{value}` in the current name, which means `{guess}`") if guess else None


def _task(facts: Facts, field: str) -> tuple[str, str] | None:
    """The one task word the card's `pipeline_tag` names, for a required field the name leaves
    empty: `summarization`, `translation`, `asr`, `tts`, `mlm`; none where several words name
    the tag (`ner` and `pos` are both token classification: which one is the author's)."""
    from .rules.consistency_task import TASKS

    spec = facts.policy.name.fields.get(field)
    card = facts.card
    tag = card.string("pipeline_tag") if card is not None and card.metadata else None
    if spec is None or tag is None:
        return None
    words = [word for word, (tags, _) in TASKS.items() if tags[0] == tag and spec.accepts(word)]
    source = f"{os.path.basename(card.path)} says pipeline_tag `{tag}`" if card is not None else ""
    return (words[0], source) if len(words) == 1 else None


FIELD_ELEMENTS = {"architecture": "A", "parameters": "P", "size": "S", "task": "T", "variant": "T", "language": "L",
                  "version": "V"}
"""The element of the naming taxonomy each built-in field holds, to find it in a name the
template cannot read as a whole (`Llama-8B-Chat`)."""


def _named(facts: Facts, field: str) -> tuple[str, str] | None:
    """The field's value as the name states it somewhere, when the template cannot read the name
    (a missing version is the first one)."""
    spec = facts.policy.name.fields.get(field)
    code = FIELD_ELEMENTS.get(field)
    if spec is None or code is None or not facts.has_parts:
        return None
    for component in facts.named(code):
        value = component.value if code in ("V", "L") and component.value else component.text.lower()
        if spec.accepts(value):
            return value, "kept from the current name"
    if field == "version" and spec.accepts("1"):
        return "1", "the name has no version yet: the first"
    return None


def _why_missing(field: str) -> str:
    return WHY_MISSING.get(field, "the facts do not say it, and the current name holds none the field accepts")
