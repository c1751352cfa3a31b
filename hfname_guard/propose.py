"""The name a model should have, from its own facts: what `hfname-guard suggest` prints, and
the one fix every rule gives for a name, so that the fixes of one model agree.

Under a name template, the template is filled field by field, each value with where it came
from: the architecture from config.json's `model_type` (or the tensor names, or a GGUF header's
`general.architecture` when it stands for one model type), spelled as names write it and as the
field accepts; the parameter count from the safetensors or GGUF headers, written as the name
writes counts; the size word the model's family uses for its hidden size; the language from
the card; the packaging word (`lora`, `gptq`) from the files, in the field that takes it; every
other field kept from the current name when the field accepts it there and the facts do not deny
it. A required field the facts cannot fill is named, with why, and no name is invented for it: a
wrong suggestion is worse than none.

Without a template, the name is the current one with each correction its facts determine: the
architecture word, the parameter count and the size word the files contradict replaced, the
forbidden words and the packaging words the files deny dropped, the packaging they show added,
then the policy's case and separator. A contradiction with no certain correction (a mixture of
experts' count, a width the family has no word for) is named instead, and there is no fix.
"""

from __future__ import annotations

import os
import re

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


MAX_ROUNDS = 3
"""Times a proposed name is read again: a correction may give a word new meaning (`de` alone
names no language; after `llama-` it does), so the name is proposed again until it stands."""


def propose(facts: Facts) -> Proposal:
    """The repo id ``facts``' model should have under its policy: proposed, then proposed again
    for the name proposed, until the name stands (its facts ask for no other)."""
    proposal = first = _proposed(facts)
    for _ in range(MAX_ROUNDS):
        if proposal.repo_id is None or proposal.repo_id == facts.repo_id:
            break
        facts = facts.renamed(proposal.repo_id)
        again = _proposed(facts)
        known = {(part.field, part.value) for part in proposal.parts}
        new = [part for part in again.parts if (part.field, part.value) not in known]
        changed = {part.field for part in new}
        parts = (*(part for part in proposal.parts if part.field not in changed), *new)
        proposal = again.replace(current=first.current, parts=parts)
    else:
        if proposal.repo_id != facts.repo_id:
            return first.replace(repo_id=None, missing=(("name", "its corrections do not settle on one name"),))
    return proposal


def _proposed(facts: Facts) -> Proposal:
    """One reading of the model's name and facts."""
    template = facts.policy.name.template
    if template is None:
        return _corrected(facts)
    match = facts.template_match
    current = {value.field: value.value for value in match.values if value.accepted} if match is not None else {}
    rejected = {value.field: value.value for value in match.values if not value.accepted} if match is not None else {}
    parts: list[Part] = []
    missing: list[tuple[str, str]] = []
    forbidden = {word.lower() for word in facts.policy.name.forbidden_words}
    untrue = _untrue(facts)
    for field in template.fields:
        found = _from_facts(facts, field)
        if found is None:
            meant = _meant(facts, rejected, field) if rejected.get(field, "").lower() not in forbidden else None
            kept = _kept(current, field) or _named(facts, field) or meant
            found = kept if kept is not None and kept[0].lower() not in untrue else None
        if found is None and field in template.required_fields:
            found = _task(facts, field)
        if found is not None and found[0].lower() in forbidden:
            found = None  # a word the policy forbids is dropped, not kept nor "corrected"
        if found is not None:
            parts.append(Part(field, *found))
        elif field in template.required_fields:
            missing.append((field, _why_missing(field)))
    parts = _with_packaging(facts, parts)
    missing.extend(_misplaced(facts, rejected, {part.value.lower() for part in parts} | forbidden | untrue))
    if missing:
        return Proposal(facts.repo_id, None, tuple(parts), tuple(missing))
    values = {part.field: part.value for part in parts}
    fitting = [alternative for alternative in template.alternatives
               if {part.name for part in alternative if isinstance(part, Field)} <= values.keys()]
    chosen = max(fitting, key=lambda alternative: sum(isinstance(part, Field) for part in alternative))
    from .rules.consistency_reuse import DESCRIPTIONS, MUST_BE_NAMED, mismatch_of
    from .rules.name_case import conventional

    name = conventional(template.render(values, chosen), facts.policy)  # `tiny_llama` kept: `tiny-llama`

    unnamed = mismatch_of(facts, name)[1]
    if unnamed:
        return Proposal(facts.repo_id, None, tuple(parts), tuple(
            ("packaging", f"the folder holds {DESCRIPTIONS[shown]}, and no field of the template takes "
                          f"`{MUST_BE_NAMED[shown]}`") for shown in unnamed))
    free = _free_version(facts, template, chosen, values, name)
    if free is not None:
        name, parts = free[0], [part if part.field != "version" else free[1] for part in parts]
    return Proposal(facts.repo_id, _repo_id(facts, name), tuple(parts), ())


