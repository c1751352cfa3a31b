"""Facts about one target, each computed once however many rules read it."""

from __future__ import annotations

import os
from functools import cached_property

from .card import Card, read_card
from .policy import Policy
from .targets import Target
from .template import Match


class Facts:
    """What the rules read about one target; each fact is computed once, on first use."""

    def __init__(self, target: Target, policy: Policy) -> None:
        self.target = target
        self.policy = policy
        self.folder = os.fspath(target.folder) if target.folder is not None else None

    @property
    def repo_id(self) -> str:
        return self.target.repo_id

    @property
    def has_parts(self) -> bool:
        """The repo id splits into at most a namespace and a name, so name rules can read it."""
        return bool(self.repo_id) and self.repo_id.count("/") <= 1 and not self.repo_id.endswith("/")

    @property
    def namespace(self) -> str | None:
        return self.repo_id.split("/")[0] if "/" in self.repo_id else None

    @property
    def name(self) -> str:
        return self.repo_id.rsplit("/", 1)[-1]

    def with_name(self, name: str) -> str:
        """The repo id with its name replaced, for suggestions."""
        return f"{self.namespace}/{name}" if self.namespace is not None else name

    @property
    def file(self) -> str | None:
        """Where name findings point: the model folder, when there is one."""
        return self.folder

    @cached_property
    def card(self) -> Card | None:
        return read_card(self.folder) if self.folder is not None else None

    @cached_property
    def template_match(self) -> Match | None:
        template = self.policy.name.template
        if template is None or not self.has_parts:
            return None
        return template.match(self.name, self.policy.name.accepts)
