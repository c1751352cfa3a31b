"""The Hub could not be reached, so the `hub/*` checks that needed it were skipped.

Online checks (`check --online`, or the policy's `hub: {online: true}`) ask the Hub through
huggingface_hub. When it cannot answer (`HF_HUB_OFFLINE=1`, a timeout, a 5xx or a rate limit
that lasts through the retries, a refused token), the run goes on without those checks and
reports this one finding, saying why and which checks it skipped for how many models. It is
information and changes no exit code, for a gate that fails when a website is down gets
switched off; `check --online=required` makes it an error, for a release job that must not
publish unchecked.

Passing: the Hub answers every online check

Failing: `the Hub could not be reached (HF_HUB_OFFLINE is set, so huggingface_hub makes no request);
skipped: hub/case-collision for 2 models, hub/near-duplicate for 2 models`
"""

from __future__ import annotations

from ..findings import Finding

ID = "hub/unreachable"
SEVERITY = "info"
SUBJECT = "internal"


def finding(reason: str, skipped: dict[str, list[str]], required: bool) -> Finding:
    """The run's one finding: why the Hub was silent and what that skipped, on the first model
    whose check it skipped."""
    first = min(repo_id for repo_ids in skipped.values() for repo_id in repo_ids)
    checks = ", ".join(f"{rule} for {_models(len(set(repo_ids)))}" for rule, repo_ids in sorted(skipped.items()))
    return Finding(rule=ID, severity="error" if required else SEVERITY, repo_id=first,
                   message=f"the Hub could not be reached ({reason}); skipped: {checks}")


def _models(count: int) -> str:
    return "1 model" if count == 1 else f"{count} models"
