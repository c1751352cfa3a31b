"""The Hub's rule for repo ids, with a message per problem.

Kept in step with huggingface_hub's ``validate_repo_id`` (a test compares the two on generated
ids) without importing huggingface_hub, which would cost more than the whole check.
"""

from __future__ import annotations

from .record import Record

MAX_PART_LENGTH = 96
_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_ALLOWED = _WORD | {"-", "."}


class RepoIdProblem(Record):
    message: str
    column: int | None = None
    """1-based position in the repo id."""


def repo_id_problems(repo_id: str) -> list[RepoIdProblem]:
    """Everything the Hub would reject in ``repo_id``; [] when it is valid."""
    if not repo_id:
        return [RepoIdProblem("the repo id is empty; expected `namespace/name`")]
    slashes = repo_id.count("/")
    if slashes > 1:
        return [RepoIdProblem(
            f"`{repo_id}` has {slashes} slashes; a repo id is `namespace/name` with one",
            repo_id.index("/", repo_id.index("/") + 1) + 1,
        )]
    problems: list[RepoIdProblem] = []
    offset = 0
    parts = repo_id.split("/")
    for label, part in zip(("namespace", "name")[-len(parts):], parts):
        problems += _part_problems(label, part, offset)
        offset += len(part) + 1
    for pair in ("--", ".."):
        if pair in repo_id:
            problems.append(RepoIdProblem(f"`{pair}` is not allowed in a repo id", repo_id.index(pair) + 1))
    if repo_id.endswith(".git"):
        problems.append(RepoIdProblem("a repo id cannot end in `.git`", len(repo_id) - 3))
    return problems


def _part_problems(label: str, part: str, offset: int) -> list[RepoIdProblem]:
    if not part:
        return [RepoIdProblem(f"the {label} is empty", offset + 1)]
    problems = []
    if len(part) > MAX_PART_LENGTH:
        problems.append(RepoIdProblem(
            f"the {label} is {len(part)} characters long; the Hub allows {MAX_PART_LENGTH}",
            offset + MAX_PART_LENGTH + 1,
        ))
    for index, char in enumerate(part):
        if char not in _ALLOWED:
            problems.append(RepoIdProblem(_describe_character(char), offset + index + 1))
            break
    for index, where in ((0, "start"), (len(part) - 1, "end")):
        char = part[index]
        if char in _ALLOWED and char not in _WORD:
            problems.append(RepoIdProblem(
                f"the {label} must {where} with a letter, digit or `_`, not `{char}`", offset + index + 1
            ))
    return problems


def _describe_character(char: str) -> str:
    import unicodedata  # only for the rare id with a character outside the allowed set

    name = unicodedata.name(char, f"U+{ord(char):04X}")
    if ord(char) > 127:
        base = unicodedata.normalize("NFKD", char)[:1]
        lookalike = _LOOKALIKES.get(char) or (base if base.isascii() and base.isalnum() else None)
        hint = f"; it looks like `{lookalike}` but is not ASCII" if lookalike else ""
        return f"`{char}` ({name}) is not allowed{hint}; use only ASCII letters, digits, `-`, `_` and `.`"
    shown = repr(char) if not char.isprintable() or char == " " else f"`{char}`"
    return f"{shown} ({name}) is not allowed; use only ASCII letters, digits, `-`, `_` and `.`"


_LOOKALIKES = dict(zip(
    "аеорсухіјѕԁӏАВЕКМНОРСТХІЈЅαβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "aeopcyxijsdlABEKMHOPCTXIJSaBeiKvopTuxABEZHIKMNOPTYX",
))
