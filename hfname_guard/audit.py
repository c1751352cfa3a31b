"""`hfname-guard audit`: every published model of some namespaces, judged by the policy.

The naming study behind this project recommends a trial run over what an organization already
published, and a person reviewing the candidate list, before any rule blocks a pull request.
The audit builds that list without downloading a weight: it reads the Hub's records of the models
(``list_models(author=..., expand=[...])`` through huggingface_hub, or a JSON Lines file of such
records with ``--from``), makes each a target whose facts come from its record
(``hub_records.RecordFacts``), and runs the same rules as ``check``, the ``hub/*`` ones
included when online. Records stream through: the audit keeps findings and a line per model
(its downloads and last change, for the report), never the records.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from .checker import check
from .errors import UsageError
from .findings import SEVERITY_ORDER, Finding, Report
from .hub_records import EXPAND, HubRecord
from .policy import Policies, Policy
from .record import Record
from .targets import Target

DEFAULT_ENDPOINT = "https://huggingface.co"
PROGRESS_EVERY = 1000
"""Models between two progress lines when standard error is no terminal (a CI log)."""


class AuditedModel(Record):
    """One model the audit judged, with what a reviewer sorts by."""

    repo_id: str
    downloads: int = 0
    last_modified: str | None = None


class Audit(Record):
    """The audit's result: the report of every finding, and every model audited, in order."""

    report: Report
    models: tuple[AuditedModel, ...]
    namespaces: tuple[str, ...]
    endpoint: str = DEFAULT_ENDPOINT
    """Where each model's page is: ``{endpoint}/{repo_id}``."""

    def findings_of(self) -> dict[str, list[Finding]]:
        """Each model's findings, most severe first."""
        found: dict[str, list[Finding]] = {model.repo_id: [] for model in self.models}
        for finding in sorted(self.report.findings, key=lambda finding: SEVERITY_ORDER[finding.severity]):
            found.setdefault(finding.repo_id, []).append(finding)
        return found


def suggested_name(findings: Iterable[Finding]) -> str | None:
    """The repo id the model's findings propose instead of its own: the first fix, most severe
    finding first, of a rule whose fix is a repo id."""
    for finding in findings:
        if finding.renames:
            return finding.suggestion
    return None


