"""Untrusted text made printable (issue 10, point 3): how each character is shown, and that any
text a model folder can hold, in its name, its card or its config, renders in every format.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hfname_guard import check, cli, load_policy
from hfname_guard.findings import Finding, Report
from hfname_guard.printable import encodable, escape, printable, printable_lines, unprintable
from hfname_guard.report import FORMATS, reporter
from hfname_guard.targets import Target, targets_from_arguments

RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What must not reach a terminal: every control but the line break, and the bidirectional marks."""


@pytest.mark.parametrize(("text", "shown"), [
    ("evil\x1b[2Jname", "evil\\x1b[2Jname"),
    ("a\rb\nc\td", "a\\rb\\nc\\td"),
    ("\x00\x07\x08\x7f\x85\x9b", "\\x00\\x07\\x08\\x7f\\x85\\x9b"),
    ("\u202aa\u202eb\u2066c\u2069\u200e\u200f\u061c", "\\u202aa\\u202eb\\u2066c\\u2069\\u200e\\u200f\\u061c"),
    ("line\u2028para\u2029", "line\\u2028para\\u2029"),
    ("model-\udcff\udc80", "model-\\xff\\x80"),  # bytes that were not UTF-8 (surrogateescape): shown as the bytes
    ("\ud800\udc00\udc7f\udd00\udfff", "\\ud800\\udc00\\udc7f\\udd00\\udfff"),  # other lone surrogates
])
def test_printable_shows_each_kind_of_character(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_printable_leaves_printable_text_alone() -> None:
    text = "models\\llama-7b ü 漢字 🦙 a\u200db \xa0 `x` \\x1b %0A"
    assert printable(text) == text


def test_escape_is_one_character_at_a_time() -> None:
    shown = [escape(character) for character in "\n\x1b\x9b\udcff\u202e"]
    assert shown == ["\\n", "\\x1b", "\\x9b", "\\xff", "\\u202e"]


def test_printable_lines_keeps_line_breaks_only() -> None:
    assert printable_lines("a\x1b\nb\r\n\u202e") == "a\\x1b\nb\\r\n\\u202e"


@given(st.text())
def test_any_text_becomes_printable_utf8_and_stays_so(text: str) -> None:
    shown = printable(text)
    assert not unprintable().search(shown)
    shown.encode("utf-8")
    assert printable(shown) == shown
    if not unprintable().search(text):
        assert shown == text


def test_encodable_replaces_only_lone_surrogates_everywhere_in_json_data() -> None:
    data = {"k\udcff": ["\ud800x", {"x": "\x1b\n\u202e"}, ("\udc80",)], "n": 1, "none": None, "yes": True}
    assert encodable(data) == {"k\\xff": ["\\ud800x", {"x": "\x1b\n\u202e"}, ["\\x80"]], "n": 1, "none": None,
                               "yes": True}


@given(st.text())
def test_encodable_text_is_strict_json_in_utf8(text: str) -> None:
    written = json.dumps(encodable(text), ensure_ascii=False).encode("utf-8")
    read = json.loads(written)
    assert not re.search("[\ud800-\udfff]", read)
    if not re.search("[\ud800-\udfff]", text):
        assert read == text


def test_standard_output_writes_what_it_cannot_encode_as_escapes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)  # no guard in front of the stream
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))
    assert cli.main(["explain", "llama-7b-\u00fc"]) == 0
    sys.stdout.flush()
    assert raw.getvalue().startswith(b"llama-7b-\\xfc\n")


def test_standard_output_without_reconfigure_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)  # no guard in front of the stream
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    assert cli.main(["explain", "llama-7b\x1b[2J"]) == 0
    assert stdout.getvalue().startswith("llama-7b\\x1b[2J\n")


def test_text_keeps_one_finding_to_a_line() -> None:
    finding = Finding(rule="card/license", severity="error", message="license `a\nb\x1b[2J` is not allowed",
                      repo_id="acme/x\r", file="models/x\u202e/README.md", line=2, column=1, suggestion="mit\n")
    text = reporter("text").render(Report(targets=[Target("acme/x\r", "models/x\u202e", "folder\x07")],
                                          findings=[finding], waived=[]), color=False)
    assert text == ("models/x\\u202e  (acme/x\\r, repo id from folder\\x07)\n"
                    "  models/x\\u202e/README.md:2:1: error: license `a\\nb\\x1b[2J` is not allowed [card/license]\n"
                    "    fix: mit\\n\n"
                    "1 error (1 model checked)\n")


def _is_folder_name(name: str) -> bool:
    try:
        encoded = os.fsencode(name)
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte: no file name holds one
        return False
    return name not in (".", "..") and b"/" not in encoded and b"\0" not in encoded and len(encoded) <= 200


folder_names = (st.text(min_size=1, max_size=30) | st.binary(min_size=1, max_size=30).map(os.fsdecode)).filter(
    _is_folder_name)
"""Any name a folder can have: any text, and any bytes (decoded as Python decodes file names)."""


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(folder=folder_names, card_value=st.text(), config_value=st.text())
@pytest.mark.usefixtures("cache_dir")
def test_any_folder_card_and_config_text_renders_in_every_format(folder: str, card_value: str,
                                                                 config_value: str) -> None:
    workspace = tempfile.mkdtemp()
    try:
        path = os.path.join(workspace, f"llama-7b-{folder}")  # an architecture word: config.json is compared
        os.mkdir(path)
        with open(os.path.join(path, "README.md"), "w", encoding="utf-8") as card:
            card.write(f"---\nlicense: {json.dumps(card_value)}\npipeline_tag: {json.dumps(card_value)}\n---\n")
        with open(os.path.join(path, "config.json"), "w", encoding="utf-8") as config:
            config.write(json.dumps({"model_type": config_value, "architectures": [config_value]}))
        policy = load_policy(start=workspace)
        report = check(targets_from_arguments([path], None, policy), policy)
        outputs = {name: reporter(name).render(report, color=False) for name in FORMATS}
    finally:
        shutil.rmtree(workspace)
    for name, output in outputs.items():
        output.encode("utf-8")  # no lone surrogate left
        assert not RAW_CONTROL.search(output), (name, output)
    json.loads(outputs["json"])
    json.loads(outputs["sarif"])
    text_lines = outputs["text"].splitlines()
    assert text_lines[0] == "policy: built-in default"
    assert len(text_lines) == 3 + len(report.findings) + sum(bool(finding.suggestion) for finding in report.findings)
