"""Facts about one target, each computed once however many rules read it."""

from __future__ import annotations

import os
from _thread import allocate_lock
from functools import cached_property

from .card import Card, read_card
from .policy import Policy
from .repoid import MAX_PART_LENGTH
from .targets import Target
from .template import Match

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .artifacts import AdapterFacts, ArtifactProblem, ConfigFacts, Fingerprint, HeaderReads, WeightsFacts
    from .hub import HubSession
    from .names.tagger import Component
    from .propose import Proposal


class Run:
    """What the targets of one check share: the safetensors headers already read, so that a
    file that several folders, names or links lead to is read once, and the header bytes the
    run may still read (``artifacts.HeaderReads``); and, when the run is online, its view of the
    Hub (``hub.HubSession``). Each is made on first use: a check of names alone never imports
    the artifact readers, an offline one never huggingface_hub.

    ``online`` is how the run was asked to use the Hub: None (as each target's policy says:
    ``hub: {online: true}``), ``on`` or ``required`` (the Hub's silence is then an error);
    ``own_hub_client``: the run may give huggingface_hub's shared client a timeout."""

    def __init__(self, online: str | None = None, own_hub_client: bool = False) -> None:
        self.online = online
        self.own_hub_client = own_hub_client
        self.hub_skipped: dict[str, list[str]] = {}
        """Rule id -> the repo ids whose check it skipped because the Hub could not answer."""
        self._hub: HubSession | None = None
        self._hub_lock = allocate_lock()  # `threading` would cost the hook's start a millisecond

    @cached_property
    def headers(self) -> HeaderReads:
        from .artifacts import HeaderReads

        return HeaderReads()

    @property
    def hub(self) -> HubSession:
        if self._hub is None:
            from .hub import HubSession, use_timeouts

            with self._hub_lock:  # an audit's threads (``check(workers=...)``) share one session
                if self._hub is None:
                    if self.own_hub_client:
                        use_timeouts()
                    self._hub = HubSession()
        return self._hub


