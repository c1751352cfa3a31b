"""Split a Hub model name into components and label each with its element of the taxonomy.

``tag("meta-llama/Llama-2-7b-chat-hf")`` gives ``Llama`` (A, llama), ``2`` (V), ``7b`` (P,
7000000000), ``chat`` (T) and ``hf`` (W): the elements of Jiang et al.'s study (DESIGN.md).
``architecture_of`` is the part the consistency rules need: the model type the name states.

How a name is read:

1. *Atoms*: the name (after its last ``/``) is cut at separators (``-_.`` and spaces), at case
   changes (``MiniLM`` -> ``Mini`` ``LM``, ``GPTNeoX`` -> ``GPT`` ``Neo`` ``X``) and between
   letters and digits. Atoms are never shown: they are where a word may begin or end.
2. *Words*: from left to right, the longest run of atoms that spells a known word, compared by
   key (``knowledge.key``: lower case, separators dropped except between digits), so ``MiniLM``,
   ``xlm-roberta``, ``GPT-2``, ``deberta-v3`` and ``Qwen2.5`` are one word each; or, when longer,
   a run shaped like a parameter count (``7b``, ``8x7B``, ``1.5B``), a version (``v1.5``,
   ``v1_1``), a layer or head count (``L6``, ``L-12``, ``H-768``) or a quantization (``q4_k_m``).
   A family word and a version that are no word together stay two (``llama2`` -> ``llama`` +
   ``2``) while ``gpt2``, ``t5`` or ``phi3`` are words; a word never takes the number of a count
   (``gemma-2b`` is ``gemma`` + ``2b``), and language codes apart are never one architecture
   (``en_de-it`` is a language pair, not DeiT). Unknown atoms that nothing separates are one word.
3. *Context*: a number after an architecture is its version (``Llama-2``), except the ``2``
   ("to") between an encoder and a decoder (``bert2gpt2``); a language code that is usually
   another word (``it``: instruction-tuned) is a language only next to a language
   (``opus-mt-it-en``); ``A-12`` after a layer or head count is a head count.

A family word inside a longer unknown word is not read as that family: measured on Hub names,
``*bert`` words are as often RoBERTa (SlovakBERT, CodeBERT) or ALBERT (sahajBERT) models, so they
resolve only when the knowledge base knows them. A case change still makes atoms, as a reader
sees them: ``KNUBert`` reads ``KNU`` + ``Bert``, and a bert it claims to be.
"""

from __future__ import annotations

import re
from functools import cache

from ..record import Record
from .knowledge import Knowledge, knowledge, language_codes, vocabulary
from .tokens import atoms

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from collections.abc import Iterable
    from typing import Any

_JOINS = {"": "", "-": "-", "_": "_", ".": ".", " ": " "}
"""The gaps a word may span (``xlm-roberta``, ``1.5``): none, or one separator."""
_COUNT_SHAPE = r"(?:[0-9]+x)?[0-9]+(?:[._][0-9]+)?[mb]"
_COUNT = re.compile(_COUNT_SHAPE)
_PATTERN = re.compile(
    rf"(?P<P>{_COUNT_SHAPE})"
    r"|(?P<C>[0-9]+(?:k|px|p|h|k?hz)|patch[0-9]+|window[0-9]+)"
    r"|(?P<V>v[0-9]+(?:[._-][0-9]+)*|[0-9]+(?:\.[0-9]+)+)"
    r"|(?P<N>l[0-9]+|[0-9]+l|[0-9]+layers?|layers?[0-9]+)"
    r"|(?P<H>h[0-9]+)"
    r"|(?P<PA>a[0-9]+(?:[._][0-9]+)?[mb])"
    r"|(?P<AH>a[0-9]+)"
    r"|(?P<W>i?q[0-9](?:k[sml]?|k?_[0-9]|xxs|xs|[sml])?|[0-9]+bits?|[0-9]+bpw|w[0-9]+a[0-9]+|fp[0-9]+|int[0-9]+)"
)
"""Open-ended words, matched against the key of two or more atoms. Group names are taxonomy codes; ``AH`` is
``A-12``, a head count only after a layer or head count (BERT miniatures' ``L-12_H-768_A-12``);
``PA`` is ``A3B``, the parameters a mixture of experts activates per token (``Qwen3-30B-A3B``), a
count (``P``) with no total to compare.
``k`` counts are context lengths and data sizes (``128k``), not parameters; hours of audio
(``960h``), sampling rates (``16khz``) and resolutions (``720p``, ``1024px``) are data traits."""
_PATTERN_STARTS = frozenset(["v", "l", "h", "a", "q", "iq", "w", "fp", "int", "patch", "window", "layer", "layers"])
_MAX_PATTERN_ATOMS = 5
_MULTIPLIERS = {"m": 6, "b": 9}
_TO = "2"
"""``bert2gpt2``: the encoder, "to", the decoder."""


