"""GitHub Actions workflow commands: writing the tool's own, and keeping untrusted text from forming any.

The runner reads every line a step prints, on standard output and standard error alike, as a
possible command (actions/runner, ``ActionCommand.cs``): a line that starts with ``::`` once
leading whitespace is trimmed (``::add-mask::x``, ``::error file=a::m``), or a line that holds
``##[`` anywhere (the legacy form, ``##[set-output name=x;]y``). Folder names, card values and
policy keys come from the author of a pull request and are quoted in messages; printed as they
are, they could hide log text behind a mask, stop the processing of commands, set outputs or
forge annotations. Two defences, both here:

- the tool's own commands are built by ``command``, which escapes every value the way the
  runner unescapes it, so a value can neither end its command nor start another;
  ``write_workflow_commands`` writes them to standard output past the guard;
- inside Actions, ``guarded_standard_streams`` puts a ``CommandGuard`` in front of standard
  output and standard error (unless one is redirected to a file, which the runner never reads).
  It writes every line unchanged, but puts the lines the runner could read as commands between
  ``::stop-commands::TOKEN`` and ``::TOKEN::``, GitHub's documented way to print text
  verbatim, with a fresh random token that the text cannot know.

The guard's test is wider than the runner's on purpose: ``::`` or ``##[`` anywhere in a line,
whatever breaks the line further (the runner also ends a line at a lone ``\\r``, and trims
whitespace as .NET defines it, not as Python does). A line wrapped needlessly costs two more
log lines; a line let through wrongly could cost a secret. A stop is written with its lines and
its resume at once, never left open: the runner keeps one stop for both streams, so a stop left
open on standard error would silence the annotations on standard output.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
import sys

from .printable import printable, printable_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import TextIO


def command(name: str, message: str, **properties: str | int | None) -> str:
    """One workflow command line (no line break): ``::name key=value,...::message``, every
    property value and the message escaped; properties that are None are left out. The name and
    the keys are the tool's own, never untrusted text. Values and message are made ``printable``
    first (the message keeps its line breaks): no control character reaches the log or the
    annotation, and no lone surrogate (a file name that is not UTF-8) fails to encode."""
    given = ",".join(f"{key}={escape_property(printable(str(value)))}"
                     for key, value in properties.items() if value is not None)
    return f"::{name}{' ' if given else ''}{given}::{escape_data(printable_lines(message))}"


def escape_data(text: str) -> str:
    """A command's message, escaped as the runner unescapes it (``%`` first)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: also ``:`` (which ends the properties) and ``,`` (which separates them)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write_workflow_commands(text: str) -> None:
    """Write the tool's own workflow commands (whole lines made by ``command``) to standard
    output, past the guard when one is installed."""
    if isinstance(sys.stdout, CommandGuard):
        sys.stdout.write_commands(text)
    else:
        sys.stdout.write(text)


@contextlib.contextmanager
def guarded_standard_streams() -> Iterator[None]:
    """Standard output and standard error, where the runner reads them, each behind a
    ``CommandGuard`` for the duration; on leaving, the partial lines the guards hold are written
    and the streams put back."""
    originals = sys.stdout, sys.stderr
    stdout, stderr = _guarded_stream(sys.stdout), _guarded_stream(sys.stderr)
    sys.stdout, sys.stderr = stdout, stderr
    try:
        yield
    finally:
        sys.stdout, sys.stderr = originals
        try:
            _finish(stdout)
        finally:
            _finish(stderr)


def _guarded_stream(stream: TextIO) -> TextIO | CommandGuard:
    """``stream`` behind a guard, unless it is a regular file (``> report.json``): the runner
    reads a step's output through pipes, and a file keeps the bytes a program wrote."""
    try:
        is_file = stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError):  # no file descriptor (io.UnsupportedOperation is both): guard it
        is_file = False
    return stream if is_file else CommandGuard(stream)


def _finish(stream: TextIO | CommandGuard) -> None:
    if isinstance(stream, CommandGuard):
        stream.finish()


class CommandGuard:
    """A text stream in front of ``stream`` that writes whole lines, each unchanged, with the lines
    the runner could read as commands between a stop and a resume.

    A partial line is held until its line ends (the part still to come could make it a command),
    and written by ``finish``.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._partial_line = ""

    @property
    def encoding(self) -> str:
        return self.stream.encoding

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def write(self, text: str) -> int:
        lines, newline, self._partial_line = (self._partial_line + text).rpartition("\n")
        if newline:
            self.stream.write(_guarded(lines + newline))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def write_commands(self, commands: str) -> None:
        """Write the tool's own commands as they are, as whole lines: a partial line held is ended
        first, and so is the last command when it has no line break (else a stop written next
        would be read as part of it)."""
        if self._partial_line:
            self.write("\n")
        self.stream.write(commands if commands.endswith("\n") else commands + "\n")

    def finish(self) -> None:
        """Write the partial line held; one the runner could read as a command is ended with a
        line break, so that the resume after it is a line of its own."""
        partial_line, self._partial_line = self._partial_line, ""
        self.stream.write(_verbatim(partial_line + "\n") if _could_be_command(partial_line) else partial_line)


def _could_be_command(text: str) -> bool:
    return "::" in text or "##[" in text


def _guarded(lines: str) -> str:
    """``lines`` (each ending with ``\\n``), each run of lines that could be commands between
    ``::stop-commands::TOKEN`` and ``::TOKEN::``."""
    if not _could_be_command(lines):  # exact for the whole text: neither marker spans a line break
        return lines
    runs = itertools.groupby((line + "\n" for line in lines[:-1].split("\n")), key=_could_be_command)
    return "".join(_verbatim("".join(run)) if could_be_command else "".join(run) for could_be_command, run in runs)


def _verbatim(lines: str) -> str:
    token = os.urandom(16).hex()  # secrets.token_hex(16), without the milliseconds its import costs
    return f"::stop-commands::{token}\n{lines}::{token}::\n"
