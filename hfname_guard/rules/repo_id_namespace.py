"""The repo id lives in one of the policy's namespaces.

Configure with the top-level `namespaces` list (organizations and users the company publishes
under). Without that list this rule has nothing to check. A namespace that differs only in case
is reported with the right spelling. The fix moves the model to the policy's spelling of its
namespace, else to the first namespace the policy lists, with every other correction of its name:
it is the name `hfname-guard suggest` prints, like every fix of a name.

Passing (`namespaces: [acme]`): `acme/llama-7b-v1`

Failing: `acme-test/llama-7b-v1`, `llama-7b-v1` (no namespace), `ACME/llama-7b-v1`
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Facts
from ..findings import Problem

ID = "repo-id/namespace"
SEVERITY = "error"
SUBJECT = "repo-id"


def check(facts: Facts) -> Iterator[Problem]:
    allowed = facts.policy.namespaces
    if not allowed or not facts.has_parts:
        return
    listed = ", ".join(f"`{namespace}`" for namespace in allowed)
    namespace = facts.namespace
    if namespace is None:
        yield Problem(f"`{facts.repo_id}` has no namespace; expected one of {listed}", suggestion=facts.name_fix())
    elif namespace not in allowed:
        same_but_case = next((name for name in allowed if name.lower() == namespace.lower()), None)
        if same_but_case:
            message = f"namespace `{namespace}` should be spelled `{same_but_case}`"
        else:
            message = f"namespace `{namespace}` is not one of {listed}"
        yield Problem(message, suggestion=facts.name_fix())


def namespace_for(facts: Facts) -> str | None:
    """The namespace the repo id should have: its own when the policy allows it (or lists none),
    else the policy's spelling of it, else the policy's first: what the name engine writes."""
    allowed, namespace = facts.policy.namespaces, facts.namespace
    if not allowed or namespace in allowed:
        return namespace
    same_but_case = next((name for name in allowed if namespace is not None and name.lower() == namespace.lower()),
                         None)
    return same_but_case or allowed[0]
