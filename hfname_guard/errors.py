"""Errors that end a run, each with the exit code the command line turns it into.

Model problems are never exceptions: they are findings. Exceptions are for what stops the tool
from checking at all (a bad policy, a bad command line), and ``cli.main`` is the one place that
turns them into a message and an exit code.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141
"""What a shell reports for a process ended by SIGPIPE: the reader of the output (``| head``) left."""


class HfnameGuardError(Exception):
    """Base class: ``str(error)`` is the complete user-facing message."""

    exit_code = EXIT_USAGE


class UsageError(HfnameGuardError):
    """The command line asked for something impossible (unknown rule, bad path, ...)."""


class PolicyError(HfnameGuardError):
    """The policy could not be read, parsed, validated or compiled.

    ``problems`` holds one line per problem, each already prefixed with ``file:line:column``.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class YamlError(HfnameGuardError):
    """A YAML document could not be loaded safely; ``line``/``column`` are 1-based where known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(message)


class HubUnreachable(Exception):
    """The Hub could not answer (offline mode, a timeout, a 5xx, a rate limit after retries).

    Not a run-ending error: the checker catches it around the ``hub/*`` rule that asked, skips
    that check, and reports one ``hub/unreachable`` finding for the run. ``reason`` is a
    sentence for that finding."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
