"""The ``hfname-guard`` command: argument parsing and dispatch only.

Every check goes through ``checker.check``; this module turns arguments into targets and a
policy, and results and errors into output and an exit code (0 clean, 1 violations, 2 usage or
policy error, 3 internal error).
"""

from __future__ import annotations

import gc
import io
import itertools
import os
import sys
from functools import cache

from .errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_VIOLATIONS,
    HfnameGuardError,
    PolicyError,
    UsageError,
)

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import: see record.py
    import argparse
    from collections.abc import Iterable, Iterator
    from typing import Any

    from .findings import Report

DESCRIPTION = """\
Check Hugging Face model names and model cards against your organization's naming policy.

Each folder's policy is the nearest .hfname-guard.yaml in that folder or a folder above it (for
a repo id alone: from the working directory), else the built-in default (the Hub's rules plus
what the naming study recommends); --policy FILE sets one for all.
"""

CHECK_EPILOG = """\
examples:
  hfname-guard check --repo-id acme/llama-7b-chat-v1     check a proposed name alone
  hfname-guard check models/llama-7b-chat                 a model folder (name + card)
  hfname-guard check models/* --format json=report.json   text on screen, JSON in a file
  hfname-guard check --repo-ids-from names.txt -q         names from a file, one a line: the findings alone
  hfname-guard check models/* --show-waived               with the findings waivers hide, and their waiver

exit codes: 0 nothing at or above --fail-on, 1 violations, 2 usage or policy error,
3 internal error (run again with --debug for the traceback)
"""


EXPLAIN_EPILOG = """\
examples:
  hfname-guard explain name/template
  hfname-guard explain meta-llama/Llama-2-7b-chat-hf Mixtral-8x7B-Instruct-v0.1
  hfname-guard explain --names-from names.txt --format jsonl > names.jsonl
"""


def _formatter(prog: str) -> argparse.HelpFormatter:
    """Help keeps its line breaks and fits the terminal (found through os: argparse's own way
    imports shutil, which costs more than the rest of a check's start)."""
    import argparse

    return argparse.RawDescriptionHelpFormatter(prog, width=_help_width())


@cache
def _help_width() -> int:
    """Asked once: argparse makes a formatter for every option it is given."""
    try:
        width = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        width = 100
    return max(width - 2, 40)


CHECK_DESCRIPTION = """\
Check model folders and repo ids against the naming policy. A model folder is checked on its name
(the repo id it will be published as), its README.md metadata and its model files (config.json,
adapter_config.json, the safetensors headers); a repo id given alone (--repo-id, --repo-ids-from),
on its name only.
"""


def _check_help() -> type[argparse.Action]:
    """``check --help``: the description says what is checked today, each family with its rules
    as the registry has them, imported only when help is asked."""
    import argparse

    class CheckHelp(argparse.Action):
        def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                     option_string: str | None = None) -> None:
            from .rules_doc import what_is_checked

            parser.description = CHECK_DESCRIPTION + "\n" + what_is_checked(min(_help_width(), 100))
            parser.print_help()
            parser.exit()

    return CheckHelp


def _add_check(commands: Any) -> None:
    import argparse

    check = commands.add_parser(
        "check", help="check model folders and repo ids against the policy",
        description=CHECK_DESCRIPTION, epilog=CHECK_EPILOG, formatter_class=_formatter, add_help=False,
    )
    check.add_argument("-h", "--help", action=_check_help(), nargs=0, default=argparse.SUPPRESS,
                       help="show this help message, with what is checked, and exit")
    check.add_argument("paths", nargs="*", metavar="PATH", help="model folders (or files in them) to check")
    check.add_argument("--repo-id", metavar="ID", help="the repo id the folder will be published as (default: "
                       "the folder name under the policy's first namespace); alone, check just this name")
    check.add_argument("--repo-ids-from", metavar="FILE", help="check each repo id in FILE alone, one a line (- for "
                       "standard input; blank lines and lines starting with # are skipped), after any PATH")
    _add_checking_options(check, fail_on="lowest severity that makes the exit code 1 (default: error)")
    check.set_defaults(handler=_check)


