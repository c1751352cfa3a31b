"""Facts from the Hub's record of a model instead of its files: what `audit` checks.

The Hub's model listing (``list_models(expand=[...])``, or a JSON Lines dump of it) says for
each model what the folder checks read from files: ``config`` (``model_type``,
``architectures``, ``quantization_config``), ``cardData`` (the card's metadata), ``safetensors``
(the parameter count per dtype, ``total``), ``gguf`` (the Hub's reading of its GGUF files: their
``architecture`` and parameter ``total``), ``siblings`` (its files). ``RecordFacts`` gives the
rules those, read from the record, so every rule that applies runs unchanged and nothing is
downloaded: the Hub's parameter total stands in for reading headers, the card metadata for the
README. What a record cannot say (tensor names, the adapter's own config) is simply unknown.
"""

from __future__ import annotations

from functools import cached_property

from .card import Card, CardIssue
from .facts import Facts
from .policy import Policy
from .targets import Target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .artifacts.adapter import AdapterFacts
    from .artifacts.config import ConfigFacts
    from .artifacts.fingerprint import Fingerprint
    from .artifacts.gguf import GgufModel
    from .artifacts.problem import ArtifactProblem
    from .artifacts.safetensors import WeightsFacts
    from .facts import Run

EXPAND = ("config", "cardData", "safetensors", "gguf", "pipeline_tag", "library_name", "tags", "lastModified",
          "downloads", "siblings", "sha")
"""The fields ``list_models(expand=...)`` is asked for: every fact a rule reads, and what the
audit report shows (downloads, last modified)."""


class HubRecord:
    """One model as the Hub's API describes it (``id`` and the ``EXPAND`` fields); not a
    ``Record``, so that targets holding one stay hashable by identity."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.card: bytes | None = None
        """The README.md itself, when fetched (``audit --cards``): then the card rules read it
        as they read a folder's, with its lines, instead of the listing's ``cardData``."""

    @property
    def sha(self) -> str | None:
        value = self.data.get("sha")
        return value if isinstance(value, str) else None

    @property
    def repo_id(self) -> str:
        value = self.data.get("id") or self.data.get("modelId")
        return value if isinstance(value, str) else ""

    @property
    def downloads(self) -> int:
        value = self.data.get("downloads")
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    @property
    def last_modified(self) -> str | None:
        value = self.data.get("lastModified")
        return value if isinstance(value, str) else None

    def mapping(self, key: str) -> dict[str, Any] | None:
        value = self.data.get(key)
        return value if isinstance(value, dict) else None

    @property
    def lists_files(self) -> bool:
        """Whether the record lists the repository's files (``siblings``): without it, which
        files the model has is unknown, not "none"."""
        return isinstance(self.data.get("siblings"), list)

    @cached_property
    def files(self) -> frozenset[str]:
        """The names at the top of the repository (``siblings``)."""
        siblings = self.data.get("siblings")
        names = (entry.get("rfilename") for entry in siblings if isinstance(entry, dict)) \
            if isinstance(siblings, list) else ()
        return frozenset(name for name in names if isinstance(name, str) and "/" not in name)


class RecordFacts(Facts):
    """``Facts`` of a ``Target`` whose ``record`` is set: every file fact read from the record."""

    def __init__(self, target: Target, policy: Policy, run: Run | None = None) -> None:
        super().__init__(target, policy, run)
        assert target.record is not None
        self.record: HubRecord = target.record

    def _path(self, name: str) -> str:
        return f"{self.repo_id}/{name}"

    @cached_property
    def files(self) -> frozenset[str]:
        return self.record.files

    @cached_property
    def card(self) -> Card | None:
        path = self._path("README.md")
        if self.record.card is not None:
            from .card import card_from_bytes

            return card_from_bytes(path, self.record.card)
        metadata = self.record.mapping("cardData")
        if metadata:
            return Card(path, metadata, None, [])
        if not self.record.lists_files:
            return Card(path, None, None, [])  # the record says nothing of the card: nothing to judge
        if "README.md" in self.files:
            return Card(path, None, None, [CardIssue("missing", "README.md has no metadata block: the Hub reads none")])
        return Card(path, None, None, [CardIssue("missing", "no README.md: the model has no card")])

    @cached_property
    def _config(self) -> tuple[ConfigFacts | None, list[ArtifactProblem]]:
        data = self.record.mapping("config")
        if not data:
            return None, []
        from .artifacts.config import ConfigFacts

        quantization = data.get("quantization_config")
        method = quantization.get("quant_method") if isinstance(quantization, dict) else None
        architectures = data.get("architectures")
        return ConfigFacts(
            file=self._path("config.json"),
            model_type=data.get("model_type") if isinstance(data.get("model_type"), str) else None,
            architectures=tuple(name for name in architectures if isinstance(name, str))
            if isinstance(architectures, list) else (),
            hidden_size=None, num_hidden_layers=None, num_attention_heads=None, vocab_size=None,
            quantization=(method if isinstance(method, str) else "unknown") if quantization else None,
        ), []

    @cached_property
    def _weights(self) -> tuple[WeightsFacts | None, list[ArtifactProblem]]:
        data = self.record.mapping("safetensors")
        total = data.get("total") if data else None
        if not isinstance(total, int) or isinstance(total, bool) or total <= 0:
            return None, []
        from .artifacts.safetensors import WeightsFacts

        counts = data.get("parameters") if data else None
        parameters = {str(dtype): count for dtype, count in counts.items() if isinstance(count, int)} \
            if isinstance(counts, dict) else {}
        shards = sorted(name for name in self.files if name.endswith(".safetensors")) or ["model.safetensors"]
        return WeightsFacts(files=tuple(self._path(name) for name in shards), parameters=parameters, total=total,
                            tensors={}, metadata={}), []

    @cached_property
    def gguf_model(self) -> GgufModel | None:
        """The Hub's reading of the repository's GGUF files (``gguf``: their `general.architecture`
        and the parameters their tensors hold), standing on the first of them."""
        data = self.record.mapping("gguf")
        if not data:
            return None
        from .artifacts.gguf import GgufModel

        architecture, total = data.get("architecture"), data.get("total")
        files = sorted(name for name in self.files if name.lower().endswith(".gguf")) or ["model.gguf"]
        return GgufModel(architecture if isinstance(architecture, str) else None,
                         total if isinstance(total, int) and not isinstance(total, bool) and total > 0 else None,
                         (self._path(files[0]),))

    @cached_property
    def _adapter(self) -> tuple[AdapterFacts | None, list[ArtifactProblem]]:
        if "adapter_config.json" not in self.files:
            return None, []
        from .artifacts.adapter import AdapterFacts

        card = self.card
        base = card.string("base_model") if card is not None and card.metadata else None
        return AdapterFacts(file=self._path("adapter_config.json"), peft_type=None, base_model=base, rank=None,
                            target_modules=()), []

    @cached_property
    def fingerprint(self) -> Fingerprint | None:
        return None  # a record lists no tensor names
