"""``--format markdown``: the report as people read it on GitHub, in the job summary and the
pull request's comment.

Both are built from the JSON report's dict (``json_report.to_dict``), so a later workflow can
comment a saved report.json without running the pull request's code. That dict is untrusted:
repo ids, folder names, card values and messages come from the pull request's author (and a
report.json from a fork's workflow can say anything). Every value from it is escaped so that it
renders as the text it is: ``&<>`` become entities, so no HTML; the marks Markdown acts on within
a line (``\\ ` * _ ~ [ ] | $ #``) are backslash-escaped, so no links, images, emphasis, math or
broken table cells; newlines become spaces, and the other invisible controls (bidirectional
overrides included) are shown as every format shows them (``printable``: ``\\x1b``, ``\\u202e``).
Each value follows fixed text on its line (a table cell, a heading, a list item led by a mark),
so no list, quote or heading can start with one.
GitHub finds mentions, issue references and bare URLs in the rendered text, after escapes are
undone, so a zero-width joiner goes after every ``@`` and ``#``, into ``GH-123``, ``://`` and
``www.``: ``@someone`` and ``#123`` read the same and ping and link no one. Backquoted parts of a
message become ``<code>`` elements around escaped text, so they look like code and stay inert.

GitHub takes a comment of at most 65,536 characters and a step's job summary of at most 1 MiB.
A report too long for one is summarized: counts per rule and per model, then as many findings
as fit, then how many more there are and where to find them.
"""

from __future__ import annotations

import os
import re

from ..findings import DOCS_URL, Report
from ..printable import escape, unprintable
from .json_report import to_dict

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from collections.abc import Callable
    from typing import Any

MAX_COMMENT_CHARS = 65_536
COMMENT_HEADROOM = 64
"""Characters of a comment left for the marker line that ``github.py`` (which owns the sticky
comment) puts in front of ``comment_body``: the body itself is at most 65,536 less these."""
MAX_SUMMARY_BYTES = 1 << 20
MAX_FIELD = 500
"""Characters of one value shown; a 10,000-character card value would crowd out the report."""
MAX_OVERVIEW_ROWS = 50
MAX_POLICY_ROWS = 20
"""Rules and findings listed of what a changed policy would let through; the rest are counted."""
SEVERITIES = {"error": "\u274c error", "warning": "\u26a0\ufe0f warning", "info": "\u2139\ufe0f info"}
ZWJ = "\u200d"
SEPARATOR = " \u00b7 "

_LINKING = re.compile(r"(?<=[@#])|(?<=:)(?=//)|(?<=[Ww][Ww][Ww])(?=\.)|(?<=[Gg][Hh]-)(?=[0-9])")
_MARKUP = re.compile(r"[\\`*_~\[\]|$#&<>]")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_HELP = re.compile(re.escape(DOCS_URL) + r"#[a-z0-9-]*")
_TABLE = "| | Rule | Location | Problem | Fix |\n|---|---|---|---|---|\n"


def render(report: Report, color: bool) -> str:
    """The job summary; ``color`` is ignored (Markdown has none)."""
    return summary_body(to_dict(report))


def summary_body(report: dict[str, Any]) -> str:
    return _document(report, MAX_SUMMARY_BYTES, _utf8_size, "1 MiB for a job summary",
                     "the JSON report (`--format json`) lists every finding")


def comment_body(report: dict[str, Any]) -> str:
    """The pull request comment's text, without the marker that ``github.GitHub.sticky_comment``
    puts in front of it (``COMMENT_HEADROOM`` keeps room for that)."""
    return _document(report, MAX_COMMENT_CHARS - COMMENT_HEADROOM, len, "65,536 characters for a comment",
                     "the job summary and the JSON report list every finding")


def _document(report: dict[str, Any], limit: int, size: Callable[[str], int], cap: str, elsewhere: str) -> str:
    """The whole report when it fits in ``limit`` (as ``size`` counts), else a summary of it.

    Findings come as rows, the first of each model with its heading and table header, so
    cutting between any two rows leaves valid Markdown."""
    findings = report["findings"]
    groups, passed = _groups(report)
    head = _head(report, groups, len(passed)) + _policy_change(report.get("policy_change"))
    rows = [row for title, members in groups for row in _section(title, members)]
    text = head + "".join(rows)
    if size(text) <= limit:
        listed = _passed(passed)
        return text + listed if passed and size(text) + size(listed) <= limit else text

    def note(count: int) -> str:
        return (f"\n**{count:,} more finding{'s' if count != 1 else ''}** not shown: GitHub takes at most {cap}; "
                f"{elsewhere}.\n")

    budget = limit - size(head) - size(note(len(findings)))
    parts, shown = [head], 0
    for unit, count in [*((line, 0) for line in _overview(groups)), *((row, 1) for row in rows)]:
        budget -= size(unit)
        if budget < 0:
            break
        parts.append(unit)
        shown += count
    return "".join(parts) + note(len(findings) - shown)