def records_from_file(path: str) -> Iterator[HubRecord]:
    """The records of a JSON Lines file in the Hub API's shape, streamed (``-``: standard
    input); a line that is not a JSON object with an ``id`` is a usage error naming it."""
    label = "standard input" if path == "-" else path
    try:
        handle = sys.stdin if path == "-" else open(path, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--from {path}: cannot read the records: {error.strerror or error}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except ValueError as error:
                raise UsageError(f"{label}:{number}: not a JSON record: {error}") from None
            record = HubRecord(data) if isinstance(data, dict) else None
            if record is None or not record.repo_id:
                raise UsageError(f"{label}:{number}: expected a JSON object with the model's `id`, as the Hub's "
                                 "API lists models")
            yield record


def records_from_hub(namespaces: Iterable[str], cache: Cache | None = None) -> Iterator[HubRecord]:
    """Every model of each namespace, as the Hub lists them with the fields the rules read; a
    namespace the ``cache`` holds whole is read from it instead, without a request."""
    from huggingface_hub import HfApi

    api = HfApi()
    for namespace in namespaces:
        cached = cache.records(namespace) if cache is not None else None
        if cached is not None:
            yield from records_from_file(cached)
            continue
        listed = (HubRecord(_as_api_json(model))
                  for model in api.list_models(author=namespace, expand=list(EXPAND)))  # type: ignore[arg-type]
        yield from listed if cache is None else cache.keep_records(namespace, listed)


class Cache:
    """``--cache DIR``: what an audit fetched, kept so that an interrupted or repeated audit does
    not fetch it again. A namespace's listing, once complete (``records/NAMESPACE.jsonl``; a run
    cut short leaves only a ``.partial`` file, listed again next time), and each README fetched
    with ``--cards``, by repository and commit (``cards/``: a newer commit is fetched anew)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def records(self, namespace: str) -> str | None:
        path = self._records_path(namespace)
        return path if os.path.isfile(path) else None

    def keep_records(self, namespace: str, records: Iterable[HubRecord]) -> Iterator[HubRecord]:
        path = self._records_path(namespace)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + ".partial", "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record.data, default=str) + "\n")
                yield record
        os.replace(path + ".partial", path)

    def card(self, record: HubRecord) -> bytes | None:
        path = self._card_path(record)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError:
            return None

    def keep_card(self, record: HubRecord, card: bytes) -> None:
        path = self._card_path(record)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + f".{os.getpid()}", "wb") as handle:
            handle.write(card)
        os.replace(path + f".{os.getpid()}", path)

    def _records_path(self, namespace: str) -> str:
        return os.path.join(self.folder, "records", _safe(namespace) + ".jsonl")

    def _card_path(self, record: HubRecord) -> str:
        return os.path.join(self.folder, "cards", _safe(record.repo_id), f"{_safe(record.sha or 'unknown')}.md")


def _safe(name: str) -> str:
    """A name as one file name: what is not a letter, digit, `-`, `_` or `.` becomes `_`, and
    no name is `.` or `..`."""
    cleaned = "".join(character if character.isascii() and (character.isalnum() or character in "-_.") else "_"
                      for character in name)
    return cleaned if cleaned.strip(".") else cleaned.replace(".", "_") or "_"


HUB_WORKERS = 8
"""Models judged at once when the audit asks the Hub (card validations, base models, datasets):
each waits on its requests, and the Hub's rate limits answer 429 with Retry-After beyond that."""
CARD_WORKERS = 8
"""READMEs fetched at once: the Hub's rate limits answer 429 with Retry-After beyond that, which
huggingface_hub's http_backoff waits out."""


def with_cards(records: Iterable[HubRecord], cache: Cache | None = None,
               workers: int = CARD_WORKERS) -> Iterator[HubRecord]:
    """The records in their order, each with its README.md (``HubRecord.card``), fetched
    ``workers`` at a time a little ahead of the checker; a README the cache holds is not fetched.
    One that cannot be fetched leaves the record's ``cardData`` to judge (``failed`` counts them)."""
    from .concurrently import in_order

    def fetched(record: HubRecord) -> HubRecord:
        card = cache.card(record) if cache is not None else None
        if card is None:
            card = _fetch_card(record)
            if card is not None and cache is not None:
                cache.keep_card(record, card)
        record.card = card
        return record

    return in_order(fetched, records, workers)


def _fetch_card(record: HubRecord) -> bytes | None:
    """The first bytes of the model's README.md at the listed commit; None when it has none
    or the Hub does not give it (then the listing's metadata is judged instead)."""
    from huggingface_hub import hf_hub_url
    from huggingface_hub.utils import build_hf_headers, http_backoff

    from .card import MAX_METADATA_BYTES
    from .hub import unreachable

    url = hf_hub_url(record.repo_id, "README.md", revision=record.sha)
    try:
        response = http_backoff("GET", url, headers=build_hf_headers())
        if response.status_code != 200:
            return None
        return response.content[:MAX_METADATA_BYTES + 1]
    except Exception as error:  # HfHubHTTPError is an OSError too: the card stays the listing's
        if unreachable(error):
            return None
        raise


def _as_api_json(model: object) -> dict[str, object]:
    """A huggingface_hub ``ModelInfo`` back in the shape of the API's JSON (what ``--from`` reads)."""
    get = model.__dict__.get
    card = get("card_data")
    safetensors = get("safetensors")
    modified = get("last_modified")
    return {
        "id": get("id"),
        "sha": get("sha"),
        "config": get("config"),
        "cardData": card.to_dict() if card is not None and hasattr(card, "to_dict") else card,
        "safetensors": {"parameters": safetensors.parameters, "total": safetensors.total}
        if safetensors is not None else None,
        "gguf": get("gguf"),
        "pipeline_tag": get("pipeline_tag"),
        "library_name": get("library_name"),
        "tags": get("tags"),
        "lastModified": modified.isoformat() if modified is not None else None,
        "downloads": get("downloads"),
        "siblings": [{"rfilename": sibling.rfilename} for sibling in get("siblings") or ()],
    }


def audit(records: Iterable[HubRecord], policy: Policy | None, namespaces: tuple[str, ...] = (), *,
          online: str | None = None, progress: Callable[[int], None] | None = None,
          own_hub_client: bool = False) -> Audit:
    """Judge each record's model by ``policy`` (None: the working directory's, else the default)."""
    models: list[AuditedModel] = []

    def targets() -> Iterator[Target]:
        for record in records:
            models.append(AuditedModel(record.repo_id, record.downloads, record.last_modified))
            if progress is not None:
                progress(len(models))
            yield Target(record.repo_id, None, "Hub record", record=record)

    report = check(targets(), policy if policy is not None else Policies(), online=online,
                   own_hub_client=own_hub_client, workers=HUB_WORKERS if online else 1)
    return Audit(report, tuple(models), namespaces, os.environ.get("HF_ENDPOINT", DEFAULT_ENDPOINT).rstrip("/"))


class Progress:
    """Progress on standard error: huggingface_hub's tqdm bar on a terminal, else a plain line
    every ``PROGRESS_EVERY`` models, so that a CI log shows the audit is alive."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self._stream = stream
        self._bar: object | None = None
        self._started = time.monotonic()
        if getattr(stream, "isatty", lambda: False)():
            from huggingface_hub.utils import tqdm

            self._bar = tqdm(unit=" models", desc="audit", file=stream)

    def __call__(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(1)  # type: ignore[attr-defined]
        elif count % PROGRESS_EVERY == 0:
            rate = count / max(time.monotonic() - self._started, 1e-9)
            print(f"hfname-guard audit: {count:,} models ({rate:,.0f} a second)", file=self._stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()  # type: ignore[attr-defined]


# Reports of an audit (json is check's own report: json_report.render(audit.report))

WORST_SHOWN = 20


def render_text(result: Audit) -> str:
    """A summary per rule, then the models with the most serious findings, most downloaded first."""
    lines = [f"audit of {', '.join(result.namespaces) or 'the records given'}: {len(result.models):,} models, "
             f"{result.report.count('error'):,} errors, {result.report.count('warning'):,} warnings, "
             f"{result.report.count('info'):,} notes", ""]
    per_rule: dict[str, dict[str, set[str]]] = {}
    for finding in result.report.findings:
        per_rule.setdefault(finding.rule, {}).setdefault(finding.severity, set()).add(finding.repo_id)
    if per_rule:
        lines.append(f"{'rule':<28}{'models':>8}  severity")
        for rule, by_severity in sorted(per_rule.items(), key=lambda item: -len(set().union(*item[1].values()))):
            models = set().union(*by_severity.values())
            severities = ", ".join(f"{severity} {len(repo_ids):,}" for severity, repo_ids in
                                   sorted(by_severity.items(), key=lambda item: SEVERITY_ORDER[item[0]]))
            lines.append(f"{rule:<28}{len(models):>8,}  {severities}")
        lines.append("")
    findings = result.findings_of()
    worst = sorted((model for model in result.models if findings.get(model.repo_id)),
                   key=lambda model: (SEVERITY_ORDER[findings[model.repo_id][0].severity], -model.downloads,
                                      model.repo_id))[:WORST_SHOWN]
    if worst:
        lines.append(f"the {len(worst)} models to review first (most serious, then most downloaded):")
    for model in worst:
        first = findings[model.repo_id][0]
        suggestion = suggested_name(findings[model.repo_id])
        lines.append(f"  {model.repo_id}  ({model.downloads:,} downloads): {first.severity}: {first.message} "
                     f"[{first.rule}]" + (f"\n    suggested name: {suggestion}" if suggestion else ""))
    from .printable import printable_lines

    return printable_lines("\n".join(lines)) + "\n"


CSV_COLUMNS = ("repo_id", "url", "downloads", "last_modified", "rule", "severity", "message", "suggestion", "file",
               "suggested_name")


def render_csv(result: Audit) -> str:
    """One row per finding, for a spreadsheet; a cell that a spreadsheet would run as a formula
    (`=`, `+`, `-`, `@` first) is quoted with a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    models = {model.repo_id: model for model in result.models}
    for repo_id, findings in result.findings_of().items():
        model = models.get(repo_id, AuditedModel(repo_id))
        suggestion = suggested_name(findings)
        for finding in findings:
            writer.writerow([_cell(value) for value in (
                repo_id, f"{result.endpoint}/{repo_id}", model.downloads, model.last_modified or "", finding.rule,
                finding.severity, finding.message, finding.suggestion or "", finding.file or "", suggestion or "")])
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
