"""A folder of GGUF files holds the encodings the policy requires, and none it forbids.

A repository of GGUF weights offers one file per encoding (`Q4_K_M`, `Q8_0`, `F16`, ...), and an
organisation may promise its users a set of them, or keep unquantized files off its Hub. This
rule reads each file's encoding where it is the truth, in its header's `general.file_type`, not
in its name (whether the name says the same is `gguf/file-name`'s business):

- a file whose encoding the policy forbids is reported on that file;
- each encoding the policy requires that no file of the folder has is reported once, on the
  folder's first GGUF file. The shards of a split model are one file: llama.cpp writes the
  encoding into the first shard's header.

Configure with `gguf.encodings` in the policy: `required` and `forbidden` lists of encodings as
llama.cpp names them; a plain list is short for `required`. By default nothing is required. A
folder without `.gguf` files is not judged, nor is a file whose header has no
`general.file_type`, nor a multimodal model's vision projector (`mmproj-*.gguf`, architecture
`clip`), which sits beside the model in whatever encoding it needs. A required encoding is
reported missing only when the encoding of every GGUF file of the folder is known: a git-LFS
pointer or a header that cannot be read (`artifacts/unavailable`, `artifacts/corrupt`) may be
the file that holds it.

Passing (`encodings: [Q4_K_M, Q8_0]`): `model-Q4_K_M.gguf` and `model-Q8_0.gguf`, each
header saying so

Failing (`encodings: {required: [Q4_K_M, Q8_0], forbidden: [F32]}`): `model-Q4_K_M.gguf` alone
(no `Q8_0`); a `model-F32.gguf` beside them
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from ..artifacts.gguf import GgufFacts

ID = "gguf/encodings"
SEVERITY = "error"
SUBJECT = "folder"

def check(facts: Facts) -> Iterator[Problem]:
    policy = facts.policy.gguf
    if not (policy.required_encodings or policy.forbidden_encodings):
        return
    from ..artifacts.gguf import PROJECTORS

    judged = [found for found in facts.gguf if found.architecture not in PROJECTORS]
    if not judged:
        return
    forbidden = set(policy.forbidden_encodings)
    for found in judged:
        if found.file_type in forbidden and not found.continues:
            yield Problem(f"`{os.path.basename(found.file)}` is encoded `{found.file_type}`, which the policy "
                          "forbids (gguf: encodings: forbidden)", file=found.file)
    held = {found.file_type for found in judged}
    missing = [encoding for encoding in policy.required_encodings if encoding not in held]
    if missing and _every_encoding_known(facts, judged):
        for encoding in missing:
            yield Problem(f"no GGUF file here is encoded `{encoding}`, which the policy requires "
                          "(gguf: encodings: required)", file=judged[0].file)


def _every_encoding_known(facts: Facts, judged: list[GgufFacts]) -> bool:
    """Every `.gguf` file of the folder was read, and each file (each set of shards) names its encoding."""
    names = [name for name in facts.files if name.lower().endswith(".gguf")]
    if len(names) > len(facts.gguf):
        return False
    return all(found.file_type is not None or found.continues for found in judged)
