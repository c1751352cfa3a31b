"""Each GGUF file's name tells the truth about the file: its encoding and its shard.

A repository of GGUF weights holds one file per encoding, and people pick the file by its name:
`Llama-3.1-8B-Instruct-Q4_K_M.gguf` must be a Q4_K_M, not a Q8_0 renamed, and a model split in
shards (`...-00001-of-00003.gguf`) must be whole. llama.cpp's naming convention puts the
encoding and the shard at the end of the name
(`<BaseName>-<SizeLabel>-<FineTune>-<Version>-<Encoding>-<Shard>.gguf`); this rule reads them
wherever `-` or `.` sets them apart (`llama-2-7b.Q4_K_M.gguf` too) and compares them with the
file's own header:

- the encoding the name states (`Q4_K_M`, `IQ3_XXS`, `F16`, `BF16`, ...) against the header's
  `general.file_type`;
- a shard suffix `-NNNNN-of-MMMMM` against the header's `split.no` and `split.count`, and a
  header that says it is one of several shards in a name without the suffix;
- every shard of a set present: `-00002-of-00003` beside neither `-00001-` nor `-00003-` is a
  model that cannot be loaded;
- the size label (`8B`, `8x7B`, `1.5B`) against the parameters its tensors hold (the whole set's,
  for a shard), within the policy's `consistency.size-tolerance`, as `consistency/size` compares
  the repo name; an active-parameter count (`A3B`) is not compared.

A file whose header cannot be read is `artifacts/corrupt`'s or `artifacts/unavailable`'s, not
this rule's; a name that states no encoding, or a header without `general.file_type`, is not
compared. The fix is the file's name with every word its header contradicts corrected at once,
in the name's case (`Llama-3.2-8B-Q4_K_M.gguf` holding a Q8_0 of 1.24 billion parameters:
`Llama-3.2-1.2B-Q8_0.gguf`), for a `git mv`; a mixture of experts' count (`8x7B`) gets none.

Passing: `Llama-3.1-8B-Instruct-Q4_K_M.gguf` whose header says file type 15 (Q4_K_M)

Failing: `Llama-3.1-8B-Instruct-Q4_K_M.gguf` whose header says Q8_0; `model-00002-of-00003.gguf`
whose header says it is shard 1 of 3; `model-00001-of-00002.gguf` alone in its folder;
`Llama-3.2-8B-Q4_K_M.gguf` holding 1.24 billion parameters
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from ..artifacts.gguf import GgufFacts

ID = "gguf/file-name"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    if not facts.gguf:
        return
    from ..artifacts.gguf import models
    from .consistency_size import size_tolerance

    tolerance = size_tolerance(facts)
    sizes = {file: (model.parameters, len(model.files)) for model in models(facts.gguf) if model.parameters
             for file in model.files}
    for found in facts.gguf:
        messages, renamed = _read_name(found, sizes.get(found.file), tolerance)
        name = os.path.basename(found.file)
        for message in messages:
            yield Problem(message, suggestion=renamed if renamed != name else None, file=found.file)
    yield from _incomplete_sets(facts)


def _read_name(found: GgufFacts, size: tuple[int, int] | None, tolerance: float) -> tuple[list[str], str]:
    """What the file's name says that its header denies, and the name that says what the header
    does (every word the header contradicts corrected at once). ``size``: the parameters the
    file's model holds, and the number of files that hold them."""
    from ..artifacts.gguf import FILE_TYPES, shard_in_name
    from ..names.tagger import tag
    from .consistency_size import accepted_range, count_word, short, stated_value

    name = os.path.basename(found.file)
    stem, shard = shard_in_name(name)
    base = stem[: shard.start()] if shard else stem
    messages: list[str] = []
    corrections: list[tuple[int, int, str]] = []
    encodings = {encoding.upper() for encoding in FILE_TYPES.values()}
    stated = [word for word in re.finditer(r"[^-.]+", base) if word.group().upper() in encodings]
    actual = found.file_type
    if len(stated) == 1 and actual is not None and stated[0].group().upper() != actual:
        word = stated[0].group()
        messages.append(f"the name says `{word}`; the header's general.file_type is `{actual}`")
        corrections.append((stated[0].start(), stated[0].end(), actual.lower() if word.islower() else actual))
    if size is not None:
        parameters, files = size
        held = "its tensors hold" if files == 1 else f"the tensors of its {files} shards hold"
        for component in tag(base):
            low, high = (accepted_range(stated_value(base, component), tolerance) if component.code == "P"
                         else (None, None))
            if low is not None and high is not None and not low <= parameters <= high:
                messages.append(f"the name says `{component.text}`; {held} {parameters:,} parameters "
                                f"({short(parameters)})")
                if "x" not in stated_value(base, component):
                    corrections.append((component.start, component.start + len(component.text),
                                        count_word(parameters, component.text)))
    suffix = shard.group() if shard else ""
    if found.shard is not None:
        header = f"-{found.shard[0]:05d}-of-{found.shard[1]:05d}" if found.shard[1] > 1 else ""
        if shard is not None and (int(shard.group(1)), int(shard.group(2))) != found.shard:
            messages.append(f"the name says shard {int(shard.group(1))} of {int(shard.group(2))}; "
                            f"the header says shard {found.shard[0]} of {found.shard[1]}")
            suffix = header
        elif shard is None and header:
            messages.append(f"the header says shard {found.shard[0]} of {found.shard[1]}; the name has no "
                            f"`{header}` suffix")
            suffix = header
    for start, end, replacement in sorted(corrections, reverse=True):
        base = base[:start] + replacement + base[end:]
    return messages, base + suffix + name[len(stem):]


def _incomplete_sets(facts: Facts) -> Iterator[Problem]:
    """Each set of shards named `<prefix>-NNNNN-of-MMMMM.gguf` with one of its shards missing."""
    from ..artifacts.gguf import shard_in_name

    sets: dict[tuple[str, int], dict[int, str]] = {}
    for name in facts.files:
        if not name.lower().endswith(".gguf"):
            continue
        _, shard = shard_in_name(name)
        if shard is not None and 0 < int(shard.group(2)) <= 10_000:
            sets.setdefault((name[: shard.start()], int(shard.group(2))), {})[int(shard.group(1))] = name
    for (prefix, count), present in sorted(sets.items()):
        missing = [number for number in range(1, count + 1) if number not in present]
        if missing:
            shown = ", ".join(f"{number:05d}" for number in missing[:5]) + (" ..." if len(missing) > 5 else "")
            first = present[min(present)]  # the finding stands on a shard that is there
            yield Problem(f"`{prefix}` is split in {count} shards and {len(missing)} of them are missing "
                          f"({shown}): the model cannot be loaded", file=os.path.join(str(facts.folder), first))
