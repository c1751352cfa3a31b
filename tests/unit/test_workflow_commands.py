"""Workflow commands: the tool's own stay intact, and no text it prints forms one.

Every assertion is about what the runner would execute (``workflow_runner``, a model of
actions/runner's parser), not about the look of the output.
"""

from __future__ import annotations

import io
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from workflow_runner import NET_WHITESPACE, assert_only_stop_and_resume_pairs, executed, without

from hfname_guard.printable import printable, printable_lines
from hfname_guard.workflow_commands import (
    CommandGuard,
    command,
    guarded_standard_streams,
    write_workflow_commands,
)

ATTACKS = [
    "::add-mask::secret",
    "::ADD-MASK::secret",  # the runner compares names ignoring case
    " \t::set-output name=x::y",  # leading whitespace is trimmed
    "\u2028::add-mask::secret",  # ... as .NET defines whitespace, line separators included
    "\xa0::error::forged",
    "fine\r::error::forged",  # a lone carriage return ends the runner's line
    "##[set-output name=x;]y",  # the legacy form, anywhere in a line
    "see ##[add-mask]secret",
    "::stop-commands::attacker",
    "::error file=.github/workflows/x.yml,line=1::forged",
]


def guard_output(*chunks: str) -> str:
    """What a guard writes for ``chunks`` written one after another, then finished."""
    stream = io.StringIO()
    guard = CommandGuard(stream)
    for chunk in chunks:
        guard.write(chunk)
    guard.finish()
    return stream.getvalue()


def test_command_escapes_every_value_and_leaves_out_none() -> None:
    line = command("error", "100% sure\r\n::add-mask::x", file="models/a:b,c%/README.md", line=2, col=None,
                   title="card/license")
    assert line == ("::error file=models/a%3Ab%2Cc%25/README.md,line=2,title=card/license::"
                    "100%25 sure\\r%0A::add-mask::x")
    assert command("notice", "plain") == "::notice::plain"
    [parsed] = executed(line + "\n")
    assert (parsed.name, parsed.data) == ("error", "100% sure\\r\n::add-mask::x")
    assert parsed.properties == {"file": "models/a:b,c%/README.md", "line": "2", "title": "card/license"}


def test_command_shows_controls_and_undecodable_bytes_escaped() -> None:
    """A message keeps its line breaks and nothing else that is not printable; a lone surrogate
    (a file name that is not UTF-8) is shown as its byte, so the line always encodes."""
    line = command("error", "evil\x1b[2J\u202e\x07\nfix: x\udcff", file="models/\udcff\x1b/README.md")
    assert line == "::error file=models/\\xff\\x1b/README.md::evil\\x1b[2J\\u202e\\x07%0Afix: x\\xff"
    line.encode("utf-8")


property_value = st.text(min_size=1).filter(lambda text: text.strip(NET_WHITESPACE) == text)  # the runner trims


@settings(max_examples=300, deadline=None)
@given(message=st.text(), file=property_value, title=property_value)
def test_any_values_make_exactly_one_command_that_reads_them_back(message: str, file: str, title: str) -> None:
    """What the runner reads back is each value made printable (the message keeps its line breaks)."""
    [parsed] = executed(command("warning", message, file=file, line=7, title=title) + "\n", known=None)
    assert (parsed.name, parsed.data) == ("warning", printable_lines(message))
    assert parsed.properties == {"file": printable(file), "line": "7", "title": printable(title)}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_line_that_could_be_a_command_is_printed_verbatim(attack: str) -> None:
    text = f"models/x: error: `{attack}` is not allowed\n{attack}\n"
    assert executed(text), "the attack works on the runner when printed as it is"
    output = guard_output(text)
    commands = executed(output)
    assert_only_stop_and_resume_pairs(commands)
    assert without(output, commands) == text


def test_safe_text_passes_unchanged_and_partial_lines_wait_for_their_end() -> None:
    stream = io.StringIO()
    guard = CommandGuard(stream)
    guard.write("models/x/README.md:2:1: error: license `mit` [card/license]\n  fix: apa")
    assert stream.getvalue() == "models/x/README.md:2:1: error: license `mit` [card/license]\n"
    guard.write("che-2.0\n:")  # the partial line `:` may yet become `::add-mask::`
    assert stream.getvalue().endswith("  fix: apache-2.0\n")
    guard.write(":add-mask::x")
    guard.finish()
    output = stream.getvalue()
    commands = executed(output)
    assert_only_stop_and_resume_pairs(commands)
    assert without(output, commands) == "models/x/README.md:2:1: error: license `mit` [card/license]\n" \
        "  fix: apache-2.0\n::add-mask::x\n", "a partial line that could be a command is ended, for the resume"


