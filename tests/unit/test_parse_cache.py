"""The parse cache: a YAML document parsed once is read back, the same, without PyYAML; any entry
that is not exactly the one for the text given is a miss, never a wrong document."""

from __future__ import annotations

import datetime
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from hfname_guard import parse_cache, yamlparse
from hfname_guard.yamlsource import YamlDocument, load_yaml

pytestmark = pytest.mark.usefixtures("cache_dir")

CARD = "license: mit\nlanguage:\n- en\n- de\ntags: [northwind]\ndate: 2024-05-01\nseen: 2001-12-14t21:59:43.10-05:00\n"


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts PyYAML is asked to parse from now on."""
    asked: list[str] = []
    parse = yamlparse.parse

    def counted(text: str, first_line: int = 1) -> YamlDocument:
        asked.append(text)
        return parse(text, first_line)

    monkeypatch.setattr(yamlparse, "parse", counted)
    return asked


def test_a_document_parsed_once_is_read_back_the_same_without_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = parses(monkeypatch)
    first = load_yaml(CARD, first_line=2)
    again = load_yaml(CARD, first_line=2)
    assert asked == [CARD]
    assert again == first
    assert again.data["date"] == datetime.date(2024, 5, 1)
    assert again.data["seen"] == first.data["seen"] and again.data["seen"].utcoffset() == datetime.timedelta(hours=-5)
    assert again.position(("language", 1)) == (5, 3)


def test_another_first_line_is_another_document(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = parses(monkeypatch)
    load_yaml(CARD, first_line=2)
    moved = load_yaml(CARD, first_line=7)
    assert asked == [CARD, CARD]
    assert moved.position(("license",)) == (7, 1)


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01not marshal", b"\xe3" + b"\xff" * 40])
def test_a_damaged_entry_is_a_miss(monkeypatch: pytest.MonkeyPatch, garbage: bytes) -> None:
    expected = load_yaml(CARD)
    Path(parse_cache._path(CARD, 1)).write_bytes(garbage)
    asked = parses(monkeypatch)
    assert load_yaml(CARD) == expected
    assert asked == [CARD]


def test_an_entry_for_another_text_under_the_same_name_is_a_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    """A checksum's collision: the entry holds its own text, which is compared whole."""
    other = "license: apache-2.0\n"
    load_yaml(other)
    Path(parse_cache._path(other, 1)).rename(parse_cache._path(CARD, 1))
    asked = parses(monkeypatch)
    assert load_yaml(CARD).data["license"] == "mit"
    assert asked == [CARD]


def test_a_cache_that_cannot_be_written_still_parses(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("HFNAME_GUARD_CACHE_DIR", str(blocked))
    asked = parses(monkeypatch)
    assert load_yaml(CARD) == load_yaml(CARD)
    assert asked == [CARD, CARD]


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=False),
    st.text(max_size=20), st.dates(), st.datetimes(timezones=st.sampled_from([None, datetime.timezone.utc])),
)
DATA = st.recursive(SCALARS, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)), max_leaves=20)


@given(DATA)
def test_any_document_reads_back_as_it_was_parsed(data: object) -> None:
    text = yaml.safe_dump({"value": data}, allow_unicode=True)
    parsed = load_yaml(text)
    with mock.patch.object(yamlparse, "parse", side_effect=AssertionError("parsed again")):
        assert load_yaml(text) == parsed
