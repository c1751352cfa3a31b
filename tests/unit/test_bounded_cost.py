"""Work per model is bounded whatever the input: did-you-mean searches are capped, policy patterns
that could backtrack without end are refused when the policy loads, and names longer than the Hub
allows are never matched against them.

Speed is measured by benchmarks, not here: these tests count the work (searches made, matches
tried) and check that what could run away is refused. ``hostile_card`` and ``RUNAWAY_PATTERNS``
are the worst cases, for a benchmark to time.
"""

from __future__ import annotations

import itertools
import re
import signal
import string
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from guards import hfname_guard, no_hang

import hfname_guard.rules.card_language as card_language
import hfname_guard.rules.name_required_word as name_required_word
from hfname_guard import PolicyError, Target, check, load_policy
from hfname_guard.pattern_cost import MAX_SHARING, backtracking_problem
from hfname_guard.policy import FieldSpec
from hfname_guard.suggest import MAX_SEARCHES, SearchBudget
from hfname_guard.targets import hub_remote

pytestmark = pytest.mark.usefixtures("cache_dir")
TIMEOUT = 60


def unknown_codes(count: int) -> list[str]:
    """``count`` different five-letter words that are no language code (no ISO code has five letters)."""
    letters = itertools.product("qxz", "qwxz", *[string.ascii_lowercase] * 3)
    return ["".join(word) for word in itertools.islice(letters, count)]


def hostile_card(count: int) -> str:
    """A model card whose `language` lists ``count`` unknown codes: the worst case of card/language.
    (Fewer than 100,000: the YAML loader refuses a block of more values than that.)"""
    entries = "".join(f"- {code}\n" for code in unknown_codes(count))
    return f"---\nlicense: mit\npipeline_tag: text-generation\nlanguage:\n{entries}---\n"


def counting(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[object]:
    """Replace ``owner.name`` by a wrapper that records each call's first argument."""
    calls: list[object] = []
    original = getattr(owner, name)

    def wrapper(*args: object, **kwargs: object) -> object:
        calls.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    return calls


# ----- did-you-mean searches --------------------------------------------------------------------


def test_a_search_budget_allows_max_searches_then_none() -> None:
    budget = SearchBudget()
    assert [budget.take() for _ in range(MAX_SEARCHES + 3)] == [True] * MAX_SEARCHES + [False] * 3


def test_a_card_of_a_thousand_unknown_codes_searches_twenty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "README.md").write_text(hostile_card(1000), encoding="utf-8")
    searched = counting(monkeypatch, card_language, "meaning")
    findings = [finding for finding in check([Target("acme/llama-7b", str(tmp_path))], load_policy()).findings
                if finding.rule == "card/language"]
    assert len(searched) == MAX_SEARCHES
    assert searched == [code for code in unknown_codes(MAX_SEARCHES)]
    assert len(findings) == 1000, "every unknown code is still reported, at its own line"
    assert {finding.severity for finding in findings} == {"warning"}, "the Hub accepts them"
    assert [finding.line for finding in findings[:2]] == [5, 6]
    assert all("did you mean" not in finding.message for finding in findings[MAX_SEARCHES:])
    assert findings[-1].message == f"language `{unknown_codes(1000)[-1]}` is not an ISO 639-1, 639-3 or 639-5 code"


def test_a_policy_list_of_languages_is_named_once_and_short(tmp_path: Path, write: Callable[..., Path]) -> None:
    allowed = ", ".join(f"l{number:03}" for number in range(500))
    policy = load_policy(write("p.yaml", f"version: 1\ncard:\n  languages: [{allowed}]\n"))
    (tmp_path / "README.md").write_text(hostile_card(3), encoding="utf-8")
    findings = [finding for finding in check([Target("acme/llama-7b", str(tmp_path))], policy).findings
                if finding.rule == "card/language"]
    assert len(findings) == 3
    assert findings[0].message.endswith("is not allowed by the policy (l000, l001, l002, l003, l004, l005, l006, "
                                        "l007, l008, l009, l010, l011, ... (500 in all))")


