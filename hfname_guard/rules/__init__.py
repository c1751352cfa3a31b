"""The rule registry: every module in this package is one rule.

A rule module has `ID` (`family/name`), `SEVERITY` (its default), `SUBJECT` (`repo-id`
for rules that read the repo id alone, `folder` for rules that read the model's files) and
`check(facts)`, a generator of `Problem`. Its docstring is its user documentation: what it
checks, why, how to configure it, and a passing and a failing example; `hfname-guard explain`
prints it and docs/rules.md is generated from it.

A module whose `SUBJECT` is `internal` documents what the checker reports about itself
(`internal/rule-error`: a rule failed); it has no `check`, and the checker never runs it.
"""

from __future__ import annotations

import importlib
import os
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


@cache
def all_rules() -> tuple[Rule, ...]:
    modules: list[ModuleType] = [
        importlib.import_module(f"{__name__}.{entry[:-3]}")
        for entry in sorted(os.listdir(os.path.dirname(__file__)))
        if entry.endswith(".py") and not entry.startswith("_")
    ]
    return tuple(sorted(modules, key=lambda module: module.ID))


def rule_by_id(rule_id: str) -> Rule | None:
    return next((rule for rule in all_rules() if rule.ID == rule_id), None)


def summary(rule: Rule) -> str:
    """The first line of the rule's documentation."""
    return (rule.__doc__ or "").strip().splitlines()[0]