def test_consecutive_lines_that_could_be_commands_share_one_stop() -> None:
    output = guard_output("ok\n::add-mask::a\n##[add-mask]b\nok\n")
    assert len(executed(output)) == 2
    assert output.startswith("ok\n::stop-commands::") and output.endswith("::\nok\n")


def test_own_commands_pass_the_guard_at_the_start_of_a_line() -> None:
    stream = io.StringIO()
    guard = CommandGuard(stream)
    guard.write("checking ::add-mask::x")  # a partial line held, that could be a command
    guard.write_commands(command("error", "`::add-mask::x`\n::add-mask::y", file="models/::x/README.md") + "\n")
    guard.finish()
    commands = executed(stream.getvalue())
    assert [found.name for found in commands] == ["stop-commands", "resume", "error"]
    assert commands[2].data == "`::add-mask::x`\n::add-mask::y"
    assert commands[2].properties == {"file": "models/::x/README.md"}


def test_write_workflow_commands_without_a_guard_is_a_plain_write(capsys: pytest.CaptureFixture[str]) -> None:
    write_workflow_commands("::notice::hello\n")
    assert capsys.readouterr().out == "::notice::hello\n"


def test_the_guarded_streams_are_put_back_with_their_partial_lines_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stdout, stderr = sys.stdout, sys.stderr
    with guarded_standard_streams():
        assert isinstance(sys.stdout, CommandGuard) and isinstance(sys.stderr, CommandGuard)
        print("::add-mask::x")
        write_workflow_commands("::notice::mine\n")
        sys.stdout.write("no line break")
        sys.stderr.write("::error::forged")
    assert (sys.stdout, sys.stderr) == (stdout, stderr)
    captured = capsys.readouterr()
    out, err = executed(captured.out), executed(captured.err)
    assert [found.name for found in out] == ["stop-commands", "resume", "notice"]
    assert without(captured.out, out) == "::add-mask::x\nno line break"
    assert_only_stop_and_resume_pairs(err)
    assert without(captured.err, err) == "::error::forged\n"


RISKY = st.sampled_from([":", "::", "#", "##[", "[", "]", "\n", "\r", "\r\n", " ", "\t", "\u2028", "\xa0", "%", "x"])
TEXT = st.lists(RISKY | st.text(max_size=5), max_size=30).map("".join)
OWN_COMMAND = st.builds(lambda kind, message, file, end: command(kind, message, file=file, title="card/license") + end,
                        st.sampled_from(["error", "warning", "notice"]), TEXT, property_value,
                        st.sampled_from(["\n", ""]))


@settings(max_examples=500, deadline=None)
@given(writes=st.lists(st.tuples(st.just("text"), TEXT | OWN_COMMAND) | st.tuples(st.just("own"), OWN_COMMAND),
                       max_size=12))
def test_whatever_is_written_the_runner_executes_only_the_own_commands(writes: list[tuple[str, str]]) -> None:
    """Any text in any chunks (forged commands included), with the tool's own commands between:
    the runner executes those commands and the guard's stop and resume pairs, nothing else, each
    command a line of its own; without them the text is what was written, a line break added
    only where a partial line had to end (before the tool's commands, and at the end when the
    runner could read it as a command)."""
    stream = io.StringIO()
    guard = CommandGuard(stream)
    expected, own, partial_line = "", [], ""
    for kind, text in writes:
        if kind == "own":
            guard.write_commands(text)
            expected += "\n" if partial_line else ""
            own.append(text.rstrip("\n") + "\n")
            partial_line = ""
        else:
            guard.write(text)
            expected += text
            partial_line = (partial_line + text).rpartition("\n")[2]
    guard.finish()
    expected += "\n" if "::" in partial_line or "##[" in partial_line else ""
    output = stream.getvalue()
    for commands in (executed(output), executed(output, known=None)):
        is_guards = [found.name in ("stop-commands", "resume") for found in commands]
        assert [output[slice(*found.span)] for found, is_guard in zip(commands, is_guards) if not is_guard] == own
        assert_only_stop_and_resume_pairs([found for found, is_guard in zip(commands, is_guards) if is_guard])
        assert without(output, commands) == expected
