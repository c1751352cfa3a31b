"""Render docs/policy.md, the policy reference, from schemas/policy.schema.json.

The schema is the single source of truth for the policy format: every key's
description, type, allowed values, default and examples come from it. This
script adds only the prose around them (introduction, annotated example,
name-template guide).

Usage::

    python docs/generate_policy_reference.py           # (re)write docs/policy.md
    python docs/generate_policy_reference.py --check   # exit 1 if docs/policy.md is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "schemas" / "policy.schema.json"
OUTPUT_PATH = ROOT / "docs" / "policy.md"

Schema = dict[str, Any]

#: Placeholder path segments for mappings whose keys are chosen by the user.
MAP_KEY_PLACEHOLDERS = {"name.fields": "<field>", "rules": "<rule-id>", "targets": "<glob>"}

INTRO = """\
A policy is a YAML file that tells hfname-guard how your organisation's model
repositories on the Hugging Face Hub must be named and what their model cards
must declare. Only `version` is required; every other key is optional. A key
that is absent is inherited from the policies named in `extends`; where none of
them sets it, the default described for that key applies. Unknown keys are
reported as errors, so a typo never silently weakens a policy.

Put the `yaml-language-server` comment shown in the first line of the example
at the top of your policy file, and editors that use the YAML language server
(such as VS Code with the Red Hat YAML extension) offer completion,
documentation on hover and validation as you type. Dates such as `expires` may
be written as bare YAML dates (`2027-03-31`) or as quoted strings."""

#: A complete, annotated policy. The tests check that it validates against the schema.
EXAMPLE_POLICY = """\
# yaml-language-server: $schema=https://raw.githubusercontent.com/hfname-guard/hfname-guard/main/schemas/policy.schema.json
version: 1                          # required; always 1

extends: default                    # start from the built-in `default` preset
                                    # (or `hub`, a path such as ../org-policy.yaml, or a list)

namespaces: [acme, acme-labs]       # models may only live under these organisations/users

targets:                            # the repo id each model folder proposes, by path
  "models/*": "acme/{dir}"          # models/llama-7b -> acme/llama-7b
  "labs/*":                         # a second organisation's folders, with rules of their own
    repo-id: "acme-labs/{dir}"
    namespaces: [acme-labs]         # instead of the namespaces above, for these folders
    name:
      template: "{architecture}-{size}-exp{version}"   # instead of name.template

