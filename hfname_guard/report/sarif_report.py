"""``--format sarif``: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run; its rules are every rule of hfname-guard, so a rule's ``ruleIndex`` is the same in
every report of a version, and an id no rule module has (a report built by hand) is added
after them. A finding points at its file (a path relative to the checkout, ``%SRCROOT%``) and
line where known, a name finding at its model folder's README.md or config.json (code scanning
shows nothing on a directory); a repo id checked alone has no file and gets a logical location instead
(other SARIF viewers show it; GitHub code scanning rejects a whole upload in which a result
has no file, so upload the SARIF of model folders there, not of repo ids checked alone).
``partialFingerprints`` hash the rule, the file (or repo id) and the message, not the line, so
code scanning follows a finding across edits that move it.

GitHub code scanning takes at most 25,000 results per run and 10 MB per file and rejects the
upload otherwise; results past either limit are left out, and the run says so, in its
``properties`` and as a tool notification. ``color`` is ignored: SARIF is read by programs.

A result's message is shown to people, as an annotation is: the finding's message and fix are
``printable``. Every other string is ``encodable``: kept as it is, but for lone surrogates (a
file name that is not UTF-8), which no SARIF consumer could read; its URI says the bytes.
"""

from __future__ import annotations

import hashlib
import os
import pathlib
import urllib.parse

from .. import __version__
from ..findings import Finding, Report
from ..printable import encodable, printable
from ..rules import all_rules, summary
from . import annotated_position

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/hfname-guard/hfname-guard"
MAX_RESULTS = 25_000
"""GitHub code scanning's limit on results per run."""
MAX_BYTES = 10_000_000
"""GitHub code scanning's limit on a SARIF file (10 MB; counted here before compression)."""
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "hfnameGuardFinding/v1"


def render(report: Report, color: bool) -> str:
    import json

    rules = _rules(report.findings)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    results = encodable([_result(finding, index[finding.rule]) for finding in report.findings])
    rules = encodable(rules)
    encode = json.JSONEncoder(separators=(",", ":")).encode  # ASCII: any console, any file encoding
    # Results are added while the whole file, including the note on what was left out, fits.
    budget = MAX_BYTES - len(encode(_log(rules, [], report, len(results), omitted=len(results))))
    kept = 0
    for result in results[:MAX_RESULTS]:
        budget -= len(encode(result)) + 1  # and the comma before the next
        if budget < 0:
            break
        kept += 1
    return encode(_log(rules, results[:kept], report, len(results), omitted=len(results) - kept)) + "\n"


def _rules(findings: list[Finding]) -> list[dict[str, object]]:
    rules: list[dict[str, object]] = [
        {
            "id": rule.ID,
            "shortDescription": {"text": summary(rule)},
            "help": {"text": (rule.__doc__ or "").strip()},
            "helpUri": _help_uri(rule.ID),
            "defaultConfiguration": {"level": LEVELS[rule.SEVERITY]},
        }
        for rule in all_rules()
    ]
    known = {rule.ID for rule in all_rules()}
    for rule_id in dict.fromkeys(finding.rule for finding in findings):
        if rule_id not in known:
            rules.append({"id": rule_id, "shortDescription": {"text": rule_id}, "helpUri": _help_uri(rule_id)})
    return rules


def _help_uri(rule_id: str) -> str:
    """The rule's section of docs/rules.md, as ``Finding.help`` names it."""
    return Finding(rule=rule_id, severity="error", message="", repo_id="").help


def _result(finding: Finding, rule_index: int) -> dict[str, object]:
    text = printable(finding.message) + (f"\nfix: {printable(finding.suggestion)}" if finding.suggestion else "")
    where = finding.file if finding.file is not None else finding.repo_id
    key = f"{finding.rule}\0{where}\0{finding.message}".encode("utf-8", "surrogatepass")
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [_location(finding)],
        "partialFingerprints": {FINGERPRINT: hashlib.sha256(key).hexdigest()},
    }


def _location(finding: Finding) -> dict[str, object]:
    file, line, column = annotated_position(finding)
    if file is None:
        return {"logicalLocations": [{"fullyQualifiedName": finding.repo_id}]}
    physical: dict[str, object] = {"artifactLocation": _artifact(file)}
    if line is not None:
        region = {"startLine": line}
        if column is not None:
            region["startColumn"] = column
        physical["region"] = region
    return {"physicalLocation": physical}


def _artifact(path: str) -> dict[str, str]:
    """A relative path becomes a URI relative to the checkout; an absolute one a ``file:`` URI."""
    if os.path.isabs(path):
        return {"uri": pathlib.PurePath(path).as_uri()}
    return {"uri": urllib.parse.quote(path.replace(os.sep, "/"), errors="surrogateescape"), "uriBaseId": "%SRCROOT%"}


def _log(rules: list[dict[str, object]], results: list[dict[str, object]], report: Report, total: int,
         omitted: int = 0) -> dict[str, object]:
    invocation: dict[str, object] = {"executionSuccessful": True}
    properties: dict[str, object] = {"summary": report.summary}
    policies = report.policies
    if policies:  # the policy file (relative to the working directory) or "built-in default"
        properties["policy"] = encodable(policies[0]) if len(policies) == 1 else None
        if len(policies) > 1:
            properties["policies"] = encodable(policies)
    if report.skipped:
        properties["skipped"] = encodable([{"folder": skipped.folder, "reason": skipped.reason}
                                           for skipped in report.skipped])
    if omitted:
        note = (f"{omitted} of {total} results left out: GitHub code scanning takes at most {MAX_RESULTS:,} "
                f"results and {MAX_BYTES // 1_000_000} MB per SARIF file; the JSON report lists them all")
        invocation["toolExecutionNotifications"] = [{"level": "warning", "message": {"text": note}}]
        properties.update(truncated=True, resultsTotal=total, resultsOmitted=omitted)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "hfname-guard", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": properties,
        }],
    }

