"""hfname-guard: a naming gate for Hugging Face model repositories.

The Python API::

    from hfname_guard import check, load_policy, Target

    policy = load_policy("path/to/.hfname-guard.yaml")   # or None: discover, else the default
    report = check([Target("acme/llama-7b-chat-v1", folder="models/llama")], policy)
    report = check([Target("acme/llama-7b-chat-v1", folder="models/llama")])  # each folder's own policy
    for finding in report.findings:
        print(finding.rule, finding.severity, finding.message, finding.suggestion)

    report = check([Target("acme/llama-7b-chat-v1", folder="models/llama")], online="on")  # hub/* rules too

The gate before a push of your own (it checks online, and raises ``PolicyViolation`` with the
report when something is at or above ``fail_on``)::

    from hfname_guard import guard

    guard("models/llama", "acme/llama-7b-chat-v1")
    model.push_to_hub("acme/llama-7b-chat-v1")
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .checker import check
    from .errors import HfnameGuardError, PolicyError, UsageError
    from .findings import Finding, Report
    from .policy import Policies, Policy, load_policy
    from .targets import Target
    from .upload import PolicyViolation, guard

_HOMES = {
    "check": "checker", "HfnameGuardError": "errors", "PolicyError": "errors", "UsageError": "errors",
    "Finding": "findings", "Report": "findings", "Policies": "policy", "Policy": "policy", "load_policy": "policy",
    "Target": "targets", "PolicyViolation": "upload", "guard": "upload",
}
"""Each name of the API and its module, imported on first use: the command line imports only
what its command needs (``guard`` and the upload path, huggingface_hub, never on a check)."""


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__version__ = "0.1.0"
__all__ = ["Finding", "HfnameGuardError", "Policies", "Policy", "PolicyError", "PolicyViolation", "Report", "Target",
           "UsageError", "check", "guard", "load_policy", "__version__"]
