"""A rule failed on this model with an error of hfname-guard's own; every other rule still ran.

A bug in one rule must not hide what the other rules found, nor the other models. When a rule
raises an exception on a model (in its own code or in the facts it reads from the model's
files), what it reported before the exception is kept and this finding is added, naming the
rule and the exception in one line. Every other rule and model is still checked and reported,
in every format, and then the run exits with code 3; `--debug` prints the traceback on
standard error. The checker reports it itself, so it is always an error: a policy can neither
change its severity nor waive it, since a rule that did not run gives no verdict.

Please report it, with the model's files (or its repo id), at
https://github.com/hfname-guard/hfname-guard/issues.

Passing: every rule runs to its end on every model

Failing: `rule consistency/size failed on this model: ValueError: ...; this is a bug in hfname-guard, please report it`
"""

from __future__ import annotations

ID = "internal/rule-error"
SEVERITY = "error"
SUBJECT = "internal"
MAX_EXCEPTION_CHARACTERS = 200


def message(rule_id: str, error: BaseException) -> str:
    """The finding's one line: the rule, the exception's type and its text, escaped and clipped."""
    return (
        f"rule {rule_id} failed on this model: {type(error).__name__}: {_one_line(_text(error))}; "
        "this is a bug in hfname-guard, please report it with this model's files"
    )


def _text(error: BaseException) -> str:
    try:
        return str(error)
    except Exception:  # an exception whose __str__ fails must not take the report down with it
        return "(its message cannot be shown)"


def _one_line(text: str) -> str:
    """Control characters and line breaks written as escapes, and at most the first 200 characters."""
    clipped = text[: MAX_EXCEPTION_CHARACTERS + 1]
    escaped = "".join(character if character.isprintable() else repr(character)[1:-1] for character in clipped)
    if len(escaped) <= MAX_EXCEPTION_CHARACTERS:
        return escaped
    return escaped[: MAX_EXCEPTION_CHARACTERS - 3] + "..."