def _misplaced(facts: Facts, rejected: dict[str, str], placed: set[str]) -> list[tuple[str, str]]:
    """``(field, why)`` for each word of the name that a field rejects because it is another kind
    of word (a language code in `{variant}`) and that no field of the proposal holds: the name
    may be right and the template wrong, so no name that drops it is proposed."""
    from .rules._field_hint import field_hint

    misplaced = []
    for field, value in rejected.items():
        spec = facts.policy.name.fields.get(field)
        fits = field_hint(value, spec, facts.policy.name) if spec is not None and value.lower() not in placed else None
        if fits is not None:
            misplaced.append((field, f"`{value}` in the current name: {fits}; the template may be what is wrong"))
    return misplaced


def _repo_id(facts: Facts, name: str) -> str:
    """The repo id of ``name`` in the namespace the policy allows (``namespace_for``)."""
    from .rules.repo_id_namespace import namespace_for

    namespace = namespace_for(facts)
    return f"{namespace}/{name}" if namespace is not None else name


def _untrue(facts: Facts) -> set[str]:
    """The words of the current name its facts deny (lower-case), which no field keeps: an
    architecture of another family, a count or size word the files contradict, a packaging word
    they do not show."""
    from .rules.consistency_architecture import contradiction
    from .rules.consistency_reuse import packaging_mismatch
    from .rules.consistency_size import wrong_adapter_counts, wrong_counts, wrong_size_words

    found = facts.shared(contradiction)
    words = {found.word.lower()} if found is not None else set()
    words.update(component.text.lower() for component in facts.shared(wrong_counts))
    words.update(component.text.lower() for component, _ in facts.shared(wrong_adapter_counts))
    words.update(component.text.lower() for component, _ in facts.shared(wrong_size_words))
    words.update(facts.shared(packaging_mismatch)[0])
    if facts.card is not None:  # the card rules' facts: a model with files
        from .rules.consistency_base_model import base_contradictions
        from .rules.consistency_language import contradicted_languages
        from .rules.consistency_task import contradicted_tasks

        words.update(word.lower() for word, *_ in facts.shared(base_contradictions))
        languages = facts.shared(contradicted_languages)
        if languages is not None:
            words.update(component.text.lower() for component, _ in languages[0])
        words.update(word for word, *_ in facts.shared(contradicted_tasks))
    return words


def _with_packaging(facts: Facts, parts: list[Part]) -> list[Part]:
    """``parts`` with the packaging word the files show (`lora` for an adapter, `gptq`) in the
    first field that takes it, when the filled fields do not say it yet."""
    from .rules.consistency_reuse import DESCRIPTIONS, MUST_BE_NAMED, mismatch_of

    filled = {part.field for part in parts}
    for shown in mismatch_of(facts, " ".join(part.value for part in parts))[1]:
        word = MUST_BE_NAMED[shown]
        field = next((name for name, spec in facts.policy.name.fields.items()
                      if name not in filled and spec.accepts(word)), None)
        if field is not None:
            parts.append(Part(field, word, f"the folder holds {DESCRIPTIONS[shown]}"))
            filled.add(field)
    return parts


_WORD = re.compile(r"[^-_.\s]+")
"""A word of a name, as ``tokens.words`` splits it."""


