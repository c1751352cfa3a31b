"""hub_names: a namespace's existing names, and what makes a proposed name collide with them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hfname_guard.hub_names import NamespaceIndex, spelling_key

EXISTING = ["acme/llama-7b-chat", "acme/llama-7b-chat-v1", "acme/mistral-7b-instruct", "acme/gpt2",
            "acme/chat-llama-7b-x", "acme/t5-xl"]


@pytest.fixture(scope="module")
def index() -> NamespaceIndex:
    return NamespaceIndex(EXISTING)


@pytest.mark.parametrize(("repo_id", "alike"), [
    ("acme/Llama-7B-chat", ["acme/llama-7b-chat"]),
    ("acme/llama_7b.chat", ["acme/llama-7b-chat"]),
    ("acme/llama-7b-chat", []),  # itself
    ("acme/llama-7b-chats", []),
])
def test_spelled_alike(index: NamespaceIndex, repo_id: str, alike: list[str]) -> None:
    assert index.spelled_alike(repo_id) == alike


@pytest.mark.parametrize(("repo_id", "close"), [
    ("acme/llama_7b_chat_v2", [("acme/llama-7b-chat-v1", "the same name at version 1, spelled `llama-7b-chat`")]),
    ("acme/llama-7b-chat-v4", [("acme/llama-7b-chat-v1", "the same name at version 1: version 4 skips 2")]),
    ("acme/llama-7b-chat-v2", []),
    ("acme/mistral-7b-instrct", [("acme/mistral-7b-instruct", "one letter apart")]),
    ("acme/x-chat-llama-7b", [("acme/chat-llama-7b-x", "the same words in another order")]),
    ("acme/llama-8b-chat", []),  # a digit apart is another model
    ("acme/gpt3", []),
    ("acme/t5-xs", []),  # too short to be one letter apart
    ("acme/brand-new-model", []),
])
def test_neighbours(index: NamespaceIndex, repo_id: str, close: list[tuple[str, str]]) -> None:
    assert index.neighbours(repo_id) == close


@given(st.text(alphabet="abcXYZ01-_.", min_size=1, max_size=20))
def test_a_name_is_never_its_own_neighbour_or_collision(name: str) -> None:
    repo_id = f"acme/{name}"
    index = NamespaceIndex([repo_id])
    assert repo_id not in index.spelled_alike(repo_id)
    assert repo_id not in [existing for existing, _ in index.neighbours(repo_id)]


@given(st.text(alphabet="abcXYZ01", min_size=1, max_size=12), st.lists(st.sampled_from("-_."), min_size=1))
def test_separators_and_case_never_make_another_name(word: str, separators: list[str]) -> None:
    name = separators[0].join([word, "chat"])
    assert spelling_key(name.upper()) == spelling_key(f"{word}-chat")
