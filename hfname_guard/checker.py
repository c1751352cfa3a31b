"""The core: run every enabled rule on every target and gather the findings.

Every front end (command line, pre-commit hook, Action, Python API) calls ``check``; none of
them checks anything itself. A rule that raises is the checker's to contain: its exception
becomes an ``internal/rule-error`` finding on that model and the run goes on, so one bug never
hides what the other rules and models have to say (``Report.exit_code`` then says 3).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator

from .errors import HubUnreachable
from .facts import Facts, Run
from .findings import Finding, Problem, Report, Skipped, WaivedFinding, capped
from .policy import Policies, Policy
from .rules import all_rules
from .targets import Target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .judged import TargetFacts
    from .rules import Rule


def check(targets: Iterable[Target], policy: Policy | Policies | None = None, today: datetime.date | None = None, *,
          keep_facts: bool = False, online: str | None = None, own_hub_client: bool = False,
          workers: int = 1) -> Report:
    """Every enabled rule on every target; with ``keep_facts``, the report also keeps what each
    target was judged on (``Report.facts``, for the JSON report). ``online`` (``on`` or
    ``required``) checks every target against the Hub; None leaves it to each target's policy
    (``hub: {online: true}``). A ``hub/*`` check the Hub cannot answer is skipped, and one
    ``hub/unreachable`` finding says so (an error when ``online`` is ``required``).
    ``own_hub_client``: the caller owns the process (the command line), so huggingface_hub's
    shared HTTP client may be given a timeout (``hub.use_timeouts``); a library caller's is left alone.
    ``workers`` above 1 judges that many targets at once, for runs that wait on the Hub (an
    audit): the report is the same, in the same order.

    ``policy`` judges every target; ``Policies`` (or None: ``Policies()``) gives each target the
    policy of its own folder. Either way a target is judged with the namespaces and name template
    of the policy's `targets` entry for its folder (``Policy.for_folder``), and a target whose
    folder the policy's `exclude` keeps out is not checked but listed in ``Report.skipped``."""
    today = today or datetime.date.today()
    policies = policy if isinstance(policy, Policies) else Policies(policy)
    report = Report(targets=[], findings=[], waived=[], facts=[] if keep_facts else None)
    exceptions: dict[str, BaseException] = {}  # the first of each rule: tracebacks for --debug, few whatever the run
    skipped: list[Skipped] = []
    skipped_by: list[str] = []  # the policies that excluded them
    run = Run(online, own_hub_client)
    enabled: dict[tuple[int, bool, bool], list[tuple[Rule, str]]] = {}
    """Per policy, whether the target has files, and whether it is checked online: the rules that are on and apply."""

    def admitted() -> Iterator[tuple[Target, Policy]]:
        for target in targets:
            own = policies.of(target.folder)
            exclusion = own.excluded_by(target.folder) if own.excludes and target.folder is not None else None
            if exclusion is not None:
                skipped.append(Skipped(str(target.folder), exclusion.reason()))
                skipped_by.append(own.label)
                continue
            target = target.replace(policy=own.label)
            report.targets.append(target if target.record is None else target.replace(record=None))  # not the records
            yield target, own.for_folder(target.folder)

    def judged(admitted: tuple[Target, Policy]) -> _Verdict:
        return _judge(*admitted, run, enabled, today, keep_facts)

    verdicts: Iterable[_Verdict] = map(judged, admitted())
    if workers > 1:
        from .concurrently import in_order

        verdicts = in_order(judged, admitted(), workers)
    for verdict in verdicts:
        report.findings.extend(verdict.findings)
        report.waived.extend(verdict.waived)
        for rule_id, error in verdict.errors:
            exceptions.setdefault(rule_id, error)
        for rule_id in verdict.hub_skipped:
            run.hub_skipped.setdefault(rule_id, []).append(verdict.repo_id)
        if report.facts is not None:
            report.facts.append(verdict.facts)
    if run.hub_skipped:
        from .rules import hub_unreachable

        report.findings.append(hub_unreachable.finding(run.hub.down or "", run.hub_skipped, online == "required"))
    report.findings.sort(key=Finding.sort_key)
    report.waived.sort(key=Finding.sort_key)
    return report.replace(exceptions=tuple(exceptions.values()), skipped=tuple(skipped),
                          policy=_policy_of_the_run(report, skipped_by, policies))


class _Verdict:
    """What the rules say of one target: its findings, those a waiver hides, the rules that
    raised (with their exception), those the Hub's silence skipped, and (asked for) its facts."""

    def __init__(self, repo_id: str) -> None:
        self.repo_id = repo_id
        self.findings: list[Finding] = []
        self.waived: list[WaivedFinding] = []
        self.errors: list[tuple[str, BaseException]] = []
        self.hub_skipped: list[str] = []
        self.facts: TargetFacts | None = None


def _judge(target: Target, policy: Policy, run: Run, enabled: dict[tuple[int, bool, bool], list[tuple[Rule, str]]],
           today: datetime.date, keep_facts: bool) -> _Verdict:
    """Every rule ``policy`` enables on ``target``."""
    facts = Facts(target, policy, run) if target.record is None else _record_facts(target, policy, run)
    kind = (id(policy), target.folder is not None or target.record is not None, bool(run.online or policy.hub_online))
    rules = enabled.get(kind)
    if rules is None:  # the policy is kept: its id stays its own
        rules = enabled[kind] = _enabled_rules(policy, has_files=kind[1], online=kind[2])
    verdict = _Verdict(facts.repo_id)
    for rule, severity in rules:
        try:
            for problem in rule.check(facts):
                _file(verdict, _finding(rule, severity, problem, facts), policy, today)
        except HubUnreachable:
            verdict.hub_skipped.append(rule.ID)
        except Exception as error:  # the one place a rule's bug becomes a finding
            verdict.findings.append(_rule_error(rule, error, facts))
            verdict.errors.append((rule.ID, error))
    if keep_facts:
        verdict.facts = _judged(facts)
    return verdict


def _enabled_rules(policy: Policy, has_files: bool, online: bool) -> list[tuple[Rule, str]]:
    """The rules ``policy`` runs on a target with files (a folder, a Hub record) or without
    (a repo id alone), online or not, each with its severity there."""
    subjects = ("repo-id", "folder") if has_files else ("repo-id",)
    rules = ((rule, policy.severity(rule.ID, rule.SEVERITY)) for rule in all_rules(online) if rule.SUBJECT in subjects)
    return [(rule, severity) for rule, severity in rules if severity != "off"]


def _record_facts(target: Target, policy: Policy, run: Run) -> Facts:
    from .hub_records import RecordFacts

    return RecordFacts(target, policy, run)


def _policy_of_the_run(report: Report, skipped_by: list[str], policies: Policies) -> str | None:
    """The label of the policy that judged every target (with none checked: the one that
    excluded those named, else the one given, else the working directory's); None when the
    targets were judged by several."""
    labels = dict.fromkeys(target.policy for target in report.targets) or dict.fromkeys(skipped_by)
    if not labels:
        return policies.of(None).label
    return next(iter(labels)) if len(labels) == 1 else None


def _finding(rule: Rule, severity: str, problem: Problem, facts: Facts) -> Finding:
    return Finding(
        rule=rule.ID,
        severity=capped(severity, problem.at_most),
        message=problem.message,
        repo_id=facts.repo_id,
        file=problem.file if problem.file is not None else facts.file,
        line=problem.line,
        column=problem.column,
        suggestion=problem.suggestion,
    )


def _rule_error(rule: Rule, error: Exception, facts: Facts) -> Finding:
    """Always at its own severity and never waived: no policy may hide that a rule did not run."""
    from .rules import internal_rule_error

    return Finding(
        rule=internal_rule_error.ID,
        severity=internal_rule_error.SEVERITY,
        message=internal_rule_error.message(rule.ID, error),
        repo_id=facts.repo_id,
        file=facts.file,
    )


def _judged(facts: Facts) -> TargetFacts | None:
    """The facts a target was judged on; None when reading them fails (a rule that read the same
    fact has said so already, as an ``internal/rule-error``)."""
    from .judged import judged

    try:
        return judged(facts)
    except Exception:
        return None


def _file(verdict: _Verdict, finding: Finding, policy: Policy, today: datetime.date) -> None:
    """Add ``finding`` to the verdict, or to its waived list when a live waiver covers it."""
    expired = []
    for waiver in policy.waivers:
        if not waiver.covers(finding.repo_id, finding.rule):
            continue
        if waiver.expires is None or waiver.expires >= today:
            verdict.waived.append(WaivedFinding(**finding._values(), waiver=waiver))
            return
        expired.append(waiver)
    if expired:
        waiver = expired[0]
        note = f" (waiver `{waiver.repo_id}` at {waiver.where} expired on {waiver.expires}: {waiver.reason})"
        finding = finding.replace(message=finding.message + note)
    verdict.findings.append(finding)
