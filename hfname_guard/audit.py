"""`hfname-guard audit`: every published model of some namespaces, judged by the policy.

The naming study behind this project recommends a trial run over what an organization already
published, and a person reviewing the candidate list, before any rule blocks a pull request.
The audit builds that list without downloading a file: it reads the Hub's records of the models
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
SUGGESTING_FAMILIES = ("repo-id", "name", "consistency", "hub")
"""Rule families whose fix is a repo id: where an audited model's suggested name comes from."""


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
        if finding.suggestion and "/" in finding.suggestion and finding.rule.split("/")[0] in SUGGESTING_FAMILIES:
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


def records_from_hub(namespaces: Iterable[str]) -> Iterator[HubRecord]:
    """Every model of each namespace, as the Hub lists them with the fields the rules read."""
    from huggingface_hub import HfApi

    api = HfApi()
    for namespace in namespaces:
        for model in api.list_models(author=namespace, expand=list(EXPAND)):  # type: ignore[arg-type]
            yield HubRecord(_as_api_json(model))


def _as_api_json(model: object) -> dict[str, object]:
    """A huggingface_hub ``ModelInfo`` back in the shape of the API's JSON (what ``--from`` reads)."""
    get = model.__dict__.get
    card = get("card_data")
    safetensors = get("safetensors")
    modified = get("last_modified")
    return {
        "id": get("id"),
        "config": get("config"),
        "cardData": card.to_dict() if card is not None and hasattr(card, "to_dict") else card,
        "safetensors": {"parameters": safetensors.parameters, "total": safetensors.total}
        if safetensors is not None else None,
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
                   own_hub_client=own_hub_client)
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
