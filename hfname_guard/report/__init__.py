"""Reporters: one module per output format, each with ``render(report, color) -> str``."""

from __future__ import annotations

import importlib

FORMATS = ("text", "json", "github", "sarif", "markdown")

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    from typing import Protocol

    from ..findings import Report

    class Reporter(Protocol):
        def render(self, report: Report, color: bool) -> str: ...


def reporter(name: str) -> Reporter:
    if name not in FORMATS:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}_report")  # type: ignore[return-value]
