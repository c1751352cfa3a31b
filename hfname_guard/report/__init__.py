"""Reporters: one module per output format, each with ``render(report, color) -> str``."""

from __future__ import annotations

import importlib
import os

FORMATS = ("text", "json", "github", "sarif", "markdown")
ANCHORS = ("README.md", "config.json", "adapter_config.json")
"""The files of a model folder that a finding about the whole folder is shown on, first found first."""

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Protocol

    from ..findings import Finding, Report

    class Reporter(Protocol):
        def render(self, report: Report, color: bool) -> str: ...


def reporter(name: str) -> Reporter:
    if name not in FORMATS:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}_report")


def annotated_position(finding: Finding) -> tuple[str | None, int | None, int | None]:
    """Where a tool that marks files (GitHub's annotations, code scanning) shows ``finding``: its
    file, line and column, except that a finding about a whole model folder (a name rule's) goes
    on line 1 of the folder's card, else of its config: those tools show nothing on a directory,
    and these are the files of the folder a pull request most likely changes."""
    if finding.file is not None and os.path.isdir(finding.file):
        for name in ANCHORS:
            anchor = os.path.join(finding.file, name)
            if os.path.isfile(anchor):
                return anchor, 1, None
    return finding.file, finding.line, finding.column


def shown_where(where: str) -> str:
    """A ``file:line:column`` of the policy (a waiver's place), with the file relative to the
    working folder when it is inside it, as reports show the files they name."""
    path, position = where, ""
    parts = where.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        path, position = parts[0], f":{parts[1]}:{parts[2]}"
    if os.path.isabs(path):
        try:
            relative = os.path.relpath(path)
        except ValueError:  # another drive, on Windows
            return where
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            path = relative
    return path + position
