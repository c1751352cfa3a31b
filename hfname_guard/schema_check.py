"""Validate a policy against ``schemas/policy.schema.json``, once per content (and a saved
report against ``schemas/report.schema.json``).

jsonschema costs about 100 ms to import, more than the rest of a check together, so a verdict
of "valid" is remembered in a small cache: one file per validated policy, named by a checksum
of the policy, the schema file's size and time (a new schema validates everything again) and
the registry's `RULE_MODULES` (a policy that names a removed rule is valid no more), holding
the policy's exact bytes, so a hit is an exact match.
The cache is safe to delete and never required: when it cannot be read or written, the policy
is simply validated again.
"""

from __future__ import annotations

import binascii
import os
import re

from . import user_cache
from .resources import preset_names, schema_path
from .rules import RULE_MODULES, all_rules
from .suggest import closest
from .yamlsource import YamlDocument

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Any


def problems(source: str, raw: bytes, document: YamlDocument) -> list[str]:
    """``file:line:column: path: what was expected`` for each schema violation; [] when valid."""
    schema = os.stat(schema_path("policy.schema.json"))
    rules = binascii.crc32(" ".join(RULE_MODULES).encode())  # a rule added, removed or renamed
    key = f"{schema.st_size}-{schema.st_mtime_ns}-{rules:08x}-{binascii.crc32(raw):08x}-{len(raw)}"
    marker = os.path.join(user_cache.cache_dir(), "valid-policies", key)
    if user_cache.read(marker, len(raw)) == raw:
        return []
    found = _validate(source, document)
    if not found:
        user_cache.write(marker, raw)
    return found


