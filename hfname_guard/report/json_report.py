"""``--format json``: the report as ``schemas/report.schema.json`` describes it."""

from __future__ import annotations

import json

from ..findings import Report

REPORT_VERSION = 1


def to_dict(report: Report) -> dict[str, object]:
    return {
        "version": REPORT_VERSION,
        "targets": [
            {"repo_id": target.repo_id, "folder": str(target.folder) if target.folder else None,
             "repo_id_source": target.repo_id_source}
            for target in report.targets
        ],
        "findings": [finding.to_dict() for finding in report.findings],
        "summary": report.summary,
    }


def render(report: Report, color: bool) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