class Component(Record):
    """One element of a name: ``text`` as written, from ``start`` in the string given to ``tag``."""

    text: str
    start: int
    code: str
    """The taxonomy code: A S P T D L V C F W R N H M O (DESIGN.md)."""
    model_type: str | None = None
    """For A: the transformers ``model_type`` the word stands for (None: a family of several)."""
    value: str | None = None
    """Normalized: a parameter count (``7000000000``, ``8x7000000000``), an ISO 639-1 code, a
    version (``1.5``), a layer or head count, or a vocabulary word's canonical form."""


class Tagger:
    """Reads names with one knowledge base: the shipped one, or one a benchmark builds."""

    def __init__(self, base: Knowledge) -> None:
        lexicon: dict[str, tuple[str, str | None, str | None, int]] = {}
        for word, (code, value, _) in vocabulary().items():
            lexicon[word] = (code, None, value, 0)
        for word, model_type in base.words.items():
            lexicon[word] = ("A", model_type, None, base.ranks[word])
        self.base = base
        self.lexicon = lexicon
        # words read only where they are written whole; architectures are spelled every way
        self.whole = frozenset(word for word, (_, _, parts) in vocabulary().items() if not parts) - base.words.keys()
        self.prefixes = _Prefixes(lexicon)
        self.languages = language_codes()

    def words(self, name: str) -> list[list[Any]]:
        """The name's words as ``[start, end, key, entry]``, before context: ``entry`` is
        ``(code, model_type, value, rank)``, or None for an unknown word (what the knowledge base
        build mines)."""
        offset = name.rfind("/") + 1
        starts: list[int] = []
        ends: list[int] = []
        lows: list[str] = []
        joins: list[str | None] = []  # what may join an atom to the one before in a key; None: nothing
        position = offset
        for gap, atom in atoms(name, offset):
            joins.append(_JOINS.get(gap))
            position += len(gap)
            starts.append(position)
            position += len(atom)
            ends.append(position)
            lows.append(atom.lower())
        joins.append(None)  # after the last atom
        lookup, prefixes, languages, whole = self.lexicon.get, self.prefixes, self.languages, self.whole
        count = len(lows)
        pieces: list[list[Any]] = []
        i = 0
        while i < count:
            first = word = lows[i]
            best = lookup(word)
            best_word, best_end = word, i
            if best is not None and word[-1].isdigit() and _takes_count(lows, joins, i):
                best = None
            k = i + 1
            apart = False
            codes_only = None  # ``en_de-it``: language codes, not DeiT (asked once a longer word is tried)
            while prefixes[word] and joins[k] is not None:
                following = lows[k]
                join = joins[k]
                if join:
                    if len(lows[k - 1]) == 1 and following[0].isdigit() and lows[k - 1].isalpha():
                        break  # ``e-5`` is not ``e5``: a letter and a number apart
                    apart = True
                if codes_only is None:
                    codes_only = first in languages
                codes_only = codes_only and following in languages
                word += join + following if join and word[-1].isdigit() and following[0].isdigit() else following
                entry = lookup(word)
                if (
                    entry is not None
                    and not (apart and (word in whole or codes_only))
                    and not (word[-1].isdigit() and _takes_count(lows, joins, k))
                ):
                    best, best_word, best_end = entry, word, k
                k += 1
            if joins[i + 1] is not None and (first[0].isdigit() or first in _PATTERN_STARTS):
                shaped = _shaped(lows, joins, i)
                if shaped is not None and (best is None or shaped[0] > best_end):
                    best_end, best_word, best = shaped
            if best is not None:
                pieces.append([starts[i], ends[best_end], best_word, best])
                i = best_end + 1
            elif pieces and pieces[-1][3] is None and pieces[-1][1] == starts[i]:
                pieces[-1][1] = ends[i]
                pieces[-1][2] += first
                i += 1
            else:
                pieces.append([starts[i], ends[i], first, None])
                i += 1
        return pieces

    def tag(self, name: str) -> list[Component]:
        return [Component(*fields) for fields in self._fields(name, self.words(name))]

    def read(self, name: str) -> tuple[list[tuple[str, int, str, str | None, str | None]], tuple[str, str] | None]:
        """``tag`` and ``architecture_of`` at once, the name split into words once; each
        component as the plain tuple of its fields (``Component``'s, in order), for programs
        that read names by the hundred thousand (``explain --names-from``)."""
        pieces = self.words(name)
        return self._fields(name, pieces), self._architecture(name, pieces)

    def _fields(self, name: str, pieces: list[list[Any]]) -> list[tuple[str, int, str, str | None, str | None]]:
        codes = [piece[3][0] if piece[3] is not None else "O" for piece in pieces]
        for index, piece in enumerate(pieces):
            code = codes[index]
            if piece[3] is None and piece[2].isdigit():
                codes[index] = "V" if _version_of_architecture(pieces, codes, index) else "O"
            elif code == "AH":
                codes[index] = "H" if index and codes[index - 1] in ("N", "H") else "O"
        self._languages_in_context(pieces, codes)
        fields: list[tuple[str, int, str, str | None, str | None]] = []
        for index, (start, end, word, entry) in enumerate(pieces):
            code = codes[index]
            model_type = value = None
            if entry is not None and code == entry[0]:
                model_type, value = entry[1] or None, entry[2]
            if value is None and code in ("V", "L", "N", "H"):
                value = _normalize(code, word)
            fields.append((name[start:end], start, code, model_type, value))
        return fields

    def _languages_in_context(self, pieces: list[list[Any]], codes: list[str]) -> None:
        """Language codes that are usually other words (``it``: instruction-tuned; ``no``) become
        languages next to a language, in either direction (``opus-mt-it-en``, ``en-no``)."""
        languages = self.languages
        candidates = [index for index, piece in enumerate(pieces)
                      if piece[2] in languages and codes[index] in ("O", "T")]
        for order in (candidates, candidates[::-1]):
            for index in order:
                if codes[index] in ("O", "T") and (
                    (index > 0 and codes[index - 1] == "L") or (index + 1 < len(codes) and codes[index + 1] == "L")
                ):
                    codes[index] = "L"

    def architecture_of(self, name: str) -> tuple[str, str] | None:
        """The model type the most telling architecture word names (``Knowledge.ranks``; the
        first of equals: ``mask2former-swin``); an encoder word paired with a decoder word
        (``bert2gpt2``, ``wav2vec2-2-bart``, ``roberta_gpt2``) names the composite."""
        return self._architecture(name, self.words(name))

    def _architecture(self, name: str, pieces: list[list[Any]]) -> tuple[str, str] | None:
        found = [piece for piece in pieces if piece[3] is not None and piece[3][0] == "A"]
        if not found:
            return None
        for encoder, decoder in zip(found, found[1:]):
            composite = self._composite(name, encoder, decoder)
            if composite is not None:
                return composite, name[encoder[0] : decoder[1]]
        undetermined_in = self.base.undetermined_in
        best = None
        for piece in found:
            if piece[3][1] and (best is None or piece[3][3] < best[3][3]):
                if piece[2] in undetermined_in and _states_language(pieces, undetermined_in[piece[2]]):
                    continue
                best = piece
        return None if best is None else (best[3][1], name[best[0] : best[1]])

    def _composite(self, name: str, encoder: list[Any], decoder: list[Any]) -> str | None:
        """The encoder-decoder type two architecture words make: joined by "to" (``bert2bert``,
        ``xlsr_2_bart``), or side by side when the second is a decoder-only model (``vit-gpt2``;
        ``bigbird-roberta`` and ``clip-roberta`` name one model and its tokenizer's family)."""
        between = name[encoder[1] : decoder[0]]
        encoder_type, decoder_type = encoder[3][1], decoder[3][1]
        modalities = self.base.modalities
        if not encoder_type or modalities.get(decoder_type) in ("audio", "vision"):
            return None
        if len(between) > 3 or between.strip("-_. ") != _TO:
            side_by_side = len(between) <= 1 and modalities.get(encoder_type) != "decoder"
            if not side_by_side or modalities.get(decoder_type) != "decoder":
                return None
        modality = modalities.get(encoder_type)
        if modality == "audio":
            return "speech-encoder-decoder"
        return "vision-encoder-decoder" if modality == "vision" else "encoder-decoder"


