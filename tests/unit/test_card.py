"""hfname_guard.card against huggingface_hub's own model-card reader.

huggingface_hub (``RepoCard.load``) opens README.md with ``newline=""`` and ``utf-8-sig``, splits it
with ``REGEX_YAML_BLOCK`` and loads the block with ``yaml.safe_load``: ``None`` becomes ``{}``, a
non-mapping raises ``ValueError``, bad YAML raises ``yaml.YAMLError``, no block means ``{}``.
``hub_view`` below computes exactly that from the file, and every case is also loaded through
``ModelCard.load`` to prove the oracle describes the real thing. ``ModelCard.load`` always gets a
``Path`` to an existing file: a string that is not a file is downloaded from the Hub instead.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before huggingface_hub is imported: no network

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from huggingface_hub import ModelCard
from huggingface_hub.repocard import REGEX_YAML_BLOCK as HUB_REGEX_YAML_BLOCK
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfname_guard import card as card_module
from hfname_guard.card import MAX_METADATA_BYTES, Card, read_card, split_front_matter

BOM = b"\xef\xbb\xbf"


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


# --- the oracle ---------------------------------------------------------------------------------


def hub_view(path: Path) -> tuple[str, Any]:
    """What huggingface_hub makes of ``path``: ("ok", dict), ("not-mapping", None) or
    ("yaml-error", None), computed from its own regex and ``yaml.safe_load``."""
    with path.open("r", newline="", encoding="utf-8-sig") as handle:
        content = handle.read()
    match = HUB_REGEX_YAML_BLOCK.search(content)
    if match is None:
        return "ok", {}
    try:
        data = yaml.safe_load(match.group(2))
    except yaml.YAMLError:
        return "yaml-error", None
    if data is None:
        return "ok", {}
    if not isinstance(data, dict):
        return "not-mapping", None
    return "ok", data


def model_card_view(path: Path) -> tuple[str, Any]:
    """The same, through ``ModelCard.load`` itself (its data normalized: ``None`` values dropped)."""
    assert isinstance(path, Path) and path.is_file()  # never a download
    try:
        loaded = ModelCard.load(path)
    except ValueError:
        return "not-mapping", None
    except yaml.YAMLError:
        return "yaml-error", None
    return "ok", loaded.data.to_dict()


def our_view(card: Card) -> tuple[str, Any]:
    """Our reading in the oracle's terms: no block (issue ``missing``) reads as ``{}``."""
    if card.metadata is not None:
        assert all(issue.kind == "syntax" and "set twice" in issue.message for issue in card.issues)
        return "ok", card.metadata
    assert len(card.issues) == 1, card.issues
    issue = card.issues[0]
    assert card.document is None
    if issue.kind == "missing":
        return "ok", {}
    assert issue.kind == "syntax", issue
    if "must be a mapping" in issue.message:
        return "not-mapping", None
    if "invalid YAML" in issue.message:
        return "yaml-error", None
    return "syntax", issue.message


def canonical(value: Any) -> Any:
    """Comparable form: NaN equal to itself."""
    if isinstance(value, float) and math.isnan(value):
        return "<nan>"
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    return value


