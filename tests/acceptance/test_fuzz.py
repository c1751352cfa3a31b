"""The fuzz test (issue 10, point 7): whatever a model folder and a policy hold, a check ends
with exit code 0, 1 or 2, never a traceback; its JSON and SARIF follow their schemas, and its
text and messages hold no control character but their line breaks.

Hypothesis builds a real model folder for each example, in a fresh temporary folder: a README.md
whose front matter holds any YAML value in any card field (and hostile YAML: alias bombs, deep
nesting, tags, huge integers, bad dates), a config.json of any JSON (NaN, Infinity, integers of
5,000 digits, wrong types where counts and names belong), safetensors files with any header
(valid, inconsistent, not JSON, a length that lies), an index naming any shards, an
adapter_config.json, and a policy built from the schema's main keys, runaway patterns included,
valid or not. Any of these files may be a FIFO, a folder or a dangling link instead.

The command runs in this process (``cli.main``), its standard streams redirected: a process per
example would make the suite slow for nothing, since ``main`` writes through ``sys.stdout`` and
``sys.stderr`` as they are when it runs. An exit code of 3 is a failure here: it means a rule
crashed. The number of cases is the Hypothesis profile's: 100 in the everyday suite (a few
seconds), 2,000 with ``HYPOTHESIS_PROFILE=long`` (tests/conftest.py). Each case runs under an
alarm: a hang guard, not a speed test (benchmarks/bench_hostile.py times the worst cases).

The last tests run the real command in a subprocess on the hostile corner cases that other tests
do not already run end to end.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
import yaml
from guards import hfname_guard, no_hang
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from hfname_guard.cli import main
from hfname_guard.errors import YamlError
from hfname_guard.rules import all_rules
from hfname_guard.yamlsource import load_yaml

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the hang guard is POSIX's alarm")

ROOT = Path(__file__).resolve().parents[2]
REPORT_VALIDATOR = jsonschema.Draft202012Validator(
    json.loads((ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8")))
SARIF_VALIDATOR = jsonschema.Draft4Validator(
    json.loads((ROOT / "tests" / "fixtures" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")))

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                         "\ud800-\udfff]")
"""What must not reach a terminal or a log: every control but the line break, the bidirectional
marks, and lone surrogates (which a UTF-8 stream cannot even write)."""

HANG_GUARD = 60
"""Seconds one case may run before it counts as hung; cases take milliseconds."""
FUZZ = settings(deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])

# ----- JSON, written as text: integers past Python's digit limit, NaN and Infinity -------------

HUGE_INTEGER = "9" * 5_000
"""More digits than ``int()`` reads (4,300): json.dumps could not even write it."""


def json_object(members: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{json.dumps(key)}: {value}" for key, value in members) + "}"


def json_array(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


JSON_SCALARS = st.one_of(
    st.sampled_from(["null", "true", "false", "0", "-0", "1e999", "NaN", "Infinity", "-Infinity", HUGE_INTEGER,
                     f"-{HUGE_INTEGER}", f"{HUGE_INTEGER}.5", "18446744073709551616", '"\\ud800"',
                     '"\\u0000\\u001b[2J\\r\\u202e"']),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(json.dumps),  # nan and inf become NaN and Infinity
    st.text(max_size=16).map(json.dumps),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4).map(json_array)
    | st.lists(st.tuples(st.text(max_size=8), inner), max_size=4).map(json_object),
    max_leaves=12,
)


def members(typical: dict[str, st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
    """A JSON object: typical values under known keys (a plausible file), or known keys with
    any JSON mixed with unknown keys."""
    plausible = st.fixed_dictionaries({}, optional=typical).map(lambda values: json_object(list(values.items())))
    known = st.sampled_from(sorted(typical)).flatmap(lambda key: st.tuples(st.just(key), typical[key] | JSON_VALUES))
    unknown = st.tuples(st.text(max_size=12), JSON_VALUES)
    return plausible | st.lists(st.one_of(known, known, unknown), max_size=8).map(json_object)


def json_file(content: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """A JSON file as written (most often), cut short, of another type, or not text at all."""
    return st.one_of(
        content.map(str.encode),
        content.map(str.encode),
        content.map(lambda text: text[: len(text) // 2].encode()),
        JSON_VALUES.map(str.encode),
        st.binary(max_size=40),
    )


def strings(*values: str) -> st.SearchStrategy[str]:
    return st.sampled_from([json.dumps(value) for value in values])


CONFIG = members({
    "model_type": strings("llama", "bert", "gpt2", "mistral", "t5", "qwen2", "", "LLAMA", "no-such-type"),
    "architectures": st.sampled_from(['["LlamaForCausalLM"]', '["BertModel"]', "[]", '[""]', '"LlamaForCausalLM"']),
    "hidden_size": strings("768") | st.sampled_from(["768", "4096", "0", "-1", "true", "1.5"]),
    "num_hidden_layers": st.sampled_from(["12", "32", "0", "-3"]),
    "num_attention_heads": st.sampled_from(["12", "32", "0"]),
    "vocab_size": st.sampled_from(["32000", "30522", "0"]),
    "n_layer": st.sampled_from(["12", "48"]),
    "d_model": st.sampled_from(["512", "1024"]),
    "num_parameters": st.sampled_from(["7000000000", "110000000", "-5"]),
    "torch_dtype": strings("float16", "bfloat16", "float32", "int8"),
    "quantization_config": st.sampled_from(['{"quant_method": "gptq"}', '{"quant_method": 4}', '"gptq"', "{}"]),
    "load_in_4bit": st.sampled_from(["true", "false", '"yes"']),
})
ADAPTER = members({
    "peft_type": strings("LORA", "PREFIX_TUNING", "lora", ""),
    "r": st.sampled_from(["8", "0", "-1", "16.0"]),
    "base_model_name_or_path": strings("meta-llama/Llama-3.1-8B", "bert-base-uncased", "/abs/path", "a/b/c", ""),
    "target_modules": st.sampled_from(['["q_proj", "v_proj"]', '"all-linear"', "[1, 2]"]),
})

# ----- safetensors headers -----------------------------------------------------------------------

DTYPE_BYTES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I8": 1, "U8": 1, "BOOL": 1}
TENSOR_NAMES = [
    "model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.0.mlp.experts.0.w1.weight",
    "lm_head.weight", "h.0.attn.c_attn.weight", "bert.encoder.layer.0.attention.self.query.weight",
    "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "encoder.block.0.layer.0.SelfAttention.q.weight",
]
SHARDS = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
DIMENSIONS = st.sampled_from([0, 1, 2, 3, 64, 768, 4096, 32000])


@st.composite
def valid_header(draw: st.DrawFn) -> tuple[bytes, int]:
    """A header whose tensors fill the data region exactly, as the safetensors library writes it."""
    header: dict[str, object] = {}
    if draw(st.booleans()):
        header["__metadata__"] = draw(st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3))
    offset = 0
    names = draw(st.lists(st.sampled_from(TENSOR_NAMES) | st.text(max_size=12), max_size=6, unique=True))
    for name in names:
        dtype = draw(st.sampled_from(sorted(DTYPE_BYTES)))
        shape = draw(st.lists(DIMENSIONS, max_size=2))
        size = DTYPE_BYTES[dtype]
        for dimension in shape:
            size *= dimension
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    return json.dumps(header).encode(), offset


TENSOR = st.tuples(
    st.sampled_from(TENSOR_NAMES) | st.text(max_size=8),
    st.builds(lambda dtype, shape, offsets: json_object([("dtype", dtype), ("shape", shape), ("data_offsets", offsets)]),
              strings(*DTYPE_BYTES, "F8_E4M3", "X9", "") | JSON_VALUES,
              st.lists(st.integers(-2, 2**65).map(str) | JSON_SCALARS, max_size=4).map(json_array) | JSON_VALUES,
              st.lists(st.integers(-2, 2**65).map(str), max_size=3).map(json_array) | JSON_VALUES),
)
ANY_HEADER = st.one_of(
    st.tuples(st.lists(TENSOR, max_size=4).map(json_object).map(str.encode), st.integers(0, 1 << 20)),
    st.tuples(JSON_VALUES.map(str.encode) | st.binary(max_size=40), st.integers(0, 64)),
)


@st.composite
def safetensors_file(draw: st.DrawFn) -> bytes | tuple[bytes, int]:
    """The bytes before the data region and the data region's size (the file is extended sparse
    to it), or bytes alone for a file shorter than its length field."""
    header, data_size = draw(st.one_of(valid_header(), valid_header(), ANY_HEADER))
    length = draw(st.sampled_from([len(header)] * 4 + [0, len(header) + 1, max(len(header) - 1, 0), 2**63,
                                                       100_000_001]))
    prefix = length.to_bytes(8, "little") + header
    if draw(st.integers(0, 9)) == 0:
        return prefix[: draw(st.integers(0, len(prefix)))]
    return prefix, data_size


INDEX = members({
    "weight_map": st.lists(
        st.tuples(st.sampled_from(TENSOR_NAMES) | st.text(max_size=8),
                  strings(*SHARDS, "model.safetensors", "model-00003-of-00003.safetensors", "../outside.safetensors",
                          "/etc/passwd", "sub/../model-00001-of-00002.safetensors", "") | JSON_VALUES),
        max_size=6,
    ).map(json_object),
    "metadata": st.sampled_from(['{"total_size": 1000}', '{"total_size": -1}', '{"total_size": "12"}', "[]"])
    | JSON_VALUES.map(lambda value: json_object([("total_size", value)])),
})

# ----- model cards ---------------------------------------------------------------------------------

YAML_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(),
    st.text(max_size=16), st.dates(), st.datetimes(), st.binary(max_size=6),
)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.integers() | st.none(), inner,
                                                                max_size=4),
    max_leaves=10,
)
CARD_VALUES = {
    "license": st.sampled_from(["mit", "apache-2.0", "apache2", "other", "llama3.1", "MIT", ""]),
    "language": st.lists(st.sampled_from(["en", "fr", "zh", "eng", "xx", "english", "en-US", ""]), max_size=4),
    "pipeline_tag": st.sampled_from(["text-generation", "fill-mask", "text2text-generation", "txt-gen"]),
    "library_name": st.sampled_from(["transformers", "peft", "gguf", "diffusers", "transformer"]),
    "base_model": st.sampled_from(["meta-llama/Llama-3.1-8B", "bert-base-uncased", "acme/llama-7b", "a/b/c"]),
    "base_model_relation": st.sampled_from(["adapter", "merge", "quantized", "finetune", "fork"]),
    "tags": st.lists(st.sampled_from(["northwind", "nlp", "llama", ""]), max_size=3),
    "datasets": st.lists(st.sampled_from(["HuggingFaceFW/fineweb", "squad", "a/b/c"]), max_size=3),
    "model-index": st.just([{"name": "x", "results": [{"task": {"type": "text-generation"}, "metrics": []}]}]),
    "license_name": st.just("my-license-1.0"),
    "license_link": st.just("LICENSE"),
}


def alias_bomb() -> str:
    """Billion laughs: 9 levels, each a list of 9 aliases of the level below."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]" for level in range(1, 9)]
    return "\n".join(lines) + "\n"