exclude: [vendored/**]              # folders never checked: Hub clones, test fixtures

name:                               # the part of the repo id after the slash
  template: "{architecture}-{size}[-{variant}][-{task}][-{language}]-v{version}"
  fields:
    variant:                        # {variant} is not built in, so it is defined here
      enum: [chat, instruct]        # the values it accepts; `vocabulary: tasks` or
                                    # `pattern: "\\\\d+"` are the other ways to say so
      example: chat                 # used when showing a conforming name in messages
      description: "Fine-tuning variant"
  case: lower                       # lower | upper | as-is (the default)
  separator: "-"                    # "-", "_" or "."
  max-length: 64                    # 1 to 96; the Hub rejects names over 96 characters
  forbidden-words: [test, tmp, untitled, my-model, final]   # compared case-insensitively
  must-contain: [architectures]     # at least one architecture word in every name

card:                               # the YAML metadata at the top of README.md
  required: [license, pipeline_tag] # must be present and non-empty
  licenses: [apache-2.0, mit]       # absent: any license the Hub accepts
  languages: [en, de]               # absent: any ISO 639-1 / 639-3 code
  pipeline-tags: [text-generation]  # absent: any Hub pipeline tag
  library-names: [transformers]     # absent: any library the Hub knows
  tags: [acme]                      # every card must carry these tags
  base-model:
    namespaces: [acme, meta-llama]  # fine-tune only models from these namespaces

consistency:                        # the name against the model's own files
  size-tolerance: 0.3               # a 7b name may hold 4.9 to 9.1 billion parameters

gguf:                               # a folder's .gguf files, read from their headers
  encodings:                        # as general.file_type names them
    required: [Q4_K_M, Q8_0]        # a file of each (a list alone is short for required)
    forbidden: [F32]                # and none of these
  metadata: [general.license]       # header keys every file must fill

rules:                              # severity per rule id or family
  name/unknown-word: warning
  card/*: warning                   # every card rule: report, but as a warning

waivers:                            # exceptions for particular repositories
  - repo-id: "acme/legacy-*"        # glob on the full repo id
    rules: ["name/*"]               # the rules waived for them
    reason: "renamed in Q3; tracked in JIRA-123"
    expires: "2027-03-31"           # YYYY-MM-DD; omit for a waiver that does not expire
"""

NAME_TEMPLATES = """\
`name.template` describes the shape every model name must have. It is made of
three kinds of pieces:

- `{field}` is a named field: one value of that field, such as `llama` for
  `{architecture}`.
- `[...]` is an optional group: either everything inside it is present or none
  of it is. Groups may nest, as in `[-{task}[-{language}]]`.
- Anything else is literal text that must appear as written, such as the `-`
  separators and the `v` in `-v{version}`. Write `\\{` or `\\[` for a literal
  `{` or `[`.

These fields are built in; each takes its values from a vocabulary that ships
with hfname-guard, and none of them needs a definition:

{vocabulary_table}

Any other field must be defined under `name.fields` with at least one of
`vocabulary` (a built-in vocabulary from the table), `enum` (a list of values)
or `pattern` (a Python regular expression the whole value must match). A field
with several of them accepts a value that any one of them accepts. Values are
compared without regard to case (the case style is `name.case`'s business). The
same vocabulary names are used by `name.must-contain`.

When a name does not fit, `name/template` says where its shape breaks, or which
field holds a value its pattern rejects, and shows a conforming example; a word
missing from a field's word list (a vocabulary or an `enum`) is reported by
`name/unknown-word` with the nearest known word ("did you mean `llama`?"). A value
that another field holds instead is named for it, which guides a template that
uses the wrong field: `8b` in `{size}` is "a parameter count: use `{parameters}`
for parameter counts", `base` in `{parameters}` "a size word: use `{size}`".

For example, with the template `{architecture}-{parameters}[-{variant}]-v{version}`
and `variant` defined as `enum: [chat, instruct]`, the names `llama-7b-v1` and
`llama-7b-chat-v2.1` conform, while `llama-7b-chat` (no version) and
`llama-7b-base-v1` (`base` is not a variant) do not."""

COMBINING = """\
- **`extends`** loads the named presets and files first, in order; each later one
  overrides the earlier ones, and the file itself overrides them all. Mappings
  (`name`, `card`, `rules`, ...) merge key by key; any other value, a list
  included, is replaced whole (a list under `gguf.encodings` is its `required`
  list: it replaces the required encodings and keeps the forbidden ones). A file,
  and each file it extends in turn, must lie inside the repository: the git work
  tree that holds the policy (found from where the file really is), else the
  policy's folder. An absolute path, a `..` that
  leaves the repository, or a symbolic link (to a file or a folder on the way)
  that points out of it is a policy error, reported before the file is read, so
  a pull request's policy cannot read the runner's files.
- **The presets** split what the Hub enforces from what the naming study
  recommends. `hub` is exactly the Hub's rules: a valid repo id (`repo-id/*`,
  `name/length`) and a card the Hub can read, whose values it understands
  (`card/*`; a folder without a card is a warning). A value the Hub accepts and
  shows is never an error under it: an unknown `library_name`, a retired
  pipeline tag (`text2text-generation`, `conversational`, with the tag that
  replaced it where one did), `license: other` without `license_name` and
  `license_link`, and a value of another type that the Hub reads as the text
  meant (`language: no`, `tags: nlp`, `license: [mit]`) are at most warnings,
  licenses compare without case (`MIT` is
  `mit`), and every language code the Hub uses is known (ISO 639-1, 639-3 and
  639-5, `sh`, and tags with a script or region: `zh-Hans`, `pt-BR`, `es-419`).
  It turns `consistency/*` and `artifacts/*` off and asks nothing of the name.
  `default` extends `hub` with the naming study's rules (Jiang et al., arXiv
  2310.01642): `consistency/*` and `artifacts/*` on at their own severities (the
  name against the model's own files), an architecture word in every name
  (`name/required-word`), no placeholder words (`name/forbidden`), a card with
  `license` and `pipeline_tag` (`card/required`), and a folder without a card an
  error. A value outside a policy's own list (`card.licenses`,
  `card.library-names`, ...) is that policy's error, at the rule's severity.
- **`rules`**: a rule's own entry beats its family's (`card/license` beats
  `card/*`) within one file, and a family entry in a later file replaces what
  earlier files said of that family's rules, so `card/*: warning` relaxes every
  card rule a preset set. A rule without an entry keeps its default severity
  (`hfname-guard rules` lists them). `off` may be written bare.
- **`waivers`** hide the findings of the listed rules for the repo ids their glob
  matches, and are counted in the summary. A waiver applies through its `expires`
  day; from the next day its findings show again, each with a note naming the
  expired waiver and its reason.
- **Discovery**: without `--policy`, each model folder is judged by the nearest
  `.hfname-guard.yaml` in that folder or a folder above it (as ruff and yamllint
  find their configuration), not the working directory's: folders under
  different policies are each judged by their own in one run, and a run from
  anywhere finds the same policy for a folder. A repo id checked alone takes the
  working directory's. Where no file is found, the built-in `default` preset
  applies. `--policy FILE` judges every folder by that file. Every output names
  the policy: its file (relative to the working directory when inside it), or
  `built-in default`. It is the first line of the text output, the JSON
  report's `policy` (and each target's), a property of the SARIF run, and a line
  of the Markdown summary and the pull-request comment.
- **`targets`** entries may give their folders their own `namespaces` and
  `name.template`, which replace the policy's for the models in those folders;
  every other setting is the policy's. The first entry whose glob matches a
  folder is the one that applies.
- **`exclude`** leaves folders out, with the same globs as `targets` (relative
  to the policy file's folder; `*` matches across `/`). A folder is left out when
  it, or a folder above it, matches. The pre-commit hooks and the Action skip
  such folders among the files they are given silently; a folder named on the
  command line (or in the Action's `paths`) is reported as skipped, with the
  entry that excludes it
  (`vendored/x: skipped: excluded by .hfname-guard.yaml:7:5 (exclude: vendored/**)`),
  and in the JSON report's `skipped`.
- **Validation**: a policy is validated against the schema once per
  content; the verdict is cached (`HFNAME_GUARD_CACHE_DIR`, default
  `~/.cache/hfname-guard`; safe to delete)."""


@dataclass(frozen=True)
class Entry:
    """One documented key: its YAML path, its schema node and whether it is required."""

    path: str
    node: Schema
    required: bool


def load_schema(path: Path = SCHEMA_PATH) -> Schema:
    """Read the policy schema from *path*."""
    with path.open(encoding="utf-8") as handle:
        schema: Schema = json.load(handle)
    return schema


def resolve(schema: Schema, node: Schema) -> Schema:
    """Return *node* with local ``$ref``s inlined; keys next to ``$ref`` win."""
    ref = node.get("$ref")
    if ref is None:
        return node
    if not ref.startswith("#/"):
        raise ValueError(f"only local $refs are supported, got {ref!r}")
    target: Any = schema
    for part in ref[2:].split("/"):
        target = target[part]
    siblings = {key: value for key, value in node.items() if key != "$ref"}
    return {**resolve(schema, target), **siblings}


def iter_entries(schema: Schema, node: Schema, prefix: str = "") -> Iterator[Entry]:
    """Yield every documented key below *node*, depth first, in schema order."""
    node = resolve(schema, node)
    required = set(node.get("required", ()))
    for key, child in node.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        yield Entry(path, child, key in required)
        yield from iter_children(schema, child, path)


def iter_children(schema: Schema, node: Schema, path: str) -> Iterator[Entry]:
    """Yield the entries nested in the value at *path* (mappings, map values, list items)."""
    node = resolve(schema, node)
    if "properties" in node:
        yield from iter_entries(schema, node, path)
    values = node.get("additionalProperties")
    if isinstance(values, dict):
        entry_path = f"{path}.{MAP_KEY_PLACEHOLDERS.get(path, '<key>')}"
        yield Entry(entry_path, values, False)
        yield from iter_children(schema, values, entry_path)
    items = node.get("items")
    if isinstance(items, dict) and "properties" in resolve(schema, items):
        entry_path = f"{path}[]"
        yield Entry(entry_path, items, False)
        yield from iter_entries(schema, items, entry_path)


class _ExampleDumper(yaml.SafeDumper):
    """Block-style YAML with indented lists, except lists of plain values: ``[a, b]``."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(item, (dict, list)) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_ExampleDumper.add_representer(list, _represent_list)


def to_yaml(value: Any) -> str:
    """Dump *value* as YAML the way a person would write it in a policy."""
    text = yaml.dump(value, Dumper=_ExampleDumper, default_flow_style=False, sort_keys=False, width=10_000)
    return text.removesuffix("...\n")


def code(value: Any) -> str:
    """Format *value* as inline code, quoted as YAML needs it (``'off'``, ``'-'``)."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10_000, sort_keys=False)
    return "`" + text.removesuffix("\n...\n").strip() + "`"


def type_name(schema: Schema, node: Schema, plural: bool = False) -> str:
    """A reader-friendly name for the type of *node*, such as ``list of strings``."""
    node = resolve(schema, node)
    if "type" not in node and "anyOf" in node:
        return " or ".join(type_name(schema, branch, plural) for branch in node["anyOf"])
    kind = node.get("type")
    if isinstance(kind, list):  # ["string", "object"]: one of several shapes
        return " or ".join(type_name(schema, {**node, "type": one}, plural) for one in kind)
    if kind == "array":
        inner = type_name(schema, node.get("items", {}), plural=True)
        return "lists of " + inner if plural else "list of " + inner
    word = {"object": "mapping", "string": "string", "integer": "integer"}.get(kind, "value")
    return word + "s" if plural else word


def constraints(schema: Schema, node: Schema) -> list[str]:
    """Describe the values *node* allows, one phrase per constraint."""
    node = resolve(schema, node)
    out: list[str] = []
    if "const" in node:
        out.append(f"exactly {code(node['const'])}")
    if "enum" in node:
        out.append("one of " + ", ".join(code(value) for value in node["enum"]))
    if "format" in node:
        out.append(f"a {node['format']}")
    if "pattern" in node:
        out.append(f"matches the regular expression `{node['pattern']}`")
    if "minimum" in node and "maximum" in node:
        out.append(f"from {node['minimum']} to {node['maximum']}")
    if node.get("minLength") == 1:
        out.append("not empty")
    if "minItems" in node:
        out.append(f"at least {node['minItems']} item" + ("" if node["minItems"] == 1 else "s"))
    if node.get("uniqueItems"):
        out.append("no repeated items")
    if node.get("required"):
        out.append("must contain " + ", ".join(code(key) for key in node["required"]))
    branches = node.get("anyOf", [])
    if branches and all(set(branch) == {"required"} for branch in branches):
        keys = [key for branch in branches for key in branch["required"]]
        out.append("must contain at least one of " + ", ".join(code(key) for key in keys))
    elif branches:
        out.append(", or ".join(describe_branch(schema, branch) for branch in branches))
    for keyword, label in (("propertyNames", "keys"), ("items", "each item")):
        sub = node.get(keyword)
        if isinstance(sub, dict) and "properties" not in resolve(schema, sub):
            if parts := constraints(schema, sub):
                out.append(f"{label}: " + "; ".join(parts))
    values = node.get("additionalProperties")
    if isinstance(values, dict) and (parts := constraints(schema, values)):
        out.append("values: " + "; ".join(parts))
    return out


def describe_branch(schema: Schema, branch: Schema) -> str:
    """Describe one ``anyOf`` alternative: its type (if it has one) and its constraints."""
    parts = "; ".join(constraints(schema, branch))
    if "type" not in resolve(schema, branch):
        return parts
    kind = type_name(schema, branch)
    return f"{kind} ({parts})" if parts else kind


def example_block(entry: Entry, example: Any) -> str:
    """Render one example as a fenced YAML snippet, keyed as it is in a policy.

    Keys chosen by the user keep their placeholder (``<field>:``); list items become ``- ...``.
    """
    key = entry.path.rsplit(".", 1)[-1]
    document = [example] if key.endswith("[]") else {key: example}
    return f"```yaml\n{to_yaml(document)}```"


def render_entry(schema: Schema, entry: Entry) -> str:
    """Render the reference section of one key."""
    node = resolve(schema, entry.node)
    description = node.get("markdownDescription", node["description"])
    lines = [
        f"### `{entry.path}`",
        "",
        f"**{node['title']}.** {description}",
        "",
        f"- **Type:** {type_name(schema, node)}",
    ]
    if entry.required:
        lines.append("- **Required:** yes")
    if allowed := constraints(schema, node):
        lines.append("- **Allowed values:** " + "; ".join(allowed))
    if "default" in node:
        lines.append(f"- **Default:** {code(node['default'])}")
    examples = node.get("examples", [])
    if examples:
        lines += ["", "Examples:" if len(examples) > 1 else "Example:"]
        for example in examples:
            lines += ["", example_block(entry, example)]
    return "\n".join(lines)


def vocabulary_table() -> str:
    """The built-in template fields, described by the vocabularies hfname-guard itself uses."""
    from hfname_guard.names.vocabularies import FIELD_DEFAULTS, vocabulary

    rows = ["| Field | Vocabulary | Values |", "| --- | --- | --- |"]
    for field, name in FIELD_DEFAULTS.items():
        known = vocabulary(name)
        size = f" ({len(known.words):,} words)" if known.is_word_list else ""
        rows.append(f"| `{{{field}}}` | `{name}` | {known.summary}{size} |")
    return "\n".join(rows)


def rule_ids_table() -> str:
    """The rule ids `rules` and waivers may name, by family, from hfname-guard's rule registry."""
    from hfname_guard.rules import all_rules

    families: dict[str, list[str]] = {}
    for rule in all_rules():
        if rule.SUBJECT != "internal":
            families.setdefault(rule.ID.split("/", 1)[0], []).append(rule.ID)
    rows = ["| Family | Rule ids |", "| --- | --- |"]
    rows += [f"| `{family}/*` | {', '.join(f'`{rule_id}`' for rule_id in ids)} |" for family, ids in families.items()]
    return "\n".join(rows)


RULE_IDS = """\
The keys of `rules` and the entries of a waiver's `rules` name a rule or a whole
family. A name that matches none of them is a policy error, reported at its line
and column with the nearest known name ("did you mean `consistency/size`?"), so a
typo never silently leaves a rule on. `internal/rule-error`, which reports that a
rule failed to run, cannot be configured or waived. Each rule is documented in
[rules.md](rules.md).

{rule_ids_table}"""


def render(schema: Schema) -> str:
    """Render the complete policy reference as Markdown."""
    parts = [
        "<!-- Generated by docs/generate_policy_reference.py from schemas/policy.schema.json."
        " Do not edit by hand. -->",
        "# Policy reference",
        INTRO,
        "## Example policy",
        f"```yaml\n{EXAMPLE_POLICY}```",
        "## Name templates",
        NAME_TEMPLATES.replace("{vocabulary_table}", vocabulary_table()),
        "## How policies combine",
        COMBINING,
        "## Rule ids",
        RULE_IDS.replace("{rule_ids_table}", rule_ids_table()),
        "## Keys",
        "Every key of a version 1 policy, in the order of the example. `<field>` and "
        "`<rule-id>` stand for keys you choose; `[]` marks the items of a list.",
    ]
    parts += [render_entry(schema, entry) for entry in iter_entries(schema, schema)]
    return "\n\n".join(parts) + "\n"


def check(schema_path: Path | None = None, output_path: Path | None = None) -> bool:
    """Return True if the reference (default: docs/policy.md) matches what the schema renders to."""
    schema_path = schema_path or SCHEMA_PATH
    output_path = output_path or OUTPUT_PATH
    expected = render(load_schema(schema_path))
    try:
        actual = output_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return actual == expected


def _display(path: Path) -> str:
    """*path* relative to the repository root when it lies inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(description="Render docs/policy.md from schemas/policy.schema.json.")
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if docs/policy.md is out of date",
    )
    args = parser.parse_args(argv)
    if args.check:
        if check(SCHEMA_PATH, OUTPUT_PATH):
            return 0
        print(
            f"{_display(OUTPUT_PATH)} is out of date with {_display(SCHEMA_PATH)}; "
            "run `python docs/generate_policy_reference.py` and commit the result.",
            file=sys.stderr,
        )
        return 1
    OUTPUT_PATH.write_text(render(load_schema(SCHEMA_PATH)), encoding="utf-8")
    print(f"wrote {_display(OUTPUT_PATH)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