def test_a_name_of_many_unknown_words_searches_twenty(write: Callable[..., Path],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    fields = [f"f{number}" for number in range(30)]
    definitions = "".join(f"    {field}: {{enum: [alpha, beta]}}\n" for field in fields)
    template = "-".join(f"{{{field}}}" for field in fields)
    policy = load_policy(write("p.yaml", f"version: 1\nname:\n  template: \"{template}\"\n  fields:\n{definitions}"))
    searched = counting(monkeypatch, FieldSpec, "suggest")
    name = "-".join(["zz"] * len(fields))
    findings = [finding for finding in check([Target(f"acme/{name}")], policy).findings
                if finding.rule == "name/unknown-word"]
    assert len(findings) == len(fields)
    assert len(searched) == MAX_SEARCHES


def test_a_name_of_many_words_searches_twenty_for_a_required_word(monkeypatch: pytest.MonkeyPatch) -> None:
    searched = counting(monkeypatch, name_required_word, "closest")
    name = "-".join(f"zq{letter}" for letter in string.ascii_lowercase)  # 26 words, no architecture
    report = check([Target(f"acme/{name}")], load_policy())
    assert "name/required-word" in [finding.rule for finding in report.findings]
    assert len(searched) == MAX_SEARCHES


# ----- policy patterns --------------------------------------------------------------------------

RUNAWAY_PATTERNS = {
    r"(a+)+b": "exponential",
    r"(\d+\.?)+": "exponential",
    r"(x|x)*y": "exponential",
    r"(a|aa)+": "exponential",
    r"(a*)*": "exponential",
    r"(\w+\s?)*": "exponential",
    r"([a-z]+-?)*": "exponential",
    r"(.*a){12}": "exponential",
    r"(?:a+)+": "exponential",
    r"(?=(a+)+b)\w+": "exponential",
    r"a*a*a*a*b": "4th power",
    r"\w*\w*\w*\w*\w*": "5th power",
}
"""Patterns refused, with the cost each could run into; against ``"a" * 30 + "!"`` or so, each takes
seconds to hours (a benchmark may time them with a name of 20 to 30 characters)."""

SAFE_PATTERNS = [
    r"^v\d+(\.\d+)*$", r"\d+(\.\d+)*", r"v?\d+", r"step\d+", r"[a-z]+(-[a-z]+)*", r"\d+\.?\d*",
    r"(alpha|beta|base|rc)\d*", r"\d{1,3}(\.\d{1,3}){3}", r".*\d+.*", r"[a-z0-9]+(?:[._-][a-z0-9]+)*",
    r"(\d+x)?\d+(\.\d+)?[kmbt]", r"q[2-8](_k(_[sml])?)?", r"(v\d+)?(-\w+)?", r"[^-]+", r"(ab?)+", r"(\w+)-\1",
    r"\d{4}-\d{2}-\d{2}", r"(?!base)[a-z]+", r"(fp|bf)16|int[48]", r"a*a*a*b",
]
"""Common patterns, and the costliest shape accepted (``a*a*a*b``: 96³ steps at most)."""


@pytest.mark.parametrize(("pattern", "cost"), RUNAWAY_PATTERNS.items())
def test_a_runaway_pattern_is_refused(pattern: str, cost: str) -> None:
    problem = backtracking_problem(pattern)
    assert problem is not None and cost in problem


@pytest.mark.parametrize("pattern", SAFE_PATTERNS)
def test_a_safe_pattern_is_accepted(pattern: str) -> None:
    assert backtracking_problem(pattern) is None


if sys.version_info >= (3, 11):
    @pytest.mark.parametrize("pattern", [r"(?>a+)+b", r"(?:a+)++b", r"a++b"])
    def test_what_the_engine_never_gives_back_is_not_a_runaway(pattern: str) -> None:
        assert backtracking_problem(pattern) is None

    def test_an_atomic_group_is_checked_inside() -> None:
        assert "exponential" in (backtracking_problem(r"(?>(a+)+b)") or "")


def test_the_sharing_limit_is_four() -> None:
    assert MAX_SHARING == 4
    assert backtracking_problem(r"\d*\d*\d*") is None
    assert backtracking_problem(r"\d*\d*\d*\d*") is not None


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the guard against work that never ends is POSIX's")
def test_an_accepted_pattern_matches_a_hostile_name_at_once() -> None:
    with no_hang(TIMEOUT):
        for pattern in SAFE_PATTERNS:
            compiled = re.compile(pattern, re.IGNORECASE)
            for unit in ("a", "1", "a1", "1.", "a-", "ab"):
                compiled.fullmatch((unit * 96)[:95] + "!")


def test_a_huge_pattern_is_refused_after_bounded_work() -> None:
    words = "|".join("".join(letters) for letters in itertools.islice(itertools.product(string.ascii_lowercase,
                                                                                         repeat=3), 2000))
    assert (backtracking_problem(f"({words})") or "").startswith("is too long to be checked for runaway matching "
                                                                  "(6,001 characters to match, more than 1,000)")
    assert (backtracking_problem(r"\d+(\.\d+)*" * 200) or "").startswith("is too complex to be checked")


def pattern_policy(write: Callable[..., Path], pattern: str) -> Path:
    return write("p.yaml", f"""\
        version: 1
        name:
          template: "{{architecture}}-v{{version}}"
          fields:
            version:
              pattern: '{pattern}'
        """)


def test_a_runaway_pattern_is_a_policy_error_at_its_line_and_column(write: Callable[..., Path]) -> None:
    path = pattern_policy(write, r"(\d+\.?)+")
    with pytest.raises(PolicyError) as raised:
        load_policy(path)
    (problem,) = raised.value.problems
    assert problem.startswith(f"{path}:6:7: name.fields.version.pattern: `(\\d+\\.?)+` can take exponential time "
                              "on a long name: a repeated part can read the same text in more than one way"), problem
    assert "rewrite it so that each repetition starts with a character" in problem


def test_a_pattern_nested_too_deeply_is_a_policy_error(write: Callable[..., Path]) -> None:
    with pytest.raises(PolicyError) as raised:
        load_policy(pattern_policy(write, "(" * 1000 + "1" + ")" * 1000))
    (problem,) = raised.value.problems
    assert "name.fields.version.pattern: nests its groups too deeply" in problem


def test_a_name_longer_than_the_hub_allows_is_never_matched(write: Callable[..., Path],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    policy = load_policy(pattern_policy(write, r"\d+(\.\d+)*"))
    matched = counting(monkeypatch, FieldSpec, "accepts")
    long_name = "llama-v" + "1." * 10_000 + "1"
    report = check([Target(f"acme/{long_name}")], policy)
    assert matched == []
    assert "repo-id/format" in [finding.rule for finding in report.findings]
    check([Target("acme/llama-v1.2")], policy)
    assert matched, "a name the Hub allows is matched"


@pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="the guard against work that never ends is POSIX's")
def test_a_git_config_of_a_million_blank_lines_is_read_in_one_pass(tmp_path: Path) -> None:
    """A pattern that let white space reach across lines rescanned every line after each one."""
    (tmp_path / ".git").mkdir()
    lines = " \n" * 500_000
    (tmp_path / ".git" / "config").write_text(f'[remote "origin"]\n{lines}\turl = https://hf.co/acme/x\n')
    with no_hang(TIMEOUT):
        assert hub_remote(str(tmp_path)) == "acme/x"


# ----- end to end ---------------------------------------------------------------------------------


def test_the_command_refuses_a_runaway_pattern(tmp_path: Path) -> None:
    (tmp_path / ".hfname-guard.yaml").write_text(
        "version: 1\nname:\n  template: '{architecture}-v{version}'\n  fields:\n    version: {pattern: '(a+)+b'}\n",
        encoding="utf-8",
    )
    result = hfname_guard("check", "--repo-id", "acme/llama-v" + "a" * 60, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    where = f"{tmp_path / '.hfname-guard.yaml'}:5:15"
    assert result.stderr.startswith(f"{where}: name.fields.version.pattern: `(a+)+b` can take exponential time "
                                    "on a long name"), result.stderr


def test_the_command_checks_a_card_of_ten_thousand_unknown_codes(tmp_path: Path) -> None:
    model = tmp_path / "llama-7b"
    model.mkdir()
    (model / "README.md").write_text(hostile_card(10_000), encoding="utf-8")
    result = hfname_guard("check", "llama-7b", "--repo-id", "acme/llama-7b", cwd=tmp_path)
    assert result.returncode == 0, "the Hub accepts any card language: unknown codes are warnings"
    assert result.stdout.rstrip().endswith("10000 warnings (1 model checked)")
    lines = [line for line in result.stdout.splitlines() if line.rstrip().endswith("[card/language]")]
    assert len(lines) == 10_000
    assert sum("did you mean" in line for line in lines) <= MAX_SEARCHES
