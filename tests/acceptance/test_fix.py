"""`check --fix` and `--diff`: card values with one certain fix, rewritten and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from guards import hfname_guard

CARD = (b"---\r\n"
        b"# a comment that stays\r\n"
        b"license: \"Apache 2.0\"\r\n"
        b"language: [English, de]   # trailing\r\n"
        b"pipeline_tag: text2text-generation\r\n"
        b"tags: nlp\r\n"
        b"base_model: meta-llama/Llama-3.1-8B\r\n"
        b"---\r\n"
        b"# Body\r\n"
        b"license: Apache 2.0 is body text, not metadata\r\n")
FIXED = (b"---\r\n"
         b"# a comment that stays\r\n"
         b"license: \"apache-2.0\"\r\n"
         b"language: [en, de]   # trailing\r\n"
         b"pipeline_tag: text-generation\r\n"
         b"tags: [nlp]\r\n"
         b"base_model: meta-llama/Llama-3.1-8B\r\n"
         b"---\r\n"
         b"# Body\r\n"
         b"license: Apache 2.0 is body text, not metadata\r\n")


@pytest.fixture
def card(tmp_path: Path) -> Path:
    folder = tmp_path / "llama-8b-chat"
    folder.mkdir()
    (folder / "README.md").write_bytes(CARD)
    return folder / "README.md"


def test_fix_rewrites_each_certain_value_and_nothing_else(card: Path, tmp_path: Path) -> None:
    completed = hfname_guard("check", "llama-8b-chat", "--fix", cwd=tmp_path)
    assert card.read_bytes() == FIXED  # quotes, comments, line endings and the body kept, byte for byte
    assert completed.returncode == 1  # as pre-commit fixers do: a run that changed files fails
    assert completed.stderr.splitlines() == [
        'llama-8b-chat/README.md:3: fixed card/license: "Apache 2.0" -> "apache-2.0"',
        "llama-8b-chat/README.md:4: fixed card/language: English -> en",
        "llama-8b-chat/README.md:5: fixed card/pipeline-tag: text2text-generation -> text-generation",
        "llama-8b-chat/README.md:6: fixed card/field-type: nlp -> [nlp]",
    ]
    assert "no problems (1 model checked)" in completed.stdout  # the report is of the fixed card
    again = hfname_guard("check", "llama-8b-chat", "--fix", cwd=tmp_path)
    assert again.returncode == 0 and card.read_bytes() == FIXED and again.stderr == ""


def test_diff_shows_the_fixes_without_writing(card: Path, tmp_path: Path) -> None:
    completed = hfname_guard("check", "llama-8b-chat", "--diff", cwd=tmp_path)
    assert card.read_bytes() == CARD
    assert completed.stdout.startswith("--- a/llama-8b-chat/README.md\n+++ b/llama-8b-chat/README.md\n")
    assert "\n-license: \"Apache 2.0\"\\r\n" in completed.stdout  # a carriage return shown, not sent
    assert "\n+license: \"apache-2.0\"\\r\n" in completed.stdout
    assert "+language: [en, de]   # trailing" in completed.stdout
    assert completed.returncode == 1  # the findings are still there


@pytest.mark.parametrize("card_text", [
    "license: apache2\nlicense: mit\n",  # a duplicate key: which one would be fixed is not certain
    "license: |\n  Apache 2.0\n",  # a block scalar: not one span on one line
    "license: &l Apache 2.0\nlicense_name: *l\n",  # an alias would change with it
])
def test_what_is_not_certain_is_left_alone(tmp_path: Path, card_text: str) -> None:
    folder = tmp_path / "llama-8b-chat"
    folder.mkdir()
    readme = folder / "README.md"
    readme.write_text(f"---\n{card_text}pipeline_tag: text-generation\n---\n", encoding="utf-8")
    before = readme.read_bytes()
    hfname_guard("check", "llama-8b-chat", "--fix", cwd=tmp_path)
    assert readme.read_bytes() == before


def test_a_name_is_never_renamed_but_the_commands_are_shown(tmp_path: Path) -> None:
    folder = tmp_path / "tmp-llama-8b"
    folder.mkdir()
    (folder / "README.md").write_text("---\nlicense: mit\npipeline_tag: text-generation\n---\n", encoding="utf-8")
    (tmp_path / ".hfname-guard.yaml").write_text("version: 1\nextends: default\nnamespaces: [acme]\n",
                                                 encoding="utf-8")
    completed = hfname_guard("check", "tmp-llama-8b", "--fix", cwd=tmp_path)
    assert folder.is_dir() and not (tmp_path / "llama-8b").exists()
    assert "fix: acme/llama-8b" in completed.stdout  # shown, not done
    assert completed.stderr == ("tmp-llama-8b: not renamed; to rename it: git mv tmp-llama-8b llama-8b, and on the "
                                "Hub HfApi().move_repo(from_id='acme/tmp-llama-8b', to_id='acme/llama-8b')\n")
