"""The core: run every enabled rule on every target and gather the findings.

Every front end (command line, pre-commit hook, Action, Python API) calls ``check``; none of
them checks anything itself. A rule that raises is the checker's to contain: its exception
becomes an ``internal/rule-error`` finding on that model and the run goes on, so one bug never
hides what the other rules and models have to say (``Report.exit_code`` then says 3).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from .facts import Facts, Run
from .findings import Finding, Problem, Report
from .policy import Policy
from .rules import all_rules, internal_rule_error
from .targets import Target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .rules import Rule


def check(targets: Iterable[Target], policy: Policy, today: datetime.date | None = None) -> Report:
    today = today or datetime.date.today()
    report = Report(targets=[], findings=[], waived=[])
    exceptions: dict[str, BaseException] = {}  # the first of each rule: tracebacks for --debug, few whatever the run
    run = Run()
    for target in targets:
        report.targets.append(target)
        facts = Facts(target, policy, run)
        for rule in all_rules():
            severity = policy.severity(rule.ID, rule.SEVERITY)
            if rule.SUBJECT == "internal" or severity == "off" or (rule.SUBJECT == "folder" and target.folder is None):
                continue
            try:
                for problem in rule.check(facts):
                    _file(report, _finding(rule, severity, problem, facts), policy, today)
            except Exception as error:  # the one place a rule's bug becomes a finding
                report.findings.append(_rule_error(rule, error, facts))
                exceptions.setdefault(rule.ID, error)
    report.findings.sort(key=Finding.sort_key)
    report.waived.sort(key=Finding.sort_key)
    return report.replace(exceptions=tuple(exceptions.values()))


def _finding(rule: Rule, severity: str, problem: Problem, facts: Facts) -> Finding:
    return Finding(
        rule=rule.ID,
        severity=severity,
        message=problem.message,
        repo_id=facts.repo_id,
        file=problem.file if problem.file is not None else facts.file,
        line=problem.line,
        column=problem.column,
        suggestion=problem.suggestion,
    )


def _rule_error(rule: Rule, error: Exception, facts: Facts) -> Finding:
    """Always at its own severity and never waived: no policy may hide that a rule did not run."""
    return Finding(
        rule=internal_rule_error.ID,
        severity=internal_rule_error.SEVERITY,
        message=internal_rule_error.message(rule.ID, error),
        repo_id=facts.repo_id,
        file=facts.file,
    )


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
