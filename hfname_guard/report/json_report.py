"""``--format json``: the report as ``schemas/report.schema.json`` describes it."""

from __future__ import annotations

import json

from ..findings import PolicyChange, Report

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
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