def _states_language(pieces: list[list[Any]], languages: frozenset[str]) -> bool:
    """Whether a language word of the name (``chinese``, ``zh``) is one of ``languages``."""
    return any(piece[3] is not None and piece[3][0] == "L" and piece[3][2] in languages for piece in pieces)


def _version_of_architecture(pieces: list[list[Any]], codes: list[str], index: int) -> bool:
    """Whether a bare number right after an architecture word (``Llama-2``, ``llama2``) is
    its version: not the "to" of an encoder-decoder pair."""
    if not index or codes[index - 1] != "A" or pieces[index][0] - pieces[index - 1][1] > 1:
        return False
    return not (
        pieces[index][2] == _TO
        and index + 1 < len(pieces)
        and codes[index + 1] == "A"
        and pieces[index + 1][0] - pieces[index][1] <= 1
    )


def _takes_count(lows: list[str], joins: list[str | None], k: int) -> bool:
    """Whether a word ending in the number of atom ``k`` would take the number of a count that
    the next atoms complete: ``gemma-2b`` is gemma + 2b, not gemma-2 + b, and ``llama-4.1m``
    is llama + 4.1m, not llama-4 + .1m (a point, not `_`: `T0_3B` is T0 + 3B)."""
    if joins[k + 1] == "" and _COUNT.fullmatch(lows[k] + lows[k + 1]) is not None:
        return True
    return (k + 2 < len(lows) and joins[k + 1] == "." and joins[k + 2] == "" and lows[k + 1].isdigit()
            and len(lows[k + 1]) <= 2 and _COUNT.fullmatch(f"{lows[k]}.{lows[k + 1]}{lows[k + 2]}") is not None)


