"""Facts about one target, each computed once however many rules read it."""

from __future__ import annotations

import os
from _thread import allocate_lock
from functools import cached_property

from .card import Card, read_card
from .policy import Policy
from .record import Record
from .repoid import MAX_PART_LENGTH
from .targets import Target
from .template import Match

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    from .artifacts.adapter import AdapterFacts
    from .artifacts.config import ConfigFacts
    from .artifacts.fingerprint import Fingerprint
    from .artifacts.gguf import GgufFacts, GgufModel
    from .artifacts.problem import ArtifactProblem
    from .artifacts.safetensors import HeaderReads, WeightsFacts
    from .hub import HubSession
    from .names.tagger import Component
    from .propose import Proposal
    from .suggest import SearchBudget

    _Found = TypeVar("_Found")


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
        from .artifacts.safetensors import HeaderReads

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


class ParameterCount(Record):
    """The parameters a model's weights hold, counted from their headers, and the files that hold them."""

    total: int
    files: tuple[str, ...]

    def said(self) -> str:
        """As messages say it: ``model.safetensors holds 1,100,048,384 parameters``, or ``3 shards hold ...``."""
        files = self.files
        held = ", ".join(map(os.path.basename, files)) if len(files) <= 2 else f"{len(files)} shards"
        return f"{held} hold{'s' if len(files) == 1 else ''} {self.total:,} parameters"


class Facts:
    """What the rules read about one target; each fact is computed once, on first use."""

    def __init__(self, target: Target, policy: Policy, run: Run | None = None) -> None:
        self.target = target
        self.policy = policy
        self.folder = os.fspath(target.folder) if target.folder is not None else None
        self.run = run if run is not None else Run()
        self._meanings: dict[tuple[str, str], str | None] | None = None
        self._shared: dict[Callable[[Facts], object], object] = {}
        self._searches: SearchBudget | None = None

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

    FILE_FACTS = ("files", "card", "_config", "_weights", "_adapter", "_gguf", "gguf_model", "parameter_count",
                  "fingerprint")
    """The facts read from the model's files (or record), not from its name."""

    def renamed(self, repo_id: str) -> Facts:
        """The facts of the same model under another repo id: its files' facts, read already,
        are shared, and what depends on the name is read anew."""
        other = type(self)(self.target.replace(repo_id=repo_id), self.policy, self.run)
        other.__dict__.update((fact, self.__dict__[fact]) for fact in self.FILE_FACTS if fact in self.__dict__)
        return other

    def name_fix(self) -> str | None:
        """The fix of a name that breaks a name rule or contradicts the model's facts: the name
        the facts give (``propose``), the same for every rule, so that following one fix never
        breaks another; None when the facts cannot give a whole name."""
        proposal = self.proposal
        return proposal.repo_id if proposal.repo_id != self.repo_id else None

    @cached_property
    def proposal(self) -> Proposal:
        """The name the model's facts give under the policy's template (``propose``)."""
        from .propose import propose

        return propose(self)

    def shared(self, find: Callable[[Facts], _Found]) -> _Found:
        """``find(self)``, found once for this target however many rules and fixes ask: what a
        rule finds wrong with the name, which the name engine (``propose``) corrects."""
        if find not in self._shared:
            self._shared[find] = find(self)
        return self._shared[find]  # type: ignore[return-value]

    def meaning(self, field: str, value: str) -> str | None:
        """The word that ``value``, which the template field ``field`` rejects, clearly means
        (`lamma`: `llama`), as did-you-mean finds it: searched once per value, and at most
        ``MAX_SEARCHES`` times per name, however many rules and fixes ask."""
        if self._meanings is None:
            from .suggest import SearchBudget

            self._meanings, self._searches = {}, SearchBudget()
        if (field, value) not in self._meanings:
            spec = self.policy.name.fields.get(field)
            take = spec is not None and self._searches is not None and self._searches.take()
            self._meanings[field, value] = spec.suggest(value) if spec is not None and take else None
        return self._meanings[field, value]

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
        from .artifacts.config import read_config

        return read_config(self.folder)

    @cached_property
    def _weights(self) -> tuple[WeightsFacts | None, list[ArtifactProblem]]:
        if self.folder is None or not any(name.endswith((".safetensors", ".index.json")) for name in self.files):
            return None, []
        from .artifacts.safetensors import read_weights

        return read_weights(self.folder, self.run.headers)

    @cached_property
    def _adapter(self) -> tuple[AdapterFacts | None, list[ArtifactProblem]]:
        if self.folder is None or "adapter_config.json" not in self.files:
            return None, []
        from .artifacts.adapter import read_adapter

        return read_adapter(self.folder)

    @cached_property
    def _gguf(self) -> tuple[tuple[GgufFacts, ...], list[ArtifactProblem]]:
        names = [name for name in self.files if name.lower().endswith(".gguf")]
        if self.folder is None or not names:
            return (), []
        from .artifacts.gguf import read_folder

        return read_folder(self.folder, names)

    @property
    def config(self) -> ConfigFacts | None:
        return self._config[0]

    @property
    def gguf(self) -> tuple[GgufFacts, ...]:
        """The headers of the folder's GGUF files that could be read, in name order."""
        return self._gguf[0]

    @cached_property
    def gguf_model(self) -> GgufModel | None:
        """The model the folder's GGUF files hold, in however many encodings (``artifacts.gguf.model_of``)."""
        if not self.gguf:
            return None
        from .artifacts.gguf import model_of

        return model_of(self.gguf)

    @cached_property
    def parameter_count(self) -> ParameterCount | None:
        """The parameters the model holds, counted in its safetensors headers, else in its GGUF
        headers; None where neither counts them, or where quantized safetensors pack several
        into one stored number (a GGUF tensor's shape counts them whatever its encoding)."""
        weights = self.weights
        if weights is not None and weights.total:
            config = self.config
            return None if config is not None and config.quantization else ParameterCount(weights.total, weights.files)
        model = self.gguf_model
        if model is not None and model.parameters:
            return ParameterCount(model.parameters, model.files)
        return None

    @property
    def weights(self) -> WeightsFacts | None:
        return self._weights[0]

    @property
    def adapter(self) -> AdapterFacts | None:
        return self._adapter[0]

    @property
    def artifact_problems(self) -> list[ArtifactProblem]:
        return [*self._config[1], *self._weights[1], *self._adapter[1], *self._gguf[1]]

    @cached_property
    def fingerprint(self) -> Fingerprint | None:
        """The model family the tensor names show, when the weights could be read."""
        if self.weights is None:
            return None
        from .artifacts.fingerprint import fingerprint

        return fingerprint(self.weights.tensors)

    @cached_property
    def components(self) -> list[Component]:
        """The name split into tagged elements (architecture, size, task, language, ...)."""
        from .names.tagger import tag

        return tag(self.name) if self.has_parts else []

    def named(self, code: str) -> list[Component]:
        """The name's components of one taxonomy code (`P` for parameter counts, ...)."""
        return [component for component in self.components if component.code == code]