def _add_checking_options(parser: argparse.ArgumentParser, fail_on: str) -> None:
    parser.add_argument("--policy", metavar="FILE", help="policy file for every folder (default: each "
                        "folder's nearest .hfname-guard.yaml, else the built-in default)")
    parser.add_argument("--format", metavar="FMT[=FILE]", action="append", dest="formats",
                        help="output format (text, json, github, sarif, markdown, or auto: github annotations "
                        "inside GitHub Actions, else text), to standard output or to FILE; repeat for several "
                        "(default: text)")
    parser.add_argument("--fail-on", choices=("error", "warning", "never"), default="error", help=fail_on)
    parser.add_argument("--online", metavar="[=required]", choices=("on", "required"),
                        help="also check against the Hub, through huggingface_hub (HF_ENDPOINT, HF_TOKEN, "
                        "HF_HUB_OFFLINE apply): names that collide with existing repositories, base models and "
                        "datasets that do not exist, the Hub's own card validation (the hub/* rules; the policy's "
                        "hub: {online: true} does the same). When the Hub cannot be reached, one hub/unreachable "
                        "finding (info) says what was skipped; --online=required makes it an error")
    parser.add_argument("--fix", action="store_true", help="rewrite the card values that have one certain fix "
                        "(a license spelling, a language name, a retired pipeline tag, a YAML word that needs "
                        "quotes) in README.md, changing nothing else; as pre-commit fixers do, exit 1 when a file "
                        "changed. Names are never renamed: the fix line shows the rename")
    parser.add_argument("--diff", action="store_true", help="with or instead of --fix: print those changes as a "
                        "unified diff (without --fix, nothing is written)")
    parser.add_argument("-q", "--quiet", action="store_true", help="text format: the findings alone, without each "
                        "model's heading or the models that pass; the summary line still ends it")
    parser.add_argument("--show-waived", action="store_true", help="text format: list the findings waivers hide "
                        "too, each with its waiver (the JSON report always lists them)")


def _add_policy(commands: Any) -> None:
    policy = commands.add_parser("policy", help="validate a policy file or print the policy schema",
                                 formatter_class=_formatter)
    policy_commands = policy.add_subparsers(dest="policy_command", metavar="SUBCOMMAND", required=True)
    validate = policy_commands.add_parser(
        "validate", help="validate a policy file (default: the one check would use)",
        description="Validate a policy against the schema and compile it; exit 0 if valid, 2 if not.",
        formatter_class=_formatter,
    )
    validate.add_argument("files", nargs="*", metavar="FILE")
    validate.set_defaults(handler=_policy_validate)
    hook = policy_commands.add_parser(
        "hook", help="the hfname-guard-policy pre-commit hook: re-check the models a changed policy covers",
        description="Given the YAML files of a commit, find the policies they change (a .hfname-guard.yaml, or a file "
        "one extends), validate them, and check again every model folder each one covers (the folders whose nearest "
        "policy it is), so that a stricter policy cannot be committed while committed models fail it. Exit 0 when "
        "no policy changed or every model passes, 1 on findings at or above --fail-on, 2 for a policy that does "
        "not load.",
        formatter_class=_formatter,
    )
    hook.add_argument("files", nargs="*", metavar="FILE", help="files of the commit")
    hook.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                      help="lowest severity that blocks the commit (default: error)")
    hook.set_defaults(handler=_policy_hook)
    schema = policy_commands.add_parser("schema", help="print the policy JSON Schema", formatter_class=_formatter)
    schema.set_defaults(handler=_policy_schema)


def _add_init(commands: Any) -> None:
    init = commands.add_parser("init", help="write a commented starter .hfname-guard.yaml",
                               description="Write a commented starter policy to FILE (default .hfname-guard.yaml); "
                               "never overwrites an existing file.", formatter_class=_formatter)
    init.add_argument("file", nargs="?", default=".hfname-guard.yaml", metavar="FILE")
    init.set_defaults(handler=_init)


def _add_rules(commands: Any) -> None:
    rules = commands.add_parser("rules", help="list the rules with their default severity",
                                description="List every rule; --format markdown prints the full reference.",
                                formatter_class=_formatter)
    rules.add_argument("--format", choices=("text", "markdown"), default="text")
    rules.set_defaults(handler=_rules)


def _add_explain(commands: Any) -> None:
    explain = commands.add_parser(
        "explain", help="show a rule's documentation, or how names read",
        description="With a rule id, show the rule's documentation: what it checks, how to configure it, and a "
        "passing and a failing example. With names, show each name's elements (architecture, size, parameters, "
        "task, language, version, ...) and the model type the name states: the one consistency/architecture "
        "compares with config.json.",
        epilog=EXPLAIN_EPILOG, formatter_class=_formatter,
    )
    explain.add_argument("topics", nargs="*", metavar="RULE|NAME", help="a rule id (name/template) or model names")
    explain.add_argument("--names-from", metavar="FILE", help="read names from FILE, one a line (- for standard input)")
    explain.add_argument("--format", choices=("text", "json", "jsonl"), default="text",
                         help="for names: text, a JSON list, or one JSON object a line (default: text)")
    explain.set_defaults(handler=_explain)


def _add_hook(commands: Any) -> None:
    hook = commands.add_parser(
        "hook", help="the pre-commit hook: check the model folders the given files belong to",
        description="Check each model folder the given files belong to, once: what pre-commit runs with the files of "
        "a commit or push. Files outside any model folder (a folder the policy's targets name, or that holds "
        "config.json, adapter_config.json, weights of any format (.safetensors, .gguf, .bin, ...) or a README.md "
        "with a metadata block) are left alone.",
        formatter_class=_formatter,
    )
    hook.add_argument("files", nargs="*", metavar="FILE", help="files of the commit")
    _add_checking_options(hook, fail_on="lowest severity that blocks the commit (default: error)")
    hook.set_defaults(handler=_hook)