def _corrected(facts: Facts) -> Proposal:
    """Without a template: the current name with each correction its facts determine."""
    name = facts.name
    if not facts.has_parts:
        return Proposal(facts.repo_id, None, (), (("name", "the repo id has no name to correct"),))
    edits: list[tuple[int, int, str]] = []
    parts: list[Part] = []
    missing: list[tuple[str, str]] = []

    def replace(start: int, end: int, word: str, part: Part) -> None:
        edits.append((start, end, _cased(name[start:end], word)))
        parts.append(part)

    for start, end, word, part, why in [*_fact_corrections(facts), *_required_words(facts)]:
        if word is None:
            missing.append((part.field, why))
        else:
            replace(start, end, word, part)
    spans = [match.span() for match in _WORD.finditer(name)]
    from .rules.name_forbidden import forbidden_in

    for phrase, (first, width) in facts.shared(forbidden_in):
        edits.append(_dropped(name, spans[first][0], spans[first + width - 1][1]))
        parts.append(Part("forbidden", phrase, f"the policy forbids `{phrase}`: dropped"))
    for start, end, word, part in _card_corrections(facts, spans):
        edits.append((start, end, word) if word else _dropped(name, start, end))
        parts.append(part)
    from .rules.consistency_reuse import DESCRIPTIONS, EVIDENCE, MUST_BE_NAMED, packaging_mismatch

    denied, unnamed = facts.shared(packaging_mismatch)
    for word in denied:
        for start, end in spans:
            if name[start:end].lower() == word:
                edits.append(_dropped(name, start, end))
        parts.append(Part("packaging", word, f"the folder has no {DESCRIPTIONS[EVIDENCE[word]]}: dropped"))
    corrected = _edited(name, edits).strip("-_. ")
    for shown in unnamed:
        corrected += (facts.policy.name.separator or "-") + MUST_BE_NAMED[shown]
        parts.append(Part("packaging", MUST_BE_NAMED[shown], f"the folder holds {DESCRIPTIONS[shown]}: added"))
    from .rules.name_case import conventional

    corrected = conventional(corrected, facts.policy)
    if not corrected.strip("-_."):
        missing.append(("name", "no word of the name is left"))
    if missing:
        return Proposal(facts.repo_id, None, tuple(parts), tuple(missing))
    return Proposal(facts.repo_id, _repo_id(facts, corrected), tuple(parts), ())


def _fact_corrections(facts: Facts) -> list[tuple[int, int, str | None, Part, str]]:
    """``(start, end, word, part, why)`` for each word of the name its files contradict: the word
    that replaces it (None: no certain one, ``why`` says so)."""
    from .rules.consistency_architecture import contradiction
    from .rules.consistency_base_model import base_contradictions
    from .rules.consistency_size import count_word, stated_value, wrong_adapter_counts, wrong_counts, wrong_size_words

    name = facts.name
    corrections: list[tuple[int, int, str | None, Part, str]] = []

    def architecture(word: str, model_type: str, source: str) -> None:
        spelled = _spelled(model_type)
        start = name.find(word)
        if start >= 0 and spelled is not None:
            corrections.append((start, start + len(word), spelled, Part("architecture", spelled, source), ""))
        else:
            corrections.append((0, 0, None, Part("architecture", "", ""),
                                f"`{model_type}` is a type no name states (a wrapper of other models)"))

    found = facts.shared(contradiction)
    if found is not None and found.types:
        corrections.append((0, 0, None, Part("architecture", "", ""), f"{found.source}, which is any of "
                            f"{', '.join(found.types)}: which one the name states is the author's choice"))
    elif found is not None:
        architecture(found.word, found.actual, found.source)
    elif facts.card is not None:
        for word, _, base, base_type, file, _, _ in facts.shared(base_contradictions)[:1]:
            architecture(word, base_type, f"{os.path.basename(file)} names the base model `{base}`")
    count = facts.parameter_count
    for component in facts.shared(wrong_counts):
        assert count is not None
        end = component.start + len(component.text)
        if "x" in stated_value(name, component):
            corrections.append((0, 0, None, Part("parameters", "", ""), f"`{component.text}` counts a mixture of "
                                "experts: which count it should state is the author's choice"))
        else:
            word = count_word(count.total, component.text)
            corrections.append((component.start, end, word, Part("parameters", word, count.said()), ""))
    adapter = facts.adapter
    for component, base_count in facts.shared(wrong_adapter_counts):
        assert adapter is not None
        word = base_count.text.lower() if component.text.islower() else base_count.text
        corrections.append((component.start, component.start + len(component.text), word, Part(
            "parameters", word, f"{os.path.basename(adapter.file)} adapts `{adapter.base_model}`"), ""))
    config = facts.config
    for component, family_word in facts.shared(wrong_size_words):
        assert config is not None
        source = f"{os.path.basename(config.file)} says hidden size {config.hidden_size}"
        corrections.append((component.start, component.start + len(component.text), family_word,
                            Part("size", family_word or "", source),
                            f"{source}, and {config.model_type} has no one size word for it"))
    return corrections


