"""`check PATH...` and `hook FILE...` without options (as pre-commit runs the hook) skip argparse:
the arguments must be exactly those argparse gives, for any paths."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfname_guard import cli

PATHS = st.lists(st.text(min_size=1, max_size=30).filter(lambda text: not text.startswith("-")), max_size=6)


@given(command=st.sampled_from(["check", "hook"]), paths=PATHS)
def test_a_command_line_without_options_gets_what_argparse_gives(command: str, paths: list[str]) -> None:
    parsed = cli.build_parser(command).parse_args([command, *paths])
    assert vars(cli.plain_arguments([command, *paths])) == vars(parsed)


@pytest.mark.parametrize("command", ["check", "hook"])
def test_every_option_has_its_default_listed(command: str) -> None:
    parsed = vars(cli.build_parser(command).parse_args([command]))
    assert set(parsed) - {"command", "handler", "files", "paths", "repo_id", "repo_ids_from"} == set(
        cli.CHECKING_DEFAULTS)


@pytest.mark.parametrize("argv", [["check", "--fix", "a"], ["hook", "a", "-q"], ["check", "-"], ["audit", "acme"],
                                  ["--debug", "hook", "a"], []])
def test_any_option_goes_to_argparse(argv: list[str]) -> None:
    assert cli.plain_arguments(argv) is None
