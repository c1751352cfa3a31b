"""``--format text``: findings grouped by model, each line led by its file, like a compiler.

    policy: .hfname-guard.yaml
    vendored/x: skipped: excluded by .hfname-guard.yaml:7:5 (exclude: vendored/**)
    models/llama-big  (acme/llama-big-v1, repo id from folder name under `acme`)
      models/llama-big: error: `big` in field {size} is not a known size [name/unknown-word]
        fix: acme/llama-base-v1
      models/llama-big/README.md:3:1: error: license `apache2` is not ... [card/license]

The first line names the policy (``policies: a, b`` when folders had their own, each model's
heading then naming its own); folders named but excluded by their policy follow, each with why.
Colour only when writing to a terminal, and never with ``NO_COLOR`` set (the caller decides).
Every name, value and message is ``printable``: one finding is one line, and nothing in it acts
on the terminal (a folder named ``evil\\x1b[2J`` is shown so, and clears no screen).
"""

from __future__ import annotations

import os

from ..findings import Finding, Report
from ..printable import printable
from ..targets import Target
from . import shown_where

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


def render(report: Report, color: bool, *, quiet: bool = False, show_waived: bool = False) -> str:
    """Each model's heading and findings; ``quiet``: the findings alone, no headings and no
    passing models; ``show_waived``: the findings waivers hid too, each with its waiver. The
    summary line last, either way."""
    lines: list[str] = []
    indent = "" if quiet else "  "
    findings_of, waived_of = _by_repo_id(report.findings), _by_repo_id(report.waived if show_waived else [])
    policies = report.policies
    if policies and not quiet:
        lines.append(policy_line(policies))
    lines += [f"{printable(skipped.folder)}: skipped: {printable(skipped.reason)}" for skipped in report.skipped]
    for target in report.targets:
        findings = [finding for finding in findings_of.get(target.repo_id, ()) if _belongs(finding, target)]
        waived = [finding for finding in waived_of.get(target.repo_id, ()) if _belongs(finding, target)]
        if not quiet:
            status = _paint("ok", "dim", color) if not findings else ""
            title = _paint(printable(target.display), "bold", color)
            repo_id = printable(target.repo_id) or '""'
            judged_by = f", policy {printable(target.policy)}" if len(policies) > 1 and target.policy else ""
            lines.append(f"{title}  ({repo_id}, repo id from {printable(target.repo_id_source)}{judged_by}) "
                         f"{status}".rstrip())
        for finding in findings:
            severity = _paint(finding.severity, finding.severity, color)
            lines.append(f"{indent}{printable(location(finding))}: {severity}: {printable(finding.message)} "
                         f"[{printable(finding.rule)}]")
            if finding.suggestion:
                lines.append(f"{indent}  fix: {printable(finding.suggestion)}")
        for finding in waived:  # never `FILE: error:`, which editors and log scanners would count
            lines.append(_paint(f"{indent}{printable(location(finding))}: waived ({finding.severity}): "
                                f"{printable(finding.message)} [{printable(finding.rule)}]", "dim", color))
            lines.append(_paint(f"{indent}  {_waived_by(finding)}", "dim", color))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def policy_line(policies: list[str]) -> str:
    """``policy: .hfname-guard.yaml``, or ``policies: a/.hfname-guard.yaml, b/.hfname-guard.yaml``
    when the targets were judged by several (each model's heading then names its own)."""
    if len(policies) == 1:
        return f"policy: {printable(policies[0])}"
    return "policies: " + ", ".join(printable(policy) for policy in policies)


def _by_repo_id(findings: list[Finding]) -> dict[str, list[Finding]]:
    """Findings by repo id: each model's are found at once however many models a run checks."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.repo_id, []).append(finding)
    return grouped


def _waived_by(finding: Finding) -> str:
    """``waived by .hfname-guard.yaml:32:5 (reason, until 2027-06-30)``."""
    waiver = getattr(finding, "waiver", None)
    if waiver is None:
        return "waived"
    until = f", until {waiver.expires}" if waiver.expires is not None else ""
    return f"waived by {printable(shown_where(waiver.where))} ({printable(waiver.reason)}{until})"


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
