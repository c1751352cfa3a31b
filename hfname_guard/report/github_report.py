"""``--format github``: GitHub Actions workflow commands, which the runner turns into annotations.

    ::error file=models/x/README.md,line=2,col=1,title=card/license::license `apache2` ...%0Afix: apache-2.0

Names, card values and messages come from the pull request's author, so every property and the
message are escaped the way the runner unescapes them (``workflow_commands.command``): a newline
in a message cannot start a command of its own, a ``:`` or ``,`` in a path cannot end a property.
And the finding's message and fix are ``printable``, as in the text format: a newline in a card
value is shown as ``\\n``, not as a line of the annotation.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (50 per job) and
drops the rest silently. So at most 10 of each are written, and when some are left out a last
notice says how many, with one notice slot kept free for it; the job summary and the JSON
report list them all. ``color`` is ignored: the runner reads these lines, not a person.
"""

from __future__ import annotations

import os

from ..findings import Finding, Report
from ..printable import printable
from ..workflow_commands import command
from . import annotated_position
from .text_report import summary_line

MAX_PER_KIND = 10
"""GitHub's cap on annotations of one kind (error, warning, notice) in one step."""
COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(report: Report, color: bool) -> str:
    totals = {kind: report.count(kind) for kind in COMMANDS}
    caps = dict.fromkeys(COMMANDS, MAX_PER_KIND)
    if any(total > MAX_PER_KIND for total in totals.values()):
        caps["info"] = MAX_PER_KIND - 1  # the notice saying what was left out takes a notice slot
    shown = dict.fromkeys(COMMANDS, 0)
    lines: list[str] = []
    for finding in report.findings:
        if shown[finding.severity] < caps[finding.severity]:
            lines.append(annotation(finding))
            shown[finding.severity] += 1
    left_out = {kind: totals[kind] - shown[kind] for kind in COMMANDS}
    if any(left_out.values()):
        lines.append(_left_out_notice(left_out))
    lines.append("hfname-guard: " + summary_line(report))
    return "\n".join(lines) + "\n"


def annotation(finding: Finding) -> str:
    """One workflow command: file, line and column when known (``annotated_position``: a name
    finding goes on the folder's README.md or config.json; a repo id checked alone has no file, so the repo id
    leads its message instead), the rule as the title."""
    file, line, column = annotated_position(finding)
    line = None if file is None else line  # a line only in a file, a column only on a line
    column = None if line is None else column
    message = printable(finding.message)
    if finding.file is None:
        repo_id = printable(finding.repo_id) or '""'
        message = f"{repo_id}: {message}"
    if finding.suggestion:
        message += f"\nfix: {printable(finding.suggestion)}"
    return command(COMMANDS[finding.severity], message, file=None if file is None else file.replace(os.sep, "/"),
                   line=line, col=column, title=finding.rule)


def _left_out_notice(left_out: dict[str, int]) -> str:
    words = {"error": "error", "warning": "warning", "info": "info finding"}
    counts = ", ".join(f"{count} {words[kind]}{'s' if count != 1 else ''}" for kind, count in left_out.items() if count)
    return command("notice", f"{counts} not annotated here: GitHub shows at most {MAX_PER_KIND} annotations of each "
                   "kind per step. The job summary and the report list them all.", title="hfname-guard")
