"""The name template language: parsing (with 1-based error columns) and explained matching."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hfname_guard.names.vocabularies import FIELD_DEFAULTS, vocabulary
from hfname_guard.template import (
    MAX_OPTIONAL_GROUPS,
    Field,
    Literal,
    Optional,
    Template,
    TemplateSyntaxError,
    parse,
)

EXAMPLE = "{architecture}-{size}-v{version}"
VOCABULARIES = {name: vocabulary(vocabulary_name) for name, vocabulary_name in FIELD_DEFAULTS.items()}


def builtin(field: str, value: str) -> bool:
    """What a policy with only built-in fields accepts."""
    return value in VOCABULARIES[field]


def syntax_error(text: str) -> TemplateSyntaxError:
    with pytest.raises(TemplateSyntaxError) as caught:
        parse(text)
    return caught.value


# ----- parsing ----------------------------------------------------------------------------------


def test_fields_and_literals_in_order():
    template = parse(EXAMPLE)
    assert template.parts == (
        Field("architecture"), Literal("-"), Field("size"), Literal("-v"), Field("version"),
    )
    assert template.fields == ["architecture", "size", "version"]
    assert template.required_fields == {"architecture", "size", "version"}
    assert template.alternatives == (template.parts,)
    assert template.text == EXAMPLE


def test_nested_optional_groups_expand_to_every_reading():
    template = parse("{architecture}[-{size}[-{task}]]-v{version}")
    assert template.parts == (
        Field("architecture"),
        Optional((Literal("-"), Field("size"), Optional((Literal("-"), Field("task"))))),
        Literal("-v"),
        Field("version"),
    )
    rendered = {template.render({}, alternative) for alternative in template.alternatives}
    assert rendered == {
        "{architecture}-v{version}",
        "{architecture}-{size}-v{version}",
        "{architecture}-{size}-{task}-v{version}",
    }
    assert template.fields == ["architecture", "size", "task", "version"]
    assert template.required_fields == {"architecture", "version"}


def test_adjacent_literals_are_merged_across_an_absent_group():
    template = parse("a[-{x}]-v{y}")
    assert (Literal("a-v"), Field("y")) in template.alternatives


def test_identical_readings_are_listed_once():
    template = parse("{x}[-][-]")
    assert len(template.alternatives) == 3  # "{x}", "{x}-", "{x}--"


def test_escapes_are_literal_text():
    template = parse(r"\{\[a\]\}\\{x}")
    assert template.parts == (Literal("{[a]}\\"), Field("x"))
    assert template.match("{[A]}\\value", lambda field, value: value == "value").ok


def test_an_escaped_bracket_opens_no_group():
    template = parse(r"{x}\[{y}\]")
    assert len(template.alternatives) == 1
    assert template.render({"x": "a", "y": "b"}) == "a[b]"


def test_render_fills_the_shortest_reading_by_default():
    template = parse("{architecture}[-{size}]-v{version}")
    assert template.render({"architecture": "llama", "version": "2"}) == "llama-v2"
    longest = max(template.alternatives, key=len)
    assert template.render({"architecture": "llama", "version": "2"}, longest) == "llama-{size}-v2"


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("{architecture", 1, "'{' is never closed"),
        ("llama-{size", 7, "'{' is never closed"),
        ("{a]", 1, "'{' is never closed"),
        ("a]", 2, "unmatched ']'"),
        ("{x}-}", 5, "unmatched '}'"),
        ("[]", 2, "empty"),
        ("{x}[]", 5, "empty"),
        ("[[]]", 3, "empty"),
        ("{A}", 2, "field name 'A'"),
        ("{}", 2, "field name ''"),
        ("ab{1x}", 4, "field name '1x'"),
        ("{a-b}", 2, "field name 'a-b'"),
        ("a\\", 2, "backslash"),
        ("a\\x", 2, "backslash"),
        ("", 1, "empty"),
        ("[a]" * (MAX_OPTIONAL_GROUPS + 1), 1, f"more than {MAX_OPTIONAL_GROUPS} optional groups"),
    ],
)
def test_syntax_errors_say_what_and_where(text, column, words):
    error = syntax_error(text)
    assert words in str(error)
    assert error.column == column
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("[a", 1),
        ("x[{a}", 2),
        ("[a[b]", 1),  # the inner group closes; the outer one is the unclosed one
        ("[a][b", 4),
    ],
)
def test_an_unclosed_group_points_at_its_opening_bracket(text, column):
    """Like ``{``, and like Python's "'[' was never closed": the column of the ``[`` left open."""
    error = syntax_error(text)
    assert "'[' is never closed" in str(error)
    assert error.column == column


def test_exactly_the_maximum_number_of_groups_is_fine():
    assert len(parse("[a]" * MAX_OPTIONAL_GROUPS).alternatives) == MAX_OPTIONAL_GROUPS + 1
    nested = "".join(f"[{letter}" for letter in "abcdefgh") + "]" * MAX_OPTIONAL_GROUPS
    assert len(parse(nested).alternatives) == MAX_OPTIONAL_GROUPS + 1


def test_nested_groups_count_towards_the_limit():
    nested = "".join(f"[{letter}" for letter in "abcdefghi") + "]" * 9
    assert "optional groups" in str(syntax_error(nested))


def test_groups_after_an_escaped_backslash_count_towards_the_limit():
    r"""``\\[a]`` is a literal backslash followed by a real group: nine of them are too many
    (left uncounted, 2**n readings make a policy a denial of service)."""
    text = r"\\[a]" * (MAX_OPTIONAL_GROUPS + 1)
    error = syntax_error(text)
    assert f"more than {MAX_OPTIONAL_GROUPS} optional groups" in str(error)


def test_an_escaped_bracket_is_not_a_group_for_the_limit():
    text = r"\[" * 20 + "[a]" * MAX_OPTIONAL_GROUPS
    assert len(parse(text).alternatives) == MAX_OPTIONAL_GROUPS + 1


# ----- matching ---------------------------------------------------------------------------------


def test_an_accepted_reading_lists_every_value_with_its_start():
    match = parse(EXAMPLE).match("llama-base-v1", builtin)
    assert match.ok
    assert [(value.field, value.value, value.start, value.accepted) for value in match.values] == [
        ("architecture", "llama", 0, True), ("size", "base", 6, True), ("version", "1", 12, True),
    ]
    assert match.mismatch is None and match.rejected == []


def test_the_rejected_field_is_the_one_holding_the_bad_word():
    match = parse(EXAMPLE).match("llama-big-v1", builtin)
    assert not match.ok
    assert match.mismatch is None
    assert [(value.field, value.value, value.start) for value in match.rejected] == [("size", "big", 6)]


def test_the_reading_with_fewest_rejections_wins():
    # `xlm` and `roberta` are architectures too, but only `xlm-roberta` + `base` accepts both values
    template = parse("{architecture}-{size}")
    match = template.match("xlm-roberta-base", builtin)
    assert match.ok
    assert {value.field: value.value for value in match.values} == {"architecture": "xlm-roberta", "size": "base"}


def test_an_optional_group_may_be_left_out_or_present():
    template = parse("{architecture}[-{size}]-v{version}")
    assert template.match("llama-v1", builtin).ok
    present = template.match("llama-large-v1", builtin)
    assert present.ok and {value.field: value.value for value in present.values}["size"] == "large"


def test_literals_and_field_values_match_regardless_of_case():
    match = parse(EXAMPLE).match("LLAMA-Base-V1", builtin)
    assert match.ok
    assert [value.value for value in match.values] == ["LLAMA", "Base", "1"]


@pytest.mark.parametrize("architecture", ["xlm-roberta", "gpt-neox", "gpt_neox"])
def test_a_value_may_contain_the_separator(architecture):
    assert architecture in VOCABULARIES["architecture"]
    match = parse(EXAMPLE).match(f"{architecture}-base-v2", builtin)
    assert match.ok
    assert match.values[0].value == architecture
    assert match.values[1].start == len(architecture) + 1


def test_a_missing_version_is_reported_at_the_end_of_the_name():
    mismatch = parse(EXAMPLE).match("llama-base", builtin).mismatch
    assert mismatch is not None
    assert mismatch.position == len("llama-base")
    assert mismatch.expected == "-v{version}"
    assert mismatch.values == {"architecture": "llama", "size": "base"}


def test_a_missing_size_and_version_are_reported_after_the_architecture():
    mismatch = parse(EXAMPLE).match("llama", builtin).mismatch
    assert mismatch is not None
    assert (mismatch.position, mismatch.expected) == (5, "-{size}-v{version}")


def test_a_missing_value_after_its_literal():
    mismatch = parse(EXAMPLE).match("llama-base-v", builtin).mismatch
    assert mismatch is not None
    assert (mismatch.position, mismatch.expected) == (12, "{version}")


def test_a_wrong_leading_literal_is_reported_at_the_start():
    mismatch = parse("acme-{architecture}").match("llama", builtin).mismatch
    assert mismatch is not None
    assert (mismatch.position, mismatch.expected) == (0, "acme-{architecture}")
    assert mismatch.values == {}


def test_a_wrong_separator_after_a_literal_prefix():
    mismatch = parse("acme-{architecture}").match("acme_llama", builtin).mismatch
    assert mismatch is not None
    assert (mismatch.position, mismatch.expected) == (4, "-{architecture}")


def test_extra_text_after_a_literal_only_template():
    mismatch = parse("abc").match("abcd", lambda field, value: True).mismatch
    assert mismatch is not None
    assert (mismatch.position, mismatch.expected) == (3, "the end of the name")


def test_the_mismatch_that_got_furthest_is_reported():
    template = parse("{architecture}[-{size}]-v{version}")
    match = template.match("llama-base", builtin)
    assert match.mismatch is not None
    assert match.mismatch.position == len("llama-base")
    assert match.mismatch.values == {"architecture": "llama", "size": "base"}
    assert template.render({"version": "1", **match.mismatch.values}, match.mismatch.alternative) == "llama-base-v1"


def test_an_empty_name_is_a_mismatch_at_the_start():
    match = parse(EXAMPLE).match("", builtin)
    assert match.mismatch is not None and match.mismatch.position == 0
    assert not match.ok


# ----- properties -------------------------------------------------------------------------------

TEMPLATE_ALPHABET = st.sampled_from(list("{}[]\\-_.av1 ") + ["{x}", "{size}", "[-", "]", "\\\\", "\\["])


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(TEMPLATE_ALPHABET, max_size=24).map("".join)))
def test_parse_returns_a_template_or_raises_a_syntax_error(text):
    try:
        template = parse(text)
    except TemplateSyntaxError as error:
        assert isinstance(error.column, int) and 1 <= error.column <= max(len(text), 1)
        return
    assert isinstance(template, Template)
    assert template.alternatives
    assert all(isinstance(part, (Literal, Field)) for alternative in template.alternatives for part in alternative)


