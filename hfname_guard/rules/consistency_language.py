"""The language the name states is one the card declares.

A `-en` name over a card that says `language: de` confuses people searching by language. The
rule reads the name's language words (`en`, `german`, `zh`) and compares them with the card's
`language` list. A card that says `multilingual`, or no language code at all (`unk`), is not
contradicted (`card/required` and `card/language` report those).

The rule reads languages, not abbreviations. Equivalent codes agree: ISO 639-3 and 639-1
(`lug` and `lg`), a macrolanguage and its members (`zh` and `lzh`, `ms` and `id`, `no` and `nb`),
and a language pair or name the card writes (`en-fr` is `en` and `fr`; `English`). A two-letter
piece glued to a number (`lv60`) or usually an abbreviation in model names (`sv` speaker
verification, `st` speech translation, `mt` machine translation, `sa`, `si_snr`, `sm` for small,
`tl` topic labelling or transfer learning, `tg` Telegram) is a language only next to another
language (`opus-mt-en-sv`). A name that states several languages (a translation pair, a model
fine-tuned from another language's, dialect tags such as `ca`, `da` or `msa` in an Arabic model,
a dialect such as `gronings` in `bert-base-dutch-cased-gronings`) is contradicted only when the
card declares none of them.

A name states languages only when a naming element (an architecture, a parameter count, a task,
a dataset, a version, a format such as `corenlp`, ...) says it names a model: a Twitter handle
(`huggingtweets/deliveroo_fr`) or an artist's name (`huggingartists/big-russian-boss`, `ot-rus`)
states none. A piece of the name agrees in any of its readings: a code names use for another
language than ISO's (`ch` and `tw` for Chinese, `kr` for Korean, `msa` for Modern Standard
Arabic), and a code the name uses as another word (`it` instruction-tuned in
`unispeech-1350-en-90-it-ft-1h`, `tl`). The card's codes are read as ISO's only: a card `kr` under
a `korean` name is Kanuri, and the message says so.

The fix puts the card's language in the name's place of the stated one when the card declares
one (`acme/bert-base-de`), and drops it when it declares several; like every fix of a name, it
is the name `hfname-guard suggest` prints, so that every fix of one model agrees.

Passing: `acme/bert-base-de` with `language: [de]`; `acme/opus-mt-en-lg` with `language: [en, lug]`;
`acme/tts-fastspeech2-baker-ch` with `language: [zh]`

Failing: `acme/bert-base-en` with `language: de`; `acme/bert-base-german` with `language: fr`;
`acme/wav2vec2-xlsr-korean` with `language: kr` (`kr` is Kanuri; Korean is `ko`)
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import cache

from ..facts import Facts
from ..findings import Problem
from ..names.tokens import words
from ..record import Record
from ._card import card_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..names.tagger import Component

ID = "consistency/language"
SEVERITY = "error"
SUBJECT = "folder"

ABBREVIATIONS = frozenset(
    ["sv", "st", "mt", "sa", "si", "sm", "sd", "lu", "os", "bi", "ng", "li", "ks", "sg", "sn", "tl", "tg"]
)
"""Language codes that model names mostly use for something else: speaker verification (`sv`),
speech translation (`st`), machine translation (`mt`), sentiment analysis (`sa`), `si_snr`,
spaCy's small (`sm`), speaker diarization (`sd`), topic labelling or transfer learning (`tl`),
Telegram (`tg`)."""

NAMING_ELEMENTS = frozenset("APTDVCFWRNH")
"""The elements that make a name a model's name: architecture, parameters, task, dataset, version,
data characteristic, reuse method, format, training, layers, heads. Not a size alone (`big`)."""


class Colloquial(Record):
    """A code that names write for another language than the one ISO 639 gives it."""

    meant: str
    meant_language: str
    iso_language: str


COLLOQUIAL = {
    "ch": Colloquial("zh", "Chinese", "Chamorro"),
    "tw": Colloquial("zh", "Chinese", "Twi"),
    "kr": Colloquial("ko", "Korean", "Kanuri"),
    "msa": Colloquial("ar", "Arabic", "Malay"),
}
"""China's and Taiwan's `ch` and `tw` for Chinese, Korea's `kr` for Korean, Modern Standard
Arabic's `msa` for Arabic."""

_UNKNOWN = frozenset(["unk", "und", "mis", "zxx"])
"""No language: AutoNLP's `unk`, ISO 639's undetermined, uncoded and no linguistic content."""
_GLUED = re.compile(r"[0-9]")


@cache
def _two_letter() -> dict[str, str]:
    from ..names.data_files import kept, read, rows

    return kept("two-letter-codes", lambda: {row[0]: row[1] for row in rows(read("languages_iso639_3_to_1.tsv"))})