def _groups(report: dict[str, Any]) -> tuple[list[tuple[str, list[dict[str, Any]]]], list[str]]:
    """Findings per model, in the order the models were checked, and the models that pass.

    A finding belongs to the model with its repo id whose folder holds its file; a finding no
    model claims (a report edited by hand) is shown under its repo id rather than dropped."""
    targets = report["targets"]
    members: list[list[dict[str, Any]]] = [[] for _ in targets]
    by_repo_id: dict[str, list[int]] = {}
    for index, target in enumerate(targets):
        by_repo_id.setdefault(target["repo_id"], []).append(index)
    unclaimed: dict[str, list[dict[str, Any]]] = {}
    for finding in report["findings"]:
        candidates = by_repo_id.get(finding["repo_id"], [])
        owner = next((index for index in candidates if _holds(targets[index]["folder"], finding["file"])),
                     candidates[0] if candidates else None)
        if owner is None:
            unclaimed.setdefault(finding["repo_id"], []).append(finding)
        else:
            members[owner].append(finding)
    several = not isinstance(report.get("policy"), str)  # each model's heading names its policy
    titles = [_title(target, several) for target in targets]
    groups = [(title, found) for title, found in zip(titles, members) if found]
    groups += [(_escape(repo_id), found) for repo_id, found in unclaimed.items()]
    return groups, [title for title, found in zip(titles, members) if not found]


def _holds(folder: str | None, file: str | None) -> bool:
    if folder is None or file is None:
        return folder is file
    return file == folder or file.startswith((folder + "/", folder + os.sep))


def _title(target: dict[str, Any], several: bool = False) -> str:
    repo_id = _escape(target["repo_id"]) or '""'
    policy = target.get("policy")
    judged_by = f", policy {_escape(policy)}" if several and isinstance(policy, str) else ""
    if target["folder"] is None:
        return f"{repo_id} (policy {_escape(policy)})" if judged_by else repo_id
    return f"{_escape(target['folder'])} ({repo_id}, repo id from {_inline(target['repo_id_source'])}{judged_by})"


def _head(report: dict[str, Any], groups: list[tuple[str, list[dict[str, Any]]]], passing: int) -> str:
    counts = {severity: 0 for severity in SEVERITIES}
    for _, found in groups:
        for finding in found:
            if finding["severity"] in counts:
                counts[finding["severity"]] += 1
    found_text = ", ".join(_plural(counts[severity], severity) for severity in SEVERITIES if counts[severity])
    icon = next((SEVERITIES[severity].split()[0] for severity in SEVERITIES if counts[severity]), "\u2705")
    title = f"hfname-guard found {found_text}" if found_text else "hfname-guard: no naming problems"
    waived = report["summary"].get("waived")
    checked = [_plural(len(report["targets"]), "model") + " checked", f"{passing:,} pass",
               *(_plural(counts[severity], severity) for severity in SEVERITIES)]
    if isinstance(waived, int) and waived:
        checked.append(f"{waived:,} waived")
    if isinstance(report.get("commit"), str):
        checked.append(f"commit <code>{_escape(report['commit'][:12])}</code>")
    return f"## {icon} {title}\n\n{SEPARATOR.join(checked)}\n" + _policy_named(report)


def _policy_named(report: dict[str, Any]) -> str:
    """The policy that judged the models (the report's `policy`; with several, each model's),
    and the folders named to be checked that their policy's `exclude` kept out."""
    policy = report.get("policy")
    if isinstance(policy, str):
        policies = [policy]
    else:
        policies = list(dict.fromkeys(target["policy"] for target in report["targets"]
                                      if isinstance(target.get("policy"), str)))
    lines = []
    if policies:
        shown = ", ".join(f"<code>{_escape(label)}</code>" for label in policies[:MAX_POLICY_ROWS])
        more = f" and {len(policies) - MAX_POLICY_ROWS:,} more" if len(policies) > MAX_POLICY_ROWS else ""
        lines.append(f"\n{'Policy' if len(policies) == 1 else 'Policies'}: {shown}{more}\n")
    skipped = [entry for entry in report.get("skipped") or [] if isinstance(entry, dict)]
    if skipped:
        lines.append(f"\n{_plural(len(skipped), 'folder')} skipped:\n")
        lines += [f"- <code>{_escape(entry.get('folder'))}</code>: {_inline(entry.get('reason'))}\n"
                  for entry in skipped[:MAX_POLICY_ROWS]]
        if len(skipped) > MAX_POLICY_ROWS:
            lines.append(f"- and {len(skipped) - MAX_POLICY_ROWS:,} more\n")
    return "".join(lines)