def without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def write_card(folder: Path, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "README.md"
    path.write_bytes(content)
    return path


def assert_agrees_with_hub(folder: Path) -> Card:
    path = folder / "README.md"
    card = read_card(folder)
    hub = hub_view(path)
    ours = our_view(card)
    assert canonical(ours) == canonical(hub), f"{path.read_bytes()[:300]!r}: ours {ours}, hub {hub}"
    return card


# --- edge cases, each compared with huggingface_hub ----------------------------------------------

CASES: dict[str, bytes] = {
    "lf": b"---\nlicense: mit\nlanguage:\n- en\n- de\n---\n# Model\n",
    "crlf": b"---\r\nlicense: mit\r\ntags:\r\n- a\r\n- b\r\n---\r\n# Model\r\n",
    "mixed line endings": b"---\r\nlicense: mit\ntags: [a]\r\n---\n# Model\n",
    "cr only, closed mid-file": b"---\rlicense: mit\r---\r# Model\r",
    "cr only, closed at end of file": b"---\rlicense: mit\rtags:\r- a\r---",
    "bom": BOM + b"---\nlicense: mit\n---\n# Model\n",
    "bom and crlf": BOM + b"---\r\nlicense: mit\r\n---\r\n",
    "bom twice": BOM + BOM + b"---\nlicense: mit\n---\n",
    "leading blank lines": b"\n\n---\nlicense: mit\n---\n",
    "leading whitespace lines": b"  \t\n\r\n   ---\nlicense: mit\n---\n",
    "bom then blank line": BOM + b"\n---\nlicense: mit\n---\n",
    "empty block": b"---\n---\n# Model\n",
    "empty block at end of file": b"---\n---",
    "blank line block": b"---\n\n---\n",
    "whitespace only block": b"---\n   \n\t\n---\n",
    "comments only block": b"---\n# license: mit\n  # another\n---\n",
    "null block": b"---\n~\n---\n",
    "three fences": b"---\n---\n---\n",
    "document end marker": b"---\nlicense: mit\n...\n---\n",
    "no front matter": b"# Model\n\nSome text.\n",
    "front matter not at the top": b"# Model\n---\nlicense: mit\n---\n",
    "empty file": b"",
    "list": b"---\n- a\n- b\n---\n",
    "flow list": b"---\n[license, mit]\n---\n",
    "scalar": b"---\njust some text\n---\n",
    "number": b"---\n42\n---\n",
    "false": b"---\nfalse\n---\n",
    "quoted empty string": b"---\n''\n---\n",
    "duplicate keys": b"---\nlicense: mit\nlicense: apache-2.0\n---\n",
    "spaces after the closing fence": b"---\nlicense: mit\n---   \n# Model\n",
    "tab after the closing fence": b"---\nlicense: mit\n---\t\n# Model\n",
    "spaces after the opening fence": b"--- \nlicense: mit\n---\n",
    "closing fence at end of file": b"---\nlicense: mit\n---",
    "closing fence with spaces at end of file": b"---\nlicense: mit\n---  ",
    "four dashes do not close": b"---\nlicense: mit\n----\ntags: [a]\n---\n",
    "indented closing fence does not close": b"---\nlicense: mit\n ---\n",
    "never closed": b"---\nlicense: mit\n# Model\n",
    "text after the block": b"---\nlicense: mit\n---\n# Model\n---\nlicense: other\n---\n",
    "invalid yaml": b"---\nlicense: [mit\n---\n",
    "second document inside": b"---\nlicense: mit\n--- x\n---\n",
    "unicode": "---\nlanguage: ja\nmodel_name: 日本語モデル\ntags: [café]\n---\n".encode(),
    "nested": b"---\nlicense: mit\nwidget:\n- text: hello\n  example_title: x\n---\n",
    "tab as separator": b"---\nlicense:\tmit\n---\n",
    "trailing tab after a value": b"---\nlicense: mit\t\n---\n",
    "trailing tab after a list item": b"---\ntags:\n- a\t\n---\n",
}


@pytest.mark.parametrize("content", CASES.values(), ids=CASES.keys())
def test_metadata_agrees_with_hub(tmp_path: Path, content: bytes) -> None:
    folder = tmp_path / "model"
    path = write_card(folder, content)
    hub = hub_view(path)
    # the oracle is what ModelCard.load really does
    loaded = model_card_view(path)
    assert loaded[0] == hub[0]
    if hub[0] == "ok":
        assert loaded[1] == without_none(hub[1])
    assert_agrees_with_hub(folder)


def test_the_split_is_the_hubs_regex() -> None:
    assert card_module.REGEX_YAML_BLOCK.pattern == HUB_REGEX_YAML_BLOCK.pattern
    assert card_module.REGEX_YAML_BLOCK.flags == HUB_REGEX_YAML_BLOCK.flags


def test_non_mapping_is_a_syntax_issue_at_the_block(tmp_path: Path) -> None:
    write_card(tmp_path, b"\n---\n- a\n---\n")
    card = read_card(tmp_path)
    assert card.metadata is None
    (issue,) = card.issues
    assert issue.kind == "syntax"
    assert "mapping" in issue.message and "list" in issue.message
    assert (issue.line, issue.column) == (3, 1)


def test_invalid_yaml_points_at_the_file_line(tmp_path: Path) -> None:
    write_card(tmp_path, b"\n---\nlicense: mit\ntags: [a\n---\n")
    (issue,) = read_card(tmp_path).issues
    assert issue.kind == "syntax" and "invalid YAML" in issue.message
    assert issue.line is not None and 4 <= issue.line <= 5


def test_no_block_is_missing(tmp_path: Path) -> None:
    write_card(tmp_path, b"# Model\n")
    card = read_card(tmp_path)
    assert card.metadata is None
    (issue,) = card.issues
    assert issue.kind == "missing"
    assert card.position("license") == (None, None)


def test_no_readme_is_missing(tmp_path: Path) -> None:
    card = read_card(tmp_path)
    (issue,) = card.issues
    assert issue.kind == "missing" and "README.md" in issue.message


def test_duplicate_keys_are_reported_on_a_duplicate_line(tmp_path: Path) -> None:
    write_card(tmp_path, b"---\nlicense: mit\nlicense: apache-2.0\n---\n")
    card = read_card(tmp_path)
    assert card.metadata == {"license": "apache-2.0"}
    (issue,) = card.issues
    assert issue.kind == "syntax" and "`license`" in issue.message and "twice" in issue.message
    assert issue.line in (2, 3)
    assert card.position("license") == (3, 1)  # the key whose value is kept


# --- split_front_matter ------------------------------------------------------------------------

FRONT_MATTER_PIECES = st.sampled_from(
    ["---", "--", "-", "\n", "\r\n", "\r", " ", "\t", "a: 1", "#", "x", "\u00e9", "\u2028", "\x0c"]
)


def line_of(text: str, index: int) -> int:
    line, position = 1, 0
    while position < index:
        if text.startswith("\r\n", position):
            line, position = line + 1, position + 2
        else:
            line, position = line + (text[position] in "\r\n"), position + 1
    return line


@settings(max_examples=2000, deadline=None)
@given(st.lists(FRONT_MATTER_PIECES, max_size=16).map("".join))
def test_split_front_matter_is_the_hubs_split(text: str) -> None:
    match = HUB_REGEX_YAML_BLOCK.search(text)
    split = split_front_matter(text)
    if match is None:
        assert split is None
    else:
        assert split == (match.group(2), line_of(text, match.start(2)))


# --- the property: random metadata, random framing ----------------------------------------------

KEYS = st.sampled_from(
    ["license", "language", "tags", "pipeline_tag", "base_model", "library_name", "datasets",
     "a", "b-c", "x_y", "Key With Space", "ключ"]
)
SCALAR_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 -_.:#'\"/@!&*?[]{},|>%`\\é日\t\n")), max_size=12
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=True, width=32),
    SCALAR_TEXT,
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=4))
METADATA = st.dictionaries(KEYS, VALUES, max_size=6)