def _shaped(
    lows: list[str], joins: list[str | None], i: int
) -> tuple[int, str, tuple[str, None, str | None, int]] | None:
    """The longest run of atoms from ``i`` shaped like a count, version, layer count or format
    (two atoms at least: ``7b``, ``v2``). Separators join letters to numbers (``L-12``, ``4-bit``)
    and single letters (``q4_k_m``), not words (``2b-it`` is no ``2bit``). A version never takes
    the number of a count (``v1.5-7b`` is ``v1.5`` + ``7b``), and ``_`` between digits of a count
    is its decimal point (``Qwen-1_8b``: 1.8b)."""
    keys = [lows[i]]
    k = i + 1
    while joins[k] is not None and k - i < _MAX_PATTERN_ATOMS:
        join, before, following = joins[k], lows[k - 1], lows[k]
        if join and before[-1].isalpha() and following[0].isalpha() and (len(before) > 1 or len(following) > 1):
            break
        keys.append(keys[-1] + (join if join and before[-1].isdigit() and following[0].isdigit() else "") + following)
        k += 1
    for length in range(len(keys), 1, -1):
        match = _PATTERN.fullmatch(keys[length - 1])
        if match is not None:
            code = match.lastgroup or "O"
            if code == "PA":
                return i + length - 1, keys[length - 1], ("P", None, None, 0)
            if code != "P" and lows[i + length - 1][-1].isdigit() and _takes_count(lows, joins, i + length - 1):
                continue  # ``v1.5-7b``: the version is ``v1.5``, the ``7`` belongs to the count ``7b``
            return i + length - 1, keys[length - 1], (code, None, _normalize(code, keys[length - 1]), 0)
    return None


def _normalize(code: str, word: str) -> str | None:
    """A count, version or language code in the form rules compare: ``1.5b`` -> ``1500000000``,
    ``v1_1`` -> ``1.1``, ``L-12`` -> ``12``."""
    if code == "P":
        experts, _, count = word.rpartition("x")
        whole, _, fraction = count[:-1].replace("_", ".").partition(".")
        places = _MULTIPLIERS[count[-1]]
        fraction = fraction[:places]
        number = str(int(whole + fraction) * 10 ** (places - len(fraction)))
        return f"{experts}x{number}" if experts else number
    if code == "V":
        return word.lstrip("v").replace("_", ".").replace("-", ".")
    if code in ("N", "H", "AH"):
        return "".join(character for character in word if character.isdigit())
    if code == "L":
        return word
    return None


class _Prefixes(dict[str, bool]):
    """``prefixes[text]``: whether ``text`` begins a longer word of the lexicon. Each text is
    looked up once, as names ask (a set of every prefix costs milliseconds a run to build)."""

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__()
        self.sorted = sorted(words)

    def __missing__(self, text: str) -> bool:
        words, low, high = self.sorted, 0, len(self.sorted)
        while low < high:  # the first word after ``text`` (bisect's search, without its import)
            middle = (low + high) // 2
            if words[middle] <= text:
                low = middle + 1
            else:
                high = middle
        begins = low < len(words) and words[low].startswith(text)
        self[text] = begins
        return begins


@cache
def default_tagger() -> Tagger:
    """The tagger over the shipped knowledge base, built when a name is first read."""
    return Tagger(knowledge())


def tag(name: str) -> list[Component]:
    """The components of a name (a repo id's part after ``/``, or a bare name), in order; their
    ``start`` is an offset in the string given."""
    return default_tagger().tag(name)


def read(name: str) -> tuple[list[tuple[str, int, str, str | None, str | None]], tuple[str, str] | None]:
    """``tag(name)`` (each component as a tuple of its fields) and ``architecture_of(name)``
    together, for the price of one reading."""
    return default_tagger().read(name)


def architecture_of(name: str) -> tuple[str, str] | None:
    """The ``model_type`` the name states and the words that state it, or None when it states
    none: ``architecture_of("sentence-transformers/all-MiniLM-L6-v2")`` is ``("bert", "MiniLM")``."""
    return default_tagger().architecture_of(name)
