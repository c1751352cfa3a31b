"""``--format text``: findings grouped by model, each line led by its file, like a compiler.

    models/llama-big  (acme/llama-big-v1, repo id from folder name under `acme`)
      models/llama-big: error: `big` in field {size} is not a known size [name/unknown-word]
        fix: acme/llama-base-v1
      models/llama-big/README.md:3:1: error: license `apache2` is not ... [card/license]

Colour only when writing to a terminal, and never with ``NO_COLOR`` set (the caller decides).
Every name, value and message is ``printable``: one finding is one line, and nothing in it acts
on the terminal (a folder named ``evil\\x1b[2J`` is shown so, and clears no screen).
"""

from __future__ import annotations

import os

from ..findings import Finding, Report
from ..printable import printable
from ..targets import Target

_COLORS = {"error": "31", "warning": "33", "info": "36", "dim": "2", "bold": "1"}


def _paint(text: str, style: str, color: bool) -> str:
    return f"\033[{_COLORS[style]}m{text}\033[0m" if color else text


def location(finding: Finding) -> str:
    parts = [finding.file or finding.repo_id or '""']
    if finding.line is not None:
        parts.append(str(finding.line))
        if finding.column is not None:
            parts.append(str(finding.column))
    return ":".join(parts)


def render(report: Report, color: bool) -> str:
    lines: list[str] = []
    for target in report.targets:
        findings = [finding for finding in report.findings if _belongs(finding, target)]
        status = _paint("ok", "dim", color) if not findings else ""
        title = _paint(printable(target.display), "bold", color)
        repo_id = printable(target.repo_id) or '""'
        lines.append(f"{title}  ({repo_id}, repo id from {printable(target.repo_id_source)}) {status}".rstrip())
        for finding in findings:
            severity = _paint(finding.severity, finding.severity, color)
            lines.append(f"  {printable(location(finding))}: {severity}: {printable(finding.message)} "
                         f"[{printable(finding.rule)}]")
            if finding.suggestion:
                lines.append(f"    fix: {printable(finding.suggestion)}")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def _belongs(finding: Finding, target: Target) -> bool:
    if finding.repo_id != target.repo_id:
        return False
    if target.folder is None:
        return finding.file is None
    folder = str(target.folder)
    return finding.file == folder or (finding.file or "").startswith(folder + os.sep)


def summary_line(report: Report) -> str:
    """"2 errors, 1 warning (3 models checked, 1 waived)": the last line of text and annotations."""
    counts = report.summary
    parts = [f"{counts[severity]} {severity}{'s' if counts[severity] != 1 else ''}"
             for severity in ("error", "warning", "info") if counts[severity]]
    checked = f"{counts['targets']} model{'s' if counts['targets'] != 1 else ''} checked"
    waived = f", {counts['waived']} waived" if counts["waived"] else ""
    return f"{', '.join(parts) or 'no problems'} ({checked}{waived})"