def _policy_change(change: dict[str, Any] | None) -> str:
    """Which policy decided, and what the pull request's own policy would let through."""
    if not change:
        return ""
    lines = ["", *(f"> \u26a0\ufe0f {_inline(note)}" for note in change["notes"])]
    relaxed = change["relaxed_rules"]
    if relaxed:
        shown = ", ".join(f"{_escape(rule['rule'])} ({_escape(rule['base'])} \u2192 {_escape(rule['head'])})"
                          for rule in relaxed[:MAX_POLICY_ROWS])
        more = f" and {len(relaxed) - MAX_POLICY_ROWS:,} more" if len(relaxed) > MAX_POLICY_ROWS else ""
        lines.append(f">\n> The new policy switches off or lowers: {shown}{more}.")
    softened = change["softened"]
    if softened:
        lines.append(f">\n> Under the new policy, {_plural(len(softened), 'finding')} of this pull request would be "
                     "waived, switched off or lowered:")
        for entry in softened[:MAX_POLICY_ROWS]:
            finding, severity = entry["finding"], entry["head_severity"]
            becomes = f"would be {_escape(severity)}" if severity else "would not be reported"
            lines.append(f"> - {_rule(finding)} on {_escape(finding['file'] or finding['repo_id'])}: {becomes}")
        if len(softened) > MAX_POLICY_ROWS:
            lines.append(f"> - and {len(softened) - MAX_POLICY_ROWS:,} more")
    return "\n".join(lines) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'s' if count != 1 and word != 'info' else ''}"


def _section(title: str, findings: list[dict[str, Any]]) -> list[str]:
    rows = [_row(finding) for finding in findings]
    return [f"\n### {title}\n\n{_TABLE}{rows[0]}", *rows[1:]]


def _row(finding: dict[str, Any]) -> str:
    severity = SEVERITIES.get(finding["severity"]) or _escape(finding["severity"])
    where = [finding["file"] if finding["file"] is not None else finding["repo_id"]]
    if finding["line"] is not None:
        where.append(finding["line"])
        if finding["column"] is not None:
            where.append(finding["column"])
    fix = f"<code>{_escape(finding['suggestion'])}</code>" if finding["suggestion"] else ""
    return (f"| {severity} | {_rule(finding)} | {_escape(':'.join(map(str, where)))} | {_inline(finding['message'])} "
            f"| {fix} |\n")


def _rule(finding: dict[str, Any]) -> str:
    """The rule, linked to its documentation when the link is ours (the dict is untrusted)."""
    rule = _escape(finding["rule"])
    help_url = finding.get("help")
    return f"[{rule}]({help_url})" if isinstance(help_url, str) and _HELP.fullmatch(help_url) else rule


def _overview(groups: list[tuple[str, list[dict[str, Any]]]]) -> list[str]:
    """Counts per rule and per model (the first 50 of each): what a summarized report leads with,
    so that the whole report is seen at a glance even when most findings are left out."""
    per_rule: dict[str, dict[str, int]] = {}
    per_model: list[tuple[str, dict[str, int]]] = []
    for title, found in groups:
        counts: dict[str, int] = {}
        for finding in found:
            rule = per_rule.setdefault(_rule(finding), {})
            for tally in (rule, counts):
                tally[finding["severity"]] = tally.get(finding["severity"], 0) + 1
        per_model.append((title, counts))
    return [*_count_table("Findings per rule", "Rule", list(per_rule.items()), "rules"),
            *_count_table("Findings per model", "Model", per_model, "models")]


def _count_table(heading: str, label: str, rows: list[tuple[str, dict[str, int]]], noun: str) -> list[str]:
    lines = [f"| {name} | {' | '.join(str(counts.get(severity, 0)) for severity in SEVERITIES)} |\n"
             for name, counts in rows[:MAX_OVERVIEW_ROWS]]
    if len(rows) > MAX_OVERVIEW_ROWS:
        lines.append(f"| {len(rows) - MAX_OVERVIEW_ROWS:,} more {noun} | | | |\n")
    header = f"\n### {heading}\n\n| {label} | Errors | Warnings | Info |\n|---|--:|--:|--:|\n"
    return [header + lines[0], *lines[1:]]


def _passed(titles: list[str]) -> str:
    listed = "".join(f"- \u2705 {title}\n" for title in titles)
    return f"\n<details><summary>{_plural(len(titles), 'model')} without findings</summary>\n\n{listed}\n</details>\n"


def _inline(value: object) -> str:
    """A message: escaped, its backquoted parts as ``<code>`` (a lone backquote stays one)."""
    parts = _clip(value).split("`")
    return "".join(
        f"<code>{_escape_clipped(part)}</code>" if index % 2 and index < len(parts) - 1
        else ("\\`" if index % 2 else "") + _escape_clipped(part)
        for index, part in enumerate(parts)
    )


def _escape(value: object) -> str:
    return _escape_clipped(_clip(value))


def _clip(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= MAX_FIELD else text[:MAX_FIELD] + "\u2026"


def _escape_clipped(text: str) -> str:
    text = unprintable().sub(_visible, text)
    text = _LINKING.sub(ZWJ, text)
    return _MARKUP.sub(lambda mark: _ENTITIES.get(mark.group(), "\\" + mark.group()), text)


def _visible(control: re.Match[str]) -> str:
    character = control.group()
    return " " if character in "\t\n\r\u2028\u2029" else escape(character)


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))
