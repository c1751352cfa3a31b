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
compared.

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

ID = "gguf/file-name"
SEVERITY = "error"
SUBJECT = "folder"

def check(facts: Facts) -> Iterator[Problem]:
    if not facts.gguf:
        return
    from ..artifacts.gguf import FILE_TYPES, SHARD

    encodings = {name.upper() for name in FILE_TYPES.values()}
    for found in facts.gguf:
        name = os.path.basename(found.file)
        stem = name[: -len(".gguf")] if name.lower().endswith(".gguf") else name
        shard = re.search(SHARD, stem)
        words = re.split(r"[-.]", stem[: shard.start()] if shard else stem)
        stated = [word for word in words if word.upper() in encodings]
        actual = found.file_type
        if len(stated) == 1 and actual is not None and stated[0].upper() != actual:
            yield Problem(f"the name says `{stated[0]}`; the header's general.file_type is `{actual}`",
                          file=found.file)
        if shard is not None:
            named = (int(shard.group(1)), int(shard.group(2)))
            if found.shard is not None and found.shard != named:
                yield Problem(f"the name says shard {named[0]} of {named[1]}; the header says shard "
                              f"{found.shard[0]} of {found.shard[1]}", file=found.file)
        elif found.shard is not None and found.shard[1] > 1:
            yield Problem(f"the header says shard {found.shard[0]} of {found.shard[1]}; the name has no "
                          f"`-{found.shard[0]:05d}-of-{found.shard[1]:05d}` suffix", file=found.file)
    yield from _incomplete_sets(facts)
    yield from _size_labels(facts)


def _size_labels(facts: Facts) -> Iterator[Problem]:
    """Each file whose name's parameter count its model (the file, or its whole set of shards) does not hold."""
    from ..artifacts.gguf import SHARD, models
    from ..names.tagger import tag
    from .consistency_size import SIZE_TOLERANCE, accepted_range, short, stated_value

    tolerance = facts.policy.consistency.size_tolerance
    if tolerance is None:
        tolerance = SIZE_TOLERANCE
    for model in models(facts.gguf):
        if not model.parameters:
            continue
        held = "its tensors hold" if len(model.files) == 1 else f"the tensors of its {len(model.files)} shards hold"
        for file in model.files:
            stem = os.path.basename(file)[: -len(".gguf")]
            stem = re.sub(SHARD, "", stem)
            for component in tag(stem):
                if component.code != "P":
                    continue
                low, high = accepted_range(stated_value(stem, component), tolerance)
                if low is not None and high is not None and not low <= model.parameters <= high:
                    yield Problem(f"the name says `{component.text}`; {held} {model.parameters:,} parameters "
                                  f"({short(model.parameters)})", file=file)


def _incomplete_sets(facts: Facts) -> Iterator[Problem]:
    """Each set of shards named `<prefix>-NNNNN-of-MMMMM.gguf` with one of its shards missing."""
    from ..artifacts.gguf import SHARD

    sets: dict[tuple[str, int], dict[int, str]] = {}
    for name in facts.files:
        if not name.lower().endswith(".gguf"):
            continue
        shard = re.search(SHARD, name[: -len(".gguf")])
        if shard is not None and 0 < int(shard.group(2)) <= 10_000:
            sets.setdefault((name[: shard.start()], int(shard.group(2))), {})[int(shard.group(1))] = name
    for (prefix, count), present in sorted(sets.items()):
        missing = [number for number in range(1, count + 1) if number not in present]
        if missing:
            shown = ", ".join(f"{number:05d}" for number in missing[:5]) + (" ..." if len(missing) > 5 else "")
            first = present[min(present)]  # the finding stands on a shard that is there
            yield Problem(f"`{prefix}` is split in {count} shards and {len(missing)} of them are missing "
                          f"({shown}): the model cannot be loaded", file=os.path.join(str(facts.folder), first))