def _add_suggest(commands: Any) -> None:
    suggest = commands.add_parser(
        "suggest", help="the name a model folder should have, from its own files, under the policy",
        description="The name the model's facts give, which is also every rule's fix for its name. Under a name "
        "template, the template filled: the architecture from config.json (or the tensor names, or a GGUF "
        "header), the parameter count from the safetensors or GGUF headers, the size word from the hidden size, "
        "the language from the card, the packaging word from the files, and every other field kept from the "
        "current name where the field accepts it. Without one, the current name with each word its files or card "
        "contradict corrected or dropped, in the policy's case and separator. Each part says where its value came "
        "from; what the facts cannot settle is named, with why, and no name is made up.",
        formatter_class=_formatter,
    )
    suggest.add_argument("folder", metavar="FOLDER", help="the model folder")
    suggest.add_argument("--repo-id", metavar="ID", help="its repo id (default: as check names it)")
    suggest.add_argument("--policy", metavar="FILE", help="policy file (default: the folder's nearest "
                         ".hfname-guard.yaml, else the built-in default)")
    suggest.add_argument("--online", metavar="[=required]", choices=("on", "required"), help="also ask the Hub "
                         "which names its namespace holds: a taken name gets the next free version")
    suggest.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or one JSON "
                         "object: repo_id (the suggestion, or null), current, conforms, parts (field, value, "
                         "source) and missing (field, why)")
    suggest.set_defaults(handler=_suggest)


def _suggest(arguments: argparse.Namespace) -> int:
    import json

    from .facts import Facts, Run
    from .policy import Policies, load_policy
    from .printable import printable
    from .propose import propose
    from .targets import targets_from_arguments

    policies = Policies(load_policy(arguments.policy) if arguments.policy is not None else None)
    [target] = targets_from_arguments([arguments.folder], arguments.repo_id, policies)
    run = Run(arguments.online, own_hub_client=True)
    proposal = propose(Facts(target, policies.of(target.folder).for_folder(target.folder), run))
    if arguments.format == "json":
        print(json.dumps({"repo_id": proposal.repo_id, "current": proposal.current, "conforms": proposal.conforms,
                          "parts": [{"field": part.field, "value": part.value, "source": part.source}
                                    for part in proposal.parts],
                          "missing": [{"field": field, "why": why} for field, why in proposal.missing]},
                         ensure_ascii=True, indent=2))
    else:
        if proposal.repo_id is None:
            print(printable(f"{proposal.current}: no name can be suggested"))
        elif proposal.conforms:
            print(printable(f"{proposal.current}: the name already says what the model's facts say"))
        else:
            print(printable(f"{proposal.repo_id}  (now {proposal.current})"))
        for part in proposal.parts:
            print(printable(f"  {part.field + ':':14}{part.value:12}  {part.source}"))
        for field, why in proposal.missing:
            print(printable(f"  {field + ':':14}{'?':12}  {why}"))
    return EXIT_OK if proposal.repo_id is not None else EXIT_VIOLATIONS


AUDIT_FORMATS = ("text", "json", "csv", "html")


def _add_audit(commands: Any) -> None:
    audit = commands.add_parser(
        "audit", help="judge every published model of some namespaces by the policy: the list to review",
        description="List every model of each NAMESPACE on the Hub (huggingface_hub's list_models, with the fields the "
        "rules read: config, card metadata, safetensors parameter counts, files) and judge each by the policy, "
        "without downloading a weight: the same rules as check, the hub/* ones included. --from FILE reads the records "
        "from a JSON Lines file in the Hub API's shape instead (offline; a dump of the whole Hub works too). The "
        "report says, per rule, how many models it flags, and which to review first.",
        formatter_class=_formatter,
    )
    audit.add_argument("namespaces", nargs="*", metavar="NAMESPACE", help="organizations or users to audit")
    audit.add_argument("--from", dest="records_from", metavar="FILE",
                       help="audit the records of this JSON Lines file (- for standard input) instead of the Hub's")
    audit.add_argument("--policy", metavar="FILE", help="policy file (default: the working directory's nearest "
                       ".hfname-guard.yaml, else the built-in default)")
    audit.add_argument("--format", metavar="FMT[=FILE]", action="append", dest="formats",
                       help=f"report format ({', '.join(AUDIT_FORMATS)}: text a summary per rule and the models to "
                       "review first, json the report schema, csv one row per finding, html one self-contained page "
                       "to sort and filter), to standard output or to FILE; repeat for several (default: text)")
    audit.add_argument("--cards", action="store_true",
                       help="fetch each model's README.md too (8 at a time), so the card rules read the file itself, "
                       "with its lines, not only the metadata the listing gives")
    audit.add_argument("--cache", metavar="DIR", help="keep what the audit fetches (each namespace's listing, each "
                       "README) in DIR, so that an interrupted or repeated audit fetches none of it again")
    audit.add_argument("--online", metavar="[=required]", choices=("on", "required"),
                       help="run the hub/* rules too (on by default when listing from the Hub, off with --from)")
    audit.add_argument("--fail-on", choices=("error", "warning", "never"), default="never",
                       help="lowest severity that makes the exit code 1 (default: never: an audit is a list to "
                       "review, not a gate)")
    audit.set_defaults(handler=_audit)


