"""The rule registry: `RULE_MODULES` names every rule module of this package, one a line.

Adding a rule is adding its module and its line here (a test fails while a module of this
folder is missing from the list, or the list names a module that does not exist).

A rule module has `ID` (`family/name`), `SEVERITY` (its default), `SUBJECT` (`repo-id`
for rules that read the repo id alone, `folder` for rules that read the model's files) and
`check(facts)`, a generator of `Problem`. Its docstring is its user documentation: what it
checks, why, how to configure it, and a passing and a failing example; `hfname-guard explain`
prints it and docs/rules.md is generated from it.

A module whose `SUBJECT` is `internal` documents what the checker reports about itself
(`internal/rule-error`: a rule failed; `hub/unreachable`: the Hub did not answer); it has no
`check`, and the checker never runs it.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from collections.abc import Iterator
    from typing import Protocol

    from ..facts import Facts
    from ..findings import Problem

    class Rule(Protocol):
        ID: str
        SEVERITY: str
        SUBJECT: str
        __doc__: str | None

        def check(self, facts: Facts) -> Iterator[Problem]: ...


RULE_MODULES = (
    "artifacts_corrupt",
    "artifacts_unavailable",
    "card_base_model",
    "card_field_type",
    "card_language",
    "card_library_name",
    "card_license",
    "card_missing",
    "card_pipeline_tag",
    "card_required",
    "card_syntax",
    "card_tags",
    "consistency_architecture",
    "consistency_base_model",
    "consistency_language",
    "consistency_reuse",
    "consistency_size",
    "consistency_task",
    "consistency_weights",
    "gguf_encodings",
    "gguf_file_name",
    "gguf_metadata",
    "hub_base_model",
    "hub_card_validation",
    "hub_case_collision",
    "hub_datasets",
    "hub_near_duplicate",
    "hub_unreachable",
    "internal_rule_error",
    "name_case",
    "name_forbidden",
    "name_length",
    "name_required_word",
    "name_template",
    "name_unknown_word",
    "repo_id_format",
    "repo_id_namespace",
)
"""Every rule module, sorted: a module named after its rule's id (`card/license`: `card_license`)."""


@cache
def all_rules(online: bool = True) -> tuple[Rule, ...]:
    """Every rule, in id order; offline, all but the `hub/*` rules, which ask the Hub alone
    (their modules are not even imported)."""
    names = RULE_MODULES if online else [name for name in RULE_MODULES if not name.startswith("hub_")]
    modules: list[ModuleType] = [importlib.import_module(f"{__name__}.{name}") for name in names]
    return tuple(sorted(modules, key=lambda module: module.ID))


def rule_by_id(rule_id: str) -> Rule | None:
    return next((rule for rule in all_rules() if rule.ID == rule_id), None)


def summary(rule: Rule) -> str:
    """The first line of the rule's documentation."""
    return (rule.__doc__ or "").strip().splitlines()[0]
