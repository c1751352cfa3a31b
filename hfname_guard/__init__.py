"""hfname-guard: a naming gate for Hugging Face model repositories.

The Python API::

    from hfname_guard import check, load_policy, Target

    policy = load_policy("path/to/.hfname-guard.yaml")   # or None: discover, else the default
    report = check([Target("acme/llama-7b-chat-v1", folder="models/llama")], policy)
    report = check([Target("acme/llama-7b-chat-v1", folder="models/llama")])  # each folder's own policy
    for finding in report.findings:
        print(finding.rule, finding.severity, finding.message, finding.suggestion)
"""

from __future__ import annotations

from .checker import check
from .errors import HfnameGuardError, PolicyError, UsageError
from .findings import Finding, Report
from .policy import Policies, Policy, load_policy
from .targets import Target

__version__ = "0.1.0"
__all__ = ["Finding", "HfnameGuardError", "Policies", "Policy", "PolicyError", "Report", "Target", "UsageError",
           "check", "load_policy", "__version__"]
