"""``--format json``: the report as ``schemas/report.schema.json`` describes it.

Written as ASCII (``\\u00fc`` for ``ü``), so the file is the same valid JSON whatever the
encoding of the console or file it goes to (a Windows code page, ``PYTHONIOENCODING=ascii``),
and ``encodable``: a lone surrogate, from a file name that is not UTF-8 or a ``"\\ud800"`` in
config.json, is written as the text ``\\xff`` or ``\\ud800``, not as an escape strict JSON
parsers reject. Every other character is kept, as JSON escapes it.
"""

from __future__ import annotations

import io

from ..findings import Finding, PolicyChange, Report
from ..printable import ascii_json
from . import shown_where

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from ..judged import TargetFacts

REPORT_VERSION = 1


def to_dict(report: Report) -> dict[str, object]:
    provenance = {"repository": report.repository, "commit": report.commit} if report.repository else {}
    change = {"policy_change": _policy_change(report.policy_change)} if report.policy_change else {}
    kept = report.facts is not None and len(report.facts) == len(report.targets)
    facts = report.facts if report.facts is not None and kept else [None] * len(report.targets)
    policies = report.policies
    return {
        "version": REPORT_VERSION,
        **provenance,
        **({"policy": policies[0] if len(policies) == 1 else None} if policies else {}),
        "targets": [
            {"repo_id": target.repo_id, "folder": str(target.folder) if target.folder else None,
             "repo_id_source": target.repo_id_source, **({"policy": target.policy} if target.policy else {}),
             **({"facts": _facts(judged)} if kept else {})}
            for target, judged in zip(report.targets, facts)
        ],
        **({"skipped": [{"folder": skipped.folder, "reason": skipped.reason} for skipped in report.skipped]}
           if report.skipped else {}),
        "findings": [finding.to_dict() for finding in report.findings],
        "waived": [_waived(finding) for finding in report.waived],
        "summary": report.summary,
        **change,
    }


def _waived(finding: Finding) -> dict[str, object]:
    """A finding a waiver hid, and that waiver: its pattern, rules, reason, expiry, and where the
    policy writes it (``file:line:column``)."""
    waiver = getattr(finding, "waiver", None)
    return {
        "finding": finding.to_dict(),
        "waiver": None if waiver is None else {
            "repo_id": waiver.repo_id, "rules": list(waiver.rules), "reason": waiver.reason,
            "expires": None if waiver.expires is None else waiver.expires.isoformat(),
            "where": shown_where(waiver.where),
        },
    }


def _facts(judged: TargetFacts | None) -> dict[str, object] | None:
    """What a target was judged on; None when it could not be read (an ``internal/rule-error``
    says why)."""
    if judged is None:
        return None
    from ..names.explain import ELEMENTS

    adapter = None if judged.adapter is None else {"peft_type": judged.adapter[0], "base_model": judged.adapter[1]}
    card = None if judged.card is None else {"file": judged.card[0],
                                             "fields": None if judged.card[1] is None else list(judged.card[1])}
    return {
        "model_type": judged.model_type,
        "architectures": list(judged.architectures),
        "parameters": judged.parameters,
        "tensors_model_type": judged.tensors_model_type,
        "adapter": adapter,
        "card": card,
        "name_architecture": judged.name_architecture,
        "name_elements": [
            {"text": component.text, "start": component.start, "code": component.code,
             "element": ELEMENTS.get(component.code, component.code), "model_type": component.model_type,
             "value": component.value, "field": field}
            for component, field in judged.name_elements
        ],
    }


def _policy_change(change: PolicyChange) -> dict[str, object]:
    return {
        "decided_by": change.decided_by,
        "base_commit": change.base_commit,
        "notes": list(change.notes),
        "relaxed_rules": [{"rule": rule, "base": base, "head": head} for rule, base, head in change.relaxed_rules],
        "softened": [
            {"finding": finding.to_dict(), "head_severity": severity} for finding, severity in change.softened
        ],
    }


def render(report: Report, color: bool) -> str:
    """The report's keys one a line, and each entry of its lists (targets, findings, ...) on a
    line of its own: as readable in a diff as ``indent=2``, and written by json's C encoder,
    entry by entry, in a tenth of the time (an audit's report holds a line per model)."""
    written = io.StringIO()
    written.write("{")
    for number, (key, value) in enumerate(to_dict(report).items()):
        written.write(f"{',' if number else ''}\n  {ascii_json(key)}: ")
        if isinstance(value, list) and value:
            written.write("[")
            for index, entry in enumerate(value):
                written.write(f"{',' if index else ''}\n    {ascii_json(entry)}")
            written.write("\n  ]")
        else:
            written.write(ascii_json(value))
    written.write("\n}\n")
    return written.getvalue()