def _card_corrections(facts: Facts, spans: list[tuple[int, int]]) -> list[tuple[int, int, str, Part]]:
    """``(start, end, word, part)`` for the name's words its card contradicts: a language the card
    does not declare becomes the one it declares (dropped when it declares several), a task word
    that fits neither the card's `pipeline_tag` nor the config's head is dropped (``word`` "")."""
    if facts.card is None:
        return []
    from .rules.consistency_language import contradicted_languages
    from .rules.consistency_task import contradicted_tasks

    name, corrections = facts.name, []
    languages = facts.shared(contradicted_languages)
    if languages is not None:
        stated, declared = languages
        only = declared[0].lower() if len(declared) == 1 else ""
        for index, (component, _) in enumerate(stated):
            word = only if index == 0 else ""
            source = f"{os.path.basename(facts.card.path)} says language " + ", ".join(f"`{code}`" for code in declared)
            corrections.append((component.start, component.start + len(component.text), word,
                                Part("language", word or component.text, source + ("" if word else ": dropped"))))
    for word, _, pipeline_tag, head in facts.shared(contradicted_tasks):
        says = f"pipeline_tag `{pipeline_tag}`" if pipeline_tag is not None else f"the config's head `{head}`"
        for start, end in spans:
            if name[start:end].lower() == word:
                corrections.append((start, end, "", Part("task", word, f"the card's {says} does not fit it: dropped")))
    return corrections


def _required_words(facts: Facts) -> list[tuple[int, int, str | None, Part, str]]:
    """The words the policy requires (`must-contain`) that the name lacks: the model's own
    architecture where an architecture word is missing, else the word a near miss means
    (`lamma`: `llama`); where neither is known, why (as ``_fact_corrections``)."""
    from .rules.consistency_size import article
    from .rules.name_required_word import missing_words

    corrections: list[tuple[int, int, str | None, Part, str]] = []
    separator = facts.policy.name.separator or "-"
    for known, typo in facts.shared(missing_words):
        start, end = (typo[0].start, typo[0].start + len(typo[0].text)) if typo is not None else (0, 0)
        actual = _actual_type(facts) if known.name == "architectures" else None
        if actual is not None and _spelled(actual[0]) is not None:
            word = str(_spelled(actual[0]))
            corrections.append((start, end, word if typo is not None else word + separator,
                                Part("architecture", word, actual[1]), ""))
        elif typo is not None:
            corrections.append((start, end, typo[1], Part(
                known.singular, typo[1], f"`{typo[0].text}` in the current name, which means `{typo[1]}`"), ""))
        else:
            corrections.append((0, 0, None, Part(known.singular, "", ""),
                                f"the policy requires {article(known.singular)} {known.singular} word, and the model's "
                                "facts do not say which"))
    return corrections


def _actual_type(facts: Facts) -> tuple[str, str] | None:
    """The model's own type and where it comes from: config.json's `model_type`, else the family
    of the tensor names, else the GGUF files' architecture when it stands for one type."""
    from .rules.consistency_architecture import model_types

    found = model_types(facts)
    return (found[0][0], found[1]) if found is not None and len(found[0]) == 1 else None


