"""The core: run every enabled rule on every target and gather the findings.

Every front end (command line, pre-commit hook, Action, Python API) calls ``check``; none of
them checks anything itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from .facts import Facts
from .findings import Finding, Report
from .policy import Policy
from .rules import all_rules
from .targets import Target


def check(targets: Iterable[Target], policy: Policy, today: datetime.date | None = None) -> Report:
    today = today or datetime.date.today()
    report = Report(targets=[], findings=[], waived=[])
    for target in targets:
        report.targets.append(target)
        facts = Facts(target, policy)
        for rule in all_rules():
            severity = policy.severity(rule.ID, rule.SEVERITY)
            if severity == "off" or (rule.SUBJECT == "folder" and target.folder is None):
                continue
            for problem in rule.check(facts):
                finding = Finding(
                    rule=rule.ID,
                    severity=severity,
                    message=problem.message,
                    repo_id=target.repo_id,
                    file=problem.file if problem.file is not None else facts.file,
                    line=problem.line,
                    column=problem.column,
                    suggestion=problem.suggestion,
                )
                _file(report, finding, policy, today)
    report.findings.sort(key=Finding.sort_key)
    report.waived.sort(key=Finding.sort_key)
    return report


def _file(report: Report, finding: Finding, policy: Policy, today: datetime.date) -> None:
    """Add ``finding`` to the report, or to its waived list when a live waiver covers it."""
    expired = []
    for waiver in policy.waivers:
        if not waiver.covers(finding.repo_id, finding.rule):
            continue
        if waiver.expires is None or waiver.expires >= today:
            report.waived.append(finding)
            return
        expired.append(waiver)
    if expired:
        waiver = expired[0]
        note = f" (waiver `{waiver.repo_id}` at {waiver.where} expired on {waiver.expires}: {waiver.reason})"
        finding = finding.replace(message=finding.message + note)
    report.findings.append(finding)