def _audit(arguments: argparse.Namespace) -> int:
    from . import audit
    from .policy import load_policy
    from .report import json_report

    if bool(arguments.namespaces) == bool(arguments.records_from):
        raise UsageError("give the namespaces to audit, or --from FILE with their records (not both)")
    outputs = _parse_formats(arguments.formats or ["text"], AUDIT_FORMATS)
    policy = load_policy(arguments.policy) if arguments.policy is not None else None
    cache = audit.Cache(arguments.cache) if arguments.cache else None
    records = audit.records_from_file(arguments.records_from) if arguments.records_from \
        else audit.records_from_hub(arguments.namespaces, cache)
    if arguments.cards:
        records = audit.with_cards(records, cache)
    online = arguments.online or (None if arguments.records_from else "on")
    progress = audit.Progress()
    try:
        result = audit.audit(records, policy, tuple(arguments.namespaces), online=online, progress=progress,
                             own_hub_client=True)
    finally:
        progress.close()
    renderers = {"text": audit.render_text, "csv": audit.render_csv,
                 "json": lambda result: json_report.render(result.report, color=False),
                 "html": lambda result: _html(result)}
    for name, destination in outputs:
        text = renderers[name](result)
        if destination is None:
            _write_standard_output(name, text)
        else:
            _write_atomically(destination, text)
    return _exit_code(result.report, arguments)


def _html(result: Any) -> str:
    from .report import html_report

    return html_report.render_audit(result)


def _add_upload(commands: Any) -> None:
    upload = commands.add_parser(
        "upload", help="check a model folder against the policy and the Hub, and upload it only when it passes",
        description="Check FOLDER as it will be published (every offline rule and the hub/* rules, which need the "
        "Hub: it must answer), print the findings, and upload the folder with huggingface_hub's upload_folder only "
        "when nothing is at or above --fail-on. HF_TOKEN or the stored login (`hf auth login`) is the token, "
        "HF_ENDPOINT the Hub. Renames are never made for you: a name the policy refuses is printed with its fix.",
        formatter_class=_formatter,
    )
    upload.add_argument("folder", metavar="FOLDER", help="the model folder to upload")
    upload.add_argument("--repo-id", metavar="ID", help="the repository to upload to (default: the folder name "
                        "under the policy's first namespace, as check names it)")
    upload.add_argument("--create", action="store_true", help="create the repository first when it does not exist")
    upload.add_argument("--private", action="store_true", help="with --create: create it private")
    upload.add_argument("--policy", metavar="FILE", help="policy file (default: the folder's nearest "
                        ".hfname-guard.yaml, else the built-in default)")
    upload.add_argument("--fail-on", choices=("error", "warning"), default="error",
                        help="lowest severity that stops the upload (default: error)")
    upload.set_defaults(handler=_upload)


def _upload(arguments: argparse.Namespace) -> int:
    from .policy import load_policy
    from .report import text_report
    from .upload import PolicyViolation, upload

    policy = load_policy(arguments.policy) if arguments.policy is not None else None
    try:
        report, url = upload(arguments.folder, arguments.repo_id, policy, fail_on=arguments.fail_on,
                             private=arguments.private, create=arguments.create)
    except PolicyViolation as violation:
        _write_standard_output("text", text_report.render(violation.report, _color(sys.stdout)))
        print(f"hfname-guard: {violation}; nothing was uploaded", file=sys.stderr)
        return violation.exit_code
    _write_standard_output("text", text_report.render(report, _color(sys.stdout)))
    print(f"uploaded to {url}")
    return EXIT_OK


def _add_github(commands: Any) -> None:
    github = commands.add_parser("github", help="the GitHub Action's steps: check a pull request, comment a report",
                                 formatter_class=_formatter)
    steps = github.add_subparsers(dest="github_command", metavar="SUBCOMMAND", required=True)
    action = steps.add_parser(
        "action", help="what action.yml runs: check the pull request's models and report everywhere",
        description="Read the action's inputs (HFNAME_GUARD_* variables) and the runner's GITHUB_* context, check "
        "the model folders the pull request changes (or HFNAME_GUARD_PATHS), and report: annotations, job summary, "
        "JSON report, SARIF when asked, step outputs and one sticky pull-request comment.",
        formatter_class=_formatter,
    )
    action.set_defaults(handler=lambda arguments: _run_action())
    comment = steps.add_parser(
        "comment", help="comment a saved JSON report on its pull request (the fork-safe workflow_run pattern)",
        formatter_class=_formatter,
    )
    comment.add_argument("--report", required=True, metavar="FILE", help="a report written by --format json")
    comment.add_argument("--pr", type=int, metavar="NUMBER", help="the pull request (default: from GITHUB_EVENT_PATH; "
                         "a workflow_run event of a fork names none, so pass the number the report workflow saved)")
    comment.set_defaults(handler=_github_comment)