class Facts:
    """What the rules read about one target; each fact is computed once, on first use."""

    def __init__(self, target: Target, policy: Policy, run: Run | None = None) -> None:
        self.target = target
        self.policy = policy
        self.folder = os.fspath(target.folder) if target.folder is not None else None
        self.run = run if run is not None else Run()

    @property
    def repo_id(self) -> str:
        return self.target.repo_id

    @property
    def has_parts(self) -> bool:
        """The repo id splits into at most a namespace and a name, so name rules can read it."""
        return bool(self.repo_id) and self.repo_id.count("/") <= 1 and not self.repo_id.endswith("/")

    @property
    def hub(self) -> HubSession | None:
        """The run's Hub session when this target is checked online, else None."""
        return self.run.hub if self.run.online or self.policy.hub_online else None

    @property
    def namespace(self) -> str | None:
        return self.repo_id.split("/")[0] if "/" in self.repo_id else None

    @property
    def name(self) -> str:
        return self.repo_id.rsplit("/", 1)[-1]

    def with_name(self, name: str) -> str:
        """The repo id with its name replaced, for suggestions."""
        return f"{self.namespace}/{name}" if self.namespace is not None else name

    def with_word(self, start: int, end: int, word: str) -> str:
        """The repo id with the name's characters ``start:end`` replaced by ``word``, written in
        the case of what it replaces, then in the policy's style: for suggestions
        (``llama-7b-chat`` -> ``acme/llama-1.1b-chat``)."""
        old = self.name[start:end]
        if old.isupper() and any(character.isalpha() for character in word):
            word = word.upper()
        elif old[:1].isupper():
            word = word[:1].upper() + word[1:]
        return self.with_name(self.policy.name.styled(self.name[:start] + word + self.name[end:]))

    def with_architecture(self, word: str, model_type: str) -> str | None:
        """The repo id with the name's architecture ``word`` replaced by ``model_type`` as names
        write it (``bert`` -> ``roberta``, ``gpt_neox`` -> ``gpt-neox``), for suggestions; None
        for a type no name states (a wrapper such as ``encoder-decoder``)."""
        from .names.knowledge import CONTAINERS, key, knowledge

        spelled = model_type.replace("_", "-")
        start = self.name.find(word)
        if model_type in CONTAINERS or start < 0 or knowledge().words.get(key(spelled)) != model_type:
            return None
        return self.with_word(start, start + len(word), spelled)

    def name_fix(self, local: str | None) -> str | None:
        """The fix for a name that contradicts the model's facts. Under a name template it is the
        name those facts give (``propose``), so that every such fix of one model agrees and fits
        the template, or none when they cannot fill it; without one, the rule's ``local`` fix."""
        if self.policy.name.template is None:
            return local
        proposal = self.proposal
        return proposal.repo_id if proposal.repo_id != self.repo_id else None

    @cached_property
    def proposal(self) -> Proposal:
        """The name the model's facts give under the policy's template (``propose``)."""
        from .propose import propose

        return propose(self)

    @property
    def file(self) -> str | None:
        """Where name findings point: the model folder, when there is one."""
        return self.folder

    @cached_property
    def card(self) -> Card | None:
        return read_card(self.folder) if self.folder is not None else None

    @cached_property
    def template_match(self) -> Match | None:
        """The name read by the policy's template; None for a name longer than the Hub allows,
        which repo-id/format reports: reading one field by field costs time that grows with
        the square of its length, and policy patterns are matched only against names that fit."""
        template = self.policy.name.template
        if template is None or not self.has_parts or len(self.name) > MAX_PART_LENGTH:
            return None
        return template.match(self.name, self.policy.name.accepts)

    # Facts from the model's own files. Their modules load only when a rule asks, so a check
    # of a name alone, or of a card, never pays for them.

    @cached_property
    def files(self) -> frozenset[str]:
        """Names of the entries in the model folder."""
        try:
            return frozenset(os.listdir(self.folder)) if self.folder is not None else frozenset()
        except OSError:
            return frozenset()

    @cached_property
    def _config(self) -> tuple[ConfigFacts | None, list[ArtifactProblem]]:
        if self.folder is None or "config.json" not in self.files:
            return None, []
        from .artifacts import read_config

        return read_config(self.folder)

    @cached_property
    def _weights(self) -> tuple[WeightsFacts | None, list[ArtifactProblem]]:
        if self.folder is None or not any(name.endswith((".safetensors", ".index.json")) for name in self.files):
            return None, []
        from .artifacts import read_weights

        return read_weights(self.folder, self.run.headers)

    @cached_property
    def _adapter(self) -> tuple[AdapterFacts | None, list[ArtifactProblem]]:
        if self.folder is None or "adapter_config.json" not in self.files:
            return None, []
        from .artifacts import read_adapter

        return read_adapter(self.folder)

    @property
    def config(self) -> ConfigFacts | None:
        return self._config[0]

    @property
    def weights(self) -> WeightsFacts | None:
        return self._weights[0]

    @property
    def adapter(self) -> AdapterFacts | None:
        return self._adapter[0]

    @property
    def artifact_problems(self) -> list[ArtifactProblem]:
        return [*self._config[1], *self._weights[1], *self._adapter[1]]

    @cached_property
    def fingerprint(self) -> Fingerprint | None:
        """The model family the tensor names show, when the weights could be read."""
        if self.weights is None:
            return None
        from .artifacts import fingerprint

        return fingerprint(self.weights.tensors)

    @cached_property
    def components(self) -> list[Component]:
        """The name split into tagged elements (architecture, size, task, language, ...)."""
        from .names.tagger import tag

        return tag(self.name) if self.has_parts else []

    def named(self, code: str) -> list[Component]:
        """The name's components of one taxonomy code (`P` for parameter counts, ...)."""
        return [component for component in self.components if component.code == code]