WORDS = {
    "arch": ["llama", "xlm-roberta", "gpt2", "bert", "t5"],
    "size": ["base", "large", "7b", "1.5b"],
    "ver": ["1", "2.1", "0.1.0", "v3"],
    "lang": ["en", "de", "multilingual", "zh-hans"],
}
LITERALS = ["-", "-v", "_", ".", "v", "x", "-{", "]", "\\"]


def word_list(field: str, value: str) -> bool:
    return value.lower() in WORDS[field]


def _escape(text: str) -> str:
    return "".join("\\" + char if char in "{}[]\\" else char for char in text)


PIECE = st.deferred(
    lambda: st.one_of(
        st.sampled_from(sorted(WORDS)).map(lambda name: ("field", name)),
        st.sampled_from(LITERALS).map(lambda text: ("literal", text)),
        st.lists(PIECE, min_size=1, max_size=3).map(lambda inner: ("optional", inner)),
    )
)


def _text(pieces) -> str:
    out = []
    for kind, value in pieces:
        if kind == "field":
            out.append("{" + value + "}")
        elif kind == "literal":
            out.append(_escape(value))
        else:
            out.append("[" + _text(value) + "]")
    return "".join(out)


def _groups(pieces) -> int:
    return sum(1 + _groups(value) for kind, value in pieces if kind == "optional")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(PIECE, min_size=1, max_size=7), st.data())