@st.composite
def framed_cards(draw: st.DrawFn) -> tuple[dict[str, Any], bytes]:
    metadata = draw(METADATA)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    dumped = yaml.safe_dump(
        metadata,
        sort_keys=draw(st.booleans()),
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, None])),
    )
    block = dumped.replace("\n", newline)
    if block.endswith(newline):
        block = block[: -len(newline)]
    leading = "".join(draw(st.lists(st.sampled_from([" ", "\t", newline]), max_size=4)))
    closing = "---" + draw(st.sampled_from(["", " ", "  \t"]))
    after = draw(st.sampled_from(["", newline, newline + "# Model" + newline, newline + "text" + newline + "---" + newline + "x: 1" + newline]))
    text = f"{leading}---{newline}{block}{newline}{closing}{after}"
    bom = BOM if draw(st.booleans()) else b""
    return metadata, bom + text.encode("utf-8")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(framed_cards())
def test_random_metadata_agrees_with_hub(tmp_path: Path, framed: tuple[dict[str, Any], bytes]) -> None:
    metadata, content = framed
    folder = tmp_path / "model"
    path = write_card(folder, content)
    card = assert_agrees_with_hub(folder)
    status, hub = hub_view(path)
    if status == "ok" and hub:  # the block was found: it says what was dumped
        assert canonical(hub) == canonical(metadata)
        assert card.metadata is not None and canonical(card.metadata) == canonical(metadata)