def _validate(source: str, document: YamlDocument) -> list[str]:
    import json

    import jsonschema

    with open(schema_path("policy.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    validator = jsonschema.Draft202012Validator(schema)
    found = []
    for error in validator.iter_errors(document.data):
        for path, message in _describe(error):
            line, column = document.position(path)
            where = f"{source}:{line}:{column}" if line else source
            dotted = ".".join(str(step) for step in path) or "(top level)"
            found.append(((line or 0, column or 0), f"{where}: {dotted}: {message}"))
    for path, message in _unknown_rules(document.data):
        line, column = document.position(path)
        where = f"{source}:{line}:{column}" if line else source
        found.append(((line or 0, column or 0), f"{where}: {'.'.join(str(step) for step in path)}: {message}"))
    return [text for _, text in sorted(found)]


_RULE_SELECTOR = r"[a-z][a-z0-9-]*/(?:[a-z][a-z0-9-]*|\*)"
"""The schema's `ruleSelector`: what does not have this shape the schema itself reports (a
pattern, compiled when a policy is validated)."""


def _unknown_rules(data: Any) -> list[tuple[tuple[Any, ...], str]]:
    """The rule ids and families under `rules:` and in waivers that name no rule of the registry,
    or name the checker's own `internal/...`, which no policy can switch off or waive.

    Runs with the schema validation, once per policy content: it imports every rule module."""
    if not isinstance(data, dict):
        return []
    selectors: list[tuple[tuple[Any, ...], str, str]] = []
    rules = data.get("rules")
    if isinstance(rules, dict):
        selectors += [(("rules", key), key, "configured") for key in rules]
    waivers = data.get("waivers")
    for index, waiver in enumerate(waivers if isinstance(waivers, list) else []):
        listed = waiver.get("rules") if isinstance(waiver, dict) else None
        for item, selector in enumerate(listed if isinstance(listed, list) else []):
            selectors.append((("waivers", index, "rules", item), selector, "waived"))
    selectors = [entry for entry in selectors if isinstance(entry[1], str) and re.fullmatch(_RULE_SELECTOR, entry[1])]
    if not selectors:
        return []
    configurable = [rule.ID for rule in all_rules() if rule.SUBJECT != "internal"]
    internal = {rule.ID for rule in all_rules() if rule.SUBJECT == "internal"}
    families = list(dict.fromkeys(f"{rule_id.split('/', 1)[0]}/*" for rule_id in configurable))
    found = []
    for path, selector, verb in selectors:
        family = selector.split("/", 1)[0]
        if selector in configurable or selector in families:
            continue
        if selector in internal or any(rule_id.startswith(f"{family}/") for rule_id in internal):
            found.append((path, f"`{selector}` cannot be {verb}: it reports that a rule failed to run, "
                                "always as an error, and no policy may hide that"))
            continue
        if selector.endswith("/*"):
            known, kind = families, f"rule family `{family}`"
        else:
            known, kind = configurable, f"rule `{selector}`"
        guess = closest(selector, known)
        hint = f"did you mean `{guess}`?" if guess else (
            f"the families are {', '.join(f'`{name}`' for name in families)}" if selector.endswith("/*")
            else "`hfname-guard rules` lists the rule ids")
        found.append((path, f"unknown {kind}; {hint}"))
    return found


def _describe(error: Any) -> list[tuple[tuple[Any, ...], str]]:
    """Turn one jsonschema error into (path, message) pairs a policy author can act on."""
    path = tuple(error.absolute_path)
    instance = error.instance
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = list(error.schema.get("properties", {}))
        pairs = []
        for key in instance:
            if key in known:
                continue
            guess = closest(str(key), known)
            hint = f"; did you mean `{guess}`?" if guess else f"; expected one of: {', '.join(known)}"
            pairs.append(((*path, key), f"unknown key `{key}`{hint}"))
        return pairs
    if error.validator == "enum":
        choices = [str(choice) for choice in error.validator_value]
        guess = closest(str(instance), choices) if isinstance(instance, str) else None
        hint = f"; did you mean `{guess}`?" if guess else ""
        return [(path, f"`{instance}` is not one of: {', '.join(choices)}{hint}")]
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in instance]
        return [(path, f"missing required key `{key}`") for key in missing]
    if error.validator == "type":
        kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return [(path, f"expected {' or '.join(map(_article, kinds))}, found {_type_name(instance)}")]
    if error.validator == "anyOf" and all("required" in branch for branch in error.validator_value):
        keys = [key for branch in error.validator_value for key in branch["required"]]
        return [(path, f"needs at least one of: {', '.join(f'`{key}`' for key in keys)}")]
    if error.validator == "anyOf" and path[:1] == ("extends",):
        return _unknown_presets(path, instance) or [(path, error.message)]
    if error.validator == "pattern" and "propertyNames" in error.relative_schema_path:
        return [((*path, instance), f"`{instance}` is not a valid key here: it must match {error.validator_value}")]
    if error.validator == "pattern":
        return [(path, f"`{instance}` does not match the pattern {error.validator_value}")]
    if error.validator == "minItems":
        return [(path, f"needs at least {error.validator_value} item{'s' if error.validator_value > 1 else ''}")]
    if error.validator == "uniqueItems":
        return [(path, "lists the same item twice")]
    if error.validator == "const":
        return [(path, f"must be {error.validator_value}, found {_type_name(instance)}")]
    if error.validator in ("minimum", "maximum"):
        return [(path, f"must be at {'least' if error.validator == 'minimum' else 'most'} {error.validator_value}")]
    if error.validator == "propertyNames" and error.context:
        bad_key = error.context[0]
        return [((*path, bad_key.instance), f"`{bad_key.instance}` is not a valid key here: {bad_key.message}")]
    return [(path, error.message)]


def _unknown_presets(path: tuple[Any, ...], instance: Any) -> list[tuple[tuple[Any, ...], str]]:
    entries = [(path, instance)] if isinstance(instance, str) else list(enumerate(instance or []))
    found = []
    for where, entry in entries:
        where = where if isinstance(where, tuple) else (*path, where)
        if not isinstance(entry, str) or entry in preset_names() or entry.endswith((".yaml", ".yml")):
            continue
        guess = closest(entry, preset_names())
        hint = f"did you mean `{guess}`?" if guess else f"built-in presets: {', '.join(preset_names())}"
        found.append((where, f"no built-in preset `{entry}` (and not a .yaml file); {hint}"))
    return found


def _article(type_name: str) -> str:
    words = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "an integer",
             "boolean": "true or false", "number": "a number", "null": "nothing"}
    return words.get(type_name, type_name)


def _type_name(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return f"`{str(value).lower() if value is not None else 'null'}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"`{value}`"


def validate_report(report: Any) -> str | None:
    """Why ``report`` does not follow ``schemas/report.schema.json`` (its first problem, at its
    JSON path), or None when it does."""
    import json

    import jsonschema

    with open(schema_path("report.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(report))
    if error is None:
        return None
    steps = (f"[{step}]" if isinstance(step, int) else f".{step}" for step in error.absolute_path)
    where = "".join(steps) or "(top level)"
    return f"{where}: {error.message[:300]}"
