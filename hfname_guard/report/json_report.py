"""``--format json``: the report as ``schemas/report.schema.json`` describes it.

Written as ASCII (``\\u00fc`` for ``ü``), so the file is the same valid JSON whatever the
encoding of the console or file it goes to (a Windows code page, ``PYTHONIOENCODING=ascii``),
and ``encodable``: a lone surrogate, from a file name that is not UTF-8 or a ``"\\ud800"`` in
config.json, is written as the text ``\\xff`` or ``\\ud800``, not as an escape strict JSON
parsers reject. Every other character is kept, as JSON escapes it.
"""

from __future__ import annotations

import json

from ..findings import PolicyChange, Report
from ..printable import encodable

REPORT_VERSION = 1


def to_dict(report: Report) -> dict[str, object]:
    provenance = {"repository": report.repository, "commit": report.commit} if report.repository else {}
    change = {"policy_change": _policy_change(report.policy_change)} if report.policy_change else {}
    return {
        "version": REPORT_VERSION,
        **provenance,
        "targets": [
            {"repo_id": target.repo_id, "folder": str(target.folder) if target.folder else None,
             "repo_id_source": target.repo_id_source}
            for target in report.targets
        ],
        "findings": [finding.to_dict() for finding in report.findings],
        "summary": report.summary,
        **change,
    }


def _policy_change(change: PolicyChange) -> dict[str, object]:
    return {
        "decided_by": change.decided_by,
        "base_commit": change.base_commit,
        "notes": list(change.notes),
        "relaxed_rules": [{"rule": rule, "base": base, "head": head} for rule, base, head in change.relaxed_rules],
        "softened": [{"finding": finding.to_dict(), "head_severity": severity} for finding, severity in change.softened],
    }


def render(report: Report, color: bool) -> str:
    return json.dumps(encodable(to_dict(report)), indent=2) + "\n"