# --- positions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("bom", [b"", BOM], ids=["plain", "bom"])
def test_positions_are_file_lines(tmp_path: Path, newline: bytes, bom: bytes) -> None:
    lines = [
        b"",  # 1: a blank line before the block
        b"---",  # 2
        b"license: mit",  # 3
        b"language:",  # 4
        b"- en",  # 5
        b"- de",  # 6
        b"tags: [a, b]",  # 7
        b"model-index:",  # 8
        b"  - name: x",  # 9
        b"---",  # 10
        b"# Model",
    ]
    write_card(tmp_path, bom + newline.join(lines) + newline)
    card = read_card(tmp_path)
    assert card.issues == []
    assert card.metadata_line == 3
    assert card.position("license") == (3, 1)
    assert card.position("language") == (4, 1)
    assert card.position("language", 0) == (5, 3)
    assert card.position("language", 1) == (6, 3)
    assert card.position("tags", 1) == (7, 11)
    assert card.position("model-index", 0, "name") == (9, 5)
    # unknown keys fall back to the nearest parent, else to the block start
    assert card.position("language", 7) == (4, 1)
    assert card.position("pipeline_tag") == (3, 1)


def test_positions_with_cr_only_line_endings(tmp_path: Path) -> None:
    write_card(tmp_path, b"\r---\rlicense: mit\rlanguage:\r- en\r- de\r---")
    card = read_card(tmp_path)
    assert card.metadata == {"license": "mit", "language": ["en", "de"]}
    assert card.position("license") == (3, 1)
    assert card.position("language", 1) == (6, 3)


def test_positions_follow_the_value_the_hub_keeps(tmp_path: Path) -> None:
    # a duplicated key: YAML keeps the last one, and so must positions beneath it
    write_card(tmp_path, b"---\nextra:\n  a: 1\nextra:\n  a: 2\n---\n")
    card = read_card(tmp_path)
    assert card.metadata == {"extra": {"a": 2}}
    assert card.position("extra") == (4, 1)
    assert card.position("extra", "a") == (5, 3)


# --- broken files ------------------------------------------------------------------------------


def test_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    write_card(tmp_path, b"---\nlicense: mit\nmodel_name: caf\xff\n---\n")
    card = read_card(tmp_path)
    assert card.metadata is None
    (issue,) = card.issues
    assert issue.kind == "syntax"
    assert "UTF-8" in issue.message and "0xff" in issue.message
    assert "offset 32" in issue.message  # 4 + 13 + 15 bytes before it
    assert issue.line == 3
    with pytest.raises(UnicodeDecodeError):  # huggingface_hub cannot read it either
        ModelCard.load(tmp_path / "README.md")


def test_nul_byte_is_a_syntax_issue(tmp_path: Path) -> None:
    write_card(tmp_path, b"---\nlicense: mit\x00\n---\n")
    card = read_card(tmp_path)
    assert card.metadata is None
    (issue,) = card.issues
    assert issue.kind == "syntax"
    assert "NUL" in issue.message


def test_readme_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "README.md").mkdir()
    card = read_card(tmp_path)
    assert card.metadata is None
    (issue,) = card.issues
    assert issue.kind == "syntax"
    assert "README.md" in issue.message
    assert "directory" in issue.message or "not a regular file" in issue.message


