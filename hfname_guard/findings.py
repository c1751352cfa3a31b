"""Findings: what rules report, as plain data every reporter renders."""

from __future__ import annotations

from .errors import EXIT_INTERNAL, EXIT_OK, EXIT_VIOLATIONS
from .record import Record
from .targets import Target

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from .judged import TargetFacts
    from .policy import Waiver

INTERNAL_FAMILY = "internal/"
"""The rule family the checker reports about itself (``internal/rule-error``): a policy can
neither change the severity of its findings nor waive them."""
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
DOCS_URL = "https://github.com/hfname-guard/hfname-guard/blob/main/docs/rules.md"


class Problem(Record):
    """One violation as a rule sees it; the checker adds the rule id, severity and target."""

    message: str
    suggestion: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None
    at_most: str | None = None
    """The most severe this finding may be, whatever the policy sets for its rule (``warning``):
    a card value the Hub accepts and shows is never an error of the Hub's. The policy's severity
    still applies when it is milder (``info``, ``off``)."""


def capped(severity: str, at_most: str | None) -> str:
    """``severity``, or ``at_most`` where that is milder."""
    if at_most is None or SEVERITY_ORDER[severity] >= SEVERITY_ORDER[at_most]:
        return severity
    return at_most


NAME_FIX_FAMILIES = ("repo-id", "name", "consistency", "hub")
"""Rule families whose fix may be a repo id: where a model's suggested name comes from."""


class Finding(Record):
    rule: str
    severity: str
    message: str
    repo_id: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    suggestion: str | None = None

    @property
    def help(self) -> str:
        return f"{DOCS_URL}#{self.rule.replace('/', '')}"

    @property
    def renames(self) -> bool:
        """Whether the fix is another repo id for the model (a name rule's), not a card value."""
        family = self.rule.split("/", 1)[0]
        return "/" in (self.suggestion or "") and family in NAME_FIX_FAMILIES

    def sort_key(self) -> tuple[str, str, int, int, int, str, str, str]:
        return (self.file or "", self.repo_id, self.line or 0, self.column or 0, SEVERITY_ORDER[self.severity],
                self.rule, self.message, self.suggestion or "")

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "repo_id": self.repo_id,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "suggestion": self.suggestion,
            "help": self.help,
        }


class WaivedFinding(Finding):
    """A finding a live waiver hid, with that waiver: what ``--show-waived`` and the JSON
    report's ``waived`` list show."""

    waiver: Waiver | None = None


class Skipped(Record):
    """A model folder named to be checked that its policy's ``exclude`` keeps out, and why
    (``excluded by .hfname-guard.yaml:7:5 (exclude: vendored/**)``)."""

    folder: str
    reason: str


class PolicyChange(Record):
    """In a pull request run: which policy decided, and what the pull request's own policy would
    have let through had it decided (see ``base_policy``)."""

    decided_by: str
    """``base`` (the base commit's policy) or ``head`` (the pull request's)."""
    base_commit: str | None
    notes: tuple[str, ...]
    """Plain sentences: the policy changed, the pull request's policy does not load, ..."""
    relaxed_rules: tuple[tuple[str, str, str], ...] = ()
    """(rule, severity under the base policy, under the pull request's): each one it weakens."""
    softened: tuple[tuple[Finding, str | None], ...] = ()
    """Findings of the base policy with their severity under the pull request's (None: gone)."""


class Report(Record):
    """What a check found: the targets checked, their findings and those hidden by waivers;
    in CI, also the repository and commit checked and any change to the policy."""

    targets: list[Target]
    findings: list[Finding]
    waived: list[Finding]
    """Findings a live waiver hid; the checker's are ``WaivedFinding``, which name the waiver."""
    repository: str | None = None
    commit: str | None = None
    policy_change: PolicyChange | None = None
    exceptions: tuple[BaseException, ...] = ()
    """The exception behind the first ``internal/rule-error`` of each rule that failed, so that
    ``--debug`` can print its traceback; no report format shows them."""
    facts: list[TargetFacts | None] | None = None
    """What each target was judged on, parallel to ``targets``, when the check was asked to keep
    it (``check(..., keep_facts=True)``: the JSON report shows it); None otherwise. A report
    made by merging others extends it with their ``targets``, or leaves it None."""
    policy: str | None = None
    """The policy that judged every target, as the output names it (a file relative to the
    working directory, or ``built-in default``); None when targets were judged by several
    (each ``Target.policy`` says which) or the report was not made by ``check``."""
    skipped: tuple[Skipped, ...] = ()
    """Folders named to be checked that their policy's ``exclude`` keeps out."""

    @property
    def policies(self) -> list[str]:
        """The policies that judged the targets, each once, in the order of the targets."""
        labels = dict.fromkeys(target.policy for target in self.targets if target.policy is not None)
        return list(labels) or ([self.policy] if self.policy is not None else [])

    def count(self, severity: str) -> int:
        return sum(finding.severity == severity for finding in self.findings)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "targets": len(self.targets),
            "error": self.count("error"),
            "warning": self.count("warning"),
            "info": self.count("info"),
            "waived": len(self.waived),
        }

    def fails(self, fail_on: str) -> bool:
        if fail_on == "never":
            return False
        worst = SEVERITY_ORDER[fail_on]
        return any(SEVERITY_ORDER[finding.severity] <= worst for finding in self.findings)

    @property
    def failed_internally(self) -> bool:
        """A rule failed on some model, so the verdict is incomplete: an ``internal/`` finding."""
        return any(finding.rule.startswith(INTERNAL_FAMILY) for finding in self.findings)

    def exit_code(self, fail_on: str) -> int:
        """3 when a rule failed (whatever ``fail_on`` says: a rule that did not run is no
        verdict), else 1 when a finding is at or above ``fail_on``, else 0."""
        if self.failed_internally:
            return EXIT_INTERNAL
        return EXIT_VIOLATIONS if self.fails(fail_on) else EXIT_OK
