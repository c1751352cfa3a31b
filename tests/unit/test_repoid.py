"""hfname_guard.repoid against huggingface_hub's own ``validate_repo_id``.

The differential property: ``repo_id_problems(s) == []`` exactly when ``validate_repo_id(s)``
does not raise, on generated ids that crowd the edges of the Hub's rule (96 characters a part,
word characters at both ends, ``--``, ``..``, ``.git``, non-ASCII look-alikes, whitespace).
Then example-based tests of the messages and their 1-based columns.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no test talks to the internet

import string

import pytest
from huggingface_hub.errors import HFValidationError
from huggingface_hub.utils import validate_repo_id
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hfname_guard.repoid import MAX_PART_LENGTH, RepoIdProblem, repo_id_problems

LOOKALIKES = "аеоοＡＢａｂé"  # Cyrillic а е о, Greek ο, fullwidth A B a b, e-acute
WORD = string.ascii_letters + string.digits + "_"
PART_CHARS = WORD + "-."
ALPHABET = PART_CHARS + "/" + LOOKALIKES + " \n\t"
PROPERTY_SETTINGS = settings(
    max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def hub_accepts(repo_id: str) -> bool:
    try:
        validate_repo_id(repo_id)
    except HFValidationError:
        return False
    return True


def assert_agrees_with_hub(repo_id: str) -> None:
    problems = repo_id_problems(repo_id)
    accepted = hub_accepts(repo_id)
    if accepted:
        assert problems == [], f"the Hub accepts {repo_id!r}, we report {problems}"
    else:
        assert problems, f"the Hub rejects {repo_id!r}, we report nothing"
    for problem in problems:
        assert isinstance(problem, RepoIdProblem)
        assert problem.message
        if problem.column is not None:
            assert 1 <= problem.column <= len(repo_id) + 1, (repo_id, problem)


# --- strategies -----------------------------------------------------------------------------

any_text = st.text(alphabet=ALPHABET, max_size=210)

part_text = st.text(alphabet=PART_CHARS + LOOKALIKES + " \n", max_size=100)


@st.composite
def long_part(draw: st.DrawFn) -> str:
    """A part 93..99 characters long: word characters with a few edge characters placed in."""
    length = draw(st.integers(min_value=MAX_PART_LENGTH - 3, max_value=MAX_PART_LENGTH + 3))
    chars = draw(st.lists(st.sampled_from(WORD), min_size=length, max_size=length))
    for _ in range(draw(st.integers(0, 2))):
        index = draw(st.integers(0, length - 1))
        chars[index] = draw(st.sampled_from("-._" + LOOKALIKES + " "))
    return "".join(chars)


piece = st.one_of(
    st.text(alphabet=WORD, min_size=1, max_size=12),
    st.sampled_from(
        ["llama", "7b", "x", "_", "-", ".", "--", "..", ".git", "v0.1", "a-b", "a.b", "a_b"]
    ),
    st.sampled_from(list(LOOKALIKES) + [" ", "\n", "ll\u0430ma"]),
)


@st.composite
def composed_part(draw: st.DrawFn) -> str:
    part = "".join(draw(st.lists(piece, min_size=0, max_size=6)))
    if draw(st.booleans()):
        part = draw(st.sampled_from(["", "-", ".", "_"])) + part
    if draw(st.booleans()):
        part += draw(st.sampled_from(["", "-", ".", "_", ".git", ".GIT", "git"]))
    return part


part = st.one_of(part_text, long_part(), composed_part())


@st.composite
def repo_ids(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["name", "namespace/name", "namespace/name", "a/b/c"]))
    if shape == "name":
        return draw(part)
    if shape == "namespace/name":
        return f"{draw(part)}/{draw(part)}"
    return "/".join(draw(st.lists(part, min_size=3, max_size=4)))


# --- the differential property ------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(any_text)
@example("")
@example("/")
@example("a/")
@example("/a")
@example("a")
@example("-")
@example("_")
@example("a" * 96)
@example("a" * 97)
@example("a" * 96 + "/" + "b" * 96)
@example("a" * 97 + "/b")
@example("a/" + "b" * 97)
@example("a.git")
@example("a/b.git")
@example("a.git/b")
@example("a--b/c")
@example("a/b..c")
@example("a/b\n")
@example("ca\u0301fe")
def test_random_text_agrees_with_hub(repo_id: str) -> None:
    assert_agrees_with_hub(repo_id)


@PROPERTY_SETTINGS
@given(repo_ids())
def test_composed_ids_agree_with_hub(repo_id: str) -> None:
    assert_agrees_with_hub(repo_id)


@PROPERTY_SETTINGS
@given(long_part(), long_part())
def test_ids_near_the_length_limit_agree_with_hub(namespace: str, name: str) -> None:
    assert_agrees_with_hub(name)
    assert_agrees_with_hub(f"{namespace}/{name}")


VALID = [
    "gpt2",
    "acme/llama-2-7b-chat",
    "Foo-BAR_foo.bar123",
    "_/_",
    "a/" + "b" * 96,
    "a" * 96 + "/" + "b" * 96,
    "acme/model.GIT",
    "acme/x.git2",
    "1/2",
]
INVALID = [
    "",
    "a/b/c",
    "/x",
    "x/",
    "acme/-x",
    "acme/x-",
    ".acme/x",
    "acme./x",
    "foo..bar",
    "foo--bar",
    "x.git",
    "acme/x.git",
    "acme/ll\u0430ma",
    "acme/caf\u00e9",
    "acme/my model",
    "acme/model\n",
    "a" * 97,
    "acme/" + "b" * 97,
    "acme/\uff21",
]


@pytest.mark.parametrize("repo_id", VALID)
def test_known_valid_ids(repo_id: str) -> None:
    assert hub_accepts(repo_id)  # the oracle itself, so that the property can fail both ways
    assert repo_id_problems(repo_id) == []


@pytest.mark.parametrize("repo_id", INVALID)
def test_known_invalid_ids(repo_id: str) -> None:
    assert not hub_accepts(repo_id)
    assert repo_id_problems(repo_id) != []


# --- messages and columns -----------------------------------------------------------------------


def only(problems: list[RepoIdProblem]) -> RepoIdProblem:
    assert len(problems) == 1, problems
    return problems[0]


def test_empty_id() -> None:
    problem = only(repo_id_problems(""))
    assert "empty" in problem.message
    assert "namespace/name" in problem.message
    assert problem.column is None


def test_two_slashes_point_at_the_second_slash() -> None:
    problem = only(repo_id_problems("a/b/c"))
    assert "2 slashes" in problem.message
    assert problem.column == 4
    assert "a/b/c"[problem.column - 1] == "/"


def test_a_500_character_name() -> None:
    name = "m" * 500
    problem = only(repo_id_problems(f"acme/{name}"))
    assert "500 characters" in problem.message
    assert "96" in problem.message
    assert "name" in problem.message and "namespace" not in problem.message
    # the first character past the limit
    assert problem.column == len("acme/") + MAX_PART_LENGTH + 1


def test_a_long_namespace_is_named_as_the_namespace() -> None:
    problem = only(repo_id_problems("n" * 100 + "/x"))
    assert "namespace" in problem.message and "100 characters" in problem.message
    assert problem.column == MAX_PART_LENGTH + 1


def test_cyrillic_lookalike() -> None:
    repo_id = "acme/ll\u0430ma"
    problem = only(repo_id_problems(repo_id))
    assert problem.column == 8
    assert repo_id[problem.column - 1] == "\u0430"
    assert "CYRILLIC SMALL LETTER A" in problem.message
    assert "looks like `a`" in problem.message
    assert "ASCII" in problem.message


@pytest.mark.parametrize(
    ("char", "lookalike"),
    [("\u03bf", "o"), ("\u0435", "e"), ("\u043e", "o"), ("\uff21", "A"), ("\u00e9", "e")],
)
def test_other_lookalikes_name_the_ascii_letter(char: str, lookalike: str) -> None:
    problem = only(repo_id_problems(f"acme/x{char}"))
    assert problem.column == 7
    assert f"looks like `{lookalike}`" in problem.message


def test_whitespace_is_shown_visibly() -> None:
    problem = only(repo_id_problems("acme/my model"))
    assert problem.column == 8
    assert "' '" in problem.message and "SPACE" in problem.message
    newline = only(repo_id_problems("acme/model\n"))
    assert newline.column == 11
    assert "'\\n'" in newline.message


def test_leading_dash() -> None:
    problem = only(repo_id_problems("acme/-x"))
    assert problem.column == 6
    assert "name must start" in problem.message and "`-`" in problem.message


def test_trailing_dot_in_the_namespace() -> None:
    problem = only(repo_id_problems("acme./x"))
    assert problem.column == 5
    assert "namespace must end" in problem.message and "`.`" in problem.message


def test_double_dot() -> None:
    problem = only(repo_id_problems("foo..bar"))
    assert "`..`" in problem.message
    assert problem.column == 4


def test_double_dash() -> None:
    problem = only(repo_id_problems("acme/foo--bar"))
    assert "`--`" in problem.message
    assert problem.column == 9


def test_dot_git_ending() -> None:
    problem = only(repo_id_problems("x.git"))
    assert "`.git`" in problem.message
    assert problem.column == 2
    assert "x.git"[problem.column - 1 :] == ".git"


def test_several_problems_are_all_reported() -> None:
    problems = repo_id_problems("-acme/b--c.git")
    columns = sorted(problem.column for problem in problems)
    assert columns == [1, 8, 11]