HOSTILE_YAML = [
    alias_bomb(),
    "deep: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "deep:\n" + "- " * 1_000 + "x\n",
    "".join(" " * level + f"k{level}:\n" for level in range(300)),
    "evil: !!python/object/apply:os.system ['echo pwned']\n",
    f"big: {HUGE_INTEGER}\n",
    f"language: [{HUGE_INTEGER}]\n",
    "released: 2027-02-30\n",
    "loop: &loop [*loop]\n",
    "base: &base {license: mit}\nmerged:\n  <<: *base\n",
    "license: mit\nlicense: apache-2.0\n",
    "? [a, b]\n: c\n",
    "[license]: mit\n",
    "~: null\n1: one\n",
    "language: !!binary aGVsbG8=\n",
    "\tlicense: mit\n",
    "language: [" + ", ".join(f"zq{n}" for n in range(500)) + "]\n",
    "license: *undefined\n",
    "%YAML 1.1\n",
    "license: 'unclosed\n",
    "pipeline_tag: \"\\e]0;title\\a\\u202e\\x85\"\n",
]
"""What a hostile card adds to its metadata: what hurts YAML loaders, what types oddly, what prints oddly."""


@st.composite
def card_text(draw: st.DrawFn) -> bytes:
    """A README.md: metadata of card fields and other keys with any YAML values, hostile YAML
    after them, framed as the Hub reads it or not (unclosed, no block, a BOM, CRLF), or bytes."""
    keys = draw(st.lists(st.one_of(st.sampled_from(sorted(CARD_VALUES)), st.sampled_from(sorted(CARD_VALUES)),
                                   st.text(max_size=10)), max_size=8, unique=True))
    metadata = {key: draw(CARD_VALUES[key] | YAML_VALUES if key in CARD_VALUES else YAML_VALUES) for key in keys}
    block = yaml.safe_dump(metadata, allow_unicode=draw(st.booleans()), default_flow_style=draw(st.booleans()),
                           sort_keys=False) if metadata else ""
    block += "".join(draw(st.lists(st.sampled_from(HOSTILE_YAML), max_size=2)))
    body = draw(st.text(max_size=40))
    framed = f"---\n{block}---\n{body}"
    text = draw(st.sampled_from([framed, framed, framed, f"---\n{block}", body, f"\ufeff---\n{block}---\n"]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text.encode() if draw(st.integers(0, 9)) else draw(st.binary(max_size=60))


# ----- policies ------------------------------------------------------------------------------------

RULE_IDS = [rule.ID for rule in all_rules()]
RUNAWAY = [r"(a+)+b", r"(\d+\.?)+", r"(x|x)*y", r"a*a*a*a*b", r"(.*a){12}"]
SAFE = [r"\d+(\.\d+)*", r"v?\d+", r"(alpha|beta|rc)\d*", r"[a-z]+(-[a-z]+)*", r"q[2-8](_k(_[sml])?)?", r"(\w+)-\1"]
BROKEN = ["(", "[a-", "*", "(?P<x>a)(?P<x>b)", "\\", "(" * 1_000 + "1" + ")" * 1_000]
TEMPLATES = ["{architecture}-{parameters}[-{variant}][-{language}]-v{version}", "{architecture}[-{size}][-{task}]",
             "{architecture}-{custom}", "{custom}[-{variant}]", "{architecture}_{parameters}", "x-{version}"]
TEMPLATE_PIECES = ["{architecture}", "{size}", "{parameters}", "{task}", "{language}", "{version}", "{variant}",
                   "{custom}", "-", "-v", "_", "[-{variant}]", "[-{task}[-{language}]]", "[", "]", "{", "\\{", "x"]


def policies(hostile: bool) -> st.SearchStrategy[dict[str, object]]:
    """A policy of the schema's main keys: valid values, or (``hostile``) any of them wrong too:
    runaway, broken and random patterns, unknown rules and severities, bad dates, odd templates."""

    def pick(valid: Sequence[object], invalid: Sequence[object]) -> st.SearchStrategy[object]:
        return st.sampled_from([*valid, *invalid] if hostile else valid)

    def some(valid: Sequence[object], invalid: Sequence[object], size: int = 3) -> st.SearchStrategy[list[object]]:
        return st.lists(pick(valid, invalid), max_size=size, unique_by=repr)

    namespaces = some(["acme", "northwind", "Qwen", "a"], ["bad name", "-x", "a" * 97, ""])
    pattern = pick(SAFE, RUNAWAY + BROKEN) | (st.text(max_size=10) if hostile else st.nothing())
    field_spec = st.one_of(
        st.fixed_dictionaries({"enum": some(["chat", "base", "instruct", "a-b", "1"], ["", "chat chat"]).filter(bool)}),
        st.fixed_dictionaries({"pattern": pattern}),
        st.fixed_dictionaries({"vocabulary": pick(["architectures", "sizes", "tasks", "versions"], ["colours"])}),
    )
    template = pick(TEMPLATES, []) | (st.lists(st.sampled_from(TEMPLATE_PIECES), max_size=8).map("".join)
                                      | st.text(max_size=20) if hostile else st.nothing())
    name = st.fixed_dictionaries({}, optional={
        "template": template,
        "fields": st.dictionaries(pick(["variant", "custom"], ["Bad", "x-y"]), field_spec, max_size=2),
        "case": pick(["lower", "upper", "as-is"], ["title"]),
        "separator": pick(["-", "_", "."], ["/"]),
        "max-length": st.integers(1, 96) | (st.integers(-1, 200) if hostile else st.nothing()),
        "forbidden-words": some(["test", "tmp", "my-model", "final"], ["", "-"]),
        "must-contain": some(["architectures", "parameter-counts", "languages"], ["colours"], size=2),
    })
    card = st.fixed_dictionaries({}, optional={
        "required": some(["license", "pipeline_tag", "language", "base_model", "model-index"], ["bad key!"]),
        "licenses": some(["mit", "apache-2.0", "other"], [""]),
        "languages": some(["en", "fr"], ["xx"]),
        "pipeline-tags": some(["text-generation", "fill-mask"], ["nope"]),
        "library-names": some(["transformers", "peft"], ["nope"]),
        "tags": some(["northwind", "nlp"], []),
        "base-model": st.fixed_dictionaries({"namespaces": namespaces}),
    })
    selectors = pick(RULE_IDS + ["name/*", "card/*"], ["bogus/rule", "NAME/case", "name"])
    waiver = st.fixed_dictionaries(
        {"repo-id": pick(["acme/*", "*", "acme/llama-7b-chat-v1"], ["acme/llama-[", ""]),
         "rules": st.lists(selectors, min_size=0 if hostile else 1, max_size=2),
         "reason": pick(["legacy (NW-142)"], [""])},
        optional={"expires": pick(["2999-01-01", "2000-01-01"], ["2027-02-30", "soon"])},
    )
    return st.fixed_dictionaries({"version": pick([1], [2, "1", None])}, optional={
        "extends": pick(["default", "hub", ["default", "hub"]], ["missing.yaml", [], "../outside.yaml", "x"]),
        "namespaces": namespaces,
        "targets": pick([{"*": "acme/{dir}"}], [{"models/*": "{dir}"}, {"/abs": "x"}, {"*": "acme/{dir}/{x}"}]),
        "name": name,
        "card": card,
        "consistency": st.fixed_dictionaries({"size-tolerance": st.floats(0, 10) | (
            st.floats() | st.integers(-1, 20) if hostile else st.nothing())}),
        "rules": st.dictionaries(selectors, pick(["error", "warning", "info", "off"], ["fatal", ""]), max_size=4),
        "waivers": st.lists(waiver, max_size=2),
    })


def as_yaml(policy: object) -> bytes:
    return yaml.safe_dump(policy, allow_unicode=True).encode()


POLICY_FILES = st.one_of(
    st.none(),  # the built-in default
    policies(hostile=False).map(as_yaml),
    policies(hostile=False).map(as_yaml),
    policies(hostile=True).map(as_yaml),
    st.one_of(
        YAML_VALUES.map(as_yaml),
        st.sampled_from(HOSTILE_YAML).map(lambda text: f"version: 1\n{text}".encode()),
        st.binary(max_size=30),
    ),
)
"""No policy, a valid one (most often), one with anything wrong, or no policy at all."""


# ----- one model folder ----------------------------------------------------------------------------

SPECIAL_FILES: dict[str, Callable[[str], None]] = {
    "fifo": os.mkfifo,
    "folder": os.mkdir,
    "dangling-link": lambda path: os.symlink("nowhere", path),
    "dev-zero": lambda path: os.symlink("/dev/zero", path),
}
"""What a model file may be instead of a file (rarely): none of them may block or crash a check."""


@dataclass
class ModelCase:
    """What one example writes and runs; its repr is what Hypothesis shows for a failure."""

    folder: str
    files: dict[str, bytes | tuple[bytes, int] | str]
    """File name to content, to the bytes before a sparse data region and its size, or to one of SPECIAL_FILES."""
    links: list[str]
    """Names hard-linked to the first safetensors file."""
    policy: bytes | None
    command: str
    """`check` a folder, `hook` its files, or `name-only`: `check` with no folder."""
    repo_id: str | None
    fail_on: str


REPORTS = "reports"
RESERVED = {".", "..", REPORTS, ".hfname-guard.yaml"}
"""Names the case's root folder holds besides the model folder."""
REAL_NAMES = st.sampled_from(["llama-7b-chat-v1", "llama-3.1-8b-instruct-lora", "bert-base-uncased", "gpt2-1.5b",
                              "Mixtral-8x7B-Instruct-v0.1", "qwen-1.5b-gguf", "mistral-7b-awq", "t5-small-en-fr"])
FOLDER_NAMES = st.one_of(
    REAL_NAMES,
    REAL_NAMES,
    st.sampled_from(["test", "my-model", "lamma-8b", "-x", "model-\udcff\udcfe", "evil\x1b[2Jname\r\x07\u202eexe"]),
    st.text(st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=30)
    .filter(lambda name: name not in RESERVED and len(name.encode()) <= 200),
)
REPO_IDS = st.one_of(
    st.none(),
    st.sampled_from(["acme/llama-7b-chat-v1", "northwind/llama-8b-chat-en-v1", "llama-7b", "acme/", "/x", "a/b/c",
                     "acme/" + "a" * 97, "acme/llama\udcff", "acme/ll\u0430ma-7b", ""]),
    st.text(max_size=40),
    st.integers(100, 100_000).map(lambda length: "acme/" + "a" * length),
)


@st.composite
def model_cases(draw: st.DrawFn) -> ModelCase:
    files: dict[str, bytes | tuple[bytes, int] | str] = {}
    optional = {"README.md": card_text(), "config.json": json_file(CONFIG), "adapter_config.json": json_file(ADAPTER),
                "model.safetensors.index.json": json_file(INDEX)}
    for name, content in optional.items():
        if draw(st.booleans()):
            files[name] = draw(content)
    weights = draw(st.sampled_from([[], ["model.safetensors"], SHARDS, ["adapter_model.safetensors"]]))
    for name in weights:
        files[name] = draw(safetensors_file())
    for name in list(files):
        if draw(st.integers(0, 29)) == 0:
            files[name] = draw(st.sampled_from(sorted(SPECIAL_FILES)))
    links = draw(st.lists(st.sampled_from(SHARDS + ["model.safetensors", "copy.safetensors"]), max_size=2, unique=True))
    command = draw(st.sampled_from(["check", "check", "hook", "name-only"]))
    return ModelCase(
        folder=draw(FOLDER_NAMES),
        files=files,
        links=[name for name in links if name not in files] if weights else [],
        policy=draw(POLICY_FILES),
        command=command,
        repo_id=draw(REPO_IDS) if command != "hook" else None,
        fail_on=draw(st.sampled_from(["error", "warning", "never"])),
    )


def write_file(path: str, content: bytes | tuple[bytes, int] | str) -> None:
    if isinstance(content, str):
        SPECIAL_FILES[content](path)
        return
    prefix, data_size = content if isinstance(content, tuple) else (content, 0)
    with open(path, "wb") as handle:
        handle.write(prefix)
        handle.truncate(len(prefix) + data_size)  # sparse: no disk blocks for the data


def write_case(root: str, case: ModelCase) -> None:
    """The case's files under ``root``, and an empty folder for the reports."""
    os.mkdir(os.path.join(root, REPORTS))
    folder = os.path.join(root, case.folder)
    os.mkdir(folder)
    for name, content in case.files.items():
        write_file(os.path.join(folder, name), content)
    first = next((name for name in case.files if name.endswith(".safetensors")), None)
    if first is not None and isinstance(case.files[first], (bytes, tuple)):
        for name in case.links:
            os.link(os.path.join(folder, first), os.path.join(folder, name))
    if case.policy is not None:
        with open(os.path.join(root, ".hfname-guard.yaml"), "wb") as handle:
            handle.write(case.policy)


def arguments(case: ModelCase, root: str) -> list[str]:
    """The command line, run in ``root``: every format, text on standard output and the rest to files."""
    relative = os.path.join(".", case.folder)  # a folder named `-x` is no option
    if case.command == "hook":
        argv = ["hook", *sorted(os.path.join(relative, name) for name in os.listdir(os.path.join(root, case.folder)))]
    elif case.command == "name-only":
        argv = ["check"]
    else:
        argv = ["check", relative]
    if case.repo_id is not None:
        argv.append(f"--repo-id={case.repo_id}")
    argv += ["--fail-on", case.fail_on, "--format", "text"]
    for name in ("json", "sarif", "markdown", "github"):
        argv += ["--format", f"{name}={os.path.join(REPORTS, name)}"]
    return argv


# ----- running and judging -------------------------------------------------------------------------


def run_in_process(argv: list[str], cwd: str) -> tuple[int, str, str]:
    """``hfname-guard ARGV`` in ``cwd``, as ``python -m hfname_guard`` would run it, in this process."""
    stdout, stderr = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        with no_hang(HANG_GUARD), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(argv)
            except SystemExit as exit:  # argparse refusing the command line
                code = exit.code if isinstance(exit.code, int) else 2
    finally:
        os.chdir(previous)
    return code, stdout.getvalue(), stderr.getvalue()


def assert_printable(text: str, what: str) -> None:
    assert not RAW_CONTROL.search(text), f"{what} holds {sorted(set(RAW_CONTROL.findall(text)))}"


def assert_sound_reports(out: str, code: int, fail_on: str) -> None:
    """JSON and SARIF valid, Markdown and annotations printable, and the exit code the report's."""
    with open(os.path.join(out, "json"), encoding="utf-8") as handle:
        report = json.load(handle)
    REPORT_VALIDATOR.validate(report)
    with open(os.path.join(out, "sarif"), encoding="utf-8") as handle:
        SARIF_VALIDATOR.validate(json.load(handle))
    for name in ("markdown", "github"):
        with open(os.path.join(out, name), encoding="utf-8") as handle:
            assert_printable(handle.read(), name)
    summary = report["summary"]
    failing = {"error": summary["error"], "warning": summary["error"] + summary["warning"], "never": 0}[fail_on]
    assert code == (1 if failing else 0), (code, summary)


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Outside GitHub Actions, with a validation cache of the module's own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HFNAME_GUARD_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        patch.delenv("GITHUB_ACTIONS", raising=False)
        patch.setenv("NO_COLOR", "1")
        yield


@pytest.mark.usefixtures("environment")
@FUZZ
@given(case=model_cases())
def test_any_model_folder_and_policy_give_a_verdict_or_a_usage_error(case: ModelCase) -> None:
    with tempfile.TemporaryDirectory(prefix="hg-fuzz-") as root:
        write_case(root, case)
        argv = arguments(case, root)
        note(f"argv: {argv}")
        code, stdout, stderr = run_in_process(argv, root)
        note(f"exit {code}\nstdout: {stdout[:2000]!r}\nstderr: {stderr[:2000]!r}")
        event(f"exit code {code}")
        assert "Traceback" not in stdout + stderr
        assert code in (0, 1, 2), f"exit code {code}: {stderr}"
        assert_printable(stdout, "standard output")
        assert_printable(stderr.replace("\n", ""), "standard error")
        out = os.path.join(root, REPORTS)
        if code == 2:
            assert stdout == "" and stderr, "a usage or policy error is said on standard error, and only there"
            assert os.listdir(out) == [], "nothing is reported about a check that did not run"
        else:
            assert_sound_reports(out, code, case.fail_on)


# ----- the real command on the worst cases ------------------------------------------------------



def hostile_folder(folder: Path) -> None:
    """Every file of a model folder at its worst at once: a card of many unknown languages, a
    huge integer and a bad date; a config of a 5,000-digit integer and NaN; one safetensors
    header under 300 names; an index naming those and 100,000 missing shards; an adapter config
    that is not JSON."""
    folder.mkdir()
    codes = ", ".join(f"zq{n}" for n in range(5_000))
    (folder / "README.md").write_text(f"---\nlicense: mit\nlanguage: [{codes}]\nbig: {HUGE_INTEGER}\n"
                                      "released: 2027-02-30\n---\n", encoding="utf-8")
    (folder / "config.json").write_text(f'{{"model_type": "llama", "hidden_size": {HUGE_INTEGER}, '
                                        '"num_hidden_layers": NaN, "vocab_size": Infinity}', encoding="utf-8")
    header = json.dumps({"model.embed_tokens.weight": {"dtype": "F16", "shape": [32000, 4096],
                                                       "data_offsets": [0, 32000 * 4096 * 2]}}).encode()
    with (folder / "model-00000.safetensors").open("wb") as handle:
        handle.write(len(header).to_bytes(8, "little") + header)
        handle.truncate(8 + len(header) + 32000 * 4096 * 2)
    names = [f"model-{n:05d}.safetensors" for n in range(300)]
    for name in names[1:]:
        os.link(folder / names[0], folder / name)
    missing = [f"gone-{n:06d}.safetensors" for n in range(100_000)]
    weight_map = {f"t{n}": name for n, name in enumerate(names + missing)}
    (folder / "model.safetensors.index.json").write_text(json.dumps({"weight_map": weight_map}), encoding="utf-8")
    (folder / "adapter_config.json").write_bytes(b"\x00\xff{")


def test_the_command_reports_a_folder_hostile_in_every_file(tmp_path: Path) -> None:
    hostile_folder(tmp_path / "llama-7b")
    result = hfname_guard("check", "llama-7b", "--repo-id", "acme/llama-7b", "--format", "json=report.json",
                          "--format", "sarif=report.sarif", "--format", "text", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert_printable(result.stdout, "standard output")
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    REPORT_VALIDATOR.validate(report)
    SARIF_VALIDATOR.validate(json.loads((tmp_path / "report.sarif").read_text(encoding="utf-8")))
    rules = {finding["rule"] for finding in report["findings"]}
    assert {"card/syntax", "artifacts/corrupt"} <= rules, rules
    assert not any(rule.startswith("internal/") for rule in rules)


def test_the_command_reports_a_repo_id_of_100000_characters(tmp_path: Path) -> None:
    result = hfname_guard("check", "--repo-id", "acme/" + "a" * 100_000, "--format", "json=report.json",
                          "--format", "sarif=report.sarif", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    REPORT_VALIDATOR.validate(report)
    SARIF_VALIDATOR.validate(json.loads((tmp_path / "report.sarif").read_text(encoding="utf-8")))
    rules = {finding["rule"] for finding in report["findings"]}
    assert "repo-id/format" in rules
    assert not any(rule.startswith("internal/") for rule in rules)


# ----- what the fuzz test found ------------------------------------------------------------------


def test_a_yaml_integer_past_the_digit_limit_is_not_called_a_date() -> None:
    """PyYAML reads a YAML integer with ``int()``, which raises ValueError past Python's digit
    limit (4,300): load_yaml took it for an impossible date, and said so without a line."""
    with pytest.raises(YamlError) as raised:
        load_yaml(f"license: mit\nbig: {HUGE_INTEGER}\n")
    assert "date" not in raised.value.message, raised.value.message
    assert "5,000 digits" in raised.value.message
    assert (raised.value.line, raised.value.column) == (2, 6)