def _run_action() -> int:
    from .action import run_action

    return run_action(os.environ)


def _github_comment(arguments: argparse.Namespace) -> int:
    from .action import comment_from_report

    return comment_from_report(os.environ, arguments.report, arguments.pr)


COMMANDS = {"check": _add_check, "hook": _add_hook, "suggest": _add_suggest, "audit": _add_audit, "upload": _add_upload,
            "github": _add_github, "policy": _add_policy, "init": _add_init, "rules": _add_rules,
            "explain": _add_explain}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for ``command`` alone when it is known (each subparser costs time at every
    start, and a pre-commit hook starts often), else for every command."""
    import argparse

    parser = argparse.ArgumentParser(prog="hfname-guard", description=DESCRIPTION, formatter_class=_formatter)
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    if command is None:  # asked without a command only: each option costs a hook's start too
        from . import __version__

        parser.add_argument("--version", action="version", version=f"hfname-guard {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, add in COMMANDS.items():
        if command in (None, name):
            add(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; inside GitHub Actions, behind the guard that keeps the text it prints,
    standard output and error alike, from being read as workflow commands (workflow_commands.py).
    Imported only there: everywhere else the output is what the command writes, byte for byte."""
    _tolerate_any_output_encoding()
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return _run_command(argv)
    from .workflow_commands import guarded_standard_streams

    with guarded_standard_streams():
        return _run_command(argv)


