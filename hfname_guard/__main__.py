"""``python -m hfname_guard``: the same program as the ``hfname-guard`` command."""

from __future__ import annotations

from .cli import run

run()
