"""A guarded upload: a model folder reaches the Hub only when its name and card pass the policy.

``guard`` is the gate alone, for code that publishes in its own way (``push_to_hub``,
``upload_folder``): it checks the folder as it will be published, online, and returns the
report, or raises ``PolicyViolation`` with it. ``upload`` is the gate and the push together,
what ``hfname-guard upload`` runs: create the repository when asked, then ``upload_folder``,
both through huggingface_hub, and only after the check passed.
"""

from __future__ import annotations

import os

from .checker import check
from .errors import EXIT_VIOLATIONS, HfnameGuardError, UsageError
from .findings import Report
from .policy import Policies, Policy
from .targets import Target, targets_from_arguments


class PolicyViolation(HfnameGuardError):
    """The folder did not pass: ``report`` says why. Nothing was uploaded."""

    exit_code = EXIT_VIOLATIONS

    def __init__(self, report: Report, fail_on: str) -> None:
        self.report = report
        counts = report.summary
        found = ", ".join(f"{counts[severity]} {severity}{'s' if counts[severity] != 1 else ''}"
                          for severity in ("error", "warning", "info") if counts[severity])
        repo_ids = ", ".join(target.repo_id for target in report.targets)
        super().__init__(f"{repo_ids} did not pass the policy ({found or 'a rule failed'}; failing at "
                         f"{fail_on})")


def guard(folder: str | os.PathLike[str], repo_id: str | None = None, policy: Policy | None = None, *,
          fail_on: str = "error", online: str = "required") -> Report:
    """Check ``folder`` as it will be published as ``repo_id`` (default: as the policy names it),
    against the policy (default: the folder's own) and the Hub; the report when nothing is at
    or above ``fail_on``, else ``PolicyViolation``. With ``online="required"`` (the default) a
    Hub that cannot be reached fails the gate too: an unchecked name is not a checked one."""
    return _checked(_target(os.fspath(folder), repo_id, policy), policy, fail_on, online, own_hub_client=False)


def upload(folder: str, repo_id: str | None = None, policy: Policy | None = None, *, fail_on: str = "error",
           private: bool = False, create: bool = False) -> tuple[Report, str]:
    """Check ``folder``, online; when it passes, upload it (creating the repository first with
    ``create``), and return the report and the commit's URL. ``PolicyViolation`` when it does
    not pass: then nothing is sent."""
    target = _target(folder, repo_id, policy)
    report = _checked(target, policy, fail_on, "required", own_hub_client=True)
    from huggingface_hub import HfApi
    from huggingface_hub.errors import HfHubHTTPError, RepositoryNotFoundError

    api = HfApi()
    try:
        if create:
            api.create_repo(target.repo_id, private=private, exist_ok=True)
        commit = api.upload_folder(folder_path=folder, repo_id=target.repo_id,
                                   commit_message=f"Upload {os.path.basename(os.path.abspath(folder))}")
    except RepositoryNotFoundError:
        raise UsageError(f"{target.repo_id} does not exist on the Hub (or this token cannot write to it); "
                         "pass --create to create it") from None
    except HfHubHTTPError as error:
        raise UsageError(f"the Hub refused the upload to {target.repo_id}: {error}") from None
    return report, str(commit.commit_url)


def _target(folder: str, repo_id: str | None, policy: Policy | None) -> Target:
    if not os.path.isdir(folder):
        raise UsageError(f"{folder}: not a folder; give the model folder to upload")
    [target] = targets_from_arguments([folder], repo_id, policy or Policies())
    return target


def _checked(target: Target, policy: Policy | None, fail_on: str, online: str, own_hub_client: bool) -> Report:
    report = check([target], policy, online=online, own_hub_client=own_hub_client)
    if report.exit_code(fail_on) != 0:
        raise PolicyViolation(report, fail_on)
    return report