def test_a_rendered_name_matches_its_template(pieces, data):
    assume(_groups(pieces) <= MAX_OPTIONAL_GROUPS)
    template = parse(_text(pieces))
    alternative = data.draw(st.sampled_from(template.alternatives), label="alternative")
    fields = sorted({part.name for part in alternative if isinstance(part, Field)})
    values = {field: data.draw(st.sampled_from(WORDS[field]), label=field) for field in fields}
    name = template.render(values, alternative)
    if data.draw(st.booleans(), label="upper-case"):
        name = name.upper()
    match = template.match(name, word_list)
    assert match.ok, (template.text, name, match)
    # the values read back rebuild the name, in order and where they stand
    for value in match.values:
        assert name[value.start : value.start + len(value.value)] == value.value


ROUND_TRIP_TEMPLATES = [
    EXAMPLE,
    "{architecture}[-{size}][-{task}][-{language}]-v{version}",
    "{architecture}{parameters}{task}",
    "[{language}_]{architecture}[.{version}]",
    r"\{{architecture}\}",
]
NAME_TEXT = st.one_of(
    st.text(max_size=96),
    st.lists(st.sampled_from(["llama", "-", "v", "1", "base", "_", ".", "7b", "en", "chat", "xlm-roberta", "{", "}"]),
             max_size=30).map(lambda parts: "".join(parts)[:96]),
)


@settings(max_examples=800, deadline=None)
@given(st.sampled_from(ROUND_TRIP_TEMPLATES), NAME_TEXT)
def test_match_never_raises(text, name):
    match = parse(text).match(name, builtin)
    if match.mismatch is not None:
        assert 0 <= match.mismatch.position <= len(name)
        assert match.values == [] and not match.ok
    for value in match.values:
        assert name[value.start : value.start + len(value.value)] == value.value
