"""The model's config.json, safetensors headers and adapter_config.json can be read.

hfname-guard reads only the small files and the headers of the weights, never the tensors: the
8-byte header length and the JSON header of each `.safetensors` file (through
`model.safetensors.index.json` for sharded models), the header of each `.gguf` file (its
metadata and tensor shapes), `config.json` and `adapter_config.json`.
A file that cannot be what it claims is reported with the reason: a header length past the end
of the file or over 100,000,000 bytes, a header that is not a JSON object, tensor offsets
outside the data or overlapping, a tensor whose shape and dtype do not take the bytes its offsets
span, an index naming missing shards or paths outside the folder, a config.json that is not a
JSON object, a `.gguf` file that does not start with `GGUF`, is of a version llama.cpp does not
read (2 and 3), or ends inside its header. Where a count belongs (`hidden_size`, the LoRA rank `r`, the index's
`metadata.total_size`, a tensor's `shape`), a float, `NaN`, `Infinity` or an integer too large
for 64 bits is reported with the key and what was expected, and an integer longer than Python's
JSON reader accepts (4,300 digits) at its line and column. An index naming thousands of missing
shards is one finding that counts them; past three broken files of a kind, one more finding
counts the rest.

Passing: a folder with a valid config.json and model.safetensors

Failing: a 7-byte model.safetensors; an index whose `weight_map` names `../other/model.safetensors`;
`"num_hidden_layers": 12.0` in config.json; a `F32` tensor of shape `[2, 3]` over 20 bytes
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "artifacts/corrupt"
SEVERITY = "error"
SUBJECT = "folder"


def check(facts: Facts) -> Iterator[Problem]:
    for problem in facts.artifact_problems:
        if problem.kind == "corrupt":
            yield Problem(problem.message, file=problem.file, line=problem.line, column=problem.column)