def test_large_readme_with_metadata_at_the_top(tmp_path: Path) -> None:
    body = ("Some long model card text. " * 40 + "\n").encode() * 4600  # about 5 MB
    path = write_card(tmp_path, b"---\nlicense: mit\nlanguage: [en]\n---\n" + body)
    assert path.stat().st_size > 5 * MAX_METADATA_BYTES - 300_000
    card = read_card(tmp_path)
    assert card.issues == []
    assert card.metadata == {"license": "mit", "language": ["en"]}
    assert card.metadata == hub_view(path)[1]
    assert card.position("language", 0) == (3, 12)


def test_multibyte_character_across_the_read_limit(tmp_path: Path) -> None:
    head = b"---\nlicense: mit\n---\n"
    filler = b"x" * (MAX_METADATA_BYTES - len(head) - 1)
    path = write_card(tmp_path, head + filler + "é".encode() + b" more text\n")
    assert path.read_bytes()[MAX_METADATA_BYTES - 1 : MAX_METADATA_BYTES + 1] == "é".encode()
    card = read_card(tmp_path)
    assert card.issues == []
    assert card.metadata == {"license": "mit"}


def test_block_not_closed_within_the_read_limit(tmp_path: Path) -> None:
    comments = b"# a long comment line in the metadata block\n" * (2 * MAX_METADATA_BYTES // 45)
    write_card(tmp_path, b"---\nlicense: mit\n" + comments + b"---\n# Model\n")
    card = read_card(tmp_path)
    assert card.metadata is None
    (issue,) = card.issues
    assert issue.kind == "syntax"
    assert "not closed" in issue.message
    assert (issue.line, issue.column) == (1, 1)


def test_large_readme_without_a_block_is_missing(tmp_path: Path) -> None:
    write_card(tmp_path, b"# Model\n" + b"text\n" * 500_000)
    (issue,) = read_card(tmp_path).issues
    assert issue.kind == "missing"


def _fence_at_the_read_limit(rest: bytes) -> bytes:
    """A card whose bytes MAX_METADATA_BYTES-4 .. MAX_METADATA_BYTES are ``\\n---``, then ``rest``."""
    head = b"---\nlicense: mit\n"
    fence = b"\n---"
    filler = b"#" + b"x" * (MAX_METADATA_BYTES - len(head) - len(fence) - 1)
    content = head + filler + fence
    assert len(content) == MAX_METADATA_BYTES
    return content + rest


@pytest.mark.parametrize(
    "rest",
    [
        b"-\nlicense: apache-2.0\n---\n# Model\n",  # `----` is no fence: the block goes on
        b"  x\nlicense: apache-2.0\n---\n",  # `---  x` is no fence either
    ],
    ids=["four dashes", "dashes then text"],
)
def test_a_fence_cut_by_the_read_limit_is_not_taken_for_a_closing_one(tmp_path: Path, rest: bytes) -> None:
    """The first 1 MiB ends in ``\\n---`` but the file goes on so that this line closes nothing.
    huggingface_hub reads on (and here fails on the YAML); reading only the head must not
    silently return the metadata of a block that the Hub does not see."""
    path = write_card(tmp_path, _fence_at_the_read_limit(rest))
    assert hub_view(path)[0] != "ok"
    card = read_card(tmp_path)
    assert card.metadata is None, f"read {card.metadata} from a block the Hub does not close there"
    assert [issue.kind for issue in card.issues] == ["syntax"]


def test_a_real_fence_at_the_read_limit_still_closes(tmp_path: Path) -> None:
    path = write_card(tmp_path, _fence_at_the_read_limit(b"\n# Model\n" + b"text\n" * 1000))
    assert hub_view(path) == ("ok", {"license": "mit"})
    card = read_card(tmp_path)
    assert card.metadata in ({"license": "mit"}, None)
    if card.metadata is None:  # a reader may also decline to decide at the limit, but says so
        (issue,) = card.issues
        assert issue.kind == "syntax" and "not closed" in issue.message