def _spelled(model_type: str) -> str | None:
    """``model_type`` as names write it (`gpt_neox`: `gpt-neox`); None for a type no name states
    (a wrapper of other models such as `encoder-decoder`, or a custom one)."""
    from .names.knowledge import CONTAINERS, key, knowledge

    spelled = model_type.replace("_", "-")
    return spelled if model_type not in CONTAINERS and knowledge().words.get(key(spelled)) == model_type else None


def _cased(old: str, word: str) -> str:
    """``word`` written in the case of the text it replaces (`7B` -> `1.1B`, `Bert` -> `Roberta`)."""
    if old.isupper() and any(character.isalpha() for character in word):
        return word.upper()
    if old[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _dropped(name: str, start: int, end: int) -> tuple[int, int, str]:
    """The edit that drops ``name[start:end]`` with the separator after it (or, at the end, before it)."""
    after = end
    while after < len(name) and name[after] in "-_. ":
        after += 1
    if after > end or start == 0:
        return start, after, ""
    before = start
    while before > 0 and name[before - 1] in "-_. ":
        before -= 1
    return before, end, ""


def _edited(name: str, edits: list[tuple[int, int, str]]) -> str:
    """``name`` with each edit made, from the last; an edit that overlaps one made already is not."""
    limit = len(name)
    for start, end, text in sorted(edits, key=lambda edit: (edit[0], edit[1]), reverse=True):
        if end <= limit:
            name = name[:start] + text + name[end:]
            limit = start
    return name


MAX_VERSION_STEPS = 100


def _free_version(facts: Facts, template: Template, chosen: Flat, values: dict[str, str],
                  name: str) -> tuple[str, Part] | None:
    """Online, when the proposed name is another repository of the namespace already, the same
    name at the next version no repository holds; None offline, or when the name is free."""
    from .rules.repo_id_namespace import namespace_for

    hub, namespace = facts.hub, namespace_for(facts)
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
    elif field == "size":
        found = _size(facts)
    else:
        return None
    return found if found is not None and spec.accepts(found[0]) else None


def _architecture(facts: Facts) -> tuple[str, str] | None:
    """The model's type, spelled as names write it; the name's own word when it agrees (the
    architecture rule finds no contradiction)."""
    from .names.tagger import architecture_of
    from .rules.consistency_architecture import contradiction

    actual = _actual_type(facts)
    if actual is None:
        return None
    named = architecture_of(facts.name)
    if named is not None and facts.shared(contradiction) is None:
        return named[1].lower(), f"kept from the current name: {actual[1]}"
    spelled = _spelled(actual[0])
    return (spelled, actual[1]) if spelled is not None else None


def _parameters(facts: Facts) -> tuple[str, str] | None:
    count = facts.parameter_count
    if facts.adapter is not None or count is None:
        return None  # an adapter's name states its base's size: the current name's, kept
    from .rules.consistency_size import accepted_range, count_word, size_tolerance, stated_value

    source = count.said()
    tolerance = size_tolerance(facts)
    for component in facts.named("P"):  # a count the name states that is still true stays as written
        low, high = accepted_range(stated_value(facts.name, component), tolerance)
        if low is not None and high is not None and low <= count.total <= high:
            return component.text.lower(), f"kept from the current name: {source}"
    return count_word(count.total, "b"), source


def _size(facts: Facts) -> tuple[str, str] | None:
    """The size word the model's family uses for its hidden size, when the name's contradicts it
    (one that agrees is kept from the name)."""
    from .rules.consistency_size import wrong_size_words

    config = facts.config
    for _, family_word in facts.shared(wrong_size_words):
        if family_word is not None and config is not None:
            return family_word, (f"{os.path.basename(config.file)} says hidden size {config.hidden_size}, "
                                 f"which {config.model_type} calls `{family_word}`")
    return None


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
    "parameters": "no safetensors or GGUF weights to count, and the name states no count the field accepts",
}


def _meant(facts: Facts, rejected: dict[str, str], field: str) -> tuple[str, str] | None:
    """The word a value the field rejects clearly means (`lamma`: `llama`), as did-you-mean finds it."""
    value = rejected.get(field)
    guess = facts.meaning(field, value) if value is not None else None
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
