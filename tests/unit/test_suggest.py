"""'Did you mean': edit distance with swaps, limits, and how ``closest`` breaks ties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hfname_guard.suggest import closest, edit_distance


def reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (insert, delete, replace, swap of neighbours), unbounded."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


# ----- edit_distance ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("bert", "bert", 0),
        ("", "", 0),
        ("bert", "bart", 1),  # replace
        ("bert", "berts", 1),  # insert
        ("llama", "lama", 1),  # delete
        ("bret", "bert", 1),  # a swap of neighbours is one edit, not two
        ("lmaa", "llama", 2),
        ("kitten", "sitting", 3),
        ("", "abc", 3),
    ],
)
def test_edit_distance_basics(a, b, expected):
    assert edit_distance(a, b, limit=5) == expected
    assert edit_distance(b, a, limit=5) == expected


def test_a_swap_counts_once_within_a_limit_of_one():
    assert edit_distance("gtp2", "gpt2", limit=1) == 1
    assert edit_distance("ab", "ba", limit=1) == 1


def test_a_distance_over_the_limit_is_limit_plus_one():
    assert edit_distance("ab", "ba", limit=0) == 1
    assert edit_distance("abcdef", "ghijkl", limit=2) == 3
    assert edit_distance("kitten", "sitting", limit=1) == 2


def test_a_length_difference_over_the_limit_stops_at_once():
    assert edit_distance("a", "abcdefgh", limit=2) == 3
    assert edit_distance("", "abc", limit=1) == 2


def test_a_distance_found_only_at_the_last_row_is_still_capped():
    """``aa`` -> ``bbbb`` needs 4 edits; with limit 2 the documented answer is 3 (limit + 1)."""
    assert edit_distance("aa", "bbbb", limit=2) == 3
    assert edit_distance("bbbb", "aa", limit=2) == 3


def test_a_distance_exactly_at_the_limit_is_exact():
    assert edit_distance("kitten", "sitting", limit=3) == 3


# ----- closest ----------------------------------------------------------------------------------


def test_closest_finds_a_near_miss():
    assert closest("lamma", ["llama", "mistral", "gemma"]) == "llama"
    assert closest("transformer", ["transformers", "diffusers"]) == "transformers"


def test_closest_ignores_separators():
    assert closest("apache2", ["apache-2.0", "mit", "gpl-3.0"]) == "apache-2.0"
    assert closest("gpl3", ["apache-2.0", "mit", "gpl-3.0"]) == "gpl-3.0"


def test_closest_is_case_insensitive_and_returns_the_choice_as_spelled():
    assert closest("QWEN2", ["Qwen", "gemma"]) == "Qwen"


def test_an_exact_match_needs_no_suggestion():
    assert closest("bert", ["bert", "bart"]) is None


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        ("text_generation", ["text-generation", "fill-mask"], "text-generation"),
        ("apache_2.0", ["apache-2.0", "mit"], "apache-2.0"),
        ("Apache-2.0", ["apache-2.0", "mit"], "apache-2.0"),
        ("MIT", ["apache-2.0", "mit"], "mit"),
    ],
)
def test_a_word_that_differs_only_in_case_or_separators_still_gets_a_suggestion(word, choices, expected):
    """The word is not one of the choices, so the caller reports it: it must say what was meant."""
    assert closest(word, choices) == expected


def test_nothing_close_gives_none():
    assert closest("xyzw", ["abcd", "efgh"]) is None
    assert closest("anything", []) is None


def test_short_words_get_one_edit_and_longer_words_two():
    assert closest("gptx", ["gp"]) is None  # 2 edits for a 4-letter word: too far
    assert closest("gpt", ["gp"]) == "gp"
    assert closest("llamaxx", ["llama"]) == "llama"  # 2 edits for a 7-letter word: close enough
    assert closest("lamxyz", ["llama"]) is None


def test_ties_prefer_the_same_first_letter():
    # `bat` is one edit from `cat` and from `bad`: people rarely mistype the first letter
    assert closest("bat", ["cat", "bad"]) == "bad"
    assert closest("opt2", ["gpt2", "opu2"]) == "opu2"


def test_ties_then_prefer_the_more_popular():
    assert closest("bat", ["bad", "bar"], {"bar": 10, "bad": 3}) == "bar"
    assert closest("bat", ["bad", "bar"], {"bad": 10, "bar": 3}) == "bad"


def test_the_first_letter_outweighs_popularity():
    assert closest("bat", ["cat", "bad"], {"cat": 1000}) == "bad"


def test_ties_without_popularity_do_not_depend_on_order():
    assert closest("bat", ["bar", "bad"]) == closest("bat", ["bad", "bar"]) == "bad"
    assert closest("lama", {"lamb", "llama"}) == closest("lama", ["llama", "lamb"])


def test_a_nearer_choice_beats_a_more_popular_one():
    assert closest("bertt", ["bert", "bart"], {"bart": 1000}) == "bert"


# ----- properties -------------------------------------------------------------------------------

WORD = st.text(alphabet="abcde-_.", max_size=8)
LIMIT = st.integers(min_value=0, max_value=4)


@settings(max_examples=3000, deadline=None)
@given(WORD, WORD, LIMIT)
def test_edit_distance_is_symmetric_and_zero_only_for_equal_words(a, b, limit):
    """Within the limit: distances beyond it all mean "too far", compared as limit + 1."""
    distance = min(edit_distance(a, b, limit), limit + 1)
    assert distance == min(edit_distance(b, a, limit), limit + 1)
    assert (distance == 0) == (a == b)


@settings(max_examples=3000, deadline=None)
@given(WORD, WORD, LIMIT)
def test_edit_distance_agrees_with_the_reference_up_to_the_limit(a, b, limit):
    assert edit_distance(a, b, limit) == min(reference_distance(a, b), limit + 1)


def _bare(word: str) -> str:
    return word.lower().replace("-", "").replace("_", "").replace(".", "")


@settings(max_examples=500, deadline=None)
@given(WORD, st.lists(WORD, max_size=6))
def test_closest_returns_a_near_choice_or_none(word, choices):
    guess = closest(word, choices)
    if word in choices:
        assert guess is None
    if guess is None:
        return
    assert guess in choices and guess != word
    limit = 1 if len(word) <= 4 else 2
    assert min(edit_distance(word, guess, limit), edit_distance(_bare(word), _bare(guess), limit)) <= limit
