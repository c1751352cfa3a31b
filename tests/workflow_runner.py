"""What the GitHub Actions runner executes of a step's output: a small, faithful model, for tests.

It follows actions/runner: ``ProcessInvoker`` reads each stream with .NET's ``StreamReader.ReadLine``
(a line ends at ``\\r\\n``, ``\\r`` or ``\\n``); ``ActionCommandManager.TryProcessCommand`` parses
each line as a v2 command (``::name k=v,k=v::data`` once leading whitespace is trimmed), else as a
v1 command (``##[name k=v;k=v]data`` anywhere in the line), keeps only registered names (compared
ignoring case), and between ``::stop-commands::TOKEN`` and the line ``::TOKEN::`` executes nothing
but that resume. ``known=None`` takes every name as registered: a stricter reading for text
that must hold no command at all, should the runner learn new ones.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Container, Iterator
from dataclasses import dataclass, field

RUNNER_COMMANDS = frozenset({
    "stop-commands", "set-env", "set-output", "save-state", "add-mask", "add-path", "add-matcher", "remove-matcher",
    "debug", "warning", "error", "notice", "group", "endgroup", "echo",
})
NET_WHITESPACE = ("\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
                  + "\u2028\u2029\u202f\u205f\u3000")
"""What .NET's ``string.TrimStart()`` removes (``char.IsWhiteSpace``)."""
LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


@dataclass
class Command:
    name: str
    data: str
    properties: dict[str, str] = field(default_factory=dict)
    span: tuple[int, int] = (0, 0)
    """Where its line is in the output, line break included."""


def executed(output: str, known: Collection[str] | None = RUNNER_COMMANDS) -> list[Command]:
    """The commands the runner executes from ``output``, in order, stop-commands and resumes included
    (a resume is a command named ``resume``, its token as data)."""
    commands: list[Command] = []
    stop_token: str | None = None
    for line, span in runner_lines(output):
        registered = _registered(known, stop_token)
        command = parse_v2(line, registered) or parse_v1(line, registered)
        if command is None:
            continue
        command.span = span
        if stop_token is not None:
            if command.name.lower() == stop_token.lower():
                commands.append(Command("resume", stop_token, span=span))
                stop_token = None
        else:
            if command.name.lower() == "stop-commands":
                stop_token = command.data
            commands.append(command)
    return commands


def assert_only_stop_and_resume_pairs(commands: list[Command]) -> None:
    """``commands`` are stop-commands, each followed by its resume, with a fresh token each."""
    assert [found.name for found in commands] == ["stop-commands", "resume"] * (len(commands) // 2), commands
    assert all(stop.data == resume.data for stop, resume in zip(commands[::2], commands[1::2]))
    assert len({found.data for found in commands}) == len(commands) // 2


def without(output: str, commands: list[Command]) -> str:
    """``output`` without the lines of ``commands``."""
    kept, position = [], 0
    for found in commands:
        kept.append(output[position:found.span[0]])
        position = found.span[1]
    return "".join(kept) + output[position:]


def runner_lines(output: str) -> Iterator[tuple[str, tuple[int, int]]]:
    for match in LINE.finditer(output):
        yield match.group().rstrip("\r\n"), match.span()


def parse_v2(line: str, registered: Container[str]) -> Command | None:
    message = line.lstrip(NET_WHITESPACE)
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    name, space, properties = message[2:end].partition(" ")
    if name.lower() not in registered:
        return None
    return Command(name, _unescape(message[end + 2:], V2_DATA),
                   _properties(properties.strip(NET_WHITESPACE), ",", V2_PROPERTY) if space else {})


def parse_v1(line: str, registered: Container[str]) -> Command | None:
    start = line.find("##[")
    end = line.find("]", start) if start >= 0 else -1
    if end < 0:
        return None
    name, space, properties = line[start + 3:end].partition(" ")
    if name.lower() not in registered:
        return None
    return Command(name, _unescape(line[end + 1:], V1), _properties(properties, ";", V1) if space else {})


V2_DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
V2_PROPERTY = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
V1 = (("%3B", ";"), ("%0D", "\r"), ("%0A", "\n"), ("%5D", "]"), ("%25", "%"))


def _unescape(text: str, mappings: tuple[tuple[str, str], ...]) -> str:
    for escaped, character in mappings:
        text = text.replace(escaped, character)
    return text


def _properties(text: str, separator: str, mappings: tuple[tuple[str, str], ...]) -> dict[str, str]:
    properties = {}
    for entry in filter(None, text.split(separator)):
        pair = [part for part in entry.split("=", 1) if part]
        if len(pair) == 2:
            properties[pair[0]] = _unescape(pair[1], mappings)
    return properties


class _Everything(Container[str]):
    def __contains__(self, name: object) -> bool:
        return bool(name)


def _registered(known: Collection[str] | None, stop_token: str | None) -> Container[str]:
    if known is None:
        return _Everything()
    return {*known, stop_token.lower()} if stop_token else known
