"""The language the name states is one the card declares.

A `-en` name over a card that says `language: de` confuses people searching by language. The
rule reads the name's language words (`en`, `german`, `zh`) and compares them with the card's
`language` list. A card that says `multilingual`, or no language code at all (`unk`), is not
contradicted (`card/required` and `card/language` report those).

The rule reads languages, not abbreviations. Equivalent codes agree: ISO 639-3 and 639-1
(`lug` and `lg`), a macrolanguage and its members (`zh` and `lzh`, `ms` and `id`, `no` and `nb`),
and a language pair or name the card writes (`en-fr` is `en` and `fr`; `English`). A two-letter
piece glued to a number (`lv60`) or usually an abbreviation in model names (`sv` speaker
verification, `st` speech translation, `mt` machine translation, `sa`, `si_snr`, `sm` for small)
is a language only next to another language (`opus-mt-en-sv`). A name that states several
languages (a translation pair, a model fine-tuned from another language's, dialect tags such as
`ca`, `da` or `msa` in an Arabic model) is contradicted only when the card declares none of them.

Passing: `acme/bert-base-de` with `language: [de]`; `acme/opus-mt-en-lg` with `language: [en, lug]`

Failing: `acme/bert-base-en` with `language: de`; `acme/bert-base-german` with `language: fr`
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import cache

from ..facts import Facts
from ..findings import Problem
from ..names.tokens import words
from ._card import card_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..names.tagger import Component

ID = "consistency/language"
SEVERITY = "error"
SUBJECT = "folder"

ABBREVIATIONS = frozenset(["sv", "st", "mt", "sa", "si", "sm", "sd", "lu", "os", "bi", "ng", "li", "ks", "sg", "sn"])
"""Language codes that model names mostly use for something else: speaker verification (`sv`),
speech translation (`st`), machine translation (`mt`), sentiment analysis (`sa`), `si_snr`,
spaCy's small (`sm`), speaker diarization (`sd`)."""

MACROLANGUAGES = {
    # ISO 639-3 macrolanguages (SIL's macrolanguage mappings), written by their 639-1 code where one exists
    "zh": ("cmn", "yue", "lzh", "wuu", "nan", "hak", "gan", "hsn", "cjy", "cdo", "cpx", "czh", "mnp"),
    "ar": ("arb", "ary", "arz", "apc", "ajp", "acm", "afb", "ayl", "aeb", "arq", "apd", "acq", "ars", "ayp"),
    "ms": ("id", "zsm", "min", "jax", "kxd", "bjn", "mly"),
    "no": ("nb", "nn"),
    "fa": ("pes", "prs"),
    "ku": ("kmr", "ckb", "sdh"),
    "sw": ("swh", "swc"),
    "et": ("ekk", "vro"),
    "lv": ("lvs", "ltg"),
    "uz": ("uzn", "uzs"),
    "sq": ("als", "aln", "aae", "aat"),
    "mn": ("khk", "mvf"),
    "ne": ("npi", "dty"),
    "or": ("ory", "spv"),
    "ps": ("pbt", "pbu", "pst"),
    "qu": ("quz", "quy", "qub", "que"),
    "gn": ("gug", "gui", "grn"),
    "om": ("gaz", "hae", "orc"),
    "sc": ("src", "sro"),
}
_UNKNOWN = frozenset(["unk", "und", "mis", "zxx"])
"""No language: AutoNLP's `unk`, ISO 639's undetermined, uncoded and no linguistic content."""
_GLUED = re.compile(r"[0-9]")


@cache
def _two_letter() -> dict[str, str]:
    from ..names.data_files import read, rows

    return {row[0]: row[1] for row in rows(read("languages_iso639_3_to_1.tsv"))}


@cache
def _groups() -> dict[str, str]:
    """Every code -> the macrolanguage (or itself) it compares as."""
    found: dict[str, str] = {}
    for macro, members in MACROLANGUAGES.items():
        for member in members:
            found[_two_letter().get(member, member)] = macro
    return found


def _normal(code: str) -> str:
    code = _two_letter().get(code, code)
    return _groups().get(code, code)


def _card_codes(declared: list[str]) -> set[str]:
    """The languages a card declares, as their macrolanguages: `en-fr` is two, `English` is `en`."""
    from ..names.knowledge import language_names
    from ..names.vocabularies import card_language_codes

    names, known = language_names(), card_language_codes()
    codes: set[str] = set()
    for value in declared:
        for piece in re.split(r"[-_\s,/]+", value.lower()):
            if piece in _UNKNOWN:
                continue
            if piece == "multilingual" or piece in known:
                codes.add(piece if piece == "multilingual" else _normal(piece))
            elif piece in names:
                codes.add(_normal(names[piece]))
    return codes


def check(facts: Facts) -> Iterator[Problem]:
    card = card_of(facts)
    declared = [code for _, code in card.strings("language") or ()]
    codes = _card_codes(declared)
    if not codes or "multilingual" in codes:
        return
    from ..names.knowledge import language_words

    if not set(words(facts.name)) & language_words():
        return  # no language word: no need to read the name closely
    components = facts.components
    stated = []
    for index, component in enumerate(components):
        if component.code != "L":
            continue
        code = (component.value or component.text).lower()
        if code == "multilingual":
            return
        if len(component.text) == 2 and (code in ABBREVIATIONS or _glued(facts.name, component)) and not any(
            0 <= other < len(components) and components[other].code == "L"
            and components[other].text.lower() not in ABBREVIATIONS
            for other in (index - 1, index + 1)
        ):
            continue  # `wavlm-base-plus-sv`, `lv60`, `si_snr`: an abbreviation, not a language
        stated.append((component, code))
    if not stated or any(_normal(code) in codes for _, code in stated):
        return
    component, code = stated[0]
    line, column = card.position("language")
    listed = ", ".join(f"`{code}`" for code in declared)
    yield Problem(
        f"the name says `{component.text}` ({code}); {os.path.basename(card.path)} says language {listed}",
        file=card.path, line=line, column=column,
    )


def _glued(name: str, component: Component) -> bool:
    """Whether a digit touches the component with no separator (`lv60`, `2en`)."""
    start = component.start
    end = start + len(component.text)
    return bool(_GLUED.match(name[end:end + 1]) or (start and _GLUED.match(name[start - 1])))
