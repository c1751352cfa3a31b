"""What the repo-id rules of the `hub/*` family share: the proposed name's namespace on the Hub."""

from __future__ import annotations

from ..facts import Facts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..hub_names import NamespaceIndex


def existing_names(facts: Facts) -> NamespaceIndex | None:
    """The names the proposed repo id's namespace holds on the Hub (listed once a run); None
    offline, or for a repo id without a namespace to look in."""
    hub, namespace = facts.hub, facts.namespace
    if hub is None or namespace is None or not facts.has_parts:
        return None
    return hub.namespace(namespace)
