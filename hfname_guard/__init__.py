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

from .checker import check
from .errors import HfnameGuardError, PolicyError, UsageError
from .findings import Finding, Report
from .policy import Policies, Policy, load_policy
from .targets import Target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .upload import PolicyViolation, guard


def __getattr__(name: str) -> object:
    """``guard`` and ``PolicyViolation`` load on first use: the check path never imports them."""
    if name in ("guard", "PolicyViolation"):
        from . import upload

        return getattr(upload, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__version__ = "0.1.0"
__all__ = ["Finding", "HfnameGuardError", "Policies", "Policy", "PolicyError", "PolicyViolation", "Report", "Target",
           "UsageError", "check", "guard", "load_policy", "__version__"]
