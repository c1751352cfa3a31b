"""Language codes answered without building the sets of every code: the same answers as the sets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hfname_guard.names.data_files import Lines
from hfname_guard.names.vocabularies import (
    card_language_codes,
    is_card_language_code,
    is_language_code,
    language_codes,
    vocabulary,
)

WORDS = st.one_of(st.sampled_from(sorted(card_language_codes())), st.text(max_size=6),
                  st.from_regex(r"[a-z]{2,3}", fullmatch=True))


@given(WORDS)
def test_a_code_is_found_exactly_when_the_set_holds_it(word: str) -> None:
    assert is_language_code(word) == (word in language_codes())
    assert is_card_language_code(word) == (word in card_language_codes())
    assert (word in vocabulary("languages")) == (word.lower() in language_codes())


def test_the_edges_of_the_code_files() -> None:
    every = sorted(card_language_codes())
    assert all(is_card_language_code(code) for code in every)
    assert not any(is_card_language_code(code) for code in ("", "\n", "aaa\naab", "en\n", "zzzz", "a"))
    assert is_language_code("aaa") and is_language_code("zzj")  # the first and a late line of ISO 639-3
    assert is_card_language_code("sh") and not is_language_code("sh")


def test_a_word_list_answers_the_same_searched_and_as_a_set() -> None:
    lines = Lines("aaa\nabc\nzzj\n")
    asked = ["aaa", "ab", "abc", "", "\n", "aaa\nabc", "zzj", "zz", "abc "] * 10
    answers = [word in lines for word in asked]
    assert lines.words is not None, "past SEARCHES lookups the set is built"
    assert answers == [word in {"aaa", "abc", "zzj"} for word in asked]