def _tolerate_any_output_encoding() -> None:
    """A character standard output cannot encode (a ``ü`` on an ASCII or Windows code-page
    console) is written as a backslash escape instead of ending the run; standard error does
    so already. Done on the real stream, before any guard wraps it."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")


CHECKING_DEFAULTS = {"debug": False, "policy": None, "formats": None, "fail_on": "error", "online": None,
                     "fix": False, "diff": False, "quiet": False, "show_waived": False}
"""What argparse gives `check` and `hook` for each option left out (a test holds the two the same)."""


def plain_arguments(argv: list[str]) -> Any | None:
    """The arguments of ``check PATH...`` or ``hook FILE...`` with no option (as pre-commit runs
    the hook), without argparse: its import and the gettext lookups its parser makes cost a
    check's start a tenth of the check, and would read nothing here. None for any other command
    line, which argparse reads."""
    if argv[:1] not in (["check"], ["hook"]) or any(argument.startswith("-") for argument in argv):
        return None
    from types import SimpleNamespace

    if argv[0] == "hook":
        return SimpleNamespace(command="hook", **CHECKING_DEFAULTS, files=argv[1:], handler=_hook)
    return SimpleNamespace(command="check", **CHECKING_DEFAULTS, paths=argv[1:], repo_id=None, repo_ids_from=None,
                           handler=_check)


def _run_command(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((argument for argument in argv if not argument.startswith("-")), None)
    if command is not None and "--version" in argv[: argv.index(command)]:
        command = None  # `--version` is the program's, whatever follows it
    arguments = plain_arguments(argv)
    if arguments is None:
        arguments = build_parser(command if command in COMMANDS else None).parse_args(_spelled_out(argv))
    try:
        return arguments.handler(arguments)
    except PolicyError as error:
        from .printable import printable

        for problem in error.problems:
            print(printable(problem), file=sys.stderr)
        count = len(error.problems)
        print(f"hfname-guard: the policy has {count} problem{'s' if count > 1 else ''}; nothing was checked",
              file=sys.stderr)
        return error.exit_code
    except HfnameGuardError as error:
        from .printable import printable

        print(f"hfname-guard: {printable(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `| head` read what it wanted: stop writing, and keep the exit-time flush from failing again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as error:  # the one place an unexpected error becomes a message
        if arguments.debug:
            raise
        from .printable import printable

        print(f"hfname-guard: internal error: {type(error).__name__}: {printable(str(error))} (run with --debug for "
              "details)", file=sys.stderr)
        return EXIT_INTERNAL


def _spelled_out(argv: list[str]) -> list[str]:
    """``--online`` alone as ``--online=on``, so that a path after it is not read as its value."""
    end = argv.index("--") if "--" in argv else len(argv)
    return [*("--online=on" if argument == "--online" else argument for argument in argv[:end]), *argv[end:]]


def _check(arguments: argparse.Namespace) -> int:
    """PATHs (and --repo-id) as ``targets_from_arguments`` reads them, then --repo-ids-from's
    names, each alone; with --repo-ids-from and nothing else, its names alone."""
    from .targets import targets_from_arguments

    named = None if arguments.repo_ids_from is None else _repo_ids_from(arguments.repo_ids_from)

    def targets_of(policy: Any) -> list[Any]:
        if named is not None and not arguments.paths and arguments.repo_id is None:
            return named
        return [*targets_from_arguments(arguments.paths, arguments.repo_id, policy), *(named or [])]

    return _check_and_report(arguments, targets_of)


def _repo_ids_from(source: str) -> list[Any]:
    """A target for each repo id in ``source`` (``-``: standard input), one a line, UTF-8 (a
    byte-order mark ignored); blank lines and lines starting with ``#`` skipped, a repeated id
    checked once. The repo id's source names its line (``names.txt:12``). Any text is a repo id
    to check: repo-id/format judges it. A file that cannot be read, or a line that is not UTF-8,
    is a usage error."""
    from .targets import Target

    label = "standard input" if source == "-" else source
    found: dict[str, Any] = {}
    number = 0
    try:
        with open(sys.stdin.fileno() if source == "-" else source, "rb", closefd=source != "-") as handle:
            for number, raw in enumerate(handle, 1):
                repo_id = raw.decode("utf-8").removeprefix("\ufeff" if number == 1 else "").strip()
                if repo_id and not repo_id.startswith("#") and repo_id not in found:
                    found[repo_id] = Target(repo_id, None, f"{label}:{number}")
    except OSError as error:
        raise UsageError(f"--repo-ids-from {source}: cannot read the repo ids: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise UsageError(f"--repo-ids-from {source}: line {number} is not UTF-8 text") from None
    return list(found.values())


def _hook(arguments: argparse.Namespace) -> int:
    from .batches import unclaimed
    from .targets import targets_from_files

    def targets_of(policy: Any) -> list[Any]:
        targets = targets_from_files(arguments.files, policy)
        files = set(arguments.files)
        options = [argument for argument in sys.argv[1:] if argument not in files]
        folders = set(unclaimed([str(target.folder) for target in targets], options))
        return [target for target in targets if str(target.folder) in folders]  # once a run (batches.py)

    return _check_and_report(arguments, targets_of)


def _check_and_report(arguments: argparse.Namespace, targets_of: Any) -> int:
    """Load the policy, check the targets it gives, write every --format, and say the exit code."""
    from .checker import check
    from .policy import Policies, load_policy
    from .report import FORMATS

    outputs = _parse_formats(arguments.formats or ["text"], FORMATS)
    # --policy judges every folder; without it, each folder's nearest policy does, each loaded once
    policy = Policies(load_policy(arguments.policy) if arguments.policy is not None else None)
    targets = targets_of(policy)
    if not targets and not arguments.formats:
        return EXIT_OK  # a commit that touches no model: nothing to say
    report = check(targets, policy, keep_facts=any(name == "json" for name, _ in outputs), online=arguments.online,
                   own_hub_client=True)
    fixed = _fix(report, arguments) if arguments.fix or arguments.diff else False
    if fixed:  # report what the fixed files still hold
        report = check(targets, policy, keep_facts=any(name == "json" for name, _ in outputs),
                       online=arguments.online, own_hub_client=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        report = _with_what_is_checked(report)
    for name, destination in outputs:
        if destination is None:
            _write_standard_output(name, _render(name, report, _color(sys.stdout), arguments))
        else:
            _write_atomically(destination, _render(name, report, False, arguments))
    code = _exit_code(report, arguments)
    return EXIT_VIOLATIONS if fixed and code == EXIT_OK else code


def _fix(report: Report, arguments: argparse.Namespace) -> bool:
    """Print (--diff) and write (--fix) the certain fixes of the report's card findings; whether
    a file changed."""
    from .fix import apply, planned_fixes
    from .printable import printable, printable_lines

    plans = planned_fixes(report.findings)
    if arguments.diff:
        for plan in plans:
            sys.stdout.write(printable_lines(plan.diff()))
    if not arguments.fix:
        return False
    apply(plans)
    for plan in plans:
        for fix in plan.fixes:
            print(printable(f"{fix.file}:{fix.line}: fixed {fix.rule}: {fix.before} -> {fix.after}"), file=sys.stderr)
    for line in _renames(report):
        print(printable(line), file=sys.stderr)
    return bool(plans)


def _renames(report: Report) -> list[str]:
    """Renames are never made: for each model whose name has a fix, the commands that make it."""
    import shlex

    said = []
    for target in report.targets:
        fixes = {finding.suggestion for finding in report.findings
                 if finding.repo_id == target.repo_id and finding.renames and finding.suggestion}
        if len(fixes) != 1:
            continue  # none, or fixes that disagree (no template): which rename is for the author
        new = fixes.pop()
        move = f"HfApi().move_repo(from_id={target.repo_id!r}, to_id={new!r})"
        folder = os.path.normpath(target.folder) if target.folder is not None else None
        if folder is not None and os.path.basename(folder) == target.repo_id.split("/")[-1]:
            renamed = os.path.join(os.path.dirname(folder), new.split("/")[-1])
            said.append(f"{target.folder}: not renamed; to rename it: git mv {shlex.quote(str(target.folder))} "
                        f"{shlex.quote(renamed)}, and on the Hub {move}")
        else:
            said.append(f"{target.repo_id}: not renamed; on the Hub: {move}")
    return said


def _render(name: str, report: Report, color: bool, arguments: argparse.Namespace) -> str:
    """One format; the text format as -q and --show-waived ask."""
    from .report import reporter

    if name == "text":
        from .report import text_report

        return text_report.render(report, color, quiet=arguments.quiet, show_waived=arguments.show_waived)
    return reporter(name).render(report, color=color)


def _exit_code(report: Report, arguments: argparse.Namespace) -> int:
    """Said once every report is written. A rule that failed is said on standard error too (the
    reports may all have gone to files), with the traceback of each failing rule under --debug."""
    if report.failed_internally:
        if arguments.debug:
            import traceback

            for error in report.exceptions:
                traceback.print_exception(error)
        hint = "" if arguments.debug else " (run with --debug for the traceback)"
        print("hfname-guard: internal error: a rule failed, and the internal/rule-error findings say where; "
              f"every other rule and model was checked{hint}", file=sys.stderr)
    return report.exit_code(arguments.fail_on)


def _with_what_is_checked(report: Report) -> Report:
    """Inside Actions a report names its repository and commit: a later workflow that comments
    it checks them against the pull request (``github comment``)."""
    from .github import Event, read_event, what_is_checked

    event = read_event(os.environ["GITHUB_EVENT_PATH"]) if os.environ.get("GITHUB_EVENT_PATH") else Event()
    repository, commit = what_is_checked(os.environ, event)
    return report.replace(repository=repository, commit=commit)


def _write_standard_output(format_name: str, text: str) -> None:
    if format_name == "github":  # the tool's own workflow commands: past the guard, so the runner reads them
        from .workflow_commands import write_workflow_commands

        write_workflow_commands(text)
    else:
        sys.stdout.write(text)


def _parse_formats(specs: list[str], known: tuple[str, ...]) -> list[tuple[str, str | None]]:
    outputs: list[tuple[str, str | None]] = []
    for spec in specs:
        name, _, destination = spec.partition("=")
        if name == "auto":  # GitHub annotations inside Actions, text elsewhere
            name = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
        if name not in known:
            raise UsageError(f"--format {spec}: unknown format `{name}`; choose from {', '.join(known)}")
        if _ and not destination:
            raise UsageError(f"--format {spec}: give a file name after `=`")
        outputs.append((name, destination or None))
    if sum(destination is None for _, destination in outputs) > 1:
        raise UsageError("only one --format can write to standard output; send the others to files (FMT=FILE)")
    files = [destination for _, destination in outputs if destination is not None]
    if not files:
        return outputs
    from .output_files import untrusted_checkout, why_not_writable

    inside = untrusted_checkout(os.environ)
    for destination in files:  # refused before the check runs, for the reason writing would give
        if os.path.isdir(destination):
            raise UsageError(f"--format: {destination} is a directory; give a file name")
        refusal = why_not_writable(destination, inside)
        if refusal is not None:
            raise UsageError(f"--format: {destination}: {refusal}")
    return outputs


def _write_atomically(path: str, text: str) -> None:
    """Whole or not at all, and inside GitHub Actions never through a symbolic link of the
    checked-out pull request (output_files)."""
    from .output_files import untrusted_checkout, write_file

    write_file(path, text, inside=untrusted_checkout(os.environ))


def _color(stream: object) -> bool:
    return "NO_COLOR" not in os.environ and bool(getattr(stream, "isatty", lambda: False)())


def _policy_validate(arguments: argparse.Namespace) -> int:
    from .policy import discover, load_policy
    from .printable import printable
    from .resources import PRESETS

    paths = arguments.files or [discover(os.getcwd())]
    if paths == [None]:
        raise UsageError("no .hfname-guard.yaml here or in a folder above; name the file to validate")
    problems: list[str] = []
    for path in paths:
        try:
            policy = load_policy(path)
        except PolicyError as error:
            problems += error.problems
            continue
        bases = [
            f"the built-in `{os.path.basename(source)[:-5]}` preset" if os.path.dirname(source) == PRESETS else source
            for source in policy.sources[:-1]
        ]
        print(printable(f"{path}: valid policy" + (f", extending {' and '.join(bases)}" if bases else "")))
    if problems:
        raise PolicyError(problems)
    return EXIT_OK


def _policy_hook(arguments: argparse.Namespace) -> int:
    from .policy_hook import recheck
    from .report import reporter

    report = recheck(arguments.files, os.getcwd())
    if report is None:
        return EXIT_OK  # the commit changes no policy: the hfname-guard hook checks its models
    sys.stdout.write(reporter("text").render(report, color=_color(sys.stdout)))
    return report.exit_code(arguments.fail_on)


def _policy_schema(arguments: argparse.Namespace) -> int:
    from .resources import read_text, schema_path

    sys.stdout.write(read_text(schema_path("policy.schema.json")))
    return EXIT_OK


def _init(arguments: argparse.Namespace) -> int:
    from .resources import STARTER_POLICY, read_text

    path = arguments.file
    starter = read_text(STARTER_POLICY)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(starter)
    except FileExistsError:
        raise UsageError(f"{path} already exists; not overwriting it") from None
    except OSError as error:
        raise UsageError(f"{path}: cannot write: {error.strerror or error}") from None
    print(f"wrote {path}: edit the namespaces and template, then run `hfname-guard policy validate`")
    return EXIT_OK


def _rules(arguments: argparse.Namespace) -> int:
    from .rules import all_rules, summary
    from .rules_doc import markdown

    if arguments.format == "markdown":
        sys.stdout.write(markdown())
        return EXIT_OK
    for rule in all_rules():
        print(f"{rule.ID:20} {rule.SEVERITY:8} {summary(rule)}")
    return EXIT_OK


def _explain(arguments: argparse.Namespace) -> int:
    from .rules import all_rules, rule_by_id
    from .rules_doc import text
    from .suggest import closest

    topics = arguments.topics
    if not topics and arguments.names_from is None:
        raise UsageError("explain what? give a rule id (name/template) or model names")
    if len(topics) == 1 and arguments.names_from is None:
        rule = rule_by_id(topics[0])
        if rule is not None:
            sys.stdout.write(text(rule))
            return EXIT_OK
        guess = closest(topics[0], [known.ID for known in all_rules()])
        if guess is not None:
            raise UsageError(f"no rule `{topics[0]}`; did you mean `{guess}`?")

    _explain_names(itertools.chain(topics, _names_from(arguments.names_from)), arguments.format)
    return EXIT_OK


def _names_from(source: str | None) -> Iterator[str]:
    """The names of ``source``, one a line (``-``: standard input), streamed: memory stays flat
    however many there are. A line that is not UTF-8 stops the run, named by its number."""
    if source is None:
        return
    try:
        handle = sys.stdin.buffer if source == "-" else open(source, "rb")
    except OSError as error:
        raise UsageError(f"--names-from {source}: cannot read the names: {error.strerror or error}") from None
    try:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                raise UsageError(f"--names-from {source}: line {number} is not UTF-8") from None
            if line:
                yield line
    except OSError as error:
        raise UsageError(f"--names-from {source}: cannot read the names: {error.strerror or error}") from None
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()


JSONL_BLOCK = 256
"""Lines `explain --format jsonl` writes at once to a file or a pipe (flat memory, few writes)."""


def _explain_names(names: Iterable[str], output: str) -> None:
    """JSON as the report writes it (ASCII, ``encodable``), text ``printable`` line by line: the
    names may come from a file of anyone's."""

    from .names.explain import as_text, explain
    from .names.tagger import default_tagger
    from .printable import ascii_json, printable_lines

    default_tagger()
    gc.freeze()  # the tagger's tables serve the whole run: the collector's full passes need not walk them again
    if output == "json":
        sys.stdout.write(ascii_json([explain(name) for name in names], indent=2) + "\n")
        return
    if output == "jsonl" and isinstance(sys.stdout, io.TextIOWrapper) and not sys.stdout.isatty():
        # to a file or a program, not behind a guard (workflow_commands): ASCII lines, straight to
        # the bytes a block at a time, past the text layer's encoding of each
        sys.stdout.flush()
        block: list[str] = []
        try:
            for name in names:
                block.append(ascii_json(explain(name), compact=True))
                if len(block) == JSONL_BLOCK:
                    sys.stdout.buffer.write(("\n".join(block) + "\n").encode("ascii"))
                    block.clear()
        finally:  # the names read before a line that stops the run are written too
            if block:
                sys.stdout.buffer.write(("\n".join(block) + "\n").encode("ascii"))
        return
    for name in names:
        sys.stdout.write(ascii_json(explain(name), compact=True) + "\n" if output == "jsonl"
                         else printable_lines(as_text(name)))


def run() -> None:
    """The console script and ``python -m hfname_guard``: ``main`` and exit.

    The command line owns its process, so it tunes the garbage collector as mypy does: a pass
    every 100,000 new objects rather than every 700, so that loading the modules of a check
    and its facts, a pre-commit hook's whole life, no longer pays for a dozen passes
    (benchmarks/bench_check.py). ``gc.freeze()`` at the end spares the interpreter's final
    collections; every file is closed and the standard streams are still flushed at exit.
    """
    gc.set_threshold(100_000, 50, 100)
    code = main()
    gc.freeze()
    sys.exit(code)