@cache
def _groups() -> dict[str, str]:
    """Every code -> the macrolanguage (or itself) it compares as, by SIL's ISO 639-3
    macrolanguage mappings (data/languages_macrolanguages.tsv)."""
    from ..names.data_files import kept, read, rows

    def build() -> dict[str, str]:
        found: dict[str, str] = {}
        for macro, members in rows(read("languages_macrolanguages.tsv")):
            for member in members.split():
                found[_two_letter().get(member, member)] = macro
        return found

    return kept("macrolanguages", build)


def _normal(code: str) -> str:
    code = _two_letter().get(code, code)
    return _groups().get(code, code)


def _card_codes(declared: list[str]) -> set[str]:
    """The languages a card declares, as their macrolanguages: `en-fr` is two, `English` is `en`."""
    from ..names.knowledge import language_names
    from ..names.vocabularies import is_card_language_code

    codes: set[str] = set()
    for value in declared:
        for piece in re.split(r"[-_\s,/]+", value.lower()):
            if piece in _UNKNOWN:
                continue
            if piece == "multilingual" or is_card_language_code(piece):
                codes.add(piece if piece == "multilingual" else _normal(piece))
            elif piece in language_names():
                codes.add(_normal(language_names()[piece]))
    return codes


def check(facts: Facts) -> Iterator[Problem]:
    found = facts.shared(contradicted_languages)
    if found is None:
        return
    stated, declared = found
    card = card_of(facts)
    component, code = stated[0]
    line, column = card.position("language")
    listed = ", ".join(f"`{code}`" for code in declared)
    yield Problem(
        f"the name says `{component.text}` ({code}); {os.path.basename(card.path)} says language {listed}"
        f"{_misread(declared, {_normal(code) for _, code in stated})}",
        file=card.path, line=line, column=column, suggestion=facts.name_fix(),
    )


def contradicted_languages(facts: Facts) -> tuple[list[tuple[Component, str]], list[str]] | None:
    """The languages the name states (each with its code) when none is one the card declares,
    and the card's values: what the rule reports and the name engine corrects; None when they agree."""
    from ..names.knowledge import language_names, language_words

    written = set(words(facts.name)) & language_words()
    if not written:
        return None  # no language word: no need to read the card or the name closely
    card = card_of(facts)
    declared = [code for _, code in card.strings("language") or ()]
    codes = _card_codes(declared)
    if not codes or "multilingual" in codes:
        return None
    if {_normal(language_names().get(word, word)) for word in written} & codes:
        return None  # a word of the name is a language the card declares: no need for the tagger
    components = facts.components
    if any(component.code == "L" and (component.value or component.text).lower() == "multilingual"
           for component in components):
        return None
    stated = _stated(facts.name, components)
    if not stated or _readings(components) & codes:
        return None
    return stated, declared


def _stated(name: str, components: list[Component]) -> list[tuple[Component, str]]:
    """The name's languages with their codes; none where no naming element says the name names a
    model (`huggingtweets/deliveroo_fr`, `huggingartists/ot-rus`)."""
    if not any(component.code in NAMING_ELEMENTS for component in components):
        return []
    return [
        (component, (component.value or component.text).lower())
        for index, component in enumerate(components)
        if component.code == "L" and not _abbreviation(name, components, index)
    ]


def _abbreviation(name: str, components: list[Component], index: int) -> bool:
    """Whether a two-letter language code stands for something else: glued to a number (`lv60`)
    or usually an abbreviation (`wavlm-base-plus-sv`, `si_snr`), with no language beside it."""
    component = components[index]
    if len(component.text) != 2 or not (component.text.lower() in ABBREVIATIONS or _glued(name, component)):
        return False
    return not any(
        0 <= other < len(components) and components[other].code == "L"
        and components[other].text.lower() not in ABBREVIATIONS
        for other in (index - 1, index + 1)
    )


def _readings(components: list[Component]) -> set[str]:
    """Every language a piece of the name may be read as (macrolanguages): its language, the
    language a colloquial code means (`ch`: Chinese), and the language of a code read as another
    word (`it`: instruction-tuned, `tl`)."""
    from ..names.knowledge import language_codes

    found: set[str] = set()
    for component in components:
        written = component.text.lower()
        if component.code == "L":
            found.add(_normal((component.value or written).lower()))
        if written in COLLOQUIAL:
            found.add(COLLOQUIAL[written].meant)
        if written in language_codes():
            found.add(_normal(written))
    return found


def _misread(declared: list[str], stated: set[str]) -> str:
    """What a card's code is when names use it for the stated language: `kr` (Kanuri) for Korean."""
    for code in declared:
        colloquial = COLLOQUIAL.get(code.lower())
        if colloquial is not None and colloquial.meant in stated:
            return (f": `{code}` is {colloquial.iso_language}; "
                    f"{colloquial.meant_language} is `{colloquial.meant}`")
    return ""


def _glued(name: str, component: Component) -> bool:
    """Whether a digit touches the component with no separator (`lv60`, `2en`)."""
    start = component.start
    end = start + len(component.text)
    return bool(_GLUED.match(name[end:end + 1]) or (start and _GLUED.match(name[start - 1])))
